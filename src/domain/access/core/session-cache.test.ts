import { describe, expect, it } from 'vitest';
import { SessionCache } from './session-cache';

describe('SessionCache', () => {
  it('forgets after its time, on sign-out and for a disabled user', () => {
    const c = new SessionCache<{ userId: string }>(5_000);
    c.set('a', { userId: 'u1' }, 0);
    c.set('b', { userId: 'u1' }, 0);
    c.set('c', { userId: 'u2' }, 0);
    expect(c.get('a', 4_999)).toEqual({ userId: 'u1' });
    expect(c.get('a', 5_000)).toBeUndefined();
    c.forget('c');
    expect(c.get('c', 1)).toBeUndefined();
    c.forgetUser('u1');
    expect(c.get('b', 1)).toBeUndefined();
  });
});
