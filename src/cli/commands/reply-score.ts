/**
 * `minsheng reply-score --data <file.jsonl>`: 答复质量 for every row of a file in the shape of
 * messages_with_replies.jsonl (id, title, body, time, reply, reply_time). How the score is built:
 * docs/REPLY-QUALITY.md. Without --json it prints the distribution and the worst and best replies.
 */
import type { Command } from 'commander';
import { TextAnalyzer, replyService } from '../../domain/analysis';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError } from '../errors';
import { table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';
import { clip, positiveInt, readTextFile } from './hot-issues';

interface ReplyOptions extends JsonOption {
  data: string;
  show: number;
  limitDays?: number;
}

export function replyScoreCommand(program: Command, ctx: CliContext): void {
  leaf(program, 'reply-score', '答复质量评分：相关性、完整性、及时性 / reply quality: relevance, completeness, timeliness')
    .requiredOption('--data <file.jsonl>', '答复文件（id, title, body, time, reply, reply_time）/ a replies file')
    .option('--show <n>', '文本输出中显示最差和最好的各 n 条 / show the n worst and n best (text output)', positiveInt(100), 5)
    .option('--limit-days <n>', '办理时限（自然日，默认 15）/ the time limit in calendar days (default 15)', positiveInt(365))
    .addHelpText('after', '\n例 / e.g.: minsheng reply-score --data ../shared/data/messages/messages_with_replies.jsonl --json\n')
    .action(run(ctx, (opts: ReplyOptions) => replyScore(opts)));
}

async function replyScore(opts: ReplyOptions): Promise<CommandOutcome> {
  const text = await readTextFile(opts.data);
  const { rows, skipped } = replyService.parseRepliesJsonl(text);
  if (rows.length === 0) throw new CliError('no_rows', { zh: '文件中没有可用的答复（需要 time、reply、reply_time）', en: 'No usable rows (each needs time, reply and reply_time)' }, { skipped: skipped.slice(0, 20) });
  const bar = progressBar('评分 / scoring', !opts.json);
  let scored: replyService.ScoredReply[];
  try {
    scored = replyService.scoreReplyRows(rows, new TextAnalyzer(), { ...(opts.limitDays ? { limitDays: opts.limitDays } : {}), onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.stop();
  }
  const ranked = [...scored].sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1));
  const weak = scored.filter((s) => s.weak).length;
  const mean = scored.reduce((s, x) => s + x.score, 0) / scored.length;
  const flagCounts: Record<string, number> = {};
  for (const s of scored) for (const f of s.flags) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
  const summary = { rows: scored.length, skipped: skipped.length, weak, meanScore: Math.round(mean * 10) / 10, flags: flagCounts };
  const data = {
    summary,
    items: scored.map((s) => ({
      id: s.id,
      score: s.score,
      weak: s.weak,
      relevance: s.relevance,
      completeness: s.completeness,
      timeliness: s.timeliness,
      days: s.days,
      elements: s.elements,
      flags: s.flags,
      reasons: s.reasons.map((r) => r.zh),
      missed: s.missed,
    })),
  };
  const line = (s: replyService.ScoredReply) => [
    s.id,
    s.score.toFixed(1),
    `${s.relevance.toFixed(2)}/${s.completeness.toFixed(2)}/${s.timeliness.toFixed(2)}`,
    `${s.days}`,
    clip(s.title, 30),
    clip(s.reasons.map((r) => r.zh).join('；') || '—', 50),
  ];
  const header = ['编号 id', '得分 score', '相关/完整/及时 rel/comp/time', '天 days', '诉求 request', '问题 reasons'];
  const textOut = [
    `答复质量 / reply quality — ${scored.length} 条 rows，平均 mean ${summary.meanScore}，偏弱 weak ${weak}（${((100 * weak) / scored.length).toFixed(1)}%）`,
    '',
    `最差 ${opts.show} 条 / the ${opts.show} worst:`,
    table(header, ranked.slice(0, opts.show).map(line)),
    '',
    `最好 ${opts.show} 条 / the ${opts.show} best:`,
    table(header, ranked.slice(-opts.show).reverse().map(line)),
  ];
  return { data, text: textOut.join('\n') };
}
