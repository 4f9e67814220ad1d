/**
 * The calendar through the real app (`app.inject`) on a fresh seeded database: 401 → 400 → 403
 * → 200 per endpoint, and the service on its real SQL: overrides change the district's
 * deadlines at once, are audited, and stay in their district.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { composeDeps, type Deps } from '../../server/compose';
import { fakeClock } from '../../shared/clock';
import type { App } from '../../shared/http';
import type { SystemActor } from '../../shared/authz';
import { AppError } from '../../shared/errors';
import { listAudit } from '../audit';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { TEST_CONFIG, TEST_DEMO_PASSWORD } from '../../../test/helpers/constants';
import { json } from '../../../test/helpers/app';
import { calendarRoutes } from './routes';
import * as service from './service';

let t: TestDb;
let app: App;
let deps: Deps;
const clock = fakeClock('2026-11-22T02:00:00Z');
const tokens = new Map<string, string>();
const system: SystemActor = { kind: 'system', districtCode: TEST_CONFIG.districtCode, reason: 'test' };

async function as(username: string): Promise<Record<string, string>> {
  let token = tokens.get(username);
  if (!token) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-minsheng-csrf': '1' },
      payload: { username, password: TEST_DEMO_PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    token = (res.json() as { token: string }).token;
    tokens.set(username, token);
  }
  return { authorization: `Bearer ${token}` };
}

beforeAll(async () => {
  t = await freshDb({ seed: true });
  deps = composeDeps(t.db, TEST_CONFIG, clock);
  app = await buildApp(deps, { webDist: null });
  // Until src/server/app.ts registers the module, the test registers it on the same app.
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/calendar/deadline' })) calendarRoutes(app, deps);
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

type ErrorBody = { error: { code: string; zh: string; en: string; message: string } };

describe('GET /api/v1/calendar/deadline (public)', () => {
  it('400 without a count, with both, with a bad time or count, or an unknown field', async () => {
    const bad = [
      'from=2024-09-28T10:00:00%2B08:00',
      'from=2024-09-28T10:00:00%2B08:00&workingDays=3&workingHours=2',
      'from=yesterday&workingDays=3',
      'from=2024-02-30&workingDays=3',
      'from=2024-09-28&workingDays=0',
      'from=2024-09-28&workingDays=1.5',
      'from=2024-09-28&workingHours=-1',
      'from=2024-09-28&workingDays=abc',
      'workingDays=3',
      'from=2024-09-28&workingDays=3&evil=1',
    ];
    for (const q of bad) {
      const res = await app.inject({ url: `/api/v1/calendar/deadline?${q}` });
      expect(res.statusCode, q).toBe(400);
      const err = json<ErrorBody>(res).error;
      expect(err.code).toBe('validation_failed');
      expect(err.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('200 without signing in: 国庆 2024, 10 working days after 2024-09-28 → 2024-10-16 17:30', async () => {
    const res = await app.inject({ url: '/api/v1/calendar/deadline?from=2024-09-28T10:00:00%2B08:00&workingDays=10' });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({
      from: '2024-09-28T02:00:00.000Z',
      deadline: '2024-10-16T09:30:00.000Z',
      deadlineLocal: '2024-10-16 17:30 (Asia/Shanghai)',
      workingDays: 10,
      calendarCoverage: { fromYear: 2004, toYear: expect.any(Number) },
      withinCoverage: true,
    });
  });

  it('200 in working hours, and warns of a year the calendar does not know', async () => {
    const res = await app.inject({ url: '/api/v1/calendar/deadline?from=2024-11-14T16:30:00%2B08:00&workingHours=2' });
    expect(json(res)).toMatchObject({ deadline: '2024-11-15T02:00:00.000Z', workingHours: 2, withinCoverage: true });
    const far = await app.inject({ url: '/api/v1/calendar/deadline?from=2040-03-01&workingDays=1' });
    expect(json(far)).toMatchObject({ deadlineLocal: '2040-03-02 17:30 (Asia/Shanghai)', withinCoverage: false });
  });
});

describe('/api/v1/calendar/overrides', () => {
  it('401 without a session', async () => {
    expect((await app.inject({ url: '/api/v1/calendar/overrides' })).statusCode).toBe(401);
    const post = await app.inject({
      method: 'POST',
      url: '/api/v1/calendar/overrides',
      headers: { 'x-minsheng-csrf': '1' },
      payload: { date: '2024-10-08', kind: 'holiday' },
    });
    expect(post.statusCode).toBe(401);
  });

  it('400 on a bad date, kind, name or field', async () => {
    const headers = await as('admin');
    for (const payload of [
      { date: '2024-02-30', kind: 'holiday' },
      { date: '20241008', kind: 'holiday' },
      { date: '1999-10-08', kind: 'holiday' },
      { date: '2024-10-08', kind: 'day-off' },
      { date: '2024-10-08', kind: 'holiday', name: '' },
      { date: '2024-10-08', kind: 'holiday', name: '长'.repeat(51) },
      { date: '2024-10-08', kind: 'holiday', evil: 1 },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/calendar/overrides', headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect((await app.inject({ url: '/api/v1/calendar/overrides?year=abc', headers })).statusCode).toBe(400);
  });

  it('403 for anyone but an administrator', async () => {
    for (const user of ['dispatcher', 'leader', 'resident']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/calendar/overrides',
        headers: await as(user),
        payload: { date: '2024-10-08', kind: 'holiday' },
      });
      expect(res.statusCode, user).toBe(403);
      expect(json<ErrorBody>(res).error.code).toBe('forbidden');
    }
  });

  it('201: an administrator marks a day; the deadline moves at once; the change is audited and listed', async () => {
    const admin = await as('admin');
    const url = '/api/v1/calendar/deadline?from=2024-09-28&workingDays=10';
    expect(json(await app.inject({ url }))).toMatchObject({ deadline: '2024-10-16T09:30:00.000Z' });

    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/calendar/overrides',
      headers: admin,
      payload: { date: '2024-10-08', kind: 'holiday', name: '本区调休' },
    });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toEqual({
      override: { date: '2024-10-08', kind: 'holiday', name: '本区调休', createdAt: clock().toISOString(), updatedAt: clock().toISOString() },
    });
    expect(json(await app.inject({ url }))).toMatchObject({ deadline: '2024-10-17T09:30:00.000Z' });

    // Corrected the other way: a correction replaces the override.
    clock.advance(60_000);
    await app.inject({ method: 'POST', url: '/api/v1/calendar/overrides', headers: admin, payload: { date: '2024-10-08', kind: 'workday' } });
    expect(json(await app.inject({ url }))).toMatchObject({ deadline: '2024-10-16T09:30:00.000Z' });

    // Any signed-in member of the district may read the overrides.
    const list = await app.inject({ url: '/api/v1/calendar/overrides?year=2024', headers: await as('resident') });
    expect(list.statusCode).toBe(200);
    expect(json<{ items: unknown[] }>(list).items).toEqual([
      { date: '2024-10-08', kind: 'workday', name: null, createdAt: '2026-11-22T02:00:00.000Z', updatedAt: '2026-11-22T02:01:00.000Z' },
    ]);
    expect(json<{ items: unknown[] }>(await app.inject({ url: '/api/v1/calendar/overrides?year=2025', headers: admin })).items).toEqual([]);

    const audit = await listAudit(deps, system, { action: 'calendar.set_override', page: 1, pageSize: 20 });
    expect(audit.items.map((a) => a.detail)).toEqual([
      { kind: 'workday', name: null, previous: { kind: 'holiday', name: '本区调休' } },
      { kind: 'holiday', name: '本区调休', previous: null },
    ]);
    expect(audit.items.every((a) => a.targetType === 'calendar_day' && a.targetId === '2024-10-08' && a.actorRole === 'admin')).toBe(true);
  });
});

describe('the district calendar (service, real SQL)', () => {
  it('an override in one district leaves another district alone', async () => {
    const other: SystemActor = { kind: 'system', districtCode: '370203', reason: 'test' };
    await service.setOverride(deps, other, { date: '2025-03-03', kind: 'holiday', name: '他区' });
    expect((await service.loadCalendar(deps, '370203')).isWorkday('2025-03-03')).toBe(false);
    expect((await service.loadCalendar(deps, TEST_CONFIG.districtCode)).isWorkday('2025-03-03')).toBe(true);
    expect((await service.listOverrides(deps, system)).map((o) => o.date)).not.toContain('2025-03-03');
  });

  it('an administrator entering the next year extends the coverage', async () => {
    const before = (await service.loadCalendar(deps, TEST_CONFIG.districtCode)).coverage();
    const next = before.toYear + 1;
    await service.setOverride(deps, system, { date: `${next}-01-01`, kind: 'holiday', name: '元旦' });
    const after = await service.loadCalendar(deps, TEST_CONFIG.districtCode);
    expect(after.coverage()).toEqual({ fromYear: before.fromYear, toYear: next });
    expect(after.isWorkday(`${next}-01-01`)).toBe(false);
  });

  it('reloads within the cache lifetime when another process changed the overrides', async () => {
    const district = '370299';
    const first = await service.loadCalendar(deps, district);
    expect(await service.loadCalendar(deps, district)).toBe(first);
    // Written behind the service's back, as another server or the CLI would.
    await t.db.query(`INSERT INTO calendar_overrides (district_code, date, kind) VALUES ($1, '2025-03-04', 'holiday')`, [district]);
    expect((await service.loadCalendar(deps, district)).isWorkday('2025-03-04')).toBe(true);
    clock.advance(service.CACHE_TTL_MS);
    expect((await service.loadCalendar(deps, district)).isWorkday('2025-03-04')).toBe(false);
  });

  it('refuses bad input and non-administrators before writing', async () => {
    await expect(service.setOverride(deps, system, { date: '2025-02-30', kind: 'holiday' })).rejects.toMatchObject({ code: 'validation_failed' });
    const handler = { kind: 'user' as const, id: '00000000-0000-4000-8000-000000000000', role: 'handler' as const, districtCode: '370202', areaPath: null, departmentCode: null };
    await expect(service.setOverride(deps, handler, { date: '2025-03-05', kind: 'holiday' })).rejects.toBeInstanceOf(AppError);
    await expect(service.computeDeadline(deps, '370202', { from: '2025-03-05' } as never)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
