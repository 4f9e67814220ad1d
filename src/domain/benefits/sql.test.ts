/**
 * The SQL compilation selects the same people, with the same tiers, as the in-memory closures —
 * on random registries and random rules, on PGlite (and on PostgreSQL when DATABASE_URL is set).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { compilePolicy, matchTable } from './core/compile';
import { compileSql } from './core/compile-sql';
import { tableOf } from './core/table';
import { DEMO_POLICIES } from './core/demo-policies';
import { policyArb, registryArb } from './testing/arbitraries';
import { countBySql } from './repo';
import { FACTS_TABLE_DDL, factsSqlOver, insertFacts } from './testing/facts-table';

let tdb: TestDb;
beforeAll(async () => {
  tdb = await freshDb({ seed: false });
  await tdb.db.query(FACTS_TABLE_DDL('t_bfacts'));
});
afterAll(async () => tdb?.cleanup());

describe('SQL = memory', () => {
  it('random registries × random rules: same verdict, tier and receiving flag for every person', async () => {
    await fc.assert(
      fc.asyncProperty(registryArb, fc.array(policyArb, { minLength: 1, maxLength: 3 }), async ({ refDate, persons }, policies) => {
        const db = tdb.db;
        await db.query('DELETE FROM t_bfacts');
        await insertFacts(db, 't_bfacts', persons);
        const t = tableOf(refDate, persons);
        const compiled = policies.map((p) => compilePolicy(p, t));
        const sql = compileSql(policies, refDate, factsSqlOver('t_bfacts'));
        const rows = await db.query<Record<string, unknown>>(sql.rowsSql, ['370202', refDate, '/370202/', ...sql.params]);
        expect(rows.length).toBe(persons.length);
        for (const r of rows) {
          const i = t.index.get(r.person_id as string)!;
          policies.forEach((_, k) => {
            expect(Number(r[`v_${k}`]), `${r.person_id as string} policy ${k}: ${JSON.stringify(policies[k]!.eligibility)}`).toBe(compiled[k]!.verdict(i));
            expect(r[`r_${k}`]).toBe(compiled[k]!.receiving(i));
          });
        }
        const counts = await countBySql(db, sql.countsSql, ['370202', refDate, '/370202/', ...sql.params]);
        const mem = matchTable(compiled, t);
        mem.forEach((m, k) => {
          expect(Number(counts![`er_${k}`])).toBe(m.eligible_receiving);
          expect(Number(counts![`em_${k}`])).toBe(m.eligible_missing);
          expect(Number(counts![`st_${k}`])).toBe(m.stop);
          expect(Number(counts![`ne_${k}`])).toBe(m.not_eligible);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('the demo policies agree too, and literal values never enter the SQL text', async () => {
    const sql = compileSql(DEMO_POLICIES, '2025-06-15', factsSqlOver('t_bfacts'));
    expect(sql.rowsSql).not.toContain('105000');
    expect(sql.rowsSql).not.toContain("'local'");
    expect(sql.rowsSql).not.toContain('prepregnancy');
    expect(sql.params).toContain(105000);
  });
});
