/** SQL of the knowledge base (知识库). Entries are district-wide: every query filters by district. */
import type { Queryable } from '../../shared/db';

export interface EntryRow {
  id: string;
  current_version: number;
  retired: boolean;
  is_demo: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
  question: string;
  answer: string;
  policy_basis: string;
  owner_unit: string;
  category_code: string | null;
  keywords: string[];
  valid_until: string | null;
  flagged_at: Date | null;
}

const SELECT = `SELECT e.id, e.current_version, e.retired, e.is_demo, e.created_at, e.updated_at, v.version, v.question, v.answer, v.policy_basis,
    v.owner_unit, v.category_code, v.keywords, to_char(v.valid_until, 'YYYY-MM-DD') AS valid_until, f.flagged_at
  FROM knowledge_entries e
  JOIN knowledge_entry_versions v ON v.entry_id = e.id AND v.version = e.current_version
  LEFT JOIN knowledge_expiry_flags f ON f.entry_id = e.id AND f.version = e.current_version AND f.resolved_at IS NULL`;

export interface VersionInput {
  question: string;
  answer: string;
  policyBasis: string;
  ownerUnit: string;
  categoryCode: string | null;
  keywords: string[];
  validUntil: string | null;
}

export async function insertEntry(q: Queryable, districtCode: string, v: VersionInput, by: string | null, now: Date, isDemo = false): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO knowledge_entries (district_code, current_version, is_demo, created_by, created_at, updated_at) VALUES ($1, 1, $2, $3, $4, $4) RETURNING id`,
    [districtCode, isDemo, by, now],
  );
  await insertVersion(q, districtCode, row!.id, 1, v, by, now);
  return row!.id;
}

export async function insertVersion(q: Queryable, districtCode: string, id: string, version: number, v: VersionInput, by: string | null, now: Date): Promise<void> {
  await q.query(
    `INSERT INTO knowledge_entry_versions (entry_id, district_code, version, question, answer, policy_basis, owner_unit, category_code, keywords, valid_until, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::date, $11, $12)`,
    [id, districtCode, version, v.question, v.answer, v.policyBasis, v.ownerUnit, v.categoryCode, v.keywords, v.validUntil, by, now],
  );
}

export async function lockEntry(q: Queryable, districtCode: string, id: string): Promise<{ current_version: number; retired: boolean } | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const rows = await q.query<{ current_version: number; retired: boolean }>(
    `SELECT current_version, retired FROM knowledge_entries WHERE district_code = $1 AND id = $2 FOR UPDATE`,
    [districtCode, id],
  );
  return rows[0];
}

export async function setCurrentVersion(q: Queryable, id: string, version: number, now: Date): Promise<void> {
  await q.query(`UPDATE knowledge_entries SET current_version = $2, updated_at = $3 WHERE id = $1`, [id, version, now]);
  await q.query(`UPDATE knowledge_expiry_flags SET resolved_at = $2 WHERE entry_id = $1 AND resolved_at IS NULL`, [id, now]);
}

export async function retire(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE knowledge_entries SET retired = true, updated_at = $2 WHERE id = $1`, [id, now]);
  await q.query(`UPDATE knowledge_expiry_flags SET resolved_at = $2 WHERE entry_id = $1 AND resolved_at IS NULL`, [id, now]);
}

export async function findEntry(q: Queryable, districtCode: string, id: string): Promise<EntryRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const rows = await q.query<EntryRow & Record<string, unknown>>(`${SELECT} WHERE e.district_code = $1 AND e.id = $2`, [districtCode, id]);
  return rows[0];
}

export async function listEntries(q: Queryable, districtCode: string, opts: { includeRetired: boolean; ownerUnits?: readonly string[] | null }): Promise<EntryRow[]> {
  return q.query<EntryRow & Record<string, unknown>>(
    `${SELECT} WHERE e.district_code = $1 AND ($2 OR NOT e.retired) AND ($3::text[] IS NULL OR v.owner_unit = ANY($3::text[]))
      ORDER BY e.updated_at DESC, e.id LIMIT 5000`,
    [districtCode, opts.includeRetired, opts.ownerUnits ?? null],
  );
}

export async function listVersions(q: Queryable, districtCode: string, id: string) {
  return q.query<{ version: number; question: string; answer: string; policy_basis: string; owner_unit: string; valid_until: string | null; created_at: Date; created_by: string | null }>(
    `SELECT version, question, answer, policy_basis, owner_unit, to_char(valid_until, 'YYYY-MM-DD') AS valid_until, created_at, created_by
       FROM knowledge_entry_versions WHERE district_code = $1 AND entry_id = $2 ORDER BY version DESC`,
    [districtCode, id],
  );
}

/** Flags every current, unretired version that ended before `today` and is not flagged yet. */
export async function flagExpired(q: Queryable, districtCode: string, today: string, now: Date): Promise<Array<{ entry_id: string; owner_unit: string }>> {
  return q.query<{ entry_id: string; owner_unit: string }>(
    `INSERT INTO knowledge_expiry_flags (entry_id, district_code, version, owner_unit, flagged_at)
     SELECT e.id, e.district_code, v.version, v.owner_unit, $3
       FROM knowledge_entries e JOIN knowledge_entry_versions v ON v.entry_id = e.id AND v.version = e.current_version
      WHERE e.district_code = $1 AND NOT e.retired AND v.valid_until IS NOT NULL AND v.valid_until < $2::date
     ON CONFLICT (entry_id, version) DO NOTHING
     RETURNING entry_id, owner_unit`,
    [districtCode, today, now],
  );
}

/** A cheap stamp of the knowledge base's state: the search index is rebuilt when it changes. */
export async function stamp(q: Queryable, districtCode: string): Promise<string> {
  const [row] = await q.query<{ n: number; at: Date | null }>(`SELECT count(*)::int AS n, max(updated_at) AS at FROM knowledge_entries WHERE district_code = $1`, [districtCode]);
  return `${row?.n ?? 0}:${row?.at ? new Date(row.at).toISOString() : ''}`;
}

export async function countDemo(q: Queryable, districtCode: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM knowledge_entries WHERE district_code = $1 AND is_demo`, [districtCode]);
  return row?.n ?? 0;
}
