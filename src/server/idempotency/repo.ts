/** SQL of the idempotency store (a server concern: it wraps any POST, whatever the module). */
import type { Queryable } from '../../shared/db';

export interface IdempotencyRow {
  request_hash: string;
  state: 'pending' | 'done';
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
  created_at: Date;
}

export interface KeyRef {
  districtCode: string;
  owner: string;
  key: string;
}

/** Claims the key; false when someone holds it already. */
export async function claimKey(q: Queryable, k: KeyRef & { method: string; path: string; requestHash: string; at: Date }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO idempotency_keys (district_code, owner, key, method, path, request_hash, state, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)
     ON CONFLICT (district_code, owner, key) DO NOTHING RETURNING 1`,
    [k.districtCode, k.owner, k.key, k.method, k.path, k.requestHash, k.at],
  );
  return rows.length > 0;
}

export async function findKey(q: Queryable, k: KeyRef): Promise<IdempotencyRow | undefined> {
  const rows = await q.query<IdempotencyRow & Record<string, unknown>>(
    `SELECT request_hash, state, status_code, content_type, response_body, created_at
       FROM idempotency_keys WHERE district_code = $1 AND owner = $2 AND key = $3`,
    [k.districtCode, k.owner, k.key],
  );
  return rows[0];
}

/** Takes over a pending claim whose holder vanished (crashed) more than `staleBefore` ago. */
export async function reclaimStaleKey(q: Queryable, k: KeyRef & { staleBefore: Date; at: Date }): Promise<boolean> {
  const rows = await q.query(
    `UPDATE idempotency_keys SET created_at = $5
      WHERE district_code = $1 AND owner = $2 AND key = $3 AND state = 'pending' AND created_at < $4 RETURNING 1`,
    [k.districtCode, k.owner, k.key, k.staleBefore, k.at],
  );
  return rows.length > 0;
}

export async function completeKey(q: Queryable, k: KeyRef & { statusCode: number; contentType: string | null; body: string }): Promise<void> {
  await q.query(
    `UPDATE idempotency_keys SET state = 'done', status_code = $4, content_type = $5, response_body = $6
      WHERE district_code = $1 AND owner = $2 AND key = $3`,
    [k.districtCode, k.owner, k.key, k.statusCode, k.contentType, k.body],
  );
}

export async function releaseKey(q: Queryable, k: KeyRef): Promise<void> {
  await q.query(`DELETE FROM idempotency_keys WHERE district_code = $1 AND owner = $2 AND key = $3`, [k.districtCode, k.owner, k.key]);
}

export async function purgeKeys(q: Queryable, before: Date): Promise<void> {
  await q.query(`DELETE FROM idempotency_keys WHERE created_at < $1`, [before]);
}
