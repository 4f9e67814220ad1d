/**
 * Policies compiled to one parameterised SQL query over the residents module's facts query
 * (`factsSql()`: $1 district, $2 date, $3 scope → one row per person). Every literal of a rule —
 * numbers, codes, dates — is bound as a parameter ($4, $5, …); the only text the compiler writes
 * is its own fixed fragments and the fixed column names below. Null-safe: every clause is
 * wrapped so it is true or false, never NULL, so NOT flips it exactly as in memory.
 *
 * Semantics are those of compile.ts (tested to agree on random registries and rules).
 */
import type { Condition, NumOp, Policy } from './rules';
import { daysCutoff, floorToRealDate, isoOf, monthsCutoff, ymdOf } from './dates';
import { inForce } from './compile';

/** The facts query's columns (residents' FACTS_COLUMNS; dates may be text or date, so they are cast). */
export const COL = {
  personId: 'person_id',
  householdId: 'household_id',
  areaPath: 'area_path',
  birthDate: 'birth_date',
  deathDate: 'death_date',
  resident: 'resident',
  sex: 'sex',
  maritalStatus: 'marital_status',
  spouseId: 'spouse_id',
  hukouType: 'hukou_type',
  disabilityType: 'disability_type',
  disabilityGrade: 'disability_grade',
  monthlyIncomeFen: 'monthly_income_fen',
  statuses: 'statuses',
  receiving: 'receiving',
  lastReceipts: 'last_receipts',
  householdSize: 'household_size',
  householdIncomeFen: 'household_monthly_income_fen',
  householdHeadId: 'household_head_id',
} as const;

const SQL_OP: Record<NumOp, string> = { '=': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

class Params {
  values: unknown[] = [];
  private seen = new Map<string, string>();
  constructor(private offset: number) {}
  add(v: unknown, type: 'int' | 'bigint' | 'text' | 'date' | 'text[]'): string {
    const key = `${type}:${JSON.stringify(v)}`;
    const have = this.seen.get(key);
    if (have) return have;
    this.values.push(v);
    const p = `$${this.offset + this.values.length}::${type}`;
    this.seen.set(key, p);
    return p;
  }
}

function fromGe(ge: (n: number) => string, op: NumOp, n: number): string {
  switch (op) {
    case '>=':
      return ge(n);
    case '>':
      return ge(n + 1);
    case '<':
      return `(NOT ${ge(n)})`;
    case '<=':
      return `(NOT ${ge(n + 1)})`;
    case '=':
      return `(${ge(n)} AND NOT ${ge(n + 1)})`;
    case '!=':
      return `(NOT ${ge(n)} OR ${ge(n + 1)})`;
  }
}

interface Ctx {
  P: Params;
  refYmd: number;
  refDate: string;
  /** aggregate expressions for householdCount, computed per household in the inner layer */
  windows: string[];
  usesSpouse: boolean;
}

const nn = (e: string) => `coalesce(${e}, false)`;

function aliveExpr(a: string, ctx: Ctx): string {
  return `(${a}.${COL.deathDate} IS NULL OR ${a}.${COL.deathDate}::date > ${ctx.P.add(ctx.refDate, 'date')})`;
}

/** a: the alias of the person's row; inner: whether we are inside the window layer. */
function cond(c: Condition, a: string, ctx: Ctx, inWindow: boolean): string {
  const P = ctx.P;
  if ('all' in c) return `(${c.all.map((x) => cond(x, a, ctx, inWindow)).join(' AND ')})`;
  if ('any' in c) return `(${c.any.map((x) => cond(x, a, ctx, inWindow)).join(' OR ')})`;
  if ('not' in c) return `(NOT ${cond(c.not, a, ctx, inWindow)})`;
  if ('status' in c) return nn(`${P.add(c.status, 'text')} = ANY(${a}.${COL.statuses})`);
  if ('receiving' in c) return nn(`${P.add(c.receiving, 'text')} = ANY(${a}.${COL.receiving})`);
  if ('since' in c) {
    const last = `(${a}.${COL.lastReceipts} ->> ${P.add(c.since, 'text')})`;
    const cut = (n: number) => isoOf(c.unit === 'months' ? monthsCutoff(ctx.refYmd, n) : daysCutoff(ctx.refYmd, n));
    const ge = fromGe((n) => `(${last}::date <= ${P.add(cut(n), 'date')})`, c.op, c.value);
    return `(CASE WHEN ${last} IS NULL THEN ${c.never ? 'true' : 'false'} ELSE ${ge} END)`;
  }
  if ('spouse' in c) {
    ctx.usesSpouse = true;
    return `(s.${COL.personId} IS NOT NULL AND ${cond(c.spouse, 's', ctx, inWindow)})`;
  }
  if ('householdCount' in c) {
    if (inWindow) throw new Error('householdCount cannot nest (validator)');
    const member = cond(c.householdCount, 'f', ctx, true);
    const k = ctx.windows.length;
    ctx.windows.push(`count(*) FILTER (WHERE ${aliveExpr('f', ctx)} AND coalesce(f.${COL.resident}, false) AND ${member}) AS hc_${k}`);
    return `(${a}.hc_${k} ${SQL_OP[c.op]} ${P.add(c.value, 'int')})`;
  }
  switch (c.fact) {
    case 'age':
      return fromGe((n) => `(${a}.${COL.birthDate}::date <= ${P.add(isoOf(floorToRealDate(ctx.refYmd - n * 10000)), 'date')})`, c.op, c.value);
    case 'monthlyIncomeFen':
      return nn(`${a}.${COL.monthlyIncomeFen} ${SQL_OP[c.op]} ${P.add(c.value, 'bigint')}`);
    case 'householdSize':
      return nn(`greatest(${a}.${COL.householdSize}, 1) ${SQL_OP[c.op]} ${P.add(c.value, 'int')}`);
    case 'householdIncomeFen':
      return nn(`${a}.${COL.householdIncomeFen} ${SQL_OP[c.op]} ${P.add(c.value, 'bigint')}`);
    case 'perCapitaIncomeFen':
      return nn(`${a}.${COL.householdIncomeFen} ${SQL_OP[c.op]} ${P.add(c.value, 'bigint')} * greatest(${a}.${COL.householdSize}, 1)`);
    case 'disabilityGrade':
      return nn(`${a}.${COL.disabilityGrade} ${SQL_OP[c.op]} ${P.add(c.value, 'int')}`);
    case 'sex':
    case 'maritalStatus':
    case 'hukouType':
    case 'disabilityType': {
      const col = `${a}.${COL[c.fact]}`;
      const set = P.add(c.value, 'text[]');
      return c.op === 'in' ? nn(`${col} = ANY(${set})`) : nn(`${col} <> ALL(${set})`);
    }
    case 'alive':
    case 'resident':
    case 'hasDisability':
    case 'isHouseholdHead':
    case 'hasSpouse': {
      const e =
        c.fact === 'alive'
          ? aliveExpr(a, ctx)
          : c.fact === 'resident'
            ? nn(`${a}.${COL.resident}`)
            : c.fact === 'hasDisability'
              ? `(${a}.${COL.disabilityGrade} IS NOT NULL)`
              : c.fact === 'isHouseholdHead'
                ? nn(`${a}.${COL.householdHeadId} = ${a}.${COL.personId}`)
                : `(${a}.${COL.spouseId} IS NOT NULL)`;
      return c.value ? e : `(NOT ${e})`;
    }
  }
  throw new Error('unreachable: unvalidated clause');
}

export interface CompiledSql {
  /** one row per person: person_id, area_path, v_<k> (int: -1 not eligible, else tier index), r_<k> (bool receiving) */
  rowsSql: string;
  /** one row: for each policy k, er_k / em_k / st_k / ne_k counts (eligible receiving / missing / stop / not eligible) */
  countsSql: string;
  /** parameters from $4 on; call with [district, date, scope, ...params] */
  params: unknown[];
}

/**
 * Compile policies over a facts query. `facts` is SQL text using $1 district, $2 date, $3 scope
 * (from the residents module, or any query with the same columns).
 */
export function compileSql(policies: Policy[], refDate: string, facts: string): CompiledSql {
  const refYmd = ymdOf(refDate);
  const P = new Params(3);
  const ctx: Ctx = { P, refYmd, refDate, windows: [], usesSpouse: false };
  const cols: string[] = [];
  policies.forEach((p, k) => {
    const rec = nn(`${P.add(p.benefitCode, 'text')} = ANY(g.${COL.receiving})`);
    let verdict: string;
    if (!inForce(p, refDate)) verdict = '-1';
    else {
      const parts = [aliveExpr('g', ctx), nn(`g.${COL.resident}`), cond(p.eligibility, 'g', ctx, false)];
      for (const x of p.exclusions) parts.push(`(NOT ${cond(x, 'g', ctx, false)})`);
      const base = parts.join(' AND ');
      if (p.tiers.length === 0) verdict = `CASE WHEN ${base} THEN 0 ELSE -1 END`;
      else verdict = `CASE WHEN NOT (${base}) THEN -1 ${p.tiers.map((t, j) => `WHEN ${cond(t.when, 'g', ctx, false)} THEN ${j}`).join(' ')} ELSE -1 END`;
    }
    cols.push(`${verdict} AS v_${k}`, `${rec} AS r_${k}`);
  });
  // household counts: one hash aggregate per household (a person without a household is their own group), joined back
  const hk = `coalesce(f.${COL.householdId}, chr(1) || f.${COL.personId})`;
  const inner =
    ctx.windows.length > 0
      ? `SELECT f.*, ${ctx.windows.map((_, k) => `h.hc_${k}`).join(', ')} FROM f JOIN (SELECT ${hk} AS hk, ${ctx.windows.join(', ')} FROM f GROUP BY 1) h ON h.hk = ${hk}`
      : 'SELECT * FROM f';
  const join = ctx.usesSpouse ? ` LEFT JOIN f s ON s.${COL.personId} = g.${COL.spouseId}` : '';
  const rowsSql = `WITH f AS (${facts}), g AS (${inner}) SELECT g.${COL.personId} AS person_id, g.${COL.areaPath} AS area_path, ${cols.join(', ')} FROM g${join}`;
  const counts = policies.map(
    (_, k) => `count(*) FILTER (WHERE v_${k} >= 0 AND r_${k}) AS er_${k}, count(*) FILTER (WHERE v_${k} >= 0 AND NOT r_${k}) AS em_${k}, count(*) FILTER (WHERE v_${k} < 0 AND r_${k}) AS st_${k}, count(*) FILTER (WHERE v_${k} < 0 AND NOT r_${k}) AS ne_${k}`,
  );
  const countsSql = `SELECT ${counts.join(', ')} FROM (${rowsSql}) x`;
  return { rowsSql, countsSql, params: P.values };
}
