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

// ---- tickets (诉求, 接诉即办) ---------------------------------------------------------------------

export const TICKET_STATUSES = ['received', 'dispatched', 'in_progress', 'extension_pending', 'returned', 'replied', 'closed', 'merged'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TICKET_CHANNELS = ['hotline', 'web', 'qr', 'grid_patrol', 'sensor', 'supervision', 'open311'] as const;
export type TicketChannel = (typeof TICKET_CHANNELS)[number];
export const TICKET_URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type TicketUrgency = (typeof TICKET_URGENCIES)[number];
export const TICKET_RESOLUTIONS = ['resolved', 'partially_resolved', 'unresolved', 'not_government'] as const;
export type TicketResolution = (typeof TICKET_RESOLUTIONS)[number];
export const TICKET_RATINGS = ['satisfied', 'basically_satisfied', 'dissatisfied', 'unreachable'] as const;
export type TicketRating = (typeof TICKET_RATINGS)[number];
export const TICKET_ACTS = [
  'dispatch',
  'answerDirectly',
  'accept',
  'return',
  'requestExtension',
  'decideExtension',
  'reply',
  'followUp',
  'reopen',
  'urge',
  'supervise',
  'merge',
  'callUnits',
  'reportToCall',
] as const;
export type TicketAct = (typeof TICKET_ACTS)[number];

/** 'department:<code>' or 'subdistrict:<code>' */
export type UnitKey = string;

export interface CodeNameRef {
  code: string;
  name: string | null;
}

export interface TicketView {
  id: string;
  number: string;
  type: TicketType;
  channel: TicketChannel;
  title: string;
  content: string;
  urgency: TicketUrgency;
  category: CodeNameRef | null;
  location: {
    lon: number | null;
    lat: number | null;
    address: string | null;
    gridCell: CodeNameRef | null;
    community: CodeNameRef | null;
    subdistrict: CodeNameRef | null;
  };
  requester: { name: string | null; phone: string | null; anonymous: boolean };
  status: TicketStatus;
  statusName: { zh: string; en: string };
  leadUnit: UnitKey | null;
  assistingUnits: UnitKey[];
  dueAt: string | null;
  acceptDueAt: string | null;
  overdue: boolean;
  dueSoon: boolean;
  paused: boolean;
  resolution: TicketResolution | null;
  rating: TicketRating | null;
  returns: number;
  reopens: number;
  urges: number;
  mergedInto: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface TicketEvent {
  seq: number;
  kind: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  unit: UnitKey | null;
  data: Record<string, unknown>;
}

export interface TicketAttachment {
  id: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  eventSeq: number | null;
}

export interface TicketDetail {
  ticket: TicketView;
  timeline: TicketEvent[];
  allowedActs: TicketAct[];
  attachments: TicketAttachment[];
}

export interface TicketCategory {
  code: string;
  parentCode: string | null;
  level: number;
  name: string;
  nameEn: string;
  active: boolean;
  autoDispatch: boolean;
}

export interface DispatchSuggestion {
  unit: UnitKey;
  reason: string;
}

export interface TicketContact {
  name: string | null;
  phone: string | null;
  anonymous: boolean;
}

/** One rate of GET /api/v1/tickets/stats: num ÷ den (rate null when den is 0). */
export interface StatRate {
  rate: number | null;
  num: number;
  den: number;
}

export interface TicketStatsTotals {
  dispatched: number;
  received: number;
  responseRate: StatRate;
  resolutionRate: StatRate;
  satisfactionRate: StatRate;
  onTimeRate: StatRate;
  returnRate: StatRate;
  reopenRate: StatRate;
  /** 街呼区应: reports (报到) by the report-by time ÷ reports */
  callReportOnTimeRate: StatRate;
  lateCallReports: number;
}
