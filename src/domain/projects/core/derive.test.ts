import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  STAGES,
  STATUSES,
  countStatuses,
  decideStatus,
  deriveItem,
  headline,
  rollUp,
  targetProgress,
  type Derived,
  type ItemInput,
  type ReportInput,
} from './derive';

const item = (over: Partial<ItemInput> = {}): ItemInput => ({
  id: 'i',
  rule: 'targets',
  weight: 1,
  plannedStart: '2026-03-01',
  plannedEnd: '2026-12-31',
  closedOn: null,
  targets: [{ id: 't1', kind: 'count', baseline: 0, target: 500, weight: 1 }],
  milestones: [],
  reports: [],
  children: [],
  ...over,
});
const report = (asOf: string, values: { targetId: string; value: number }[], over: Partial<ReportInput> = {}): ReportInput => ({
  id: `r-${asOf}-${values.map((v) => v.value).join('-')}`,
  asOf,
  createdAt: `${asOf}T08:00:00Z`,
  returned: false,
  stage: null,
  values,
  milestones: [],
  ...over,
});

describe('progress from targets', () => {
  it('新增托位 500 个: 300 reported is 60 %', () => {
    const d = deriveItem(item({ reports: [report('2026-06-30', [{ targetId: 't1', value: 300 }])] }), '2026-07-01');
    expect(d.progress).toBe(60);
    expect(d.targets[0]!.current).toBe(300);
  });
  it('a report dated after the reference date does not count yet, a returned one never', () => {
    const reports = [report('2026-06-30', [{ targetId: 't1', value: 300 }]), report('2026-08-01', [{ targetId: 't1', value: 500 }])];
    expect(deriveItem(item({ reports }), '2026-07-15').progress).toBe(60);
    expect(deriveItem(item({ reports }), '2026-08-01').status).toBe('completed');
    const returned = [reports[0]!, { ...reports[1]!, returned: true }];
    expect(deriveItem(item({ reports: returned }), '2026-08-02').progress).toBe(60);
  });
  it('a decreasing target (e.g. 积水点 from 40 to 10) measures the way down', () => {
    expect(targetProgress({ baseline: 40, target: 10 }, 25)).toBe(50);
    expect(targetProgress({ baseline: 40, target: 10 }, 50)).toBe(0);
  });
  it('14 个小区 and 6527 户 with equal weights average their shares', () => {
    const d = deriveItem(
      item({
        targets: [
          { id: 'a', kind: 'count', baseline: 0, target: 14, weight: 1 },
          { id: 'b', kind: 'count', baseline: 0, target: 6527, weight: 1 },
        ],
        reports: [report('2026-06-01', [{ targetId: 'a', value: 7 }, { targetId: 'b', value: 6527 }])],
      }),
      '2026-06-02',
    );
    expect(d.progress).toBe(75);
  });
});

describe('status rules', () => {
  it('not started before the start date, on track early, delayed after the end', () => {
    expect(deriveItem(item(), '2026-02-01').status).toBe('not_started');
    expect(deriveItem(item(), '2026-03-10').status).toBe('on_track');
    expect(deriveItem(item(), '2027-01-01').reason).toBe('delayed:past_end');
  });
  it('a missed milestone is a risk, and after 30 days a delay', () => {
    const ms = { milestones: [{ id: 'm', plannedOn: '2026-04-01' }] };
    expect(deriveItem(item(ms), '2026-04-10').reason).toBe('at_risk:milestone_overdue');
    expect(deriveItem(item(ms), '2026-05-10').reason).toBe('delayed:milestone_missed');
    const met = item({ ...ms, reports: [report('2026-04-05', [], { milestones: [{ milestoneId: 'm', achievedOn: '2026-04-05' }] })] });
    expect(deriveItem(met, '2026-05-10').milestones[0]!.achievedOn).toBe('2026-04-05');
  });
  it('behind the elapsed time: 15 points is a risk, 35 a delay', () => {
    // half the period elapsed around 2026-08-01
    const at = (v: number) => deriveItem(item({ reports: [report('2026-07-31', [{ targetId: 't1', value: v }])] }), '2026-08-01');
    expect(at(250).status).toBe('on_track');
    expect(at(150).status).toBe('at_risk');
    expect(at(50).status).toBe('delayed');
  });
  it('stage items take the stage default progress', () => {
    const d = deriveItem(item({ rule: 'stage', targets: [], reports: [report('2026-05-01', [], { stage: 'constructing' })] }), '2026-05-02');
    expect(d.progress).toBe(50);
    expect(d.stage).toBe('constructing');
  });
  it('the seed sentence', () => {
    const roots: Derived[] = [
      deriveItem(item({ id: 'a', reports: [report('2026-06-01', [{ targetId: 't1', value: 500 }])] }), '2026-06-02'),
      deriveItem(item({ id: 'b' }), '2026-06-02'),
    ];
    expect(headline(countStatuses(roots)).zh).toBe('2件2项：1 项已完成年度目标，0 项有序推进，0 项滞后；1 项存在风险');
  });
});

// ---- properties ------------------------------------------------------------------------------------

const day = fc.integer({ min: 0, max: 730 }).map((n) => new Date(Date.UTC(2025, 6, 1) + n * 86_400_000).toISOString().slice(0, 10));
const target = fc
  .record({ kind: fc.constantFrom('count' as const, 'quantity' as const, 'percent' as const), baseline: fc.integer({ min: 0, max: 100 }), delta: fc.integer({ min: -100, max: 100 }).filter((x) => x !== 0), weight: fc.integer({ min: 1, max: 5 }) })
  .filter((t) => t.baseline + t.delta >= 0)
  .map((t, ) => ({ kind: t.kind, baseline: t.baseline, target: t.baseline + t.delta, weight: t.weight }));

function arbLeaf(prefix: string): fc.Arbitrary<ItemInput> {
  return fc
    .record({
      rule: fc.constantFrom('targets' as const, 'stage' as const),
      start: day,
      length: fc.integer({ min: 0, max: 400 }),
      weight: fc.integer({ min: 0, max: 5 }),
      targets: fc.array(target, { minLength: 1, maxLength: 3 }),
      milestones: fc.array(day, { maxLength: 3 }),
      reports: fc.array(
        fc.record({ asOf: day, returned: fc.boolean(), values: fc.array(fc.integer({ min: -50, max: 300 }), { minLength: 3, maxLength: 3 }), stage: fc.option(fc.constantFrom(...STAGES), { nil: null }), hit: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }) }),
        { maxLength: 4 },
      ),
      closed: fc.option(day, { nil: null }),
    })
    .map((x) => {
      const end = new Date(Date.parse(`${x.start}T00:00:00Z`) + x.length * 86_400_000).toISOString().slice(0, 10);
      const targets = x.targets.map((t, k) => ({ id: `${prefix}t${k}`, ...t }));
      const milestones = x.milestones.map((d, k) => ({ id: `${prefix}m${k}`, plannedOn: d }));
      return {
        id: prefix,
        rule: x.rule,
        weight: x.weight,
        plannedStart: x.start,
        plannedEnd: end,
        closedOn: x.closed,
        targets,
        milestones,
        children: [],
        reports: x.reports.map((r, k) => ({
          id: `${prefix}r${k}`,
          asOf: r.asOf,
          createdAt: `${r.asOf}T0${k}:00:00Z`,
          returned: r.returned,
          stage: x.rule === 'stage' ? r.stage : null,
          values: targets.map((t, j) => ({ targetId: t.id, value: r.values[j]! })),
          milestones: milestones.filter((_, j) => r.hit[j]).map((m) => ({ milestoneId: m.id, achievedOn: r.asOf })),
        })),
      } satisfies ItemInput;
    });
}

const arbParent: fc.Arbitrary<ItemInput> = fc
  .tuple(arbLeaf('p'), fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 5 }))
  .chain(([p, ks]) => fc.tuple(fc.constant(p), fc.tuple(...ks.map((k) => arbLeaf(`c${k}-`)))))
  .map(([p, kids]) => ({ ...p, rule: 'children' as const, children: kids.map((c, i) => ({ ...c, id: `${c.id}${i}` })) }));

describe('properties', () => {
  it('progress of every node stays within 0–100 %', () => {
    fc.assert(
      fc.property(arbParent, day, (p, on) => {
        const check = (d: Derived): boolean => d.progress >= 0 && d.progress <= 100 && d.targets.every((t) => t.progress >= 0 && t.progress <= 100) && d.children.every(check);
        return check(deriveItem(p, on));
      }),
      { numRuns: 300 },
    );
  });

  it('a completed child never lowers the parent’s progress', () => {
    fc.assert(
      fc.property(arbParent, day, fc.nat(), (p, on, pick) => {
        const k = pick % p.children.length;
        const child = p.children[k]!;
        // the child completes: every target reaches its target value, the stage is done, on the reference date
        const done: ReportInput = {
          id: 'done',
          asOf: on,
          createdAt: '9999-12-31T00:00:00Z',
          returned: false,
          stage: child.rule === 'stage' ? 'done' : null,
          values: child.targets.map((t) => ({ targetId: t.id, value: t.target })),
          milestones: [],
        };
        const completed = { ...child, reports: [...child.reports, done] };
        expect(deriveItem(completed, on).status).toBe('completed');
        const before = deriveItem(p, on).progress;
        const after = deriveItem({ ...p, children: p.children.map((c, i) => (i === k ? completed : c)) }, on).progress;
        return after >= before;
      }),
      { numRuns: 300 },
    );
  });

  it('the status rules are total: every input yields exactly one of the five statuses', () => {
    fc.assert(
      fc.property(
        fc.record({
          progress: fc.double({ min: 0, max: 100, noNaN: true }),
          expected: fc.double({ min: 0, max: 100, noNaN: true }),
          on: day,
          plannedStart: day,
          plannedEnd: day,
          hasReports: fc.boolean(),
          closed: fc.boolean(),
          milestones: fc.array(fc.record({ id: fc.string(), plannedOn: day, achievedOn: fc.constant(null), overdueDays: fc.nat(400) }), { maxLength: 3 }),
        }),
        (s) => {
          const r = decideStatus(s);
          return STATUSES.filter((x) => x === r.status).length === 1 && r.reason.startsWith(r.status);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('roll-up is a mean: between the smallest and the largest part', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ progress: fc.double({ min: 0, max: 100, noNaN: true }), weight: fc.double({ min: 0, max: 10, noNaN: true }) }), { minLength: 1, maxLength: 8 }), (parts) => {
        const r = rollUp(parts);
        const lo = Math.min(...parts.map((p) => p.progress));
        const hi = Math.max(...parts.map((p) => p.progress));
        return r >= lo - 1e-9 && r <= hi + 1e-9;
      }),
    );
  });

  it('a report of the same day entered later wins (a correction replaces the value)', () => {
    const d = deriveItem(
      item({ reports: [report('2026-06-30', [{ targetId: 't1', value: 300 }]), { ...report('2026-06-30', [{ targetId: 't1', value: 200 }]), id: 'corr', createdAt: '2026-07-02T00:00:00Z' }] }),
      '2026-07-05',
    );
    expect(d.targets[0]!.current).toBe(200);
  });
});
