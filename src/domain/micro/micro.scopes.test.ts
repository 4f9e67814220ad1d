/**
 * Scopes: a street's administrator screens only its own street's proposals. Every proposal of
 * the demo district is tried by each staff account and compared with a 5-line oracle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

/** The oracle: who may screen a proposal at `path`. */
const SCOPES: Record<string, string | null> = { admin: '/370202/', 'street-admin': '/370202/370202001/', dispatcher: null, leader: null, 'handler-urban': null, gridworker: null };
const mayScreen = (user: string, path: string) => SCOPES[user] !== null && path.startsWith(SCOPES[user]!);

describe('micro.screen scopes', () => {
  it('lists exactly the proposals within the actor\'s street', async () => {
    const all = await t.deps.db.query<{ id: string; area_path: string }>(`SELECT id, area_path FROM micro_proposals`);
    expect(all.length).toBeGreaterThanOrEqual(14);
    expect(all.some((p) => !p.area_path.startsWith('/370202/370202001/'))).toBe(true);
    for (const user of Object.keys(SCOPES)) {
      const res = await t.app.inject({ url: '/api/v1/micro/proposals?pageSize=100', headers: await t.as(user) });
      if (SCOPES[user] === null) {
        expect(res.statusCode, user).toBe(403);
        continue;
      }
      const ids = json<{ items: { id: string }[] }>(res).items.map((i) => i.id).sort();
      expect(ids, user).toEqual(all.filter((p) => mayScreen(user, p.area_path)).map((p) => p.id).sort());
    }
  });

  it('reads and acts only within scope; an act outside the street changes nothing', async () => {
    const all = await t.deps.db.query<{ id: string; area_path: string; status: string; last_seq: number }>(`SELECT id, area_path, status, last_seq FROM micro_proposals`);
    for (const user of ['admin', 'street-admin', 'dispatcher']) {
      const headers = await t.as(user);
      for (const p of all) {
        const res = await t.app.inject({ url: `/api/v1/micro/proposals/${p.id}`, headers });
        expect(res.statusCode, `${user} GET ${p.area_path}`).toBe(mayScreen(user, p.area_path) ? 200 : 403);
      }
    }
    const outside = all.filter((p) => p.status === 'submitted' && !p.area_path.startsWith('/370202/370202001/'));
    expect(outside.length).toBeGreaterThan(0);
    for (const p of outside) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${p.id}/reject`, headers: await t.as('street-admin'), payload: { reason: '不在本街道', date: '2026-11-23' } });
      expect(res.statusCode).toBe(403);
    }
    const after = await t.deps.db.query<{ id: string; last_seq: number }>(`SELECT id, last_seq FROM micro_proposals WHERE id = ANY($1::uuid[])`, [outside.map((p) => p.id)]);
    expect(after.every((a) => a.last_seq === outside.find((p) => p.id === a.id)!.last_seq)).toBe(true);
    // The district admin may act there.
    const ok = await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${outside[0]!.id}/accept`, headers: await t.as('admin'), payload: { reason: '区级统筹采纳', date: '2026-11-23' } });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
