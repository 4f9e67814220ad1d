/**
 * The resident's side of 接诉即办, with no account: confirm a phone number with a one-time code,
 * report (web page or a QR code on a lamp post: 码上办), follow the ticket by its number and
 * query code, rate the answer. Sensors and video analytics report through a signed webhook.
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import QRCode from 'qrcode';
import { AppError, notFound } from '../../shared/errors';
import type { SystemActor } from '../../shared/authz';
import { areasService } from '../areas';
import * as repo from './repo';
import { createTicket, type TicketsDeps } from './service';
import { foldTicket, STATUS_NAMES, decide, type Rating } from './core/lifecycle';
import type { CreateTicketBody } from './contract';
import { recordAudit } from '../audit';

/** Sends text messages. Production plugs in an SMS gateway; development logs the code. */
export interface SmsSender {
  send(phone: string, text: string): Promise<void>;
}

/** Development sender: writes to the log and remembers what it sent (tests read it). */
export class LoggingSmsSender implements SmsSender {
  readonly sent: { phone: string; text: string }[] = [];
  constructor(private readonly log: (line: string) => void = () => undefined) {}
  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone, text });
    this.log(`[sms:dev] ${phone}: ${text}`);
  }
}

export interface PublicDeps extends TicketsDeps {
  districtCode: string;
  sms: SmsSender;
  sensorSecret: string | null;
  publicBaseUrl: string;
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const CODE_TTL_MS = 10 * 60_000;
const RESEND_AFTER_MS = 60_000;

export async function sendVerificationCode(deps: PublicDeps, phone: string): Promise<{ expiresInSeconds: number }> {
  const now = deps.clock();
  const code = String(randomInt(100000, 1000000));
  await deps.db.transaction(async (tx) => {
    const prior = await repo.findVerification(tx, deps.districtCode, sha(phone));
    if (prior && now.getTime() - new Date(prior.created_at).getTime() < RESEND_AFTER_MS) {
      throw new AppError('rate_limited', { zh: '验证码已发送，请一分钟后再试', en: 'A code was sent; wait a minute before asking again' });
    }
    await repo.putVerification(tx, { districtCode: deps.districtCode, phoneHash: sha(phone), codeHash: sha(`${phone}:${code}`), createdAt: now, expiresAt: new Date(now.getTime() + CODE_TTL_MS) });
  });
  await deps.sms.send(phone, `【民生】您的验证码是 ${code}，10分钟内有效。`);
  return { expiresInSeconds: CODE_TTL_MS / 1000 };
}

async function consumeCode(deps: PublicDeps, phone: string, code: string): Promise<void> {
  const wrong = new AppError('validation_failed', { zh: '验证码错误或已过期', en: 'The code is wrong or has expired' });
  const ok = await deps.db.transaction(async (tx) => {
    const v = await repo.findVerification(tx, deps.districtCode, sha(phone));
    if (!v || new Date(v.expires_at).getTime() < deps.clock().getTime() || v.attempts >= 5) return false;
    if (v.code_hash !== sha(`${phone}:${code}`)) {
      await repo.countVerificationAttempt(tx, deps.districtCode, sha(phone));
      return false;
    }
    await repo.deleteVerification(tx, deps.districtCode, sha(phone));
    return true;
  });
  if (!ok) throw wrong;
}

export interface PublicReport {
  type: CreateTicketBody['type'];
  title: string;
  content: string;
  categoryCode?: string | undefined;
  location: NonNullable<CreateTicketBody['location']>;
  phone: string;
  code: string;
  name?: string | undefined;
  anonymous: boolean;
  via: 'web' | 'qr';
}

export async function reportAsResident(deps: PublicDeps, r: PublicReport, idempotencyKey: string | null) {
  // A retry of a report that went through (its answer lost on the way) gets the same ticket,
  // even though its code is used up.
  if (idempotencyKey) {
    const existing = await repo.findTicketByIdempotencyKey(deps.db, deps.districtCode, idempotencyKey);
    const t = existing ? await repo.findTicket(deps.db, deps.districtCode, existing) : undefined;
    if (t && t.requester_phone === r.phone) return { number: t.number, queryCode: null, replayed: true };
  }
  await consumeCode(deps, r.phone, r.code);
  const { ticket, queryCode, replayed } = await createTicket(
    deps,
    null,
    deps.districtCode,
    {
      type: r.type,
      channel: r.via,
      title: r.title,
      content: r.content,
      urgency: 'normal',
      ...(r.categoryCode ? { categoryCode: r.categoryCode } : {}),
      location: r.location,
      requester: { ...(r.name ? { name: r.name } : {}), anonymous: r.anonymous },
    },
    { idempotencyKey, verifiedPhone: r.phone },
  );
  return { number: ticket.number, queryCode, replayed };
}

async function ticketByCode(deps: PublicDeps, number: string, code: string) {
  const t = await repo.findTicketByNumber(deps.db, deps.districtCode, number);
  if (!t || !t.query_code_hash || t.query_code_hash !== sha(`${number}:${code}`)) {
    throw notFound({ zh: '诉求（编号或查询码有误）', en: 'Ticket (wrong number or query code)' });
  }
  return t;
}

const PUBLIC_KINDS = new Set(['received', 'dispatched', 'accepted', 'replied', 'answered_directly', 'followed_up', 'reopened', 'merged']);

/** What the resident sees: progress and answers; no internal notes, names or phone numbers. */
export async function trackTicket(deps: PublicDeps, number: string, code: string) {
  const t = await ticketByCode(deps, number, code);
  const events = await repo.listEvents(deps.db, t.id);
  return {
    number: t.number,
    title: t.title,
    status: t.status,
    statusName: STATUS_NAMES[t.status as keyof typeof STATUS_NAMES],
    createdAt: new Date(t.created_at).toISOString(),
    dueAt: t.due_at ? new Date(t.due_at).toISOString() : null,
    canRate: t.status === 'replied',
    timeline: events
      .filter((e) => PUBLIC_KINDS.has(e.kind))
      .map((e) => ({
        kind: e.kind,
        at: new Date(e.at).toISOString(),
        ...(e.kind === 'replied' ? { reply: e.data.reply, resolution: e.data.resolution } : {}),
        ...(e.kind === 'answered_directly' ? { reply: e.data.answer, resolution: e.data.resolution } : {}),
        ...(e.kind === 'followed_up' ? { rating: e.data.rating } : {}),
      })),
  };
}

/** The resident rates the answer themselves (the same event as the dispatcher's call-back). */
export async function rateAsResident(deps: PublicDeps, number: string, code: string, rating: Exclude<Rating, 'unreachable'>) {
  const t = await ticketByCode(deps, number, code);
  const now = deps.clock();
  const actor: SystemActor = { kind: 'system', districtCode: deps.districtCode, reason: 'resident-rating' };
  await deps.db.transaction(async (tx) => {
    const locked = await repo.lockTicket(tx, deps.districtCode, t.id);
    const events = (await repo.listEvents(tx, t.id)).map(repo.toDomainEvent);
    const state = foldTicket(events);
    if (!decide(state, 'followUp').ok) {
      throw new AppError('conflict', { zh: '该诉求尚未答复或已评价', en: 'The ticket has not been answered yet, or is already rated' });
    }
    const e = { kind: 'followed_up' as const, rating, note: '居民自评', at: now.toISOString(), actorId: null };
    await repo.appendEvent(tx, { districtCode: deps.districtCode, ticketId: t.id, seq: locked!.last_seq + 1, event: e, actorRole: 'resident:public', unit: null });
    await repo.saveProjection(tx, t.id, foldTicket([...events, e]), locked!.last_seq + 1);
    await recordAudit(tx, deps.clock, actor, { action: 'tickets.followUp', targetType: 'ticket', targetId: t.id, detail: { rating } });
  });
  return trackTicket(deps, number, code);
}

// ---- QR codes (码上办) ---------------------------------------------------------------------------

export async function areaQrCode(deps: PublicDeps, areaCode: string, format: 'svg' | 'png'): Promise<string | Buffer> {
  const area = await areasService.findArea(deps.db, deps.districtCode, areaCode);
  if (!area) throw notFound({ zh: '区域', en: 'Area' });
  const url = `${deps.publicBaseUrl.replace(/\/$/, '')}/report?area=${encodeURIComponent(areaCode)}`;
  return format === 'svg'
    ? QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    : QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
}

// ---- sensors and video analytics (视联感知) ---------------------------------------------------------

export function verifySensorSignature(secret: string | null, rawBody: string, header: unknown): void {
  if (!secret) throw new AppError('forbidden', { zh: '未配置传感器接入密钥', en: 'Sensor intake is not configured' });
  const expected = `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
  const given = typeof header === 'string' ? header : '';
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new AppError('forbidden', { zh: '签名无效', en: 'Invalid signature' });
  }
}

export async function intakeFromSensor(
  deps: PublicDeps,
  body: { deviceId: string; eventId: string; kind: string; description: string; lon: number; lat: number; crs: 'wgs84' | 'gcj02' | 'bd09'; categoryCode?: string | undefined; urgency: 'normal' | 'urgent' | 'emergency' },
) {
  const actor: SystemActor = { kind: 'system', districtCode: deps.districtCode, reason: `sensor:${body.deviceId}` };
  const r = await createTicket(
    deps,
    actor,
    deps.districtCode,
    {
      type: 'report',
      channel: 'sensor',
      title: `${body.kind}（设备 ${body.deviceId}）`.slice(0, 100),
      content: body.description,
      urgency: body.urgency,
      ...(body.categoryCode ? { categoryCode: body.categoryCode } : {}),
      location: { lon: body.lon, lat: body.lat, crs: body.crs },
      requester: { anonymous: true },
    },
    // A device resending the same event never makes a second ticket.
    { idempotencyKey: `sensor:${body.deviceId}:${body.eventId}` },
  );
  return { ticket: { id: r.ticket.id, number: r.ticket.number, status: r.ticket.status }, replayed: r.replayed };
}
