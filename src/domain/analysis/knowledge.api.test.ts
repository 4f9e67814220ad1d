import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

type Entry = { id: string; version: number; question: string; expired: boolean; flaggedAt: string | null; isDemo: boolean; retired: boolean };
type List = { items: Array<{ entry: Entry; score: number | null; matched: string[] }> };
const body = (extra: Record<string, unknown> = {}) => ({
  question: '犬只登记在哪里办理？',
  answer: '（测试）携带犬只免疫证明到派出所办理登记。',
  policyBasis: '养犬管理规定（测试）',
  ownerUnit: 'department:public-security',
  keywords: ['犬只', '登记'],
  validUntil: '2027-06-30',
  ...extra,
});

describe('knowledge base over HTTP', () => {
  it('401 → 400 → 403 → 201; an edit is a new version; search finds it by BM25', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: { 'x-minsheng-csrf': '1' }, payload: body() })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: await t.as('dispatcher'), payload: body({ ownerUnit: 'nobody' }) })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: await t.as('dispatcher'), payload: body({ validUntil: '2027-02-30' }) })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: await t.as('leader'), payload: body() })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: await t.as('dispatcher'), payload: body() });
    expect(res.statusCode, res.body).toBe(201);
    const id = json<{ entry: Entry }>(res).entry.id;
    const edited = await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${id}/versions`, headers: await t.as('dispatcher'), payload: body({ answer: '（测试）携带犬只免疫证明和照片到派出所或网上办理登记。' }) });
    expect(edited.statusCode, edited.body).toBe(200);
    const detail = json<{ entry: Entry; versions: Array<{ version: number }> }>(edited);
    expect(detail.entry.version).toBe(2);
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    const search = json<List>(await t.app.inject({ url: `/api/v1/knowledge?q=${encodeURIComponent('养狗怎么登记犬只')}`, headers: await t.as('handler-urban') }));
    expect(search.items[0]!.entry.id).toBe(id);
    expect(search.items[0]!.matched).toContain('登记');
    const audit = await t.deps.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [id]);
    expect(audit.map((a) => a.action)).toEqual(['knowledge.create', 'knowledge.update']);
  });

  it('demo entries are seeded and labelled; expired ones are hidden from suggestions and flagged to their owner once', async () => {
    const all = json<List>(await t.app.inject({ url: '/api/v1/knowledge?limit=200', headers: await t.as('dispatcher') }));
    const demo = all.items.filter((x) => x.entry.isDemo);
    expect(demo.length).toBeGreaterThanOrEqual(10);
    const expired = demo.filter((x) => x.entry.expired);
    expect(expired.length).toBe(2);
    const flag = json<{ flagged: number }>(await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/flag-expired', headers: await t.as('dispatcher') }));
    expect(flag.flagged).toBe(2);
    expect(json<{ flagged: number }>(await t.app.inject({ method: 'POST', url: '/api/v1/knowledge/flag-expired', headers: await t.as('dispatcher') })).flagged).toBe(0);
    const flagged = json<{ items: Entry[] }>(await t.app.inject({ url: '/api/v1/knowledge/expired', headers: await t.as('dispatcher') }));
    expect(flagged.items.map((e) => e.id).sort()).toEqual(expired.map((x) => x.entry.id).sort());
    // Search hides expired entries when asked to (the suggestion mode).
    const q = encodeURIComponent('加装电梯补贴');
    expect(json<List>(await t.app.inject({ url: `/api/v1/knowledge?q=${q}`, headers: await t.as('dispatcher') })).items.length).toBeGreaterThan(0);
    expect(json<List>(await t.app.inject({ url: `/api/v1/knowledge?q=${q}&includeExpired=false`, headers: await t.as('dispatcher') })).items.filter((x) => x.entry.expired)).toEqual([]);
  });

  it('suggests answers on a consultation ticket, never an expired one', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: await t.as('dispatcher'),
      payload: { type: 'consultation', channel: 'hotline', title: '居住证怎么办理', content: '刚来市南区工作，想问居住证怎么办理，需要带什么材料', location: { lon: 120.36, lat: 36.068 }, requester: { name: '演示居民', phone: '10000000401' } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = json<{ ticket: { id: string } }>(res).ticket.id;
    expect((await t.app.inject({ url: `/api/v1/analysis/tickets/${id}/knowledge` })).statusCode).toBe(401);
    const s = json<{ ticketType: string; items: Array<{ entry: Entry }> }>(await t.app.inject({ url: `/api/v1/analysis/tickets/${id}/knowledge`, headers: await t.as('dispatcher') }));
    expect(s.ticketType).toBe('consultation');
    expect(s.items[0]!.entry.question).toContain('居住证');
    expect(s.items.every((x) => !x.entry.expired)).toBe(true);
  });

  it('retire: a manager only; a retired entry cannot be edited', async () => {
    const id = json<{ entry: Entry }>(await t.app.inject({ method: 'POST', url: '/api/v1/knowledge', headers: await t.as('dispatcher'), payload: body({ question: '旧政策条目' }) })).entry.id;
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${id}/retire`, headers: await t.as('handler-urban') })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${id}/retire`, headers: await t.as('dispatcher') })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/knowledge/${id}/versions`, headers: await t.as('dispatcher'), payload: body() })).statusCode).toBe(409);
    expect((await t.app.inject({ url: `/api/v1/knowledge/00000000-0000-4000-8000-000000000000`, headers: await t.as('dispatcher') })).statusCode).toBe(404);
  });
});
