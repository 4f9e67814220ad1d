/**
 * Text similarity for duplicates and clustering: character shingles with MinHash (an unbiased
 * estimate of their Jaccard similarity, cheap to compare), and TF-IDF cosine over word tokens.
 * Pure: the tokenizer and the document frequencies are passed in; the MinHash coefficients come
 * from a fixed seed, so signatures are the same in every process.
 */

/** Letters, digits and CJK only, lower case, full-width folded: what shingles are cut from. */
export function shingleText(text: string): string {
  let out = '';
  for (const ch of text) {
    let c = ch.codePointAt(0)!;
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0; // full-width ASCII → half-width
    const s = String.fromCodePoint(c).toLowerCase();
    if (/[\p{L}\p{N}]/u.test(s)) out += s;
  }
  return out;
}

/** The set of k-character shingles of a text (after `shingleText`). A text shorter than k is one shingle. */
export function charShingles(text: string, k = 2): Set<string> {
  const chars = [...shingleText(text)];
  const out = new Set<string>();
  if (chars.length === 0) return out;
  if (chars.length <= k) {
    out.add(chars.join(''));
    return out;
  }
  for (let i = 0; i + k <= chars.length; i++) out.add(chars.slice(i, i + k).join(''));
  return out;
}

export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** 32-bit FNV-1a of a string's UTF-16 units. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small seeded PRNG (the coefficients of the hash family). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface MinHasher {
  readonly size: number;
  signature(shingles: Iterable<string>): Uint32Array;
}

/**
 * A family of `size` hash functions h_i(x) = (a_i·x + b_i) mod p over the 32-bit FNV hash of a
 * shingle, p = 2^31 − 1 (computed exactly in two 16-bit halves, so no precision is lost).
 */
export function minHasher(size = 128, seed = 20200424): MinHasher {
  const P = 2147483647;
  const rand = mulberry32(seed);
  const a = new Uint32Array(size);
  const b = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    a[i] = 1 + Math.floor(rand() * (P - 1));
    b[i] = Math.floor(rand() * P);
  }
  const mulmod = (x: number, y: number) => {
    // (x·y) mod P with x, y < 2^31, exactly: split y into 16-bit halves.
    const hi = Math.floor(y / 65536);
    const lo = y % 65536;
    return (((x * hi) % P) * 65536 + x * lo) % P;
  };
  return {
    size,
    signature(shingles) {
      const sig = new Uint32Array(size).fill(0xffffffff);
      for (const s of shingles) {
        const x = fnv1a(s) % P;
        for (let i = 0; i < size; i++) {
          const h = (mulmod(a[i]!, x) + b[i]!) % P;
          if (h < sig[i]!) sig[i] = h;
        }
      }
      return sig;
    },
  };
}

/** The share of equal positions: an estimate of the Jaccard similarity of the shingle sets. */
export function minhashSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new Error('signatures of different sizes');
  if (a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

// ---- TF-IDF ------------------------------------------------------------------------------------

export type SparseVector = Map<string, number>;

/** Document frequencies of a corpus of token lists, and the smoothed idf they give. */
export class DocFreq {
  private readonly df = new Map<string, number>();
  docs = 0;
  add(tokens: Iterable<string>): void {
    this.docs++;
    for (const t of new Set(tokens)) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }
  count(term: string): number {
    return this.df.get(term) ?? 0;
  }
  /** ln((1 + N) / (1 + df)) + 1: never zero, rare terms weigh more. */
  idf(term: string): number {
    return Math.log((1 + this.docs) / (1 + this.count(term))) + 1;
  }
}

/** Sublinear tf × idf, L2-normalised. An empty token list gives an empty vector. */
export function tfidf(tokens: readonly string[], idf: (term: string) => number): SparseVector {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v: SparseVector = new Map();
  let norm = 0;
  for (const [t, n] of tf) {
    const w = (1 + Math.log(n)) * idf(t);
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

/** Cosine of two L2-normalised sparse vectors (their dot product), clamped to [0, 1]. */
export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const o = large.get(t);
    if (o !== undefined) dot += w * o;
  }
  return Math.min(1, Math.max(0, dot));
}

/** The terms two vectors share, heaviest contribution first: the evidence shown to a person. */
export function sharedTerms(a: SparseVector, b: SparseVector, limit = 8): string[] {
  const out: Array<[string, number]> = [];
  for (const [t, w] of a) {
    const o = b.get(t);
    if (o !== undefined) out.push([t, w * o]);
  }
  return out
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, limit)
    .map(([t]) => t);
}

/** Great-circle distance in metres (WGS-84 sphere). */
export function haversineMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}
