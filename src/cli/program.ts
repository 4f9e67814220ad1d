/** The command tree. Each group lives in commands/<group>.ts and calls the domain services. */
import { Command } from 'commander';
import type { CliContext } from './context';
import { areasCommands } from './commands/areas';
import { calendarCommands } from './commands/calendar';
import { ticketsCommands } from './commands/tickets';
import { ticketsStatsCommands } from './commands/tickets-stats';
import { dbCommands } from './commands/db';
import { seedCommands } from './commands/seed';
import { serveCommand } from './commands/serve';
import { usersCommands } from './commands/users';
import { open311Commands } from './commands/open311';
import { modelCommands } from './commands/model';
import { hotIssuesCommand } from './commands/hot-issues';
import { replyScoreCommand } from './commands/reply-score';
import { microCommands } from './commands/micro';
import { projectsCommands } from './commands/projects';
import { knowledgeCommands } from './commands/knowledge';
import { facilitiesCommands } from './commands/facilities';
import { coverageCommand } from './commands/coverage';
import { sitingCommand } from './commands/siting';
import { residentsCommands } from './commands/residents';
import { benefitsCommands } from './commands/benefits';

export const VERSION = '0.1.0';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('minsheng')
    .description(
      [
        '民生 — 区级基层治理与民生服务平台的命令行 / the minsheng command line',
        '',
        '与服务器读取同样的环境变量 / reads the same environment as the server:',
        '  DATABASE_URL        PostgreSQL（未设置则用 PGlite / unset: embedded PGlite）',
        '  MINSHENG_DATA_DIR   PGlite 数据目录 / PGlite data folder (default ./data)',
        '  MINSHENG_DISTRICT   本区区划代码 / district code (default 370202)',
        '  MINSHENG_DEBUG=1    出错时显示堆栈 / print stack traces',
        '',
        '以系统身份（区管理员权限）操作，审计记录为 system:cli / acts as the system (district administrator); audited as system:cli.',
        '使用 PGlite 时请先停止服务器再运行写入命令 / with PGlite, stop the server before running commands that write.',
      ].join('\n'),
    )
    .version(VERSION, '-V, --version', '显示版本 / print the version')
    .helpOption('-h, --help', '显示帮助 / show help')
    .helpCommand('help [command]', '显示某个命令的帮助 / help for a command')
    .exitOverride()
    .showSuggestionAfterError(true)
    // Usage errors are reported by main.ts (bilingual, or as JSON); help itself still prints.
    .configureOutput({ outputError: () => undefined });

  dbCommands(program, ctx);
  areasCommands(program, ctx);
  usersCommands(program, ctx);
  calendarCommands(program, ctx);
  ticketsStatsCommands(ticketsCommands(program, ctx), ctx);
  open311Commands(program, ctx);
  microCommands(program, ctx);
  projectsCommands(program, ctx);
  facilitiesCommands(program, ctx);
  coverageCommand(program, ctx);
  sitingCommand(program, ctx);
  residentsCommands(program, ctx);
  seedCommands(program, ctx);
  benefitsCommands(program, ctx);
  serveCommand(program, ctx);
  modelCommands(program, ctx);
  hotIssuesCommand(program, ctx);
  replyScoreCommand(program, ctx);
  knowledgeCommands(program, ctx);
  return program;
}
