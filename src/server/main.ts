/**
 * `npm start`: open the database (PGlite in ./data, or DATABASE_URL), migrate, seed the demo
 * district on first start, and serve the API and the web app.
 */
import { readConfig, ConfigError } from './config';
import { composeDeps, migrate, openDatabase } from './compose';
import { buildApp } from './app';
import { formatAccounts, isSeeded, seedDemoDistrict } from './demo-seed';

async function main() {
  const started = performance.now();
  const config = readConfig(process.env);
  const db = await openDatabase(config);
  const migrated = await migrate(db);
  const deps = composeDeps(db, config);
  const app = await buildApp(deps, { logger: { level: config.logLevel } });

  if (config.seedDemo && !(await isSeeded(deps))) {
    app.log.info('首次启动：正在生成演示区数据 / first start: seeding the demo district');
    const { accounts, gridCells } = await seedDemoDistrict(deps, { demoPassword: config.demoPassword });
    app.log.info({ gridCells }, 'demo district seeded');
    process.stdout.write(`\n${formatAccounts(accounts)}\n\n`);
  }
  // Build the point index before the first request asks for it.
  await deps.locators.get(db, deps.districtCode);

  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: db.kind, migrationsApplied: migrated.applied.length, startupMs: Math.round(performance.now() - started) },
    `minsheng 民生 ready on http://localhost:${config.port}`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`启动失败 / failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.MINSHENG_DEBUG) console.error(e);
  }
  process.exit(1);
});
