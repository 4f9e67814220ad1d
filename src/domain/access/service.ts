/**
 * Access use cases: sign-in, sessions, the user admin, departments. Passwords are hashed with
 * argon2id; session tokens are random and only their SHA-256 is stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { assertCan, effectivePermissions, hasDistrictScope, maskPhone, scopeOf, type Actor, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { areasService } from '../areas';
import * as repo from './repo';
import { type AttemptWindow, isLocked, lockUntilAfterFailure, passwordProblems } from './core/login-throttle';
import type { SessionCache } from './core/session-cache';
import type { AddUserBody, ListUsersQuery, LoginBody, MeView, UserView } from './contract';

export interface AccessDeps {
  db: Db;
  clock: Clock;
  loginAttempts: AttemptWindow;
  sessionTtlMs: number;
  sessionCache?: SessionCache<SessionEntry>;
}

export type SessionEntry = { userId: string; actor: Actor; user: repo.UserRow };

const USER = { zh: '用户', en: 'User' };
/** argon2id (Algorithm.Argon2id = 2; the enum is const and cannot be imported under verbatimModuleSyntax). */
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

/** Verified against when the username is unknown, so timing does not reveal which names exist. */
let dummyHash: Promise<string> | undefined;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function actorFromRow(u: repo.UserRow): Actor {
  return { kind: 'user', id: u.id, role: u.role, districtCode: u.district_code, areaPath: u.area_path, departmentCode: u.department_code };
}

export function meView(u: repo.UserRow): MeView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    areaCode: u.area_code,
    areaName: u.area_name,
    departmentCode: u.department_code,
    departmentName: u.department_name,
    permissions: effectivePermissions(actorFromRow(u)),
  };
}

function userView(u: repo.UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    areaCode: u.area_code,
    areaName: u.area_name,
    departmentCode: u.department_code,
    departmentName: u.department_name,
    phone: maskPhone(u.phone),
    disabled: u.disabled,
    lockedUntil: u.locked_until ? new Date(u.locked_until).toISOString() : null,
    isDemo: u.is_demo,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

const BAD_LOGIN = new AppError('invalid_credentials', { zh: '用户名或密码错误', en: 'Wrong username or password' });

export async function login(
  deps: AccessDeps,
  body: LoginBody,
  client: { ip: string },
): Promise<{ token: string; expiresAt: Date; user: MeView }> {
  const now = deps.clock();
  if (!deps.loginAttempts.allow(client.ip, now.getTime())) {
    throw new AppError('rate_limited', { zh: '登录尝试过于频繁，请一分钟后再试', en: 'Too many sign-in attempts; try again in a minute' });
  }
  const user = await repo.findUserByUsername(deps.db, body.username);
  if (!user) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await dummyHash, body.password).catch(() => false);
    throw BAD_LOGIN;
  }
  if (isLocked(user.locked_until, now)) {
    const until = new Date(user.locked_until!).toISOString();
    throw new AppError('account_locked', {
      zh: `账号因多次密码错误已锁定，请于 ${until.slice(11, 16)} (UTC) 后再试或联系管理员解锁`,
      en: `The account is locked after repeated wrong passwords until ${until}; try later or ask an administrator to unlock it`,
    }, { lockedUntil: until });
  }
  const ok = await verify(user.password_hash, body.password).catch(() => false);
  const actor = actorFromRow(user);
  if (!ok || user.disabled) {
    await deps.db.transaction(async (tx) => {
      if (!ok) await repo.recordLoginFailure(tx, user.id, lockUntilAfterFailure(user.failed_logins, now));
      await recordAudit(tx, deps.clock, actor, { action: 'auth.login_failed', targetType: 'user', targetId: user.id, ip: client.ip, detail: { disabled: user.disabled } });
    });
    if (user.disabled && ok) throw new AppError('forbidden', { zh: '账号已停用，请联系管理员', en: 'This account is disabled; contact an administrator' });
    throw BAD_LOGIN;
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + deps.sessionTtlMs);
  await deps.db.transaction(async (tx) => {
    await repo.recordLoginSuccess(tx, user.id, now);
    await repo.insertSession(tx, { tokenHash: sha256(token), districtCode: user.district_code, userId: user.id, createdAt: now, expiresAt });
    await recordAudit(tx, deps.clock, actor, { action: 'auth.login', targetType: 'user', targetId: user.id, ip: client.ip });
  });
  return { token, expiresAt, user: meView(user) };
}

export async function actorForToken(deps: Pick<AccessDeps, 'db' | 'clock' | 'sessionCache'>, token: string): Promise<{ actor: Actor; user: repo.UserRow } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const key = sha256(token);
  const now = deps.clock();
  const cached = deps.sessionCache?.get(key, now.getTime());
  if (cached) return cached;
  const user = await repo.findSessionUser(deps.db, key, now);
  if (!user) return null;
  const entry = { userId: user.id, actor: actorFromRow(user), user };
  deps.sessionCache?.set(key, entry, now.getTime());
  return entry;
}

export async function logout(deps: Pick<AccessDeps, 'db' | 'clock' | 'sessionCache'>, actor: Actor, token: string): Promise<void> {
  deps.sessionCache?.forget(sha256(token));
  await deps.db.transaction(async (tx) => {
    await repo.deleteSession(tx, sha256(token));
    await recordAudit(tx, deps.clock, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.id });
  });
}

export async function getMe(deps: Pick<AccessDeps, 'db'>, actor: Actor): Promise<MeView> {
  const u = await repo.findUserById(deps.db, actor.districtCode, actor.id);
  if (!u) throw notFound(USER);
  return meView(u);
}

// ---- user admin -----------------------------------------------------------------------------

export async function listUsers(deps: Pick<AccessDeps, 'db'>, actor: AnyActor, query: ListUsersQuery) {
  assertCan(actor, 'users.read');
  const { rows, total } = await repo.listUsers(deps.db, {
    districtCode: actor.districtCode,
    scope: scopeOf(actor),
    ...(query.q ? { q: query.q } : {}),
    ...(query.role ? { role: query.role } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return { total, items: rows.map(userView) };
}

export async function addUser(deps: Pick<AccessDeps, 'db' | 'clock'>, actor: AnyActor, body: AddUserBody): Promise<UserView> {
  assertCan(actor, 'users.manage');
  const weak = passwordProblems(body.password, body.username);
  if (weak.length > 0) {
    throw new AppError('validation_failed', { zh: weak.map((w) => w.zh).join('；'), en: weak.map((w) => w.en).join('; ') });
  }
  if (body.role === 'admin' && !hasDistrictScope(actor)) {
    throw new AppError('forbidden', { zh: '只有区级管理员可以创建管理员', en: 'Only a district-level administrator can create administrators' });
  }
  const passwordHash = await hashPassword(body.password);
  return deps.db.transaction(async (tx) => {
    let areaPath: string | null = null;
    if (body.areaCode) {
      const area = await areasService.findArea(tx, actor.districtCode, body.areaCode);
      if (!area) throw notFound({ zh: '区域', en: 'Area' });
      areaPath = area.path;
    }
    // The new account's scope must lie inside the creator's own.
    assertCan(actor, 'users.manage', areaPath ?? `/${actor.districtCode}/`);
    if (body.departmentCode) {
      const departments = await repo.listDepartments(tx, actor.districtCode);
      if (!departments.some((d) => d.code === body.departmentCode)) {
        throw new AppError('validation_failed', {
          zh: `部门“${body.departmentCode}”不存在`,
          en: `Unknown department "${body.departmentCode}"`,
        });
      }
    }
    if (await repo.findUserByUsername(tx, body.username)) {
      throw new AppError('conflict', { zh: `用户名“${body.username}”已被使用`, en: `The username "${body.username}" is taken` });
    }
    const id = await repo.insertUser(tx, {
      districtCode: actor.districtCode,
      username: body.username,
      displayName: body.displayName,
      role: body.role,
      areaCode: body.areaCode ?? null,
      areaPath,
      departmentCode: body.departmentCode ?? null,
      phone: body.phone ?? null,
      passwordHash,
      isDemo: body.isDemo ?? false,
    });
    await recordAudit(tx, deps.clock, actor, { action: 'users.add', targetType: 'user', targetId: id, detail: { username: body.username, role: body.role, areaCode: body.areaCode ?? null } });
    return userView((await repo.findUserById(tx, actor.districtCode, id))!);
  });
}

type UserAct = 'disable' | 'enable' | 'unlock';

export async function actOnUser(deps: Pick<AccessDeps, 'db' | 'clock' | 'sessionCache'>, actor: AnyActor, id: string, act: UserAct): Promise<UserView> {
  assertCan(actor, 'users.manage');
  deps.sessionCache?.forgetUser(id);
  return deps.db.transaction(async (tx) => {
    const user = await repo.findUserById(tx, actor.districtCode, id, scopeOf(actor));
    if (!user) throw notFound(USER);
    if (act === 'disable' && actor.kind === 'user' && actor.id === id) {
      throw new AppError('conflict', { zh: '不能停用自己的账号', en: 'You cannot disable your own account' });
    }
    if (act === 'disable') {
      await repo.setDisabled(tx, id, true);
      await repo.deleteSessionsOfUser(tx, id);
    } else if (act === 'enable') await repo.setDisabled(tx, id, false);
    else await repo.unlock(tx, id);
    await recordAudit(tx, deps.clock, actor, { action: `users.${act}`, targetType: 'user', targetId: id });
    return userView((await repo.findUserById(tx, actor.districtCode, id))!);
  });
}

/** The full phone number of a user: personal data, so the read itself is audited. */
export async function revealUserPhone(deps: Pick<AccessDeps, 'db' | 'clock'>, actor: AnyActor, id: string): Promise<{ phone: string | null }> {
  assertCan(actor, 'personal.read');
  return deps.db.transaction(async (tx) => {
    const user = await repo.findUserById(tx, actor.districtCode, id, scopeOf(actor));
    if (!user) throw notFound(USER);
    await recordAudit(tx, deps.clock, actor, { action: 'personal.read', targetType: 'user', targetId: id, detail: { field: 'phone' } });
    return { phone: user.phone };
  });
}

export async function listDepartments(deps: Pick<AccessDeps, 'db'>, actor: AnyActor) {
  assertCan(actor, 'departments.read');
  const rows = await repo.listDepartments(deps.db, actor.districtCode);
  return rows.map((d) => ({ code: d.code, name: d.name, nameEn: d.name_en }));
}

export async function purgeExpiredSessions(deps: Pick<AccessDeps, 'db' | 'clock'>): Promise<number> {
  return repo.deleteExpiredSessions(deps.db, deps.clock());
}

// ---- seeding ----------------------------------------------------------------------------

export const DEFAULT_DEPARTMENTS = [
  { code: 'urban-management', name: '区城市管理局', nameEn: 'Urban Management Bureau' },
  { code: 'housing', name: '区住房和城乡建设局', nameEn: 'Housing and Urban-Rural Development Bureau' },
  { code: 'civil-affairs', name: '区民政局', nameEn: 'Civil Affairs Bureau' },
  { code: 'health', name: '区卫生健康局', nameEn: 'Health Commission' },
  { code: 'human-resources', name: '区人力资源和社会保障局', nameEn: 'Human Resources and Social Security Bureau' },
  { code: 'education-sports', name: '区教育和体育局', nameEn: 'Education and Sports Bureau' },
  { code: 'environment', name: '市生态环境局市南分局', nameEn: 'Ecology and Environment Branch' },
  { code: 'power-supply', name: '供电公司', nameEn: 'Power Supply Company' },
  { code: 'public-security', name: '公安分局', nameEn: 'Public Security Branch' },
  { code: 'market-regulation', name: '区市场监督管理局', nameEn: 'Market Regulation Bureau' },
] as const;

/** The default departments of a district (城管, 住建, 民政 …); existing ones are left as they are. */
export async function seedDepartments(q: Queryable, districtCode: string): Promise<void> {
  for (const d of DEFAULT_DEPARTMENTS) await repo.insertDepartmentIfAbsent(q, { districtCode, ...d });
}

export { countUsers } from './repo';
