/**
 * Working time in China: which days are working days (weekends, public holidays, and the
 * adjusted working days 调休 that move a weekend day into the week), and which hours of a
 * working day count. Deadlines of citizen tickets are counted in these days and hours.
 *
 * Pure: no clock, no database, no node:*. The national arrangement comes in as data (see
 * ../official-days.ts, from the `chinese-days` package), a district's corrections as overrides,
 * the working hours as data. All day logic happens in Shanghai local days; China Standard Time
 * is UTC+8 all year with no daylight saving, so a fixed offset is exact and no time-zone
 * database is consulted. Inputs and outputs are JavaScript Dates (UTC instants).
 *
 * Conventions (the 12345 hotline practice):
 * - `addWorkingDays(from, n)`: counting starts the day after receipt; the deadline is the END of
 *   the n-th working day (the end of its last working period, 17:30 by default). A ticket
 *   received on a Saturday has Monday as its first working day, like one received on Friday.
 * - `addWorkingHours(from, h)`: only minutes inside working periods count; the deadline is the
 *   instant the h-th hour is used up (16:30 + 2h → 17:30 is one hour, the next working day's
 *   09:00–10:00 the second: 10:00).
 * - A year outside the data: Saturday and Sunday rest, the other days work. `coverage()` tells
 *   the caller which years are known, so it can warn.
 */

export const DAY_KINDS = ['workday', 'holiday'] as const;
export type DayKind = (typeof DAY_KINDS)[number];

/** One day that differs from, or confirms, the plain Monday–Friday week. */
export interface DayRule {
  /** YYYY-MM-DD, a Shanghai local date. */
  date: string;
  kind: DayKind;
  name?: string | null | undefined;
}

/** The national arrangement (放假调休安排) for a run of years. */
export interface OfficialCalendar {
  /** Where the data comes from, e.g. "chinese-days@1.5.7". */
  source: string;
  fromYear: number;
  toYear: number;
  days: readonly DayRule[];
}

/** A working period of a day in Shanghai local time, "HH:mm"–"HH:mm" (end exclusive). */
export interface WorkingPeriod {
  start: string;
  end: string;
}

export interface Coverage {
  fromYear: number;
  toYear: number;
}

export interface DayInfo {
  date: string;
  workday: boolean;
  name: string | null;
  /** What decided: a district override, the national arrangement, or the plain week. */
  source: 'override' | 'official' | 'weekday';
}

export const TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_WORKING_HOURS: readonly WorkingPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
];

const MINUTE = 60_000;
export const HOUR_MS = 60 * MINUTE;
const DAY = 24 * HOUR_MS;
/** China Standard Time, UTC+8, no daylight saving since 1991. */
const SHANGHAI_OFFSET = 8 * HOUR_MS;
/** Guards against a calendar that can never reach its target (a mistake in the data). */
const MAX_SCAN_DAYS = 400 * 366;
const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;

// ---- Shanghai local days and instants -------------------------------------------------------

/** Days since 1970-01-01 of a YYYY-MM-DD date, or null if it is not a real calendar date. */
export function dayNumberOf(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < FIRST_YEAR || y > LAST_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  return Date.UTC(y, mo - 1, d) / DAY;
}

export const isCalendarDate = (date: string): boolean => dayNumberOf(date) !== null;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The YYYY-MM-DD of a day number. */
export function dateOfDayNumber(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10);
}

/** The Shanghai local day an instant falls on. */
const localDayOf = (t: number): number => Math.floor((t + SHANGHAI_OFFSET) / DAY);
/** The instant a Shanghai local day begins (00:00 +08:00). */
const startOfLocalDay = (day: number): number => day * DAY - SHANGHAI_OFFSET;
/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
const weekdayOf = (day: number): number => (((day + 4) % 7) + 7) % 7;

/** The Shanghai local date of an instant, YYYY-MM-DD. */
export function shanghaiDate(d: Date): string {
  return dateOfDayNumber(localDayOf(assertInstant(d)));
}

/** "YYYY-MM-DD HH:mm" in Shanghai local time. */
export function formatShanghai(d: Date): string {
  return new Date(assertInstant(d) + SHANGHAI_OFFSET).toISOString().slice(0, 16).replace('T', ' ');
}

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An instant from text: an ISO 8601 date-time with `Z` or an offset, or — without an offset —
 * a Shanghai local date or date-time ("2024-09-28", "2024-09-28 16:30", "2024-09-28T16:30:00").
 * Null when the text is not one of these or names no real date or time.
 */
export function parseInstant(text: string): Date | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (!m) return null;
  const day = dayNumberOf(`${m[1]}-${m[2]}-${m[3]}`);
  if (day === null) return null;
  const [h, mi, s] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let offset = SHANGHAI_OFFSET;
  const zone = m[8];
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const [oh, om] = [Number(z[2]), Number(z[3])];
    if (oh > 18 || om > 59) return null;
    offset = (z[1] === '-' ? -1 : 1) * (oh * HOUR_MS + om * MINUTE);
  } else if (zone) {
    offset = 0;
  }
  return new Date(day * DAY + h * HOUR_MS + mi * MINUTE + s * 1000 + ms - offset);
}

function assertInstant(d: Date): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  if (!Number.isFinite(t)) throw new RangeError('expected a valid Date');
  return t;
}

// ---- working hours ----------------------------------------------------------------------------

function minutesOf(hhmm: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) return null;
  const [h, mi] = [Number(m[1]), Number(m[2])];
  if (mi > 59 || h > 24 || (h === 24 && mi > 0)) return null;
  return h * 60 + mi;
}

/** Working periods as [start, end) milliseconds after local midnight; throws on bad data. */
export function compileWorkingHours(periods: readonly WorkingPeriod[]): readonly (readonly [number, number])[] {
  if (periods.length === 0) throw new RangeError('working hours: at least one period is needed');
  const out: [number, number][] = [];
  for (const p of periods) {
    const [s, e] = [minutesOf(p.start), minutesOf(p.end)];
    if (s === null || e === null || e <= s) throw new RangeError(`working hours: bad period ${p.start}–${p.end}`);
    const prev = out.at(-1);
    if (prev && s * MINUTE < prev[1]) throw new RangeError(`working hours: ${p.start}–${p.end} overlaps or is out of order`);
    out.push([s * MINUTE, e * MINUTE]);
  }
  return out;
}

// ---- the calendar -------------------------------------------------------------------------------

interface DayEntry {
  workday: boolean;
  name: string | null;
  source: 'override' | 'official';
}

export interface WorkCalendarInput {
  official: OfficialCalendar;
  /** A district's corrections and additions; they win over the official data. */
  overrides?: readonly DayRule[];
  workingHours?: readonly WorkingPeriod[];
}

/** The official days as a lookup table, built once per OfficialCalendar object. */
const compiledOfficial = new WeakMap<OfficialCalendar, ReadonlyMap<number, DayEntry>>();

function compileDays(rules: readonly DayRule[], source: DayEntry['source']): Map<number, DayEntry> {
  const days = new Map<number, DayEntry>();
  for (const r of rules) {
    const day = dayNumberOf(r.date);
    if (day === null) throw new RangeError(`calendar: not a date: ${r.date}`);
    if (!(DAY_KINDS as readonly string[]).includes(r.kind)) throw new RangeError(`calendar: bad kind ${String(r.kind)} on ${r.date}`);
    days.set(day, { workday: r.kind === 'workday', name: r.name ?? null, source });
  }
  return days;
}

export class WorkCalendar {
  private readonly official: ReadonlyMap<number, DayEntry>;
  private readonly overrides: ReadonlyMap<number, DayEntry>;
  private readonly periods: readonly (readonly [number, number])[];
  private readonly covered: Coverage;
  readonly workingHours: readonly WorkingPeriod[];
  readonly source: string;

  /** Cheap to build per district and per load: the official table is shared, only overrides are new. */
  constructor(input: WorkCalendarInput) {
    this.workingHours = input.workingHours ?? DEFAULT_WORKING_HOURS;
    this.periods = compileWorkingHours(this.workingHours);
    this.source = input.official.source;
    let official = compiledOfficial.get(input.official);
    if (!official) {
      official = compileDays(input.official.days, 'official');
      compiledOfficial.set(input.official, official);
    }
    this.official = official;
    this.overrides = compileDays(input.overrides ?? [], 'override');
    // A year an administrator has entered (say 2027, before the package has it) counts as
    // known when it joins the official run; a lone override years away does not.
    const overrideYears = new Set([...this.overrides.keys()].map((day) => Number(dateOfDayNumber(day).slice(0, 4))));
    let { fromYear, toYear } = input.official;
    while (overrideYears.has(toYear + 1)) toYear++;
    while (overrideYears.has(fromYear - 1)) fromYear--;
    this.covered = { fromYear, toYear };
  }

  /** The years whose holidays and adjusted workdays are known; outside them only weekends rest. */
  coverage(): Coverage {
    return { ...this.covered };
  }

  /** Whether every Shanghai local day from `a` to `b` lies in a covered year. */
  covers(a: Date, b: Date = a): boolean {
    const years = [shanghaiDate(a), shanghaiDate(b)].map((d) => Number(d.slice(0, 4)));
    return Math.min(...years) >= this.covered.fromYear && Math.max(...years) <= this.covered.toYear;
  }

  /** A Shanghai local date "YYYY-MM-DD", or the Shanghai day an instant falls on. */
  isWorkday(date: Date | string): boolean {
    return this.isWorkdayNumber(this.dayOf(date));
  }

  describeDay(date: Date | string): DayInfo {
    const day = this.dayOf(date);
    const entry = this.entryOf(day);
    return {
      date: dateOfDayNumber(day),
      workday: this.isWorkdayNumber(day),
      name: entry?.name ?? null,
      source: entry?.source ?? 'weekday',
    };
  }

  /**
   * The end of the n-th working day after the day of `from` (n ≥ 1, whole): the deadline of a
   * ticket with n working days, counted from the day after receipt.
   */
  addWorkingDays(from: Date, n: number): Date {
    const t = assertInstant(from);
    if (!Number.isInteger(n) || n < 1) throw new RangeError('addWorkingDays: n must be a whole number ≥ 1');
    let day = localDayOf(t);
    for (let counted = 0, scanned = 0; counted < n; ) {
      day++;
      if (++scanned > MAX_SCAN_DAYS + n * 7) throw new RangeError('addWorkingDays: no working days found');
      if (this.isWorkdayNumber(day)) counted++;
    }
    return new Date(startOfLocalDay(day) + this.periods.at(-1)![1]);
  }

  /** The instant `hours` (> 0) working hours after `from`; only working periods count. */
  addWorkingHours(from: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours <= 0) throw new RangeError('addWorkingHours: hours must be a number > 0');
    return this.addWorkingMillis(from, Math.round(hours * HOUR_MS));
  }

  /** The instant `ms` (> 0) working milliseconds after `from`. */
  addWorkingMillis(from: Date, ms: number): Date {
    const t = assertInstant(from);
    if (!Number.isFinite(ms) || ms <= 0) throw new RangeError('addWorkingMillis: ms must be a number > 0');
    let rest = ms;
    let day = localDayOf(t);
    for (let scanned = 0; ; day++) {
      if (++scanned > MAX_SCAN_DAYS + Math.ceil(ms / HOUR_MS) * 7) throw new RangeError('addWorkingMillis: no working time found');
      if (!this.isWorkdayNumber(day)) continue;
      const base = startOfLocalDay(day);
      for (const [s, e] of this.periods) {
        const end = base + e;
        if (end <= t) continue;
        const start = Math.max(t, base + s);
        const available = end - start;
        if (rest <= available) return new Date(start + rest);
        rest -= available;
      }
    }
  }

  /**
   * Working time between two instants in milliseconds: what a paused clock has left, or how
   * late a ticket is. Negative when `b` is before `a`.
   */
  workingMillisBetween(a: Date, b: Date): number {
    const [ta, tb] = [assertInstant(a), assertInstant(b)];
    if (tb < ta) return -this.workingMillisBetween(b, a);
    let total = 0;
    for (let day = localDayOf(ta), last = localDayOf(tb); day <= last; day++) {
      if (!this.isWorkdayNumber(day)) continue;
      const base = startOfLocalDay(day);
      for (const [s, e] of this.periods) {
        const overlap = Math.min(tb, base + e) - Math.max(ta, base + s);
        if (overlap > 0) total += overlap;
      }
    }
    return total;
  }

  /** `d` itself inside working time, otherwise the start of the next working period. */
  nextWorkingInstant(d: Date): Date {
    const t = assertInstant(d);
    for (let day = localDayOf(t), scanned = 0; ; day++) {
      if (++scanned > MAX_SCAN_DAYS) throw new RangeError('nextWorkingInstant: no working time found');
      if (!this.isWorkdayNumber(day)) continue;
      const base = startOfLocalDay(day);
      for (const [s, e] of this.periods) {
        if (t < base + e) return new Date(Math.max(t, base + s));
      }
    }
  }

  /** Whether an instant lies inside a working period of a working day. */
  isWorkingTime(d: Date): boolean {
    return this.nextWorkingInstant(d).getTime() === d.getTime();
  }

  /** The end of the working day a Shanghai local date names (17:30 by default). */
  endOfWorkingDay(date: Date | string): Date {
    return new Date(startOfLocalDay(this.dayOf(date)) + this.periods.at(-1)![1]);
  }

  private dayOf(date: Date | string): number {
    if (typeof date === 'string') {
      const day = dayNumberOf(date);
      if (day === null) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
      return day;
    }
    return localDayOf(assertInstant(date));
  }

  private entryOf(day: number): DayEntry | undefined {
    return this.overrides.get(day) ?? this.official.get(day);
  }

  private isWorkdayNumber(day: number): boolean {
    const entry = this.entryOf(day);
    if (entry) return entry.workday;
    const w = weekdayOf(day);
    return w !== 0 && w !== 6;
  }
}

// ---- deadlines -------------------------------------------------------------------------------

export type DeadlineSpec = { workingDays: number } | { workingHours: number };

export interface Deadline {
  from: string;
  deadline: string;
  /** "YYYY-MM-DD HH:mm (Asia/Shanghai)". */
  deadlineLocal: string;
  workingDays?: number;
  workingHours?: number;
  calendarCoverage: Coverage;
  /** False when the count runs through a year the calendar does not know: only weekends rested. */
  withinCoverage: boolean;
}

/** The deadline of a ticket received at `from`, as the API and the CLI answer it. */
export function deadlineOf(calendar: WorkCalendar, from: Date, spec: DeadlineSpec): Deadline {
  const deadline = 'workingDays' in spec ? calendar.addWorkingDays(from, spec.workingDays) : calendar.addWorkingHours(from, spec.workingHours);
  return {
    from: from.toISOString(),
    deadline: deadline.toISOString(),
    deadlineLocal: `${formatShanghai(deadline)} (${TIME_ZONE})`,
    ...spec,
    calendarCoverage: calendar.coverage(),
    withinCoverage: calendar.covers(from, deadline),
  };
}
