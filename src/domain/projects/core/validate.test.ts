import { describe, expect, it } from 'vitest';
import { evidenceProblems, itemProblems, reportProblems, sniffEvidence, targetProblems } from './validate';

describe('targets', () => {
  it('refuses impossible values with a message per field', () => {
    expect(targetProblems({ metric: '托位', unit: '个', kind: 'count', baseline: 500, target: 500 }).map((p) => p.field)).toEqual(['target.target']);
    expect(targetProblems({ metric: '托位', unit: '个', kind: 'count', baseline: -1, target: 2.5 }).map((p) => p.en)).toEqual([
      'The baseline cannot be negative',
      'The target is a count and must be a whole number',
    ]);
    expect(targetProblems({ metric: '覆盖率', unit: '%', kind: 'percent', baseline: 80, target: 120 })[0]!.zh).toContain('百分比');
    expect(targetProblems({ metric: '道路', unit: '米', kind: 'quantity', baseline: 0, target: 5312.5 })).toEqual([]);
  });
  it('an item measured by targets needs one; dates in order', () => {
    const p = itemProblems({ plannedStart: '2026-05-01', plannedEnd: '2026-04-01', budgetFen: 1, rule: 'targets', targets: [], year: 2026 });
    expect(p.map((x) => x.field)).toEqual(['plannedEnd', 'targets']);
  });
});

describe('reports', () => {
  const ctx = { today: '2026-06-30', closedOn: null, rule: 'targets' as const, plannedStart: '2026-01-01', targets: [{ id: 't', kind: 'count' as const }], milestones: [{ id: 'm' }] };
  it('refuses the future, closed items, foreign targets and negative counts', () => {
    expect(reportProblems({ asOf: '2026-07-01', values: [{ targetId: 't', value: 1 }], milestones: [], stage: null }, ctx)[0]!.field).toBe('asOf');
    expect(reportProblems({ asOf: '2026-06-01', values: [{ targetId: 't', value: 1 }], milestones: [], stage: null }, { ...ctx, closedOn: '2026-05-01' })[0]!.zh).toContain('已于 2026-05-01 关闭');
    expect(reportProblems({ asOf: '2026-06-01', values: [{ targetId: 'x', value: 1 }, { targetId: 't', value: -3 }], milestones: [], stage: null }, ctx).map((p) => p.field)).toEqual([
      'values.0.targetId',
      'values.1.value',
    ]);
    expect(reportProblems({ asOf: '2026-06-01', values: [{ targetId: 't', value: 3 }], milestones: [], stage: null }, ctx)).toEqual([]);
  });
});

describe('evidence', () => {
  it('reads the type from the bytes and limits the size', () => {
    expect(sniffEvidence(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]))).toBe('application/pdf');
    expect(sniffEvidence(new TextEncoder().encode('<html>'))).toBeNull();
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set([0xff, 0xd8, 0xff]);
    const r = evidenceProblems([{ fileName: 'a.exe', bytes: new TextEncoder().encode('MZ') }, { fileName: 'big.jpg', bytes: big }]);
    expect(r.problems.map((p) => p.en)).toEqual(['File "a.exe" is not a JPEG, PNG or WebP photo or a PDF', 'File "big.jpg" is larger than 5 MB']);
  });
});
