/**
 * The classifier's use cases: model versions (list, train, activate, roll back), the top-3
 * category suggestion for a ticket with the human triage queue, dispatcher corrections kept as
 * labels, and the unit suggestion. Authorize (role and scope), transact, audit.
 *
 * Tickets come before analysis in the module order, so analysis reads tickets through the
 * tickets feeds (feed.ts) and keeps its own state (classifications, labels) in its own tables;
 * see docs/adr/0010-classifier-reads-tickets-through-feeds.md.
 */
import { assertCan, isInScope, scopeOf, actorId, type AnyActor } from '../../shared/authz';
import { AppError, conflict, invalid, notFound } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Db, Queryable } from '../../shared/db';
import { recordAudit } from '../audit';
import { areasService } from '../areas';
import { accessService } from '../access';
import { feed } from '../tickets';
import type { TextAnalyzer, TextAnalyzerCache } from './text/analyzer';
import { CategoryPredictor, DEFAULT_TRAIN, trainCategoryModelSteps, type TrainOptions, type TrainProgress } from './core/classifier';
import { rankUnits, type HistoryRow } from './core/units';
import { decodeModel, encodeModel } from './models.codec';
import { toDoc } from './classify';
import { demoTrainingRows } from './models.demo';
import * as repo from './models.repo';

export interface ModelDeps {
  db: Db;
  clock: Clock;
  textAnalyzers: TextAnalyzerCache;
}

const MODEL = { zh: '模型版本', en: 'Model version' };
const TICKET = { zh: '工单', en: 'Ticket' };

// ---- the active model, cached per process by model id ------------------------------------------

const predictors = new Map<string, { predictor: CategoryPredictor; labelNames: Record<string, string>; version: number }>();

async function activePredictor(q: Queryable, districtCode: string) {
  const id = await repo.activeModelId(q, districtCode);
  if (!id) return null;
  let p = predictors.get(id);
  if (!p) {
    const row = await repo.findActive(q, districtCode);
    if (!row || row.id !== id) return null;
    const decoded = decodeModel(row.payload);
    p = { predictor: new CategoryPredictor(decoded.model), labelNames: { ...row.label_names, ...decoded.labelNames }, version: row.version };
    if (predictors.size >= 4) predictors.delete(predictors.keys().next().value!);
    predictors.set(id, p);
  }
  return { id, ...p };
}

// ---- versions ------------------------------------------------------------------------------------

function versionView(m: repo.ModelRow, withDetail = false) {
  const metrics = m.metrics as Record<string, unknown>;
  const base = {
    id: m.id,
    version: m.version,
    active: m.active,
    isDemo: m.is_demo,
    createdAt: new Date(m.created_at).toISOString(),
    labels: m.labels.map((code) => ({ code, name: m.label_names[code] ?? code })),
    sizeBytes: m.size_bytes,
    macroF1: (metrics.macroF1 as number | undefined) ?? null,
    accuracy: (metrics.accuracy as number | undefined) ?? null,
    training: m.training,
  };
  return withDetail ? { ...base, metrics } : base;
}

export async function listModels(deps: Pick<ModelDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'analysis.read');
  const [rows, runs, settings] = await Promise.all([repo.listModels(deps.db, actor.districtCode), repo.latestRuns(deps.db, actor.districtCode, 5), repo.findSettings(deps.db, actor.districtCode)]);
  return { items: rows.map((m) => versionView(m)), runs: runs.map(runView), settings: settingsView(settings) };
}

export async function getModel(deps: Pick<ModelDeps, 'db'>, actor: AnyActor, version: number) {
  assertCan(actor, 'analysis.read');
  const m = await repo.findModel(deps.db, actor.districtCode, version);
  if (!m) throw notFound(MODEL);
  return versionView(m, true);
}

export async function activateModel(deps: Pick<ModelDeps, 'db' | 'clock'>, actor: AnyActor, version: number) {
  assertCan(actor, 'analysis.manage');
  return deps.db.transaction(async (tx) => {
    const m = await repo.findModel(tx, actor.districtCode, version);
    if (!m) throw notFound(MODEL);
    await repo.setActive(tx, actor.districtCode, m.id, 'activate', deps.clock(), actorId(actor));
    await recordAudit(tx, deps.clock, actor, { action: 'analysis.model.activate', targetType: 'analysis_model', targetId: String(version) });
    return versionView({ ...m, active: true });
  });
}

/** Activate the model that was active before the current one. */
export async function rollbackModel(deps: Pick<ModelDeps, 'db' | 'clock'>, actor: AnyActor) {
  assertCan(actor, 'analysis.manage');
  return deps.db.transaction(async (tx) => {
    const current = await repo.activeModelId(tx, actor.districtCode);
    const history = await repo.activationHistory(tx, actor.districtCode);
    const previous = history.find((id) => id !== current);
    if (!current || !previous) throw conflict({ zh: '没有可以回退到的上一个模型版本', en: 'There is no earlier active model to roll back to' });
    const version = await repo.versionOf(tx, actor.districtCode, previous);
    await repo.setActive(tx, actor.districtCode, previous, 'rollback', deps.clock(), actorId(actor));
    await recordAudit(tx, deps.clock, actor, { action: 'analysis.model.rollback', targetType: 'analysis_model', targetId: String(version) });
    const m = await repo.findModel(tx, actor.districtCode, version!);
    return versionView(m!);
  });
}

export async function saveSettings(deps: Pick<ModelDeps, 'db' | 'clock'>, actor: AnyActor, body: { triageThreshold: number; retrainEveryDays?: number; minNewLabels?: number }) {
  assertCan(actor, 'analysis.manage');
  return deps.db.transaction(async (tx) => {
    const cur = await repo.findSettings(tx, actor.districtCode);
    const next = { triage_threshold: body.triageThreshold, retrain_every_days: body.retrainEveryDays ?? cur.retrain_every_days, min_new_labels: body.minNewLabels ?? cur.min_new_labels };
    await repo.saveSettings(tx, actor.districtCode, next, deps.clock());
    await recordAudit(tx, deps.clock, actor, { action: 'analysis.settings.save', targetType: 'analysis_settings', targetId: actor.districtCode, detail: next });
    return settingsView(next);
  });
}

function settingsView(s: repo.SettingsRow) {
  return { triageThreshold: s.triage_threshold, retrainEveryDays: s.retrain_every_days, minNewLabels: s.min_new_labels };
}

function runView(r: repo.RunRow) {
  return {
    id: r.id,
    status: r.status,
    trigger: r.trigger,
    stage: r.stage,
    done: r.done,
    total: r.total,
    percent: r.total > 0 ? Math.round((r.done / r.total) * 100) : 0,
    error: r.error,
    startedAt: new Date(r.started_at).toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  };
}

export async function getRun(deps: Pick<ModelDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'analysis.read');
  const r = await repo.findRun(deps.db, actor.districtCode, id);
  if (!r) throw notFound({ zh: '训练任务', en: 'Training run' });
  return runView(r);
}

// ---- training ------------------------------------------------------------------------------------

export type TrainSource = 'tickets' | 'demo';
export type TrainTrigger = 'manual' | 'schedule' | 'cli' | 'demo';

/**
 * Roll labels with too few examples up to their parent category (a leaf with 2 tickets trains
 * as its 二级 category), so that a young district still gets a useful model.
 */
export function rollUpLabels(labels: readonly string[], parentOf: (code: string) => string | null, minPerLabel: number): string[] {
  let cur = [...labels];
  for (let round = 0; round < 3; round++) {
    const counts = new Map<string, number>();
    for (const l of cur) counts.set(l, (counts.get(l) ?? 0) + 1);
    let changed = false;
    cur = cur.map((l) => {
      const p = parentOf(l);
      if ((counts.get(l) ?? 0) < minPerLabel && p) {
        changed = true;
        return p;
      }
      return l;
    });
    if (!changed) break;
  }
  return cur;
}

/** Start a training run; returns at once with the run (progress in analysis_training_runs). */
export async function startTraining(
  deps: ModelDeps,
  actor: AnyActor,
  input: { source: TrainSource; activate: boolean; trigger: TrainTrigger; options?: Partial<TrainOptions> },
  onProgress?: (p: TrainProgress) => void,
): Promise<{ run: ReturnType<typeof runView>; finished: Promise<ReturnType<typeof versionView> | null> }> {
  assertCan(actor, 'analysis.manage');
  const now = deps.clock();
  const run = await deps.db.transaction(async (tx) => {
    await repo.failStaleRuns(tx, actor.districtCode, new Date(now.getTime() - 30 * 60_000), now);
    const running = (await repo.latestRuns(tx, actor.districtCode, 1))[0];
    if (running && running.status === 'running') throw conflict({ zh: '已有训练任务正在进行', en: 'A training run is already in progress' });
    const r = await repo.insertRun(tx, actor.districtCode, input.trigger, now, actorId(actor));
    await recordAudit(tx, deps.clock, actor, { action: 'analysis.model.train', targetType: 'analysis_training_run', targetId: r.id, detail: { source: input.source } });
    return r;
  });
  const finished = runTraining(deps, actor, run.id, input, onProgress).catch(async (e: unknown) => {
    const message = e instanceof AppError ? `${e.text.zh} / ${e.text.en}` : e instanceof Error ? e.message : String(e);
    await repo.updateRun(deps.db, run.id, { status: 'failed', error: message.slice(0, 500), finishedAt: deps.clock() });
    return null;
  });
  return { run: runView(run), finished };
}

async function trainingRows(q: Queryable, analyzerDistrict: string, source: TrainSource) {
  const catalogue = await feed.listCatalogue(q, analyzerDistrict);
  const names = Object.fromEntries(catalogue.map((c) => [c.code, c.name]));
  const parent = new Map(catalogue.map((c) => [c.code, c.parentCode]));
  if (source === 'demo') {
    const places = (await areasService.listAreaRows(q, analyzerDistrict, 'community')).map((a) => a.name);
    const rows = demoTrainingRows(places);
    return { rows, names, description: { source: 'demo', note: '项目生成的演示样本 / demo rows generated by the project', rows: rows.length } };
  }
  const labels = await repo.listLabels(q, analyzerDistrict);
  const corrections = labels.filter((l) => l.source === 'correction');
  const tickets = await feed.labelledTickets(q, analyzerDistrict, `/${analyzerDistrict}/`, corrections.map((l) => l.ticket_id));
  const corrected = new Map(corrections.map((l) => [l.ticket_id, l.category_code]));
  const raw = tickets.map((t) => ({ text: `${t.title} ${t.content}`, label: t.status === 'closed' ? t.category_code : (corrected.get(t.id) ?? t.category_code) }));
  const rolled = rollUpLabels(raw.map((r) => r.label), (c) => parent.get(c) ?? null, 5);
  const rows = raw.map((r, i) => ({ text: r.text, label: rolled[i]! }));
  return {
    rows,
    names,
    description: { source: 'tickets', closedTickets: tickets.filter((t) => t.status === 'closed').length, corrections: corrections.length, rows: rows.length, rolledUp: raw.filter((r, i) => r.label !== rolled[i]).length },
  };
}

async function runTraining(deps: ModelDeps, actor: AnyActor, runId: string, input: { source: TrainSource; activate: boolean; trigger: TrainTrigger; options?: Partial<TrainOptions> }, onProgress?: (p: TrainProgress) => void) {
  const district = actor.districtCode;
  const { rows, names, description } = await trainingRows(deps.db, district, input.source);
  const distinct = new Set(rows.map((r) => r.label));
  if (rows.length < 20 || distinct.size < 2) {
    throw invalid({ zh: `可用于训练的已办结工单太少（${rows.length} 件、${distinct.size} 个类别；至少 20 件、2 个类别）`, en: `Too few labelled tickets to train (${rows.length} tickets, ${distinct.size} categories; need 20 and 2)` });
  }
  const analyzer = await deps.textAnalyzers.get(deps.db, district);
  const options: Partial<TrainOptions> = { ...input.options };
  const features = { ...DEFAULT_TRAIN.features, ...(options.features ?? {}) };
  const docs = rows.map((r) => toDoc(analyzer, r.text, features));
  let lastWrite = 0;
  const steps = trainCategoryModelSteps(docs, rows.map((r) => r.label), { ...options, features }, onProgress);
  let result;
  for (;;) {
    const s = steps.next();
    if (s.done) {
      result = s.value;
      break;
    }
    // Give the event loop back between the steps and record progress for the web app.
    await new Promise((resolve) => setImmediate(resolve));
    if (s.value.done - lastWrite >= 1) {
      lastWrite = s.value.done;
      await repo.updateRun(deps.db, runId, { done: s.value.done, total: s.value.total, stage: s.value.stage });
    }
  }
  const { model, report } = result;
  const labelNames = Object.fromEntries(model.labels.map((l) => [l, names[l] ?? l]));
  const payload = encodeModel(model, { labelNames });
  const metrics = {
    evaluatedOn: `cross-validation (${report.options.folds} folds) on the training rows`,
    macroF1: report.cv.macroF1,
    accuracy: report.cv.accuracy,
    perClass: report.cv.perClass,
    confusion: report.cv.confusion,
    labels: report.cv.labels,
    calibration: { temperature: report.temperatures.final, ...report.calibration },
  };
  const training = { ...description, counts: report.counts, dropped: report.dropped, features: report.dim, options: { C: report.options.C, folds: report.options.folds, members: report.options.members, seed: report.options.seed } };
  const saved = await deps.db.transaction(async (tx) => {
    const m = await repo.insertModel(tx, { districtCode: district, labels: model.labels, labelNames, metrics, training, payload, isDemo: input.source === 'demo', createdBy: actorId(actor), at: deps.clock() });
    if (input.activate) await repo.setActive(tx, district, m.id, 'activate', deps.clock(), actorId(actor));
    await repo.updateRun(tx, runId, { status: 'succeeded', modelId: m.id, finishedAt: deps.clock(), stage: 'done' });
    await recordAudit(tx, deps.clock, actor, { action: 'analysis.model.trained', targetType: 'analysis_model', targetId: String(m.version), detail: { macroF1: report.cv.macroF1, activated: input.activate } });
    return { ...m, active: input.activate };
  });
  const total = (await repo.findRun(deps.db, district, runId))?.total ?? 0;
  await repo.updateRun(deps.db, runId, { done: total });
  return versionView(saved);
}

/** The scheduled retraining: when enough new labels arrived since the active model and it is old enough. */
export async function retrainIfDue(deps: ModelDeps, districtCode: string): Promise<{ trained: boolean; version?: number; reason: string }> {
  const system: AnyActor = { kind: 'system', districtCode, reason: 'analysis-retrain' };
  const settings = await repo.findSettings(deps.db, districtCode);
  const models = await repo.listModels(deps.db, districtCode);
  const active = models.find((m) => m.active);
  const now = deps.clock();
  await collectLabels(deps, districtCode);
  if (active && now.getTime() - new Date(active.created_at).getTime() < settings.retrain_every_days * 86_400_000) return { trained: false, reason: 'not due' };
  const fresh = await repo.labelsSince(deps.db, districtCode, active && !active.is_demo ? new Date(active.created_at) : null);
  if (fresh < settings.min_new_labels) return { trained: false, reason: `only ${fresh} new labels` };
  const { finished } = await startTraining(deps, system, { source: 'tickets', activate: true, trigger: 'schedule' });
  const v = await finished;
  return v ? { trained: true, version: v.version, reason: 'due' } : { trained: false, reason: 'training failed' };
}

/**
 * Dispatcher corrections: a classified ticket whose category (as the dispatcher set it) differs
 * from the model's top suggestion is kept as a label; closed tickets are collected too.
 */
export async function collectLabels(deps: Pick<ModelDeps, 'db' | 'clock'>, districtCode: string): Promise<{ corrections: number; closed: number }> {
  const rows = await repo.listAllClassified(deps.db, districtCode, 2000);
  const texts = new Map((await feed.ticketTexts(deps.db, districtCode, rows.map((r) => r.ticket_id))).map((t) => [t.id, t]));
  let corrections = 0;
  let closed = 0;
  for (const c of rows) {
    const t = texts.get(c.ticket_id);
    if (!t?.category_code || t.status === 'received') continue;
    const predicted = c.top[0]?.label ?? null;
    const source = t.category_code !== predicted && !t.category_code.startsWith(`${predicted}.`) ? 'correction' : t.status === 'closed' ? 'closed' : null;
    if (!source) continue;
    await repo.upsertLabel(deps.db, districtCode, { ticketId: t.id, areaPath: t.area_path, categoryCode: t.category_code, predictedCode: predicted, source, at: deps.clock() });
    if (source === 'correction') corrections++;
    else closed++;
  }
  return { corrections, closed };
}

// ---- suggestions -------------------------------------------------------------------------------

async function classifyRows(deps: ModelDeps, districtCode: string, rows: readonly feed.PendingTicketRow[], analyzer: TextAnalyzer) {
  const active = await activePredictor(deps.db, districtCode);
  if (!active) return null;
  const settings = await repo.findSettings(deps.db, districtCode);
  const existing = new Map((await repo.findClassifications(deps.db, districtCode, rows.map((r) => r.id))).map((c) => [c.ticket_id, c]));
  const out = new Map<string, repo.ClassificationRow>();
  for (const t of rows) {
    const have = existing.get(t.id);
    if (have && have.model_id === active.id) {
      out.set(t.id, have);
      continue;
    }
    const top = active.predictor.top(toDoc(analyzer, `${t.title} ${t.content}`, active.predictor.model.features), 3).map((x) => ({ label: x.label, p: Math.round(x.p * 10000) / 10000 }));
    const confidence = top[0]?.p ?? 0;
    const row = { ticket_id: t.id, area_path: t.area_path, model_id: active.id, top, confidence, needs_triage: confidence < settings.triage_threshold, category_at: t.category_code, at: deps.clock() };
    await repo.upsertClassification(deps.db, districtCode, row);
    out.set(t.id, { ...row, classified_at: row.at });
  }
  return { active, settings, byTicket: out };
}

/** Top-3 categories (calibrated) and the unit suggestion with its reason, for one ticket. */
export async function ticketSuggestions(deps: ModelDeps, actor: AnyActor, ticketId: string) {
  assertCan(actor, 'analysis.read');
  const district = actor.districtCode;
  const [t] = await feed.ticketTexts(deps.db, district, [ticketId]);
  if (!t || !isInScope(actor, t.area_path)) throw notFound(TICKET);
  const analyzer = await deps.textAnalyzers.get(deps.db, district);
  const classified = await classifyRows(deps, district, [t], analyzer);
  const catalogue = await feed.listCatalogue(deps.db, district);
  const names = new Map(catalogue.map((c) => [c.code, c.name]));
  const c = classified?.byTicket.get(t.id);
  const categories = (c?.top ?? []).map((x) => ({ code: x.label, name: names.get(x.label) ?? classified?.active.labelNames[x.label] ?? x.label, p: x.p, inCatalogue: names.has(x.label) }));
  const unitCategory = t.category_code ?? categories.find((x) => x.inCatalogue)?.code ?? null;
  const units = await unitSuggestions(deps.db, district, t.id, unitCategory, catalogue);
  return {
    ticketId: t.id,
    model: classified ? { version: classified.active.version } : null,
    categories,
    confidence: c?.confidence ?? null,
    needsTriage: c ? c.confidence < (classified?.settings.triage_threshold ?? 0.5) : null,
    threshold: classified?.settings.triage_threshold ?? (await repo.findSettings(deps.db, district)).triage_threshold,
    currentCategory: t.category_code ? { code: t.category_code, name: names.get(t.category_code) ?? t.category_code } : null,
    unitsFor: unitCategory ? { code: unitCategory, name: names.get(unitCategory) ?? unitCategory, from: t.category_code ? 'ticket' : 'model' } : null,
    units,
  };
}

async function unitSuggestions(q: Queryable, district: string, ticketId: string, categoryCode: string | null, catalogue: readonly feed.CatalogueCategory[]) {
  const place = await feed.ticketPlace(q, district, ticketId);
  if (!place || !categoryCode) return [];
  const chain = feed.categoryChainOf(catalogue, categoryCode);
  const routes = feed.routeUnits(await feed.listRoutingTable(q, district), { categoryChain: chain, areaPath: place.area_path, subdistrictCode: place.subdistrict_code });
  const history = await feed.dispatchHistory(q, district);
  const rows = new Map<string, HistoryRow>();
  for (const f of history.finals) {
    const key = `${f.category_code}|${f.subdistrict_code}|${f.lead_unit}`;
    rows.set(key, { categoryCode: f.category_code, subdistrictCode: f.subdistrict_code, unit: f.lead_unit, handled: f.handled, clean: f.clean, returns: 0 });
  }
  for (const r of history.returns) {
    const key = `${r.category_code}|${r.subdistrict_code}|${r.unit}`;
    const row = rows.get(key) ?? { categoryCode: r.category_code, subdistrictCode: r.subdistrict_code, unit: r.unit, handled: 0, clean: 0, returns: 0 };
    row.returns += r.returns;
    rows.set(key, row);
  }
  const system: AnyActor = { kind: 'system', districtCode: district, reason: 'analysis-names' };
  const departments = new Map((await accessService.listDepartments({ db: q as Db }, system)).map((d) => [`department:${d.code}`, d.name]));
  const subdistricts = new Map((await areasService.listAreaRows(q, district, 'subdistrict')).map((a) => [`subdistrict:${a.code}`, a.name]));
  return rankUnits({
    categoryCode,
    subdistrictCode: place.subdistrict_code,
    subdistrictName: place.subdistrict_name,
    routes: routes.map((r) => ({ unit: r.unit, reason: r.reason })),
    history: [...rows.values()],
    unitName: (u) => departments.get(u) ?? subdistricts.get(u) ?? u,
  });
}

/** 人工分类 queue: tickets waiting for dispatch whose top suggestion is below the threshold. */
export async function triageQueue(deps: ModelDeps, actor: AnyActor, limit = 100) {
  assertCan(actor, 'analysis.read');
  const district = actor.districtCode;
  const pending = (await feed.pendingTickets(deps.db, district, scopeOf(actor), 500)).filter((t) => !t.category_code);
  const analyzer = await deps.textAnalyzers.get(deps.db, district);
  const classified = await classifyRows(deps, district, pending, analyzer);
  if (!classified) return { model: null, threshold: (await repo.findSettings(deps.db, district)).triage_threshold, items: [] };
  const byId = new Map(pending.map((t) => [t.id, t]));
  const names = new Map((await feed.listCatalogue(deps.db, district)).map((c) => [c.code, c.name]));
  const rows = await repo.listTriage(deps.db, district, scopeOf(actor), pending.map((t) => t.id), classified.settings.triage_threshold);
  return {
    model: { version: classified.active.version },
    threshold: classified.settings.triage_threshold,
    items: rows.slice(0, limit).map((r) => {
      const t = byId.get(r.ticket_id)!;
      return {
        ticketId: t.id,
        number: t.number,
        title: t.title,
        status: t.status,
        createdAt: new Date(t.created_at).toISOString(),
        confidence: r.confidence,
        categories: r.top.map((x) => ({ code: x.label, name: names.get(x.label) ?? x.label, p: x.p })),
      };
    }),
  };
}

/** Demo seed: an active model trained on the project's demo rows (fast: a few hundred short texts). */
export async function seedDemoModel(deps: ModelDeps, districtCode: string): Promise<void> {
  if ((await repo.listModels(deps.db, districtCode)).length > 0) return;
  const system: AnyActor = { kind: 'system', districtCode, reason: 'demo-seed' };
  const { finished } = await startTraining(deps, system, { source: 'demo', activate: true, trigger: 'demo', options: { folds: 3, epochs: 8 } });
  await finished;
}
