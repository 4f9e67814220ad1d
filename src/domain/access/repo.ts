/** All SQL of the access module: users, sessions, departments. */
import type { Queryable } from '../../shared/db';
import type { Role } from '../../shared/authz';

export interface UserRow {
  id: string;
  district_code: string;
  username: string;
  display_name: string;
  role: Role;
  area_code: string | null;
  area_path: string | null;
  area_name: string | null;
  department_code: string | null;
  department_name: string | null;
  phone: string | null;
  password_hash: string;
  is_demo: boolean;
  disabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  created_at: Date;
}

const USER_SELECT = `SELECT u.id, u.district_code, u.username, u.display_name, u.role, u.area_code, u.area_path,
    a.name AS area_name, u.department_code, d.name AS department_name, u.phone, u.password_hash, u.is_demo,
    u.disabled, u.failed_logins, u.locked_until, u.created_at
  FROM users u
  LEFT JOIN areas a ON a.district_code = u.district_code AND a.code = u.area_code
  LEFT JOIN departments d ON d.district_code = u.district_code AND d.code = u.department_code`;

export async function findUserByUsername(q: Queryable, username: string): Promise<UserRow | undefined> {
  const rows = await q.query<UserRow & Record<string, unknown>>(`${USER_SELECT} WHERE lower(u.username) = lower($1)`, [username]);
  return rows[0];
}

export async function findUserById(q: Queryable, districtCode: string, id: string, scope?: string): Promise<UserRow | undefined> {
  const rows = await q.query<UserRow & Record<string, unknown>>(
    `${USER_SELECT} WHERE u.district_code = $1 AND u.id = $2 AND ($3::text IS NULL OR u.area_path IS NULL OR u.area_path LIKE $3 || '%')`,
    [districtCode, id, scope ?? null],
  );
  return rows[0];
}

/**
 * Users an administrator may see: those bound inside the scope; department-only staff and
 * residents (no area) only for a district-wide scope.
 */
export async function listUsers(
  q: Queryable,
  f: { districtCode: string; scope: string; q?: string; role?: Role; limit: number; offset: number },
): Promise<{ rows: UserRow[]; total: number }> {
  const where = [
    'u.district_code = $1',
    `(u.area_path LIKE $2 || '%' OR (u.area_path IS NULL AND $2 = '/' || u.district_code || '/'))`,
  ];
  const params: unknown[] = [f.districtCode, f.scope];
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`(u.username ILIKE $${params.length} OR u.display_name ILIKE $${params.length})`);
  }
  if (f.role) {
    params.push(f.role);
    where.push(`u.role = $${params.length}`);
  }
  const clause = where.join(' AND ');
  const [{ total } = { total: 0 }] = await q.query<{ total: number }>(`SELECT count(*)::int AS total FROM users u WHERE ${clause}`, params);
  const rows = await q.query<UserRow & Record<string, unknown>>(
    `${USER_SELECT} WHERE ${clause} ORDER BY u.created_at, u.username LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { rows, total };
}

export async function insertUser(
  q: Queryable,
  u: {
    districtCode: string;
    username: string;
    displayName: string;
    role: Role;
    areaCode: string | null;
    areaPath: string | null;
    departmentCode: string | null;
    phone: string | null;
    passwordHash: string;
    isDemo: boolean;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO users (district_code, username, display_name, role, area_code, area_path, department_code, phone, password_hash, is_demo)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [u.districtCode, u.username, u.displayName, u.role, u.areaCode, u.areaPath, u.departmentCode, u.phone, u.passwordHash, u.isDemo],
  );
  return row!.id;
}

export async function recordLoginFailure(q: Queryable, id: string, lockedUntil: Date | null): Promise<void> {
  await q.query(`UPDATE users SET failed_logins = failed_logins + 1, locked_until = COALESCE($2, locked_until) WHERE id = $1`, [id, lockedUntil]);
}

export async function recordLoginSuccess(q: Queryable, id: string, at: Date): Promise<void> {
  await q.query(`UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $2 WHERE id = $1`, [id, at]);
}

export async function setDisabled(q: Queryable, id: string, disabled: boolean): Promise<void> {
  await q.query(`UPDATE users SET disabled = $2 WHERE id = $1`, [id, disabled]);
}

export async function unlock(q: Queryable, id: string): Promise<void> {
  await q.query(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [id]);
}

export async function insertSession(
  q: Queryable,
  s: { tokenHash: string; districtCode: string; userId: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await q.query(
    `INSERT INTO sessions (token_hash, district_code, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $4)`,
    [s.tokenHash, s.districtCode, s.userId, s.createdAt, s.expiresAt],
  );
}

export async function findSessionUser(q: Queryable, tokenHash: string, now: Date): Promise<UserRow | undefined> {
  const rows = await q.query<UserRow & Record<string, unknown>>(
    `${USER_SELECT} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`,
    [tokenHash, now],
  );
  return rows[0];
}

export async function deleteSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query(`DELETE FROM sessions WHERE token_hash = $1`, [tokenHash]);
}

export async function deleteSessionsOfUser(q: Queryable, userId: string): Promise<void> {
  await q.query(`DELETE FROM sessions WHERE user_id = $1`, [userId]);
}

export async function deleteExpiredSessions(q: Queryable, now: Date): Promise<number> {
  const rows = await q.query(`DELETE FROM sessions WHERE expires_at <= $1 RETURNING 1`, [now]);
  return rows.length;
}

export async function listDepartments(q: Queryable, districtCode: string) {
  return q.query<{ code: string; name: string; name_en: string }>(
    `SELECT code, name, name_en FROM departments WHERE district_code = $1 ORDER BY code`,
    [districtCode],
  );
}

/** Adds a department unless the district already has one with that code (names edited locally stay). */
export async function insertDepartmentIfAbsent(q: Queryable, d: { districtCode: string; code: string; name: string; nameEn: string }) {
  await q.query(
    `INSERT INTO departments (district_code, code, name, name_en) VALUES ($1, $2, $3, $4)
     ON CONFLICT (district_code, code) DO NOTHING`,
    [d.districtCode, d.code, d.name, d.nameEn],
  );
}

export async function countUsers(q: Queryable, districtCode: string): Promise<number> {
  const [row] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE district_code = $1`, [districtCode]);
  return row?.n ?? 0;
}
