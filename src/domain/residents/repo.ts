/**
 * All SQL of the residents module (res_* tables). Every list is limited to a scope path in the
 * query; personal identifiers arrive here already encrypted (pii.ts) and leave encrypted.
 */
import type { Queryable } from '../../shared/db';
import type { PersonFacts } from './facts';
import { computeFacts, type FactsInput, type FactsPerson } from './core/compute-facts';
import type { BuildingRec, HouseholdRec, IncomeRec, MembershipRec, PersonVersionRec, ReceiptRec, StatusRec } from './core/registry';

// ---- PersonFacts as SQL ----------------------------------------------------------------------

/**
 * One row per person on a reference date, the snake_case columns documented in facts.ts. The
 * benefits module wraps it (`SELECT … FROM (<factsSql>) f WHERE <rule>`). Parameters: $1
 * district_code, $2 reference date ('YYYY-MM-DD'), $3 scope path prefix ('/370202/' = district).
 * Must agree with core/compute-facts.ts (residents.facts.test.ts holds them equal).
 */
export const FACTS_SQL = `WITH
p AS (
  SELECT id, birth_date, sex, moved_out_on, died_on, area_path,
         (died_on IS NULL OR died_on > $2::date) AND (moved_out_on IS NULL OR $2::date < moved_out_on) AS living_resident
    FROM res_persons
   WHERE district_code = $1 AND registered_from <= $2::date
),
v AS (
  SELECT DISTINCT ON (person_id) person_id, marital_status, spouse_id, hukou_type, disability_type, disability_grade
    FROM res_person_versions
   WHERE district_code = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR $2::date < valid_to)
   ORDER BY person_id, valid_from DESC, id DESC
),
m AS (
  SELECT DISTINCT ON (person_id) person_id, household_id, relationship
    FROM res_memberships
   WHERE district_code = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR $2::date < valid_to)
   ORDER BY person_id, valid_from DESC, id DESC
),
inc AS (
  SELECT DISTINCT ON (person_id) person_id, monthly_income_fen
    FROM res_incomes
   WHERE district_code = $1 AND declared_on <= $2::date
   ORDER BY person_id, declared_on DESC, id DESC
),
st AS (
  SELECT person_id, array_agg(status ORDER BY status COLLATE "C") AS statuses
    FROM (SELECT DISTINCT person_id, status FROM res_statuses
           WHERE district_code = $1 AND valid_from <= $2::date AND (valid_to IS NULL OR $2::date < valid_to)) s
   GROUP BY person_id
),
rc1 AS (
  SELECT person_id, benefit_code,
         max(LEAST(COALESCE(period_to, $2::date), $2::date)) AS last_on,
         bool_or(period_to IS NULL OR period_to >= $2::date) AS receiving
    FROM res_receipts
   WHERE district_code = $1 AND period_from <= $2::date
   GROUP BY person_id, benefit_code
),
rc AS (
  SELECT person_id,
         jsonb_object_agg(benefit_code, to_char(last_on, 'YYYY-MM-DD')) AS last_receipts,
         COALESCE(array_agg(benefit_code ORDER BY benefit_code COLLATE "C") FILTER (WHERE receiving), '{}'::text[]) AS receiving
    FROM rc1
   GROUP BY person_id
),
hh AS (
  SELECT m.household_id, count(*)::int AS size,
         COALESCE(sum(inc.monthly_income_fen), 0)::bigint AS income,
         min(m.person_id::text) FILTER (WHERE m.relationship = 'head') AS head
    FROM m JOIN p ON p.id = m.person_id LEFT JOIN inc ON inc.person_id = m.person_id
   WHERE p.living_resident
   GROUP BY m.household_id
)
SELECT p.id::text AS person_id,
       m.household_id::text AS household_id,
       COALESCE(h.area_path, p.area_path) AS area_path,
       h.grid_code AS grid_code,
       to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date,
       CASE WHEN p.died_on <= $2::date THEN to_char(p.died_on, 'YYYY-MM-DD') END AS death_date,
       (p.moved_out_on IS NULL OR $2::date < p.moved_out_on) AS resident,
       p.sex AS sex,
       v.marital_status AS marital_status,
       v.spouse_id::text AS spouse_id,
       COALESCE(v.hukou_type, 'local') AS hukou_type,
       v.disability_type AS disability_type,
       v.disability_grade::int AS disability_grade,
       COALESCE(inc.monthly_income_fen, 0)::bigint AS monthly_income_fen,
       COALESCE(st.statuses, '{}'::text[]) AS statuses,
       COALESCE(rc.last_receipts, '{}'::jsonb) AS last_receipts,
       COALESCE(rc.receiving, '{}'::text[]) AS receiving,
       CASE WHEN hh.size > 0 THEN hh.size ELSE 1 END AS household_size,
       (CASE WHEN hh.size > 0 THEN hh.income ELSE COALESCE(inc.monthly_income_fen, 0) END)::bigint AS household_monthly_income_fen,
       CASE WHEN hh.size > 0 THEN hh.head END AS household_head_id
  FROM p
  LEFT JOIN v ON v.person_id = p.id
  LEFT JOIN m ON m.person_id = p.id
  LEFT JOIN res_households h ON h.id = m.household_id
  LEFT JOIN hh ON hh.household_id = m.household_id
  LEFT JOIN inc ON inc.person_id = p.id
  LEFT JOIN st ON st.person_id = p.id
  LEFT JOIN rc ON rc.person_id = p.id
 WHERE COALESCE(h.area_path, p.area_path) LIKE $3 || '%'
 ORDER BY p.id`;

/** The SQL text yielding one PersonFacts row per person ($1 district, $2 date, $3 scope prefix). */
export function factsSql(): string {
  return FACTS_SQL;
}

/** One row of factsSql(), as the database returns it. */
export interface PersonFactsRow {
  person_id: string;
  household_id: string | null;
  area_path: string;
  grid_code: string | null;
  birth_date: string;
  death_date: string | null;
  resident: boolean;
  sex: 'M' | 'F';
  marital_status: PersonFacts['maritalStatus'];
  spouse_id: string | null;
  hukou_type: PersonFacts['hukouType'];
  disability_type: string | null;
  disability_grade: number | null;
  monthly_income_fen: number;
  statuses: string[];
  last_receipts: Record<string, string>;
  receiving: string[];
  household_size: number;
  household_monthly_income_fen: number;
  household_head_id: string | null;
}

/** A factsSql() row as PersonFacts. */
export function factsFromRow(r: PersonFactsRow): PersonFacts {
  return {
    personId: r.person_id,
    householdId: r.household_id,
    areaPath: r.area_path,
    gridCode: r.grid_code,
    birthDate: r.birth_date,
    deathDate: r.death_date,
    resident: r.resident,
    sex: r.sex,
    maritalStatus: r.marital_status,
    spouseId: r.spouse_id,
    hukouType: r.hukou_type,
    disabilityType: r.disability_type,
    disabilityGrade: r.disability_grade as PersonFacts['disabilityGrade'],
    monthlyIncomeFen: Number(r.monthly_income_fen),
    statuses: r.statuses as PersonFacts['statuses'],
    lastReceipts: typeof r.last_receipts === 'string' ? (JSON.parse(r.last_receipts) as Record<string, string>) : r.last_receipts,
    receiving: r.receiving,
    household: {
      size: Number(r.household_size),
      monthlyIncomeFen: Number(r.household_monthly_income_fen),
      headPersonId: r.household_head_id,
    },
  };
}

/** Runs factsSql() and maps the rows (the SQL path; factsAt is the in-memory path). */
export async function factsBySql(q: Queryable, districtCode: string, date: string, scopePath: string): Promise<PersonFacts[]> {
  const rows = await q.query<PersonFactsRow & Record<string, unknown>>(FACTS_SQL, [districtCode, date, scopePath]);
  return rows.map(factsFromRow);
}

// ---- the registry as records, for the in-memory computation ------------------------------------

/**
 * Persons that may appear in `scopePath` on some date: currently there, or ever a member of a
 * household there. (A household's other members are members of the same household, so the
 * household sums stay whole.)
 */
const SCOPED_PERSONS = `SELECT p.id FROM res_persons p
   WHERE p.district_code = $1 AND p.registered_from <= $2::date
     AND (p.area_path LIKE $3 || '%' OR EXISTS (
           SELECT 1 FROM res_memberships m JOIN res_households h ON h.id = m.household_id
            WHERE m.person_id = p.id AND h.area_path LIKE $3 || '%'))`;

const d = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** The registry records needed for PersonFacts on `date`, limited to the scope. */
export async function loadFactsInput(q: Queryable, districtCode: string, date: string, scopePath: string): Promise<FactsInput> {
  const params = [districtCode, date, scopePath];
  const persons = await q.query<FactsPerson & Record<string, unknown>>(
    `SELECT p.id::text AS "id", ${d('p.birth_date')} AS "birthDate", p.sex AS "sex", ${d('p.registered_from')} AS "registeredFrom",
            ${d('p.moved_out_on')} AS "movedOutOn", ${d('p.died_on')} AS "diedOn", p.area_path AS "areaPath"
       FROM res_persons p WHERE p.id IN (${SCOPED_PERSONS})`,
    params,
  );
  const versions = await q.query<PersonVersionRec & Record<string, unknown>>(
    `SELECT person_id::text AS "personId", ${d('valid_from')} AS "validFrom", ${d('valid_to')} AS "validTo",
            marital_status AS "maritalStatus", spouse_id::text AS "spouseId", hukou_type AS "hukouType", hukou_place AS "hukouPlace",
            disability_type AS "disabilityType", disability_grade::int AS "disabilityGrade"
       FROM res_person_versions WHERE district_code = $1 AND valid_from <= $2::date AND person_id IN (${SCOPED_PERSONS}) ORDER BY id`,
    params,
  );
  const memberships = await q.query<MembershipRec & Record<string, unknown>>(
    `SELECT person_id::text AS "personId", household_id::text AS "householdId", relationship AS "relationship",
            ${d('valid_from')} AS "validFrom", ${d('valid_to')} AS "validTo"
       FROM res_memberships WHERE district_code = $1 AND valid_from <= $2::date AND person_id IN (${SCOPED_PERSONS}) ORDER BY id`,
    params,
  );
  const incomes = await q.query<IncomeRec & Record<string, unknown>>(
    `SELECT person_id::text AS "personId", ${d('declared_on')} AS "declaredOn", monthly_income_fen AS "monthlyIncomeFen"
       FROM res_incomes WHERE district_code = $1 AND declared_on <= $2::date AND person_id IN (${SCOPED_PERSONS}) ORDER BY id`,
    params,
  );
  const statuses = await q.query<StatusRec & Record<string, unknown>>(
    `SELECT person_id::text AS "personId", status AS "status", ${d('valid_from')} AS "validFrom", ${d('valid_to')} AS "validTo"
       FROM res_statuses WHERE district_code = $1 AND valid_from <= $2::date AND person_id IN (${SCOPED_PERSONS}) ORDER BY id`,
    params,
  );
  const receipts = await q.query<ReceiptRec & Record<string, unknown>>(
    `SELECT person_id::text AS "personId", benefit_code AS "benefitCode", ${d('period_from')} AS "periodFrom",
            ${d('period_to')} AS "periodTo", amount_fen AS "amountFen"
       FROM res_receipts WHERE district_code = $1 AND period_from <= $2::date AND person_id IN (${SCOPED_PERSONS}) ORDER BY id`,
    params,
  );
  const households = await q.query<{ id: string; code: string; buildingId: string; room: string; gridCode: string; areaPath: string }>(
    `SELECT h.id::text AS "id", h.code AS "code", h.building_id::text AS "buildingId", h.room AS "room",
            h.grid_code AS "gridCode", h.area_path AS "areaPath"
       FROM res_households h WHERE h.district_code = $1`,
    [districtCode],
  );
  return { persons, versions, memberships, incomes, statuses, receipts, households };
}

/** PersonFacts of everyone in the scope on `date`, computed in memory from the dated records. */
export async function factsAt(q: Queryable, districtCode: string, date: string, scopePath: string): Promise<PersonFacts[]> {
  return computeFacts(await loadFactsInput(q, districtCode, date, scopePath), date, scopePath);
}

// ---- bulk writing (demo generator, bench) ------------------------------------------------------

/** A person row ready to store: identifiers already encrypted, indexed and masked by the caller. */
export interface StoredPerson {
  id: string;
  name: string;
  idNumberEnc: string;
  idNumberHmac: string;
  idNumberMasked: string;
  phoneEnc: string | null;
  phoneHmac: string | null;
  phoneMasked: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  registeredFrom: string;
  movedOutOn: string | null;
  diedOn: string | null;
  areaPath: string;
}

const BATCH = 2000;

/** Column-wise arrays for one unnest() insert. */
function columns<T>(rows: readonly T[], pick: readonly ((r: T) => unknown)[]): unknown[][] {
  return pick.map((f) => rows.map(f));
}

async function batched<T>(rows: readonly T[], write: (chunk: readonly T[]) => Promise<unknown>, onRows?: (n: number) => void) {
  for (let i = 0; i < rows.length; i += BATCH) {
    const chunk = rows.slice(i, i + BATCH);
    await write(chunk);
    onRows?.(chunk.length);
  }
}

export interface BulkRegistry {
  buildings: readonly BuildingRec[];
  households: readonly HouseholdRec[];
  persons: readonly StoredPerson[];
  versions: readonly PersonVersionRec[];
  memberships: readonly MembershipRec[];
  incomes: readonly IncomeRec[];
  statuses: readonly StatusRec[];
  receipts: readonly ReceiptRec[];
}

/** Inserts a whole registry (in batches of unnest() inserts). Runs inside the caller's transaction. */
export async function insertRegistry(
  q: Queryable,
  districtCode: string,
  reg: BulkRegistry,
  isDemo: boolean,
  onRows?: (n: number) => void,
): Promise<void> {
  await batched(reg.buildings, (c) => q.query(
    `INSERT INTO res_buildings (district_code, id, code, address, lon, lat, grid_code, area_path, is_demo)
     SELECT $1, * , $9 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[], $8::text[])`,
    [districtCode, ...columns(c, [(r) => r.id, (r) => r.code, (r) => r.address, (r) => r.lon, (r) => r.lat, (r) => r.gridCode, (r) => r.areaPath]), isDemo],
  ), onRows);
  await batched(reg.households, (c) => q.query(
    `INSERT INTO res_households (district_code, id, code, building_id, room, grid_code, area_path, is_demo)
     SELECT $1, *, $8 FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[])`,
    [districtCode, ...columns(c, [(r) => r.id, (r) => r.code, (r) => r.buildingId, (r) => r.room, (r) => r.gridCode, (r) => r.areaPath]), isDemo],
  ), onRows);
  await batched(reg.persons, (c) => q.query(
    `INSERT INTO res_persons (district_code, id, name, id_number_enc, id_number_hmac, id_number_masked, phone_enc, phone_hmac, phone_masked,
                              birth_date, sex, registered_from, moved_out_on, died_on, area_path, is_demo)
     SELECT $1, *, $16 FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                   $10::date[], $11::text[], $12::date[], $13::date[], $14::date[], $15::text[])`,
    [
      districtCode,
      ...columns(c, [
        (r) => r.id, (r) => r.name, (r) => r.idNumberEnc, (r) => r.idNumberHmac, (r) => r.idNumberMasked, (r) => r.phoneEnc, (r) => r.phoneHmac,
        (r) => r.phoneMasked, (r) => r.birthDate, (r) => r.sex, (r) => r.registeredFrom, (r) => r.movedOutOn, (r) => r.diedOn, (r) => r.areaPath,
      ]),
      isDemo,
    ],
  ), onRows);
  await batched(reg.versions, (c) => q.query(
    `INSERT INTO res_person_versions (district_code, person_id, valid_from, valid_to, marital_status, spouse_id, hukou_type, hukou_place, disability_type, disability_grade)
     SELECT $1, * FROM unnest($2::uuid[], $3::date[], $4::date[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[], $10::int[])`,
    [districtCode, ...columns(c, [
      (r) => r.personId, (r) => r.validFrom, (r) => r.validTo, (r) => r.maritalStatus, (r) => r.spouseId, (r) => r.hukouType, (r) => r.hukouPlace,
      (r) => r.disabilityType, (r) => r.disabilityGrade,
    ])],
  ), onRows);
  await batched(reg.memberships, (c) => q.query(
    `INSERT INTO res_memberships (district_code, person_id, household_id, relationship, valid_from, valid_to)
     SELECT $1, * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::date[], $6::date[])`,
    [districtCode, ...columns(c, [(r) => r.personId, (r) => r.householdId, (r) => r.relationship, (r) => r.validFrom, (r) => r.validTo])],
  ), onRows);
  await batched(reg.incomes, (c) => q.query(
    `INSERT INTO res_incomes (district_code, person_id, declared_on, monthly_income_fen, source)
     SELECT $1, *, $5 FROM unnest($2::uuid[], $3::date[], $4::bigint[])`,
    [districtCode, ...columns(c, [(r) => r.personId, (r) => r.declaredOn, (r) => r.monthlyIncomeFen]), isDemo ? 'demo' : 'import'],
  ), onRows);
  await batched(reg.statuses, (c) => q.query(
    `INSERT INTO res_statuses (district_code, person_id, status, valid_from, valid_to, source)
     SELECT $1, *, $6 FROM unnest($2::uuid[], $3::text[], $4::date[], $5::date[])`,
    [districtCode, ...columns(c, [(r) => r.personId, (r) => r.status, (r) => r.validFrom, (r) => r.validTo]), isDemo ? 'demo' : 'import'],
  ), onRows);
  await batched(reg.receipts, (c) => q.query(
    `INSERT INTO res_receipts (district_code, person_id, benefit_code, period_from, period_to, amount_fen, source, is_demo)
     SELECT $1, *, $7, $8 FROM unnest($2::uuid[], $3::text[], $4::date[], $5::date[], $6::bigint[])`,
    [districtCode, ...columns(c, [(r) => r.personId, (r) => r.benefitCode, (r) => r.periodFrom, (r) => r.periodTo, (r) => r.amountFen]), isDemo ? 'demo' : 'import', isDemo],
  ), onRows);
}

export async function countPersons(q: Queryable, districtCode: string): Promise<number> {
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM res_persons WHERE district_code = $1`, [districtCode]);
  return r?.n ?? 0;
}

/** Removes the generated demo registry of a district (is_demo rows and everything hanging on them). */
export async function deleteDemoRegistry(q: Queryable, districtCode: string): Promise<void> {
  const demo = `SELECT id FROM res_persons WHERE district_code = $1 AND is_demo`;
  for (const t of ['res_receipts', 'res_statuses', 'res_incomes', 'res_memberships', 'res_corrections', 'res_person_versions']) {
    await q.query(`DELETE FROM ${t} WHERE district_code = $1 AND person_id IN (${demo})`, [districtCode]);
  }
  await q.query(`UPDATE res_person_versions SET spouse_id = NULL WHERE district_code = $1 AND spouse_id IN (${demo})`, [districtCode]);
  await q.query(`DELETE FROM res_persons WHERE district_code = $1 AND is_demo`, [districtCode]);
  await q.query(`DELETE FROM res_households WHERE district_code = $1 AND is_demo`, [districtCode]);
  await q.query(`DELETE FROM res_buildings WHERE district_code = $1 AND is_demo`, [districtCode]);
}

/** Fresh planner statistics after a bulk load (PGlite has no autovacuum; PostgreSQL's lags). */
export async function analyzeRegistry(q: Queryable): Promise<void> {
  await q.query(`ANALYZE res_buildings, res_households, res_persons, res_person_versions, res_memberships, res_incomes, res_statuses, res_receipts`);
}

// ---- reading persons and households (scoped) ---------------------------------------------------

export interface PersonListRow {
  id: string;
  name: string;
  id_number_masked: string;
  phone_masked: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  area_path: string;
  registered_from: string;
  moved_out_on: string | null;
  died_on: string | null;
  is_demo: boolean;
  household_id: string | null;
  household_code: string | null;
  relationship: string | null;
  address: string | null;
  grid_code: string | null;
  statuses: string[];
}

const PERSON_LIST_COLUMNS = `p.id::text AS id, p.name, p.id_number_masked, p.phone_masked, to_char(p.birth_date, 'YYYY-MM-DD') AS birth_date, p.sex,
  p.area_path, to_char(p.registered_from, 'YYYY-MM-DD') AS registered_from, to_char(p.moved_out_on, 'YYYY-MM-DD') AS moved_out_on,
  to_char(p.died_on, 'YYYY-MM-DD') AS died_on, p.is_demo,
  cm.household_id::text AS household_id, h.code AS household_code, cm.relationship,
  CASE WHEN b.id IS NULL THEN NULL ELSE b.address || CASE WHEN h.room <> '' THEN ' ' || h.room ELSE '' END END AS address, h.grid_code,
  COALESCE((SELECT array_agg(DISTINCT s.status) FROM res_statuses s
             WHERE s.person_id = p.id AND s.valid_from <= $2::date AND (s.valid_to IS NULL OR $2::date < s.valid_to)), '{}'::text[]) AS statuses`;

/** The membership holding on $2 (or the latest one), household and building of person p. */
const PERSON_JOINS = `LEFT JOIN LATERAL (
      SELECT m.household_id, m.relationship FROM res_memberships m
       WHERE m.person_id = p.id AND m.valid_from <= $2::date AND (m.valid_to IS NULL OR $2::date < m.valid_to)
       ORDER BY m.valid_from DESC, m.id DESC LIMIT 1) cm ON true
  LEFT JOIN res_households h ON h.id = cm.household_id
  LEFT JOIN res_buildings b ON b.id = h.building_id`;

export interface PersonSearch {
  districtCode: string;
  today: string;
  scope: string;
  name?: string;
  idNumberHmac?: string;
  phoneHmac?: string;
  householdCode?: string;
  gridCode?: string;
  status?: string;
  limit: number;
  offset: number;
}

export async function searchPersons(q: Queryable, s: PersonSearch): Promise<{ rows: PersonListRow[]; total: number }> {
  const where = [`p.district_code = $1`, `p.area_path LIKE $3 || '%'`, `p.registered_from <= $2::date`];
  const params: unknown[] = [s.districtCode, s.today, s.scope];
  const add = (cond: (n: number) => string, v: unknown) => {
    params.push(v);
    where.push(cond(params.length));
  };
  if (s.name) add((n) => `p.name LIKE $${n} || '%'`, s.name);
  if (s.idNumberHmac) add((n) => `p.id_number_hmac = $${n}`, s.idNumberHmac);
  if (s.phoneHmac) add((n) => `p.phone_hmac = $${n}`, s.phoneHmac);
  if (s.gridCode) add((n) => `p.area_path LIKE '%/' || $${n} || '/'`, s.gridCode);
  if (s.householdCode) {
    add((n) => `EXISTS (SELECT 1 FROM res_memberships m2 JOIN res_households h2 ON h2.id = m2.household_id
                         WHERE m2.person_id = p.id AND h2.code = $${n})`, s.householdCode);
  }
  if (s.status) {
    add((n) => `EXISTS (SELECT 1 FROM res_statuses s2 WHERE s2.person_id = p.id AND s2.status = $${n}
                         AND s2.valid_from <= $2::date AND (s2.valid_to IS NULL OR $2::date < s2.valid_to))`, s.status);
  }
  const whereSql = where.join(' AND ');
  const [count] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM res_persons p WHERE ${whereSql}`, params);
  const rows = await q.query<PersonListRow & Record<string, unknown>>(
    `SELECT ${PERSON_LIST_COLUMNS} FROM res_persons p ${PERSON_JOINS}
      WHERE ${whereSql} ORDER BY p.area_path, h.code NULLS LAST, p.name, p.id LIMIT ${s.limit} OFFSET ${s.offset}`,
    params,
  );
  return { rows, total: count?.n ?? 0 };
}

export async function findPerson(q: Queryable, districtCode: string, id: string, today: string, scope: string): Promise<PersonListRow | undefined> {
  const [row] = await q.query<PersonListRow & Record<string, unknown>>(
    `SELECT ${PERSON_LIST_COLUMNS} FROM res_persons p ${PERSON_JOINS}
      WHERE p.district_code = $1 AND p.id = $4::uuid AND p.area_path LIKE $3 || '%'`,
    [districtCode, today, scope, id],
  );
  return row;
}

export async function personSecrets(q: Queryable, districtCode: string, id: string): Promise<{ id_number_enc: string; phone_enc: string | null } | undefined> {
  const [row] = await q.query<{ id_number_enc: string; phone_enc: string | null }>(
    `SELECT id_number_enc, phone_enc FROM res_persons WHERE district_code = $1 AND id = $2::uuid`,
    [districtCode, id],
  );
  return row;
}

export async function personHistory(q: Queryable, districtCode: string, id: string) {
  const params = [districtCode, id];
  const versions = await q.query(
    `SELECT ${d('v.valid_from')} AS "validFrom", ${d('v.valid_to')} AS "validTo", v.marital_status AS "maritalStatus", v.spouse_id::text AS "spouseId",
            sp.name AS "spouseName", v.hukou_type AS "hukouType", v.hukou_place AS "hukouPlace", v.disability_type AS "disabilityType",
            v.disability_grade::int AS "disabilityGrade"
       FROM res_person_versions v LEFT JOIN res_persons sp ON sp.id = v.spouse_id
      WHERE v.district_code = $1 AND v.person_id = $2::uuid ORDER BY v.valid_from, v.id`,
    params,
  );
  const memberships = await q.query(
    `SELECT m.household_id::text AS "householdId", h.code AS "householdCode", m.relationship AS "relationship",
            ${d('m.valid_from')} AS "validFrom", ${d('m.valid_to')} AS "validTo"
       FROM res_memberships m JOIN res_households h ON h.id = m.household_id
      WHERE m.district_code = $1 AND m.person_id = $2::uuid ORDER BY m.valid_from, m.id`,
    params,
  );
  const incomes = await q.query(
    `SELECT ${d('declared_on')} AS "declaredOn", monthly_income_fen AS "monthlyIncomeFen", source
       FROM res_incomes WHERE district_code = $1 AND person_id = $2::uuid ORDER BY declared_on, id`,
    params,
  );
  const statuses = await q.query(
    `SELECT status, ${d('valid_from')} AS "validFrom", ${d('valid_to')} AS "validTo", source
       FROM res_statuses WHERE district_code = $1 AND person_id = $2::uuid ORDER BY valid_from, id`,
    params,
  );
  const receipts = await q.query(
    `SELECT benefit_code AS "benefitCode", ${d('period_from')} AS "periodFrom", ${d('period_to')} AS "periodTo", amount_fen AS "amountFen", source
       FROM res_receipts WHERE district_code = $1 AND person_id = $2::uuid ORDER BY period_from DESC, id DESC`,
    params,
  );
  return { versions, memberships, incomes, statuses, receipts };
}

export interface HouseholdRow {
  id: string;
  code: string;
  room: string;
  address: string;
  lon: number;
  lat: number;
  grid_code: string;
  area_path: string;
  is_demo: boolean;
}

export async function findHousehold(q: Queryable, districtCode: string, id: string, scope: string): Promise<HouseholdRow | undefined> {
  const [row] = await q.query<HouseholdRow & Record<string, unknown>>(
    `SELECT h.id::text AS id, h.code, h.room, b.address, b.lon, b.lat, h.grid_code, h.area_path, h.is_demo
       FROM res_households h JOIN res_buildings b ON b.id = h.building_id
      WHERE h.district_code = $1 AND h.id = $2::uuid AND h.area_path LIKE $3 || '%'`,
    [districtCode, id, scope],
  );
  return row;
}

/** Everyone who was ever a member, with the dates; the caller decides who is current. */
export async function householdMembers(q: Queryable, districtCode: string, householdId: string, today: string) {
  return q.query<{
    personId: string; name: string; sex: 'M' | 'F'; birthDate: string; idNumberMasked: string; relationship: string;
    validFrom: string; validTo: string | null; diedOn: string | null; movedOutOn: string | null; monthlyIncomeFen: number | null; statuses: string[];
  }>(
    `SELECT p.id::text AS "personId", p.name, p.sex, ${d('p.birth_date')} AS "birthDate", p.id_number_masked AS "idNumberMasked",
            m.relationship, ${d('m.valid_from')} AS "validFrom", ${d('m.valid_to')} AS "validTo", ${d('p.died_on')} AS "diedOn",
            ${d('p.moved_out_on')} AS "movedOutOn",
            (SELECT i.monthly_income_fen FROM res_incomes i WHERE i.person_id = p.id AND i.declared_on <= $3::date
              ORDER BY i.declared_on DESC, i.id DESC LIMIT 1) AS "monthlyIncomeFen",
            COALESCE((SELECT array_agg(DISTINCT s.status) FROM res_statuses s
                       WHERE s.person_id = p.id AND s.valid_from <= $3::date AND (s.valid_to IS NULL OR $3::date < s.valid_to)), '{}'::text[]) AS statuses
       FROM res_memberships m JOIN res_persons p ON p.id = m.person_id
      WHERE m.district_code = $1 AND m.household_id = $2::uuid
      ORDER BY (m.relationship = 'head') DESC, p.birth_date, m.valid_from`,
    [districtCode, householdId, today],
  );
}

/** Names, household and building location of persons (for the benefits worklists and 公示). */
export async function personCards(q: Queryable, districtCode: string, personIds: readonly string[], today: string) {
  return q.query<{ id: string; name: string; household_id: string | null; address: string | null; lon: number | null; lat: number | null; area_path: string }>(
    `SELECT p.id::text AS id, p.name, cm.household_id::text AS household_id,
            CASE WHEN b.id IS NULL THEN NULL ELSE b.address || CASE WHEN h.room <> '' THEN ' ' || h.room ELSE '' END END AS address,
            b.lon, b.lat, p.area_path
       FROM res_persons p ${PERSON_JOINS}
      WHERE p.district_code = $1 AND p.id = ANY($3::uuid[])`,
    [districtCode, today, personIds],
  );
}

// ---- corrections -------------------------------------------------------------------------------

export async function insertCorrection(
  q: Queryable,
  c: { districtCode: string; personId: string; areaPath: string; field: string; note: string; source: string; reference: string | null; createdBy: string | null; at: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO res_corrections (district_code, person_id, area_path, field, note, source, reference, created_by, created_at)
     VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text AS id`,
    [c.districtCode, c.personId, c.areaPath, c.field, c.note, c.source, c.reference, c.createdBy, c.at],
  );
  return row!.id;
}

export async function listCorrections(q: Queryable, districtCode: string, scope: string, personId: string | null) {
  return q.query<{ id: string; personId: string; field: string; note: string; source: string; reference: string | null; status: string; createdAt: string }>(
    `SELECT id::text AS id, person_id::text AS "personId", field, note, source, reference, status, created_at AS "createdAt"
       FROM res_corrections
      WHERE district_code = $1 AND area_path LIKE $2 || '%' AND ($3::uuid IS NULL OR person_id = $3::uuid)
      ORDER BY created_at DESC LIMIT 200`,
    [districtCode, scope, personId],
  );
}

// ---- import: what the registry already holds ---------------------------------------------------

export interface ExistingPerson {
  id: string;
  id_number_hmac: string;
  name: string;
  phone_hmac: string | null;
  area_path: string;
  moved_out_on: string | null;
  died_on: string | null;
  registered_from: string;
  version_id: number | null;
  version_from: string | null;
  marital_status: string | null;
  spouse_id: string | null;
  hukou_type: string | null;
  hukou_place: string | null;
  disability_type: string | null;
  disability_grade: number | null;
  membership_id: number | null;
  membership_from: string | null;
  household_code: string | null;
  relationship: string | null;
  income_fen: number | null;
  statuses: { id: number; status: string; validFrom: string }[];
  /** The latest date any dated fact of this person starts or ends on. */
  latest_change: string | null;
}

/** Persons by ID-number blind index with their open version, membership, last income, open statuses. */
export async function findPersonsByHmac(q: Queryable, districtCode: string, hmacs: readonly string[]): Promise<ExistingPerson[]> {
  if (hmacs.length === 0) return [];
  return q.query<ExistingPerson & Record<string, unknown>>(
    `SELECT p.id::text AS id, p.id_number_hmac, p.name, p.phone_hmac, p.area_path, ${d('p.moved_out_on')} AS moved_out_on, ${d('p.died_on')} AS died_on,
            ${d('p.registered_from')} AS registered_from,
            v.id AS version_id, ${d('v.valid_from')} AS version_from, v.marital_status, v.spouse_id::text AS spouse_id, v.hukou_type, v.hukou_place,
            v.disability_type, v.disability_grade::int AS disability_grade,
            m.id AS membership_id, ${d('m.valid_from')} AS membership_from, h.code AS household_code, m.relationship,
            (SELECT i.monthly_income_fen FROM res_incomes i WHERE i.person_id = p.id ORDER BY i.declared_on DESC, i.id DESC LIMIT 1) AS income_fen,
            COALESCE((SELECT jsonb_agg(jsonb_build_object('id', s.id, 'status', s.status, 'validFrom', ${d('s.valid_from')}))
                        FROM res_statuses s WHERE s.person_id = p.id AND s.valid_to IS NULL), '[]'::jsonb) AS statuses,
            to_char(GREATEST(
              (SELECT max(GREATEST(x.valid_from, COALESCE(x.valid_to, x.valid_from))) FROM res_person_versions x WHERE x.person_id = p.id),
              (SELECT max(GREATEST(x.valid_from, COALESCE(x.valid_to, x.valid_from))) FROM res_memberships x WHERE x.person_id = p.id),
              (SELECT max(GREATEST(x.valid_from, COALESCE(x.valid_to, x.valid_from))) FROM res_statuses x WHERE x.person_id = p.id),
              (SELECT max(x.declared_on) FROM res_incomes x WHERE x.person_id = p.id)), 'YYYY-MM-DD') AS latest_change
       FROM res_persons p
       LEFT JOIN LATERAL (SELECT * FROM res_person_versions v WHERE v.person_id = p.id AND v.valid_to IS NULL ORDER BY v.valid_from DESC, v.id DESC LIMIT 1) v ON true
       LEFT JOIN LATERAL (SELECT * FROM res_memberships m WHERE m.person_id = p.id AND m.valid_to IS NULL ORDER BY m.valid_from DESC, m.id DESC LIMIT 1) m ON true
       LEFT JOIN res_households h ON h.id = m.household_id
      WHERE p.district_code = $1 AND p.id_number_hmac = ANY($2::text[])`,
    [districtCode, hmacs],
  );
}

export async function findHouseholdsByCode(q: Queryable, districtCode: string, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return q.query<{ id: string; code: string; grid_code: string; area_path: string; address: string; room: string }>(
    `SELECT h.id::text AS id, h.code, h.grid_code, h.area_path, b.address, h.room
       FROM res_households h JOIN res_buildings b ON b.id = h.building_id
      WHERE h.district_code = $1 AND h.code = ANY($2::text[])`,
    [districtCode, codes],
  );
}

export async function findBuildingsByAddress(q: Queryable, districtCode: string, addresses: readonly string[]) {
  if (addresses.length === 0) return [];
  return q.query<{ id: string; code: string; address: string; grid_code: string; area_path: string; lon: number; lat: number }>(
    `SELECT id::text AS id, code, address, grid_code, area_path, lon, lat FROM res_buildings WHERE district_code = $1 AND address = ANY($2::text[])`,
    [districtCode, addresses],
  );
}

export async function existingReceipts(q: Queryable, districtCode: string, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return q.query<{ person_id: string; benefit_code: string; period_from: string }>(
    `SELECT person_id::text AS person_id, benefit_code, ${d('period_from')} AS period_from FROM res_receipts
      WHERE district_code = $1 AND person_id = ANY($2::uuid[])`,
    [districtCode, personIds],
  );
}

// ---- import: dated changes ---------------------------------------------------------------------

export async function updatePersonPlain(
  q: Queryable,
  id: string,
  p: { name: string; phoneEnc: string | null; phoneHmac: string | null; phoneMasked: string | null; areaPath: string; movedOutOn: string | null; diedOn: string | null; at: Date },
) {
  await q.query(
    `UPDATE res_persons SET name = $2, phone_enc = $3, phone_hmac = $4, phone_masked = $5, area_path = $6,
            moved_out_on = COALESCE($7::date, moved_out_on), died_on = COALESCE($8::date, died_on), updated_at = $9
      WHERE id = $1::uuid`,
    [id, p.name, p.phoneEnc, p.phoneHmac, p.phoneMasked, p.areaPath, p.movedOutOn, p.diedOn, p.at],
  );
}

/** Closes a dated row of one of the dated tables on `on` (exclusive end). */
export async function closeDated(q: Queryable, table: 'res_person_versions' | 'res_memberships' | 'res_statuses', id: number, on: string) {
  await q.query(`UPDATE ${table} SET valid_to = $2::date WHERE id = $1 AND valid_to IS NULL`, [id, on]);
}

/** A same-day correction of the open version (valid_from = the effective date): rewrite it. */
export async function rewriteVersion(q: Queryable, id: number, v: Omit<PersonVersionRec, 'personId' | 'validFrom' | 'validTo'>) {
  await q.query(
    `UPDATE res_person_versions SET marital_status = $2, spouse_id = $3::uuid, hukou_type = $4, hukou_place = $5, disability_type = $6, disability_grade = $7
      WHERE id = $1`,
    [id, v.maritalStatus, v.spouseId, v.hukouType, v.hukouPlace, v.disabilityType, v.disabilityGrade],
  );
}

export async function insertImportRecord(
  q: Queryable,
  r: { districtCode: string; fileName: string; effectiveOn: string; dryRun: boolean; total: number; applied: number; skipped: number; report: unknown; actorId: string | null; at: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO res_imports (district_code, file_name, effective_on, dry_run, rows_total, rows_applied, rows_skipped, report, actor_id, created_at)
     VALUES ($1, $2, $3::date, $4, $5, $6, $7, $8::jsonb, $9, $10) RETURNING id::text AS id`,
    [r.districtCode, r.fileName, r.effectiveOn, r.dryRun, r.total, r.applied, r.skipped, JSON.stringify(r.report), r.actorId, r.at],
  );
  return row!.id;
}

/** A same-day correction of the open membership (valid_from = the effective date). */
export async function rewriteMembership(q: Queryable, id: number, householdId: string, relationship: string) {
  await q.query(`UPDATE res_memberships SET household_id = $2::uuid, relationship = $3 WHERE id = $1`, [id, householdId, relationship]);
}

// ---- population for coverage (服务圈) ------------------------------------------------------------

export type BuildingPopulationRow = {
  building_id: string;
  lon: number;
  lat: number;
  address: string;
  grid_code: string;
  area_path: string;
  households: number;
  people: number;
  aged60: number;
  aged70: number;
  children: number;
  disabled: number;
};

/**
 * Living residents per building on a date ($2), counted by group — counts, never persons. A
 * birthday counts on its own day (aged 60 = born on or before the date 60 years back); children
 * are 0–14; disabled = a disability grade in force on the date.
 */
export async function populationByBuilding(q: Queryable, districtCode: string, date: string, scopePath: string): Promise<BuildingPopulationRow[]> {
  return q.query<BuildingPopulationRow>(
    `SELECT b.id::text AS building_id, b.lon, b.lat, b.address, b.grid_code, b.area_path,
            count(DISTINCT h.id)::int AS households,
            count(*)::int AS people,
            count(*) FILTER (WHERE p.birth_date <= ($2::date - interval '60 years'))::int AS aged60,
            count(*) FILTER (WHERE p.birth_date <= ($2::date - interval '70 years'))::int AS aged70,
            count(*) FILTER (WHERE p.birth_date > ($2::date - interval '15 years'))::int AS children,
            count(*) FILTER (WHERE v.disability_grade IS NOT NULL)::int AS disabled
       FROM res_persons p
       JOIN LATERAL (
            SELECT m.household_id FROM res_memberships m
             WHERE m.person_id = p.id AND m.valid_from <= $2::date AND (m.valid_to IS NULL OR $2::date < m.valid_to)
             ORDER BY m.valid_from DESC, m.id DESC LIMIT 1) cm ON true
       JOIN res_households h ON h.id = cm.household_id
       JOIN res_buildings b ON b.id = h.building_id
       LEFT JOIN LATERAL (
            SELECT pv.disability_grade FROM res_person_versions pv
             WHERE pv.person_id = p.id AND pv.valid_from <= $2::date AND (pv.valid_to IS NULL OR $2::date < pv.valid_to)
             ORDER BY pv.valid_from DESC LIMIT 1) v ON true
      WHERE p.district_code = $1 AND b.area_path LIKE $3 || '%'
        AND p.registered_from <= $2::date AND p.birth_date <= $2::date
        AND (p.moved_out_on IS NULL OR p.moved_out_on > $2::date)
        AND (p.died_on IS NULL OR p.died_on > $2::date)
      GROUP BY b.id, b.lon, b.lat, b.address, b.grid_code, b.area_path
      ORDER BY b.id`,
    [districtCode, date, scopePath],
  );
}
