import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { rankUnits, type HistoryRow } from './units';

const names: Record<string, string> = { 'department:urban-management': '城管局', 'subdistrict:370202010': '湛山街道', 'department:market': '市场监管局' };
const unitName = (u: string) => names[u] ?? u;
const routes = [
  { unit: 'subdistrict:370202010', reason: '属地管理: 街道' },
  { unit: 'department:urban-management', reason: '职能: 城管' },
];

describe('rankUnits', () => {
  it('follows the routing table when there is no history, with the reason', () => {
    const s = rankUnits({ categoryCode: 'urban.stall', subdistrictCode: '370202010', subdistrictName: '湛山街道', routes, history: [], unitName });
    expect(s.map((u) => u.unit)).toEqual(['subdistrict:370202010', 'department:urban-management']);
    expect(s[0]!.reason).toBe('属地: 湛山街道; 属地管理: 街道; 历史: 暂无同类办结记录');
  });
  it('lets a unit that keeps closing without returns rise above the rule', () => {
    const history: HistoryRow[] = [
      { categoryCode: 'urban.stall', subdistrictCode: '370202010', unit: 'department:urban-management', handled: 12, clean: 12, returns: 0 },
      { categoryCode: 'urban.stall', subdistrictCode: '370202010', unit: 'subdistrict:370202010', handled: 1, clean: 0, returns: 6 },
    ];
    const s = rankUnits({ categoryCode: 'urban.stall', subdistrictCode: '370202010', subdistrictName: '湛山街道', routes, history, unitName });
    expect(s[0]!.unit).toBe('department:urban-management');
    expect(s[0]!.reason).toContain('职能: 城管');
    expect(s[0]!.reason).toContain('同类 12 件由城管局办结（本街道 12 件），0 件曾退单，城管局退单 0 次');
  });
  it('ignores history of other categories', () => {
    const history: HistoryRow[] = [{ categoryCode: 'health', subdistrictCode: null, unit: 'department:market', handled: 50, clean: 50, returns: 0 }];
    const s = rankUnits({ categoryCode: 'urban.stall', subdistrictCode: null, subdistrictName: null, routes, history, unitName });
    expect(s.map((u) => u.unit)).not.toContain('department:market');
  });
  it('more returns never raise a unit (monotone)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 10 }), (handled, cleanRaw, extra) => {
        const clean = Math.min(handled, cleanRaw);
        const score = (returns: number) =>
          rankUnits({
            categoryCode: 'c',
            subdistrictCode: null,
            subdistrictName: null,
            routes: [],
            history: [{ categoryCode: 'c', subdistrictCode: null, unit: 'department:x', handled, clean, returns }],
            unitName,
            limit: 10,
          })[0]?.score ?? 0;
        return score(5 + extra) <= score(5);
      }),
    );
  });
});
