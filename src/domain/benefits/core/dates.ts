/**
 * Calendar arithmetic of the rule language, on whole dates written as `YYYY-MM-DD` or as the
 * integer yyyymmdd ("ymd"). Pure: the reference date is always an argument.
 *
 * The rules (docs/POLICY-RULES.md, ADR 0025):
 * - **Age** is the number of birthdays passed, a birthday counting on its own day: a person born
 *   on 2000-05-10 is 70 from 2070-05-10. With ymd integers this is ⌊(ref − birth) / 10000⌋.
 * - **Born on 29 February**: in a common year the birthday is taken as 1 March (the day after
 *   28 February), so the person is a year older from 1 March; in a leap year from 29 February.
 *   The ymd formula gives exactly this (0228 < 0229 ≤ 0301).
 * - **N months after a date** is the same day of the month N months later, or that month's last
 *   day if it is shorter (31 August + 6 months = 28/29 February). "Months since X" is the largest
 *   N whose date is on or before the reference date.
 * - **Days since X** is the plain difference in calendar days.
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** True for a real calendar date written YYYY-MM-DD (years 1900–2200). */
export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1900 && y <= 2200 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

/** '2025-03-01' → 20250301. The caller has checked the date. */
export function ymdOf(iso: string): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

export function isoOf(ymd: number): string {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Completed years between birth and ref (ymd integers), birthdays counting on their own day. */
export function ageAt(birthYmd: number, refYmd: number): number {
  return Math.floor((refYmd - birthYmd) / 10000);
}

/**
 * The latest real date whose ymd is ≤ x. Used to turn "ymd ≤ x" into "date ≤ cutoff" for SQL:
 * x may be a day that does not exist (2023-02-29), which becomes 2023-02-28.
 */
export function floorToRealDate(x: number): number {
  const y = Math.floor(x / 10000);
  const m = Math.floor(x / 100) % 100;
  const d = x % 100;
  const last = daysInMonth(y, m);
  return d > last ? y * 10000 + m * 100 + last : x;
}

/** The date n months after `ymd` (day clamped to the month's end). */
export function addMonths(ymd: number, n: number): number {
  const y = Math.floor(ymd / 10000);
  const m = Math.floor(ymd / 100) % 100;
  const d = ymd % 100;
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return ny * 10000 + nm * 100 + Math.min(d, daysInMonth(ny, nm));
}

/** Whole months from `fromYmd` to `refYmd`: the largest n with addMonths(from, n) ≤ ref (may be negative). */
export function monthsSince(fromYmd: number, refYmd: number): number {
  const fy = Math.floor(fromYmd / 10000);
  const fm = Math.floor(fromYmd / 100) % 100;
  const ry = Math.floor(refYmd / 10000);
  const rm = Math.floor(refYmd / 100) % 100;
  let n = (ry - fy) * 12 + (rm - fm);
  while (addMonths(fromYmd, n) > refYmd) n--;
  while (addMonths(fromYmd, n + 1) <= refYmd) n++;
  return n;
}

/**
 * The latest date L with monthsSince(L, ref) ≥ n, i.e. addMonths(L, n) ≤ ref. Because addMonths
 * is monotone, "monthsSince(L, ref) ≥ n" ⇔ "L ≤ cutoff": the compiled rules compare dates only.
 */
export function monthsCutoff(refYmd: number, n: number): number {
  const ry = Math.floor(refYmd / 10000);
  const rm = Math.floor(refYmd / 100) % 100;
  const rd = refYmd % 100;
  const total = ry * 12 + (rm - 1) - n;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  const last = daysInMonth(y, m);
  const day = rd === daysInMonth(ry, rm) ? last : Math.min(rd, last);
  return y * 10000 + m * 100 + day;
}

const MS_DAY = 86_400_000;

/** Days since 1970-01-01 of a ymd. */
export function epochDay(ymd: number): number {
  return Math.round(Date.UTC(Math.floor(ymd / 10000), (Math.floor(ymd / 100) % 100) - 1, ymd % 100) / MS_DAY);
}

export function ymdOfEpochDay(day: number): number {
  const dt = new Date(day * MS_DAY);
  return dt.getUTCFullYear() * 10000 + (dt.getUTCMonth() + 1) * 100 + dt.getUTCDate();
}

export function daysSince(fromYmd: number, refYmd: number): number {
  return epochDay(refYmd) - epochDay(fromYmd);
}

/** The latest date L with daysSince(L, ref) ≥ n. */
export function daysCutoff(refYmd: number, n: number): number {
  return ymdOfEpochDay(epochDay(refYmd) - n);
}
