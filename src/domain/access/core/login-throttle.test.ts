import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AttemptWindow, LOGIN_POLICY, isLocked, lockUntilAfterFailure, passwordProblems } from './login-throttle';

describe('login throttle', () => {
  it('locks on the fifth consecutive failure, not before', () => {
    const now = new Date('2026-11-22T08:00:00Z');
    expect(lockUntilAfterFailure(3, now)).toBeNull();
    const until = lockUntilAfterFailure(4, now);
    expect(until?.toISOString()).toBe('2026-11-22T08:15:00.000Z');
    expect(isLocked(until, new Date('2026-11-22T08:14:59Z'))).toBe(true);
    expect(isLocked(until, new Date('2026-11-22T08:15:01Z'))).toBe(false);
  });

  it('never allows more than the limit inside one window, for any attempt times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300_000 }), { maxLength: 200 }), (times) => {
        const w = new AttemptWindow(60_000, 5);
        const sorted = [...times].sort((a, b) => a - b);
        const allowed = sorted.filter((t) => w.allow('ip', t));
        for (const t of allowed) {
          expect(allowed.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(5);
        }
      }),
    );
  });

  it('keeps keys apart', () => {
    const w = new AttemptWindow(60_000, LOGIN_POLICY.perAddressMaxAttempts);
    for (let i = 0; i < LOGIN_POLICY.perAddressMaxAttempts; i++) expect(w.allow('a', i)).toBe(true);
    expect(w.allow('a', 100)).toBe(false);
    expect(w.allow('b', 100)).toBe(true);
  });

  it('rejects weak passwords with a reason', () => {
    expect(passwordProblems('short1', 'x')).toHaveLength(1);
    expect(passwordProblems('1234567890', 'x').map((p) => p.en)).toContain('The password must not be only digits or only letters');
    expect(passwordProblems('zhangsan-2026!', 'zhangsan').map((p) => p.en)).toContain('The password must not contain the username');
    expect(passwordProblems('Qingdao-2026!', 'admin')).toEqual([]);
  });
});
