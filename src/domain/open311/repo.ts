/**
 * All SQL of the Open311 adapter.
 *
 * Its own tables: open311_api_keys, open311_requests. It also READS the tickets module's tables
 * (tickets, ticket_events, ticket_categories) and departments/areas for unit names. That breaks
 * the "no module touches another module's tables" rule on purpose, and only for reading: the
 * public GeoReport view needs date windows, number lists and the latest reply across tickets,
 * which ticketsService.listTickets/getTicket (staff views, authorised per actor, with personal
 * data) do not offer. Every query here is filtered by district_code, and only tickets that came
 * in through this API (channel 'open311') are published. Writes to tickets go through
 * ticketsService.createTicket.
 */
import type { Queryable } from '../../shared/db';
import type { PublicUpdateKind } from './core/georeport';

// ---- API keys -----------------------------------------------------------------------------------

export interface ApiKeyRow {
  id: string;
  label: string;
  created_at: Date;
  revoked_at: Date | null;
}

export async function insertApiKey(q: Queryable, k: { districtCode: string; label: string; keyHash: string; createdBy: string | null; createdAt: Date }): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `INSERT INTO open311_api_keys (district_code, label, key_hash, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [k.districtCode, k.label, k.keyHash, k.createdBy, k.createdAt],
  );
  return rows[0]!.id;
}

export async function findActiveApiKey(q: Queryable, districtCode: string, keyHash: string): Promise<ApiKeyRow | undefined> {
  const rows = await q.query<ApiKeyRow & Record<string, unknown>>(
    `SELECT id, label, created_at, revoked_at FROM open311_api_keys WHERE district_code = $1 AND key_hash = $2 AND revoked_at IS NULL`,
    [districtCode, keyHash],
  );
  return rows[0];
}

export async function revokeApiKey(q: Queryable, districtCode: string, id: string, at: Date): Promise<boolean> {
  const rows = await q.query(`UPDATE open311_api_keys SET revoked_at = $3 WHERE district_code = $1 AND id = $2 AND revoked_at IS NULL RETURNING id`, [districtCode, id, at]);
  return rows.length > 0;
}

export async function listApiKeys(q: Queryable, districtCode: string): Promise<ApiKeyRow[]> {
  return q.query<ApiKeyRow & Record<string, unknown>>(
    `SELECT id, label, created_at, revoked_at FROM open311_api_keys WHERE district_code = $1 ORDER BY created_at, id`,
    [districtCode],
  );
}

export async function recordSubmission(q: Queryable, s: { districtCode: string; ticketId: string; apiKeyId: string; mediaUrl: string | null; at: Date }): Promise<void> {
  await q.query(
    `INSERT INTO open311_requests (ticket_id, district_code, api_key_id, media_url, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (ticket_id) DO NOTHING`,
    [s.ticketId, s.districtCode, s.apiKeyId, s.mediaUrl, s.at],
  );
}

// ---- catalogue (read) -----------------------------------------------------------------------------

export interface ServiceRow {
  code: string;
  name: string;
  name_en: string;
  parent_name: string | null;
  group_name: string | null;
}

/** Active level-3 categories with their level-2 and level-1 names. */
export async function listServices(q: Queryable, districtCode: string): Promise<ServiceRow[]> {
  return q.query<ServiceRow & Record<string, unknown>>(
    `SELECT c.code, c.name, c.name_en, p.name AS parent_name, g.name AS group_name
       FROM ticket_categories c
       LEFT JOIN ticket_categories p ON p.district_code = c.district_code AND p.code = c.parent_code
       LEFT JOIN ticket_categories g ON g.district_code = p.district_code AND g.code = p.parent_code
      WHERE c.district_code = $1 AND c.level = 3 AND c.active
      ORDER BY c.code`,
    [districtCode],
  );
}

/** Lead units' display names: `department:<code>` and `subdistrict:<code>` → name. */
export async function unitNames(q: Queryable, districtCode: string): Promise<Map<string, string>> {
  const rows = await q.query<{ unit: string; name: string }>(
    `SELECT 'department:' || code AS unit, name FROM departments WHERE district_code = $1
     UNION ALL
     SELECT 'subdistrict:' || code AS unit, name FROM areas WHERE district_code = $1 AND level = 'subdistrict'`,
    [districtCode],
  );
  return new Map(rows.map((r) => [r.unit, r.name]));
}

// ---- service requests (read) ----------------------------------------------------------------------

export interface RequestRow {
  id: string;
  number: string;
  status: string;
  category_code: string | null;
  category_name: string | null;
  content: string;
  address: string | null;
  lon: number | null;
  lat: number | null;
  lead_unit: string | null;
  created_at: Date;
  due_at: Date | null;
  closed_at: Date | null;
  updated_at: Date | null;
  latest_reply: string | null;
  media_url: string | null;
}

const SELECT_REQUEST = `SELECT t.id, t.number, t.status, t.category_code, c.name AS category_name, t.content, t.address, t.lon, t.lat,
       t.lead_unit, t.created_at, t.due_at, t.closed_at, o.media_url,
       (SELECT max(e.at) FROM ticket_events e WHERE e.ticket_id = t.id) AS updated_at,
       (SELECT COALESCE(e.data->>'reply', e.data->>'answer') FROM ticket_events e
         WHERE e.ticket_id = t.id AND e.kind IN ('replied', 'answered_directly') ORDER BY e.seq DESC LIMIT 1) AS latest_reply
  FROM tickets t
  LEFT JOIN ticket_categories c ON c.district_code = t.district_code AND c.code = t.category_code
  LEFT JOIN open311_requests o ON o.ticket_id = t.id`;

export interface RequestFilter {
  districtCode: string;
  numbers?: string[];
  serviceCodes?: string[];
  statuses?: ('open' | 'closed')[];
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

export async function listRequests(q: Queryable, f: RequestFilter): Promise<RequestRow[]> {
  const params: unknown[] = [f.districtCode];
  const where = [`t.district_code = $1`, `t.channel = 'open311'`];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (f.numbers) add('t.number = ANY(?::text[])', f.numbers);
  if (f.serviceCodes) add('t.category_code = ANY(?::text[])', f.serviceCodes);
  if (f.statuses && f.statuses.length === 1) {
    where.push(f.statuses[0] === 'closed' ? `t.status IN ('closed', 'merged')` : `t.status NOT IN ('closed', 'merged')`);
  }
  if (f.from) add('t.created_at >= ?', f.from);
  if (f.to) add('t.created_at <= ?', f.to);
  params.push(f.limit, f.offset);
  return q.query<RequestRow & Record<string, unknown>>(
    `${SELECT_REQUEST} WHERE ${where.join(' AND ')} ORDER BY t.created_at DESC, t.number DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
}

// ---- updates (read) ---------------------------------------------------------------------------------

export interface UpdateRow {
  id: number;
  kind: PublicUpdateKind;
  at: Date;
  data: Record<string, unknown>;
  number: string;
}

export async function listUpdates(q: Queryable, f: { districtCode: string; kinds: readonly string[]; from: Date; to: Date; limit: number; offset: number }): Promise<UpdateRow[]> {
  return q.query<UpdateRow & Record<string, unknown>>(
    `SELECT e.id, e.kind, e.at, e.data, t.number
       FROM ticket_events e
       JOIN tickets t ON t.id = e.ticket_id AND t.district_code = e.district_code
      WHERE e.district_code = $1 AND t.channel = 'open311' AND e.kind = ANY($2::text[]) AND e.at >= $3 AND e.at <= $4
      ORDER BY e.at, e.id
      LIMIT $5 OFFSET $6`,
    [f.districtCode, f.kinds, f.from, f.to, f.limit, f.offset],
  );
}
