/**
 * Use cases of 服务圈: the facility registry (types are data), imports with a per-row report,
 * population and road-network imports, coverage of a population by a facility type under a
 * standard, siting of new facilities, the QR code of a facility. Every use case authorizes here;
 * every list is scoped in its SQL; every write is audited in its transaction.
 */
import QRCode from 'qrcode';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { assertCan, scopeOf, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { areasService, pointToWgs84, type LocatorCache, type Crs } from '../areas';
import * as repo from './repo';
import type { CoverageLevel, CoveragePointsQuery, CoverageQuery, FacilityBody, ImportBody, ListFacilitiesQuery, NetworkImportBody, PopulationImportBody, SitingBody } from './contract';
import type { FACILITY_STATUSES } from './contract';
import { DEFAULT_FACILITY_TYPES, GROUP_NAMES, describeStandard, reachMetres, type PopulationGroup, type Standard } from './core/standards';
import { computeCoverage, type CoverageResult, type Points } from './core/coverage';
import { buildNetwork, networkCoverage } from './core/network';
import { greedySiting, latticeCandidates } from './core/siting';
import { areaKm2, interiorPoint, planeFor, type Plane, type Polygonal } from './core/plane';
import { demoBuildings, demoFacilities, type DemoCell } from './core/demo';
import { maskLabel, pointsPopulationSource, type PopulationLoad, type PopulationSource } from './population';
import { parseCsv, parseGeoJsonPoints, parseXlsx, pick, type RawRow } from './import-rows';

export interface FacilitiesDeps {
  db: Db;
  clock: Clock;
  locators: LocatorCache;
  publicBaseUrl: string;
  /** where people live; defaults to the module's own population points */
  facilityPopulation?: PopulationSource | undefined;
}

const FACILITY = { zh: '设施', en: 'Facility' };
const TYPE = { zh: '设施类型', en: 'Facility type' };
const bad = (zh: string, en: string, details?: unknown) => new AppError('validation_failed', { zh, en }, details);

// ---- types ----------------------------------------------------------------------------------

/** Default types with their standards, once per district (the demo seed and `facilities init`). */
export async function seedFacilityTypes(q: Queryable, districtCode: string): Promise<void> {
  for (const [i, t] of DEFAULT_FACILITY_TYPES.entries()) await repo.insertTypeIfAbsent(q, districtCode, t, i);
}

function standardOf(t: repo.TypeRow): Standard {
  return { mode: t.standard_mode, radiusM: t.radius_m, minutes: t.minutes, speedKmh: t.speed_kmh, detourFactor: t.detour_factor };
}

export function typeView(t: repo.TypeRow) {
  const standard = standardOf(t);
  return {
    code: t.code,
    name: t.name,
    nameEn: t.name_en,
    capacityUnit: t.capacity_unit,
    capacityUnitEn: t.capacity_unit_en,
    standard: { ...standard, reachM: Math.round(reachMetres(standard)), description: describeStandard(standard) },
    populationGroup: t.population_group,
    perKm2Target: t.per_km2_target,
    basis: t.basis,
  };
}
export type FacilityTypeView = ReturnType<typeof typeView>;

export async function listFacilityTypes(deps: Pick<FacilitiesDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'facilities.read');
  const [types, counts] = await Promise.all([repo.listTypes(deps.db, actor.districtCode), repo.countByType(deps.db, actor.districtCode, scopeOf(actor))]);
  const byType = new Map(counts.map((c) => [c.type_code, c]));
  return { items: types.map((t) => ({ ...typeView(t), facilities: byType.get(t.code)?.n ?? 0, active: byType.get(t.code)?.active ?? 0 })) };
}

async function getType(q: Queryable, districtCode: string, code: string): Promise<repo.TypeRow> {
  const t = await repo.findType(q, districtCode, code);
  if (!t) throw notFound(TYPE);
  return t;
}

// ---- the registry ---------------------------------------------------------------------------

export function facilityView(f: repo.FacilityRow) {
  return {
    id: f.id,
    type: f.type_code,
    name: f.name,
    lon: f.lon,
    lat: f.lat,
    address: f.address,
    gridCell: f.grid_cell_code ? { code: f.grid_cell_code, name: f.grid_cell_name } : null,
    community: f.community_code ? { code: f.community_code, name: f.community_name } : null,
    subdistrict: f.subdistrict_code ? { code: f.subdistrict_code, name: f.subdistrict_name } : null,
    capacity: f.capacity,
    openingHours: f.opening_hours,
    ownerUnit: f.owner_unit,
    status: f.status,
    externalId: f.external_id,
    source: f.source,
    isDemo: f.is_demo,
    updatedAt: new Date(f.updated_at).toISOString(),
  };
}
export type FacilityView = ReturnType<typeof facilityView>;

export async function listFacilities(deps: Pick<FacilitiesDeps, 'db'>, actor: AnyActor, query: ListFacilitiesQuery) {
  assertCan(actor, 'facilities.read');
  const { rows, total } = await repo.listFacilities(deps.db, actor.districtCode, scopeOf(actor), {
    type: query.type,
    status: query.status,
    q: query.q,
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { items: rows.map(facilityView), total, page: query.page, pageSize: query.pageSize };
}

export async function getFacility(deps: Pick<FacilitiesDeps, 'db'>, actor: AnyActor, id: string) {
  assertCan(actor, 'facilities.read');
  const f = await repo.findFacility(deps.db, actor.districtCode, id);
  if (!f) throw notFound(FACILITY);
  assertCan(actor, 'facilities.read', f.area_path);
  return { facility: facilityView(f), qr: { svg: `/api/v1/public/facility-qr/${f.id}.svg`, png: `/api/v1/public/facility-qr/${f.id}.png` } };
}

interface Located {
  lon: number;
  lat: number;
  path: string;
  gridCellCode: string | null;
  communityCode: string | null;
  subdistrictCode: string | null;
}

async function locate(deps: Pick<FacilitiesDeps, 'db' | 'locators'>, districtCode: string, lon: number, lat: number, crs: Crs): Promise<Located | null> {
  const r = await areasService.locatePoint({ ...deps, clock: () => new Date(0) }, districtCode, { lon, lat, crs });
  if (!r.inside) return null;
  return {
    lon: Math.round(r.wgs84[0] * 1e7) / 1e7,
    lat: Math.round(r.wgs84[1] * 1e7) / 1e7,
    path: r.path,
    gridCellCode: r.gridCell?.code ?? null,
    communityCode: r.community?.code ?? null,
    subdistrictCode: r.subdistrict?.code ?? null,
  };
}

export async function createFacility(deps: FacilitiesDeps, actor: AnyActor, body: FacilityBody) {
  assertCan(actor, 'facilities.manage');
  await getType(deps.db, actor.districtCode, body.type);
  const at = await locate(deps, actor.districtCode, body.lon, body.lat, body.crs);
  if (!at) throw bad('该位置不在本区范围内', 'This location is outside the district');
  assertCan(actor, 'facilities.manage', at.path);
  return deps.db.transaction(async (tx) => {
    const { id } = await repo.upsertFacility(tx, {
      districtCode: actor.districtCode,
      typeCode: body.type,
      name: body.name,
      lon: at.lon,
      lat: at.lat,
      address: body.address ?? null,
      areaPath: at.path,
      gridCellCode: at.gridCellCode,
      communityCode: at.communityCode,
      subdistrictCode: at.subdistrictCode,
      capacity: body.capacity ?? null,
      openingHours: body.openingHours ?? null,
      ownerUnit: body.ownerUnit ?? null,
      status: body.status,
      externalId: body.externalId ?? null,
      source: 'manual',
      isDemo: false,
      at: deps.clock(),
    });
    await recordAudit(tx, deps.clock, actor, { action: 'facilities.create', targetType: 'facility', targetId: id, detail: { type: body.type, crs: body.crs } });
    return { facility: facilityView((await repo.findFacility(tx, actor.districtCode, id))!) };
  });
}

// ---- imports --------------------------------------------------------------------------------

export interface RowProblem {
  row: number;
  name: string | null;
  problems: { code: string; zh: string; en: string }[];
}

export interface ImportReport {
  rows: number;
  imported: number;
  inserted: number;
  updated: number;
  rejected: RowProblem[];
  dryRun: boolean;
}

const STATUS_WORDS: Record<string, (typeof FACILITY_STATUSES)[number]> = {
  active: 'active', 运营: 'active', 运营中: 'active', 正常: 'active', 在用: 'active', 启用: 'active',
  planned: 'planned', 规划: 'planned', 在建: 'planned', 筹建: 'planned',
  suspended: 'suspended', 暂停: 'suspended', 停用: 'suspended',
  closed: 'closed', 关闭: 'closed', 撤销: 'closed',
};

const problem = (code: string, zh: string, en: string) => ({ code, zh, en });

async function readRows(format: 'csv' | 'xlsx' | 'geojson', content: string): Promise<RawRow[]> {
  const rows = format === 'csv' ? parseCsv(content) : format === 'xlsx' ? await parseXlsx(content) : parseGeoJsonPoints(content);
  if (rows.length === 0) throw bad('文件中没有数据行', 'The file has no data rows');
  if (rows.length > 20_000) throw bad(`一次最多导入 20000 行，收到 ${rows.length} 行；请分批导入`, `At most 20,000 rows at a time (got ${rows.length}); split the file`);
  return rows;
}

function parseNumber(v: string | undefined): number | null {
  if (v === undefined) return null;
  const n = Number(v.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/**
 * Facilities from CSV, Excel or GeoJSON. Each row is checked on its own (type, name, a point
 * inside the district and the actor's scope, capacity, status); the good rows are written in one
 * transaction (a row with an external id updates the facility it names), the bad ones reported
 * with their row number. A dry run checks and writes nothing.
 */
export async function importFacilities(
  deps: FacilitiesDeps,
  actor: AnyActor,
  body: ImportBody & { source?: string },
  onProgress?: (done: number, total: number) => void,
): Promise<ImportReport> {
  assertCan(actor, 'facilities.manage');
  const rows = await readRows(body.format, body.content);
  const types = await repo.listTypes(deps.db, actor.districtCode);
  const typeByWord = new Map<string, string>();
  for (const t of types) for (const w of [t.code, t.name, t.name_en.toLowerCase()]) typeByWord.set(w, t.code);
  const rejected: RowProblem[] = [];
  const good: repo.NewFacility[] = [];
  const scope = scopeOf(actor);
  const now = deps.clock();
  for (const [i, r] of rows.entries()) {
    onProgress?.(i, rows.length * 2);
    const c = r.cells;
    const issues: RowProblem['problems'] = [];
    const name = pick(c, 'name', '名称', '设施名称') ?? null;
    const typeWord = pick(c, 'type', '类型', '设施类型') ?? body.type;
    const typeCode = typeWord ? typeByWord.get(typeWord) ?? typeByWord.get(typeWord.toLowerCase()) : undefined;
    if (!typeWord) issues.push(problem('missing_type', '缺少设施类型（type/类型 列，或导入时指定类型）', 'missing facility type (a type column, or a type for the whole import)'));
    else if (!typeCode) issues.push(problem('unknown_type', `未知的设施类型“${typeWord}”`, `unknown facility type "${typeWord}"`));
    if (!name) issues.push(problem('missing_name', '缺少名称（name/名称 列）', 'missing name (a name column)'));
    else if (name.length > 100) issues.push(problem('name_too_long', '名称超过100个字', 'name longer than 100 characters'));
    if (c.__geometry) issues.push(problem('not_a_point', `要素几何应为 Point，收到 ${c.__geometry}`, `the feature geometry must be a Point, got ${c.__geometry}`));
    const lon = parseNumber(pick(c, 'lon', 'lng', 'longitude', '经度', 'x'));
    const lat = parseNumber(pick(c, 'lat', 'latitude', '纬度', 'y'));
    let at: Located | null = null;
    if (!c.__geometry) {
      if (lon === null || lat === null || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        issues.push(problem('bad_coordinates', '经度/纬度缺失或不是有效数字', 'longitude/latitude missing or not a valid number'));
      } else {
        at = await locate(deps, actor.districtCode, lon, lat, body.crs);
        if (!at) issues.push(problem('outside_district', `坐标 (${lon}, ${lat}) 不在本区范围内（坐标系 ${body.crs}）`, `(${lon}, ${lat}) is outside the district (coordinates read as ${body.crs})`));
        else if (!at.path.startsWith(scope)) issues.push(problem('out_of_scope', '该位置不在您的管辖范围内', 'this location is outside your jurisdiction'));
      }
    }
    const capText = pick(c, 'capacity', '容量', '规模', '床位', '座位', '充电桩数');
    const capacity = capText === undefined ? null : parseNumber(capText);
    if (capText !== undefined && (capacity === null || capacity < 0 || !Number.isInteger(capacity) || capacity > 10_000_000)) {
      issues.push(problem('bad_capacity', `容量“${capText}”应为非负整数`, `capacity "${capText}" must be a whole number ≥ 0`));
    }
    const statusText = pick(c, 'status', '状态');
    const status = statusText === undefined ? 'active' : STATUS_WORDS[statusText.toLowerCase()];
    if (!status) issues.push(problem('bad_status', `状态“${statusText}”无法识别（运营/规划/停用/关闭）`, `unknown status "${statusText}" (active/planned/suspended/closed)`));
    const externalId = pick(c, 'external_id', 'id', '编号', '设施编号') ?? null;
    if (externalId && !/^[A-Za-z0-9_.:-]{1,64}$/.test(externalId)) issues.push(problem('bad_external_id', '编号只能含字母、数字和 _.:-，最长64位', 'the id may hold letters, digits and _.:- only, up to 64'));
    if (issues.length > 0 || !at || !typeCode || !name || !status) {
      rejected.push({ row: r.row, name, problems: issues });
      continue;
    }
    const text = (v: string | undefined, max: number) => (v ? v.slice(0, max) : null);
    good.push({
      districtCode: actor.districtCode,
      typeCode,
      name,
      lon: at.lon,
      lat: at.lat,
      address: text(pick(c, 'address', '地址'), 200),
      areaPath: at.path,
      gridCellCode: at.gridCellCode,
      communityCode: at.communityCode,
      subdistrictCode: at.subdistrictCode,
      capacity,
      openingHours: text(pick(c, 'opening_hours', 'hours', '开放时间', '营业时间'), 100),
      ownerUnit: text(pick(c, 'owner_unit', 'owner', '管理单位', '权属单位', '运营单位'), 100),
      status,
      externalId,
      source: body.source ?? `import:${body.format}`,
      isDemo: false,
      at: now,
    });
  }
  let inserted = 0, updated = 0;
  if (!body.dryRun && good.length > 0) {
    await deps.db.transaction(async (tx) => {
      for (const [i, f] of good.entries()) {
        const r = await repo.upsertFacility(tx, f);
        if (r.inserted) inserted++;
        else updated++;
        onProgress?.(rows.length + i + 1, rows.length * 2);
      }
      await recordAudit(tx, deps.clock, actor, {
        action: 'facilities.import',
        targetType: 'facility_import',
        targetId: body.format,
        detail: { rows: rows.length, inserted, updated, rejected: rejected.length, crs: body.crs },
      });
    });
  }
  onProgress?.(rows.length * 2, rows.length * 2);
  return { rows: rows.length, imported: body.dryRun ? 0 : good.length, inserted, updated, rejected, dryRun: body.dryRun };
}

/**
 * Population points from CSV or GeoJSON: either a point (lon/lat) with counts, or a grid
 * cell's counts (grid_cell column), placed at an interior point of the cell. Counts: people
 * (required), households, aged60, aged70, children, disabled.
 */
export async function importPopulation(deps: FacilitiesDeps, actor: AnyActor, body: PopulationImportBody): Promise<ImportReport & { people: number }> {
  assertCan(actor, 'facilities.manage');
  // Only a district-wide manager may replace a source (it spans every street).
  if (body.replace) assertCan(actor, 'facilities.manage', `/${actor.districtCode}/`);
  const rows = await readRows(body.format, body.content);
  const cells = new Map((await areasService.listAreaRows(deps.db, actor.districtCode, 'grid_cell')).map((c) => [c.code, c]));
  const scope = scopeOf(actor);
  const rejected: RowProblem[] = [];
  const good: repo.NewPopulationPoint[] = [];
  for (const r of rows) {
    const c = r.cells;
    const issues: RowProblem['problems'] = [];
    const count = (names: string[], required: boolean): number => {
      const v = pick(c, ...names);
      if (v === undefined) {
        if (required) issues.push(problem('missing_people', `缺少人数（${names.join('/')} 列）`, `missing count (${names.join('/')})`));
        return 0;
      }
      const n = parseNumber(v);
      if (n === null || n < 0 || !Number.isInteger(n) || n > 1_000_000) {
        issues.push(problem('bad_count', `“${names[0]}”应为非负整数，收到“${v}”`, `"${names[0]}" must be a whole number ≥ 0, got "${v}"`));
        return 0;
      }
      return n;
    };
    const people = count(['people', 'population', '人数', '常住人口'], true);
    const households = count(['households', '户数'], false);
    const aged60 = count(['aged60', '60岁以上'], false);
    const aged70 = count(['aged70', '70岁以上'], false);
    const children = count(['children', '儿童'], false);
    const disabled = count(['disabled', '残疾人'], false);
    if (aged60 > people || children > people || disabled > people) issues.push(problem('counts_exceed', '分组人数不能超过总人数', 'a group count exceeds the people count'));
    if (aged70 > aged60) issues.push(problem('aged70_exceeds', '70岁以上人数不能超过60岁以上人数', 'aged 70+ exceeds aged 60+'));
    const cellCode = pick(c, 'grid_cell', 'grid', '网格', '网格编码');
    let at: Located | null = null;
    let kind: 'point' | 'grid_count' = 'point';
    if (cellCode) {
      const cell = cells.get(cellCode);
      if (!cell || !cell.geometry) issues.push(problem('unknown_grid_cell', `网格“${cellCode}”不存在或没有边界`, `grid cell "${cellCode}" does not exist or has no boundary`));
      else {
        const [lon, lat] = interiorPoint(cell.geometry as Polygonal);
        at = await locate(deps, actor.districtCode, lon, lat, 'wgs84');
        kind = 'grid_count';
      }
    } else {
      const lon = parseNumber(pick(c, 'lon', 'lng', 'longitude', '经度', 'x'));
      const lat = parseNumber(pick(c, 'lat', 'latitude', '纬度', 'y'));
      if (lon === null || lat === null || Math.abs(lon) > 180 || Math.abs(lat) > 90) issues.push(problem('bad_coordinates', '需要经度/纬度，或网格编码', 'needs longitude/latitude, or a grid cell code'));
      else {
        at = await locate(deps, actor.districtCode, lon, lat, body.crs);
        if (!at) issues.push(problem('outside_district', `坐标 (${lon}, ${lat}) 不在本区范围内`, `(${lon}, ${lat}) is outside the district`));
      }
    }
    if (at && !at.path.startsWith(scope)) issues.push(problem('out_of_scope', '该位置不在您的管辖范围内', 'this location is outside your jurisdiction'));
    if (issues.length > 0 || !at) {
      rejected.push({ row: r.row, name: pick(c, 'label', 'name', '名称', '楼栋') ?? null, problems: issues });
      continue;
    }
    good.push({
      source: body.source,
      kind,
      label: pick(c, 'label', 'name', '名称', '楼栋', 'address', '地址')?.slice(0, 200) ?? null,
      lon: at.lon,
      lat: at.lat,
      areaPath: at.path,
      gridCellCode: at.gridCellCode,
      communityCode: at.communityCode,
      subdistrictCode: at.subdistrictCode,
      households,
      people,
      aged60,
      aged70,
      children,
      disabled,
    });
  }
  let removed = 0;
  if (!body.dryRun && good.length > 0) {
    await deps.db.transaction(async (tx) => {
      if (body.replace) removed = await repo.deletePopulationSource(tx, actor.districtCode, body.source);
      await repo.insertPopulationPoints(tx, actor.districtCode, good, false, deps.clock());
      await recordAudit(tx, deps.clock, actor, {
        action: 'facilities.import_population',
        targetType: 'population_source',
        targetId: body.source,
        detail: { rows: rows.length, imported: good.length, replaced: removed, rejected: rejected.length },
      });
    });
  }
  return {
    rows: rows.length,
    imported: body.dryRun ? 0 : good.length,
    inserted: body.dryRun ? 0 : good.length,
    updated: 0,
    rejected,
    dryRun: body.dryRun,
    people: good.reduce((s, g) => s + g.people, 0),
  };
}

/** A road or footpath network: LineString / MultiLineString features, converted to WGS-84. */
export async function importNetwork(deps: FacilitiesDeps, actor: AnyActor, body: NetworkImportBody) {
  assertCan(actor, 'facilities.manage', `/${actor.districtCode}/`);
  const doc = body.geojson as { type?: unknown; features?: unknown } | null;
  if (!doc || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) throw bad('路网文件不是 GeoJSON FeatureCollection', 'The network file is not a GeoJSON FeatureCollection');
  const lines: [number, number][][] = [];
  const rejected: { index: number; zh: string; en: string }[] = [];
  const okPos = (p: unknown): p is [number, number] => Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
  doc.features.forEach((f: unknown, index) => {
    const g = f && typeof f === 'object' && 'geometry' in f ? (f.geometry as { type?: unknown; coordinates?: unknown }) : null;
    const parts = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' && Array.isArray(g.coordinates) ? g.coordinates : null;
    if (!parts) return void rejected.push({ index, zh: '几何应为 LineString 或 MultiLineString', en: 'geometry must be a LineString or MultiLineString' });
    for (const part of parts as unknown[]) {
      if (!Array.isArray(part) || part.length < 2 || !part.every(okPos)) return void rejected.push({ index, zh: '线的坐标无效（至少两个 [经度, 纬度]）', en: 'invalid line coordinates (at least two [lon, lat])' });
      lines.push((part as [number, number][]).map(([x, y]) => {
        const [lon, lat] = pointToWgs84(x, y, body.crs);
        return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
      }));
    }
  });
  if (lines.length === 0) throw bad('路网中没有有效的线', 'The network holds no valid line', { rejected: rejected.slice(0, 20) });
  const plane = planeFor(lines.flat().map((p) => p[0]), lines.flat().map((p) => p[1]));
  const net = buildNetwork(lines.map((l) => l.map(([lon, lat]) => [plane.toX(lon), plane.toY(lat)] as [number, number])));
  return deps.db.transaction(async (tx) => {
    const id = await repo.upsertNetwork(tx, { districtCode: actor.districtCode, name: body.name, lines, lengthM: net.lengthM, source: `geojson:${body.crs}`, isDemo: false, at: deps.clock() });
    await recordAudit(tx, deps.clock, actor, { action: 'facilities.import_network', targetType: 'road_network', targetId: id, detail: { lines: lines.length, rejected: rejected.length } });
    return { id, name: body.name, lines: lines.length, nodes: net.nodeX.length, edges: net.edgeA.length, lengthKm: Math.round(net.lengthM / 10) / 100, rejected };
  });
}


export async function listNetworks(deps: Pick<FacilitiesDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'facilities.read');
  const rows = await repo.listNetworks(deps.db, actor.districtCode);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, lines: r.line_count, lengthKm: Math.round(r.length_m / 10) / 100, source: r.source, isDemo: r.is_demo, importedAt: new Date(r.created_at).toISOString() })) };
}

export async function populationSummary(deps: Pick<FacilitiesDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'facilities.read');
  const rows = await repo.populationSummary(deps.db, actor.districtCode, scopeOf(actor));
  return { items: rows.map((r) => ({ source: r.source, isDemo: r.is_demo, points: r.points, people: r.people, aged60: r.aged60, aged70: r.aged70, children: r.children, disabled: r.disabled })) };
}

// ---- coverage -------------------------------------------------------------------------------

type StandardInput = Pick<CoverageQuery, 'radius' | 'minutes' | 'speed' | 'detour' | 'network' | 'population'>;

/** The request's standard over the type's default: a radius, a time, or a network distance. */
export function resolveStandard(t: repo.TypeRow, q: StandardInput): Standard {
  const base = standardOf(t);
  const network = q.network === 'true' || (q.network === undefined && base.mode === 'network');
  if (q.radius !== undefined) return { mode: network ? 'network' : 'radius', radiusM: q.radius };
  if (q.minutes !== undefined) {
    return { mode: network ? 'network' : 'time', minutes: q.minutes, speedKmh: q.speed ?? base.speedKmh ?? 4.8, detourFactor: q.detour ?? base.detourFactor ?? 1.3 };
  }
  if (network) return { ...base, mode: 'network' };
  if (base.mode === 'network') return base.radiusM ? { mode: 'radius', radiusM: base.radiusM } : { ...base, mode: 'time' };
  return q.detour !== undefined ? { ...base, detourFactor: q.detour } : base;
}

interface Prepared {
  type: repo.TypeRow;
  standard: Standard;
  reach: number;
  group: PopulationGroup;
  population: PopulationLoad;
  facilities: repo.FacilityRow[];
  plane: Plane;
  points: Points;
  sites: { x: Float64Array; y: Float64Array };
  result: CoverageResult & { offNetwork?: number };
  network: { name: string; offNetwork: number } | null;
}

const MAX_SNAP_M = 300;

async function prepare(deps: FacilitiesDeps, actor: AnyActor, q: StandardInput & { type: string }): Promise<Prepared> {
  assertCan(actor, 'facilities.read');
  const type = await getType(deps.db, actor.districtCode, q.type);
  const standard = resolveStandard(type, q);
  const reach = reachMetres(standard);
  const group = q.population ?? type.population_group;
  const source = deps.facilityPopulation ?? pointsPopulationSource;
  const [population, facilities] = await Promise.all([
    source.load(deps.db, actor.districtCode, scopeOf(actor)),
    repo.listServingFacilities(deps.db, actor.districtCode, type.code),
  ]);
  const lons = [...population.places.map((p) => p.lon), ...facilities.map((f) => f.lon)];
  const lats = [...population.places.map((p) => p.lat), ...facilities.map((f) => f.lat)];
  const plane = planeFor(lons, lats);
  const points: Points = {
    x: Float64Array.from(population.places, (p) => plane.toX(p.lon)),
    y: Float64Array.from(population.places, (p) => plane.toY(p.lat)),
    w: Float64Array.from(population.places, (p) => p.counts[group]),
  };
  const sites = { x: Float64Array.from(facilities, (f) => plane.toX(f.lon)), y: Float64Array.from(facilities, (f) => plane.toY(f.lat)) };
  let result: Prepared['result'];
  let network: Prepared['network'] = null;
  if (standard.mode === 'network') {
    const row = await repo.latestNetwork(deps.db, actor.districtCode);
    if (!row) {
      throw bad('尚未导入路网，无法按路网距离计算；请先导入路网（minsheng facilities import-network）或改用服务半径', 'No road network has been imported; import one (minsheng facilities import-network) or use a radius', { standard: 'network' });
    }
    const net = buildNetwork(row.lines.map((l) => l.map(([lon, lat]) => [plane.toX(lon), plane.toY(lat)] as [number, number])));
    result = networkCoverage(net, points, sites, { limit: reach, maxSnapM: MAX_SNAP_M });
    network = { name: row.name, offNetwork: result.offNetwork ?? 0 };
  } else {
    result = computeCoverage(points, sites, reach);
  }
  return { type, standard, reach, group, population, facilities, plane, points, sites, result, network };
}

const rate = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const people = (n: number) => (n >= 10_000 ? `${(n / 10_000).toFixed(1)} 万` : `${Math.round(n)} `);

export interface KpiRow {
  code: string;
  name: string;
  level: CoverageLevel | 'district';
  people: number;
  covered: number;
  uncovered: number;
  coverageRate: number | null;
  uncoveredPlaces: number;
  facilities: number;
  capacity: number;
  capacityPerThousand: number | null;
  areaKm2: number;
  perKm2: number | null;
}

/**
 * Coverage of the type's population group by its active facilities under the standard, with
 * the KPI table (覆盖率, 服务半径, 每平方公里座数, capacity per thousand people) per area of the
 * chosen level, the uncovered places (labels masked) and one sentence that answers the planner.
 */
export async function coverage(deps: FacilitiesDeps, actor: AnyActor, q: CoverageQuery) {
  const p = await prepare(deps, actor, q);
  const scope = scopeOf(actor);
  const level = q.level;
  const areaRows = (await areasService.listAreaRows(deps.db, actor.districtCode, level)).filter((a) => a.path.startsWith(scope));
  const districtRow = (await areasService.listAreaRows(deps.db, actor.districtCode, 'district'))[0];
  const index = new Map(areaRows.map((a, i) => [a.code, i]));
  const codeOf = (place: { gridCellCode: string | null; communityCode: string | null; subdistrictCode: string | null }) =>
    level === 'grid_cell' ? place.gridCellCode : level === 'community' ? place.communityCode : place.subdistrictCode;
  const n = areaRows.length;
  const total = new Float64Array(n), covered = new Float64Array(n), uncoveredPlaces = new Int32Array(n);
  const facilities = new Int32Array(n), capacity = new Float64Array(n);
  p.population.places.forEach((place, i) => {
    const a = index.get(codeOf(place) ?? '');
    if (a === undefined) return;
    total[a]! += p.points.w[i]!;
    if (p.result.nearest[i]! >= 0) covered[a]! += p.points.w[i]!;
    else if (p.points.w[i]! > 0) uncoveredPlaces[a]!++;
  });
  let facilitiesInScope = 0, capacityInScope = 0;
  for (const f of p.facilities) {
    if (!f.area_path.startsWith(scope)) continue;
    facilitiesInScope++;
    capacityInScope += f.capacity ?? 0;
    const a = index.get(codeOf({ gridCellCode: f.grid_cell_code, communityCode: f.community_code, subdistrictCode: f.subdistrict_code }) ?? '');
    if (a === undefined) continue;
    facilities[a]!++;
    capacity[a]! += f.capacity ?? 0;
  }
  const km2 = (g: unknown) => (g ? Math.round(areaKm2(g as Polygonal, p.plane) * 1000) / 1000 : 0);
  const rows: KpiRow[] = areaRows.map((a, i) => {
    const area = km2(a.geometry);
    return {
      code: a.code,
      name: a.name,
      level,
      people: total[i]!,
      covered: covered[i]!,
      uncovered: total[i]! - covered[i]!,
      coverageRate: rate(covered[i]!, total[i]!),
      uncoveredPlaces: uncoveredPlaces[i]!,
      facilities: facilities[i]!,
      capacity: capacity[i]!,
      capacityPerThousand: total[i]! > 0 ? Math.round((capacity[i]! / total[i]!) * 1000 * 100) / 100 : null,
      areaKm2: area,
      perKm2: area > 0 ? Math.round((facilities[i]! / area) * 100) / 100 : null,
    };
  });
  const scopeArea = scope === `/${actor.districtCode}/` ? km2(districtRow?.geometry) : rows.reduce((s, r) => s + r.areaKm2, 0);
  let distSum = 0;
  for (let i = 0; i < p.points.x.length; i++) if (p.result.nearest[i]! >= 0) distSum += p.result.dist[i]! * p.points.w[i]!;
  const totals = {
    people: p.result.totalWeight,
    covered: p.result.coveredWeight,
    uncovered: p.result.totalWeight - p.result.coveredWeight,
    coverageRate: rate(p.result.coveredWeight, p.result.totalWeight),
    places: p.points.x.length,
    uncoveredPlaces: Array.from(p.result.nearest).filter((f, i) => f < 0 && p.points.w[i]! > 0).length,
    facilities: facilitiesInScope,
    facilitiesServing: p.facilities.length,
    capacity: capacityInScope,
    capacityPerThousand: p.result.totalWeight > 0 ? Math.round((capacityInScope / p.result.totalWeight) * 1000 * 100) / 100 : null,
    areaKm2: Math.round(scopeArea * 100) / 100,
    perKm2: scopeArea > 0 ? Math.round((facilitiesInScope / scopeArea) * 100) / 100 : null,
    perKm2Target: p.type.per_km2_target,
    meanDistanceM: p.result.coveredWeight > 0 ? Math.round(distSum / p.result.coveredWeight) : null,
    reachM: Math.round(p.reach),
    fullCoverage: p.result.totalWeight > 0 && p.result.coveredWeight >= p.result.totalWeight,
  };

  // the uncovered places, most people first; how far the nearest facility is (beyond reach)
  const order = Array.from(p.result.nearest.keys()).filter((i) => p.result.nearest[i]! < 0 && p.points.w[i]! > 0);
  order.sort((a, b) => p.points.w[b]! - p.points.w[a]! || a - b);
  const areaNames = new Map<string, string>();
  for (const lvl of ['grid_cell', 'community', 'subdistrict'] as const) {
    for (const a of lvl === level ? areaRows : await areasService.listAreaRows(deps.db, actor.districtCode, lvl)) areaNames.set(a.code, a.name);
  }
  const named = (code: string | null) => (code ? { code, name: areaNames.get(code) ?? code } : null);
  const uncovered = order.slice(0, q.uncoveredLimit).map((i) => {
    const place = p.population.places[i]!;
    let best = Infinity;
    for (let f = 0; f < p.sites.x.length; f++) best = Math.min(best, Math.hypot(p.points.x[i]! - p.sites.x[f]!, p.points.y[i]! - p.sites.y[f]!));
    return {
      id: place.id,
      label: maskLabel(place.label),
      lon: Math.round(place.lon * 1e5) / 1e5,
      lat: Math.round(place.lat * 1e5) / 1e5,
      gridCell: named(place.gridCellCode),
      community: named(place.communityCode),
      subdistrict: named(place.subdistrictCode),
      households: place.households,
      people: p.points.w[i]!,
      nearestStraightM: Number.isFinite(best) ? Math.round(best) : null,
    };
  });

  const gaps = rows.filter((r) => r.uncovered > 0).sort((a, b) => b.uncovered - a.uncovered).slice(0, 3);
  const groupName = GROUP_NAMES[p.group];
  const standardText = describeStandard(p.standard);
  const answer = totals.people === 0
    ? { zh: '范围内没有人口数据（请导入人口点或接入居民库）', en: 'No population in scope (import population points or connect the resident registry)' }
    : totals.fullCoverage
      ? { zh: `已实现全覆盖：${standardText.zh}内覆盖${groupName.zh}全部 ${people(totals.people)}人。`, en: `Full coverage: every one of ${Math.round(totals.people)} (${groupName.en}) is within ${standardText.en}.` }
      : {
          zh: `尚未实现全覆盖：${standardText.zh}内覆盖率 ${pct(totals.coverageRate)}，${groupName.zh}中有 ${people(totals.uncovered)}人（${totals.uncoveredPlaces} 处楼栋/点位）不在覆盖范围内；缺口最大的是 ${gaps.map((g) => `${g.name}（覆盖率 ${pct(g.coverageRate)}，未覆盖 ${people(g.uncovered)}人）`).join('、')}。`,
          en: `Not full coverage: ${pct(totals.coverageRate)} within ${standardText.en}; ${Math.round(totals.uncovered)} people (${groupName.en}, ${totals.uncoveredPlaces} places) are outside it. Largest gaps: ${gaps.map((g) => `${g.name} (${pct(g.coverageRate)}, ${Math.round(g.uncovered)} uncovered)`).join(', ')}.`,
        };

  return {
    type: { code: p.type.code, name: p.type.name, nameEn: p.type.name_en, capacityUnit: p.type.capacity_unit, capacityUnitEn: p.type.capacity_unit_en },
    standard: { ...p.standard, reachM: Math.round(p.reach), description: standardText },
    population: { group: p.group, groupName, source: p.population.source, isDemo: p.population.isDemo },
    network: p.network,
    scope,
    level,
    totals,
    rows,
    uncovered,
    answer,
  };
}
export type CoverageReport = Awaited<ReturnType<typeof coverage>>;

/**
 * The population places and facilities as compact arrays, for the browser's what-if: the
 * planner drags a site and the browser recomputes with the same core (core/what-if.ts).
 * Counts only; labels are left out.
 */
export async function coveragePoints(deps: FacilitiesDeps, actor: AnyActor, q: CoveragePointsQuery) {
  const p = await prepare(deps, actor, q);
  const cells = [...new Set(p.population.places.map((pl) => pl.gridCellCode ?? ''))].sort();
  const cellIndex = new Map(cells.map((c, i) => [c, i]));
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return {
    type: p.type.code,
    standard: { ...p.standard, reachM: Math.round(p.reach), exactReachM: p.reach, description: describeStandard(p.standard) },
    group: p.group,
    isDemo: p.population.isDemo,
    cells,
    points: {
      lon: p.population.places.map((pl) => round(pl.lon)),
      lat: p.population.places.map((pl) => round(pl.lat)),
      w: Array.from(p.points.w),
      cell: p.population.places.map((pl) => cellIndex.get(pl.gridCellCode ?? '')!),
    },
    facilities: p.facilities.map((f) => ({ id: f.id, name: f.name, lon: f.lon, lat: f.lat, capacity: f.capacity })),
  };
}

// ---- siting ---------------------------------------------------------------------------------

export async function siting(deps: FacilitiesDeps, actor: AnyActor, body: SitingBody) {
  const p = await prepare(deps, actor, { ...body, type: body.type, network: 'false' });
  const locator = await deps.locators.get(deps.db, actor.districtCode);
  const before = Uint8Array.from(p.result.nearest, (f) => (f >= 0 ? 1 : 0));
  let cx: Float64Array, cy: Float64Array, capacity: Float64Array | undefined;
  let source: 'given' | 'lattice';
  let spacing: number | null = null;
  let outside = 0;
  if (body.candidates) {
    source = 'given';
      const kept: { x: number; y: number; c: number }[] = [];
    for (const c of body.candidates) {
      const [lon, lat] = pointToWgs84(c.lon, c.lat, body.crs);
      if (locator.locateCode(lon, lat) === undefined) {
        outside++;
        continue;
      }
      kept.push({ x: p.plane.toX(lon), y: p.plane.toY(lat), c: c.capacity ?? body.capacity ?? Infinity });
    }
    cx = Float64Array.from(kept, (k) => k.x);
    cy = Float64Array.from(kept, (k) => k.y);
    capacity = Float64Array.from(kept, (k) => k.c);
  } else {
    source = 'lattice';
    spacing = body.spacing ?? Math.max(50, Math.round(p.reach / 4));
    const lattice = latticeCandidates(p.points, before, p.reach, spacing);
    const keep: number[] = [];
    for (let i = 0; i < lattice.x.length; i++) {
      if (locator.locateCode(p.plane.toLon(lattice.x[i]!), p.plane.toLat(lattice.y[i]!)) !== undefined) keep.push(i);
      else outside++;
    }
    cx = Float64Array.from(keep, (i) => lattice.x[i]!);
    cy = Float64Array.from(keep, (i) => lattice.y[i]!);
    capacity = body.capacity ? new Float64Array(keep.length).fill(body.capacity) : undefined;
  }
  const result = greedySiting({ points: p.points, covered: before, candidates: { x: cx, y: cy, capacity }, reach: p.reach, k: body.add, respectCapacity: body.respectCapacity });
  const total = p.result.totalWeight;
  const sites = result.picks.map((pick, i) => {
    const lon = Math.round(p.plane.toLon(cx[pick.candidate]!) * 1e6) / 1e6;
    const lat = Math.round(p.plane.toLat(cy[pick.candidate]!) * 1e6) / 1e6;
    const at = locator.locate([lon, lat]);
    return {
      rank: i + 1,
      lon,
      lat,
      gridCell: at.inside ? at.gridCell : null,
      community: at.inside ? at.community : null,
      subdistrict: at.inside ? at.subdistrict : null,
      gain: pick.gain,
      places: pick.points,
      cumulative: pick.cumulative,
      coverageRateAfter: rate(p.result.coveredWeight + pick.cumulative, total),
    };
  });
  const after = p.result.coveredWeight + (result.picks.at(-1)?.cumulative ?? 0);
  return {
    type: { code: p.type.code, name: p.type.name, nameEn: p.type.name_en },
    standard: { ...p.standard, reachM: Math.round(p.reach), description: describeStandard(p.standard) },
    population: { group: p.group, groupName: GROUP_NAMES[p.group], source: p.population.source, isDemo: p.population.isDemo },
    candidates: { source, count: cx.length, outsideDistrict: outside, spacingM: spacing },
    respectCapacity: body.respectCapacity,
    before: { covered: p.result.coveredWeight, uncovered: total - p.result.coveredWeight, coverageRate: rate(p.result.coveredWeight, total) },
    after: { covered: after, uncovered: total - after, coverageRate: rate(after, total) },
    sites,
    evaluations: result.evaluations,
    guarantee: body.respectCapacity
      ? { zh: '贪心选址（惰性求值 CELF）；考虑容量时每处最多计入其容量人数，不保证 (1−1/e) 近似比', en: 'Greedy siting (lazy CELF); with capacities each site counts at most its capacity, and the (1 − 1/e) bound is not claimed' }
      : { zh: '贪心最大覆盖（惰性求值 CELF）：新增覆盖人数不少于同样 k 处最优选址的 (1−1/e) ≈ 63.2%，且每处的边际增益逐个不增', en: 'Greedy maximum coverage (lazy CELF): newly covers at least (1 − 1/e) ≈ 63.2 % of what the best k candidates could; marginal gains never increase' },
  };
}
export type SitingReport = Awaited<ReturnType<typeof siting>>;

// ---- layers and QR codes --------------------------------------------------------------------

export async function facilityLayer(deps: Pick<FacilitiesDeps, 'db'>, actor: AnyActor, type?: string) {
  assertCan(actor, 'facilities.read');
  const { rows } = await repo.listFacilities(deps.db, actor.districtCode, scopeOf(actor), { type, limit: 100_000, offset: 0 });
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((f) => ({
      type: 'Feature' as const,
      id: f.id,
      geometry: { type: 'Point' as const, coordinates: [f.lon, f.lat] as [number, number] },
      properties: { id: f.id, type: f.type_code, name: f.name, capacity: f.capacity, status: f.status, openingHours: f.opening_hours, ownerUnit: f.owner_unit, gridCell: f.grid_cell_code, isDemo: f.is_demo },
    })),
  };
}

/**
 * 码上办 on a facility: the resident report page, placed at the facility (its grid cell and
 * point) and naming it. Public — the code is printed on a sticker at the facility.
 */
export async function facilityQrCode(deps: Pick<FacilitiesDeps, 'db' | 'publicBaseUrl'>, districtCode: string, id: string, format: 'svg' | 'png'): Promise<string | Buffer> {
  const f = await repo.findFacility(deps.db, districtCode, id);
  if (!f || f.status === 'closed') throw notFound(FACILITY);
  const url = facilityReportUrl(deps.publicBaseUrl, f);
  return format === 'svg'
    ? QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
    : QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
}

export function facilityReportUrl(base: string, f: Pick<repo.FacilityRow, 'id' | 'lon' | 'lat' | 'grid_cell_code' | 'area_path'>): string {
  const area = f.grid_cell_code ?? f.area_path.split('/').filter(Boolean).at(-1) ?? '';
  const params = new URLSearchParams({ area, lon: f.lon.toFixed(6), lat: f.lat.toFixed(6), facility: f.id });
  return `${base.replace(/\/$/, '')}/report?${params.toString()}`;
}

// ---- demo -----------------------------------------------------------------------------------

/**
 * The demo district's population (buildings inside the demo grid cells) and facilities of every
 * default type, generated from a seeded random source and flagged is_demo. Skipped when demo
 * facilities exist already.
 */
export async function seedDemoFacilities(
  deps: Pick<FacilitiesDeps, 'db' | 'clock'>,
  actor: AnyActor,
  rng: () => number,
): Promise<{ facilities: number; places: number; people: number }> {
  assertCan(actor, 'facilities.manage', `/${actor.districtCode}/`);
  return deps.db.transaction(async (tx) => {
    await seedFacilityTypes(tx, actor.districtCode);
    if ((await repo.countDemoFacilities(tx, actor.districtCode)) > 0) return { facilities: 0, places: 0, people: 0 };
    const rows = await areasService.listAreaRows(tx, actor.districtCode, 'grid_cell');
    const cells: DemoCell[] = rows
      .filter((r) => r.geometry && r.is_demo)
      .map((r) => {
        const codes = r.path.split('/').filter(Boolean);
        return { code: r.code, communityCode: codes[2] ?? '', subdistrictCode: codes[1] ?? '', path: r.path, geometry: r.geometry as Polygonal };
      });
    const buildings = demoBuildings(rng, cells);
    const now = deps.clock();
    await repo.insertPopulationPoints(
      tx,
      actor.districtCode,
      buildings.map((b) => ({
        source: 'demo',
        kind: 'point' as const,
        label: b.label,
        lon: b.lon,
        lat: b.lat,
        areaPath: b.cell.path,
        gridCellCode: b.cell.code,
        communityCode: b.cell.communityCode,
        subdistrictCode: b.cell.subdistrictCode,
        households: b.households,
        people: b.people,
        aged60: b.aged60,
        aged70: b.aged70,
        children: b.children,
        disabled: b.disabled,
      })),
      true,
      now,
    );
    const facilities = demoFacilities(rng, buildings);
    await repo.insertFacilities(
      tx,
      facilities.map((f) => ({
        districtCode: actor.districtCode,
        typeCode: f.type,
        name: f.name,
        lon: f.lon,
        lat: f.lat,
        address: null,
        areaPath: f.cell.path,
        gridCellCode: f.cell.code,
        communityCode: f.cell.communityCode,
        subdistrictCode: f.cell.subdistrictCode,
        capacity: f.capacity,
        openingHours: f.openingHours,
        ownerUnit: f.ownerUnit,
        status: 'active',
        externalId: f.externalId,
        source: 'demo-generated',
        isDemo: true,
        at: now,
      })),
    );
    await recordAudit(tx, deps.clock, actor, {
      action: 'facilities.seed_demo',
      targetType: 'district',
      targetId: actor.districtCode,
      detail: { facilities: facilities.length, places: buildings.length },
    });
    return { facilities: facilities.length, places: buildings.length, people: buildings.reduce((s, b) => s + b.people, 0) };
  });
}

/** Candidate sites from a file a planner made (CSV lon,lat[,capacity] or GeoJSON points). */
export function parseCandidates(format: 'csv' | 'geojson', content: string): { lon: number; lat: number; capacity?: number }[] {
  const rows = format === 'csv' ? parseCsv(content) : parseGeoJsonPoints(content);
  const out: { lon: number; lat: number; capacity?: number }[] = [];
  const bad: number[] = [];
  for (const r of rows) {
    const lon = parseNumber(pick(r.cells, 'lon', 'lng', 'longitude', '经度', 'x'));
    const lat = parseNumber(pick(r.cells, 'lat', 'latitude', '纬度', 'y'));
    const cap = parseNumber(pick(r.cells, 'capacity', '容量'));
    if (lon === null || lat === null || Math.abs(lon) > 180 || Math.abs(lat) > 90 || (cap !== null && (cap < 0 || !Number.isInteger(cap)))) bad.push(r.row);
    else out.push(cap === null ? { lon, lat } : { lon, lat, capacity: cap });
  }
  if (bad.length > 0) throw bad_(`候选点文件第 ${bad.slice(0, 10).join('、')} 行坐标或容量无效`, `Candidate rows ${bad.slice(0, 10).join(', ')} have invalid coordinates or capacity`, { rows: bad });
  if (out.length === 0) throw bad_('候选点文件中没有点', 'The candidate file holds no points');
  if (out.length > 20_000) throw bad_('候选点最多 20000 个', 'At most 20,000 candidates');
  return out;
}
const bad_ = bad;
