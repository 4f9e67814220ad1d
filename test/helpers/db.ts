/**
 * A fresh, real database for one test file: PGlite in memory loaded from the run's template,
 * or — when DATABASE_URL is set — a new schema on that PostgreSQL server, migrated (and seeded)
 * by the production code, dropped afterwards.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../src/shared/db';
import { migrate } from '../../src/shared/db/migrate';
import { composeDeps } from '../../src/server/compose';
import { seedDemoDistrict } from '../../src/server/demo-seed';
import { TEST_CONFIG, TEST_DEMO_PASSWORD } from './constants';

export interface TestDb {
  db: Db;
  cleanup(): Promise<void>;
}

export async function freshDb(options: { seed: boolean } = { seed: true }): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const db = await openDb({ engine: 'postgresql', url, searchPath: schema, poolSize: 4 });
    await migrate(db);
    if (options.seed) await seedDemoDistrict(composeDeps(db, TEST_CONFIG), { demoPassword: TEST_DEMO_PASSWORD });
    return {
      db,
      cleanup: async () => {
        await db.close();
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query(`DROP SCHEMA ${schema} CASCADE`);
        await c.end();
      },
    };
  }
  const dir = process.env.MINSHENG_TEST_TEMPLATES;
  if (!dir) throw new Error('test templates missing: run the tests through vitest (globalSetup)');
  const tar = await readFile(`${dir}/${options.seed ? 'seeded' : 'migrated'}.tar`);
  const db = await openDb({ engine: 'pglite', dataDir: 'memory', loadDataDir: new Blob([tar]) });
  return { db, cleanup: () => db.close() };
}
