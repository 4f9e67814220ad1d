/**
 * Open311 API keys through the admin API: 401 → 400 → 403 → 201, the key works once issued and
 * stops working once revoked; an unknown or malformed id is a 404, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import { TEST_DISTRICT } from '../../../test/helpers/constants';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const post = async (url: string, payload: unknown, user?: string) =>
  t.app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers: user ? await t.as(user) : { 'x-minsheng-csrf': '1' } });

/** A form-encoded Open311 request with the given key: 403 for a bad key, otherwise anything but 403. */
async function submitWith(apiKey: string) {
  const body = new URLSearchParams({
    api_key: apiKey,
    jurisdiction_id: TEST_DISTRICT,
    service_code: 'urban.appearance.stall',
    lat: '36.0668',
    long: '120.3826',
    description: '路灯不亮，晚上很黑',
  }).toString();
  return t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
}

describe('Open311 API keys (admin)', () => {
  it('401 without a session, 400 on a bad label, 403 for a dispatcher', async () => {
    expect((await post('/api/v1/open311/keys', { label: 'x' })).statusCode).toBe(401);
    expect((await post('/api/v1/open311/keys', { label: '' }, 'admin')).statusCode).toBe(400);
    expect((await post('/api/v1/open311/keys', { label: 'x', extra: 1 }, 'admin')).statusCode).toBe(400);
    expect((await post('/api/v1/open311/keys', { label: 'x' }, 'dispatcher')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/open311/keys', headers: await t.as('leader') })).statusCode).toBe(403);
  });

  it('issues a key shown once, lists it without the key, and a revoked key is refused', async () => {
    const res = await post('/api/v1/open311/keys', { label: '市12345平台' }, 'admin');
    expect(res.statusCode, res.body).toBe(201);
    const { key } = json<{ key: { id: string; label: string; apiKey: string } }>(res);
    expect(key.apiKey).toMatch(/^o311_[0-9a-f]{64}$/);
    expect((await submitWith(key.apiKey)).statusCode).not.toBe(403);

    const list = json<{ items: { id: string; label: string; revokedAt: string | null }[] }>(
      await t.app.inject({ method: 'GET', url: '/api/v1/open311/keys', headers: await t.as('admin') }),
    );
    expect(list.items.find((k) => k.id === key.id)).toMatchObject({ label: '市12345平台', revokedAt: null });
    expect(JSON.stringify(list)).not.toContain(key.apiKey);

    expect((await post(`/api/v1/open311/keys/${key.id}/revoke`, {}, 'admin')).statusCode).toBe(200);
    expect((await post(`/api/v1/open311/keys/${key.id}/revoke`, {}, 'admin')).statusCode).toBe(404);
    expect((await submitWith(key.apiKey)).statusCode).toBe(403);
  });

  it('404 for an unknown id, 400 for a malformed one', async () => {
    expect((await post('/api/v1/open311/keys/00000000-0000-4000-8000-000000000000/revoke', {}, 'admin')).statusCode).toBe(404);
    expect((await post('/api/v1/open311/keys/not-a-key/revoke', {}, 'admin')).statusCode).toBe(400);
  });
});
