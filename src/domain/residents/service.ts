/**
 * 人口信息 use cases: authorize (role and area scope), transact, audit. Identifiers are
 * encrypted here (pii.ts) before they reach repo.ts; views mask them.
 */
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { assertCan, actorId, can, scopeOf, type AnyActor } from '../../shared/authz';
import type { CorrectionBody, RevealBody, SearchPersonsQuery } from './contract';
import { recordAudit } from '../audit';
import type { LocatorCache } from '../areas';
import type { PiiVault } from './pii';
import * as repo from './repo';
import type { PersonRec, Registry } from './core/registry';
import { maskIdNumber, maskPhoneNumber } from './core/id-number';

export interface ResidentsDeps {
  db: Db;
  clock: Clock;
  pii: PiiVault | null;
  locators: LocatorCache;
}

export function vaultOf(deps: Pick<ResidentsDeps, 'pii'>): PiiVault {
  if (!deps.pii) {
    throw new AppError('internal', {
      zh: '未配置个人信息加密密钥（MINSHENG_PII_KEY）',
      en: 'The personal-data key is not configured (MINSHENG_PII_KEY)',
    });
  }
  return deps.pii;
}

/** Encrypts, indexes and masks a person's identifiers for storage. */
export function protectPerson(vault: PiiVault, p: PersonRec): repo.StoredPerson {
  return {
    id: p.id,
    name: p.name,
    idNumberEnc: vault.encrypt(p.idNumber),
    idNumberHmac: vault.blindIndex('id_number', p.idNumber),
    idNumberMasked: maskIdNumber(p.idNumber),
    phoneEnc: p.phone ? vault.encrypt(p.phone) : null,
    phoneHmac: p.phone ? vault.blindIndex('phone', p.phone) : null,
    phoneMasked: p.phone ? maskPhoneNumber(p.phone) : null,
    birthDate: p.birthDate,
    sex: p.sex,
    registeredFrom: p.registeredFrom,
    movedOutOn: p.movedOutOn,
    diedOn: p.diedOn,
    areaPath: p.areaPath,
  };
}

/**
 * Stores a generated demo registry (replacing any earlier demo registry of the district) in one
 * transaction, audited. `onProgress` counts rows written.
 */
export async function storeDemoRegistry(
  deps: Pick<ResidentsDeps, 'db' | 'clock' | 'pii'>,
  actor: AnyActor,
  reg: Registry,
  options: { replace: boolean; onProgress?: (rowsWritten: number, rowsTotal: number) => void } = { replace: true },
): Promise<{ persons: number; households: number; buildings: number }> {
  assertCan(actor, 'residents.manage', `/${actor.districtCode}/`);
  const vault = vaultOf(deps);
  const total =
    reg.buildings.length + reg.households.length + reg.persons.length * 2 + reg.versions.length + reg.memberships.length +
    reg.incomes.length + reg.statuses.length + reg.receipts.length;
  let written = 0;
  const persons = reg.persons.map((p, i) => {
    if (i % 10_000 === 0) options.onProgress?.(written + i, total);
    return protectPerson(vault, p);
  });
  written = reg.persons.length;
  const result = await deps.db.transaction(async (tx) => {
    if (options.replace) await repo.deleteDemoRegistry(tx, actor.districtCode);
    await repo.insertRegistry(tx, actor.districtCode, { ...reg, persons }, true, (n) => {
      written += n;
      options.onProgress?.(written, total);
    });
    await recordAudit(tx, deps.clock, actor, {
      action: 'residents.generate_demo',
      targetType: 'district',
      targetId: actor.districtCode,
      detail: { persons: reg.persons.length, households: reg.households.length, buildings: reg.buildings.length },
    });
    return { persons: reg.persons.length, households: reg.households.length, buildings: reg.buildings.length };
  });
  await repo.analyzeRegistry(deps.db);
  return result;
}

export { factsAt, factsSql, factsBySql } from './repo';
export type { Queryable };

// ---- reading (masked, scoped, audited) ---------------------------------------------------------

const PERSON = { zh: '人员', en: 'Person' };
const HOUSEHOLD = { zh: '户', en: 'Household' };

/** The calendar day in Asia/Shanghai. */
export function shanghaiToday(clock: Clock): string {
  return new Date(clock().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function ageOn(birthDate: string, date: string): number {
  let age = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (date.slice(5) < birthDate.slice(5)) age--;
  return age;
}

export function personListView(r: repo.PersonListRow, today: string) {
  return {
    id: r.id,
    name: r.name,
    idNumber: r.id_number_masked,
    phone: r.phone_masked,
    sex: r.sex,
    birthDate: r.birth_date,
    age: ageOn(r.birth_date, r.died_on && r.died_on < today ? r.died_on : today),
    areaPath: r.area_path,
    gridCode: r.grid_code,
    household: r.household_id ? { id: r.household_id, code: r.household_code, relationship: r.relationship, address: r.address } : null,
    statuses: [...r.statuses].sort(),
    registeredFrom: r.registered_from,
    movedOutOn: r.moved_out_on,
    diedOn: r.died_on,
    isDemo: r.is_demo,
  };
}
export type PersonListView = ReturnType<typeof personListView>;

export async function searchPersons(deps: ResidentsDeps, actor: AnyActor, query: SearchPersonsQuery) {
  assertCan(actor, 'residents.read');
  const today = shanghaiToday(deps.clock);
  const vault = query.idNumber || query.phone ? vaultOf(deps) : null;
  return deps.db.transaction(async (tx) => {
    const { rows, total } = await repo.searchPersons(tx, {
      districtCode: actor.districtCode,
      today,
      scope: scopeOf(actor),
      ...(query.name ? { name: query.name } : {}),
      ...(query.idNumber && vault ? { idNumberHmac: vault.blindIndex('id_number', query.idNumber) } : {}),
      ...(query.phone && vault ? { phoneHmac: vault.blindIndex('phone', query.phone) } : {}),
      ...(query.householdCode ? { householdCode: query.householdCode } : {}),
      ...(query.gridCode ? { gridCode: query.gridCode } : {}),
      ...(query.status ? { status: query.status } : {}),
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    // A search over personal data is itself recorded (what was asked, how many were shown).
    await recordAudit(tx, deps.clock, actor, {
      action: 'residents.search',
      targetType: 'person',
      detail: {
        filters: { name: query.name ?? null, byIdNumber: !!query.idNumber, byPhone: !!query.phone, householdCode: query.householdCode ?? null, gridCode: query.gridCode ?? null, status: query.status ?? null },
        shown: rows.length,
      },
    });
    return { items: rows.map((r) => personListView(r, today)), total, page: query.page, pageSize: query.pageSize };
  });
}

export async function getPerson(deps: ResidentsDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'residents.read');
  const today = shanghaiToday(deps.clock);
  return deps.db.transaction(async (tx) => {
    const row = await repo.findPerson(tx, actor.districtCode, id, today, scopeOf(actor));
    if (!row) throw notFound(PERSON);
    const history = await repo.personHistory(tx, actor.districtCode, id);
    const corrections = await repo.listCorrections(tx, actor.districtCode, scopeOf(actor), id);
    await recordAudit(tx, deps.clock, actor, { action: 'residents.person.read', targetType: 'person', targetId: id });
    const current = history.versions.filter((v) => (v as { validTo: string | null }).validTo === null).at(-1) ?? null;
    return {
      person: personListView(row, today),
      current,
      history,
      corrections,
      canReveal: can(actor, 'personal.read'),
      today,
    };
  });
}

export async function getHousehold(deps: ResidentsDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'residents.read');
  const today = shanghaiToday(deps.clock);
  return deps.db.transaction(async (tx) => {
    const h = await repo.findHousehold(tx, actor.districtCode, id, scopeOf(actor));
    if (!h) throw notFound(HOUSEHOLD);
    const all = await repo.householdMembers(tx, actor.districtCode, id, today);
    await recordAudit(tx, deps.clock, actor, { action: 'residents.household.read', targetType: 'household', targetId: id });
    const members = all.map((m) => ({
      ...m,
      current: m.validFrom <= today && (m.validTo === null || today < m.validTo) && !(m.diedOn && m.diedOn <= today) && !(m.movedOutOn && m.movedOutOn <= today),
      age: ageOn(m.birthDate, today),
      statuses: [...m.statuses].sort(),
    }));
    const current = members.filter((m) => m.current);
    const income = current.reduce((s, m) => s + Number(m.monthlyIncomeFen ?? 0), 0);
    return {
      household: { id: h.id, code: h.code, address: `${h.address}${h.room ? ` ${h.room}` : ''}`, lon: h.lon, lat: h.lat, gridCode: h.grid_code, areaPath: h.area_path, isDemo: h.is_demo },
      members,
      size: current.length,
      monthlyIncomeFen: income,
      perCapitaIncomeFen: current.length > 0 ? Math.round(income / current.length) : 0,
      today,
    };
  });
}

/** The full ID number and/or phone, for a role that needs them and a stated purpose; audited. */
export async function revealPerson(deps: ResidentsDeps, actor: AnyActor, id: string, body: RevealBody) {
  assertCan(actor, 'residents.read');
  assertCan(actor, 'personal.read');
  const vault = vaultOf(deps);
  const today = shanghaiToday(deps.clock);
  return deps.db.transaction(async (tx) => {
    const row = await repo.findPerson(tx, actor.districtCode, id, today, scopeOf(actor));
    if (!row) throw notFound(PERSON);
    const secrets = await repo.personSecrets(tx, actor.districtCode, id);
    if (!secrets) throw notFound(PERSON);
    await recordAudit(tx, deps.clock, actor, {
      action: 'personal.read',
      targetType: 'person',
      targetId: id,
      detail: { fields: body.fields, purpose: body.purpose },
    });
    return {
      id,
      idNumber: body.fields.includes('id_number') ? vault.decrypt(secrets.id_number_enc) : undefined,
      phone: body.fields.includes('phone') ? (secrets.phone_enc ? vault.decrypt(secrets.phone_enc) : null) : undefined,
    };
  });
}

export interface PersonCard {
  name: string;
  householdId: string | null;
  address: string | null;
  lon: number | null;
  lat: number | null;
}

/**
 * Names and household locations for another module's lists (benefits worklists and 公示). The
 * caller has already authorized its own use case; rows outside `scopePath` are left out. Plain
 * names: the caller masks them where it publishes.
 */
export async function personCards(q: Queryable, districtCode: string, personIds: readonly string[], today: string, scopePath = `/${districtCode}/`) {
  const out = new Map<string, PersonCard>();
  const ids = [...new Set(personIds)].filter((x) => /^[0-9a-f-]{36}$/i.test(x));
  for (let i = 0; i < ids.length; i += 5000) {
    for (const r of await repo.personCards(q, districtCode, ids.slice(i, i + 5000), today)) {
      if (!r.area_path.startsWith(scopePath)) continue;
      out.set(r.id, { name: r.name, householdId: r.household_id, address: r.address, lon: r.lon, lat: r.lat });
    }
  }
  return out;
}

/**
 * A correction request on a person's registry entry (e.g. a visit found them not eligible), in the
 * caller's transaction when it passes one. Civil-affairs staff resolve it with a dated change.
 */
export async function recordCorrection(deps: Pick<ResidentsDeps, 'db' | 'clock'>, actor: AnyActor, body: CorrectionBody, tx?: Queryable) {
  assertCan(actor, 'residents.read');
  const run = async (q: Queryable) => {
    const today = shanghaiToday(deps.clock);
    const row = await repo.findPerson(q, actor.districtCode, body.personId, today, scopeOf(actor));
    if (!row) throw notFound(PERSON);
    const id = await repo.insertCorrection(q, {
      districtCode: actor.districtCode,
      personId: body.personId,
      areaPath: row.area_path,
      field: body.field,
      note: body.note,
      source: body.source,
      reference: body.reference ?? null,
      createdBy: actorId(actor),
      at: deps.clock(),
    });
    await recordAudit(q, deps.clock, actor, { action: 'residents.correction', targetType: 'person', targetId: body.personId, detail: { correctionId: id, field: body.field, source: body.source } });
    return { id };
  };
  return tx ? run(tx) : deps.db.transaction(run);
}

/**
 * Where registered residents live on a date, per building and group (服务圈's population). Counts
 * only — no person leaves the module — so it needs no personal-data permission; the caller scopes it.
 */
export async function populationByBuilding(q: Queryable, districtCode: string, date: string, scopePath: string) {
  return repo.populationByBuilding(q, districtCode, date, scopePath);
}
