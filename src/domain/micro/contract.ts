/** The micro module's HTTP contract: zod schemas for validation, OpenAPI and the web types. */
import { z } from 'zod';
import { STATUSES } from './core/lifecycle';
import { MAX_COST_FEN, MAX_PHOTOS, isLocalDate } from './core/rules';

export const PHONE = z.string().trim().regex(/^1[0-9]{10}$/, { message: 'phone: an 11-digit mobile number' });
export const ProposalNumber = z.string().regex(/^WS\d{4}-\d{4,6}$/, { message: 'number: like WS2026-0001' });
export const NumberParams = z.object({ number: ProposalNumber }).strict();
export const IdParams = z.object({ id: z.uuid() }).strict();
export const localDate = z.string().refine(isLocalDate, { message: 'date: a real day written YYYY-MM-DD' });

export const SessionBody = z.object({ phone: PHONE, code: z.string().regex(/^\d{6}$/, { message: 'code: 6 digits' }) }).strict();

/** The resident's token travels in this header (never in the URL, which logs keep). */
export const RESIDENT_HEADER = 'x-resident-token';

export const PhotoBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z.string().min(4).max(7_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'contentBase64: base64 text' }),
  })
  .strict();

export const Place = z.union([
  z
    .object({
      lon: z.number().min(-180).max(180),
      lat: z.number().min(-90).max(90),
      crs: z.enum(['wgs84', 'gcj02', 'bd09']).default('wgs84'),
      address: z.string().trim().max(200).optional(),
    })
    .strict(),
  z
    .object({
      areaCode: z.string().regex(/^[0-9]{9,18}$/, { message: 'areaCode: a community or grid cell code' }),
      address: z.string().trim().max(200).optional(),
    })
    .strict(),
]);
export type Place = z.infer<typeof Place>;

/**
 * Cost bounds are checked in the service too (core/rules.ts) so the message is a clear zh/en
 * one; the schema only keeps garbage (strings, fractions, huge numbers) out.
 */
export const ProposeBody = z
  .object({
    title: z.string().trim().min(1, { message: 'title: required' }).max(60),
    description: z.string().trim().min(1, { message: 'description: required' }).max(2000),
    place: Place,
    estimatedCostFen: z.number().int().min(-1e15).max(1e15),
    photos: z.array(PhotoBody).max(MAX_PHOTOS, { message: `photos: at most ${MAX_PHOTOS}` }).default([]),
  })
  .strict();
export type ProposeBody = z.infer<typeof ProposeBody>;

export const PublicListQuery = z
  .object({
    status: z.enum(STATUSES).optional(),
    subdistrict: z.string().regex(/^[0-9]{9}$/).optional(),
    q: z.string().trim().max(50).optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type PublicListQuery = z.infer<typeof PublicListQuery>;

export const StaffListQuery = PublicListQuery;

const reason = z.string().trim().min(2, { message: 'reason: at least 2 characters' }).max(500);
const note = z.string().trim().max(500).default('');

export const ActBodies = {
  accept: z.object({ reason, date: localDate, costFen: z.number().int().min(-1e15).max(1e15).optional() }).strict(),
  merge: z.object({ reason, date: localDate, into: ProposalNumber }).strict(),
  reject: z.object({ reason, date: localDate }).strict(),
  startDesign: z.object({ date: localDate, note }).strict(),
  startConstruction: z.object({ date: localDate, note }).strict(),
  completeAcceptance: z.object({ date: localDate, note }).strict(),
  link: z
    .object({
      budgetLine: z.string().trim().min(1).max(80).nullable(),
      projectItemId: z.uuid().nullable(),
    })
    .strict(),
} as const;

export const CreateRoundBody = z
  .object({
    title: z.string().trim().min(1).max(60),
    areaCode: z.string().regex(/^[0-9]{6,9}$/, { message: 'areaCode: the district or a subdistrict' }),
    budgetFen: z.number().int().min(-1e15).max(1e15),
    minItems: z.number().int().min(-1000).max(1000),
    maxItems: z.number().int().min(-1000).max(1000),
    proposalIds: z.array(z.uuid()).min(1).max(100),
  })
  .strict();
export type CreateRoundBody = z.infer<typeof CreateRoundBody>;

export const BallotBody = z.object({ proposalIds: z.array(z.uuid()).min(1).max(100) }).strict();

export { MAX_COST_FEN };
