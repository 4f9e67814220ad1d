/** The projects module's (民生实事) schemas: validation, OpenAPI and the web app's types. */
import { z } from 'zod';
import { PROGRESS_RULES, STAGES, TARGET_KINDS } from './core/derive';

const text = (max: number) => z.string().trim().min(1).max(max);
export const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date as YYYY-MM-DD' }).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { message: 'not a calendar date' });
const deptCode = z.string().regex(/^[a-z][a-z0-9_-]{1,40}$/);
const areaCode = z.string().regex(/^[0-9]{6,18}$/);
const crs = z.enum(['wgs84', 'gcj02', 'bd09']);

export const YearParams = z.object({ year: z.coerce.number().int().min(2000).max(2100) }).strict();
export const IdParams = z.object({ id: z.uuid() }).strict();
export const DateQuery = z.object({ date: day.optional() }).strict();
export const SummaryQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100), date: day.optional() }).strict();

export const CreateProgrammeBody = z
  .object({
    year: z.number().int().min(2000).max(2100),
    title: text(200),
    summary: z.string().trim().max(2000).default(''),
    categories: z.array(z.object({ code: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/), name: text(50) }).strict()).min(1).max(20),
  })
  .strict();
export type CreateProgrammeBody = z.infer<typeof CreateProgrammeBody>;

export const TargetBody = z
  .object({
    id: z.uuid().optional(),
    metric: text(100),
    unit: text(20),
    kind: z.enum(TARGET_KINDS),
    baseline: z.number().finite(),
    target: z.number().finite(),
    weight: z.number().finite().default(1),
  })
  .strict();
export type TargetBody = z.infer<typeof TargetBody>;

export const MilestoneBody = z.object({ id: z.uuid().optional(), title: text(100), plannedOn: day }).strict();

/** A point or area concerned, as GeoJSON geometry in the given coordinate system. */
export const LocationBody = z
  .object({
    name: z.string().trim().max(100).default(''),
    crs: crs.default('wgs84'),
    geometry: z.discriminatedUnion('type', [
      z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]) }).strict(),
      z
        .object({
          type: z.literal('Polygon'),
          coordinates: z.array(z.array(z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])).min(4).max(500)).min(1).max(5),
        })
        .strict(),
    ]),
  })
  .strict();
export type LocationBody = z.infer<typeof LocationBody>;

export const ItemBody = z
  .object({
    code: z.string().regex(/^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$/, { message: 'code: 1, 1.2 …' }),
    parentCode: z.string().regex(/^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$/).nullable().default(null),
    categoryCode: z.string().regex(/^[A-Za-z0-9_-]{1,20}$/),
    title: text(200),
    description: z.string().trim().max(5000).default(''),
    ownerDepartment: deptCode,
    coUnits: z.array(text(50)).max(20).default([]),
    areaCodes: z.array(areaCode).max(60).default([]),
    locations: z.array(LocationBody).max(50).default([]),
    budgetFen: z.number().int().min(0).max(1e15).default(0),
    plannedStart: day,
    plannedEnd: day,
    progressRule: z.enum(PROGRESS_RULES),
    weight: z.number().finite().min(0).max(1000).default(1),
    targets: z.array(TargetBody).max(20).default([]),
    milestones: z.array(MilestoneBody).max(30).default([]),
  })
  .strict();
export type ItemBody = z.infer<typeof ItemBody>;

export const EvidenceFile = z.object({ fileName: text(200), contentBase64: z.string().min(1).max(15_000_000) }).strict();

export const ReportBody = z
  .object({
    asOf: day,
    narrative: text(5000),
    values: z.array(z.object({ targetId: z.uuid(), value: z.number().finite() }).strict()).max(20).default([]),
    milestones: z.array(z.object({ milestoneId: z.uuid(), achievedOn: day }).strict()).max(30).default([]),
    stage: z.enum(STAGES).nullable().default(null),
    correctsId: z.uuid().nullable().default(null),
    files: z.array(EvidenceFile).max(20).default([]),
  })
  .strict();
export type ReportBody = z.infer<typeof ReportBody>;

export const ReturnBody = z.object({ reason: text(1000) }).strict();
export const CloseBody = z.object({ on: day, reason: text(500) }).strict();

export const RatingBody = z
  .object({
    score: z.number().int().min(1).max(5),
    comment: z.string().trim().max(500).optional(),
    /** A random token the browser keeps (localStorage); one rating per token and item. */
    deviceToken: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, { message: 'deviceToken: 16–128 URL-safe characters' }),
  })
  .strict();
export type RatingBody = z.infer<typeof RatingBody>;

export const ImportBody = z
  .object({ contentBase64: z.string().min(1).max(14_000_000), dryRun: z.boolean().default(false) })
  .strict();
