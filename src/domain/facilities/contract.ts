/** Schemas of the facilities module: validation, OpenAPI and the web's types. */
import { z } from 'zod';
import { pageQuery } from '../../shared/contract';
import { POPULATION_GROUPS } from './core/standards';

const crs = z.enum(['wgs84', 'gcj02', 'bd09']);
const text = (max: number) => z.string().trim().min(1).max(max);
export const typeCode = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, { message: 'type: a facility type code such as ev_charger' });
export const FACILITY_STATUSES = ['active', 'planned', 'suspended', 'closed'] as const;
export const COVERAGE_LEVELS = ['subdistrict', 'community', 'grid_cell'] as const;
export type CoverageLevel = (typeof COVERAGE_LEVELS)[number];

const num = (min: number, max: number) => z.coerce.number().min(min).max(max);

/** A standard chosen in the request; anything left out comes from the type's default. */
export const StandardParams = z.object({
  type: typeCode,
  radius: num(10, 50_000).optional(),
  minutes: num(0.5, 240).optional(),
  speed: num(1, 200).optional(),
  detour: num(1, 3).optional(),
  network: z.enum(['true', 'false']).optional(),
  population: z.enum(POPULATION_GROUPS).optional(),
});

export const CoverageQuery = StandardParams.extend({
  level: z.enum(COVERAGE_LEVELS).default('subdistrict'),
  uncoveredLimit: z.coerce.number().int().min(0).max(1000).default(100),
})
  .strict()
  .refine((q) => (q.minutes === undefined) === (q.speed === undefined) || q.minutes !== undefined, { message: 'speed goes with minutes' })
  .refine((q) => !(q.radius !== undefined && q.minutes !== undefined), { message: 'give a radius or a travel time, not both' });
export type CoverageQuery = z.infer<typeof CoverageQuery>;

export const CoveragePointsQuery = StandardParams.strict().refine((q) => !(q.radius !== undefined && q.minutes !== undefined), { message: 'give a radius or a travel time, not both' });
export type CoveragePointsQuery = z.infer<typeof CoveragePointsQuery>;

const Candidate = z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90), capacity: z.number().int().min(0).max(1_000_000).optional() }).strict();

export const SitingBody = z
  .object({
    type: typeCode,
    add: z.number().int().min(1).max(50),
    radius: z.number().min(10).max(50_000).optional(),
    minutes: z.number().min(0.5).max(240).optional(),
    speed: z.number().min(1).max(200).optional(),
    detour: z.number().min(1).max(3).optional(),
    population: z.enum(POPULATION_GROUPS).optional(),
    candidates: z.array(Candidate).min(1).max(20_000).optional(),
    crs: crs.default('wgs84'),
    spacing: z.number().min(25).max(5_000).optional(),
    respectCapacity: z.boolean().default(false),
    capacity: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
  .refine((b) => !(b.radius !== undefined && b.minutes !== undefined), { message: 'give a radius or a travel time, not both' })
  .refine((b) => (b.minutes === undefined) === (b.speed === undefined) || b.minutes !== undefined, { message: 'speed goes with minutes' });
export type SitingBody = z.infer<typeof SitingBody>;

export const FacilityBody = z
  .object({
    type: typeCode,
    name: text(100),
    lon: z.number().min(-180).max(180),
    lat: z.number().min(-90).max(90),
    crs: crs.default('wgs84'),
    address: text(200).optional(),
    capacity: z.number().int().min(0).max(10_000_000).optional(),
    openingHours: text(100).optional(),
    ownerUnit: text(100).optional(),
    status: z.enum(FACILITY_STATUSES).default('active'),
    externalId: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,64}$/).optional(),
  })
  .strict();
export type FacilityBody = z.infer<typeof FacilityBody>;

export const ImportBody = z
  .object({
    format: z.enum(['csv', 'xlsx', 'geojson']),
    /** CSV or GeoJSON text; an Excel workbook as base64 */
    content: z.string().min(1).max(900_000),
    crs: crs.default('wgs84'),
    /** type for rows that name none */
    type: typeCode.optional(),
    dryRun: z.boolean().default(false),
  })
  .strict();
export type ImportBody = z.infer<typeof ImportBody>;

export const PopulationImportBody = z
  .object({
    format: z.enum(['csv', 'geojson']),
    content: z.string().min(1).max(900_000),
    crs: crs.default('wgs84'),
    source: z.string().trim().regex(/^[A-Za-z0-9_.:-]{1,40}$/).default('import'),
    /** drop earlier rows of the same source first */
    replace: z.boolean().default(true),
    dryRun: z.boolean().default(false),
  })
  .strict();
export type PopulationImportBody = z.infer<typeof PopulationImportBody>;

export const NetworkImportBody = z
  .object({ name: text(100), geojson: z.unknown(), crs: crs.default('wgs84') })
  .strict();
export type NetworkImportBody = z.infer<typeof NetworkImportBody>;

export const ListFacilitiesQuery = pageQuery
  .extend({ type: typeCode.optional(), status: z.enum(FACILITY_STATUSES).optional(), q: z.string().trim().max(50).optional() })
  .strict();
export type ListFacilitiesQuery = z.infer<typeof ListFacilitiesQuery>;

export const LayerQuery = z.object({ type: typeCode.optional() }).strict();
export const FacilityIdParams = z.object({ id: z.uuid() }).strict();
export const QrFileParams = z.object({ file: z.string().regex(/^[0-9a-f-]{36}\.(svg|png)$/) }).strict();
