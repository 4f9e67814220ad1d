/**
 * The same coverage and siting answers on PGlite and on PostgreSQL. Runs when DATABASE_URL
 * points at a PostgreSQL server (CI does); without it there is only one engine here and the
 * suite is skipped, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../shared/db';
import { migrate } from '../../shared/db/migrate';
import { composeDeps } from '../../server/compose';
import { seedDemoDistrict } from '../../server/demo-seed';
import type { SystemActor } from '../../shared/authz';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { TEST_CONFIG, TEST_DEMO_PASSWORD } from '../../../test/helpers/constants';
import { facilitiesService } from './index';

const url = process.env.DATABASE_URL;
const actor: SystemActor = { kind: 'system', districtCode: TEST_CONFIG.districtCode, reason: 'test' };

describe.skipIf(!url)('PGlite and PostgreSQL give identical coverage and siting (needs DATABASE_URL; skipped without it)', () => {
  let lite: Db;
  let pg: TestDb;
  beforeAll(async () => {
    lite = await openDb({ engine: 'pglite', dataDir: 'memory' });
    await migrate(lite);
    await seedDemoDistrict(composeDeps(lite, TEST_CONFIG), { demoPassword: TEST_DEMO_PASSWORD });
    pg = await freshDb({ seed: true });
  }, 300_000);
  afterAll(async () => {
    await lite?.close();
    await pg?.cleanup();
  });

  const both = async <T>(fn: (deps: ReturnType<typeof composeDeps>) => Promise<T>): Promise<[T, T]> => [
    await fn(composeDeps(lite, TEST_CONFIG)),
    await fn(composeDeps(pg.db, TEST_CONFIG)),
  ];

  it('coverage at every level and standard', async () => {
    for (const q of [
      { type: 'ev_charger', radius: 900, level: 'subdistrict' as const },
      { type: 'meal_point', level: 'community' as const },
      { type: 'emergency_station', minutes: 5, speed: 30, level: 'grid_cell' as const },
    ]) {
      const [a, b] = await both((deps) => facilitiesService.coverage(deps, actor, { uncoveredLimit: 50, ...q }));
      expect(a.totals).toEqual(b.totals);
      expect(a.rows).toEqual(b.rows);
      expect(a.uncovered).toEqual(b.uncovered);
      expect(a.answer).toEqual(b.answer);
    }
  });

  it('siting', async () => {
    const [a, b] = await both((deps) => facilitiesService.siting(deps, actor, { type: 'ev_charger', add: 5, crs: 'wgs84', respectCapacity: false }));
    expect(a.sites).toEqual(b.sites);
    expect(a.after).toEqual(b.after);
  });
});
