/**
 * The life of a 民生微实事 proposal in one table the compiler checks. A proposal's status is the
 * fold of its append-only events (`foldProposal`); which acts each status allows comes from
 * `ACTS_BY_STATUS`, narrowed only by the vote-round guard in `allowedActs`.
 *
 *   submitted ──accept──▶ accepted ──startDesign──▶ design ──startConstruction──▶ construction ──completeAcceptance──▶ completed
 *       │  └──merge──▶ merged          │ ▲                                                            (验收)
 *       └──reject──▶ rejected          │ └─selectByVote (stays accepted, chosen to be built)
 *                                      ├─enterRound (in a vote round: no startDesign until the tally)
 *                                      └─dropByVote──▶ not_selected ──accept──▶ accepted (a later round)
 *
 * `link` (budget line, 民生实事 item) changes no status and is allowed from acceptance until the
 * work is accepted. Every stage carries the date it happened (a local day), never before the
 * previous stage's date.
 */

export const STATUSES = ['submitted', 'accepted', 'merged', 'rejected', 'design', 'construction', 'completed', 'not_selected'] as const;
export type ProposalStatus = (typeof STATUSES)[number];

export const ACTS = ['accept', 'merge', 'reject', 'enterRound', 'selectByVote', 'dropByVote', 'startDesign', 'startConstruction', 'completeAcceptance', 'link'] as const;
export type ProposalAct = (typeof ACTS)[number];

/** Acts the subdistrict takes by hand (the vote acts are taken by the round itself). */
export const STAFF_ACTS = ['accept', 'merge', 'reject', 'startDesign', 'startConstruction', 'completeAcceptance', 'link'] as const satisfies readonly ProposalAct[];
export type StaffAct = (typeof STAFF_ACTS)[number];

export const ACTS_BY_STATUS = {
  submitted: ['accept', 'merge', 'reject'],
  accepted: ['enterRound', 'selectByVote', 'dropByVote', 'startDesign', 'link'],
  design: ['startConstruction', 'link'],
  construction: ['completeAcceptance', 'link'],
  completed: [],
  merged: [],
  rejected: [],
  not_selected: ['accept'],
} as const satisfies Record<ProposalStatus, readonly ProposalAct[]>;

/** The events of the log; `date` is the local day (Asia/Shanghai) the stage happened. */
export type ProposalEventData =
  | { kind: 'submitted' }
  | { kind: 'accepted'; reason: string; date: string; costFen: number }
  | { kind: 'merged'; reason: string; date: string; into: string; intoNumber: string }
  | { kind: 'rejected'; reason: string; date: string }
  | { kind: 'entered_round'; roundId: string }
  | { kind: 'selected_by_vote'; roundId: string; votes: number }
  | { kind: 'dropped_by_vote'; roundId: string; votes: number }
  | { kind: 'design_started'; date: string; note: string }
  | { kind: 'construction_started'; date: string; note: string }
  | { kind: 'completed'; date: string; note: string }
  | { kind: 'linked'; budgetLine: string | null; projectItemId: string | null; projectItemTitle: string | null };

export type ProposalEvent = ProposalEventData & { at: string; actorId: string | null };

export const EVENT_OF_ACT = {
  accept: 'accepted',
  merge: 'merged',
  reject: 'rejected',
  enterRound: 'entered_round',
  selectByVote: 'selected_by_vote',
  dropByVote: 'dropped_by_vote',
  startDesign: 'design_started',
  startConstruction: 'construction_started',
  completeAcceptance: 'completed',
  link: 'linked',
} as const satisfies Record<ProposalAct, Exclude<ProposalEventData['kind'], 'submitted'>>;

export interface ProposalState {
  status: ProposalStatus;
  /** the vote round the proposal is in, until the round is tallied */
  roundId: string | null;
  /** chosen by a vote round to be built */
  selectedByRound: string | null;
  /** the date of the last dated stage: the next one may not be earlier */
  lastStageDate: string | null;
  reason: string | null;
  mergedInto: string | null;
  budgetLine: string | null;
  projectItemId: string | null;
  /** the budgeted cost set at acceptance (else the estimate stands) */
  costFen: number | null;
  acceptedOn: string | null;
  designOn: string | null;
  constructionOn: string | null;
  completedOn: string | null;
}

export const INITIAL_STATE: ProposalState = {
  status: 'submitted',
  roundId: null,
  selectedByRound: null,
  lastStageDate: null,
  reason: null,
  mergedInto: null,
  budgetLine: null,
  projectItemId: null,
  costFen: null,
  acceptedOn: null,
  designOn: null,
  constructionOn: null,
  completedOn: null,
};

export function applyEvent(s: ProposalState, e: ProposalEvent): ProposalState {
  switch (e.kind) {
    case 'submitted':
      return { ...s, status: 'submitted' };
    case 'accepted':
      return { ...s, status: 'accepted', reason: e.reason, lastStageDate: e.date, acceptedOn: e.date, costFen: e.costFen, selectedByRound: null };
    case 'merged':
      return { ...s, status: 'merged', reason: e.reason, lastStageDate: e.date, mergedInto: e.into };
    case 'rejected':
      return { ...s, status: 'rejected', reason: e.reason, lastStageDate: e.date };
    case 'entered_round':
      return { ...s, roundId: e.roundId };
    case 'selected_by_vote':
      return { ...s, roundId: null, selectedByRound: e.roundId };
    case 'dropped_by_vote':
      return { ...s, status: 'not_selected', roundId: null };
    case 'design_started':
      return { ...s, status: 'design', lastStageDate: e.date, designOn: e.date };
    case 'construction_started':
      return { ...s, status: 'construction', lastStageDate: e.date, constructionOn: e.date };
    case 'completed':
      return { ...s, status: 'completed', lastStageDate: e.date, completedOn: e.date };
    case 'linked':
      return { ...s, budgetLine: e.budgetLine, projectItemId: e.projectItemId };
  }
}

export function foldProposal(events: readonly ProposalEvent[]): ProposalState {
  return events.reduce(applyEvent, INITIAL_STATE);
}

/**
 * The acts allowed now: the table, narrowed by the vote round. While a proposal is in an open
 * round it waits for the tally (no design, no second round); only the tally may select or drop
 * it, and only then.
 */
export function allowedActs(s: ProposalState): readonly ProposalAct[] {
  const acts = ACTS_BY_STATUS[s.status] as readonly ProposalAct[];
  if (s.status !== 'accepted') return acts;
  return s.roundId
    ? acts.filter((a) => a !== 'startDesign' && a !== 'enterRound')
    : acts.filter((a) => a !== 'selectByVote' && a !== 'dropByVote');
}

export type Decision = { ok: true } | { ok: false; allowed: readonly ProposalAct[] };

export function decide(s: ProposalState, act: ProposalAct): Decision {
  const allowed = allowedActs(s);
  return allowed.includes(act) ? { ok: true } : { ok: false, allowed };
}

/** A stage's date may not be before the previous stage's, nor after today (local days, YYYY-MM-DD). */
export function checkStageDate(s: ProposalState, date: string, today: string): { ok: true } | { ok: false; reason: 'future' | 'before_previous'; previous: string | null } {
  if (date > today) return { ok: false, reason: 'future', previous: s.lastStageDate };
  if (s.lastStageDate && date < s.lastStageDate) return { ok: false, reason: 'before_previous', previous: s.lastStageDate };
  return { ok: true };
}

/** Supports are collected until work starts. */
export function canBeSupported(status: ProposalStatus): boolean {
  return status === 'submitted' || status === 'accepted';
}

/** URL segment of each staff act: POST /api/v1/micro/proposals/:id/<segment>. */
export const ACT_SEGMENTS = {
  accept: 'accept',
  merge: 'merge',
  reject: 'reject',
  startDesign: 'start-design',
  startConstruction: 'start-construction',
  completeAcceptance: 'complete-acceptance',
  link: 'link',
} as const satisfies Record<StaffAct, string>;

export const ACT_NAMES: Record<ProposalAct, { zh: string; en: string }> = {
  accept: { zh: '采纳', en: 'accept' },
  merge: { zh: '合并', en: 'merge' },
  reject: { zh: '不予采纳', en: 'reject' },
  enterRound: { zh: '纳入票决', en: 'enter a vote round' },
  selectByVote: { zh: '票决入选', en: 'select by vote' },
  dropByVote: { zh: '票决未入选', en: 'drop by vote' },
  startDesign: { zh: '进入设计', en: 'start design' },
  startConstruction: { zh: '开始施工', en: 'start construction' },
  completeAcceptance: { zh: '验收完成', en: 'complete acceptance' },
  link: { zh: '关联预算与实事项目', en: 'link a budget line and project item' },
};

export const STATUS_NAMES: Record<ProposalStatus, { zh: string; en: string }> = {
  submitted: { zh: '筛选中', en: 'being screened' },
  accepted: { zh: '已采纳', en: 'accepted' },
  merged: { zh: '已合并', en: 'merged' },
  rejected: { zh: '未采纳', en: 'rejected' },
  design: { zh: '设计中', en: 'in design' },
  construction: { zh: '施工中', en: 'under construction' },
  completed: { zh: '已验收', en: 'accepted on completion' },
  not_selected: { zh: '票决未入选', en: 'not selected by vote' },
};

/** Event kinds the residents are told about (and see on the public page). */
export const NOTIFIED_KINDS = ['accepted', 'merged', 'rejected', 'selected_by_vote', 'dropped_by_vote', 'design_started', 'construction_started', 'completed'] as const;
export type NotifiedKind = (typeof NOTIFIED_KINDS)[number];

export function isNotified(kind: ProposalEventData['kind']): kind is NotifiedKind {
  return (NOTIFIED_KINDS as readonly string[]).includes(kind);
}

/** The text of the message sent to proposers and supporters for an event. */
export function noticeText(kind: NotifiedKind, p: { number: string; title: string }, e: { reason?: string; date?: string; intoNumber?: string }): string {
  const head = `【民生微实事】您关注的“${p.title.slice(0, 20)}”（${p.number}）`;
  switch (kind) {
    case 'accepted':
      return `${head}已被街道采纳：${e.reason ?? ''}`;
    case 'merged':
      return `${head}已并入 ${e.intoNumber ?? ''} 一并实施：${e.reason ?? ''}`;
    case 'rejected':
      return `${head}未被采纳：${e.reason ?? ''}`;
    case 'selected_by_vote':
      return `${head}在居民票决中入选，将组织实施。`;
    case 'dropped_by_vote':
      return `${head}在本轮票决中未入选。`;
    case 'design_started':
      return `${head}已于 ${e.date ?? ''} 进入设计阶段。`;
    case 'construction_started':
      return `${head}已于 ${e.date ?? ''} 开工建设。`;
    case 'completed':
      return `${head}已于 ${e.date ?? ''} 通过验收，感谢您的参与！`;
  }
}
