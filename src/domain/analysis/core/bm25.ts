/**
 * Okapi BM25 over segmented text: the knowledge-base search. Documents are token lists (the
 * caller segments and may repeat a field's tokens to weigh it, e.g. the question twice); the
 * index is built in memory — a district's knowledge base is hundreds to a few thousand entries.
 */

export interface Bm25Params {
  k1: number;
  b: number;
}

export const DEFAULT_BM25: Bm25Params = { k1: 1.2, b: 0.75 };

export interface Bm25Hit {
  id: string;
  score: number;
  /** The query terms the document contains, heaviest first. */
  matched: string[];
}

export class Bm25Index {
  private readonly ids: string[] = [];
  private readonly lens: number[] = [];
  /** term → [document index, term frequency] pairs: a query touches only the documents that contain its terms. */
  private readonly postings = new Map<string, Array<[number, number]>>();
  private totalLen = 0;

  constructor(private readonly params: Bm25Params = DEFAULT_BM25) {}

  add(id: string, tokens: readonly string[]): void {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    const doc = this.ids.length;
    for (const [t, f] of tf) {
      const list = this.postings.get(t);
      if (list) list.push([doc, f]);
      else this.postings.set(t, [[doc, f]]);
    }
    this.ids.push(id);
    this.lens.push(tokens.length);
    this.totalLen += tokens.length;
  }

  get size(): number {
    return this.ids.length;
  }

  /** BM25's idf, floored at a small positive value so a term in most documents still counts a little. */
  idf(term: string): number {
    const n = this.postings.get(term)?.length ?? 0;
    return Math.max(0.01, Math.log(1 + (this.ids.length - n + 0.5) / (n + 0.5)));
  }

  search(query: readonly string[], limit = 10): Bm25Hit[] {
    const terms = [...new Set(query)];
    if (terms.length === 0 || this.ids.length === 0) return [];
    const avg = this.totalLen / this.ids.length || 1;
    const { k1, b } = this.params;
    const scores = new Map<number, { score: number; parts: Array<[string, number]> }>();
    for (const t of terms) {
      const list = this.postings.get(t);
      if (!list) continue;
      const idf = this.idf(t);
      for (const [doc, f] of list) {
        const s = (idf * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * this.lens[doc]!) / avg));
        const acc = scores.get(doc);
        if (acc) {
          acc.score += s;
          acc.parts.push([t, s]);
        } else scores.set(doc, { score: s, parts: [[t, s]] });
      }
    }
    const hits: Bm25Hit[] = [];
    for (const [doc, acc] of scores) hits.push({ id: this.ids[doc]!, score: acc.score, matched: acc.parts.sort((x, y) => y[1] - x[1]).map(([t]) => t) });
    return hits.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1)).slice(0, limit);
  }
}
