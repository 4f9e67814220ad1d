/**
 * `minsheng facilities …`: the facility registry (types, list, imports with a per-row report,
 * QR codes), population points and road networks for coverage, and the demo data.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { createRng } from '../../domain/areas';
import { FACILITY_STATUSES, facilitiesService, type ImportReport } from '../../domain/facilities';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import { readGeoJsonFile } from '../geojson-file';
import { table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';

const CRS = ['wgs84', 'gcj02', 'bd09'] as const;
const CRS_HELP = '坐标系 / coordinate system（wgs84: GPS、天地图；gcj02: 高德、腾讯；bd09: 百度）';
type Crs = (typeof CRS)[number];

export function facilitiesCommands(program: Command, ctx: CliContext): void {
  const f = program.command('facilities').description('服务圈设施 / facilities, population and road networks for coverage');

  leaf(f, 'types', '设施类型与默认服务标准 / facility types and their default standards').action(run(ctx, (opts: JsonOption) => types(ctx, opts)));

  leaf(f, 'list', '列出设施 / list facilities')
    .option('--type <type>', '设施类型 / type code')
    .addOption(new Option('--status <status>', '状态 / status').choices(FACILITY_STATUSES))
    .option('--limit <n>', '条数 / how many', (v) => Math.max(1, Math.min(200, Number(v) || 50)), 50)
    .action(run(ctx, (opts: { type?: string; status?: (typeof FACILITY_STATUSES)[number]; limit: number } & JsonOption) => list(ctx, opts)));

  leaf(f, 'import', '导入设施（CSV、Excel .xlsx 或 GeoJSON 点），逐行校验 / import facilities, each row checked')
    .argument('<file>', '文件 / file (.csv, .xlsx, .geojson/.json)')
    .addOption(new Option('--format <format>', '格式（默认按扩展名）/ format (default: by extension)').choices(['csv', 'xlsx', 'geojson']))
    .addOption(new Option('--crs <crs>', CRS_HELP).choices(CRS).default('wgs84'))
    .option('--type <type>', '没有类型列时的设施类型 / type for rows that name none')
    .option('--dry-run', '只检查，不写入 / check only')
    .addHelpText('after', '\n列 / columns: 名称 name, 类型 type, 经度 lon, 纬度 lat, 容量 capacity, 开放时间 opening_hours, 管理单位 owner_unit, 状态 status, 编号 external_id, 地址 address\n退出码 / exit codes: 0 全部导入 all imported; 2 部分行被拒绝 some rows rejected; 1 致命错误 fatal\n')
    .action(run(ctx, (file: string, opts: { format?: 'csv' | 'xlsx' | 'geojson'; crs: Crs; type?: string; dryRun?: boolean } & JsonOption) => importFile(ctx, file, opts)));

  leaf(f, 'import-population', '导入人口点（经纬度）或网格人口（网格编码）/ import population points or per-grid counts')
    .argument('<file>', 'CSV 或 GeoJSON / CSV or GeoJSON')
    .addOption(new Option('--crs <crs>', CRS_HELP).choices(CRS).default('wgs84'))
    .option('--source <name>', '数据来源名（同名旧数据先删除）/ source name (earlier rows of it are replaced)', 'import')
    .option('--keep', '保留同名来源的旧数据 / keep earlier rows of the source')
    .option('--dry-run', '只检查，不写入 / check only')
    .addHelpText('after', '\n列 / columns: 经度 lon, 纬度 lat（或 网格编码 grid_cell）, 人数 people, 户数 households, aged60, aged70, children, disabled, 名称 label\n')
    .action(run(ctx, (file: string, opts: { crs: Crs; source: string; keep?: boolean; dryRun?: boolean } & JsonOption) => importPopulation(ctx, file, opts)));

  leaf(f, 'import-network', '导入路网或步行网（GeoJSON 线），用于路网距离 / import a road or footpath network (GeoJSON lines)')
    .argument('<file>', 'GeoJSON FeatureCollection of LineString / MultiLineString')
    .requiredOption('--name <name>', '路网名称 / network name')
    .addOption(new Option('--crs <crs>', CRS_HELP).choices(CRS).default('wgs84'))
    .action(run(ctx, (file: string, opts: { name: string; crs: Crs } & JsonOption) => importNetwork(ctx, file, opts)));

  leaf(f, 'qr', '设施的码上办二维码 / the QR code (码上办) of a facility')
    .argument('<id>', '设施 id / facility id')
    .requiredOption('--out <file>', '输出文件（.svg 或 .png）/ output file (.svg or .png)')
    .action(run(ctx, (id: string, opts: { out: string } & JsonOption) => qr(ctx, id, opts)));

  leaf(f, 'seed-demo', '生成演示人口与演示设施（已有则跳过）/ generate the demo population and facilities (skipped if present)')
    .action(run(ctx, (opts: JsonOption) => seedDemo(ctx, opts)));
}

async function types(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const { items } = await facilitiesService.listFacilityTypes(deps, ctx.session.actor());
  return {
    data: items,
    text: table(
      ['代码 code', '名称 name', '默认标准 default standard', '人群 group', '设施 facilities'],
      items.map((t) => [t.code, t.name, t.standard.description.zh, t.populationGroup, `${t.active}/${t.facilities}`]),
    ),
  };
}

async function list(ctx: CliContext, opts: { type?: string; status?: (typeof FACILITY_STATUSES)[number]; limit: number } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await facilitiesService.listFacilities(deps, ctx.session.actor(), { page: 1, pageSize: opts.limit, type: opts.type, status: opts.status, q: undefined });
  return {
    data: r,
    text: [
      `设施 facilities: ${r.total}（显示 showing ${r.items.length}）`,
      table(['id', '类型 type', '名称 name', '网格 grid cell', '容量 capacity', '状态 status'], r.items.map((x) => [x.id, x.type, x.name, x.gridCell?.name ?? '—', x.capacity === null ? '—' : String(x.capacity), x.status])),
    ].join('\n'),
  };
}

async function readContent(file: string, format: 'csv' | 'xlsx' | 'geojson'): Promise<string> {
  try {
    const buf = await readFile(file);
    if (format === 'xlsx') return buf.toString('base64');
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch (e) {
    if (e instanceof TypeError) throw new CliError('not_utf8', { zh: `“${file}”不是 UTF-8 编码（请另存为 UTF-8）`, en: `"${file}" is not UTF-8 (save it as UTF-8)` });
    throw new CliError('file_unreadable', { zh: `无法读取“${file}”：${(e as Error).message}`, en: `Cannot read "${file}": ${(e as Error).message}` });
  }
}

function formatOf(file: string, given?: 'csv' | 'xlsx' | 'geojson'): 'csv' | 'xlsx' | 'geojson' {
  if (given) return given;
  if (/\.xlsx$/i.test(file)) return 'xlsx';
  if (/\.(geo)?json$/i.test(file)) return 'geojson';
  if (/\.csv$/i.test(file)) return 'csv';
  throw new CliError('usage', { zh: `无法从扩展名判断“${file}”的格式，请加 --format`, en: `Cannot tell the format of "${file}" from its name; add --format` }, undefined, EXIT.usage);
}

function reportText(r: ImportReport, what: string): string {
  return [
    `${what}: 共 ${r.rows} 行 rows；导入 imported ${r.imported}（新增 inserted ${r.inserted}，更新 updated ${r.updated}）；拒绝 rejected ${r.rejected.length}${r.dryRun ? '（试运行，未写入 dry run）' : ''}`,
    ...r.rejected.slice(0, 50).map((x) => `  第 ${x.row} 行 row ${x.row}${x.name ? `（${x.name}）` : ''}: ${x.problems.map((p) => `${p.zh} / ${p.en}`).join('；')}`),
    ...(r.rejected.length > 50 ? [`  … 另有 ${r.rejected.length - 50} 行 / ${r.rejected.length - 50} more (--json lists all)`] : []),
  ].join('\n');
}

async function importFile(ctx: CliContext, file: string, opts: { format?: 'csv' | 'xlsx' | 'geojson'; crs: Crs; type?: string; dryRun?: boolean } & JsonOption): Promise<CommandOutcome> {
  const format = formatOf(file, opts.format);
  const content = await readContent(file, format);
  const { deps } = await ctx.session.open();
  const bar = progressBar('导入设施 / importing facilities', !opts.json);
  let r: ImportReport;
  try {
    r = await facilitiesService.importFacilities(
      deps,
      ctx.session.actor(),
      { format, content, crs: opts.crs, dryRun: !!opts.dryRun, ...(opts.type ? { type: opts.type } : {}), source: `import:${file.split('/').pop()}` },
      (done, total) => bar.update(done, total),
    );
  } finally {
    bar.stop();
  }
  return { data: r, text: reportText(r, '设施导入 facility import'), exitCode: r.rejected.length > 0 ? EXIT.partial : EXIT.ok };
}

async function importPopulation(ctx: CliContext, file: string, opts: { crs: Crs; source: string; keep?: boolean; dryRun?: boolean } & JsonOption): Promise<CommandOutcome> {
  const format = formatOf(file) === 'geojson' ? 'geojson' : 'csv';
  const content = await readContent(file, format);
  const { deps } = await ctx.session.open();
  const r = await facilitiesService.importPopulation(deps, ctx.session.actor(), { format, content, crs: opts.crs, source: opts.source, replace: !opts.keep, dryRun: !!opts.dryRun });
  return { data: r, text: `${reportText(r, '人口导入 population import')}\n  人数 people: ${r.people}`, exitCode: r.rejected.length > 0 ? EXIT.partial : EXIT.ok };
}

async function importNetwork(ctx: CliContext, file: string, opts: { name: string; crs: Crs } & JsonOption): Promise<CommandOutcome> {
  const input = await readGeoJsonFile(file);
  const { deps } = await ctx.session.open();
  const r = await facilitiesService.importNetwork(deps, ctx.session.actor(), { name: opts.name, geojson: input.collection, crs: opts.crs });
  return {
    data: r,
    text: `路网已导入 / network imported: ${r.name} — ${r.lines} 条线 lines, ${r.nodes} 节点 nodes, ${r.edges} 边 edges, ${r.lengthKm} km${r.rejected.length ? `；拒绝 rejected ${r.rejected.length}` : ''}`,
    exitCode: r.rejected.length > 0 ? EXIT.partial : EXIT.ok,
  };
}

async function qr(ctx: CliContext, id: string, opts: { out: string } & JsonOption): Promise<CommandOutcome> {
  const format = /\.png$/i.test(opts.out) ? 'png' : /\.svg$/i.test(opts.out) ? 'svg' : null;
  if (!format) throw new CliError('usage', { zh: '--out 应以 .svg 或 .png 结尾', en: '--out must end in .svg or .png' }, undefined, EXIT.usage);
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new CliError('usage', { zh: '设施 id 应为 UUID', en: 'a facility id is a UUID' }, undefined, EXIT.usage);
  const { deps } = await ctx.session.open();
  const detail = await facilitiesService.getFacility(deps, ctx.session.actor(), id);
  const out = await facilitiesService.facilityQrCode(deps, ctx.session.districtCode, id, format);
  await writeFile(opts.out, out);
  const url = facilitiesService.facilityReportUrl(deps.publicBaseUrl, { id, lon: detail.facility.lon, lat: detail.facility.lat, grid_cell_code: detail.facility.gridCell?.code ?? null, area_path: `/${ctx.session.districtCode}/` });
  return { data: { file: opts.out, url, facility: detail.facility.name }, text: `已写入 written: ${opts.out}\n  ${detail.facility.name} → ${url}` };
}

async function seedDemo(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await facilitiesService.seedDemoFacilities(deps, ctx.session.actor(), createRng(`facilities-${ctx.session.districtCode}`));
  return {
    data: r,
    text: r.facilities === 0 ? '演示设施已存在，跳过 / demo facilities exist already; nothing done' : `演示数据已生成 / demo data generated: ${r.facilities} 处设施 facilities, ${r.places} 处楼栋 buildings, ${r.people} 人 people（均标记为演示 all labelled demo）`,
  };
}
