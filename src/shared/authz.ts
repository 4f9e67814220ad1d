/**
 * Who may do what, and where. Roles and permissions are one table the compiler checks; the
 * area scope is a path prefix. Services call `assertCan` before acting and pass `scopeOf(actor)`
 * into every list query, so a missed check still cannot leak rows from another street.
 */
import { AppError } from './errors';
import { isWithin } from './area-path';

export const ROLES = ['resident', 'dispatcher', 'handler', 'grid_worker', 'civil_affairs', 'leader', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'areas.read',
  'areas.manage',
  'areas.staff.read',
  'areas.staff.manage',
  'users.read',
  'users.manage',
  'departments.read',
  'audit.read',
  'personal.read',
  'tickets.create',
  'tickets.read',
  'tickets.dispatch',
  'tickets.handle',
  'tickets.supervise',
  'tickets.configure',
  'tickets.stats',
  // 自动分析 (analysis): suggestions, hot issues, reply quality; models and the knowledge base
  'analysis.read',
  'analysis.manage',
  'knowledge.read',
  'knowledge.manage',
  // 政策找人: the resident registry, benefit policies, matching, visits, payment cycles
  'residents.read',
  'residents.manage',
  'benefits.read',
  'benefits.configure',
  'benefits.visit',
  'benefits.approve',
  // 民生实事 and 民生微实事
  'projects.read',
  'projects.report',
  'projects.manage',
  'micro.screen',
  // 服务圈: facilities, coverage, siting
  'facilities.read',
  'facilities.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const STAFF_READ: Permission[] = [
  'areas.read',
  'areas.staff.read',
  'departments.read',
  'tickets.read',
  'knowledge.read',
  'projects.read',
  'facilities.read',
];

export const ROLE_PERMISSIONS = {
  resident: [],
  dispatcher: [...STAFF_READ, 'tickets.create', 'tickets.dispatch', 'tickets.supervise', 'tickets.stats', 'personal.read', 'analysis.read', 'knowledge.manage'],
  handler: [...STAFF_READ, 'tickets.handle', 'projects.report'],
  grid_worker: [...STAFF_READ, 'tickets.create', 'residents.read', 'benefits.visit'],
  civil_affairs: [...STAFF_READ, 'personal.read', 'residents.read', 'residents.manage', 'benefits.read', 'benefits.configure', 'benefits.visit', 'benefits.approve'],
  leader: [...STAFF_READ, 'tickets.supervise', 'tickets.stats', 'analysis.read', 'benefits.read'],
  admin: [
    ...STAFF_READ,
    'areas.manage',
    'areas.staff.manage',
    'users.read',
    'users.manage',
    'audit.read',
    'personal.read',
    'tickets.create',
    'tickets.dispatch',
    'tickets.supervise',
    'tickets.configure',
    'tickets.stats',
    'analysis.read',
    'analysis.manage',
    'knowledge.manage',
    'residents.read',
    'residents.manage',
    'benefits.read',
    'benefits.configure',
    'benefits.approve',
    'projects.report',
    'projects.manage',
    'micro.screen',
    'facilities.manage',
  ],
} as const satisfies Record<Role, readonly Permission[]>;

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  resident: { zh: '居民', en: 'Resident' },
  dispatcher: { zh: '派单员', en: 'Dispatcher' },
  handler: { zh: '承办人', en: 'Handler' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  civil_affairs: { zh: '民政专员', en: 'Civil-affairs officer' },
  leader: { zh: '领导', en: 'Leader' },
  admin: { zh: '管理员', en: 'Administrator' },
};

/** The authenticated party of a use case. `areaPath` is the scope; null means no area scope. */
export interface Actor {
  readonly kind: 'user';
  readonly id: string;
  readonly role: Role;
  readonly districtCode: string;
  readonly areaPath: string | null;
  readonly departmentCode: string | null;
}

/** The system itself (CLI, seeding, jobs) acting with full scope over one district. */
export interface SystemActor {
  readonly kind: 'system';
  readonly districtCode: string;
  readonly reason: string;
}

export type AnyActor = Actor | SystemActor;

export function permissionsOf(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

/** Permissions that only make sense over the whole district (the audit trail spans it). */
const DISTRICT_WIDE: readonly Permission[] = ['audit.read'];

export function hasDistrictScope(actor: AnyActor): boolean {
  return scopeOf(actor) === `/${actor.districtCode}/`;
}

/** What the actor can actually do: the role's permissions, less district-wide ones for a narrower scope. */
export function effectivePermissions(actor: Actor): Permission[] {
  return permissionsOf(actor.role).filter((p) => hasDistrictScope(actor) || !DISTRICT_WIDE.includes(p));
}

export function can(actor: AnyActor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  return (ROLE_PERMISSIONS[actor.role] as readonly Permission[]).includes(permission);
}

function canEffectively(actor: AnyActor, permission: Permission): boolean {
  return can(actor, permission) && (actor.kind === 'system' || effectivePermissions(actor).includes(permission));
}

/**
 * The path prefix an actor's list queries are limited to. A staff member with no area binding
 * (a department handler) sees the whole district; a resident sees no area-scoped rows at all.
 */
export function scopeOf(actor: AnyActor): string {
  if (actor.kind === 'system') return `/${actor.districtCode}/`;
  if (actor.role === 'resident') return '/-none-/';
  return actor.areaPath ?? `/${actor.districtCode}/`;
}

export function isInScope(actor: AnyActor, targetPath: string): boolean {
  return isWithin(targetPath, scopeOf(actor));
}

export function assertCan(actor: AnyActor, permission: Permission, targetPath?: string): void {
  if (!can(actor, permission)) {
    throw new AppError('forbidden', {
      zh: '您的角色无权执行此操作',
      en: 'Your role is not allowed to do this',
    }, { permission });
  }
  if (!canEffectively(actor, permission)) {
    throw new AppError('out_of_scope', {
      zh: '此操作需要区级权限范围',
      en: 'This needs a district-wide scope',
    }, { permission });
  }
  if (targetPath !== undefined && !isInScope(actor, targetPath)) {
    throw new AppError('out_of_scope', {
      zh: '该区域不在您的管辖范围内',
      en: 'This area is outside your jurisdiction',
    });
  }
}

export function actorId(actor: AnyActor): string | null {
  return actor.kind === 'user' ? actor.id : null;
}

/** Personal data shown to a role that does not need it in full. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  if (phone.length <= 4) return '*'.repeat(phone.length);
  if (phone.length < 8) return `${phone.slice(0, 1)}${'*'.repeat(phone.length - 3)}${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
