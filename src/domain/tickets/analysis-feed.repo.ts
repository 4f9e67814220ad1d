/**
 * SQL of the read feeds the analysis module uses for duplicates and hot issues (see
 * analysis-feed.ts). Every query is scoped by the caller's area path.
 */
import type { Queryable } from '../../shared/db';

export interface FeedTicketRow {
  id: string;
  number: string;
  type: string;
  title: string;
  content: string;
  status: string;
  category_code: string | null;
  category_name: string | null;
  created_at: Date;
  lon: number | null;
  lat: number | null;
  area_path: string;
  grid_cell_code: string | null;
  grid_cell_name: string | null;
  community_code: string | null;
  community_name: string | null;
  /** An opaque key per requester (a hash): distinct requesters without reading their phones. */
  requester_key: string;
  urges: number;
}

const SELECT = `SELECT t.id, t.number, t.type, t.title, t.content, t.status, t.category_code, c.name AS category_name, t.created_at, t.lon, t.lat,
    t.area_path, t.grid_cell_code, g.name AS grid_cell_name, t.community_code, cm.name AS community_name,
    md5(COALESCE(t.requester_phone, t.created_by::text, t.id::text)) AS requester_key, t.urges
  FROM tickets t
  LEFT JOIN ticket_categories c ON c.district_code = t.district_code AND c.code = t.category_code
  LEFT JOIN areas g ON g.district_code = t.district_code AND g.code = t.grid_cell_code
  LEFT JOIN areas cm ON cm.district_code = t.district_code AND cm.code = t.community_code`;

/** Open tickets (not closed, merged or replied) in scope since `since`, in the community or within the box. */
export async function listOpenAround(
  q: Queryable,
  districtCode: string,
  scope: string,
  t: { id: string; communityCode: string | null; box: [number, number, number, number] | null },
  since: Date,
  limit: number,
): Promise<FeedTicketRow[]> {
  const box = t.box ?? [0, 0, -1, -1];
  return q.query<FeedTicketRow & Record<string, unknown>>(
    `${SELECT}
      WHERE t.district_code = $1 AND t.area_path LIKE $2 || '%' AND t.id <> $3 AND t.status NOT IN ('closed', 'merged', 'replied')
        AND t.created_at >= $4
        AND ((t.community_code IS NOT NULL AND t.community_code = $5) OR (t.lon BETWEEN $6 AND $8 AND t.lat BETWEEN $7 AND $9))
      ORDER BY t.created_at DESC LIMIT $10`,
    [districtCode, scope, t.id, since, t.communityCode, box[0], box[1], box[2], box[3], limit],
  );
}

/** Tickets in scope received in [from, to), newest first, at most `limit` (merged ones are counted in their parent). */
export async function listInWindow(q: Queryable, districtCode: string, scope: string, from: Date, to: Date, limit: number): Promise<FeedTicketRow[]> {
  return q.query<FeedTicketRow & Record<string, unknown>>(
    `${SELECT}
      WHERE t.district_code = $1 AND t.area_path LIKE $2 || '%' AND t.created_at >= $3 AND t.created_at < $4
        AND t.type IN ('complaint', 'report', 'help', 'suggestion', 'consultation')
      ORDER BY t.created_at DESC LIMIT $5`,
    [districtCode, scope, from, to, limit],
  );
}

export async function findForAnalysis(q: Queryable, districtCode: string, id: string): Promise<FeedTicketRow | undefined> {
  const rows = await q.query<FeedTicketRow & Record<string, unknown>>(`${SELECT} WHERE t.district_code = $1 AND t.id = $2`, [districtCode, id]);
  return rows[0];
}
