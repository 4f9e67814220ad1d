import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkIdNumber, idCheckChar, makeIdNumber, maskIdNumber, maskName, maskPhoneNumber } from './id-number';
import { fromDayNumber, dayNumber } from './dates';

const dateArb = fc.integer({ min: dayNumber('1900-01-01'), max: dayNumber('2026-11-22') }).map(fromDayNumber);
const idArb = fc
  .record({
    addr: fc.integer({ min: 110000, max: 999999 }).map(String),
    birth: dateArb,
    seq: fc.integer({ min: 0, max: 499 }),
    sex: fc.constantFrom<'M' | 'F'>('M', 'F'),
  })
  .map((r) => ({ ...r, id: makeIdNumber(r.addr, r.birth, r.seq, r.sex) }));

describe('GB 11643 ID numbers', () => {
  it('a generated valid number always validates, with its birth date and sex', () => {
    fc.assert(
      fc.property(idArb, ({ id, birth, sex }) => {
        const r = checkIdNumber(id, { today: '2026-11-22', expect: { birthDate: birth, sex } });
        expect(r).toEqual({ ok: true, info: { birthDate: birth, sex, addressCode: id.slice(0, 6) } });
      }),
    );
  });

  it('changing any one character breaks the check', () => {
    fc.assert(
      fc.property(idArb, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ id }, pos, delta) => {
        const alphabet = pos === 17 ? '0123456789X' : '0123456789';
        const i = alphabet.indexOf(id[pos]!);
        const replaced = alphabet[(i + delta) % alphabet.length]!;
        fc.pre(replaced !== id[pos]);
        const bad = id.slice(0, pos) + replaced + id.slice(pos + 1);
        expect(checkIdNumber(bad).ok).toBe(false);
      }),
    );
  });

  it('names the problem: format, check digit, date, birth and sex mismatch', () => {
    const id = makeIdNumber('990001', '1950-02-28', 12, 'F');
    expect(checkIdNumber('12345')).toEqual({ ok: false, problem: 'format' });
    expect(checkIdNumber(id.slice(0, 17) + (id[17] === '0' ? '1' : '0'))).toEqual({ ok: false, problem: 'check_digit' });
    const feb30 = '99000119500230012';
    expect(checkIdNumber(feb30 + idCheckChar(feb30))).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkIdNumber(id, { expect: { birthDate: '1950-03-01' } })).toEqual({ ok: false, problem: 'birth_mismatch' });
    expect(checkIdNumber(id, { expect: { sex: 'M' } })).toEqual({ ok: false, problem: 'sex_mismatch' });
    expect(checkIdNumber(makeIdNumber('990001', '2030-01-01', 1, 'M'), { today: '2026-11-22' })).toEqual({ ok: false, problem: 'birth_date' });
    // A known-good published example (GB 11643 annex): 11010519491231002X
    expect(checkIdNumber('11010519491231002X')).toMatchObject({ ok: true, info: { birthDate: '1949-12-31', sex: 'F' } });
    expect(checkIdNumber('11010519491231002x').ok).toBe(true);
  });

  it('masks', () => {
    expect(maskIdNumber('370202195001011234')).toBe('3702**********1234');
    expect(maskPhoneNumber('13812345678')).toBe('138****5678');
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('李四')).toBe('李*');
  });
});
