import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

const create = async (extra: Record<string, unknown> = {}) => {
  const res = await t.app.inject({
    method: 'POST', url: '/api/v1/tickets', headers: await t.as('dispatcher'),
    payload: { type: 'complaint', title: '油烟', content: '楼下饭店油烟直排', categoryCode: 'urban.appearance.fumes', location: { lon: 120.36, lat: 36.068 }, ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ ticket: { id: string; dueAt: string | null; leadUnit: string | null; status: string } }>(res).ticket;
};

describe('the catalogue, routing table and time limits are data an administrator edits', () => {
  it('403 for a dispatcher, 400 for a fourth level, 200 for an admin; the new route and limit take effect', async () => {
    const body = { code: 'urban.appearance.fumes.night', parentCode: 'urban.appearance.fumes', name: '夜间油烟' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tickets/categories', headers: await t.as('dispatcher'), payload: body })).statusCode).toBe(403);
    const admin = await t.as('admin');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tickets/categories', headers: admin, payload: { ...body, parentCode: 'urban.appearance.fumes' } })).statusCode).toBe(400);
    const cat = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/categories', headers: admin, payload: { code: 'urban.appearance.smoke', parentCode: 'urban.appearance', name: '烧烤烟尘', autoDispatch: true } });
    expect(json(cat)).toMatchObject({ category: { level: 3 } });
    const route = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/routing/routes', headers: admin, payload: { categoryCode: 'urban.appearance.smoke', unit: 'department:environment', reason: '职能: 生态环境（烧烤）' } });
    expect(route.statusCode, route.body).toBe(200);
    const limit = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/routing/time-limits', headers: admin, payload: { categoryCode: 'urban.appearance.smoke', acceptWorkingHours: 1, handleWorkingDays: 2 } });
    expect(limit.statusCode, limit.body).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/routing/time-limits', headers: admin, payload: { acceptWorkingHours: 1, handleWorkingDays: 2, handleWorkingHours: 3 } });
    expect(bad.statusCode).toBe(400);
    // An automatic category with its own route and limit: dispatched at once, due in 2 working days.
    const ticket = await create({ categoryCode: 'urban.appearance.smoke' });
    expect(ticket).toMatchObject({ status: 'dispatched', leadUnit: 'department:environment', dueAt: '2026-11-25T09:30:00.000Z' });
    const table = json<{ routes: { categoryCode: string }[] }>(await t.app.inject({ url: '/api/v1/tickets/routing', headers: await t.as('leader') }));
    expect(table.routes.filter((r) => r.categoryCode === 'urban.appearance.smoke')).toHaveLength(1);
  });
});

describe('duplicates nearby', () => {
  it('lists open tickets of the same community, the same grid cell first', async () => {
    const a = await create();
    const b = await create();
    const res = json<{ items: { id: string; sameGridCell: boolean }[] }>(await t.app.inject({ url: `/api/v1/tickets/${b.id}/nearby`, headers: await t.as('dispatcher') }));
    expect(res.items.map((i) => i.id)).toContain(a.id);
    expect(res.items[0]!.sameGridCell).toBe(true);
  });
});

describe('concurrency', () => {
  it('two acts racing on one ticket: exactly one lands, the other is told why', async () => {
    const ticket = await create({ categoryCode: 'urban.facility.road' });
    await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/dispatch`, headers: await t.as('dispatcher'), payload: { leadUnit: 'department:urban-management' } });
    const headers = await t.as('handler-urban');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/accept`, headers, payload: {} })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const events = await t.deps.db.query<{ kind: string }>(`SELECT kind FROM ticket_events WHERE ticket_id = $1 ORDER BY seq`, [ticket.id]);
    expect(events.map((e) => e.kind)).toEqual(['received', 'dispatched', 'accepted']);
  });

  it('racing dispatchers: one dispatch, one 409', async () => {
    const ticket = await create();
    const headers = await t.as('dispatcher');
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/dispatch`, headers, payload: { leadUnit: 'department:urban-management' } }),
      t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/dispatch`, headers, payload: { leadUnit: 'department:environment' } }),
    ]);
    expect([a!.statusCode, b!.statusCode].sort()).toEqual([200, 409]);
  });
});

describe('GET /api/v1/tickets/stats', () => {
  it('401 → 400 → 403 → 200 with raw counts beside each rate', async () => {
    expect((await t.app.inject({ url: '/api/v1/tickets/stats?from=2026-11-01&to=2026-12-01' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/tickets/stats?from=2026-13-01&to=2026-12-01', headers: await t.as('leader') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/tickets/stats?from=2026-11-01&to=2026-12-01', headers: await t.as('resident') })).statusCode).toBe(403);
    const res = await t.app.inject({ url: '/api/v1/tickets/stats?from=2026-11-01&to=2026-12-01&by=unit', headers: await t.as('leader') });
    expect(res.statusCode, res.body).toBe(200);
    const body = json<{ rows: { key: string; responseRate: { num: number; den: number } }[] }>(res);
    const urban = body.rows.find((r) => r.key === 'department:urban-management');
    expect(urban?.responseRate.den).toBeGreaterThan(0);
    expect(urban!.responseRate.num).toBeLessThanOrEqual(urban!.responseRate.den);
  });
});

describe('GET /api/v1/tickets/stats.xlsx', () => {
  it('is a real workbook with the rates and their raw counts', async () => {
    const res = await t.app.inject({ url: '/api/v1/tickets/stats.xlsx?from=2026-11-01&to=2026-12-01&by=unit', headers: await t.as('leader') });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('三率')!;
    expect(ws.getRow(3).getCell(4).value).toBe('响应率');
    const labels: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 3) labels.push(String(row.getCell(1).value));
    });
    expect(labels.at(-1)).toBe('合计');
    expect(labels.some((l) => l.includes('城市管理'))).toBe(true);
  });
});
