/**
 * The contract between the resident registry and the benefit rules: what one person looks like
 * to a policy on one reference date. The registry produces it two ways that must agree —
 * in memory (`PersonFacts[]`) and as SQL (one row per person, the snake_case columns below) —
 * and the benefits module compiles its rules against both.
 *
 * Everything is "as of the reference date": statuses and receipts valid on that date,
 * household membership on that date, income as last declared on or before that date.
 */

/** Special statuses kept as dated facts (valid_from / valid_to): the list lives in core/statuses.ts. */
import type { SpecialStatus } from './core/statuses';
export { SPECIAL_STATUSES, type SpecialStatus } from './core/statuses';

export type Sex = 'M' | 'F';
export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed';
/** 户籍: local hukou of this district, elsewhere in the city, or from outside (流动人口). */
export type HukouType = 'local' | 'city' | 'outside';

export interface PersonFacts {
  personId: string;
  householdId: string | null;
  /** The residence grid cell's area path ("/370202/370202001/…/"), the scope key. */
  areaPath: string;
  gridCode: string | null;
  birthDate: string; // YYYY-MM-DD
  /** null while alive on the reference date. */
  deathDate: string | null;
  /** false once moved out of the district before the reference date. */
  resident: boolean;
  sex: Sex;
  maritalStatus: MaritalStatus | null;
  spouseId: string | null;
  hukouType: HukouType;
  disabilityType: string | null; // 视力 / 听力 / 言语 / 肢体 / 智力 / 精神 / 多重
  disabilityGrade: 1 | 2 | 3 | 4 | null;
  /** Personal monthly income in 分, as last declared on or before the date. */
  monthlyIncomeFen: number;
  statuses: SpecialStatus[];
  /** Benefit code → the date of the last receipt on or before the reference date. */
  lastReceipts: Record<string, string>;
  /** Benefit codes being received (an open receipt period) on the reference date. */
  receiving: string[];
  household: {
    size: number;
    /** Sum of members' monthly income in 分. */
    monthlyIncomeFen: number;
    headPersonId: string | null;
  };
}

/**
 * The columns of `factsSql()` (repo.ts): one row per person on the reference date. Parameters:
 * $1 district_code, $2 reference date 'YYYY-MM-DD', $3 scope path prefix ('/370202/' = all).
 *
 *   person_id text · household_id text|null · area_path text · grid_code text|null
 *   birth_date text 'YYYY-MM-DD' · death_date text|null (died on or before the date)
 *   resident boolean (not moved out before/on the date) · sex 'M'|'F'
 *   marital_status text|null · spouse_id text|null · hukou_type 'local'|'city'|'outside'
 *   disability_type text|null · disability_grade int|null (1–4)
 *   monthly_income_fen bigint (last declaration on or before the date, 0 if none)
 *   statuses text[] (sorted, byte order) · receiving text[] (sorted) · last_receipts jsonb {code: 'YYYY-MM-DD'}
 *   household_size int · household_monthly_income_fen bigint · household_head_id text|null
 *
 * Semantics (the same in computeFacts, core/compute-facts.ts):
 *  - a person appears once registered (registered_from <= date), also after death or moving
 *    out (so the stop list can find them); deathDate / resident say so.
 *  - dated facts hold on d when valid_from <= d < valid_to (valid_to null = open).
 *  - household = the membership holding on d; household size and income count the members who
 *    are alive and resident on d. When there is no household, or nobody in it is alive and
 *    resident, size is 1, income is the person's own and head is null (per-capita division is
 *    always safe).
 *  - areaPath = the household's grid cell path, else the person's current residence path.
 *  - lastReceipts[code] = the last day covered by a receipt of that benefit up to d: for each
 *    receipt starting on or before d, min(period_to ?? d, d); the latest of these. A one-off
 *    service (period_from = period_to) gives its date; an open receipt gives d itself.
 *  - receiving = codes with a receipt whose period contains d (period_to null or >= d).
 */
export const FACTS_COLUMNS = [
  'person_id', 'household_id', 'area_path', 'grid_code', 'birth_date', 'death_date', 'resident', 'sex',
  'marital_status', 'spouse_id', 'hukou_type', 'disability_type', 'disability_grade', 'monthly_income_fen',
  'statuses', 'last_receipts', 'receiving', 'household_size', 'household_monthly_income_fen', 'household_head_id',
] as const;
