/**
 * SQL of the tickets feeds for the classifier and the unit suggestion (see feed.ts): labelled
 * tickets, tickets waiting for a category, and the dispatch history. Scoped by area path.
 */
import type { Queryable } from '../../shared/db';

export interface LabelledTicketRow {
  id: string;
  title: string;
  content: string;
  category_code: string;
  status: string;
  area_path: string;
  closed_at: Date | null;
}

/** Tickets whose category a dispatcher set: closed ones, plus any of the given ids. */
export async function listLabelled(q: Queryable, districtCode: string, scope: string, extraIds: readonly string[], limit: number): Promise<LabelledTicketRow[]> {
  return q.query<LabelledTicketRow & Record<string, unknown>>(
    `SELECT id, title, content, category_code, status, area_path, closed_at FROM tickets
      WHERE district_code = $1 AND area_path LIKE $2 || '%' AND category_code IS NOT NULL
        AND (status = 'closed' OR id = ANY($3::uuid[]))
      ORDER BY created_at DESC LIMIT $4`,
    [districtCode, scope, extraIds, limit],
  );
}

export interface PendingTicketRow {
  id: string;
  number: string;
  title: string;
  content: string;
  status: string;
  category_code: string | null;
  area_path: string;
  created_at: Date;
}

/** Tickets waiting for dispatch (received or returned), newest first. */
export async function listPending(q: Queryable, districtCode: string, scope: string, limit: number): Promise<PendingTicketRow[]> {
  return q.query<PendingTicketRow & Record<string, unknown>>(
    `SELECT id, number, title, content, status, category_code, area_path, created_at FROM tickets
      WHERE district_code = $1 AND area_path LIKE $2 || '%' AND status IN ('received', 'returned')
      ORDER BY created_at DESC LIMIT $3`,
    [districtCode, scope, limit],
  );
}

export async function findTexts(q: Queryable, districtCode: string, ids: readonly string[]): Promise<PendingTicketRow[]> {
  if (ids.length === 0) return [];
  return q.query<PendingTicketRow & Record<string, unknown>>(
    `SELECT id, number, title, content, status, category_code, area_path, created_at FROM tickets WHERE district_code = $1 AND id = ANY($2::uuid[])`,
    [districtCode, ids],
  );
}

export interface FinalUnitRow {
  category_code: string;
  subdistrict_code: string | null;
  lead_unit: string;
  handled: number;
  clean: number;
}

/** Closed tickets per category × subdistrict × final lead unit; `clean` = closed with no return at all. */
export async function finalUnits(q: Queryable, districtCode: string): Promise<FinalUnitRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT category_code, subdistrict_code, lead_unit, count(*) AS handled, sum(CASE WHEN returns = 0 THEN 1 ELSE 0 END) AS clean
       FROM tickets
      WHERE district_code = $1 AND status = 'closed' AND lead_unit IS NOT NULL AND category_code IS NOT NULL
      GROUP BY category_code, subdistrict_code, lead_unit`,
    [districtCode],
  );
  return rows.map((r) => ({ category_code: String(r.category_code), subdistrict_code: (r.subdistrict_code as string | null) ?? null, lead_unit: String(r.lead_unit), handled: Number(r.handled), clean: Number(r.clean) }));
}

export interface ReturnRow {
  category_code: string;
  subdistrict_code: string | null;
  unit: string;
  returns: number;
}

/** Returns (退单) per category × subdistrict × the unit that returned the ticket. */
export async function returnsByUnit(q: Queryable, districtCode: string): Promise<ReturnRow[]> {
  const rows = await q.query<Record<string, unknown>>(
    `SELECT t.category_code, t.subdistrict_code, e.unit, count(*) AS returns
       FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
      WHERE e.district_code = $1 AND e.kind = 'returned' AND e.unit IS NOT NULL AND t.category_code IS NOT NULL
      GROUP BY t.category_code, t.subdistrict_code, e.unit`,
    [districtCode],
  );
  return rows.map((r) => ({ category_code: String(r.category_code), subdistrict_code: (r.subdistrict_code as string | null) ?? null, unit: String(r.unit), returns: Number(r.returns) }));
}

export interface TicketPlaceRow {
  id: string;
  area_path: string;
  subdistrict_code: string | null;
  subdistrict_name: string | null;
  category_code: string | null;
  status: string;
}

export async function findPlace(q: Queryable, districtCode: string, id: string): Promise<TicketPlaceRow | undefined> {
  const rows = await q.query<TicketPlaceRow & Record<string, unknown>>(
    `SELECT t.id, t.area_path, t.subdistrict_code, s.name AS subdistrict_name, t.category_code, t.status
       FROM tickets t LEFT JOIN areas s ON s.district_code = t.district_code AND s.code = t.subdistrict_code
      WHERE t.district_code = $1 AND t.id = $2`,
    [districtCode, id],
  );
  return rows[0];
}
