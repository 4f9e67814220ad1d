/**
 * Feature extraction for the category classifier: hashed character n-grams (1..3 by default,
 * within word runs, digits folded), jieba words, and "head" features (n-grams of the first
 * characters, where the title of a message sits), weighted by sublinear TF × IDF and L2-normalised.
 *
 * Hashing (no vocabulary) keeps the model file small and extraction allocation-free: an n-gram is
 * hashed from its code points directly, never built as a string. Pure: words come in from the
 * caller (the jieba wrapper lives outside core).
 */
import { isWordChar, normalize } from './text';

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
  // A trailing boundary carries nothing (no n-gram spans it); dropping it makes trailing spaces,
  // which normalize() trims, and trailing punctuation give the same sequence.
  if (n > 0 && out[n - 1] === -1) n--;
  return out.subarray(0, n);
}

/**
 * What one UTF-16 code unit of raw text becomes in `codePoints(normalize(text))`: a word code ≥ 0
 * (digits as 0x30), BOUNDARY, VANISH (the character disappears), EXPAND (several codes, in
 * EXPANSIONS: ℃ → boundary + c, ﬀ → f f, ⑩ → 0) or SURROGATE (the caller pairs it). Each entry is
 * computed the first time its character is met, by running `normalize` itself on the character
 * between two letters, so the fast path below cannot drift from the reference path: `textCodePoints(raw)` equals
 * `codePoints(normalize(raw))` (a property test checks it).
 */
const BOUNDARY = -1;
const VANISH = -2;
const EXPAND = -3;
const SURROGATE = -4;
const UNKNOWN = -5;
/** Filled on demand: a message uses a few thousand distinct characters, not the whole BMP. */
const foldTable = new Int32Array(0x10000).fill(UNKNOWN);
const EXPANSIONS = new Map<number, Int32Array>();

function foldOf(c: number): number {
  let f: number;
  if (c >= 0xd800 && c <= 0xdfff) f = SURROGATE;
  else {
    const mid = codePoints(normalize(`a${String.fromCharCode(c)}a`)).subarray(1);
    const inner = mid.subarray(0, mid.length - 1);
    if (inner.length === 0) f = VANISH;
    else if (inner.length === 1) f = inner[0]!;
    else {
      f = EXPAND;
      EXPANSIONS.set(c, inner.slice());
    }
  }
  foldTable[c] = f;
  return f;
}

const isHanAstral = (cp: number) => cp >= 0x20000 && cp <= 0x2ffff;

/**
 * `codePoints(normalize(text))` without building the normalised string: the classifier's hot
 * path reads raw text once. `out` is reused when it is long enough.
 */
export function textCodePoints(text: string, out?: Int32Array): Int32Array {
  const t = foldTable;
  // An expansion can be longer than its character; 4 codes per unit is more than NFKC gives.
  const cap = text.length * 4 + 1;
  const buf = out && out.length >= cap ? out : new Int32Array(cap);
  let n = 0;
  let prevBoundary = true;
  let inDigits = false;
  const emit = (code: number) => {
    if (code < 0) {
      if (!prevBoundary) buf[n++] = BOUNDARY;
      prevBoundary = true;
      inDigits = false;
      return;
    }
    if (code === 0x30) {
      if (inDigits) return;
      inDigits = true;
    } else inDigits = false;
    buf[n++] = code;
    prevBoundary = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let f = t[c]!;
    if (f === UNKNOWN) f = foldOf(c);
    if (f >= 0) {
      // Inlined emit for the common case.
      if (f === 0x30) {
        if (inDigits) continue;
        inDigits = true;
      } else inDigits = false;
      buf[n++] = f;
      prevBoundary = false;
    } else if (f === BOUNDARY) emit(BOUNDARY);
    else if (f === SURROGATE) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        emit(isHanAstral(cp) ? cp : BOUNDARY);
        i++;
      } else emit(BOUNDARY);
    } else if (f === EXPAND) for (const e of EXPANSIONS.get(c)!) emit(e);
  }
  if (n > 0 && buf[n - 1] === BOUNDARY) n--;
  return buf.subarray(0, n);
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
  private cpBuf: Int32Array<ArrayBufferLike> = new Int32Array(1024);
  private readonly orders: Int32Array;
  private readonly seeds: Int32Array;

  constructor(private readonly cfg: FeatureConfig) {
    this.orders = Int32Array.from(cfg.charOrders);
    this.seeds = this.orders.map((n) => mix(0x811c9dc5, Math.imul(0x9e3779b1, n)));
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

  /** Counts of one document (raw or normalised text) as a sparse vector (indices ascending). Resets the table. */
  count(text: string, words: readonly string[]): SparseVec {
    this.fill(text, words);
    return this.drain();
  }

  private fill(text: string, words: readonly string[]): void {
    const cps = textCodePoints(text, this.cpBuf);
    if (cps.buffer !== this.cpBuf.buffer) this.cpBuf = new Int32Array(cps.buffer);
    const { headChars, headWeight, wordWeight } = this.cfg;
    const orders = this.orders;
    const seeds = this.seeds;
    const mask = this.mask;
    // Position by position, every order ending here: the same hashes as hashing each n-gram
    // left to right, one pass over the code points.
    let runStart = 0;
    for (let i = 0; i < cps.length; i++) {
      if (cps[i]! < 0) {
        runStart = i + 1;
        continue;
      }
      for (let o = 0; o < orders.length; o++) {
        const n = orders[o]!;
        const start = i + 1 - n;
        if (start < runStart) continue;
        let h = seeds[o]!;
        for (let k = start; k <= i; k++) h = mix(h, cps[k]!);
        this.add(finish(h) & mask, 1);
        if (headChars > 0 && i < headChars) this.add(finish(mix(h, 0x68656164)) & mask, headWeight);
      }
    }
    if (wordWeight > 0) for (const w of words) this.add(hashString(w, 0x776f7264) & mask, wordWeight);
  }

  /**
   * Inference path: write the counted buckets and their counts of one document into the caller's
   * arrays (grown when short; the possibly new arrays are returned), then reset the table. No
   * sorting, no closure per feature.
   */
  collect(text: string, words: readonly string[], into: { buckets: Int32Array; counts: Float64Array }): { buckets: Int32Array; counts: Float64Array; n: number } {
    this.fill(text, words);
    const m = this.nUsed;
    let { buckets, counts } = into;
    if (buckets.length < m) {
      buckets = new Int32Array(m * 2);
      counts = new Float64Array(m * 2);
    }
    for (let j = 0; j < m; j++) {
      const slot = this.used[j]!;
      buckets[j] = this.keys[slot]!;
      counts[j] = this.vals[slot]!;
      this.keys[slot] = -1;
      this.vals[slot] = 0;
    }
    this.nUsed = 0;
    return { buckets, counts, n: m };
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
