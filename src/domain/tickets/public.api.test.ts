import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import type { LoggingSmsSender } from './public';

let t: TestApp;
const SECRET = 'sensor-secret-for-tests-0001';
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z', sensorSecret: SECRET });
});
afterAll(() => t.close());

const csrf = { 'x-minsheng-csrf': '1' };
const lastCode = () => /(\d{6})/.exec((t.deps.sms as LoggingSmsSender).sent.at(-1)!.text)![1]!;

describe('a resident reports without an account', () => {
  it('confirms the phone, reports, follows the ticket and rates the answer', async () => {
    const phone = '13800000001';
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/public/verification-codes', headers: csrf, payload: { phone: '123' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/public/verification-codes', headers: csrf, payload: { phone } })).statusCode).toBe(202);
    // Asking again within a minute is refused.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/public/verification-codes', headers: csrf, payload: { phone } })).statusCode).toBe(429);
    const report = { title: '井盖缺失', content: '路口井盖丢失，夜里很危险', categoryCode: 'urban.facility.manhole', location: { lon: 120.36, lat: 36.068 }, phone, via: 'qr' };
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/public/tickets', headers: csrf, payload: { ...report, code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/tickets', headers: csrf, payload: { ...report, code: lastCode() } });
    expect(res.statusCode, res.body).toBe(201);
    const { number, queryCode } = json<{ number: string; queryCode: string }>(res);
    // The code is used up.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/public/tickets', headers: csrf, payload: { ...report, code: lastCode() } })).statusCode).toBe(400);

    expect((await t.app.inject({ url: `/api/v1/public/tickets/${number}?code=000000` })).statusCode).toBe(404);
    const tracked = json<{ status: string; timeline: { kind: string }[] }>(await t.app.inject({ url: `/api/v1/public/tickets/${number}?code=${queryCode}` }));
    expect(tracked.status).toBe('received');

    // Staff handle it.
    const list = json<{ items: { id: string; number: string; channel: string; requester: { phone: string } }[] }>(
      await t.app.inject({ url: `/api/v1/tickets?q=${number}`, headers: await t.as('dispatcher') }),
    );
    const ticket = list.items[0]!;
    expect(ticket).toMatchObject({ channel: 'qr', requester: { phone: '138****0001' } });
    const act = async (who: string, seg: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/${seg}`, headers: await t.as(who), payload });
    await act('dispatcher', 'dispatch', { leadUnit: 'department:urban-management' });
    await act('handler-urban', 'accept', {});
    await act('handler-urban', 'reply', { reply: '已补装井盖', resolution: 'resolved' });

    const rated = await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${number}/rating`, headers: csrf, payload: { code: queryCode, rating: 'satisfied' } });
    expect(rated.statusCode, rated.body).toBe(200);
    const after = json<{ status: string; timeline: { kind: string; reply?: string }[] }>(rated);
    expect(after.status).toBe('closed');
    expect(after.timeline.find((e) => e.kind === 'replied')?.reply).toBe('已补装井盖');
    expect(JSON.stringify(after)).not.toContain('138');
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/public/tickets/${number}/rating`, headers: csrf, payload: { code: queryCode, rating: 'dissatisfied' } });
    expect(again.statusCode).toBe(409);
  });

  it('prints a QR code per grid cell, SVG and PNG', async () => {
    const svg = await t.app.inject({ url: '/api/v1/public/qr/370202001001001.svg' });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const png = await t.app.inject({ url: '/api/v1/public/qr/370202001001001.png' });
    expect(png.rawPayload.subarray(0, 4).toString('hex')).toBe('89504e47');
    expect((await t.app.inject({ url: '/api/v1/public/qr/999999999.svg' })).statusCode).toBe(404);
  });
});

describe('sensor webhook', () => {
  const event = { deviceId: 'cam-0042', eventId: 'evt-1', kind: '垃圾满溢', description: 'AI 识别：垃圾桶满溢', lon: 120.36, lat: 36.068 };
  const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

  it('accepts a signed event once, refuses a bad signature', async () => {
    const body = JSON.stringify(event);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/intake/sensor', headers: { 'content-type': 'application/json', 'x-minsheng-signature': 'sha256=00' }, payload: body });
    expect(bad.statusCode).toBe(403);
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/intake/sensor', headers: { 'content-type': 'application/json', 'x-minsheng-signature': sign(body) }, payload: body });
    expect(first.statusCode, first.body).toBe(201);
    const retry = await t.app.inject({ method: 'POST', url: '/api/v1/tickets/intake/sensor', headers: { 'content-type': 'application/json', 'x-minsheng-signature': sign(body) }, payload: body });
    expect(retry.statusCode).toBe(200);
    expect(json<{ ticket: { id: string } }>(retry).ticket.id).toBe(json<{ ticket: { id: string } }>(first).ticket.id);
  });
});

describe('QR place and retries', () => {
  it('a report from a QR code is placed in its grid cell; a retry with the same key returns the same ticket', async () => {
    const phone = '13800000002';
    await t.app.inject({ method: 'POST', url: '/api/v1/public/verification-codes', headers: csrf, payload: { phone } });
    const payload = { title: '路灯不亮', content: '灯杆二维码处路灯不亮', categoryCode: 'urban.facility.streetlight', location: { areaCode: '370202001001001', address: '扫码位置' }, phone, code: lastCode(), via: 'qr' };
    const headers = { ...csrf, 'idempotency-key': 'resident-report-0001' };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/public/tickets', headers, payload });
    expect(first.statusCode, first.body).toBe(201);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/public/tickets', headers, payload });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(json<{ number: string }>(again).number).toBe(json<{ number: string }>(first).number);
    const rows = await t.deps.db.query<{ grid_cell_code: string; subdistrict_code: string }>(`SELECT grid_cell_code, subdistrict_code FROM tickets WHERE number = $1`, [json<{ number: string }>(first).number]);
    expect(rows[0]).toEqual({ grid_cell_code: '370202001001001', subdistrict_code: '370202001' });
  });
});
