/**
 * Read feeds for the analysis module's duplicates and hot issues: open tickets around a ticket,
 * and the tickets of a time window, with an opaque requester key instead of personal data.
 * The caller authorizes its use case and passes the actor's scope; the SQL is scoped by it.
 */
import type { Queryable } from '../../shared/db';
import * as repo from './analysis-feed.repo';

export interface FeedTicket {
  id: string;
  number: string;
  type: string;
  title: string;
  content: string;
  status: string;
  categoryCode: string | null;
  categoryName: string | null;
  createdAt: Date;
  lon: number | null;
  lat: number | null;
  areaPath: string;
  gridCellCode: string | null;
  gridCellName: string | null;
  communityCode: string | null;
  communityName: string | null;
  requesterKey: string;
  urges: number;
}

function view(r: repo.FeedTicketRow): FeedTicket {
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    title: r.title,
    content: r.content,
    status: r.status,
    categoryCode: r.category_code,
    categoryName: r.category_name,
    createdAt: new Date(r.created_at),
    lon: r.lon === null ? null : Number(r.lon),
    lat: r.lat === null ? null : Number(r.lat),
    areaPath: r.area_path,
    gridCellCode: r.grid_cell_code,
    gridCellName: r.grid_cell_name,
    communityCode: r.community_code,
    communityName: r.community_name,
    requesterKey: r.requester_key,
    urges: r.urges,
  };
}

export async function ticketForAnalysis(q: Queryable, districtCode: string, id: string): Promise<FeedTicket | undefined> {
  const r = await repo.findForAnalysis(q, districtCode, id);
  return r ? view(r) : undefined;
}

/** Open tickets in the scope, since `since`, in the same community or within `radiusMetres` of the point. */
export async function openTicketsAround(
  q: Queryable,
  districtCode: string,
  scope: string,
  t: { id: string; communityCode: string | null; lon: number | null; lat: number | null },
  since: Date,
  radiusMetres: number,
  limit = 200,
): Promise<FeedTicket[]> {
  let box: [number, number, number, number] | null = null;
  if (t.lon !== null && t.lat !== null) {
    const dLat = radiusMetres / 111_320;
    const dLon = radiusMetres / (111_320 * Math.cos((t.lat * Math.PI) / 180));
    box = [t.lon - dLon, t.lat - dLat, t.lon + dLon, t.lat + dLat];
  }
  return (await repo.listOpenAround(q, districtCode, scope, { id: t.id, communityCode: t.communityCode, box }, since, limit)).map(view);
}

export async function ticketsInWindow(q: Queryable, districtCode: string, scope: string, from: Date, to: Date, limit = 20_000): Promise<FeedTicket[]> {
  return (await repo.listInWindow(q, districtCode, scope, from, to, limit)).map(view);
}
