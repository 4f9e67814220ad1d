import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOT_PARAMS, findHotIssues, hotIndex, hotStats, isRepeatComplaint, type HotItem } from './hot';
import { extractPlaces } from './places';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
// A whitespace tokenizer keeps these tests independent of jieba; the CLI test covers the real one.
const tokenize = (s: string) => s.split(/[\s，。！？、]+/).filter((w) => w.length >= 2);
const cut = (s: string) => s.split(/(\s+|，|。)/).filter((w) => w.trim() !== '');

const item = (id: string, title: string, body: string, day: number, user: string, likes = 0): HotItem => ({ id, title, body, time: T0 + day * DAY, user, likes });

describe('hot index', () => {
  const stat = fc.record({ n: fc.integer({ min: 1, max: 500 }), u: fc.integer({ min: 1, max: 500 }), s: fc.integer({ min: 0, max: 5000 }), d: fc.double({ min: 0, max: 365, noNaN: true }), age: fc.double({ min: 0, max: 365, noNaN: true }) });
  it('more messages, requesters, support, span or recency never lower it; bounded by [0, 100]', () => {
    fc.assert(
      fc.property(stat, fc.integer({ min: 0, max: 4 }), (x, which) => {
        const now = T0 + 400 * DAY;
        const base = { messages: x.n, requesters: Math.min(x.u, x.n), support: x.s, spanDays: x.d, last: now - x.age * DAY };
        const more = { ...base };
        if (which === 0) more.messages += 1;
        if (which === 1) more.requesters += 1;
        if (which === 2) more.support += 10;
        if (which === 3) more.spanDays += 3;
        if (which === 4) more.last = Math.min(now, more.last + DAY);
        const a = hotIndex(base, now, 30);
        expect(hotIndex(more, now, 30)).toBeGreaterThanOrEqual(a);
        expect(a).toBeGreaterThanOrEqual(0);
        expect(a).toBeLessThanOrEqual(100);
      }),
    );
  });
  it('adding a message to a cluster never lowers its index (stats computed from the items)', () => {
    const arb = fc.array(fc.record({ day: fc.integer({ min: 0, max: 60 }), user: fc.constantFrom('u1', 'u2', 'u3', 'u4'), likes: fc.nat(50), dislikes: fc.nat(50) }), { minLength: 1, maxLength: 20 });
    fc.assert(
      fc.property(arb, fc.record({ day: fc.integer({ min: 0, max: 60 }), user: fc.constantFrom('u1', 'u5'), likes: fc.nat(50), dislikes: fc.nat(50) }), (xs, extra) => {
        const now = T0 + 90 * DAY;
        const items = xs.map((x, i) => ({ id: `m${i}`, time: T0 + x.day * DAY, user: x.user, likes: x.likes, dislikes: x.dislikes }));
        const plus = [...items, { id: 'extra', time: T0 + extra.day * DAY, user: extra.user, likes: extra.likes, dislikes: extra.dislikes }];
        expect(hotIndex(hotStats(plus), now, 30)).toBeGreaterThanOrEqual(hotIndex(hotStats(items), now, 30));
      }),
    );
  });
  it('a new requester counts more than the same requester again', () => {
    const now = T0 + 10 * DAY;
    const same = hotStats([{ id: 'a', time: T0, user: 'u1', likes: 0 }, { id: 'b', time: T0, user: 'u1', likes: 0 }]);
    const other = hotStats([{ id: 'a', time: T0, user: 'u1', likes: 0 }, { id: 'b', time: T0, user: 'u2', likes: 0 }]);
    expect(hotIndex(other, now, 30)).toBeGreaterThan(hotIndex(same, now, 30));
  });
});

describe('clustering', () => {
  const items: HotItem[] = [
    item('1', '幸福里小区 油烟 扰民', '幸福里小区 楼下 烧烤店 油烟 扰民 晚上', 0, 'a', 3),
    item('2', '幸福里小区 烧烤 油烟', '幸福里小区 烧烤店 油烟 很大 扰民', 2, 'b', 5),
    item('3', '幸福里小区 油烟 问题', '楼下 烧烤店 油烟 扰民 幸福里小区', 5, 'c'),
    item('4', '和平路 路灯 不亮', '和平路 路灯 坏了 一个月', 1, 'd'),
    item('5', '和平路 路灯 坏了', '和平路 路灯 不亮 晚上 很黑', 3, 'e'),
    item('6', '幸福里小区 油烟 扰民', '幸福里小区 烧烤店 油烟 扰民', 200, 'f'),
    item('7', '医保 报销 咨询', '异地 就医 医保 报销 比例', 4, 'g'),
  ];
  const run = (xs: HotItem[]) => findHotIssues(xs, { tokenize, cut }, { ...DEFAULT_HOT_PARAMS, now: T0 + 10 * DAY });

  it('groups one problem at one place within the window, and ranks the bigger one first', () => {
    const issues = run(items);
    expect(issues.map((h) => h.messageIds)).toEqual([['1', '2', '3'], ['4', '5']]);
    expect(issues[0]!.place).toContain('幸福里小区');
    expect(issues[0]!.keywords).toContain('油烟');
    expect(issues[0]!.requesters).toBe(3);
    expect(issues[0]!.support).toBe(8);
    expect(issues[0]!.timeRange).toEqual({ from: T0, to: T0 + 5 * DAY });
  });
  it('a message far outside the window does not join; the clustering does not depend on input order', () => {
    const a = run(items).map((h) => h.messageIds.join());
    const b = run([...items].reverse()).map((h) => h.messageIds.join());
    expect(b).toEqual(a);
    expect(a.some((ids) => ids.includes('6'))).toBe(false);
  });
  it('reports progress up to the total', () => {
    const seen: number[] = [];
    findHotIssues(items, { tokenize, cut, onProgress: (d) => seen.push(d) }, { ...DEFAULT_HOT_PARAMS, now: T0 });
    expect(seen[seen.length - 1]).toBe(items.length);
  });
  it('repeat complaints: ≥ 3 tickets, ≥ 2 people, one grid cell, within 30 days', () => {
    expect(isRepeatComplaint({ messages: 3, requesters: 2, spanDays: 10, areaKey: 'g1' })).toBe(true);
    expect(isRepeatComplaint({ messages: 3, requesters: 1, spanDays: 10, areaKey: 'g1' })).toBe(false);
    expect(isRepeatComplaint({ messages: 2, requesters: 2, spanDays: 10, areaKey: 'g1' })).toBe(false);
    expect(isRepeatComplaint({ messages: 5, requesters: 3, spanDays: 10, areaKey: null })).toBe(false);
    expect(isRepeatComplaint({ messages: 5, requesters: 3, spanDays: 45, areaKey: 'g1' })).toBe(false);
  });
});

describe('places', () => {
  it('finds letter-code districts and names ending in a place word, not common nouns', () => {
    const cutChars = (s: string) => s.match(/幸福里小区|和平路|城市|道路|[\u4e00-\u9fa5]|[A-Za-z0-9]+/g) ?? [];
    const ps = extractPlaces('A市A5区幸福里小区门口，和平路的城市道路', cutChars);
    expect(ps[0]).toEqual({ admin: 'A市A5区', name: '幸福里小区' });
    expect(ps.map((p) => p.name)).toContain('和平路');
    expect(ps.map((p) => p.name)).not.toContain('城市');
    expect(extractPlaces('咨询A3区的社保政策', cutChars)).toEqual([{ admin: 'A3区', name: null }]);
  });
});
