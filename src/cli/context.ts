/**
 * What every command shares: the session (config, database, actor), the output mode, and the
 * outcome the command hands back for main.ts to print. Commands never print their result
 * themselves, so a failure can never leave half a JSON document on stdout.
 */
import { type Command } from 'commander';
import type { Session } from './session';
import type { CommandOutcome } from './output';

export interface CliContext {
  session: Session;
  /** --json: exactly one JSON document on stdout. */
  json: boolean;
  outcome?: CommandOutcome;
  /** `serve` hands the process over to the HTTP server; main.ts must not exit. */
  keepAlive?: boolean;
  /** A remark for the person at the terminal (stderr; kept out of --json's stdout). */
  note(zh: string, en: string): void;
}

export interface JsonOption {
  json?: boolean;
}

/** A leaf command: every one takes --json. */
export function leaf(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description).option('--json', '输出一个 JSON 文档 / print one JSON document');
}

/**
 * Wraps a command body: records the output mode, runs it, keeps its outcome. The body gets the
 * positional arguments and the options exactly as commander passes them.
 */
export function run<A extends unknown[]>(ctx: CliContext, body: (...args: A) => Promise<CommandOutcome>) {
  return async (...args: A) => {
    const opts = args.find((a, i) => i === args.length - 2 && a && typeof a === 'object') as JsonOption | undefined;
    if (opts) ctx.json = !!opts.json;
    ctx.outcome = await body(...args);
  };
}
