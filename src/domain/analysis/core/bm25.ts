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
  private readonly docs: Array<{ id: string; len: number; tf: Map<string, number> }> = [];
  private readonly df = new Map<string, number>();
  private totalLen = 0;

  constructor(private readonly params: Bm25Params = DEFAULT_BM25) {}

  add(id: string, tokens: readonly string[]): void {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    this.docs.push({ id, len: tokens.length, tf });
    this.totalLen += tokens.length;
  }

  get size(): number {
    return this.docs.length;
  }

  /** BM25's idf, floored at a small positive value so a term in most documents still counts a little. */
  idf(term: string): number {
    const n = this.df.get(term) ?? 0;
    return Math.max(0.01, Math.log(1 + (this.docs.length - n + 0.5) / (n + 0.5)));
  }

  search(query: readonly string[], limit = 10): Bm25Hit[] {
    const terms = [...new Set(query)];
    if (terms.length === 0 || this.docs.length === 0) return [];
    const avg = this.totalLen / this.docs.length || 1;
    const { k1, b } = this.params;
    const hits: Bm25Hit[] = [];
    for (const d of this.docs) {
      let score = 0;
      const parts: Array<[string, number]> = [];
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        const s = (this.idf(t) * (f * (k1 + 1))) / (f + k1 * (1 - b + (b * d.len) / avg));
        score += s;
        parts.push([t, s]);
      }
      if (score > 0) hits.push({ id: d.id, score, matched: parts.sort((x, y) => y[1] - x[1]).map(([t]) => t) });
    }
    return hits.sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1)).slice(0, limit);
  }
}
