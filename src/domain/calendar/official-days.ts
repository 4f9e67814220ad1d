/**
 * The national holiday arrangement (国务院办公厅 放假调休安排) from the npm package
 * `chinese-days`: public holidays and the adjusted working days (调休上班) from 2004 to the last
 * year the installed version knows. Read once, handed to core/ as plain data. A year the
 * package does not have yet is entered by an administrator as overrides (calendar_overrides).
 */
import { createRequire } from 'node:module';
import type { DayRule, OfficialCalendar } from './core/working-time';

const require = createRequire(import.meta.url);

interface ChineseDaysJson {
  /** date → "English name,中文名,days" */
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

let cached: OfficialCalendar | undefined;

/** The holiday's Chinese name from "National Day,国庆节,3". */
const zhName = (value: string): string | null => value.split(',')[1]?.trim() || null;

export function officialCalendar(): OfficialCalendar {
  if (cached) return cached;
  const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysJson;
  const { version } = require('chinese-days/package.json') as { version: string };
  const days: DayRule[] = [
    ...Object.entries(data.holidays).map(([date, v]) => ({ date, kind: 'holiday' as const, name: zhName(v) })),
    ...Object.entries(data.workdays).map(([date, v]) => ({ date, kind: 'workday' as const, name: zhName(v) })),
  ].sort((a, b) => a.date.localeCompare(b.date));
  const years = days.map((d) => Number(d.date.slice(0, 4)));
  cached = { source: `chinese-days@${version}`, fromYear: Math.min(...years), toYear: Math.max(...years), days };
  return cached;
}
