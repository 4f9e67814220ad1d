/**
 * The real HTTP app over a fresh real database, for tier-2 tests through `app.inject`.
 * `as(username)` signs a demo user in through the real login route and returns headers.
 */
import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app';
import { composeDeps, type Deps } from '../../src/server/compose';
import { fakeClock } from '../../src/shared/clock';
import type { App } from '../../src/shared/http';
import { freshDb } from './db';
import { TEST_CONFIG, TEST_DEMO_PASSWORD } from './constants';

export interface TestApp {
  app: App;
  deps: Deps;
  clock: ReturnType<typeof fakeClock>;
  as(username: string): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export async function testApp(options: { seed?: boolean; now?: string; sensorSecret?: string } = {}): Promise<TestApp> {
  const { db, cleanup } = await freshDb({ seed: options.seed ?? true });
  const clock = fakeClock(options.now ?? '2026-11-22T02:00:00Z');
  const deps = composeDeps(db, { ...TEST_CONFIG, sensorSecret: options.sensorSecret ?? null }, clock);
  const app = await buildApp(deps, { webDist: null });
  await app.ready();
  // Sessions expire after 12 h of (fake) clock time; a test that moves the clock signs in again.
  const tokens = new Map<string, { token: string; at: number }>();
  return {
    app,
    deps,
    clock,
    async as(username) {
      const cached = tokens.get(username);
      let token = cached && clock().getTime() - cached.at < 11 * 3_600_000 ? cached.token : undefined;
      if (!token) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'x-minsheng-csrf': '1' },
          payload: { username, password: TEST_DEMO_PASSWORD },
        });
        if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
        token = (res.json() as { token: string }).token;
        tokens.set(username, { token, at: clock().getTime() });
      }
      return { authorization: `Bearer ${token}` };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}

export const json = <T = Record<string, unknown>>(res: LightMyRequestResponse) => res.json() as T;
