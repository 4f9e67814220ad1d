/**
 * `minsheng coverage`: 服务圈 coverage of a facility type under a standard — the seeds'
 * question ("公用充电服务半径0.9公里全覆盖?") answered with the KPI table and the gaps.
 */
import { Option, type Command } from 'commander';
import { COVERAGE_LEVELS, POPULATION_GROUPS, facilitiesService, type CoverageReport, type PopulationGroup } from '../../domain/facilities';
import { integerIn, numberIn } from '../args';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import { table, type CommandOutcome } from '../output';

export interface StandardOptions extends JsonOption {
  type: string;
  radius?: number;
  minutes?: number;
  speed?: number;
  detour?: number;
  network?: boolean;
  population?: PopulationGroup;
}

export const LEVEL_LABEL = { subdistrict: '街道 subdistrict', community: '社区 community', grid_cell: '网格 grid cell' } as const;

/** The standard options shared by coverage and siting. */
export function standardOptions(cmd: Command, network: boolean): Command {
  cmd
    .requiredOption('--type <type>', '设施类型代码 / facility type code (minsheng facilities types), e.g. ev_charger')
    .option('--radius <m>', '服务半径（米，直线）/ radius in metres (straight line)', numberIn(10, 50_000, { zh: '半径', en: 'radius' }))
    .option('--minutes <n>', '出行时间（分钟）/ travel time in minutes', numberIn(0.5, 240, { zh: '分钟', en: 'minutes' }))
    .option('--speed <km/h>', '速度（公里/小时）/ speed in km/h', numberIn(1, 200, { zh: '速度', en: 'speed' }))
    .option('--detour <factor>', '绕行系数（直线距离×系数≈实际路程，默认随类型）/ detour factor', numberIn(1, 3, { zh: '绕行系数', en: 'detour factor' }))
    .addOption(new Option('--population <group>', '人群 / population group').choices(POPULATION_GROUPS));
  if (network) cmd.option('--network', '按已导入路网距离计算 / along the imported road network');
  return cmd;
}

export function checkStandard(opts: StandardOptions): void {
  if (opts.radius !== undefined && opts.minutes !== undefined) {
    throw new CliError('usage', { zh: '--radius 与 --minutes 只能给一个', en: 'give --radius or --minutes, not both' }, undefined, EXIT.usage);
  }
  if (opts.speed !== undefined && opts.minutes === undefined) {
    throw new CliError('usage', { zh: '--speed 需与 --minutes 一起使用', en: '--speed goes with --minutes' }, undefined, EXIT.usage);
  }
}

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const n0 = (v: number) => Math.round(v).toLocaleString('en-US');

export function coverageCommand(program: Command, ctx: CliContext): void {
  standardOptions(leaf(program, 'coverage', '服务圈覆盖率：某类设施在服务半径/时间内覆盖多少人、哪里没覆盖 / coverage of a facility type: who is within reach, and where not'), true)
    .addOption(new Option('--level <level>', '汇总层级 / table by').choices(COVERAGE_LEVELS).default('subdistrict'))
    .option('--limit <n>', '列出未覆盖点位数 / uncovered places to list', integerIn(0, 1000, { zh: '条数', en: 'limit' }), 20)
    .addHelpText('after', '\n例 / e.g.: minsheng coverage --type ev_charger --radius 900\n         minsheng coverage --type emergency_station --minutes 5 --speed 30\n         minsheng coverage --type meal_point --population aged60 --level community\n')
    .action(run(ctx, (opts: StandardOptions & { level: (typeof COVERAGE_LEVELS)[number]; limit: number }) => coverage(ctx, opts)));
}

async function coverage(ctx: CliContext, opts: StandardOptions & { level: (typeof COVERAGE_LEVELS)[number]; limit: number }): Promise<CommandOutcome> {
  checkStandard(opts);
  const { deps } = await ctx.session.open();
  const r = await facilitiesService.coverage(deps, ctx.session.actor(), {
    type: opts.type,
    level: opts.level,
    uncoveredLimit: opts.limit,
    ...(opts.radius !== undefined ? { radius: opts.radius } : {}),
    ...(opts.minutes !== undefined ? { minutes: opts.minutes } : {}),
    ...(opts.speed !== undefined ? { speed: opts.speed } : {}),
    ...(opts.detour !== undefined ? { detour: opts.detour } : {}),
    ...(opts.network ? { network: 'true' as const } : {}),
    ...(opts.population ? { population: opts.population } : {}),
  });
  return { data: r, text: coverageText(r) };
}

function coverageText(r: CoverageReport): string {
  const t = r.totals;
  return [
    `${r.type.name} ${r.type.code} — ${r.standard.description.zh} / ${r.standard.description.en}`,
    `人群 population: ${r.population.groupName.zh}${r.population.isDemo ? '（演示数据 demo data）' : ''}；来源 source: ${r.population.source}${r.network ? `；路网 network: ${r.network.name}（离网点 off-network ${r.network.offNetwork}）` : ''}`,
    '',
    r.answer.zh,
    r.answer.en,
    '',
    table(
      [LEVEL_LABEL[r.level], '人口 people', '覆盖率 rate', '未覆盖 uncovered', '设施 facilities', '每平方公里 per km²', `每千人容量 per 1,000 (${r.type.capacityUnit})`],
      [
        ...r.rows.map((x) => [x.name, n0(x.people), pct(x.coverageRate), n0(x.uncovered), String(x.facilities), x.perKm2 === null ? '—' : String(x.perKm2), x.capacityPerThousand === null ? '—' : String(x.capacityPerThousand)]),
        ['合计 total', n0(t.people), pct(t.coverageRate), n0(t.uncovered), String(t.facilities), t.perKm2 === null ? '—' : `${t.perKm2}${t.perKm2Target ? `（目标 target ${t.perKm2Target}）` : ''}`, t.capacityPerThousand === null ? '—' : String(t.capacityPerThousand)],
      ],
    ),
    '',
    `服务半径 reach: ${t.reachM} m；已覆盖者平均距离 mean distance of the covered: ${t.meanDistanceM ?? '—'} m`,
    ...(r.uncovered.length > 0
      ? [
          '',
          `未覆盖点位（人数最多的前 ${r.uncovered.length} 处，名称已脱敏）/ uncovered places, most people first (names masked):`,
          table(
            ['点位 place', '网格 grid cell', '人数 people', '最近设施 nearest (m)'],
            r.uncovered.map((u) => [u.label ?? '—', u.gridCell?.name ?? '—', n0(u.people), u.nearestStraightM === null ? '—' : String(u.nearestStraightM)]),
          ),
        ]
      : []),
  ].join('\n');
}
