/**
 * 答复质量: a handler's draft reply scored before it goes out (core/reply.ts), and the same
 * scoring over a file of past replies (CLI `reply-score`). docs/REPLY-QUALITY.md explains it.
 */
import { z } from 'zod';
import type { AnyActor } from '../../shared/authz';
import { assertCan } from '../../shared/authz';
import { ticketsService } from '../tickets';
import { requestKeyTerms, scoreReply, type ReplyScore } from './core/reply';
import { DocFreq } from './core/similarity';
import { districtDocFreq, type DuplicatesDeps } from './duplicates';
import type { TextAnalyzer } from './text/analyzer';

const DAY = 86_400_000;

export const ReplyScoreBody = z.object({ text: z.string().min(1).max(10_000) }).strict();

/** Scores a draft reply to ticket `id`. Anyone who can read the ticket may check a draft. */
export async function scoreDraftReply(deps: DuplicatesDeps, actor: AnyActor, id: string, body: z.infer<typeof ReplyScoreBody>) {
  assertCan(actor, 'tickets.read');
  const { ticket } = await ticketsService.getTicket(deps, actor, id);
  const analyzer = await deps.textAnalyzers.get(deps.db, actor.districtCode);
  const df = await districtDocFreq(deps, deps.db, actor.districtCode, analyzer);
  const created = Date.parse(ticket.createdAt);
  const now = deps.clock().getTime();
  const limitDays = ticket.dueAt ? Math.max(1, (Date.parse(ticket.dueAt) - created) / DAY) : 15;
  const k = requestKeyTerms(ticket.title, ticket.content, (t) => analyzer.tokens(t), (t) => df.idf(t));
  return { ticketId: id, score: scoreReply({ title: ticket.title, body: ticket.content, reply: body.text, elapsedDays: (now - created) / DAY, limitDays }, k.keyTerms, k.titleTerms) };
}

// ---- files (CLI) ------------------------------------------------------------------------------

export const ReplyRow = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  title: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  time: z.string(),
  reply: z.string(),
  reply_time: z.string(),
});
export type ReplyRow = z.infer<typeof ReplyRow>;

export function parseRepliesJsonl(text: string): { rows: ReplyRow[]; skipped: Array<{ line: number; reason: string }> } {
  const rows: ReplyRow[] = [];
  const skipped: Array<{ line: number; reason: string }> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, reason: 'invalid JSON' });
      return;
    }
    const r = ReplyRow.safeParse(raw);
    if (!r.success) skipped.push({ line: i + 1, reason: r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    else if (!Number.isFinite(Date.parse(r.data.time)) || !Number.isFinite(Date.parse(r.data.reply_time))) skipped.push({ line: i + 1, reason: 'invalid time' });
    else rows.push(r.data);
  });
  return { rows, skipped };
}

export interface ScoredReply extends ReplyScore {
  id: string;
  title: string;
  days: number;
}

/** Scores every row; document frequencies come from the file's own requests. */
export function scoreReplyRows(
  rows: readonly ReplyRow[],
  analyzer: Pick<TextAnalyzer, 'tokens'>,
  opts: { limitDays?: number; onProgress?: (done: number, total: number) => void } = {},
): ScoredReply[] {
  const df = new DocFreq();
  const tokens = rows.map((r) => analyzer.tokens(`${r.title ?? ''} ${r.body ?? ''}`));
  for (const t of tokens) df.add(t);
  return rows.map((r, i) => {
    const k = requestKeyTerms(r.title ?? '', r.body ?? '', (t) => analyzer.tokens(t), (t) => df.idf(t));
    const days = (Date.parse(r.reply_time) - Date.parse(r.time)) / DAY;
    const s = scoreReply({ title: r.title ?? '', body: r.body ?? '', reply: r.reply, elapsedDays: days, ...(opts.limitDays ? { limitDays: opts.limitDays } : {}) }, k.keyTerms, k.titleTerms);
    if (opts.onProgress && (i % 100 === 0 || i === rows.length - 1)) opts.onProgress(i + 1, rows.length);
    return { id: r.id, title: r.title ?? '', days: Math.round(days * 10) / 10, ...s };
  });
}
