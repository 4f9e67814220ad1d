/** All SQL of the areas module. Every list is limited to a scope path in the query itself. */
import type { Queryable } from '../../shared/db';
import type { AreaLevel } from './contract';
import type { AreaGeometry } from './core/geometry';

export interface AreaRow {
  district_code: string;
  code: string;
  level: AreaLevel;
  name: string;
  parent_code: string | null;
  path: string;
  statistical_code: string | null;
  is_demo: boolean;
  has_geometry: boolean;
  child_count: number;
}

const AREA_COLUMNS = `a.district_code, a.code, a.level, a.name, a.parent_code, a.path, a.statistical_code, a.is_demo,
  (a.geometry IS NOT NULL) AS has_geometry,
  (SELECT count(*)::int FROM areas c WHERE c.district_code = a.district_code AND c.parent_code = a.code) AS child_count`;

export async function upsertArea(
  q: Queryable,
  a: {
    districtCode: string;
    code: string;
    level: AreaLevel;
    name: string;
    parentCode: string | null;
    path: string;
    statisticalCode: string | null;
    isDemo: boolean;
  },
): Promise<'inserted' | 'updated'> {
  const rows = await q.query<{ inserted: boolean }>(
    `INSERT INTO areas (district_code, code, level, name, parent_code, path, statistical_code, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (district_code, code) DO UPDATE
       SET name = EXCLUDED.name, statistical_code = EXCLUDED.statistical_code, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [a.districtCode, a.code, a.level, a.name, a.parentCode, a.path, a.statisticalCode, a.isDemo],
  );
  return rows[0]?.inserted ? 'inserted' : 'updated';
}

export async function findArea(q: Queryable, districtCode: string, code: string): Promise<AreaRow | undefined> {
  const rows = await q.query<AreaRow & Record<string, unknown>>(
    `SELECT ${AREA_COLUMNS} FROM areas a WHERE a.district_code = $1 AND a.code = $2`,
    [districtCode, code],
  );
  return rows[0];
}

/** Children of a parent that the scope can see: rows inside the scope, or ancestors of it. */
export async function listChildren(q: Queryable, districtCode: string, parentCode: string, scope: string): Promise<AreaRow[]> {
  return q.query<AreaRow & Record<string, unknown>>(
    `SELECT ${AREA_COLUMNS} FROM areas a
      WHERE a.district_code = $1 AND a.parent_code = $2
        AND (a.path LIKE $3 || '%' OR $3 LIKE a.path || '%')
      ORDER BY a.code`,
    [districtCode, parentCode, scope],
  );
}

export interface AreaShapeRow {
  code: string;
  name: string;
  level: AreaLevel;
  parent_code: string | null;
  path: string;
  is_demo: boolean;
  geometry: AreaGeometry | null;
}

export async function listAreaShapes(
  q: Queryable,
  districtCode: string,
  scope: string,
  level?: AreaLevel,
): Promise<AreaShapeRow[]> {
  return q.query<AreaShapeRow & Record<string, unknown>>(
    `SELECT code, name, level, parent_code, path, is_demo, geometry FROM areas
      WHERE district_code = $1 AND path LIKE $2 || '%' AND ($3::text IS NULL OR level = $3)
      ORDER BY code`,
    [districtCode, scope, level ?? null],
  );
}

export async function setGeometry(
  q: Queryable,
  districtCode: string,
  code: string,
  geometry: AreaGeometry,
  bbox: readonly number[],
  source: string,
): Promise<void> {
  await q.query(
    `UPDATE areas SET geometry = $3, bbox = $4, geometry_source = $5, updated_at = now()
      WHERE district_code = $1 AND code = $2`,
    [districtCode, code, JSON.stringify(geometry), bbox, source],
  );
}

export async function subdistrictStats(q: Queryable, districtCode: string, scope: string) {
  return q.query<{ code: string; name: string; communities: number; grid_cells: number }>(
    `SELECT s.code, s.name,
            count(*) FILTER (WHERE d.level = 'community')::int AS communities,
            count(*) FILTER (WHERE d.level = 'grid_cell')::int AS grid_cells
       FROM areas s LEFT JOIN areas d ON d.district_code = s.district_code AND d.path LIKE s.path || '_%'
      WHERE s.district_code = $1 AND s.level = 'subdistrict' AND (s.path LIKE $2 || '%' OR $2 LIKE s.path || '%')
      GROUP BY s.code, s.name ORDER BY s.code`,
    [districtCode, scope],
  );
}

export async function countAreas(q: Queryable, districtCode: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM areas WHERE district_code = $1`, [districtCode]);
  return row?.n ?? 0;
}

// ---- grid staff ----------------------------------------------------------------------------

export interface StaffRow {
  id: string;
  area_code: string;
  area_path: string;
  staff_kind: string;
  staff_kind_name: string;
  name: string;
  phone: string | null;
  user_id: string | null;
  is_demo: boolean;
}

export async function listStaff(q: Queryable, districtCode: string, areaCode: string, scope: string): Promise<StaffRow[]> {
  return q.query<StaffRow & Record<string, unknown>>(
    `SELECT g.id, g.area_code, g.area_path, g.staff_kind, k.name AS staff_kind_name, g.name, g.phone, g.user_id, g.is_demo
       FROM grid_staff g JOIN staff_kinds k ON k.district_code = g.district_code AND k.code = g.staff_kind
      WHERE g.district_code = $1 AND g.area_code = $2 AND g.area_path LIKE $3 || '%'
      ORDER BY k.sort_order, g.created_at`,
    [districtCode, areaCode, scope],
  );
}

export async function insertStaff(
  q: Queryable,
  s: { districtCode: string; areaCode: string; areaPath: string; staffKind: string; name: string; phone: string | null; userId: string | null; isDemo: boolean },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO grid_staff (district_code, area_code, area_path, staff_kind, name, phone, user_id, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [s.districtCode, s.areaCode, s.areaPath, s.staffKind, s.name, s.phone, s.userId, s.isDemo],
  );
  return row!.id;
}

export async function deleteStaff(q: Queryable, districtCode: string, areaCode: string, id: string, scope: string): Promise<boolean> {
  const rows = await q.query(
    `DELETE FROM grid_staff WHERE district_code = $1 AND area_code = $2 AND id = $3 AND area_path LIKE $4 || '%' RETURNING id`,
    [districtCode, areaCode, id, scope],
  );
  return rows.length > 0;
}

export async function listStaffKinds(q: Queryable, districtCode: string) {
  return q.query<{ code: string; name: string; name_en: string }>(
    `SELECT code, name, name_en FROM staff_kinds WHERE district_code = $1 ORDER BY sort_order, code`,
    [districtCode],
  );
}

/** Adds a staff kind unless the district has it already (locally edited names stay). */
export async function insertStaffKindIfAbsent(
  q: Queryable,
  k: { districtCode: string; code: string; name: string; nameEn: string; sortOrder: number },
): Promise<void> {
  await q.query(
    `INSERT INTO staff_kinds (district_code, code, name, name_en, sort_order) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (district_code, code) DO NOTHING`,
    [k.districtCode, k.code, k.name, k.nameEn, k.sortOrder],
  );
}
