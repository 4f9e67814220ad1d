/**
 * Use cases of the areas module: the division tree, boundaries, the point lookup, grid staff.
 * Every use case authorizes here and passes the actor's scope into its SQL.
 */
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { assertCan, can, maskPhone, scopeOf, type AnyActor } from '../../shared/authz';
import { areaPath, childPath } from '../../shared/area-path';
import { recordAudit } from '../audit';
import * as repo from './repo';
import { readDivision, type DivisionTree } from './division';
import type { AddStaffBody, AreaLevel, AreaView, LocateQuery, LocateResult, StaffView } from './contract';
import { type LocatorCache } from './locator';
import { pointToWgs84, geometryToWgs84, type Crs } from './core/crs';
import { validateAreaGeometry, findSiblingOverlaps, siblingOverlapProblem, type GeometryProblem } from './core/validate';
import { bboxOf, type AreaGeometry } from './core/geometry';
import { generateDemoGeometry } from './core/demo-geometry';

export interface AreasDeps {
  db: Db;
  clock: Clock;
  locators: LocatorCache;
}

const AREA = { zh: '区域', en: 'Area' };

function toView(r: repo.AreaRow): AreaView {
  return {
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    path: r.path,
    statisticalCode: r.statistical_code,
    isDemo: r.is_demo,
    hasGeometry: r.has_geometry,
    childCount: r.child_count,
  };
}

// ---- division import -------------------------------------------------------------------

export interface DivisionImportResult {
  district: { code: string; name: string };
  subdistricts: number;
  communities: number;
  inserted: number;
  updated: number;
}

/** 区 → 街道 → 社区 from the national statistical codes. Idempotent: a rerun updates names. */
export async function importDivision(
  deps: Pick<AreasDeps, 'db' | 'clock'>,
  actor: AnyActor,
  districtCode: string,
  onProgress?: (done: number, total: number) => void,
): Promise<DivisionImportResult> {
  assertCan(actor, 'areas.manage');
  const tree = await readDivision(districtCode);
  return deps.db.transaction(async (tx) => {
    const result = await writeDivision(tx, tree, onProgress);
    await recordAudit(tx, deps.clock, actor, {
      action: 'areas.import_division',
      targetType: 'area',
      targetId: districtCode,
      detail: { subdistricts: result.subdistricts, communities: result.communities },
    });
    return result;
  });
}

async function writeDivision(
  tx: Queryable,
  tree: DivisionTree,
  onProgress?: (done: number, total: number) => void,
): Promise<DivisionImportResult> {
  const d = tree.district;
  const total = 1 + tree.subdistricts.reduce((n, s) => n + 1 + s.communities.length, 0);
  let done = 0;
  const counts = { inserted: 0, updated: 0 };
  const put = async (a: Parameters<typeof repo.upsertArea>[1]) => {
    counts[await repo.upsertArea(tx, a) === 'inserted' ? 'inserted' : 'updated']++;
    onProgress?.(++done, total);
  };
  // A district gets the standard grid staff kinds (网格员, 电力服务员 …) with its tree.
  for (const [i, k] of DEFAULT_STAFF_KINDS.entries()) {
    await repo.insertStaffKindIfAbsent(tx, { districtCode: d.code, code: k.code, name: k.name, nameEn: k.nameEn, sortOrder: i });
  }
  const districtPath = areaPath([d.code]);
  await put({ districtCode: d.code, code: d.code, level: 'district', name: d.name, parentCode: null, path: districtPath, statisticalCode: `${d.code}000000`, isDemo: false });
  for (const s of tree.subdistricts) {
    const sPath = childPath(districtPath, s.code);
    await put({ districtCode: d.code, code: s.code, level: 'subdistrict', name: s.name, parentCode: d.code, path: sPath, statisticalCode: `${s.code}000`, isDemo: false });
    for (const c of s.communities) {
      await put({ districtCode: d.code, code: c.code, level: 'community', name: c.name, parentCode: s.code, path: childPath(sPath, c.code), statisticalCode: c.code, isDemo: false });
    }
  }
  return {
    district: { code: d.code, name: d.name },
    subdistricts: tree.subdistricts.length,
    communities: tree.subdistricts.reduce((n, s) => n + s.communities.length, 0),
    ...counts,
  };
}

// ---- reading the tree ---------------------------------------------------------------------

export async function listAreas(deps: Pick<AreasDeps, 'db'>, actor: AnyActor, parentCode?: string): Promise<AreaView[]> {
  assertCan(actor, 'areas.read');
  const parent = parentCode ?? actor.districtCode;
  const rows = await repo.listChildren(deps.db, actor.districtCode, parent, scopeOf(actor));
  return rows.map(toView);
}

export async function getAreaDetail(
  deps: Pick<AreasDeps, 'db' | 'clock'>,
  actor: AnyActor,
  code: string,
): Promise<{ area: AreaView; staff: StaffView[] }> {
  assertCan(actor, 'areas.read');
  const area = await repo.findArea(deps.db, actor.districtCode, code);
  if (!area) throw notFound(AREA);
  const scope = scopeOf(actor);
  // An ancestor of the actor's own area may be looked at (its name), not its staff.
  const inScope = area.path.startsWith(scope);
  if (!inScope && !scope.startsWith(area.path)) {
    throw new AppError('out_of_scope', { zh: '该区域不在您的管辖范围内', en: 'This area is outside your jurisdiction' });
  }
  const staff = inScope && can(actor, 'areas.staff.read') ? await repo.listStaff(deps.db, actor.districtCode, code, scope) : [];
  return { area: toView(area), staff: staff.map(staffView) };
}

function staffView(s: repo.StaffRow): StaffView {
  return {
    id: s.id,
    staffKind: s.staff_kind,
    staffKindName: s.staff_kind_name,
    name: s.name,
    // Staff phones are work numbers that residents are given; still masked in lists, and
    // shown in full only through an audited read (a later ticket/contact use case).
    phone: maskPhone(s.phone),
    userId: s.user_id,
    isDemo: s.is_demo,
  };
}

export async function areasGeoJson(deps: Pick<AreasDeps, 'db'>, actor: AnyActor, level: AreaLevel) {
  assertCan(actor, 'areas.read');
  const rows = await repo.listAreaShapes(deps.db, actor.districtCode, scopeOf(actor), level);
  return {
    type: 'FeatureCollection' as const,
    features: rows
      .filter((r) => r.geometry)
      .map((r) => ({
        type: 'Feature' as const,
        id: r.code,
        properties: { code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, isDemo: r.is_demo },
        geometry: r.geometry,
      })),
  };
}

export async function subdistrictStats(deps: Pick<AreasDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'areas.read');
  const rows = await repo.subdistrictStats(deps.db, actor.districtCode, scopeOf(actor));
  return rows.map((r) => ({ code: r.code, name: r.name, communities: r.communities, gridCells: r.grid_cells }));
}

// ---- point lookup ---------------------------------------------------------------------------

/** Public: a resident scanning a QR code is not signed in. Answers only area names. */
export async function locatePoint(deps: AreasDeps, districtCode: string, q: LocateQuery): Promise<LocateResult> {
  const wgs84 = pointToWgs84(q.lon, q.lat, q.crs);
  const locator = await deps.locators.get(deps.db, districtCode);
  return locator.locate(wgs84);
}

// ---- boundary import ------------------------------------------------------------------------

export interface FeatureProblem {
  index: number;
  code: string | null;
  problems: { code: string; zh: string; en: string }[];
}

export interface GeoJsonImportResult {
  level: AreaLevel;
  features: number;
  imported: number;
  created: number;
  rejected: FeatureProblem[];
  dryRun: boolean;
}

export interface GeoJsonImportInput {
  level: AreaLevel;
  collection: unknown;
  codeProperty?: string;
  nameProperty?: string;
  crs: Crs;
  source: string;
  dryRun?: boolean;
}

const problem = (code: string, zh: string, en: string) => ({ code, zh, en });

/**
 * Import boundaries for one level. Each feature is checked on its own (a code that names an
 * area of that level, a valid geometry, no overlap with its siblings); valid ones are written in
 * one transaction, the rest are reported with their index and code. Grid cells may be created
 * by the import (they are not statistical units): their 15-digit code starts with the
 * community's 12-digit code.
 */
export async function importGeoJson(
  deps: AreasDeps,
  actor: AnyActor,
  input: GeoJsonImportInput,
  onProgress?: (done: number, total: number) => void,
): Promise<GeoJsonImportResult> {
  assertCan(actor, 'areas.manage');
  const features = featuresOf(input.collection);
  const codeProperty = input.codeProperty ?? 'code';
  const nameProperty = input.nameProperty ?? 'name';
  const rejected: FeatureProblem[] = [];
  const accepted: { index: number; code: string; name: string | null; parent: repo.AreaRow | undefined; existing: repo.AreaRow | undefined; geometry: AreaGeometry }[] = [];

  for (const [index, f] of features.entries()) {
    onProgress?.(index, features.length * 2);
    const props = f && typeof f === 'object' && 'properties' in f && f.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
    const rawCode = props[codeProperty];
    const code = typeof rawCode === 'number' || typeof rawCode === 'string' ? String(rawCode).trim() : null;
    const issues: FeatureProblem['problems'] = [];
    if (!f || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature') {
      issues.push(problem('not_a_feature', '不是 GeoJSON Feature', 'not a GeoJSON Feature'));
    }
    if (!code) {
      issues.push(problem('missing_code', `缺少编码属性“${codeProperty}”`, `missing code property "${codeProperty}"`));
    }
    const existing = code ? await repo.findArea(deps.db, actor.districtCode, code) : undefined;
    let parent: repo.AreaRow | undefined;
    if (code && input.level === 'grid_cell') {
      if (!/^[0-9]{15}$/.test(code)) {
        issues.push(problem('bad_code', `网格编码应为15位数字（社区12位编码+3位序号），收到“${code}”`, `a grid cell code has 15 digits (12-digit community code + 3); got "${code}"`));
      } else {
        parent = await repo.findArea(deps.db, actor.districtCode, code.slice(0, 12));
        if (!parent || parent.level !== 'community') {
          issues.push(problem('unknown_parent', `编码 ${code.slice(0, 12)} 不是本区的社区`, `${code.slice(0, 12)} is not a community of this district`));
        }
      }
      if (existing && existing.level !== 'grid_cell') {
        issues.push(problem('wrong_level', `编码 ${code} 已被非网格区域使用`, `code ${code} belongs to an area that is not a grid cell`));
      }
    } else if (code) {
      if (!existing) {
        issues.push(problem('unknown_code', `编码 ${code} 不是本区已有的区域（先运行 areas import-division）`, `code ${code} is not an area of this district (run areas import-division first)`));
      } else if (existing.level !== input.level) {
        issues.push(problem('wrong_level', `编码 ${code} 是${existing.level}级，不是${input.level}级`, `code ${code} is a ${existing.level}, not a ${input.level}`));
      }
    }
    const checked = validateAreaGeometry(f && typeof f === 'object' ? (f as { geometry?: unknown }).geometry : undefined);
    if (!checked.ok) issues.push(...checked.problems.map((p: GeometryProblem) => problem(p.code, p.zh, p.en)));
    if (existing && !existing.path.startsWith(scopeOf(actor))) {
      issues.push(problem('out_of_scope', '该区域不在您的管辖范围内', 'this area is outside your jurisdiction'));
    }
    if (issues.length > 0 || !code || !checked.ok) {
      rejected.push({ index, code, problems: issues });
      continue;
    }
    const rawName = props[nameProperty];
    accepted.push({
      index,
      code,
      name: typeof rawName === 'string' && rawName.trim() ? rawName.trim().slice(0, 100) : null,
      parent,
      existing,
      geometry: geometryToWgs84(checked.geometry, input.crs),
    });
  }

  // Siblings (same parent) must not overlap: among this import, and against boundaries
  // already stored that this import does not replace.
  const parentOf = (a: (typeof accepted)[number]) => a.existing?.parent_code ?? a.parent?.code ?? '';
  const groups = new Map<string, typeof accepted>();
  for (const a of accepted) groups.set(parentOf(a), [...(groups.get(parentOf(a)) ?? []), a]);
  const bad = new Map<string, FeatureProblem['problems']>();
  for (const [parentCode, members] of groups) {
    const replaced = new Set(members.map((m) => m.code));
    const stored = parentCode
      ? (await repo.listAreaShapes(deps.db, actor.districtCode, `/${actor.districtCode}/`, input.level)).filter(
          (r) => r.parent_code === parentCode && r.geometry && !replaced.has(r.code),
        )
      : [];
    const overlaps = findSiblingOverlaps([
      ...members.map((m) => ({ key: m.code, geometry: m.geometry })),
      ...stored.map((s) => ({ key: s.code, geometry: s.geometry as AreaGeometry })),
    ]);
    for (const o of overlaps) {
      const p = siblingOverlapProblem(o);
      for (const key of [o.a, o.b]) if (replaced.has(key)) bad.set(key, [...(bad.get(key) ?? []), problem(p.code, p.zh, p.en)]);
    }
  }
  const good = accepted.filter((a) => !bad.has(a.code));
  for (const a of accepted) if (bad.has(a.code)) rejected.push({ index: a.index, code: a.code, problems: bad.get(a.code)! });
  rejected.sort((x, y) => x.index - y.index);

  let created = 0;
  if (!input.dryRun && good.length > 0) {
    await deps.db.transaction(async (tx) => {
      for (const [i, a] of good.entries()) {
        if (input.level === 'grid_cell' && !a.existing && a.parent) {
          await repo.upsertArea(tx, {
            districtCode: actor.districtCode,
            code: a.code,
            level: 'grid_cell',
            name: a.name ?? `${a.parent.name}网格${a.code.slice(12)}`,
            parentCode: a.parent.code,
            path: `${a.parent.path}${a.code}/`,
            statisticalCode: null,
            isDemo: false,
          });
          created++;
        }
        await repo.setGeometry(tx, actor.districtCode, a.code, a.geometry, bboxOf(a.geometry), input.source);
        onProgress?.(features.length + i + 1, features.length * 2);
      }
      await recordAudit(tx, deps.clock, actor, {
        action: 'areas.import_geojson',
        targetType: 'area_level',
        targetId: input.level,
        detail: { source: input.source, crs: input.crs, imported: good.length, created, rejected: rejected.length },
      });
    });
    deps.locators.invalidate(actor.districtCode);
  }
  onProgress?.(features.length * 2, features.length * 2);
  return { level: input.level, features: features.length, imported: input.dryRun ? 0 : good.length, created, rejected, dryRun: !!input.dryRun };
}

function featuresOf(collection: unknown): unknown[] {
  if (collection && typeof collection === 'object') {
    const c = collection as { type?: unknown; features?: unknown };
    if (c.type === 'FeatureCollection' && Array.isArray(c.features)) return c.features;
    if (c.type === 'Feature') return [collection];
  }
  throw new AppError('validation_failed', {
    zh: '文件不是 GeoJSON FeatureCollection（应有 "type": "FeatureCollection" 和 "features" 数组）',
    en: 'The file is not a GeoJSON FeatureCollection (expected "type": "FeatureCollection" and a "features" array)',
  });
}

// ---- grid staff -----------------------------------------------------------------------------

export async function addGridStaff(deps: Pick<AreasDeps, 'db' | 'clock'>, actor: AnyActor, code: string, body: AddStaffBody): Promise<StaffView> {
  return deps.db.transaction(async (tx) => {
    const area = await repo.findArea(tx, actor.districtCode, code);
    if (!area) throw notFound(AREA);
    assertCan(actor, 'areas.staff.manage', area.path);
    const kinds = await repo.listStaffKinds(tx, actor.districtCode);
    const kind = kinds.find((k) => k.code === body.staffKind);
    if (!kind) {
      throw new AppError('validation_failed', {
        zh: `人员类型“${body.staffKind}”不存在，可选：${kinds.map((k) => `${k.code}（${k.name}）`).join('、')}`,
        en: `Unknown staff kind "${body.staffKind}"; choose one of ${kinds.map((k) => k.code).join(', ')}`,
      });
    }
    const id = await repo.insertStaff(tx, {
      districtCode: actor.districtCode,
      areaCode: code,
      areaPath: area.path,
      staffKind: kind.code,
      name: body.name,
      phone: body.phone ?? null,
      userId: body.userId ?? null,
      isDemo: false,
    });
    await recordAudit(tx, deps.clock, actor, { action: 'areas.staff.add', targetType: 'area', targetId: code, detail: { staffId: id, staffKind: kind.code } });
    const [row] = (await repo.listStaff(tx, actor.districtCode, code, area.path)).filter((s) => s.id === id);
    return staffView(row!);
  });
}

export async function removeGridStaff(deps: Pick<AreasDeps, 'db' | 'clock'>, actor: AnyActor, code: string, staffId: string): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const area = await repo.findArea(tx, actor.districtCode, code);
    if (!area) throw notFound(AREA);
    assertCan(actor, 'areas.staff.manage', area.path);
    if (!(await repo.deleteStaff(tx, actor.districtCode, code, staffId, scopeOf(actor)))) throw notFound({ zh: '人员', en: 'Staff assignment' });
    await recordAudit(tx, deps.clock, actor, { action: 'areas.staff.remove', targetType: 'area', targetId: code, detail: { staffId } });
  });
}

export async function listStaffKinds(deps: Pick<AreasDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'areas.read');
  const rows = await repo.listStaffKinds(deps.db, actor.districtCode);
  return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en }));
}

// ---- demo district --------------------------------------------------------------------------

export const DEFAULT_STAFF_KINDS = [
  { code: 'grid_worker', name: '网格员', nameEn: 'Grid worker' },
  { code: 'power_service', name: '电力服务员', nameEn: 'Power-supply attendant' },
  { code: 'family_doctor', name: '家庭医生团队', nameEn: 'Family-doctor team' },
  { code: 'auxiliary_police', name: '辅警', nameEn: 'Auxiliary police officer' },
  { code: 'legal_advisor', name: '法律顾问', nameEn: 'Legal adviser' },
  { code: 'property_manager', name: '物业管家', nameEn: 'Property manager' },
] as const;

export interface DemoAreaSeed {
  districtCode: string;
  center: [number, number];
  radiusKm: number;
  gridCellsPerCommunity: number;
}

/**
 * Seeds a district's division tree plus a generated, deterministic demo geometry (every row
 * flagged is_demo where it is invented: boundaries and grid cells; real names and codes stay
 * real). Runs once, in one transaction, on first start.
 */
export async function seedDemoAreas(
  deps: Pick<AreasDeps, 'db' | 'clock'>,
  actor: AnyActor,
  seed: DemoAreaSeed,
): Promise<{ subdistricts: number; communities: number; gridCells: number }> {
  assertCan(actor, 'areas.manage');
  const tree = await readDivision(seed.districtCode);
  const shapes = generateDemoGeometry({
    seed: `minsheng-demo-${seed.districtCode}`,
    center: seed.center,
    radiusKm: seed.radiusKm,
    subdistricts: tree.subdistricts.map((s) => ({ code: s.code, communities: s.communities.map((c) => ({ code: c.code })) })),
    gridCellsPerCommunity: seed.gridCellsPerCommunity,
  });
  const source = 'demo-generated';
  return deps.db.transaction(async (tx) => {
    await writeDivision(tx, tree);
    const put = (code: string, g: AreaGeometry) => repo.setGeometry(tx, seed.districtCode, code, g, bboxOf(g), source);
    await put(seed.districtCode, shapes.district);
    for (const [code, g] of shapes.subdistricts) await put(code, g);
    for (const [code, g] of shapes.communities) await put(code, g);
    const communities = new Map(tree.subdistricts.flatMap((s) => s.communities.map((c) => [c.code, { ...c, path: `/${seed.districtCode}/${s.code}/${c.code}/` }] as const)));
    for (const cell of shapes.gridCells) {
      const community = communities.get(cell.communityCode)!;
      const suffix = String(cell.index + 1).padStart(3, '0');
      const code = `${community.code}${suffix}`;
      await repo.upsertArea(tx, {
        districtCode: seed.districtCode,
        code,
        level: 'grid_cell',
        name: `${community.name}第${cell.index + 1}网格`,
        parentCode: community.code,
        path: `${community.path}${code}/`,
        statisticalCode: null,
        isDemo: true,
      });
      await put(code, cell.geometry);
    }
    await recordAudit(tx, deps.clock, actor, {
      action: 'areas.seed_demo',
      targetType: 'area',
      targetId: seed.districtCode,
      detail: { gridCells: shapes.gridCells.length, geometry: 'demo-generated' },
    });
    return { subdistricts: tree.subdistricts.length, communities: communities.size, gridCells: shapes.gridCells.length };
  });
}

export async function insertDemoStaff(
  tx: Queryable,
  s: { districtCode: string; areaCode: string; areaPath: string; staffKind: string; name: string; phone: string; userId: string | null },
): Promise<void> {
  await repo.insertStaff(tx, { ...s, isDemo: true });
}

export async function listAreaRows(q: Queryable, districtCode: string, level: AreaLevel) {
  return repo.listAreaShapes(q, districtCode, `/${districtCode}/`, level);
}

export { findArea } from './repo';
