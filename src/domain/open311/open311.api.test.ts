/**
 * Open311 GeoReport v2 through the real app on a real seeded database, every endpoint in both
 * formats: JSON checked against the contract's schemas, XML parsed, read back through the same
 * mapping, checked against the same schemas and compared with the JSON answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { z } from 'zod';
import { buildApp } from '../../server/app';
import { composeDeps, type Deps } from '../../server/compose';
import { fakeClock } from '../../shared/clock';
import type { App } from '../../shared/http';
import { freshDb } from '../../../test/helpers/db';
import { TEST_CONFIG, TEST_DEMO_PASSWORD, TEST_DISTRICT } from '../../../test/helpers/constants';
import { open311Routes, open311Service } from '.';
import * as C from './contract';
import { ROOTS, XML_MAPPING } from './core/georeport';
import { fromXml, parseXml } from './core/xml';

let app: App;
let deps: Deps;
let clock: ReturnType<typeof fakeClock>;
let cleanup: () => Promise<void>;
let apiKey: string;
const tokens = new Map<string, { token: string; at: number }>();

/** A test helper: a fresh API key made through the service, as an admin would. */
async function newApiKey(label = 'test client') {
  return open311Service.createApiKey(deps, { kind: 'system', districtCode: TEST_DISTRICT, reason: 'test' }, label);
}

async function as(username: string): Promise<Record<string, string>> {
  // Sessions last 12 h of (fake) clock time: sign in again after the clock moved on.
  const cached = tokens.get(username);
  let token = cached && clock().getTime() - cached.at < 11 * 3_600_000 ? cached.token : undefined;
  if (!token) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-minsheng-csrf': '1' }, payload: { username, password: TEST_DEMO_PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    token = (res.json() as { token: string }).token;
    tokens.set(username, { token, at: clock().getTime() });
  }
  return { authorization: `Bearer ${token}` };
}

beforeAll(async () => {
  const fresh = await freshDb({ seed: true });
  cleanup = fresh.cleanup;
  // A Monday morning in Qingdao: 2026-11-23 09:00 +08:00.
  clock = fakeClock('2026-11-23T01:00:00Z');
  deps = composeDeps(fresh.db, TEST_CONFIG, clock);
  app = await buildApp(deps, { webDist: null });
  // Until src/server/app.ts registers the module, register it here.
  await app.after();
  if (!app.hasRoute({ method: 'GET', url: '/open311/v2/discovery.json' })) open311Routes(app, deps);
  await app.ready();
  apiKey = (await newApiKey()).apiKey;
});
afterAll(async () => {
  await app?.close();
  await cleanup?.();
});

const BASE = '/open311/v2';

function checkJson<S extends z.ZodType>(res: LightMyRequestResponse, schema: S): z.infer<S> {
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  return schema.parse(JSON.parse(res.body));
}

/** XML structure: declaration, the expected root, the mapping's shape, the same schema as JSON. */
function checkXml<S extends z.ZodType>(res: LightMyRequestResponse, root: string, schema: S): z.infer<S> {
  expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
  expect(res.body.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const el = parseXml(res.body);
  expect(el.name).toBe(root);
  return schema.parse(fromXml(el, XML_MAPPING));
}

/** GET a resource as .json and .xml; both valid, and the same data. */
async function getBoth<S extends z.ZodType>(path: string, root: string, schema: S, status = 200, query = ''): Promise<z.infer<S>> {
  const j = await app.inject({ url: `${BASE}${path}.json${query}` });
  const x = await app.inject({ url: `${BASE}${path}.xml${query}` });
  expect(j.statusCode, j.body).toBe(status);
  expect(x.statusCode, x.body).toBe(status);
  const fromJson = checkJson(j, schema);
  expect(checkXml(x, root, schema)).toEqual(fromJson);
  return fromJson;
}

const expectErrors = async (path: string, status: number, query = '') => getBoth(path, ROOTS.errors, C.Errors, status, query);

const point = { lat: '36.068', long: '120.36' };
const formBody = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined)).toString();

function submission(extra: Record<string, string | undefined> = {}) {
  return {
    api_key: apiKey,
    jurisdiction_id: TEST_DISTRICT,
    service_code: 'urban.appearance.stall',
    ...point,
    address_string: '香港中路 10 号门口',
    description: '小区门口每天傍晚有摊贩占道经营，行人只能走机动车道。请联系 13912345678。',
    first_name: '先生',
    last_name: '张',
    phone: '10000000042',
    email: 'zhang@example.com',
    ...extra,
  };
}

async function postForm(format: 'json' | 'xml', fields: Record<string, string | undefined>) {
  return app.inject({ method: 'POST', url: `${BASE}/requests.${format}`, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, payload: formBody(fields) });
}
async function postJson(format: 'json' | 'xml', fields: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: `${BASE}/requests.${format}`, payload: fields });
}

async function createdId(res: LightMyRequestResponse, format: 'json' | 'xml'): Promise<string> {
  expect(res.statusCode, res.body).toBe(200);
  const r = format === 'json' ? checkJson(res, C.CreatedRequests) : checkXml(res, ROOTS.requests, C.CreatedRequests);
  expect(r[0]!.token).toBeUndefined();
  expect(r[0]!.account_id).toBeNull();
  return r[0]!.service_request_id!;
}

type Ticket = { id: string; number: string; channel: string; status: string; type: string; title: string; requester: { name: string | null; phone: string | null }; category: { code: string } | null };
async function staffTicket(number: string): Promise<Ticket> {
  const res = await app.inject({ url: `/api/v1/tickets?channel=open311&q=${number}`, headers: await as('dispatcher') });
  expect(res.statusCode).toBe(200);
  const items = (res.json() as { items: Ticket[] }).items;
  expect(items).toHaveLength(1);
  return items[0]!;
}
const act = async (who: string, id: string, segment: string, payload: Record<string, unknown> = {}) => {
  const res = await app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/${segment}`, headers: await as(who), payload });
  expect(res.statusCode, res.body).toBe(200);
};

describe('discovery and services', () => {
  it('discovery in both formats', async () => {
    const d = await getBoth('/discovery', ROOTS.discovery, C.Discovery);
    expect(d.endpoints[0]!.url).toMatch(/^http:\/\/localhost(:80)?\/open311\/v2$/);
    expect(d.endpoints[0]!.formats).toEqual(['text/xml', 'application/json']);
    expect(d.contact).toContain(TEST_DISTRICT);
    const res = await app.inject({ url: `${BASE}/discovery.json` });
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('services are the level-3 categories, grouped by level 1', async () => {
    const services = await getBoth('/services', ROOTS.services, C.Services);
    expect(services.length).toBeGreaterThan(10);
    expect(services.find((s) => s.service_code === 'urban.appearance.stall')).toMatchObject({ service_name: '占道经营', group: '城市管理', metadata: false, type: 'realtime' });
    expect(services.every((s) => s.service_code.split('.').length === 3)).toBe(true);
    await getBoth('/services', ROOTS.services, C.Services, 200, `?jurisdiction_id=${TEST_DISTRICT}`);
    await expectErrors('/services', 404, '?jurisdiction_id=sfgov.org');
  });

  it('service definitions: a known code has no attributes; unknown codes are 404', async () => {
    expect(await getBoth('/services/urban.appearance.stall', ROOTS.serviceDefinition, C.ServiceDefinition)).toEqual({ service_code: 'urban.appearance.stall', attributes: [] });
    const [e] = await expectErrors('/services/no.such.code', 404);
    expect(e!.description).toContain('service_code');
    await expectErrors('/services/urban', 404); // a level-1 category is not a service
    expect((await app.inject({ url: `${BASE}/services/urban.appearance.stall` })).statusCode).toBe(404);
    await expectErrors('/services/urban.appearance.stall', 404, '?jurisdiction_id=999999');
  });

  it('tokens are never issued: 404 in both formats', async () => {
    const [e] = await expectErrors('/tokens/abc123', 404);
    expect(e!.description).toContain('realtime');
  });

  it('unknown resources answer the errors document', async () => {
    expect(checkJson(await app.inject({ url: `${BASE}/nothing.json` }), C.Errors)[0]!.code).toBe(404);
    const x = await app.inject({ url: `${BASE}/nothing.xml` });
    expect(x.statusCode).toBe(404);
    expect(checkXml(x, ROOTS.errors, C.Errors)[0]!.code).toBe(404);
    expect(checkJson(await app.inject({ url: `${BASE}/requests.csv` }), C.Errors)[0]!.code).toBe(404);
  });
});

describe('POST requests', () => {
  it('form-encoded (the spec format) and JSON create open311 tickets the dispatcher sees, phone masked', async () => {
    const a = await createdId(await postForm('xml', submission()), 'xml');
    const b = await createdId(await postJson('json', { ...submission({ description: '路灯不亮已经三天了，晚上很黑。', service_code: 'urban.facility.streetlight' }), lat: 36.068, long: 120.36 }), 'json');
    expect(a).toMatch(/^20261123-\d{6}$/);
    expect(b).not.toBe(a);
    const ta = await staffTicket(a);
    expect(ta).toMatchObject({ channel: 'open311', status: 'received', type: 'complaint', category: { code: 'urban.appearance.stall' } });
    expect(ta.title).toBe([...'小区门口每天傍晚有摊贩占道经营，行人只能走机动车道。请联系 13912345678。'].slice(0, 30).join('').trimEnd());
    expect(ta.requester).toMatchObject({ name: '张先生', phone: '100****0042' });
    expect((await staffTicket(b)).category?.code).toBe('urban.facility.streetlight');
    // Which client sent it, and an audit row naming the key.
    const audit = await deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'open311.submit' AND target_id = $1`, [ta.id]);
    expect(audit[0]!.n).toBe(1);
  });

  it('a category can make it a consultation; address_string alone is a location', async () => {
    const id = await createdId(await postForm('json', submission({ service_code: 'education.school.enrolment', lat: undefined, long: undefined, description: '孩子明年上小学，户口在本区，应该去哪里报名？' })), 'json');
    expect((await staffTicket(id)).type).toBe('consultation');
  });

  it('a retried identical submission returns the same request', async () => {
    const fields = submission({ description: '井盖缺失，很危险。', service_code: 'urban.facility.manhole' });
    expect(await createdId(await postForm('json', fields), 'json')).toBe(await createdId(await postForm('json', fields), 'json'));
  });

  it('403 without a valid api_key, in both formats', async () => {
    for (const format of ['json', 'xml'] as const) {
      for (const key of [undefined, 'not-a-key-at-all', '']) {
        const res = await postForm(format, submission({ api_key: key }));
        expect(res.statusCode).toBe(403);
        const errors = format === 'json' ? checkJson(res, C.Errors) : checkXml(res, ROOTS.errors, C.Errors);
        expect(errors).toEqual([{ code: 403, description: "Invalid api_key received -- can't proceed with create_request." }]);
      }
    }
    const revoked = await newApiKey('revoked client');
    await open311Service.revokeApiKey(deps, { kind: 'system', districtCode: TEST_DISTRICT, reason: 'test' }, revoked.id);
    expect((await postForm('json', submission({ api_key: revoked.apiKey }))).statusCode).toBe(403);
  });

  it('jurisdiction_id: missing is 400, another jurisdiction 404 (as the spec lists for POST)', async () => {
    const missing = await postForm('xml', submission({ jurisdiction_id: undefined }));
    expect(missing.statusCode).toBe(400);
    expect(checkXml(missing, ROOTS.errors, C.Errors)[0]!.description).toContain('jurisdiction_id was not provided');
    const wrong = await postForm('json', submission({ jurisdiction_id: 'sfgov.org' }));
    expect(wrong.statusCode).toBe(404);
    expect(checkJson(wrong, C.Errors)[0]!.description).toContain('jurisdiction_id');
    expect((await postForm('json', submission({ service_code: 'no.such.code' }))).statusCode).toBe(404);
  });

  it('400 for a missing location, with every problem listed', async () => {
    const res = await postForm('json', submission({ lat: undefined, long: undefined, address_string: undefined, description: '' }));
    expect(res.statusCode).toBe(400);
    const errors = checkJson(res, C.Errors);
    expect(errors.map((e) => e.description)).toEqual([expect.stringContaining('location was not provided'), 'description was not provided']);
    const checks: [Record<string, string | undefined>, string][] = [
      [{ lat: undefined, long: undefined, address_string: undefined, address_id: 'A-17' }, 'address_id is not supported'],
      [{ long: undefined }, 'lat and long must be sent together'],
      [{ lat: '95' }, 'lat must be'],
      [{ lat: '36.0x' }, 'lat must be'],
      [{ lat: '39.9', long: '116.4' }, 'outside jurisdiction'],
      [{ description: 'x'.repeat(4001) }, 'longer than 4,000'],
      [{ phone: 'call me' }, 'phone'],
      [{ media_url: 'javascript:alert(1)' }, 'media_url'],
      [{ service_code: undefined }, 'service_code was not provided'],
    ];
    for (const [extra, text] of checks) {
      const r = await postForm('xml', submission(extra));
      expect(r.statusCode, JSON.stringify(extra)).toBe(400);
      expect(checkXml(r, ROOTS.errors, C.Errors).map((e) => e.description).join(' ')).toContain(text);
    }
  });

  it('a field given twice is refused; other content types are 415 in the errors format', async () => {
    const twice = await app.inject({ method: 'POST', url: `${BASE}/requests.json`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `${formBody(submission())}&description=again` });
    expect(twice.statusCode).toBe(400);
    const plain = await app.inject({ method: 'POST', url: `${BASE}/requests.xml`, headers: { 'content-type': 'text/plain' }, payload: 'hello' });
    expect(plain.statusCode).toBe(415);
    checkXml(plain, ROOTS.errors, C.Errors);
    const badJson = await app.inject({ method: 'POST', url: `${BASE}/requests.json`, headers: { 'content-type': 'application/json' }, payload: '{"api_key":' });
    expect(badJson.statusCode).toBe(400);
    checkJson(badJson, C.Errors);
  });
});

describe('GET requests and the closed loop', () => {
  let first: string;
  let second: string;

  beforeAll(async () => {
    clock.set('2026-11-24T02:00:00Z');
    first = await createdId(await postForm('json', submission({ description: '餐馆油烟直排进居民楼，窗户都不敢开。', service_code: 'urban.appearance.fumes' })), 'json');
    clock.set('2026-11-25T02:00:00Z');
    second = await createdId(await postForm('json', submission({ description: '楼下道路有个大坑，电话 13700001111。', service_code: 'urban.facility.road' })), 'json');
  });

  it('lists requests in both formats, newest first, with no personal data', async () => {
    const all = await getBoth('/requests', ROOTS.requests, C.ServiceRequests);
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect(all[0]!.service_request_id).toBe(second);
    const body = JSON.stringify(all);
    for (const personal of ['10000000042', '0042', '张先生', 'zhang@example.com', '13912345678', '13700001111']) expect(body).not.toContain(personal);
    const road = all.find((r) => r.service_request_id === second)!;
    expect(road).toMatchObject({ status: 'open', service_code: 'urban.facility.road', service_name: '道路破损', lat: 36.068, long: 120.36, address: '香港中路 10 号门口', status_notes: null, requested_datetime: '2026-11-25T10:00:00+08:00' });
    expect(road.description).toContain('137****1111');
  });

  it('filters: service_request_id overrides, service_code, status, dates, paging', async () => {
    const ids = await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, `?service_request_id=${first},${second}&service_code=nothing.here`);
    expect(ids.map((r) => r.service_request_id).sort()).toEqual([first, second].sort());
    const fumes = await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?service_code=urban.appearance.fumes,urban.facility.road');
    expect(fumes.map((r) => r.service_request_id)).toEqual([second, first]);
    const window = await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, `?start_date=${encodeURIComponent('2026-11-24T00:00:00+08:00')}&end_date=${encodeURIComponent('2026-11-24T23:59:59+08:00')}`);
    expect(window.map((r) => r.service_request_id)).toEqual([first]);
    expect(await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?status=closed')).toEqual([]);
    const page1 = await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?page=1&page_size=1');
    const page2 = await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?page=2&page_size=1');
    expect([page1[0]!.service_request_id, page2[0]!.service_request_id]).toEqual([second, first]);
    // Empty arguments behave as absent.
    expect((await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?status=&service_code=')).length).toBeGreaterThanOrEqual(6);
    for (const bad of ['?status=pending', '?start_date=yesterday', '?start_date=2026-01-01&end_date=2026-11-01', '?page_size=5000', '?service_request_id=%3Cx%3E']) await expectErrors('/requests', 400, bad);
    await expectErrors('/requests', 404, '?jurisdiction_id=sfgov.org');
  });

  it('one request in both formats; unknown is 404', async () => {
    const [r] = await getBoth(`/requests/${first}`, ROOTS.requests, C.ServiceRequests);
    expect(r!.service_request_id).toBe(first);
    await expectErrors('/requests/20991231-000001', 404);
  });

  it('dispatch, accept, reply: status_notes, agency_responsible and updates follow; follow-up closes it', async () => {
    const t = await staffTicket(first);
    clock.set('2026-11-25T03:00:00Z');
    await act('dispatcher', t.id, 'dispatch', { leadUnit: 'department:urban-management' });
    await act('handler-urban', t.id, 'accept');
    clock.set('2026-11-26T03:00:00Z');
    await act('handler-urban', t.id, 'reply', { reply: '已责令餐馆安装油烟净化设备，联系人电话 13611112222。', resolution: 'resolved' });

    const [replied] = await getBoth(`/requests/${first}`, ROOTS.requests, C.ServiceRequests);
    expect(replied).toMatchObject({ status: 'open', agency_responsible: '区城市管理局', updated_datetime: '2026-11-26T11:00:00+08:00' });
    expect(replied!.status_notes).toBe('已责令餐馆安装油烟净化设备，联系人电话 136****2222。');
    expect(replied!.expected_datetime).toMatch(/\+08:00$/);

    const q = `?start_date=${encodeURIComponent('2026-11-25T00:00:00+08:00')}&end_date=${encodeURIComponent('2026-11-27T00:00:00+08:00')}`;
    const updates = (await getBoth('/servicerequestupdates', ROOTS.updates, C.RequestUpdates, 200, q)).filter((u) => u.service_request_id === first);
    expect(updates.map((u) => [u.status, u.external_status_code])).toEqual([
      ['ACTION_SCHEDULED', 'dispatched'],
      ['IN_PROGRESS', 'accepted'],
      ['FIXED', 'replied'],
    ]);
    expect(updates[0]!.description).toBe('已派单至区城市管理局办理');
    expect(updates[2]!.description).toBe(replied!.status_notes);
    expect(updates[2]!.updated_datetime).toBe('2026-11-26T11:00:00+08:00');

    clock.set('2026-11-27T03:00:00Z');
    await act('dispatcher', t.id, 'follow-up', { rating: 'satisfied', note: '张先生表示满意' });
    const [closed] = await getBoth(`/requests/${first}`, ROOTS.requests, C.ServiceRequests);
    expect(closed).toMatchObject({ status: 'closed', updated_datetime: '2026-11-27T11:00:00+08:00' });
    expect((await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?status=closed')).map((r) => r.service_request_id)).toEqual([first]);
    expect((await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, '?status=open,closed')).map((r) => r.service_request_id)).toContain(first);
    const all = await getBoth('/servicerequestupdates', ROOTS.updates, C.RequestUpdates);
    const last = all.filter((u) => u.service_request_id === first).at(-1)!;
    expect(last).toMatchObject({ status: 'CLOSED', external_status_code: 'followed_up', description: '已回访，诉求办结' });
    expect(JSON.stringify(all)).not.toContain('张先生');
  });

  it('updates: both bounds or neither, at most 90 days', async () => {
    await expectErrors('/servicerequestupdates', 400, '?start_date=2026-11-01');
    await expectErrors('/servicerequestupdates', 400, '?start_date=2026-01-01&end_date=2026-11-01');
  });

  it('tickets from other channels are not published', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: await as('dispatcher'),
      payload: { type: 'complaint', channel: 'hotline', title: '热线诉求', content: '热线来电内容', categoryCode: 'urban.appearance.stall', location: { lon: 120.36, lat: 36.068 } },
    });
    const number = (res.json() as { ticket: { number: string } }).ticket.number;
    expect(await getBoth('/requests', ROOTS.requests, C.ServiceRequests, 200, `?service_request_id=${number}`)).toEqual([]);
    await expectErrors(`/requests/${number}`, 404);
  });
});

describe('fuzz', () => {
  it('any arguments to any endpoint: never a 5xx, always the errors document, never a write without a key', async () => {
    const before = await deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets`);
    const paths = ['/discovery', '/services', '/services/urban.appearance.stall', '/services/%00', '/requests', '/requests/x', '/tokens/1', '/servicerequestupdates'];
    const weird = fc.oneof(fc.string(), fc.constantFrom('', '370202', '2026-11-23', '-1', '1e309', '🦄', 'open,closed', 'a'.repeat(3000), '%', '\u0000'));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('json', 'xml'),
        fc.constantFrom('GET', 'POST'),
        fc.dictionary(fc.constantFrom('jurisdiction_id', 'service_code', 'service_request_id', 'status', 'start_date', 'end_date', 'page', 'page_size', 'lat', 'long', 'description', 'api_key', 'attribute[x][]'), weird, { maxKeys: 5 }),
        fc.constantFrom('application/x-www-form-urlencoded', 'application/json', 'text/plain', ''),
        async (path, format, method, args, contentType) => {
          const qs = new URLSearchParams(args).toString();
          const res = await app.inject({
            method,
            url: `${BASE}${path}.${format}${method === 'GET' && qs ? `?${qs}` : ''}`,
            headers: contentType ? { 'content-type': contentType } : {},
            ...(method === 'POST' ? { payload: contentType === 'application/json' ? JSON.stringify(args) : qs } : {}),
          });
          if (res.statusCode >= 500) throw new Error(`${method} ${path}.${format} ${qs} → ${res.statusCode} ${res.body.slice(0, 300)}`);
          if (res.statusCode >= 400) {
            if (String(res.headers['content-type']).startsWith('text/xml')) checkXml(res, ROOTS.errors, C.Errors);
            else checkJson(res, C.Errors);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect((await deps.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets`))[0]!.n).toBe(before[0]!.n);
  });
});
