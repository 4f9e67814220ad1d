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
  for (const t of ['res_receipts', 'res_statuses', 'res_incomes', 'res_memberships', 'res_person_versions']) {
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
