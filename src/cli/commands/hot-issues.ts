/**
 * `minsheng hot-issues --data <file.jsonl> --top <n>`: 热点问题 over a file of messages in the shape
 * of messages_with_votes.jsonl (id, user, title, time, body, likes, dislikes). Runs without a
 * database: the file is the input, the analysis is the module's own (jieba + core/hot.ts).
 * `--tickets` ranks the district's own tickets of the last `--days` days instead.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { TextAnalyzer, hotService } from '../../domain/analysis';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { CliError } from '../errors';
import { displayWidth, table, type CommandOutcome } from '../output';
import { progressBar } from '../progress';

const MAX_BYTES = 200 * 1024 * 1024;

/** Reads a UTF-8 text file for the analysis commands, with the CLI's bilingual refusals. */
export async function readTextFile(file: string): Promise<string> {
  const full = path.resolve(file);
  const fail = (code: string, zh: string, en: string) => new CliError(code, { zh, en });
  try {
    const s = await stat(full);
    if (!s.isFile()) throw fail('not_a_file', `“${file}”不是普通文件`, `"${file}" is not a regular file`);
    if (s.size > MAX_BYTES) throw fail('file_too_large', `文件过大（上限 200 MB）：${file}`, `The file is too large (limit 200 MB): ${file}`);
  } catch (e) {
    if (e instanceof CliError) throw e;
    if ((e as { code?: string }).code === 'ENOENT') throw fail('file_not_found', `文件不存在：${file}`, `File not found: ${file}`);
    throw fail('file_unreadable', `无法读取文件：${file}`, `Cannot read the file: ${file}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(full));
  } catch {
    throw fail('not_utf8', `文件“${file}”不是 UTF-8 编码（可能是 GBK）`, `The file "${file}" is not UTF-8 encoded (GBK?)`);
  }
  if (!/\S/.test(text)) throw fail('file_empty', `文件“${file}”是空的`, `The file "${file}" is empty`);
  return text;
}

export function positiveInt(max: number) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`应为 1 到 ${max} 的整数 / an integer from 1 to ${max}`);
    return n;
  };
}

/** Cuts a string to `width` terminal cells, with an ellipsis. */
export function clip(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

interface HotOptions extends JsonOption {
  data?: string;
  top: number;
  windowDays?: number;
  tickets?: boolean;
  days: number;
}

export function hotIssuesCommand(program: Command, ctx: CliContext): void {
  leaf(program, 'hot-issues', '热点问题：按地点、主题和时间聚类并排序 / hot issues: clustered by place, topic and time, ranked by hot index')
    .option('--data <file.jsonl>', '留言文件（id, user, title, time, body, likes, dislikes）/ a messages file')
    .option('--top <n>', '输出前 n 个 / how many to print', positiveInt(1000), 20)
    .option('--window-days <n>', '同一问题两条留言最多相隔的天数 / at most this many days between two messages of one issue', positiveInt(3660))
    .option('--tickets', '改为分析本区诉求（数据库）/ rank the district\'s own tickets (database) instead')
    .option('--days <n>', '与 --tickets 一起：最近 n 天 / with --tickets: the last n days', positiveInt(366), 30)
    .addHelpText('after', '\n例 / e.g.: minsheng hot-issues --data ../shared/data/messages/messages_with_votes.jsonl --top 10\n')
    .action(run(ctx, (opts: HotOptions) => hotIssues(ctx, opts)));
}

async function hotIssues(ctx: CliContext, opts: HotOptions): Promise<CommandOutcome> {
  if (opts.tickets) return ticketHotIssues(ctx, opts);
  if (!opts.data) throw new CliError('usage', { zh: '请用 --data 指定留言文件，或用 --tickets 分析本区诉求', en: 'Give a messages file with --data, or --tickets for the district\'s tickets' }, undefined, 64);
  const text = await readTextFile(opts.data);
  const { items, skipped } = hotService.parseVotesJsonl(text);
  if (items.length === 0) throw new CliError('no_rows', { zh: '文件中没有可用的留言（需要 time 和标题或正文）', en: 'No usable messages in the file (each needs a time and a title or body)' }, { skipped: skipped.slice(0, 20) });
  const bar = progressBar('聚类 / clustering', !opts.json);
  const analyzer = new TextAnalyzer();
  let result: ReturnType<typeof hotService.rankMessages>;
  try {
    result = hotService.rankMessages(items, analyzer, { top: opts.top, ...(opts.windowDays ? { windowDays: opts.windowDays } : {}), onProgress: (d, t) => bar.update(d, t) });
  } finally {
    bar.stop();
  }
  const data = { file: opts.data, messages: items.length, skipped: skipped.length, reference: result.reference, issues: result.issues };
  const day = (iso: string) => iso.slice(0, 10);
  const rows = result.issues.map((h) => [
    String(h.rank),
    h.hotIndex.toFixed(1),
    `${h.messages}/${h.requesters}`,
    String(h.support),
    h.timeRange.from.slice(0, 10) === h.timeRange.to.slice(0, 10) ? day(h.timeRange.from) : `${day(h.timeRange.from)}…${day(h.timeRange.to)}`,
    clip(h.place ?? '—', 24),
    clip(h.title, 56),
  ]);
  const lines = [
    `热点问题 / hot issues — ${items.length} 条留言 messages${skipped.length ? `（跳过 skipped ${skipped.length}）` : ''}，热度按 ${result.reference?.slice(0, 10)} 计 / recency at ${result.reference?.slice(0, 10)}`,
    '',
    table(['#', '热度 index', '条/人 msgs/people', '支持 likes', '时间 time range', '地点 place', '问题 description'], rows),
    '',
    ...result.issues.slice(0, Math.min(5, result.issues.length)).map((h) => `  #${h.rank} ${h.label}：留言编号 ids ${clip(h.messageIds.join(', '), 90)}`),
  ];
  return { data, text: lines.join('\n') };
}

async function ticketHotIssues(ctx: CliContext, opts: HotOptions): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await hotService.hotIssues(deps, ctx.session.actor(), { days: opts.days, top: Math.min(opts.top, 100) });
  const rows = r.items.map((h) => [String(h.rank), h.hotIndex.toFixed(1), `${h.messages}/${h.requesters}`, clip(h.place ?? h.areaName ?? '—', 24), clip(h.title, 56)]);
  return {
    data: r,
    text: [`本区近 ${opts.days} 天诉求的热点问题 / hot issues of the last ${opts.days} days (${r.ticketsConsidered} tickets)`, '', table(['#', '热度 index', '件/人 tickets/people', '地点 place', '问题 description'], rows)].join('\n'),
  };
}
