import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';

const SHINAN_STREETS = [
  ['370202001', '香港中路街道'],
  ['370202002', '八大峡街道'],
  ['370202004', '云南路街道'],
  ['370202005', '中山路街道'],
  ['370202007', '江苏路街道'],
  ['370202009', '八大关街道'],
  ['370202010', '湛山街道'],
  ['370202011', '金湖路街道'],
  ['370202012', '八大湖街道'],
  ['370202013', '金门路街道'],
  ['370202014', '珠海路街道'],
];

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('GET /api/v1/areas', () => {
  it('401 without a session', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas?parent=370202' });
    expect(res.statusCode).toBe(401);
    expect(json(res).error).toMatchObject({ code: 'unauthenticated', zh: '请先登录' });
  });

  it('400 on a malformed parent code, with a bilingual message', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas?parent=abc', headers: await t.as('admin') });
    expect(res.statusCode).toBe(400);
    const err = json<{ error: { code: string; zh: string; en: string; message: string } }>(res).error;
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe(err.zh);
    expect(err.en).toMatch(/parent/);
  });

  it('400 on an unknown query field', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas?parent=370202&evil=1', headers: await t.as('admin') });
    expect(res.statusCode).toBe(400);
    expect(json<{ error: { en: string } }>(res).error.en).toMatch(/evil/);
  });

  it('403 for a resident', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas?parent=370202', headers: await t.as('resident') });
    expect(res.statusCode).toBe(403);
  });

  it('200: the 11 real streets of 市南区 with their statistical codes', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas?parent=370202', headers: await t.as('admin') });
    expect(res.statusCode).toBe(200);
    const items = json<{ items: { code: string; name: string; level: string; statisticalCode: string; childCount: number }[] }>(res).items;
    expect(items.map((i) => [i.code, i.name])).toEqual(SHINAN_STREETS);
    expect(items.every((i) => i.level === 'subdistrict' && i.statisticalCode === `${i.code}000`)).toBe(true);
    expect(items.reduce((n, i) => n + i.childCount, 0)).toBe(50);
  });

  it('a street administrator sees only their own street among the siblings', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas?parent=370202', headers: await t.as('street-admin') });
    expect(json<{ items: { code: string }[] }>(res).items.map((i) => i.code)).toEqual(['370202001']);
  });
});

describe('GET /api/v1/areas/:code', () => {
  it('404 for an unknown code, 403 outside the scope, 200 with masked staff phones', async () => {
    const headers = await t.as('street-admin');
    expect((await t.app.inject({ url: '/api/v1/areas/370202999999', headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/areas/370202002008', headers })).statusCode).toBe(403);
    const res = await t.app.inject({ url: '/api/v1/areas/370202001001001', headers });
    expect(res.statusCode).toBe(200);
    const body = json<{ area: { level: string; isDemo: boolean }; staff: { staffKind: string; phone: string }[] }>(res);
    expect(body.area).toMatchObject({ level: 'grid_cell', isDemo: true });
    expect(body.staff.map((s) => s.staffKind)).toEqual(['grid_worker', 'power_service', 'family_doctor', 'auxiliary_police']);
    for (const s of body.staff) expect(s.phone).toMatch(/^100\*{4}\d{4}$/);
  });
});

describe('GET /api/v1/areas/locate', () => {
  it('is public and resolves a point to grid cell, community, street', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas/locate?lon=120.36&lat=36.068' });
    expect(res.statusCode).toBe(200);
    const body = json<{ inside: boolean; gridCell: { code: string }; community: { code: string }; subdistrict: { code: string }; path: string }>(res);
    expect(body.inside).toBe(true);
    expect(body.gridCell.code.startsWith(body.community.code)).toBe(true);
    expect(body.community.code.startsWith(body.subdistrict.code)).toBe(true);
    expect(body.path).toBe(`/370202/${body.subdistrict.code}/${body.community.code}/${body.gridCell.code}/`);
  });

  it('says clearly when a point is outside the district', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas/locate?lon=116.4&lat=39.9', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ inside: false, message: { zh: '该位置不在本区范围内', en: 'This location is outside the district' } });
  });

  it('converts GCJ-02 input before the lookup', async () => {
    const res = await t.app.inject({ url: '/api/v1/areas/locate?lon=120.365&lat=36.066&crs=gcj02' });
    const body = json<{ wgs84: [number, number] }>(res);
    expect(Math.abs(body.wgs84[0] - 120.365)).toBeGreaterThan(0.002);
    expect(Math.abs(body.wgs84[0] - 120.365)).toBeLessThan(0.01);
  });

  it('400 for coordinates out of range or missing', async () => {
    for (const q of ['lon=500&lat=36', 'lat=36', 'lon=abc&lat=36', 'lon=120&lat=36&crs=mars']) {
      expect((await t.app.inject({ url: `/api/v1/areas/locate?${q}` })).statusCode).toBe(400);
    }
  });
});

describe('GeoJSON, stats and staff kinds', () => {
  it('serves each level as a FeatureCollection scoped to the actor', async () => {
    const all = json<{ features: unknown[] }>(await t.app.inject({ url: '/api/v1/areas/geojson?level=subdistrict', headers: await t.as('admin') }));
    expect(all.features).toHaveLength(11);
    const street = json<{ features: { properties: { code: string } }[] }>(
      await t.app.inject({ url: '/api/v1/areas/geojson?level=grid_cell', headers: await t.as('street-admin') }),
    );
    expect(street.features.length).toBeGreaterThan(0);
    expect(street.features.every((f) => f.properties.code.startsWith('370202001'))).toBe(true);
  });

  it('counts communities and grid cells per street', async () => {
    const items = json<{ items: { communities: number; gridCells: number }[] }>(
      await t.app.inject({ url: '/api/v1/areas/stats', headers: await t.as('leader') }),
    ).items;
    expect(items).toHaveLength(11);
    expect(items.reduce((n, i) => n + i.communities, 0)).toBe(50);
    expect(items.reduce((n, i) => n + i.gridCells, 0)).toBe(500);
  });
});

describe('POST/DELETE /api/v1/areas/:code/staff', () => {
  it('403 for a dispatcher, 400 for an unknown kind, 201 then 204 for an admin, audited', async () => {
    const url = '/api/v1/areas/370202001001002/staff';
    const payload = { staffKind: 'legal_advisor', name: '测试顾问', phone: '10000009999' };
    const dispatcher = { ...(await t.as('dispatcher')), 'x-minsheng-csrf': '1' };
    expect((await t.app.inject({ method: 'POST', url, headers: dispatcher, payload })).statusCode).toBe(403);
    const admin = await t.as('street-admin');
    const bad = await t.app.inject({ method: 'POST', url, headers: admin, payload: { ...payload, staffKind: 'astronaut' } });
    expect(bad.statusCode).toBe(400);
    expect(json<{ error: { zh: string } }>(bad).error.zh).toContain('legal_advisor');
    const created = await t.app.inject({ method: 'POST', url, headers: admin, payload });
    expect(created.statusCode).toBe(201);
    const staff = json<{ staff: { id: string; phone: string } }>(created).staff;
    expect(staff.phone).toBe('100****9999');
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/areas/370202002008001/staff', headers: admin, payload });
    expect(outside.statusCode).toBe(403);
    const removed = await t.app.inject({ method: 'DELETE', url: `${url.replace('/staff', '')}/staff/${staff.id}`, headers: admin });
    expect(removed.statusCode).toBe(204);
    const audit = await t.deps.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = '370202001001002' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['areas.staff.add', 'areas.staff.remove']);
  });
});
