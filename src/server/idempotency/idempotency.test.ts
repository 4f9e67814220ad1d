import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const body = (username: string) => ({ username, displayName: '幂等测试', role: 'dispatcher', password: 'Retry-safe-2026', areaCode: '370202001' });
const count = async (username: string) =>
  (await t.deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE username = $1`, [username]))[0]!.n;

describe('Idempotency-Key', () => {
  it('a retried POST replays the first answer and writes once', async () => {
    const headers = { ...(await t.as('admin')), 'idempotency-key': 'retry-test-0001' };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: body('idem.one') });
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: body('idem.one') });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(json(second)).toEqual(json(first));
    expect(await count('idem.one')).toBe(1);
  });

  it('the same key with another body is refused', async () => {
    const headers = { ...(await t.as('admin')), 'idempotency-key': 'retry-test-0002' };
    await t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: body('idem.two') });
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: body('idem.three') });
    expect(other.statusCode).toBe(409);
    expect(await count('idem.three')).toBe(0);
  });

  it('concurrent retries act once', async () => {
    const headers = { ...(await t.as('admin')), 'idempotency-key': 'retry-test-0003' };
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => t.app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: body('idem.four') })),
    );
    expect(await count('idem.four')).toBe(1);
    expect(answers.filter((a) => a.statusCode === 201 && !a.headers['idempotent-replayed'])).toHaveLength(1);
    expect(answers.every((a) => a.statusCode === 201 || a.statusCode === 409)).toBe(true);
  });

  it('a client error is replayed too, and a malformed key is a 400', async () => {
    const admin = await t.as('admin');
    const bad = { ...admin, 'idempotency-key': 'retry-test-0004' };
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bad, payload: { ...body('idem.five'), password: 'short' } });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bad, payload: { ...body('idem.five'), password: 'short' } });
    expect([a.statusCode, b.statusCode]).toEqual([400, 400]);
    const malformed = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...admin, 'idempotency-key': 'x y' }, payload: body('idem.six') });
    expect(malformed.statusCode).toBe(400);
  });
});
