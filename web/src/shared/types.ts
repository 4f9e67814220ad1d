/** Shapes of the /api/v1 responses the web app uses (see the API contract in the server modules). */

export const ROLES = ['resident', 'dispatcher', 'handler', 'grid_worker', 'civil_affairs', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const AREA_LEVELS = ['district', 'subdistrict', 'community', 'grid_cell'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export interface AppConfig {
  districtCode: string;
  districtName: string;
  basemapTileUrl: string | null;
  demo: boolean;
}

export interface Me {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string | null;
  areaName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  permissions: string[];
}

export interface Area {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  path: string;
  statisticalCode: string | null;
  isDemo: boolean;
  hasGeometry: boolean;
  childCount: number;
}

export interface Staff {
  id: string;
  staffKind: string;
  staffKindName: string;
  name: string;
  phone: string | null;
  userId: string | null;
}

export interface AreaFeatureProperties {
  code: string;
  name: string;
  level: AreaLevel;
  parentCode: string | null;
  isDemo: boolean;
}

export interface StreetStats {
  code: string;
  name: string;
  communities: number;
  gridCells: number;
}

/** A code list entry (staff kinds, departments). */
export interface CodeName {
  code: string;
  name: string;
  nameEn: string;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  areaCode: string | null;
  areaName: string | null;
  departmentCode: string | null;
  departmentName: string | null;
  phone: string | null;
  disabled: boolean;
  lockedUntil: string | null;
  isDemo: boolean;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: Role | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: unknown;
}

export interface Items<T> {
  items: T[];
}

export interface Page<T> extends Items<T> {
  total: number;
}
