/**
 * `minsheng model train / eval / list / activate / rollback` as an operator runs them: real
 * processes on small files this test writes, and on a fresh PGlite folder for the versions.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TIMEOUT = 300_000;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minsheng-model-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MINSHENG_DATA_DIR: path.join(dir, 'data') };
    delete env.MINSHENG_DEBUG;
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['bin/minsheng.js', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const TOPICS: Record<string, string[]> = {
  城管: ['路边摊占道经营', '乱堆乱放建筑垃圾', '违章搭建彩钢房', '井盖缺失很危险'],
  环保: ['饭店油烟直排扰民', '工厂排放刺鼻废气', '夜里施工噪声污染', '河道污水排放发臭'],
  社保: ['公司拖欠工资不发', '社保缴费基数咨询', '养老保险转移接续', '失业金怎么领取'],
};
function rows(n: number, offset: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = Object.keys(TOPICS)[i % 3]!;
    const t = TOPICS[label]!;
    const a = t[(i + offset) % 4]!;
    const b = t[(i * 7 + offset + 1) % 4]!;
    out.push(i % 2 ? JSON.stringify({ text: `第${i + offset}号反映：${a}，还有${b}`, label }) : JSON.stringify({ title: a, body: `${b}，请尽快处理（${i + offset}）`, label }));
  }
  return out.join('\n') + '\n';
}

describe('minsheng model', () => {
  it('trains on a file and evaluates another, printing the metrics JSON in the promised shape', async () => {
    const train = path.join(dir, 'train.jsonl');
    const dev = path.join(dir, 'dev.jsonl');
    await writeFile(train, rows(60, 0));
    await writeFile(dev, rows(30, 100));
    const model = path.join(dir, 'model.json');
    const t = await cli(['model', 'train', '--data', train, '--out', model, '--json']);
    expect(t.code, t.stderr).toBe(0);
    const trained = JSON.parse(t.stdout) as { rows: number; labels: string[]; crossValidation: { macroF1: number } };
    expect(trained.rows).toBe(60);
    expect(trained.labels).toEqual(['城管', '环保', '社保'].sort());
    const e = await cli(['model', 'eval', '--model', model, '--data', dev, '--json']);
    expect(e.code, e.stderr).toBe(0);
    const m = JSON.parse(e.stdout) as Record<string, unknown> & { perClass: Record<string, Record<string, number>> };
    expect(Object.keys(m).slice(0, 4)).toEqual(['macroF1', 'accuracy', 'perClass', 'docsPerSecond']);
    expect(m.macroF1).toBeGreaterThan(0.9);
    expect(Object.keys(m.perClass['城管']!)).toEqual(['precision', 'recall', 'f1']);
    expect(m.docsPerSecond).toBeGreaterThan(0);
  }, TIMEOUT);

  it('says clearly what is wrong with a file', async () => {
    const bad = path.join(dir, 'bad.jsonl');
    await writeFile(bad, '{"text":"路灯不亮","label":"城管"}\n{not json}\n');
    let r = await cli(['model', 'train', '--data', bad, '--out', path.join(dir, 'x.json'), '--json']);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout).error.en).toBe(`${bad}: line 2 is not valid JSON`);
    await writeFile(bad, '{"text":"路灯不亮"}\n');
    r = await cli(['model', 'train', '--data', bad, '--out', path.join(dir, 'x.json'), '--json']);
    expect(JSON.parse(r.stdout).error.en).toBe(`${bad}: line 1 has no label`);
    r = await cli(['model', 'eval', '--model', path.join(dir, 'missing.json'), '--data', bad, '--json']);
    expect(JSON.parse(r.stdout).error.code).toBe('file_not_found');
    r = await cli(['model', 'eval', '--model', bad, '--data', bad, '--json']);
    expect(JSON.parse(r.stdout).error.en).toMatch(/Invalid model file/);
  }, TIMEOUT);

  it('lists the versions in the database, refuses a rollback without history, and training from too few tickets', async () => {
    const s = await cli(['seed', 'demo', '--json']);
    expect(s.code, s.stderr).toBe(0);
    const l = await cli(['model', 'list', '--json']);
    expect(l.code, l.stderr).toBe(0);
    const list = JSON.parse(l.stdout) as { items: Array<{ version: number; active: boolean; isDemo: boolean }> };
    expect(list.items.map((v) => [v.version, v.active, v.isDemo])).toEqual([[1, true, true]]);
    const rb = await cli(['model', 'rollback', '--json']);
    expect(rb.code).not.toBe(0);
    expect(JSON.parse(rb.stdout).error.code).toBe('conflict');
    const a = await cli(['model', 'activate', '1', '--json']);
    expect(a.code, a.stderr).toBe(0);
    const ft = await cli(['model', 'train', '--from-tickets', '--json']);
    expect(ft.code).not.toBe(0);
    expect(JSON.parse(ft.stdout).error.en).toMatch(/Too few labelled tickets/);
  }, TIMEOUT);
});
