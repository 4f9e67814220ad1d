/**
 * `npm start`: open the database (PGlite in ./data, or DATABASE_URL), migrate, seed the demo
 * district on first start, and serve the API and the web app.
 */
import { isAppError } from '../shared/errors';
import { readConfig, ConfigError } from './config';
import { buildApp } from './app';
import { startJobs } from './jobs';
import { isFreshEmbeddedDatabase, prepareDatabase, prepareInChildProcess } from './prepare';

async function main() {
  const started = performance.now();
  const config = readConfig(process.env);
  if (isFreshEmbeddedDatabase(config)) await prepareInChildProcess();
  const { deps, migrationsApplied } = await prepareDatabase(config, (m) => process.stderr.write(`${m}\n`));
  const app = await buildApp(deps, { logger: { level: config.logLevel } });
  // Build the point index before the first request asks for it.
  await deps.locators.get(deps.db, deps.districtCode);

  const jobs = startJobs(deps, app.log);
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    jobs.stop();
    await app.close();
    await deps.db.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: deps.db.kind, migrationsApplied, startupMs: Math.round(performance.now() - started) },
    `minsheng 民生 ready on http://localhost:${config.port}`,
  );
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) process.stderr.write(`${e.message}\n`);
  else if (isAppError(e)) process.stderr.write(`启动失败：${e.text.zh}\nFailed to start: ${e.text.en}\n`);
  else {
    process.stderr.write(`启动失败 / failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.MINSHENG_DEBUG) console.error(e);
  }
  process.exit(1);
});
