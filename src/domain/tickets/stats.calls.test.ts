/**
 * 街呼区应 in the statistics: every 报到 counts for the unit that reported, late ones apart, both
 * live and from the daily summary. A district of its own (990002), events inserted directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import type { SystemActor } from '../../shared/authz';
import { fakeClock } from '../../shared/clock';
import { refreshTicketStats, ticketStats } from './stats';

const D = '990002';
const S1 = `${D}001`;
const ENV = 'department:environment';
const URBAN = 'department:urban-management';
const system: SystemActor = { kind: 'system', districtCode: D, reason: 'test' };
const at = (local: string) => `${local}+08:00`;
const PERIOD = { from: '2025-04-01', to: '2025-05-01' };

let t: TestDb;

async function addTicket(events: { kind: string; at: string; unit?: string; data?: Record<string, unknown> }[]): Promise<void> {
  const [row] = await t.db.query<{ id: string }>(
    `INSERT INTO tickets (district_code, number, type, channel, title, content, urgency, category_code, area_path,
                          community_code, subdistrict_code, created_at, status)
     VALUES ($1, $2, 'complaint', 'hotline', '测试', '测试', 'normal', NULL, $3, NULL, $4, $5, 'received') RETURNING id`,
    [D, `C${events[0]!.at}`, `/${D}/${S1}/`, S1, events[0]!.at],
  );
  for (const [i, e] of events.entries()) {
    await t.db.query(`INSERT INTO ticket_events (district_code, ticket_id, seq, kind, at, unit, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      D,
      row!.id,
      i + 1,
      e.kind,
      e.at,
      e.unit ?? null,
      JSON.stringify(e.data ?? {}),
    ]);
  }
}

const called = (when: string, units: string[], due: string) => ({ kind: 'units_called', at: at(when), data: { units, reportDueAt: at(due), note: '吹哨' } });
const reported = (when: string, unit: string, late: boolean) => ({ kind: 'call_reported', at: at(when), unit, data: { unit, role: 'lead', late } });

beforeAll(async () => {
  t = await freshDb({ seed: false });
  await t.db.query(
    `INSERT INTO areas (district_code, code, level, name, parent_code, path) VALUES
       ($1, $1, 'district', '测试区', NULL, '/' || $1 || '/'), ($1, $2, 'subdistrict', '东街道', $1, '/' || $1 || '/' || $2 || '/')`,
    [D, S1],
  );
  await t.db.query(
    `INSERT INTO departments (district_code, code, name, name_en) VALUES
       ($1, 'environment', '区生态环境局', 'Environment'), ($1, 'urban-management', '区城市管理局', 'Urban management')`,
    [D],
  );
  // One call to two departments: environment reports in time, urban management late.
  await addTicket([
    { kind: 'received', at: at('2025-04-02T09:00:00'), data: { dueAt: null } },
    called('2025-04-02T09:30:00', [ENV, URBAN], '2025-04-02T11:30:00'),
    reported('2025-04-02T10:00:00', ENV, false),
    reported('2025-04-03T09:00:00', URBAN, true),
  ]);
  // A second call: urban management in time.
  await addTicket([
    { kind: 'received', at: at('2025-04-10T09:00:00'), data: { dueAt: null } },
    called('2025-04-10T09:30:00', [URBAN], '2025-04-10T11:30:00'),
    reported('2025-04-10T10:30:00', URBAN, false),
  ]);
});
afterAll(() => t.cleanup());

describe('街呼区应 reports in the statistics', () => {
  it('counts reports and late reports per reporting unit, and in the totals', async () => {
    const s = await ticketStats({ db: t.db }, system, { ...PERIOD, by: 'unit', live: true });
    const byUnit = Object.fromEntries(s.rows.map((r) => [r.key, r]));
    expect(byUnit[ENV]?.callReportOnTimeRate).toEqual({ rate: 1, num: 1, den: 1 });
    expect(byUnit[ENV]?.lateCallReports).toBe(0);
    expect(byUnit[URBAN]?.callReportOnTimeRate).toEqual({ rate: 0.5, num: 1, den: 2 });
    expect(byUnit[URBAN]?.lateCallReports).toBe(1);
    expect(s.totals.callReportOnTimeRate).toEqual({ rate: 2 / 3, num: 2, den: 3 });
    expect(s.totals.lateCallReports).toBe(1);
  });

  it('gives the same figures from the daily summary as live', async () => {
    const clock = fakeClock(new Date('2025-06-01T02:00:00Z'));
    await refreshTicketStats({ db: t.db, clock }, system, { full: true });
    const fromSummary = await ticketStats({ db: t.db }, system, { ...PERIOD, by: 'unit' });
    const live = await ticketStats({ db: t.db }, system, { ...PERIOD, by: 'unit', live: true });
    expect(fromSummary.source.summaryDays).not.toBeNull();
    expect(fromSummary.totals).toEqual(live.totals);
    expect(fromSummary.rows).toEqual(live.rows);
  });
});
