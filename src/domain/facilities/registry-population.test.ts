/**
 * The resident registry as 服务圈's population: per building, the living residents on the date by
 * group, in the asked scope — the same people the registry's own facts count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDb, type TestDb } from '../../../test/helpers/db';
import { TEST_DISTRICT } from '../../../test/helpers/constants';
import { factsAt } from '../residents';
import { registryPopulationSource } from './population';

const DATE = '2026-11-22';
const yearsBack = (n: number) => `${Number(DATE.slice(0, 4)) - n}${DATE.slice(4)}`;
let t: TestDb;
beforeAll(async () => {
  t = await freshDb({ seed: true });
});
afterAll(() => t.cleanup());

describe('registryPopulationSource', () => {
  it('counts the living residents of each building by group, as the registry sees them', async () => {
    const district = `/${TEST_DISTRICT}/`;
    const load = await registryPopulationSource(() => DATE).load(t.db, TEST_DISTRICT, district);
    const people = (await factsAt(t.db, TEST_DISTRICT, DATE, district)).filter((f) => f.resident && !f.deathDate && f.householdId && f.birthDate <= DATE);
    expect(people.length).toBeGreaterThan(0);
    const sum = (g: 'all' | 'aged60' | 'aged70' | 'children') => load.places.reduce((n, p) => n + p.counts[g], 0);
    expect(load.source).toBe('registry');
    expect(sum('all')).toBe(people.length);
    expect(sum('aged60')).toBe(people.filter((f) => f.birthDate <= yearsBack(60)).length);
    expect(sum('aged70')).toBe(people.filter((f) => f.birthDate <= yearsBack(70)).length);
    expect(sum('children')).toBe(people.filter((f) => f.birthDate > yearsBack(15)).length);
    expect(load.places.every((p) => p.id.startsWith('bld:') && p.gridCellCode && p.subdistrictCode && p.communityCode)).toBe(true);
  });

  it('keeps to the scope', async () => {
    const all = await registryPopulationSource(() => DATE).load(t.db, TEST_DISTRICT, `/${TEST_DISTRICT}/`);
    const street = all.places[0]!.subdistrictCode!;
    const some = await registryPopulationSource(() => DATE).load(t.db, TEST_DISTRICT, `/${TEST_DISTRICT}/${street}/`);
    expect(some.places.length).toBeGreaterThan(0);
    expect(some.places.length).toBeLessThan(all.places.length);
    expect(some.places.every((p) => p.subdistrictCode === street)).toBe(true);
  });
});
