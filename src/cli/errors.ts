/**
 * How the CLI fails. Services throw AppError (a refusal with a code and zh + en text); the CLI
 * adds its own refusals (a file that cannot be read, a database that cannot be reached) as
 * CliError, and turns commander's usage errors into the same shape. Every failure leaves the
 * process as one bilingual message on stderr, or as `{"error":{…}}` on stdout with --json.
 */
import { CommanderError } from 'commander';
import { isAppError, type Bilingual } from '../shared/errors';
import { ConfigError } from '../server/config';

/** Process exit codes. 64 is EX_USAGE from sysexits.h. */
export const EXIT = {
  ok: 0,
  failure: 1,
  /** Some items were refused (an import with rejected features); the rest were done. */
  partial: 2,
  usage: 64,
  interrupted: 130,
} as const;

export class CliError extends Error {
  constructor(
    readonly code: string,
    readonly text: Bilingual,
    readonly details?: unknown,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(text.en);
    this.name = 'CliError';
  }
}

export interface ErrorReport {
  code: string;
  zh: string;
  en: string;
  details?: unknown;
  exitCode: number;
  /** Shown only with MINSHENG_DEBUG=1. */
  stack?: string;
  /** A help text commander already printed (a command group run without a subcommand). */
  helpShown?: boolean;
}

const COMMANDER_ZH: Record<string, string> = {
  'commander.unknownCommand': '未知命令',
  'commander.unknownOption': '未知选项',
  'commander.missingArgument': '缺少参数',
  'commander.optionMissingArgument': '选项缺少取值',
  'commander.missingMandatoryOptionValue': '缺少必需的选项',
  'commander.invalidArgument': '参数取值无效',
  'commander.invalidOptionArgument': '参数取值无效',
  'commander.excessArguments': '多余的参数',
  'commander.conflictingOption': '选项互相冲突',
};

const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();

export function toErrorReport(e: unknown, commandPath: string): ErrorReport {
  if (isAppError(e)) {
    return { code: e.code, zh: e.text.zh, en: e.text.en, details: e.details, exitCode: EXIT.failure };
  }
  if (e instanceof CliError) {
    return { code: e.code, zh: e.text.zh, en: e.text.en, details: e.details, exitCode: e.exitCode };
  }
  if (e instanceof ConfigError) {
    // Already bilingual and one issue per line.
    return { code: 'config_invalid', zh: e.message, en: e.message.split('\n').slice(1).join('; ').trim() || e.message, exitCode: EXIT.failure };
  }
  if (e instanceof CommanderError) {
    if (e.code === 'commander.help') {
      return { code: 'usage', zh: '缺少子命令', en: 'missing subcommand', exitCode: EXIT.usage, helpShown: true };
    }
    const en = oneLine(e.message.replace(/^error:\s*/, '')).replace(/\.+$/, '');
    const help = commandPath ? `${commandPath} --help` : 'minsheng --help';
    return {
      code: 'usage',
      zh: `${COMMANDER_ZH[e.code] ?? '命令行参数有误'}：${en}；运行 ${help} 查看用法`,
      en: `${en}. Run ${help} for usage`,
      exitCode: EXIT.usage,
    };
  }
  const message = oneLine(e instanceof Error ? e.message : String(e));
  return {
    code: 'internal',
    zh: `意外错误：${message}`,
    en: `unexpected error: ${message}`,
    exitCode: EXIT.failure,
    ...(e instanceof Error && e.stack ? { stack: e.stack } : {}),
  };
}

/** The JSON error document, the same shape as the HTTP API's. */
export function errorDocument(r: ErrorReport) {
  return { error: { code: r.code, message: r.zh, zh: r.zh, en: r.en, ...(r.details !== undefined ? { details: r.details } : {}) } };
}

/** The human form for stderr: Chinese first, then English; details only when they are readable. */
export function errorText(r: ErrorReport): string {
  if (r.code === 'config_invalid') return r.zh;
  if (r.code === 'internal') {
    return `意外错误 / unexpected error: ${r.en.replace(/^unexpected error: /, '')}（MINSHENG_DEBUG=1 显示堆栈 / shows the stack trace）`;
  }
  const lines = r.code === 'usage' ? [`用法错误：${r.zh}`, `Usage error: ${r.en}`] : [`错误：${r.zh}`, `Error: ${r.en}`];
  const issues = Array.isArray(r.details) && r.details.length > 1 ? r.details : [];
  for (const i of issues) {
    if (i && typeof i === 'object' && 'zh' in i && 'en' in i) lines.push(`  - ${String(i.zh)} / ${String(i.en)}`);
  }
  return lines.join('\n');
}
