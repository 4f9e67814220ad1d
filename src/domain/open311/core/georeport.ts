/**
 * GeoReport v2 rules that need no database (pure): the XML mapping of every document, dates in
 * the spec's W3C/ISO 8601 form with the +08:00 offset, the open/closed status and the extended
 * update statuses, how a submission becomes a ticket, and the scrubbing of personal data from
 * free text before it leaves through this public API.
 */
import type { XmlMapping } from './xml';

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
/** When this API last changed (discovery `changeset`); bump it with any change to the contract. */
export const CHANGESET = '2026-11-01T00:00:00+08:00';
export const FORMATS = { xml: 'text/xml', json: 'application/json' } as const;
export type Format = keyof typeof FORMATS;

/** Root element of each document. */
export const ROOTS = {
  discovery: 'discovery',
  services: 'services',
  serviceDefinition: 'service_definition',
  requests: 'service_requests',
  updates: 'service_requests_updates',
  errors: 'errors',
} as const;

/** One table for both directions of the XML ↔ JSON mapping (see xml.ts). */
export const XML_MAPPING: XmlMapping = {
  lists: {
    services: 'service',
    service_requests: 'request',
    service_requests_updates: 'request_update',
    errors: 'error',
    endpoints: 'endpoint',
    formats: 'format',
    attributes: 'attribute',
    values: 'value',
  },
  numbers: new Set(['request.lat', 'request.long', 'error.code', 'attribute.order']),
  booleans: new Set(['service.metadata', 'attribute.variable', 'attribute.required']),
};

// ---- time ---------------------------------------------------------------------------------------

const SHANGHAI_MS = 8 * 3_600_000;

/** `2026-11-23T09:00:00+08:00`: the spec's W3C profile of ISO 8601, in China Standard Time. */
export function shanghaiIso(d: Date): string {
  return `${new Date(d.getTime() + SHANGHAI_MS).toISOString().slice(0, 19)}+08:00`;
}

const DATE_ARG = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A `start_date` / `end_date` argument: a W3C datetime with or without seconds and offset, or a
 * bare date. Without an offset it is read as Shanghai time. Null when it is not a real instant.
 */
export function parseDateArg(raw: string): Date | null {
  const m = DATE_ARG.exec(raw.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', zone] = m;
  const offset = !zone ? '+08:00' : zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const frac = /\.(\d{1,3})\d*/.exec(raw)?.[1] ?? '0';
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${sec}.${frac.padEnd(3, '0')}${offset}`;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return null;
  // Date.parse rolls 2026-02-30 over to March: reject dates that do not exist.
  const local = new Date(t + (offset === 'Z' ? 0 : (offset[0] === '-' ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6))) * 60_000));
  if (local.getUTCFullYear() !== Number(y) || local.getUTCMonth() + 1 !== Number(mo) || local.getUTCDate() !== Number(d)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) return null;
  return new Date(t);
}

export const DAY_MS = 24 * 3_600_000;
/** The spec's default and largest window for GET requests and updates. */
export const MAX_WINDOW_MS = 90 * DAY_MS;
export const MAX_ITEMS = 1000;

/**
 * The requested_datetime window. Neither bound: the last 90 days. One bound: 90 days from or to
 * it. Both: as given, at most 90 days. An inverted or too wide range is an error.
 */
export function dateWindow(now: Date, start: Date | null, end: Date | null): { from: Date; to: Date } | { error: string } {
  if (start && end) {
    if (end.getTime() < start.getTime()) return { error: 'end_date is before start_date' };
    if (end.getTime() - start.getTime() > MAX_WINDOW_MS) return { error: 'start_date to end_date spans more than 90 days' };
    return { from: start, to: end };
  }
  if (start) return { from: start, to: new Date(start.getTime() + MAX_WINDOW_MS) };
  if (end) return { from: new Date(end.getTime() - MAX_WINDOW_MS), to: end };
  return { from: new Date(now.getTime() - MAX_WINDOW_MS), to: now };
}

// ---- status -------------------------------------------------------------------------------------

/** GeoReport v2 knows two states: merged (并单) and closed (办结) tickets are closed, all else open. */
export function openClosed(ticketStatus: string): 'open' | 'closed' {
  return ticketStatus === 'closed' || ticketStatus === 'merged' ? 'closed' : 'open';
}

/** The ticket events published as `request_update`s (servicerequestupdates extension). */
export const PUBLIC_UPDATE_KINDS = ['dispatched', 'accepted', 'replied', 'answered_directly', 'followed_up', 'reopened', 'merged'] as const;
export type PublicUpdateKind = (typeof PUBLIC_UPDATE_KINDS)[number];

const RESOLUTION_STATUS: Record<string, string> = {
  resolved: 'FIXED',
  partially_resolved: 'IN_PROGRESS',
  unresolved: 'NO_FURTHER_ACTION',
  not_government: 'NOT_COUNCILS_RESPONSIBILITY',
};

/** The extended status of an update, in the vocabulary FixMyStreet's Open311 client maps. */
export function updateStatus(kind: PublicUpdateKind, data: Record<string, unknown>): string {
  switch (kind) {
    case 'dispatched':
      return 'ACTION_SCHEDULED';
    case 'accepted':
      return 'IN_PROGRESS';
    case 'replied':
      return RESOLUTION_STATUS[String(data.resolution)] ?? 'IN_PROGRESS';
    case 'answered_directly':
      return data.resolution === 'not_government' ? 'NOT_COUNCILS_RESPONSIBILITY' : 'CLOSED';
    case 'followed_up':
      return 'CLOSED';
    case 'reopened':
      return 'INVESTIGATING';
    case 'merged':
      return 'DUPLICATE';
  }
}

/** The public words of an update. Follow-up notes and reopen reasons stay internal. */
export function updateDescription(kind: PublicUpdateKind, data: Record<string, unknown>, unitName: (unit: string) => string | null): string {
  switch (kind) {
    case 'dispatched': {
      const unit = typeof data.leadUnit === 'string' ? unitName(data.leadUnit) : null;
      return unit ? `已派单至${unit}办理` : '已派单办理';
    }
    case 'accepted':
      return '承办单位已签收，正在办理';
    case 'replied':
      return redactPersonal(String(data.reply ?? ''));
    case 'answered_directly':
      return redactPersonal(String(data.answer ?? ''));
    case 'followed_up':
      return '已回访，诉求办结';
    case 'reopened':
      return '回访不满意，已重新交办';
    case 'merged':
      return '与另一件相同诉求合并办理';
  }
}

// ---- intake -------------------------------------------------------------------------------------

export type IntakeType = 'consultation' | 'help' | 'complaint';

/**
 * A resident's report is a complaint (投诉) unless its category says otherwise: an enquiry
 * category (名称含"咨询") is a consultation, a civil-affairs service (民政: 养老, 救助) a request
 * for help.
 */
export function ticketTypeFor(category: { code: string; name: string }): IntakeType {
  if (category.name.includes('咨询')) return 'consultation';
  if (category.code === 'civil' || category.code.startsWith('civil.')) return 'help';
  return 'complaint';
}

/** The first 30 characters (code points) of the description, on one line. */
export function titleFrom(description: string): string {
  return [...description.replace(/\s+/g, ' ').trim()].slice(0, 30).join('').trimEnd();
}

const CJK = /[\u3400-\u9fff]/;

/** 姓 + 名 for Chinese names, "first last" otherwise. */
export function requesterName(first: string | undefined, last: string | undefined): string | undefined {
  const f = first?.trim() ?? '';
  const l = last?.trim() ?? '';
  if (!f && !l) return undefined;
  const name = CJK.test(f + l) ? `${l}${f}` : [f, l].filter(Boolean).join(' ');
  return [...name].slice(0, 50).join('');
}

/**
 * Free text leaves this public API without the personal data residents tend to type into it:
 * mobile and landline numbers, 18-digit ID numbers and e-mail addresses are masked.
 */
export function redactPersonal(text: string): string {
  return text
    .replace(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g, (m) => `${m.slice(0, 3)}${'*'.repeat(15)}`)
    .replace(/(?<!\d)(\+?86[- ]?)?(1\d{2})[- ]?(\d{4})[- ]?(\d{4})(?!\d)/g, (_m, cc: string | undefined, a: string, _b: string, c: string) => `${cc ?? ''}${a}****${c}`)
    .replace(/(?<!\d)(0\d{2,3})-?(\d{3,4})(\d{4})(?!\d)/g, (_m, area: string, mid: string, last: string) => `${area}-${'*'.repeat(mid.length)}${last}`)
    .replace(/([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g, '$1***@$2');
}

/** A comma list argument: trimmed, empty items dropped, duplicates removed. */
export function commaList(raw: string): string[] {
  return [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
}
