/**
 * `minsheng tickets …`: jobs and reports on citizen tickets. The escalation job is the same
 * function the server runs every ten minutes; running it from cron or by hand is safe, since it
 * is idempotent.
 */
import type { Command } from 'commander';
import { ticketsService } from '../../domain/tickets';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import type { CommandOutcome } from '../output';

export function ticketsCommands(program: Command, ctx: CliContext): Command {
  const tickets = program.command('tickets').description('诉求（接诉即办）/ citizen tickets');
  leaf(tickets, 'escalate', '超期自动催办：承办单位 → 上级 → 区（可重复运行）/ urge and escalate overdue tickets (idempotent)')
    .action(run(ctx, (opts: JsonOption) => escalate(ctx, opts)));
  return tickets;
}

async function escalate(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  const { deps } = await ctx.session.open();
  const result = await ticketsService.escalateOverdue(deps, ctx.session.districtCode);
  return { data: result, text: `已催办 / urged: ${result.urged}` };
}
