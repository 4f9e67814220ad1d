/**
 * Feature extraction for the category classifier: hashed character n-grams (1..3 by default,
 * within word runs, digits folded), jieba words, and "head" features (n-grams of the first
 * characters, where the title of a message sits), weighted by sublinear TF × IDF and L2-normalised.
 *
 * Hashing (no vocabulary) keeps the model file small and extraction allocation-free: an n-gram is
 * hashed from its code points directly, never built as a string. Pure: words come in from the
 * caller (the jieba wrapper lives outside core).
 */
import { isWordChar } from './text';

export interface FeatureConfig {
  /** log2 of the number of hash buckets. */
  bits: number;
  /** Character n-gram orders. */
  charOrders: readonly number[];
  /** Weight of word features relative to character n-grams (0 disables words). */
  wordWeight: number;
  /** First characters of the text whose n-grams are also counted as separate "head" features (0 disables). */
  headChars: number;
  headWeight: number;
  /** Minimum document frequency for a feature to be kept at training. */
  minDf: number;
  /** Segment only the first this many characters into words (0: the whole text). Segmentation is the slowest step. */
  wordChars?: number;
}

export const DEFAULT_FEATURES: FeatureConfig = { bits: 20, charOrders: [1, 2, 3], wordWeight: 1, headChars: 0, headWeight: 1, minDf: 2 };

/** A sparse vector: indices ascending, values aligned. */
export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

function mix(h: number, x: number): number {
  h ^= x;
  h = Math.imul(h, 0x01000193);
  return h;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a string under a namespace seed (FNV-1a with a murmur finaliser). */
export function hashString(s: string, seed: number): number {
  let h = mix(0x811c9dc5, seed);
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return finish(h);
}

/**
 * Code points of the word characters of normalised text, with -1 marking a run boundary and digit
 * runs folded into one 0x30.
 */
export function codePoints(normalized: string): Int32Array {
  const out = new Int32Array(normalized.length + 1);
  let n = 0;
  let prevBoundary = true;
  let inDigits = false;
  for (const ch of normalized) {
    if (!isWordChar(ch)) {
      if (!prevBoundary) out[n++] = -1;
      prevBoundary = true;
      inDigits = false;
      continue;
    }
    const c = ch.codePointAt(0)!;
    if (c >= 0x30 && c <= 0x39) {
      if (inDigits) continue;
      inDigits = true;
      out[n++] = 0x30;
    } else {
      inDigits = false;
      out[n++] = c;
    }
    prevBoundary = false;
  }
  return out.subarray(0, n);
}

/**
 * Raw term counts of one document as a sparse vector. The counts are accumulated in a small
 * open-addressing table (keys = buckets) that stays in the CPU cache, not in a dense array of
 * the hash size: extraction is bound by memory access, not arithmetic.
 */
export class TermCounter {
  readonly size: number;
  private readonly mask: number;
  private keys: Int32Array;
  private vals: Float64Array;
  private used: Int32Array;
  private nUsed = 0;

  constructor(private readonly cfg: FeatureConfig) {
    this.size = 1 << cfg.bits;
    this.mask = this.size - 1;
    this.keys = new Int32Array(1 << 12).fill(-1);
    this.vals = new Float64Array(1 << 12);
    this.used = new Int32Array(1 << 11);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldKeys.length * 2;
    this.keys = new Int32Array(cap).fill(-1);
    this.vals = new Float64Array(cap);
    this.used = new Int32Array(cap >> 1);
    this.nUsed = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldKeys[i]! >= 0) this.add(oldKeys[i]!, oldVals[i]!);
  }

  private add(bucket: number, w: number): void {
    const m = this.keys.length - 1;
    let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & m;
    for (;;) {
      const k = this.keys[slot]!;
      if (k === bucket) {
        this.vals[slot]! += w;
        return;
      }
      if (k === -1) break;
      slot = (slot + 1) & m;
    }
    if (this.nUsed >= this.used.length) {
      this.grow();
      this.add(bucket, w);
      return;
    }
    this.keys[slot] = bucket;
    this.vals[slot] = w;
    this.used[this.nUsed++] = slot;
  }

  /** Counts of one document as a sparse vector (indices ascending). Resets the table. */
  count(normalized: string, words: readonly string[]): SparseVec {
    this.fill(normalized, words);
    return this.drain();
  }

  /**
   * Inference path: call `visit(bucket, count)` for every counted bucket in table order (no
   * sorting, no allocation), then reset the table.
   */
  visit(normalized: string, words: readonly string[], visit: (bucket: number, count: number) => void): void {
    this.fill(normalized, words);
    for (let j = 0; j < this.nUsed; j++) {
      const slot = this.used[j]!;
      visit(this.keys[slot]!, this.vals[slot]!);
      this.keys[slot] = -1;
      this.vals[slot] = 0;
    }
    this.nUsed = 0;
  }

  private fill(normalized: string, words: readonly string[]): void {
    const cps = codePoints(normalized);
    const { charOrders, headChars, headWeight, wordWeight } = this.cfg;
    for (const n of charOrders) {
      const seed = Math.imul(0x9e3779b1, n);
      for (let i = 0; i + n <= cps.length; i++) {
        let h = mix(0x811c9dc5, seed);
        let ok = true;
        for (let k = 0; k < n; k++) {
          const c = cps[i + k]!;
          if (c < 0) {
            ok = false;
            break;
          }
          h = mix(h, c);
        }
        if (!ok) continue;
        this.add(finish(h) & this.mask, 1);
        if (headChars > 0 && i + n <= headChars) this.add(finish(mix(h, 0x68656164)) & this.mask, headWeight);
      }
    }
    if (wordWeight > 0) for (const w of words) this.add(hashString(w, 0x776f7264) & this.mask, wordWeight);
  }

  private drain(): SparseVec {
    const m = this.nUsed;
    const idx = new Int32Array(m);
    for (let j = 0; j < m; j++) idx[j] = this.keys[this.used[j]!]!;
    idx.sort();
    const val = new Float32Array(m);
    // Look each key up again to align the values with the sorted indices, then clear.
    for (let j = 0; j < m; j++) {
      const bucket = idx[j]!;
      const mm = this.keys.length - 1;
      let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & mm;
      while (this.keys[slot] !== bucket) slot = (slot + 1) & mm;
      val[j] = this.vals[slot]!;
    }
    for (let j = 0; j < m; j++) {
      const slot = this.used[j]!;
      this.keys[slot] = -1;
      this.vals[slot] = 0;
    }
    this.nUsed = 0;
    return { idx, val };
  }
}

/** Document frequencies over a corpus of count vectors. */
export function documentFrequencies(docs: readonly SparseVec[], size: number): Uint32Array {
  const df = new Uint32Array(size);
  for (const d of docs) for (let j = 0; j < d.idx.length; j++) df[d.idx[j]!]! += 1;
  return df;
}

/** The kept features of a fitted vectoriser: bucket → compact id, and the IDF of each compact id. */
export interface Vocabulary {
  /** Bucket of each compact feature id (ascending). */
  buckets: Int32Array;
  idf: Float32Array;
  /** Number of training documents. */
  nDocs: number;
}

/** Keep the buckets with df ≥ minDf; smoothed IDF as scikit-learn: ln((1+N)/(1+df)) + 1. */
export function fitVocabulary(docs: readonly SparseVec[], size: number, minDf: number): Vocabulary {
  const df = documentFrequencies(docs, size);
  let m = 0;
  for (let b = 0; b < size; b++) if (df[b]! >= minDf) m++;
  const buckets = new Int32Array(m);
  const idf = new Float32Array(m);
  let k = 0;
  for (let b = 0; b < size; b++) {
    if (df[b]! < minDf) continue;
    buckets[k] = b;
    idf[k] = Math.log((1 + docs.length) / (1 + df[b]!)) + 1;
    k++;
  }
  return { buckets, idf, nDocs: docs.length };
}

/** bucket → compact id (-1 when dropped), for fast lookup at inference. */
export function compactIndex(v: Vocabulary, size: number): Int32Array {
  const map = new Int32Array(size).fill(-1);
  for (let k = 0; k < v.buckets.length; k++) map[v.buckets[k]!] = k;
  return map;
}

/** Sublinear TF × IDF on compact ids, L2-normalised; dropped buckets are skipped. */
export function tfidf(counts: SparseVec, index: Int32Array, idf: Float32Array): SparseVec {
  let m = 0;
  const idx = new Int32Array(counts.idx.length);
  const val = new Float32Array(counts.idx.length);
  let norm = 0;
  for (let j = 0; j < counts.idx.length; j++) {
    const k = index[counts.idx[j]!]!;
    if (k < 0) continue;
    const v = (1 + Math.log(counts.val[j]!)) * idf[k]!;
    idx[m] = k;
    val[m] = v;
    norm += v * v;
    m++;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < m; j++) val[j]! *= inv;
  return { idx: idx.slice(0, m), val: val.slice(0, m) };
}
