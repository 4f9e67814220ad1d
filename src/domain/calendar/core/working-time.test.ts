import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findWorkday, isWorkday as packageIsWorkday } from 'chinese-days';
import { officialCalendar } from '../official-days';
import {
  DEFAULT_WORKING_HOURS,
  HOUR_MS,
  WorkCalendar,
  dateOfDayNumber,
  dayNumberOf,
  deadlineOf,
  formatShanghai,
  parseInstant,
  shanghaiDate,
  type DayRule,
  type OfficialCalendar,
  type WorkingPeriod,
} from './working-time';

const OFFICIAL = officialCalendar();
const cal = new WorkCalendar({ official: OFFICIAL });
const withOverrides = (overrides: DayRule[], workingHours?: WorkingPeriod[]) =>
  new WorkCalendar({ official: OFFICIAL, overrides, ...(workingHours ? { workingHours } : {}) });

/** A Shanghai local time, "2024-09-28 16:30" → the instant. */
const at = (local: string): Date => {
  const d = parseInstant(local);
  if (!d) throw new Error(`bad test time ${local}`);
  return d;
};
/** The instant as Shanghai local time, for readable expectations. */
const local = (d: Date) => formatShanghai(d);

const days = (from: string, n: number, c = cal) => local(c.addWorkingDays(at(from), n));
const hours = (from: string, h: number, c = cal) => local(c.addWorkingHours(at(from), h));

describe('the official arrangement (chinese-days)', () => {
  it('covers 2004 to 2026 at least', () => {
    expect(OFFICIAL.fromYear).toBe(2004);
    expect(OFFICIAL.toYear).toBeGreaterThanOrEqual(2026);
    expect(cal.coverage()).toEqual({ fromYear: OFFICIAL.fromYear, toYear: OFFICIAL.toYear });
    expect(OFFICIAL.source).toMatch(/^chinese-days@\d+\.\d+\.\d+$/);
  });

  it('agrees with the package on every day of every covered year', () => {
    const first = dayNumberOf(`${OFFICIAL.fromYear}-01-01`)!;
    const last = dayNumberOf(`${OFFICIAL.toYear + 1}-12-31`)!;
    const disagreements: string[] = [];
    for (let day = first; day <= last; day++) {
      const date = dateOfDayNumber(day);
      if (cal.isWorkday(date) !== packageIsWorkday(date)) disagreements.push(date);
    }
    expect(disagreements).toEqual([]);
  });
});

describe('working days (counted from the day after receipt, due at the end of the n-th)', () => {
  it('国庆 2024: 10 working days after 2024-09-28 end on 2024-10-16 at 17:30', () => {
    expect(cal.isWorkday('2024-09-29')).toBe(true); // Sunday, 调休上班
    expect(cal.isWorkday('2024-10-12')).toBe(true); // Saturday, 调休上班
    for (const d of ['2024-10-01', '2024-10-04', '2024-10-07']) expect(cal.isWorkday(d)).toBe(false);
    expect(cal.describeDay('2024-10-03')).toEqual({ date: '2024-10-03', workday: false, name: '国庆节', source: 'official' });
    expect(cal.describeDay('2024-10-12')).toMatchObject({ workday: true, source: 'official' });

    const deadline = cal.addWorkingDays(at('2024-09-28 10:15'), 10);
    expect(deadline.toISOString()).toBe('2024-10-16T09:30:00.000Z');
    expect(local(deadline)).toBe('2024-10-16 17:30');
    // The time of receipt within the day does not matter, nor does a receipt on a rest day.
    expect(days('2024-09-28 00:00', 10)).toBe('2024-10-16 17:30');
    expect(days('2024-09-28 23:59', 10)).toBe('2024-10-16 17:30');
    expect(days('2024-09-28', 1)).toBe('2024-09-29 17:30');
    expect(days('2024-09-28', 2)).toBe('2024-09-30 17:30');
    expect(days('2024-09-28', 3)).toBe('2024-10-08 17:30');
    expect(days('2024-09-28', 7)).toBe('2024-10-12 17:30');
  });

  it('春节 2025: adjusted workdays 01-26 and 02-08, holiday 01-28 … 02-04', () => {
    expect(cal.isWorkday('2025-01-26')).toBe(true);
    expect(cal.isWorkday('2025-02-08')).toBe(true);
    for (let d = dayNumberOf('2025-01-28')!; d <= dayNumberOf('2025-02-04')!; d++) {
      expect(cal.isWorkday(dateOfDayNumber(d)), dateOfDayNumber(d)).toBe(false);
    }
    expect(days('2025-01-24 15:00', 1)).toBe('2025-01-26 17:30');
    expect(days('2025-01-24 15:00', 2)).toBe('2025-01-27 17:30');
    expect(days('2025-01-24 15:00', 3)).toBe('2025-02-05 17:30');
    expect(days('2025-01-24 15:00', 6)).toBe('2025-02-08 17:30');
    expect(days('2025-01-24 15:00', 7)).toBe('2025-02-10 17:30');
  });

  it.runIf(OFFICIAL.toYear >= 2026)('春节 2026: adjusted workdays 02-14 and 02-28, holiday 02-15 … 02-23', () => {
    expect(cal.isWorkday('2026-02-14')).toBe(true);
    expect(cal.isWorkday('2026-02-28')).toBe(true);
    expect(cal.isWorkday('2026-02-23')).toBe(false); // a Monday inside the holiday
    expect(days('2026-02-12 09:00', 1)).toBe('2026-02-13 17:30');
    expect(days('2026-02-12 09:00', 2)).toBe('2026-02-14 17:30');
    expect(days('2026-02-12 09:00', 3)).toBe('2026-02-24 17:30');
    expect(days('2026-02-12 09:00', 7)).toBe('2026-02-28 17:30');
    expect(days('2026-02-12 09:00', 8)).toBe('2026-03-02 17:30');
  });

  it('takes the day of receipt in Shanghai time, not in UTC', () => {
    // 2024-10-11 00:30 in Shanghai is still 2024-10-10 in UTC.
    expect(local(cal.addWorkingDays(new Date('2024-10-10T16:30:00Z'), 1))).toBe('2024-10-12 17:30');
    expect(local(cal.addWorkingDays(new Date('2024-10-10T15:59:00Z'), 1))).toBe('2024-10-11 17:30');
    expect(cal.isWorkday(new Date('2024-09-30T16:00:00Z'))).toBe(false); // 10-01 00:00 in Shanghai
  });

  it('ends at the end of the last working period of the day', () => {
    const summer = withOverrides([], [{ start: '08:30', end: '12:00' }, { start: '14:00', end: '18:00' }]);
    expect(days('2024-11-14 10:00', 1, summer)).toBe('2024-11-15 18:00');
    expect(local(cal.endOfWorkingDay('2024-11-15'))).toBe('2024-11-15 17:30');
  });

  it('refuses what is not a count of days or not a time', () => {
    expect(() => cal.addWorkingDays(at('2024-11-14'), 0)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(at('2024-11-14'), 1.5)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(new Date('nope'), 1)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(at('2024-11-14'), 0)).toThrow(RangeError);
    expect(() => cal.addWorkingHours(at('2024-11-14'), Number.NaN)).toThrow(RangeError);
    expect(() => cal.isWorkday('2024-02-30')).toThrow(RangeError);
  });
});

describe('working hours (09:00–12:00, 13:30–17:30 by default)', () => {
  it('16:30 plus 2 working hours is 10:00 the next working day; plus 1 is 17:30 the same day', () => {
    expect(hours('2024-11-14 16:30', 2)).toBe('2024-11-15 10:00');
    expect(hours('2024-11-14 16:30', 1)).toBe('2024-11-14 17:30');
  });

  it('skips the lunch break', () => {
    expect(hours('2024-11-14 11:30', 1)).toBe('2024-11-14 14:00');
    expect(hours('2024-11-14 12:00', 1)).toBe('2024-11-14 14:30');
    expect(hours('2024-11-14 12:45', 0.5)).toBe('2024-11-14 14:00');
    expect(hours('2024-11-14 11:00', 1)).toBe('2024-11-14 12:00');
  });

  it('starts counting at opening time when received outside working hours', () => {
    expect(hours('2024-11-14 07:00', 1)).toBe('2024-11-14 10:00');
    expect(hours('2024-11-14 20:00', 1)).toBe('2024-11-15 10:00');
    expect(hours('2024-11-14 17:30', 0.25)).toBe('2024-11-15 09:15');
  });

  it('skips a weekend', () => {
    expect(hours('2024-11-15 17:00', 2)).toBe('2024-11-18 10:30'); // Friday → Monday
    expect(hours('2024-11-16 10:00', 1)).toBe('2024-11-18 10:00'); // received on Saturday
    expect(hours('2024-11-15 09:00', 7 + 7)).toBe('2024-11-18 17:30'); // two full days
  });

  it('skips a holiday and works an adjusted Saturday', () => {
    expect(hours('2024-09-30 17:00', 1)).toBe('2024-10-08 09:30'); // 国庆 2024
    expect(hours('2024-10-11 17:00', 1)).toBe('2024-10-12 09:30'); // Saturday 10-12 is a workday
    expect(hours('2025-01-27 16:00', 3)).toBe('2025-02-05 10:30'); // 春节 2025
  });

  it('counts working time between two instants, negative backwards', () => {
    expect(cal.workingMillisBetween(at('2024-11-14 16:30'), at('2024-11-15 10:00'))).toBe(2 * HOUR_MS);
    expect(cal.workingMillisBetween(at('2024-11-14 08:00'), at('2024-11-14 20:00'))).toBe(7 * HOUR_MS);
    expect(cal.workingMillisBetween(at('2024-11-15 17:00'), at('2024-11-18 09:30'))).toBe(HOUR_MS);
    expect(cal.workingMillisBetween(at('2024-09-30 17:30'), at('2024-10-08 09:00'))).toBe(0);
    expect(cal.workingMillisBetween(at('2024-11-15 10:00'), at('2024-11-14 16:30'))).toBe(-2 * HOUR_MS);
    expect(cal.workingMillisBetween(at('2024-11-14 10:00'), at('2024-11-14 10:00'))).toBe(0);
  });

  it('finds the next working instant', () => {
    const next = (s: string) => local(cal.nextWorkingInstant(at(s)));
    expect(next('2024-11-14 10:00')).toBe('2024-11-14 10:00');
    expect(next('2024-11-14 12:00')).toBe('2024-11-14 13:30');
    expect(next('2024-11-14 17:30')).toBe('2024-11-15 09:00');
    expect(next('2024-09-30 18:00')).toBe('2024-10-08 09:00');
    expect(next('2024-10-11 18:00')).toBe('2024-10-12 09:00');
    expect(cal.isWorkingTime(at('2024-11-14 09:00'))).toBe(true);
    expect(cal.isWorkingTime(at('2024-11-14 12:00'))).toBe(false);
  });

  it('refuses working hours that make no sense', () => {
    const bad: WorkingPeriod[][] = [
      [],
      [{ start: '09:00', end: '09:00' }],
      [{ start: '13:00', end: '17:00' }, { start: '09:00', end: '12:00' }],
      [{ start: '09:00', end: '12:30' }, { start: '12:00', end: '17:00' }],
      [{ start: '9:00', end: '12:00' }],
      [{ start: '09:00', end: '24:30' }],
    ];
    for (const h of bad) expect(() => withOverrides([], h), JSON.stringify(h)).toThrow(RangeError);
    expect(() => withOverrides([], [{ start: '00:00', end: '24:00' }])).not.toThrow();
  });
});

describe('overrides', () => {
  it('turn a working day into a holiday and a rest day into a working day', () => {
    const holiday = withOverrides([{ date: '2024-10-08', kind: 'holiday', name: '本区调整' }]);
    expect(holiday.isWorkday('2024-10-08')).toBe(false);
    expect(holiday.describeDay('2024-10-08')).toEqual({ date: '2024-10-08', workday: false, name: '本区调整', source: 'override' });
    expect(days('2024-09-28', 10, holiday)).toBe('2024-10-17 17:30');

    const workday = withOverrides([{ date: '2024-10-05', kind: 'workday' }]);
    expect(workday.isWorkday('2024-10-05')).toBe(true);
    expect(days('2024-09-28', 10, workday)).toBe('2024-10-15 17:30');
    expect(hours('2024-09-30 17:00', 1, workday)).toBe('2024-10-05 09:30');

    // A plain Friday and a plain Saturday, both ways.
    const both = withOverrides([
      { date: '2024-11-15', kind: 'holiday' },
      { date: '2024-11-16', kind: 'workday' },
    ]);
    expect([both.isWorkday('2024-11-15'), both.isWorkday('2024-11-16')]).toEqual([false, true]);
    expect(days('2024-11-14', 1, both)).toBe('2024-11-16 17:30');
    expect(hours('2024-11-14 17:00', 1, both)).toBe('2024-11-16 09:30');
    // The official calendar is untouched.
    expect([cal.isWorkday('2024-11-15'), cal.isWorkday('2024-11-16')]).toEqual([true, false]);
  });

  it('are refused when they name no real date or kind', () => {
    expect(() => withOverrides([{ date: '2024-13-01', kind: 'holiday' }])).toThrow(RangeError);
    expect(() => withOverrides([{ date: '2024-10-08', kind: 'day-off' as never }])).toThrow(RangeError);
  });
});

describe('years outside the data', () => {
  const future = OFFICIAL.toYear + 4;
  it('rest on Saturday and Sunday only, and say so through coverage()', () => {
    // 2030-01-01 is a Tuesday: New Year's Day, but unknown to the data.
    const tuesday = `${future}-01-01`;
    const weekday = new Date(`${tuesday}T00:00:00Z`).getUTCDay();
    expect(cal.isWorkday(tuesday)).toBe(weekday !== 0 && weekday !== 6);
    expect(cal.describeDay(tuesday).source).toBe('weekday');
    expect(cal.covers(at(`${future}-03-01`))).toBe(false);
    expect(cal.covers(at('2024-09-28'), at('2024-10-16'))).toBe(true);
    expect(cal.covers(at(`${OFFICIAL.toYear}-12-30`), at(`${OFFICIAL.toYear + 1}-01-05`))).toBe(false);
    expect(days('2003-12-31', 1)).toBe('2004-01-02 17:30'); // 2004-01-01 is a holiday
  });

  it('become covered when an administrator enters the next year, not a lone far year', () => {
    const next = OFFICIAL.toYear + 1;
    const entered = withOverrides([
      { date: `${next}-01-01`, kind: 'holiday', name: '元旦' },
      { date: `${future}-05-01`, kind: 'holiday', name: '劳动节' },
    ]);
    expect(entered.coverage()).toEqual({ fromYear: OFFICIAL.fromYear, toYear: next });
    expect(entered.isWorkday(`${next}-01-01`)).toBe(false);
  });

  it('deadlineOf reports coverage with the deadline', () => {
    const inside = deadlineOf(cal, at('2024-09-28'), { workingDays: 10 });
    expect(inside).toEqual({
      from: '2024-09-27T16:00:00.000Z',
      deadline: '2024-10-16T09:30:00.000Z',
      deadlineLocal: '2024-10-16 17:30 (Asia/Shanghai)',
      workingDays: 10,
      calendarCoverage: cal.coverage(),
      withinCoverage: true,
    });
    const outside = deadlineOf(cal, at(`${future}-03-01 10:00`), { workingHours: 2 });
    expect(outside).toMatchObject({ workingHours: 2, withinCoverage: false });
    expect(outside).not.toHaveProperty('workingDays');
  });
});

describe('times as text', () => {
  it('reads ISO 8601 with an offset, and Shanghai local time without one', () => {
    expect(parseInstant('2024-09-28T10:00:00Z')?.toISOString()).toBe('2024-09-28T10:00:00.000Z');
    expect(parseInstant('2024-09-28T10:00:00.250+08:00')?.toISOString()).toBe('2024-09-28T02:00:00.250Z');
    expect(parseInstant('2024-09-28T10:00-0530')?.toISOString()).toBe('2024-09-28T15:30:00.000Z');
    expect(parseInstant('2024-09-28')?.toISOString()).toBe('2024-09-27T16:00:00.000Z');
    expect(parseInstant('2024-09-28 16:30')?.toISOString()).toBe('2024-09-28T08:30:00.000Z');
    for (const bad of ['', 'tomorrow', '2024-02-30', '2024-09-28T25:00Z', '2024-9-28', '2024-09-28T10:00+25:00', '20245-01-01']) {
      expect(parseInstant(bad), bad).toBeNull();
    }
    expect(formatShanghai(new Date('2024-10-16T09:30:00Z'))).toBe('2024-10-16 17:30');
    expect(shanghaiDate(new Date('2024-09-30T16:00:00Z'))).toBe('2024-10-01');
  });
});

// ---- properties ---------------------------------------------------------------------------------

/** Instants from 2003 to two years past the data: covered and uncovered years, any minute. */
const instant = fc
  .integer({ min: Date.UTC(2003, 0, 1), max: Date.UTC(OFFICIAL.toYear + 2, 11, 31) })
  .map((t) => new Date(t));
const dateIn = (fromYear: number, toYear: number) =>
  fc.integer({ min: dayNumberOf(`${fromYear}-01-01`)!, max: dayNumberOf(`${toYear}-12-31`)! }).map(dateOfDayNumber);
const overrides = fc.uniqueArray(
  fc.record({ date: dateIn(2023, OFFICIAL.toYear + 2), kind: fc.constantFrom('workday' as const, 'holiday' as const) }),
  { selector: (r) => r.date, maxLength: 40 },
);
const calendars = overrides.map((o) => withOverrides(o));
const workingDays = fc.integer({ min: 1, max: 60 });
/** Whole minutes up to three weeks of working time, and a few odd fractions. */
const workingHours = fc.oneof(
  fc.integer({ min: 1, max: 7 * 15 * 60 }).map((m) => m / 60),
  fc.double({ min: 0.001, max: 100, noNaN: true }),
);

describe('properties', () => {
  it('addWorkingDays is monotonic in n', () => {
    fc.assert(
      fc.property(calendars, instant, workingDays, workingDays, (c, from, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const [x, y] = [c.addWorkingDays(from, lo), c.addWorkingDays(from, hi)];
        expect(lo < hi ? x < y : x.getTime() === y.getTime()).toBe(true);
      }),
    );
  });

  it('addWorkingDays is monotonic in from', () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 0, max: 20 * 86_400_000 }), workingDays, (c, from, later, n) => {
        const from2 = new Date(from.getTime() + later);
        expect(c.addWorkingDays(from, n).getTime()).toBeLessThanOrEqual(c.addWorkingDays(from2, n).getTime());
      }),
    );
  });

  it('addWorkingDays ends a working day, and exactly n working days follow the day of receipt', () => {
    fc.assert(
      fc.property(calendars, instant, workingDays, (c, from, n) => {
        const due = c.addWorkingDays(from, n);
        expect(c.isWorkday(due)).toBe(true);
        expect(due.getTime()).toBe(c.endOfWorkingDay(shanghaiDate(due)).getTime());
        let count = 0;
        for (let d = dayNumberOf(shanghaiDate(from))! + 1; d <= dayNumberOf(shanghaiDate(due))!; d++) {
          if (c.isWorkday(dateOfDayNumber(d))) count++;
        }
        expect(count).toBe(n);
      }),
    );
  });

  it('addWorkingDays agrees with chinese-days findWorkday', () => {
    fc.assert(
      fc.property(instant, workingDays, (from, n) => {
        expect(shanghaiDate(cal.addWorkingDays(from, n))).toBe(findWorkday(n, shanghaiDate(from)));
      }),
      { numRuns: 300 },
    );
  });

  it('workingMillisBetween(from, addWorkingHours(from, h)) is h hours', () => {
    fc.assert(
      fc.property(calendars, instant, workingHours, (c, received, h) => {
        const from = c.nextWorkingInstant(received); // inside working time
        expect(c.isWorkingTime(from)).toBe(true);
        const due = c.addWorkingHours(from, h);
        expect(c.workingMillisBetween(from, due)).toBe(Math.round(h * HOUR_MS));
        // From outside working time, the hours are counted from the next opening.
        expect(c.workingMillisBetween(received, c.addWorkingHours(received, h))).toBe(Math.round(h * HOUR_MS));
        expect(c.addWorkingHours(received, h).getTime()).toBe(due.getTime());
      }),
    );
  });

  it('working hours add up: (from + a) + b = from + (a + b)', () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 1, max: 6000 }), fc.integer({ min: 1, max: 6000 }), (c, from, a, b) => {
        const stepwise = c.addWorkingMillis(c.addWorkingMillis(from, a * 60_000), b * 60_000);
        expect(stepwise.getTime()).toBe(c.addWorkingMillis(from, (a + b) * 60_000).getTime());
      }),
    );
  });

  it('formatShanghai and parseInstant round-trip to the minute', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const minute = new Date(Math.floor(t.getTime() / 60_000) * 60_000);
        expect(parseInstant(formatShanghai(minute))?.getTime()).toBe(minute.getTime());
      }),
    );
  });
});

describe('an official calendar given as data', () => {
  it('can be any arrangement: a core with no package behind it', () => {
    const made: OfficialCalendar = {
      source: 'test',
      fromYear: 2024,
      toYear: 2024,
      days: [{ date: '2024-11-14', kind: 'holiday', name: '测试' }],
    };
    const c = new WorkCalendar({ official: made, workingHours: DEFAULT_WORKING_HOURS });
    expect(c.isWorkday('2024-10-01')).toBe(true);
    expect(c.isWorkday('2024-11-14')).toBe(false);
    expect(c.coverage()).toEqual({ fromYear: 2024, toYear: 2024 });
    expect(c.source).toBe('test');
  });
});
