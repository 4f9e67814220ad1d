/**
 * Files of 民生实事: the summary as an Excel workbook and a PDF (Noto Sans SC embedded as a
 * subset — pdfkit cannot rely on a system CJK font), and the items-and-targets workbook that is
 * both the export and the import template (docs/PROJECTS-TEMPLATE.md). An import is all or
 * nothing: every row is checked first and a per-row report comes back; one bad row and nothing
 * is saved.
 */
import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { AnyActor } from '../../shared/authz';
import { assertCan } from '../../shared/authz';
import { invalid } from '../../shared/errors';
import { ItemBody } from './contract';
import { STATUSES, STATUS_NAMES, type ProjectStatus } from './core/derive';
import type { Problem } from './core/validate';
import * as repo from './repo';
import * as service from './service';
import type { ProjectsSummary } from './service';

// ---- the summary ---------------------------------------------------------------------------------

const yuan = (fen: number) => Math.round(fen) / 100;

export async function summaryWorkbook(s: ProjectsSummary): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng 民生';
  const ws = wb.addWorksheet('汇总');
  ws.addRow([`${s.title}进度汇总（截至 ${s.date}）${s.isDemo ? '【演示数据】' : ''}`]).font = { bold: true, size: 14 };
  ws.addRow([s.headline.zh]);
  ws.addRow([]);
  ws.addRow(['状态', '项数']).font = { bold: true };
  for (const st of STATUSES) ws.addRow([STATUS_NAMES[st].zh, s.counts.byStatus[st]]);
  ws.addRow(['合计', s.counts.subItems]).font = { bold: true };
  ws.addRow(['总体进度（%）', s.progress]);
  ws.addRow(['预算合计（元）', yuan(s.budgetFen)]);
  ws.getColumn(1).width = 40;
  ws.getColumn(2).width = 14;

  const wc = wb.addWorksheet('分类');
  wc.addRow(['类别', '件', '项', '进度（%）', ...STATUSES.map((x) => STATUS_NAMES[x].zh), '预算（元）']).font = { bold: true };
  for (const c of s.categories) wc.addRow([c.name, c.items, c.subItems, c.progress, ...STATUSES.map((x) => c.byStatus[x]), yuan(c.budgetFen)]);
  wc.getColumn(1).width = 24;

  const wi = wb.addWorksheet('事项');
  wi.addRow(['编号', '事项', '类别', '责任部门', '进度（%）', '应达进度（%）', '状态', '计划完成', '最近报告', '目标完成情况']).font = { bold: true };
  for (const i of s.items) {
    wi.addRow([i.code, i.title, i.category, i.owner.name, i.progress, i.expected, i.statusName.zh, i.plannedEnd, i.lastReportOn ?? '', i.targets.map((t) => `${t.metric} ${t.current ?? '—'}/${t.target}${t.unit}`).join('；')]);
  }
  wi.getColumn(2).width = 40;
  wi.getColumn(4).width = 24;
  wi.getColumn(10).width = 50;
  wi.views = [{ state: 'frozen', ySplit: 1 }];

  const wm = wb.addWorksheet('逾期节点');
  wm.addRow(['事项编号', '事项', '节点', '计划日期', '逾期天数', '责任部门']).font = { bold: true };
  for (const m of s.overdueMilestones) wm.addRow([m.itemCode, m.itemTitle, m.milestone, m.plannedOn, m.overdueDays, m.owner.name]);
  wm.getColumn(2).width = 40;
  wm.getColumn(6).width = 24;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const require = createRequire(import.meta.url);
let fontPaths: { regular: string; bold: string } | null = null;
function fonts() {
  fontPaths ??= {
    regular: require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
    bold: require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
  };
  return fontPaths;
}

const STATUS_COLORS: Record<ProjectStatus, string> = {
  completed: '#389e0d',
  on_track: '#1677ff',
  at_risk: '#faad14',
  delayed: '#cf1322',
  not_started: '#8c8c8c',
};

/** The summary as an A4 PDF: the headline, status counts, progress bars by category, overdue milestones, items. */
export async function summaryPdf(s: ProjectsSummary): Promise<Buffer> {
  const f = fonts();
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `${s.year} ${s.title}`, Author: 'minsheng 民生' } });
  doc.registerFont('cjk', f.regular);
  doc.registerFont('cjk-bold', f.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const ensure = (h: number) => {
    if (doc.y + h > doc.page.height - doc.page.margins.bottom) doc.addPage();
  };

  doc.font("cjk-bold").fontSize(18).text(s.title, { align: 'center' });
  doc.font('cjk').fontSize(10).fillColor('#595959').text(`进度汇总 · 截至 ${s.date}${s.isDemo ? ' · 演示数据' : ''}`, { align: 'center' });
  doc.moveDown(0.8).fillColor('#000').font('cjk-bold').fontSize(12).text(s.headline.zh);
  doc.moveDown(0.5);

  // status counts as coloured tiles
  const tileW = width / STATUSES.length;
  const y0 = doc.y;
  STATUSES.forEach((st, k) => {
    const x = left + k * tileW;
    doc.rect(x + 2, y0, tileW - 4, 44).fill(STATUS_COLORS[st]);
    doc.fillColor('#fff').font('cjk-bold').fontSize(16).text(String(s.counts.byStatus[st]), x + 2, y0 + 4, { width: tileW - 4, align: 'center' });
    doc.font('cjk').fontSize(9).text(STATUS_NAMES[st].zh, x + 2, y0 + 26, { width: tileW - 4, align: 'center' });
  });
  doc.fillColor('#000').text('', left, y0 + 56);

  doc.font('cjk-bold').fontSize(12).text('分类进度', left, doc.y);
  doc.moveDown(0.3);
  for (const c of s.categories) {
    ensure(22);
    const y = doc.y;
    doc.font('cjk').fontSize(10).fillColor('#000').text(`${c.name}（${c.items}件${c.subItems}项）`, left, y, { width: 150 });
    const bx = left + 155;
    const bw = width - 155 - 50;
    doc.rect(bx, y + 2, bw, 10).fill('#f0f0f0');
    doc.rect(bx, y + 2, (bw * Math.max(0, Math.min(100, c.progress))) / 100, 10).fill('#1677ff');
    doc.fillColor('#000').text(`${c.progress.toFixed(1)}%`, bx + bw + 6, y, { width: 44 });
    doc.text('', left, y + 18);
  }
  doc.moveDown(0.6);

  doc.font('cjk-bold').fontSize(12).fillColor('#000').text(`逾期节点（${s.overdueMilestones.length}）`, left, doc.y);
  doc.moveDown(0.3).font('cjk').fontSize(9);
  if (s.overdueMilestones.length === 0) doc.text('无', left);
  for (const m of s.overdueMilestones) {
    ensure(14);
    doc.fillColor('#cf1322').text(`${m.itemCode} ${m.itemTitle} — ${m.milestone}：计划 ${m.plannedOn}，已逾期 ${m.overdueDays} 天；责任部门：${m.owner.name}`, left, doc.y, { width });
  }
  doc.moveDown(0.6);

  doc.font('cjk-bold').fontSize(12).fillColor('#000').text('事项进度', left, doc.y);
  doc.moveDown(0.3);
  for (const i of s.items) {
    ensure(26);
    const y = doc.y;
    doc.font('cjk').fontSize(9).fillColor('#000').text(`${i.code} ${i.title}`, left, y, { width: width - 120 });
    doc.fillColor(STATUS_COLORS[i.status]).text(`${i.statusName.zh} ${i.progress.toFixed(1)}%`, left + width - 115, y, { width: 115, align: 'right' });
    doc.fillColor('#8c8c8c').fontSize(8).text(`${i.owner.name} · 计划完成 ${i.plannedEnd}${i.targets.length ? ' · ' + i.targets.map((t) => `${t.metric} ${t.current ?? '—'}/${t.target}${t.unit}`).join('；') : ''}`, left, doc.y, { width });
    doc.moveDown(0.3);
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

// ---- items and targets: export = import template -------------------------------------------------------

export const ITEM_COLUMNS = ['编号', '上级编号', '类别编号', '名称', '说明', '责任部门编号', '配合单位', '涉及区域编码', '预算（元）', '计划开始', '计划完成', '进度计算', '权重'] as const;
export const TARGET_COLUMNS = ['事项编号', '指标', '单位', '类型', '基数', '目标值', '权重'] as const;
export const MILESTONE_COLUMNS = ['事项编号', '节点', '计划日期'] as const;
const RULES_ZH = { targets: '目标', children: '子项', stage: '阶段' } as const;
const KINDS_ZH = { count: '计数', quantity: '数量', percent: '百分比' } as const;

export async function exportItems(deps: service.ProjectsDeps, actor: AnyActor, year: number): Promise<Buffer> {
  const p = await service.getProgramme(deps, actor, year);
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng 民生';
  const wi = wb.addWorksheet('事项');
  wi.addRow([...ITEM_COLUMNS]).font = { bold: true };
  const wt = wb.addWorksheet('目标');
  wt.addRow([...TARGET_COLUMNS]).font = { bold: true };
  const wm = wb.addWorksheet('节点');
  wm.addRow([...MILESTONE_COLUMNS]).font = { bold: true };
  for (const i of p.items.flatMap(service.flattenViews)) {
    const parent = i.parentId ? p.items.flatMap(service.flattenViews).find((x) => x.id === i.parentId)?.code ?? '' : '';
    wi.addRow([i.code, parent, i.category.code, i.title, i.description, i.ownerDepartment.code, i.coUnits.join('、'), i.areas.map((a) => a.code).join('、'), yuan(i.budgetFen), i.plannedStart, i.plannedEnd, RULES_ZH[i.progressRule], i.weight]);
    for (const t of i.targets) wt.addRow([i.code, t.metric, t.unit, KINDS_ZH[t.kind], t.baseline, t.target, t.weight]);
    for (const m of i.milestones) wm.addRow([i.code, m.title, m.plannedOn]);
  }
  for (const ws of [wi, wt, wm]) {
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    ws.columns.forEach((c) => {
      c.width = 14;
    });
  }
  wi.getColumn(4).width = 40;
  wi.getColumn(1).numFmt = '@';
  wi.getColumn(2).numFmt = '@';
  wt.getColumn(1).numFmt = '@';
  wm.getColumn(1).numFmt = '@';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('').trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('text' in v) return String(v.text).trim();
    return '';
  }
  return String(v).trim();
}
const list = (s: string) => s.split(/[、,，;；\s]+/).map((x) => x.trim()).filter(Boolean);
const num = (s: string): number => (s === '' ? Number.NaN : Number(s));
const fromZh = <T extends string>(map: Record<T, string>, s: string): T | string => (Object.entries(map).find(([, zh]) => zh === s)?.[0] as T | undefined) ?? s;

export interface RowProblem extends Problem {
  sheet: string;
  row: number;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  items: number;
  created: number;
  updated: number;
  problems: RowProblem[];
}

/** Reads the template and imports it in one transaction; any problem and nothing is saved (400 with the per-row report). */
export async function importItems(deps: service.ProjectsDeps, actor: AnyActor, year: number, file: Buffer, opts: { dryRun: boolean }): Promise<ImportResult> {
  assertCan(actor, 'projects.manage');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw invalid({ zh: '文件不是有效的 Excel（.xlsx）工作簿', en: 'The file is not a valid Excel (.xlsx) workbook' });
  }
  const problems: RowProblem[] = [];
  const sheet = (name: string, cols: readonly string[]) => {
    const ws = wb.getWorksheet(name);
    if (!ws) {
      problems.push({ sheet: name, row: 0, field: 'sheet', zh: `缺少工作表“${name}”`, en: `Sheet "${name}" is missing` });
      return [];
    }
    const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(cellText);
    cols.forEach((c, k) => {
      if (header[k] !== c) problems.push({ sheet: name, row: 1, field: c, zh: `第 ${k + 1} 列应为“${c}”`, en: `Column ${k + 1} should be "${c}"` });
    });
    const rows: { row: number; cells: string[] }[] = [];
    ws.eachRow((r, n) => {
      if (n === 1) return;
      const cells = cols.map((_, k) => cellText(r.getCell(k + 1).value));
      if (cells.some((c) => c !== '')) rows.push({ row: n, cells });
    });
    return rows;
  };
  const itemRows = sheet('事项', ITEM_COLUMNS);
  const targetRows = sheet('目标', TARGET_COLUMNS);
  const milestoneRows = sheet('节点', MILESTONE_COLUMNS);
  if (problems.length) throw invalid({ zh: '模板格式不对，请使用导出的模板', en: 'The workbook does not follow the template; start from an export' }, { problems });

  const bodies: { row: number; body: ItemBody }[] = [];
  const codes = new Map<string, number>();
  for (const { row, cells } of itemRows) {
    const [code, parentCode, categoryCode, title, description, owner, coUnits, areaCodes, budget, start, end, rule, weight] = cells as [string, string, string, string, string, string, string, string, string, string, string, string, string];
    if (codes.has(code)) problems.push({ sheet: '事项', row, field: '编号', zh: `编号 ${code} 与第 ${codes.get(code)} 行重复`, en: `Code ${code} repeats row ${codes.get(code)}` });
    codes.set(code, row);
    const yuanValue = num(budget === '' ? '0' : budget);
    if (!Number.isFinite(yuanValue) || Math.abs(yuanValue * 100 - Math.round(yuanValue * 100)) > 1e-6) {
      problems.push({ sheet: '事项', row, field: '预算（元）', zh: '预算须为金额（元，最多两位小数）', en: 'The budget must be an amount in yuan with at most two decimals' });
    }
    const raw = {
      code,
      parentCode: parentCode || null,
      categoryCode,
      title,
      description,
      ownerDepartment: owner,
      coUnits: list(coUnits),
      areaCodes: list(areaCodes),
      budgetFen: Number.isFinite(yuanValue) ? Math.round(yuanValue * 100) : 0,
      plannedStart: start,
      plannedEnd: end,
      progressRule: fromZh(RULES_ZH, rule),
      weight: weight === '' ? 1 : num(weight),
      targets: targetRows.filter((t) => t.cells[0] === code).map((t) => ({ metric: t.cells[1], unit: t.cells[2], kind: fromZh(KINDS_ZH, t.cells[3]!), baseline: num(t.cells[4]!), target: num(t.cells[5]!), weight: t.cells[6] === '' ? 1 : num(t.cells[6]!) })),
      milestones: milestoneRows.filter((m) => m.cells[0] === code).map((m) => ({ title: m.cells[1], plannedOn: m.cells[2] })),
    };
    const parsed = ItemBody.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const path = issue.path.map(String);
        const [head, idx] = path;
        if ((head === 'targets' || head === 'milestones') && idx !== undefined) {
          const src = (head === 'targets' ? targetRows : milestoneRows).filter((t) => t.cells[0] === code)[Number(idx)];
          problems.push({ sheet: head === 'targets' ? '目标' : '节点', row: src?.row ?? row, field: path.slice(2).join('.') || head, zh: `格式不正确：${issue.message}`, en: `Invalid: ${issue.message}` });
        } else {
          problems.push({ sheet: '事项', row, field: path.join('.'), zh: `“${path.join('.')}”格式不正确：${issue.message}`, en: `"${path.join('.')}" is invalid: ${issue.message}` });
        }
      }
      continue;
    }
    bodies.push({ row, body: parsed.data });
  }
  for (const t of targetRows) if (!codes.has(t.cells[0]!)) problems.push({ sheet: '目标', row: t.row, field: '事项编号', zh: `事项 ${t.cells[0]} 不在“事项”表中`, en: `Item ${t.cells[0]} is not on the Items sheet` });
  for (const m of milestoneRows) if (!codes.has(m.cells[0]!)) problems.push({ sheet: '节点', row: m.row, field: '事项编号', zh: `事项 ${m.cells[0]} 不在“事项”表中`, en: `Item ${m.cells[0]} is not on the Items sheet` });

  const depth = (c: string) => c.split('.').length;
  bodies.sort((a, b) => depth(a.body.code) - depth(b.body.code));
  let created = 0;
  let updated = 0;
  const rollback = new Error('dry run');
  try {
    await deps.db.transaction(async (tx) => {
      const ctx = await service.itemContext(tx, actor.districtCode, year);
      for (const { row, body } of bodies) {
        for (const p of service.checkItem(ctx, body)) {
          const m = /^targets\.(\d+)\.(.*)$/.exec(p.field);
          const src = m ? targetRows.filter((t) => t.cells[0] === body.code)[Number(m[1])] : undefined;
          problems.push({ ...p, sheet: src ? '目标' : '事项', row: src?.row ?? row });
        }
        if (body.parentCode && !codes.has(body.parentCode)) {
          // the parent may already exist in the programme
          if (!(await repo.findItemByCode(tx, ctx.programme.id, body.parentCode))) problems.push({ sheet: '事项', row, field: '上级编号', zh: `上级事项 ${body.parentCode} 不存在`, en: `Parent item ${body.parentCode} does not exist` });
        }
      }
      if (problems.length) throw rollback;
      for (const { row, body } of bodies) {
        try {
          const r = await service.saveItemInside(deps, tx, actor, ctx, body, { isDemo: false, source: 'import', allowExisting: true });
          if (r.created) created += 1;
          else updated += 1;
        } catch (e) {
          const t = e as { text?: { zh: string; en: string } };
          problems.push({ sheet: '事项', row, field: '编号', zh: t.text?.zh ?? '保存失败', en: t.text?.en ?? 'Could not be saved' });
          throw rollback;
        }
      }
      if (opts.dryRun) throw rollback;
    });
  } catch (e) {
    if (e !== rollback) throw e;
  }
  if (problems.length) {
    problems.sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : a.sheet < b.sheet ? -1 : 1));
    throw invalid(
      { zh: `导入未完成：发现 ${problems.length} 处问题，未保存任何数据`, en: `Nothing imported: ${problems.length} problem(s) found, nothing was saved` },
      { problems },
    );
  }
  return { ok: true, dryRun: opts.dryRun, items: bodies.length, created, updated, problems: [] };
}
