/** `minsheng siting`: where the next k facilities should go (greedy maximum coverage, CELF). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { facilitiesService } from '../../domain/facilities';
import { integerIn, numberIn } from '../args';
import { leaf, run, type CliContext } from '../context';
import { CliError, EXIT } from '../errors';
import { table, type CommandOutcome } from '../output';
import { checkStandard, standardOptions, type StandardOptions } from './coverage';

interface SitingOptions extends StandardOptions {
  add: number;
  candidates?: string;
  spacing?: number;
  capacity?: number;
  respectCapacity?: boolean;
  crs: 'wgs84' | 'gcj02' | 'bd09';
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const n0 = (v: number) => Math.round(v).toLocaleString('en-US');

export function sitingCommand(program: Command, ctx: CliContext): void {
  standardOptions(leaf(program, 'siting', '选址建议：新增 k 处设施覆盖最多尚未覆盖的人 / propose k new sites that newly cover the most people'), false)
    .requiredOption('--add <k>', '新增设施数 / number of new sites', integerIn(1, 50, { zh: '新增数', en: 'k' }))
    .option('--candidates <file>', '候选点文件（CSV: lon,lat[,capacity]；或 GeoJSON 点）；不给则在未覆盖区域按网格生成 / candidate sites (CSV or GeoJSON points); default: a lattice over the uncovered areas')
    .option('--crs <crs>', '候选点坐标系 / candidate coordinates: wgs84 | gcj02 | bd09', 'wgs84')
    .option('--spacing <m>', '生成候选点的网格间距（米，默认服务半径的 1/4）/ lattice spacing (default reach ÷ 4)', numberIn(25, 5000, { zh: '间距', en: 'spacing' }))
    .option('--capacity <n>', '每处新设施的容量（人）/ capacity of each new site (people)', integerIn(1, 1_000_000, { zh: '容量', en: 'capacity' }))
    .option('--respect-capacity', '每处最多计入其容量人数 / a site counts at most its capacity')
    .addHelpText('after', '\n例 / e.g.: minsheng siting --type ev_charger --add 5\n         minsheng siting --type meal_point --add 3 --candidates sites.csv --respect-capacity\n')
    .action(run(ctx, (opts: SitingOptions) => siting(ctx, opts)));
}

async function siting(ctx: CliContext, opts: SitingOptions): Promise<CommandOutcome> {
  checkStandard(opts);
  if (!['wgs84', 'gcj02', 'bd09'].includes(opts.crs)) throw new CliError('usage', { zh: '--crs 应为 wgs84、gcj02 或 bd09', en: '--crs is wgs84, gcj02 or bd09' }, undefined, EXIT.usage);
  let candidates: { lon: number; lat: number; capacity?: number }[] | undefined;
  if (opts.candidates) {
    let text: string;
    try {
      text = await readFile(opts.candidates, 'utf8');
    } catch (e) {
      throw new CliError('file_unreadable', { zh: `无法读取候选点文件“${opts.candidates}”：${(e as Error).message}`, en: `Cannot read the candidate file "${opts.candidates}": ${(e as Error).message}` });
    }
    candidates = facilitiesService.parseCandidates(/\.(geo)?json$/i.test(opts.candidates) ? 'geojson' : 'csv', text);
  }
  const { deps } = await ctx.session.open();
  const s = await facilitiesService.siting(deps, ctx.session.actor(), {
    type: opts.type,
    add: opts.add,
    crs: opts.crs,
    respectCapacity: !!opts.respectCapacity,
    ...(opts.radius !== undefined ? { radius: opts.radius } : {}),
    ...(opts.minutes !== undefined ? { minutes: opts.minutes } : {}),
    ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
    ...(opts.detour !== undefined ? { detour: opts.detour } : {}),
    ...(opts.population ? { population: opts.population } : {}),
    ...(candidates ? { candidates } : {}),
    ...(opts.spacing !== undefined ? { spacing: opts.spacing } : {}),
    ...(opts.capacity !== undefined ? { capacity: opts.capacity } : {}),
  });
  const text = [
    `${s.type.name} ${s.type.code} — ${s.standard.description.zh}；人群 ${s.population.groupName.zh}${s.population.isDemo ? '（演示数据 demo）' : ''}`,
    `候选点 candidates: ${s.candidates.count}（${s.candidates.source === 'given' ? '给定 given' : `网格生成 lattice ${s.candidates.spacingM} m`}；区外舍弃 outside the district ${s.candidates.outsideDistrict}）；增益计算 evaluations: ${s.evaluations}`,
    `覆盖率 coverage: ${pct(s.before.coverageRate)} → ${pct(s.after.coverageRate)}（未覆盖 uncovered ${n0(s.before.uncovered)} → ${n0(s.after.uncovered)}）`,
    '',
    table(
      ['序 #', '经度 lon', '纬度 lat', '街道 subdistrict', '网格 grid cell', '新增覆盖 gain', '累计 cumulative', '覆盖率 rate'],
      s.sites.map((x) => [String(x.rank), x.lon.toFixed(6), x.lat.toFixed(6), x.subdistrict?.name ?? '—', x.gridCell?.name ?? '—', n0(x.gain), n0(x.cumulative), pct(x.coverageRateAfter)]),
    ),
    '',
    s.guarantee.zh,
    s.guarantee.en,
  ].join('\n');
  return { data: s, text };
}
