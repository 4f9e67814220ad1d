/** Types of the 服务圈 endpoints, as the web app reads them. */
export type Group = 'all' | 'aged60' | 'aged70' | 'children' | 'disabled';
export type Level = 'subdistrict' | 'community' | 'grid_cell';

export interface FacilityType {
  code: string;
  name: string;
  nameEn: string;
  capacityUnit: string;
  standard: { mode: 'radius' | 'time' | 'network'; radiusM: number | null; reachM: number; description: { zh: string; en: string } };
  populationGroup: Group;
  facilities: number;
  active: number;
}

export interface KpiRow {
  code: string;
  name: string;
  people: number;
  covered: number;
  uncovered: number;
  coverageRate: number | null;
  uncoveredPlaces: number;
  facilities: number;
  capacityPerThousand: number | null;
  areaKm2: number;
  perKm2: number | null;
}

export interface CoverageReport {
  type: { code: string; name: string; nameEn: string };
  standard: { reachM: number; description: { zh: string; en: string } };
  population: { group: Group; isDemo: boolean };
  totals: KpiRow & { coverageRate: number | null; perKm2Target: number | null; fullCoverage: boolean; facilitiesServing: number; reachM: number };
  rows: KpiRow[];
  uncovered: { id: string; label: string | null; lon: number; lat: number; gridCell: { name: string } | null; people: number; nearestStraightM: number | null }[];
  answer: { zh: string; en: string };
}

export interface CoveragePoints {
  standard: { reachM: number; exactReachM: number };
  cells: string[];
  points: { lon: number[]; lat: number[]; w: number[]; cell: number[] };
  facilities: { id: string; name: string; lon: number; lat: number; capacity: number | null }[];
}

export interface SitingReport {
  before: { coverageRate: number | null };
  after: { coverageRate: number | null };
  sites: { rank: number; lon: number; lat: number; gain: number; coverageRateAfter: number | null; subdistrict: { name: string } | null; gridCell: { name: string } | null }[];
  guarantee: { zh: string; en: string };
  evaluations: number;
}

export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
