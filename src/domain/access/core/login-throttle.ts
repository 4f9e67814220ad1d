/**
 * Login throttling, pure: time comes in as an argument. Two guards work together:
 * - per client address, a sliding window of attempts (stops password spraying across accounts);
 * - per account, consecutive failures lock the account for a while (stops guessing one password).
 * The account lock is stored with the user (see service.ts); this file holds the rules.
 */
export const LOGIN_POLICY = {
  maxFailuresBeforeLock: 5,
  lockMinutes: 15,
  perAddressWindowMs: 60_000,
  perAddressMaxAttempts: 20,
} as const;

export function lockUntilAfterFailure(failuresSoFar: number, now: Date): Date | null {
  return failuresSoFar + 1 >= LOGIN_POLICY.maxFailuresBeforeLock
    ? new Date(now.getTime() + LOGIN_POLICY.lockMinutes * 60_000)
    : null;
}

export function isLocked(lockedUntil: Date | null, now: Date): boolean {
  return lockedUntil !== null && lockedUntil.getTime() > now.getTime();
}

/** A sliding-window counter per key; memory is bounded by pruning old keys. */
export class AttemptWindow {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly windowMs: number = LOGIN_POLICY.perAddressWindowMs,
    private readonly max: number = LOGIN_POLICY.perAddressMaxAttempts,
  ) {}

  /** Records an attempt; false when the key is over its limit. */
  allow(key: string, nowMs: number): boolean {
    const since = nowMs - this.windowMs;
    const list = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return false;
    }
    list.push(nowMs);
    this.hits.set(key, list);
    if (this.hits.size > 10_000) this.prune(since);
    return true;
  }

  private prune(since: number) {
    for (const [k, v] of this.hits) if (!v.some((t) => t > since)) this.hits.delete(k);
  }
}

/** Password rule for staff accounts: long enough, not a single repeated class of character. */
export function passwordProblems(password: string, username: string): { zh: string; en: string }[] {
  const out: { zh: string; en: string }[] = [];
  if (password.length < 10) out.push({ zh: '密码至少10个字符', en: 'The password needs at least 10 characters' });
  if (password.length > 200) out.push({ zh: '密码不能超过200个字符', en: 'The password may have at most 200 characters' });
  if (/^\d+$/.test(password) || /^[a-zA-Z]+$/.test(password)) {
    out.push({ zh: '密码不能只含数字或只含字母', en: 'The password must not be only digits or only letters' });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    out.push({ zh: '密码不能包含用户名', en: 'The password must not contain the username' });
  }
  return out;
}
