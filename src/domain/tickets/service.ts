/**
 * 接诉即办 use cases. Every act: lock the ticket row, fold its events, ask the lifecycle table
 * whether the act is allowed (409 naming the allowed acts if not), check the actor's role and
 * unit, append one event, rewrite the projection, audit — all in one transaction.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { assertCan, can, maskPhone, scopeOf, type AnyActor, type Actor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { areasService, type LocatorCache } from '../areas';
import { calendarService } from '../calendar';
import * as repo from './repo';
import {
  ACT_NAMES,
  STATUS_NAMES,
  decide,
  foldTicket,
  type TicketAct,
  type TicketEvent,
  type TicketEventData,
  type TicketState,
  type UnitKey,
} from './core/lifecycle';
import { MAX_ATTACHMENTS_PER_TICKET, MAX_ATTACHMENT_BYTES, safeFileName, sniffImage } from './core/attachments';
import { dueDates, resolveTimeLimit, shiftByPause, suggestUnits, type TimeLimit, type WorkingTime } from './core/deadlines';
import type { CreateTicketBody, DispatchBody, ListTicketsQuery } from './contract';
import { z } from 'zod';
import * as C from './contract';

export interface TicketsDeps {
  db: Db;
  clock: Clock;
  locators: LocatorCache;
}

const TICKET = { zh: '诉求', en: 'Ticket' };

// ---- who acts for which unit ------------------------------------------------------------------

/** The units a handler acts for: their department, or the street their account is bound to. */
export function unitsOf(actor: AnyActor): UnitKey[] {
  if (actor.kind !== 'user' || actor.role !== 'handler') return [];
  const units: UnitKey[] = [];
  if (actor.departmentCode) units.push(`department:${actor.departmentCode}`);
  const codes = actor.areaPath?.split('/').filter(Boolean) ?? [];
  if (codes.length === 2) units.push(`subdistrict:${codes[1]}`);
  return units;
}

function shanghaiDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, '');
}


// ---- views ------------------------------------------------------------------------------------

export function ticketView(t: repo.TicketRow, now: Date) {
  const open = t.status !== 'closed' && t.status !== 'merged' && t.status !== 'replied';
  const due = t.due_at ? new Date(t.due_at) : null;
  return {
    id: t.id,
    number: t.number,
    type: t.type,
    channel: t.channel,
    title: t.title,
    content: t.content,
    urgency: t.urgency,
    category: t.category_code ? { code: t.category_code, name: t.category_name } : null,
    location: {
      lon: t.lon,
      lat: t.lat,
      address: t.address,
      gridCell: t.grid_cell_code ? { code: t.grid_cell_code, name: t.grid_cell_name } : null,
      community: t.community_code ? { code: t.community_code, name: t.community_name } : null,
      subdistrict: t.subdistrict_code ? { code: t.subdistrict_code, name: t.subdistrict_name } : null,
    },
    requester: { name: t.anonymous ? null : t.requester_name, phone: t.anonymous ? null : maskPhone(t.requester_phone), anonymous: t.anonymous },
    status: t.status,
    statusName: STATUS_NAMES[t.status as keyof typeof STATUS_NAMES],
    leadUnit: t.lead_unit,
    assistingUnits: t.assisting_units,
    dueAt: due?.toISOString() ?? null,
    acceptDueAt: t.accept_due_at ? new Date(t.accept_due_at).toISOString() : null,
    overdue: open && !t.paused_since && due !== null && due.getTime() < now.getTime(),
    dueSoon: open && !t.paused_since && due !== null && due.getTime() >= now.getTime() && due.getTime() - now.getTime() < 24 * 3_600_000,
    paused: t.paused_since !== null,
    resolution: t.resolution,
    rating: t.rating,
    returns: t.returns,
    reopens: t.reopens,
    urges: t.urges,
    mergedInto: t.merged_into,
    createdAt: new Date(t.created_at).toISOString(),
    closedAt: t.closed_at ? new Date(t.closed_at).toISOString() : null,
  };
}
export type TicketView = ReturnType<typeof ticketView>;

function eventView(e: repo.EventRow) {
  return { seq: e.seq, kind: e.kind, at: new Date(e.at).toISOString(), actorId: e.actor_id, actorName: e.actor_name, actorRole: e.actor_role, unit: e.unit, data: e.data };
}

// ---- reading ----------------------------------------------------------------------------------

function canSee(actor: AnyActor, t: repo.TicketRow, events: repo.EventRow[] | null): boolean {
  if (!can(actor, 'tickets.read')) return false;
  const units = unitsOf(actor);
  if (units.length > 0) {
    const involved = new Set<string>([t.lead_unit ?? '', ...t.assisting_units]);
    for (const e of events ?? []) if (e.kind === 'units_called') for (const u of (e.data.units as string[]) ?? []) involved.add(u);
    return units.some((u) => involved.has(u));
  }
  return t.area_path.startsWith(scopeOf(actor));
}

export async function getTicket(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, id: string) {
  assertCan(actor, 'tickets.read');
  const t = await repo.findTicket(deps.db, actor.districtCode, id);
  if (!t) throw notFound(TICKET);
  const events = await repo.listEvents(deps.db, id);
  if (!canSee(actor, t, events)) throw notFound(TICKET);
  const state = foldTicket(events.map(repo.toDomainEvent));
  const attachments = await repo.listAttachments(deps.db, id);
  return {
    ticket: ticketView(t, deps.clock()),
    timeline: events.map(eventView),
    allowedActs: allowedFor(actor, state),
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.file_name, mimeType: a.mime_type, sizeBytes: a.size_bytes, eventSeq: a.event_seq })),
  };
}

export async function listTickets(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, q: ListTicketsQuery) {
  assertCan(actor, 'tickets.read');
  const units = unitsOf(actor);
  const now = deps.clock();
  const { rows, total } = await repo.listTickets(deps.db, {
    districtCode: actor.districtCode,
    scope: scopeOf(actor),
    units: units.length > 0 ? units : null,
    ...(q.status ? { status: q.status } : {}),
    ...(q.unit ? { unit: q.unit } : {}),
    ...(q.overdue === 'true' ? { overdueAt: now } : {}),
    ...(q.q ? { q: q.q } : {}),
    ...(q.channel ? { channel: q.channel } : {}),
    ...(q.mine === 'true' && actor.kind === 'user' ? { createdBy: actor.id } : {}),
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  return { total, items: rows.map((r) => ticketView(r, now)) };
}

/** The requester's full phone number for the call-back: personal data, audited. */
export async function revealRequesterContact(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, id: string) {
  assertCan(actor, 'personal.read');
  return deps.db.transaction(async (tx) => {
    const t = await repo.findTicket(tx, actor.districtCode, id);
    if (!t || !canSee(actor, t, null)) throw notFound(TICKET);
    await recordAudit(tx, deps.clock, actor, { action: 'personal.read', targetType: 'ticket', targetId: id, detail: { field: 'requester_phone' } });
    return { name: t.requester_name, phone: t.requester_phone, anonymous: t.anonymous };
  });
}

// ---- the category catalogue, read often and edited rarely ------------------------------------------

const CATEGORY_TTL_MS = 5_000;
const categoryCache = new WeakMap<Db, Map<string, { at: number; rows: repo.CategoryRow[] }>>();

/** The catalogue, remembered for a few seconds per database; an edit here clears it at once. */
async function categoriesOf(db: Db, districtCode: string, nowMs: number): Promise<repo.CategoryRow[]> {
  let perDb = categoryCache.get(db);
  if (!perDb) categoryCache.set(db, (perDb = new Map()));
  const hit = perDb.get(districtCode);
  if (hit && nowMs - hit.at < CATEGORY_TTL_MS) return hit.rows;
  const rows = await repo.listCategories(db, districtCode);
  perDb.set(districtCode, { at: nowMs, rows });
  return rows;
}

// ---- intake -----------------------------------------------------------------------------------

export interface IntakeContext {
  idempotencyKey?: string | null;
  /** For residents' own channels: the phone number they confirmed with a code. */
  verifiedPhone?: string | null;
}

export async function createTicket(
  deps: TicketsDeps,
  actor: AnyActor | null,
  districtCode: string,
  body: CreateTicketBody,
  ctx: IntakeContext = {},
): Promise<{ ticket: TicketView; queryCode: string | null; replayed: boolean }> {
  if (actor) assertCan(actor, 'tickets.create');
  const now = deps.clock();
  if (ctx.idempotencyKey) {
    const existing = await repo.findTicketByIdempotencyKey(deps.db, districtCode, ctx.idempotencyKey);
    if (existing) {
      const t = await repo.findTicket(deps.db, districtCode, existing);
      return { ticket: ticketView(t!, now), queryCode: null, replayed: true };
    }
  }
  // Where: the point is located to grid cell, community and street; an address alone stays at district level.
  let areaPath = `/${districtCode}/`;
  let located: { gridCell: string | null; community: string | null; subdistrict: string | null } = { gridCell: null, community: null, subdistrict: null };
  let names: { gridCell: string | null; community: string | null; subdistrict: string | null } | null = null;
  let wgs84: [number, number] | null = null;
  if (body.location?.lon !== undefined && body.location.lat !== undefined) {
    const r = await areasService.locatePoint(deps, districtCode, { lon: body.location.lon, lat: body.location.lat, crs: body.location.crs });
    if (!r.inside) throw new AppError('outside_district', r.message);
    areaPath = r.path;
    wgs84 = r.wgs84;
    located = { gridCell: r.gridCell?.code ?? null, community: r.community?.code ?? null, subdistrict: r.subdistrict?.code ?? null };
    names = { gridCell: r.gridCell?.name ?? null, community: r.community?.name ?? null, subdistrict: r.subdistrict?.name ?? null };
  } else if (body.location?.areaCode) {
    const area = await areasService.findArea(deps.db, districtCode, body.location.areaCode);
    if (!area) throw notFound({ zh: '区域', en: 'Area' });
    areaPath = area.path;
    const codes = area.path.split('/').filter(Boolean);
    located = { subdistrict: codes[1] ?? null, community: codes[2] ?? null, gridCell: codes[3] ?? null };
  } else if (!body.location?.address && body.channel !== 'hotline') {
    throw new AppError('validation_failed', { zh: '请提供位置（坐标或地址）', en: 'Give a location: a point or an address' });
  }
  if (actor && actor.kind === 'user' && !areaPath.startsWith(scopeOf(actor)) && !`/${districtCode}/`.startsWith(scopeOf(actor))) {
    // A grid worker reports inside their own grid; a street dispatcher inside their street.
    assertCan(actor, 'tickets.create', areaPath);
  }
  const categories = await categoriesOf(deps.db, districtCode, now.getTime());
  if (body.categoryCode && !categories.some((c) => c.code === body.categoryCode && c.active)) {
    throw new AppError('validation_failed', { zh: `诉求分类“${body.categoryCode}”不存在`, en: `Unknown category "${body.categoryCode}"` });
  }
  const queryCode = String(randomInt(100000, 1000000));
  const anonymous = body.requester?.anonymous ?? false;
  // Read before the transaction: the embedded engine has a single connection.
  const cal = await calendarFor(deps.db, districtCode);
  try {
    return await deps.db.transaction(async (tx) => {
      const { id, number } = await repo.insertTicket(tx, {
        districtCode,
        day: shanghaiDay(now),
        type: body.type,
        channel: body.channel,
        title: body.title,
        content: body.content,
        urgency: body.urgency,
        categoryCode: body.categoryCode ?? null,
        lon: wgs84?.[0] ?? null,
        lat: wgs84?.[1] ?? null,
        address: body.location?.address ?? null,
        areaPath,
        gridCellCode: located.gridCell,
        communityCode: located.community,
        subdistrictCode: located.subdistrict,
        requesterName: anonymous ? null : body.requester?.name ?? null,
        requesterPhone: anonymous ? null : ctx.verifiedPhone ?? body.requester?.phone ?? null,
        anonymous,
        queryCode,
        idempotencyKey: ctx.idempotencyKey ?? null,
        createdBy: actor?.kind === 'user' ? actor.id : null,
        createdAt: now,
        actorRole: roleOf(actor),
      });
      const events: TicketEvent[] = [{ kind: 'received', dueAt: null, at: now.toISOString(), actorId: actor?.kind === 'user' ? actor.id : null }];
      let seq = 1;
      // Categories marked automatic are dispatched at once along the routing table.
      const category = categories.find((c) => c.code === body.categoryCode);
      if (category?.auto_dispatch) {
        const suggestion = (await suggestionsFor(tx, districtCode, { category_code: category.code, area_path: areaPath, subdistrict_code: located.subdistrict }, categories))[0];
        if (suggestion) {
          const limit = await limitFor(tx, districtCode, { type: body.type, urgency: body.urgency, category_code: category.code }, categories);
          const d = dueDates(cal, limit, now);
          const e: TicketEvent = { kind: 'dispatched', leadUnit: suggestion.unit, assistingUnits: [], acceptDueAt: d.acceptDueAt.toISOString(), dueAt: d.dueAt.toISOString(), auto: true, note: suggestion.reason, at: now.toISOString(), actorId: null };
          events.push(e);
          await repo.appendEvent(tx, { districtCode, ticketId: id, seq: ++seq, event: e, actorRole: 'system:auto-dispatch', unit: suggestion.unit });
        }
      }
      // The row was inserted as the projection of 'received'; only an auto-dispatch changes it.
      if (seq > 1) await repo.saveProjection(tx, id, foldTicket(events), seq);
      const auditActor: AnyActor = actor ?? { kind: 'system', districtCode, reason: `intake:${body.channel}` };
      await recordAudit(tx, deps.clock, auditActor, { action: 'tickets.create', targetType: 'ticket', targetId: id, detail: { number, channel: body.channel } });
      // A plain intake is answered from what it wrote; an auto-dispatched one is read back.
      const t =
        seq === 1 && names
          ? ({
              id, district_code: districtCode, number, type: body.type, channel: body.channel, title: body.title, content: body.content,
              urgency: body.urgency, category_code: category?.code ?? null, category_name: category?.name ?? null,
              lon: wgs84?.[0] ?? null, lat: wgs84?.[1] ?? null, address: body.location?.address ?? null, area_path: areaPath,
              grid_cell_code: located.gridCell, community_code: located.community, subdistrict_code: located.subdistrict,
              grid_cell_name: names.gridCell, community_name: names.community, subdistrict_name: names.subdistrict,
              requester_name: anonymous ? null : body.requester?.name ?? null, requester_phone: anonymous ? null : ctx.verifiedPhone ?? body.requester?.phone ?? null,
              anonymous, query_code_hash: null, created_at: now, status: 'received', lead_unit: null, assisting_units: [], due_at: null,
              accept_due_at: null, accepted_at: null, replied_at: null, closed_at: null, resolution: null, rating: null, returns: 0, reopens: 0,
              urges: 0, merged_into: null, paused_since: null, last_seq: 1,
            } satisfies repo.TicketRow)
          : (await repo.findTicket(tx, districtCode, id))!;
      return { ticket: ticketView(t, now), queryCode, replayed: false };
    });
  } catch (e) {
    // Two identical submissions racing: the unique idempotency key lets one in; the other replays it.
    if (ctx.idempotencyKey && /tickets_idempotency_idx|duplicate key/.test(String((e as Error).message))) {
      const existing = await repo.findTicketByIdempotencyKey(deps.db, districtCode, ctx.idempotencyKey);
      if (existing) return { ticket: ticketView((await repo.findTicket(deps.db, districtCode, existing))!, now), queryCode: null, replayed: true };
    }
    throw e;
  }
}

function roleOf(actor: AnyActor | null): string | null {
  if (!actor) return 'resident:public';
  return actor.kind === 'user' ? actor.role : `system:${actor.reason}`;
}

// ---- routing, limits, calendar --------------------------------------------------------------------

function categoryChain(categories: readonly repo.CategoryRow[], code: string | null): string[] {
  const chain: string[] = [];
  for (let c = categories.find((x) => x.code === code); c; c = categories.find((x) => x.code === c!.parent_code)) chain.unshift(c.code);
  return chain;
}

async function suggestionsFor(
  q: Queryable,
  districtCode: string,
  t: { category_code: string | null; area_path: string; subdistrict_code: string | null },
  categories?: readonly repo.CategoryRow[],
) {
  const cats = categories ?? (await repo.listCategories(q, districtCode));
  const routes = await repo.listRoutes(q, districtCode);
  return suggestUnits(
    routes.map((r) => ({ categoryCode: r.category_code, areaPath: r.area_path, unit: r.unit, reason: r.reason })),
    { categoryChain: categoryChain(cats, t.category_code), areaPath: t.area_path, subdistrictCode: t.subdistrict_code },
  );
}

const DEFAULT_LIMIT: TimeLimit = { ticketType: null, categoryCode: null, urgency: null, acceptWorkingHours: 2, handleWorkingDays: 10, handleWorkingHours: null };

async function limitFor(q: Queryable, districtCode: string, t: { type: string; urgency: string; category_code: string | null }, categories?: readonly repo.CategoryRow[]): Promise<TimeLimit> {
  const cats = categories ?? (await repo.listCategories(q, districtCode));
  const rows = await repo.listTimeLimits(q, districtCode);
  const limits = rows.map((r) => ({
    ticketType: r.ticket_type,
    categoryCode: r.category_code,
    urgency: r.urgency,
    acceptWorkingHours: Number(r.accept_working_hours),
    handleWorkingDays: r.handle_working_days,
    handleWorkingHours: r.handle_working_hours === null ? null : Number(r.handle_working_hours),
  }));
  return resolveTimeLimit(limits, { type: t.type, urgency: t.urgency, categoryChain: categoryChain(cats, t.category_code) }) ?? DEFAULT_LIMIT;
}

/** The district's working-time calendar, cached by the calendar module per database (read outside the act's transaction). */
async function calendarFor(db: Db, districtCode: string): Promise<WorkingTime> {
  return calendarService.loadCalendar({ db }, districtCode);
}

export async function suggestDispatch(deps: Pick<TicketsDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'tickets.dispatch');
  const t = await repo.findTicket(deps.db, actor.districtCode, id);
  if (!t || !canSee(actor, t, null)) throw notFound(TICKET);
  const units = await suggestionsFor(deps.db, actor.districtCode, t);
  const local = t.subdistrict_name ? `属地: ${t.subdistrict_name}` : null;
  return { items: units.map((u) => ({ unit: u.unit, reason: [local, u.reason].filter(Boolean).join('; ') })) };
}

// ---- acts -------------------------------------------------------------------------------------

/** Which roles may perform which act; unit acts also need the actor's unit to be involved. */
const ACT_PERMISSION: Record<TicketAct, 'tickets.dispatch' | 'tickets.handle' | 'tickets.supervise'> = {
  dispatch: 'tickets.dispatch',
  answerDirectly: 'tickets.dispatch',
  merge: 'tickets.dispatch',
  decideExtension: 'tickets.dispatch',
  followUp: 'tickets.dispatch',
  reopen: 'tickets.dispatch',
  accept: 'tickets.handle',
  return: 'tickets.handle',
  requestExtension: 'tickets.handle',
  reply: 'tickets.handle',
  callUnits: 'tickets.handle',
  reportToCall: 'tickets.handle',
  urge: 'tickets.supervise',
  supervise: 'tickets.supervise',
};

function allowedFor(actor: AnyActor, state: TicketState): TicketAct[] {
  const byStatus = (Object.keys(ACT_PERMISSION) as TicketAct[]).filter((a) => decide(state, a).ok);
  return byStatus.filter((a) => can(actor, ACT_PERMISSION[a]) && unitCheck(actor, a, state) !== 'refused');
}

function unitCheck(actor: AnyActor, act: TicketAct, s: TicketState): UnitKey | null | 'refused' {
  if (ACT_PERMISSION[act] !== 'tickets.handle') return null;
  const units = unitsOf(actor);
  if (act === 'reportToCall') return units.find((u) => s.calledUnits.some((c) => c.unit === u && c.reportedAt === null)) ?? 'refused';
  if (act === 'callUnits') return units.find((u) => u === s.leadUnit && u.startsWith('subdistrict:')) ?? 'refused';
  return units.find((u) => u === s.leadUnit) ?? 'refused';
}

const ActBodies = {
  dispatch: C.DispatchBody,
  answerDirectly: C.AnswerDirectlyBody,
  accept: z.object({}).strict(),
  return: C.ReasonBody,
  requestExtension: C.ExtensionBody,
  decideExtension: C.DecideExtensionBody,
  reply: C.ReplyBody,
  followUp: C.FollowUpBody,
  reopen: C.ReasonBody,
  urge: C.NoteBody,
  supervise: C.NoteBody,
  merge: C.MergeBody,
  callUnits: C.CallUnitsBody,
  reportToCall: C.ReportToCallBody,
} as const satisfies Record<TicketAct, z.ZodType>;
export { ActBodies };

type BodyOf<A extends TicketAct> = z.infer<(typeof ActBodies)[A]>;

export async function actOnTicket<A extends TicketAct>(
  deps: TicketsDeps,
  actor: AnyActor,
  id: string,
  act: A,
  body: BodyOf<A>,
): Promise<{ ticket: TicketView }> {
  assertCan(actor, ACT_PERMISSION[act]);
  const now = deps.clock();
  // Read before the transaction: the embedded engine has a single connection.
  const cal = await calendarFor(deps.db, actor.districtCode);
  return deps.db.transaction(async (tx) => {
    const locked = await repo.lockTicket(tx, actor.districtCode, id);
    if (!locked) throw notFound(TICKET);
    const t = (await repo.findTicket(tx, actor.districtCode, id))!;
    const rows = await repo.listEvents(tx, id);
    if (!canSee(actor, t, rows) && !(ACT_PERMISSION[act] === 'tickets.handle' && unitsOf(actor).length > 0 && canSee(actor, t, rows))) {
      throw notFound(TICKET);
    }
    const events = rows.map(repo.toDomainEvent);
    const state = foldTicket(events);
    const decision = decide(state, act);
    if (!decision.ok) {
      const allowed = decision.allowed.map((a) => ACT_NAMES[a]);
      throw new AppError(
        'conflict',
        {
          zh: `诉求当前为“${STATUS_NAMES[state.status].zh}”，不能${ACT_NAMES[act].zh}；可执行：${allowed.map((a) => a.zh).join('、') || '无'}`,
          en: `The ticket is ${STATUS_NAMES[state.status].en}; cannot ${ACT_NAMES[act].en}. Allowed: ${allowed.map((a) => a.en).join(', ') || 'none'}`,
        },
        { status: state.status, allowedActs: decision.allowed },
      );
    }
    const unit = unitCheck(actor, act, state);
    if (unit === 'refused') {
      throw new AppError('forbidden', { zh: '该诉求不由您所在单位办理', en: 'This ticket is not assigned to your unit' });
    }
    const categories = await repo.listCategories(tx, actor.districtCode);
    const data = await eventFor(tx, { act, body, state, t, now, cal, categories, actor, unit });
    const event = { ...data, at: now.toISOString(), actorId: actor.kind === 'user' ? actor.id : null } as TicketEvent;
    const seq = locked.last_seq + 1;
    await repo.appendEvent(tx, { districtCode: actor.districtCode, ticketId: id, seq, event, actorRole: roleOf(actor), unit: unitColumn(event) });
    const next = foldTicket([...events, event]);
    await repo.saveProjection(tx, id, next, seq, act === 'dispatch' ? (body as BodyOf<'dispatch'>).categoryCode ?? null : null);

    // Merged tickets share the outcome: a reply or a closing follow-up reaches every requester.
    if (event.kind === 'replied' || event.kind === 'merged') await propagate(tx, actor, id, event, now);
    await recordAudit(tx, deps.clock, actor, { action: `tickets.${act}`, targetType: 'ticket', targetId: id, detail: { seq } });
    return { ticket: ticketView((await repo.findTicket(tx, actor.districtCode, id))!, now) };
  });
}

function unitColumn(e: TicketEvent): UnitKey | null {
  switch (e.kind) {
    case 'dispatched':
      return e.leadUnit;
    case 'accepted':
    case 'returned':
    case 'replied':
    case 'extension_requested':
    case 'call_reported':
      return e.unit;
    default:
      return null;
  }
}

async function propagate(tx: Queryable, actor: AnyActor, parentId: string, event: TicketEvent, now: Date) {
  if (event.kind === 'merged') {
    // The absorbing ticket records whom it now answers for.
    const lockedParent = await repo.lockTicket(tx, actor.districtCode, event.into);
    if (!lockedParent) throw notFound(TICKET);
    const parentRows = await repo.listEvents(tx, event.into);
    const absorbed: TicketEvent = { kind: 'merge_absorbed', ticketId: parentId, at: now.toISOString(), actorId: event.actorId };
    await repo.appendEvent(tx, { districtCode: actor.districtCode, ticketId: event.into, seq: lockedParent.last_seq + 1, event: absorbed, actorRole: roleOf(actor), unit: null });
    await repo.saveProjection(tx, event.into, foldTicket([...parentRows.map(repo.toDomainEvent), absorbed]), lockedParent.last_seq + 1);
    return;
  }
  if (event.kind !== 'replied') return;
  for (const child of await repo.listMergedChildren(tx, parentId)) {
    const rows = await repo.listEvents(tx, child.id);
    const copy: TicketEvent = { ...event, viaMergeOf: parentId };
    await repo.appendEvent(tx, { districtCode: actor.districtCode, ticketId: child.id, seq: child.last_seq + 1, event: copy, actorRole: roleOf(actor), unit: event.unit });
    const s = foldTicket([...rows.map(repo.toDomainEvent), copy]);
    // A merged ticket keeps status 'merged' but records the shared resolution.
    await repo.saveProjection(tx, child.id, { ...s, status: 'merged' }, child.last_seq + 1);
  }
}

async function eventFor(
  tx: Queryable,
  x: {
    act: TicketAct;
    body: unknown;
    state: TicketState;
    t: repo.TicketRow;
    now: Date;
    cal: WorkingTime;
    categories: repo.CategoryRow[];
    actor: AnyActor;
    unit: UnitKey | null;
  },
): Promise<TicketEventData> {
  const { state, t, now, cal } = x;
  switch (x.act) {
    case 'dispatch': {
      const b = x.body as DispatchBody;
      if (b.categoryCode && !x.categories.some((c) => c.code === b.categoryCode)) {
        throw new AppError('validation_failed', { zh: `诉求分类“${b.categoryCode}”不存在`, en: `Unknown category "${b.categoryCode}"` });
      }
      await assertUnitsExist(tx, x.actor.districtCode, [b.leadUnit, ...b.assistingUnits]);
      const limit = await limitFor(tx, x.actor.districtCode, { type: t.type, urgency: t.urgency, category_code: b.categoryCode ?? t.category_code }, x.categories);
      const fresh = dueDates(cal, limit, now);
      // After a return the handling clock resumes where it stood; a first dispatch starts it.
      const dueAt = state.dueAt && state.pausedSince ? shiftByPause(cal, new Date(state.dueAt), new Date(state.pausedSince), now) : fresh.dueAt;
      return { kind: 'dispatched', leadUnit: b.leadUnit as UnitKey, assistingUnits: b.assistingUnits.filter((u) => u !== b.leadUnit) as UnitKey[], acceptDueAt: fresh.acceptDueAt.toISOString(), dueAt: dueAt.toISOString(), ...(b.note ? { note: b.note } : {}) };
    }
    case 'answerDirectly': {
      const b = x.body as z.infer<typeof C.AnswerDirectlyBody>;
      return { kind: 'answered_directly', answer: b.answer, resolution: b.resolution };
    }
    case 'accept':
      return { kind: 'accepted', unit: x.unit as UnitKey };
    case 'return':
      return { kind: 'returned', unit: x.unit as UnitKey, reason: (x.body as { reason: string }).reason };
    case 'requestExtension': {
      const b = x.body as z.infer<typeof C.ExtensionBody>;
      return { kind: 'extension_requested', unit: x.unit as UnitKey, reason: b.reason, workingDays: b.workingDays };
    }
    case 'decideExtension': {
      const b = x.body as z.infer<typeof C.DecideExtensionBody>;
      const requested = [...(await repo.listEvents(tx, t.id))].reverse().find((e) => e.kind === 'extension_requested');
      const shifted = shiftByPause(cal, new Date(state.dueAt ?? now), new Date(state.pausedSince ?? now), now);
      const dueAt = b.approved ? cal.addWorkingDays(shifted, Number(requested?.data.workingDays ?? 0)) : shifted;
      return { kind: 'extension_decided', approved: b.approved, dueAt: dueAt.toISOString(), ...(b.note ? { note: b.note } : {}) };
    }
    case 'reply': {
      const b = x.body as z.infer<typeof C.ReplyBody>;
      return { kind: 'replied', unit: x.unit as UnitKey, reply: b.reply, resolution: b.resolution };
    }
    case 'followUp': {
      const b = x.body as z.infer<typeof C.FollowUpBody>;
      return { kind: 'followed_up', rating: b.rating, ...(b.note ? { note: b.note } : {}) };
    }
    case 'reopen': {
      const limit = await limitFor(tx, x.actor.districtCode, t, x.categories);
      const d = dueDates(cal, limit, now);
      return { kind: 'reopened', reason: (x.body as { reason: string }).reason, dueAt: d.dueAt.toISOString(), acceptDueAt: d.acceptDueAt.toISOString() };
    }
    case 'urge':
      return { kind: 'urged', note: (x.body as { note: string }).note, level: 'unit' };
    case 'supervise':
      return { kind: 'supervised', note: (x.body as { note: string }).note };
    case 'merge': {
      const into = (x.body as { into: string }).into;
      if (into === t.id) throw new AppError('validation_failed', { zh: '不能并入自己', en: 'A ticket cannot be merged into itself' });
      const target = await repo.findTicket(tx, x.actor.districtCode, into);
      if (!target || !canSee(x.actor, target, null)) throw notFound(TICKET);
      if (target.status === 'closed' || target.status === 'merged') {
        throw new AppError('conflict', { zh: '只能并入未办结的诉求', en: 'A ticket can only be merged into an open one' });
      }
      return { kind: 'merged', into };
    }
    case 'callUnits': {
      const b = x.body as z.infer<typeof C.CallUnitsBody>;
      await assertUnitsExist(tx, x.actor.districtCode, b.units);
      return { kind: 'units_called', units: b.units as UnitKey[], note: b.note, reportDueAt: cal.addWorkingHours(now, b.reportWithinWorkingHours).toISOString() };
    }
    case 'reportToCall': {
      const call = state.calledUnits.find((c) => c.unit === x.unit && c.reportedAt === null)!;
      return { kind: 'call_reported', unit: x.unit as UnitKey, role: (x.body as { role: 'lead' | 'assisting' }).role, late: now.getTime() > new Date(call.reportDueAt).getTime() };
    }
  }
}

async function assertUnitsExist(q: Queryable, districtCode: string, units: readonly string[]) {
  for (const u of units) {
    const [kind, code] = u.split(':') as [string, string];
    const found =
      kind === 'department'
        ? (await q.query(`SELECT 1 FROM departments WHERE district_code = $1 AND code = $2`, [districtCode, code])).length > 0
        : (await areasService.findArea(q, districtCode, code))?.level === 'subdistrict';
    if (!found) throw new AppError('validation_failed', { zh: `承办单位“${u}”不存在`, en: `Unknown unit "${u}"` });
  }
}

// ---- the escalation job -------------------------------------------------------------------------

/**
 * Urges, then escalates overdue work: first to the unit, then to its supervisor, then to the
 * district. One automatic urge per level and deadline, so running the job twice changes nothing.
 */
export async function escalateOverdue(deps: TicketsDeps, districtCode: string): Promise<{ urged: number }> {
  const now = deps.clock();
  const system: AnyActor = { kind: 'system', districtCode, reason: 'escalation-job' };
  let urged = 0;
  const cal = await calendarFor(deps.db, districtCode);
  for (const row of await repo.listOverdue(deps.db, districtCode, now)) {
    await deps.db.transaction(async (tx) => {
      const locked = await repo.lockTicket(tx, districtCode, row.id);
      if (!locked) return;
      const events = (await repo.listEvents(tx, row.id)).map(repo.toDomainEvent);
      const state = foldTicket(events);
      if (!state.dueAt || state.pausedSince || new Date(state.dueAt) >= now || !decide(state, 'urge').ok) return;
      const sinceDue = events.filter((e) => e.kind === 'urged' && e.automatic && e.at >= state.dueAt!);
      const levels = ['unit', 'supervisor', 'district'] as const;
      const level = levels[sinceDue.length];
      if (!level) return;
      // Each level waits one working day after the previous one.
      const last = sinceDue.at(-1);
      if (last && cal.workingMillisBetween(new Date(last.at), now) < 8 * 3_600_000) return;
      const e: TicketEvent = { kind: 'urged', level, automatic: true, note: `超期自动催办（${level}）`, at: now.toISOString(), actorId: null };
      await repo.appendEvent(tx, { districtCode, ticketId: row.id, seq: locked.last_seq + 1, event: e, actorRole: 'system:escalation-job', unit: null });
      await repo.saveProjection(tx, row.id, foldTicket([...events, e]), locked.last_seq + 1);
      await recordAudit(tx, deps.clock, system, { action: 'tickets.escalate', targetType: 'ticket', targetId: row.id, detail: { level } });
      urged++;
    });
  }
  return { urged };
}

export type { Actor };

// ---- photos -------------------------------------------------------------------------------------

export async function addAttachment(
  deps: Pick<TicketsDeps, 'db' | 'clock'>,
  actor: AnyActor,
  id: string,
  file: { fileName: string; contentBase64: string },
) {
  assertCan(actor, 'tickets.read');
  const bytes = Buffer.from(file.contentBase64, 'base64');
  if (bytes.length === 0) throw new AppError('validation_failed', { zh: '文件为空', en: 'The file is empty' });
  if (bytes.length > MAX_ATTACHMENT_BYTES) throw new AppError('payload_too_large', { zh: '照片不能超过 5 MB', en: 'A photo may be at most 5 MB' });
  const type = sniffImage(bytes);
  if (!type) throw new AppError('unsupported_media_type', { zh: '只接受 JPEG、PNG 或 WebP 照片', en: 'Only JPEG, PNG or WebP photos are accepted' });
  return deps.db.transaction(async (tx) => {
    const locked = await repo.lockTicket(tx, actor.districtCode, id);
    const t = locked ? await repo.findTicket(tx, actor.districtCode, id) : undefined;
    if (!t || !canSee(actor, t, await repo.listEvents(tx, id))) throw notFound(TICKET);
    if ((await repo.listAttachments(tx, id)).length >= MAX_ATTACHMENTS_PER_TICKET) {
      throw new AppError('conflict', { zh: `每件诉求最多 ${MAX_ATTACHMENTS_PER_TICKET} 张照片`, en: `At most ${MAX_ATTACHMENTS_PER_TICKET} photos per ticket` });
    }
    const attachmentId = await repo.insertAttachment(tx, {
      districtCode: actor.districtCode,
      ticketId: id,
      eventSeq: locked!.last_seq,
      fileName: safeFileName(file.fileName, type),
      mimeType: type,
      sizeBytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      content: bytes,
      createdAt: deps.clock(),
    });
    await recordAudit(tx, deps.clock, actor, { action: 'tickets.attach', targetType: 'ticket', targetId: id, detail: { attachmentId, bytes: bytes.length } });
    return { id: attachmentId, mimeType: type, sizeBytes: bytes.length };
  });
}

export async function getAttachment(deps: Pick<TicketsDeps, 'db'>, actor: AnyActor, id: string, attachmentId: string) {
  assertCan(actor, 'tickets.read');
  const t = await repo.findTicket(deps.db, actor.districtCode, id);
  if (!t || !canSee(actor, t, await repo.listEvents(deps.db, id))) throw notFound(TICKET);
  const a = await repo.getAttachment(deps.db, id, attachmentId);
  if (!a) throw notFound({ zh: '照片', en: 'Photo' });
  return { fileName: a.file_name, mimeType: a.mime_type, content: Buffer.from(a.content) };
}

// ---- the catalogue, routing table and time limits: data an administrator edits ------------------

export async function saveCategory(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, body: z.infer<typeof C.CategoryBody>) {
  assertCan(actor, 'tickets.configure');
  return deps.db.transaction(async (tx) => {
    const all = await repo.listCategories(tx, actor.districtCode);
    const parent = body.parentCode ? all.find((c) => c.code === body.parentCode) : null;
    if (body.parentCode && !parent) throw new AppError('validation_failed', { zh: `上级分类“${body.parentCode}”不存在`, en: `Unknown parent category "${body.parentCode}"` });
    const level = parent ? parent.level + 1 : 1;
    if (level > 3) throw new AppError('validation_failed', { zh: '分类最多三级', en: 'Categories have at most three levels' });
    const existing = all.find((c) => c.code === body.code);
    if (existing && existing.parent_code !== body.parentCode) {
      throw new AppError('conflict', { zh: '不能移动已有分类，请新建', en: 'An existing category cannot be moved; create a new one' });
    }
    await repo.upsertCategory(tx, actor.districtCode, { code: body.code, parent_code: body.parentCode, level, name: body.name, name_en: body.nameEn, active: body.active, auto_dispatch: body.autoDispatch });
    categoryCache.get(deps.db)?.delete(actor.districtCode);
    await recordAudit(tx, deps.clock, actor, { action: 'tickets.category.save', targetType: 'ticket_category', targetId: body.code });
    return { code: body.code, level };
  });
}

export async function listRoutingTable(deps: Pick<TicketsDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'tickets.read');
  const routes = await repo.listRoutes(deps.db, actor.districtCode);
  const limits = await repo.listTimeLimits(deps.db, actor.districtCode);
  return {
    routes: routes.map((r) => ({ categoryCode: r.category_code, areaPath: r.area_path, unit: r.unit, reason: r.reason })),
    timeLimits: limits.map((l) => ({ ticketType: l.ticket_type, categoryCode: l.category_code, urgency: l.urgency, acceptWorkingHours: Number(l.accept_working_hours), handleWorkingDays: l.handle_working_days, handleWorkingHours: l.handle_working_hours === null ? null : Number(l.handle_working_hours) })),
  };
}

/** Sets the unit for a category (and optionally an area), replacing the previous entry for that key. */
export async function saveRoute(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, body: z.infer<typeof C.RouteBody>) {
  assertCan(actor, 'tickets.configure');
  return deps.db.transaction(async (tx) => {
    if (!(await repo.listCategories(tx, actor.districtCode)).some((c) => c.code === body.categoryCode)) {
      throw new AppError('validation_failed', { zh: `诉求分类“${body.categoryCode}”不存在`, en: `Unknown category "${body.categoryCode}"` });
    }
    let areaPath: string | null = null;
    if (body.areaCode) {
      const area = await areasService.findArea(tx, actor.districtCode, body.areaCode);
      if (!area) throw notFound({ zh: '区域', en: 'Area' });
      areaPath = area.path;
    }
    if (body.unit !== 'subdistrict:local') await assertUnitsExist(tx, actor.districtCode, [body.unit]);
    await repo.deleteRoutesFor(tx, actor.districtCode, body.categoryCode, areaPath);
    await repo.insertRoute(tx, actor.districtCode, { category_code: body.categoryCode, area_path: areaPath, unit: body.unit, reason: body.reason });
    await recordAudit(tx, deps.clock, actor, { action: 'tickets.route.save', targetType: 'ticket_category', targetId: body.categoryCode, detail: { unit: body.unit, areaPath } });
    return { categoryCode: body.categoryCode, areaPath, unit: body.unit, reason: body.reason };
  });
}

export async function saveTimeLimit(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, body: z.infer<typeof C.TimeLimitBody>) {
  assertCan(actor, 'tickets.configure');
  return deps.db.transaction(async (tx) => {
    const row = { ticket_type: body.ticketType, category_code: body.categoryCode, urgency: body.urgency, accept_working_hours: body.acceptWorkingHours, handle_working_days: body.handleWorkingDays, handle_working_hours: body.handleWorkingHours };
    await repo.deleteTimeLimitFor(tx, actor.districtCode, row);
    await repo.insertTimeLimit(tx, actor.districtCode, row);
    await recordAudit(tx, deps.clock, actor, { action: 'tickets.time_limit.save', targetType: 'ticket_time_limit', targetId: [body.ticketType ?? '*', body.categoryCode ?? '*', body.urgency ?? '*'].join('/') });
    return body;
  });
}

/** Likely duplicates for the dispatcher: open tickets in the same community in the last 14 days, same grid cell first. */
export async function nearbyOpenTickets(deps: Pick<TicketsDeps, 'db' | 'clock'>, actor: AnyActor, id: string) {
  assertCan(actor, 'tickets.dispatch');
  const t = await repo.findTicket(deps.db, actor.districtCode, id);
  if (!t || !canSee(actor, t, null)) throw notFound(TICKET);
  if (!t.community_code) return { items: [] };
  const now = deps.clock();
  const rows = await repo.listNearbyOpen(deps.db, actor.districtCode, t, new Date(now.getTime() - 14 * 24 * 3_600_000));
  return { items: rows.filter((r) => r.area_path.startsWith(scopeOf(actor))).map((r) => ({ ...ticketView(r, now), sameGridCell: r.grid_cell_code === t.grid_cell_code })) };
}
