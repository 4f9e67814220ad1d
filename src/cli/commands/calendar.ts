/**
 * `minsheng calendar …`: the working-time calendar. `deadline` is a calculator (the same answer
 * as GET /api/v1/calendar/deadline); `override` and `overrides` keep the district's corrections
 * to the national holiday arrangement through calendarService, as the HTTP API does.
 *
 * `deadline` needs no database: on a fresh data folder there can be no overrides, so it answers
 * from the national arrangement without creating one; with --no-overrides it never opens it;
 * if the database cannot be opened (the server holds the embedded one), it says so on stderr
 * and answers from the national arrangement.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import {
  DAY_KINDS,
  MAX_WORKING_DAYS,
  MAX_WORKING_HOURS,
  OVERRIDE_YEARS,
  TIME_ZONE,
  calendarService,
  deadlineOf,
  formatShanghai,
  isCalendarDate,
  loadCalendar,
  officialWorkCalendar,
  parseInstant,
  type DayKind,
  type Deadline,
  type DeadlineSpec,
  type WorkCalendar,
} from '../../domain/calendar';
import type { Bilingual } from '../../shared/errors';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError, EXIT } from '../errors';
import { table, type CommandOutcome } from '../output';

const KIND_NAMES: Record<DayKind, string> = { workday: '工作日 workday', holiday: '节假日 holiday' };

export function calendarCommands(program: Command, ctx: CliContext): void {
  const calendar = program.command('calendar').description('工作日历与办理时限 / working-time calendar and deadlines');

  leaf(calendar, 'deadline', '计算办理时限（按工作日或工作小时）/ compute a deadline in working days or working hours')
    .requiredOption('--from <time>', '受理时间：ISO 8601（2024-09-28T10:00:00+08:00）或北京时间（2024-09-28、"2024-09-28 16:30"）/ time of receipt: ISO 8601, or Shanghai local time without an offset', parseFrom)
    .option('--working-days <n>', `工作日数（1–${MAX_WORKING_DAYS}，自受理次日起算，至第 n 个工作日下班）/ working days, counted from the day after receipt to the close of the n-th`, parseWorkingDays)
    .option('--working-hours <n>', `工作小时数（大于 0，可为小数）/ working hours (> 0, may be fractional)`, parseWorkingHours)
    .option('--no-overrides', '不读取数据库中本区的节假日调整，只用国家安排 / ignore the district’s overrides, use the national arrangement only')
    .addHelpText(
      'after',
      [
        '',
        '工作时间 / working hours: 09:00–12:00, 13:30–17:30 (Asia/Shanghai, UTC+8)',
        '例 / example: minsheng calendar deadline --from 2024-09-28 --working-days 10   → 2024-10-16 17:30',
        '',
      ].join('\n'),
    )
    .action(run(ctx, (opts: DeadlineOptions) => deadline(ctx, opts)));

  leaf(calendar, 'override', '设置本区某日为工作日或节假日（如新一年的放假安排）/ mark a day a workday or a holiday for the district (e.g. a new year’s arrangement)')
    .requiredOption('--date <YYYY-MM-DD>', '日期 / date', parseDate)
    .addOption(new Option('--kind <kind>', '类型 / kind: workday（上班）| holiday（放假）').choices(DAY_KINDS).makeOptionMandatory())
    .option('--name <名称>', '名称，如 国庆节 / name, e.g. 国庆节')
    .action(run(ctx, (opts: OverrideOptions) => setOverride(ctx, opts)));

  leaf(calendar, 'overrides', '列出本区的节假日调整 / list the district’s overrides')
    .option('--year <yyyy>', '只列出某一年 / only one year', parseYear)
    .action(run(ctx, (opts: { year?: number } & JsonOption) => listOverrides(ctx, opts)));
}

// ---- argument parsers: a bad value is a usage error (exit 64) before any database is opened ----

function parseFrom(value: string): Date {
  const d = parseInstant(value);
  if (!d) {
    throw new InvalidArgumentError(
      '受理时间应为 ISO 8601 时间（如 2024-09-28T10:00:00+08:00）或北京时间（如 2024-09-28、"2024-09-28 16:30"）/ ' +
        'the time of receipt is an ISO 8601 date-time (e.g. 2024-09-28T10:00:00+08:00) or Shanghai local time (e.g. 2024-09-28, "2024-09-28 16:30")',
    );
  }
  return d;
}

function parseWorkingDays(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS) {
    throw new InvalidArgumentError(
      `工作日数应为 1 到 ${MAX_WORKING_DAYS} 之间的整数 / working days are a whole number from 1 to ${MAX_WORKING_DAYS}`,
    );
  }
  return n;
}

function parseWorkingHours(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_WORKING_HOURS) {
    throw new InvalidArgumentError(
      `工作小时数应为大于 0、不超过 ${MAX_WORKING_HOURS} 的数 / working hours are a number above 0, at most ${MAX_WORKING_HOURS}`,
    );
  }
  return n;
}

function parseDate(value: string): string {
  const year = Number(value.slice(0, 4));
  if (!isCalendarDate(value) || year < OVERRIDE_YEARS.from || year > OVERRIDE_YEARS.to) {
    throw new InvalidArgumentError(
      `日期应为 ${OVERRIDE_YEARS.from}–${OVERRIDE_YEARS.to} 年间的真实日期 YYYY-MM-DD / a date is a real day YYYY-MM-DD in ${OVERRIDE_YEARS.from}–${OVERRIDE_YEARS.to}`,
    );
  }
  return value;
}

function parseYear(value: string): number {
  const n = Number(value);
  if (!/^\d{4}$/.test(value) || n < OVERRIDE_YEARS.from || n > OVERRIDE_YEARS.to) {
    throw new InvalidArgumentError(`年份应为 ${OVERRIDE_YEARS.from}–${OVERRIDE_YEARS.to} / a year from ${OVERRIDE_YEARS.from} to ${OVERRIDE_YEARS.to}`);
  }
  return n;
}

// ---- deadline ---------------------------------------------------------------------------------

interface DeadlineOptions extends JsonOption {
  from: Date;
  workingDays?: number;
  workingHours?: number;
  overrides: boolean;
}

function specOf(opts: DeadlineOptions): DeadlineSpec {
  const days = opts.workingDays !== undefined;
  const hours = opts.workingHours !== undefined;
  if (days === hours) {
    throw new CliError(
      'usage',
      {
        zh: `${days ? '--working-days 与 --working-hours 只能给出一个' : '请给出 --working-days 或 --working-hours 之一'}；运行 minsheng calendar deadline --help 查看用法`,
        en: `${days ? 'give only one of --working-days and --working-hours' : 'give one of --working-days or --working-hours'}. Run minsheng calendar deadline --help for usage`,
      },
      undefined,
      EXIT.usage,
    );
  }
  return days ? { workingDays: opts.workingDays! } : { workingHours: opts.workingHours! };
}

/** The district's calendar if a database with overrides can exist and be opened; else the national one. */
async function districtCalendar(ctx: CliContext, useOverrides: boolean): Promise<WorkCalendar> {
  if (!useOverrides) return officialWorkCalendar();
  const config = ctx.session.config();
  // A data folder without a database has no overrides: do not create one for a calculation.
  if (config.database.engine === 'pglite' && !existsSync(path.join(config.database.dataDir, 'PG_VERSION'))) {
    return officialWorkCalendar();
  }
  try {
    const { deps } = await ctx.session.open();
    return await loadCalendar(deps, ctx.session.districtCode);
  } catch (e) {
    // AppError and CliError carry both languages; anything else has an English message only.
    const text = (e as { text?: Bilingual }).text;
    const plain = e instanceof Error ? e.message.replace(/\s*\n\s*/g, ' ') : String(e);
    ctx.note(
      `注意：未能读取本区的节假日调整（${text?.zh ?? plain}），按国家放假安排计算`,
      `note: the district's overrides could not be read (${text?.en ?? plain}); computed from the national arrangement only`,
    );
    return officialWorkCalendar();
  }
}

async function deadline(ctx: CliContext, opts: DeadlineOptions): Promise<CommandOutcome> {
  const spec = specOf(opts);
  const calendar = await districtCalendar(ctx, opts.overrides);
  const result: Deadline = deadlineOf(calendar, opts.from, spec);
  const { fromYear, toYear } = result.calendarCoverage;
  if (!result.withinCoverage) {
    ctx.note(
      `注意：期间超出节假日数据范围（${fromYear}–${toYear} 年），该范围外只按周六、周日休息计算；可用 minsheng calendar override 录入新一年的放假安排`,
      `note: the period runs outside the holiday data (${fromYear}–${toYear}); outside it only Saturdays and Sundays rest. Enter a new year's arrangement with minsheng calendar override`,
    );
  }
  const limit =
    'workingDays' in spec
      ? `${spec.workingDays} 个工作日，自受理次日起算，至第 ${spec.workingDays} 个工作日下班 / ${spec.workingDays} working day(s), from the day after receipt to the close of the last`
      : `${spec.workingHours} 个工作小时，只计工作时段 / ${spec.workingHours} working hour(s), counting working periods only`;
  const text = [
    `办理时限 / deadline: ${result.deadlineLocal}   ${result.deadline}`,
    `  受理 received: ${formatShanghai(opts.from)} (${TIME_ZONE})   ${result.from}`,
    `  时限 limit: ${limit}`,
  ].join('\n');
  return { data: result, text };
}

// ---- overrides ----------------------------------------------------------------------------------

interface OverrideOptions extends JsonOption {
  date: string;
  kind: DayKind;
  name?: string;
}

async function setOverride(ctx: CliContext, opts: OverrideOptions): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const override = await calendarService.setOverride(deps, ctx.session.actor(), {
    date: opts.date,
    kind: opts.kind,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  });
  return {
    data: override,
    text: `已设置 / override set: ${override.date} ${KIND_NAMES[override.kind]}${override.name ? `（${override.name}）` : ''}   本区 district ${ctx.session.districtCode}`,
  };
}

async function listOverrides(ctx: CliContext, opts: { year?: number } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const items = await calendarService.listOverrides(deps, ctx.session.actor(), opts.year !== undefined ? { year: opts.year } : {});
  const [inZh, inEn] = opts.year !== undefined ? [`${opts.year} 年`, ` in ${opts.year}`] : ['', ''];
  const text =
    items.length === 0
      ? `本区 ${ctx.session.districtCode} ${inZh}没有节假日调整，国家放假安排照常适用 / the district has no overrides${inEn}; the national arrangement applies`
      : [
          `本区 ${ctx.session.districtCode} 的节假日调整 / overrides (${items.length}):`,
          table(
            ['日期 date', '类型 kind', '名称 name', '更新 updated'],
            items.map((o) => [o.date, KIND_NAMES[o.kind], o.name ?? '', `${formatShanghai(new Date(o.updatedAt))}`]),
          ),
        ].join('\n');
  return { data: items, text };
}
