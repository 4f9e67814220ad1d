/**
 * 热点问题 use cases: hot issues over the district's tickets (leader dashboard, hot-issue page),
 * the same ranking over a file of public messages (CLI), and 主动治理 — repeat complaints at one
 * grid cell turned into tasks for the grid's staff.
 */
import { z } from 'zod';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { actorId, assertCan, scopeOf, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { analysisFeed } from '../tickets';
import { DEFAULT_HOT_PARAMS, findHotIssues, isRepeatComplaint, type HotIssue, type HotItem } from './core/hot';
import type { TextAnalyzer, TextAnalyzerCache } from './text/analyzer';
import * as repo from './hot.repo';

export interface HotDeps {
  db: Db;
  clock: Clock;
  textAnalyzers: TextAnalyzerCache;
}

const DAY = 86_400_000;
const MAX_TICKETS = 5000;

/** An instant as Beijing wall-clock time with its offset: how the public data and the UI read. */
export function shanghaiIso(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');
}

// ---- files (CLI) ------------------------------------------------------------------------------

export const VoteRow = z.object({
  id: z.union([z.string(), z.number()]).transform(String),
  user: z.string().nullable().optional(),
  title: z.string().nullable().optional(),
  time: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  likes: z.number().int().min(0).nullable().optional(),
  dislikes: z.number().int().min(0).nullable().optional(),
});

/** Parses a JSONL file in the shape of messages_with_votes.jsonl; rows without a time are reported, not guessed. */
export function parseVotesJsonl(text: string): { items: HotItem[]; skipped: Array<{ line: number; reason: string }> } {
  const items: HotItem[] = [];
  const skipped: Array<{ line: number; reason: string }> = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      skipped.push({ line: i + 1, reason: 'invalid JSON' });
      return;
    }
    const r = VoteRow.safeParse(raw);
    if (!r.success) {
      skipped.push({ line: i + 1, reason: r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
      return;
    }
    const time = r.data.time ? Date.parse(r.data.time) : NaN;
    if (!Number.isFinite(time)) {
      skipped.push({ line: i + 1, reason: 'no valid time' });
      return;
    }
    const title = r.data.title ?? '';
    const body = r.data.body ?? '';
    if (!title && !body) {
      skipped.push({ line: i + 1, reason: 'no text' });
      return;
    }
    items.push({ id: r.data.id, title, body, time, user: r.data.user ?? null, likes: r.data.likes ?? 0, dislikes: r.data.dislikes ?? 0 });
  });
  return { items, skipped };
}

export interface RankedIssue {
  rank: number;
  hotIndex: number;
  label: string;
  place: string | null;
  keywords: string[];
  title: string;
  description: string;
  timeRange: { from: string; to: string };
  messages: number;
  requesters: number;
  support: number;
  messageIds: string[];
}

/**
 * Ranks the hot issues of a message file. Recency is measured at the file's latest message
 * (the data is historical), unless `now` is given.
 */
export function rankMessages(
  items: readonly HotItem[],
  analyzer: Pick<TextAnalyzer, 'tokens' | 'cut'>,
  opts: { top: number; windowDays?: number; now?: number; onProgress?: (done: number, total: number) => void },
): { reference: string | null; issues: RankedIssue[] } {
  if (items.length === 0) return { reference: null, issues: [] };
  const now = opts.now ?? items.reduce((m, it) => Math.max(m, it.time), -Infinity);
  const issues = findHotIssues(
    items,
    { tokenize: (t) => analyzer.tokens(t), cut: (t) => analyzer.cut(t), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) },
    { ...DEFAULT_HOT_PARAMS, ...(opts.windowDays ? { windowDays: opts.windowDays } : {}), now },
  );
  return {
    reference: shanghaiIso(now),
    issues: issues.slice(0, opts.top).map((h, i) => ({
      rank: i + 1,
      hotIndex: h.hotIndex,
      label: h.label,
      place: h.place,
      keywords: h.keywords,
      title: h.title,
      description: h.description,
      timeRange: { from: shanghaiIso(h.timeRange.from), to: shanghaiIso(h.timeRange.to) },
      messages: h.messages,
      requesters: h.requesters,
      support: h.support,
      messageIds: h.messageIds,
    })),
  };
}

// ---- tickets ----------------------------------------------------------------------------------

export const HotQuery = z
  .object({
    days: z.coerce.number().int().min(1).max(366).default(30),
    top: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
export type HotQuery = z.infer<typeof HotQuery>;

async function ticketHotIssues(deps: HotDeps, q: Queryable, actor: AnyActor, days: number, windowDays: number) {
  const now = deps.clock();
  // Clustering runs in the request: at most the newest MAX_TICKETS of the window (a few seconds of CPU).
  const tickets = await analysisFeed.ticketsInWindow(q, actor.districtCode, scopeOf(actor), new Date(now.getTime() - days * DAY), now, MAX_TICKETS);
  const analyzer = await deps.textAnalyzers.get(q, actor.districtCode);
  const items: HotItem[] = tickets.map((t) => ({
    id: t.id,
    title: t.title,
    body: t.content,
    time: t.createdAt.getTime(),
    user: t.requesterKey,
    likes: t.urges,
    areaKey: t.gridCellCode,
    areaName: [t.communityName, t.gridCellName].filter(Boolean).join(' ') || null,
    lon: t.lon,
    lat: t.lat,
  }));
  const issues = findHotIssues(items, { tokenize: (t) => analyzer.tokens(t), cut: (t) => analyzer.cut(t) }, { ...DEFAULT_HOT_PARAMS, windowDays, now: now.getTime() });
  return { tickets, issues };
}

/** Hot issues over the tickets of the last `days` days in the actor's scope, with each issue's tickets. */
export async function hotIssues(deps: HotDeps, actor: AnyActor, query: HotQuery) {
  assertCan(actor, 'analysis.read');
  const { tickets, issues } = await ticketHotIssues(deps, deps.db, actor, query.days, Math.min(query.days, 30));
  const byId = new Map(tickets.map((t) => [t.id, t]));
  return {
    days: query.days,
    ticketsConsidered: tickets.length,
    truncated: tickets.length >= MAX_TICKETS,
    items: issues.slice(0, query.top).map((h, i) => ({
      rank: i + 1,
      ...issueView(h),
      tickets: h.messageIds.map((id) => {
        const t = byId.get(id)!;
        return { id: t.id, number: t.number, title: t.title, status: t.status, createdAt: t.createdAt.toISOString(), lon: t.lon, lat: t.lat, gridCell: t.gridCellName, category: t.categoryName };
      }),
    })),
  };
}

function issueView(h: HotIssue) {
  return {
    hotIndex: h.hotIndex,
    label: h.label,
    place: h.place,
    keywords: h.keywords,
    title: h.title,
    description: h.description,
    timeRange: { from: new Date(h.timeRange.from).toISOString(), to: new Date(h.timeRange.to).toISOString() },
    messages: h.messages,
    requesters: h.requesters,
    support: h.support,
    spanDays: h.spanDays,
    gridCellCode: h.areaKey,
    areaName: h.areaName,
    center: h.center,
    repeatComplaint: isRepeatComplaint(h),
  };
}

// ---- 主动治理 -----------------------------------------------------------------------------------

/** The key of a task: its grid cell and its two strongest keywords, so re-running finds the same task. */
function sourceKey(h: HotIssue): string {
  return `${h.areaKey}:${[...h.keywords.slice(0, 2)].sort().join('+')}`;
}

/**
 * Turns repeat complaints (core/hot.ts isRepeatComplaint: ≥ 3 tickets, ≥ 2 requesters, one grid
 * cell, within 30 days) of the last 30 days into open tasks; an open task with the same key is
 * updated, not duplicated. Run by the nightly job, the CLI or a dispatcher.
 */
export async function generateProactiveTasks(deps: HotDeps, actor: AnyActor) {
  assertCan(actor, 'tickets.dispatch');
  return deps.db.transaction(async (tx) => {
    const { tickets, issues } = await ticketHotIssues(deps, tx, actor, 30, 30);
    const pathOf = new Map(tickets.map((t) => [t.id, t.areaPath]));
    let created = 0;
    let updated = 0;
    const now = deps.clock();
    for (const h of issues.filter((x) => isRepeatComplaint(x))) {
      const areaPath = pathOf.get(h.messageIds.find((id) => tickets.find((t) => t.id === id)?.gridCellCode === h.areaKey)!) ?? pathOf.get(h.messageIds[0]!)!;
      const r = await repo.upsertTask(tx, actor.districtCode, {
        areaPath,
        gridCellCode: h.areaKey!,
        sourceKey: sourceKey(h),
        label: h.label,
        description: h.description,
        keywords: h.keywords,
        ticketIds: h.messageIds,
        requesters: h.requesters,
        hotIndex: h.hotIndex,
        firstAt: new Date(h.timeRange.from),
        lastAt: new Date(h.timeRange.to),
        now,
      });
      if (r.inserted) created++;
      else updated++;
      await recordAudit(tx, deps.clock, actor, { action: r.inserted ? 'analysis.proactive_task.create' : 'analysis.proactive_task.refresh', targetType: 'proactive_task', targetId: r.id, detail: { tickets: h.messageIds.length } });
    }
    return { created, updated };
  });
}

export const TaskListQuery = z.object({ status: z.enum(['open', 'in_progress', 'done', 'dismissed']).optional() }).strict();
export const TaskUpdateBody = z.object({ status: z.enum(['in_progress', 'done', 'dismissed']), note: z.string().max(1000).optional() }).strict();

function taskView(r: repo.TaskRow) {
  return {
    id: r.id,
    gridCellCode: r.grid_cell_code,
    gridCellName: r.grid_cell_name,
    label: r.label,
    description: r.description,
    keywords: r.keywords,
    ticketIds: r.ticket_ids,
    ticketCount: r.ticket_count,
    requesters: r.requesters,
    hotIndex: Number(r.hot_index),
    firstAt: new Date(r.first_at).toISOString(),
    lastAt: new Date(r.last_at).toISOString(),
    status: r.status,
    note: r.note,
    isDemo: r.is_demo,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** The proactive tasks in the actor's scope (a grid worker sees their grid's). */
export async function listProactiveTasks(deps: Pick<HotDeps, 'db'>, actor: AnyActor, query: z.infer<typeof TaskListQuery>) {
  assertCan(actor, 'tickets.read');
  const rows = await repo.listTasks(deps.db, actor.districtCode, scopeOf(actor), query.status ?? null);
  return { items: rows.map(taskView) };
}

/** A grid worker or dispatcher takes up, finishes or dismisses a task in their area. */
export async function updateProactiveTask(deps: Pick<HotDeps, 'db' | 'clock'>, actor: AnyActor, id: string, body: z.infer<typeof TaskUpdateBody>) {
  assertCan(actor, 'tickets.create');
  return deps.db.transaction(async (tx) => {
    const row = await repo.lockTask(tx, actor.districtCode, id);
    if (!row || !row.area_path.startsWith(scopeOf(actor))) throw notFound({ zh: '主动治理任务', en: 'Proactive task' });
    if (row.status === 'done' || row.status === 'dismissed') {
      throw new AppError('conflict', { zh: '任务已结束', en: 'The task is already finished' });
    }
    await repo.setTaskStatus(tx, id, body.status, body.note ?? row.note, deps.clock(), actorId(actor));
    await recordAudit(tx, deps.clock, actor, { action: 'analysis.proactive_task.update', targetType: 'proactive_task', targetId: id, detail: { status: body.status } });
    const updated = await repo.lockTask(tx, actor.districtCode, id);
    return { task: taskView(updated!) };
  });
}
