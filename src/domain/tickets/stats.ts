/**
 * Ticket statistics: 三率 (响应率, 解决率, 满意率), the on-time, return and reopen rates, and the
 * 环比 / 同比 change of ticket counts per category. Counted from the event log only (see
 * stats.repo.ts for exactly what counts); each rate comes with its raw numerator and
 * denominator.
 *
 * Where the figures come from: the days up to the last refresh of the daily summary
 * (`refreshTicketStats`, nightly) are read from `ticket_stats_daily`; the days after it are
 * counted live from the events. Both are the same queries, so a period gives the same figures
 * either way, except that events after the last refresh which change a summarised day (a late
 * acceptance, a return, a reopen of an earlier ticket) show from the next refresh on (T+1).
 * `live: true` counts everything from the events. Scopes finer than a subdistrict, and a
 * department-bound handler grouping by anything but unit, are always counted live.
 *
 * Authorization: `areas.read` for now — every staff role has it (leaders, dispatchers,
 * handlers, admins …), residents do not. TODO(tickets): switch to `tickets.stats`, now in
 * src/shared/authz.ts, once it is decided whether handlers get it. Scope: the actor's area
 * path, in SQL; a handler bound to a department sees only figures attributed to that department.
 */
import { z } from 'zod';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { assertCan, scopeOf, type AnyActor } from '../../shared/authz';
import { invalid } from '../../shared/errors';
import { recordAudit } from '../audit';
import {
  addDays,
  change,
  comparedMonths,
  dateRuns,
  datesBetween,
  daysBetween,
  isLocalDate,
  isMonth,
  localDateOf,
  localDayStart,
  monthPeriod,
  rate,
  type Change,
  type Rate,
} from './core/rates';
import * as repo from './stats.repo';
import { COUNTERS, STAT_DIMENSIONS, type CountRow, type StatDimension, type StatsFilter } from './stats.repo';

export { STAT_DIMENSIONS, type StatDimension };

export interface StatsDeps {
  db: Db;
}

/** The longest period one query may span (ten years of local days). */
export const MAX_PERIOD_DAYS = 3_660;

const localDate = z.string().refine(isLocalDate, { message: 'a date is YYYY-MM-DD, a real calendar day (Asia/Shanghai)' });

export const TicketStatsQuery = z
  .object({
    from: localDate,
    to: localDate,
    by: z.enum(STAT_DIMENSIONS),
    /** count every day from the events, ignoring the daily summary */
    live: z.boolean().optional(),
  })
  .strict();
export type TicketStatsQuery = z.infer<typeof TicketStatsQuery>;

export const CategoryTrendQuery = z.object({ month: z.string().refine(isMonth, { message: 'a month is YYYY-MM' }) }).strict();
export type CategoryTrendQuery = z.infer<typeof CategoryTrendQuery>;

export interface TicketStatsFigures {
  /** dispatches (dispatched + reopened events) in the period */
  dispatched: number;
  /** 响应率: dispatches accepted by their acceptDueAt ÷ dispatches */
  responseRate: Rate;
  /** 解决率: replies (replied + answered directly) resolved ÷ replies */
  resolutionRate: Rate;
  /** 满意率: follow-ups rated satisfied or basically satisfied ÷ follow-ups that reached the person */
  satisfactionRate: Rate;
  /** replies by the due date in force ÷ replies that had one */
  onTimeRate: Rate;
  /** dispatches that were returned ÷ dispatches */
  returnRate: Rate;
  /** follow-ups after which the ticket was reopened ÷ follow-ups */
  reopenRate: Rate;
  /** 街呼区应: reports (报到) by the report-by time ÷ reports by called units */
  callReportOnTimeRate: Rate;
  /** 街呼区应: reports made after the report-by time */
  lateCallReports: number;
  /**
   * Tickets received in the period. By unit (and for a department-bound reader) the received
   * tickets that were dispatched to the unit as lead; a ticket dispatched to two units counts
   * in both rows, so unit rows need not add up to the total.
   */
  received: number;
}

export interface TicketStatsRow extends TicketStatsFigures {
  /** the unit ('department:…', 'subdistrict:…'), area code, category code, channel or type; null = none */
  key: string | null;
  label: string;
}

export interface TicketStats {
  from: string;
  to: string;
  by: StatDimension;
  /** [from, to) as instants: local (Asia/Shanghai) midnights */
  period: { start: string; end: string };
  rows: TicketStatsRow[];
  totals: TicketStatsFigures;
  /** which days came from the daily summary (as of its refresh) and which were counted live */
  source: { summaryDays: { from: string; to: string } | null; summaryRefreshedAt: string | null; liveDays: { from: string; to: string } | null };
}

const CHANNEL_LABELS: Record<string, string> = {
  hotline: '12345热线',
  web: '网站',
  qr: '扫码',
  grid_patrol: '网格巡查',
  sensor: '物联感知',
  supervision: '督查',
  open311: 'Open311',
};

const TYPE_LABELS: Record<string, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};

const NONE_LABEL: Record<StatDimension, string> = {
  unit: '直接答复（未派单）',
  subdistrict: '未定位到街道',
  community: '未定位到社区',
  category: '未分类',
  channel: '未知渠道',
  type: '未知类型',
};

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) {
    throw invalid(
      { zh: '统计参数有误', en: 'Invalid statistics query' },
      r.error.issues.map((i) => ({ path: i.path.join('.'), zh: `${i.path.join('.')}：${i.message}`, en: `${i.path.join('.')}: ${i.message}` })),
    );
  }
  return r.data;
}

/** The unit a department-bound handler is limited to; null for everyone else. */
export function unitScopeOf(actor: AnyActor): string | null {
  return actor.kind === 'user' && actor.role === 'handler' && actor.departmentCode ? `department:${actor.departmentCode}` : null;
}

/** The summary keeps areas down to subdistricts: a finer scope (a community, a grid cell) is counted live. */
const summaryCovers = (scope: string) => scope.split('/').filter(Boolean).length <= 2;

type Counts = Record<(typeof COUNTERS)[number], number>;
const zero = (): Counts => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counts;

function figures(c: Counts): TicketStatsFigures {
  return {
    dispatched: c.dispatched,
    responseRate: rate(c.accepted_in_time, c.dispatched),
    resolutionRate: rate(c.resolved, c.replies),
    satisfactionRate: rate(c.satisfied, c.rated),
    onTimeRate: rate(c.on_time, c.with_due),
    returnRate: rate(c.returned, c.dispatched),
    reopenRate: rate(c.reopened, c.followed_up),
    callReportOnTimeRate: rate(c.call_reports - c.call_reports_late, c.call_reports),
    lateCallReports: c.call_reports_late,
    received: c.received,
  };
}

function labelOf(by: StatDimension, key: string | null, names: Map<string, string>): string {
  if (key === null) return NONE_LABEL[by];
  if (by === 'channel') return CHANNEL_LABELS[key] ?? key;
  if (by === 'type') return TYPE_LABELS[key] ?? key;
  return names.get(key) ?? key;
}

interface Reader {
  districtCode: string;
  scope: string;
  unit: string | null;
}

const readerOf = (actor: AnyActor): Reader => ({ districtCode: actor.districtCode, scope: scopeOf(actor), unit: unitScopeOf(actor) });

/**
 * The counts of [from, to) per key of `by`, and the received tickets counted once: the days up
 * to the summary's last refresh from the summary (when it keeps what this reader may see), the
 * days after it live from the events, side by side.
 */
async function countPeriod(
  db: Db,
  reader: Reader,
  period: { from: string; to: string },
  by: StatDimension,
  live: boolean,
): Promise<{ byKey: Map<string | null, Counts>; totalReceived: number; source: TicketStats['source'] }> {
  const { districtCode, scope, unit } = reader;
  const usable = !live && summaryCovers(scope) && (unit === null || by === 'unit');
  const state = usable ? await repo.findSummaryState(db, districtCode) : undefined;
  const summaryEnd = state ? [period.to, addDays(state.through_day, 1)].sort()[0]! : period.from;
  const summaryDays = summaryEnd > period.from ? { from: period.from, to: summaryEnd } : null;
  const liveDays = summaryEnd < period.to ? { from: summaryDays ? summaryEnd : period.from, to: period.to } : null;
  // By unit, one ticket's receipt may sit in two rows: the total comes from another grouping.
  const separateTotal = by === 'unit' && unit === null;

  const parts: CountRow[][] = [];
  let totalReceived = 0;
  await Promise.all([
    summaryDays &&
      (async () => {
        const f = { districtCode, scope, unit, fromDay: summaryDays.from, toDay: summaryDays.to };
        const [rows, all] = await Promise.all([repo.readSummary(db, f, by), separateTotal ? repo.readSummary(db, f, 'type') : null]);
        parts.push(rows);
        totalReceived += (all ?? rows).reduce((n, r) => n + r.received, 0);
      })(),
    liveDays &&
      (async () => {
        const f: StatsFilter = { districtCode, scope, unit, from: localDayStart(liveDays.from), to: localDayStart(liveDays.to) };
        const r = await db.transaction((tx) => repo.countFigures(tx, f, by));
        parts.push(r.rows);
        totalReceived += r.totalReceived;
      })(),
  ]);
  const byKey = new Map<string | null, Counts>();
  for (const row of parts.flat()) {
    let c = byKey.get(row.key);
    if (!c) byKey.set(row.key, (c = zero()));
    for (const k of COUNTERS) c[k] += row[k];
  }
  return { byKey, totalReceived, source: { summaryDays, summaryRefreshedAt: summaryDays && state ? state.refreshed_at : null, liveDays } };
}

/** 三率 and friends over [from, to) (local dates), grouped by `by`, within the actor's scope. */
export async function ticketStats(deps: StatsDeps, actor: AnyActor, query: TicketStatsQuery): Promise<TicketStats> {
  assertCan(actor, 'areas.read');
  const q = parseOrThrow(TicketStatsQuery, query);
  if (q.from >= q.to) throw invalid({ zh: `起始日期 ${q.from} 应早于结束日期 ${q.to}（不含）`, en: `from ${q.from} must be before to ${q.to} (exclusive)` });
  if (daysBetween(q.from, q.to) > MAX_PERIOD_DAYS) {
    throw invalid({ zh: `统计区间不能超过 ${MAX_PERIOD_DAYS} 天`, en: `The period may not exceed ${MAX_PERIOD_DAYS} days` });
  }
  const districtCode = actor.districtCode;
  const { byKey, totalReceived, source } = await countPeriod(deps.db, readerOf(actor), q, q.by, !!q.live);
  const keys = [...byKey.keys()].filter((k): k is string => k !== null);
  const names = new Map((await repo.labelKeys(deps.db, districtCode, q.by, keys)).map((l) => [l.key, l.label]));
  const rows = [...byKey.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .map(([key, c]) => ({ key, label: labelOf(q.by, key, names), ...figures(c) }));

  // Every event is counted in exactly one row, so the totals are the rates of the summed counts;
  // received tickets are counted once (by unit, one ticket may be in two rows).
  const total = zero();
  for (const c of byKey.values()) for (const k of COUNTERS) total[k] += c[k];
  total.received = totalReceived;
  return {
    from: q.from,
    to: q.to,
    by: q.by,
    period: { start: localDayStart(q.from), end: localDayStart(q.to) },
    rows,
    totals: figures(total),
    source,
  };
}

// ---- the daily summary -----------------------------------------------------------------------

export interface RefreshDeps {
  db: Db;
  clock: Clock;
}

export interface RefreshResult {
  /** local days recomputed */
  days: number;
  /** consecutive stretches they formed */
  stretches: number;
  rowsWritten: number;
  /** the summary now answers days up to and including this one (yesterday, local) */
  throughDay: string;
  refreshedAt: string;
  ms: number;
}

/** Events this much older than a refresh are surely committed when it reads (no act runs 10 minutes). */
const REFRESH_MARGIN_MS = 10 * 60_000;
/** Days recomputed per statement: bounded work and bounded transactions. */
const DAYS_PER_STATEMENT = 31;

/**
 * Brings the daily summary up to yesterday (local): the days not yet in it, and every held day
 * on which a ticket with events since the last refresh has counted events (a late acceptance,
 * a return, a reopen, a new category change the figures of earlier days). `full` recomputes
 * everything. Safe to run at any time and concurrently (days are rewritten under a lock).
 * Meant for a nightly job; the CLI runs it as `minsheng tickets stats-refresh`.
 */
export async function refreshTicketStats(deps: RefreshDeps, actor: AnyActor, options: { full?: boolean } = {}): Promise<RefreshResult> {
  assertCan(actor, 'tickets.configure');
  const started = deps.clock();
  const t0 = performance.now();
  const districtCode = actor.districtCode;
  const today = localDateOf(started);
  const watermark = new Date(started.getTime() - REFRESH_MARGIN_MS).toISOString();
  const state = options.full ? undefined : await repo.findSummaryState(deps.db, districtCode);

  let days: string[];
  let throughDay: string;
  if (!state) {
    const first = await repo.firstEventDay(deps.db, districtCode);
    days = first && first < today ? datesBetween(first, today) : [];
    throughDay = addDays(today, -1);
  } else {
    const touched = await repo.daysTouchedSince(deps.db, districtCode, state.watermark, today);
    const fresh = state.through_day < today ? datesBetween(addDays(state.through_day, 1), today) : [];
    days = [...new Set([...touched, ...fresh])].sort();
    throughDay = [state.through_day, addDays(today, -1)].sort().at(-1)!;
  }

  // A first or full refresh folds the whole log in one pass; later ones fold the tickets of a few stretches of days.
  const source: repo.Source = state ? 'touched' : 'district';
  const stretches = state ? dateRuns(days, DAYS_PER_STATEMENT) : days.length > 0 ? [{ from: days[0]!, to: addDays(days.at(-1)!, 1) }] : [];
  let rowsWritten = 0;
  for (const s of stretches) {
    rowsWritten += await deps.db.transaction((tx) =>
      repo.rewriteSummaryDays(tx, districtCode, { fromDay: s.from, toDay: s.to, from: localDayStart(s.from), to: localDayStart(s.to) }, source),
    );
  }
  const refreshedAt = started.toISOString();
  await deps.db.transaction(async (tx) => {
    await repo.saveSummaryState(tx, districtCode, { through_day: throughDay, watermark, refreshed_at: refreshedAt });
    await recordAudit(tx, deps.clock, actor, {
      action: 'tickets.stats_refresh',
      targetType: 'ticket_stats',
      targetId: districtCode,
      detail: { days: days.length, throughDay, full: !!options.full },
    });
  });
  return { days: days.length, stretches: stretches.length, rowsWritten, throughDay, refreshedAt, ms: Math.round(performance.now() - t0) };
}

// ---- 环比 / 同比 --------------------------------------------------------------------------------

export interface CategoryTrendRow {
  key: string | null;
  label: string;
  /** received in the month */
  count: number;
  /** 环比: against the month before */
  monthOnMonth: Change;
  /** 同比: against the same month a year before */
  yearOnYear: Change;
}

export interface CategoryTrend {
  month: string;
  previousMonth: string;
  sameMonthLastYear: string;
  rows: CategoryTrendRow[];
  totals: Omit<CategoryTrendRow, 'key' | 'label'>;
}

/** Tickets received per category in a month, against the month before and the same month a year before. */
export async function categoryTrend(deps: StatsDeps, actor: AnyActor, query: CategoryTrendQuery): Promise<CategoryTrend> {
  assertCan(actor, 'areas.read');
  const { month } = parseOrThrow(CategoryTrendQuery, query);
  const months = comparedMonths(month);
  const reader = readerOf(actor);
  const count = (m: string) => countPeriod(deps.db, reader, monthPeriod(m), 'category', false);
  const [current, previous, lastYear] = await Promise.all([count(months.month), count(months.previousMonth), count(months.sameMonthLastYear)]);
  const received = (p: typeof current, key: string | null) => p.byKey.get(key)?.received ?? 0;
  const allKeys = [...new Set([current, previous, lastYear].flatMap((p) => [...p.byKey.keys()]))].filter(
    (k) => received(current, k) + received(previous, k) + received(lastYear, k) > 0,
  );
  const names = new Map(
    (await repo.labelKeys(deps.db, actor.districtCode, 'category', allKeys.filter((k): k is string => k !== null))).map((l) => [l.key, l.label]),
  );
  const figuresOf = (now: number, monthBefore: number, yearBefore: number) => ({
    count: now,
    monthOnMonth: change(now, monthBefore),
    yearOnYear: change(now, yearBefore),
  });
  const rows = allKeys
    .map((key) => ({ key, label: labelOf('category', key, names), ...figuresOf(received(current, key), received(previous, key), received(lastYear, key)) }))
    .sort((a, b) => b.count - a.count || (a.key ?? '~').localeCompare(b.key ?? '~'));
  return { ...months, rows, totals: figuresOf(current.totalReceived, previous.totalReceived, lastYear.totalReceived) };
}
