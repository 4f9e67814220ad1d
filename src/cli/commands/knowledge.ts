/**
 * `minsheng knowledge …`: the knowledge base from the terminal — search it (BM25 over segmented
 * text, as the workbench does), and run the expiry job that flags expired entries to their owner.
 */
import type { Command } from 'commander';
import { knowledgeService } from '../../domain/analysis';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { table, type CommandOutcome } from '../output';
import { clip, positiveInt } from './hot-issues';

export function knowledgeCommands(program: Command, ctx: CliContext): void {
  const kb = program.command('knowledge').description('知识库 / the knowledge base for direct answers');
  leaf(kb, 'search', '检索知识库（BM25）/ search the knowledge base (BM25)')
    .argument('<query>', '问题 / the question')
    .option('--limit <n>', '条数 / how many', positiveInt(100), 5)
    .option('--valid-only', '不含过期条目（与推荐一致）/ leave out expired entries (as suggestions do)')
    .action(run(ctx, (query: string, opts: { limit: number; validOnly?: boolean } & JsonOption) => search(ctx, query, opts)));
  leaf(kb, 'flag-expired', '标记过期条目并提醒责任单位（每日任务）/ flag expired entries to their owners (the daily job)').action(
    run(ctx, () => flag(ctx)),
  );
}

async function search(ctx: CliContext, query: string, opts: { limit: number; validOnly?: boolean }): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await knowledgeService.listKnowledge(deps, ctx.session.actor(), { q: query, limit: opts.limit, includeExpired: opts.validOnly ? 'false' : 'true' });
  const rows = r.items.map((h, i) => [String(i + 1), h.score?.toFixed(2) ?? '—', clip(h.entry.question, 36), h.entry.validUntil ?? '长期', h.entry.expired ? '已过期 expired' : '', clip(h.matched.join('、'), 20)]);
  return { data: r, text: table(['#', '得分 score', '问题 question', '有效期 valid until', '', '匹配 matched'], rows) };
}

async function flag(ctx: CliContext): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await knowledgeService.flagExpiredKnowledge(deps, ctx.session.actor());
  return { data: r, text: `新标记过期条目 newly flagged: ${r.flagged}${r.owners.length ? `，责任单位 owners: ${r.owners.join(', ')}` : ''}` };
}
