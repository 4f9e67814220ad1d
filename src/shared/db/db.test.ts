import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { migrate, splitStatements } from './migrate';
import { recordAudit } from '../../domain/audit';
import type { SystemActor } from '../authz';

let t: TestDb;
beforeAll(async () => {
  t = await freshDb({ seed: false });
});
afterAll(() => t.cleanup());

const system: SystemActor = { kind: 'system', districtCode: '370202', reason: 'test' };

describe('database', () => {
  it('runs on the engine the environment asks for', () => {
    expect(t.db.kind).toBe(process.env.DATABASE_URL ? 'postgresql' : 'pglite');
  });

  it('migrations are recorded and a second run applies nothing', async () => {
    const again = await migrate(t.db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBeGreaterThanOrEqual(1);
    const rows = await t.db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows[0]?.version).toBe('0001_foundation');
  });

  it('concurrent migrators do not collide (advisory lock)', async () => {
    const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)]);
    expect(results.every((r) => r.applied.length === 0)).toBe(true);
  });

  it('a failed use case leaves neither its write nor its audit row', async () => {
    const before = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    await expect(
      t.db.transaction(async (tx) => {
        await recordAudit(tx, () => new Date(), system, { action: 'test.rollback' });
        await tx.query(`INSERT INTO departments (district_code, code, name, name_en) VALUES ('370202', 'rollback-test', '测试', 'Test')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const after = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(after[0]!.n).toBe(before[0]!.n);
    expect(await t.db.query(`SELECT 1 FROM departments WHERE code = 'rollback-test'`)).toEqual([]);
  });

  it('returns counts as numbers and timestamps as dates on both engines', async () => {
    const [row] = await t.db.query<{ n: number; at: Date; x: number }>(`SELECT count(*) AS n, now() AS at, 1.5::numeric AS x FROM areas`);
    expect(typeof row!.n).toBe('number');
    expect(row!.at).toBeInstanceOf(Date);
    expect(row!.x).toBe(1.5);
  });
});

describe('splitStatements', () => {
  it('keeps dollar-quoted bodies, strings with semicolons and drops comments', () => {
    const sql = `-- a comment; with a semicolon
CREATE TABLE a (x text DEFAULT 'a;b');
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no; never'; END $$;
SELECT 'it''s';`;
    expect(splitStatements(sql)).toEqual([
      `CREATE TABLE a (x text DEFAULT 'a;b')`,
      `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no; never'; END $$`,
      `SELECT 'it''s'`,
    ]);
  });
});
