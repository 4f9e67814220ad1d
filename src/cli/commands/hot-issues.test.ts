/**
 * `minsheng hot-issues` and `minsheng reply-score` as an operator runs them: real processes on
 * small files this test writes, then (when ../shared/data is present) on the real public files.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const VOTES = path.resolve(REPO, '../shared/data/messages/messages_with_votes.jsonl');
const REPLIES = path.resolve(REPO, '../shared/data/messages/messages_with_replies.jsonl');
const TIMEOUT = 240_000;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'minsheng-insights-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MINSHENG_DATA_DIR: path.join(dir, 'data') };
    delete env.MINSHENG_DEBUG;
    const child = spawn(process.execPath, ['bin/minsheng.js', ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const vote = (id: number, title: string, body: string, day: number, user: string, likes = 0) =>
  JSON.stringify({ id, user, title, time: `2019-08-${String(day).padStart(2, '0')}T10:00:00+08:00`, body, likes, dislikes: 0 });

type Hot = { messages: number; issues: Array<{ rank: number; hotIndex: number; messageIds: string[]; timeRange: { from: string; to: string }; place: string | null; description: string }> };
type Scores = { summary: { rows: number; weak: number }; items: Array<{ id: string; score: number; weak: boolean; flags: string[]; reasons: string[] }> };

describe('minsheng hot-issues', () => {
  it('ranks a small file: the repeated complaint first, with ids, time range, place and description', async () => {
    const file = path.join(dir, 'votes.jsonl');
    await writeFile(
      file,
      [
        vote(1, 'A5区幸福里小区烧烤店油烟扰民', '幸福里小区楼下烧烤店每天晚上油烟扰民，油烟直排', 1, 'u1', 3),
        vote(2, '幸福里小区烧烤油烟太大', 'A市A5区幸福里小区烧烤店油烟扰民，请处理', 3, 'u2', 5),
        vote(3, '投诉幸福里小区油烟扰民', '幸福里小区烧烤店油烟直排扰民', 6, 'u3'),
        vote(4, '和平路路灯不亮', '和平路路灯一个月不亮', 2, 'u4'),
        vote(5, '医保报销咨询', '异地就医医保怎么报销', 4, 'u5'),
        '{"id": 6, "title": "没有时间"}',
        'not json',
      ].join('\n'),
    );
    const r = await cli(['hot-issues', '--data', file, '--top', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Hot & { skipped: number };
    expect(out.messages).toBe(5);
    expect(out.skipped).toBe(2);
    const first = out.issues[0]!;
    expect(first.rank).toBe(1);
    expect(first.messageIds).toEqual(['1', '2', '3']);
    expect(first.place).toContain('幸福里小区');
    expect(first.description).toMatch(/油烟/);
    expect(first.timeRange).toEqual({ from: '2019-08-01T10:00:00+08:00', to: '2019-08-06T10:00:00+08:00' });
    expect(first.hotIndex).toBeGreaterThan(0);

    const text = await cli(['hot-issues', '--data', file, '--top', '3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('热点问题');
    expect(text.stdout).toContain('幸福里小区');
  }, TIMEOUT);

  it('refuses a missing file and a missing --data with bilingual errors', async () => {
    const missing = await cli(['hot-issues', '--data', path.join(dir, 'nope.jsonl'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('file_not_found');
    const usage = await cli(['hot-issues', '--json']);
    expect(usage.code).toBe(64);
    const badTop = await cli(['hot-issues', '--data', 'x', '--top', '0', '--json']);
    expect(badTop.code).toBe(64);
  }, TIMEOUT);
});

describe('minsheng reply-score', () => {
  it('scores every row; an acknowledgement is weak with its reason, a full reply is not', async () => {
    const file = path.join(dir, 'replies.jsonl');
    const row = (id: number, reply: string, days: number) =>
      JSON.stringify({ id, title: '幸福里小区路灯不亮', body: '幸福里小区3号楼门口路灯一个月不亮，晚上出行不便', time: '2019-05-01T09:00:00+08:00', reply, reply_time: new Date(Date.parse('2019-05-01T01:00:00Z') + days * 86_400_000).toISOString() });
    await writeFile(
      file,
      [
        row(1, '网友：您好！留言已收悉', 2),
        row(2, '您好，经现场核实，幸福里小区3号楼门口路灯因线路老化不亮。我街道已安排维修人员于5月3日更换线路，路灯已恢复，出行不便问题已解决。如有疑问请联系街道城管科，电话0000-00000000。', 2),
      ].join('\n'),
    );
    const r = await cli(['reply-score', '--data', file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Scores;
    expect(out.summary).toMatchObject({ rows: 2, weak: 1 });
    const [ack, full] = out.items;
    expect(ack!.weak).toBe(true);
    expect(ack!.flags).toContain('boilerplate');
    expect(ack!.reasons.join()).toContain('收悉');
    expect(full!.weak).toBe(false);
    expect(full!.score).toBeGreaterThan(ack!.score + 50);
  }, TIMEOUT);
});

describe.skipIf(!existsSync(VOTES) || !existsSync(REPLIES))('on the real public files (../shared/data; skipped when absent)', () => {
  it('hot-issues finds the known hot issues of 附件3 at the top', async () => {
    const r = await cli(['hot-issues', '--data', VOTES, '--top', '10', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Hot;
    expect(out.messages).toBe(4326);
    const top3 = out.issues.slice(0, 3).map((h) => `${h.place} ${h.description}`).join('\n');
    // The contest's well-known hot issues: the mixing plant near 丽发新城 and the bundled parking at 伊景园滨河苑.
    expect(top3).toMatch(/丽发新城/);
    expect(top3).toMatch(/伊景园|滨河苑/);
    expect(out.issues[0]!.messageIds.length).toBeGreaterThanOrEqual(20);
  }, TIMEOUT);

  it('reply-score puts acknowledgements at the bottom and full replies at the top of 附件4', async () => {
    const r = await cli(['reply-score', '--data', REPLIES, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Scores;
    expect(out.summary.rows).toBe(2816);
    const sorted = [...out.items].sort((a, b) => a.score - b.score);
    expect(sorted.slice(0, 20).every((s) => s.weak)).toBe(true);
    expect(sorted.slice(-20).every((s) => !s.weak && s.score >= 90)).toBe(true);
    // The bare "已收悉" replies in the file are all flagged.
    expect(out.items.filter((s) => s.flags.includes('boilerplate')).length).toBeGreaterThanOrEqual(3);
  }, TIMEOUT);
});
