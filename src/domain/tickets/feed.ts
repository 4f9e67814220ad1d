/**
 * Read-only feeds of the tickets module for the modules after it (analysis): the category
 * catalogue, the routing table, closed tickets with their final category and the dispatch
 * history. Tickets never imports those modules; they call these functions through index.ts.
 * These are system reads (training, dictionaries): the caller authorizes its own use case.
 */
import type { Queryable } from '../../shared/db';
import * as repo from './repo';

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
