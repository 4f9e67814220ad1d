/**
 * 政策找人 use cases: authorize (role and area scope), transact, audit. The registry is read
 * through the residents module's facts (factsAt in memory; factsSql for counts in the database).
 */
import { randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, invalid, notFound, conflict } from '../../shared/errors';
import { actorId, assertCan, can, scopeOf, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { factsAt, factsSql, factsFromRow, maskName, residentsService, type PersonFacts, type PersonFactsRow } from '../residents';
import * as repo from './repo';
import { validatePolicy, type Bilingual, type Policy } from './core/rules';
import { compilePolicy, matchTable, type Category, type PolicyCounts } from './core/compile';
import { compileSql } from './core/compile-sql';
import { explainer, explain, type Explanation } from './core/explain';
import { tableOf } from './core/table';
import { DEMO_POLICIES } from './core/demo-policies';
import { isIsoDate } from './core/dates';

/** Names and places of persons, from the registry (wired by the composition root when available). */
export type PeopleLookup = (q: Queryable, districtCode: string, personIds: string[]) => Promise<Map<string, { name: string; lon?: number | null; lat?: number | null; address?: string | null }>>;

export interface BenefitsDeps {
  db: Db;
  clock: Clock;
  people?: PeopleLookup;
}

const POLICY = { zh: '政策', en: 'Policy' };

function assertDate(d: string): void {
  if (!isIsoDate(d)) throw invalid({ zh: '日期应为 YYYY-MM-DD', en: 'the date must be YYYY-MM-DD' });
}

function assertAny(actor: AnyActor, perms: Parameters<typeof can>[1][]): void {
  if (perms.some((p) => can(actor, p))) return;
  assertCan(actor, perms[0]!);
}

function policyOrThrow(input: unknown): Policy {
  const r = validatePolicy(input);
  if (!r.ok) {
    const first = r.errors[0]!;
    throw new AppError('validation_failed', { zh: `政策有误：${first.path} ${first.zh}`, en: `invalid policy: ${first.path} ${first.en}` }, { errors: r.errors });
  }
  return r.policy;
}

// ---- policies --------------------------------------------------------------------------------

export interface PolicyView {
  code: string;
  version: number;
  policy: Policy;
  isDemo: boolean;
  createdAt: string;
  createdBy: string | null;
}
const policyView = (r: repo.PolicyRow): PolicyView => ({ code: r.code, version: r.version, policy: r.rule, isDemo: r.is_demo, createdAt: new Date(r.created_at).toISOString(), createdBy: r.created_by });

export async function listPolicies(deps: BenefitsDeps, actor: AnyActor): Promise<PolicyView[]> {
  assertAny(actor, ['benefits.read', 'benefits.visit']);
  return (await repo.latestPolicies(deps.db, actor.districtCode)).map(policyView);
}

export async function getPolicy(deps: BenefitsDeps, actor: AnyActor, code: string): Promise<{ current: PolicyView; versions: PolicyView[] }> {
  assertAny(actor, ['benefits.read', 'benefits.visit']);
  const versions = (await repo.policyVersions(deps.db, actor.districtCode, code)).map(policyView);
  if (versions.length === 0) throw notFound(POLICY);
  return { current: versions[0]!, versions };
}

/** Check a policy without saving: the errors with their paths. */
export function checkPolicy(input: unknown) {
  return validatePolicy(input);
}

/** Save a policy as a new version (the version number is assigned here). */
export async function savePolicy(deps: BenefitsDeps, actor: AnyActor, input: unknown, opts: { isDemo?: boolean } = {}): Promise<PolicyView> {
  assertCan(actor, 'benefits.configure');
  const p = policyOrThrow(input);
  return deps.db.transaction(async (tx) => {
    const version = (await repo.lockPolicyCode(tx, actor.districtCode, p.code)) + 1;
    const saved = { ...p, version };
    await repo.insertPolicy(tx, actor.districtCode, saved, actorId(actor), deps.clock(), opts.isDemo ?? false);
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.policy.save', targetType: 'benefit_policy', targetId: `${p.code}@${version}`, detail: { code: p.code, version } });
    const [row] = await repo.latestPolicies(tx, actor.districtCode, p.code);
    return policyView(row!);
  });
}

/** All current policies as one JSON document (for export). */
export async function exportPolicies(deps: BenefitsDeps, actor: AnyActor): Promise<{ format: 'minsheng.benefit-policies'; version: 1; policies: Policy[] }> {
  assertCan(actor, 'benefits.read');
  const rows = await repo.latestPolicies(deps.db, actor.districtCode);
  return { format: 'minsheng.benefit-policies', version: 1, policies: rows.map((r) => r.rule) };
}

/** Import a JSON document of policies: all valid or nothing saved; each becomes a new version. */
export async function importPolicies(deps: BenefitsDeps, actor: AnyActor, doc: unknown): Promise<{ saved: { code: string; version: number }[] }> {
  assertCan(actor, 'benefits.configure');
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { policies?: unknown }).policies) ? (doc as { policies: unknown[] }).policies : null;
  if (!list || list.length === 0 || list.length > 200) throw invalid({ zh: '应为政策列表（1–200 条）', en: 'expected a list of 1–200 policies' });
  const errors: { index: number; path: string; zh: string; en: string }[] = [];
  const policies: Policy[] = [];
  list.forEach((x, index) => {
    const r = validatePolicy(x);
    if (r.ok) policies.push(r.policy);
    else errors.push(...r.errors.map((e) => ({ index, ...e })));
  });
  const codes = policies.map((p) => p.code);
  if (new Set(codes).size !== codes.length) errors.push({ index: -1, path: 'code', zh: '文件中政策代码重复', en: 'duplicate policy codes in the file' });
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new AppError('validation_failed', { zh: `第 ${e.index + 1} 条政策有误：${e.path} ${e.zh}`, en: `policy ${e.index + 1} is invalid: ${e.path} ${e.en}` }, { errors });
  }
  return deps.db.transaction(async (tx) => {
    const saved: { code: string; version: number }[] = [];
    for (const p of policies) {
      const version = (await repo.lockPolicyCode(tx, actor.districtCode, p.code)) + 1;
      await repo.insertPolicy(tx, actor.districtCode, { ...p, version }, actorId(actor), deps.clock(), false);
      saved.push({ code: p.code, version });
    }
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.policy.import', targetType: 'benefit_policy', detail: { saved } });
    return { saved };
  });
}

/** Seed the demo policies once (labelled demo). */
export async function seedDemoPolicies(deps: BenefitsDeps, actor: AnyActor): Promise<number> {
  let n = 0;
  const have = new Set((await repo.latestPolicies(deps.db, actor.districtCode)).map((r) => r.code));
  for (const p of DEMO_POLICIES) {
    if (have.has(p.code)) continue;
    await savePolicy(deps, actor, p, { isDemo: true });
    n++;
  }
  return n;
}

async function currentPolicies(q: Queryable, districtCode: string, code?: string): Promise<Policy[]> {
  const rows = await repo.latestPolicies(q, districtCode, code);
  if (code && rows.length === 0) throw notFound(POLICY);
  return rows.map((r) => r.rule);
}

/**
 * The live "who matches" count of a draft policy, computed in the database over the registry
 * (compiled SQL, values as parameters), within the actor's scope.
 */
export async function previewCount(deps: BenefitsDeps, actor: AnyActor, input: unknown, date: string) {
  assertCan(actor, 'benefits.configure');
  assertDate(date);
  const p = policyOrThrow(input);
  const sql = compileSql([p], date, factsSql());
  const r = await repo.countBySql(deps.db, sql.countsSql, [actor.districtCode, date, scopeOf(actor), ...sql.params]);
  const n = (k: string) => Number(r[k] ?? 0);
  return { date, eligible_receiving: n('er_0'), eligible_missing: n('em_0'), stop: n('st_0'), not_eligible: n('ne_0'), eligible: n('er_0') + n('em_0') };
}

// ---- matching ----------------------------------------------------------------------------------

export interface MatchSummary {
  runId: string;
  date: string;
  persons: number;
  policies: (PolicyCounts & { name: Bilingual; version: number })[];
}

export function benefitNames(policies: Policy[]): Record<string, Bilingual> {
  const out: Record<string, Bilingual> = {};
  for (const p of policies) out[p.benefitCode] = p.name;
  return out;
}

/**
 * Run policies (all, or one) over the registry in the actor's scope on a date: counts per
 * category, and the 沉默少数, stop list and receivers stored with their explanations.
 */
export async function runMatch(
  deps: BenefitsDeps,
  actor: AnyActor,
  input: { date: string; policy?: string },
  onProgress?: (phase: 'load' | 'match' | 'explain' | 'save', done: number, total: number) => void,
): Promise<MatchSummary> {
  assertCan(actor, 'benefits.read');
  assertDate(input.date);
  const scope = scopeOf(actor);
  const policies = await currentPolicies(deps.db, actor.districtCode, input.policy);
  onProgress?.('load', 0, 1);
  const facts = await factsAt(deps.db, actor.districtCode, input.date, scope);
  onProgress?.('load', 1, 1);
  const t = tableOf(input.date, facts, facts.length + 1);
  const compiled = policies.map((p) => compilePolicy(p, t));
  const keep: { k: number; i: number; cat: Category }[] = [];
  const counts = matchTable(compiled, t, { onRow: (k, i, cat) => keep.push({ k, i, cat }), onProgress: (d) => onProgress?.('match', d, t.n) });
  const why = explainer(t, { benefitNames: benefitNames(policies) });
  const rows: repo.ResultRow[] = [];
  keep.forEach(({ k, i }, n) => {
    const e = why(policies[k]!, i);
    rows.push({
      policy_code: policies[k]!.code,
      person_id: t.personId[i]!,
      household_id: t.household[i]! >= 0 ? t.householdIds[t.household[i]!]! : null,
      area_path: t.areaPath[i]!,
      grid_code: t.gridCode[i] ?? null,
      category: e.category,
      tier_code: e.tier?.code ?? null,
      monthly_fen: e.monthlyFen,
      stop_reason: e.stopReason,
      summary_zh: e.summary.zh,
      summary_en: e.summary.en,
      explanation: e,
    });
    if (n % 5000 === 0) onProgress?.('explain', n, keep.length);
  });
  const runId = randomUUID();
  await deps.db.transaction(async (tx) => {
    await repo.insertRun(tx, { id: runId, districtCode: actor.districtCode, refDate: input.date, scopePath: scope, policies: policies.map((p) => ({ code: p.code, version: p.version })), counts, persons: t.n, at: deps.clock(), by: actorId(actor) });
    await repo.insertResults(tx, runId, actor.districtCode, rows);
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.match', targetType: 'benefit_match_run', targetId: runId, detail: { date: input.date, scope, policies: policies.map((p) => p.code), persons: t.n } });
  });
  onProgress?.('save', 1, 1);
  return { runId, date: input.date, persons: t.n, policies: counts.map((c, k) => ({ ...c, name: policies[k]!.name, version: policies[k]!.version })) };
}

export async function getRun(deps: BenefitsDeps, actor: AnyActor, runId: string | null) {
  assertAny(actor, ['benefits.read', 'benefits.visit']);
  const run = await repo.getRun(deps.db, actor.districtCode, runId);
  if (!run) throw notFound({ zh: '比对结果', en: 'Match run' });
  const scoped = await repo.scopedRunCounts(deps.db, run.id, actor.districtCode, scopeOf(actor));
  // The stored counts carry codes only: name each with the policy version the run used (the web shows names).
  const names = new Map<string, Bilingual>();
  for (const { code, version } of run.policies) {
    const v = (await repo.policyVersions(deps.db, actor.districtCode, code)).find((r) => r.version === version);
    names.set(code, v?.rule.name ?? { zh: code, en: code });
  }
  const counts = (run.counts as PolicyCounts[]).map((c) => ({ ...c, name: names.get(c.code) ?? { zh: c.code, en: c.code }, version: run.policies.find((p) => p.code === c.code)?.version ?? null }));
  return {
    id: run.id,
    date: run.ref_date,
    persons: run.persons,
    createdAt: new Date(run.created_at).toISOString(),
    policies: run.policies,
    counts,
    inYourScope: scoped.map((r) => ({ policy: r.policy_code, category: r.category, n: Number(r.n) })),
  };
}

export async function listRuns(deps: BenefitsDeps, actor: AnyActor) {
  assertCan(actor, 'benefits.read');
  return (await repo.listRuns(deps.db, actor.districtCode, 20)).map((r) => ({ id: r.id, date: r.ref_date, persons: r.persons, createdAt: new Date(r.created_at).toISOString(), counts: r.counts }));
}

/** One category of one policy in a run (沉默少数, stop list, receivers), scoped, with explanations. */
export async function listResults(deps: BenefitsDeps, actor: AnyActor, q: { runId: string; policy: string; category: string; limit: number; offset: number }) {
  assertCan(actor, 'benefits.read');
  const { rows, total } = await repo.listResults(deps.db, { runId: q.runId, districtCode: actor.districtCode, policyCode: q.policy, category: q.category, scope: scopeOf(actor), limit: q.limit, offset: q.offset });
  const names = deps.people ? await deps.people(deps.db, actor.districtCode, rows.map((r) => r.person_id)) : new Map();
  await deps.db.transaction((tx) => recordAudit(tx, deps.clock, actor, { action: 'benefits.results.read', targetType: 'benefit_match_run', targetId: q.runId, detail: { policy: q.policy, category: q.category, n: rows.length } }));
  return {
    total,
    items: rows.map((r) => ({
      personId: r.person_id,
      name: names.get(r.person_id) ? maskName(names.get(r.person_id)!.name) : null,
      householdId: r.household_id,
      gridCode: r.grid_code,
      areaPath: r.area_path,
      category: r.category,
      tier: r.tier_code,
      monthlyFen: r.monthly_fen,
      stopReason: r.stop_reason,
      summary: { zh: r.summary_zh, en: r.summary_en },
      explanation: r.explanation,
    })),
  };
}

/** Facts of a person, their household and their spouse on a date (enough to explain them). */
async function factsAround(deps: BenefitsDeps, actor: AnyActor, personId: string, date: string): Promise<PersonFacts[]> {
  const sql = factsSql();
  const scope = scopeOf(actor);
  const first = (await repo.factsRowsWhere(deps.db, sql, actor.districtCode, date, scope, [personId], null)).map((r) => factsFromRow(r as unknown as PersonFactsRow));
  const me = first.find((p) => p.personId === personId);
  if (!me) throw notFound({ zh: '居民（或不在您的管辖范围内）', en: 'Person (or outside your scope)' });
  const ids = [personId, ...(me.spouseId ? [me.spouseId] : [])];
  return (await repo.factsRowsWhere(deps.db, sql, actor.districtCode, date, scope, ids, me.householdId)).map((r) => factsFromRow(r as unknown as PersonFactsRow));
}

/** Every current policy's verdict for one person on a date, explained. Audited (personal data). */
export async function explainPerson(deps: BenefitsDeps, actor: AnyActor, personId: string, date: string): Promise<{ personId: string; date: string; verdicts: Explanation[] }> {
  assertAny(actor, ['benefits.read', 'benefits.visit']);
  assertDate(date);
  const facts = await factsAround(deps, actor, personId, date);
  const t = tableOf(date, facts);
  const i = t.index.get(personId)!;
  const policies = await currentPolicies(deps.db, actor.districtCode);
  const ctx = { benefitNames: benefitNames(policies) };
  const verdicts = policies.map((p) => explain(p, t, i, ctx));
  await deps.db.transaction((tx) => recordAudit(tx, deps.clock, actor, { action: 'benefits.explain', targetType: 'resident', targetId: personId, detail: { date } }));
  return { personId, date, verdicts };
}

// ---- visits (worklists for the 沉默少数) ---------------------------------------------------------

export const OUTCOMES = ['applied', 'declined', 'not_eligible', 'unreachable'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Turn a run's 沉默少数 (in the actor's scope) into visit tasks for the grid workers. */
export async function createWorklist(deps: BenefitsDeps, actor: AnyActor, input: { runId: string; policy?: string }) {
  assertCan(actor, 'benefits.configure');
  const run = await repo.getRun(deps.db, actor.districtCode, input.runId);
  if (!run) throw notFound({ zh: '比对结果', en: 'Match run' });
  return deps.db.transaction(async (tx) => {
    const created = await repo.createVisitsFromRun(tx, run.id, actor.districtCode, scopeOf(actor), input.policy ?? null, deps.clock());
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.worklist.create', targetType: 'benefit_match_run', targetId: run.id, detail: { created, policy: input.policy ?? null } });
    return { created };
  });
}

/** The visits in the actor's scope: a grid worker's scope is their grid, so they see only their own. */
export async function listVisits(deps: BenefitsDeps, actor: AnyActor, q: { status?: string; limit: number; offset: number }) {
  assertAny(actor, ['benefits.visit', 'benefits.read']);
  const { rows, total } = await repo.listVisits(deps.db, actor.districtCode, scopeOf(actor), q.status ?? null, q.limit, q.offset);
  const people = deps.people ? await deps.people(deps.db, actor.districtCode, rows.map((r) => r.person_id)) : new Map();
  await deps.db.transaction((tx) => recordAudit(tx, deps.clock, actor, { action: 'benefits.visits.read', targetType: 'benefit_visit', detail: { n: rows.length } }));
  return {
    total,
    items: rows.map((r) => {
      const p = people.get(r.person_id);
      return {
        id: r.id,
        policy: r.policy_code,
        personId: r.person_id,
        name: p ? maskName(p.name) : null,
        address: p?.address ?? null,
        lon: p?.lon ?? null,
        lat: p?.lat ?? null,
        householdId: r.household_id,
        gridCode: r.grid_code,
        summary: { zh: r.summary_zh, en: r.summary_en },
        status: r.status,
        reason: r.reason,
        correctionStatus: r.correction_status,
        outcomeAt: r.outcome_at ? new Date(r.outcome_at).toISOString() : null,
      };
    }),
  };
}

/** Record a visit's outcome (once). "not eligible after visit" needs a reason and records a registry correction. */
export async function recordVisitOutcome(deps: BenefitsDeps, actor: AnyActor, visitId: string, input: { outcome: Outcome; reason?: string }) {
  assertCan(actor, 'benefits.visit');
  if (input.outcome === 'not_eligible' && !input.reason?.trim()) throw invalid({ zh: '走访后不符合：请写明原因（将作为户籍信息更正的依据）', en: 'not eligible after the visit: give the reason (it feeds a registry correction)' });
  return deps.db.transaction(async (tx) => {
    const v = await repo.getVisitForUpdate(tx, actor.districtCode, visitId);
    if (!v) throw notFound({ zh: '走访任务', en: 'Visit' });
    assertCan(actor, 'benefits.visit', v.area_path);
    if (v.status !== 'open') throw conflict({ zh: `该走访已记录结果（${v.status}）`, en: `this visit already has an outcome (${v.status})` });
    // "Not eligible after the visit" is a finding about the registry: it becomes a correction on the
    // person's record (shown on the person page for civil affairs to resolve), in this transaction.
    let correction: 'recorded' | null = null;
    if (input.outcome === 'not_eligible') {
      await residentsService.recordCorrection(
        deps,
        actor,
        { personId: v.person_id, field: 'other', note: input.reason!.trim(), source: 'benefit_visit', reference: `${v.policy_code}:${v.id}` },
        tx,
      );
      correction = 'recorded';
    }
    await repo.setVisitOutcome(tx, v.id, input.outcome, input.reason?.trim() || null, correction, deps.clock(), actorId(actor));
    await recordAudit(tx, deps.clock, actor, { action: 'benefits.visit.outcome', targetType: 'benefit_visit', targetId: v.id, detail: { outcome: input.outcome, personId: v.person_id, policy: v.policy_code } });
    return { id: v.id, status: input.outcome, correctionStatus: correction };
  });
}

/** Visit progress by street and grid, within the actor's scope. */
export async function visitProgress(deps: BenefitsDeps, actor: AnyActor) {
  assertAny(actor, ['benefits.visit', 'benefits.read']);
  const rows = await repo.visitProgress(deps.db, actor.districtCode, scopeOf(actor));
  type P = { open: number; applied: number; declined: number; not_eligible: number; unreachable: number; total: number };
  const empty = (): P => ({ open: 0, applied: 0, declined: 0, not_eligible: 0, unreachable: 0, total: 0 });
  const streets = new Map<string, P>();
  const grids = new Map<string, P & { street: string }>();
  for (const r of rows) {
    const n = Number(r.n);
    const s = streets.get(r.street) ?? empty();
    s[r.status as keyof P] += n;
    s.total += n;
    streets.set(r.street, s);
    const gk = r.grid_code ?? '-';
    const g = grids.get(gk) ?? { ...empty(), street: r.street };
    g[r.status as keyof P] += n;
    g.total += n;
    grids.set(gk, g);
  }
  return { streets: [...streets].map(([street, p]) => ({ street, ...p })), grids: [...grids].map(([grid, p]) => ({ grid, ...p })) };
}
