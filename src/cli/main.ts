/**
 * `minsheng` — the command line. bin/minsheng.js registers tsx and imports this file.
 *
 * The CLI is a composition root like src/server/main.ts: it reads the configuration once,
 * opens and migrates the same database, composes the same dependencies, and calls the same
 * services as the HTTP API (never its own SQL), acting as the system for the configured
 * district. Output: readable Chinese-first text, or with --json exactly one JSON document on
 * stdout. Exit codes: 0 ok, 1 failure, 2 partly refused (an import), 64 usage error.
 */
import { CommanderError, type Command } from 'commander';
import { Session } from './session';
import { buildProgram } from './program';
import type { CliContext } from './context';
import { EXIT, errorDocument, errorText, toErrorReport } from './errors';
import { writeFully } from './output';

export async function runCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number | 'keep-alive'> {
  const session = new Session(env);
  const args = argv.slice(2);
  const dashDash = args.indexOf('--');
  const ctx: CliContext = {
    session,
    json: (dashDash === -1 ? args : args.slice(0, dashDash)).includes('--json'),
    note: (zh, en) => process.stderr.write(`${zh}\n${en}\n`),
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    if (ctx.keepAlive) return 'keep-alive';
    const outcome = ctx.outcome;
    if (!outcome) return EXIT.ok;
    await session.close();
    await writeFully(process.stdout, `${ctx.json ? JSON.stringify(outcome.data, null, 2) : outcome.text}\n`);
    return outcome.exitCode ?? EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError && (e.code === 'commander.helpDisplayed' || e.code === 'commander.version')) {
      return EXIT.ok;
    }
    await session.close();
    const report = toErrorReport(e, commandPathOf(program, args));
    if (ctx.json) {
      await writeFully(process.stdout, `${JSON.stringify(errorDocument(report), null, 2)}\n`);
      if (!report.helpShown) await writeFully(process.stderr, `${errorText(report)}\n`);
    } else if (!report.helpShown) {
      await writeFully(process.stderr, `${errorText(report)}\n`);
    }
    if (report.stack && env.MINSHENG_DEBUG) await writeFully(process.stderr, `${report.stack}\n`);
    return report.exitCode;
  } finally {
    if (!ctx.keepAlive) await session.close();
  }
}

/** "minsheng areas list": the known commands the arguments name, for "run … --help". */
function commandPathOf(program: Command, args: string[]): string {
  const words = [program.name()];
  let at = program;
  for (const a of args) {
    const sub = at.commands.find((c) => c.name() === a);
    if (!sub) break;
    words.push(a);
    at = sub;
  }
  return words.join(' ');
}

const code = await runCli(process.argv);
if (code !== 'keep-alive') process.exit(code);
