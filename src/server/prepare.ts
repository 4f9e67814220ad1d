/**
 * Opening the database for the server: migrate, and seed the demo district on first start.
 *
 * On a fresh embedded database, PGlite's initdb grows the WASM heap to ~800 MB that the process
 * never gives back. The first start therefore creates, migrates and seeds the database in a
 * short-lived child process (`node src/server/prepare.ts`) and the server then opens the ready
 * folder, running at about half the memory (docs/benchmarks.md).
 */
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig, type Config } from './config';
import { composeDeps, migrate, openDatabase } from './compose';
import { formatAccounts, isSeeded, seedDemoDistrict } from './demo-seed';

export interface Prepared {
  deps: ReturnType<typeof composeDeps>;
  migrationsApplied: number;
  seeded: boolean;
}

export async function prepareDatabase(config: Config, log: (msg: string) => void): Promise<Prepared> {
  const db = await openDatabase(config);
  try {
    const migrated = await migrate(db);
    const deps = composeDeps(db, config);
    let seeded = false;
    if (config.seedDemo && !(await isSeeded(deps))) {
      log('首次启动：正在生成演示区数据 / first start: seeding the demo district');
      const { accounts } = await seedDemoDistrict(deps, { demoPassword: config.demoPassword });
      process.stdout.write(`\n${formatAccounts(accounts)}\n\n`);
      seeded = true;
    }
    return { deps, migrationsApplied: migrated.applied.length, seeded };
  } catch (e) {
    await db.close();
    throw e;
  }
}

export function isFreshEmbeddedDatabase(config: Config): boolean {
  return config.database.engine === 'pglite' && !existsSync(path.join(config.database.dataDir, 'PG_VERSION'));
}

/** Runs prepareDatabase in a child process and waits for it. */
export function prepareInChildProcess(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], { stdio: 'inherit', env: process.env });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`数据库初始化失败 / database preparation failed (exit ${code})`))));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const config = readConfig(process.env);
  prepareDatabase(config, (m) => process.stderr.write(`${m}\n`))
    .then(({ deps }) => deps.db.close())
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    });
}
