/**
 * Scope as a property: for a random actor (role × area binding), what searchPersons returns is
 * exactly what a three-line oracle over the raw table says — on the real SQL. Grid workers see
 * only their own grid's households.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { ROLES, can, type Actor } from '../../shared/authz';
import { AppError } from '../../shared/errors';
import { composeDeps } from '../../server/compose';
import { TEST_CONFIG } from '../../../test/helpers/constants';
import * as service from './service';

let t: TestDb;
let deps: ReturnType<typeof composeDeps>;
let areas: { path: string }[];
let persons: { id: string; area_path: string }[];

beforeAll(async () => {
  t = await freshDb(); // the demo seed holds a small generated registry
  deps = composeDeps(t.db, TEST_CONFIG);
  areas = await t.db.query(`SELECT path FROM areas ORDER BY code`);
  persons = await t.db.query(`SELECT id::text AS id, area_path FROM res_persons ORDER BY id`);
});
afterAll(() => t.cleanup());

const oracle = (a: Actor) => {
  const scope = a.role === 'resident' ? null : a.areaPath ?? '/370202/';
  return persons.filter((p) => scope !== null && p.area_path.startsWith(scope)).map((p) => p.id).sort();
};

const actorArb = fc
  .record({ role: fc.constantFrom(...ROLES), areaIndex: fc.option(fc.nat(), { nil: null }) })
  .map(({ role, areaIndex }): Actor => ({
    kind: 'user',
    id: '00000000-0000-4000-8000-000000000000',
    role,
    districtCode: '370202',
    areaPath: areaIndex === null ? null : areas[areaIndex % areas.length]!.path,
    departmentCode: null,
  }));

describe('registry scopes', () => {
  it('the demo registry is there to test against', () => {
    expect(persons.length).toBeGreaterThan(500);
  });

  it('searchPersons returns exactly the persons the oracle allows', async () => {
    await fc.assert(
      fc.asyncProperty(actorArb, async (actor) => {
        if (!can(actor, 'residents.read')) {
          await expect(service.searchPersons(deps, actor, { page: 1, pageSize: 20 })).rejects.toBeInstanceOf(AppError);
          return;
        }
        const expected = oracle(actor);
        const got: string[] = [];
        for (let page = 1; ; page++) {
          const r = await service.searchPersons(deps, actor, { page, pageSize: 200 });
          expect(r.total).toBe(expected.length);
          got.push(...r.items.map((p) => p.id));
          if (r.items.length < 200) break;
        }
        expect(got.sort()).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('a person page outside the scope is not found, inside it is', async () => {
    await fc.assert(
      fc.asyncProperty(actorArb.filter((a) => can(a, 'residents.read')), fc.nat(), async (actor, i) => {
        const p = persons[i % persons.length]!;
        const allowed = oracle(actor).includes(p.id);
        const call = service.getPerson(deps, actor, p.id);
        if (allowed) await expect(call).resolves.toMatchObject({ person: { id: p.id } });
        else await expect(call).rejects.toMatchObject({ code: 'not_found' });
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
