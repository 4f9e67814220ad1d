/**
 * Read-only feeds of the tickets module for the modules after it (analysis): the category
 * catalogue, the routing table, closed tickets with their final category and the dispatch
 * history. Tickets never imports those modules; they call these functions through index.ts.
 * These are system reads (training, dictionaries): the caller authorizes its own use case.
 */
import type { Queryable } from '../../shared/db';
import * as repo from './repo';
import * as feedRepo from './feed.repo';
import { suggestUnits as suggestFromRoutes, type RouteSuggestion } from './core/deadlines';

export interface CatalogueCategory {
  code: string;
  parentCode: string | null;
  level: number;
  name: string;
  nameEn: string;
  active: boolean;
}

export interface CatalogueRoute {
  categoryCode: string;
  areaPath: string | null;
  unit: string;
  reason: string;
}

export async function listCatalogue(q: Queryable, districtCode: string): Promise<CatalogueCategory[]> {
  const rows = await repo.listCategories(q, districtCode);
  return rows.map((r) => ({ code: r.code, parentCode: r.parent_code, level: r.level, name: r.name, nameEn: r.name_en, active: r.active }));
}

export async function listRoutingTable(q: Queryable, districtCode: string): Promise<CatalogueRoute[]> {
  const rows = await repo.listRoutes(q, districtCode);
  return rows.map((r) => ({ categoryCode: r.category_code, areaPath: r.area_path, unit: r.unit, reason: r.reason }));
}

// ---- for the classifier and the unit suggestion (SQL in feed.repo.ts) ------------------------

export type { LabelledTicketRow, PendingTicketRow, FinalUnitRow, ReturnRow, TicketPlaceRow } from './feed.repo';

/** Tickets with the category a dispatcher set: closed ones, plus the given ids (recorded corrections). */
export function labelledTickets(q: Queryable, districtCode: string, scope: string, extraIds: readonly string[] = [], limit = 50_000) {
  return feedRepo.listLabelled(q, districtCode, scope, extraIds, limit);
}

/** Tickets waiting for dispatch (received, returned) in the scope. */
export function pendingTickets(q: Queryable, districtCode: string, scope: string, limit = 500) {
  return feedRepo.listPending(q, districtCode, scope, limit);
}

export function ticketTexts(q: Queryable, districtCode: string, ids: readonly string[]) {
  return feedRepo.findTexts(q, districtCode, ids);
}

export function ticketPlace(q: Queryable, districtCode: string, id: string) {
  return feedRepo.findPlace(q, districtCode, id);
}

/** Dispatch history for the learned unit prior: final units of closed tickets and returns per unit. */
export async function dispatchHistory(q: Queryable, districtCode: string) {
  return { finals: await feedRepo.finalUnits(q, districtCode), returns: await feedRepo.returnsByUnit(q, districtCode) };
}

/** The category chain (root → leaf) of a code in the catalogue. */
export function categoryChainOf(catalogue: readonly CatalogueCategory[], code: string | null): string[] {
  const byCode = new Map(catalogue.map((c) => [c.code, c]));
  const chain: string[] = [];
  let cur = code ? byCode.get(code) : undefined;
  while (cur && chain.length < 10) {
    chain.unshift(cur.code);
    cur = cur.parentCode ? byCode.get(cur.parentCode) : undefined;
  }
  return chain;
}

/** Units of the routing table for a category chain and a place, most specific first (属地 resolved). */
export function routeUnits(
  routes: readonly CatalogueRoute[],
  t: { categoryChain: readonly string[]; areaPath: string; subdistrictCode: string | null },
): RouteSuggestion[] {
  return suggestFromRoutes(routes, t);
}
