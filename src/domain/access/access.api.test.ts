import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import { TEST_DEMO_PASSWORD } from '../../../test/helpers/constants';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const csrf = { 'x-minsheng-csrf': '1' };
const login = (username: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: csrf, payload: { username, password }, remoteAddress: ip });

describe('sign-in', () => {
  it('sets an HttpOnly SameSite=Strict cookie, and the cookie identifies the user', async () => {
    const res = await login('leader', TEST_DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.headers['set-cookie'] as string;
    expect(cookie).toMatch(/ms_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const value = /ms_session=([^;]+)/.exec(cookie)![1]!;
    const me = await t.app.inject({ url: '/api/v1/auth/me', cookies: { ms_session: value } });
    expect(me.statusCode).toBe(200);
    expect(json<{ user: { username: string; role: string; areaName: string; permissions: string[] } }>(me).user).toMatchObject({
      username: 'leader',
      role: 'leader',
      areaName: '市南区',
    });
  });

  it('refuses a cookie-authenticated write without the CSRF header', async () => {
    const res = await login('leader', TEST_DEMO_PASSWORD);
    const value = /ms_session=([^;]+)/.exec(res.headers['set-cookie'] as string)![1]!;
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', cookies: { ms_session: value } });
    expect(out.statusCode).toBe(403);
    expect(json<{ error: { code: string } }>(out).error.code).toBe('csrf_rejected');
  });

  it('answers the same 401 for an unknown user and a wrong password', async () => {
    const a = await login('nobody-here', 'whatever-123');
    const b = await login('dispatcher', 'wrong-password-1');
    expect(a.statusCode).toBe(401);
    expect(b.statusCode).toBe(401);
    expect(json(a)).toEqual(json(b));
  });

  it('locks an account after five wrong passwords, until an admin unlocks it', async () => {
    for (let i = 0; i < 5; i++) expect((await login('street-dispatcher', `wrong-${i}-password`, `10.1.0.${i}`)).statusCode).toBe(401);
    const locked = await login('street-dispatcher', TEST_DEMO_PASSWORD, '10.1.0.9');
    expect(locked.statusCode).toBe(423);
    expect(json<{ error: { zh: string } }>(locked).error.zh).toContain('锁定');
    const users = json<{ items: { id: string; username: string; lockedUntil: string | null }[] }>(
      await t.app.inject({ url: '/api/v1/users?q=street-dispatcher', headers: await t.as('admin') }),
    ).items;
    const target = users.find((u) => u.username === 'street-dispatcher')!;
    expect(target.lockedUntil).not.toBeNull();
    const unlocked = await t.app.inject({ method: 'POST', url: `/api/v1/users/${target.id}/unlock`, headers: await t.as('admin') });
    expect(unlocked.statusCode).toBe(200);
    expect((await login('street-dispatcher', TEST_DEMO_PASSWORD, '10.1.0.10')).statusCode).toBe(200);
  });

  it('the lock expires by itself after 15 minutes', async () => {
    for (let i = 0; i < 5; i++) await login('civil-affairs', `wrong-${i}-password`, `10.2.0.${i}`);
    expect((await login('civil-affairs', TEST_DEMO_PASSWORD, '10.2.0.9')).statusCode).toBe(423);
    t.clock.advance(16 * 60_000);
    expect((await login('civil-affairs', TEST_DEMO_PASSWORD, '10.2.0.10')).statusCode).toBe(200);
  });

  it('throttles one address that tries too often', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 22; i++) codes.push((await login('nobody', 'x-wrong-pass', '10.9.9.9')).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
  });

});

describe('user admin', () => {
  it('401 → 400 → 403 → 201, scoped, audited, passwords checked', async () => {
    const body = { username: 'wang.grid', displayName: '王网格（测试）', role: 'grid_worker', password: 'Grid-worker-2026', areaCode: '370202001001003', phone: '10012345678' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: csrf, payload: body })).statusCode).toBe(401);
    const admin = await t.as('street-admin');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { ...body, role: 'king' } })).statusCode).toBe(400);
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { ...body, password: '123' } });
    expect(weak.statusCode).toBe(400);
    expect(json<{ error: { zh: string } }>(weak).error.zh).toContain('至少10个字符');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: await t.as('dispatcher'), payload: body })).statusCode).toBe(403);
    // A street administrator cannot create an account in another street, nor an administrator.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { ...body, areaCode: '370202002008' } })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { ...body, role: 'admin' } })).statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body });
    expect(created.statusCode).toBe(201);
    const user = json<{ user: { id: string; phone: string; areaName: string } }>(created).user;
    expect(user.phone).toBe('100****5678');
    expect(user.areaName).toBe('云霄路社区第3网格');
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: { ...body, username: 'WANG.grid' } });
    expect(dup.statusCode).toBe(409);
  });

  it('lists only users within the scope; the district admin sees everyone', async () => {
    const street = json<{ items: { username: string }[] }>(await t.app.inject({ url: '/api/v1/users?pageSize=200', headers: await t.as('street-admin') }));
    expect(street.items.map((u) => u.username).sort()).toEqual(['gridworker', 'street-admin', 'street-dispatcher', 'wang.grid']);
    const district = json<{ total: number }>(await t.app.inject({ url: '/api/v1/users', headers: await t.as('admin') }));
    expect(district.total).toBe(10);
  });

  it('reveals a full phone number only through an audited read', async () => {
    const headers = await t.as('admin');
    const list = json<{ items: { id: string; username: string }[] }>(await t.app.inject({ url: '/api/v1/users?q=wang.grid', headers }));
    const id = list.items[0]!.id;
    const res = await t.app.inject({ url: `/api/v1/users/${id}/phone`, headers });
    expect(json(res)).toEqual({ phone: '10012345678' });
    const rows = await t.deps.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 AND action = 'personal.read'`, [id]);
    expect(rows).toHaveLength(1);
    expect((await t.app.inject({ url: `/api/v1/users/${id}/phone`, headers: await t.as('leader') })).statusCode).toBe(403);
  });

  it('a disabled user is signed out and cannot sign in', async () => {
    const headers = await t.as('admin');
    const gw = await t.as('gridworker');
    const list = json<{ items: { id: string }[] }>(await t.app.inject({ url: '/api/v1/users?q=gridworker', headers }));
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/users/${list.items[0]!.id}/disable`, headers });
    expect(json<{ user: { disabled: boolean } }>(res).user.disabled).toBe(true);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: gw })).statusCode).toBe(401);
    expect((await login('gridworker', TEST_DEMO_PASSWORD, '10.3.0.1')).statusCode).toBe(403);
  });
});

describe('GET /api/v1/audit', () => {
  it('is for district administrators only, newest first', async () => {
    expect((await t.app.inject({ url: '/api/v1/audit' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/audit', headers: await t.as('leader') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/audit', headers: await t.as('street-admin') })).statusCode).toBe(403);
    const res = await t.app.inject({ url: '/api/v1/audit?action=users.&pageSize=5', headers: await t.as('admin') });
    expect(res.statusCode).toBe(200);
    const body = json<{ total: number; items: { id: number; action: string }[] }>(res);
    expect(body.items.every((i) => i.action.startsWith('users.'))).toBe(true);
    expect(body.items.map((i) => i.id)).toEqual([...body.items.map((i) => i.id)].sort((a, b) => b - a));
  });

  it('cannot be changed or deleted, even by SQL', async () => {
    await expect(t.deps.db.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.deps.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});

describe('sessions', () => {
  // Last in the file: moving the clock on expires every session the other tests hold.
  it('expires sessions', async () => {
    const headers = await t.as('dispatcher');
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    t.clock.advance(13 * 3_600_000);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
  });
});
