/** SQL of 主动治理 (proactive tasks). Lists are scoped by area path in the query. */
import type { Queryable } from '../../shared/db';

export interface TaskRow {
  id: string;
  district_code: string;
  area_path: string;
  grid_cell_code: string;
  grid_cell_name: string | null;
  source_key: string;
  label: string;
  description: string;
  keywords: string[];
  ticket_ids: string[];
  ticket_count: number;
  requesters: number;
  hot_index: number;
  first_at: Date;
  last_at: Date;
  status: string;
  note: string | null;
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
}

const SELECT = `SELECT p.*, g.name AS grid_cell_name FROM proactive_tasks p
  LEFT JOIN areas g ON g.district_code = p.district_code AND g.code = p.grid_cell_code`;

export async function upsertTask(
  q: Queryable,
  districtCode: string,
  t: {
    areaPath: string; gridCellCode: string; sourceKey: string; label: string; description: string; keywords: string[]; ticketIds: string[];
    requesters: number; hotIndex: number; firstAt: Date; lastAt: Date; now: Date; isDemo?: boolean;
  },
): Promise<{ id: string; inserted: boolean }> {
  const existing = await q.query<{ id: string }>(
    `SELECT id FROM proactive_tasks WHERE district_code = $1 AND source_key = $2 AND status IN ('open', 'in_progress') FOR UPDATE`,
    [districtCode, t.sourceKey],
  );
  if (existing[0]) {
    await q.query(
      `UPDATE proactive_tasks SET label = $2, description = $3, keywords = $4, ticket_ids = $5, ticket_count = $6, requesters = $7, hot_index = $8,
         first_at = LEAST(first_at, $9), last_at = GREATEST(last_at, $10), updated_at = $11 WHERE id = $1`,
      [existing[0].id, t.label, t.description, t.keywords, t.ticketIds, t.ticketIds.length, t.requesters, t.hotIndex, t.firstAt, t.lastAt, t.now],
    );
    return { id: existing[0].id, inserted: false };
  }
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO proactive_tasks (district_code, area_path, grid_cell_code, source_key, label, description, keywords, ticket_ids, ticket_count, requesters,
       hot_index, first_at, last_at, is_demo, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id`,
    [districtCode, t.areaPath, t.gridCellCode, t.sourceKey, t.label, t.description, t.keywords, t.ticketIds, t.ticketIds.length, t.requesters, t.hotIndex, t.firstAt, t.lastAt, t.isDemo ?? false, t.now],
  );
  return { id: row!.id, inserted: true };
}

export async function listTasks(q: Queryable, districtCode: string, scope: string, status: string | null): Promise<TaskRow[]> {
  return q.query<TaskRow & Record<string, unknown>>(
    `${SELECT} WHERE p.district_code = $1 AND p.area_path LIKE $2 || '%' AND ($3::text IS NULL OR p.status = $3)
      ORDER BY (p.status IN ('open', 'in_progress')) DESC, p.hot_index DESC, p.last_at DESC LIMIT 500`,
    [districtCode, scope, status],
  );
}

export async function lockTask(q: Queryable, districtCode: string, id: string): Promise<TaskRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const rows = await q.query<TaskRow & Record<string, unknown>>(`${SELECT} WHERE p.district_code = $1 AND p.id = $2 FOR UPDATE OF p`, [districtCode, id]);
  return rows[0];
}

export async function setTaskStatus(q: Queryable, id: string, status: string, note: string | null, now: Date, by: string | null): Promise<void> {
  await q.query(`UPDATE proactive_tasks SET status = $2, note = $3, updated_at = $4, updated_by = $5 WHERE id = $1`, [id, status, note, now, by]);
}
