/**
 * The arithmetic of 三率 (响应率 / 解决率 / 满意率) and their friends, and of the periods they are
 * counted over. Pure: the counts come from the event log (stats.repo.ts), the calendar
 * arithmetic takes its dates as arguments.
 *
 * A rate always travels with its raw numerator and denominator, so a reader can check it and a
 * total can be summed from its parts; a rate over nothing is `null`, never 0 or 100 %.
 */

export interface Rate {
  /** num ÷ den, in [0, 1]; null when den is 0 */
  rate: number | null;
  num: number;
  den: number;
}

const isCount = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** A rate from its counts. Counts are whole and the numerator is a subset of the denominator. */
export function rate(num: number, den: number): Rate {
  if (!isCount(num) || !isCount(den)) throw new RangeError(`rate: counts must be whole numbers ≥ 0 (got ${num}/${den})`);
  if (num > den) throw new RangeError(`rate: numerator ${num} exceeds denominator ${den}`);
  return { rate: den === 0 ? null : num / den, num, den };
}

export const EMPTY_RATE: Rate = { rate: null, num: 0, den: 0 };

/** The rate of the union of disjoint groups: numerators and denominators add, rates do not. */
export function sumRates(rates: readonly Rate[]): Rate {
  return rate(
    rates.reduce((n, r) => n + r.num, 0),
    rates.reduce((n, r) => n + r.den, 0),
  );
}

/** A rate as a percentage for people: 0.75 → "75.0%", null → "—". */
export function formatRate(r: Rate, digits = 1): string {
  return r.rate === null ? '—' : `${(r.rate * 100).toFixed(digits)}%`;
}

// ---- change between two periods (环比 / 同比) ---------------------------------------------------

export interface Change {
  current: number;
  previous: number;
  /** current − previous */
  delta: number;
  /** (current − previous) ÷ previous × 100, unrounded; null when previous is 0 (no base to compare with) */
  pct: number | null;
}

export function change(current: number, previous: number): Change {
  if (!isCount(current) || !isCount(previous)) throw new RangeError(`change: counts must be whole numbers ≥ 0 (got ${current}, ${previous})`);
  return { current, previous, delta: current - previous, pct: previous === 0 ? null : ((current - previous) * 100) / previous };
}

/** "+12.5%", "−27.2%" (a real minus sign), "0.0%", or "—" with no base. */
export function formatChange(c: Change, digits = 1): string {
  if (c.pct === null) return '—';
  const text = Math.abs(c.pct).toFixed(digits);
  if (Number(text) === 0) return `${(0).toFixed(digits)}%`;
  return `${c.pct > 0 ? '+' : '−'}${text}%`;
}

// ---- periods in local (Asia/Shanghai) days -----------------------------------------------------

/**
 * China Standard Time is UTC+08:00 all year: Asia/Shanghai has had no daylight saving since
 * 1991, so a local day starts at 16:00 UTC the day before, for every date this product handles.
 */
const SHANGHAI_OFFSET = '+08:00';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2025-02-30 is not one). */
export function isLocalDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1992 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function isMonth(s: string): boolean {
  const m = MONTH_RE.exec(s);
  return !!m && Number(m[1]) >= 1992 && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The instant a local date begins in Shanghai, as an ISO UTC string: 2025-03-01 → 2025-02-28T16:00:00.000Z. */
export function localDayStart(date: string): string {
  if (!isLocalDate(date)) throw new RangeError(`not a date: ${date}`);
  return new Date(`${date}T00:00:00${SHANGHAI_OFFSET}`).toISOString();
}

/** The local calendar date of an instant in Shanghai. */
export function localDateOf(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole local days in [from, to). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(localDayStart(to)) - Date.parse(localDayStart(from))) / 86_400_000);
}

/** A local date shifted by whole days: ('2025-03-01', −1) → '2025-02-28'. */
export function addDays(date: string, by: number): string {
  if (!isLocalDate(date)) throw new RangeError(`not a date: ${date}`);
  return new Date(Date.parse(`${date}T00:00:00Z`) + by * 86_400_000).toISOString().slice(0, 10);
}

/** Every local date in [from, to), in order. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Sorted dates as runs of consecutive days [from, to), each at most `maxDays` long. */
export function dateRuns(sortedDates: readonly string[], maxDays: number): { from: string; to: string }[] {
  const runs: { from: string; to: string }[] = [];
  for (const d of sortedDates) {
    const last = runs.at(-1);
    if (last && d < last.to) continue;
    if (last && last.to === d && daysBetween(last.from, d) < maxDays) last.to = addDays(d, 1);
    else runs.push({ from: d, to: addDays(d, 1) });
  }
  return runs;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** A month shifted by whole months: ('2025-01', −1) → '2024-12'. */
export function addMonths(month: string, by: number): string {
  if (!isMonth(month)) throw new RangeError(`not a month: ${month}`);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
}

/** A month as the local dates [from, to): '2025-02' → { from: '2025-02-01', to: '2025-03-01' }. */
export function monthPeriod(month: string): { from: string; to: string } {
  return { from: `${month}-01`, to: `${addMonths(month, 1)}-01` };
}

/** The three months a 环比 / 同比 figure compares: the month, the one before, the same one a year before. */
export function comparedMonths(month: string): { month: string; previousMonth: string; sameMonthLastYear: string } {
  return { month, previousMonth: addMonths(month, -1), sameMonthLastYear: addMonths(month, -12) };
}
