import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

const create = async (title: string, content: string, phone: string, lon = 120.36, lat = 36.068) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: await t.as('dispatcher'),
    payload: { type: 'complaint', channel: 'hotline', title, content, categoryCode: 'urban.appearance.stall', location: { lon, lat }, requester: { name: '演示居民', phone } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ ticket: { id: string; location: { gridCell: { code: string } | null } } }>(res).ticket;
};

type Hot = { items: Array<{ rank: number; hotIndex: number; label: string; messages: number; requesters: number; repeatComplaint: boolean; gridCellCode: string | null; tickets: Array<{ id: string }> }> };
type Tasks = { items: Array<{ id: string; gridCellCode: string; ticketCount: number; status: string; label: string }> };

describe('hot issues and 主动治理 over HTTP', () => {
  it('401 → 400 → 403 → 200', async () => {
    expect((await t.app.inject({ url: '/api/v1/analysis/hot-issues' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/analysis/hot-issues?days=0', headers: await t.as('leader') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/analysis/hot-issues', headers: await t.as('handler-urban') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/analysis/hot-issues', headers: await t.as('leader') })).statusCode).toBe(200);
  });

  it('repeat complaints at one place become one hot issue, then one proactive task for the grid', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await create('小区门口烧烤摊油烟扰民', `每天晚上小区门口烧烤摊油烟很大，油烟扰民严重，请城管处理（第${i + 1}位居民）`, `1000000010${i}`)).id);
      t.clock.advance(3_600_000);
    }
    await create('医保报销比例咨询', '异地就医医保报销比例是多少', '10000000200', 120.39, 36.07);
    const hot = json<Hot>(await t.app.inject({ url: '/api/v1/analysis/hot-issues?days=30', headers: await t.as('leader') }));
    const first = hot.items[0]!;
    expect(first.messages).toBe(4);
    expect(first.requesters).toBe(4);
    expect(first.tickets.map((x) => x.id).sort()).toEqual([...ids].sort());
    expect(first.label).toMatch(/油烟|烧烤/);
    expect(first.repeatComplaint).toBe(true);

    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/proactive-tasks/generate', headers: await t.as('leader') })).statusCode).toBe(403);
    const gen = await t.app.inject({ method: 'POST', url: '/api/v1/analysis/proactive-tasks/generate', headers: await t.as('dispatcher') });
    expect(gen.statusCode, gen.body).toBe(200);
    expect(json<{ created: number }>(gen).created).toBe(1);
    // Idempotent: a second run updates the open task instead of adding one.
    const again = json<{ created: number; updated: number }>(await t.app.inject({ method: 'POST', url: '/api/v1/analysis/proactive-tasks/generate', headers: await t.as('dispatcher') }));
    expect(again).toEqual({ created: 0, updated: 1 });

    const tasks = json<Tasks>(await t.app.inject({ url: '/api/v1/analysis/proactive-tasks', headers: await t.as('dispatcher') }));
    expect(tasks.items).toHaveLength(1);
    expect(tasks.items[0]!.gridCellCode).toBe(first.gridCellCode);
    expect(tasks.items[0]!.ticketCount).toBe(4);
    const audit = await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'analysis.proactive_task.%'`);
    expect(audit[0]!.n).toBe(2);

    const id = tasks.items[0]!.id;
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/analysis/proactive-tasks/${id}/status`, headers: await t.as('dispatcher'), payload: { status: 'open' } })).statusCode).toBe(400);
    const done = await t.app.inject({ method: 'POST', url: `/api/v1/analysis/proactive-tasks/${id}/status`, headers: await t.as('dispatcher'), payload: { status: 'done', note: '已约谈摊主，加装净化器' } });
    expect(done.statusCode, done.body).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/analysis/proactive-tasks/${id}/status`, headers: await t.as('dispatcher'), payload: { status: 'done' } })).statusCode).toBe(409);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/analysis/proactive-tasks/00000000-0000-4000-8000-000000000000/status`, headers: await t.as('dispatcher'), payload: { status: 'done' } })).statusCode).toBe(404);
  });
});
