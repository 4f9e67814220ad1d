/**
 * The whole closed loop of a ticket (诉求) in one table the compiler checks. Status is never
 * stored as truth: it is the fold of the ticket's append-only events (`foldTicket`), and the
 * allowed acts in each status come from `ACTS_BY_STATUS`. docs/TICKET-LIFECYCLE.md says the
 * same in words.
 */

export const TICKET_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const CHANNELS = ['hotline', 'web', 'qr', 'grid_patrol', 'sensor', 'supervision', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const RESOLUTIONS = ['resolved', 'partially_resolved', 'unresolved', 'not_government'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'] as const;
export type Rating = (typeof RATINGS)[number];

export const STATUSES = ['received', 'dispatched', 'in_progress', 'extension_pending', 'returned', 'replied', 'closed', 'merged'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const ACTS = [
  'dispatch',
  'answerDirectly',
  'accept',
  'return',
  'requestExtension',
  'decideExtension',
  'reply',
  'followUp',
  'reopen',
  'urge',
  'supervise',
  'merge',
  'callUnits',
  'reportToCall',
] as const;
export type TicketAct = (typeof ACTS)[number];

const SUPERVISION = ['urge', 'supervise'] as const;

/** Which acts each status allows. */
export const ACTS_BY_STATUS = {
  received: ['dispatch', 'answerDirectly', 'merge'],
  returned: ['dispatch', 'answerDirectly', 'merge'],
  dispatched: ['accept', 'return', 'callUnits', 'reportToCall', ...SUPERVISION],
  in_progress: ['reply', 'requestExtension', 'return', 'callUnits', 'reportToCall', ...SUPERVISION],
  extension_pending: ['decideExtension', 'reportToCall', ...SUPERVISION],
  replied: ['followUp'],
  closed: ['reopen'],
  merged: [],
} as const satisfies Record<TicketStatus, readonly TicketAct[]>;

export function allowedActs(status: TicketStatus): readonly TicketAct[] {
  return ACTS_BY_STATUS[status];
}

export function isOpen(status: TicketStatus): boolean {
  return status !== 'closed' && status !== 'merged';
}

/** A handling unit: a department (城管) or a subdistrict (街道) as 属地 unit. */
export type UnitKey = `department:${string}` | `subdistrict:${string}`;

/** The events of the log. Every event carries `at`; deadlines are computed by the service. */
export type TicketEventData =
  | { kind: 'received'; dueAt: string | null }
  | { kind: 'dispatched'; leadUnit: UnitKey; assistingUnits: UnitKey[]; acceptDueAt: string; dueAt: string; note?: string; auto?: boolean }
  | { kind: 'answered_directly'; answer: string; resolution: Resolution }
  | { kind: 'accepted'; unit: UnitKey }
  | { kind: 'returned'; unit: UnitKey; reason: string }
  | { kind: 'extension_requested'; unit: UnitKey; reason: string; workingDays: number }
  | { kind: 'extension_decided'; approved: boolean; note?: string; dueAt: string }
  | { kind: 'replied'; unit: UnitKey; reply: string; resolution: Resolution; viaMergeOf?: string }
  | { kind: 'followed_up'; rating: Rating; note?: string }
  | { kind: 'reopened'; reason: string; dueAt: string; acceptDueAt: string }
  | { kind: 'urged'; note: string; level: 'unit' | 'supervisor' | 'district'; automatic?: boolean }
  | { kind: 'supervised'; note: string }
  | { kind: 'merged'; into: string }
  | { kind: 'merge_absorbed'; ticketId: string }
  | { kind: 'units_called'; units: UnitKey[]; reportDueAt: string; note: string }
  | { kind: 'call_reported'; unit: UnitKey; role: 'lead' | 'assisting'; late: boolean };

export type TicketEvent = TicketEventData & { at: string; actorId: string | null };

/** The projection of a ticket's events: what every view and statistic reads. */
export interface TicketState {
  status: TicketStatus;
  leadUnit: UnitKey | null;
  assistingUnits: UnitKey[];
  dueAt: string | null;
  acceptDueAt: string | null;
  acceptedAt: string | null;
  repliedAt: string | null;
  closedAt: string | null;
  resolution: Resolution | null;
  rating: Rating | null;
  returns: number;
  reopens: number;
  urges: number;
  mergedInto: string | null;
  /** While an extension or a re-dispatch is pending the clock is paused since this instant. */
  pausedSince: string | null;
  calledUnits: { unit: UnitKey; reportDueAt: string; reportedAt: string | null; late: boolean | null }[];
}

export const INITIAL_STATE: TicketState = {
  status: 'received',
  leadUnit: null,
  assistingUnits: [],
  dueAt: null,
  acceptDueAt: null,
  acceptedAt: null,
  repliedAt: null,
  closedAt: null,
  resolution: null,
  rating: null,
  returns: 0,
  reopens: 0,
  urges: 0,
  mergedInto: null,
  pausedSince: null,
  calledUnits: [],
};

export function applyEvent(s: TicketState, e: TicketEvent): TicketState {
  switch (e.kind) {
    case 'received':
      return { ...s, status: 'received', dueAt: e.dueAt };
    case 'dispatched':
      return { ...s, status: 'dispatched', leadUnit: e.leadUnit, assistingUnits: e.assistingUnits, dueAt: e.dueAt, acceptDueAt: e.acceptDueAt, acceptedAt: null, pausedSince: null };
    case 'answered_directly':
      return { ...s, status: 'closed', resolution: e.resolution, repliedAt: e.at, closedAt: e.at };
    case 'accepted':
      return { ...s, status: 'in_progress', acceptedAt: e.at };
    case 'returned':
      return { ...s, status: 'returned', returns: s.returns + 1, pausedSince: e.at };
    case 'extension_requested':
      return { ...s, status: 'extension_pending', pausedSince: e.at };
    case 'extension_decided':
      return { ...s, status: 'in_progress', dueAt: e.dueAt, pausedSince: null };
    case 'replied':
      return { ...s, status: 'replied', resolution: e.resolution, repliedAt: e.at };
    case 'followed_up':
      return { ...s, status: 'closed', rating: e.rating, closedAt: e.at };
    case 'reopened':
      return { ...s, status: 'dispatched', reopens: s.reopens + 1, dueAt: e.dueAt, acceptDueAt: e.acceptDueAt, acceptedAt: null, rating: null, resolution: null, closedAt: null, repliedAt: null };
    case 'urged':
      return { ...s, urges: s.urges + 1 };
    case 'supervised':
    case 'merge_absorbed':
      return s;
    case 'merged':
      return { ...s, status: 'merged', mergedInto: e.into, closedAt: e.at };
    case 'units_called':
      return { ...s, calledUnits: [...s.calledUnits, ...e.units.map((unit) => ({ unit, reportDueAt: e.reportDueAt, reportedAt: null, late: null }))] };
    case 'call_reported': {
      const calledUnits = s.calledUnits.map((c) => (c.unit === e.unit && c.reportedAt === null ? { ...c, reportedAt: e.at, late: e.late } : c));
      const lead = e.role === 'lead' ? e.unit : s.leadUnit;
      const assisting = e.role === 'assisting' && !s.assistingUnits.includes(e.unit) ? [...s.assistingUnits, e.unit] : s.assistingUnits;
      return { ...s, calledUnits, leadUnit: lead, assistingUnits: assisting.filter((u) => u !== lead) };
    }
  }
}

export function foldTicket(events: readonly TicketEvent[]): TicketState {
  return events.reduce(applyEvent, INITIAL_STATE);
}

/** The status an act leads to is implied by the event it writes; this checks it may happen at all. */
export type Decision = { ok: true } | { ok: false; allowed: readonly TicketAct[] };

export function decide(state: TicketState, act: TicketAct): Decision {
  // 重办 follows only a 不满意 follow-up.
  const allowed = allowedActs(state.status).filter((a) => a !== 'reopen' || state.rating === 'dissatisfied');
  return (allowed as readonly string[]).includes(act) ? { ok: true } : { ok: false, allowed };
}

/** Which event kinds each act may write: the property test checks random logs stay inside this. */
export const EVENT_OF_ACT = {
  dispatch: 'dispatched',
  answerDirectly: 'answered_directly',
  accept: 'accepted',
  return: 'returned',
  requestExtension: 'extension_requested',
  decideExtension: 'extension_decided',
  reply: 'replied',
  followUp: 'followed_up',
  reopen: 'reopened',
  urge: 'urged',
  supervise: 'supervised',
  merge: 'merged',
  callUnits: 'units_called',
  reportToCall: 'call_reported',
} as const satisfies Record<TicketAct, TicketEventData['kind']>;

/** URL segment of each act: POST /api/v1/tickets/:id/<segment> (the server and the web app share it). */
export const ACT_SEGMENTS = {
  dispatch: 'dispatch',
  answerDirectly: 'answer-directly',
  accept: 'accept',
  return: 'return',
  requestExtension: 'extension-request',
  decideExtension: 'extension-decision',
  reply: 'reply',
  followUp: 'follow-up',
  reopen: 'reopen',
  urge: 'urge',
  supervise: 'supervise',
  merge: 'merge',
  callUnits: 'call-units',
  reportToCall: 'call-report',
} as const satisfies Record<TicketAct, string>;

export const ACT_NAMES: Record<TicketAct, { zh: string; en: string }> = {
  dispatch: { zh: '派单', en: 'dispatch' },
  answerDirectly: { zh: '直办', en: 'answer directly' },
  accept: { zh: '签收', en: 'accept' },
  return: { zh: '退单', en: 'return' },
  requestExtension: { zh: '申请延期', en: 'request an extension' },
  decideExtension: { zh: '审批延期', en: 'decide the extension' },
  reply: { zh: '答复', en: 'reply' },
  followUp: { zh: '回访', en: 'follow up' },
  reopen: { zh: '重办', en: 'reopen' },
  urge: { zh: '催办', en: 'urge' },
  supervise: { zh: '督办', en: 'supervise' },
  merge: { zh: '并单', en: 'merge' },
  callUnits: { zh: '吹哨', en: 'call units' },
  reportToCall: { zh: '报到', en: 'report to a call' },
};

export const STATUS_NAMES: Record<TicketStatus, { zh: string; en: string }> = {
  received: { zh: '已受理', en: 'received' },
  dispatched: { zh: '已派单', en: 'dispatched' },
  in_progress: { zh: '办理中', en: 'in progress' },
  extension_pending: { zh: '延期审批中', en: 'extension pending' },
  returned: { zh: '已退单', en: 'returned' },
  replied: { zh: '已答复', en: 'replied' },
  closed: { zh: '已办结', en: 'closed' },
  merged: { zh: '已并单', en: 'merged' },
};
