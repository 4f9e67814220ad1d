/**
 * A few seconds of memory for session lookups, so a busy hotline does not pay a database round
 * trip per request just to learn who is asking. Sign-out and disabling a user clear their entries
 * in this process at once; another process sees it within `ttlMs` (5 s by default).
 */
export class SessionCache<V extends { userId: string }> {
  private readonly entries = new Map<string, { until: number; value: V }>();
  constructor(
    private readonly ttlMs = 5_000,
    private readonly max = 10_000,
  ) {}

  get(key: string, nowMs: number): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: V, nowMs: number): void {
    if (this.entries.size >= this.max) this.entries.clear();
    this.entries.set(key, { until: nowMs + this.ttlMs, value });
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  forgetUser(userId: string): void {
    for (const [k, e] of this.entries) if (e.value.userId === userId) this.entries.delete(k);
  }
}
