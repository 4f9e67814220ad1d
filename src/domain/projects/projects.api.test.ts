import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import { demoPng } from './demo';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-22T02:00:00Z' });
});
afterAll(() => t.close());

const csrf = { 'x-minsheng-csrf': '1' };
type Item = { id: string; code: string; title: string; status: string; progress: number; targets: { id: string; metric: string; target: number; current: number | null }[]; milestones: { id: string }[]; children: Item[] };
type Programme = { headline: { zh: string }; counts: { items: number; subItems: number; byStatus: Record<string, number> }; items: Item[]; canReport: string[] };
type Summary = { headline: { zh: string }; counts: { byStatus: Record<"completed" | "delayed" | "on_track" | "at_risk" | "not_started", number> }; overdueMilestones: unknown[] };

const flat = (xs: Item[]): Item[] => xs.flatMap((x) => [x, ...flat(x.children)]);
async function programme(who = 'admin', date?: string) {
  const res = await t.app.inject({ url: `/api/v1/projects/programmes/2026${date ? `?date=${date}` : ''}`, headers: await t.as(who) });
  expect(res.statusCode, res.body).toBe(200);
  return json<Programme>(res);
}
const byCode = async (code: string) => flat((await programme()).items).find((i) => i.code === code)!;
const report = async (who: string, id: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/v1/projects/items/${id}/reports`, headers: await t.as(who), payload });
const summary = async (date?: string) => json<Summary>(await t.app.inject({ url: `/api/v1/projects/summary?year=2026${date ? `&date=${date}` : ''}`, headers: await t.as('leader') }));

describe('the demo programme', () => {
  it('is 5类15件29项 with derived statuses', async () => {
    const p = await programme('leader');
    expect(p.counts.items).toBe(15);
    expect(p.counts.subItems).toBe(29);
    expect(Object.values(p.counts.byStatus).reduce((a, b) => a + b, 0)).toBe(29);
    expect(p.counts.byStatus.completed).toBeGreaterThan(0);
    expect(p.counts.byStatus.delayed).toBeGreaterThan(0);
    expect(p.headline.zh).toMatch(/^15件29项：\d+ 项已完成年度目标，\d+ 项有序推进，\d+ 项滞后/);
    const road = flat(p.items).find((i) => i.code === '10.1')!;
    expect(road.targets[0]).toMatchObject({ metric: '整治道路', target: 5312, current: 5312 });
    expect(road.status).toBe('completed');
  });
  it('reads as it stood on an earlier date', async () => {
    const early = await summary('2026-02-01');
    expect(early.counts.byStatus.not_started).toBe(29);
  });
});

describe('HTTP 401 → 400 → 403 → 200', () => {
  it('reading', async () => {
    expect((await t.app.inject({ url: '/api/v1/projects/programmes/2026' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/projects/programmes/1999', headers: await t.as('leader') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/projects/programmes/2026', headers: await t.as('resident') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/projects/programmes/2031', headers: await t.as('leader') })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/projects/summary?year=2026&date=2026-13-01', headers: await t.as('leader') })).statusCode).toBe(400);
  });
  it('reporting: only the owner department’s handlers (and admins)', async () => {
    const housing = await byCode('7.1');
    const road = await byCode('10.3');
    const body = { asOf: '2026-11-20', narrative: '推进中', values: [{ targetId: road.targets[0]!.id, value: 30 }] };
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/projects/items/${road.id}/reports`, headers: csrf, payload: body })).statusCode).toBe(401);
    expect((await report('handler-urban', road.id, { ...body, asOf: 'yesterday' })).statusCode).toBe(400);
    expect((await report('leader', road.id, body)).statusCode).toBe(403);
    expect((await report('handler-urban', housing.id, { ...body, values: [{ targetId: housing.targets[0]!.id, value: 10 }] })).statusCode).toBe(403);
    const ok = await report('handler-urban', road.id, body);
    expect(ok.statusCode, ok.body).toBe(201);
  });
  it('managing', async () => {
    const item = { code: '16', categoryCode: 'services', title: '新增事项', ownerDepartment: 'housing', plannedStart: '2026-06-01', plannedEnd: '2026-12-31', progressRule: 'targets', targets: [{ metric: '新增', unit: '个', kind: 'count', baseline: 0, target: 5 }] };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: csrf, payload: item })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('admin'), payload: { ...item, budgetFen: 1.5 } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('handler-urban'), payload: item })).statusCode).toBe(403);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('admin'), payload: item });
    expect(res.statusCode, res.body).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('admin'), payload: item })).statusCode).toBe(409);
  });
});

describe('an owner reports progress and the figures change', () => {
  it('地被栽植 reaches 100 %: completed count +1, delayed −1, history kept; a return undoes it', async () => {
    const before = await summary('2026-11-22');
    const item = await byCode('10.3');
    expect(item.status).toBe('delayed');
    const res = await report('handler-urban', item.id, {
      asOf: '2026-11-21',
      narrative: '地被栽植全部完成',
      values: [{ targetId: item.targets[0]!.id, value: 100 }],
      milestones: [{ milestoneId: item.milestones[1]!.id, achievedOn: '2026-11-21' }],
      files: [{ fileName: '现场.png', contentBase64: Buffer.from(demoPng([60, 160, 60])).toString('base64') }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const reportId = json<{ report: { reportId: string } }>(res).report.reportId;
    const after = await summary('2026-11-22');
    expect(after.counts.byStatus.completed).toBe(before.counts.byStatus.completed + 1);
    expect(after.counts.byStatus.delayed).toBe(before.counts.byStatus.delayed - 1);
    expect((await byCode('10.3')).status).toBe('completed');

    const detail = json<{ history: { kind: string }[]; reports: { id: string; files: { id: string }[] }[] }>(
      await t.app.inject({ url: `/api/v1/projects/items/${item.id}`, headers: await t.as('leader') }),
    );
    expect(detail.history.map((h) => h.kind)).toContain('reported');
    const fileId = detail.reports[0]!.files[0]!.id;
    const pub = await t.app.inject({ url: `/api/v1/public/projects/files/${fileId}` });
    expect(pub.statusCode).toBe(200);
    expect(pub.headers['content-type']).toBe('image/png');

    // the reviewer returns it: it stops counting and its photo leaves the public page
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/projects/reports/${reportId}/return`, headers: await t.as('handler-urban'), payload: { reason: '照片不清楚' } })).statusCode).toBe(403);
    const ret = await t.app.inject({ method: 'POST', url: `/api/v1/projects/reports/${reportId}/return`, headers: await t.as('admin'), payload: { reason: '照片不清楚，请补充' } });
    expect(ret.statusCode, ret.body).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/projects/reports/${reportId}/return`, headers: await t.as('admin'), payload: { reason: '再退' } })).statusCode).toBe(409);
    expect((await summary('2026-11-22')).counts.byStatus.completed).toBe(before.counts.byStatus.completed);
    expect((await t.app.inject({ url: `/api/v1/public/projects/files/${fileId}` })).statusCode).toBe(404);
    const hist = json<{ history: { kind: string }[]; reports: { returned: { reason: string } | null }[] }>(await t.app.inject({ url: `/api/v1/projects/items/${item.id}`, headers: await t.as('leader') }));
    expect(hist.history.map((h) => h.kind)).toContain('report_returned');
    expect(hist.reports[0]!.returned?.reason).toBe('照片不清楚，请补充');

    // the corrected report counts again
    const fixed = await report('handler-urban', item.id, { asOf: '2026-11-21', narrative: '补充照片后重新报告', values: [{ targetId: item.targets[0]!.id, value: 100 }], correctsId: reportId });
    expect(fixed.statusCode, fixed.body).toBe(201);
    expect((await summary('2026-11-22')).counts.byStatus.completed).toBe(before.counts.byStatus.completed + 1);
  });
});

describe('bad input is refused and nothing is half-saved', () => {
  const count = async (id: string) => json<{ reports: unknown[]; history: unknown[] }>(await t.app.inject({ url: `/api/v1/projects/items/${id}`, headers: await t.as('admin') }));
  it('future dates, negative counts, percentages over 100, wrong files, closed items', async () => {
    const road = await byCode('10.1');
    const green = await byCode('10.2');
    const n0 = await count(road.id);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ asOf: '2026-11-23', narrative: 'x', values: [{ targetId: road.targets[0]!.id, value: 10 }] }, /晚于今天/],
      [{ asOf: '2026-11-20', narrative: 'x', values: [{ targetId: road.targets[0]!.id, value: -10 }] }, /不能为负数/],
      [{ asOf: '2026-11-20', narrative: 'x', values: [{ targetId: road.targets[0]!.id, value: 10 }], files: [{ fileName: 'a.exe', contentBase64: Buffer.from('MZ\x90\x00').toString('base64') }] }, /不是 JPEG/],
    ];
    for (const [body, msg] of cases) {
      const res = await report('handler-urban', road.id, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(json<{ error: { zh: string; en: string } }>(res).error.zh).toMatch(msg);
    }
    const pct = await report('handler-urban', green.id, { asOf: '2026-11-20', narrative: 'x', values: [{ targetId: green.targets[0]!.id, value: 120 }] });
    expect(json<{ error: { zh: string } }>(pct).error.zh).toContain('不能超过 100');
    const big = new Uint8Array(5 * 1024 * 1024 + 10);
    big.set([0xff, 0xd8, 0xff]);
    const tooBig = await report('handler-urban', road.id, { asOf: '2026-11-20', narrative: 'x', values: [{ targetId: road.targets[0]!.id, value: 10 }], files: [{ fileName: 'big.jpg', contentBase64: Buffer.from(big).toString('base64') }] });
    expect(tooBig.statusCode).toBe(400);
    expect(json<{ error: { en: string } }>(tooBig).error.en).toContain('larger than 5 MB');
    const n1 = await count(road.id);
    expect(n1.reports.length).toBe(n0.reports.length);
    expect(n1.history.length).toBe(n0.history.length);

    // a closed item takes no more reports
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/projects/items/${road.id}/close`, headers: await t.as('admin'), payload: { on: '2026-11-21', reason: '年度目标已完成' } })).statusCode).toBe(200);
    const closed = await report('handler-urban', road.id, { asOf: '2026-11-21', narrative: 'x', values: [{ targetId: road.targets[0]!.id, value: 5312 }] });
    expect(closed.statusCode).toBe(400);
    expect(json<{ error: { zh: string } }>(closed).error.zh).toContain('已于 2026-11-21 关闭');
  });
  it('impossible targets', async () => {
    const base = { code: '17', categoryCode: 'services', title: '坏目标', ownerDepartment: 'housing', plannedStart: '2026-06-01', plannedEnd: '2026-12-31', progressRule: 'targets' };
    const bad = [
      [{ metric: '托位', unit: '个', kind: 'count', baseline: 500, target: 500 }, /目标值与基数相同/],
      [{ metric: '托位', unit: '个', kind: 'count', baseline: 0, target: -5 }, /不能为负数/],
      [{ metric: '覆盖率', unit: '%', kind: 'percent', baseline: 0, target: 120 }, /不能超过 100/],
      [{ metric: '托位', unit: '个', kind: 'count', baseline: 0, target: 2.5 }, /必须为整数/],
    ] as const;
    for (const [target, msg] of bad) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('admin'), payload: { ...base, targets: [target] } });
      expect(res.statusCode, res.body).toBe(400);
      expect(json<{ error: { zh: string } }>(res).error.zh).toMatch(msg);
    }
    expect(flat((await programme()).items).some((i) => i.code === '17')).toBe(false);
  });
});

describe('the public page', () => {
  it('shows the programme without a login, and a completed item can be rated once per device', async () => {
    const res = await t.app.inject({ url: '/api/v1/public/projects/2026' });
    expect(res.statusCode).toBe(200);
    const p = json<Programme & { extras: Record<string, { timeline: { narrative: string }[] }> }>(res);
    expect(p.counts.subItems).toBeGreaterThanOrEqual(29);
    expect(JSON.stringify(p)).not.toMatch(/演示·/); // no staff names
    const done = flat(p.items).find((i) => i.status === 'completed' && i.children.length === 0)!;
    const notDone = flat(p.items).find((i) => i.status === 'delayed' && i.children.length === 0)!;
    const token = 'device-token-0123456789abcdef';
    const rate = (id: string, deviceToken: string) => t.app.inject({ method: 'POST', url: `/api/v1/public/projects/items/${id}/ratings`, headers: csrf, payload: { score: 5, deviceToken } });
    expect((await rate(done.id, 'short')).statusCode).toBe(400);
    expect((await rate(notDone.id, token)).statusCode).toBe(409);
    const ok = await rate(done.id, token);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<{ rating: { count: number } }>(ok).rating.count).toBe(1);
    expect((await rate(done.id, token)).statusCode).toBe(409);
  });
});

describe('exports and import', () => {
  it('summary as xlsx and pdf', async () => {
    const x = await t.app.inject({ url: '/api/v1/projects/summary.xlsx?year=2026', headers: await t.as('leader') });
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const pdf = await t.app.inject({ url: '/api/v1/projects/summary.pdf?year=2026', headers: await t.as('leader') });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
