/**
 * 自动分析 insights, in process: hot-issue clustering over the public 附件3 file (4,326 messages),
 * reply scoring over 附件4 (2,816 replies), duplicate scoring (one new ticket against 50 open
 * ones), and BM25 search over 2,000 knowledge entries. The public files are read from
 * ../shared/data when present; without them only the synthetic parts run.
 *
 * Run alone: BENCH_ONLY=insights npm run bench
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { TextAnalyzer } from '../src/domain/analysis';
import { parseVotesJsonl, rankMessages } from '../src/domain/analysis/hot';
import { parseRepliesJsonl, scoreReplyRows } from '../src/domain/analysis/reply';
import { findDuplicates, type DuplicateDoc } from '../src/domain/analysis/core/duplicates';
import { DocFreq, minHasher, mulberry32 } from '../src/domain/analysis/core/similarity';
import { buildIndex, searchEntries, type KnowledgeDoc } from '../src/domain/analysis/core/knowledge';
import { ROOT } from './startup';

const DATA = path.resolve(ROOT, '../shared/data/messages');

export interface InsightsBenchResult {
  hotIssues: { messages: number; ms: number; messagesPerSecond: number; top3: string[] } | null;
  replyScore: { rows: number; ms: number; rowsPerSecond: number } | null;
  duplicates: { targets: number; candidatesEach: number; ms: number; pairsPerSecond: number };
  bm25: { entries: number; queries: number; buildMs: number; queriesPerSecond: number };
}

const WORDS = '路灯 不亮 井盖 丢失 噪音 扰民 油烟 烧烤 占道 经营 停车 车位 物业 漏水 垃圾 清运 施工 夜间 医保 报销 居住证 办理 低保 申请 入学 报名 供暖 补贴 电梯 加装'.split(' ');

export async function benchInsights(): Promise<InsightsBenchResult> {
  const analyzer = new TextAnalyzer();
  const rand = mulberry32(7);
  const pick = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, pick).join('');

  let hotIssues: InsightsBenchResult['hotIssues'] = null;
  const votes = path.join(DATA, 'messages_with_votes.jsonl');
  if (existsSync(votes)) {
    const { items } = parseVotesJsonl(readFileSync(votes, 'utf8'));
    const t0 = performance.now();
    const r = rankMessages(items, analyzer, { top: 3 });
    const ms = performance.now() - t0;
    hotIssues = { messages: items.length, ms: Math.round(ms), messagesPerSecond: Math.round(items.length / (ms / 1000)), top3: r.issues.map((h) => h.label) };
  }

  let replyScore: InsightsBenchResult['replyScore'] = null;
  const replies = path.join(DATA, 'messages_with_replies.jsonl');
  if (existsSync(replies)) {
    const { rows } = parseRepliesJsonl(readFileSync(replies, 'utf8'));
    const t0 = performance.now();
    scoreReplyRows(rows, analyzer);
    const ms = performance.now() - t0;
    replyScore = { rows: rows.length, ms: Math.round(ms), rowsPerSecond: Math.round(rows.length / (ms / 1000)) };
  }

  const hasher = minHasher(128);
  const df = new DocFreq();
  const doc = (i: number): DuplicateDoc => ({
    id: `t${i}`, title: sentence(3), content: sentence(12), createdAt: new Date(Date.UTC(2026, 10, 20) - Math.floor(rand() * 10 * 86_400_000)),
    lon: 120.36 + (rand() - 0.5) * 0.01, lat: 36.068 + (rand() - 0.5) * 0.01, gridCellCode: 'g1', communityCode: 'c1', categoryCode: null,
  });
  const candidates = Array.from({ length: 50 }, (_, i) => doc(i));
  for (const c of candidates) df.add(analyzer.tokens(`${c.title} ${c.content}`));
  const targets = Array.from({ length: 100 }, (_, i) => doc(1000 + i));
  const t1 = performance.now();
  for (const t of targets) findDuplicates(t, candidates, { tokenize: (s) => analyzer.tokens(s), idf: (x) => df.idf(x), hasher });
  const dupMs = performance.now() - t1;

  const entries: KnowledgeDoc[] = Array.from({ length: 2000 }, (_, i) => ({ id: `k${i}`, question: `${sentence(3)}怎么办`, answer: sentence(30), keywords: [pick(), pick()], validUntil: i % 10 === 0 ? '2020-01-01' : null, retired: false }));
  const t2 = performance.now();
  const index = buildIndex(entries, (s) => analyzer.tokens(s));
  const buildMs = performance.now() - t2;
  const docs = new Map(entries.map((e) => [e.id, e]));
  const queries = Array.from({ length: 500 }, () => analyzer.tokens(sentence(4)));
  const t3 = performance.now();
  for (const q of queries) searchEntries(index, docs, q, { today: '2026-11-23', limit: 3 });
  const qMs = performance.now() - t3;

  return {
    hotIssues,
    replyScore,
    duplicates: { targets: targets.length, candidatesEach: candidates.length, ms: Math.round(dupMs), pairsPerSecond: Math.round((targets.length * candidates.length) / (dupMs / 1000)) },
    bm25: { entries: entries.length, queries: queries.length, buildMs: Math.round(buildMs), queriesPerSecond: Math.round(queries.length / (qMs / 1000)) },
  };
}
