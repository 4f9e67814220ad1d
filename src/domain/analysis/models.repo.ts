/** SQL of the classifier: model versions, activations, classifications, labels, settings, training runs. */
import type { Queryable } from '../../shared/db';

export interface ModelRow {
  id: string;
  version: number;
  labels: string[];
  label_names: Record<string, string>;
  metrics: Record<string, unknown>;
  training: Record<string, unknown>;
  size_bytes: number;
  active: boolean;
  is_demo: boolean;
  created_at: Date;
}

const MODEL_COLS = 'id, version, labels, label_names, metrics, training, size_bytes, active, is_demo, created_at';

export async function listModels(q: Queryable, districtCode: string): Promise<ModelRow[]> {
  return q.query<ModelRow & Record<string, unknown>>(`SELECT ${MODEL_COLS} FROM analysis_models WHERE district_code = $1 ORDER BY version DESC`, [districtCode]);
}

export async function findModel(q: Queryable, districtCode: string, version: number): Promise<ModelRow | undefined> {
  return (await q.query<ModelRow & Record<string, unknown>>(`SELECT ${MODEL_COLS} FROM analysis_models WHERE district_code = $1 AND version = $2`, [districtCode, version]))[0];
}

export async function findActive(q: Queryable, districtCode: string): Promise<(ModelRow & { payload: string }) | undefined> {
  return (await q.query<ModelRow & { payload: string } & Record<string, unknown>>(`SELECT ${MODEL_COLS}, payload FROM analysis_models WHERE district_code = $1 AND active`, [districtCode]))[0];
}

export async function activeModelId(q: Queryable, districtCode: string): Promise<string | null> {
  const rows = await q.query<{ id: string }>(`SELECT id FROM analysis_models WHERE district_code = $1 AND active`, [districtCode]);
  return rows[0]?.id ?? null;
}

export async function insertModel(
  q: Queryable,
  m: { districtCode: string; labels: string[]; labelNames: Record<string, string>; metrics: unknown; training: unknown; payload: string; isDemo: boolean; createdBy: string | null; at: Date },
): Promise<ModelRow> {
  await q.query(`SELECT pg_advisory_xact_lock(hashtext('analysis_models:' || $1::text))`, [m.districtCode]);
  const rows = await q.query<ModelRow & Record<string, unknown>>(
    `INSERT INTO analysis_models (district_code, version, labels, label_names, metrics, training, payload, size_bytes, is_demo, created_by, created_at)
     VALUES ($1, (SELECT COALESCE(max(version), 0) + 1 FROM analysis_models WHERE district_code = $1), $2, $3, $4, $5, $6, $7, $8, $9, $10)
     RETURNING ${MODEL_COLS}`,
    [m.districtCode, JSON.stringify(m.labels), JSON.stringify(m.labelNames), JSON.stringify(m.metrics), JSON.stringify(m.training), m.payload, Buffer.byteLength(m.payload), m.isDemo, m.createdBy, m.at],
  );
  return rows[0]!;
}

export async function setActive(q: Queryable, districtCode: string, modelId: string, action: 'activate' | 'rollback', at: Date, actorId: string | null): Promise<void> {
  await q.query(`UPDATE analysis_models SET active = false WHERE district_code = $1 AND active AND id <> $2`, [districtCode, modelId]);
  await q.query(`UPDATE analysis_models SET active = true WHERE district_code = $1 AND id = $2`, [districtCode, modelId]);
  await q.query(`INSERT INTO analysis_model_activations (district_code, model_id, action, at, actor_id) VALUES ($1, $2, $3, $4, $5)`, [districtCode, modelId, action, at, actorId]);
}

/** Model ids in activation order, newest first. */
export async function activationHistory(q: Queryable, districtCode: string): Promise<string[]> {
  const rows = await q.query<{ model_id: string }>(`SELECT model_id FROM analysis_model_activations WHERE district_code = $1 ORDER BY id DESC LIMIT 200`, [districtCode]);
  return rows.map((r) => r.model_id);
}

export async function versionOf(q: Queryable, districtCode: string, id: string): Promise<number | null> {
  const rows = await q.query<{ version: number }>(`SELECT version FROM analysis_models WHERE district_code = $1 AND id = $2`, [districtCode, id]);
  return rows[0]?.version ?? null;
}

// ---- classifications ---------------------------------------------------------------------------

export interface ClassificationRow {
  ticket_id: string;
  area_path: string;
  model_id: string;
  top: { label: string; p: number }[];
  confidence: number;
  needs_triage: boolean;
  category_at: string | null;
  classified_at: Date;
}

export async function findClassifications(q: Queryable, districtCode: string, ids: readonly string[]): Promise<ClassificationRow[]> {
  if (ids.length === 0) return [];
  return q.query<ClassificationRow & Record<string, unknown>>(
    `SELECT ticket_id, area_path, model_id, top, confidence, needs_triage, category_at, classified_at FROM analysis_classifications WHERE district_code = $1 AND ticket_id = ANY($2::uuid[])`,
    [districtCode, ids],
  );
}

export async function upsertClassification(q: Queryable, districtCode: string, c: Omit<ClassificationRow, 'classified_at'> & { at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO analysis_classifications (district_code, ticket_id, area_path, model_id, top, confidence, needs_triage, category_at, classified_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
     ON CONFLICT (district_code, ticket_id) DO UPDATE SET area_path = EXCLUDED.area_path, model_id = EXCLUDED.model_id, top = EXCLUDED.top,
       confidence = EXCLUDED.confidence, needs_triage = EXCLUDED.needs_triage, category_at = EXCLUDED.category_at, classified_at = EXCLUDED.classified_at`,
    [districtCode, c.ticket_id, c.area_path, c.model_id, JSON.stringify(c.top), c.confidence, c.needs_triage, c.category_at, c.at],
  );
}

/** Tickets below the (current) threshold in the scope, least confident first. */
export async function listTriage(q: Queryable, districtCode: string, scope: string, ids: readonly string[], threshold: number): Promise<ClassificationRow[]> {
  return q.query<ClassificationRow & Record<string, unknown>>(
    `SELECT ticket_id, area_path, model_id, top, confidence, needs_triage, category_at, classified_at FROM analysis_classifications
      WHERE district_code = $1 AND area_path LIKE $2 || '%' AND confidence < $4 AND ticket_id = ANY($3::uuid[])
      ORDER BY confidence ASC, classified_at DESC`,
    [districtCode, scope, ids, threshold],
  );
}

export async function listAllClassified(q: Queryable, districtCode: string, limit: number): Promise<ClassificationRow[]> {
  return q.query<ClassificationRow & Record<string, unknown>>(
    `SELECT c.ticket_id, c.area_path, c.model_id, c.top, c.confidence, c.needs_triage, c.category_at, c.classified_at FROM analysis_classifications c
      WHERE c.district_code = $1 AND NOT EXISTS (SELECT 1 FROM analysis_labels l WHERE l.district_code = c.district_code AND l.ticket_id = c.ticket_id)
      ORDER BY c.classified_at DESC LIMIT $2`,
    [districtCode, limit],
  );
}

// ---- labels ------------------------------------------------------------------------------------

export async function upsertLabel(
  q: Queryable,
  districtCode: string,
  l: { ticketId: string; areaPath: string; categoryCode: string; predictedCode: string | null; source: 'correction' | 'closed'; at: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO analysis_labels (district_code, ticket_id, area_path, category_code, predicted_code, source, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7)
     ON CONFLICT (district_code, ticket_id) DO UPDATE SET category_code = EXCLUDED.category_code, predicted_code = EXCLUDED.predicted_code, source = EXCLUDED.source, recorded_at = EXCLUDED.recorded_at`,
    [districtCode, l.ticketId, l.areaPath, l.categoryCode, l.predictedCode, l.source, l.at],
  );
}

export async function listLabels(q: Queryable, districtCode: string): Promise<{ ticket_id: string; category_code: string; source: string; predicted_code: string | null }[]> {
  return q.query(`SELECT ticket_id, category_code, source, predicted_code FROM analysis_labels WHERE district_code = $1`, [districtCode]);
}

export async function labelsSince(q: Queryable, districtCode: string, since: Date | null): Promise<number> {
  const rows = await q.query<{ n: string | number }>(`SELECT count(*) AS n FROM analysis_labels WHERE district_code = $1 AND ($2::timestamptz IS NULL OR recorded_at > $2)`, [districtCode, since]);
  return Number(rows[0]?.n ?? 0);
}

// ---- settings and training runs -----------------------------------------------------------------

export interface SettingsRow {
  triage_threshold: number;
  retrain_every_days: number;
  min_new_labels: number;
}

export async function findSettings(q: Queryable, districtCode: string): Promise<SettingsRow> {
  const rows = await q.query<SettingsRow & Record<string, unknown>>(`SELECT triage_threshold, retrain_every_days, min_new_labels FROM analysis_settings WHERE district_code = $1`, [districtCode]);
  const r = rows[0];
  return r ? { triage_threshold: Number(r.triage_threshold), retrain_every_days: Number(r.retrain_every_days), min_new_labels: Number(r.min_new_labels) } : { triage_threshold: 0.5, retrain_every_days: 7, min_new_labels: 50 };
}

export async function saveSettings(q: Queryable, districtCode: string, s: SettingsRow, at: Date): Promise<void> {
  await q.query(
    `INSERT INTO analysis_settings (district_code, triage_threshold, retrain_every_days, min_new_labels, updated_at) VALUES ($1,$2,$3,$4,$5)
     ON CONFLICT (district_code) DO UPDATE SET triage_threshold = EXCLUDED.triage_threshold, retrain_every_days = EXCLUDED.retrain_every_days, min_new_labels = EXCLUDED.min_new_labels, updated_at = EXCLUDED.updated_at`,
    [districtCode, s.triage_threshold, s.retrain_every_days, s.min_new_labels, at],
  );
}

export interface RunRow {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  trigger: string;
  done: number;
  total: number;
  stage: string;
  model_id: string | null;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const RUN_COLS = 'id, status, trigger, done, total, stage, model_id, error, started_at, finished_at';

export async function insertRun(q: Queryable, districtCode: string, trigger: string, at: Date, by: string | null): Promise<RunRow> {
  return (await q.query<RunRow & Record<string, unknown>>(
    `INSERT INTO analysis_training_runs (district_code, status, trigger, started_at, started_by) VALUES ($1, 'running', $2, $3, $4) RETURNING ${RUN_COLS}`,
    [districtCode, trigger, at, by],
  ))[0]!;
}

export async function updateRun(q: Queryable, id: string, r: { done?: number; total?: number; stage?: string; status?: RunRow['status']; modelId?: string | null; error?: string | null; finishedAt?: Date | null }): Promise<void> {
  await q.query(
    `UPDATE analysis_training_runs SET done = COALESCE($2, done), total = COALESCE($3, total), stage = COALESCE($4, stage), status = COALESCE($5, status),
       model_id = COALESCE($6, model_id), error = COALESCE($7, error), finished_at = COALESCE($8, finished_at) WHERE id = $1`,
    [id, r.done ?? null, r.total ?? null, r.stage ?? null, r.status ?? null, r.modelId ?? null, r.error ?? null, r.finishedAt ?? null],
  );
}

export async function findRun(q: Queryable, districtCode: string, id: string): Promise<RunRow | undefined> {
  return (await q.query<RunRow & Record<string, unknown>>(`SELECT ${RUN_COLS} FROM analysis_training_runs WHERE district_code = $1 AND id = $2`, [districtCode, id]))[0];
}

export async function latestRuns(q: Queryable, districtCode: string, limit: number): Promise<RunRow[]> {
  return q.query<RunRow & Record<string, unknown>>(`SELECT ${RUN_COLS} FROM analysis_training_runs WHERE district_code = $1 ORDER BY started_at DESC LIMIT $2`, [districtCode, limit]);
}

/** Runs left 'running' by a stopped process are marked failed before a new one starts. */
export async function failStaleRuns(q: Queryable, districtCode: string, before: Date, at: Date): Promise<void> {
  await q.query(`UPDATE analysis_training_runs SET status = 'failed', error = 'interrupted', finished_at = $3 WHERE district_code = $1 AND status = 'running' AND started_at < $2`, [districtCode, before, at]);
}
