/**
 * 政策找人 at scale: a generated registry of ~1M persons in ~400k households (the residents
 * module's deterministic generator, 100k persons copied with distinct ids) and 20
 * policies (the 7 demo policies and 13 variants).
 *
 * - in memory: the policies compiled once to closures over a columnar table, a full match of
 *   every person × every policy (median of 3);
 * - PostgreSQL (127.0.0.1:5432, a fresh database created and dropped here): the same policies
 *   compiled to one parameterised query over a table with the facts query's columns, counts per
 *   policy and category — checked equal to the in-memory counts;
 * - json-rules-engine 7 on a sample of the same persons (derived facts precomputed: its best
 *   case), evaluations per second, and its agreement with our verdicts.
 *
 * The 1M registry is the generator's 100k persons copied 10× with distinct ids (generating 1M
 * directly took > 10 minutes on the shared 2-core machine). BENCH_BENEFITS_PERSONS overrides
 * the size (default 1,000,000).
 */
import pg from 'pg';
import { Engine, type TopLevelCondition, type NestedCondition } from 'json-rules-engine';
import { computeFacts, generateRegistry, type GeneratorCell } from '../src/domain/residents';
import { benchPolicies, compilePolicy, compileSql, matchTable, TableBuilder, type Condition, type FactsTable, type Policy } from '../src/domain/benefits';
import { compileCondition } from '../src/domain/benefits/core/compile';
import { ageAt, daysSince, monthsSince, ymdOf } from '../src/domain/benefits/core/dates';
import { SPECIAL_STATUSES } from '../src/domain/benefits/core/rules';
import { FACTS_TABLE_DDL, factsSqlOver, insertFacts } from '../src/domain/benefits/testing/facts-table';

const SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATE = '2026-11-22';
const CHUNK = 100_000;
const JRE_SAMPLE = 10_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mib = () => Math.round(process.memoryUsage().rss / 2 ** 20);

function cells(): GeneratorCell[] {
  const out: GeneratorCell[] = [];
  for (let s = 1; s <= 10; s++)
    for (let c = 1; c <= 4; c++)
      for (let g = 1; g <= 10; g++) {
        const street = `370202${String(s).padStart(3, '0')}`;
        const community = `${street}${String(c).padStart(3, '0')}`;
        const code = `${community}${String(g).padStart(3, '0')}`;
        out.push({ code, path: `/370202/${street}/${community}/${code}/`, geometry: null });
      }
  return out;
}

// ---- json-rules-engine: the same rules, facts precomputed --------------------------------------

const JRE_OP = { '=': 'equal', '!=': 'notEqual', '<': 'lessThan', '<=': 'lessThanInclusive', '>': 'greaterThan', '>=': 'greaterThanInclusive' } as const;
/** A householdCount (count per person) or spouse (yes/no) clause, precomputed as a fact. */
type Derived = { key: string; kind: 'hc' | 'sp'; value: (i: number) => number | boolean; c: Condition };

function toJre(c: Condition, derived: Derived[], prefix: string): NestedCondition {
  if ('all' in c) return { all: c.all.map((x) => toJre(x, derived, prefix)) };
  if ('any' in c) return { any: c.any.map((x) => toJre(x, derived, prefix)) };
  if ('not' in c) return { not: toJre(c.not, derived, prefix) };
  if ('status' in c) return { fact: `st_${c.status}`, operator: 'equal', value: true };
  if ('receiving' in c) return { fact: `rc_${c.receiving}`, operator: 'equal', value: true };
  if ('since' in c) {
    const fact = `${c.unit === 'months' ? 'ms' : 'ds'}_${c.since}`;
    const cmp = { fact, operator: JRE_OP[c.op], value: c.value };
    return c.never ? { any: [{ fact, operator: 'equal', value: null }, cmp] } : { all: [{ fact, operator: 'notEqual', value: null }, cmp] };
  }
  if ('householdCount' in c || 'spouse' in c) {
    const key = `${prefix}_${derived.length}`;
    derived.push({ key, kind: 'householdCount' in c ? 'hc' : 'sp', value: () => false, c });
    return 'householdCount' in c ? { fact: key, operator: JRE_OP[c.op], value: c.value } : { fact: key, operator: 'equal', value: true };
  }
  if (c.fact === 'sex' || c.fact === 'maritalStatus' || c.fact === 'hukouType' || c.fact === 'disabilityType') {
    return { all: [{ fact: c.fact, operator: 'notEqual', value: null }, { fact: c.fact, operator: c.op, value: c.value }] };
  }
  if (c.fact === 'disabilityGrade') return { all: [{ fact: c.fact, operator: 'notEqual', value: null }, { fact: c.fact, operator: JRE_OP[c.op], value: c.value }] };
  return { fact: c.fact, operator: JRE_OP[c.op as keyof typeof JRE_OP], value: c.value as number | boolean };
}

function jreRule(p: Policy, k: number, derived: Derived[]): { conditions: TopLevelCondition; event: { type: string } } {
  const parts: NestedCondition[] = [
    { fact: 'alive', operator: 'equal', value: true },
    { fact: 'resident', operator: 'equal', value: true },
    toJre(p.eligibility, derived, `d${k}`),
    ...p.exclusions.map((x) => ({ not: toJre(x, derived, `d${k}`) }) as NestedCondition),
  ];
  if (p.tiers.length > 0) parts.push({ any: p.tiers.map((t) => toJre(t.when, derived, `d${k}`)) });
  return { conditions: { all: parts }, event: { type: p.code } };
}

function jreFacts(t: FactsTable, i: number, ref: number, derived: Derived[]): Record<string, unknown> {
  const enumOf = (list: string[], code: number) => (code === 0 ? null : (list[code - 1] ?? null));
  const f: Record<string, unknown> = {
    age: ageAt(t.birth[i]!, ref),
    monthlyIncomeFen: t.income[i],
    householdSize: t.hhSize[i],
    householdIncomeFen: t.hhIncome[i],
    perCapitaIncomeFen: t.hhIncome[i]! / t.hhSize[i]!,
    disabilityGrade: t.disabilityGrade[i] === 0 ? null : t.disabilityGrade[i],
    sex: enumOf(['M', 'F'], t.sex[i]!),
    maritalStatus: enumOf(['single', 'married', 'divorced', 'widowed'], t.marital[i]!),
    hukouType: enumOf(['local', 'city', 'outside'], t.hukou[i]!),
    disabilityType: t.disabilityType[i],
    alive: t.death[i] === 0 || t.death[i]! > ref,
    resident: t.resident[i] === 1,
    hasDisability: t.disabilityGrade[i] !== 0,
    isHouseholdHead: t.isHead[i] === 1,
    hasSpouse: t.spouseId[i] !== null,
  };
  SPECIAL_STATUSES.forEach((s, b) => (f[`st_${s}`] = (t.statuses[i]! & (1 << b)) !== 0));
  for (const [code, a] of t.receiving) f[`rc_${code}`] = a[i] === 1;
  for (const [code, a] of t.lastReceipt) {
    f[`ms_${code}`] = a[i] === 0 ? null : monthsSince(a[i]!, ref);
    f[`ds_${code}`] = a[i] === 0 ? null : daysSince(a[i]!, ref);
  }
  for (const d of derived) f[d.key] = d.value(i);
  return f;
}

// ---- the bench ---------------------------------------------------------------------------------

export async function benchBenefits(options: { persons?: number } = {}) {
  const target = options.persons ?? Number(process.env.BENCH_BENEFITS_PERSONS ?? 1_000_000);
  const policies = benchPolicies();
  const gridCells = cells();
  const dbName = `minsheng_bench_benefits_${process.pid}`;
  let admin: pg.Client | null = new pg.Client({ connectionString: `${SERVER}/postgres` });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
  } catch (e) {
    console.log(`  PostgreSQL not available (${e instanceof Error ? e.message : String(e)}): in-memory only`);
    await admin.end().catch(() => undefined);
    admin = null;
  }
  const client = admin ? new pg.Client({ connectionString: `${SERVER}/${dbName}` }) : null;
  try {
    if (client) {
      await client.connect();
      await client.query(FACTS_TABLE_DDL('bench_facts'));
    }
    // 1. generate 100k persons once (the residents' generator), then copy them with distinct ids
    //    (person, household and spouse ids suffixed) up to the target: the same distributions,
    //    in seconds instead of minutes; PostgreSQL copies them with one INSERT … SELECT.
    const builder = new TableBuilder(DATE, target + CHUNK);
    let t0 = performance.now();
    const reg = generateRegistry({ seed: 'bench-benefits', persons: Math.min(CHUNK, target), cells: gridCells, referenceDate: DATE });
    const genMs = performance.now() - t0;
    t0 = performance.now();
    const base = computeFacts(reg, DATE);
    const factsMs = performance.now() - t0;
    const copies = Math.max(1, Math.round(target / base.length));
    const households = reg.households.length * copies;
    const sfx = (id: string | null, k: number) => (id === null || k === 0 ? id : `${id}-${k}`);
    for (let k = 0; k < copies; k++) {
      for (const p of base) {
        builder.add(
          k === 0
            ? p
            : { ...p, personId: `${p.personId}-${k}`, householdId: sfx(p.householdId, k), spouseId: sfx(p.spouseId, k), household: { ...p.household, headPersonId: sfx(p.household.headPersonId, k) } },
        );
      }
    }
    let loadMs = 0;
    if (client) {
      t0 = performance.now();
      await insertFacts({ query: async (sql, params) => (await client.query(sql, params as unknown[])).rows }, 'bench_facts', base);
      const sx = (col: string) => `CASE WHEN ${col} IS NULL THEN NULL ELSE ${col} || '-' || k END`;
      await client.query(
        `INSERT INTO bench_facts SELECT person_id || '-' || k, ${sx('household_id')}, area_path, grid_code, birth_date, death_date, resident, sex, marital_status, ${sx('spouse_id')},
                hukou_type, disability_type, disability_grade, monthly_income_fen, statuses, receiving, last_receipts, household_size, household_monthly_income_fen, ${sx('household_head_id')}
           FROM bench_facts, generate_series(1, $1::int - 1) AS k`,
        [copies],
      );
      loadMs = performance.now() - t0;
    }
    console.log(`  ${base.length.toLocaleString('en-US')} generated × ${copies} copies (RSS ${mib()} MiB)`);
    const t = builder.finish();
    const ref = ymdOf(DATE);

    // 2. in memory
    t0 = performance.now();
    const compiled = policies.map((p) => compilePolicy(p, t));
    const compileMs = performance.now() - t0;
    const runs: number[] = [];
    let counts = matchTable(compiled, t);
    for (let r = 0; r < 3; r++) {
      t0 = performance.now();
      counts = matchTable(compiled, t);
      runs.push(performance.now() - t0);
    }
    const memMs = median(runs);
    const evals = t.n * policies.length;
    console.log(`  in memory: ${Math.round(memMs)} ms for ${evals.toLocaleString('en-US')} evaluations`);

    // 3. PostgreSQL
    let pgResult: null | { loadMs: number; matchMs: number; runsMs: number[]; evaluationsPerSecond: number; countsAgree: boolean } = null;
    if (client) {
      await client.query('ANALYZE bench_facts');
      // as repo.countBySql does: no JIT for the compiled query (its compile time dominated)
      await client.query('SET jit = off');
      const sql = compileSql(policies, DATE, factsSqlOver('bench_facts'));
      const pgRuns: number[] = [];
      let row: Record<string, unknown> = {};
      for (let r = 0; r < 2; r++) {
        t0 = performance.now();
        row = (await client.query(sql.countsSql, ['370202', DATE, '/370202/', ...sql.params])).rows[0] as Record<string, unknown>;
        pgRuns.push(performance.now() - t0);
      }
      const agree = counts.every((c, k) => Number(row[`er_${k}`]) === c.eligible_receiving && Number(row[`em_${k}`]) === c.eligible_missing && Number(row[`st_${k}`]) === c.stop && Number(row[`ne_${k}`]) === c.not_eligible);
      const matchMs = Math.min(...pgRuns);
      pgResult = { loadMs: Math.round(loadMs), matchMs: Math.round(matchMs), runsMs: pgRuns.map(Math.round), evaluationsPerSecond: Math.round(evals / (matchMs / 1000)), countsAgree: agree };
      console.log(`  PostgreSQL: ${Math.round(matchMs)} ms, counts agree: ${agree}`);
    }

    // 4. json-rules-engine on a sample
    const sample = Math.min(JRE_SAMPLE, t.n);
    const derived: Derived[] = [];
    const rules = policies.map((p, k) => jreRule(p, k, derived));
    for (const d of derived) {
      // derived facts computed by the same compiled predicates (json-rules-engine's best case)
      if ('householdCount' in d.c) {
        const member = compileCondition(d.c.householdCount, t, ref);
        const cnt = new Int32Array(t.householdIds.length);
        const own = (j: number) => (t.death[j] === 0 || t.death[j]! > ref) && t.resident[j] === 1 && member(j);
        for (let j = 0; j < t.n; j++) if (t.household[j]! >= 0 && own(j)) cnt[t.household[j]!]!++;
        d.value = (i) => (t.household[i]! >= 0 ? cnt[t.household[i]!]! : own(i) ? 1 : 0);
      } else d.value = compileCondition(d.c, t, ref);
    }
    const engine = new Engine(rules, { allowUndefinedFacts: true });
    const factsList: Record<string, unknown>[] = [];
    for (let i = 0; i < sample; i++) factsList.push(jreFacts(t, i, ref, derived));
    t0 = performance.now();
    let agreeN = 0;
    for (let i = 0; i < sample; i++) {
      const r = await engine.run(factsList[i]!);
      const passed = new Set(r.events.map((e) => e.type));
      compiled.forEach((c) => {
        if (passed.has(c.policy.code) === c.verdict(i) >= 0) agreeN++;
      });
    }
    const jreMs = performance.now() - t0;
    const jreEps = (sample * policies.length) / (jreMs / 1000);
    const memEps = evals / (memMs / 1000);
    console.log(`  json-rules-engine: ${Math.round(jreEps).toLocaleString('en-US')} evaluations/s on ${sample} persons`);

    return {
      persons: t.n,
      households,
      policies: policies.length,
      date: DATE,
      generation: { generateMs: Math.round(genMs), factsMs: Math.round(factsMs) },
      memory: { compileMs: Math.round(compileMs * 100) / 100, matchMs: Math.round(memMs), runsMs: runs.map(Math.round), evaluationsPerSecond: Math.round(memEps), rssMiB: mib() },
      postgres: pgResult,
      jsonRulesEngine: { samplePersons: sample, ms: Math.round(jreMs), evaluationsPerSecond: Math.round(jreEps), agreement: agreeN / (sample * policies.length), fullRunEstimateS: Math.round(evals / jreEps) },
      speedupVsJsonRulesEngine: Math.round(memEps / jreEps),
      counts: counts.map((c) => ({ code: c.code, eligible_receiving: c.eligible_receiving, eligible_missing: c.eligible_missing, stop: c.stop, not_eligible: c.not_eligible })),
    };
  } finally {
    await client?.end().catch(() => undefined);
    if (admin) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    }
  }
}
