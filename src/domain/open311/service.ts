/**
 * Open311 GeoReport v2 use cases: minsheng's outward API for third-party apps (a city app, a
 * FixMyStreet-style site, analytics). Reading is public and shows no personal data; submitting
 * needs an api_key and becomes an ordinary ticket through ticketsService.createTicket
 * (channel 'open311', no staff actor), so it is located, numbered, auto-dispatched and audited
 * like any other intake.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { assertCan, type AnyActor, type SystemActor } from '../../shared/authz';
import { invalid, isAppError, notFound as appNotFound } from '../../shared/errors';
import { recordAudit } from '../audit';
import { areasService, type LocatorCache } from '../areas';
import { CreateTicketBody, STATUS_NAMES, ticketsService, type TicketStatus } from '../tickets';
import * as repo from './repo';
import { badRequest, forbidden, notFound } from './errors';
import {
  CHANGESET,
  FORMATS,
  MAX_ITEMS,
  PUBLIC_UPDATE_KINDS,
  SPECIFICATION,
  commaList,
  dateWindow,
  openClosed,
  parseDateArg,
  redactPersonal,
  requesterName,
  shanghaiIso,
  ticketTypeFor,
  titleFrom,
  updateDescription,
  updateStatus,
} from './core/georeport';
import type { CreatedRequests, Discovery, RequestUpdate, Service, ServiceDefinition, ServiceRequest, TokenResults } from './contract';

export interface Open311Deps {
  db: Db;
  clock: Clock;
  locators: LocatorCache;
  districtCode: string;
}

/** Raw arguments: a query string or a form/JSON body, values as the parser left them. */
export type Args = Record<string, unknown>;

const SYSTEM_REASON = 'open311';
const systemActor = (districtCode: string): SystemActor => ({ kind: 'system', districtCode, reason: SYSTEM_REASON });

// ---- arguments ----------------------------------------------------------------------------------

/** One argument as text. "Optional" arguments: empty and absent behave the same (spec). */
function arg(args: Args | undefined, name: string): string | undefined {
  const v = args?.[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw badRequest(`${name} must be given once, as text`);
  const s = v.trim();
  return s === '' ? undefined : s;
}

/** Unknown jurisdiction_id: 404 on every call (spec); absent is fine on GETs, a single-district endpoint. */
function checkJurisdiction(deps: Open311Deps, args: Args | undefined, required: boolean): void {
  const j = arg(args, 'jurisdiction_id');
  if (j === undefined) {
    if (required) throw badRequest('jurisdiction_id was not provided');
    return;
  }
  if (j !== deps.districtCode) throw notFound(`jurisdiction_id "${clip(j)}" not found: this endpoint serves ${deps.districtCode}`);
}

const clip = (s: string, n = 60) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);
const nn = (s: string | null | undefined): string | null => (s && s.trim() !== '' ? s : null);
const CODE = /^[A-Za-z0-9_.-]{1,40}$/;

function page(args: Args | undefined): { limit: number; offset: number } {
  const p = arg(args, 'page');
  const size = arg(args, 'page_size');
  const problems: string[] = [];
  const pageNo = p === undefined ? 1 : Number(p);
  const pageSize = size === undefined ? MAX_ITEMS : Number(size);
  if (!Number.isInteger(pageNo) || pageNo < 1 || pageNo > 100_000) problems.push('page must be a whole number from 1');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_ITEMS) problems.push(`page_size must be a whole number from 1 to ${MAX_ITEMS}`);
  if (problems.length) throw badRequest(...problems);
  return { limit: pageSize, offset: (pageNo - 1) * pageSize };
}

function dateArg(args: Args | undefined, name: string): Date | null {
  const raw = arg(args, name);
  if (raw === undefined) return null;
  const d = parseDateArg(raw);
  if (!d) throw badRequest(`${name} is not a W3C datetime (e.g. 2026-11-23T09:00:00+08:00)`);
  return d;
}

// ---- discovery and services -----------------------------------------------------------------------

export async function discovery(deps: Open311Deps, baseUrl: string): Promise<Discovery> {
  const district = await areasService.findArea(deps.db, deps.districtCode, deps.districtCode);
  const name = district?.name ?? deps.districtCode;
  return {
    changeset: CHANGESET,
    contact: `${name} 12345 政务服务便民热线平台 (jurisdiction_id ${deps.districtCode}). Call 12345 for help with a request.`,
    key_service: `api_key 由${name} 12345 平台管理员发放 — ask the district's 12345 platform administrator for an api_key.`,
    endpoints: [{ specification: SPECIFICATION, url: baseUrl, changeset: CHANGESET, type: 'production', formats: [FORMATS.xml, FORMATS.json] }],
  };
}

function serviceView(r: repo.ServiceRow): Service {
  const path = [r.group_name, r.parent_name, r.name].filter(Boolean).join(' › ');
  return {
    service_code: r.code,
    service_name: r.name,
    description: nn(r.name_en ? `${path} (${r.name_en})` : path),
    metadata: false,
    type: 'realtime',
    keywords: nn([r.name, r.name_en, r.parent_name].filter(Boolean).join(',')),
    group: nn(r.group_name),
  };
}

export async function listServices(deps: Open311Deps, args: Args): Promise<Service[]> {
  checkJurisdiction(deps, args, false);
  return (await repo.listServices(deps.db, deps.districtCode)).map(serviceView);
}

/** No service has attributes (metadata false): a known code answers an empty definition. */
export async function serviceDefinition(deps: Open311Deps, code: string, args: Args): Promise<ServiceDefinition> {
  checkJurisdiction(deps, args, false);
  const services = await repo.listServices(deps.db, deps.districtCode);
  if (!CODE.test(code) || !services.some((s) => s.code === code)) throw notFound(`service_code "${clip(code)}" not found`);
  return { service_code: code, attributes: [] };
}

// ---- POST requests --------------------------------------------------------------------------------

const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');
const INVALID_KEY = "Invalid api_key received -- can't proceed with create_request.";

function coordinate(raw: string | undefined, name: 'lat' | 'long', max: number, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const n = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > max) {
    problems.push(`${name} must be a WGS-84 decimal degree between -${max} and ${max}`);
    return undefined;
  }
  return n;
}

/**
 * POST requests: api_key (403), then every missing or malformed argument at once (400), then
 * unknown jurisdiction_id or service_code (404, as the spec lists them), then the ticket.
 */
export async function submitRequest(deps: Open311Deps, body: Args, query: Args): Promise<CreatedRequests> {
  const apiKey = arg(body, 'api_key') ?? arg(query, 'api_key');
  if (!apiKey || !/^[\x21-\x7e]{8,200}$/.test(apiKey)) throw forbidden(INVALID_KEY);
  const key = await repo.findActiveApiKey(deps.db, deps.districtCode, hashKey(apiKey));
  if (!key) throw forbidden(INVALID_KEY);

  const problems: string[] = [];
  const jurisdiction = arg(body, 'jurisdiction_id');
  if (jurisdiction === undefined) problems.push('jurisdiction_id was not provided');
  const serviceCode = arg(body, 'service_code');
  if (serviceCode === undefined) problems.push('service_code was not provided');
  const lat = coordinate(arg(body, 'lat'), 'lat', 90, problems);
  const lon = coordinate(arg(body, 'long'), 'long', 180, problems);
  const latGiven = arg(body, 'lat') !== undefined;
  const lonGiven = arg(body, 'long') !== undefined;
  if (latGiven !== lonGiven) problems.push('lat and long must be sent together');
  const address = arg(body, 'address_string');
  const addressId = arg(body, 'address_id');
  if (!latGiven && !lonGiven && address === undefined) {
    problems.push(
      addressId !== undefined
        ? 'address_id is not supported (this jurisdiction has no address repository): send lat and long or address_string'
        : 'a location was not provided: send lat and long (WGS-84) or address_string',
    );
  }
  if (address !== undefined && [...address].length > 200) problems.push('address_string is longer than 200 characters');
  const description = arg(body, 'description');
  if (description === undefined) problems.push('description was not provided');
  else if ([...description].length > 4000) problems.push('description is longer than 4,000 characters');
  const phone = arg(body, 'phone');
  if (phone !== undefined && !/^[0-9+\- ]{5,20}$/.test(phone)) problems.push('phone must be 5–20 digits');
  const mediaUrl = arg(body, 'media_url');
  if (mediaUrl !== undefined && (!/^https?:\/\/[^\s<>"]+$/i.test(mediaUrl) || mediaUrl.length > 2000)) problems.push('media_url must be an http(s) URL');
  const name = requesterName(arg(body, 'first_name'), arg(body, 'last_name'));
  if (problems.length) throw badRequest(...problems);

  if (jurisdiction !== deps.districtCode) throw notFound(`jurisdiction_id "${clip(jurisdiction!)}" not found: this endpoint serves ${deps.districtCode}`);
  const services = await repo.listServices(deps.db, deps.districtCode);
  const service = CODE.test(serviceCode!) ? services.find((s) => s.code === serviceCode) : undefined;
  if (!service) throw notFound(`service_code "${clip(serviceCode!)}" not found`);

  const parsed = CreateTicketBody.safeParse({
    type: ticketTypeFor(service),
    channel: 'open311',
    title: titleFrom(description!),
    content: description,
    urgency: 'normal',
    categoryCode: service.code,
    location: { ...(lat !== undefined && lon !== undefined ? { lon, lat, crs: 'wgs84' } : {}), ...(address ? { address } : {}) },
    ...(name || phone ? { requester: { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } } : {}),
  });
  if (!parsed.success) throw badRequest(...parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`));

  const now = deps.clock();
  // A client retrying the same submission the same day gets the same ticket back (real
  // Open311 servers deduplicate silently); the key never holds the personal data itself.
  const fingerprint = hashKey(
    JSON.stringify([key.id, shanghaiIso(now).slice(0, 10), service.code, lat, lon, address, addressId, description, phone, arg(body, 'email'), arg(body, 'device_id'), arg(body, 'account_id')]),
  );
  let created: Awaited<ReturnType<typeof ticketsService.createTicket>>;
  try {
    created = await ticketsService.createTicket(deps, null, deps.districtCode, parsed.data, { idempotencyKey: `open311:${fingerprint}` });
  } catch (e) {
    if (isAppError(e) && e.code === 'outside_district') throw badRequest(`lat/long is outside jurisdiction ${deps.districtCode}`);
    if (isAppError(e) && e.status < 500) throw badRequest(e.text.en);
    throw e;
  }
  const ticket = created.ticket;
  if (!created.replayed) {
    // The ticket and its own audit row are already committed by createTicket; this records which client sent it.
    await deps.db.transaction(async (tx) => {
      await repo.recordSubmission(tx, { districtCode: deps.districtCode, ticketId: ticket.id, apiKeyId: key.id, mediaUrl: mediaUrl ?? null, at: now });
      await recordAudit(tx, deps.clock, systemActor(deps.districtCode), {
        action: 'open311.submit',
        targetType: 'ticket',
        targetId: ticket.id,
        detail: { number: ticket.number, apiKeyId: key.id, apiKeyLabel: key.label },
      });
    });
  }
  const units = ticket.leadUnit ? await repo.unitNames(deps.db, deps.districtCode) : null;
  const unit = ticket.leadUnit ? units?.get(ticket.leadUnit) : undefined;
  return [
    {
      service_request_id: ticket.number,
      service_notice: `已受理，诉求编号 ${ticket.number}。${unit ? `已派至${unit}办理。` : '将派至承办单位办理。'} Received as ${ticket.number}.`,
      account_id: null,
    },
  ];
}

// ---- GET requests -----------------------------------------------------------------------------------

function requestView(r: repo.RequestRow, units: Map<string, string>): ServiceRequest {
  const status = openClosed(r.status);
  const statusName = STATUS_NAMES[r.status as TicketStatus];
  const updated = status === 'closed' && r.closed_at ? r.closed_at : r.updated_at;
  const description = nn(redactPersonal(r.content));
  return {
    service_request_id: r.number,
    status,
    status_notes: nn(r.latest_reply ? redactPersonal(r.latest_reply) : null),
    service_name: nn(r.category_name),
    service_code: r.category_code ?? 'uncategorised',
    description: description ? [...description].slice(0, 4000).join('') : null,
    agency_responsible: r.lead_unit ? nn(units.get(r.lead_unit) ?? null) : null,
    service_notice: statusName ? `${statusName.zh} (${statusName.en})` : null,
    requested_datetime: shanghaiIso(new Date(r.created_at)),
    updated_datetime: updated ? shanghaiIso(new Date(updated)) : null,
    expected_datetime: r.due_at ? shanghaiIso(new Date(r.due_at)) : null,
    address: nn(r.address),
    address_id: null,
    zipcode: null,
    lat: r.lat === null || r.lon === null ? null : Number(r.lat),
    long: r.lat === null || r.lon === null ? null : Number(r.lon),
    media_url: nn(r.media_url),
  };
}

const REQUEST_ID = /^[A-Za-z0-9_-]{1,40}$/;

export async function listRequests(deps: Open311Deps, args: Args): Promise<ServiceRequest[]> {
  checkJurisdiction(deps, args, false);
  const ids = arg(args, 'service_request_id');
  let filter: repo.RequestFilter;
  if (ids !== undefined) {
    // service_request_id overrides every other filter.
    const numbers = commaList(ids);
    if (numbers.length === 0 || numbers.length > 200 || !numbers.every((n) => REQUEST_ID.test(n))) throw badRequest('service_request_id must be a comma list of up to 200 request ids');
    filter = { districtCode: deps.districtCode, numbers, limit: MAX_ITEMS, offset: 0 };
  } else {
    const problems: string[] = [];
    const codesRaw = arg(args, 'service_code');
    const codes = codesRaw === undefined ? undefined : commaList(codesRaw);
    if (codes && (codes.length === 0 || codes.length > 100 || !codes.every((c) => CODE.test(c)))) problems.push('service_code must be a comma list of service codes');
    const statusRaw = arg(args, 'status');
    const statuses = statusRaw === undefined ? undefined : commaList(statusRaw.toLowerCase());
    if (statuses && (statuses.length === 0 || !statuses.every((s) => s === 'open' || s === 'closed'))) problems.push('status must be open, closed or open,closed');
    if (problems.length) throw badRequest(...problems);
    const window = dateWindow(deps.clock(), dateArg(args, 'start_date'), dateArg(args, 'end_date'));
    if ('error' in window) throw badRequest(window.error);
    filter = {
      districtCode: deps.districtCode,
      ...(codes ? { serviceCodes: codes } : {}),
      ...(statuses ? { statuses: statuses as ('open' | 'closed')[] } : {}),
      from: window.from,
      to: window.to,
      ...page(args),
    };
  }
  const rows = await repo.listRequests(deps.db, filter);
  const units = await repo.unitNames(deps.db, deps.districtCode);
  return rows.map((r) => requestView(r, units));
}

export async function getRequest(deps: Open311Deps, id: string, args: Args): Promise<ServiceRequest[]> {
  checkJurisdiction(deps, args, false);
  if (!REQUEST_ID.test(id)) throw notFound(`service_request_id "${clip(id)}" not found`);
  const rows = await repo.listRequests(deps.db, { districtCode: deps.districtCode, numbers: [id], limit: 1, offset: 0 });
  if (rows.length === 0) throw notFound(`service_request_id "${id}" not found`);
  return [requestView(rows[0]!, await repo.unitNames(deps.db, deps.districtCode))];
}

/** Every service is realtime: POST answers a service_request_id and no token is ever issued. */
export async function resolveToken(deps: Open311Deps, token: string, args: Args): Promise<TokenResults> {
  checkJurisdiction(deps, args, false);
  throw notFound(`token "${clip(token)}" not found: this endpoint issues no tokens (every service is realtime)`);
}

// ---- servicerequestupdates (FixMyStreet extension) -------------------------------------------------

export async function listUpdates(deps: Open311Deps, args: Args): Promise<RequestUpdate[]> {
  checkJurisdiction(deps, args, false);
  const start = dateArg(args, 'start_date');
  const end = dateArg(args, 'end_date');
  if ((start === null) !== (end === null)) throw badRequest('start_date and end_date go together: give both or neither');
  const window = dateWindow(deps.clock(), start, end);
  if ('error' in window) throw badRequest(window.error);
  const rows = await repo.listUpdates(deps.db, { districtCode: deps.districtCode, kinds: PUBLIC_UPDATE_KINDS, from: window.from, to: window.to, ...page(args) });
  const units = await repo.unitNames(deps.db, deps.districtCode);
  return rows.map((r) => ({
    update_id: String(r.id),
    service_request_id: r.number,
    status: updateStatus(r.kind, r.data) as RequestUpdate['status'],
    updated_datetime: shanghaiIso(new Date(r.at)),
    description: nn(updateDescription(r.kind, r.data, (u) => units.get(u) ?? null)),
    media_url: null,
    external_status_code: r.kind,
  }));
}

// ---- API keys ------------------------------------------------------------------------------------------

/** A new key for a client, shown once; only its hash is kept. Admins (tickets.configure) only. */
export async function createApiKey(deps: Pick<Open311Deps, 'db' | 'clock'>, actor: AnyActor, label: string): Promise<{ id: string; label: string; apiKey: string }> {
  assertCan(actor, 'tickets.configure');
  const clean = label.trim();
  if (clean.length < 1 || clean.length > 100) throw invalid({ zh: '名称须为 1–100 个字符', en: 'The label must be 1–100 characters' });
  const apiKey = `o311_${randomBytes(32).toString('hex')}`;
  return deps.db.transaction(async (tx) => {
    const id = await repo.insertApiKey(tx, {
      districtCode: actor.districtCode,
      label: clean,
      keyHash: hashKey(apiKey),
      createdBy: actor.kind === 'user' ? actor.id : null,
      createdAt: deps.clock(),
    });
    await recordAudit(tx, deps.clock, actor, { action: 'open311.api_key.create', targetType: 'open311_api_key', targetId: id, detail: { label: clean } });
    return { id, label: clean, apiKey };
  });
}

export async function revokeApiKey(deps: Pick<Open311Deps, 'db' | 'clock'>, actor: AnyActor, id: string): Promise<void> {
  assertCan(actor, 'tickets.configure');
  const gone = { zh: '接口密钥不存在或已停用', en: 'API key not found or already revoked' };
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw appNotFound(gone);
  await deps.db.transaction(async (tx) => {
    if (!(await repo.revokeApiKey(tx, actor.districtCode, id, deps.clock()))) {
      throw appNotFound(gone);
    }
    await recordAudit(tx, deps.clock, actor, { action: 'open311.api_key.revoke', targetType: 'open311_api_key', targetId: id });
  });
}

export async function listApiKeys(deps: Pick<Open311Deps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'tickets.configure');
  return (await repo.listApiKeys(deps.db, actor.districtCode)).map((k) => ({
    id: k.id,
    label: k.label,
    createdAt: new Date(k.created_at).toISOString(),
    revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null,
  }));
}
