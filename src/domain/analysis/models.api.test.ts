import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

type Version = { id: string; version: number; active: boolean; isDemo: boolean; macroF1: number | null; labels: { code: string; name: string }[] };
type Suggestions = {
  model: { version: number } | null;
  categories: { code: string; name: string; p: number }[];
  confidence: number | null;
  needsTriage: boolean | null;
  threshold: number;
  units: { unit: string; name: string; score: number; reason: string }[];
};

async function newTicket(title: string, content: string, extra: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: await t.as('dispatcher'), payload: { type: 'complaint', title, content, ...extra } });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ ticket: { id: string } }>(res).ticket.id;
}

describe('classifier over HTTP', () => {
  it('the demo seed leaves one active, labelled demo model with metrics', async () => {
    expect((await t.app.inject({ url: '/api/v1/analysis/models' })).statusCode).toBe(401);
    const res = await t.app.inject({ url: '/api/v1/analysis/models', headers: await t.as('leader') });
    expect(res.statusCode, res.body).toBe(200);
    const list = json<{ items: Version[]; settings: { triageThreshold: number } }>(res);
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.active).toBe(true);
    expect(list.items[0]!.isDemo).toBe(true);
    expect(list.items[0]!.macroF1).toBeGreaterThan(0.8);
    expect(list.settings.triageThreshold).toBe(0.5);
    const detail = json<{ metrics: { confusion: number[][]; labels: string[] } }>(await t.app.inject({ url: '/api/v1/analysis/models/1', headers: await t.as('leader') }));
    expect(detail.metrics.confusion.length).toBe(detail.metrics.labels.length);
    expect((await t.app.inject({ url: '/api/v1/analysis/models/99', headers: await t.as('leader') })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/analysis/models/abc', headers: await t.as('leader') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/analysis/models', headers: await t.as('handler-urban') })).statusCode).toBe(403);
  });

  it('a new ticket gets top-3 categories with calibrated probabilities and a unit suggestion with its reason', async () => {
    const id = await newTicket('路灯不亮', '小区门口的路灯不亮好几天了，晚上一片漆黑，希望尽快修理。');
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/${id}/suggestions` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/not-a-uuid/suggestions`, headers: await t.as('dispatcher') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/${id}/suggestions`, headers: await t.as('handler-urban') })).statusCode).toBe(403);
    const res = await t.app.inject({ url: `/api/v1/analysis/tickets/${id}/suggestions`, headers: await t.as('dispatcher') });
    expect(res.statusCode, res.body).toBe(200);
    const s = json<Suggestions>(res);
    expect(s.model?.version).toBe(1);
    expect(s.categories).toHaveLength(3);
    expect(s.categories[0]!.code).toBe('urban.facility.streetlight');
    expect(s.categories[0]!.name).toBe('路灯不亮');
    expect(s.categories[0]!.p).toBeGreaterThan(s.categories[1]!.p);
    expect(s.units.length).toBeGreaterThan(0);
    expect(s.units[0]!.unit).toBe('department:urban-management');
    expect(s.units[0]!.reason).toContain('职能: 城管');
    expect(s.units[0]!.reason).toContain('历史');
  });

  it('a vague ticket lands in the triage queue below the threshold', async () => {
    const id = await newTicket('问题反映', '你好，我想反映一个情况，麻烦帮忙看一下。');
    await t.app.inject({ method: 'POST', url: '/api/v1/analysis/settings', headers: await t.as('admin'), payload: { triageThreshold: 0.9 } });
    // Settings apply to the next classification: classify again after the change.
    const q = json<{ threshold: number; items: { ticketId: string; confidence: number }[] }>(await t.app.inject({ url: '/api/v1/analysis/triage', headers: await t.as('dispatcher') }));
    expect(q.threshold).toBe(0.9);
    const mine = q.items.find((x) => x.ticketId === id);
    expect(mine, JSON.stringify(q)).toBeDefined();
    expect(mine!.confidence).toBeLessThan(0.9);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/settings', headers: await t.as('dispatcher'), payload: { triageThreshold: 0.4 } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/settings', headers: await t.as('admin'), payload: { triageThreshold: 1.5 } })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/analysis/triage?limit=0', headers: await t.as('dispatcher') })).statusCode).toBe(400);
  });

  it('retrains in the background with progress, then activates and rolls back', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/train', headers: await t.as('dispatcher'), payload: { source: 'demo' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/train', headers: await t.as('admin'), payload: { source: 'web' } })).statusCode).toBe(400);
    // Too few closed tickets of its own: the run fails with a clear reason.
    const failed = json<{ run: { id: string } }>(await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/train', headers: await t.as('admin'), payload: { source: 'tickets' } }));
    let run = await waitRun(failed.run.id);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('Too few labelled tickets');
    const started = await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/train', headers: await t.as('admin'), payload: { source: 'demo' } });
    expect(started.statusCode, started.body).toBe(202);
    run = await waitRun(json<{ run: { id: string } }>(started).run.id);
    expect(run.status).toBe('succeeded');
    expect(run.percent).toBe(100);
    let list = json<{ items: Version[] }>(await t.app.inject({ url: '/api/v1/analysis/models', headers: await t.as('admin') }));
    expect(list.items.map((v) => [v.version, v.active])).toEqual([[2, false], [1, true]]);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/rollback', headers: await t.as('admin'), payload: {} })).statusCode).toBe(409);
    const act = await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/2/activate', headers: await t.as('admin'), payload: {} });
    expect(act.statusCode, act.body).toBe(200);
    const back = await t.app.inject({ method: 'POST', url: '/api/v1/analysis/models/rollback', headers: await t.as('admin'), payload: {} });
    expect(back.statusCode, back.body).toBe(200);
    list = json<{ items: Version[] }>(await t.app.inject({ url: '/api/v1/analysis/models', headers: await t.as('admin') }));
    expect(list.items.map((v) => [v.version, v.active])).toEqual([[2, false], [1, true]]);
    const audit = await t.deps.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'analysis.model.%' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['analysis.model.train', 'analysis.model.trained', 'analysis.model.activate', 'analysis.model.rollback']));
  });
});

async function waitRun(id: string) {
  for (let i = 0; i < 600; i++) {
    const r = json<{ run: { status: string; percent: number; error: string | null } }>(await t.app.inject({ url: `/api/v1/analysis/models/runs/${id}`, headers: await t.as('admin') })).run;
    if (r.status !== 'running') return r;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('training did not finish');
}
