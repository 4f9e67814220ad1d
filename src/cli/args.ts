/**
 * Argument parsers for commander: a bad value is a usage error (exit 64) with a bilingual
 * message, before any database is opened.
 */
import { InvalidArgumentError } from 'commander';
import { areaCode } from '../shared/contract';

export function parseAreaCode(value: string): string {
  if (!areaCode.safeParse(value).success) {
    throw new InvalidArgumentError(`区划代码应为 6–18 位数字 / an area code has 6–18 digits`);
  }
  return value;
}

export function parseDistrictCode(value: string): string {
  if (!/^[0-9]{6}$/.test(value)) {
    throw new InvalidArgumentError(`区县代码应为 6 位数字，如 370202 / a district code has 6 digits, e.g. 370202`);
  }
  return value;
}

export function numberIn(min: number, max: number, what: { zh: string; en: string }) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${what.zh}应为 ${min} 到 ${max} 之间的数 / ${what.en} must be a number from ${min} to ${max}`);
    }
    return n;
  };
}

export function integerIn(min: number, max: number, what: { zh: string; en: string }) {
  const asNumber = numberIn(min, max, what);
  return (value: string): number => {
    const n = asNumber(value);
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${what.zh}应为整数 / ${what.en} must be a whole number`);
    return n;
  };
}
