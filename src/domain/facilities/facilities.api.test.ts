/**
 * 服务圈 over HTTP on the real app and a real database (PGlite, or PostgreSQL with
 * DATABASE_URL): 401 → 400 → 403 → 200 per endpoint, the import report, the seeds' question.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import { pointFromWgs84 } from '../areas/core/crs';
import type { CoverageReport, SitingReport } from './service';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
}, 120_000);
afterAll(() => t.close());

const get = async (url: string, who?: string) => t.app.inject({ url, headers: who ? await t.as(who) : {} });
const post = async (url: string, who: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: await t.as(who), payload: payload as Record<string, unknown> });

/** A point inside the demo district where no EV charger reaches (from the coverage answer). */
async function uncoveredPlace(): Promise<{ lon: number; lat: number }> {
  const r = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=900', 'leader'));
  return r.uncovered[0]!;
}

describe('coverage', () => {
  it('401 without a session, 400 on a bad standard, 403 for a resident', async () => {
    expect((await get('/api/v1/coverage?type=ev_charger')).statusCode).toBe(401);
    expect((await get('/api/v1/coverage?type=ev_charger&radius=-5', 'leader')).statusCode).toBe(400);
    expect((await get('/api/v1/coverage?type=ev_charger&radius=900&minutes=5', 'leader')).statusCode).toBe(400);
    expect((await get('/api/v1/coverage?type=EV', 'leader')).statusCode).toBe(400);
    expect((await get('/api/v1/coverage?type=ev_charger', 'resident')).statusCode).toBe(403);
    expect((await get('/api/v1/coverage?type=no_such_type', 'leader')).statusCode).toBe(404);
  });

  it('answers the seeds’ question for EV charging at 0.9 km: not full, and where not', async () => {
    const res = await get('/api/v1/coverage?type=ev_charger&radius=900&level=subdistrict', 'leader');
    expect(res.statusCode, res.body).toBe(200);
    const r = json<CoverageReport>(res);
    expect(r.population.isDemo).toBe(true);
    expect(r.standard.reachM).toBe(900);
    expect(r.totals.fullCoverage).toBe(false);
    expect(r.totals.coverageRate).toBeGreaterThan(0.5);
    expect(r.totals.coverageRate).toBeLessThan(0.95);
    expect(r.answer.zh).toContain('尚未实现全覆盖');
    // the table adds up to the totals
    expect(r.rows.reduce((s, x) => s + x.people, 0)).toBeCloseTo(r.totals.people, 6);
    expect(r.rows.reduce((s, x) => s + x.covered, 0)).toBeCloseTo(r.totals.covered, 6);
    expect(r.rows.length).toBe(11);
    // uncovered places: most people first, labels masked, nearest charger beyond 900 m
    expect(r.uncovered.length).toBeGreaterThan(0);
    for (const u of r.uncovered) {
      expect(u.label).toMatch(/\*\*$/);
      expect(u.nearestStraightM === null || u.nearestStraightM > 900).toBe(true);
    }
    for (let i = 1; i < r.uncovered.length; i++) expect(r.uncovered[i]!.people).toBeLessThanOrEqual(r.uncovered[i - 1]!.people);
  });

  it('a larger radius never covers fewer people; meal points count the elderly', async () => {
    const small = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=500', 'leader'));
    const large = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=1500', 'leader'));
    expect(large.totals.covered).toBeGreaterThanOrEqual(small.totals.covered);
    const meals = json<CoverageReport>(await get('/api/v1/coverage?type=meal_point', 'leader'));
    expect(meals.population.group).toBe('aged60');
    const all = json<CoverageReport>(await get('/api/v1/coverage?type=meal_point&population=all', 'leader'));
    expect(meals.totals.people).toBeLessThan(all.totals.people);
    const emergency = json<CoverageReport>(await get('/api/v1/coverage?type=emergency_station&minutes=5&speed=30&detour=1.5', 'leader'));
    expect(emergency.standard.reachM).toBe(1667);
  });

  it('per km² for public toilets, per grid cell', async () => {
    const r = json<CoverageReport>(await get('/api/v1/coverage?type=public_toilet&level=grid_cell&uncoveredLimit=0', 'leader'));
    expect(r.totals.perKm2Target).toBe(5);
    expect(r.totals.perKm2).toBeGreaterThan(0);
    expect(r.rows.length).toBeGreaterThan(100);
    expect(r.uncovered).toEqual([]);
  });

  it('a street sees its own people only, and the Excel export holds the table', async () => {
    const district = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger', 'leader'));
    const street = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&level=community', 'street-dispatcher'));
    expect(street.totals.people).toBeGreaterThan(0);
    expect(street.totals.people).toBeLessThan(district.totals.people);
    expect(street.rows.every((row) => row.code.startsWith(street.scope.split('/')[2]!))).toBe(true);
    const x = await get('/api/v1/coverage.xlsx?type=ev_charger', 'leader');
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['说明 About', '覆盖率 Coverage', '未覆盖 Uncovered']);
    expect(wb.getWorksheet('覆盖率 Coverage')!.rowCount).toBe(district.rows.length + 2);
  });
});

describe('siting', () => {
  it('400 on a bad k, 403 for a resident, then five sites that close the largest gaps', async () => {
    expect((await post('/api/v1/coverage/siting', 'leader', { type: 'ev_charger', add: 0 })).statusCode).toBe(400);
    expect((await post('/api/v1/coverage/siting', 'resident', { type: 'ev_charger', add: 5 })).statusCode).toBe(403);
    const res = await post('/api/v1/coverage/siting', 'leader', { type: 'ev_charger', add: 5, radius: 900 });
    expect(res.statusCode, res.body).toBe(200);
    const s = json<SitingReport>(res);
    expect(s.sites).toHaveLength(5);
    expect(s.after.coverageRate!).toBeGreaterThan(s.before.coverageRate!);
    for (let i = 1; i < 5; i++) expect(s.sites[i]!.gain).toBeLessThanOrEqual(s.sites[i - 1]!.gain);
    expect(s.sites.every((x) => x.gridCell !== null)).toBe(true);
    expect(s.guarantee.zh).toContain('1−1/e');
    expect(s.evaluations).toBeLessThan(s.candidates.count * 5);
    // given candidates: only those inside the district count
    const given = json<SitingReport>(await post('/api/v1/coverage/siting', 'leader', { type: 'ev_charger', add: 2, candidates: [{ lon: s.sites[0]!.lon, lat: s.sites[0]!.lat }, { lon: 100, lat: 30 }] }));
    expect(given.candidates).toMatchObject({ source: 'given', count: 1, outsideDistrict: 1 });
    expect(given.sites[0]!.gain).toBeCloseTo(s.sites[0]!.gain, 6);
  });
});

describe('the registry', () => {
  it('lists types and facilities; 403 for a resident; a facility and its QR code', async () => {
    expect((await get('/api/v1/facilities/types')).statusCode).toBe(401);
    expect((await get('/api/v1/facilities/types', 'resident')).statusCode).toBe(403);
    const types = json<{ items: { code: string; facilities: number; standard: { reachM: number } }[] }>(await get('/api/v1/facilities/types', 'handler-urban'));
    expect(types.items.find((x) => x.code === 'ev_charger')).toMatchObject({ standard: { reachM: 900 } });
    expect(types.items.length).toBeGreaterThanOrEqual(12);
    expect((await get('/api/v1/facilities?type=ev_charger&pageSize=500', 'leader')).statusCode).toBe(400);
    const list = json<{ items: { id: string; isDemo: boolean; name: string }[]; total: number }>(await get('/api/v1/facilities?type=ev_charger&pageSize=100', 'leader'));
    expect(list.total).toBeGreaterThan(10);
    expect(list.items.every((f) => f.isDemo && f.name.startsWith('演示'))).toBe(true);
    const id = list.items[0]!.id;
    expect((await get(`/api/v1/facilities/${id}`, 'leader')).statusCode).toBe(200);
    expect((await get('/api/v1/facilities/not-a-uuid', 'leader')).statusCode).toBe(400);
    const svg = await t.app.inject({ url: `/api/v1/public/facility-qr/${id}.svg` });
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const png = await t.app.inject({ url: `/api/v1/public/facility-qr/${id}.png` });
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    expect((await t.app.inject({ url: '/api/v1/public/facility-qr/00000000-0000-4000-8000-000000000000.svg' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/public/facility-qr/x.svg' })).statusCode).toBe(400);
    const layer = json<{ features: unknown[] }>(await get('/api/v1/facilities/layer.geojson?type=ev_charger', 'leader'));
    expect(layer.features.length).toBe(list.total);
  });

  it('adding a charger where none reaches raises coverage (never lowers it); staff cannot add', async () => {
    const place = await uncoveredPlace();
    const before = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=900', 'leader'));
    const body = { type: 'ev_charger', name: '测试充电站', lon: place.lon, lat: place.lat, capacity: 8 };
    expect((await post('/api/v1/facilities', 'leader', body)).statusCode).toBe(403);
    expect((await post('/api/v1/facilities', 'admin', { ...body, lon: 200 })).statusCode).toBe(400);
    expect((await post('/api/v1/facilities', 'admin', { ...body, lon: 100, lat: 30 })).statusCode).toBe(400);
    const res = await post('/api/v1/facilities', 'admin', body);
    expect(res.statusCode, res.body).toBe(201);
    const after = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=900', 'leader'));
    expect(after.totals.covered).toBeGreaterThan(before.totals.covered);
    expect(after.totals.facilitiesServing).toBe(before.totals.facilitiesServing + 1);
  });

  it('imports CSV with a per-row report; GCJ-02 rows are stored in WGS-84', async () => {
    const place = await uncoveredPlace();
    const [gx, gy] = pointFromWgs84(place.lon, place.lat, 'gcj02');
    const csv = [
      '名称,类型,经度,纬度,容量,状态,编号,管理单位',
      `测试助餐点甲,meal_point,${gx},${gy},40,运营,T-1,测试单位`,
      `测试助餐点乙,为老助餐点,${gx + 0.001},${gy},abc,运营,T-2,`,
      `,meal_point,${gx},${gy},10,运营,T-3,`,
      `测试助餐点丙,rocket,${gx},${gy},10,运营,T-4,`,
      `测试助餐点丁,meal_point,100.1,30.2,10,运营,T-5,`,
      `测试助餐点戊,meal_point,${gx},${gy},10,爆炸,T-6,`,
      `测试助餐点己,meal_point,${gx + 0.002},${gy},,规划,T-7,`,
    ].join('\n');
    const payload = { format: 'csv', content: csv, crs: 'gcj02' };
    expect((await post('/api/v1/facilities/import', 'leader', payload)).statusCode).toBe(403);
    expect((await post('/api/v1/facilities/import', 'admin', { ...payload, format: 'pdf' })).statusCode).toBe(400);
    expect((await post('/api/v1/facilities/import', 'admin', { ...payload, content: 'a,b\n' })).statusCode).toBe(400);
    const res = await post('/api/v1/facilities/import', 'admin', payload);
    expect(res.statusCode, res.body).toBe(200);
    const r = json<{ rows: number; imported: number; inserted: number; rejected: { row: number; problems: { code: string }[] }[] }>(res);
    expect(r).toMatchObject({ rows: 7, imported: 2, inserted: 2 });
    expect(r.rejected.map((x) => [x.row, x.problems.map((p) => p.code)])).toEqual([
      [3, ['bad_capacity']],
      [4, ['missing_name']],
      [5, ['unknown_type']],
      [6, ['outside_district']],
      [7, ['bad_status']],
    ]);
    const stored = json<{ items: { name: string; lon: number; lat: number; status: string; ownerUnit: string }[] }>(await get('/api/v1/facilities?q=测试助餐点甲', 'leader')).items[0]!;
    expect(stored.lon).toBeCloseTo(place.lon, 5);
    expect(stored.lat).toBeCloseTo(place.lat, 5);
    expect(stored.ownerUnit).toBe('测试单位');
    // the same external id again updates, not duplicates
    const again = json<{ inserted: number; updated: number }>(await post('/api/v1/facilities/import', 'admin', payload));
    expect(again).toMatchObject({ inserted: 0, updated: 2 });
  });

  it('imports an Excel workbook and GeoJSON points', async () => {
    const place = await uncoveredPlace();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('设施');
    ws.addRow(['name', 'type', 'lon', 'lat', 'capacity']);
    ws.addRow(['测试公厕A', 'public_toilet', place.lon, place.lat, 6]);
    ws.addRow(['测试公厕B', 'public_toilet', 'x', place.lat, 6]);
    const content = Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
    const r = json<{ imported: number; rejected: { row: number }[] }>(await post('/api/v1/facilities/import', 'admin', { format: 'xlsx', content }));
    expect(r.imported).toBe(1);
    expect(r.rejected.map((x) => x.row)).toEqual([3]);
    const gj = { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { name: '测试健身点', capacity: 10 }, geometry: { type: 'Point', coordinates: [place.lon, place.lat] } },
      { type: 'Feature', properties: { name: '线' }, geometry: { type: 'LineString', coordinates: [[place.lon, place.lat], [place.lon + 0.01, place.lat]] } },
    ] };
    const g = json<{ imported: number; rejected: { row: number; problems: { code: string }[] }[] }>(
      await post('/api/v1/facilities/import', 'admin', { format: 'geojson', content: JSON.stringify(gj), type: 'fitness_equipment' }),
    );
    expect(g.imported).toBe(1);
    expect(g.rejected[0]!.problems.map((p) => p.code)).toContain('not_a_point');
    expect((await post('/api/v1/facilities/import', 'admin', { format: 'xlsx', content: 'bm90IGV4Y2Vs' })).statusCode).toBe(400);
  });
});

describe('population and networks', () => {
  it('imports per-grid counts and points, with a report', async () => {
    const csv = ['网格编码,人数,60岁以上,70岁以上', '370202001001001,500,120,60', '370202001001002,50,80,10', '999,5,0,0'].join('\n');
    expect((await post('/api/v1/facilities/population/import', 'leader', { format: 'csv', content: csv })).statusCode).toBe(403);
    const r = json<{ imported: number; people: number; rejected: { row: number; problems: { code: string }[] }[] }>(
      await post('/api/v1/facilities/population/import', 'admin', { format: 'csv', content: csv, source: 'test-grid' }),
    );
    expect(r).toMatchObject({ imported: 1, people: 500 });
    expect(r.rejected.map((x) => [x.row, x.problems[0]!.code])).toEqual([[3, 'counts_exceed'], [4, 'unknown_grid_cell']]);
    const sum = json<{ items: { source: string; people: number }[] }>(await get('/api/v1/facilities/population', 'leader'));
    expect(sum.items.find((s) => s.source === 'test-grid')?.people).toBe(500);
  });

  it('network distance: 400 without a network; with one, never more covered than the same straight radius', async () => {
    expect((await get('/api/v1/coverage?type=ev_charger&radius=900&network=true', 'leader')).statusCode).toBe(400);
    // a lattice of streets every ~300 m over the demo district, crossing at shared vertices
    const lats = Array.from({ length: 38 }, (_, i) => Math.round((35.99 + i * 0.0027) * 1e6) / 1e6);
    const lons = Array.from({ length: 60 }, (_, i) => Math.round((120.25 + i * 0.0034) * 1e6) / 1e6);
    const lines: number[][][] = [...lats.map((lat) => lons.map((lon) => [lon, lat])), ...lons.map((lon) => lats.map((lat) => [lon, lat]))];
    const features = lines.map((coordinates) => ({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates } }));
    expect((await post('/api/v1/facilities/networks', 'leader', { name: '测试路网', geojson: { type: 'FeatureCollection', features } })).statusCode).toBe(403);
    expect((await post('/api/v1/facilities/networks', 'admin', { name: '坏路网', geojson: { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [1, 2] } }] } })).statusCode).toBe(400);
    const res = await post('/api/v1/facilities/networks', 'admin', { name: '测试路网', geojson: { type: 'FeatureCollection', features } });
    expect(res.statusCode, res.body).toBe(201);
    const straight = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=900', 'leader'));
    const net = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=900&network=true', 'leader'));
    expect(net.standard.mode).toBe('network');
    expect(net.network?.name).toBe('测试路网');
    expect(net.totals.covered).toBeGreaterThan(0);
    expect(net.totals.covered).toBeLessThanOrEqual(straight.totals.covered);
    // Manhattan streets: the network reach of 900 m covers less than the 900 m circle, more than a 900/√2 m one
    const inner = json<CoverageReport>(await get('/api/v1/coverage?type=ev_charger&radius=500', 'leader'));
    expect(net.totals.covered).toBeGreaterThan(inner.totals.covered);
  });
});
