/**
 * 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence
 * (odd for men, even for women), 1 check character (ISO 7064 MOD 11-2; 10 is written X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

export type IdProblem = 'format' | 'check_digit' | 'birth_date' | 'birth_mismatch' | 'sex_mismatch';

export interface IdInfo {
  birthDate: string; // YYYY-MM-DD
  sex: 'M' | 'F';
  addressCode: string;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/**
 * Checks an 18-character ID number; with `expect`, also that the birth date and sex given
 * elsewhere agree with the number. `today` bounds the birth date (no births in the future).
 */
export function checkIdNumber(
  raw: string,
  options: { today?: string; expect?: { birthDate?: string | null; sex?: 'M' | 'F' | null } } = {},
): { ok: true; info: IdInfo } | { ok: false; problem: IdProblem } {
  const id = raw.trim().toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  if (idCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'check_digit' };
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (y < 1880 || !validDate(y, m, d) || (options.today !== undefined && birthDate > options.today)) {
    return { ok: false, problem: 'birth_date' };
  }
  const sex = Number(id[16]) % 2 === 1 ? 'M' : 'F';
  if (options.expect?.birthDate && options.expect.birthDate !== birthDate) return { ok: false, problem: 'birth_mismatch' };
  if (options.expect?.sex && options.expect.sex !== sex) return { ok: false, problem: 'sex_mismatch' };
  return { ok: true, info: { birthDate, sex, addressCode: id.slice(0, 6) } };
}

/** Builds a valid number from its parts (the demo generator and tests). */
export function makeIdNumber(addressCode: string, birthDate: string, sequence: number, sex: 'M' | 'F'): string {
  const seq = sequence * 2 + (sex === 'M' ? 1 : 0);
  const first17 = `${addressCode}${birthDate.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** Demo ID numbers start with 99: no province has that code, so no real number does. */
export const DEMO_ID_PREFIX = '99';
export function isDemoIdNumber(id: string): boolean {
  return id.startsWith(DEMO_ID_PREFIX);
}

/** 3702**********1234: the first four and the last four characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 8) return '*'.repeat(id.length);
  return `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

/** 138****5678 */
export function maskPhoneNumber(phone: string): string {
  if (phone.length <= 4) return '*'.repeat(phone.length);
  if (phone.length < 8) return `${phone.slice(0, 1)}${'*'.repeat(phone.length - 3)}${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/** 王*明 / 李* : a name for publicity lists and masked views. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return name;
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
