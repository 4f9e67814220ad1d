/**
 * Ticket statistics on real SQL (PGlite, or PostgreSQL with DATABASE_URL): a small hand-made
 * history with known answers, scope and unit filtering, grouping, empty periods, the daily
 * summary against live counting, and a property — random lifecycles counted by the SQL and by a
 * plain in-memory oracle give the same figures.
 *
 * Tickets and events are inserted directly (the log is the input of statistics), in a district
 * of their own (990001) with its own areas, departments and categories, so nothing the demo
 * seed or other modules add can change an expected figure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import type { Actor, SystemActor } from '../../shared/authz';
import { fakeClock } from '../../shared/clock';
import { isAppError } from '../../shared/errors';
import { categoryTrend, refreshTicketStats, ticketStats, type TicketStats, type TicketStatsRow } from './stats';
import { ACTS_BY_STATUS, type TicketStatus } from './core/lifecycle';

const D = '990001';
const S1 = `${D}001`;
const S2 = `${D}002`;
const C1 = `${S1}001`;
const C2 = `${S2}001`;
const G2 = `${C2}001`;
const ENV = 'department:environment';
const URBAN = 'department:urban-management';
const STREET2 = `subdistrict:${S2}`;

let t: TestDb;
const system: SystemActor = { kind: 'system', districtCode: D, reason: 'test' };
const user = (role: Actor['role'], areaPath: string | null, departmentCode: string | null = null): Actor => ({
  kind: 'user',
  id: '00000000-0000-4000-8000-000000000001',
  role,
  districtCode: D,
  areaPath,
  departmentCode,
});

// ---- factories: real rows --------------------------------------------------------------------

let ticketNo = 0;
type Ev = { kind: string; at: string; unit?: string | null; data?: Record<string, unknown> };

async function addTicket(
  a: { sub: string; comm: string | null; path?: string; category?: string | null; channel?: string; type?: string },
  events: Ev[],
): Promise<string> {
  const area = a.path ?? (a.comm ? `/${D}/${a.sub}/${a.comm}/` : `/${D}/${a.sub}/`);
  const [row] = await t.db.query<{ id: string }>(
    `INSERT INTO tickets (district_code, number, type, channel, title, content, urgency, category_code, area_path,
                          community_code, subdistrict_code, created_at, status)
     VALUES ($1, $2, $3, $4, '测试诉求', '测试内容', 'normal', $5, $6, $7, $8, $9, 'received') RETURNING id`,
    [D, `T${++ticketNo}`, a.type ?? 'complaint', a.channel ?? 'hotline', a.category === undefined ? 'fumes' : a.category, area, a.comm, a.sub, events[0]!.at],
  );
  await appendEvents(row!.id, events, 1);
  return row!.id;
}

async function appendEvents(ticketId: string, events: Ev[], firstSeq: number): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push(D, ticketId, firstSeq + i, e.kind, e.at, e.unit ?? null, JSON.stringify(e.data ?? {}));
    const b = i * 7;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`;
  });
  await t.db.query(`INSERT INTO ticket_events (district_code, ticket_id, seq, kind, at, unit, data) VALUES ${rows.join(', ')}`, values);
}

const at = (local: string) => `${local}+08:00`;
const dispatched = (when: string, unit: string, acceptDue: string, due: string): Ev => ({
  kind: 'dispatched',
  at: at(when),
  unit,
  data: { leadUnit: unit, assistingUnits: [], acceptDueAt: at(acceptDue), dueAt: at(due) },
});
const accepted = (when: string, unit: string): Ev => ({ kind: 'accepted', at: at(when), unit, data: { unit } });
const replied = (when: string, unit: string, resolution: string): Ev => ({ kind: 'replied', at: at(when), unit, data: { unit, reply: '已处理', resolution } });
const followedUp = (when: string, rating: string): Ev => ({ kind: 'followed_up', at: at(when), data: { rating } });
const received = (when: string): Ev => ({ kind: 'received', at: at(when), data: { dueAt: null } });

beforeAll(async () => {
  t = await freshDb({ seed: false });
  await t.db.query(
    `INSERT INTO areas (district_code, code, level, name, parent_code, path) VALUES
       ($1, $1, 'district', '测试区', NULL, '/' || $1 || '/'),
       ($1, $2, 'subdistrict', '东街道', $1, '/' || $1 || '/' || $2 || '/'),
       ($1, $3, 'subdistrict', '西街道', $1, '/' || $1 || '/' || $3 || '/'),
       ($1, $4, 'community', '东一社区', $2, '/' || $1 || '/' || $2 || '/' || $4 || '/'),
       ($1, $5, 'community', '西一社区', $3, '/' || $1 || '/' || $3 || '/' || $5 || '/'),
       ($1, $6, 'grid_cell', '西一网格', $5, '/' || $1 || '/' || $3 || '/' || $5 || '/' || $6 || '/')`,
    [D, S1, S2, C1, C2, G2],
  );
  await t.db.query(
    `INSERT INTO departments (district_code, code, name, name_en) VALUES
       ($1, 'environment', '区生态环境局', 'Environment'), ($1, 'urban-management', '区城市管理局', 'Urban management')`,
    [D],
  );
  await t.db.query(
    `INSERT INTO ticket_categories (district_code, code, parent_code, level, name) VALUES
       ($1, 'env', NULL, 1, '生态环境'), ($1, 'fumes', 'env', 2, '餐饮油烟'), ($1, 'noise', 'env', 2, '噪声扰民'),
       ($1, 'urban', NULL, 1, '城市管理'), ($1, 'stall', 'urban', 2, '占道经营'), ($1, 'policy', NULL, 1, '政策咨询')`,
    [D],
  );

  // ---- March 2025, by hand ----
  // A (东一): accepted in time, replied resolved on time, satisfied.
  await addTicket({ sub: S1, comm: C1, category: 'fumes' }, [
    received('2025-03-02T09:00:00'),
    dispatched('2025-03-02T09:10:00', ENV, '2025-03-02T11:10:00', '2025-03-09T09:10:00'),
    accepted('2025-03-02T10:00:00', ENV),
    replied('2025-03-05T10:00:00', ENV, 'resolved'),
    followedUp('2025-03-06T10:00:00', 'satisfied'),
  ]);
  // B (东一, web): accepted late, replied late unresolved, dissatisfied → reopened (the event has no
  // unit: it goes back to the earlier lead unit), accepted in time, replied on time, basically satisfied.
  await addTicket({ sub: S1, comm: C1, category: 'noise', channel: 'web' }, [
    received('2025-03-03T08:00:00'),
    dispatched('2025-03-03T08:30:00', ENV, '2025-03-03T10:30:00', '2025-03-10T08:30:00'),
    accepted('2025-03-03T12:00:00', ENV),
    replied('2025-03-12T09:00:00', ENV, 'unresolved'),
    followedUp('2025-03-13T09:00:00', 'dissatisfied'),
    { kind: 'reopened', at: at('2025-03-14T10:00:00'), data: { reason: '不满意', dueAt: at('2025-03-21T10:00:00'), acceptDueAt: at('2025-03-14T12:00:00') } },
    accepted('2025-03-14T11:00:00', ENV),
    replied('2025-03-18T09:00:00', ENV, 'resolved'),
    followedUp('2025-03-19T09:00:00', 'basically_satisfied'),
  ]);
  // C (西一, help): dispatched to the street, returned, re-dispatched to 城管, accepted in time,
  // extended (the reply is late against the first due date, on time against the extension), unreachable.
  await addTicket({ sub: S2, comm: C2, category: 'stall', type: 'help' }, [
    received('2025-03-04T10:00:00'),
    dispatched('2025-03-04T10:05:00', STREET2, '2025-03-04T12:05:00', '2025-03-11T10:05:00'),
    { kind: 'returned', at: at('2025-03-04T11:00:00'), unit: STREET2, data: { unit: STREET2, reason: '非本单位职责' } },
    dispatched('2025-03-04T11:30:00', URBAN, '2025-03-04T13:30:00', '2025-03-11T11:30:00'),
    accepted('2025-03-04T12:00:00', URBAN),
    { kind: 'urged', at: at('2025-03-08T09:00:00'), data: { note: '请加快', level: 'unit' } },
    { kind: 'extension_requested', at: at('2025-03-10T09:00:00'), unit: URBAN, data: { unit: URBAN, reason: '协调', workingDays: 5 } },
    { kind: 'extension_decided', at: at('2025-03-10T15:00:00'), data: { approved: true, dueAt: at('2025-03-18T11:30:00') } },
    replied('2025-03-15T10:00:00', URBAN, 'resolved'),
    followedUp('2025-03-16T10:00:00', 'unreachable'),
  ]);
  // D (西一, consultation): answered directly, resolved; no due date, no unit.
  await addTicket({ sub: S2, comm: C2, category: 'policy', type: 'consultation' }, [
    received('2025-03-05T14:00:00'),
    { kind: 'answered_directly', at: at('2025-03-05T14:20:00'), data: { answer: '已解答', resolution: 'resolved' } },
  ]);
  // E (东一): received and dispatched in February; its March acceptance belongs to a February
  // dispatch; its March reply is on time against the February due date; followed up in the last
  // second of March.
  await addTicket({ sub: S1, comm: C1, category: 'fumes' }, [
    received('2025-02-27T09:00:00'),
    dispatched('2025-02-28T23:50:00', ENV, '2025-03-01T01:50:00', '2025-03-07T23:50:00'),
    accepted('2025-03-01T00:30:00', ENV),
    replied('2025-03-03T09:00:00', ENV, 'partially_resolved'),
    followedUp('2025-03-31T23:59:59', 'satisfied'),
  ]);
  // F: received at the first instant of April: outside [March, April).
  await addTicket({ sub: S2, comm: C2, category: 'stall' }, [received('2025-04-01T00:00:00')]);
});
afterAll(() => t.cleanup());

const MARCH = { from: '2025-03-01', to: '2025-04-01' };

/** The figures of a row as plain counts, for readable expectations. */
function counts(r: TicketStats['totals'] | TicketStatsRow) {
  return {
    dispatched: r.dispatched,
    response: [r.responseRate.num, r.responseRate.den],
    resolution: [r.resolutionRate.num, r.resolutionRate.den],
    satisfaction: [r.satisfactionRate.num, r.satisfactionRate.den],
    onTime: [r.onTimeRate.num, r.onTimeRate.den],
    returns: [r.returnRate.num, r.returnRate.den],
    reopens: [r.reopenRate.num, r.reopenRate.den],
    received: r.received,
  };
}

const row = (s: TicketStats, key: string | null) => {
  const r = s.rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key} in ${s.rows.map((x) => x.key).join(', ')}`);
  return r;
};

describe('三率 of a known history (live)', () => {
  it('district totals', async () => {
    const s = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'subdistrict' });
    expect(s.period).toEqual({ start: '2025-02-28T16:00:00.000Z', end: '2025-03-31T16:00:00.000Z' });
    expect(counts(s.totals)).toEqual({
      dispatched: 5, // A, B, B's reopen, C to the street, C to 城管 (E's dispatch was in February)
      response: [3, 5], // A, B's reopen, C to 城管; B late, C's first returned before any acceptance
      resolution: [4, 6], // A, B again, C, D of A, B, B again, C, D, E
      satisfaction: [3, 4], // A, B again, E; C unreachable is not asked
      onTime: [4, 5], // A, B again, C (extended), E; D had no due date; B first was late
      returns: [1, 5],
      reopens: [1, 5],
      received: 4, // A, B, C, D
    });
    expect(s.totals.responseRate.rate).toBe(0.6);
    expect(s.totals.satisfactionRate.rate).toBe(0.75);
  });

  it('by subdistrict, with area names', async () => {
    const s = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'subdistrict' });
    expect(s.rows.map((r) => [r.key, r.label])).toEqual([
      [S1, '东街道'],
      [S2, '西街道'],
    ]);
    expect(counts(row(s, S1))).toEqual({
      dispatched: 3,
      response: [2, 3],
      resolution: [2, 4],
      satisfaction: [3, 4],
      onTime: [3, 4],
      returns: [0, 3],
      reopens: [1, 4],
      received: 2,
    });
    expect(counts(row(s, S2))).toEqual({
      dispatched: 2,
      response: [1, 2],
      resolution: [2, 2],
      satisfaction: [0, 0],
      onTime: [1, 1],
      returns: [1, 2],
      reopens: [0, 1],
      received: 2,
    });
    expect(row(s, S2).satisfactionRate.rate).toBeNull();
  });

  it('by unit: dispatches to the lead unit, replies to the replier, follow-ups to the judged reply', async () => {
    const s = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'unit' });
    expect(s.rows.map((r) => [r.key, r.label])).toEqual([
      [ENV, '区生态环境局'],
      [URBAN, '区城市管理局'],
      [STREET2, '西街道'],
      [null, '直接答复（未派单）'],
    ]);
    expect(counts(row(s, ENV))).toEqual({
      dispatched: 3,
      response: [2, 3],
      resolution: [2, 4],
      satisfaction: [3, 4],
      onTime: [3, 4],
      returns: [0, 3],
      reopens: [1, 4],
      received: 2, // A, B were dispatched to it
    });
    expect(counts(row(s, URBAN))).toMatchObject({ dispatched: 1, response: [1, 1], resolution: [1, 1], satisfaction: [0, 0], received: 1 });
    expect(counts(row(s, STREET2))).toMatchObject({ dispatched: 1, response: [0, 1], returns: [1, 1], resolution: [0, 0], received: 1 });
    expect(counts(row(s, null))).toMatchObject({ dispatched: 0, resolution: [1, 1], onTime: [0, 0], received: 0 });
    // C counts for both units it was dispatched to, D for none: the total counts each ticket once.
    expect(s.totals.received).toBe(4);
    expect(counts(s.totals)).toMatchObject({ dispatched: 5, response: [3, 5], resolution: [4, 6] });
  });

  it('by category, channel and type', async () => {
    const cat = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'category' });
    expect(cat.rows.map((r) => [r.key, r.label, r.received])).toEqual([
      ['fumes', '餐饮油烟', 1],
      ['noise', '噪声扰民', 1],
      ['policy', '政策咨询', 1],
      ['stall', '占道经营', 1],
    ]);
    const ch = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'channel' });
    expect(ch.rows.map((r) => [r.key, r.label, r.dispatched])).toEqual([
      ['hotline', '12345热线', 3],
      ['web', '网站', 2],
    ]);
    const ty = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'type' });
    expect(ty.rows.map((r) => [r.key, r.label, r.received])).toEqual([
      ['complaint', '投诉', 2],
      ['consultation', '咨询', 1],
      ['help', '求助', 1],
    ]);
    const com = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'community' });
    expect(com.rows.map((r) => [r.key, r.label])).toEqual([
      [C1, '东一社区'],
      [C2, '西一社区'],
    ]);
  });

  it('periods are local days: the boundary instants fall on the right side', async () => {
    // April holds only F's receipt (00:00:00 on 1 April, Shanghai)
    const april = await ticketStats({ db: t.db }, system, { from: '2025-04-01', to: '2025-05-01', by: 'subdistrict' });
    expect(counts(april.totals)).toMatchObject({ dispatched: 0, received: 1 });
    // 31 March alone holds E's follow-up at 23:59:59
    const last = await ticketStats({ db: t.db }, system, { from: '2025-03-31', to: '2025-04-01', by: 'subdistrict' });
    expect(counts(last.totals)).toMatchObject({ satisfaction: [1, 1], received: 0 });
  });

  it('an empty period has no rows and null rates', async () => {
    const s = await ticketStats({ db: t.db }, system, { from: '2024-01-01', to: '2024-02-01', by: 'unit' });
    expect(s.rows).toEqual([]);
    expect(counts(s.totals)).toEqual({
      dispatched: 0,
      response: [0, 0],
      resolution: [0, 0],
      satisfaction: [0, 0],
      onTime: [0, 0],
      returns: [0, 0],
      reopens: [0, 0],
      received: 0,
    });
    expect(s.totals.responseRate.rate).toBeNull();
  });
});

describe('who sees what', () => {
  it('a street leader sees the street; a grid worker the grid', async () => {
    const east = await ticketStats({ db: t.db }, user('leader', `/${D}/${S1}/`), { ...MARCH, by: 'subdistrict' });
    expect(east.rows.map((r) => r.key)).toEqual([S1]);
    expect(counts(east.totals)).toMatchObject({ dispatched: 3, received: 2 });
    const west = await ticketStats({ db: t.db }, user('dispatcher', `/${D}/${S2}/${C2}/`), { ...MARCH, by: 'unit' });
    expect(west.rows.map((r) => r.key)).toEqual([URBAN, STREET2, null]);
    const grid = await ticketStats({ db: t.db }, user('grid_worker', `/${D}/${S2}/${C2}/${G2}/`), { ...MARCH, by: 'subdistrict' });
    expect(grid.rows).toEqual([]);
  });

  it("a department's handler sees only what is attributed to the department", async () => {
    const env = user('handler', null, 'environment');
    const byUnit = await ticketStats({ db: t.db }, env, { ...MARCH, by: 'unit' });
    expect(byUnit.rows.map((r) => r.key)).toEqual([ENV]);
    expect(counts(byUnit.totals)).toEqual(counts(row(byUnit, ENV)));
    const bySub = await ticketStats({ db: t.db }, env, { ...MARCH, by: 'subdistrict' });
    expect(bySub.rows.map((r) => r.key)).toEqual([S1]);
    expect(counts(bySub.totals)).toMatchObject({ dispatched: 3, response: [2, 3], resolution: [2, 4], received: 2 });
    const urban = await ticketStats({ db: t.db }, user('handler', null, 'urban-management'), { ...MARCH, by: 'category' });
    expect(counts(urban.totals)).toMatchObject({ dispatched: 1, resolution: [1, 1], received: 1 });
  });

  it('a resident may not read statistics', async () => {
    await expect(ticketStats({ db: t.db }, user('resident', null), { ...MARCH, by: 'unit' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('bad queries are refused with a reason', async () => {
    const refused = async (q: unknown) => {
      try {
        await ticketStats({ db: t.db }, system, q as Parameters<typeof ticketStats>[2]);
      } catch (e) {
        expect(isAppError(e) && e.code).toBe('validation_failed');
        return;
      }
      throw new Error('accepted');
    };
    await refused({ from: '2025-02-30', to: '2025-04-01', by: 'unit' });
    await refused({ from: '2025-04-01', to: '2025-03-01', by: 'unit' });
    await refused({ from: '2025-03-01', to: '2025-03-01', by: 'unit' });
    await refused({ from: '2025-03-01', to: '2025-04-01', by: 'street' });
    await refused({ from: '2000-01-01', to: '2025-04-01', by: 'unit' });
  });
});

describe('环比 / 同比 per category', () => {
  it('counts receipts in the month, the month before and a year before', async () => {
    const march = await categoryTrend({ db: t.db }, system, { month: '2025-03' });
    expect(march).toMatchObject({ month: '2025-03', previousMonth: '2025-02', sameMonthLastYear: '2024-03' });
    // fumes: A in March, E in February → 环比 0 %; no base a year before
    expect(march.rows.find((r) => r.key === 'fumes')).toMatchObject({
      label: '餐饮油烟',
      count: 1,
      monthOnMonth: { previous: 1, delta: 0, pct: 0 },
      yearOnYear: { previous: 0, pct: null },
    });
    expect(march.totals).toMatchObject({ count: 4, monthOnMonth: { current: 4, previous: 1, pct: 300 } });
    const april = await categoryTrend({ db: t.db }, system, { month: '2025-04' });
    expect(april.rows.find((r) => r.key === 'stall')).toMatchObject({ count: 1, monthOnMonth: { previous: 1, pct: 0 } });
    expect(april.rows.find((r) => r.key === 'fumes')).toMatchObject({ count: 0, monthOnMonth: { previous: 1, delta: -1, pct: -100 } });
  });
});

describe('the daily summary', () => {
  it('answers like live counting, T+1 for later events, and catches up at the next refresh', async () => {
    const trendBefore = await categoryTrend({ db: t.db }, system, { month: '2025-03' });
    const clock = fakeClock('2025-04-10T12:00:00+08:00');
    const first = await refreshTicketStats({ db: t.db, clock }, system);
    expect(first.throughDay).toBe('2025-04-09');
    expect(await categoryTrend({ db: t.db }, system, { month: '2025-03' })).toEqual(trendBefore);
    for (const by of ['unit', 'subdistrict', 'community', 'category', 'channel', 'type'] as const) {
      const viaSummary = await ticketStats({ db: t.db }, system, { ...MARCH, by });
      const live = await ticketStats({ db: t.db }, system, { ...MARCH, by, live: true });
      expect(viaSummary.source.summaryDays).toEqual(MARCH);
      expect(viaSummary.source.liveDays).toBeNull();
      expect(live.source.summaryDays).toBeNull();
      expect(viaSummary.rows).toEqual(live.rows);
      expect(viaSummary.totals).toEqual(live.totals);
    }
    // A street's reader uses the summary too; a community's is counted live — same figures.
    const street = user('leader', `/${D}/${S1}/`);
    const viaStreet = await ticketStats({ db: t.db }, street, { ...MARCH, by: 'unit' });
    expect(viaStreet.source.summaryDays).toEqual(MARCH);
    expect(viaStreet.rows).toEqual((await ticketStats({ db: t.db }, street, { ...MARCH, by: 'unit', live: true })).rows);
    const community = await ticketStats({ db: t.db }, user('leader', `/${D}/${S2}/${C2}/`), { ...MARCH, by: 'unit' });
    expect(community.source.summaryDays).toBeNull();

    // A period reaching past the summary: summarised days plus live days.
    const [aId] = await t.db.query<{ id: string }>(`SELECT ticket_id AS id FROM ticket_events WHERE district_code = $1 AND at = $2`, [D, at('2025-03-02T09:00:00')]);
    const g = await addTicket({ sub: S2, comm: C2, category: 'stall' }, [received('2025-04-10T09:00:00')]);
    const spanning = await ticketStats({ db: t.db }, system, { from: '2025-03-01', to: '2025-04-11', by: 'subdistrict' });
    expect(spanning.source).toMatchObject({ summaryDays: { from: '2025-03-01', to: '2025-04-10' }, liveDays: { from: '2025-04-10', to: '2025-04-11' } });
    expect(spanning.totals.received).toBe(6); // A B C D, F on 1 April, G on 10 April (live)

    // After the refresh, A is reopened: its March follow-up was overturned.
    await appendEvents(aId!.id, [{ kind: 'reopened', at: at('2025-04-10T13:00:00'), data: { reason: '反复', dueAt: at('2025-04-17T13:00:00'), acceptDueAt: at('2025-04-10T15:00:00') } }], 6);
    const live = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'subdistrict', live: true });
    const stale = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'subdistrict' });
    expect(live.totals.reopenRate).toMatchObject({ num: 2, den: 5 });
    expect(stale.totals.reopenRate).toMatchObject({ num: 1, den: 5 }); // as of the last refresh
    expect(stale.source.summaryRefreshedAt).toBe('2025-04-10T04:00:00.000Z');

    clock.set('2025-04-11T01:00:00+08:00');
    const nightly = await refreshTicketStats({ db: t.db, clock }, system);
    expect(nightly.throughDay).toBe('2025-04-10');
    expect(nightly.days).toBeGreaterThanOrEqual(4); // 10 April, and A's March days
    const caughtUp = await ticketStats({ db: t.db }, system, { ...MARCH, by: 'subdistrict' });
    expect(caughtUp.totals).toEqual(live.totals);
    expect(caughtUp.rows).toEqual(live.rows);
    expect(g).toBeTruthy();
  });

  it('only an administrator (or the system) refreshes it', async () => {
    const clock = fakeClock('2025-04-12T01:00:00+08:00');
    await expect(refreshTicketStats({ db: t.db, clock }, user('leader', `/${D}/`))).rejects.toMatchObject({ code: 'forbidden' });
  });
});

// ---- property: the SQL against a plain oracle --------------------------------------------------

type Unit = string;
interface GenEvent {
  kind: string;
  at: number;
  unit: Unit | null;
  data: Record<string, unknown>;
}

const UNITS: Unit[] = [ENV, URBAN, STREET2];
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A random walk through the lifecycle table from `start`: every act allowed in the status,
 * times moving on by minutes to days, random units, deadlines, outcomes.
 */
function walk(start: number, choices: number[]): GenEvent[] {
  let now = start;
  let status: TicketStatus = 'received';
  let lead: Unit | null = null;
  let c = 0;
  const pick = <T>(xs: readonly T[]) => xs[choices[c++ % choices.length]! % xs.length]!;
  const step = () => (now += (1 + (choices[c++ % choices.length]! % 96)) * HOUR * 0.5);
  const events: GenEvent[] = [{ kind: 'received', at: now, unit: null, data: { dueAt: null } }];
  for (let i = 0; i < 14; i++) {
    const acts = ACTS_BY_STATUS[status].filter((a) => !['merge', 'callUnits', 'reportToCall', 'supervise'].includes(a));
    if (acts.length === 0 || (status === 'closed' && pick([0, 1, 2]) > 0)) break;
    const act = pick(acts);
    step();
    const due = (h: number) => iso(now + h * HOUR);
    switch (act) {
      case 'dispatch':
        lead = pick(UNITS);
        events.push({ kind: 'dispatched', at: now, unit: lead, data: { leadUnit: lead, assistingUnits: [], acceptDueAt: due(pick([1, 2, 4])), dueAt: due(pick([24, 72, 168])) } });
        status = 'dispatched';
        break;
      case 'answerDirectly':
        events.push({ kind: 'answered_directly', at: now, unit: null, data: { answer: 'a', resolution: pick(['resolved', 'unresolved']) } });
        status = 'closed';
        break;
      case 'accept':
        events.push({ kind: 'accepted', at: now, unit: lead, data: { unit: lead } });
        status = 'in_progress';
        break;
      case 'return':
        events.push({ kind: 'returned', at: now, unit: lead, data: { unit: lead, reason: 'r' } });
        status = 'returned';
        break;
      case 'requestExtension':
        events.push({ kind: 'extension_requested', at: now, unit: lead, data: { unit: lead, reason: 'r', workingDays: 3 } });
        status = 'extension_pending';
        break;
      case 'decideExtension':
        events.push({ kind: 'extension_decided', at: now, unit: null, data: { approved: true, dueAt: due(pick([24, 96])) } });
        status = 'in_progress';
        break;
      case 'reply':
        events.push({ kind: 'replied', at: now, unit: lead, data: { unit: lead, reply: 'r', resolution: pick(['resolved', 'partially_resolved', 'unresolved']) } });
        status = 'replied';
        break;
      case 'followUp':
        events.push({ kind: 'followed_up', at: now, unit: null, data: { rating: pick(['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable']) } });
        status = 'closed';
        break;
      case 'reopen':
        // as the service writes it today (no unit), or as the brief describes it (the lead unit)
        events.push({ kind: 'reopened', at: now, unit: pick([null, lead]), data: { reason: 'r', dueAt: due(120), acceptDueAt: due(2) } });
        status = 'dispatched';
        break;
      case 'urge':
        events.push({ kind: 'urged', at: now, unit: null, data: { note: 'n', level: 'unit' } });
        break;
    }
  }
  return events;
}

type Tally = Record<'dispatched' | 'ait' | 'returned' | 'replies' | 'resolved' | 'withDue' | 'onTime' | 'followedUp' | 'rated' | 'satisfied' | 'reopened' | 'received', number>;

/** The definitions of stats.repo.ts, written the plain way. */
function oracle(tickets: { sub: string; events: GenEvent[] }[], from: number, to: number, by: 'unit' | 'subdistrict') {
  const out = new Map<string | null, Tally>();
  const add = (key: string | null, k: keyof Tally) => {
    const t = out.get(key) ?? { dispatched: 0, ait: 0, returned: 0, replies: 0, resolved: 0, withDue: 0, onTime: 0, followedUp: 0, rated: 0, satisfied: 0, reopened: 0, received: 0 };
    t[k]++;
    out.set(key, t);
  };
  const isDispatch = (e: GenEvent) => e.kind === 'dispatched' || e.kind === 'reopened';
  const isReply = (e: GenEvent) => e.kind === 'replied' || e.kind === 'answered_directly';
  for (const { sub, events } of tickets) {
    events.forEach((e, i) => {
      if (e.at < from || e.at >= to) return;
      const before = events.slice(0, i);
      const after = events.slice(i + 1);
      if (isDispatch(e)) {
        const unit = e.unit ?? before.filter((x) => x.kind === 'dispatched').at(-1)?.unit ?? null;
        const key = by === 'unit' ? unit : sub;
        const end = after.findIndex(isDispatch);
        const window = end === -1 ? after : after.slice(0, end);
        const acc = window.find((x) => x.kind === 'accepted');
        add(key, 'dispatched');
        if (acc && acc.at <= Date.parse(e.data.acceptDueAt as string)) add(key, 'ait');
        if (window.some((x) => x.kind === 'returned')) add(key, 'returned');
      }
      if (isReply(e)) {
        const key = by === 'unit' ? e.unit : sub;
        const due = before.filter((x) => ['dispatched', 'reopened', 'extension_decided'].includes(x.kind)).at(-1)?.data.dueAt as string | undefined;
        add(key, 'replies');
        if (e.data.resolution === 'resolved') add(key, 'resolved');
        if (due) add(key, 'withDue');
        if (due && e.at <= Date.parse(due)) add(key, 'onTime');
      }
      if (e.kind === 'followed_up') {
        const key = by === 'unit' ? (before.filter(isReply).at(-1)?.unit ?? null) : sub;
        add(key, 'followedUp');
        if (e.data.rating !== 'unreachable') add(key, 'rated');
        if (e.data.rating === 'satisfied' || e.data.rating === 'basically_satisfied') add(key, 'satisfied');
        if (after.find((x) => x.kind === 'reopened' || x.kind === 'followed_up')?.kind === 'reopened') add(key, 'reopened');
      }
      if (e.kind === 'received') {
        if (by === 'unit') for (const u of new Set(events.filter(isDispatch).map((x) => x.unit).filter((u) => u !== null))) add(u, 'received');
        else add(sub, 'received');
      }
    });
  }
  return out;
}

function asTally(r: TicketStatsRow): Tally {
  return {
    dispatched: r.dispatched,
    ait: r.responseRate.num,
    returned: r.returnRate.num,
    replies: r.resolutionRate.den,
    resolved: r.resolutionRate.num,
    withDue: r.onTimeRate.den,
    onTime: r.onTimeRate.num,
    followedUp: r.reopenRate.den,
    rated: r.satisfactionRate.den,
    satisfied: r.satisfactionRate.num,
    reopened: r.reopenRate.num,
    received: r.received,
  };
}

describe('property: the SQL counts what a plain reading of the definitions counts', () => {
  it('random lifecycles, by unit and by subdistrict, live and through the summary', async () => {
    let year = 2030;
    const periods: { from: string; to: string }[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ sub: fc.constantFrom(S1, S2), offsetHours: fc.integer({ min: 0, max: 50 * 24 }), choices: fc.array(fc.nat(1000), { minLength: 8, maxLength: 40 }) }), {
          minLength: 1,
          maxLength: 6,
        }),
        async (specs) => {
          // Each run has a year of its own: runs never see each other's tickets.
          const y = year++;
          const from = `${y}-03-01`;
          const to = `${y}-04-01`;
          periods.push({ from, to });
          const start = Date.parse(`${y}-02-10T00:00:00+08:00`);
          const tickets = specs.map((s) => ({ sub: s.sub, events: walk(start + s.offsetHours * HOUR, s.choices) }));
          for (const tk of tickets) {
            await addTicket(
              { sub: tk.sub, comm: tk.sub === S1 ? C1 : C2 },
              tk.events.map((e) => ({ kind: e.kind, at: iso(e.at), unit: e.unit, data: e.data })),
            );
          }
          for (const by of ['unit', 'subdistrict'] as const) {
            const s = await ticketStats({ db: t.db }, system, { from, to, by, live: true });
            const expected = oracle(tickets, Date.parse(`${from}T00:00:00+08:00`), Date.parse(`${to}T00:00:00+08:00`), by);
            const got = new Map(s.rows.map((r) => [r.key, asTally(r)]));
            for (const [key, tally] of expected) if (Object.values(tally).every((v) => v === 0)) expected.delete(key);
            expect(got).toEqual(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
    // Then one refresh summarises every run's year: the summary answers as live counting does.
    await refreshTicketStats({ db: t.db, clock: fakeClock('2099-01-01T12:00:00+08:00') }, system, { full: true });
    for (const p of periods) {
      for (const by of ['unit', 'category'] as const) {
        const viaSummary = await ticketStats({ db: t.db }, system, { ...p, by });
        expect(viaSummary.source.liveDays).toBeNull();
        expect(viaSummary.rows).toEqual((await ticketStats({ db: t.db }, system, { ...p, by, live: true })).rows);
      }
    }
  });
});
