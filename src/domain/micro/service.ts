/**
 * 民生微实事 use cases. Residents act with a token won by a phone code (the tickets module's
 * code flow); staff act with `micro.screen` within their street. Every act on a proposal: lock
 * its row → fold its events → ask the lifecycle table (409 naming the allowed acts) → check the
 * input → append one event, rewrite the projection, queue the notices, audit — one transaction.
 * Notices are sent after the commit through the SMS sender (development: the log).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db, Queryable, Tx } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, conflict, invalid, notFound } from '../../shared/errors';
import { assertCan, maskPhone, scopeOf, type AnyActor, type SystemActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { areasService, type LocatorCache } from '../areas';
import { consumeResidentPhoneCode, MAX_ATTACHMENT_BYTES, safeFileName, sniffImage, type ImageType, type SmsSender } from '../tickets';
import { findProjectItem } from '../projects';
import * as repo from './repo';
import {
  ACT_NAMES,
  STATUS_NAMES,
  allowedActs,
  canBeSupported,
  checkStageDate,
  decide,
  foldProposal,
  isNotified,
  noticeText,
  type ProposalAct,
  type ProposalEvent,
  type ProposalEventData,
  type ProposalStatus,
  type StaffAct,
} from './core/lifecycle';
import { MAX_COST_FEN, checkCost, shanghaiDate, yuan } from './core/rules';
import { checkBallot, checkRules, tally, type TallyResult } from './core/tally';
import type { ActBodies, CreateRoundBody, Place, ProposeBody, PublicListQuery } from './contract';
import type { z } from 'zod';

export interface MicroDeps {
  db: Db;
  clock: Clock;
  locators: LocatorCache;
  districtCode: string;
  sms: SmsSender;
}

const PROPOSAL = { zh: '微实事提议', en: 'Micro-project proposal' };
const ROUND = { zh: '票决轮次', en: 'Vote round' };
const TOKEN_TTL_MS = 2 * 3_600_000;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const phoneHash = (districtCode: string, phone: string) => sha(`micro:${districtCode}:${phone}`);

function residentActor(districtCode: string): SystemActor {
  return { kind: 'system', districtCode, reason: 'resident:micro' };
}

// ---- residents: a phone code buys a short-lived token -------------------------------------------

export async function startResidentSession(deps: MicroDeps, phone: string, code: string) {
  await consumeResidentPhoneCode(deps, phone, code);
  const token = randomBytes(24).toString('base64url');
  const now = deps.clock();
  const expiresAt = new Date(now.getTime() + TOKEN_TTL_MS);
  await deps.db.transaction(async (tx) => {
    await repo.purgeResidentTokens(tx, now);
    await repo.insertResidentToken(tx, { tokenHash: sha(token), districtCode: deps.districtCode, phone, phoneHash: phoneHash(deps.districtCode, phone), createdAt: now, expiresAt });
    await recordAudit(tx, deps.clock, residentActor(deps.districtCode), { action: 'micro.residentSession', targetType: 'phone', targetId: maskPhone(phone) ?? '' });
  });
  return { token, expiresAt: expiresAt.toISOString(), phone: maskPhone(phone) };
}

export interface Resident {
  phone: string;
  phoneHash: string;
}

export async function residentOf(deps: Pick<MicroDeps, 'db' | 'clock' | 'districtCode'>, token: unknown): Promise<Resident> {
  if (typeof token !== 'string' || !/^[A-Za-z0-9_-]{20,64}$/.test(token)) {
    throw new AppError('unauthenticated', { zh: '请先用手机验证码确认身份', en: 'Confirm your phone with a code first' });
  }
  const row = await repo.findResidentToken(deps.db, deps.districtCode, sha(token), deps.clock());
  if (!row) throw new AppError('unauthenticated', { zh: '手机验证已过期，请重新获取验证码', en: 'Your phone confirmation has expired; ask for a new code' });
  return { phone: row.phone, phoneHash: row.phone_hash };
}

// ---- checks shared by the use cases ---------------------------------------------------------

function refuseCost(fen: number, what: { zh: string; en: string }): void {
  const c = checkCost(fen);
  if (c.ok) return;
  const limit = `${yuan(MAX_COST_FEN)} 元`;
  if (c.reason === 'too_large') {
    throw invalid({ zh: `${what.zh}不能超过 ${limit}（民生微实事是小额项目）`, en: `${what.en} may be at most CNY ${yuan(MAX_COST_FEN)} (micro projects are small works)` }, { maxFen: MAX_COST_FEN });
  }
  throw invalid({ zh: `${what.zh}应为大于 0 的整数（单位：分）`, en: `${what.en} must be a whole number of fen above 0` });
}

interface CheckedPhoto {
  fileName: string;
  type: ImageType;
  bytes: Buffer;
}

function checkPhotos(photos: readonly { fileName: string; contentBase64: string }[]): CheckedPhoto[] {
  return photos.map((p, i) => {
    const n = i + 1;
    const bytes = Buffer.from(p.contentBase64, 'base64');
    if (bytes.length === 0) throw invalid({ zh: `第 ${n} 张照片是空文件`, en: `Photo ${n} is empty` });
    if (bytes.length > MAX_ATTACHMENT_BYTES) throw new AppError('payload_too_large', { zh: `第 ${n} 张照片超过 5 MB`, en: `Photo ${n} is larger than 5 MB` });
    const type = sniffImage(bytes);
    if (!type) throw new AppError('unsupported_media_type', { zh: `第 ${n} 张不是 JPEG、PNG 或 WebP 照片`, en: `Photo ${n} is not a JPEG, PNG or WebP image` });
    return { fileName: safeFileName(p.fileName, type), type, bytes };
  });
}

interface Placed {
  lon: number | null;
  lat: number | null;
  address: string | null;
  areaCode: string;
  communityCode: string | null;
  subdistrictCode: string;
  areaPath: string;
}

/** A point goes to its grid cell through the areas locator; a code must be a community or a grid cell. */
async function placeOf(deps: MicroDeps, place: Place): Promise<Placed> {
  const address = place.address?.trim() || null;
  if ('areaCode' in place) {
    const area = await areasService.findArea(deps.db, deps.districtCode, place.areaCode);
    if (!area || (area.level !== 'community' && area.level !== 'grid_cell')) {
      throw invalid({ zh: `“${place.areaCode}”不是本区的社区或网格`, en: `"${place.areaCode}" is not a community or grid cell of this district` });
    }
    const codes = area.path.split('/').filter(Boolean);
    return { lon: null, lat: null, address, areaCode: area.code, communityCode: codes[2] ?? null, subdistrictCode: codes[1]!, areaPath: area.path };
  }
  const found = await areasService.locatePoint(deps, deps.districtCode, { lon: place.lon, lat: place.lat, crs: place.crs });
  if (!found.inside || !found.subdistrict) {
    throw new AppError('outside_district', { zh: '该位置不在本区范围内', en: 'This location is outside the district' });
  }
  const area = found.gridCell ?? found.community ?? found.subdistrict;
  return {
    lon: found.wgs84[0],
    lat: found.wgs84[1],
    address,
    areaCode: area.code,
    communityCode: found.community?.code ?? null,
    subdistrictCode: found.subdistrict.code,
    areaPath: found.path,
  };
}

// ---- views ------------------------------------------------------------------------------------

function proposalView(p: repo.ProposalRow) {
  return {
    id: p.id,
    number: p.number,
    title: p.title,
    description: p.description,
    place: { lon: p.lon, lat: p.lat, address: p.address, areaCode: p.area_code, communityCode: p.community_code, subdistrictCode: p.subdistrict_code },
    estimatedCostFen: p.estimated_cost_fen,
    costFen: p.cost_fen,
    status: p.status as ProposalStatus,
    statusName: STATUS_NAMES[p.status as ProposalStatus],
    reason: p.reason,
    mergedInto: p.merged_into_number,
    inRound: p.round_id,
    selectedByRound: p.selected_by_round,
    budgetLine: p.budget_line,
    projectItemId: p.project_item_id,
    stages: { acceptedOn: p.accepted_on, designOn: p.design_on, constructionOn: p.construction_on, completedOn: p.completed_on },
    supports: p.supports,
    mergedSupports: p.merged_supports,
    photos: p.photos,
    createdAt: new Date(p.created_at).toISOString(),
    isDemo: p.is_demo,
  };
}
export type ProposalView = ReturnType<typeof proposalView>;

/** What the public sees of the log: the steps and their published reasons, not who typed them. */
function publicTimeline(events: repo.EventRow[], counts: Map<number, { recipients: number; sent: number }>) {
  return events.map((e) => ({
      seq: e.seq,
      kind: e.kind,
      at: new Date(e.at).toISOString(),
      date: typeof e.data.date === 'string' ? e.data.date : null,
      reason: typeof e.data.reason === 'string' ? e.data.reason : null,
      note: typeof e.data.note === 'string' && e.data.note ? e.data.note : null,
      intoNumber: typeof e.data.intoNumber === 'string' ? e.data.intoNumber : null,
      votes: typeof e.data.votes === 'number' ? e.data.votes : null,
      budgetLine: e.kind === 'linked' ? (e.data.budgetLine as string | null) : null,
      projectItemTitle: e.kind === 'linked' ? (e.data.projectItemTitle as string | null) : null,
      notified: counts.get(e.seq)?.recipients ?? 0,
    }));
}

async function countsOf(deps: Pick<MicroDeps, 'db'>, proposalId: string) {
  return new Map((await repo.notificationCounts(deps.db, proposalId)).map((c) => [c.event_seq, { recipients: c.recipients, sent: c.sent }]));
}

// ---- residents: propose, support, follow ------------------------------------------------------

export async function propose(deps: MicroDeps, resident: Resident, body: ProposeBody, idempotencyKey: string | null) {
  if (idempotencyKey) {
    const prior = await repo.findProposalIdByIdempotencyKey(deps.db, deps.districtCode, idempotencyKey);
    if (prior && prior.proposer_phone_hash === resident.phoneHash) {
      const p = await repo.findProposal(deps.db, deps.districtCode, prior.id);
      return { proposal: proposalView(p!), replayed: true };
    }
  }
  if (!body.title.trim()) throw invalid({ zh: '请填写标题', en: 'A title is required' });
  refuseCost(body.estimatedCostFen, { zh: '估算费用', en: 'The estimated cost' });
  const photos = checkPhotos(body.photos);
  const placed = await placeOf(deps, body.place);
  const now = deps.clock();
  const id = await deps.db.transaction(async (tx) => {
    const number = await repo.nextNumber(tx, deps.districtCode, Number(shanghaiDate(now).slice(0, 4)));
    const proposalId = await repo.insertProposal(tx, {
      districtCode: deps.districtCode,
      number,
      title: body.title.trim(),
      description: body.description.trim(),
      ...placed,
      estimatedCostFen: body.estimatedCostFen,
      proposerPhone: resident.phone,
      proposerPhoneHash: resident.phoneHash,
      createdAt: now,
      idempotencyKey,
      isDemo: false,
    });
    await repo.appendEvent(tx, { districtCode: deps.districtCode, proposalId, seq: 1, event: { kind: 'submitted', at: now.toISOString(), actorId: null }, actorRole: 'resident:public' });
    for (const ph of photos) {
      await repo.insertPhoto(tx, {
        districtCode: deps.districtCode,
        proposalId,
        fileName: ph.fileName,
        mimeType: ph.type,
        sizeBytes: ph.bytes.length,
        sha256: sha(ph.bytes.toString('binary')),
        content: ph.bytes,
        createdAt: now,
      });
    }
    await recordAudit(tx, deps.clock, residentActor(deps.districtCode), { action: 'micro.propose', targetType: 'micro_proposal', targetId: proposalId, detail: { number, photos: photos.length } });
    return proposalId;
  });
  const p = await repo.findProposal(deps.db, deps.districtCode, id);
  return { proposal: proposalView(p!), replayed: false };
}

export async function support(deps: MicroDeps, resident: Resident, number: string) {
  await deps.db.transaction(async (tx) => {
    const found = await repo.findProposalByNumber(tx, deps.districtCode, number);
    if (!found) throw notFound(PROPOSAL);
    await repo.lockProposal(tx, deps.districtCode, found.id);
    const p = (await repo.findProposal(tx, deps.districtCode, found.id))!;
    if (!canBeSupported(p.status as ProposalStatus)) {
      const s = STATUS_NAMES[p.status as ProposalStatus];
      throw conflict({ zh: `该提议${s.zh}，不再收集支持`, en: `This proposal is ${s.en}; it no longer collects support` });
    }
    if (p.proposer_phone_hash === resident.phoneHash) {
      throw conflict({ zh: '这是您自己的提议，无需再支持', en: 'This is your own proposal; you cannot support it' });
    }
    const inserted = await repo.insertSupport(tx, { districtCode: deps.districtCode, proposalId: p.id, phoneHash: resident.phoneHash, phone: resident.phone, at: deps.clock() });
    if (!inserted) throw conflict({ zh: '您已经支持过这个提议（每人限一次）', en: 'You have already supported this proposal (once per person)' });
    await recordAudit(tx, deps.clock, residentActor(deps.districtCode), { action: 'micro.support', targetType: 'micro_proposal', targetId: p.id });
  });
  return publicProposal(deps, number, resident);
}

export async function publicList(deps: Pick<MicroDeps, 'db' | 'districtCode'>, q: PublicListQuery) {
  const { rows, total } = await repo.listProposals(deps.db, {
    districtCode: deps.districtCode,
    scope: `/${deps.districtCode}/`,
    ...(q.status ? { statuses: [q.status] } : {}),
    subdistrictCode: q.subdistrict,
    q: q.q,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const counts = await repo.countByStatus(deps.db, deps.districtCode, `/${deps.districtCode}/`);
  return { total, counts, items: rows.map(proposalView) };
}

export async function publicProposal(deps: Pick<MicroDeps, 'db' | 'districtCode'>, number: string, resident: Resident | null = null) {
  const p = await repo.findProposalByNumber(deps.db, deps.districtCode, number);
  if (!p) throw notFound(PROPOSAL);
  const events = await repo.listEvents(deps.db, p.id);
  const photos = await repo.listPhotos(deps.db, p.id);
  return {
    proposal: proposalView(p),
    timeline: publicTimeline(events, await countsOf(deps, p.id)),
    photos: photos.map((f) => ({ id: f.id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: f.size_bytes })),
    canSupport: canBeSupported(p.status as ProposalStatus),
    me: resident
      ? { isProposer: p.proposer_phone_hash === resident.phoneHash, hasSupported: await repo.hasSupported(deps.db, p.id, resident.phoneHash) }
      : null,
  };
}

export async function photoOf(deps: Pick<MicroDeps, 'db' | 'districtCode'>, number: string, photoId: string) {
  const p = await repo.findProposalByNumber(deps.db, deps.districtCode, number);
  const f = p ? await repo.getPhoto(deps.db, p.id, photoId) : undefined;
  if (!f) throw notFound({ zh: '照片', en: 'Photo' });
  return { fileName: f.file_name, mimeType: f.mime_type, content: Buffer.from(f.content) };
}

/** A resident's own proposals, supports and the notices sent to them. */
export async function myActivity(deps: Pick<MicroDeps, 'db' | 'districtCode'>, resident: Resident) {
  const [mine, notices] = await Promise.all([
    repo.listMine(deps.db, deps.districtCode, resident.phoneHash),
    repo.listNotificationsFor(deps.db, deps.districtCode, resident.phoneHash, 50),
  ]);
  return {
    phone: maskPhone(resident.phone),
    proposals: mine.map((m) => ({ number: m.number, title: m.title, status: m.status, role: m.role })),
    notifications: notices.map((n) => ({ id: n.id, number: n.number, title: n.title, kind: n.kind, text: n.text, status: n.status, at: new Date(n.created_at).toISOString() })),
  };
}

// ---- staff: screen and move through the stages ------------------------------------------------

export async function listProposals(deps: Pick<MicroDeps, 'db'>, actor: AnyActor, q: PublicListQuery) {
  assertCan(actor, 'micro.screen');
  const scope = scopeOf(actor);
  const { rows, total } = await repo.listProposals(deps.db, {
    districtCode: actor.districtCode,
    scope,
    ...(q.status ? { statuses: [q.status] } : {}),
    subdistrictCode: q.subdistrict,
    q: q.q,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  });
  const counts = await repo.countByStatus(deps.db, actor.districtCode, scope);
  return { total, counts, items: rows.map((r) => ({ ...proposalView(r), proposerPhone: maskPhone(r.proposer_phone) })) };
}

export async function getProposal(deps: Pick<MicroDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'micro.screen');
  const p = await repo.findProposal(deps.db, actor.districtCode, id);
  if (!p) throw notFound(PROPOSAL);
  assertCan(actor, 'micro.screen', p.area_path);
  const events = await repo.listEvents(deps.db, p.id);
  const state = foldProposal(events.map(repo.toDomainEvent));
  const photos = await repo.listPhotos(deps.db, p.id);
  const counts = await countsOf(deps, p.id);
  return {
    proposal: { ...proposalView(p), proposerPhone: maskPhone(p.proposer_phone) },
    timeline: events.map((e) => ({ seq: e.seq, kind: e.kind, at: new Date(e.at).toISOString(), actorName: e.actor_name, actorRole: e.actor_role, data: e.data, notified: counts.get(e.seq)?.recipients ?? 0 })),
    allowedActs: allowedActs(state).filter((a): a is StaffAct => a !== 'enterRound' && a !== 'selectByVote' && a !== 'dropByVote'),
    photos: photos.map((f) => ({ id: f.id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: f.size_bytes })),
  };
}

function refuseAct(status: ProposalStatus, act: ProposalAct, allowed: readonly ProposalAct[]): AppError {
  const s = STATUS_NAMES[status];
  const zhList = allowed.length ? allowed.map((a) => ACT_NAMES[a].zh).join('、') : '无';
  const enList = allowed.length ? allowed.map((a) => ACT_NAMES[a].en).join(', ') : 'none';
  return conflict(
    { zh: `提议当前“${s.zh}”，不能“${ACT_NAMES[act].zh}”；现在可以：${zhList}`, en: `The proposal is ${s.en}; it cannot ${ACT_NAMES[act].en} now. Allowed: ${enList}` },
    { status, allowedActs: allowed },
  );
}

type ActBody<A extends StaffAct> = z.infer<(typeof ActBodies)[A]>;

interface Appended {
  proposalId: string;
  notified: boolean;
}

/**
 * Appends one event to a locked proposal after the lifecycle allows it; queues the notices.
 * Used by staff acts and by the vote round.
 */
export async function appendAct(
  deps: MicroDeps,
  tx: Tx,
  actor: AnyActor,
  p: repo.ProposalRow,
  act: ProposalAct,
  data: ProposalEventData,
): Promise<Appended> {
  const locked = await repo.lockProposal(tx, actor.districtCode, p.id);
  const events = (await repo.listEvents(tx, p.id)).map(repo.toDomainEvent);
  const state = foldProposal(events);
  const d = decide(state, act);
  if (!d.ok) throw refuseAct(state.status, act, d.allowed);
  if ('date' in data) {
    const today = shanghaiDate(deps.clock());
    const c = checkStageDate(state, data.date, today);
    if (!c.ok) {
      throw c.reason === 'future'
        ? invalid({ zh: `日期 ${data.date} 晚于今天（${today}），不能登记未来的日期`, en: `The date ${data.date} is after today (${today}); future dates cannot be recorded` })
        : invalid({ zh: `日期 ${data.date} 早于上一阶段的日期 ${c.previous}`, en: `The date ${data.date} is before the previous stage's date ${c.previous}` });
    }
  }
  const now = deps.clock();
  const event = { ...data, at: now.toISOString(), actorId: actor.kind === 'user' ? actor.id : null } as ProposalEvent;
  const seq = locked!.last_seq + 1;
  await repo.appendEvent(tx, { districtCode: actor.districtCode, proposalId: p.id, seq, event, actorRole: actor.kind === 'user' ? actor.role : `system:${actor.reason}` });
  await repo.saveProjection(tx, p.id, foldProposal([...events, event]), seq);
  let notified = false;
  if (isNotified(data.kind)) {
    const recipients = await repo.listRecipients(tx, p.id);
    const text = noticeText(data.kind, p, data as { reason?: string; date?: string; intoNumber?: string });
    notified = (await repo.insertNotifications(tx, { districtCode: actor.districtCode, proposalId: p.id, eventSeq: seq, text, at: now, recipients })) > 0;
  }
  await recordAudit(tx, deps.clock, actor, { action: `micro.${act}`, targetType: 'micro_proposal', targetId: p.id, detail: { seq, kind: data.kind } });
  return { proposalId: p.id, notified };
}

export async function actOnProposal<A extends StaffAct>(deps: MicroDeps, actor: AnyActor, id: string, act: A, body: ActBody<A>) {
  assertCan(actor, 'micro.screen');
  const r = await deps.db.transaction(async (tx) => {
    const p = await repo.findProposal(tx, actor.districtCode, id);
    if (!p) throw notFound(PROPOSAL);
    assertCan(actor, 'micro.screen', p.area_path);
    const data = await eventFor(deps, tx, actor, p, act, body);
    return appendAct(deps, tx, actor, p, act, data);
  });
  if (r.notified) await deliverNotifications(deps, r.proposalId);
  return getProposal(deps, actor, id);
}

async function eventFor<A extends StaffAct>(
  deps: MicroDeps,
  tx: Tx,
  actor: AnyActor,
  p: repo.ProposalRow,
  act: A,
  raw: ActBody<A>,
): Promise<ProposalEventData> {
  switch (act) {
    case 'accept': {
      const b = raw as ActBody<'accept'>;
      if (b.costFen !== undefined) refuseCost(b.costFen, { zh: '核定费用', en: 'The approved cost' });
      return { kind: 'accepted', reason: b.reason, date: b.date, costFen: b.costFen ?? p.estimated_cost_fen };
    }
    case 'reject': {
      const b = raw as ActBody<'reject'>;
      return { kind: 'rejected', reason: b.reason, date: b.date };
    }
    case 'merge': {
      const b = raw as ActBody<'merge'>;
      const target = await repo.findProposalByNumber(tx, actor.districtCode, b.into);
      if (!target) throw invalid({ zh: `要并入的提议 ${b.into} 不存在`, en: `The proposal to merge into, ${b.into}, does not exist` });
      if (target.id === p.id) throw invalid({ zh: '不能并入自身', en: 'A proposal cannot be merged into itself' });
      assertCan(actor, 'micro.screen', target.area_path);
      if (!['submitted', 'accepted', 'design', 'construction'].includes(target.status)) {
        throw conflict({ zh: `提议 ${b.into} ${STATUS_NAMES[target.status as ProposalStatus].zh}，不能再并入`, en: `Proposal ${b.into} is ${STATUS_NAMES[target.status as ProposalStatus].en}; nothing can be merged into it` });
      }
      return { kind: 'merged', reason: b.reason, date: b.date, into: target.id, intoNumber: target.number };
    }
    case 'startDesign': {
      const b = raw as ActBody<'startDesign'>;
      return { kind: 'design_started', date: b.date, note: b.note };
    }
    case 'startConstruction': {
      const b = raw as ActBody<'startConstruction'>;
      return { kind: 'construction_started', date: b.date, note: b.note };
    }
    case 'completeAcceptance': {
      const b = raw as ActBody<'completeAcceptance'>;
      return { kind: 'completed', date: b.date, note: b.note };
    }
    case 'link': {
      const b = raw as ActBody<'link'>;
      let title: string | null = null;
      if (b.projectItemId) {
        const item = await findProjectItem(tx, actor.districtCode, b.projectItemId);
        if (!item) throw invalid({ zh: '所选民生实事项目不存在', en: 'The chosen livelihood project item does not exist' });
        title = `${item.year} ${item.code} ${item.title}`;
      }
      return { kind: 'linked', budgetLine: b.budgetLine, projectItemId: b.projectItemId, projectItemTitle: title };
    }
  }
  throw new Error(`unknown act ${String(act)}`);
}

// ---- notices ----------------------------------------------------------------------------------

/**
 * Sends the queued notices (all, or one proposal's) through the SMS sender and marks each sent
 * or failed; a failed one is tried again by the next call (up to 5 attempts).
 */
export async function deliverNotifications(deps: Pick<MicroDeps, 'db' | 'clock' | 'districtCode' | 'sms'>, proposalId: string | null = null): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (;;) {
    const batch = await deps.db.transaction(async (tx) => {
      const rows = await repo.claimPendingNotifications(tx, deps.districtCode, 50, proposalId);
      for (const n of rows) {
        let ok = true;
        try {
          await deps.sms.send(n.recipient_phone, n.text);
        } catch {
          ok = false;
        }
        await repo.markNotification(tx, n.id, ok, deps.clock());
        if (ok) sent++;
        else failed++;
      }
      return rows.length;
    });
    if (batch < 50) return { sent, failed };
  }
}

// ---- vote rounds ------------------------------------------------------------------------------

async function roundArea(deps: Pick<MicroDeps, 'db'>, actor: AnyActor, areaCode: string) {
  const area = await areasService.findArea(deps.db, actor.districtCode, areaCode);
  if (!area || (area.level !== 'district' && area.level !== 'subdistrict')) {
    throw invalid({ zh: `票决范围“${areaCode}”应为本区或一个街道`, en: `The round's area "${areaCode}" must be the district or one of its subdistricts` });
  }
  return area;
}

function roundView(r: repo.RoundRow) {
  return {
    id: r.id,
    title: r.title,
    areaCode: r.area_code,
    budgetFen: r.budget_fen,
    minItems: r.min_items,
    maxItems: r.max_items,
    status: r.status,
    openedAt: new Date(r.opened_at).toISOString(),
    closedAt: r.closed_at ? new Date(r.closed_at).toISOString() : null,
    ballots: r.ballots,
    result: (r.result ?? null) as TallyResult | null,
  };
}
export type RoundView = ReturnType<typeof roundView>;

export async function createRound(deps: MicroDeps, actor: AnyActor, body: CreateRoundBody) {
  assertCan(actor, 'micro.screen');
  const area = await roundArea(deps, actor, body.areaCode);
  assertCan(actor, 'micro.screen', area.path);
  const ids = [...new Set(body.proposalIds)];
  const rules = { budgetFen: body.budgetFen, minItems: body.minItems, maxItems: body.maxItems };
  const c = checkRules(rules, ids.length);
  if (!c.ok) {
    const msg = {
      budget: { zh: '总预算应为大于 0 的整数（分）', en: 'The total budget must be a whole number of fen above 0' },
      min: { zh: '每票最少选择项数应至少为 1', en: 'The minimum items per ballot must be at least 1' },
      max: { zh: '每票最多选择项数不能少于最少项数', en: 'The maximum items per ballot may not be below the minimum' },
      too_few_proposals: { zh: '候选提议至少 2 个，且不少于每票最多选择项数', en: 'A round needs at least 2 proposals, and no fewer than the maximum items per ballot' },
    }[c.reason];
    throw invalid(msg, rules);
  }
  const roundId = await deps.db.transaction(async (tx) => {
    const id = await repo.insertRound(tx, { districtCode: actor.districtCode, title: body.title, areaCode: area.code, areaPath: area.path, budgetFen: body.budgetFen, minItems: body.minItems, maxItems: body.maxItems, openedAt: deps.clock(), createdBy: actor.kind === 'user' ? actor.id : null });
    for (const pid of ids) {
      const p = await repo.findProposal(tx, actor.districtCode, pid);
      if (!p || !p.area_path.startsWith(area.path)) {
        throw invalid({ zh: `提议 ${p?.number ?? pid} 不在票决范围内`, en: `Proposal ${p?.number ?? pid} is not within the round's area` });
      }
      await appendAct(deps, tx, actor, p, 'enterRound', { kind: 'entered_round', roundId: id });
      await repo.addRoundProposal(tx, id, p.id, p.cost_fen);
    }
    await recordAudit(tx, deps.clock, actor, { action: 'micro.createRound', targetType: 'micro_round', targetId: id, detail: { ...rules, proposals: ids.length } });
    return id;
  });
  return getRound(deps, actor, roundId);
}

export async function listRounds(deps: Pick<MicroDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'micro.screen');
  return { items: (await repo.listRounds(deps.db, actor.districtCode, scopeOf(actor), null)).map(roundView) };
}

async function roundWithProposals(deps: Pick<MicroDeps, 'db'>, r: repo.RoundRow) {
  const proposals = await repo.listRoundProposals(deps.db, r.id);
  return {
    round: roundView(r),
    proposals: proposals.map((p) => ({ id: p.id, number: p.number, title: p.title, costFen: p.cost_fen, status: p.status, supports: p.supports })),
  };
}

export async function getRound(deps: Pick<MicroDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'micro.screen');
  const r = await repo.findRound(deps.db, actor.districtCode, id);
  if (!r) throw notFound(ROUND);
  assertCan(actor, 'micro.screen', r.area_path);
  return roundWithProposals(deps, r);
}

export async function publicRounds(deps: Pick<MicroDeps, 'db' | 'districtCode'>) {
  return { items: (await repo.listRounds(deps.db, deps.districtCode, `/${deps.districtCode}/`, null)).map(roundView) };
}

export async function publicRound(deps: Pick<MicroDeps, 'db' | 'districtCode'>, id: string, resident: Resident | null = null) {
  const r = await repo.findRound(deps.db, deps.districtCode, id);
  if (!r) throw notFound(ROUND);
  return { ...(await roundWithProposals(deps, r)), me: resident ? { hasVoted: await repo.hasVoted(deps.db, r.id, resident.phoneHash) } : null };
}

async function computeTally(q: Queryable, r: repo.RoundRow): Promise<TallyResult> {
  const proposals = await repo.listRoundProposals(q, r.id);
  const ballots = await repo.listBallots(q, r.id);
  return tally(
    r.budget_fen,
    proposals.map((p) => ({ id: p.id, number: p.number, costFen: p.cost_fen, proposedAt: new Date(p.created_at).toISOString() })),
    ballots,
  );
}

/** The count so far (open round) or the final result (closed round). */
export async function tallyRound(deps: Pick<MicroDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'micro.screen');
  const r = await repo.findRound(deps.db, actor.districtCode, id);
  if (!r) throw notFound(ROUND);
  assertCan(actor, 'micro.screen', r.area_path);
  const result = r.status === 'closed' && r.result ? (r.result as TallyResult) : await computeTally(deps.db, r);
  const titles = new Map((await repo.listRoundProposals(deps.db, r.id)).map((p) => [p.id, p.title]));
  return { round: roundView(r), final: r.status === 'closed', tally: { ...result, lines: result.lines.map((l) => ({ ...l, title: titles.get(l.id) ?? '' })) } };
}

export async function castBallot(deps: MicroDeps, resident: Resident, roundId: string, proposalIds: readonly string[]) {
  await deps.db.transaction(async (tx) => {
    const r = await repo.lockRound(tx, deps.districtCode, roundId);
    if (!r) throw notFound(ROUND);
    if (r.status !== 'open') throw conflict({ zh: '该轮票决已结束', en: 'This vote round is closed' });
    const inRound = (await repo.listRoundProposals(tx, r.id)).map((p) => p.id);
    const c = checkBallot({ budgetFen: r.budget_fen, minItems: r.min_items, maxItems: r.max_items }, inRound, proposalIds);
    if (!c.ok) {
      const d = c.detail;
      throw invalid(
        {
          too_many: { zh: `最多只能选 ${d.max} 项，您选了 ${d.given} 项`, en: `Choose at most ${d.max} items; you chose ${d.given}` },
          too_few: { zh: `至少要选 ${d.min} 项，您选了 ${d.given} 项`, en: `Choose at least ${d.min} items; you chose ${d.given}` },
          duplicate: { zh: '同一项不能重复选择', en: 'An item may be chosen only once' },
          not_in_round: { zh: '所选项目不在本轮票决中', en: 'A chosen item is not on this round’s ballot' },
        }[c.reason],
        d,
      );
    }
    const ok = await repo.insertBallot(tx, { roundId: r.id, districtCode: deps.districtCode, phoneHash: resident.phoneHash, at: deps.clock(), choices: proposalIds });
    if (!ok) throw conflict({ zh: '您已在本轮投过票（每人限一票）', en: 'You have already voted in this round (one ballot per person)' });
    await recordAudit(tx, deps.clock, residentActor(deps.districtCode), { action: 'micro.vote', targetType: 'micro_round', targetId: r.id, detail: { items: proposalIds.length } });
  });
  return publicRound(deps, roundId, resident);
}

/** Closes the round: the tally selects proposals within the budget; each is told the outcome. */
export async function closeRound(deps: MicroDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'micro.screen');
  const notify = await deps.db.transaction(async (tx) => {
    const r = await repo.lockRound(tx, actor.districtCode, id);
    if (!r) throw notFound(ROUND);
    assertCan(actor, 'micro.screen', r.area_path);
    if (r.status !== 'open') throw conflict({ zh: '该轮票决已经结束', en: 'This vote round is already closed' });
    const result = await computeTally(tx, r);
    const touched: string[] = [];
    for (const line of result.lines) {
      const p = (await repo.findProposal(tx, actor.districtCode, line.id))!;
      const a = line.selected
        ? await appendAct(deps, tx, actor, p, 'selectByVote', { kind: 'selected_by_vote', roundId: r.id, votes: line.votes })
        : await appendAct(deps, tx, actor, p, 'dropByVote', { kind: 'dropped_by_vote', roundId: r.id, votes: line.votes });
      if (a.notified) touched.push(a.proposalId);
    }
    await repo.closeRound(tx, r.id, deps.clock(), result);
    await recordAudit(tx, deps.clock, actor, { action: 'micro.closeRound', targetType: 'micro_round', targetId: r.id, detail: { spentFen: result.spentFen, selected: result.lines.filter((l) => l.selected).length } });
    return touched;
  });
  if (notify.length) await deliverNotifications(deps);
  return tallyRound(deps, actor, id);
}

// ---- places a resident can pick without a location fix -------------------------------------------

/** The district's streets and communities (public names only), for the proposal form. */
export async function publicPlaces(deps: Pick<MicroDeps, 'db' | 'districtCode'>) {
  const [streets, communities] = await Promise.all([
    areasService.listAreaRows(deps.db, deps.districtCode, 'subdistrict'),
    areasService.listAreaRows(deps.db, deps.districtCode, 'community'),
  ]);
  return {
    subdistricts: streets.map((s) => ({
      code: s.code,
      name: s.name,
      communities: communities.filter((c) => c.parent_code === s.code).map((c) => ({ code: c.code, name: c.name })),
    })),
  };
}
