import type { Queryable } from '../../shared/db';

export interface AuditEntryRow {
  id: number;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export async function insertAuditEntry(
  q: Queryable,
  e: {
    districtCode: string;
    at: Date;
    actorId: string | null;
    actorRole: string | null;
    action: string;
    targetType: string | null;
    targetId: string | null;
    detail: Record<string, unknown>;
    ip: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO audit_log (district_code, at, actor_id, actor_role, action, target_type, target_id, detail, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [e.districtCode, e.at, e.actorId, e.actorRole, e.action, e.targetType, e.targetId, JSON.stringify(e.detail), e.ip],
  );
}

export async function listAuditEntries(
  q: Queryable,
  f: { districtCode: string; action?: string; actorId?: string; limit: number; offset: number },
): Promise<{ rows: AuditEntryRow[]; total: number }> {
  const where = ['a.district_code = $1'];
  const params: unknown[] = [f.districtCode];
  if (f.action) {
    params.push(`${f.action.replace(/[\\%_]/g, '\\$&')}%`);
    where.push(`a.action LIKE $${params.length}`);
  }
  if (f.actorId) {
    params.push(f.actorId);
    where.push(`a.actor_id = $${params.length}`);
  }
  const [{ total } = { total: 0 }] = await q.query<{ total: number }>(
    `SELECT count(*)::int AS total FROM audit_log a WHERE ${where.join(' AND ')}`,
    params,
  );
  const rows = await q.query<AuditEntryRow & Record<string, unknown>>(
    `SELECT a.id, a.at, a.actor_id, u.display_name AS actor_name, a.actor_role, a.action,
            a.target_type, a.target_id, a.detail, a.ip
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE ${where.join(' AND ')}
      ORDER BY a.id DESC
      LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { rows, total };
}
