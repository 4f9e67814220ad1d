/**
 * The benefits use cases on a real database with a generated registry: matching (memory = SQL
 * counts, every verdict explained), worklists scoped to the grid worker's grid, visit outcomes,
 * and payment cycles — two-person approval, frozen against later registry changes, diffs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { TEST_CONFIG } from '../../../test/helpers/constants';
import { fakeClock } from '../../shared/clock';
import type { Actor, SystemActor } from '../../shared/authz';
import { areasService, LocatorCache } from '../areas';
import { factsSql, generateRegistry, PiiVault, residentsService, type Registry } from '../residents';
import * as service from './service';
import * as cycles from './cycles';
import { compileSql } from './core/compile-sql';
import { DEMO_POLICIES } from './core/demo-policies';

const D = TEST_CONFIG.districtCode;
const TODAY = '2026-11-22';
let t: TestDb;
let reg: Registry;
let cells: { code: string; path: string }[];
const clock = fakeClock(`${TODAY}T02:00:00Z`);
const system: SystemActor = { kind: 'system', districtCode: D, reason: 'test' };
const user = (role: Actor['role'], areaPath: string | null = `/${D}/`): Actor => ({ kind: 'user', id: randomUUID(), role, districtCode: D, areaPath, departmentCode: null });
const officer = user('civil_affairs');
const approver = user('civil_affairs');
let deps: service.BenefitsDeps;

async function storeRegistry(seed: string) {
  reg = generateRegistry({ seed, persons: 1500, cells, referenceDate: TODAY });
  // a variable, not a literal: the residents' deps may grow (locators) without breaking this test
  const rdeps = { db: t.db, clock, pii: PiiVault.fromText(TEST_CONFIG.piiKey), locators: new LocatorCache() };
  await residentsService.storeDemoRegistry(rdeps, system, reg);
}

beforeAll(async () => {
  t = await freshDb();
  deps = { db: t.db, clock };
  cells = (await areasService.listAreaRows(t.db, D, 'grid_cell')).map((c) => ({ code: c.code, path: c.path, geometry: c.geometry }));
  await storeRegistry('benefits-test');
  // the demo seed may have added them already (demo-seed.ts); seeding again adds nothing twice
  await service.seedDemoPolicies(deps, system);
  expect(await service.seedDemoPolicies(deps, system)).toBe(0);
  expect((await service.listPolicies(deps, system)).map((p) => p.code).sort()).toEqual(DEMO_POLICIES.map((p) => p.code).sort());
}, 180_000);
afterAll(() => t.cleanup());

describe('policies', () => {
  it('save makes a new version; bad rules are refused naming the path; export → import round-trips', async () => {
    const p = { ...DEMO_POLICIES[0]!, name: { zh: '高龄补贴（修订）', en: 'Old-age allowance (revised)' } };
    const saved = await service.savePolicy(deps, officer, p);
    expect(saved.version).toBe(2);
    await expect(service.savePolicy(deps, officer, { ...p, eligibility: { all: [{ fact: 'age', op: '>=', value: -1 }] } })).rejects.toMatchObject({ status: 400, details: { errors: [expect.objectContaining({ path: 'eligibility.all[0].value' })] } });
    await expect(service.savePolicy(deps, user('grid_worker', cells[0]!.path), p)).rejects.toMatchObject({ status: 403 });
    const doc = await service.exportPolicies(deps, officer);
    expect(doc.policies.map((x) => x.code).sort()).toEqual(DEMO_POLICIES.map((x) => x.code).sort());
    const r = await service.importPolicies(deps, officer, JSON.parse(JSON.stringify(doc)));
    expect(r.saved).toHaveLength(DEMO_POLICIES.length);
    await expect(service.importPolicies(deps, officer, { policies: [doc.policies[0], { code: 'x' }] })).rejects.toMatchObject({ status: 400 });
    expect((await service.getPolicy(deps, officer, 'elderly_allowance')).versions.map((v) => v.version)).toEqual([3, 2, 1]);
  });

  it('the live preview counts in SQL what the in-memory match finds', async () => {
    const prev = await service.previewCount(deps, officer, DEMO_POLICIES[0], TODAY);
    const run = await service.runMatch(deps, officer, { date: TODAY, policy: 'elderly_allowance' });
    const c = run.policies[0]!;
    expect(prev.eligible_receiving).toBe(c.eligible_receiving);
    expect(prev.eligible_missing).toBe(c.eligible_missing);
    expect(prev.stop).toBe(c.stop);
    expect(prev.not_eligible).toBe(c.not_eligible);
    expect(c.eligible_receiving + c.eligible_missing).toBeGreaterThan(0);
  });
});

let runId: string;
describe('matching', () => {
  it('runs every policy: memory counts = SQL counts; 沉默少数 and stop lists are stored with explanations', async () => {
    const run = await service.runMatch(deps, officer, { date: TODAY });
    runId = run.runId;
    const policies = (await service.listPolicies(deps, officer)).map((v) => v.policy);
    const sql = compileSql(policies, TODAY, factsSql());
    const [counts] = await t.db.query<Record<string, string>>(sql.countsSql, [D, TODAY, `/${D}/`, ...sql.params]);
    policies.forEach((p, k) => {
      const m = run.policies.find((x) => x.code === p.code)!;
      expect([m.eligible_receiving, m.eligible_missing, m.stop, m.not_eligible]).toEqual([Number(counts![`er_${k}`]), Number(counts![`em_${k}`]), Number(counts![`st_${k}`]), Number(counts![`ne_${k}`])]);
    });
    const ea = run.policies.find((x) => x.code === 'elderly_allowance')!;
    expect(ea.eligible_missing).toBeGreaterThan(0);
    expect(ea.stop).toBeGreaterThan(0);
    const missing = await service.listResults(deps, officer, { runId, policy: 'elderly_allowance', category: 'eligible_missing', limit: 500, offset: 0 });
    expect(missing.total).toBe(ea.eligible_missing);
    for (const r of missing.items) expect(r.summary.zh).toMatch(/岁 ≥ \d+ 岁 → 第.档/);
    const stop = await service.listResults(deps, officer, { runId, policy: 'elderly_allowance', category: 'stop', limit: 500, offset: 0 });
    expect(stop.items.length).toBe(ea.stop);
    for (const r of stop.items) {
      expect(r.stopReason).not.toBeNull();
      expect(r.explanation.failing.length).toBeGreaterThan(0);
    }
    expect(stop.items.some((r) => r.stopReason === 'died')).toBe(true);
  });

  it('a stored run names each policy\'s counts with the version it ran (the match page shows them)', async () => {
    const run = await service.getRun(deps, officer, runId);
    expect(run.counts.length).toBe(DEMO_POLICIES.length);
    for (const c of run.counts) expect(c).toMatchObject({ code: expect.any(String), name: { zh: expect.any(String), en: expect.any(String) }, version: expect.any(Number) });
    const ea = run.counts.find((c) => c.code === 'elderly_allowance')!;
    // the first test saved 高龄补贴 version 2 under a revised name, and the import made version 3 of it
    expect(ea.name.zh).toBe('高龄补贴（修订）');
    expect(ea.version).toBe(run.policies.find((p) => p.code === 'elderly_allowance')!.version);
  });

  it('explains one person: every policy, and a "not eligible" names a failing clause', async () => {
    const someone = reg.persons.find((p) => p.birthDate < '1950-01-01' && !p.diedOn)!;
    const r = await service.explainPerson(deps, officer, someone.id, TODAY);
    expect(r.verdicts).toHaveLength(DEMO_POLICIES.length);
    for (const v of r.verdicts) if (!v.eligible) expect(v.failing.length).toBeGreaterThan(0);
    await expect(service.explainPerson(deps, user('grid_worker', '/370202/999/'), someone.id, TODAY)).rejects.toMatchObject({ status: 404 });
  });
});

describe('worklists', () => {
  it('a grid worker sees only the visits of their own grid and can record outcomes only there', async () => {
    const created = await service.createWorklist(deps, officer, { runId });
    expect(created.created).toBeGreaterThan(0);
    expect((await service.createWorklist(deps, officer, { runId })).created).toBe(0);
    const all = await service.listVisits(deps, officer, { limit: 500, offset: 0 });
    const byGrid = new Map<string, number>();
    for (const v of all.items) byGrid.set(v.gridCode ?? '', (byGrid.get(v.gridCode ?? '') ?? 0) + 1);
    const [gridCode] = [...byGrid.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const cell = cells.find((c) => c.code === gridCode)!;
    const worker = user('grid_worker', cell.path);
    const mine = await service.listVisits(deps, worker, { limit: 500, offset: 0 });
    expect(mine.total).toBe(byGrid.get(gridCode));
    expect(mine.items.every((v) => v.gridCode === gridCode)).toBe(true);
    const other = all.items.find((v) => v.gridCode !== gridCode)!;
    await expect(service.recordVisitOutcome(deps, worker, other.id, { outcome: 'applied' })).rejects.toMatchObject({ status: 403 });
    await expect(service.recordVisitOutcome(deps, worker, mine.items[0]!.id, { outcome: 'not_eligible' })).rejects.toMatchObject({ status: 400 });
    const done = await service.recordVisitOutcome(deps, worker, mine.items[0]!.id, { outcome: 'not_eligible', reason: '实际已随子女迁居外地' });
    expect(done.correctionStatus).toBe('recorded');
    const [correction] = await deps.db.query<{ note: string; source: string }>(`SELECT note, source FROM res_corrections WHERE reference LIKE '%' || $1`, [mine.items[0]!.id]);
    expect(correction).toMatchObject({ note: '实际已随子女迁居外地', source: 'benefit_visit' });
    await expect(service.recordVisitOutcome(deps, worker, mine.items[0]!.id, { outcome: 'applied' })).rejects.toMatchObject({ status: 409 });
    const prog = await service.visitProgress(deps, worker);
    expect(prog.grids).toHaveLength(1);
    expect(prog.grids[0]!.not_eligible).toBe(1);
  });
});

describe('payment cycles', () => {
  it('two-person approval, frozen against registry changes, diff with reasons, publicity masked, Excel', async () => {
    const draft = await cycles.prepareCycle(deps, officer, { policy: 'elderly_allowance', month: '2026-11' });
    expect(draft.persons).toBeGreaterThan(0);
    expect(draft.totalFen).toBeGreaterThan(0);
    await expect(cycles.approveCycle(deps, approver, draft.id)).rejects.toMatchObject({ status: 409 });
    await cycles.reviewCycle(deps, officer, draft.id);
    await expect(cycles.approveCycle(deps, { ...officer }, draft.id)).rejects.toMatchObject({ status: 403 });
    const approved = await cycles.approveCycle(deps, approver, draft.id);
    expect(approved.frozen).toBe(true);
    const before = await cycles.getCycle(deps, officer, draft.id);

    // the database itself refuses to touch a frozen cycle
    await expect(t.db.query('UPDATE benefit_entitlements SET amount_fen = 1 WHERE cycle_id = $1', [draft.id])).rejects.toThrow(/frozen/);
    await expect(t.db.query('DELETE FROM benefit_cycles WHERE id = $1', [draft.id])).rejects.toThrow(/frozen/);
    await expect(cycles.prepareCycle(deps, officer, { policy: 'elderly_allowance', month: '2026-11' })).rejects.toMatchObject({ status: 409 });

    // the registry changes completely: the frozen cycle does not
    await storeRegistry('benefits-test-changed');
    const after = await cycles.getCycle(deps, officer, draft.id);
    expect(after).toEqual(before);

    const next = await cycles.prepareCycle(deps, officer, { policy: 'elderly_allowance', month: '2026-12' });
    const d = await cycles.diff(deps, officer, draft.id, next.id);
    expect(d.diff.added.length + d.diff.removed.length).toBeGreaterThan(0);
    for (const r of d.diff.removed) expect(r.reason.zh.length).toBeGreaterThan(0);
    expect(d.diff.totals.afterFen).toBe(next.totalFen);

    const pub = await cycles.publicity(deps, officer, draft.id);
    expect(pub.items.length).toBe(draft.persons);
    expect(Object.keys(pub.items[0]!).sort()).toEqual(['amountFen', 'name', 'street', 'tier']);
    const x = await cycles.exportBatch(deps, approver, draft.id);
    expect(x.buffer.subarray(0, 2).toString()).toBe('PK');
    const tot = await cycles.totals(deps, officer, '2026-01', '2026-12');
    expect(tot.byPolicy.elderly_allowance).toBe(approved.totalFen);
  });
});
