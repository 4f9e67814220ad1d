/**
 * Time limits and routing, pure. Limits are data (type × category × urgency, the most specific
 * row wins); deadlines are counted on a working-time calendar passed in.
 */
import type { UnitKey } from './lifecycle';

export interface WorkingTime {
  addWorkingDays(from: Date, n: number): Date;
  addWorkingHours(from: Date, hours: number): Date;
  workingMillisBetween(a: Date, b: Date): number;
}

export interface TimeLimit {
  ticketType: string | null;
  categoryCode: string | null;
  urgency: string | null;
  acceptWorkingHours: number;
  handleWorkingDays: number | null;
  handleWorkingHours: number | null;
}

/** The chosen limit: urgency outweighs category, which outweighs type; deeper categories win. */
export function resolveTimeLimit(
  limits: readonly TimeLimit[],
  t: { type: string; categoryChain: readonly string[]; urgency: string },
): TimeLimit | undefined {
  let best: { limit: TimeLimit; score: number } | undefined;
  for (const l of limits) {
    if (l.ticketType !== null && l.ticketType !== t.type) continue;
    if (l.urgency !== null && l.urgency !== t.urgency) continue;
    const depth = l.categoryCode === null ? 0 : t.categoryChain.indexOf(l.categoryCode) + 1;
    if (l.categoryCode !== null && depth === 0) continue;
    const score = (l.urgency ? 100 : 0) + depth * 10 + (l.ticketType ? 1 : 0);
    if (!best || score > best.score) best = { limit: l, score };
  }
  return best?.limit;
}

export function dueDates(cal: WorkingTime, limit: TimeLimit, from: Date): { acceptDueAt: Date; dueAt: Date } {
  return {
    acceptDueAt: cal.addWorkingHours(from, limit.acceptWorkingHours),
    dueAt: limit.handleWorkingDays !== null ? cal.addWorkingDays(from, limit.handleWorkingDays) : cal.addWorkingHours(from, limit.handleWorkingHours ?? 8),
  };
}

/** A deadline moved on by the working time its clock stood still (pending extension or return). */
export function shiftByPause(cal: WorkingTime, due: Date, pausedSince: Date, now: Date): Date {
  const paused = cal.workingMillisBetween(pausedSince, now);
  return paused > 0 ? cal.addWorkingHours(due, paused / 3_600_000) : due;
}

export interface Route {
  categoryCode: string;
  areaPath: string | null;
  unit: string;
  reason: string;
}

export interface RouteSuggestion {
  unit: UnitKey;
  score: number;
  reason: string;
}

/**
 * 派单目录 as rules: routes for the ticket's category (or an ancestor) and area (or above),
 * the most specific first. `subdistrict:local` means the ticket's own street (属地).
 */
export function suggestUnits(
  routes: readonly Route[],
  t: { categoryChain: readonly string[]; areaPath: string; subdistrictCode: string | null },
): RouteSuggestion[] {
  const out = new Map<string, RouteSuggestion>();
  for (const r of routes) {
    const depth = t.categoryChain.indexOf(r.categoryCode) + 1;
    if (depth === 0) continue;
    if (r.areaPath !== null && !t.areaPath.startsWith(r.areaPath)) continue;
    let unit = r.unit;
    if (unit === 'subdistrict:local') {
      if (!t.subdistrictCode) continue;
      unit = `subdistrict:${t.subdistrictCode}`;
    }
    const score = depth * 100 + (r.areaPath ? r.areaPath.length : 0);
    const prior = out.get(unit);
    if (!prior || prior.score < score) out.set(unit, { unit: unit as UnitKey, score, reason: r.reason });
  }
  return [...out.values()].sort((a, b) => b.score - a.score);
}
