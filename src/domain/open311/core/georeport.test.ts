import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { commaList, dateWindow, openClosed, parseDateArg, redactPersonal, requesterName, shanghaiIso, ticketTypeFor, titleFrom, updateStatus } from './georeport';

describe('dates', () => {
  it('writes ISO 8601 with +08:00', () => {
    expect(shanghaiIso(new Date('2026-11-23T01:00:00Z'))).toBe('2026-11-23T09:00:00+08:00');
    expect(shanghaiIso(new Date('2026-12-31T16:30:05.999Z'))).toBe('2027-01-01T00:30:05+08:00');
  });

  it('reads W3C datetimes, bare dates as Shanghai time, and rejects impossible ones', () => {
    expect(parseDateArg('2026-11-23T09:00:00+08:00')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(parseDateArg('2026-11-23T01:00:00Z')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(parseDateArg('2026-11-23T01:00:00.5-0500')?.toISOString()).toBe('2026-11-23T06:00:00.500Z');
    expect(parseDateArg('2026-11-23')?.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(parseDateArg('2026-11-23T09:00')?.toISOString()).toBe('2026-11-23T01:00:00.000Z');
    for (const bad of ['2026-02-30', '2026-13-01', 'yesterday', '2026-11-23T25:00:00Z', '', '1e9']) expect(parseDateArg(bad)).toBeNull();
  });

  it('round-trips every instant through shanghaiIso and parseDateArg (to the second)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000 }), (s) => {
        const d = new Date(s * 1000);
        expect(parseDateArg(shanghaiIso(d))?.getTime()).toBe(d.getTime());
      }),
    );
  });

  it('windows: 90 days by default, one bound extends 90 days, wider or inverted is an error', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    const w = dateWindow(now, null, null);
    expect('from' in w && w.from.toISOString()).toBe('2026-08-25T00:00:00.000Z');
    expect(dateWindow(now, new Date('2026-01-01'), new Date('2026-06-01'))).toEqual({ error: 'start_date to end_date spans more than 90 days' });
    expect(dateWindow(now, new Date('2026-06-01'), new Date('2026-01-01'))).toEqual({ error: 'end_date is before start_date' });
  });
});

describe('status', () => {
  it('closed and merged are closed, everything else open', () => {
    expect(['received', 'dispatched', 'in_progress', 'extension_pending', 'returned', 'replied'].map(openClosed)).toEqual(Array(6).fill('open'));
    expect(['closed', 'merged'].map(openClosed)).toEqual(['closed', 'closed']);
  });

  it('maps replies by resolution to FixMyStreet statuses', () => {
    expect(updateStatus('replied', { resolution: 'resolved' })).toBe('FIXED');
    expect(updateStatus('replied', { resolution: 'not_government' })).toBe('NOT_COUNCILS_RESPONSIBILITY');
    expect(updateStatus('followed_up', {})).toBe('CLOSED');
    expect(updateStatus('merged', {})).toBe('DUPLICATE');
  });
});

describe('intake', () => {
  it('chooses the ticket type from the category', () => {
    expect(ticketTypeFor({ code: 'urban.appearance.stall', name: '占道经营' })).toBe('complaint');
    expect(ticketTypeFor({ code: 'education.school.enrolment', name: '入学咨询' })).toBe('consultation');
    expect(ticketTypeFor({ code: 'civil.elderly.meals', name: '助老食堂' })).toBe('help');
  });

  it('titles are the first 30 characters on one line', () => {
    expect(titleFrom('  路灯\n不亮  ')).toBe('路灯 不亮');
    expect([...titleFrom('字'.repeat(50))]).toHaveLength(30);
    expect(titleFrom('😀'.repeat(40))).toBe('😀'.repeat(30));
  });

  it('names: 姓名 for Chinese, first last otherwise', () => {
    expect(requesterName('小明', '王')).toBe('王小明');
    expect(requesterName('John', 'Smith')).toBe('John Smith');
    expect(requesterName(undefined, '  ')).toBeUndefined();
  });

  it('comma lists', () => {
    expect(commaList(' a, b,,a ,c ')).toEqual(['a', 'b', 'c']);
  });
});

describe('redactPersonal', () => {
  it('masks phones, ID numbers and e-mail addresses, keeps ticket numbers and dates', () => {
    const text = '联系我 13812345678 或 +86 138-1234-5678，座机 0532-88881234，身份证 370202199001011234，邮箱 zhang.san@example.com。编号 20261123-000001，2026-11-23。';
    const out = redactPersonal(text);
    expect(out).not.toMatch(/13812345678|88881234|370202199001011234|zhang\.san/);
    expect(out).toContain('138****5678');
    expect(out).toContain('z***@example.com');
    expect(out).toContain('20261123-000001');
    expect(out).toContain('2026-11-23');
  });

  it('never leaves an 11-digit mobile number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.stringMatching(/^1[3-9]\d{9}$/), fc.string({ maxLength: 20 }), (a, phone, b) => {
        expect(redactPersonal(`${a} ${phone} ${b}`)).not.toContain(phone);
      }),
    );
  });
});
