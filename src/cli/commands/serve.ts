/** `minsheng serve`: the HTTP server, as `npm start` runs it (without building the web app). */
import type { Command } from 'commander';
import type { CliContext } from '../context';

export function serveCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('启动服务器（同 npm start，不构建前端）/ start the server (as npm start, without building the web app)')
    .action(async () => {
      ctx.keepAlive = true;
      // src/server/main.ts starts on import and owns the process from here (signals, exit codes).
      await import('../../server/main');
    });
}
