/**
 * All of the benefits module's SQL. Lists are scoped by area path in the query
 * (`area_path LIKE $scope || '%'`). The registry is read only through the residents module's
 * facts query text (its published contract), never its tables.
 */
import type { Db, Queryable } from '../../shared/db';
import type { Policy } from './core/rules';
import type { Explanation } from './core/explain';
import type { Removal } from './core/cycles';

// ---- policies --------------------------------------------------------------------------------

export interface PolicyRow {
  code: string;
  version: number;
  rule: Policy;
  is_demo: boolean;
  created_at: string;
  created_by: string | null;
}

export async function insertPolicy(q: Queryable, districtCode: string, p: Policy, by: string | null, at: Date, isDemo: boolean): Promise<void> {
  await q.query(
    `INSERT INTO benefit_policies (district_code, code, version, name_zh, name_en, rule, is_demo, created_at, created_by)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9)`,
    [districtCode, p.code, p.version, p.name.zh, p.name.en, JSON.stringify(p), isDemo, at, by],
  );
}

/** The highest version of every policy (or of one). */
export async function latestPolicies(q: Queryable, districtCode: string, code?: string): Promise<PolicyRow[]> {
  return q.query<PolicyRow & Record<string, unknown>>(
    `SELECT DISTINCT ON (code) code, version, rule, is_demo, created_at, created_by
       FROM benefit_policies WHERE district_code = $1 AND ($2::text IS NULL OR code = $2)
      ORDER BY code, version DESC`,
    [districtCode, code ?? null],
  );
}

export async function policyVersions(q: Queryable, districtCode: string, code: string): Promise<PolicyRow[]> {
  return q.query<PolicyRow & Record<string, unknown>>(
    `SELECT code, version, rule, is_demo, created_at, created_by FROM benefit_policies
      WHERE district_code = $1 AND code = $2 ORDER BY version DESC`,
    [districtCode, code],
  );
}

export async function lockPolicyCode(q: Queryable, districtCode: string, code: string): Promise<number> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`benefit_policy:${districtCode}:${code}`]);
  const [r] = await q.query<{ v: number | null }>('SELECT max(version) AS v FROM benefit_policies WHERE district_code = $1 AND code = $2', [districtCode, code]);
  return Number(r?.v ?? 0);
}

// ---- live counts over the registry (compiled SQL over the residents' facts query) -------------

/**
 * Run a compiled policy query. JIT is switched off for it: the planner's row estimates over the
 * facts CTE are pessimistic, and on PostgreSQL 15 JIT compilation alone took 9 of 10 seconds of
 * a 20k-person match (docs/benchmarks.md).
 */
export async function countBySql(db: Db, sql: string, params: unknown[]): Promise<Record<string, unknown>> {
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL jit = off');
    const [r] = await tx.query(sql, params);
    return r ?? {};
  });
}

/** Facts rows of a few persons (wraps the residents' facts query). */
export async function factsRowsWhere(q: Queryable, factsSql: string, districtCode: string, date: string, scope: string, personIds: string[], householdId: string | null) {
  return q.query(`SELECT * FROM (${factsSql}) f WHERE f.person_id = ANY($4::text[]) OR ($5::text IS NOT NULL AND f.household_id = $5::text)`, [districtCode, date, scope, personIds, householdId]);
}

// ---- match runs --------------------------------------------------------------------------------

export interface ResultRow {
  policy_code: string;
  person_id: string;
  household_id: string | null;
  area_path: string;
  grid_code: string | null;
  category: string;
  tier_code: string | null;
  monthly_fen: number | null;
  stop_reason: string | null;
  summary_zh: string;
  summary_en: string;
  explanation: Explanation;
}

export async function insertRun(
  q: Queryable,
  r: { id: string; districtCode: string; refDate: string; scopePath: string; policies: { code: string; version: number }[]; counts: unknown; persons: number; at: Date; by: string | null },
): Promise<void> {
  await q.query(
    `INSERT INTO benefit_match_runs (id, district_code, ref_date, scope_path, policies, counts, persons, created_at, created_by)
     VALUES ($1, $2, $3::date, $4, $5::jsonb, $6::jsonb, $7, $8, $9)`,
    [r.id, r.districtCode, r.refDate, r.scopePath, JSON.stringify(r.policies), JSON.stringify(r.counts), r.persons, r.at, r.by],
  );
}

const RESULT_COLS =
  'policy_code text, person_id text, household_id text, area_path text, grid_code text, category text, tier_code text, monthly_fen bigint, stop_reason text, summary_zh text, summary_en text, explanation jsonb';

export async function insertResults(q: Queryable, runId: string, districtCode: string, rows: ResultRow[]): Promise<void> {
  for (let k = 0; k < rows.length; k += 2000) {
    await q.query(
      `INSERT INTO benefit_match_results (run_id, district_code, policy_code, person_id, household_id, area_path, grid_code, category, tier_code, monthly_fen, stop_reason, summary_zh, summary_en, explanation)
       SELECT $1, $2, x.* FROM jsonb_to_recordset($3::jsonb) AS x(${RESULT_COLS})`,
      [runId, districtCode, JSON.stringify(rows.slice(k, k + 2000))],
    );
  }
}

export interface RunRow {
  id: string;
  ref_date: string;
  scope_path: string;
  policies: { code: string; version: number }[];
  counts: unknown;
  persons: number;
  created_at: string;
  created_by: string | null;
}

const RUN_COLS = `id, to_char(ref_date, 'YYYY-MM-DD') AS ref_date, scope_path, policies, counts, persons, created_at, created_by`;

export async function getRun(q: Queryable, districtCode: string, id: string | null): Promise<RunRow | null> {
  const rows = await q.query<RunRow & Record<string, unknown>>(
    id
      ? `SELECT ${RUN_COLS} FROM benefit_match_runs WHERE district_code = $1 AND id = $2`
      : `SELECT ${RUN_COLS} FROM benefit_match_runs WHERE district_code = $1 AND $2::text IS NULL ORDER BY created_at DESC LIMIT 1`,
    [districtCode, id],
  );
  return rows[0] ?? null;
}

export async function listRuns(q: Queryable, districtCode: string, limit: number): Promise<RunRow[]> {
  return q.query<RunRow & Record<string, unknown>>(`SELECT ${RUN_COLS} FROM benefit_match_runs WHERE district_code = $1 ORDER BY created_at DESC LIMIT $2`, [districtCode, limit]);
}

export async function listResults(
  q: Queryable,
  f: { runId: string; districtCode: string; policyCode: string; category: string; scope: string; limit: number; offset: number },
): Promise<{ rows: ResultRow[]; total: number }> {
  const rows = await q.query<ResultRow & { total: string } & Record<string, unknown>>(
    `SELECT policy_code, person_id, household_id, area_path, grid_code, category, tier_code, monthly_fen, stop_reason, summary_zh, summary_en, explanation,
            count(*) OVER () AS total
       FROM benefit_match_results
      WHERE run_id = $1 AND district_code = $2 AND policy_code = $3 AND category = $4 AND area_path LIKE $5 || '%'
      ORDER BY grid_code NULLS LAST, person_id LIMIT $6 OFFSET $7`,
    [f.runId, f.districtCode, f.policyCode, f.category, f.scope, f.limit, f.offset],
  );
  return { rows: rows.map((r) => ({ ...r, monthly_fen: r.monthly_fen === null ? null : Number(r.monthly_fen) })), total: Number(rows[0]?.total ?? 0) };
}

/** Counts of a run per category, limited to a scope (for a street's or a grid's view). */
export async function scopedRunCounts(q: Queryable, runId: string, districtCode: string, scope: string) {
  return q.query<{ policy_code: string; category: string; n: string }>(
    `SELECT policy_code, category, count(*) AS n FROM benefit_match_results
      WHERE run_id = $1 AND district_code = $2 AND area_path LIKE $3 || '%' GROUP BY policy_code, category`,
    [runId, districtCode, scope],
  );
}

// ---- visits ------------------------------------------------------------------------------------

export interface VisitRow {
  id: string;
  run_id: string;
  policy_code: string;
  person_id: string;
  household_id: string | null;
  area_path: string;
  grid_code: string | null;
  summary_zh: string;
  summary_en: string;
  status: string;
  reason: string | null;
  correction_status: string | null;
  created_at: string;
  outcome_at: string | null;
  outcome_by: string | null;
}

/** Open a visit task for every 沉默少数 result of the run in the scope, unless one is open already. */
export async function createVisitsFromRun(q: Queryable, runId: string, districtCode: string, scope: string, policyCode: string | null, at: Date): Promise<number> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO benefit_visits (id, district_code, run_id, policy_code, person_id, household_id, area_path, grid_code, summary_zh, summary_en, status, created_at)
     SELECT gen_random_uuid()::text, r.district_code, r.run_id, r.policy_code, r.person_id, r.household_id, r.area_path, r.grid_code, r.summary_zh, r.summary_en, 'open', $5
       FROM benefit_match_results r
      WHERE r.run_id = $1 AND r.district_code = $2 AND r.category = 'eligible_missing' AND r.area_path LIKE $3 || '%'
        AND ($4::text IS NULL OR r.policy_code = $4)
     ON CONFLICT (district_code, policy_code, person_id) WHERE status = 'open' DO NOTHING
     RETURNING id`,
    [runId, districtCode, scope, policyCode, at],
  );
  return rows.length;
}

const VISIT_COLS = 'id, run_id, policy_code, person_id, household_id, area_path, grid_code, summary_zh, summary_en, status, reason, correction_status, created_at, outcome_at, outcome_by';

export async function listVisits(q: Queryable, districtCode: string, scope: string, status: string | null, limit: number, offset: number) {
  const rows = await q.query<VisitRow & { total: string } & Record<string, unknown>>(
    `SELECT ${VISIT_COLS}, count(*) OVER () AS total FROM benefit_visits
      WHERE district_code = $1 AND area_path LIKE $2 || '%' AND ($3::text IS NULL OR status = $3)
      ORDER BY grid_code NULLS LAST, household_id NULLS LAST, person_id LIMIT $4 OFFSET $5`,
    [districtCode, scope, status, limit, offset],
  );
  return { rows, total: Number(rows[0]?.total ?? 0) };
}

export async function getVisitForUpdate(q: Queryable, districtCode: string, id: string): Promise<VisitRow | null> {
  const rows = await q.query<VisitRow & Record<string, unknown>>(`SELECT ${VISIT_COLS} FROM benefit_visits WHERE district_code = $1 AND id = $2 FOR UPDATE`, [districtCode, id]);
  return rows[0] ?? null;
}

export async function setVisitOutcome(q: Queryable, id: string, status: string, reason: string | null, correction: string | null, at: Date, by: string | null): Promise<void> {
  await q.query(`UPDATE benefit_visits SET status = $2, reason = $3, correction_status = $4, outcome_at = $5, outcome_by = $6 WHERE id = $1`, [id, status, reason, correction, at, by]);
}

/** Visit progress by street and grid within the scope. */
export async function visitProgress(q: Queryable, districtCode: string, scope: string) {
  return q.query<{ street: string; grid_code: string | null; status: string; n: string }>(
    `SELECT split_part(area_path, '/', 3) AS street, grid_code, status, count(*) AS n FROM benefit_visits
      WHERE district_code = $1 AND area_path LIKE $2 || '%' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    [districtCode, scope],
  );
}

// ---- payment cycles ----------------------------------------------------------------------------

export interface CycleRow {
  id: string;
  policy_code: string;
  policy_version: number;
  month: string;
  ref_date: string;
  status: 'draft' | 'reviewed' | 'approved';
  persons: number;
  total_fen: number;
  prepared_by: string | null;
  prepared_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  approved_by: string | null;
  approved_at: string | null;
  removed: Removal[];
}

const CYCLE_COLS = `id, policy_code, policy_version, month, to_char(ref_date, 'YYYY-MM-DD') AS ref_date, status, persons, total_fen::float8 AS total_fen,
  prepared_by, prepared_at, reviewed_by, reviewed_at, approved_by, approved_at, removed`;

export interface EntitlementRow {
  person_id: string;
  household_id: string | null;
  area_path: string;
  street_code: string | null;
  name_masked: string;
  tier_code: string | null;
  amount_fen: number;
  summary_zh: string;
  summary_en: string;
}

export async function getCycle(q: Queryable, districtCode: string, id: string, forUpdate = false): Promise<CycleRow | null> {
  const rows = await q.query<CycleRow & Record<string, unknown>>(`SELECT ${CYCLE_COLS} FROM benefit_cycles WHERE district_code = $1 AND id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [districtCode, id]);
  return rows[0] ?? null;
}

export async function findCycle(q: Queryable, districtCode: string, policyCode: string, month: string): Promise<CycleRow | null> {
  const rows = await q.query<CycleRow & Record<string, unknown>>(`SELECT ${CYCLE_COLS} FROM benefit_cycles WHERE district_code = $1 AND policy_code = $2 AND month = $3 FOR UPDATE`, [districtCode, policyCode, month]);
  return rows[0] ?? null;
}

export async function listCycles(q: Queryable, districtCode: string, policyCode: string | null): Promise<CycleRow[]> {
  return q.query<CycleRow & Record<string, unknown>>(
    `SELECT ${CYCLE_COLS} FROM benefit_cycles WHERE district_code = $1 AND ($2::text IS NULL OR policy_code = $2) ORDER BY month DESC, policy_code`,
    [districtCode, policyCode],
  );
}

export async function deleteDraftCycle(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM benefit_entitlements WHERE cycle_id = $1', [id]);
  await q.query(`DELETE FROM benefit_cycles WHERE id = $1 AND status <> 'approved'`, [id]);
}

export async function insertCycle(
  q: Queryable,
  c: { id: string; districtCode: string; policyCode: string; policyVersion: number; month: string; refDate: string; persons: number; totalFen: number; by: string | null; at: Date; removed: Removal[] },
  ents: EntitlementRow[],
): Promise<void> {
  await q.query(
    `INSERT INTO benefit_cycles (id, district_code, policy_code, policy_version, month, ref_date, status, persons, total_fen, prepared_by, prepared_at, removed)
     VALUES ($1, $2, $3, $4, $5, $6::date, 'draft', $7, $8, $9, $10, $11::jsonb)`,
    [c.id, c.districtCode, c.policyCode, c.policyVersion, c.month, c.refDate, c.persons, c.totalFen, c.by, c.at, JSON.stringify(c.removed)],
  );
  for (let k = 0; k < ents.length; k += 2000) {
    await q.query(
      `INSERT INTO benefit_entitlements (cycle_id, district_code, person_id, household_id, area_path, street_code, name_masked, tier_code, amount_fen, summary_zh, summary_en)
       SELECT $1, $2, x.* FROM jsonb_to_recordset($3::jsonb) AS x(person_id text, household_id text, area_path text, street_code text, name_masked text, tier_code text, amount_fen bigint, summary_zh text, summary_en text)`,
      [c.id, c.districtCode, JSON.stringify(ents.slice(k, k + 2000))],
    );
  }
}

export async function setCycleReviewed(q: Queryable, id: string, by: string | null, at: Date): Promise<void> {
  await q.query(`UPDATE benefit_cycles SET status = 'reviewed', reviewed_by = $2, reviewed_at = $3 WHERE id = $1`, [id, by, at]);
}

export async function setCycleApproved(q: Queryable, id: string, by: string | null, at: Date): Promise<void> {
  await q.query(`UPDATE benefit_cycles SET status = 'approved', approved_by = $2, approved_at = $3 WHERE id = $1`, [id, by, at]);
}

export async function listEntitlements(q: Queryable, districtCode: string, cycleId: string, scope: string): Promise<EntitlementRow[]> {
  const rows = await q.query<EntitlementRow & Record<string, unknown>>(
    `SELECT person_id, household_id, area_path, street_code, name_masked, tier_code, amount_fen::float8 AS amount_fen, summary_zh, summary_en
       FROM benefit_entitlements WHERE district_code = $1 AND cycle_id = $2 AND area_path LIKE $3 || '%' ORDER BY street_code NULLS LAST, area_path, person_id`,
    [districtCode, cycleId, scope],
  );
  return rows;
}

/** Totals of approved cycles by policy, street and month, within the scope. */
export async function paymentTotals(q: Queryable, districtCode: string, scope: string, fromMonth: string, toMonth: string) {
  return q.query<{ policy_code: string; street_code: string | null; month: string; persons: string; total_fen: string }>(
    `SELECT c.policy_code, e.street_code, c.month, count(*) AS persons, sum(e.amount_fen) AS total_fen
       FROM benefit_cycles c JOIN benefit_entitlements e ON e.cycle_id = c.id
      WHERE c.district_code = $1 AND c.status = 'approved' AND e.area_path LIKE $2 || '%' AND c.month BETWEEN $3 AND $4
      GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`,
    [districtCode, scope, fromMonth, toMonth],
  );
}

/** The latest cycle of the policy before the month (for the removals). */
export async function previousCycle(q: Queryable, districtCode: string, policyCode: string, month: string): Promise<CycleRow | null> {
  const rows = await q.query<CycleRow & Record<string, unknown>>(
    `SELECT ${CYCLE_COLS} FROM benefit_cycles WHERE district_code = $1 AND policy_code = $2 AND month < $3 ORDER BY month DESC LIMIT 1`,
    [districtCode, policyCode, month],
  );
  return rows[0] ?? null;
}
