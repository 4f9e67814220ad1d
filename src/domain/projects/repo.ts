/**
 * All SQL of the projects module (民生实事), on its own tables only. Item lists are scoped in
 * the query: an actor sees an item whose area lies inside their scope, or whose area contains
 * their scope (a district-wide commitment concerns every street) — see ADR 0030.
 * Dates come back as 'YYYY-MM-DD' text on both engines.
 */
import type { Queryable } from '../../shared/db';

export interface ProgrammeRow {
  id: string;
  district_code: string;
  year: number;
  title: string;
  summary: string;
  is_demo: boolean;
}

export interface CategoryRow {
  id: string;
  programme_id: string;
  code: string;
  name: string;
  sort_order: number;
}

export interface ItemRow {
  id: string;
  district_code: string;
  programme_id: string;
  category_id: string;
  parent_id: string | null;
  code: string;
  title: string;
  description: string;
  owner_department: string;
  owner_department_name: string | null;
  co_units: string[];
  area_codes: string[];
  area_path: string;
  locations: unknown;
  budget_fen: number;
  planned_start: string;
  planned_end: string;
  progress_rule: string;
  weight: number;
  closed_on: string | null;
  closed_reason: string | null;
  is_demo: boolean;
  updated_at: Date;
}

export interface TargetRow {
  id: string;
  item_id: string;
  metric: string;
  unit: string;
  kind: string;
  baseline: number;
  target: number;
  weight: number;
  sort_order: number;
}

export interface MilestoneRow {
  id: string;
  item_id: string;
  title: string;
  planned_on: string;
  sort_order: number;
}

export interface ReportRow {
  id: string;
  item_id: string;
  as_of: string;
  stage: string | null;
  narrative: string;
  target_values: { targetId: string; value: number }[];
  milestones: { milestoneId: string; achievedOn: string }[];
  corrects_id: string | null;
  reporter_id: string | null;
  reporter_name: string | null;
  reporter_role: string | null;
  reporter_unit: string | null;
  created_at: Date;
  returned_at: Date | null;
  return_reason: string | null;
  returned_by_name: string | null;
}

export interface FileMetaRow {
  id: string;
  report_id: string;
  item_id: string;
  file_name: string;
  mime_type: string;
  size_bytes: number;
  created_at: Date;
}

const SCOPED = (alias: string, scopeParam: string) =>
  `(${alias}.area_path LIKE ${scopeParam} || '%' OR ${scopeParam} LIKE ${alias}.area_path || '%')`;

// ---- programmes and categories ----------------------------------------------------------------

export async function insertProgramme(
  q: Queryable,
  p: { districtCode: string; year: number; title: string; summary: string; isDemo: boolean; at: Date },
): Promise<ProgrammeRow> {
  const [row] = await q.query<ProgrammeRow & Record<string, unknown>>(
    `INSERT INTO project_programmes (district_code, year, title, summary, is_demo, created_at) VALUES ($1,$2,$3,$4,$5,$6)
     RETURNING id, district_code, year, title, summary, is_demo`,
    [p.districtCode, p.year, p.title, p.summary, p.isDemo, p.at],
  );
  return row!;
}

export async function findProgramme(q: Queryable, districtCode: string, year: number): Promise<ProgrammeRow | undefined> {
  const rows = await q.query<ProgrammeRow & Record<string, unknown>>(
    `SELECT id, district_code, year, title, summary, is_demo FROM project_programmes WHERE district_code = $1 AND year = $2`,
    [districtCode, year],
  );
  return rows[0];
}

export async function listProgrammes(q: Queryable, districtCode: string): Promise<ProgrammeRow[]> {
  return q.query<ProgrammeRow & Record<string, unknown>>(
    `SELECT id, district_code, year, title, summary, is_demo FROM project_programmes WHERE district_code = $1 ORDER BY year DESC`,
    [districtCode],
  );
}

export async function insertCategory(
  q: Queryable,
  c: { districtCode: string; programmeId: string; code: string; name: string; sortOrder: number },
): Promise<CategoryRow> {
  const [row] = await q.query<CategoryRow & Record<string, unknown>>(
    `INSERT INTO project_categories (district_code, programme_id, code, name, sort_order) VALUES ($1,$2,$3,$4,$5)
     RETURNING id, programme_id, code, name, sort_order`,
    [c.districtCode, c.programmeId, c.code, c.name, c.sortOrder],
  );
  return row!;
}

export async function listCategories(q: Queryable, programmeId: string): Promise<CategoryRow[]> {
  return q.query<CategoryRow & Record<string, unknown>>(
    `SELECT id, programme_id, code, name, sort_order FROM project_categories WHERE programme_id = $1 ORDER BY sort_order, code`,
    [programmeId],
  );
}

// ---- items ------------------------------------------------------------------------------------

const ITEM_SELECT = `SELECT i.id, i.district_code, i.programme_id, i.category_id, i.parent_id, i.code, i.title, i.description,
    i.owner_department, d.name AS owner_department_name, i.co_units, i.area_codes, i.area_path, i.locations, i.budget_fen,
    i.planned_start::text AS planned_start, i.planned_end::text AS planned_end, i.progress_rule, i.weight,
    i.closed_on::text AS closed_on, i.closed_reason, i.is_demo, i.updated_at
  FROM project_items i
  LEFT JOIN departments d ON d.district_code = i.district_code AND d.code = i.owner_department`;

export interface ItemWrite {
  districtCode: string;
  programmeId: string;
  categoryId: string;
  parentId: string | null;
  code: string;
  title: string;
  description: string;
  ownerDepartment: string;
  coUnits: string[];
  areaCodes: string[];
  areaPath: string;
  locations: unknown;
  budgetFen: number;
  plannedStart: string;
  plannedEnd: string;
  progressRule: string;
  weight: number;
  isDemo: boolean;
  at: Date;
}

export async function insertItem(q: Queryable, i: ItemWrite): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO project_items (district_code, programme_id, category_id, parent_id, code, title, description, owner_department, co_units,
       area_codes, area_path, locations, budget_fen, planned_start, planned_end, progress_rule, weight, is_demo, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$19) RETURNING id`,
    [i.districtCode, i.programmeId, i.categoryId, i.parentId, i.code, i.title, i.description, i.ownerDepartment, i.coUnits, i.areaCodes,
      i.areaPath, i.locations === null ? null : JSON.stringify(i.locations), i.budgetFen, i.plannedStart, i.plannedEnd, i.progressRule,
      i.weight, i.isDemo, i.at],
  );
  return row!.id;
}

export async function updateItem(q: Queryable, id: string, i: Omit<ItemWrite, 'districtCode' | 'programmeId' | 'isDemo' | 'code'>): Promise<void> {
  await q.query(
    `UPDATE project_items SET category_id = $2, parent_id = $3, title = $4, description = $5, owner_department = $6, co_units = $7,
       area_codes = $8, area_path = $9, locations = $10, budget_fen = $11, planned_start = $12, planned_end = $13, progress_rule = $14,
       weight = $15, updated_at = $16
     WHERE id = $1`,
    [id, i.categoryId, i.parentId, i.title, i.description, i.ownerDepartment, i.coUnits, i.areaCodes, i.areaPath,
      i.locations === null ? null : JSON.stringify(i.locations), i.budgetFen, i.plannedStart, i.plannedEnd, i.progressRule, i.weight, i.at],
  );
}

export async function closeItem(q: Queryable, id: string, on: string, reason: string, at: Date): Promise<void> {
  await q.query(`UPDATE project_items SET closed_on = $2, closed_reason = $3, updated_at = $4 WHERE id = $1`, [id, on, reason, at]);
}

export async function findItem(q: Queryable, districtCode: string, id: string): Promise<ItemRow | undefined> {
  const rows = await q.query<ItemRow & Record<string, unknown>>(`${ITEM_SELECT} WHERE i.district_code = $1 AND i.id = $2`, [districtCode, id]);
  return rows[0];
}

export async function findItemByCode(q: Queryable, programmeId: string, code: string): Promise<ItemRow | undefined> {
  const rows = await q.query<ItemRow & Record<string, unknown>>(`${ITEM_SELECT} WHERE i.programme_id = $1 AND i.code = $2`, [programmeId, code]);
  return rows[0];
}

/** Locks an item for the rest of the transaction: reports, returns and edits on it are serialized. */
export async function lockItem(q: Queryable, districtCode: string, id: string): Promise<boolean> {
  const rows = await q.query(`SELECT 1 FROM project_items WHERE district_code = $1 AND id = $2 FOR UPDATE`, [districtCode, id]);
  return rows.length > 0;
}

/** The items of a programme an actor may see; `scope` null = the public (every item). */
export async function listItems(q: Queryable, f: { districtCode: string; programmeId: string; scope: string | null }): Promise<ItemRow[]> {
  return q.query<ItemRow & Record<string, unknown>>(
    `${ITEM_SELECT} WHERE i.district_code = $1 AND i.programme_id = $2 AND ($3::text IS NULL OR ${SCOPED('i', '$3')})
     ORDER BY string_to_array(i.code, '.')::int[]`,
    [f.districtCode, f.programmeId, f.scope],
  );
}

// ---- targets and milestones ---------------------------------------------------------------------

export async function insertTarget(
  q: Queryable,
  t: { districtCode: string; itemId: string; metric: string; unit: string; kind: string; baseline: number; target: number; weight: number; sortOrder: number },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO project_targets (district_code, item_id, metric, unit, kind, baseline, target, weight, sort_order)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [t.districtCode, t.itemId, t.metric, t.unit, t.kind, t.baseline, t.target, t.weight, t.sortOrder],
  );
  return row!.id;
}

export async function updateTarget(
  q: Queryable,
  id: string,
  t: { metric: string; unit: string; kind: string; baseline: number; target: number; weight: number; sortOrder: number },
): Promise<void> {
  await q.query(
    `UPDATE project_targets SET metric = $2, unit = $3, kind = $4, baseline = $5, target = $6, weight = $7, sort_order = $8 WHERE id = $1`,
    [id, t.metric, t.unit, t.kind, t.baseline, t.target, t.weight, t.sortOrder],
  );
}

export async function listTargets(q: Queryable, itemIds: readonly string[]): Promise<TargetRow[]> {
  if (itemIds.length === 0) return [];
  return q.query<TargetRow & Record<string, unknown>>(
    `SELECT id, item_id, metric, unit, kind, baseline, target, weight, sort_order FROM project_targets
     WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, sort_order, metric`,
    [itemIds],
  );
}

export async function insertMilestone(
  q: Queryable,
  m: { districtCode: string; itemId: string; title: string; plannedOn: string; sortOrder: number },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO project_milestones (district_code, item_id, title, planned_on, sort_order) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
    [m.districtCode, m.itemId, m.title, m.plannedOn, m.sortOrder],
  );
  return row!.id;
}

export async function updateMilestone(q: Queryable, id: string, m: { title: string; plannedOn: string; sortOrder: number }): Promise<void> {
  await q.query(`UPDATE project_milestones SET title = $2, planned_on = $3, sort_order = $4 WHERE id = $1`, [id, m.title, m.plannedOn, m.sortOrder]);
}

export async function listMilestones(q: Queryable, itemIds: readonly string[]): Promise<MilestoneRow[]> {
  if (itemIds.length === 0) return [];
  return q.query<MilestoneRow & Record<string, unknown>>(
    `SELECT id, item_id, title, planned_on::text AS planned_on, sort_order FROM project_milestones
     WHERE item_id = ANY($1::uuid[]) ORDER BY item_id, planned_on, sort_order`,
    [itemIds],
  );
}

// ---- reports, returns, files ----------------------------------------------------------------------

export async function insertReport(
  q: Queryable,
  r: {
    districtCode: string; itemId: string; asOf: string; stage: string | null; narrative: string;
    values: { targetId: string; value: number }[]; milestones: { milestoneId: string; achievedOn: string }[];
    correctsId: string | null; reporterId: string | null; reporterRole: string | null; reporterUnit: string | null; at: Date;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO project_reports (district_code, item_id, as_of, stage, narrative, target_values, milestones, corrects_id, reporter_id,
       reporter_role, reporter_unit, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
    [r.districtCode, r.itemId, r.asOf, r.stage, r.narrative, JSON.stringify(r.values), JSON.stringify(r.milestones), r.correctsId,
      r.reporterId, r.reporterRole, r.reporterUnit, r.at],
  );
  return row!.id;
}

export async function listReports(q: Queryable, itemIds: readonly string[]): Promise<ReportRow[]> {
  if (itemIds.length === 0) return [];
  return q.query<ReportRow & Record<string, unknown>>(
    `SELECT r.id, r.item_id, r.as_of::text AS as_of, r.stage, r.narrative, r.target_values, r.milestones, r.corrects_id, r.reporter_id,
       u.display_name AS reporter_name, r.reporter_role, r.reporter_unit, r.created_at,
       x.returned_at, x.reason AS return_reason, ux.display_name AS returned_by_name
     FROM project_reports r
     LEFT JOIN users u ON u.id = r.reporter_id
     LEFT JOIN project_report_returns x ON x.report_id = r.id
     LEFT JOIN users ux ON ux.id = x.returned_by
     WHERE r.item_id = ANY($1::uuid[]) ORDER BY r.as_of, r.created_at`,
    [itemIds],
  );
}

export async function findReport(q: Queryable, districtCode: string, id: string): Promise<(ReportRow & { district_code: string }) | undefined> {
  const rows = await q.query<ReportRow & { district_code: string } & Record<string, unknown>>(
    `SELECT r.id, r.district_code, r.item_id, r.as_of::text AS as_of, r.stage, r.narrative, r.target_values, r.milestones, r.corrects_id,
       r.reporter_id, NULL::text AS reporter_name, r.reporter_role, r.reporter_unit, r.created_at, x.returned_at, x.reason AS return_reason,
       NULL::text AS returned_by_name
     FROM project_reports r LEFT JOIN project_report_returns x ON x.report_id = r.id
     WHERE r.district_code = $1 AND r.id = $2`,
    [districtCode, id],
  );
  return rows[0];
}

export async function insertReturn(q: Queryable, r: { districtCode: string; reportId: string; reason: string; by: string | null; at: Date }): Promise<void> {
  await q.query(`INSERT INTO project_report_returns (report_id, district_code, reason, returned_by, returned_at) VALUES ($1,$2,$3,$4,$5)`, [
    r.reportId, r.districtCode, r.reason, r.by, r.at,
  ]);
}

export async function insertFile(
  q: Queryable,
  f: { districtCode: string; reportId: string; itemId: string; fileName: string; mimeType: string; content: Uint8Array; sha256: string; at: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO project_report_files (district_code, report_id, item_id, file_name, mime_type, size_bytes, sha256, content, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [f.districtCode, f.reportId, f.itemId, f.fileName, f.mimeType, f.content.byteLength, f.sha256, f.content, f.at],
  );
  return row!.id;
}

/** File metadata of items; `onlyCounting` leaves out files of returned reports (the public page). */
export async function listFiles(q: Queryable, itemIds: readonly string[], onlyCounting: boolean): Promise<FileMetaRow[]> {
  if (itemIds.length === 0) return [];
  return q.query<FileMetaRow & Record<string, unknown>>(
    `SELECT f.id, f.report_id, f.item_id, f.file_name, f.mime_type, f.size_bytes, f.created_at FROM project_report_files f
     WHERE f.item_id = ANY($1::uuid[]) AND (NOT $2::boolean OR NOT EXISTS (SELECT 1 FROM project_report_returns x WHERE x.report_id = f.report_id))
     ORDER BY f.created_at`,
    [itemIds, onlyCounting],
  );
}

export async function getFile(
  q: Queryable,
  districtCode: string,
  id: string,
): Promise<(FileMetaRow & { content: Uint8Array; returned: boolean }) | undefined> {
  const rows = await q.query<FileMetaRow & { content: Uint8Array; returned: boolean } & Record<string, unknown>>(
    `SELECT f.id, f.report_id, f.item_id, f.file_name, f.mime_type, f.size_bytes, f.created_at, f.content,
       EXISTS (SELECT 1 FROM project_report_returns x WHERE x.report_id = f.report_id) AS returned
     FROM project_report_files f WHERE f.district_code = $1 AND f.id = $2`,
    [districtCode, id],
  );
  return rows[0];
}

// ---- history and ratings --------------------------------------------------------------------------

export interface EventRow {
  id: number;
  kind: string;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  data: Record<string, unknown>;
}

export async function appendEvent(
  q: Queryable,
  e: { districtCode: string; itemId: string; kind: string; at: Date; actorId: string | null; actorRole: string | null; data: unknown },
): Promise<void> {
  await q.query(
    `INSERT INTO project_events (district_code, item_id, kind, at, actor_id, actor_role, data) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [e.districtCode, e.itemId, e.kind, e.at, e.actorId, e.actorRole, JSON.stringify(e.data ?? {})],
  );
}

export async function listEvents(q: Queryable, itemId: string): Promise<EventRow[]> {
  return q.query<EventRow & Record<string, unknown>>(
    `SELECT e.id, e.kind, e.at, e.actor_id, u.display_name AS actor_name, e.actor_role, e.data
     FROM project_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.item_id = $1 ORDER BY e.id`,
    [itemId],
  );
}

export async function insertRating(
  q: Queryable,
  r: { districtCode: string; itemId: string; voterHash: string; score: number; comment: string | null; at: Date },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO project_ratings (district_code, item_id, voter_hash, score, comment, created_at) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (item_id, voter_hash) DO NOTHING RETURNING id`,
    [r.districtCode, r.itemId, r.voterHash, r.score, r.comment, r.at],
  );
  return rows.length > 0;
}

export async function ratingStats(q: Queryable, itemIds: readonly string[]): Promise<{ item_id: string; count: number; average: number }[]> {
  if (itemIds.length === 0) return [];
  return q.query<{ item_id: string; count: number; average: number }>(
    `SELECT item_id, count(*)::int AS count, round(avg(score)::numeric, 2) AS average FROM project_ratings
     WHERE item_id = ANY($1::uuid[]) GROUP BY item_id`,
    [itemIds],
  );
}

// ---- for other modules (micro projects link to an item) ----------------------------------------------

export async function findItemLink(
  q: Queryable,
  districtCode: string,
  id: string,
): Promise<{ id: string; code: string; title: string; year: number; area_path: string; owner_department: string; budget_fen: number } | undefined> {
  const rows = await q.query<{ id: string; code: string; title: string; year: number; area_path: string; owner_department: string; budget_fen: number }>(
    `SELECT i.id, i.code, i.title, p.year, i.area_path, i.owner_department, i.budget_fen
     FROM project_items i JOIN project_programmes p ON p.id = i.programme_id WHERE i.district_code = $1 AND i.id = $2`,
    [districtCode, id],
  );
  return rows[0];
}
