import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-22T02:00:00Z' });
});
afterAll(() => t.close());

type Item = { id: string; code: string; title: string; areaPath: string; targets: { metric: string; target: number }[]; children: Item[] };
const flat = (xs: Item[]): Item[] => xs.flatMap((x) => [x, ...flat(x.children)]);
const programme = async () => json<{ items: Item[] }>(await t.app.inject({ url: '/api/v1/projects/programmes/2026', headers: await t.as('admin') }));
const importFile = async (wb: ExcelJS.Workbook, dryRun = false, who = 'admin') =>
  t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/import', headers: await t.as(who), payload: { contentBase64: Buffer.from(await wb.xlsx.writeBuffer()).toString('base64'), dryRun } });

async function exported(): Promise<ExcelJS.Workbook> {
  const res = await t.app.inject({ url: '/api/v1/projects/programmes/2026/items.xlsx', headers: await t.as('leader') });
  expect(res.statusCode).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  return wb;
}

describe('items and targets from Excel, all or nothing', () => {
  it('the export round-trips: importing it unchanged updates every item and creates none', async () => {
    const wb = await exported();
    expect(wb.getWorksheet('事项')!.rowCount).toBe(1 + 15 + 29);
    const res = await importFile(wb, true);
    expect(res.statusCode, res.body).toBe(200);
    expect(json(res)).toMatchObject({ ok: true, dryRun: true, items: 44, created: 0, updated: 44 });
  });

  it('a bad row anywhere and nothing is saved; the report names sheet, row and field', async () => {
    const wb = await exported();
    const items = wb.getWorksheet('事项')!;
    items.addRow(['16', '', 'services', '新建社区书房', '', 'education-sports', '', '370202001', '120.50', '2026-05-01', '2026-12-31', '目标', 1]);
    items.addRow(['16.1', '16', 'services', '书房藏书', '', 'education-sports', '', '', '0', '2026-05-01', '2026-12-31', '目标', 1]);
    const targets = wb.getWorksheet('目标')!;
    targets.addRow(['16', '新建书房', '个', '计数', 0, 10, 1]);
    targets.addRow(['16.1', '藏书', '册', '计数', 500, 500, 1]); // target = baseline
    wb.getWorksheet('事项')!.getRow(2).getCell(4).value = '改名不应生效';
    const res = await importFile(wb);
    expect(res.statusCode).toBe(400);
    const problems = json<{ error: { details: { problems: { sheet: string; row: number; field: string; zh: string }[] } } }>(res).error.details.problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ sheet: '目标', row: targets.rowCount });
    expect(problems[0]!.zh).toContain('目标值与基数相同');
    const p = await programme();
    expect(flat(p.items).some((i) => i.code === '16')).toBe(false);
    expect(flat(p.items).find((i) => i.code === '1')!.title).not.toBe('改名不应生效');

    // fixed, it imports: new item and sub-item created, renamed item updated, the area narrows the scope
    targets.getRow(targets.rowCount).getCell(5).value = 0;
    const ok = await importFile(wb);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(json(ok)).toMatchObject({ created: 2, updated: 44 });
    const after = flat((await programme()).items);
    expect(after.find((i) => i.code === '1')!.title).toBe('改名不应生效');
    expect(after.find((i) => i.code === '16')).toMatchObject({ areaPath: '/370202/370202001/', targets: [{ metric: '新建书房', target: 10 }] });
  });

  it('garbage and other roles are refused', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/import', headers: await t.as('admin'), payload: { contentBase64: Buffer.from('not a workbook').toString('base64') } });
    expect(res.statusCode).toBe(400);
    expect(json<{ error: { zh: string } }>(res).error.zh).toContain('Excel');
    expect((await importFile(await exported(), true, 'leader')).statusCode).toBe(403);
  });

  it('a street admin manages only its street’s items', async () => {
    const base = { categoryCode: 'services', ownerDepartment: 'housing', plannedStart: '2026-06-01', plannedEnd: '2026-12-31', progressRule: 'targets', targets: [{ metric: '新增', unit: '个', kind: 'count', baseline: 0, target: 5 }] };
    const wide = await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('street-admin'), payload: { ...base, code: '18', title: '全区事项' } });
    expect(wide.statusCode).toBe(403);
    const own = await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('street-admin'), payload: { ...base, code: '19', title: '本街道事项', areaCodes: ['370202001'] } });
    expect(own.statusCode, own.body).toBe(201);
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/projects/programmes/2026/items', headers: await t.as('street-admin'), payload: { ...base, code: '20', title: '别的街道', areaCodes: ['370202002'] } });
    expect(other.statusCode).toBe(403);
    const p = json<{ inScope: string[]; items: Item[] }>(await t.app.inject({ url: '/api/v1/projects/programmes/2026', headers: await t.as('street-admin') }));
    const byId = new Map(flat(p.items).map((i) => [i.id, i]));
    // in scope: its own street's items and district-wide ones, never another street's
    for (const id of p.inScope) expect(['/370202/', '/370202/370202001/'].some((s) => byId.get(id)!.areaPath === s || byId.get(id)!.areaPath.startsWith('/370202/370202001/'))).toBe(true);
    expect(p.inScope).toContain(flat(p.items).find((i) => i.code === '19')!.id);
  });
});
