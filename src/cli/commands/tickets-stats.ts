/**
 * `minsheng tickets stats …`: 三率 and friends, the daily summary behind them, and the 环比 / 同比
 * of ticket counts per category — the same use cases the dashboard calls, acting as the system.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { STAT_DIMENSIONS, categoryTrend, refreshTicketStats, ticketStats, type StatDimension, type TicketStatsFigures } from '../../domain/tickets/stats';
import { formatChange, formatRate, isLocalDate, isMonth, type Rate } from '../../domain/tickets/core/rates';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import { table, type CommandOutcome } from '../output';

const BY_NAMES: Record<StatDimension, string> = {
  unit: '承办单位 unit',
  subdistrict: '街道 subdistrict',
  community: '社区 community',
  category: '类别 category',
  channel: '渠道 channel',
  type: '类型 type',
};

function localDate(value: string): string {
  if (!isLocalDate(value)) throw new InvalidArgumentError('日期应为 YYYY-MM-DD 的真实日期（北京时间）/ a date is YYYY-MM-DD, a real calendar day (Asia/Shanghai)');
  return value;
}

function month(value: string): string {
  if (!isMonth(value)) throw new InvalidArgumentError('月份应为 YYYY-MM / a month is YYYY-MM');
  return value;
}

/** Adds the statistics commands to the `tickets` group. */
export function ticketsStatsCommands(tickets: Command, ctx: CliContext): void {
  leaf(tickets, 'stats', '三率统计：响应率、解决率、满意率，按时办结率、退单率、重办率 / response, resolution and satisfaction rates and friends')
    .requiredOption('--from <date>', '起始日期（含）/ first local day, YYYY-MM-DD', localDate)
    .requiredOption('--to <date>', '结束日期（不含）/ day after the last, YYYY-MM-DD (exclusive)', localDate)
    .addOption(new Option('--by <dimension>', '分组 / group by').choices(STAT_DIMENSIONS).default('unit'))
    .option('--live', '全部从事件实时计算，不用每日汇总 / count every day from the events, not the daily summary')
    .addHelpText('after', '\n例 / e.g.: minsheng tickets stats --from 2025-12-01 --to 2026-01-01 --by subdistrict\n')
    .action(run(ctx, (opts: StatsOptions) => stats(ctx, opts)));

  leaf(tickets, 'stats-refresh', '刷新每日统计汇总（每晚运行；可重复运行）/ refresh the daily statistics summary (nightly; safe to repeat)')
    .option('--full', '从全部事件重建 / rebuild from the whole log')
    .action(run(ctx, (opts: { full?: boolean } & JsonOption) => refresh(ctx, opts)));

  leaf(tickets, 'category-trend', '各类别诉求量的环比、同比 / tickets per category against the month before and a year before')
    .requiredOption('--month <month>', '月份 / month, YYYY-MM', month)
    .action(run(ctx, (opts: { month: string } & JsonOption) => trend(ctx, opts)));
}

interface StatsOptions extends JsonOption {
  from: string;
  to: string;
  by: StatDimension;
  live?: boolean;
}

const cell = (r: Rate) => (r.rate === null ? '—' : `${formatRate(r)} (${r.num}/${r.den})`);

function figureCells(f: TicketStatsFigures): string[] {
  return [String(f.dispatched), cell(f.responseRate), cell(f.resolutionRate), cell(f.satisfactionRate), cell(f.onTimeRate), cell(f.returnRate), cell(f.reopenRate), cell(f.callReportOnTimeRate), String(f.received)];
}

async function stats(ctx: CliContext, opts: StatsOptions): Promise<CommandOutcome> {
  // A reversed period is a usage error too: refused before the database is opened.
  if (opts.from >= opts.to) {
    throw new CliError(
      'usage',
      { zh: `--from ${opts.from} 应早于 --to ${opts.to}（不含）`, en: `--from ${opts.from} must be before --to ${opts.to} (exclusive)` },
      undefined,
      EXIT.usage,
    );
  }
  const { deps } = await ctx.session.open();
  const s = await ticketStats(deps, ctx.session.actor(), { from: opts.from, to: opts.to, by: opts.by, ...(opts.live ? { live: true } : {}) });
  const header = [BY_NAMES[opts.by], '派单 dispatched', '响应率 response', '解决率 resolution', '满意率 satisfaction', '按时 on time', '退单 returns', '重办 reopens', '报到及时 call reports', '受理 received'];
  const source = [
    s.source.summaryDays ? `汇总 summary ${s.source.summaryDays.from} … ${s.source.summaryDays.to}（刷新于 refreshed ${s.source.summaryRefreshedAt}）` : null,
    s.source.liveDays ? `实时 live ${s.source.liveDays.from} … ${s.source.liveDays.to}` : null,
  ].filter(Boolean);
  const text =
    s.rows.length === 0
      ? `${s.from} … ${s.to}（不含 exclusive）没有诉求事件 / no ticket events in the period`
      : [
          `诉求统计 / ticket statistics ${s.from} … ${s.to}（不含 exclusive），按 by ${BY_NAMES[opts.by]}`,
          table(header, [...s.rows.map((r) => [r.key === null ? r.label : `${r.label} ${r.key}`, ...figureCells(r)]), ['合计 total', ...figureCells(s.totals)]]),
          `  数据 / source: ${source.join('; ')}`,
        ].join('\n');
  return { data: s, text };
}

async function refresh(ctx: CliContext, opts: { full?: boolean } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await refreshTicketStats(deps, ctx.session.actor(), { full: !!opts.full });
  return {
    data: r,
    text: [
      `统计汇总已刷新 / statistics summary refreshed${opts.full ? '（重建 full）' : ''}`,
      `  重算天数 days recomputed: ${r.days}   写入行 rows written: ${r.rowsWritten}   耗时 took: ${(r.ms / 1000).toFixed(1)} s`,
      `  汇总截至 holds days through: ${r.throughDay}`,
    ].join('\n'),
  };
}

async function trend(ctx: CliContext, opts: { month: string } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const t = await categoryTrend(deps, ctx.session.actor(), { month: opts.month });
  const text =
    t.rows.length === 0
      ? `${t.month}、${t.previousMonth}、${t.sameMonthLastYear} 都没有受理诉求 / no tickets received in these months`
      : [
          `各类别受理量 / tickets received per category: ${t.month}`,
          table(
            ['类别 category', `${t.month}`, `${t.previousMonth}`, '环比 vs month before', `${t.sameMonthLastYear}`, '同比 vs year before'],
            [...t.rows, { key: null, label: '合计 total', ...t.totals }].map((r) => [
              r.key === null ? r.label : `${r.label} ${r.key}`,
              String(r.count),
              String(r.monthOnMonth.previous),
              formatChange(r.monthOnMonth),
              String(r.yearOnYear.previous),
              formatChange(r.yearOnYear),
            ]),
          ),
        ].join('\n');
  return { data: t, text };
}
