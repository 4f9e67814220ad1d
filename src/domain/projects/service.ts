/**
 * 民生实事 use cases. Writes: authorize (role and area scope; reports also by the owner
 * department), validate everything first (all problems at once, 400), then lock, write, append
 * to the item's history and audit in one transaction — nothing is half-saved. Reads derive
 * progress and status at a reference date from the stored reports (core/derive.ts).
 *
 * Reading: the programme is a published commitment, so every staff member with projects.read
 * reads the whole tree (and the public page shows it without a login); progress of a parent must
 * be computed from all its sub-items, never from the part an actor may see (ADR 0030).
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, conflict, invalid, notFound } from '../../shared/errors';
import { assertCan, can, scopeOf, type AnyActor, type SystemActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { accessService } from '../access';
import { areasService, type LocatorCache } from '../areas';
import * as repo from './repo';
import {
  STAGE_NAMES,
  STATUS_NAMES,
  countStatuses,
  deriveItem,
  headline,
  rollUp,
  type Day,
  type Derived,
  type ItemInput,
  type ProgressRule,
  type Stage,
  type TargetKind,
} from './core/derive';
import { evidenceProblems, itemProblems, reportProblems, safeEvidenceName, type Problem } from './core/validate';
import type { CreateProgrammeBody, ItemBody, LocationBody, RatingBody, ReportBody } from './contract';

export interface ProjectsDeps {
  db: Db;
  clock: Clock;
  locators: LocatorCache;
}

const ITEM = { zh: '实事项目', en: 'Project item' };
const PROGRAMME = { zh: '年度民生实事', en: 'Programme' };
const REPORT = { zh: '进度报告', en: 'Progress report' };
const FILE = { zh: '佐证材料', en: 'Evidence file' };

/** The calendar day in Asia/Shanghai. */
export function shanghaiDay(d: Date): Day {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function refuse(problems: Problem[]): never {
  const first = problems[0]!;
  throw invalid(
    { zh: problems.map((p) => p.zh).join('；'), en: problems.map((p) => p.en).join('; ') },
    { problems: problems.map((p) => ({ field: p.field, zh: p.zh, en: p.en })), first: first.field },
  );
}

// ---- loading and deriving ------------------------------------------------------------------------

export interface ItemView {
  id: string;
  code: string;
  parentId: string | null;
  title: string;
  description: string;
  category: { code: string; name: string };
  ownerDepartment: { code: string; name: string };
  coUnits: string[];
  areas: { code: string; name: string; level: string }[];
  areaPath: string;
  locations: unknown[];
  budgetFen: number;
  plannedStart: Day;
  plannedEnd: Day;
  progressRule: ProgressRule;
  weight: number;
  closedOn: Day | null;
  closedReason: string | null;
  isDemo: boolean;
  progress: number;
  expected: number;
  status: Derived['status'];
  statusName: { zh: string; en: string };
  statusReason: string;
  stage: Stage | null;
  stageName: { zh: string; en: string } | null;
  lastReportOn: Day | null;
  targets: { id: string; metric: string; unit: string; kind: TargetKind; baseline: number; target: number; weight: number; current: number | null; progress: number }[];
  milestones: { id: string; title: string; plannedOn: Day; achievedOn: Day | null; overdueDays: number }[];
  children: ItemView[];
}

interface Loaded {
  programme: repo.ProgrammeRow;
  categories: repo.CategoryRow[];
  rows: repo.ItemRow[];
  targets: repo.TargetRow[];
  milestones: repo.MilestoneRow[];
  reports: repo.ReportRow[];
  roots: ItemView[];
  derived: Derived[];
  date: Day;
}

async function areaNames(q: Queryable, districtCode: string): Promise<Map<string, { name: string; level: string }>> {
  const m = new Map<string, { name: string; level: string }>();
  for (const level of ['subdistrict', 'community'] as const) {
    for (const a of await areasService.listAreaRows(q, districtCode, level)) m.set(a.code, { name: a.name, level });
  }
  return m;
}

/** The whole programme of a year, derived at `date`. */
async function loadProgramme(q: Queryable, districtCode: string, year: number, date: Day): Promise<Loaded> {
  const programme = await repo.findProgramme(q, districtCode, year);
  if (!programme) throw notFound(PROGRAMME);
  return loadFor(q, programme, date);
}

async function loadFor(q: Queryable, programme: repo.ProgrammeRow, date: Day): Promise<Loaded> {
  const [categories, rows] = await Promise.all([repo.listCategories(q, programme.id), repo.listItems(q, { districtCode: programme.district_code, programmeId: programme.id, scope: null })]);
  const ids = rows.map((r) => r.id);
  const [targets, milestones, reports, names] = await Promise.all([
    repo.listTargets(q, ids),
    repo.listMilestones(q, ids),
    repo.listReports(q, ids),
    areaNames(q, programme.district_code),
  ]);
  const by = <T extends { item_id: string }>(xs: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of xs) m.set(x.item_id, [...(m.get(x.item_id) ?? []), x]);
    return m;
  };
  const tBy = by(targets);
  const mBy = by(milestones);
  const rBy = by(reports);
  const kids = new Map<string | null, repo.ItemRow[]>();
  for (const r of rows) kids.set(r.parent_id, [...(kids.get(r.parent_id) ?? []), r]);
  const cats = new Map(categories.map((c) => [c.id, c]));

  const input = (r: repo.ItemRow): ItemInput => ({
    id: r.id,
    rule: r.progress_rule as ProgressRule,
    weight: Number(r.weight),
    plannedStart: r.planned_start,
    plannedEnd: r.planned_end,
    closedOn: r.closed_on,
    targets: (tBy.get(r.id) ?? []).map((t) => ({ id: t.id, kind: t.kind as TargetKind, baseline: Number(t.baseline), target: Number(t.target), weight: Number(t.weight) })),
    milestones: (mBy.get(r.id) ?? []).map((m) => ({ id: m.id, plannedOn: m.planned_on })),
    reports: (rBy.get(r.id) ?? []).map((x) => ({
      id: x.id,
      asOf: x.as_of,
      createdAt: new Date(x.created_at).toISOString(),
      returned: x.returned_at !== null,
      stage: x.stage as Stage | null,
      values: x.target_values,
      milestones: x.milestones,
    })),
    children: (kids.get(r.id) ?? []).map(input),
  });
  const view = (r: repo.ItemRow, d: Derived): ItemView => {
    const ts = new Map(d.targets.map((t) => [t.id, t]));
    const ms = new Map(d.milestones.map((m) => [m.id, m]));
    const cat = cats.get(r.category_id);
    return {
      id: r.id,
      code: r.code,
      parentId: r.parent_id,
      title: r.title,
      description: r.description,
      category: { code: cat?.code ?? '', name: cat?.name ?? '' },
      ownerDepartment: { code: r.owner_department, name: r.owner_department_name ?? r.owner_department },
      coUnits: r.co_units,
      areas: r.area_codes.map((c) => ({ code: c, name: names.get(c)?.name ?? c, level: names.get(c)?.level ?? 'unknown' })),
      areaPath: r.area_path,
      locations: Array.isArray(r.locations) ? (r.locations as unknown[]) : [],
      budgetFen: Number(r.budget_fen),
      plannedStart: r.planned_start,
      plannedEnd: r.planned_end,
      progressRule: r.progress_rule as ProgressRule,
      weight: Number(r.weight),
      closedOn: r.closed_on,
      closedReason: r.closed_reason,
      isDemo: r.is_demo,
      progress: d.progress,
      expected: d.expected,
      status: d.status,
      statusName: STATUS_NAMES[d.status],
      statusReason: d.reason,
      stage: d.stage,
      stageName: d.stage ? STAGE_NAMES[d.stage] : null,
      lastReportOn: d.lastReportOn,
      targets: (tBy.get(r.id) ?? []).map((t) => ({
        id: t.id,
        metric: t.metric,
        unit: t.unit,
        kind: t.kind as TargetKind,
        baseline: Number(t.baseline),
        target: Number(t.target),
        weight: Number(t.weight),
        current: ts.get(t.id)?.current ?? null,
        progress: ts.get(t.id)?.progress ?? 0,
      })),
      milestones: (mBy.get(r.id) ?? []).map((m) => ({
        id: m.id,
        title: m.title,
        plannedOn: m.planned_on,
        achievedOn: ms.get(m.id)?.achievedOn ?? null,
        overdueDays: ms.get(m.id)?.overdueDays ?? 0,
      })),
      children: (kids.get(r.id) ?? []).map((c, i) => view(c, d.children[i]!)),
    };
  };
  const rootRows = kids.get(null) ?? [];
  const derived = rootRows.map((r) => deriveItem(input(r), date));
  const roots = rootRows.map((r, i) => view(r, derived[i]!));
  return { programme, categories, rows, targets, milestones, reports, roots, derived, date };
}

export function flattenViews(v: ItemView): ItemView[] {
  return [v, ...v.children.flatMap(flattenViews)];
}

function programmeView(l: Loaded) {
  const counts = countStatuses(l.derived);
  const byCategory = l.categories.map((c) => {
    const roots = l.roots.filter((r) => r.category.code === c.code);
    const derived = l.derived.filter((_, i) => l.roots[i]!.category.code === c.code);
    const cc = countStatuses(derived);
    return {
      code: c.code,
      name: c.name,
      items: cc.items,
      subItems: cc.subItems,
      byStatus: cc.byStatus,
      progress: Math.round(rollUp(roots.map((r) => ({ progress: r.progress, weight: r.weight }))) * 10) / 10,
      budgetFen: roots.reduce((s, r) => s + r.budgetFen, 0),
    };
  });
  return {
    programme: { id: l.programme.id, year: l.programme.year, title: l.programme.title, summary: l.programme.summary, isDemo: l.programme.is_demo },
    date: l.date,
    counts,
    headline: headline(counts),
    progress: Math.round(rollUp(l.roots.map((r) => ({ progress: r.progress, weight: r.weight }))) * 10) / 10,
    categories: byCategory,
    items: l.roots,
  };
}
export type ProgrammeView = ReturnType<typeof programmeView>;

// ---- reading (staff) -------------------------------------------------------------------------------

export async function listProgrammes(deps: Pick<ProjectsDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'projects.read');
  const rows = await repo.listProgrammes(deps.db, actor.districtCode);
  return { items: rows.map((p) => ({ id: p.id, year: p.year, title: p.title, summary: p.summary, isDemo: p.is_demo })) };
}

export async function getProgramme(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, year: number, date?: Day) {
  assertCan(actor, 'projects.read');
  const on = date ?? shanghaiDay(deps.clock());
  const l = await loadProgramme(deps.db, actor.districtCode, year, on);
  const inScope = new Set((await repo.listItems(deps.db, { districtCode: actor.districtCode, programmeId: l.programme.id, scope: scopeOf(actor) })).map((r) => r.id));
  return { ...programmeView(l), inScope: [...inScope], canReport: reportableIds(actor, l.rows) };
}

/** The items this actor may report on: their department's (handlers), or all (admins in scope). */
function reportableIds(actor: AnyActor, rows: repo.ItemRow[]): string[] {
  return rows.filter((r) => mayReport(actor, r) && r.progress_rule !== 'children' && r.closed_on === null).map((r) => r.id);
}

function mayReport(actor: AnyActor, r: Pick<repo.ItemRow, 'owner_department' | 'area_path'>): boolean {
  if (!can(actor, 'projects.report')) return false;
  if (actor.kind === 'system') return true;
  if (can(actor, 'projects.manage')) return r.area_path.startsWith(scopeOf(actor));
  return actor.departmentCode !== null && actor.departmentCode === r.owner_department;
}

export async function getItem(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, id: string, date?: Day) {
  assertCan(actor, 'projects.read');
  const row = await repo.findItem(deps.db, actor.districtCode, id);
  if (!row) throw notFound(ITEM);
  const programme = (await repo.listProgrammes(deps.db, actor.districtCode)).find((p) => p.id === row.programme_id)!;
  const l = await loadFor(deps.db, programme, date ?? shanghaiDay(deps.clock()));
  const item = l.roots.flatMap(flattenViews).find((v) => v.id === id)!;
  const reports = l.reports.filter((r) => r.item_id === id);
  const files = await repo.listFiles(deps.db, [id], false);
  const events = await repo.listEvents(deps.db, id);
  return {
    item,
    programme: { year: programme.year, title: programme.title },
    reports: reports.map((r) => reportView(r, files)).reverse(),
    history: events.map((e) => ({ id: e.id, kind: e.kind, at: new Date(e.at).toISOString(), actorName: e.actor_name, actorRole: e.actor_role, data: e.data })),
    canReport: mayReport(actor, row) && row.progress_rule !== 'children' && row.closed_on === null,
    canManage: can(actor, 'projects.manage') && row.area_path.startsWith(scopeOf(actor)),
  };
}

function reportView(r: repo.ReportRow, files: repo.FileMetaRow[]) {
  return {
    id: r.id,
    asOf: r.as_of,
    stage: r.stage,
    narrative: r.narrative,
    values: r.target_values,
    milestones: r.milestones,
    correctsId: r.corrects_id,
    reporter: { name: r.reporter_name, role: r.reporter_role, unit: r.reporter_unit },
    createdAt: new Date(r.created_at).toISOString(),
    returned: r.returned_at ? { at: new Date(r.returned_at).toISOString(), reason: r.return_reason, by: r.returned_by_name } : null,
    files: files.filter((f) => f.report_id === r.id).map((f) => ({ id: f.id, fileName: f.file_name, mimeType: f.mime_type, sizeBytes: f.size_bytes })),
  };
}

export async function getFile(deps: Pick<ProjectsDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'projects.read');
  const f = await repo.getFile(deps.db, actor.districtCode, id);
  if (!f) throw notFound(FILE);
  return { fileName: f.file_name, mimeType: f.mime_type, content: Buffer.from(f.content) };
}

// ---- the programme and its items (admins) ------------------------------------------------------------

export async function createProgramme(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, body: CreateProgrammeBody, opts: { isDemo?: boolean } = {}) {
  assertCan(actor, 'projects.manage', `/${actor.districtCode}/`);
  const codes = body.categories.map((c) => c.code);
  if (new Set(codes).size !== codes.length) refuse([{ field: 'categories', zh: '类别编号重复', en: 'A category code appears twice' }]);
  return deps.db.transaction(async (tx) => {
    if (await repo.findProgramme(tx, actor.districtCode, body.year)) throw conflict({ zh: `${body.year} 年度的民生实事已存在`, en: `The ${body.year} programme already exists` });
    const p = await repo.insertProgramme(tx, { districtCode: actor.districtCode, year: body.year, title: body.title, summary: body.summary, isDemo: opts.isDemo ?? false, at: deps.clock() });
    for (const [k, c] of body.categories.entries()) await repo.insertCategory(tx, { districtCode: actor.districtCode, programmeId: p.id, code: c.code, name: c.name, sortOrder: k });
    await recordAudit(tx, deps.clock, actor, { action: 'projects.programme.create', targetType: 'project_programme', targetId: p.id, detail: { year: body.year } });
    return { id: p.id, year: p.year, title: p.title };
  });
}

interface ItemContext {
  programme: repo.ProgrammeRow;
  categories: Map<string, repo.CategoryRow>;
  departments: Set<string>;
  areas: Map<string, string>;
}

async function itemContext(q: Queryable, districtCode: string, year: number): Promise<ItemContext> {
  const programme = await repo.findProgramme(q, districtCode, year);
  if (!programme) throw notFound(PROGRAMME);
  const system: SystemActor = { kind: 'system', districtCode, reason: 'projects-check' };
  const departments = new Set((await accessService.listDepartments({ db: q as Db }, system)).map((d) => d.code));
  const areas = new Map<string, string>();
  for (const level of ['subdistrict', 'community'] as const) for (const a of await areasService.listAreaRows(q, districtCode, level)) areas.set(a.code, a.path);
  const categories = new Map((await repo.listCategories(q, programme.id)).map((c) => [c.code, c]));
  return { programme, categories, departments, areas };
}

/** The narrowest area path covering every area concerned; the district for none. */
export function coveringPath(districtCode: string, paths: readonly string[]): string {
  if (paths.length === 0) return `/${districtCode}/`;
  const split = paths.map((p) => p.split('/').filter(Boolean));
  const common: string[] = [];
  for (let i = 0; ; i++) {
    const c = split[0]![i];
    if (c === undefined || !split.every((s) => s[i] === c)) break;
    common.push(c);
  }
  return common.length === 0 ? `/${districtCode}/` : `/${common.join('/')}/`;
}

/** Problems of an item body against the programme (pure checks plus the references). */
function checkItem(ctx: ItemContext, body: ItemBody, prefix = ''): Problem[] {
  const p = (field: string) => `${prefix}${field}`;
  const out: Problem[] = itemProblems({
    plannedStart: body.plannedStart,
    plannedEnd: body.plannedEnd,
    budgetFen: body.budgetFen,
    rule: body.progressRule,
    targets: body.targets,
    year: ctx.programme.year,
  }).map((x) => ({ ...x, field: p(x.field) }));
  if (!ctx.categories.has(body.categoryCode)) out.push({ field: p('categoryCode'), zh: `类别“${body.categoryCode}”不存在`, en: `Category "${body.categoryCode}" does not exist` });
  if (!ctx.departments.has(body.ownerDepartment)) out.push({ field: p('ownerDepartment'), zh: `责任部门“${body.ownerDepartment}”不存在`, en: `Department "${body.ownerDepartment}" does not exist` });
  for (const c of body.areaCodes) if (!ctx.areas.has(c)) out.push({ field: p('areaCodes'), zh: `区域“${c}”不是本区的街道或社区`, en: `Area "${c}" is not a subdistrict or community of this district` });
  if (body.parentCode !== null && body.parentCode === body.code) out.push({ field: p('parentCode'), zh: '事项不能是自己的子项', en: 'An item cannot be its own sub-item' });
  if (body.parentCode !== null && !body.code.startsWith(`${body.parentCode}.`)) out.push({ field: p('code'), zh: `子项编号应以“${body.parentCode}.”开头`, en: `A sub-item's code starts with "${body.parentCode}."` });
  const ms = new Set<string>();
  body.milestones.forEach((m, k) => {
    if (ms.has(m.title)) out.push({ field: p(`milestones.${k}.title`), zh: `节点“${m.title}”重复`, en: `Milestone "${m.title}" appears twice` });
    ms.add(m.title);
  });
  return out;
}

async function toWgs84(deps: Pick<ProjectsDeps, 'db' | 'locators'>, districtCode: string, locations: LocationBody[]): Promise<unknown[]> {
  const conv = async (lon: number, lat: number, crs: LocationBody['crs']): Promise<[number, number]> => {
    if (crs === 'wgs84') return [lon, lat];
    const r = await areasService.locatePoint({ db: deps.db, locators: deps.locators } as Parameters<typeof areasService.locatePoint>[0], districtCode, { lon, lat, crs });
    return r.wgs84;
  };
  const out: unknown[] = [];
  for (const l of locations) {
    if (l.geometry.type === 'Point') {
      out.push({ name: l.name, geometry: { type: 'Point', coordinates: await conv(l.geometry.coordinates[0], l.geometry.coordinates[1], l.crs) } });
    } else {
      const rings: [number, number][][] = [];
      for (const ring of l.geometry.coordinates) {
        const r: [number, number][] = [];
        for (const [lon, lat] of ring) r.push(await conv(lon, lat, l.crs));
        rings.push(r);
      }
      out.push({ name: l.name, geometry: { type: 'Polygon', coordinates: rings } });
    }
  }
  return out;
}

/**
 * Creates or (same code) rewrites an item with its targets and milestones. Targets and
 * milestones are matched by id when given, else by metric / title; ones left out are kept
 * (reports refer to them) — removing a measure is not an edit this module offers.
 */
async function saveItemInside(
  deps: Pick<ProjectsDeps, 'db' | 'clock' | 'locators'>,
  tx: Queryable,
  actor: AnyActor,
  ctx: ItemContext,
  body: ItemBody,
  opts: { isDemo: boolean; source: string; allowExisting: boolean },
): Promise<{ id: string; created: boolean }> {
  const districtCode = actor.districtCode;
  const parent = body.parentCode ? await repo.findItemByCode(tx, ctx.programme.id, body.parentCode) : undefined;
  if (body.parentCode && !parent) refuse([{ field: 'parentCode', zh: `上级事项“${body.parentCode}”不存在`, en: `Parent item "${body.parentCode}" does not exist` }]);
  const areaPath = coveringPath(districtCode, body.areaCodes.map((c) => ctx.areas.get(c)!));
  assertCan(actor, 'projects.manage', areaPath);
  const locations = await toWgs84(deps, districtCode, body.locations);
  const now = deps.clock();
  const write = {
    categoryId: ctx.categories.get(body.categoryCode)!.id,
    parentId: parent?.id ?? null,
    title: body.title,
    description: body.description,
    ownerDepartment: body.ownerDepartment,
    coUnits: body.coUnits,
    areaCodes: body.areaCodes,
    areaPath,
    locations: locations.length ? locations : null,
    budgetFen: body.budgetFen,
    plannedStart: body.plannedStart,
    plannedEnd: body.plannedEnd,
    progressRule: body.progressRule,
    weight: body.weight,
    at: now,
  };
  const existing = await repo.findItemByCode(tx, ctx.programme.id, body.code);
  if (existing && !opts.allowExisting) throw conflict({ zh: `编号 ${body.code} 已被使用`, en: `Code ${body.code} is already used` });
  let id: string;
  let created: boolean;
  const actorFields = { actorId: actor.kind === 'user' ? actor.id : null, actorRole: actor.kind === 'user' ? actor.role : `system:${actor.reason}` };
  if (existing) {
    assertCan(actor, 'projects.manage', existing.area_path);
    await repo.lockItem(tx, districtCode, existing.id);
    id = existing.id;
    created = false;
    await repo.updateItem(tx, id, write);
    const before = { title: existing.title, ownerDepartment: existing.owner_department, budgetFen: Number(existing.budget_fen), plannedStart: existing.planned_start, plannedEnd: existing.planned_end, progressRule: existing.progress_rule, weight: Number(existing.weight) };
    const after = { title: body.title, ownerDepartment: body.ownerDepartment, budgetFen: body.budgetFen, plannedStart: body.plannedStart, plannedEnd: body.plannedEnd, progressRule: body.progressRule, weight: body.weight };
    const changes = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k as keyof typeof before] !== v).map(([k, v]) => [k, { from: before[k as keyof typeof before], to: v }]));
    await repo.appendEvent(tx, { districtCode, itemId: id, kind: 'edited', at: now, ...actorFields, data: { source: opts.source, changes } });
  } else {
    id = await repo.insertItem(tx, { ...write, districtCode, programmeId: ctx.programme.id, code: body.code, isDemo: opts.isDemo });
    created = true;
    await repo.appendEvent(tx, { districtCode, itemId: id, kind: 'created', at: now, ...actorFields, data: { source: opts.source, code: body.code, title: body.title } });
  }
  const oldTargets = created ? [] : await repo.listTargets(tx, [id]);
  for (const [k, t] of body.targets.entries()) {
    const match = oldTargets.find((o) => (t.id ? o.id === t.id : o.metric === t.metric && o.unit === t.unit));
    if (t.id && !match) refuse([{ field: `targets.${k}.id`, zh: '目标不属于该事项', en: 'The target does not belong to this item' }]);
    const w = { metric: t.metric, unit: t.unit, kind: t.kind, baseline: t.baseline, target: t.target, weight: t.weight, sortOrder: k };
    if (match) await repo.updateTarget(tx, match.id, w);
    else await repo.insertTarget(tx, { districtCode, itemId: id, ...w });
  }
  const oldMilestones = created ? [] : await repo.listMilestones(tx, [id]);
  for (const [k, m] of body.milestones.entries()) {
    const match = oldMilestones.find((o) => (m.id ? o.id === m.id : o.title === m.title));
    if (m.id && !match) refuse([{ field: `milestones.${k}.id`, zh: '节点不属于该事项', en: 'The milestone does not belong to this item' }]);
    if (match) await repo.updateMilestone(tx, match.id, { title: m.title, plannedOn: m.plannedOn, sortOrder: k });
    else await repo.insertMilestone(tx, { districtCode, itemId: id, title: m.title, plannedOn: m.plannedOn, sortOrder: k });
  }
  await recordAudit(tx, deps.clock, actor, { action: created ? 'projects.item.create' : 'projects.item.edit', targetType: 'project_item', targetId: id, detail: { code: body.code, source: opts.source } });
  return { id, created };
}

export async function saveItem(deps: ProjectsDeps, actor: AnyActor, year: number, body: ItemBody, opts: { isDemo?: boolean; mustExist?: boolean; mustBeNew?: boolean } = {}) {
  assertCan(actor, 'projects.manage');
  return deps.db.transaction(async (tx) => {
    const ctx = await itemContext(tx, actor.districtCode, year);
    const problems = checkItem(ctx, body);
    if (problems.length) refuse(problems);
    if (opts.mustExist && !(await repo.findItemByCode(tx, ctx.programme.id, body.code))) throw notFound(ITEM);
    return saveItemInside(deps, tx, actor, ctx, body, { isDemo: opts.isDemo ?? false, source: 'form', allowExisting: !opts.mustBeNew });
  });
}

export async function closeItem(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, id: string, body: { on: Day; reason: string }) {
  assertCan(actor, 'projects.manage');
  return deps.db.transaction(async (tx) => {
    if (!(await repo.lockItem(tx, actor.districtCode, id))) throw notFound(ITEM);
    const row = (await repo.findItem(tx, actor.districtCode, id))!;
    assertCan(actor, 'projects.manage', row.area_path);
    if (row.closed_on) throw conflict({ zh: `该事项已于 ${row.closed_on} 关闭`, en: `This item was closed on ${row.closed_on}` });
    const today = shanghaiDay(deps.clock());
    if (body.on > today) refuse([{ field: 'on', zh: '关闭日期不能晚于今天', en: 'The closing date cannot be in the future' }]);
    await repo.closeItem(tx, id, body.on, body.reason, deps.clock());
    await repo.appendEvent(tx, { districtCode: actor.districtCode, itemId: id, kind: 'closed', at: deps.clock(), actorId: actor.kind === 'user' ? actor.id : null, actorRole: actor.kind === 'user' ? actor.role : 'system', data: body });
    await recordAudit(tx, deps.clock, actor, { action: 'projects.item.close', targetType: 'project_item', targetId: id, detail: body });
    return { id, closedOn: body.on };
  });
}

// ---- progress reports -------------------------------------------------------------------------------

export async function reportProgress(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, itemId: string, body: ReportBody) {
  assertCan(actor, 'projects.report');
  const files = body.files.map((f) => ({ fileName: f.fileName, bytes: new Uint8Array(Buffer.from(f.contentBase64, 'base64')) }));
  return deps.db.transaction(async (tx) => {
    if (!(await repo.lockItem(tx, actor.districtCode, itemId))) throw notFound(ITEM);
    const row = (await repo.findItem(tx, actor.districtCode, itemId))!;
    if (!mayReport(actor, row)) {
      throw new AppError('forbidden', { zh: '只有责任部门的承办人可以报告该事项的进度', en: "Only the owner department's handlers may report on this item" });
    }
    const targets = await repo.listTargets(tx, [itemId]);
    const milestones = await repo.listMilestones(tx, [itemId]);
    const today = shanghaiDay(deps.clock());
    const problems = reportProblems(
      { asOf: body.asOf, values: body.values, milestones: body.milestones, stage: body.stage },
      { today, closedOn: row.closed_on, rule: row.progress_rule as ProgressRule, plannedStart: row.planned_start, targets: targets.map((t) => ({ id: t.id, kind: t.kind as TargetKind })), milestones },
    );
    const ev = evidenceProblems(files);
    problems.push(...ev.problems);
    if (body.correctsId) {
      const c = await repo.findReport(tx, actor.districtCode, body.correctsId);
      if (!c || c.item_id !== itemId) problems.push({ field: 'correctsId', zh: '被更正的报告不属于该事项', en: 'The corrected report does not belong to this item' });
    }
    if (problems.length) refuse(problems);
    const now = deps.clock();
    const reportId = await repo.insertReport(tx, {
      districtCode: actor.districtCode,
      itemId,
      asOf: body.asOf,
      stage: body.stage,
      narrative: body.narrative,
      values: body.values,
      milestones: body.milestones,
      correctsId: body.correctsId,
      reporterId: actor.kind === 'user' ? actor.id : null,
      reporterRole: actor.kind === 'user' ? actor.role : `system:${actor.reason}`,
      reporterUnit: actor.kind === 'user' ? actor.departmentCode : null,
      at: now,
    });
    const fileIds: string[] = [];
    for (const [k, f] of files.entries()) {
      const type = ev.types[k]!;
      fileIds.push(
        await repo.insertFile(tx, {
          districtCode: actor.districtCode,
          reportId,
          itemId,
          fileName: safeEvidenceName(f.fileName, type),
          mimeType: type,
          content: f.bytes,
          sha256: createHash('sha256').update(f.bytes).digest('hex'),
          at: now,
        }),
      );
    }
    await repo.appendEvent(tx, {
      districtCode: actor.districtCode,
      itemId,
      kind: 'reported',
      at: now,
      actorId: actor.kind === 'user' ? actor.id : null,
      actorRole: actor.kind === 'user' ? actor.role : 'system',
      data: { reportId, asOf: body.asOf, values: body.values, milestones: body.milestones, stage: body.stage, files: fileIds.length, correctsId: body.correctsId },
    });
    await recordAudit(tx, deps.clock, actor, { action: 'projects.report', targetType: 'project_item', targetId: itemId, detail: { reportId, asOf: body.asOf } });
    return { reportId, files: fileIds };
  });
}

/** A reviewer returns a report for correction: it stops counting at once; the owner files a new one. */
export async function returnReport(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, reportId: string, reason: string) {
  assertCan(actor, 'projects.manage');
  return deps.db.transaction(async (tx) => {
    const r = await repo.findReport(tx, actor.districtCode, reportId);
    if (!r) throw notFound(REPORT);
    await repo.lockItem(tx, actor.districtCode, r.item_id);
    const item = (await repo.findItem(tx, actor.districtCode, r.item_id))!;
    assertCan(actor, 'projects.manage', item.area_path);
    if (r.returned_at) throw conflict({ zh: '该报告已被退回', en: 'This report was already returned' });
    const now = deps.clock();
    await repo.insertReturn(tx, { districtCode: actor.districtCode, reportId, reason, by: actor.kind === 'user' ? actor.id : null, at: now });
    await repo.appendEvent(tx, { districtCode: actor.districtCode, itemId: r.item_id, kind: 'report_returned', at: now, actorId: actor.kind === 'user' ? actor.id : null, actorRole: actor.kind === 'user' ? actor.role : 'system', data: { reportId, reason } });
    await recordAudit(tx, deps.clock, actor, { action: 'projects.report.return', targetType: 'project_report', targetId: reportId, detail: { reason } });
    return { reportId, returned: true };
  });
}

// ---- the summary -----------------------------------------------------------------------------------

export async function summary(deps: Pick<ProjectsDeps, 'db' | 'clock'>, actor: AnyActor, year: number, date?: Day) {
  assertCan(actor, 'projects.read');
  const l = await loadProgramme(deps.db, actor.districtCode, year, date ?? shanghaiDay(deps.clock()));
  return summaryOf(l);
}

function summaryOf(l: Loaded) {
  const v = programmeView(l);
  const all = l.roots.flatMap(flattenViews);
  const overdueMilestones = all
    .flatMap((i) => i.milestones.filter((m) => m.overdueDays > 0).map((m) => ({ itemId: i.id, itemCode: i.code, itemTitle: i.title, milestone: m.title, plannedOn: m.plannedOn, overdueDays: m.overdueDays, owner: i.ownerDepartment })))
    .sort((a, b) => b.overdueDays - a.overdueDays);
  const leaves = all.filter((i) => i.children.length === 0);
  return {
    year: l.programme.year,
    title: l.programme.title,
    date: l.date,
    isDemo: l.programme.is_demo,
    headline: v.headline,
    counts: v.counts,
    progress: v.progress,
    budgetFen: l.roots.reduce((s, r) => s + r.budgetFen, 0),
    categories: v.categories,
    overdueMilestones,
    items: leaves.map((i) => ({ id: i.id, code: i.code, title: i.title, category: i.category.name, owner: i.ownerDepartment, progress: i.progress, expected: i.expected, status: i.status, statusName: i.statusName, plannedEnd: i.plannedEnd, lastReportOn: i.lastReportOn, targets: i.targets.map((t) => ({ metric: t.metric, unit: t.unit, target: t.target, current: t.current })) })),
  };
}
export type ProjectsSummary = ReturnType<typeof summaryOf>;

// ---- the public page --------------------------------------------------------------------------------

export interface PublicDeps extends ProjectsDeps {
  districtCode: string;
}

/** The published programme without a login: no reporter names, no returned reports or their files. */
export async function publicProgramme(deps: PublicDeps, year: number) {
  const on = shanghaiDay(deps.clock());
  const l = await loadProgramme(deps.db, deps.districtCode, year, on);
  const ids = l.rows.map((r) => r.id);
  const [files, ratings] = await Promise.all([repo.listFiles(deps.db, ids, true), repo.ratingStats(deps.db, ids)]);
  const rat = new Map(ratings.map((r) => [r.item_id, { count: r.count, average: Number(r.average) }]));
  const timelines = new Map<string, { asOf: Day; narrative: string; stage: string | null; files: { id: string; mimeType: string }[] }[]>();
  for (const r of l.reports) {
    if (r.returned_at) continue;
    const entry = { asOf: r.as_of, narrative: r.narrative, stage: r.stage, files: files.filter((f) => f.report_id === r.id).map((f) => ({ id: f.id, mimeType: f.mime_type })) };
    timelines.set(r.item_id, [...(timelines.get(r.item_id) ?? []), entry]);
  }
  const v = programmeView(l);
  const system: SystemActor = { kind: 'system', districtCode: deps.districtCode, reason: 'public-projects' };
  const outline = await areasService.areasGeoJson(deps, system, 'subdistrict');
  return {
    ...v,
    outline,
    extras: Object.fromEntries(
      ids.map((id) => [id, { timeline: (timelines.get(id) ?? []).slice().reverse(), rating: rat.get(id) ?? { count: 0, average: null } }]),
    ),
  };
}

export async function publicFile(deps: PublicDeps, id: string) {
  const f = await repo.getFile(deps.db, deps.districtCode, id);
  if (!f || f.returned) throw notFound(FILE);
  return { fileName: f.file_name, mimeType: f.mime_type, content: Buffer.from(f.content) };
}

/** A resident rates a completed item, once per device token (ADR 0032). */
export async function rateItem(deps: PublicDeps, itemId: string, body: RatingBody) {
  const system: SystemActor = { kind: 'system', districtCode: deps.districtCode, reason: 'resident-project-rating' };
  return deps.db.transaction(async (tx) => {
    const row = await repo.findItem(tx, deps.districtCode, itemId);
    if (!row) throw notFound(ITEM);
    const programme = (await repo.listProgrammes(tx, deps.districtCode)).find((p) => p.id === row.programme_id)!;
    const l = await loadFor(tx, programme, shanghaiDay(deps.clock()));
    const v = l.roots.flatMap(flattenViews).find((x) => x.id === itemId)!;
    if (v.status !== 'completed') throw conflict({ zh: '只有已完成的事项可以评价', en: 'Only a completed item can be rated' });
    const voterHash = createHash('sha256').update(`${deps.districtCode}:${body.deviceToken}`).digest('hex');
    const ok = await repo.insertRating(tx, { districtCode: deps.districtCode, itemId, voterHash, score: body.score, comment: body.comment ?? null, at: deps.clock() });
    if (!ok) throw conflict({ zh: '您已评价过该事项', en: 'You have already rated this item' });
    await recordAudit(tx, deps.clock, system, { action: 'projects.rate', targetType: 'project_item', targetId: itemId, detail: { score: body.score } });
    const stats = (await repo.ratingStats(tx, [itemId]))[0]!;
    return { count: stats.count, average: Number(stats.average) };
  });
}

export { loadProgramme as _loadProgrammeForExport, summaryOf, checkItem, itemContext, saveItemInside, type Loaded, type ItemContext };
