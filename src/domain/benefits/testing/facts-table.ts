/**
 * Test and bench support: a plain table with the columns of the residents' facts query, filled
 * from PersonFacts, and a facts SQL over it with the same parameters ($1 district, $2 date,
 * $3 scope). Lets the SQL compiler be checked against the in-memory one on random registries
 * without going through the registry's own tables.
 */
import type { Queryable } from '../../../shared/db';
import type { PersonFacts } from '../../residents';

export const FACTS_TABLE_DDL = (name: string) => `CREATE TABLE ${name} (
  person_id text PRIMARY KEY, household_id text, area_path text NOT NULL, grid_code text,
  birth_date text NOT NULL, death_date text, resident boolean NOT NULL, sex text NOT NULL,
  marital_status text, spouse_id text, hukou_type text NOT NULL, disability_type text,
  disability_grade int, monthly_income_fen bigint NOT NULL, statuses text[] NOT NULL,
  receiving text[] NOT NULL, last_receipts jsonb NOT NULL, household_size int NOT NULL,
  household_monthly_income_fen bigint NOT NULL, household_head_id text)`;

export const factsSqlOver = (name: string) => `SELECT * FROM ${name} WHERE $1::text IS NOT NULL AND $2::date IS NOT NULL AND area_path LIKE $3::text || '%'`;

export function factsRow(p: PersonFacts) {
  return {
    person_id: p.personId,
    household_id: p.householdId,
    area_path: p.areaPath,
    grid_code: p.gridCode,
    birth_date: p.birthDate,
    death_date: p.deathDate,
    resident: p.resident,
    sex: p.sex,
    marital_status: p.maritalStatus,
    spouse_id: p.spouseId,
    hukou_type: p.hukouType,
    disability_type: p.disabilityType,
    disability_grade: p.disabilityGrade,
    monthly_income_fen: p.monthlyIncomeFen,
    statuses: p.statuses,
    receiving: p.receiving,
    last_receipts: p.lastReceipts,
    household_size: p.household.size,
    household_monthly_income_fen: p.household.monthlyIncomeFen,
    household_head_id: p.household.headPersonId,
  };
}

const COLS =
  'person_id text, household_id text, area_path text, grid_code text, birth_date text, death_date text, resident boolean, sex text, marital_status text, spouse_id text, hukou_type text, disability_type text, disability_grade int, monthly_income_fen bigint, statuses text[], receiving text[], last_receipts jsonb, household_size int, household_monthly_income_fen bigint, household_head_id text';

export async function insertFacts(q: Queryable, name: string, persons: PersonFacts[]): Promise<void> {
  for (let k = 0; k < persons.length; k += 5000) {
    const chunk = persons.slice(k, k + 5000).map(factsRow);
    await q.query(`INSERT INTO ${name} SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(${COLS})`, [JSON.stringify(chunk)]);
  }
}
