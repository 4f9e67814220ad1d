/**
 * The registry over HTTP on a real database: 401/400/403/200, masking in every response, the
 * audited reveal with a purpose, encryption at rest, the CSV and Excel import with its per-row
 * report (skipped households, duplicates against the registry) and dated reconstruction.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import { factsAt, makeIdNumber } from './index';

let t: TestApp;
let grid: { code: string; path: string };
let otherGrid: { code: string; path: string };
beforeAll(async () => {
  t = await testApp({ now: '2026-11-22T02:00:00Z' });
  const cells = await t.deps.db.query<{ code: string; path: string }>(`SELECT code, path FROM areas WHERE level = 'grid_cell' ORDER BY code`);
  grid = cells[0]!; // the demo grid worker's cell
  otherGrid = cells.at(-1)!;
}, 120_000);
afterAll(() => t.close());

const csrf = { 'x-minsheng-csrf': '1' };
const ID_A = makeIdNumber('990777', '1944-02-29', 1, 'M');
const ID_B = makeIdNumber('990777', '1946-06-01', 2, 'F');
const ID_C = makeIdNumber('990778', '1990-03-03', 3, 'F');
const PHONE_A = '10099990001';
const HEADER = '户编号,与户主关系,姓名,身份证号,性别,出生日期,手机号,婚姻状况,户籍类型,网格代码,楼栋地址,房号,残疾类别,残疾等级,月收入（元）,特殊身份';

async function importCsv(user: string, csv: string, extra: Record<string, unknown> = {}) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/residents/imports',
    headers: { ...(await t.as(user)), ...csrf },
    payload: { fileName: 'people.csv', contentBase64: Buffer.from(csv, 'utf8').toString('base64'), ...extra },
  });
}
type Report = { applied: boolean; created: number; updated: number; unchanged: number; skipped: number; rows: { line: number; status: string; personId: string | null; changes: string[]; errors: { code: string; zh: string }[] }[] };

describe('residents API', () => {
  it('401 without a session, 403 for roles without the registry, 400 on garbage', async () => {
    expect((await t.app.inject({ url: '/api/v1/residents/persons' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/residents/persons', headers: await t.as('dispatcher') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/residents/persons', headers: await t.as('resident') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/residents/persons?pageSize=100000', headers: await t.as('civil-affairs') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/residents/persons?idNumber=123', headers: await t.as('civil-affairs') })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/api/v1/residents/persons/not-a-uuid', headers: await t.as('civil-affairs') })).statusCode).toBe(400);
    const bad = await importCsv('civil-affairs', 'a,b\n1,2');
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { zh: string } }>(bad).error.zh).toContain('户编号');
    expect((await importCsv('gridworker', `${HEADER}\n`)).statusCode).toBe(403);
    const notBase64 = await t.app.inject({ method: 'POST', url: '/api/v1/residents/imports', headers: { ...(await t.as('civil-affairs')), ...csrf }, payload: { fileName: 'x.csv', contentBase64: '!!!' } });
    expect(notBase64.statusCode).toBe(400);
  });

  it('imports a CSV: valid households apply whole, bad rows are reported and skip their household', async () => {
    const csv = [
      HEADER,
      `T1,户主,测试甲演示,${ID_A},男,1944-02-29,${PHONE_A},已婚,本区,${grid.code},测试路1号楼,1-101,肢体,2,1500,低保`,
      `T1,配偶,测试乙演示,${ID_B},女,,,已婚,本区,${grid.code},测试路1号楼,1-101,,,800,`,
      `T2,户主,测试丙演示,${ID_C},男,,,未婚,本区,${grid.code},测试路2号楼,2-202,,,3000,`, // sex disagrees with the ID
      `T3,户主,测试丁演示,${ID_A},男,,,未婚,本区,${otherGrid.code},测试路3号楼,1-1,,,0,`, // the same ID again
    ].join('\n');
    const dry = json<Report>(await importCsv('civil-affairs', csv, { dryRun: true, effectiveOn: '2025-01-01' }));
    expect(dry).toMatchObject({ applied: false, created: 0, skipped: 4 });
    const res = await importCsv('civil-affairs', csv, { effectiveOn: '2025-01-01' });
    expect(res.statusCode, res.body).toBe(200);
    const r = json<Report>(res);
    // The duplicated ID spoils lines 2 and 5; line 3 shares a household with line 2; line 4 is wrong itself.
    expect(r).toMatchObject({ applied: true, created: 0, skipped: 4 });
    const byLine = Object.fromEntries(r.rows.map((x) => [x.line, x.errors.map((e) => e.code)]));
    expect(byLine[2]).toContain('duplicate_in_file');
    expect(byLine[3]).toEqual(['household_incomplete']);
    expect(byLine[4]).toEqual(['sex_mismatch']);
    expect(byLine[5]).toContain('duplicate_in_file');

    const fixed = [HEADER, csvLineA('1500', '低保'), csvLineB('800')].join('\n');
    const strictBad = json<Report>(await importCsv('civil-affairs', `${fixed}\nT9,户主,坏演示,123,,,,,,,,,,,,`, { strict: true, effectiveOn: '2025-01-01' }));
    expect(strictBad).toMatchObject({ applied: false, skipped: 1 });
    const ok = json<Report>(await importCsv('civil-affairs', fixed, { effectiveOn: '2025-01-01' }));
    expect(ok).toMatchObject({ applied: true, created: 2, skipped: 0 });
    // Importing the same file again: already registered → unchanged, not duplicated.
    const again = json<Report>(await importCsv('civil-affairs', fixed, { effectiveOn: '2025-01-01' }));
    expect(again).toMatchObject({ applied: true, created: 0, unchanged: 2, skipped: 0 });
  });

  it('stores identifiers encrypted: the raw columns never hold the plain numbers', async () => {
    const rows = await t.deps.db.query<Record<string, string>>(`SELECT * FROM res_persons WHERE name LIKE '测试%'`);
    expect(rows.length).toBe(2);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(ID_A);
    expect(dump).not.toContain(ID_B);
    expect(dump).not.toContain(PHONE_A);
    expect(dump).not.toContain(ID_A.slice(4, 14)); // not even the middle digits
    expect(rows.find((r) => r.name === '测试甲演示')!.id_number_enc).toMatch(/^v1\./);
  });

  it('masks in every response; the full value needs personal.read, a purpose, and is audited', async () => {
    const ca = await t.as('civil-affairs');
    const search = await t.app.inject({ url: `/api/v1/residents/persons?idNumber=${ID_A}`, headers: ca });
    expect(search.statusCode, search.body).toBe(200);
    const found = json<{ items: { id: string; idNumber: string; phone: string; household: { id: string } }[]; total: number }>(search);
    expect(found.total).toBe(1);
    const a = found.items[0]!;
    expect(a.idNumber).toBe(`${ID_A.slice(0, 4)}**********${ID_A.slice(-4)}`);
    expect(a.phone).toBe('100****0001');
    const detail = await t.app.inject({ url: `/api/v1/residents/persons/${a.id}`, headers: ca });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(ID_A);
    expect(detail.body).not.toContain(PHONE_A);
    const household = await t.app.inject({ url: `/api/v1/residents/households/${a.household.id}`, headers: ca });
    expect(household.statusCode).toBe(200);
    expect(household.body).not.toContain(ID_A);
    expect(json<{ size: number; monthlyIncomeFen: number }>(household)).toMatchObject({ size: 2, monthlyIncomeFen: 230000 });

    const noPurpose = await t.app.inject({ method: 'POST', url: `/api/v1/residents/persons/${a.id}/reveal`, headers: { ...ca, ...csrf }, payload: { fields: ['id_number'] } });
    expect(noPurpose.statusCode).toBe(400);
    const gw = await t.app.inject({ method: 'POST', url: `/api/v1/residents/persons/${a.id}/reveal`, headers: { ...(await t.as('gridworker')), ...csrf }, payload: { fields: ['id_number'], purpose: '入户核查' } });
    expect(gw.statusCode).toBe(403);
    const before = await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal.read' AND target_id = $1`, [a.id]);
    const shown = await t.app.inject({ method: 'POST', url: `/api/v1/residents/persons/${a.id}/reveal`, headers: { ...ca, ...csrf }, payload: { fields: ['id_number', 'phone'], purpose: '办理低保复核' } });
    expect(shown.statusCode).toBe(200);
    expect(json(shown)).toMatchObject({ idNumber: ID_A, phone: PHONE_A });
    const audit = await t.deps.db.query<{ detail: { purpose: string; fields: string[] } }>(`SELECT detail FROM audit_log WHERE action = 'personal.read' AND target_id = $1 ORDER BY id`, [a.id]);
    expect(audit.length).toBe(before[0]!.n + 1);
    expect(audit.at(-1)!.detail).toEqual({ fields: ['id_number', 'phone'], purpose: '办理低保复核' });
    // Reading the person page is audited too.
    const reads = await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'residents.person.read' AND target_id = $1`, [a.id]);
    expect(reads[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it('grid workers see only their own grid', async () => {
    const gw = await t.as('gridworker');
    const mine = json<{ items: { areaPath: string }[]; total: number }>(await t.app.inject({ url: '/api/v1/residents/persons?pageSize=200', headers: gw }));
    expect(mine.total).toBeGreaterThan(0);
    expect(mine.items.every((p) => p.areaPath.startsWith(grid.path))).toBe(true);
    const elsewhere = await t.deps.db.query<{ id: string }>(`SELECT id::text AS id FROM res_persons WHERE area_path NOT LIKE $1 || '%' LIMIT 1`, [grid.path]);
    expect((await t.app.inject({ url: `/api/v1/residents/persons/${elsewhere[0]!.id}`, headers: gw })).statusCode).toBe(404);
  });

  it('changes are dated: a later import changes today, the past date still shows the old registry', async () => {
    // 2026-06-01: 甲's income rises, 低保 ends, 乙 dies.
    const later = [HEADER, csvLineA('4000', ''), csvLineB('800')].join('\n');
    const r = json<Report>(await importCsv('civil-affairs', later, { effectiveOn: '2026-06-01' }));
    expect(r).toMatchObject({ applied: true, updated: 1, unchanged: 1 });
    expect(r.rows.find((x) => x.status === 'updated')!.changes.sort()).toEqual(['-dibao', 'income']);
    // Back-dating before the latest change is refused.
    const back = json<Report>(await importCsv('civil-affairs', [HEADER, csvLineA('100', '')].join('\n'), { effectiveOn: '2025-06-01' }));
    expect(back.rows[0]!.errors.map((e) => e.code)).toEqual(['backdated']);

    const id = r.rows[0]!.personId!;
    const at = async (date: string) => (await factsAt(t.deps.db, '370202', date, '/370202/')).find((f) => f.personId === id);
    expect(await at('2024-12-31')).toBeUndefined(); // not yet registered
    expect(await at('2025-03-01')).toMatchObject({ monthlyIncomeFen: 150000, statuses: ['dibao'], household: { size: 2, monthlyIncomeFen: 230000 }, disabilityGrade: 2 });
    expect(await at('2026-07-01')).toMatchObject({ monthlyIncomeFen: 400000, statuses: [], household: { size: 2, monthlyIncomeFen: 480000 } });
  });

  it('imports Excel too, and receipts by ID number', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('待遇');
    ws.addRow(['身份证号', '待遇代码', '起始日期', '截止日期', '金额（元）']);
    ws.addRow([ID_A, 'elderly_allowance', '2025-02-01', '', '100']);
    ws.addRow([ID_A, 'elderly_allowance', '2025-02-01', '', '100']); // repeated
    ws.addRow([ID_C, 'dibao', '2025-02-01', '', '1050']); // not registered
    ws.addRow([Number(ID_B.slice(0, 15)) * 1000, 'dibao', '2025-02-01', '', '1']); // Excel number: precision lost
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/residents/imports',
      headers: { ...(await t.as('civil-affairs')), ...csrf },
      payload: { fileName: 'receipts.xlsx', contentBase64: buf.toString('base64'), effectiveOn: '2026-06-01' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const r = json<Report>(res);
    expect(r).toMatchObject({ created: 1, skipped: 3 });
    expect(r.rows.filter((x) => x.status === 'skipped').map((x) => x.errors[0]!.code).sort()).toEqual(['duplicate_in_file', 'format', 'not_registered'].sort());
    const f = (await factsAt(t.deps.db, '370202', '2026-07-01', '/370202/')).find((x) => x.personId === r.rows.find((y) => y.status === 'created')!.personId);
    expect(f?.receiving).toEqual(['elderly_allowance']);
  });
});

function csvLineA(income: string, statuses: string) {
  return `T1,户主,测试甲演示,${ID_A},男,1944-02-29,${PHONE_A},已婚,本区,${grid.code},测试路1号楼,1-101,肢体,2,${income},${statuses}`;
}
function csvLineB(income: string) {
  return `T1,配偶,测试乙演示,${ID_B},女,,,已婚,本区,${grid.code},测试路1号楼,1-101,,,${income},`;
}
