/**
 * Use cases of the working-time calendar: a district's calendar (the national arrangement plus
 * the district's overrides), deadlines, and the overrides an administrator keeps.
 *
 * The calendar of a district is built once and cached per database and district. A change made
 * through `setOverride` drops the cached copy at once; a change made by another process (a
 * second server, the CLI against the same PostgreSQL) is picked up within CACHE_TTL_MS.
 */
import type { Db, Queryable } from '../../shared/db';
import { systemClock, type Clock } from '../../shared/clock';
import { assertCan, type AnyActor } from '../../shared/authz';
import { invalid } from '../../shared/errors';
import { recordAudit } from '../audit';
import * as repo from './repo';
import { DeadlineQuery, SetOverrideBody, type ListOverridesQuery, type OverrideView } from './contract';
import { WorkCalendar, deadlineOf, parseInstant, type DayRule, type Deadline } from './core/working-time';
import { officialCalendar } from './official-days';

export interface CalendarDeps {
  db: Db;
  clock: Clock;
}

export const CACHE_TTL_MS = 60_000;

interface CacheEntry {
  loadedAt: number;
  calendar: Promise<WorkCalendar>;
}

/** Per database (the server has one; tests have one per file), per district. */
const caches = new WeakMap<Queryable, Map<string, CacheEntry>>();

/** The national arrangement alone, with the default working hours: no database needed. */
export function officialWorkCalendar(): WorkCalendar {
  return buildCalendar([]);
}

function buildCalendar(overrides: readonly DayRule[]): WorkCalendar {
  return new WorkCalendar({ official: officialCalendar(), overrides });
}

/** The district's calendar: the national arrangement corrected by the district's overrides. */
export function loadCalendar(deps: { db: Queryable; clock?: Clock }, districtCode: string): Promise<WorkCalendar> {
  const now = (deps.clock ?? systemClock)().getTime();
  let perDistrict = caches.get(deps.db);
  if (!perDistrict) {
    perDistrict = new Map();
    caches.set(deps.db, perDistrict);
  }
  const hit = perDistrict.get(districtCode);
  if (hit && now >= hit.loadedAt && now - hit.loadedAt < CACHE_TTL_MS) return hit.calendar;
  const entry: CacheEntry = {
    loadedAt: now,
    calendar: repo.listOverrides(deps.db, districtCode).then((rows) => buildCalendar(rows)),
  };
  perDistrict.set(districtCode, entry);
  const map = perDistrict;
  entry.calendar.catch(() => {
    if (map.get(districtCode) === entry) map.delete(districtCode);
  });
  return entry.calendar;
}

export function invalidateCalendar(deps: { db: Queryable }, districtCode: string): void {
  caches.get(deps.db)?.delete(districtCode);
}

/** Public: a calculator, answered from the district's calendar. */
export async function computeDeadline(deps: { db: Queryable; clock?: Clock }, districtCode: string, query: DeadlineQuery): Promise<Deadline> {
  const parsed = DeadlineQuery.safeParse(query);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const q = parsed.data;
  const calendar = await loadCalendar(deps, districtCode);
  return deadlineOf(calendar, parseInstant(q.from)!, q.workingDays !== undefined ? { workingDays: q.workingDays } : { workingHours: q.workingHours! });
}

function toView(r: repo.OverrideRow): OverrideView {
  return {
    date: r.date,
    kind: r.kind,
    name: r.name,
    createdAt: new Date(r.created_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

function invalidInput(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const list = issues.map((i) => ({ field: i.path.map(String).join('.') || null, zh: i.message, en: i.message }));
  return invalid(
    { zh: `参数有误：${list.map((i) => i.zh).join('；')}`, en: `Invalid input: ${list.map((i) => i.en).join('; ')}` },
    list,
  );
}

/**
 * Marks a day of the actor's district a working day or a holiday (a new year's arrangement, a
 * local holiday, a correction). Replaces an earlier override of the same day. Audited with the
 * value it replaced.
 */
export async function setOverride(deps: CalendarDeps, actor: AnyActor, input: SetOverrideBody): Promise<OverrideView> {
  // Administrators only, for now: the permission that guards the district's own setup.
  assertCan(actor, 'areas.manage');
  const parsed = SetOverrideBody.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { date, kind } = parsed.data;
  const name = parsed.data.name ?? null;
  const row = await deps.db.transaction(async (tx) => {
    const previous = await repo.findOverrideForUpdate(tx, actor.districtCode, date);
    const saved = await repo.upsertOverride(tx, { districtCode: actor.districtCode, date, kind, name, at: deps.clock() });
    await recordAudit(tx, deps.clock, actor, {
      action: 'calendar.set_override',
      targetType: 'calendar_day',
      targetId: date,
      detail: { kind, name, previous: previous ? { kind: previous.kind, name: previous.name } : null },
    });
    return saved;
  });
  invalidateCalendar(deps, actor.districtCode);
  return toView(row);
}

/**
 * The district's overrides, by date. The calendar is public knowledge (the deadline calculator
 * answers from it without sign-in), so any signed-in actor of the district may read them.
 */
export async function listOverrides(deps: { db: Queryable }, actor: AnyActor, query: ListOverridesQuery = {}): Promise<OverrideView[]> {
  const rows = await repo.listOverrides(deps.db, actor.districtCode, query.year);
  return rows.map(toView);
}
