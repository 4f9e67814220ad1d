import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import { ticketsService } from '.';

let t: TestApp;
beforeAll(async () => {
  // A Monday morning in Qingdao (UTC+8): 2026-11-23 09:00.
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

type Ticket = { id: string; number: string; status: string; leadUnit: string | null; dueAt: string; acceptDueAt: string; location: { subdistrict: { code: string; name: string } | null; gridCell: { code: string } | null }; requester: { phone: string | null }; overdue: boolean; returns: number; reopens: number; urges: number; rating: string | null };

const ticketBody = (extra: Record<string, unknown> = {}) => ({
  type: 'complaint',
  channel: 'hotline',
  title: '路边摊占道',
  content: '小区门口每天傍晚有摊贩占道经营，行人只能走机动车道。',
  categoryCode: 'urban.appearance.stall',
  location: { lon: 120.36, lat: 36.068 },
  requester: { name: '张先生', phone: '10000000042' },
  ...extra,
});

async function create(extra: Record<string, unknown> = {}, who = 'dispatcher'): Promise<Ticket> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: await t.as(who), payload: ticketBody(extra) });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ ticket: Ticket }>(res).ticket;
}
const act = async (who: string, id: string, segment: string, payload: Record<string, unknown> = {}) =>
  t.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/${segment}`, headers: await t.as(who), payload });

describe('intake', () => {
  it('401 → 400 → 403 → 201: numbered, located, phone masked', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { 'x-minsheng-csrf': '1' }, payload: ticketBody() })).statusCode).toBe(401);
    const headers = await t.as('dispatcher');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: ticketBody({ type: 'rant' }) })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: await t.as('leader'), payload: ticketBody() })).statusCode).toBe(403);
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: ticketBody({ location: { lon: 116.4, lat: 39.9 } }) });
    expect(outside.statusCode).toBe(404);
    expect(json<{ error: { zh: string } }>(outside).error.zh).toContain('不在本区');
    const ticket = await create();
    expect(ticket.number).toMatch(/^20261123-\d{6}$/);
    expect(ticket.status).toBe('received');
    expect(ticket.location.gridCell?.code).toMatch(/^370202\d{9}$/);
    expect(ticket.requester.phone).toBe('100****0042');
  });

  it('the answer to an intake is the same view a later read gives', async () => {
    const created = await create();
    const read = json<{ ticket: Ticket }>(await t.app.inject({ url: `/api/v1/tickets/${created.id}`, headers: await t.as('dispatcher') })).ticket;
    expect(created).toEqual(read);
  });

  it('a retried submission with the same Idempotency-Key creates one ticket', async () => {
    const headers = { ...(await t.as('dispatcher')), 'idempotency-key': 'hotline-call-778899' };
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: ticketBody() });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers, payload: ticketBody() });
    expect(json<{ ticket: Ticket }>(a).ticket.id).toBe(json<{ ticket: Ticket }>(b).ticket.id);
    const n = await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE idempotency_key = 'hotline-call-778899'`);
    expect(n[0]!.n).toBe(1);
  });

  it('auto-dispatches a category marked automatic', async () => {
    const ticket = await create({ categoryCode: 'power.supply.outage', title: '停电', content: '整栋楼停电两小时' });
    expect(ticket.status).toBe('dispatched');
    expect(ticket.leadUnit).toBe('department:power-supply');
  });
});

describe('the closed loop', () => {
  it('dispatch → accept → extension → reply → follow-up dissatisfied → reopen → reply → satisfied → closed', async () => {
    const ticket = await create();
    const suggestions = json<{ items: { unit: string; reason: string }[] }>(
      await t.app.inject({ url: `/api/v1/tickets/${ticket.id}/dispatch-suggestions`, headers: await t.as('dispatcher') }),
    ).items;
    expect(suggestions[0]!.unit).toBe(`subdistrict:${ticket.location.subdistrict!.code}`);
    expect(suggestions[0]!.reason).toContain(`属地: ${ticket.location.subdistrict!.name}`);
    expect(suggestions.map((s) => s.unit)).toContain('department:urban-management');

    // A handler cannot see it before dispatch; a follow-up call before dispatch is a 409 naming the allowed acts.
    expect((await act('handler-urban', ticket.id, 'accept')).statusCode).toBe(404);
    const early = await act('dispatcher', ticket.id, 'follow-up', { rating: 'satisfied' });
    expect(early.statusCode).toBe(409);
    expect(json<{ error: { zh: string; details: { allowedActs: string[] } } }>(early).error.details.allowedActs).toEqual(['dispatch', 'answerDirectly', 'merge']);

    const dispatched = json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'dispatch', { leadUnit: 'department:urban-management', assistingUnits: [`subdistrict:${ticket.location.subdistrict!.code}`] })).ticket;
    expect(dispatched.status).toBe('dispatched');
    // Complaint: 10 working days counted from the next day; accept within 2 working hours.
    expect(dispatched.dueAt).toBe('2026-12-07T09:30:00.000Z');
    expect(dispatched.acceptDueAt).toBe('2026-11-23T03:00:00.000Z');

    // Another unit's handler may not act.
    expect((await act('gridworker', ticket.id, 'accept')).statusCode).toBe(403);
    const seenByHandler = json<{ allowedActs: string[] }>(await t.app.inject({ url: `/api/v1/tickets/${ticket.id}`, headers: await t.as('handler-urban') }));
    expect(seenByHandler.allowedActs).toEqual(['accept', 'return']);
    expect((await act('handler-urban', ticket.id, 'accept')).statusCode).toBe(200);

    t.clock.advance(3_600_000);
    const ext = json<{ ticket: Ticket }>(await act('handler-urban', ticket.id, 'extension-request', { reason: '需协调商户', workingDays: 5 })).ticket;
    expect(ext.status).toBe('extension_pending');
    t.clock.advance(24 * 3_600_000);
    const decided = json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'extension-decision', { approved: true })).ticket;
    expect(decided.status).toBe('in_progress');
    expect(new Date(decided.dueAt).getTime()).toBeGreaterThan(new Date(dispatched.dueAt).getTime() + 5 * 24 * 3_600_000);

    expect(json<{ ticket: Ticket }>(await act('handler-urban', ticket.id, 'reply', { reply: '已联合街道清理，设置疏导点', resolution: 'resolved' })).ticket.status).toBe('replied');
    expect(json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'follow-up', { rating: 'dissatisfied', note: '傍晚仍有摊贩' })).ticket.status).toBe('closed');
    const reopened = json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'reopen', { reason: '群众不满意，重办' })).ticket;
    expect(reopened).toMatchObject({ status: 'dispatched', reopens: 1, leadUnit: 'department:urban-management' });
    await act('handler-urban', ticket.id, 'accept');
    await act('handler-urban', ticket.id, 'reply', { reply: '已安排夜间巡查', resolution: 'resolved' });
    const closed = json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'follow-up', { rating: 'satisfied' })).ticket;
    expect(closed).toMatchObject({ status: 'closed', rating: 'satisfied' });

    const detail = json<{ timeline: { kind: string; actorName: string | null }[]; allowedActs: string[] }>(
      await t.app.inject({ url: `/api/v1/tickets/${ticket.id}`, headers: await t.as('dispatcher') }),
    );
    expect(detail.timeline.map((e) => e.kind)).toEqual([
      'received', 'dispatched', 'accepted', 'extension_requested', 'extension_decided', 'replied', 'followed_up', 'reopened', 'accepted', 'replied', 'followed_up',
    ]);
    expect(detail.timeline[1]!.actorName).toContain('派单员');
    expect(detail.allowedActs).toEqual([]);
  });

  it('a return pauses the clock until re-dispatch', async () => {
    const ticket = await create();
    const d1 = json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'dispatch', { leadUnit: 'department:urban-management' })).ticket;
    const returned = json<{ ticket: Ticket }>(await act('handler-urban', ticket.id, 'return', { reason: '属地街道职责' })).ticket;
    expect(returned).toMatchObject({ status: 'returned', returns: 1 });
    t.clock.advance(2 * 24 * 3_600_000);
    const d2 = json<{ ticket: Ticket }>(await act('dispatcher', ticket.id, 'dispatch', { leadUnit: `subdistrict:${ticket.location.subdistrict!.code}` })).ticket;
    expect(new Date(d2.dueAt).getTime()).toBeGreaterThan(new Date(d1.dueAt).getTime());
  });

  it('街呼区应: the street calls departments, they report, late ones are flagged', async () => {
    const ticket = await create();
    const street = ticket.location.subdistrict!.code;
    // The street's own handler account, bound to the street.
    const created = await t.app.inject({
      method: 'POST', url: '/api/v1/users', headers: await t.as('admin'),
      payload: { username: 'street-handler', displayName: '街道承办人（测试）', role: 'handler', password: 'Jiexiang-call-2026', areaCode: street },
    });
    expect(created.statusCode).toBe(201);
    await t.deps.db.query(`UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = 'admin') WHERE username = 'street-handler'`);
    await act('dispatcher', ticket.id, 'dispatch', { leadUnit: `subdistrict:${street}` });
    await act('street-handler', ticket.id, 'accept');
    const called = await act('street-handler', ticket.id, 'call-units', { units: ['department:urban-management', 'department:market-regulation'], note: '占道经营屡禁不止，请城管、市场监管报到', reportWithinWorkingHours: 2 });
    expect(called.statusCode, called.body).toBe(200);
    const report = await act('handler-urban', ticket.id, 'call-report', { role: 'lead' });
    expect(json<{ ticket: Ticket }>(report).ticket.leadUnit).toBe('department:urban-management');
    const detail = json<{ timeline: { kind: string; data: { late?: boolean } }[] }>(await t.app.inject({ url: `/api/v1/tickets/${ticket.id}`, headers: await t.as('dispatcher') }));
    expect(detail.timeline.filter((e) => e.kind === 'call_reported').map((e) => e.data.late)).toEqual([false]);
  });

  it('并单: a merged ticket gets the reply of the ticket it joined', async () => {
    const a = await create();
    const b = await create({ requester: { name: '李女士', phone: '10000000077' } });
    expect((await act('dispatcher', b.id, 'merge', { into: a.id })).statusCode).toBe(200);
    await act('dispatcher', a.id, 'dispatch', { leadUnit: 'department:urban-management' });
    await act('handler-urban', a.id, 'accept');
    await act('handler-urban', a.id, 'reply', { reply: '已处理', resolution: 'resolved' });
    const child = json<{ ticket: Ticket; timeline: { kind: string }[] }>(await t.app.inject({ url: `/api/v1/tickets/${b.id}`, headers: await t.as('dispatcher') }));
    expect(child.ticket.status).toBe('merged');
    expect(child.timeline.map((e) => e.kind)).toEqual(['received', 'merged', 'replied']);
  });
});

describe('scope', () => {
  it('a handler sees only tickets of their unit; a street dispatcher only their street', async () => {
    const mine = json<{ items: Ticket[] }>(await t.app.inject({ url: '/api/v1/tickets?pageSize=200', headers: await t.as('handler-urban') })).items;
    expect(mine.length).toBeGreaterThan(0);
    const all = json<{ items: Ticket[] }>(await t.app.inject({ url: '/api/v1/tickets?pageSize=200', headers: await t.as('dispatcher') })).items;
    expect(mine.length).toBeLessThan(all.length);
    const street = json<{ items: Ticket[] }>(await t.app.inject({ url: '/api/v1/tickets?pageSize=200', headers: await t.as('street-dispatcher') })).items;
    expect(street.every((x) => x.location.subdistrict?.code === '370202001')).toBe(true);
    expect((await t.app.inject({ url: '/api/v1/tickets', headers: await t.as('resident') })).statusCode).toBe(403);
  });

  it('the requester phone is revealed only through an audited read', async () => {
    const ticket = await create();
    const res = await t.app.inject({ url: `/api/v1/tickets/${ticket.id}/contact`, headers: await t.as('dispatcher') });
    expect(json(res)).toMatchObject({ phone: '10000000042' });
    const audit = await t.deps.db.query(`SELECT 1 FROM audit_log WHERE action = 'personal.read' AND target_id = $1`, [ticket.id]);
    expect(audit).toHaveLength(1);
  });
});

describe('escalation job', () => {
  it('urges overdue work level by level, and a second run the same day changes nothing', async () => {
    const ticket = await create();
    await act('dispatcher', ticket.id, 'dispatch', { leadUnit: 'department:urban-management' });
    t.clock.advance(30 * 24 * 3_600_000);
    const job = () => ticketsService.escalateOverdue({ ...t.deps }, '370202');
    expect((await job()).urged).toBeGreaterThanOrEqual(1);
    const again = await job();
    expect(again.urged).toBe(0);
    const rows = await t.deps.db.query<{ urges: number }>(`SELECT urges FROM tickets WHERE id = $1`, [ticket.id]);
    expect(rows[0]!.urges).toBe(1);
    t.clock.advance(5 * 24 * 3_600_000);
    await job();
    const after = await t.deps.db.query<{ urges: number }>(`SELECT urges FROM tickets WHERE id = $1`, [ticket.id]);
    expect(after[0]!.urges).toBe(2);
  });
});

describe('photos', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
  it('accepts a real image, refuses other bytes and oversize files, serves it back', async () => {
    const ticket = await create();
    const url = `/api/v1/tickets/${ticket.id}/attachments`;
    const headers = await t.as('dispatcher');
    const svg = await t.app.inject({ method: 'POST', url, headers, payload: { fileName: 'x.png', contentBase64: Buffer.from('<svg onload=alert(1)>').toString('base64') } });
    expect(svg.statusCode).toBe(415);
    const big = await t.app.inject({ method: 'POST', url, headers, payload: { fileName: 'big.jpg', contentBase64: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(5 * 1024 * 1024)]).toString('base64') } });
    expect(big.statusCode).toBe(413);
    const ok = await t.app.inject({ method: 'POST', url, headers, payload: { fileName: '../../现场照片.png', contentBase64: png.toString('base64') } });
    expect(ok.statusCode, ok.body).toBe(201);
    const id = json<{ attachment: { id: string } }>(ok).attachment.id;
    const got = await t.app.inject({ url: `${url}/${id}`, headers });
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(png)).toBe(true);
    const detail = json<{ attachments: { fileName: string }[] }>(await t.app.inject({ url: `/api/v1/tickets/${ticket.id}`, headers }));
    expect(detail.attachments[0]!.fileName).toBe('现场照片.png');
  });
});

describe('the projection is the fold of the log', () => {
  it('for every ticket the tests made, the stored status, units and counters equal foldTicket(events)', async () => {
    const { foldTicket } = await import('./core/lifecycle');
    const { listEvents, toDomainEvent } = await import('./repo');
    const rows = await t.deps.db.query<{ id: string; status: string; lead_unit: string | null; returns: number; reopens: number; urges: number; last_seq: number; rating: string | null }>(
      `SELECT id, status, lead_unit, returns, reopens, urges, last_seq, rating FROM tickets WHERE merged_into IS NULL`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      const events = await listEvents(t.deps.db, r.id);
      const s = foldTicket(events.map(toDomainEvent));
      expect({ status: r.status, lead: r.lead_unit, returns: r.returns, reopens: r.reopens, urges: r.urges, seq: r.last_seq, rating: r.rating }).toEqual({
        status: s.status, lead: s.leadUnit, returns: s.returns, reopens: s.reopens, urges: s.urges, seq: events.length, rating: s.rating,
      });
    }
  });
});
