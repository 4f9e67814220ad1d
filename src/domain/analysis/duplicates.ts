/**
 * 疑似重复: likely duplicates of a ticket among open tickets nearby, with their evidence (see
 * core/duplicates.ts). The dispatcher decides; merging is the tickets module's 并单 act.
 * Also the district's recent document frequencies, shared with reply scoring.
 */
import type { Db, Queryable } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { notFound } from '../../shared/errors';
import { assertCan, scopeOf, type AnyActor } from '../../shared/authz';
import { analysisFeed, ticketsService } from '../tickets';
import { DEFAULT_DUPLICATE_PARAMS, findDuplicates, type DuplicateDoc } from './core/duplicates';
import { DocFreq, minHasher } from './core/similarity';
import type { TextAnalyzer, TextAnalyzerCache } from './text/analyzer';

export interface DuplicatesDeps {
  db: Db;
  clock: Clock;
  textAnalyzers: TextAnalyzerCache;
}

const DAY = 86_400_000;
const hasher = minHasher(128);

/** Document frequencies of the district's tickets of the last 180 days, kept 10 minutes per process. */
const corpusCache = new WeakMap<object, Map<string, { at: number; df: DocFreq }>>();
export async function districtDocFreq(deps: DuplicatesDeps, q: Queryable, districtCode: string, analyzer: TextAnalyzer): Promise<DocFreq> {
  let byDistrict = corpusCache.get(deps.db);
  if (!byDistrict) corpusCache.set(deps.db, (byDistrict = new Map()));
  const now = deps.clock().getTime();
  const hit = byDistrict.get(districtCode);
  if (hit && now - hit.at >= 0 && now - hit.at < 10 * 60_000) return hit.df;
  const tickets = await analysisFeed.ticketsInWindow(q, districtCode, `/${districtCode}/`, new Date(now - 180 * DAY), new Date(now + DAY), 5000);
  const df = new DocFreq();
  for (const t of tickets) df.add(analyzer.tokens(`${t.title} ${t.content}`));
  byDistrict.set(districtCode, { at: now, df });
  return df;
}

function doc(t: analysisFeed.FeedTicket): DuplicateDoc {
  return {
    id: t.id,
    title: t.title,
    content: t.content,
    createdAt: t.createdAt,
    lon: t.lon,
    lat: t.lat,
    gridCellCode: t.gridCellCode,
    communityCode: t.communityCode,
    categoryCode: t.categoryCode,
  };
}

/** Likely duplicates of ticket `id` for the dispatcher: open tickets nearby in the last 14 days, best first, with evidence. */
export async function suggestDuplicates(deps: DuplicatesDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'tickets.dispatch');
  // Reading through the tickets service applies its visibility rules (404 outside the scope).
  await ticketsService.getTicket(deps, actor, id);
  const target = await analysisFeed.ticketForAnalysis(deps.db, actor.districtCode, id);
  if (!target) throw notFound({ zh: '诉求', en: 'Ticket' });
  const params = DEFAULT_DUPLICATE_PARAMS;
  const since = new Date(target.createdAt.getTime() - params.windowHours * 3_600_000);
  const candidates = await analysisFeed.openTicketsAround(deps.db, actor.districtCode, scopeOf(actor), target, since, params.radiusMetres);
  const analyzer = await deps.textAnalyzers.get(deps.db, actor.districtCode);
  const df = await districtDocFreq(deps, deps.db, actor.districtCode, analyzer);
  const found = findDuplicates(doc(target), candidates.map(doc), { tokenize: (t) => analyzer.tokens(t), idf: (t) => df.idf(t), hasher }, params);
  const byId = new Map(candidates.map((c) => [c.id, c]));
  return {
    params: { windowDays: params.windowHours / 24, radiusMetres: params.radiusMetres, minScore: params.minScore },
    considered: candidates.length,
    items: found.map((e) => {
      const c = byId.get(e.id)!;
      return {
        ticket: { id: c.id, number: c.number, title: c.title, status: c.status, createdAt: c.createdAt.toISOString(), category: c.categoryName, gridCell: c.gridCellName, community: c.communityName },
        evidence: e,
      };
    }),
  };
}
