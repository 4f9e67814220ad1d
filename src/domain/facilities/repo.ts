/** All SQL of the facilities module, on its own tables only. Lists are scoped in the query. */
import type { Queryable } from '../../shared/db';
import type { FacilityTypeDef, PopulationGroup, StandardMode } from './core/standards';

export interface TypeRow {
  code: string;
  name: string;
  name_en: string;
  capacity_unit: string;
  capacity_unit_en: string;
  standard_mode: StandardMode;
  radius_m: number | null;
  minutes: number | null;
  speed_kmh: number | null;
  detour_factor: number;
  population_group: PopulationGroup;
  per_km2_target: number | null;
  basis: string;
  sort_order: number;
}

export async function insertTypeIfAbsent(q: Queryable, districtCode: string, t: FacilityTypeDef, sortOrder: number): Promise<void> {
  await q.query(
    `INSERT INTO facility_types (district_code, code, name, name_en, capacity_unit, capacity_unit_en, standard_mode, radius_m, minutes,
       speed_kmh, detour_factor, population_group, per_km2_target, basis, sort_order)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (district_code, code) DO NOTHING`,
    [districtCode, t.code, t.name, t.nameEn, t.capacityUnit, t.capacityUnitEn, t.standard.mode, t.standard.radiusM ?? null, t.standard.minutes ?? null,
      t.standard.speedKmh ?? null, t.standard.detourFactor ?? 1.3, t.populationGroup, t.perKm2Target, t.basis, sortOrder],
  );
}

export function listTypes(q: Queryable, districtCode: string): Promise<TypeRow[]> {
  return q.query<TypeRow & Record<string, unknown>>(`SELECT * FROM facility_types WHERE district_code = $1 ORDER BY sort_order, code`, [districtCode]);
}

export async function findType(q: Queryable, districtCode: string, code: string): Promise<TypeRow | undefined> {
  const [r] = await q.query<TypeRow & Record<string, unknown>>(`SELECT * FROM facility_types WHERE district_code = $1 AND code = $2`, [districtCode, code]);
  return r;
}

// ---- facilities ------------------------------------------------------------------------------

export interface FacilityRow {
  id: string;
  type_code: string;
  name: string;
  lon: number;
  lat: number;
  address: string | null;
  area_path: string;
  grid_cell_code: string | null;
  community_code: string | null;
  subdistrict_code: string | null;
  grid_cell_name: string | null;
  community_name: string | null;
  subdistrict_name: string | null;
  capacity: number | null;
  opening_hours: string | null;
  owner_unit: string | null;
  status: string;
  external_id: string | null;
  source: string;
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface NewFacility {
  districtCode: string;
  typeCode: string;
  name: string;
  lon: number;
  lat: number;
  address: string | null;
  areaPath: string;
  gridCellCode: string | null;
  communityCode: string | null;
  subdistrictCode: string | null;
  capacity: number | null;
  openingHours: string | null;
  ownerUnit: string | null;
  status: string;
  externalId: string | null;
  source: string;
  isDemo: boolean;
  at: Date;
}

const SELECT = `SELECT f.*, g.name AS grid_cell_name, c.name AS community_name, s.name AS subdistrict_name
  FROM facilities f
  LEFT JOIN areas g ON g.district_code = f.district_code AND g.code = f.grid_cell_code
  LEFT JOIN areas c ON c.district_code = f.district_code AND c.code = f.community_code
  LEFT JOIN areas s ON s.district_code = f.district_code AND s.code = f.subdistrict_code`;

/** Inserts, or — when the external id is known for the type — updates in place. */
export async function upsertFacility(q: Queryable, f: NewFacility): Promise<{ id: string; inserted: boolean }> {
  const [r] = await q.query<{ id: string; inserted: boolean }>(
    `INSERT INTO facilities (district_code, type_code, name, lon, lat, address, area_path, grid_cell_code, community_code, subdistrict_code,
       capacity, opening_hours, owner_unit, status, external_id, source, is_demo, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18)
     ON CONFLICT (district_code, type_code, external_id) WHERE external_id IS NOT NULL DO UPDATE SET
       name = EXCLUDED.name, lon = EXCLUDED.lon, lat = EXCLUDED.lat, address = EXCLUDED.address, area_path = EXCLUDED.area_path,
       grid_cell_code = EXCLUDED.grid_cell_code, community_code = EXCLUDED.community_code, subdistrict_code = EXCLUDED.subdistrict_code,
       capacity = EXCLUDED.capacity, opening_hours = EXCLUDED.opening_hours, owner_unit = EXCLUDED.owner_unit, status = EXCLUDED.status,
       source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
     RETURNING id, (xmax = 0) AS inserted`,
    [f.districtCode, f.typeCode, f.name, f.lon, f.lat, f.address, f.areaPath, f.gridCellCode, f.communityCode, f.subdistrictCode,
      f.capacity, f.openingHours, f.ownerUnit, f.status, f.externalId, f.source, f.isDemo, f.at],
  );
  return r!;
}

/** Many new facilities in one statement (the demo seed); no external-id merging. */
export async function insertFacilities(q: Queryable, rows: readonly NewFacility[]): Promise<number> {
  for (let s = 0; s < rows.length; s += 1000) {
    const part = rows.slice(s, s + 1000);
    const col = <K extends keyof NewFacility>(k: K) => part.map((r) => r[k]);
    await q.query(
      `INSERT INTO facilities (district_code, type_code, name, lon, lat, address, area_path, grid_cell_code, community_code, subdistrict_code,
         capacity, opening_hours, owner_unit, status, external_id, source, is_demo, created_at, updated_at)
       SELECT u.district_code, u.type_code, u.name, u.lon, u.lat, u.address, u.area_path, u.grid_cell_code, u.community_code, u.subdistrict_code,
         u.capacity, u.opening_hours, u.owner_unit, u.status, u.external_id, u.source, u.is_demo, u.at, u.at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
         $11::int[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::boolean[], $18::timestamptz[])
         AS u(district_code, type_code, name, lon, lat, address, area_path, grid_cell_code, community_code, subdistrict_code,
              capacity, opening_hours, owner_unit, status, external_id, source, is_demo, at)`,
      [col('districtCode'), col('typeCode'), col('name'), col('lon'), col('lat'), col('address'), col('areaPath'), col('gridCellCode'), col('communityCode'),
        col('subdistrictCode'), col('capacity'), col('openingHours'), col('ownerUnit'), col('status'), col('externalId'), col('source'), col('isDemo'), col('at')],
    );
  }
  return rows.length;
}

export async function listFacilities(
  q: Queryable,
  districtCode: string,
  scope: string,
  o: { type?: string | undefined; status?: string | undefined; q?: string | undefined; limit: number; offset: number },
): Promise<{ rows: FacilityRow[]; total: number }> {
  const where = `f.district_code = $1 AND f.area_path LIKE $2 || '%' AND ($3::text IS NULL OR f.type_code = $3)
    AND ($4::text IS NULL OR f.status = $4) AND ($5::text IS NULL OR f.name LIKE '%' || $5 || '%' OR f.address LIKE '%' || $5 || '%')`;
  const params = [districtCode, scope, o.type ?? null, o.status ?? null, o.q ?? null];
  const rows = await q.query<FacilityRow & Record<string, unknown>>(`${SELECT} WHERE ${where} ORDER BY f.type_code, f.name, f.id LIMIT ${o.limit} OFFSET ${o.offset}`, params);
  const [c] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities f WHERE ${where}`, params);
  return { rows, total: c?.n ?? 0 };
}

export async function findFacility(q: Queryable, districtCode: string, id: string): Promise<FacilityRow | undefined> {
  const [r] = await q.query<FacilityRow & Record<string, unknown>>(`${SELECT} WHERE f.district_code = $1 AND f.id = $2`, [districtCode, id]);
  return r;
}

/**
 * The facilities that serve people, for coverage: active ones of the type, over the whole
 * district. Deliberately not limited to the actor's scope: people cross street borders to reach
 * a facility, and facility locations are public information (see docs/adr/0041).
 */
export function listServingFacilities(q: Queryable, districtCode: string, typeCode: string): Promise<FacilityRow[]> {
  return q.query<FacilityRow & Record<string, unknown>>(`${SELECT} WHERE f.district_code = $1 AND f.type_code = $2 AND f.status = 'active' ORDER BY f.name, f.lon, f.lat, f.id`, [districtCode, typeCode]);
}

export function countByType(q: Queryable, districtCode: string, scope: string): Promise<{ type_code: string; n: number; active: number }[]> {
  return q.query(
    `SELECT type_code, count(*)::int AS n, count(*) FILTER (WHERE status = 'active')::int AS active
       FROM facilities WHERE district_code = $1 AND area_path LIKE $2 || '%' GROUP BY type_code ORDER BY type_code`,
    [districtCode, scope],
  );
}

export async function countDemoFacilities(q: Queryable, districtCode: string): Promise<number> {
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM facilities WHERE district_code = $1 AND is_demo`, [districtCode]);
  return r?.n ?? 0;
}

// ---- population points ----------------------------------------------------------------------

export interface PopulationRow {
  id: number;
  source: string;
  kind: string;
  label: string | null;
  lon: number;
  lat: number;
  area_path: string;
  grid_cell_code: string | null;
  community_code: string | null;
  subdistrict_code: string | null;
  households: number;
  people: number;
  aged60: number;
  aged70: number;
  children: number;
  disabled: number;
  is_demo: boolean;
}

export interface NewPopulationPoint {
  source: string;
  kind: 'point' | 'grid_count';
  label: string | null;
  lon: number;
  lat: number;
  areaPath: string;
  gridCellCode: string | null;
  communityCode: string | null;
  subdistrictCode: string | null;
  households: number;
  people: number;
  aged60: number;
  aged70: number;
  children: number;
  disabled: number;
}

/** Many rows in one statement per 2,000 (unnest of arrays): the demo seed writes thousands. */
export async function insertPopulationPoints(q: Queryable, districtCode: string, rows: readonly NewPopulationPoint[], isDemo: boolean, at: Date): Promise<number> {
  for (let s = 0; s < rows.length; s += 2000) {
    const part = rows.slice(s, s + 2000);
    const col = <K extends keyof NewPopulationPoint>(k: K) => part.map((r) => r[k]);
    await q.query(
      `INSERT INTO population_points (district_code, source, kind, label, lon, lat, area_path, grid_cell_code, community_code, subdistrict_code,
         households, people, aged60, aged70, children, disabled, is_demo, created_at)
       SELECT $1, u.source, u.kind, u.label, u.lon, u.lat, u.area_path, u.grid_cell_code, u.community_code, u.subdistrict_code,
         u.households, u.people, u.aged60, u.aged70, u.children, u.disabled, $2, $3
       FROM unnest($4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[], $9::text[], $10::text[], $11::text[], $12::text[],
         $13::int[], $14::int[], $15::int[], $16::int[], $17::int[], $18::int[])
         AS u(source, kind, label, lon, lat, area_path, grid_cell_code, community_code, subdistrict_code, households, people, aged60, aged70, children, disabled)`,
      [districtCode, isDemo, at, col('source'), col('kind'), col('label'), col('lon'), col('lat'), col('areaPath'), col('gridCellCode'), col('communityCode'),
        col('subdistrictCode'), col('households'), col('people'), col('aged60'), col('aged70'), col('children'), col('disabled')],
    );
  }
  return rows.length;
}

export async function deletePopulationSource(q: Queryable, districtCode: string, source: string): Promise<number> {
  const rows = await q.query(`DELETE FROM population_points WHERE district_code = $1 AND source = $2 RETURNING id`, [districtCode, source]);
  return rows.length;
}

/**
 * The points in scope as one JSON document of parallel arrays: drivers (PGlite above all) are
 * slow at turning thousands of wide rows into objects, and coverage wants arrays anyway.
 */
export async function listPopulation(q: Queryable, districtCode: string, scope: string): Promise<PopulationRow[]> {
  const [r] = await q.query<{ doc: string | null }>(
    `SELECT json_build_object(
        'id', array_agg(id ORDER BY id), 'source', array_agg(source ORDER BY id), 'kind', array_agg(kind ORDER BY id),
        'label', array_agg(label ORDER BY id), 'lon', array_agg(lon ORDER BY id), 'lat', array_agg(lat ORDER BY id),
        'area_path', array_agg(area_path ORDER BY id), 'grid_cell_code', array_agg(grid_cell_code ORDER BY id),
        'community_code', array_agg(community_code ORDER BY id), 'subdistrict_code', array_agg(subdistrict_code ORDER BY id),
        'households', array_agg(households ORDER BY id), 'people', array_agg(people ORDER BY id), 'aged60', array_agg(aged60 ORDER BY id),
        'aged70', array_agg(aged70 ORDER BY id), 'children', array_agg(children ORDER BY id), 'disabled', array_agg(disabled ORDER BY id),
        'is_demo', array_agg(is_demo ORDER BY id))::text AS doc
       FROM population_points WHERE district_code = $1 AND area_path LIKE $2 || '%'`,
    [districtCode, scope],
  );
  if (!r?.doc) return [];
  const cols = JSON.parse(r.doc) as { [K in keyof PopulationRow]: PopulationRow[K][] | null };
  const n = cols.id?.length ?? 0;
  const out: PopulationRow[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = {
      id: cols.id![i]!, source: cols.source![i]!, kind: cols.kind![i]!, label: cols.label![i] ?? null, lon: cols.lon![i]!, lat: cols.lat![i]!,
      area_path: cols.area_path![i]!, grid_cell_code: cols.grid_cell_code![i] ?? null, community_code: cols.community_code![i] ?? null,
      subdistrict_code: cols.subdistrict_code![i] ?? null, households: cols.households![i]!, people: cols.people![i]!, aged60: cols.aged60![i]!,
      aged70: cols.aged70![i]!, children: cols.children![i]!, disabled: cols.disabled![i]!, is_demo: cols.is_demo![i]!,
    };
  }
  return out;
}

export function populationSummary(q: Queryable, districtCode: string, scope: string): Promise<{ source: string; is_demo: boolean; points: number; people: number; aged60: number; aged70: number; children: number; disabled: number }[]> {
  return q.query(
    `SELECT source, is_demo, count(*)::int AS points, sum(people)::int AS people, sum(aged60)::int AS aged60, sum(aged70)::int AS aged70,
            sum(children)::int AS children, sum(disabled)::int AS disabled
       FROM population_points WHERE district_code = $1 AND area_path LIKE $2 || '%' GROUP BY source, is_demo ORDER BY source`,
    [districtCode, scope],
  );
}

// ---- road networks --------------------------------------------------------------------------

export interface NetworkRow {
  id: string;
  name: string;
  lines: [number, number][][];
  line_count: number;
  length_m: number;
  source: string;
  is_demo: boolean;
  created_at: Date;
}

export async function upsertNetwork(
  q: Queryable,
  n: { districtCode: string; name: string; lines: [number, number][][]; lengthM: number; source: string; isDemo: boolean; at: Date },
): Promise<string> {
  const [r] = await q.query<{ id: string }>(
    `INSERT INTO road_networks (district_code, name, lines, line_count, length_m, source, is_demo, created_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8)
     ON CONFLICT (district_code, name) DO UPDATE SET lines = EXCLUDED.lines, line_count = EXCLUDED.line_count, length_m = EXCLUDED.length_m,
       source = EXCLUDED.source, created_at = EXCLUDED.created_at
     RETURNING id`,
    [n.districtCode, n.name, JSON.stringify(n.lines), n.lines.length, n.lengthM, n.source, n.isDemo, n.at],
  );
  return r!.id;
}

/** The most recently imported network (the one coverage uses). */
export async function latestNetwork(q: Queryable, districtCode: string): Promise<NetworkRow | undefined> {
  const [r] = await q.query<NetworkRow & Record<string, unknown>>(
    `SELECT * FROM road_networks WHERE district_code = $1 ORDER BY created_at DESC, name LIMIT 1`,
    [districtCode],
  );
  return r;
}

export function listNetworks(q: Queryable, districtCode: string): Promise<Omit<NetworkRow, 'lines'>[]> {
  return q.query(
    `SELECT id, name, line_count, length_m, source, is_demo, created_at FROM road_networks WHERE district_code = $1 ORDER BY created_at DESC, name`,
    [districtCode],
  );
}
