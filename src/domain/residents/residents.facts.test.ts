/**
 * The PersonFacts contract: the in-memory computation (factsAt → computeFacts) and the SQL
 * (factsSql) agree person by person, on a generated registry, at several dates and scopes —
 * including past dates, where the dated history must be reconstructed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { TEST_CONFIG } from '../../../test/helpers/constants';
import { fakeClock } from '../../shared/clock';
import { areasService } from '../areas';
import { computeFacts, factsAt, factsBySql, generateRegistry, PiiVault, residentsService, type Registry } from './index';

const D = TEST_CONFIG.districtCode;
const TODAY = '2026-11-22';
let t: TestDb;
let reg: Registry;
let cells: { code: string; path: string }[];

beforeAll(async () => {
  t = await freshDb();
  cells = (await areasService.listAreaRows(t.db, D, 'grid_cell')).map((c) => ({ code: c.code, path: c.path, geometry: c.geometry }));
  reg = generateRegistry({ seed: 'facts-test', persons: 1500, cells, referenceDate: TODAY });
  await residentsService.storeDemoRegistry(
    { db: t.db, clock: fakeClock(`${TODAY}T02:00:00Z`), pii: PiiVault.fromText(TEST_CONFIG.piiKey) },
    { kind: 'system', districtCode: D, reason: 'test' },
    reg,
  );
}, 120_000);
afterAll(() => t.cleanup());

describe('PersonFacts: memory = SQL', () => {
  for (const date of [TODAY, '2026-06-30', '2025-11-22', '2024-02-29', '2017-01-01']) {
    it(`agree on ${date} over the district`, async () => {
      const mem = await factsAt(t.db, D, date, `/${D}/`);
      const sql = await factsBySql(t.db, D, date, `/${D}/`);
      expect(mem.length).toBeGreaterThan(0);
      expect(sql).toEqual(mem);
      // And both equal the pure computation over the generated records themselves.
      expect(mem).toEqual(computeFacts(reg, date, `/${D}/`));
    });
  }

  it('agree within one street and one grid cell', async () => {
    const street = cells[0]!.path.split('/').slice(0, 3).join('/') + '/';
    for (const scope of [street, cells[0]!.path]) {
      const mem = await factsAt(t.db, D, TODAY, scope);
      const sql = await factsBySql(t.db, D, TODAY, scope);
      expect(sql).toEqual(mem);
      expect(mem.every((f) => f.areaPath.startsWith(scope))).toBe(true);
      expect(mem.length).toBeLessThan(reg.persons.length);
    }
  });

  it('the demo mix has each case the policies need', () => {
    const facts = computeFacts(reg, TODAY);
    expect(facts.some((f) => f.deathDate !== null && f.receiving.includes('elderly_allowance'))).toBe(true);
    expect(facts.some((f) => f.statuses.includes('dibao') && f.receiving.includes('dibao'))).toBe(true);
    expect(facts.some((f) => f.statuses.includes('dibao') && !f.receiving.includes('dibao'))).toBe(true);
    expect(facts.some((f) => !f.resident)).toBe(true);
    expect(facts.some((f) => f.disabilityGrade === 1)).toBe(true);
    expect(facts.some((f) => Object.keys(f.lastReceipts).includes('prepregnancy_check'))).toBe(true);
  });

  it('a past date shows the old state (registrations, incomes, ended statuses)', () => {
    const now = computeFacts(reg, TODAY);
    const past = computeFacts(reg, '2025-06-01');
    expect(past.length).toBeLessThan(now.length); // some arrived since
    const pastById = new Map(past.map((f) => [f.personId, f]));
    const changedIncome = now.filter((f) => pastById.has(f.personId) && pastById.get(f.personId)!.monthlyIncomeFen !== f.monthlyIncomeFen);
    expect(changedIncome.length).toBeGreaterThan(0);
    const endedDibao = now.filter((f) => !f.statuses.includes('dibao') && pastById.get(f.personId)?.statuses.includes('dibao'));
    expect(endedDibao.length).toBeGreaterThan(0);
  });
});
