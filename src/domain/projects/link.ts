/** What other modules (民生微实事) need from a project item: enough to link to it and show it. */
import type { Queryable } from '../../shared/db';
import { findItemLink } from './repo';

export interface ProjectItemLink {
  id: string;
  /** The item's number in its programme, e.g. '3' or '3.2'. */
  code: string;
  title: string;
  year: number;
  areaPath: string;
  ownerDepartment: string;
  budgetFen: number;
}

/**
 * Finds a 民生实事 item of the district by id, or null. Not authorized by itself: the caller's
 * use case has already authorized its actor, and the link is public information (the
 * programme is published). Runs on the caller's transaction when given one.
 */
export async function findProjectItem(q: Queryable, districtCode: string, id: string): Promise<ProjectItemLink | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const r = await findItemLink(q, districtCode, id);
  if (!r) return null;
  return { id: r.id, code: r.code, title: r.title, year: r.year, areaPath: r.area_path, ownerDepartment: r.owner_department, budgetFen: Number(r.budget_fen) };
}
