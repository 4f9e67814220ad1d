/**
 * Scope as a property: for a random actor (role × area binding) and a random area, what the
 * services return equals what a five-line oracle says — on the real SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { ROLES, type Actor, can } from '../../shared/authz';
import { AppError } from '../../shared/errors';
import { composeDeps } from '../../server/compose';
import { TEST_CONFIG } from '../../../test/helpers/constants';
import * as service from './service';
import { accessService } from '../access';

let t: TestDb;
let areas: { code: string; path: string; parent_code: string | null; level: string }[];
let deps: ReturnType<typeof composeDeps>;

beforeAll(async () => {
  t = await freshDb();
  deps = composeDeps(t.db, TEST_CONFIG);
  areas = await t.db.query(`SELECT code, path, parent_code, level FROM areas ORDER BY code`);
});
afterAll(() => t.cleanup());

/** The oracle: an actor sees an area inside its scope, or an ancestor of its own area. */
const oracle = {
  scope: (a: Actor) => (a.role === 'resident' ? null : a.areaPath ?? '/370202/'),
  sees: (a: Actor, path: string) => {
    const s = oracle.scope(a);
    return s !== null && (path.startsWith(s) || s.startsWith(path));
  },
  manages: (a: Actor, path: string) => a.role === 'admin' && path.startsWith(oracle.scope(a)!),
};

const actorArb = () =>
  fc.record({
    role: fc.constantFrom(...ROLES),
    areaIndex: fc.option(fc.nat(), { nil: null }),
  }).map(({ role, areaIndex }): Actor => ({
    kind: 'user',
    id: '00000000-0000-4000-8000-000000000000',
    role,
    districtCode: '370202',
    areaPath: areaIndex === null ? null : areas[areaIndex % areas.length]!.path,
    departmentCode: null,
  }));

describe('area scopes', () => {
  it('listAreas returns exactly the children the oracle allows', async () => {
    await fc.assert(
      fc.asyncProperty(actorArb(), fc.nat(), async (actor, parentIndex) => {
        const parent = areas.filter((a) => a.level !== 'grid_cell')[parentIndex % 62]!;
        const expected = areas.filter((a) => a.parent_code === parent.code && oracle.sees(actor, a.path)).map((a) => a.code);
        if (!can(actor, 'areas.read')) {
          await expect(service.listAreas(deps, actor, parent.code)).rejects.toBeInstanceOf(AppError);
          return;
        }
        const got = (await service.listAreas(deps, actor, parent.code)).map((a) => a.code);
        expect(got).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('getAreaDetail answers 200 / out_of_scope as the oracle says, staff only inside the scope', async () => {
    await fc.assert(
      fc.asyncProperty(actorArb(), fc.nat(), async (actor, i) => {
        const area = areas[i % areas.length]!;
        if (!can(actor, 'areas.read')) {
          await expect(service.getAreaDetail(deps, actor, area.code)).rejects.toMatchObject({ code: 'forbidden' });
          return;
        }
        if (!oracle.sees(actor, area.path)) {
          await expect(service.getAreaDetail(deps, actor, area.code)).rejects.toMatchObject({ code: 'out_of_scope' });
          return;
        }
        const detail = await service.getAreaDetail(deps, actor, area.code);
        const inside = area.path.startsWith(oracle.scope(actor)!);
        if (!inside) expect(detail.staff).toEqual([]);
        if (inside && area.level === 'grid_cell') expect(detail.staff.length).toBe(4);
      }),
      { numRuns: 80 },
    );
  });

  it('only an administrator whose scope covers the area may assign staff there', async () => {
    await fc.assert(
      fc.asyncProperty(actorArb(), fc.nat(), async (actor, i) => {
        const area = areas[i % areas.length]!;
        const attempt = service.addGridStaff(deps, actor, area.code, { staffKind: 'legal_advisor', name: '性质测试' });
        if (oracle.manages(actor, area.path)) await expect(attempt).resolves.toMatchObject({ staffKind: 'legal_advisor' });
        else await expect(attempt).rejects.toMatchObject({ status: 403 });
      }),
      { numRuns: 60 },
    );
  });

  it('the users an administrator lists are exactly those inside the scope', async () => {
    const users = await t.db.query<{ username: string; area_path: string | null }>(`SELECT username, area_path FROM users`);
    await fc.assert(
      fc.asyncProperty(actorArb(), async (actor) => {
        if (!can(actor, 'users.read')) {
          await expect(accessService.listUsers(deps, actor, { page: 1, pageSize: 200 })).rejects.toMatchObject({ code: 'forbidden' });
          return;
        }
        const scope = oracle.scope(actor)!;
        const expected = users
          .filter((u) => (u.area_path ? u.area_path.startsWith(scope) : scope === '/370202/'))
          .map((u) => u.username)
          .sort();
        const got = (await accessService.listUsers(deps, actor, { page: 1, pageSize: 200 })).items.map((u) => u.username).sort();
        expect(got).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });
});
