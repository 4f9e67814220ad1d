/**
 * `minsheng calendar …` as an operator runs it: `node bin/minsheng.js …` in a real process with a
 * fresh data folder (or, with DATABASE_URL, a schema of its own). The deadline calculator needs
 * no database; the overrides go through the real one and change the deadline.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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

function cli(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/minsheng.js', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function cliJson<T = Record<string, unknown>>(args: string[], expectedCode = 0): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.code, `minsheng ${args.join(' ')}\n${r.stderr}`).toBe(expectedCode);
  expect(r.stderr).not.toMatch(STACK_LINE);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minsheng-cli-calendar-'));
  env = { ...process.env, MINSHENG_DATA_DIR: path.join(dir, 'data'), MINSHENG_DISTRICT: '370202' };
  delete env.MINSHENG_DEBUG;
  const url = process.env.DATABASE_URL;
  if (url) {
    schema = `cli_calendar_test_${process.pid}_${Date.now()}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.end();
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

describe('minsheng calendar', () => {
  it('refuses bad input with exit 64, a bilingual message and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['calendar', 'deadline', '--from', 'yesterday', '--working-days', '3'], /受理时间应为 ISO 8601[\s\S]*Usage error: .*--from/],
      [['calendar', 'deadline', '--from', '2024-02-30', '--working-days', '3'], /受理时间应为/],
      [['calendar', 'deadline', '--from', '2024-09-28'], /请给出 --working-days 或 --working-hours 之一[\s\S]*give one of --working-days or --working-hours/],
      [['calendar', 'deadline', '--from', '2024-09-28', '--working-days', '3', '--working-hours', '2'], /只能给出一个[\s\S]*give only one/],
      [['calendar', 'deadline', '--from', '2024-09-28', '--working-days', '0'], /工作日数应为 1 到 1000 之间的整数/],
      [['calendar', 'deadline', '--from', '2024-09-28', '--working-days', '2.5'], /whole number/],
      [['calendar', 'deadline', '--from', '2024-09-28', '--working-hours', '-1'], /工作小时数应为大于 0/],
      [['calendar', 'deadline', '--from', '2024-09-28', '--working-hours', 'abc'], /working hours are a number above 0/],
      [['calendar', 'deadline', '--working-days', '3'], /--from/],
      [['calendar', 'override', '--date', '2024-02-30', '--kind', 'holiday'], /真实日期 YYYY-MM-DD/],
      [['calendar', 'override', '--date', '2024-10-08', '--kind', 'day-off'], /Allowed choices are workday, holiday/],
    ];
    // None of these opens the database, so they may run side by side.
    const runs = await Promise.all(cases.map(([args]) => cli(args)));
    runs.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).toBe(64);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toMatch(/用法错误/);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stdout).toBe('');
    });
    const asJson = await cli(['calendar', 'deadline', '--from', '2024-09-28', '--json']);
    expect(asJson.code).toBe(64);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ error: { code: 'usage' } });
  }, TIMEOUT);

  it('computes the 国庆 2024 deadline on a fresh data folder without creating a database', async () => {
    const [text, days, hours] = await Promise.all([
      cli(['calendar', 'deadline', '--from', '2024-09-28T10:00:00+08:00', '--working-days', '10']),
      cliJson(['calendar', 'deadline', '--from', '2024-09-28', '--working-days', '10']),
      cliJson(['calendar', 'deadline', '--from', '2024-11-14 16:30', '--working-hours', '2']),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('2024-10-16 17:30 (Asia/Shanghai)');
    expect(text.stdout).toContain('2024-10-16T09:30:00.000Z');
    expect(days).toEqual({
      from: '2024-09-27T16:00:00.000Z',
      deadline: '2024-10-16T09:30:00.000Z',
      deadlineLocal: '2024-10-16 17:30 (Asia/Shanghai)',
      workingDays: 10,
      calendarCoverage: { fromYear: 2004, toYear: expect.any(Number) },
      withinCoverage: true,
    });
    expect(hours).toMatchObject({ deadline: '2024-11-15T02:00:00.000Z', deadlineLocal: '2024-11-15 10:00 (Asia/Shanghai)', workingHours: 2 });
    expect(hours).not.toHaveProperty('workingDays');
    if (!process.env.DATABASE_URL) expect(existsSync(path.join(dir, 'data', 'pglite', 'PG_VERSION'))).toBe(false);
  }, TIMEOUT);

  it('warns on stderr, not in the JSON, when the count leaves the years the calendar knows', async () => {
    const r = await cli(['calendar', 'deadline', '--from', '2040-03-01', '--working-days', '1', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ deadlineLocal: '2040-03-02 17:30 (Asia/Shanghai)', withinCoverage: false });
    expect(r.stderr).toMatch(/超出节假日数据范围[\s\S]*outside the holiday data/);
  }, TIMEOUT);

  it('an override changes the deadline; overrides are listed; --no-overrides ignores them', async () => {
    const set = await cliJson(['calendar', 'override', '--date', '2024-10-08', '--kind', 'holiday', '--name', '本区调休']);
    expect(set).toMatchObject({ date: '2024-10-08', kind: 'holiday', name: '本区调休' });

    const moved = await cliJson(['calendar', 'deadline', '--from', '2024-09-28', '--working-days', '10']);
    expect(moved).toMatchObject({ deadline: '2024-10-17T09:30:00.000Z' });
    const official = await cliJson(['calendar', 'deadline', '--from', '2024-09-28', '--working-days', '10', '--no-overrides']);
    expect(official).toMatchObject({ deadline: '2024-10-16T09:30:00.000Z' });

    const list = await cliJson<{ date: string; kind: string; name: string | null }[]>(['calendar', 'overrides']);
    expect(list.map(({ date, kind, name }) => ({ date, kind, name }))).toEqual([{ date: '2024-10-08', kind: 'holiday', name: '本区调休' }]);
    const readable = await cli(['calendar', 'overrides', '--year', '2024']);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(/2024-10-08 +节假日 holiday +本区调休/);
  }, TIMEOUT);
});
