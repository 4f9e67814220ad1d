/**
 * `minsheng micro …`: 民生微实事 — the proposals, the count of a vote round, and sending the
 * queued notices. The same use cases the street's workbench calls, acting as the system.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { MICRO_STATUSES, MICRO_STATUS_NAMES, microService } from '../../domain/micro';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import { table, type CommandOutcome } from '../output';

type Status = (typeof MICRO_STATUSES)[number];
const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function uuid(value: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) throw new InvalidArgumentError('轮次编号应为 UUID / a round id is a UUID');
  return value;
}

export function microCommands(program: Command, ctx: CliContext): Command {
  const micro = program.command('micro').description('民生微实事 / micro projects proposed by residents');
  leaf(micro, 'list', '微实事提议（可按状态筛选）/ proposals, optionally by status')
    .addOption(new Option('--status <status>', '状态 / status').choices(MICRO_STATUSES))
    .option('--limit <n>', '最多显示 / at most', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('1–100');
      return n;
    }, 100)
    .action(run(ctx, (opts: { status?: Status; limit: number } & JsonOption) => list(ctx, opts)));
  leaf(micro, 'tally', '票决计票：预算内按票数入选（未结束的轮次为当前计票）/ a vote round\'s count within its budget (so far, if still open)')
    .requiredOption('--round <id>', '票决轮次编号 / the round id', uuid)
    .action(run(ctx, (opts: { round: string } & JsonOption) => tallyRound(ctx, opts)));
  leaf(micro, 'rounds', '票决轮次 / vote rounds').action(run(ctx, (opts: JsonOption) => rounds(ctx, opts)));
  leaf(micro, 'notify', '发送待发的阶段通知（失败的重试，可重复运行）/ send queued stage notices (retries failed ones; safe to repeat)')
    .action(run(ctx, (opts: JsonOption) => notify(ctx, opts)));
  return micro;
}

async function list(ctx: CliContext, opts: { status?: Status; limit: number } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await microService.listProposals(deps, ctx.session.actor(), { page: 1, pageSize: opts.limit, ...(opts.status ? { status: opts.status } : {}) });
  const counts = MICRO_STATUSES.filter((s) => r.counts[s]).map((s) => `${MICRO_STATUS_NAMES[s].zh} ${r.counts[s]}`).join('，');
  const text =
    r.items.length === 0
      ? '没有微实事提议 / no proposals'
      : [
          `民生微实事 / micro projects: ${r.total} 项${counts ? `（${counts}）` : ''}`,
          table(
            ['编号 number', '状态 status', '费用 cost (元)', '支持 supports', '标题 title'],
            r.items.map((p) => [p.number, p.statusName.zh, yuan(p.costFen), String(p.supports + p.mergedSupports), p.title]),
          ),
        ].join('\n');
  return { data: r, text };
}

async function tallyRound(ctx: CliContext, opts: { round: string } & JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await microService.tallyRound(deps, ctx.session.actor(), opts.round);
  const t = r.tally;
  const REASON = { selected: '入选 selected', no_votes: '无票 no votes', over_budget: '超出预算 over budget' } as const;
  const text = [
    `${r.round.title}（${r.final ? '最终结果 final' : '当前计票 so far'}）: 选票 ballots ${t.ballots}，预算 budget ${yuan(t.budgetFen)} 元，入选合计 spent ${yuan(t.spentFen)} 元，结余 left ${yuan(t.remainingFen)} 元`,
    table(
      ['名次 rank', '编号 number', '票数 votes', '费用 cost (元)', '结果 result', '标题 title'],
      t.lines.map((l) => [String(l.rank), l.number, String(l.votes), yuan(l.costFen), REASON[l.reason], l.title]),
    ),
    '  规则 / rule: 按票数从高到低，同票先少花费、再先提出；放不下的跳过 / most votes first; ties to the cheaper, then the earlier; what no longer fits is skipped',
  ].join('\n');
  return { data: r, text };
}

async function rounds(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await microService.listRounds(deps, ctx.session.actor());
  const text =
    r.items.length === 0
      ? '没有票决轮次 / no vote rounds'
      : table(['编号 id', '状态 status', '预算 budget (元)', '每票 per ballot', '选票 ballots', '名称 title'], r.items.map((x) => [x.id, x.status, yuan(x.budgetFen), `${x.minItems}–${x.maxItems}`, String(x.ballots), x.title]));
  return { data: r, text };
}

async function notify(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const r = await microService.deliverNotifications(deps);
  return { data: r, text: `已发送 sent: ${r.sent}   失败 failed: ${r.failed}` };
}
