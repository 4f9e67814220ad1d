import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  change,
  comparedMonths,
  dateRuns,
  datesBetween,
  daysBetween,
  formatChange,
  formatRate,
  isLocalDate,
  isMonth,
  localDateOf,
  localDayStart,
  monthPeriod,
  rate,
  sumRates,
} from './rates';

describe('rate', () => {
  it('is the numerator over the denominator, with both beside it', () => {
    expect(rate(3, 4)).toEqual({ rate: 0.75, num: 3, den: 4 });
    expect(rate(0, 5)).toEqual({ rate: 0, num: 0, den: 5 });
    expect(rate(5, 5)).toEqual({ rate: 1, num: 5, den: 5 });
  });

  it('is null over nothing, never 0 or 100 %', () => {
    expect(rate(0, 0)).toEqual({ rate: null, num: 0, den: 0 });
    expect(formatRate(rate(0, 0))).toBe('—');
  });

  it('refuses counts that cannot be one (a bug upstream, not a figure)', () => {
    expect(() => rate(5, 4)).toThrow(RangeError);
    expect(() => rate(-1, 4)).toThrow(RangeError);
    expect(() => rate(1.5, 4)).toThrow(RangeError);
    expect(() => rate(1, Number.NaN)).toThrow(RangeError);
  });

  it('formats as a percentage', () => {
    expect(formatRate(rate(3, 4))).toBe('75.0%');
    expect(formatRate(rate(1, 3), 2)).toBe('33.33%');
  });

  it('sums parts by their counts, not by averaging rates', () => {
    // 1/1 and 0/3 are 25 %, not the 50 % an average of rates would say
    expect(sumRates([rate(1, 1), rate(0, 3)])).toEqual({ rate: 0.25, num: 1, den: 4 });
    expect(sumRates([])).toEqual({ rate: null, num: 0, den: 0 });
  });

  it('property: 0 ≤ rate ≤ 1 and numerator ≤ denominator, for single rates and sums', () => {
    const aRate = fc.nat({ max: 1_000_000 }).chain((den) => fc.nat({ max: den }).map((num) => rate(num, den)));
    fc.assert(
      fc.property(fc.array(aRate, { maxLength: 20 }), (rates) => {
        for (const r of [...rates, sumRates(rates)]) {
          expect(r.num).toBeLessThanOrEqual(r.den);
          if (r.den === 0) expect(r.rate).toBeNull();
          else {
            expect(r.rate).toBeGreaterThanOrEqual(0);
            expect(r.rate).toBeLessThanOrEqual(1);
            expect(r.rate).toBeCloseTo(r.num / r.den, 12);
          }
        }
      }),
    );
  });
});

describe('change (环比 / 同比)', () => {
  it('is the difference and its percentage of the earlier figure', () => {
    // "油烟污染 … 同比下降 27.2 %": 728 complaints against 1,000 a year before
    expect(change(728, 1000)).toEqual({ current: 728, previous: 1000, delta: -272, pct: -27.2 });
    expect(formatChange(change(728, 1000))).toBe('−27.2%');
    expect(formatChange(change(125, 100))).toBe('+25.0%');
    expect(formatChange(change(100, 100))).toBe('0.0%');
    // rounding to 0.0 shows no sign
    expect(formatChange(change(100_000, 100_001))).toBe('0.0%');
  });

  it('has no percentage without a base', () => {
    expect(change(5, 0)).toEqual({ current: 5, previous: 0, delta: 5, pct: null });
    expect(change(0, 0).pct).toBeNull();
    expect(formatChange(change(5, 0))).toBe('—');
  });

  it('property: the earlier figure moved by pct gives the current one', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (current, previous) => {
        const c = change(current, previous);
        expect(c.delta).toBe(current - previous);
        expect(previous * (1 + c.pct! / 100)).toBeCloseTo(current, 6);
        expect(c.pct!).toBeGreaterThanOrEqual(-100);
      }),
    );
  });
});

describe('local (Asia/Shanghai) days', () => {
  it('a local day starts at 16:00 UTC the day before', () => {
    expect(localDayStart('2025-03-01')).toBe('2025-02-28T16:00:00.000Z');
    expect(localDayStart('2025-01-01')).toBe('2024-12-31T16:00:00.000Z');
    expect(localDateOf(new Date('2025-02-28T15:59:59.999Z'))).toBe('2025-02-28');
    expect(localDateOf(new Date('2025-02-28T16:00:00.000Z'))).toBe('2025-03-01');
  });

  it('knows real calendar dates and months', () => {
    expect(isLocalDate('2024-02-29')).toBe(true);
    expect(isLocalDate('2025-02-29')).toBe(false);
    expect(isLocalDate('2025-13-01')).toBe(false);
    expect(isLocalDate('2025-1-01')).toBe(false);
    expect(isLocalDate('20250101')).toBe(false);
    expect(isMonth('2025-12')).toBe(true);
    expect(isMonth('2025-00')).toBe(false);
    expect(isMonth('2025-1')).toBe(false);
    expect(() => localDayStart('2025-02-30')).toThrow(RangeError);
  });

  it('moves by months and days across year ends', () => {
    expect(addMonths('2025-01', -1)).toBe('2024-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2025-03', -12)).toBe('2024-03');
    expect(monthPeriod('2024-02')).toEqual({ from: '2024-02-01', to: '2024-03-01' });
    expect(monthPeriod('2025-12')).toEqual({ from: '2025-12-01', to: '2026-01-01' });
    expect(comparedMonths('2025-01')).toEqual({ month: '2025-01', previousMonth: '2024-12', sameMonthLastYear: '2024-01' });
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-03-01', -1)).toBe('2025-02-28');
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
    expect(datesBetween('2025-02-27', '2025-03-02')).toEqual(['2025-02-27', '2025-02-28', '2025-03-01']);
  });

  it('property: runs of dates cover exactly the dates, consecutive and bounded', () => {
    const aDate = fc.integer({ min: 0, max: 800 }).map((n) => addDays('2024-01-01', n));
    fc.assert(
      fc.property(fc.array(aDate, { maxLength: 60 }), fc.integer({ min: 1, max: 40 }), (dates, max) => {
        const sorted = [...new Set(dates)].sort();
        const runs = dateRuns(sorted, max);
        expect(runs.flatMap((r) => datesBetween(r.from, r.to))).toEqual(sorted);
        for (const r of runs) expect(daysBetween(r.from, r.to)).toBeLessThanOrEqual(max);
      }),
    );
  });
});
