/**
 * The CLI as an operator runs it: `node bin/minsheng.js …` in a real process, against a fresh
 * PGlite data folder (or, with DATABASE_URL, a schema of its own on the shared server). Every
 * process pays PGlite's cold start, so assertions are grouped and the steps build on each
 * other in order: migrate → division → boundaries → users.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../shared/db';
import { listAudit } from '../domain/audit';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SHINAN = path.resolve(REPO, '../shared/data/geo/shinan_district.geojson');
const TIMEOUT = 120_000;
const STACK_LINE = /^\s+at /m;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir = '';
let env: NodeJS.ProcessEnv = {};
let schema: string | null = null;

function cli(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/minsheng.js', ...args], { cwd: REPO, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A run whose stdout must be exactly one JSON document. */
async function cliJson<T = unknown>(args: string[], expectedCode = 0, input?: string): Promise<T> {
  const r = await cli([...args, '--json'], input);
  expect(r.code, `minsheng ${args.join(' ')}\n${r.stderr}`).toBe(expectedCode);
  expect(r.stderr).not.toMatch(STACK_LINE);
  return JSON.parse(r.stdout) as T;
}

const square = (lon: number, lat: number, size = 0.01) => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
});
const feature = (code: string, geometry: unknown) => ({ type: 'Feature', properties: { code }, geometry });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minsheng-cli-'));
  env = { ...process.env, MINSHENG_DATA_DIR: path.join(dir, 'data'), MINSHENG_DISTRICT: '370202' };
  delete env.MINSHENG_DEBUG;
  delete env.MINSHENG_DEMO_PASSWORD;
  const url = process.env.DATABASE_URL;
  if (url) {
    // The server database is shared with other test files: this file gets a schema of its own.
    schema = `cli_test_${process.pid}_${Date.now()}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
    // URL options replace the pool's own (-c TimeZone=UTC), so both are given here.
    const options = encodeURIComponent(`-c search_path=${schema} -c TimeZone=UTC`);
    env.DATABASE_URL = `${url}${url.includes('?') ? '&' : '?'}options=${options}`;
  }
}, TIMEOUT);

afterAll(async () => {
  if (schema && process.env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
}, TIMEOUT);

describe('minsheng CLI', () => {
  it('refuses bad arguments, missing and broken files with a message and no stack trace', async () => {
    const notJson = path.join(dir, 'not-json.geojson');
    await writeFile(notJson, '{"type": "FeatureCollection",\n "features": [ {"type": Feature} ]}\n');
    const missing = path.join(dir, 'missing.geojson');
    // None of these opens the database, so they may run side by side.
    const [badParent, badLevel, noFile, broken, unknown, noLevel, help, badParentJson] = await Promise.all([
      cli(['areas', 'list', '--parent', 'abc']),
      cli(['areas', 'import-geojson', '--level', 'nope', 'x.json']),
      cli(['areas', 'import-geojson', '--level', 'district', missing]),
      cli(['areas', 'import-geojson', '--level', 'district', notJson]),
      cli(['frobnicate']),
      cli(['areas', 'import-geojson', 'x.json']),
      cli(['--help']),
      cli(['areas', 'list', '--parent', 'abc', '--json']),
    ]);
    for (const r of [badParent, badLevel, noFile, broken, unknown, noLevel, badParentJson]) {
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).not.toBe('');
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(badParent.stderr).toMatch(/区划代码应为 6–18 位数字/);
    expect(badParent.code).toBe(64);
    expect(badLevel.stderr).toMatch(/Allowed choices are district, subdistrict, community, grid_cell/);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain(`文件不存在：${missing}`);
    expect(noFile.stderr).toContain('File not found');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/不是合法的 JSON：第 2 行第 \d+ 列/);
    expect(broken.stderr).toMatch(/not valid JSON: error at line 2, column \d+/);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(noLevel.stderr).toMatch(/--level/);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/areas/);
    expect(JSON.parse(badParentJson.stdout)).toMatchObject({ error: { code: 'usage' } });
  }, TIMEOUT);

  it('migrates a fresh database without seeding it, then imports the real division of 市南区', async () => {
    const migrated = await cliJson<{ applied: string[] }>(['db', 'migrate']);
    expect(migrated.applied).toContain('0001_foundation');
    // A fresh data folder: no areas, and the CLI does not seed the demo on its own.
    expect(await cliJson(['areas', 'list'])).toEqual([]);

    const imported = await cliJson<{ subdistricts: number; communities: number }>(['areas', 'import-division', '370202']);
    expect(imported).toMatchObject({ district: { code: '370202', name: '市南区' }, subdistricts: 11 });
    // Idempotent, and readable without --json.
    const again = await cli(['areas', 'import-division', '370202']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('市南区 370202');
    expect(again.stdout).toMatch(/街道 subdistricts: 11 +社区 communities: \d+/);
    expect(again.stdout).toMatch(/新增 inserted: 0 +更新 updated: \d+/);

    const streets = await cliJson<{ code: string; name: string; level: string }[]>(['areas', 'list', '--parent', '370202']);
    expect(streets).toHaveLength(11);
    expect(streets.every((s) => s.level === 'subdistrict')).toBe(true);
    expect(streets[0]).toMatchObject({ code: '370202001', name: '香港中路街道' });
    expect(streets.at(-1)).toMatchObject({ code: '370202014', name: '珠海路街道' });

    const communities = await cliJson<{ code: string; level: string }[]>(['areas', 'list', '--parent', '370202001']);
    expect(communities).toHaveLength(5);
    expect(communities.every((c) => c.level === 'community' && c.code.startsWith('370202001'))).toBe(true);
  }, TIMEOUT);

  it('converts a GCJ-02 boundary to WGS-84 on import (a shift of a few hundred metres)', async () => {
    const file = path.join(dir, 'gcj.geojson');
    const input = square(120.38, 36.06);
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features: [feature('370202001001', input)] }));
    const result = await cliJson(['areas', 'import-geojson', '--level', 'community', '--crs', 'gcj02', file]);
    expect(result).toMatchObject({ features: 1, imported: 1, rejected: [] });

    const exported = await cliJson<{ features: { id: string; geometry: { coordinates: number[][][] } }[] }>([
      'areas', 'export-geojson', '--level', 'community',
    ]);
    const stored = exported.features.find((f) => f.id === '370202001001')!.geometry.coordinates[0]!;
    const given = input.coordinates[0]!;
    expect(stored).toHaveLength(given.length);
    for (const [i, [lon, lat]] of stored.entries()) {
      const [lon0, lat0] = given[i]!;
      const metres = Math.hypot((lon! - lon0!) * 111_320 * Math.cos((lat0! * Math.PI) / 180), (lat! - lat0!) * 110_574);
      expect(metres).toBeGreaterThan(300);
      expect(metres).toBeLessThan(600);
    }
  }, TIMEOUT);

  it('imports the valid feature, reports each rejected one by index and code, and exits 2', async () => {
    const file = path.join(dir, 'mixed.geojson');
    const features = [
      feature('370202001004', square(120.4, 36.06)), // 0: good
      feature('370202002008', { type: 'Polygon', coordinates: [[[120.42, 36.06], [120.43, 36.06], [120.43, 36.07], [120.42, 36.07]]] }), // 1: ring not closed
      feature('370202002009', { type: 'Polygon', coordinates: [[[500, 36.06], [120.43, 36.06], [120.43, 36.07], [500, 36.06]]] }), // 2: lon 500
      feature('370202002011', { type: 'Polygon', coordinates: [[[120.44, 36.06], [120.45, 36.07], [120.45, 36.06], [120.44, 36.07], [120.44, 36.06]]] }), // 3: bow-tie
      feature('370202999999', square(120.46, 36.06)), // 4: no such area
      feature('370202001012', { type: 'Polygon', coordinates: [[[120.38, 36.062], [120.395, 36.062], [120.395, 36.068], [120.38, 36.068], [120.38, 36.062]]] }), // 5: overlaps 370202001001
    ];
    await writeFile(file, JSON.stringify({ type: 'FeatureCollection', features }));
    const expected = [
      [1, '370202002008', 'ring_not_closed'],
      [2, '370202002009', 'coordinate_out_of_range'],
      [3, '370202002011', 'self_intersection'],
      [4, '370202999999', 'unknown_code'],
      [5, '370202001012', 'overlaps_sibling'],
    ] as const;

    // The readable report (a dry run writes nothing and answers the same).
    const dry = await cli(['areas', 'import-geojson', '--level', 'community', '--dry-run', file]);
    expect(dry.code).toBe(2);
    expect(dry.stderr).not.toMatch(STACK_LINE);
    for (const [index, code, problem] of expected) {
      expect(dry.stdout).toContain(`#${index}  编码 code: ${code}`);
      expect(dry.stdout).toContain(`[${problem}]`);
    }

    const result = await cliJson<{ imported: number; rejected: { index: number; code: string; problems: { code: string; zh: string; en: string }[] }[] }>(
      ['areas', 'import-geojson', '--level', 'community', file],
      2,
    );
    expect(result.imported).toBe(1);
    expect(result.rejected.map((r) => [r.index, r.code])).toEqual(expected.map(([i, c]) => [i, c]));
    for (const [i, r] of result.rejected.entries()) {
      expect(r.problems.map((p) => p.code)).toContain(expected[i]![2]);
      expect(r.problems.every((p) => p.zh && p.en)).toBe(true);
    }
    const exported = await cliJson<{ features: { id: string }[] }>(['areas', 'export-geojson', '--level', 'community']);
    expect(exported.features.map((f) => f.id).sort()).toEqual(['370202001001', '370202001004']);
  }, TIMEOUT);

  const hasShinan = existsSync(SHINAN);
  (hasShinan ? it : it.skip)(
    hasShinan
      ? 'imports the real 市南区 outline (DataV, GCJ-02) and locates a point in it'
      : `real 市南区 outline not tested: ${SHINAN} is absent`,
    async () => {
    const result = await cliJson(['areas', 'import-geojson', '--level', 'district', '--code-property', 'adcode', '--crs', 'gcj02', SHINAN]);
    expect(result).toMatchObject({ level: 'district', features: 1, imported: 1, rejected: [] });
    // 五四广场 (May Fourth Square), as AMap gives it.
    const located = await cliJson(['areas', 'locate', '--lon', '120.3847', '--lat', '36.0620', '--crs', 'gcj02']);
    expect(located).toMatchObject({ inside: true, district: { code: '370202', name: '市南区' } });
    },
    TIMEOUT,
  );

  it('adds users (generated or stdin password), lists them with masked phones, and does not seed over them', async () => {
    const added = await cliJson<{ user: { username: string; phone: string }; password: string }>([
      'users', 'add', '--username', 'wang.fang', '--name', '王芳', '--role', 'dispatcher', '--area', '370202001', '--phone', '13912345678',
    ]);
    expect(added.user).toMatchObject({ username: 'wang.fang', phone: '139****5678' });
    expect(added.password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);

    const viaStdin = await cliJson<{ user: { username: string }; password?: string }>(
      ['users', 'add', '--username', 'li.na', '--name', '李娜', '--role', 'leader', '--password-stdin'],
      0,
      'Ein-gutes-Passwort-42\n',
    );
    expect(viaStdin.user.username).toBe('li.na');
    expect(viaStdin.password).toBeUndefined();

    const weak = await cli(['users', 'add', '--username', 'zhao.lei', '--name', '赵磊', '--role', 'handler', '--password', 'short']);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('密码至少10个字符');
    expect(weak.stderr).not.toMatch(STACK_LINE);

    const listed = await cliJson<{ total: number; items: { username: string; phone: string | null }[] }>(['users', 'list']);
    expect(listed.total).toBe(2);
    expect(listed.items.find((u) => u.username === 'wang.fang')?.phone).toBe('139****5678');
    expect(JSON.stringify(listed)).not.toContain('13912345678');

    const seeded = await cliJson(['seed', 'demo']);
    expect(seeded).toMatchObject({ seeded: false, reason: 'has_users' });

    // Every write above was audited in the name of the CLI (read back once no CLI process runs).
    const db = process.env.DATABASE_URL
      ? await openDb({ engine: 'postgresql', url: process.env.DATABASE_URL, searchPath: schema!, poolSize: 1 })
      : await openDb({ engine: 'pglite', dataDir: path.join(dir, 'data', 'pglite') });
    try {
      const audit = await listAudit({ db }, { kind: 'system', districtCode: '370202', reason: 'test' }, { page: 1, pageSize: 100 });
      const actions = new Map(audit.items.map((e) => [e.action, e.actorRole]));
      for (const action of ['areas.import_division', 'areas.import_geojson', 'users.add']) {
        expect(actions.get(action), action).toBe('system:cli');
      }
    } finally {
      await db.close();
    }
  }, TIMEOUT);
});
