/** All SQL of the tickets module (but statistics: stats.repo.ts). Lists are scoped in the query. */
import type { Queryable } from '../../shared/db';
import type { TicketEvent, TicketState, UnitKey } from './core/lifecycle';

export interface TicketRow {
  id: string;
  district_code: string;
  number: string;
  type: string;
  channel: string;
  title: string;
  content: string;
  urgency: string;
  category_code: string | null;
  category_name: string | null;
  lon: number | null;
  lat: number | null;
  address: string | null;
  area_path: string;
  grid_cell_code: string | null;
  community_code: string | null;
  subdistrict_code: string | null;
  grid_cell_name: string | null;
  community_name: string | null;
  subdistrict_name: string | null;
  requester_name: string | null;
  requester_phone: string | null;
  anonymous: boolean;
  query_code_hash: string | null;
  created_at: Date;
  status: string;
  lead_unit: string | null;
  assisting_units: string[];
  due_at: Date | null;
  accept_due_at: Date | null;
  accepted_at: Date | null;
  replied_at: Date | null;
  closed_at: Date | null;
  resolution: string | null;
  rating: string | null;
  returns: number;
  reopens: number;
  urges: number;
  merged_into: string | null;
  paused_since: Date | null;
  last_seq: number;
}

const SELECT = `SELECT t.*, c.name AS category_name, g.name AS grid_cell_name, cm.name AS community_name, s.name AS subdistrict_name
  FROM tickets t
  LEFT JOIN ticket_categories c ON c.district_code = t.district_code AND c.code = t.category_code
  LEFT JOIN areas g ON g.district_code = t.district_code AND g.code = t.grid_cell_code
  LEFT JOIN areas cm ON cm.district_code = t.district_code AND cm.code = t.community_code
  LEFT JOIN areas s ON s.district_code = t.district_code AND s.code = t.subdistrict_code`;

/**
 * Numbers, inserts and logs a new ticket in one statement: the day's counter is bumped, the
 * ticket row written (as the projection of 'received') and its first event appended.
 */
export async function insertTicket(
  q: Queryable,
  t: {
    districtCode: string; day: string; type: string; channel: string; title: string; content: string; urgency: string;
    categoryCode: string | null; lon: number | null; lat: number | null; address: string | null; areaPath: string;
    gridCellCode: string | null; communityCode: string | null; subdistrictCode: string | null;
    requesterName: string | null; requesterPhone: string | null; anonymous: boolean; queryCode: string;
    idempotencyKey: string | null; createdBy: string | null; createdAt: Date; actorRole: string | null;
  },
): Promise<{ id: string; number: string }> {
  const [row] = await q.query<{ id: string; number: string }>(
    `WITH n AS (
       INSERT INTO ticket_number_counters (district_code, day, last) VALUES ($1, $2, 1)
       ON CONFLICT (district_code, day) DO UPDATE SET last = ticket_number_counters.last + 1 RETURNING last
     ), t AS (
       INSERT INTO tickets (district_code, number, type, channel, title, content, urgency, category_code, lon, lat, address, area_path,
         grid_cell_code, community_code, subdistrict_code, requester_name, requester_phone, anonymous, query_code_hash, idempotency_key,
         created_by, created_at, status, last_seq)
       SELECT $1, $2 || '-' || lpad(n.last::text, 6, '0'), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
         encode(sha256(convert_to($2 || '-' || lpad(n.last::text, 6, '0') || ':' || $19, 'UTF8')), 'hex'), $20, $21, $22, 'received', 1
       FROM n RETURNING id, number
     ), e AS (
       INSERT INTO ticket_events (district_code, ticket_id, seq, kind, at, actor_id, actor_role, unit, data)
       SELECT $1, t.id, 1, 'received', $22, $21, $23, NULL, '{"dueAt":null}'::jsonb FROM t
     )
     SELECT id, number FROM t`,
    [t.districtCode, t.day, t.type, t.channel, t.title, t.content, t.urgency, t.categoryCode, t.lon, t.lat, t.address, t.areaPath,
      t.gridCellCode, t.communityCode, t.subdistrictCode, t.requesterName, t.requesterPhone, t.anonymous, t.queryCode,
      t.idempotencyKey, t.createdBy, t.createdAt, t.actorRole],
  );
  return row!;
}

export async function findTicketByIdempotencyKey(q: Queryable, districtCode: string, key: string): Promise<string | undefined> {
  const rows = await q.query<{ id: string }>(`SELECT id FROM tickets WHERE district_code = $1 AND idempotency_key = $2`, [districtCode, key]);
  return rows[0]?.id;
}

export async function findTicket(q: Queryable, districtCode: string, id: string): Promise<TicketRow | undefined> {
  const rows = await q.query<TicketRow & Record<string, unknown>>(`${SELECT} WHERE t.district_code = $1 AND t.id = $2`, [districtCode, id]);
  return rows[0];
}

export async function findTicketByNumber(q: Queryable, districtCode: string, number: string): Promise<TicketRow | undefined> {
  const rows = await q.query<TicketRow & Record<string, unknown>>(`${SELECT} WHERE t.district_code = $1 AND t.number = $2`, [districtCode, number]);
  return rows[0];
}

/** Locks the ticket row for the rest of the transaction: acts on one ticket are serialized. */
export async function lockTicket(q: Queryable, districtCode: string, id: string): Promise<{ last_seq: number } | undefined> {
  const rows = await q.query<{ last_seq: number }>(`SELECT last_seq FROM tickets WHERE district_code = $1 AND id = $2 FOR UPDATE`, [districtCode, id]);
  return rows[0];
}

export interface EventRow {
  seq: number;
  kind: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  unit: string | null;
  data: Record<string, unknown>;
}

export async function listEvents(q: Queryable, ticketId: string): Promise<EventRow[]> {
  return q.query<EventRow & Record<string, unknown>>(
    `SELECT e.seq, e.kind, e.at, e.actor_id, e.actor_role, u.display_name AS actor_name, e.unit, e.data
       FROM ticket_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.ticket_id = $1 ORDER BY e.seq`,
    [ticketId],
  );
}

export function toDomainEvent(r: EventRow): TicketEvent {
  return { ...(r.data as object), kind: r.kind, at: new Date(r.at).toISOString(), actorId: r.actor_id } as TicketEvent;
}

export async function appendEvent(
  q: Queryable,
  e: { districtCode: string; ticketId: string; seq: number; event: TicketEvent; actorRole: string | null; unit: UnitKey | null },
): Promise<void> {
  const { kind, at, actorId, ...data } = e.event;
  await q.query(
    `INSERT INTO ticket_events (district_code, ticket_id, seq, kind, at, actor_id, actor_role, unit, data) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [e.districtCode, e.ticketId, e.seq, kind, at, actorId, e.actorRole, e.unit, JSON.stringify(data)],
  );
}

/** Rewrites the projection from the folded state, in the event's transaction. */
export async function saveProjection(q: Queryable, ticketId: string, s: TicketState, lastSeq: number, categoryCode?: string | null): Promise<void> {
  await q.query(
    `UPDATE tickets SET status = $2, lead_unit = $3, assisting_units = $4, due_at = $5, accept_due_at = $6, accepted_at = $7,
       replied_at = $8, closed_at = $9, resolution = $10, rating = $11, returns = $12, reopens = $13, urges = $14, merged_into = $15,
       paused_since = $16, last_seq = $17, category_code = COALESCE($18, category_code)
     WHERE id = $1`,
    [ticketId, s.status, s.leadUnit, s.assistingUnits, s.dueAt, s.acceptDueAt, s.acceptedAt, s.repliedAt, s.closedAt, s.resolution,
      s.rating, s.returns, s.reopens, s.urges, s.mergedInto, s.pausedSince, lastSeq, categoryCode ?? null],
  );
}

export interface ListFilter {
  districtCode: string;
  scope: string;
  units: string[] | null;
  status?: string;
  unit?: string;
  overdueAt?: Date;
  q?: string;
  channel?: string;
  createdBy?: string;
  limit: number;
  offset: number;
}

/**
 * Tickets an actor may see: inside the area scope, or — for a unit's handler — those where the
 * unit leads, assists or was called, wherever they are.
 */
export async function listTickets(q: Queryable, f: ListFilter): Promise<{ rows: TicketRow[]; total: number }> {
  const params: unknown[] = [f.districtCode, f.scope, f.units];
  const where = [
    't.district_code = $1',
    `($3::text[] IS NULL AND t.area_path LIKE $2 || '%'
      OR $3::text[] IS NOT NULL AND (t.lead_unit = ANY($3) OR t.assisting_units && $3
        OR EXISTS (SELECT 1 FROM ticket_events ce WHERE ce.ticket_id = t.id AND ce.kind = 'units_called' AND ce.data->'units' ?| $3)))`,
  ];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.status === 'open') where.push(`t.status NOT IN ('closed', 'merged')`);
  else if (f.status) add('t.status = ?', f.status);
  if (f.unit) add('t.lead_unit = ?', f.unit);
  if (f.overdueAt) add(`t.status NOT IN ('closed', 'merged', 'replied') AND t.paused_since IS NULL AND t.due_at < ?`, f.overdueAt);
  if (f.channel) add('t.channel = ?', f.channel);
  if (f.createdBy) add('t.created_by = ?', f.createdBy);
  if (f.q) add(`(t.number LIKE ? OR t.title LIKE ? OR t.content LIKE ?)`.replace(/\?/g, () => `$${params.length + 1}`), `%${f.q.replace(/[\\%_]/g, '\\$&')}%`);
  const clause = where.join(' AND ');
  const [{ total } = { total: 0 }] = await q.query<{ total: number }>(`SELECT count(*)::int AS total FROM tickets t WHERE ${clause}`, params);
  const rows = await q.query<TicketRow & Record<string, unknown>>(
    `${SELECT} WHERE ${clause} ORDER BY t.created_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { rows, total };
}

export async function listMergedChildren(q: Queryable, parentId: string): Promise<{ id: string; last_seq: number }[]> {
  return q.query(`SELECT id, last_seq FROM tickets WHERE merged_into = $1 FOR UPDATE`, [parentId]);
}

// ---- catalogue, routing, limits -------------------------------------------------------------

export interface CategoryRow {
  code: string;
  parent_code: string | null;
  level: number;
  name: string;
  name_en: string;
  active: boolean;
  auto_dispatch: boolean;
}

export async function listCategories(q: Queryable, districtCode: string): Promise<CategoryRow[]> {
  return q.query<CategoryRow & Record<string, unknown>>(
    `SELECT code, parent_code, level, name, name_en, active, auto_dispatch FROM ticket_categories WHERE district_code = $1 ORDER BY code`,
    [districtCode],
  );
}

export async function upsertCategory(q: Queryable, districtCode: string, c: Omit<CategoryRow, 'active'> & { active?: boolean }): Promise<void> {
  await q.query(
    `INSERT INTO ticket_categories (district_code, code, parent_code, level, name, name_en, active, auto_dispatch)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
     ON CONFLICT (district_code, code) DO UPDATE SET name = EXCLUDED.name, name_en = EXCLUDED.name_en, active = EXCLUDED.active, auto_dispatch = EXCLUDED.auto_dispatch`,
    [districtCode, c.code, c.parent_code, c.level, c.name, c.name_en, c.active ?? true, c.auto_dispatch],
  );
}

export interface RouteRow {
  category_code: string;
  area_path: string | null;
  unit: string;
  reason: string;
}

export async function listRoutes(q: Queryable, districtCode: string): Promise<RouteRow[]> {
  return q.query<RouteRow & Record<string, unknown>>(
    `SELECT category_code, area_path, unit, reason FROM ticket_routes WHERE district_code = $1`,
    [districtCode],
  );
}

export async function insertRoute(q: Queryable, districtCode: string, r: RouteRow): Promise<void> {
  await q.query(`INSERT INTO ticket_routes (district_code, category_code, area_path, unit, reason) VALUES ($1,$2,$3,$4,$5)`, [
    districtCode, r.category_code, r.area_path, r.unit, r.reason,
  ]);
}

export interface TimeLimitRow {
  ticket_type: string | null;
  category_code: string | null;
  urgency: string | null;
  accept_working_hours: number;
  handle_working_days: number | null;
  handle_working_hours: number | null;
}

export async function listTimeLimits(q: Queryable, districtCode: string): Promise<TimeLimitRow[]> {
  return q.query<TimeLimitRow & Record<string, unknown>>(
    `SELECT ticket_type, category_code, urgency, accept_working_hours, handle_working_days, handle_working_hours
       FROM ticket_time_limits WHERE district_code = $1`,
    [districtCode],
  );
}

export async function insertTimeLimit(q: Queryable, districtCode: string, t: TimeLimitRow): Promise<void> {
  await q.query(
    `INSERT INTO ticket_time_limits (district_code, ticket_type, category_code, urgency, accept_working_hours, handle_working_days, handle_working_hours)
     VALUES ($1,$2,$3,$4,$5,$6,$7)`,
    [districtCode, t.ticket_type, t.category_code, t.urgency, t.accept_working_hours, t.handle_working_days, t.handle_working_hours],
  );
}

export async function countTimeLimits(q: Queryable, districtCode: string): Promise<number> {
  const [r] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM ticket_time_limits WHERE district_code = $1`, [districtCode]);
  return r?.n ?? 0;
}

/** Open tickets whose deadline has passed and whose clock runs, for the escalation job. */
export async function listOverdue(q: Queryable, districtCode: string, now: Date): Promise<{ id: string; due_at: Date; lead_unit: string | null }[]> {
  return q.query(
    `SELECT id, due_at, lead_unit FROM tickets
      WHERE district_code = $1 AND status IN ('dispatched', 'in_progress') AND paused_since IS NULL AND due_at < $2
      ORDER BY due_at LIMIT 1000`,
    [districtCode, now],
  );
}

export async function insertAttachment(
  q: Queryable,
  a: { districtCode: string; ticketId: string; eventSeq: number | null; fileName: string; mimeType: string; sizeBytes: number; sha256: string; content: Buffer; createdAt: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO ticket_attachments (district_code, ticket_id, event_seq, file_name, mime_type, size_bytes, sha256, content, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
    [a.districtCode, a.ticketId, a.eventSeq, a.fileName, a.mimeType, a.sizeBytes, a.sha256, a.content, a.createdAt],
  );
  return row!.id;
}

export async function listAttachments(q: Queryable, ticketId: string) {
  return q.query<{ id: string; file_name: string; mime_type: string; size_bytes: number; event_seq: number | null }>(
    `SELECT id, file_name, mime_type, size_bytes, event_seq FROM ticket_attachments WHERE ticket_id = $1 ORDER BY created_at`,
    [ticketId],
  );
}

export async function getAttachment(q: Queryable, ticketId: string, id: string) {
  const rows = await q.query<{ file_name: string; mime_type: string; content: Uint8Array }>(
    `SELECT file_name, mime_type, content FROM ticket_attachments WHERE ticket_id = $1 AND id = $2`,
    [ticketId, id],
  );
  return rows[0];
}

// ---- phone confirmation for residents ------------------------------------------------------------

export async function findVerification(q: Queryable, districtCode: string, phoneHash: string) {
  const rows = await q.query<{ code_hash: string; attempts: number; created_at: Date; expires_at: Date }>(
    `SELECT code_hash, attempts, created_at, expires_at FROM phone_verifications WHERE district_code = $1 AND phone_hash = $2 FOR UPDATE`,
    [districtCode, phoneHash],
  );
  return rows[0];
}

export async function putVerification(q: Queryable, v: { districtCode: string; phoneHash: string; codeHash: string; createdAt: Date; expiresAt: Date }) {
  await q.query(
    `INSERT INTO phone_verifications (district_code, phone_hash, code_hash, attempts, created_at, expires_at) VALUES ($1,$2,$3,0,$4,$5)
     ON CONFLICT (district_code, phone_hash) DO UPDATE SET code_hash = EXCLUDED.code_hash, attempts = 0, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at`,
    [v.districtCode, v.phoneHash, v.codeHash, v.createdAt, v.expiresAt],
  );
}

export async function countVerificationAttempt(q: Queryable, districtCode: string, phoneHash: string) {
  await q.query(`UPDATE phone_verifications SET attempts = attempts + 1 WHERE district_code = $1 AND phone_hash = $2`, [districtCode, phoneHash]);
}

export async function deleteVerification(q: Queryable, districtCode: string, phoneHash: string) {
  await q.query(`DELETE FROM phone_verifications WHERE district_code = $1 AND phone_hash = $2`, [districtCode, phoneHash]);
}

export async function deleteRoutesFor(q: Queryable, districtCode: string, categoryCode: string, areaPath: string | null): Promise<void> {
  await q.query(`DELETE FROM ticket_routes WHERE district_code = $1 AND category_code = $2 AND area_path IS NOT DISTINCT FROM $3`, [districtCode, categoryCode, areaPath]);
}

export async function deleteTimeLimitFor(q: Queryable, districtCode: string, t: { ticket_type: string | null; category_code: string | null; urgency: string | null }): Promise<void> {
  await q.query(
    `DELETE FROM ticket_time_limits WHERE district_code = $1 AND ticket_type IS NOT DISTINCT FROM $2 AND category_code IS NOT DISTINCT FROM $3 AND urgency IS NOT DISTINCT FROM $4`,
    [districtCode, t.ticket_type, t.category_code, t.urgency],
  );
}

/** Open tickets near a ticket: the same or a neighbouring grid cell (same community), recent. */
export async function listNearbyOpen(q: Queryable, districtCode: string, t: { id: string; community_code: string | null; grid_cell_code: string | null; created_at: Date }, since: Date) {
  return q.query<TicketRow & Record<string, unknown>>(
    `${SELECT} WHERE t.district_code = $1 AND t.id <> $2 AND t.status NOT IN ('closed', 'merged')
        AND t.community_code IS NOT DISTINCT FROM $3 AND t.created_at >= $4
      ORDER BY (t.grid_cell_code IS NOT DISTINCT FROM $5) DESC, t.created_at DESC LIMIT 20`,
    [districtCode, t.id, t.community_code, since, t.grid_cell_code],
  );
}
