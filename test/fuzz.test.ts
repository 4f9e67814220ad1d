/**
 * Garbage in, clear 4xx out: fast-check sends random and malformed bodies, query strings,
 * path parameters and headers to every endpoint of the OpenAPI document, signed in or not.
 * Never a 5xx, never a crash, never a write (an audited read is a read); a write names its request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testApp, type TestApp } from './helpers/app';

let t: TestApp;
let endpoints: { method: string; path: string }[];
let admin: Record<string, string>;

const TABLES = ['areas', 'users', 'grid_staff', 'departments', 'staff_kinds', 'sessions', 'tickets', 'ticket_events', 'calendar_overrides'];
async function counts() {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  // An audited read (a search or list of personal data, an explanation, an export) is a read: its audit row
  // is the trail the rules require, not a change. Every other audit row is a write.
  out.audit = (
    await t.deps.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log
        WHERE action NOT LIKE 'auth.%' AND action NOT LIKE '%.read' AND action NOT LIKE '%.search' AND action NOT LIKE '%.explain'
          AND action NOT LIKE '%.export'`,
    )
  )[0]!.n;
  return out;
}

/**
 * Jobs an administrator may start by hand: they take no input, act on what is due and are safe to
 * repeat, so any request — garbage included — may legitimately do their work (and audit it) once.
 */
const JOBS = new Set(['POST /api/v1/knowledge/flag-expired', 'POST /api/v1/analysis/proactive-tasks/generate']);

beforeAll(async () => {
  t = await testApp();
  const doc = t.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  endpoints = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
  admin = await t.as('admin');
});
afterAll(() => t.close());

const weird = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', ' ', '%00', '..%2F..%2Fetc%2Fpasswd', "' OR 1=1 --", '370202', '370202001', 'null', '1e309', '-1', '🦄', '\u0000', 'a'.repeat(5000)),
  fc.integer().map(String),
  fc.uuid(),
);

const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom('username', 'password', 'role', 'areaCode', 'name', 'staffKind', 'phone', 'displayName', 'x', '__proto__', 'constructor'), fc.jsonValue()).map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom('{', '{"a":', '[]', 'null', '"str"', '{"__proto__":{"admin":true}}', '\u0000\u0001'),
);

const request = fc.record({
  endpoint: fc.nat(),
  params: fc.array(weird, { minLength: 2, maxLength: 2 }),
  query: fc.dictionary(fc.constantFrom('parent', 'level', 'lon', 'lat', 'crs', 'page', 'pageSize', 'q', 'role', 'action', 'actorId', 'status', 'unit', 'overdue', 'from', 'workingDays', 'workingHours', 'zzz'), weird, { maxKeys: 4 }),
  body: fc.option(body, { nil: undefined }),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', ''),
  signedIn: fc.boolean(),
  extraHeaders: fc.dictionary(fc.constantFrom('accept-language', 'authorization', 'cookie', 'x-minsheng-csrf', 'origin'), fc.string({ maxLength: 200 }), { maxKeys: 3 }),
});

describe('fuzz', () => {
  it('the OpenAPI document lists the endpoints', () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(15);
  });

  it('never answers 5xx, never writes', async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const e = endpoints[r.endpoint % endpoints.length]!;
        let i = 0;
        const url = e.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.params[i++] ?? 'x'));
        const qs = new URLSearchParams(r.query).toString();
        // Signing out is a legitimate write that would end the fuzzer's own session.
        const signedIn = r.signedIn && e.path !== '/api/v1/auth/logout';
        const headers: Record<string, string> = { ...r.extraHeaders, ...(signedIn ? { ...admin, 'x-minsheng-csrf': '1' } : {}) };
        if (r.contentType) headers['content-type'] = r.contentType;
        const prior = await counts();
        const res = await t.app.inject({
          method: e.method as 'GET',
          url: qs ? `${url}?${qs}` : url,
          headers,
          ...(r.body !== undefined && e.method !== 'GET' ? { payload: r.body } : {}),
        });
        if (res.statusCode >= 500) throw new Error(`${e.method} ${url}?${qs} → ${res.statusCode} ${res.body.slice(0, 300)}`);
        const after = await counts();
        if (!JOBS.has(`${e.method} ${e.path}`) && JSON.stringify(after) !== JSON.stringify(prior)) {
          throw new Error(`wrote: ${e.method} ${url.slice(0, 120)}?${qs.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)} ${JSON.stringify(after)}`);
        }
        if (res.statusCode >= 400) {
          const err = (res.json() as { error?: { code?: string; zh?: string; en?: string } }).error;
          if (!(err?.code && err.zh && err.en)) throw new Error(`no error body: ${e.method} ${url.slice(0, 80)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }),
      { numRuns: 600 },
    );
    // Every request was checked on its own above; here only the jobs may have left a trace.
    const after = await counts();
    for (const table of TABLES) expect(after[table], table).toBe(before[table]);
  });
});
