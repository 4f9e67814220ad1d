import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

const create = async (title: string, content: string, lon: number, lat: number, type = 'complaint') => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: await t.as('dispatcher'),
    payload: { type, channel: 'hotline', title, content, categoryCode: 'urban.appearance.stall', location: { lon, lat }, requester: { name: '演示居民', phone: '10000000301' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ ticket: { id: string } }>(res).ticket.id;
};

type Dups = { items: Array<{ ticket: { id: string }; evidence: { score: number; sharedWords: string[]; distanceMetres: number | null; timeGapHours: number } }> };

describe('duplicates over HTTP', () => {
  it('401 → 400 → 403 → 200, proposing the same complaint nearby with its evidence; merging uses 并单', async () => {
    const a = await create('人行道上有一个井盖丢失', '香港中路人行道上一个井盖丢失，晚上行人容易掉进去，很危险', 120.36, 36.068);
    t.clock.advance(2 * 3_600_000);
    await create('路边摊占道经营', '傍晚有摊贩占道经营', 120.3601, 36.0681);
    const b = await create('井盖丢失很危险', '人行道井盖丢失了，行人晚上容易掉进去', 120.3602, 36.0682);
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/${b}/duplicates` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/not-a-uuid/duplicates`, headers: await t.as('dispatcher') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/${b}/duplicates`, headers: await t.as('leader') })).statusCode).toBe(403);
    const res = await t.app.inject({ url: `/api/v1/analysis/tickets/${b}/duplicates`, headers: await t.as('dispatcher') });
    expect(res.statusCode, res.body).toBe(200);
    const d = json<Dups>(res);
    expect(d.items.map((x) => x.ticket.id)).toEqual([a]);
    expect(d.items[0]!.evidence.sharedWords).toEqual(expect.arrayContaining(['井盖']));
    expect(d.items[0]!.evidence.distanceMetres).toBeLessThan(100);
    expect(d.items[0]!.evidence.timeGapHours).toBe(2);
    const merge = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${b}/merge`, headers: await t.as('dispatcher'), payload: { into: a } });
    expect(merge.statusCode, merge.body).toBe(200);
    // A merged ticket is no longer open: it is not proposed again.
    const after = json<Dups>(await t.app.inject({ url: `/api/v1/analysis/tickets/${a}/duplicates`, headers: await t.as('dispatcher') }));
    expect(after.items.map((x) => x.ticket.id)).not.toContain(b);
  });
});

describe('reply quality over HTTP', () => {
  it('401 → 400 → 404 → 200: a weak draft is flagged with reasons, a good one is not', async () => {
    const id = await create('小区路灯不亮', '幸福里小区3号楼门口路灯一个月不亮，晚上出行不便', 120.361, 36.069);
    const url = `/api/v1/analysis/tickets/${id}/reply-score`;
    expect((await t.app.inject({ method: 'POST', url, headers: { 'x-minsheng-csrf': '1' }, payload: { text: 'x' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url, headers: await t.as('dispatcher'), payload: { text: '' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/tickets/00000000-0000-4000-8000-000000000000/reply-score', headers: await t.as('dispatcher'), payload: { text: '好' } })).statusCode).toBe(404);
    const weak = json<{ score: { weak: boolean; flags: string[]; reasons: Array<{ zh: string }> } }>(await t.app.inject({ method: 'POST', url, headers: await t.as('dispatcher'), payload: { text: '您的留言已收悉。' } }));
    expect(weak.score.weak).toBe(true);
    expect(weak.score.flags).toContain('boilerplate');
    const good = json<{ score: { weak: boolean; score: number } }>(
      await t.app.inject({
        method: 'POST',
        url,
        headers: await t.as('dispatcher'),
        payload: { text: '您好，经现场核实，幸福里小区3号楼门口路灯因线路老化不亮。我街道已安排维修人员于11月25日更换线路，路灯已恢复，晚上出行不便的问题已解决。如有疑问请联系街道城管科，电话100-0000-0102。' },
      }),
    );
    expect(good.score.weak).toBe(false);
    expect(good.score.score).toBeGreaterThan(80);
  });
});
