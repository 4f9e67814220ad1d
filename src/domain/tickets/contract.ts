import { z } from 'zod';
import { pageQuery } from '../../shared/contract';
import { CHANNELS, RATINGS, RESOLUTIONS, STATUSES, TICKET_TYPES, URGENCIES } from './core/lifecycle';

const text = (max: number) => z.string().trim().min(1).max(max);
const unitKey = z.string().regex(/^(department|subdistrict):[A-Za-z0-9_-]{1,40}$/, { message: 'unit: department:<code> or subdistrict:<code>' });
const phone = z.string().trim().regex(/^[0-9+\- ]{5,20}$/, { message: 'phone: 5–20 digits' });
const crs = z.enum(['wgs84', 'gcj02', 'bd09']);

export const Location = z
  .object({
    lon: z.number().min(-180).max(180).optional(),
    lat: z.number().min(-90).max(90).optional(),
    crs: crs.default('wgs84'),
    address: text(200).optional(),
    /** A place known by its code (a QR code on a lamp post names its grid cell). */
    areaCode: z.string().regex(/^[0-9]{6,18}$/).optional(),
  })
  .strict()
  .refine((l) => (l.lon === undefined) === (l.lat === undefined), { message: 'lon and lat go together' });

/** A ticket as staff enter it (hotline, grid patrol, supervision hand-over). */
export const CreateTicketBody = z
  .object({
    type: z.enum(TICKET_TYPES),
    channel: z.enum(CHANNELS).default('hotline'),
    title: text(100),
    content: text(5000),
    urgency: z.enum(URGENCIES).default('normal'),
    categoryCode: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).optional(),
    location: Location.optional(),
    requester: z
      .object({ name: text(50).optional(), phone: phone.optional(), anonymous: z.boolean().default(false) })
      .strict()
      .optional(),
  })
  .strict();
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const TicketIdParams = z.object({ id: z.uuid() }).strict();

export const ListTicketsQuery = pageQuery
  .extend({
    status: z.enum([...STATUSES, 'open']).optional(),
    unit: unitKey.optional(),
    overdue: z.enum(['true', 'false']).optional(),
    q: z.string().trim().max(50).optional(),
    channel: z.enum(CHANNELS).optional(),
    mine: z.enum(['true', 'false']).optional(),
  })
  .strict();
export type ListTicketsQuery = z.infer<typeof ListTicketsQuery>;

export const DispatchBody = z
  .object({ leadUnit: unitKey, assistingUnits: z.array(unitKey).max(5).default([]), categoryCode: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).optional(), note: z.string().trim().max(500).optional() })
  .strict();
export const AnswerDirectlyBody = z.object({ answer: text(2000), resolution: z.enum(RESOLUTIONS).default('resolved') }).strict();
export const ReasonBody = z.object({ reason: text(500) }).strict();
export const ExtensionBody = z.object({ reason: text(500), workingDays: z.number().int().min(1).max(30) }).strict();
export const DecideExtensionBody = z.object({ approved: z.boolean(), note: z.string().trim().max(500).optional() }).strict();
export const ReplyBody = z.object({ reply: text(5000), resolution: z.enum(RESOLUTIONS) }).strict();
export const FollowUpBody = z.object({ rating: z.enum(RATINGS), note: z.string().trim().max(500).optional() }).strict();
export const NoteBody = z.object({ note: text(500) }).strict();
export const MergeBody = z.object({ into: z.uuid() }).strict();
export const CallUnitsBody = z.object({ units: z.array(unitKey).min(1).max(8), note: text(500), reportWithinWorkingHours: z.number().min(0.5).max(40).default(2) }).strict();
export const ReportToCallBody = z.object({ role: z.enum(['lead', 'assisting']) }).strict();

export type DispatchBody = z.infer<typeof DispatchBody>;

export const AttachmentBody = z
  .object({
    fileName: z.string().trim().min(1).max(200),
    contentBase64: z.string().min(4).max(7_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'contentBase64: base64 text' }),
  })
  .strict();

const categoryCode = z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/);
export const CategoryBody = z
  .object({
    code: categoryCode,
    parentCode: categoryCode.nullable().default(null),
    name: z.string().trim().min(1).max(50),
    nameEn: z.string().trim().max(80).default(''),
    active: z.boolean().default(true),
    autoDispatch: z.boolean().default(false),
  })
  .strict();
export const RouteBody = z
  .object({
    categoryCode,
    areaCode: z.string().regex(/^[0-9]{6,18}$/).nullable().default(null),
    unit: z.string().regex(/^(department:[A-Za-z0-9_-]{1,40}|subdistrict:([0-9]{9}|local))$/),
    reason: z.string().trim().min(1).max(100),
  })
  .strict();
export const TimeLimitBody = z
  .object({
    ticketType: z.enum(TICKET_TYPES).nullable().default(null),
    categoryCode: categoryCode.nullable().default(null),
    urgency: z.enum(URGENCIES).nullable().default(null),
    acceptWorkingHours: z.number().min(0.25).max(80),
    handleWorkingDays: z.number().int().min(1).max(60).nullable().default(null),
    handleWorkingHours: z.number().min(0.5).max(80).nullable().default(null),
  })
  .strict()
  .refine((l) => (l.handleWorkingDays === null) !== (l.handleWorkingHours === null), { message: 'give handleWorkingDays or handleWorkingHours, not both' });
