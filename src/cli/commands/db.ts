/** `minsheng db …`: the database itself. */
import { type Command } from 'commander';
import { leaf, run, type CliContext, type JsonOption } from '../context';
import type { CommandOutcome } from '../output';

export function dbCommands(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('数据库 / database');
  leaf(db, 'migrate', '应用数据库迁移（db/migrations）/ apply the database migrations')
    .action(run(ctx, (opts: JsonOption) => migrateCommand(ctx, opts)));
}

async function migrateCommand(ctx: CliContext, _opts: JsonOption): Promise<CommandOutcome> {
  // Opening the session migrates (as the server does on start); report what that did.
  const { deps, migration } = await ctx.session.open();
  const where = ctx.session.describeDatabase();
  return {
    data: { database: deps.db.kind, applied: migration.applied, alreadyApplied: migration.alreadyApplied },
    text:
      migration.applied.length > 0
        ? [`已应用迁移 / applied migrations (${where}):`, ...migration.applied.map((v) => `  ${v}`), `此前已应用 / already applied: ${migration.alreadyApplied}`].join('\n')
        : `数据库已是最新 / the database is up to date (${where}); 已应用 already applied: ${migration.alreadyApplied}`,
  };
}
