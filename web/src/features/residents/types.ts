export interface PersonItem {
  id: string;
  name: string;
  idNumber: string;
  phone: string | null;
  sex: 'M' | 'F';
  birthDate: string;
  age: number;
  areaPath: string;
  gridCode: string | null;
  household: { id: string; code: string | null; relationship: string | null; address: string | null } | null;
  statuses: string[];
  registeredFrom: string;
  movedOutOn: string | null;
  diedOn: string | null;
  isDemo: boolean;
}

export interface Problem {
  field: string;
  code: string;
  zh: string;
  en: string;
}

export interface ImportReport {
  importId: string | null;
  fileName: string;
  kind: 'persons' | 'receipts';
  effectiveOn: string;
  dryRun: boolean;
  strict: boolean;
  applied: boolean;
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  rows: { line: number; status: string; idNumber: string | null; personId: string | null; changes: string[]; errors: Problem[] }[];
  rowsTruncated: boolean;
}
