/**
 * A fresh, real database for one test file: PGlite in memory loaded from the run's template,
 * or — when DATABASE_URL is set — a new database on that PostgreSQL server copied from the run's
 * template database (migrated, and seeded, by the production code in global-setup.ts), dropped
 * afterwards.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../src/shared/db';
import { migrate } from '../../src/shared/db/migrate';
import { composeDeps } from '../../src/server/compose';
import { seedDemoDistrict } from '../../src/server/demo-seed';
import { TEST_CONFIG, TEST_DEMO_PASSWORD } from './constants';
import { adminQuery, databaseUrl } from './pg';

export interface TestDb {
  db: Db;
  cleanup(): Promise<void>;
}

/**
 * CREATE DATABASE … TEMPLATE refuses while another session is connected to the template; only the
 * harness connects to it, but two workers may clone at the same moment — retry briefly.
 */
async function createFromTemplate(url: string, name: string, template: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(url, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== '55006' || attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 100 + attempt * 50));
    }
  }
}

export async function freshDb(options: { seed: boolean } = { seed: true }): Promise<TestDb> {
  const url = process.env.DATABASE_URL;
  const templates = process.env.MINSHENG_TEST_PG_TEMPLATES;
  if (url && templates) {
    const template = (JSON.parse(templates) as { migrated: string; seeded: string })[options.seed ? 'seeded' : 'migrated'];
    const name = `${new URL(url).pathname.slice(1)}_f_${randomBytes(6).toString('hex')}`.slice(0, 63);
    await createFromTemplate(url, name, template);
    const db = await openDb({ engine: 'postgresql', url: databaseUrl(url, name), poolSize: 4 });
    return {
      db,
      cleanup: async () => {
        await db.close();
        await adminQuery(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      },
    };
  }
  if (url) {
    // Without the run's templates (a file run outside vitest's globalSetup): a schema of its own.
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
