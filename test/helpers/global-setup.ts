/**
 * Builds the templates once per test run: a migrated database and a seeded demo district.
 * - PGlite: dumped to .tmp/; each test file loads one in about half a second instead of paying
 *   initdb (3–5 s) and the seed.
 * - PostgreSQL (DATABASE_URL): two template databases beside the run's database
 *   (`<db>_tpl_m_…`, `<db>_tpl_s_…`); each file gets `CREATE DATABASE … TEMPLATE …`, a file copy,
 *   instead of migrating and seeding on its own. Dropped at the end of the run.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { openDb } from '../../src/shared/db';
import { migrate } from '../../src/shared/db/migrate';
import { composeDeps } from '../../src/server/compose';
import { seedDemoDistrict } from '../../src/server/demo-seed';
import { TEMPLATE_DIR, TEST_CONFIG, TEST_DEMO_PASSWORD } from './constants';
import { adminQuery, databaseUrl } from './pg';

export default async function setup() {
  if (process.env.DATABASE_URL) return setupPostgres(process.env.DATABASE_URL);
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


async function setupPostgres(url: string) {
  const base = new URL(url).pathname.slice(1) || 'postgres';
  const stamp = `${process.pid}_${Date.now()}`;
  const names = { migrated: `${base}_tpl_m_${stamp}`.slice(0, 63), seeded: `${base}_tpl_s_${stamp}`.slice(0, 63) };
  for (const [kind, name] of Object.entries(names)) {
    await adminQuery(url, `CREATE DATABASE "${name}"`);
    const db = await openDb({ engine: 'postgresql', url: databaseUrl(url, name), poolSize: 2 });
    await migrate(db);
    if (kind === 'seeded') await seedDemoDistrict(composeDeps(db, TEST_CONFIG), { demoPassword: TEST_DEMO_PASSWORD });
    await db.close();
  }
  process.env.MINSHENG_TEST_PG_TEMPLATES = JSON.stringify(names);
  return async () => {
    for (const name of Object.values(names)) await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
}
