/**
 * The registry as plain records — one shape for the rows the database holds (repo.ts loads and
 * writes them), the demo generator's output and the in-memory bench. Dates are 'YYYY-MM-DD'
 * strings (lexical order = date order). Conventions (same as db/migrations/0020_residents.sql):
 * valid_from inclusive, valid_to exclusive (null = open); receipt periods inclusive at both ends.
 */
import type { HukouType, MaritalStatus, Sex } from '../facts';

export const RELATIONSHIPS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];
export const DISABILITY_TYPES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;
export type DisabilityType = (typeof DISABILITY_TYPES)[number];

export interface BuildingRec {
  id: string;
  code: string;
  address: string;
  lon: number;
  lat: number;
  gridCode: string;
  areaPath: string;
}

export interface HouseholdRec {
  id: string;
  code: string;
  buildingId: string;
  room: string;
  gridCode: string;
  areaPath: string;
}

export interface PersonRec {
  id: string;
  name: string;
  /** Plain only in memory (generator, import); the database holds it encrypted. */
  idNumber: string;
  phone: string | null;
  birthDate: string;
  sex: Sex;
  registeredFrom: string;
  movedOutOn: string | null;
  diedOn: string | null;
  /** Current residence grid cell path. */
  areaPath: string;
}

export interface PersonVersionRec {
  personId: string;
  validFrom: string;
  validTo: string | null;
  maritalStatus: MaritalStatus | null;
  spouseId: string | null;
  hukouType: HukouType;
  hukouPlace: string | null;
  disabilityType: DisabilityType | null;
  disabilityGrade: 1 | 2 | 3 | 4 | null;
}

export interface MembershipRec {
  personId: string;
  householdId: string;
  relationship: Relationship;
  validFrom: string;
  validTo: string | null;
}

export interface IncomeRec {
  personId: string;
  declaredOn: string;
  monthlyIncomeFen: number;
}

export interface StatusRec {
  personId: string;
  status: string;
  validFrom: string;
  validTo: string | null;
}

export interface ReceiptRec {
  personId: string;
  benefitCode: string;
  periodFrom: string;
  periodTo: string | null;
  amountFen: number;
}

export interface Registry {
  buildings: BuildingRec[];
  households: HouseholdRec[];
  persons: PersonRec[];
  versions: PersonVersionRec[];
  memberships: MembershipRec[];
  incomes: IncomeRec[];
  statuses: StatusRec[];
  receipts: ReceiptRec[];
}

export function emptyRegistry(): Registry {
  return { buildings: [], households: [], persons: [], versions: [], memberships: [], incomes: [], statuses: [], receipts: [] };
}

/** A dated fact [validFrom, validTo) holds on `date`. */
export function holdsOn(validFrom: string, validTo: string | null, date: string): boolean {
  return validFrom <= date && (validTo === null || date < validTo);
}
