/**
 * Unit suggestion (派单建议): category × place → unit. Two sources, each with its reason:
 * - the routing table (派单目录) — the district's written rule, most specific first;
 * - a learned prior from the dispatch history: which unit finally handled closed tickets of the
 *   same category (in the same subdistrict counts double) and how often units returned them.
 * score = 0.55 · rule + 0.45 · history, with
 *   rule    = 1, 0.6, 0.4, 0.3 … for the 1st, 2nd, 3rd … unit of the routing table (0 if absent);
 *   history = (clean + 1) / (handled + returns + 2) · min(1, handled / 5),
 * where handled/clean count this unit's closed tickets of the category (clean: no return at all)
 * and returns the tickets of the category this unit sent back. With no history the rule decides;
 * with strong history (≥ 5 handled) a unit that keeps closing without returns rises.
 */

export interface RouteCandidate {
  unit: string;
  reason: string;
}

export interface HistoryRow {
  categoryCode: string;
  subdistrictCode: string | null;
  unit: string;
  handled: number;
  clean: number;
  returns: number;
}

export interface UnitSuggestion {
  unit: string;
  name: string;
  score: number;
  rule: { rank: number; reason: string } | null;
  history: { handled: number; clean: number; returns: number; samePlace: number };
  reason: string;
}

const RULE_WEIGHTS = [1, 0.6, 0.4, 0.3, 0.2];

export function rankUnits(input: {
  categoryCode: string | null;
  subdistrictCode: string | null;
  subdistrictName: string | null;
  routes: readonly RouteCandidate[];
  history: readonly HistoryRow[];
  unitName: (unit: string) => string;
  limit?: number;
}): UnitSuggestion[] {
  const units = new Map<string, UnitSuggestion>();
  const weighted = new Map<string, { handled: number; clean: number; returns: number }>();
  const get = (unit: string) => {
    let u = units.get(unit);
    if (!u) {
      u = { unit, name: input.unitName(unit), score: 0, rule: null, history: { handled: 0, clean: 0, returns: 0, samePlace: 0 }, reason: '' };
      units.set(unit, u);
    }
    return u;
  };
  input.routes.forEach((r, i) => {
    const u = get(r.unit);
    if (!u.rule) u.rule = { rank: i + 1, reason: r.reason };
  });
  if (input.categoryCode) {
    for (const h of input.history) {
      if (h.categoryCode !== input.categoryCode) continue;
      const same = input.subdistrictCode !== null && h.subdistrictCode === input.subdistrictCode;
      const w = same ? 2 : 1;
      const u = get(h.unit);
      u.history.handled += h.handled;
      u.history.clean += h.clean;
      u.history.returns += h.returns;
      if (same) u.history.samePlace += h.handled;
      const acc = weighted.get(h.unit) ?? { handled: 0, clean: 0, returns: 0 };
      acc.handled += h.handled * w;
      acc.clean += h.clean * w;
      acc.returns += h.returns * w;
      weighted.set(h.unit, acc);
    }
  }
  for (const u of units.values()) {
    const rule = u.rule ? (RULE_WEIGHTS[u.rule.rank - 1] ?? 0.1) : 0;
    const { handled, clean, returns } = weighted.get(u.unit) ?? { handled: 0, clean: 0, returns: 0 };
    const history = handled + returns > 0 ? ((clean + 1) / (handled + returns + 2)) * Math.min(1, handled / 5) : 0;
    u.score = Math.round((0.55 * rule + 0.45 * history) * 1000) / 1000;
    u.reason = reasonText(u, input.subdistrictName);
  }
  return [...units.values()]
    .filter((u) => u.score > 0)
    .sort((a, b) => b.score - a.score || (a.unit < b.unit ? -1 : 1))
    .slice(0, input.limit ?? 3);
}

/** "属地: 湛山街道; 职能: 城管; 历史: 同类 12 件由城管局办结，0 退单" — the history figures are raw counts (unweighted). */
function reasonText(u: UnitSuggestion, subdistrictName: string | null): string {
  const parts: string[] = [];
  if (subdistrictName && u.unit.startsWith('subdistrict:')) parts.push(`属地: ${subdistrictName}`);
  if (u.rule) parts.push(u.rule.reason.includes(':') ? u.rule.reason : `派单目录: ${u.rule.reason}`);
  return parts.concat(historyText(u)).join('; ');
}

function historyText(u: UnitSuggestion): string[] {
  const h = u.history;
  if (h.handled === 0 && h.returns === 0) return ['历史: 暂无同类办结记录'];
  const place = h.samePlace > 0 ? `（本街道 ${h.samePlace} 件）` : '';
  return [`历史: 同类 ${h.handled} 件由${u.name}办结${place}，${h.handled - h.clean} 件曾退单，${u.name}退单 ${h.returns} 次`];
}
