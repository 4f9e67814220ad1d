/**
 * The audit trail. `recordAudit` is called explicitly at each call site, inside the same
 * transaction as the write (or the read of personal data) it records — never by a hidden hook.
 */
import type { Queryable, Tx, Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { assertCan, actorId, type AnyActor } from '../../shared/authz';
import * as repo from './repo';
import type { AuditQuery } from './contract';

export interface AuditRecord {
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export async function recordAudit(tx: Tx | Queryable, clock: Clock, actor: AnyActor, r: AuditRecord): Promise<void> {
  await repo.insertAuditEntry(tx, {
    districtCode: actor.districtCode,
    at: clock(),
    actorId: actorId(actor),
    actorRole: actor.kind === 'user' ? actor.role : `system:${actor.reason}`,
    action: r.action,
    targetType: r.targetType ?? null,
    targetId: r.targetId ?? null,
    detail: r.detail ?? {},
    ip: r.ip ?? null,
  });
}

export async function listAudit(deps: { db: Db }, actor: AnyActor, query: AuditQuery) {
  // The audit trail spans the whole district: audit.read is a district-wide permission.
  assertCan(actor, 'audit.read');
  const { rows, total } = await repo.listAuditEntries(deps.db, {
    districtCode: actor.districtCode,
    ...(query.action ? { action: query.action } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    limit: query.pageSize,
    offset: (query.page - 1) * query.pageSize,
  });
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      actorRole: r.actor_role,
      action: r.action,
      targetType: r.target_type,
      targetId: r.target_id,
      detail: r.detail,
      ip: r.ip,
    })),
  };
}
