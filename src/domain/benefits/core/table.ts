/**
 * The registry as of one date, in columns: one typed array per fact, one slot per person. The
 * compiled predicates (compile.ts) read these arrays by index, so a match over 1M persons touches
 * a few hundred megabytes of flat memory instead of a million objects.
 *
 * Built from PersonFacts (the residents module's contract) one person at a time, so a caller can
 * stream rows in without holding them all as objects.
 */
import type { PersonFacts } from '../../residents';
import { SPECIAL_STATUSES } from './rules';
import { ymdOf } from './dates';

const SEX = { M: 1, F: 2 } as const;
const MARITAL = { single: 1, married: 2, divorced: 3, widowed: 4 } as const;
const HUKOU = { local: 1, city: 2, outside: 3 } as const;
export const ENUM_CODES: Record<string, Record<string, number>> = { sex: SEX, maritalStatus: MARITAL, hukouType: HUKOU };
const STATUS_BIT = new Map<string, number>(SPECIAL_STATUSES.map((s, i) => [s, 1 << i]));

export interface FactsTable {
  n: number;
  refDate: string;
  personId: string[];
  areaPath: string[];
  gridCode: (string | null)[];
  /** household index (0…households-1), -1 without a household */
  household: Int32Array;
  householdIds: string[];
  birth: Int32Array; // ymd
  death: Int32Array; // ymd, 0 = alive
  resident: Uint8Array;
  sex: Uint8Array;
  marital: Uint8Array;
  hukou: Uint8Array;
  disabilityType: (string | null)[];
  disabilityGrade: Uint8Array; // 0 = none
  income: Float64Array;
  hhSize: Int32Array; // ≥ 1
  hhIncome: Float64Array;
  isHead: Uint8Array;
  spouse: Int32Array; // index of the spouse in this table, -1 if none or not in the table
  spouseId: (string | null)[];
  statuses: Int32Array; // bit set over SPECIAL_STATUSES
  /** benefit code → 1 where receiving on the date (absent code = nobody) */
  receiving: Map<string, Uint8Array>;
  /** benefit code → ymd of the last receipt on or before the date (0 = never) */
  lastReceipt: Map<string, Int32Array>;
  index: Map<string, number>;
}

export function statusBit(s: string): number {
  return STATUS_BIT.get(s) ?? 0;
}

/** Grows the columns as persons are added; `finish()` links spouses and returns the table. */
export class TableBuilder {
  private cap: number;
  private t: FactsTable;
  private hhIndex = new Map<string, number>();
  constructor(refDate: string, capacity = 1024) {
    this.cap = Math.max(16, capacity);
    const c = this.cap;
    this.t = {
      n: 0,
      refDate,
      personId: [],
      areaPath: [],
      gridCode: [],
      household: new Int32Array(c),
      householdIds: [],
      birth: new Int32Array(c),
      death: new Int32Array(c),
      resident: new Uint8Array(c),
      sex: new Uint8Array(c),
      marital: new Uint8Array(c),
      hukou: new Uint8Array(c),
      disabilityType: [],
      disabilityGrade: new Uint8Array(c),
      income: new Float64Array(c),
      hhSize: new Int32Array(c),
      hhIncome: new Float64Array(c),
      isHead: new Uint8Array(c),
      spouse: new Int32Array(c),
      spouseId: [],
      statuses: new Int32Array(c),
      receiving: new Map(),
      lastReceipt: new Map(),
      index: new Map(),
    };
  }

  private grow() {
    const c = this.cap * 2;
    const t = this.t;
    const g = <A extends Int32Array | Uint8Array | Float64Array>(a: A): A => {
      const b = new (a.constructor as new (n: number) => A)(c);
      b.set(a);
      return b;
    };
    t.household = g(t.household);
    t.birth = g(t.birth);
    t.death = g(t.death);
    t.resident = g(t.resident);
    t.sex = g(t.sex);
    t.marital = g(t.marital);
    t.hukou = g(t.hukou);
    t.disabilityGrade = g(t.disabilityGrade);
    t.income = g(t.income);
    t.hhSize = g(t.hhSize);
    t.hhIncome = g(t.hhIncome);
    t.isHead = g(t.isHead);
    t.spouse = g(t.spouse);
    t.statuses = g(t.statuses);
    for (const [k, a] of t.receiving) t.receiving.set(k, g(a));
    for (const [k, a] of t.lastReceipt) t.lastReceipt.set(k, g(a));
    this.cap = c;
  }

  add(p: PersonFacts): number {
    const t = this.t;
    if (t.n === this.cap) this.grow();
    const i = t.n++;
    t.personId.push(p.personId);
    t.index.set(p.personId, i);
    t.areaPath.push(p.areaPath);
    t.gridCode.push(p.gridCode);
    if (p.householdId === null) t.household[i] = -1;
    else {
      let h = this.hhIndex.get(p.householdId);
      if (h === undefined) {
        h = t.householdIds.length;
        this.hhIndex.set(p.householdId, h);
        t.householdIds.push(p.householdId);
      }
      t.household[i] = h;
    }
    t.birth[i] = ymdOf(p.birthDate);
    t.death[i] = p.deathDate ? ymdOf(p.deathDate) : 0;
    t.resident[i] = p.resident ? 1 : 0;
    t.sex[i] = SEX[p.sex] ?? 0;
    t.marital[i] = p.maritalStatus ? (MARITAL[p.maritalStatus] ?? 0) : 0;
    t.hukou[i] = HUKOU[p.hukouType] ?? 0;
    t.disabilityType.push(p.disabilityType ?? null);
    t.disabilityGrade[i] = p.disabilityGrade ?? 0;
    t.income[i] = p.monthlyIncomeFen;
    t.hhSize[i] = Math.max(1, p.household.size);
    t.hhIncome[i] = p.household.monthlyIncomeFen;
    t.isHead[i] = p.household.headPersonId !== null && p.household.headPersonId === p.personId ? 1 : 0;
    t.spouseId.push(p.spouseId ?? null);
    let bits = 0;
    for (const s of p.statuses) bits |= statusBit(s);
    t.statuses[i] = bits;
    for (const code of p.receiving) {
      let a = t.receiving.get(code);
      if (!a) t.receiving.set(code, (a = new Uint8Array(this.cap)));
      a[i] = 1;
    }
    for (const code in p.lastReceipts) {
      const d = p.lastReceipts[code];
      if (!d) continue;
      let a = t.lastReceipt.get(code);
      if (!a) t.lastReceipt.set(code, (a = new Int32Array(this.cap)));
      a[i] = ymdOf(d);
    }
    return i;
  }

  finish(): FactsTable {
    const t = this.t;
    for (let i = 0; i < t.n; i++) {
      const s = t.spouseId[i];
      t.spouse[i] = s ? (t.index.get(s) ?? -1) : -1;
    }
    return t;
  }
}

export function tableOf(refDate: string, persons: Iterable<PersonFacts>, capacity?: number): FactsTable {
  const b = new TableBuilder(refDate, capacity);
  for (const p of persons) b.add(p);
  return b.finish();
}
