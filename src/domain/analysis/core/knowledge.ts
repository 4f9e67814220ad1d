/**
 * 知识库 rules, pure: when an entry is valid, how an entry becomes the tokens BM25 indexes, and
 * how a consultation ticket becomes a query.
 */
import { Bm25Index, type Bm25Hit } from './bm25';

export interface KnowledgeDoc {
  id: string;
  question: string;
  answer: string;
  keywords: readonly string[];
  /** YYYY-MM-DD (Asia/Shanghai), inclusive; null: no end date. */
  validUntil: string | null;
  retired: boolean;
}

/** The Beijing calendar day of an instant, YYYY-MM-DD. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Valid through its last day; expired from the day after. */
export function isExpired(validUntil: string | null, today: string): boolean {
  return validUntil !== null && validUntil < today;
}

export function isSuggestible(d: Pick<KnowledgeDoc, 'validUntil' | 'retired'>, today: string): boolean {
  return !d.retired && !isExpired(d.validUntil, today);
}

/** The question weighs most (three times), keywords twice, the answer once. */
export function entryTokens(d: Pick<KnowledgeDoc, 'question' | 'answer' | 'keywords'>, tokenize: (text: string) => string[]): string[] {
  const q = tokenize(d.question);
  const k = d.keywords.flatMap((w) => tokenize(w));
  return [...q, ...q, ...q, ...k, ...k, ...tokenize(d.answer)];
}

export function buildIndex(docs: readonly KnowledgeDoc[], tokenize: (text: string) => string[]): Bm25Index {
  const index = new Bm25Index();
  for (const d of docs) index.add(d.id, entryTokens(d, tokenize));
  return index;
}

/**
 * Searches and keeps only what may be shown: suggestible entries unless `includeExpired`.
 * Scores are also given relative to the best hit (1 = best), which reads better in a UI.
 */
export function searchEntries(
  index: Bm25Index,
  docs: ReadonlyMap<string, KnowledgeDoc>,
  queryTokens: readonly string[],
  opts: { today: string; limit: number; includeExpired?: boolean; minScore?: number },
): Array<Bm25Hit & { relative: number }> {
  const hits = index
    .search(queryTokens, Math.max(opts.limit * 4, 20))
    .filter((h) => {
      const d = docs.get(h.id);
      return d !== undefined && (opts.includeExpired ? !d.retired : isSuggestible(d, opts.today)) && h.score >= (opts.minScore ?? 0);
    })
    .slice(0, opts.limit);
  const best = hits[0]?.score ?? 1;
  return hits.map((h) => ({ ...h, score: Math.round(h.score * 1000) / 1000, relative: Math.round((h.score / best) * 1000) / 1000 }));
}
