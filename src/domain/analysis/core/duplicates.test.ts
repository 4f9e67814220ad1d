import { describe, expect, it } from 'vitest';
import { findDuplicates, type DuplicateDoc } from './duplicates';
import { minHasher } from './similarity';

const tokenize = (s: string) => s.split(/[\s，。！？、]+/).filter((w) => w.length >= 2);
const deps = { tokenize, idf: () => 1, hasher: minHasher(128) };
const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h));
const doc = (id: string, title: string, content: string, h: number, lon: number | null, extra: Partial<DuplicateDoc> = {}): DuplicateDoc => ({
  id, title, content, createdAt: at(h), lon, lat: lon === null ? null : 36.06, gridCellCode: 'g1', communityCode: 'c1', categoryCode: 'x', ...extra,
});

describe('duplicates', () => {
  const target = doc('t', '门口 路灯 不亮', '幸福里小区 门口 路灯 不亮 一周', 10, 120.3);
  it('proposes the same complaint nearby with its evidence, not a different problem at the same door', () => {
    const found = findDuplicates(target, [
      doc('same', '路灯 不亮', '幸福里小区 门口 路灯 不亮 很久', 2, 120.3005),
      doc('other', '噪音 扰民', '幸福里小区 门口 夜间 施工 噪音', 3, 120.3),
      doc('far', '门口 路灯 不亮', '幸福里小区 门口 路灯 不亮 一周', 4, 120.4, { gridCellCode: 'g9', communityCode: 'c9' }),
    ], deps);
    expect(found.map((f) => f.id)).toEqual(['same']);
    const e = found[0]!;
    expect(e.sharedWords).toEqual(expect.arrayContaining(['路灯', '不亮']));
    expect(e.distanceMetres).toBeGreaterThan(0);
    expect(e.distanceMetres).toBeLessThan(100);
    expect(e.timeGapHours).toBe(8);
    expect(e.sameGridCell).toBe(true);
    expect(e.score).toBeGreaterThan(0.5);
  });
  it('an identical text scores text 1; outside the time window nothing is proposed', () => {
    const twin = doc('twin', target.title, target.content, 9, 120.3);
    expect(findDuplicates(target, [twin], deps)[0]!.textScore).toBe(1);
    expect(findDuplicates(target, [{ ...twin, createdAt: new Date(at(10).getTime() - 20 * 86_400_000) }], deps)).toEqual([]);
  });
  it('without coordinates, the same grid cell still counts', () => {
    const found = findDuplicates({ ...target, lon: null, lat: null }, [doc('g', '门口 路灯 不亮', '幸福里小区 门口 路灯 不亮', 8, null)], deps);
    expect(found[0]!.distanceMetres).toBeNull();
    expect(found[0]!.sameGridCell).toBe(true);
  });
});
