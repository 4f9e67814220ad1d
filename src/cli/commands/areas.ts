/**
 * `minsheng areas …`: the division tree (区 → 街道 → 社区 → 网格), boundary import, the point
 * lookup. Every command calls areasService, exactly as the HTTP routes do.
 */
import { type Command, Option } from 'commander';
import { accessService } from '../../domain/access';
import { AREA_LEVELS, CRS_VALUES, areasService, type AreaLevel, type Crs, type GeoJsonImportResult } from '../../domain/areas';
import { notFound } from '../../shared/errors';
import { numberIn, parseAreaCode, parseDistrictCode } from '../args';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import { readGeoJsonFile } from '../geojson-file';
import { LEVEL_NAMES, levelLabel, table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';

const LEVEL_HELP = `层级 / level（${AREA_LEVELS.map((l) => LEVEL_NAMES[l].zh).join('、')}）`;
const CRS_HELP = '坐标系 / coordinate system（wgs84: GPS、天地图、OSM；gcj02: 高德、腾讯、DataV；bd09: 百度）';

export function areasCommands(program: Command, ctx: CliContext): void {
  const areas = program.command('areas').description('区划与边界 / divisions, boundaries, point lookup');

  leaf(areas, 'import-division', '从国家统计局区划代码导入 区 → 街道 → 社区 / import district → subdistricts → communities from the national statistical codes')
    .argument('<districtCode>', '6 位区县代码 / 6-digit district code, e.g. 370202', parseDistrictCode)
    .action(run(ctx, (districtCode: string, opts: JsonOption) => importDivision(ctx, districtCode, opts)));

  leaf(areas, 'list', '列出下级区域 / list the child areas of an area')
    .option('--parent <code>', '上级区划代码（默认本区）/ parent area code (default: the configured district)', parseAreaCode)
    .action(run(ctx, (opts: { parent?: string } & JsonOption) => listAreas(ctx, opts)));

  leaf(areas, 'import-geojson', '导入某一层级的边界（GeoJSON）/ import the boundaries of one level from a GeoJSON file')
    .argument('<file>', 'GeoJSON FeatureCollection 文件 / file')
    .addOption(new Option('--level <level>', LEVEL_HELP).choices(AREA_LEVELS).makeOptionMandatory())
    .option('--code-property <name>', '要素中区划代码的属性名 / feature property holding the area code', 'code')
    .option('--name-property <name>', '要素中名称的属性名（仅用于新建网格）/ property holding the name (new grid cells)', 'name')
    .addOption(new Option('--crs <crs>', CRS_HELP).choices(CRS_VALUES).default('wgs84'))
    .option('--dry-run', '只检查，不写入 / check only, write nothing')
    .addHelpText(
      'after',
      '\n退出码 / exit codes: 0 全部导入 all imported; 2 部分要素被拒绝（其余已导入）some features rejected (the valid ones were imported); 1 致命错误 fatal error\n',
    )
    .action(
      run(ctx, (file: string, opts: ImportGeoJsonOptions) => importGeoJson(ctx, file, opts)),
    );

  leaf(areas, 'locate', '坐标定位到网格、社区、街道 / which grid cell, community and subdistrict a point lies in')
    .requiredOption('--lon <x>', '经度 / longitude', numberIn(-180, 180, { zh: '经度', en: 'longitude' }))
    .requiredOption('--lat <y>', '纬度 / latitude', numberIn(-90, 90, { zh: '纬度', en: 'latitude' }))
    .addOption(new Option('--crs <crs>', CRS_HELP).choices(CRS_VALUES).default('wgs84'))
    .action(run(ctx, (opts: { lon: number; lat: number; crs: Crs } & JsonOption) => locate(ctx, opts)));

  leaf(areas, 'export-geojson', '导出某一层级的边界（WGS-84 GeoJSON，输出到标准输出）/ export the boundaries of one level as WGS-84 GeoJSON on stdout')
    .addOption(new Option('--level <level>', LEVEL_HELP).choices(AREA_LEVELS).makeOptionMandatory())
    .action(run(ctx, (opts: { level: AreaLevel } & JsonOption) => exportGeoJson(ctx, opts)));
}

async function importDivision(ctx: CliContext, districtCode: string, opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const bar = progressBar('导入区划 / importing divisions', !opts.json);
  let result;
  try {
    result = await areasService.importDivision(deps, ctx.session.actor(districtCode), districtCode, (done, total) => bar.update(done, total));
    // A new district also needs its departments (城管, 住建, 民政 …) before users can be bound to them.
    await deps.db.transaction((tx) => accessService.seedDepartments(tx, districtCode));
  } finally {
    bar.stop();
  }
  if (districtCode !== ctx.session.districtCode) {
    ctx.note(
      `注意：${districtCode} 不是配置的本区 ${ctx.session.districtCode}；服务器与其他命令使用 MINSHENG_DISTRICT=${districtCode} 时才会看到它`,
      `note: ${districtCode} is not the configured district ${ctx.session.districtCode}; the server and other commands see it with MINSHENG_DISTRICT=${districtCode}`,
    );
  }
  return {
    data: result,
    text: [
      `已导入区划 / division imported: ${result.district.name} ${result.district.code}`,
      `  街道 subdistricts: ${result.subdistricts}   社区 communities: ${result.communities}`,
      `  新增 inserted: ${result.inserted}   更新 updated: ${result.updated}`,
    ].join('\n'),
  };
}

async function listAreas(ctx: CliContext, opts: { parent?: string } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const district = ctx.session.districtCode;
  const parentCode = opts.parent ?? district;
  const actor = ctx.session.actor();
  const items = await areasService.listAreas(deps, actor, parentCode);
  const parent = await areasService.findArea(deps.db, district, parentCode);
  // An unknown parent is an error, except the district itself before anything was imported.
  if (!parent && parentCode !== district) throw notFound({ zh: `区域 ${parentCode}`, en: `Area ${parentCode}` });

  const data = items.map((a) => ({ code: a.code, name: a.name, level: a.level, parentCode: a.parentCode, statisticalCode: a.statisticalCode }));
  const title = parent ? `${parent.name} ${parent.code}` : parentCode;
  let text: string;
  if (items.length === 0) {
    text = parent
      ? `${title} 没有下级区域 / has no child areas`
      : [
          `本区 ${district} 还没有区划数据 / the district ${district} has no areas yet. 可运行 / run:`,
          `  minsheng areas import-division ${district}    导入真实区划 / import the real division codes`,
          `  minsheng seed demo                       生成演示区 / seed the demo district`,
        ].join('\n');
  } else {
    text = [
      `${title} 的下级区域 / child areas (${items.length}):`,
      table(
        ['代码 code', '名称 name', '层级 level', '下级 children', '边界 boundary'],
        items.map((a) => [a.code, a.name, levelLabel(a.level), String(a.childCount), a.hasGeometry ? (a.isDemo ? '演示 demo' : '有 yes') : '无 no']),
      ),
    ].join('\n');
  }
  return { data, text };
}

interface ImportGeoJsonOptions extends JsonOption {
  level: AreaLevel;
  codeProperty: string;
  nameProperty: string;
  crs: Crs;
  dryRun?: boolean;
}

async function importGeoJson(ctx: CliContext, file: string, opts: ImportGeoJsonOptions): Promise<CommandOutcome> {
  // Read and check the file before touching the database: a typo costs no cold start.
  const input = await readGeoJsonFile(file);
  if (input.note) ctx.note(input.note.zh, input.note.en);
  const features = (input.collection as { features?: unknown })?.features;
  if (Array.isArray(features) && features.length === 0) {
    throw new CliError('no_features', { zh: `文件“${file}”中没有任何要素`, en: `The file "${file}" has no features` });
  }
  const { deps } = await ctx.session.open();
  const bar = progressBar(`导入${LEVEL_NAMES[opts.level].zh}边界 / importing ${LEVEL_NAMES[opts.level].en} boundaries`, !opts.json);
  let result: GeoJsonImportResult;
  try {
    result = await areasService.importGeoJson(
      deps,
      ctx.session.actor(),
      {
        level: opts.level,
        collection: input.collection,
        codeProperty: opts.codeProperty,
        nameProperty: opts.nameProperty,
        crs: opts.crs,
        source: `cli:${file.split(/[\\/]/).pop()}`,
        dryRun: !!opts.dryRun,
      },
      (done, total) => bar.update(done, total),
    );
  } finally {
    bar.stop();
  }
  const accepted = result.features - result.rejected.length;
  const lines = [
    `${result.dryRun ? '检查边界（未写入）/ boundary check (dry run, nothing written)' : '导入边界 / boundary import'}: ${levelLabel(result.level)}, ${opts.crs}${opts.crs === 'wgs84' ? '' : ' → wgs84'}`,
    `  要素 features: ${result.features}   ${result.dryRun ? `可导入 would import: ${accepted}` : `已导入 imported: ${result.imported}`}   新建 created: ${result.created}   被拒绝 rejected: ${result.rejected.length}`,
  ];
  if (result.rejected.length > 0) {
    lines.push('被拒绝的要素 / rejected features:');
    for (const r of result.rejected) {
      lines.push(`  #${r.index}  编码 code: ${r.code ?? '（无 none）'}`);
      for (const p of r.problems) lines.push(`      - [${p.code}] ${p.zh} / ${p.en}`);
    }
  }
  return { data: result, text: lines.join('\n'), exitCode: result.rejected.length > 0 ? EXIT.partial : EXIT.ok };
}

async function locate(ctx: CliContext, opts: { lon: number; lat: number; crs: Crs } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const result = await areasService.locatePoint(deps, ctx.session.districtCode, { lon: opts.lon, lat: opts.lat, crs: opts.crs });
  const at = `${opts.lon}, ${opts.lat} (${opts.crs})${opts.crs === 'wgs84' ? '' : ` → ${result.wgs84.map((v) => v.toFixed(6)).join(', ')} (wgs84)`}`;
  if (!result.inside) {
    return { data: result, text: `位置 / point ${at}\n  ${result.message.zh} / ${result.message.en}` };
  }
  const chain: [AreaLevel, { code: string; name: string } | null][] = [
    ['district', result.district],
    ['subdistrict', result.subdistrict],
    ['community', result.community],
    ['grid_cell', result.gridCell],
  ];
  const rows = chain.filter(([, a]) => a).map(([level, a]) => [levelLabel(level), a!.name, a!.code]);
  return { data: result, text: [`位置 / point ${at}`, table(['层级 level', '名称 name', '代码 code'], rows)].join('\n') };
}

async function exportGeoJson(ctx: CliContext, opts: { level: AreaLevel } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const collection = await areasService.areasGeoJson(deps, ctx.session.actor(), opts.level);
  // GeoJSON is the product either way; without --json it is printed compactly, one document.
  return { data: collection, text: JSON.stringify(collection) };
}
