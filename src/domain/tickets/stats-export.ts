/**
 * The 三率 table as an Excel workbook, for the monthly report a leader forwards: every rate with
 * its numerator and denominator beside it, the totals last, the period and source in a header.
 */
import ExcelJS from 'exceljs';
import type { Rate } from './core/rates';
import type { TicketStats, TicketStatsFigures } from './stats';

const BY_ZH: Record<TicketStats['by'], string> = {
  unit: '承办单位',
  subdistrict: '街道',
  community: '社区',
  category: '诉求分类',
  channel: '渠道',
  type: '诉求类型',
};

const RATES: [keyof TicketStatsFigures, string][] = [
  ['responseRate', '响应率'],
  ['resolutionRate', '解决率'],
  ['satisfactionRate', '满意率'],
  ['onTimeRate', '按期办结率'],
  ['returnRate', '退单率'],
  ['reopenRate', '重办率'],
  ['callReportOnTimeRate', '吹哨报到及时率'],
];

export async function statsWorkbook(stats: TicketStats): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng 民生';
  const ws = wb.addWorksheet('三率');
  ws.addRow([`诉求办理统计（${stats.from} 至 ${stats.to}，不含结束日）按${BY_ZH[stats.by]}`]).font = { bold: true, size: 14 };
  ws.addRow([`口径：由诉求事件计算；${stats.source.summaryRefreshedAt ? `日汇总更新于 ${stats.source.summaryRefreshedAt}` : '全部实时计算'}`]);
  const header = [BY_ZH[stats.by], '受理量', '派单量', ...RATES.flatMap(([, name]) => [name, `${name}分子`, `${name}分母`])];
  const head = ws.addRow(header);
  head.font = { bold: true };
  const cells = (f: TicketStatsFigures) => [f.received, f.dispatched, ...RATES.flatMap(([k]) => {
    const r = f[k] as Rate;
    return [r.rate, r.num, r.den];
  })];
  for (const row of stats.rows) ws.addRow([row.label, ...cells(row)]);
  const total = ws.addRow(['合计', ...cells(stats.totals)]);
  total.font = { bold: true };
  // Rates as percentages with one decimal; raw counts as integers.
  RATES.forEach((_, i) => {
    ws.getColumn(4 + i * 3).numFmt = '0.0%';
  });
  ws.getColumn(1).width = 24;
  ws.views = [{ state: 'frozen', ySplit: 3, xSplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
