/**
 * The contract between the resident registry and the benefit rules: what one person looks like
 * to a policy on one reference date. The registry produces it two ways that must agree —
 * in memory (`PersonFacts[]`) and as SQL (one row per person, the snake_case columns below) —
 * and the benefits module compiles its rules against both.
 *
 * Everything is "as of the reference date": statuses and receipts valid on that date,
 * household membership on that date, income as last declared on or before that date.
 */

/** Special statuses kept as dated facts (valid_from / valid_to) in the registry. Data, not code: */
export const SPECIAL_STATUSES = [
  'dibao', // 低保
  'dibao_edge', // 低保边缘
  'tekun', // 特困供养
  'living_alone', // 独居老人
  'empty_nest', // 空巢老人
  'veteran', // 退役军人
  'poverty_watch', // 防止返贫监测对象
  'pregnancy_planned', // 计划怀孕（孕前优生检查）
  'floating_policy', // 流动人口政策内
] as const;
export type SpecialStatus = (typeof SPECIAL_STATUSES)[number];

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
