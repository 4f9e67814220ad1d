/**
 * fast-check generators for the benefit tests: small random registries (households with
 * members, spouses, incomes, statuses, receipts) and random valid rules, values drawn near the
 * edges (birthdays on the reference date, 29 February, incomes at the thresholds).
 * Test support only — imported by *.test.ts files.
 */
import fc from 'fast-check';
import type { PersonFacts } from '../../residents';
import type { Condition, NumOp, Policy } from '../core/rules';
import { SPECIAL_STATUSES } from '../core/rules';
import { isIsoDate } from '../core/dates';

export const CODES = ['gaoling', 'dibao', 'yunqian', 'hpv', 'gas_valve'] as const;
export const REF_DATES = ['2024-02-29', '2025-02-28', '2025-03-01', '2025-08-31', '2026-02-28', '2026-06-30', '2025-12-31'];
const OPS: NumOp[] = ['=', '!=', '<', '<=', '>', '>='];

const dateArb = (fromYear: number, toYear: number) =>
  fc
    .tuple(fc.integer({ min: fromYear, max: toYear }), fc.integer({ min: 1, max: 12 }), fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constantFrom(28, 29, 30, 31)))
    .map(([y, m, d]) => {
      for (let dd = d; dd >= 28; dd--) {
        const s = `${y}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
        if (isIsoDate(s)) return s;
      }
      return `${y}-${String(m).padStart(2, '0')}-${String(Math.min(d, 28)).padStart(2, '0')}`;
    });

/** A date near an anniversary of ref (same month/day n years earlier, ±1 day), or any date. */
const birthArb = (ref: string) =>
  fc.oneof(
    dateArb(1915, 2025),
    fc.tuple(fc.integer({ min: 0, max: 105 }), fc.constantFrom(-1, 0, 1)).map(([n, dd]) => {
      const y = Number(ref.slice(0, 4)) - n;
      const d = new Date(Date.UTC(y, Number(ref.slice(5, 7)) - 1, Math.min(Number(ref.slice(8, 10)), 28) + dd));
      return d.toISOString().slice(0, 10);
    }),
    fc.integer({ min: 1920, max: 2020 }).map((y) => (isIsoDate(`${y}-02-29`) ? `${y}-02-29` : `${y}-02-28`)),
  );

interface RawPerson {
  birth: string;
  dead: boolean;
  resident: boolean;
  sex: 'M' | 'F';
  marital: PersonFacts['maritalStatus'];
  hukou: PersonFacts['hukouType'];
  disability: [string, 1 | 2 | 3 | 4] | null;
  incomeFen: number;
  statuses: string[];
  receiving: string[];
  receipts: [string, string][];
}

const personArb = (ref: string): fc.Arbitrary<RawPerson> =>
  fc.record({
    birth: birthArb(ref),
    dead: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 6, arbitrary: fc.constant(false) }),
    resident: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    sex: fc.constantFrom('M' as const, 'F' as const),
    marital: fc.constantFrom<PersonFacts['maritalStatus']>('single', 'married', 'married', 'divorced', 'widowed', null),
    hukou: fc.constantFrom<PersonFacts['hukouType']>('local', 'local', 'city', 'outside'),
    disability: fc.option(fc.tuple(fc.constantFrom('视力', '肢体', '智力', '精神'), fc.constantFrom(1 as const, 2 as const, 3 as const, 4 as const)), { freq: 3 }),
    incomeFen: fc.oneof(fc.constantFrom(0, 35000, 70000, 105000, 105001, 104999, 210000), fc.integer({ min: 0, max: 30 }).map((x) => x * 10000), fc.integer({ min: 0, max: 500000 })),
    statuses: fc.subarray([...SPECIAL_STATUSES], { maxLength: 3 }),
    receiving: fc.subarray([...CODES], { maxLength: 2 }),
    receipts: fc.array(fc.tuple(fc.constantFrom(...CODES), fc.oneof(dateArb(2015, 2026), fc.constantFrom('2024-08-31', '2025-08-31', '2025-09-01', '2025-08-28', '2024-02-29'))), { maxLength: 3 }),
  });

/** A random registry at a random reference date: households of 1–5 members plus a few persons without household. */
export const registryArb = fc.constantFrom(...REF_DATES).chain((ref) =>
  fc.tuple(fc.constant(ref), fc.array(fc.array(personArb(ref), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }), fc.array(personArb(ref), { maxLength: 3 })).map(([refDate, households, loners]) => {
    const out: PersonFacts[] = [];
    let pid = 0;
    const mk = (r: RawPerson, hh: string | null, grid: number): PersonFacts => {
      const id = `P${String(++pid).padStart(4, '0')}`;
      const lastReceipts: Record<string, string> = {};
      for (const [code, d] of r.receipts) if (d <= refDate && (!lastReceipts[code] || lastReceipts[code]! < d)) lastReceipts[code] = d;
      return {
        personId: id,
        householdId: hh,
        areaPath: `/370202/370202001/370202001001/G${grid}/`,
        gridCode: `G${grid}`,
        birthDate: r.birth > refDate ? refDate : r.birth,
        deathDate: r.dead ? refDate : null,
        resident: r.resident,
        sex: r.sex,
        maritalStatus: r.marital,
        spouseId: null,
        hukouType: r.hukou,
        disabilityType: r.disability ? r.disability[0] : null,
        disabilityGrade: r.disability ? r.disability[1] : null,
        monthlyIncomeFen: r.incomeFen,
        statuses: r.statuses as PersonFacts['statuses'],
        lastReceipts,
        receiving: r.receiving,
        household: { size: 1, monthlyIncomeFen: r.incomeFen, headPersonId: hh ? null : null },
      };
    };
    households.forEach((members, h) => {
      const hh = `H${String(h + 1).padStart(3, '0')}`;
      const ps = members.map((m) => mk(m, hh, h % 3));
      const living = ps.filter((p) => p.deathDate === null);
      const size = Math.max(1, living.length);
      const income = living.reduce((s, p) => s + p.monthlyIncomeFen, 0);
      const married = ps.filter((p) => p.maritalStatus === 'married');
      if (married.length >= 2) {
        married[0]!.spouseId = married[1]!.personId;
        married[1]!.spouseId = married[0]!.personId;
      }
      for (const p of ps) p.household = { size, monthlyIncomeFen: income, headPersonId: ps[0]!.personId };
      out.push(...ps);
    });
    for (const l of loners) out.push(mk(l, null, 9));
    return { refDate, persons: out };
  }),
);

const numLeaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constant('age' as const), op: fc.constantFrom(...OPS), value: fc.oneof(fc.constantFrom(0, 13, 14, 60, 70, 80, 90, 100), fc.integer({ min: 0, max: 110 })) }),
  fc.record({ fact: fc.constantFrom('monthlyIncomeFen' as const, 'householdIncomeFen' as const, 'perCapitaIncomeFen' as const), op: fc.constantFrom(...OPS), value: fc.constantFrom(0, 35000, 70000, 105000, 210000) }),
  fc.record({ fact: fc.constant('householdSize' as const), op: fc.constantFrom(...OPS), value: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ fact: fc.constant('disabilityGrade' as const), op: fc.constantFrom(...OPS), value: fc.integer({ min: 1, max: 4 }) }),
);
const enumLeaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ fact: fc.constant('sex' as const), op: fc.constantFrom('in' as const, 'notIn' as const), value: fc.subarray(['M', 'F'], { minLength: 1 }) }),
  fc.record({ fact: fc.constant('maritalStatus' as const), op: fc.constantFrom('in' as const, 'notIn' as const), value: fc.subarray(['single', 'married', 'divorced', 'widowed'], { minLength: 1 }) }),
  fc.record({ fact: fc.constant('hukouType' as const), op: fc.constantFrom('in' as const, 'notIn' as const), value: fc.subarray(['local', 'city', 'outside'], { minLength: 1 }) }),
  fc.record({ fact: fc.constant('disabilityType' as const), op: fc.constantFrom('in' as const, 'notIn' as const), value: fc.subarray(['视力', '肢体', '智力', '精神'], { minLength: 1 }) }),
  fc.record({ fact: fc.constantFrom('alive' as const, 'resident' as const, 'hasDisability' as const, 'isHouseholdHead' as const, 'hasSpouse' as const), op: fc.constant('=' as const), value: fc.boolean() }),
);
const otherLeaf: fc.Arbitrary<Condition> = fc.oneof(
  fc.record({ status: fc.constantFrom(...SPECIAL_STATUSES) }),
  fc.record({ receiving: fc.constantFrom(...CODES) }),
  fc.record({ since: fc.constantFrom(...CODES), unit: fc.constantFrom('days' as const, 'months' as const), op: fc.constantFrom(...OPS), value: fc.oneof(fc.constantFrom(0, 1, 6, 12, 180), fc.integer({ min: 0, max: 400 })), never: fc.boolean() }),
);
const leaf = fc.oneof(numLeaf, enumLeaf, otherLeaf);

const memberCond: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.record({ all: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }), fc.record({ any: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }), fc.record({ not: tie('c') })),
})).c;

/** A random valid condition, including householdCount and spouse at the top levels. */
export const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
  c: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ householdCount: memberCond, op: fc.constantFrom(...OPS), value: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ spouse: memberCond }),
    fc.record({ all: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ any: fc.array(tie('c'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('c') }),
  ),
})).c;

/** A random policy around a random condition, sometimes with tiers and exclusions. */
export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    eligibility: conditionArb,
    exclusions: fc.array(conditionArb, { maxLength: 2 }),
    tiers: fc.array(conditionArb, { maxLength: 3 }),
    code: fc.constantFrom(...CODES),
    from: fc.constantFrom('2000-01-01', '2025-03-01', '2026-01-01'),
    to: fc.constantFrom(null, '2025-12-31', '2030-12-31'),
  })
  .map(({ eligibility, exclusions, tiers, code, from, to }) => ({
    code,
    version: 1,
    name: { zh: '测试', en: 'test' },
    kind: 'monthly' as const,
    benefitCode: code,
    legalBasis: 'test',
    effectiveFrom: from,
    effectiveTo: to !== null && to < from ? null : to,
    eligibility,
    exclusions,
    tiers: tiers.map((when, k) => ({ code: `t${k}`, name: { zh: `第${k + 1}档`, en: `tier ${k + 1}` }, when, monthlyFen: (k + 1) * 10000 })),
    monthlyFen: tiers.length === 0 ? 10000 : null,
    inKind: null,
  }));
