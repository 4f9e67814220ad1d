/**
 * Policies compiled once into closures over the columns of a FactsTable: no rule is looked at
 * again per person. Date rules are folded into cut-off dates at compile time (age ≥ 70 becomes
 * "born on or before ref − 70 years"; 6 months since the last check becomes "last check on or
 * before the cut-off"), so a row costs a few integer comparisons.
 */
import { tierAmountFen, type Condition, type NumOp, type Policy } from './rules';
import type { FactsTable } from './table';
import { ENUM_CODES, statusBit } from './table';
import { daysCutoff, monthsCutoff, ymdOf } from './dates';

export type Pred = (i: number) => boolean;
const TRUE: Pred = () => true;
const FALSE: Pred = () => false;

/** Compare a per-row number with a constant, the operator chosen at compile time. */
function cmpPred(get: (i: number) => number, op: NumOp, v: number): Pred {
  switch (op) {
    case '=':
      return (i) => get(i) === v;
    case '!=':
      return (i) => get(i) !== v;
    case '<':
      return (i) => get(i) < v;
    case '<=':
      return (i) => get(i) <= v;
    case '>':
      return (i) => get(i) > v;
    case '>=':
      return (i) => get(i) >= v;
  }
}

/** Build "x op n" for an integer n from a monotone "x ≥ n" family. */
function fromGe(ge: (n: number) => Pred, op: NumOp, n: number): Pred {
  switch (op) {
    case '>=':
      return ge(n);
    case '>':
      return ge(n + 1);
    case '<': {
      const p = ge(n);
      return (i) => !p(i);
    }
    case '<=': {
      const p = ge(n + 1);
      return (i) => !p(i);
    }
    case '=': {
      const a = ge(n);
      const b = ge(n + 1);
      return (i) => a(i) && !b(i);
    }
    case '!=': {
      const a = ge(n);
      const b = ge(n + 1);
      return (i) => !a(i) || b(i);
    }
  }
}

export function isAliveAt(t: FactsTable, refYmd: number, i: number): boolean {
  const d = t.death[i]!;
  return d === 0 || d > refYmd;
}

export function compileCondition(c: Condition, t: FactsTable, refYmd: number): Pred {
  if ('all' in c) {
    const ps = c.all.map((x) => compileCondition(x, t, refYmd));
    if (ps.length === 1) return ps[0]!;
    if (ps.length === 2) {
      const [a, b] = ps as [Pred, Pred];
      return (i) => a(i) && b(i);
    }
    return (i) => {
      for (const p of ps) if (!p(i)) return false;
      return true;
    };
  }
  if ('any' in c) {
    const ps = c.any.map((x) => compileCondition(x, t, refYmd));
    if (ps.length === 1) return ps[0]!;
    if (ps.length === 2) {
      const [a, b] = ps as [Pred, Pred];
      return (i) => a(i) || b(i);
    }
    return (i) => {
      for (const p of ps) if (p(i)) return true;
      return false;
    };
  }
  if ('not' in c) {
    const p = compileCondition(c.not, t, refYmd);
    return (i) => !p(i);
  }
  if ('status' in c) {
    const bit = statusBit(c.status);
    const st = t.statuses;
    return bit === 0 ? FALSE : (i) => (st[i]! & bit) !== 0;
  }
  if ('receiving' in c) {
    const a = t.receiving.get(c.receiving);
    return a ? (i) => a[i] === 1 : FALSE;
  }
  if ('since' in c) {
    const a = t.lastReceipt.get(c.since);
    const never = c.never;
    if (!a) return never ? TRUE : FALSE;
    const cutoff = c.unit === 'months' ? (n: number) => monthsCutoff(refYmd, n) : (n: number) => daysCutoff(refYmd, n);
    const p = fromGe((n) => {
      const cut = cutoff(n);
      return (i) => a[i]! <= cut;
    }, c.op, c.value);
    return (i) => (a[i] === 0 ? never : p(i));
  }
  if ('spouse' in c) {
    const inner = compileCondition(c.spouse, t, refYmd);
    const sp = t.spouse;
    return (i) => {
      const s = sp[i]!;
      return s >= 0 && inner(s);
    };
  }
  if ('householdCount' in c) {
    const member = compileCondition(c.householdCount, t, refYmd);
    const hh = t.household;
    const counts = new Int32Array(t.householdIds.length);
    const own = (j: number) => isAliveAt(t, refYmd, j) && t.resident[j] === 1 && member(j);
    for (let j = 0; j < t.n; j++) {
      const h = hh[j]!;
      if (h >= 0 && own(j)) counts[h]!++;
    }
    return cmpPred((i) => {
      const h = hh[i]!;
      return h >= 0 ? counts[h]! : own(i) ? 1 : 0;
    }, c.op, c.value);
  }
  // fact
  switch (c.fact) {
    case 'age': {
      const b = t.birth;
      return fromGe((n) => {
        const cut = refYmd - n * 10000;
        return (i) => b[i]! <= cut;
      }, c.op, c.value);
    }
    case 'monthlyIncomeFen': {
      const a = t.income;
      return cmpPred((i) => a[i]!, c.op, c.value);
    }
    case 'householdSize': {
      const a = t.hhSize;
      return cmpPred((i) => a[i]!, c.op, c.value);
    }
    case 'householdIncomeFen': {
      const a = t.hhIncome;
      return cmpPred((i) => a[i]!, c.op, c.value);
    }
    case 'perCapitaIncomeFen': {
      // per capita op v  ⇔  household income op v × size (exact, no rounding)
      const inc = t.hhIncome;
      const size = t.hhSize;
      const v = c.value;
      switch (c.op) {
        case '=':
          return (i) => inc[i] === v * size[i]!;
        case '!=':
          return (i) => inc[i] !== v * size[i]!;
        case '<':
          return (i) => inc[i]! < v * size[i]!;
        case '<=':
          return (i) => inc[i]! <= v * size[i]!;
        case '>':
          return (i) => inc[i]! > v * size[i]!;
        case '>=':
          return (i) => inc[i]! >= v * size[i]!;
      }
      break;
    }
    case 'disabilityGrade': {
      const g = t.disabilityGrade;
      const p = cmpPred((i) => g[i]!, c.op, c.value);
      return (i) => g[i] !== 0 && p(i);
    }
    case 'sex':
    case 'maritalStatus':
    case 'hukouType': {
      const codes = ENUM_CODES[c.fact]!;
      const col = c.fact === 'sex' ? t.sex : c.fact === 'maritalStatus' ? t.marital : t.hukou;
      const set = new Uint8Array(16);
      for (const v of c.value) set[codes[v] ?? 0] = 1;
      set[0] = 0;
      return c.op === 'in' ? (i) => set[col[i]!] === 1 : (i) => col[i] !== 0 && set[col[i]!] === 0;
    }
    case 'disabilityType': {
      const set = new Set<string>(c.value);
      const col = t.disabilityType;
      return c.op === 'in' ? (i) => col[i] !== null && set.has(col[i]!) : (i) => col[i] !== null && !set.has(col[i]!);
    }
    case 'alive':
    case 'resident':
    case 'hasDisability':
    case 'isHouseholdHead':
    case 'hasSpouse': {
      const p: Pred =
        c.fact === 'alive'
          ? (i) => isAliveAt(t, refYmd, i)
          : c.fact === 'resident'
            ? (i) => t.resident[i] === 1
            : c.fact === 'hasDisability'
              ? (i) => t.disabilityGrade[i] !== 0
              : c.fact === 'isHouseholdHead'
                ? (i) => t.isHead[i] === 1
                : (i) => t.spouseId[i] !== null;
      return c.value ? p : (i) => !p(i);
    }
  }
  throw new Error('unreachable: unvalidated clause');
}

/** Whether the policy is in force on the date (effectiveTo is the last day in force). */
export function inForce(p: Policy, refDate: string): boolean {
  return refDate >= p.effectiveFrom && (p.effectiveTo === null || refDate <= p.effectiveTo);
}

export interface CompiledPolicy {
  policy: Policy;
  /** -1 not eligible; otherwise the tier index (0 when the policy has no tiers). */
  verdict: (i: number) => number;
  receiving: Pred;
}

/** Compile one policy against one table (one registry on one date). */
export function compilePolicy(p: Policy, t: FactsTable): CompiledPolicy {
  const refYmd = ymdOf(t.refDate);
  const rec = t.receiving.get(p.benefitCode);
  const receiving: Pred = rec ? (i) => rec[i] === 1 : FALSE;
  if (!inForce(p, t.refDate)) return { policy: p, verdict: () => -1, receiving };
  const elig = compileCondition(p.eligibility, t, refYmd);
  const excl = p.exclusions.map((x) => compileCondition(x, t, refYmd));
  const tiers = p.tiers.map((x) => compileCondition(x.when, t, refYmd));
  const res = t.resident;
  const death = t.death;
  const base: Pred = (i) => {
    const d = death[i]!;
    if (d !== 0 && d <= refYmd) return false;
    if (res[i] !== 1) return false;
    if (!elig(i)) return false;
    for (const x of excl) if (x(i)) return false;
    return true;
  };
  if (tiers.length === 0) return { policy: p, verdict: (i) => (base(i) ? 0 : -1), receiving };
  return {
    policy: p,
    verdict: (i) => {
      if (!base(i)) return -1;
      for (let k = 0; k < tiers.length; k++) if (tiers[k]!(i)) return k;
      return -1;
    },
    receiving,
  };
}

export const CATEGORIES = ['eligible_receiving', 'eligible_missing', 'stop', 'not_eligible'] as const;
export type Category = (typeof CATEGORIES)[number];

export function categoryOf(eligible: boolean, receiving: boolean): Category {
  return eligible ? (receiving ? 'eligible_receiving' : 'eligible_missing') : receiving ? 'stop' : 'not_eligible';
}

export interface PolicyCounts {
  code: string;
  eligible_receiving: number;
  eligible_missing: number;
  stop: number;
  not_eligible: number;
  /** persons per tier code among the eligible */
  tiers: Record<string, number>;
  /** monthly amount in 分 owed to everyone eligible (receiving or not) */
  monthlyFen: number;
}

/**
 * Run compiled policies over every person of a table. `onRow` (optional) sees each
 * (policy index, person index, category, tier) that is not "not eligible", for keeping lists.
 * `onProgress` is called every `progressEvery` persons.
 */
export function matchTable(
  compiled: CompiledPolicy[],
  t: FactsTable,
  opts: { onRow?: (k: number, i: number, cat: Category, tier: number) => void; onProgress?: (done: number) => void; progressEvery?: number } = {},
): PolicyCounts[] {
  const out = compiled.map((c) => ({ code: c.policy.code, eligible_receiving: 0, eligible_missing: 0, stop: 0, not_eligible: 0, tierCounts: new Float64Array(Math.max(1, c.policy.tiers.length)), topUpFen: 0 }));
  // Tiers whose amount depends on the person (补差): summed person by person.
  const topUps = compiled.map((c) => c.policy.tiers.map((tier) => (tier.topUp ? tier : null)));
  const every = opts.progressEvery ?? 50_000;
  const onRow = opts.onRow;
  for (let i = 0; i < t.n; i++) {
    for (let k = 0; k < compiled.length; k++) {
      const c = compiled[k]!;
      const o = out[k]!;
      const v = c.verdict(i);
      const r = c.receiving(i);
      if (v >= 0) {
        o.tierCounts[v]!++;
        const top = topUps[k]![v];
        if (top) o.topUpFen += tierAmountFen(top, t.hhIncome[i]!, t.hhSize[i]!);
        if (r) o.eligible_receiving++;
        else o.eligible_missing++;
        if (onRow) onRow(k, i, r ? 'eligible_receiving' : 'eligible_missing', v);
      } else if (r) {
        o.stop++;
        if (onRow) onRow(k, i, 'stop', -1);
      } else o.not_eligible++;
    }
    if (opts.onProgress && (i + 1) % every === 0) opts.onProgress(i + 1);
  }
  if (opts.onProgress) opts.onProgress(t.n);
  return out.map((o, k) => {
    const p = compiled[k]!.policy;
    const tiers: Record<string, number> = {};
    let monthlyFen = o.topUpFen;
    if (p.tiers.length === 0) monthlyFen = (p.monthlyFen ?? 0) * o.tierCounts[0]!;
    p.tiers.forEach((tier, j) => {
      tiers[tier.code] = o.tierCounts[j]!;
      if (!tier.topUp) monthlyFen += (tier.monthlyFen ?? 0) * o.tierCounts[j]!;
    });
    return { code: o.code, eligible_receiving: o.eligible_receiving, eligible_missing: o.eligible_missing, stop: o.stop, not_eligible: o.not_eligible, tiers, monthlyFen };
  });
}
