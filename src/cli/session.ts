/**
 * One CLI invocation's connection to minsheng: the configuration read once from the
 * environment (exactly as the server reads it), the database opened and migrated on first use,
 * the dependencies composed by the server's own composition root, and the actor the CLI acts
 * as. Commands that need no database (--help, serve) never open it; every command that did
 * closes it before the process exits (PGlite keeps the process alive otherwise).
 */
import { isAppError } from '../shared/errors';
import { readConfig, type Config } from '../server/config';
import { composeDeps, migrate, openDatabase, type Deps } from '../server/compose';
import type { SystemActor } from '../shared/authz';
import { CliError, EXIT } from './errors';

export interface MigrationSummary {
  applied: string[];
  alreadyApplied: number;
}

export interface Opened {
  deps: Deps;
  migration: MigrationSummary;
}

/** The operator with shell access to the server acts as the district administrator; audit rows say system:cli. */
export function cliActor(districtCode: string): SystemActor {
  return { kind: 'system', districtCode, reason: 'cli' };
}

export class Session {
  private cachedConfig: Config | undefined;
  private opening: Promise<Opened> | undefined;
  private closing: Promise<void> | undefined;
  private db: Deps['db'] | undefined;
  private readonly onSignal = (signal: NodeJS.Signals) => void this.interrupt(signal);

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Throws ConfigError (bilingual) on a bad environment. */
  config(): Config {
    this.cachedConfig ??= readConfig(this.env);
    return this.cachedConfig;
  }

  get districtCode(): string {
    return this.config().districtCode;
  }

  actor(districtCode = this.districtCode): SystemActor {
    return cliActor(districtCode);
  }

  /** Where the data lives, for messages: a folder, or a PostgreSQL URL without its password. */
  describeDatabase(): string {
    const db = this.config().database;
    return db.engine === 'pglite' ? `PGlite ${db.dataDir}` : `PostgreSQL ${redactUrl(db.url)}`;
  }

  open(): Promise<Opened> {
    this.opening ??= this.doOpen();
    return this.opening;
  }

  get isOpen(): boolean {
    return this.opening !== undefined;
  }

  private async doOpen(): Promise<Opened> {
    const config = this.config();
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
    let db;
    try {
      db = await openDatabase(config);
    } catch (e) {
      if (isAppError(e)) throw e;
      throw new CliError(
        'database_unavailable',
        {
          zh: `无法打开数据库（${this.describeDatabase()}）：${messageOf(e)}`,
          en: `Cannot open the database (${this.describeDatabase()}): ${messageOf(e)}`,
        },
        undefined,
        EXIT.failure,
      );
    }
    this.db = db;
    let migration: MigrationSummary;
    try {
      migration = await migrate(db);
    } catch (e) {
      throw new CliError('migration_failed', {
        zh: `数据库迁移失败（${this.describeDatabase()}）：${messageOf(e)}`,
        en: `Database migration failed (${this.describeDatabase()}): ${messageOf(e)}`,
      });
    }
    return { deps: composeDeps(db, config), migration };
  }

  /** Idempotent; never throws (a failing close must not hide the command's own result). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      if (this.opening) await this.opening.catch(() => undefined);
      if (this.db) await this.db.close().catch(() => undefined);
    })();
    return this.closing;
  }

  /** Ctrl-C in the middle of a command: close the database cleanly (bounded), then leave. */
  private async interrupt(signal: NodeJS.Signals): Promise<void> {
    process.stderr.write(`\n已中断，正在关闭数据库… / interrupted (${signal}), closing the database…\n`);
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 5_000).unref());
    await Promise.race([this.closeNow(), timeout]);
    process.exit(EXIT.interrupted);
  }

  private async closeNow(): Promise<void> {
    if (this.db) await this.db.close().catch(() => undefined);
  }
}

function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message || (e as { code?: string }).code || e.name : String(e);
  return m.replace(/\s*\n\s*/g, ' ').trim();
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'DATABASE_URL';
  }
}
