export interface Bi {
  zh: string;
  en: string;
}
export type Category = 'eligible_receiving' | 'eligible_missing' | 'stop' | 'not_eligible';
export interface Reason extends Bi {
  path: string;
  ok: boolean;
}
export interface Explanation {
  policyCode: string;
  version: number;
  personId: string;
  eligible: boolean;
  receiving: boolean;
  category: Category;
  tier: { code: string; name: Bi; monthlyFen: number } | null;
  monthlyFen: number | null;
  summary: Bi;
  because: Reason[];
  failing: Reason[];
  stopReason: string | null;
}
export interface PolicyView {
  code: string;
  version: number;
  policy: { code: string; name: Bi; kind: 'monthly' | 'one_off'; legalBasis: string; effectiveFrom: string; effectiveTo: string | null } & Record<string, unknown>;
  isDemo: boolean;
}
export interface PolicyCounts {
  code: string;
  name: Bi;
  version: number;
  eligible_receiving: number;
  eligible_missing: number;
  stop: number;
  not_eligible: number;
  monthlyFen: number;
}
export interface ResultItem {
  personId: string;
  name: string | null;
  gridCode: string | null;
  tier: string | null;
  monthlyFen: number | null;
  stopReason: string | null;
  summary: Bi;
  explanation: Explanation;
}
export type VisitStatus = 'open' | 'applied' | 'declined' | 'not_eligible' | 'unreachable';
export interface Visit {
  id: string;
  policy: string;
  personId: string;
  name: string | null;
  address: string | null;
  /** the building's position (WGS-84) */
  lon: number | null;
  lat: number | null;
  householdId: string | null;
  gridCode: string | null;
  summary: Bi;
  status: VisitStatus;
  reason: string | null;
  outcomeAt: string | null;
}
type Progress = Record<VisitStatus | 'total', number>;
export interface VisitProgress {
  streets: (Progress & { street: string })[];
  grids: (Progress & { grid: string; street: string })[];
}
export interface Cycle {
  id: string;
  policy: string;
  month: string;
  status: 'draft' | 'reviewed' | 'approved';
  frozen: boolean;
  persons: number;
  totalFen: number;
  preparedBy: string | null;
  approvedBy: string | null;
}
