/**
 * Builds the PGlite templates once per test run: a migrated database and a seeded demo
 * district, dumped to .tmp/. Each test file then loads a template in about half a second
 * instead of paying initdb (3–5 s) and the seed. Against PostgreSQL (DATABASE_URL) every file
 * gets its own schema instead, see db.ts.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { openDb } from '../../src/shared/db';
import { migrate } from '../../src/shared/db/migrate';
import { composeDeps } from '../../src/server/compose';
import { seedDemoDistrict } from '../../src/server/demo-seed';
import { TEMPLATE_DIR, TEST_CONFIG, TEST_DEMO_PASSWORD } from './constants';

export default async function setup() {
  if (process.env.DATABASE_URL) return;
  await mkdir(TEMPLATE_DIR, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const migrated = await openDb({ engine: 'pglite', dataDir: 'memory' });
  await migrate(migrated);
  const dir = `${TEMPLATE_DIR}/${stamp}`;
  await mkdir(dir, { recursive: true });
  await writeFile(`${dir}/migrated.tar`, Buffer.from(await (await migrated.snapshot!()).arrayBuffer()));
  const deps = composeDeps(migrated, TEST_CONFIG);
  await seedDemoDistrict(deps, { demoPassword: TEST_DEMO_PASSWORD });
  await writeFile(`${dir}/seeded.tar`, Buffer.from(await (await migrated.snapshot!()).arrayBuffer()));
  await migrated.close();
  process.env.MINSHENG_TEST_TEMPLATES = dir;
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

