/**
 * 民生实事 progress and status, pure. Nothing here is stored: an item's progress and status
 * are derived from its targets, milestones, sub-items and the reports that count (not
 * returned) up to a reference date. The rules are written out in docs/PROJECT-STATUS.md;
 * this file is their only implementation (the web page, the summary, the CLI and the
 * exports all call it).
 */

export const PROGRESS_RULES = ['targets', 'children', 'stage'] as const;
export type ProgressRule = (typeof PROGRESS_RULES)[number];

export const TARGET_KINDS = ['count', 'quantity', 'percent'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Stages of work and their default progress (Decidim's "status with a default %"). */
export const STAGES = ['preparing', 'tendering', 'constructing', 'accepting', 'done'] as const;
export type Stage = (typeof STAGES)[number];
export const STAGE_PROGRESS = {
  preparing: 10,
  tendering: 25,
  constructing: 50,
  accepting: 90,
  done: 100,
} as const satisfies Record<Stage, number>;

export const STATUSES = ['completed', 'on_track', 'at_risk', 'delayed', 'not_started'] as const;
export type ProjectStatus = (typeof STATUSES)[number];

export const STATUS_NAMES = {
  completed: { zh: '已完成', en: 'Completed' },
  on_track: { zh: '有序推进', en: 'On track' },
  at_risk: { zh: '存在风险', en: 'At risk' },
  delayed: { zh: '滞后', en: 'Delayed' },
  not_started: { zh: '未开始', en: 'Not started' },
} as const satisfies Record<ProjectStatus, { zh: string; en: string }>;

export const STAGE_NAMES = {
  preparing: { zh: '前期准备', en: 'Preparing' },
  tendering: { zh: '招标采购', en: 'Tendering' },
  constructing: { zh: '实施建设', en: 'Under way' },
  accepting: { zh: '竣工验收', en: 'Acceptance' },
  done: { zh: '已完成', en: 'Done' },
} as const satisfies Record<Stage, { zh: string; en: string }>;

/** A day as 'YYYY-MM-DD' (Asia/Shanghai calendar day); compared as strings. */
export type Day = string;

/** Lag thresholds of the status rules (percentage points behind the elapsed share of time). */
export const AT_RISK_LAG_POINTS = 15;
export const DELAYED_LAG_POINTS = 35;
/** A milestone missed by more than this many days makes an item delayed. */
export const MILESTONE_GRACE_DAYS = 30;

export interface TargetInput {
  id: string;
  kind: TargetKind;
  baseline: number;
  target: number;
  weight: number;
}

export interface MilestoneInput {
  id: string;
  plannedOn: Day;
}

export interface ReportInput {
  id: string;
  asOf: Day;
  /** Insertion order among reports of the same day: a later one wins. */
  createdAt: string;
  returned: boolean;
  stage: Stage | null;
  values: readonly { targetId: string; value: number }[];
  milestones: readonly { milestoneId: string; achievedOn: Day }[];
}

export interface ItemInput {
  id: string;
  rule: ProgressRule;
  weight: number;
  plannedStart: Day;
  plannedEnd: Day;
  closedOn: Day | null;
  targets: readonly TargetInput[];
  milestones: readonly MilestoneInput[];
  reports: readonly ReportInput[];
  children: readonly ItemInput[];
}

export interface TargetState {
  id: string;
  current: number | null;
  /** 0–100, the share of the way from baseline to target, clamped. */
  progress: number;
}

export interface MilestoneState {
  id: string;
  plannedOn: Day;
  achievedOn: Day | null;
  overdueDays: number;
}

export interface Derived {
  id: string;
  progress: number;
  status: ProjectStatus;
  /** Which rule fired, for the tooltip and the docs (e.g. 'delayed:past_end'). */
  reason: string;
  expected: number;
  stage: Stage | null;
  lastReportOn: Day | null;
  targets: TargetState[];
  milestones: MilestoneState[];
  children: Derived[];
}

const clamp = (x: number, lo: number, hi: number) => (Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo);

/** Days between two calendar days (b − a), timezone-free. */
export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** How far a value lies from baseline to target, 0–100 (works for decreasing targets too). */
export function targetProgress(t: Pick<TargetInput, 'baseline' | 'target'>, current: number | null): number {
  if (current === null || t.target === t.baseline) return 0;
  return clamp(((current - t.baseline) / (t.target - t.baseline)) * 100, 0, 100);
}

/** The reports that count at `on`: not returned and dated on or before it, oldest first. */
export function countingReports(reports: readonly ReportInput[], on: Day): ReportInput[] {
  return reports
    .filter((r) => !r.returned && r.asOf <= on)
    .slice()
    .sort((a, b) => (a.asOf === b.asOf ? (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0) : a.asOf < b.asOf ? -1 : 1));
}

/** Weighted mean of progress values; equal weights when every weight is zero. Always 0–100. */
export function rollUp(parts: readonly { progress: number; weight: number }[]): number {
  if (parts.length === 0) return 0;
  const total = parts.reduce((s, p) => s + Math.max(0, p.weight), 0);
  const mean =
    total > 0
      ? parts.reduce((s, p) => s + clamp(p.progress, 0, 100) * Math.max(0, p.weight), 0) / total
      : parts.reduce((s, p) => s + clamp(p.progress, 0, 100), 0) / parts.length;
  return clamp(mean, 0, 100);
}

/** The share of the planned period elapsed at `on`, 0–100. */
export function expectedProgress(start: Day, end: Day, on: Day): number {
  if (on < start) return 0;
  if (on >= end) return 100;
  const span = daysBetween(start, end);
  return span <= 0 ? 100 : clamp((daysBetween(start, on) / span) * 100, 0, 100);
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The status rules, first match wins (so every input yields exactly one status):
 *  1. completed    — progress is 100 %.
 *  2. not_started  — the reference date is before the planned start and nothing is reported.
 *  3. delayed      — past the planned end; or a milestone missed by more than 30 days; or
 *                    progress behind the elapsed share of time by more than 35 points.
 *  4. at_risk      — a milestone missed (up to 30 days); or progress behind the elapsed
 *                    share of time by more than 15 points; or the item was closed unfinished.
 *  5. on_track     — everything else.
 */
export function decideStatus(s: {
  progress: number;
  expected: number;
  on: Day;
  plannedStart: Day;
  plannedEnd: Day;
  hasReports: boolean;
  closed: boolean;
  milestones: readonly MilestoneState[];
}): { status: ProjectStatus; reason: string } {
  const maxOverdue = s.milestones.reduce((m, x) => Math.max(m, x.overdueDays), 0);
  const lag = s.expected - s.progress;
  if (s.progress >= 100) return { status: 'completed', reason: 'completed:progress_100' };
  if (s.on < s.plannedStart && !s.hasReports && s.progress <= 0) return { status: 'not_started', reason: 'not_started:before_start' };
  if (s.on > s.plannedEnd) return { status: 'delayed', reason: 'delayed:past_end' };
  if (maxOverdue > MILESTONE_GRACE_DAYS) return { status: 'delayed', reason: 'delayed:milestone_missed' };
  if (lag > DELAYED_LAG_POINTS) return { status: 'delayed', reason: 'delayed:behind_schedule' };
  if (s.closed) return { status: 'at_risk', reason: 'at_risk:closed_unfinished' };
  if (maxOverdue > 0) return { status: 'at_risk', reason: 'at_risk:milestone_overdue' };
  if (lag > AT_RISK_LAG_POINTS) return { status: 'at_risk', reason: 'at_risk:behind_schedule' };
  return { status: 'on_track', reason: 'on_track' };
}

/** Derives one item (and its sub-items) at the reference date `on`. */
export function deriveItem(item: ItemInput, on: Day): Derived {
  const reports = countingReports(item.reports, on);
  const children = item.children.map((c) => deriveItem(c, on));

  const current = new Map<string, number>();
  const achieved = new Map<string, Day>();
  let stage: Stage | null = null;
  for (const r of reports) {
    for (const v of r.values) current.set(v.targetId, v.value);
    for (const m of r.milestones) if (m.achievedOn <= on) achieved.set(m.milestoneId, m.achievedOn);
    if (r.stage) stage = r.stage;
  }
  const targets: TargetState[] = item.targets.map((t) => {
    const c = current.get(t.id) ?? null;
    return { id: t.id, current: c, progress: round1(targetProgress(t, c)) };
  });
  const milestones: MilestoneState[] = item.milestones.map((m) => {
    const a = achieved.get(m.id) ?? null;
    const overdueDays = a === null && m.plannedOn < on ? daysBetween(m.plannedOn, on) : 0;
    return { id: m.id, plannedOn: m.plannedOn, achievedOn: a, overdueDays };
  });

  let progress: number;
  if (item.rule === 'targets') {
    progress = rollUp(item.targets.map((t) => ({ progress: targetProgress(t, current.get(t.id) ?? null), weight: t.weight })));
  } else if (item.rule === 'children') {
    progress = rollUp(children.map((c, i) => ({ progress: c.progress, weight: item.children[i]!.weight })));
  } else {
    progress = stage ? STAGE_PROGRESS[stage] : 0;
  }
  progress = round1(clamp(progress, 0, 100));
  const expected = round1(expectedProgress(item.plannedStart, item.plannedEnd, on));
  const closed = item.closedOn !== null && item.closedOn <= on;
  const { status, reason } = decideStatus({
    progress,
    expected,
    on,
    plannedStart: item.plannedStart,
    plannedEnd: item.plannedEnd,
    hasReports: reports.length > 0 || children.some((c) => c.lastReportOn !== null),
    closed,
    milestones,
  });
  const lastOwn = reports.length > 0 ? reports[reports.length - 1]!.asOf : null;
  const lastReportOn = [lastOwn, ...children.map((c) => c.lastReportOn)].reduce<Day | null>((m, d) => (d && (!m || d > m) ? d : m), null);
  return { id: item.id, progress, status, reason, expected, stage, lastReportOn, targets, milestones, children };
}

/** Every derived node, depth first. */
export function flatten(d: Derived): Derived[] {
  return [d, ...d.children.flatMap(flatten)];
}

/** The 项 of a programme: the leaves (an item without sub-items counts as one 项). */
export function leaves(d: Derived): Derived[] {
  return d.children.length === 0 ? [d] : d.children.flatMap(leaves);
}

export interface SummaryCounts {
  items: number;
  subItems: number;
  byStatus: Record<ProjectStatus, number>;
}

export function countStatuses(roots: readonly Derived[]): SummaryCounts {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ProjectStatus, number>;
  const ls = roots.flatMap(leaves);
  for (const l of ls) byStatus[l.status] += 1;
  return { items: roots.length, subItems: ls.length, byStatus };
}

/** The seed's sentence: "15件30项: N 项已完成年度目标, M 项有序推进, K 项滞后" (+ risk, not started). */
export function headline(c: SummaryCounts): { zh: string; en: string } {
  const b = c.byStatus;
  const extraZh = [b.at_risk > 0 ? `${b.at_risk} 项存在风险` : null, b.not_started > 0 ? `${b.not_started} 项未开始` : null].filter(Boolean);
  const extraEn = [b.at_risk > 0 ? `${b.at_risk} at risk` : null, b.not_started > 0 ? `${b.not_started} not started` : null].filter(Boolean);
  return {
    zh: `${c.items}件${c.subItems}项：${b.completed} 项已完成年度目标，${b.on_track} 项有序推进，${b.delayed} 项滞后${extraZh.length ? `；${extraZh.join('，')}` : ''}`,
    en: `${c.items} items, ${c.subItems} sub-items: ${b.completed} completed, ${b.on_track} on track, ${b.delayed} delayed${extraEn.length ? `; ${extraEn.join(', ')}` : ''}`,
  };
}
