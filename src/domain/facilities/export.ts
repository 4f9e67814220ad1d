/** The coverage KPI table and the uncovered places as an Excel workbook (exceljs). */
import ExcelJS from 'exceljs';
import type { CoverageReport } from './service';

const LEVEL_ZH = { subdistrict: '街道', community: '社区', grid_cell: '网格', district: '区' } as const;

export async function coverageWorkbook(r: CoverageReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'minsheng';
  const info = wb.addWorksheet('说明 About');
  info.addRows([
    ['设施类型 Facility type', `${r.type.name} ${r.type.code}`],
    ['服务标准 Standard', `${r.standard.description.zh} / ${r.standard.description.en}`],
    ['服务半径（米）Reach (m)', r.standard.reachM],
    ['人群 Population', `${r.population.groupName.zh} / ${r.population.groupName.en}`],
    ['人口来源 Source', `${r.population.source}${r.population.isDemo ? '（演示数据 demo）' : ''}`],
    ['结论 Answer', r.answer.zh],
    ['', r.answer.en],
  ]);
  info.getColumn(1).width = 26;
  info.getColumn(2).width = 100;

  const kpi = wb.addWorksheet('覆盖率 Coverage');
  kpi.columns = [
    { header: `${LEVEL_ZH[r.level]} area`, key: 'name', width: 24 },
    { header: '编码 code', key: 'code', width: 18 },
    { header: '人口 people', key: 'people', width: 12 },
    { header: '已覆盖 covered', key: 'covered', width: 14 },
    { header: '未覆盖 uncovered', key: 'uncovered', width: 16 },
    { header: '覆盖率 coverage rate', key: 'rate', width: 18, style: { numFmt: '0.0%' } },
    { header: '未覆盖点位 uncovered places', key: 'places', width: 16 },
    { header: '设施数 facilities', key: 'facilities', width: 14 },
    { header: '面积 km²', key: 'area', width: 12 },
    { header: '每平方公里座数 per km²', key: 'perKm2', width: 18 },
    { header: `容量 capacity (${r.type.capacityUnit})`, key: 'capacity', width: 16 },
    { header: '每千人容量 per 1,000', key: 'perK', width: 16 },
  ];
  for (const row of r.rows) {
    kpi.addRow({ name: row.name, code: row.code, people: row.people, covered: row.covered, uncovered: row.uncovered, rate: row.coverageRate, places: row.uncoveredPlaces, facilities: row.facilities, area: row.areaKm2, perKm2: row.perKm2, capacity: row.capacity, perK: row.capacityPerThousand });
  }
  const t = r.totals;
  kpi.addRow({ name: '合计 total', people: t.people, covered: t.covered, uncovered: t.uncovered, rate: t.coverageRate, places: t.uncoveredPlaces, facilities: t.facilities, area: t.areaKm2, perKm2: t.perKm2, capacity: t.capacity, perK: t.capacityPerThousand }).font = { bold: true };
  kpi.getRow(1).font = { bold: true };

  const un = wb.addWorksheet('未覆盖 Uncovered');
  un.columns = [
    { header: '点位 place (masked)', key: 'label', width: 22 },
    { header: '网格 grid cell', key: 'cell', width: 26 },
    { header: '社区 community', key: 'community', width: 18 },
    { header: '街道 subdistrict', key: 'subdistrict', width: 16 },
    { header: '人数 people', key: 'people', width: 10 },
    { header: '最近设施直线距离 m', key: 'nearest', width: 18 },
  ];
  for (const u of r.uncovered) {
    un.addRow({ label: u.label, cell: u.gridCell?.name, community: u.community?.name, subdistrict: u.subdistrict?.name, people: u.people, nearest: u.nearestStraightM });
  }
  un.getRow(1).font = { bold: true };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
