import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validatePolicy, type Condition, type Policy } from './rules';
import { ageAt, addMonths, daysCutoff, daysSince, monthsCutoff, monthsSince, ymdOf, isoOf, floorToRealDate } from './dates';
import { compilePolicy, matchTable } from './compile';
import { explain } from './explain';
import { tableOf } from './table';
import { DEMO_POLICIES, benchPolicies } from './demo-policies';
import type { PersonFacts } from '../../residents';
import { policyArb, registryArb } from '../testing/arbitraries';

const person = (over: Partial<PersonFacts> & { personId: string }): PersonFacts => ({
  householdId: null,
  areaPath: '/370202/370202001/370202001001/G1/',
  gridCode: 'G1',
  birthDate: '1950-01-01',
  deathDate: null,
  resident: true,
  sex: 'F',
  maritalStatus: 'married',
  spouseId: null,
  hukouType: 'local',
  disabilityType: null,
  disabilityGrade: null,
  monthlyIncomeFen: 0,
  statuses: [],
  lastReceipts: {},
  receiving: [],
  household: { size: 1, monthlyIncomeFen: 0, headPersonId: null },
  ...over,
});

const policy = (eligibility: Condition, extra: Partial<Policy> = {}): Policy => ({
  code: 'p',
  version: 1,
  name: { zh: '测试', en: 'test' },
  kind: 'monthly',
  benefitCode: 'p',
  legalBasis: 'x',
  effectiveFrom: '2000-01-01',
  effectiveTo: null,
  eligibility,
  exclusions: [],
  tiers: [],
  monthlyFen: 100,
  inKind: null,
  ...extra,
});

const gaoling = DEMO_POLICIES.find((p) => p.code === 'elderly_allowance')!;
const dibao = DEMO_POLICIES.find((p) => p.code === 'dibao')!;
const yunqian = DEMO_POLICIES.find((p) => p.code === 'prepregnancy_check')!;

function verdicts(p: Policy, persons: PersonFacts[], date: string) {
  const t = tableOf(date, persons);
  const c = compilePolicy(p, t);
  return persons.map((_, i) => ({ compiled: c.verdict(i), ex: explain(p, t, i) }));
}

describe('dates', () => {
  it('a person born on 29 February turns a year older on 1 March in common years, on 29 February in leap years', () => {
    const b = ymdOf('1952-02-29');
    expect(ageAt(b, ymdOf('2022-02-28'))).toBe(69);
    expect(ageAt(b, ymdOf('2022-03-01'))).toBe(70);
    expect(ageAt(b, ymdOf('2024-02-28'))).toBe(71);
    expect(ageAt(b, ymdOf('2024-02-29'))).toBe(72);
  });
  it('a birthday counts on its own day: exactly 70 today', () => {
    expect(ageAt(ymdOf('1955-06-15'), ymdOf('2025-06-15'))).toBe(70);
    expect(ageAt(ymdOf('1955-06-15'), ymdOf('2025-06-14'))).toBe(69);
  });
  it('months: 31 August + 6 months is the end of February; exactly six months since the last check', () => {
    expect(isoOf(addMonths(ymdOf('2025-08-31'), 6))).toBe('2026-02-28');
    expect(monthsSince(ymdOf('2025-08-31'), ymdOf('2026-02-28'))).toBe(6);
    expect(monthsSince(ymdOf('2025-08-31'), ymdOf('2026-02-27'))).toBe(5);
    expect(monthsSince(ymdOf('2025-03-15'), ymdOf('2025-09-15'))).toBe(6);
    expect(monthsSince(ymdOf('2025-03-15'), ymdOf('2025-09-14'))).toBe(5);
  });
  it('the cut-off dates agree with the direct arithmetic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 20000 }), fc.integer({ min: 0, max: 400 }), (a, b, n) => {
        const base = ymdOf('1990-01-01');
        const from = addDaysYmd(base, a);
        const ref = addDaysYmd(base, b);
        expect(monthsSince(from, ref) >= n).toBe(from <= monthsCutoff(ref, n));
        expect(daysSince(from, ref) >= n).toBe(from <= daysCutoff(ref, n));
        expect(floorToRealDate(ref)).toBe(ref);
      }),
      { numRuns: 2000 },
    );
  });
});

function addDaysYmd(ymd: number, d: number): number {
  return ymdOf(new Date(Date.UTC(Math.floor(ymd / 10000), (Math.floor(ymd / 100) % 100) - 1, (ymd % 100) + d)).toISOString().slice(0, 10));
}

describe('validation', () => {
  it('accepts every demo policy and every bench policy', () => {
    for (const p of [...DEMO_POLICIES, ...benchPolicies()]) {
      const r = validatePolicy(p);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
  });
  it('names the path of the bad clause, in Chinese and English', () => {
    const bad = { ...gaoling, eligibility: { all: [{ fact: 'age', op: '>=', value: 70 }, { fact: 'age', op: '≥', value: 'x' }, { fact: 'salary', op: '>', value: 1 }] } };
    const r = validatePolicy(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toContain('eligibility.all[1].op');
    expect(paths).toContain('eligibility.all[1].value');
    expect(paths).toContain('eligibility.all[2].fact');
    for (const e of r.errors) {
      expect(e.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(e.en).toMatch(/[a-z]/);
    }
  });
  it('rejects unknown keys, nested householdCount, unknown statuses and missing amounts', () => {
    const r = validatePolicy({
      ...policy({ householdCount: { householdCount: { status: 'dibao' }, op: '>=', value: 1 }, op: '>=', value: 1 } as Condition),
      exclusions: [{ status: 'rich' }],
      monthlyFen: null,
      extra: 1,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['$.extra', 'eligibility.householdCount', 'exclusions[0].status', 'monthlyFen']));
  });
  it('never throws on garbage', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validatePolicy(v);
        expect(r.ok).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const r = validatePolicy({ ...gaoling, eligibility: v });
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
  it('round-trips through JSON export and import', () => {
    for (const p of DEMO_POLICIES) {
      const r = validatePolicy(JSON.parse(JSON.stringify(p)));
      expect(r.ok && r.policy).toEqual(p);
    }
  });
});

describe('explanations (examples)', () => {
  it('高龄补贴: 82 岁 ≥ 80 → 第二档 200 元/月; exactly 70 today qualifies, a day before not', () => {
    const ps = [
      person({ personId: 'a', birthDate: '1943-05-01' }),
      person({ personId: 'b', birthDate: '1955-06-15' }),
      person({ personId: 'c', birthDate: '1955-06-16' }),
      person({ personId: 'd', birthDate: '1925-01-01', hukouType: 'outside' }),
    ];
    const v = verdicts(gaoling, ps, '2025-06-15');
    expect(v[0]!.ex.summary.zh).toBe('年龄 82 岁 ≥ 80 岁 → 第二档（80–89 岁） 200 元/月');
    expect(v[0]!.ex.monthlyFen).toBe(20000);
    expect(v[1]!.ex.eligible).toBe(true);
    expect(v[1]!.ex.tier?.code).toBe('age70');
    expect(v[2]!.ex.eligible).toBe(false);
    expect(v[2]!.ex.failing[0]!.zh).toBe('年龄 69 岁 < 70 岁');
    expect(v[3]!.ex.failing[0]!.zh).toContain('户籍类型');
    for (const x of v) expect(x.compiled >= 0).toBe(x.ex.eligible);
  });
  it('born 29 February 1956: 高龄补贴 from 1 March 2026, not on 28 February', () => {
    const ps = [person({ personId: 'leap', birthDate: '1956-02-29' })];
    expect(verdicts(gaoling, ps, '2026-02-28')[0]!.ex.eligible).toBe(false);
    expect(verdicts(gaoling, ps, '2026-03-01')[0]!.ex.eligible).toBe(true);
    expect(verdicts(gaoling, ps, '2026-02-28')[0]!.compiled).toBe(-1);
    expect(verdicts(gaoling, ps, '2026-03-01')[0]!.compiled).toBe(3);
  });
  it('低保: per-capita income exactly at the line qualifies, one 分 above does not, with the figures named', () => {
    const hh = (id: string, total: number) => [
      person({ personId: `${id}1`, householdId: id, monthlyIncomeFen: total, household: { size: 2, monthlyIncomeFen: total, headPersonId: `${id}1` } }),
      person({ personId: `${id}2`, householdId: id, monthlyIncomeFen: 0, household: { size: 2, monthlyIncomeFen: total, headPersonId: `${id}1` } }),
    ];
    const v = verdicts(dibao, [...hh('A', 210000), ...hh('B', 210001), ...hh('C', 224000)], '2025-06-15');
    expect(v[0]!.ex.eligible).toBe(true);
    expect(v[0]!.ex.tier?.code).toBe('gap');
    expect(v[2]!.ex.eligible).toBe(false);
    expect(v[4]!.ex.failing[0]!.zh).toContain('家庭人均月收入 1,120 元 > 1,050 元');
    for (const x of v) expect(x.compiled >= 0).toBe(x.ex.eligible);
  });
  it('低保 补差: each member gets standard − per-capita income, the household the 低保 formula, with a floor', () => {
    const hh = (id: string, size: number, total: number) =>
      Array.from({ length: size }, (_, k) => person({ personId: `${id}${k}`, householdId: id, monthlyIncomeFen: k === 0 ? total : 0, household: { size, monthlyIncomeFen: total, headPersonId: `${id}0` } }));
    // A: 3 people, ¥1,860 → per capita ¥620 → ¥430 each, ¥1,290 for the household = 1,050 × 3 − 1,860.
    // B: 1 person, ¥1,040 → gap ¥10 → raised to the ¥30 minimum. C: 2 people, no income → ¥1,050 each.
    const ps = [...hh('A', 3, 186000), ...hh('B', 1, 104000), ...hh('C', 2, 0)];
    const t = tableOf('2025-06-15', ps);
    const amounts = ps.map((_, i) => explain(dibao, t, i).monthlyFen);
    expect(amounts).toEqual([43000, 43000, 43000, 3000, 105000, 105000]);
    expect(amounts.slice(0, 3).reduce((a, b) => a! + b!, 0)).toBe(105000 * 3 - 186000);
    const a0 = explain(dibao, t, 0);
    expect(a0.summary.zh).toContain('补差：标准 1,050 元 − 人均收入 620 元 = 430 元');
    expect(a0.summary.zh).toContain('430 元/月');
    expect(explain(dibao, t, 3).summary.zh).toContain('最低发放额');
    const counts = matchTable([compilePolicy(dibao, t)], t)[0]!;
    expect(counts.monthlyFen).toBe(amounts.reduce((a, b) => a! + b!, 0));
  });
  it('a top-up tier is validated: a standard in 分, no fixed amount beside it', () => {
    const base = { ...dibao, tiers: [{ code: 'gap', name: { zh: '补差', en: 'top-up' }, when: { fact: 'age', op: '>=', value: 0 } }] };
    const ok = validatePolicy({ ...base, tiers: [{ ...base.tiers[0], topUp: { toFen: 105000 } }] });
    expect(ok.ok && ok.policy.tiers[0]!.topUp).toEqual({ toFen: 105000, minFen: 0 });
    const both = validatePolicy({ ...base, tiers: [{ ...base.tiers[0], topUp: { toFen: 105000 }, monthlyFen: 100 }] });
    expect(!both.ok && both.errors.map((e) => e.path)).toContain('tiers[0].monthlyFen');
    const bad = validatePolicy({ ...base, tiers: [{ ...base.tiers[0], topUp: { toFen: -1, extra: 1 } }] });
    expect(!bad.ok && bad.errors.map((e) => e.path).sort()).toEqual(['tiers[0].topUp.extra', 'tiers[0].topUp.toFen']);
  });
  it('孕前检查: exactly six months since the last check qualifies; one spouse with local hukou is enough', () => {
    const couple = (id: string, last: string | null, hukouA: PersonFacts['hukouType'], hukouB: PersonFacts['hukouType']) => [
      person({ personId: `${id}a`, householdId: id, spouseId: `${id}b`, hukouType: hukouA, statuses: ['pregnancy_planned'], lastReceipts: last ? { prepregnancy_check: last } : {}, birthDate: '1995-01-01' }),
      person({ personId: `${id}b`, householdId: id, spouseId: `${id}a`, hukouType: hukouB, sex: 'M', birthDate: '1994-01-01' }),
    ];
    const ps = [...couple('X', '2025-08-31', 'outside', 'local'), ...couple('Y', '2025-09-01', 'local', 'local'), ...couple('Z', null, 'outside', 'outside')];
    const v = verdicts(yunqian, ps, '2026-02-28');
    expect(v[0]!.ex.eligible).toBe(true);
    expect(v[0]!.ex.because.map((b) => b.zh).join(' ')).toContain('配偶');
    expect(v[2]!.ex.eligible).toBe(false);
    expect(v[2]!.ex.failing[0]!.zh).toContain('5 个月 < 6 个月');
    expect(v[4]!.ex.eligible).toBe(false);
    expect(v[0]!.ex.summary.zh).toContain('6 瓶叶酸');
    for (const x of v) expect(x.compiled >= 0).toBe(x.ex.eligible);
  });
  it('stop list: receiving but died, moved, over income or aged out — and says which', () => {
    const ps = [
      person({ personId: 'died', birthDate: '1940-01-01', deathDate: '2025-01-02', receiving: ['elderly_allowance'] }),
      person({ personId: 'moved', birthDate: '1940-01-01', resident: false, receiving: ['elderly_allowance'] }),
      person({ personId: 'young', birthDate: '1970-01-01', receiving: ['elderly_allowance'] }),
      person({ personId: 'rich', monthlyIncomeFen: 500000, household: { size: 1, monthlyIncomeFen: 500000, headPersonId: 'rich' }, receiving: ['dibao'] }),
    ];
    const t = tableOf('2025-06-15', ps);
    expect(explain(gaoling, t, 0).stopReason).toBe('died');
    expect(explain(gaoling, t, 1).stopReason).toBe('moved');
    expect(explain(gaoling, t, 2).stopReason).toBe('aged_out');
    expect(explain(dibao, t, 3).stopReason).toBe('over_income');
    expect(explain(dibao, t, 3).category).toBe('stop');
    const counts = matchTable([compilePolicy(gaoling, t)], t)[0]!;
    expect(counts.stop).toBe(3);
  });
  it('a policy out of force makes everyone not eligible, naming the period', () => {
    const t = tableOf('2019-06-01', [person({ personId: 'x', birthDate: '1930-01-01' })]);
    const e = explain(gaoling, t, 0);
    expect(e.eligible).toBe(false);
    expect(e.failing[0]!.path).toBe('$inForce');
  });
});

describe('properties (in memory)', () => {
  it('the compiled closures and the explaining interpreter give the same verdict and tier; every "not eligible" names a failing clause', () => {
    fc.assert(
      fc.property(registryArb, policyArb, ({ refDate, persons }, p) => {
        expect(validatePolicy(p).ok).toBe(true);
        const t = tableOf(refDate, persons);
        const c = compilePolicy(p, t);
        for (let i = 0; i < t.n; i++) {
          const e = explain(p, t, i);
          const v = c.verdict(i);
          expect(v >= 0, `${persons[i]!.personId} ${JSON.stringify(e.failing)}`).toBe(e.eligible);
          if (v >= 0 && p.tiers.length > 0) expect(p.tiers[v]!.code).toBe(e.tier?.code);
          if (!e.eligible) expect(e.failing.length).toBeGreaterThan(0);
          else expect(e.failing).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('negation flips every verdict', () => {
    fc.assert(
      fc.property(registryArb, policyArb, ({ refDate, persons }, p) => {
        const t = tableOf(refDate, persons);
        const plain = compilePolicy({ ...p, exclusions: [], tiers: [], monthlyFen: 1, effectiveFrom: '2000-01-01', effectiveTo: null, eligibility: { all: [p.eligibility] } }, t);
        const neg = compilePolicy({ ...p, exclusions: [], tiers: [], monthlyFen: 1, effectiveFrom: '2000-01-01', effectiveTo: null, eligibility: { not: p.eligibility } }, t);
        for (let i = 0; i < t.n; i++) {
          const d = persons[i]!.deathDate;
          if (!persons[i]!.resident || (d !== null && d <= refDate)) continue; // built-in clauses apply to both
          expect(plain.verdict(i) >= 0).toBe(neg.verdict(i) < 0);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('earning less never loses an income-ceiling benefit (低保 and any rule with only ≤ income ceilings)', () => {
    fc.assert(
      fc.property(registryArb, fc.integer({ min: 1, max: 100000 }), ({ refDate, persons }, cut) => {
        const before = tableOf(refDate, persons);
        const k = persons.findIndex((p) => p.monthlyIncomeFen > 0);
        if (k < 0) return;
        const hh = persons[k]!.householdId;
        const less = Math.min(cut, persons[k]!.monthlyIncomeFen);
        const after = persons.map((p, i) => {
          const q = { ...p, household: { ...p.household } };
          if (i === k) q.monthlyIncomeFen -= less;
          if (i === k || (hh !== null && p.householdId === hh)) q.household.monthlyIncomeFen -= less;
          return q;
        });
        const t2 = tableOf(refDate, after);
        const p = { ...dibao, tiers: [], monthlyFen: 1 };
        const a = compilePolicy(p, before);
        const b = compilePolicy(p, t2);
        for (let i = 0; i < before.n; i++) if (a.verdict(i) >= 0) expect(b.verdict(i)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
