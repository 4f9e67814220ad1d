/**
 * Importing the registry from CSV/Excel (docs/RESIDENTS-IMPORT.md, ADR 0021).
 *
 * Rule: every row is checked first (core/import-rows.ts, then against the registry here); valid
 * households are applied together in ONE transaction and every skipped row is reported with its
 * reasons — or, with `strict`, any error applies nothing. A household applies whole or not at
 * all. `dryRun` checks and reports without writing. Changes are dated: the effective date closes
 * the old dated rows and opens new ones, so factsAt(an earlier date) still shows the old registry.
 */
import { createHash } from 'node:crypto';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, invalid } from '../../shared/errors';
import { actorId, assertCan, scopeOf, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { areasService, type LocatorCache, type AreaGeometry } from '../areas';
import type { PiiVault } from './pii';
import * as repo from './repo';
import { readTable } from './import-file';
import {
  detectKind,
  parsePersonRows,
  parseReceiptRows,
  type ImportKind,
  type ParsedRow,
  type PersonImport,
  type ReceiptImport,
  type RowProblem,
} from './core/import-rows';
import { isIsoDate } from './core/dates';
import { maskIdNumber, maskPhoneNumber } from './core/id-number';
import { placeInCell } from './core/generate';
import type { BuildingRec, HouseholdRec, IncomeRec, MembershipRec, PersonVersionRec, ReceiptRec, StatusRec } from './core/registry';
import { shanghaiToday, vaultOf } from './service';

export interface ImportDeps {
  db: Db;
  clock: Clock;
  pii: PiiVault | null;
  locators: LocatorCache;
}

export interface ImportInput {
  fileName: string;
  content: Buffer;
  effectiveOn?: string;
  dryRun: boolean;
  strict: boolean;
  onProgress?: (stage: 'read' | 'check' | 'write', done: number, total: number) => void;
}

export type RowStatus = 'created' | 'updated' | 'unchanged' | 'skipped';

export interface ReportRow {
  line: number;
  status: RowStatus;
  idNumber: string | null;
  personId: string | null;
  changes: string[];
  errors: RowProblem[];
  warnings: RowProblem[];
}

export interface ImportReport {
  importId: string | null;
  fileName: string;
  kind: ImportKind;
  effectiveOn: string;
  dryRun: boolean;
  strict: boolean;
  /** true when the valid rows were written (false for a dry run or a strict file with errors). */
  applied: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  /** Every skipped row, then the others up to REPORT_LIMIT rows in all. */
  rows: ReportRow[];
  rowsTruncated: boolean;
}

const REPORT_LIMIT = 5000;
const P = (field: string, code: string, zh: string, en: string): RowProblem => ({ field, code, zh, en });

function uuidFromHash(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export async function importResidents(deps: ImportDeps, actor: AnyActor, input: ImportInput): Promise<ImportReport> {
  assertCan(actor, 'residents.manage');
  const vault = vaultOf(deps);
  const today = shanghaiToday(deps.clock);
  const effectiveOn = input.effectiveOn ?? today;
  if (!isIsoDate(effectiveOn)) throw invalid({ zh: '生效日期无效', en: 'effective date is not valid' });
  if (effectiveOn > today) throw invalid({ zh: '生效日期不能晚于今天', en: 'the effective date cannot be in the future' });
  const table = await readTable(input.fileName, input.content);
  input.onProgress?.('read', table.rows.length, table.rows.length);
  const kind = detectKind(table.headers);
  if (kind.kind === null) {
    throw invalid(
      { zh: `表头缺少必填列：${kind.missing.join('、')}（见导入模板）`, en: `The header lacks required columns: ${kind.missing.join(', ')} (see the template)` },
      { missing: kind.missing },
    );
  }
  const scope = scopeOf(actor);
  const cells = (await areasService.listAreaRows(deps.db, actor.districtCode, 'grid_cell')).filter((c) => c.path.startsWith(scope));
  const gridCells = new Map(cells.map((c) => [c.code, c.path]));
  const ctx = { today, gridCells };

  const plan =
    kind.kind === 'persons'
      ? await planPersons(deps, actor, vault, parsePersonRows(table.headers, table.rows, ctx), { effectiveOn, cells, scope, input })
      : await planReceipts(deps, actor, vault, parseReceiptRows(table.headers, table.rows, ctx), { scope, input });

  const skipped = plan.report.filter((r) => r.status === 'skipped').length;
  const count = (s: RowStatus) => plan.report.filter((r) => r.status === s).length;
  const apply = !input.dryRun && !(input.strict && skipped > 0);
  const ordered = [...plan.report.filter((r) => r.status === 'skipped'), ...plan.report.filter((r) => r.status !== 'skipped')];
  const report: ImportReport = {
    importId: null,
    fileName: input.fileName,
    kind: kind.kind,
    effectiveOn,
    dryRun: input.dryRun,
    strict: input.strict,
    applied: apply,
    total: table.rows.length,
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    skipped,
    rows: ordered.slice(0, REPORT_LIMIT),
    rowsTruncated: ordered.length > REPORT_LIMIT,
  };
  report.importId = await deps.db.transaction(async (tx) => {
    if (apply) await plan.write(tx);
    const id = await repo.insertImportRecord(tx, {
      districtCode: actor.districtCode,
      fileName: input.fileName,
      effectiveOn,
      dryRun: !apply,
      total: report.total,
      applied: apply ? report.created + report.updated : 0,
      skipped,
      report: { ...report, rows: ordered.filter((r) => r.status === 'skipped').slice(0, REPORT_LIMIT) },
      actorId: actorId(actor),
      at: deps.clock(),
    });
    await recordAudit(tx, deps.clock, actor, {
      action: apply ? 'residents.import' : 'residents.import_check',
      targetType: 'import',
      targetId: id,
      detail: { fileName: input.fileName, kind: kind.kind, effectiveOn, total: report.total, created: report.created, updated: report.updated, skipped, strict: input.strict, dryRun: input.dryRun },
    });
    return id;
  });
  if (apply && report.created > 1000) await repo.analyzeRegistry(deps.db);
  return report;
}

interface Plan {
  report: ReportRow[];
  write: (tx: Queryable) => Promise<void>;
}

// ---- persons -----------------------------------------------------------------------------------

async function planPersons(
  deps: ImportDeps,
  actor: AnyActor,
  vault: PiiVault,
  parsed: ParsedRow<PersonImport>[],
  o: { effectiveOn: string; cells: { code: string; path: string; geometry: AreaGeometry | null }[]; scope: string; input: ImportInput },
): Promise<Plan> {
  const D = actor.districtCode;
  const eff = o.effectiveOn;
  const cellByCode = new Map(o.cells.map((c) => [c.code, c]));
  const valid = parsed.filter((r) => r.value !== null);
  const hmacOf = new Map(valid.map((r) => [r, vault.blindIndex('id_number', r.value!.idNumber)]));

  // What the registry already has.
  const existing = new Map<string, repo.ExistingPerson>();
  const hmacs = [...hmacOf.values()];
  for (let i = 0; i < hmacs.length; i += 5000) {
    for (const e of await repo.findPersonsByHmac(deps.db, D, hmacs.slice(i, i + 5000))) existing.set(e.id_number_hmac, e);
    o.input.onProgress?.('check', Math.min(i + 5000, hmacs.length), hmacs.length);
  }
  const codes = [...new Set(valid.map((r) => r.value!.householdCode))];
  const households = new Map((await repo.findHouseholdsByCode(deps.db, D, codes)).map((h) => [h.code, h]));
  const addresses = [...new Set(valid.map((r) => r.value!.address).filter((a): a is string => !!a))];
  const buildings = new Map((await repo.findBuildingsByAddress(deps.db, D, addresses)).map((b) => [b.address, b]));

  const codeOf = new Map(valid.map((r) => [r, r.value!.householdCode]));
  // Stage 2: against the registry.
  const fail = (r: ParsedRow<PersonImport>, p: RowProblem) => {
    r.errors.push(p);
    r.value = null;
  };
  for (const r of valid) {
    const v = r.value!;
    const e = existing.get(hmacOf.get(r)!);
    if (e && !e.area_path.startsWith(o.scope)) {
      fail(r, P('idNumber', 'out_of_scope', '此人已在册，但不在您的管辖范围内', 'this person is registered outside your jurisdiction'));
      continue;
    }
    if (e) {
      const latest = e.latest_change;
      if (latest && eff < latest) {
        fail(r, P('effectiveOn', 'backdated', `生效日期早于此人最近一次登记变更（${latest}）`, `the effective date is before this person's latest recorded change (${latest})`));
        continue;
      }
    }
    if (v.lon !== null && v.lat !== null) {
      const hit = await areasService.locatePoint({ db: deps.db, clock: deps.clock, locators: deps.locators }, D, { lon: v.lon, lat: v.lat, crs: v.crs });
      if (!hit.inside || !hit.gridCell) {
        fail(r, P('lon', 'outside_district', '坐标不在本区任何网格内', 'the coordinates are not inside any grid cell of the district'));
        continue;
      }
      if (v.gridCode && v.gridCode !== hit.gridCell.code) {
        fail(r, P('gridCode', 'grid_mismatch', `坐标位于网格 ${hit.gridCell.code}，与填写的网格代码不符`, `the coordinates lie in grid cell ${hit.gridCell.code}, not the one given`));
        continue;
      }
      if (!cellByCode.has(hit.gridCell.code)) {
        fail(r, P('lon', 'out_of_scope', '坐标所在网格不在您的管辖范围内', 'the coordinates lie outside your jurisdiction'));
        continue;
      }
      v.gridCode = hit.gridCell.code;
      [v.lon, v.lat] = hit.wgs84;
    }
    const h = households.get(v.householdCode);
    if (h) {
      if (!h.area_path.startsWith(o.scope)) fail(r, P('householdCode', 'out_of_scope', '该户不在您的管辖范围内', 'the household is outside your jurisdiction'));
      else if ((v.gridCode && v.gridCode !== h.grid_code) || (v.address && v.address !== h.address) || (v.room && v.room !== h.room)) {
        fail(r, P('householdCode', 'household_place_conflict', `户 ${h.code} 已在册（${h.address} ${h.room}），与本行地址不符；搬迁请使用新户编号`, `household ${h.code} is registered at another place; use a new household code for a move`));
      }
    } else if (!v.gridCode) {
      fail(r, P('gridCode', 'required', '新户须填写网格代码或经纬度', 'a new household needs a grid code or coordinates'));
    }
  }
  // A household applies whole: a row that failed against the registry skips its household.
  const byHousehold = new Map<string, ParsedRow<PersonImport>[]>();
  for (const [r, code] of codeOf) byHousehold.set(code, [...(byHousehold.get(code) ?? []), r]);
  for (const [, list] of byHousehold) {
    const bad = list.filter((r) => r.value === null);
    if (bad.length === 0) continue;
    const lines = bad.map((r) => r.line).join('、');
    for (const r of list) {
      if (r.value === null) continue;
      fail(r, P('householdCode', 'household_incomplete', `同户第${lines}行有错误，整户未导入`, `line(s) ${lines} of the same household have errors; the household is skipped whole`));
    }
  }

  // Build the changes.
  const create = {
    buildings: [] as BuildingRec[],
    households: [] as HouseholdRec[],
    persons: [] as repo.StoredPerson[],
    versions: [] as PersonVersionRec[],
    memberships: [] as MembershipRec[],
    incomes: [] as IncomeRec[],
    statuses: [] as StatusRec[],
    receipts: [] as ReceiptRec[],
  };
  const updates: ((tx: Queryable) => Promise<void>)[] = [];
  const report: ReportRow[] = [];
  const householdIds = new Map<string, { id: string; path: string; gridCode: string }>();
  for (const [code, h] of households) householdIds.set(code, { id: h.id, path: h.area_path, gridCode: h.grid_code });
  const personIdOf = new Map<ParsedRow<PersonImport>, string>();

  for (const r of parsed) {
    if (r.value === null) {
      report.push({ line: r.line, status: 'skipped', idNumber: r.idMasked, personId: null, changes: [], errors: r.errors, warnings: r.warnings });
      continue;
    }
    const v = r.value;
    // The household (and building) for new households.
    let hh = householdIds.get(v.householdCode);
    if (!hh) {
      const cell = cellByCode.get(v.gridCode!)!;
      const address = v.address ?? `${cell.code} 未登记楼栋`;
      let b = buildings.get(address);
      if (!b) {
        const [lon, lat] = v.lon !== null && v.lat !== null ? [v.lon, v.lat] : placeInCell(`${D}:${address}`, cell, [120.36, 36.068]);
        const rec: BuildingRec = { id: uuidFromHash(`building:${D}:${address}`), code: `B${createHash('sha256').update(address).digest('hex').slice(0, 12)}`, address, lon, lat, gridCode: cell.code, areaPath: cell.path };
        create.buildings.push(rec);
        b = { id: rec.id, code: rec.code, address, grid_code: cell.code, area_path: cell.path, lon, lat };
        buildings.set(address, b);
      }
      const id = uuidFromHash(`household:${D}:${v.householdCode}`);
      create.households.push({ id, code: v.householdCode, buildingId: b.id, room: v.room, gridCode: b.grid_code, areaPath: b.area_path });
      hh = { id, path: b.area_path, gridCode: b.grid_code };
      householdIds.set(v.householdCode, hh);
    }
    const e = existing.get(hmacOf.get(r)!);
    const phone = v.phone
      ? { phoneEnc: vault.encrypt(v.phone), phoneHmac: vault.blindIndex('phone', v.phone), phoneMasked: maskPhoneNumber(v.phone) }
      : { phoneEnc: null, phoneHmac: null, phoneMasked: null };
    if (!e) {
      const id = uuidFromHash(`person:${D}:${hmacOf.get(r)}`);
      personIdOf.set(r, id);
      const from = v.birthDate > eff ? v.birthDate : eff;
      create.persons.push({
        id,
        name: v.name,
        idNumberEnc: vault.encrypt(v.idNumber),
        idNumberHmac: hmacOf.get(r)!,
        idNumberMasked: maskIdNumber(v.idNumber),
        ...phone,
        birthDate: v.birthDate,
        sex: v.sex,
        registeredFrom: from,
        movedOutOn: v.movedOutOn,
        diedOn: v.diedOn,
        areaPath: hh.path,
      });
      create.versions.push({ personId: id, validFrom: from, validTo: null, maritalStatus: v.maritalStatus, spouseId: null, hukouType: v.hukouType, hukouPlace: v.hukouPlace, disabilityType: v.disabilityType, disabilityGrade: v.disabilityGrade });
      create.memberships.push({ personId: id, householdId: hh.id, relationship: v.relationship, validFrom: from, validTo: null });
      if (v.monthlyIncomeFen !== null) create.incomes.push({ personId: id, declaredOn: from, monthlyIncomeFen: v.monthlyIncomeFen });
      for (const s of v.statuses ?? []) create.statuses.push({ personId: id, status: s, validFrom: from, validTo: null });
      report.push({ line: r.line, status: 'created', idNumber: r.idMasked, personId: id, changes: [], errors: [], warnings: r.warnings });
      continue;
    }
    // An existing person: dated changes.
    personIdOf.set(r, e.id);
    const changes: string[] = [];
    const steps: ((tx: Queryable) => Promise<void>)[] = [];
    const newPath = hh.path;
    if (e.name !== v.name) changes.push('name');
    if ((e.phone_hmac ?? null) !== (phone.phoneHmac ?? null) && v.phone) changes.push('phone');
    if (v.diedOn && v.diedOn !== e.died_on) changes.push('diedOn');
    if (v.movedOutOn && v.movedOutOn !== e.moved_out_on) changes.push('movedOutOn');
    if (newPath !== e.area_path) changes.push('residence');
    const version = { maritalStatus: v.maritalStatus, spouseId: e.spouse_id, hukouType: v.hukouType, hukouPlace: v.hukouPlace, disabilityType: v.disabilityType, disabilityGrade: v.disabilityGrade };
    const versionChanged =
      e.version_id === null || e.marital_status !== v.maritalStatus || e.hukou_type !== v.hukouType || (e.hukou_place ?? null) !== v.hukouPlace ||
      (e.disability_type ?? null) !== v.disabilityType || (e.disability_grade ?? null) !== v.disabilityGrade;
    if (versionChanged) {
      changes.push('attributes');
      if (e.version_id !== null && e.version_from === eff) steps.push((tx) => repo.rewriteVersion(tx, e.version_id!, version));
      else {
        if (e.version_id !== null) steps.push((tx) => repo.closeDated(tx, 'res_person_versions', e.version_id!, eff));
        create.versions.push({ personId: e.id, validFrom: eff, validTo: null, ...version });
      }
    }
    if (e.household_code !== v.householdCode || e.relationship !== v.relationship) {
      changes.push('household');
      const target = hh;
      if (e.membership_id !== null && e.membership_from === eff) {
        steps.push((tx) => repo.rewriteMembership(tx, e.membership_id!, target.id, v.relationship));
      } else {
        if (e.membership_id !== null) steps.push((tx) => repo.closeDated(tx, 'res_memberships', e.membership_id!, eff));
        create.memberships.push({ personId: e.id, householdId: target.id, relationship: v.relationship, validFrom: eff, validTo: null });
      }
    }
    if (v.monthlyIncomeFen !== null && Number(e.income_fen ?? -1) !== v.monthlyIncomeFen) {
      changes.push('income');
      create.incomes.push({ personId: e.id, declaredOn: eff, monthlyIncomeFen: v.monthlyIncomeFen });
    }
    if (v.statuses !== null) {
      const open = new Map(e.statuses.map((s) => [s.status, s]));
      for (const s of v.statuses) if (!open.has(s)) {
        changes.push(`+${s}`);
        create.statuses.push({ personId: e.id, status: s, validFrom: eff, validTo: null });
      }
      for (const [s, row] of open) if (!v.statuses.includes(s as never)) {
        if (row.validFrom >= eff) {
          fail(r, P('statuses', 'backdated', `特殊身份 ${s} 自 ${row.validFrom} 起，不能在 ${eff} 结束`, `status ${s} began on ${row.validFrom}; it cannot end on ${eff}`));
          break;
        }
        changes.push(`-${s}`);
        steps.push((tx) => repo.closeDated(tx, 'res_statuses', row.id, eff));
      }
      if (r.value === null) {
        report.push({ line: r.line, status: 'skipped', idNumber: r.idMasked, personId: e.id, changes: [], errors: r.errors, warnings: r.warnings });
        continue;
      }
    }
    if (changes.some((c) => ['name', 'phone', 'diedOn', 'movedOutOn', 'residence'].includes(c))) {
      steps.push((tx) =>
        repo.updatePersonPlain(tx, e.id, {
          name: v.name,
          ...(v.phone ? phone : { phoneEnc: null, phoneHmac: null, phoneMasked: null }),
          areaPath: newPath,
          movedOutOn: v.movedOutOn,
          diedOn: v.diedOn,
          at: deps.clock(),
        }),
      );
    }
    updates.push(...steps);
    report.push({ line: r.line, status: changes.length > 0 ? 'updated' : 'unchanged', idNumber: r.idMasked, personId: e.id, changes, errors: [], warnings: r.warnings });
  }
  // Spouses named in the same household of the file point at each other.
  for (const [, list] of byHousehold) {
    const ok = list.filter((r) => r.value !== null);
    const head = ok.find((r) => r.value!.relationship === 'head');
    const spouse = ok.find((r) => r.value!.relationship === 'spouse');
    if (!head || !spouse) continue;
    const hid = personIdOf.get(head)!;
    const sid = personIdOf.get(spouse)!;
    for (const [self, other] of [[hid, sid], [sid, hid]] as const) {
      const fresh = create.versions.filter((x) => x.personId === self).at(-1);
      if (fresh) fresh.spouseId = other;
    }
  }
  return {
    report,
    write: async (tx) => {
      let done = 0;
      const total = create.persons.length + updates.length;
      await repo.insertRegistry(tx, D, create, false, (n) => o.input.onProgress?.('write', (done += n), total + create.versions.length + create.memberships.length));
      for (const step of updates) await step(tx);
    },
  };
}

// ---- receipts ----------------------------------------------------------------------------------

async function planReceipts(
  deps: ImportDeps,
  actor: AnyActor,
  vault: PiiVault,
  parsed: ParsedRow<ReceiptImport>[],
  o: { scope: string; input: ImportInput },
): Promise<Plan> {
  const D = actor.districtCode;
  const valid = parsed.filter((r) => r.value !== null);
  const hmacOf = new Map(valid.map((r) => [r, vault.blindIndex('id_number', r.value!.idNumber)]));
  const persons = new Map<string, repo.ExistingPerson>();
  const hmacs = [...new Set(hmacOf.values())];
  for (let i = 0; i < hmacs.length; i += 5000) {
    for (const e of await repo.findPersonsByHmac(deps.db, D, hmacs.slice(i, i + 5000))) persons.set(e.id_number_hmac, e);
    o.input.onProgress?.('check', Math.min(i + 5000, hmacs.length), hmacs.length);
  }
  const seen = new Set((await repo.existingReceipts(deps.db, D, [...persons.values()].map((p) => p.id))).map((x) => `${x.person_id}|${x.benefit_code}|${x.period_from}`));
  const inFile = new Map<string, number>();
  const receipts: ReceiptRec[] = [];
  const report: ReportRow[] = [];
  for (const r of parsed) {
    if (r.value) {
      const p = persons.get(hmacOf.get(r)!);
      if (!p) r.errors.push(P('idNumber', 'not_registered', '此身份证号不在人口库中，请先导入人员', 'no person with this ID number is registered; import the person first'));
      else if (!p.area_path.startsWith(o.scope)) r.errors.push(P('idNumber', 'out_of_scope', '此人不在您的管辖范围内', 'this person is outside your jurisdiction'));
      else {
        const key = `${p.id}|${r.value.benefitCode}|${r.value.periodFrom}`;
        if (seen.has(key)) r.errors.push(P('periodFrom', 'duplicate_in_registry', '同一待遇同一起始日期已登记', 'this receipt (benefit and start date) is already registered'));
        else if (inFile.has(key)) r.errors.push(P('periodFrom', 'duplicate_in_file', `与第${inFile.get(key)}行重复`, `repeats line ${inFile.get(key)}`));
        else {
          inFile.set(key, r.line);
          receipts.push({ personId: p.id, benefitCode: r.value.benefitCode, periodFrom: r.value.periodFrom, periodTo: r.value.periodTo, amountFen: r.value.amountFen });
          report.push({ line: r.line, status: 'created', idNumber: r.idMasked, personId: p.id, changes: [], errors: [], warnings: [] });
          continue;
        }
      }
    }
    report.push({ line: r.line, status: 'skipped', idNumber: r.idMasked, personId: null, changes: [], errors: r.errors, warnings: r.warnings });
  }
  return {
    report,
    write: (tx) =>
      repo.insertRegistry(tx, D, { buildings: [], households: [], persons: [], versions: [], memberships: [], incomes: [], statuses: [], receipts }, false, (n) =>
        o.input.onProgress?.('write', n, receipts.length),
      ),
  };
}

export { AppError };
