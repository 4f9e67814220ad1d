/**
 * The category classifier: training and inference, pure.
 *
 * Features: hashed character n-grams 1–3 + jieba words + head n-grams (the title sits in the
 * first characters), sublinear TF-IDF, L2-normalised (features.ts). Members: a one-vs-rest
 * linear SVM and optionally NB-SVM (linear.ts). Each member's scores are calibrated by
 * temperature on out-of-fold scores (k-fold cross-validation on the training set), the members
 * are averaged, and a final temperature is fitted on the averaged out-of-fold scores. Because
 * every step is linear in the scores, the whole ensemble folds into ONE weight matrix: inference
 * is a sparse dot product per class and a softmax.
 *
 * Deterministic: the only randomness is the seeded order of the coordinate-descent passes and of
 * the folds.
 */
import { compactIndex, fitVocabulary, TermCounter, tfidf, type FeatureConfig, type SparseVec, type Vocabulary } from './features';
import { balancedWeights, nbRatios, scores, trainSvm, type LinearModel } from './linear';
import { fitTemperature, nll, softmax, expectedCalibrationError } from './calibration';
import { evaluate, type Evaluation } from './metrics';
import { mulberry32, shuffledIndices } from './rng';

/** One document as the classifier sees it: its text (raw or normalised, the features normalise as they read) and its segmented words (empty for a model without word features). */
export interface Doc {
  text: string;
  words: readonly string[];
}

export type MemberKind = 'svm' | 'nbsvm';

export interface TrainOptions {
  features: FeatureConfig;
  members: readonly MemberKind[];
  /** SVM regularisation. */
  C: number;
  /** Maximum coordinate-descent passes per class. */
  epochs: number;
  /** Folds for out-of-fold calibration and the cross-validated metrics (≥ 2). */
  folds: number;
  seed: number;
  /** Labels with fewer examples than this are dropped from training (reported). */
  minPerLabel: number;
}

export const DEFAULT_TRAIN: TrainOptions = {
  // Words (jieba) and 2^20 buckets were measured against this on the dev split (ADR 0044): words add
  // nothing over character 1–3-grams, and half the buckets halve the lookup table.
  features: { bits: 19, charOrders: [1, 2, 3], wordWeight: 0, headChars: 30, headWeight: 1, minDf: 2, wordChars: 150 },
  members: ['svm'],
  C: 1,
  epochs: 12,
  folds: 5,
  seed: 20200424,
  minPerLabel: 3,
};

/** Label smoothing of the temperature fit (see calibration.ts). */
const CALIBRATION_SMOOTHING = 0.02;

export interface TrainProgress {
  stage: 'features' | 'folds' | 'final';
  done: number;
  total: number;
}

export interface CategoryModel {
  labels: string[];
  features: FeatureConfig;
  vocab: Vocabulary;
  /** labels × (dim + 1), bias last; calibrated: softmax(W·x) are the probabilities. */
  W: Float32Array;
}

export interface TrainReport {
  /** Cross-validated (out-of-fold) metrics on the training set. */
  cv: Evaluation;
  temperatures: { members: Record<string, number>; final: number };
  calibration: { nllBefore: number; nllAfter: number; ece: number };
  counts: Record<string, number>;
  dropped: Record<string, number>;
  nDocs: number;
  dim: number;
  options: TrainOptions;
}

function vectorize(docs: readonly Doc[], counter: TermCounter): SparseVec[] {
  return docs.map((d) => counter.count(d.text, d.words));
}

function trainMember(kind: MemberKind, X: readonly SparseVec[], y: Int32Array, k: number, dim: number, o: TrainOptions, seed: number, tick: () => void): LinearModel {
  const common = { C: o.C, epochs: o.epochs, rng: mulberry32(seed), classWeight: balancedWeights(y, k), onProgress: (done: number) => (done % o.epochs === 0 ? tick() : undefined) };
  if (kind === 'svm') return trainSvm(X, y, k, dim, common);
  const r = nbRatios(X, y, k, dim, 1);
  const m = trainSvm(X, y, k, dim, { ...common, scale: r });
  // Fold the NB scaling into the weights so that the member is a plain linear model.
  const stride = dim + 1;
  const w = new Float32Array(m.w.length);
  for (let c = 0; c < k; c++) {
    for (let f = 0; f < dim; f++) w[c * stride + f] = m.w[c * stride + f]! * r[c * dim + f]!;
    w[c * stride + dim] = m.w[c * stride + dim]!;
  }
  return { dim, classes: k, w };
}

/**
 * Train on labelled documents. `onProgress` is called as work advances (features, each class of
 * each fold, each class of the final fit).
 */
export function trainCategoryModel(
  docs: readonly Doc[],
  docLabels: readonly string[],
  options: Partial<TrainOptions> = {},
  onProgress?: (p: TrainProgress) => void,
): { model: CategoryModel; report: TrainReport } {
  const it = trainCategoryModelSteps(docs, docLabels, options, onProgress);
  for (;;) {
    const r = it.next();
    if (r.done) return r.value;
  }
}

/**
 * The same training as a generator that yields after each member fit (each fold, then the
 * final fit), so that a server can give the event loop back between the steps.
 */
export function* trainCategoryModelSteps(
  docs: readonly Doc[],
  docLabels: readonly string[],
  options: Partial<TrainOptions> = {},
  onProgress?: (p: TrainProgress) => void,
): Generator<TrainProgress, { model: CategoryModel; report: TrainReport }, void> {
  const o: TrainOptions = { ...DEFAULT_TRAIN, ...options, features: { ...DEFAULT_TRAIN.features, ...(options.features ?? {}) } };
  if (docs.length !== docLabels.length) throw new RangeError('docs and labels differ in length');
  const counts: Record<string, number> = {};
  for (const l of docLabels) counts[l] = (counts[l] ?? 0) + 1;
  const dropped: Record<string, number> = {};
  for (const [l, n] of Object.entries(counts)) if (n < o.minPerLabel) dropped[l] = n;
  const labels = Object.keys(counts).filter((l) => !(l in dropped)).sort();
  if (labels.length < 2) throw new RangeError('need at least two labels with enough examples');
  const keep: number[] = [];
  for (let i = 0; i < docs.length; i++) if (!(docLabels[i]! in dropped)) keep.push(i);
  const k = labels.length;
  const y = Int32Array.from(keep.map((i) => labels.indexOf(docLabels[i]!)));
  const folds = Math.max(2, Math.min(o.folds, Math.min(...labels.map((l) => counts[l]!))));

  const totalSteps = 1 + (folds + 1) * o.members.length * k;
  let step = 0;
  const tick = (stage: TrainProgress['stage']) => () => {
    step++;
    onProgress?.({ stage, done: step, total: totalSteps });
  };

  const counter = new TermCounter(o.features);
  const rawCounts = vectorize(keep.map((i) => docs[i]!), counter);
  const vocab = fitVocabulary(rawCounts, counter.size, o.features.minDf);
  const index = compactIndex(vocab, counter.size);
  const X = rawCounts.map((c) => tfidf(c, index, vocab.idf));
  const dim = vocab.buckets.length;
  tick('features')();
  yield { stage: 'features', done: step, total: totalSteps };

  // Stratified folds: shuffle each label's documents, deal them round-robin.
  const rng = mulberry32(o.seed);
  const foldOf = new Int32Array(X.length);
  for (let c = 0; c < k; c++) {
    const members: number[] = [];
    for (let i = 0; i < X.length; i++) if (y[i] === c) members.push(i);
    const order = shuffledIndices(members.length, rng);
    for (let t = 0; t < order.length; t++) foldOf[members[order[t]!]!] = t % folds;
  }
  const oof: Record<string, Float64Array[]> = {};
  for (const kind of o.members) oof[kind] = new Array<Float64Array>(X.length);
  for (let f = 0; f < folds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < X.length; i++) (foldOf[i] === f ? testIdx : trainIdx).push(i);
    const Xf = trainIdx.map((i) => X[i]!);
    const yf = Int32Array.from(trainIdx.map((i) => y[i]!));
    for (let mi = 0; mi < o.members.length; mi++) {
      const kind = o.members[mi]!;
      const m = trainMember(kind, Xf, yf, k, dim, o, o.seed + 1000 * (f + 1) + mi, tick('folds'));
      for (const i of testIdx) oof[kind]![i] = scores(m, X[i]!);
      yield { stage: 'folds', done: step, total: totalSteps };
    }
  }
  const memberT: Record<string, number> = {};
  for (const kind of o.members) memberT[kind] = fitTemperature(oof[kind]!, y, CALIBRATION_SMOOTHING);
  const combined = X.map((_, i) => {
    const s = new Float64Array(k);
    for (const kind of o.members) for (let c = 0; c < k; c++) s[c]! += oof[kind]![i]![c]! / memberT[kind]! / o.members.length;
    return s;
  });
  const finalT = fitTemperature(combined, y, CALIBRATION_SMOOTHING);
  const pred = Int32Array.from(combined.map(argmax));
  const cv = evaluate(labels, y, pred);
  const calibration = {
    nllBefore: round4(nll(combined, y, 1)),
    nllAfter: round4(nll(combined, y, finalT)),
    ece: round4(expectedCalibrationError(combined.map((s) => softmax(s, finalT)), y)),
  };

  const stride = dim + 1;
  const W = new Float32Array(k * stride);
  for (let mi = 0; mi < o.members.length; mi++) {
    const kind = o.members[mi]!;
    const m = trainMember(kind, X, y, k, dim, o, o.seed + mi, tick('final'));
    const a = 1 / (memberT[kind]! * o.members.length * finalT);
    for (let j = 0; j < W.length; j++) W[j]! += a * m.w[j]!;
    yield { stage: 'final', done: step, total: totalSteps };
  }
  return {
    model: { labels, features: o.features, vocab, W },
    report: {
      cv,
      temperatures: { members: Object.fromEntries(Object.entries(memberT).map(([kk, v]) => [kk, round4(v)])), final: round4(finalT) },
      calibration,
      counts,
      dropped,
      nDocs: X.length,
      dim,
      options: o,
    },
  };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function argmax(s: ArrayLike<number>): number {
  let b = 0;
  for (let c = 1; c < s.length; c++) if (s[c]! > s[b]!) b = c;
  return b;
}

/**
 * A loaded model ready for inference, laid out for the memory system: scoring a message is ~800
 * random lookups into a hash-bucket table, so the table's size decides the speed. Each bucket is
 * one row of k + 1 bytes — its IDF as a byte and the class weights × IDF as bytes (symmetric
 * per-class scale) — so a lookup touches one cache line and the whole table (2^19 buckets × 8
 * bytes for seven labels) stays in the processor's cache instead of 32 MB of floats in DRAM. The
 * quantisation error is measured, not assumed: `model eval` and the dev-split test score through
 * this class.
 */
export class CategoryPredictor {
  private readonly counter: TermCounter;
  /** size × row bytes: [idf (unsigned), u_0 … u_k-1 (signed)] per bucket; idf 0 = not a feature. */
  private readonly weights: Int8Array;
  private readonly idfs: Uint8Array;
  private readonly row: number;
  /** Real weight of one unit of u_c, per class, divided by the IDF unit. */
  private readonly unit: Float64Array;
  private readonly bias: Float64Array;
  private readonly acc: Float64Array;
  private qs = new Uint8Array(2048);
  private work: { buckets: Int32Array; counts: Float64Array } = { buckets: new Int32Array(2048), counts: new Float64Array(2048) };
  private readonly k: number;

  constructor(readonly model: CategoryModel) {
    this.counter = new TermCounter(model.features);
    const k = model.labels.length;
    this.k = k;
    const dim = model.vocab.buckets.length;
    const stride = dim + 1;
    const row = k + 1;
    this.row = row;
    let maxIdf = 0;
    for (let f = 0; f < dim; f++) maxIdf = Math.max(maxIdf, model.vocab.idf[f]!);
    const idfUnit = maxIdf > 0 ? maxIdf / 255 : 1;
    const wMax = new Float64Array(k);
    for (let c = 0; c < k; c++) for (let f = 0; f < dim; f++) wMax[c] = Math.max(wMax[c]!, Math.abs(model.W[c * stride + f]! * model.vocab.idf[f]!));
    const buffer = new ArrayBuffer(this.counter.size * row);
    this.weights = new Int8Array(buffer);
    this.idfs = new Uint8Array(buffer);
    for (let f = 0; f < dim; f++) {
      const base = model.vocab.buckets[f]! * row;
      const idf = model.vocab.idf[f]!;
      this.idfs[base] = Math.max(1, Math.min(255, Math.round(idf / idfUnit)));
      for (let c = 0; c < k; c++) this.weights[base + 1 + c] = wMax[c]! > 0 ? Math.round((model.W[c * stride + f]! * idf * 127) / wMax[c]!) : 0;
    }
    this.unit = new Float64Array(k);
    for (let c = 0; c < k; c++) this.unit[c] = wMax[c]! / 127 / idfUnit;
    this.bias = new Float64Array(k);
    for (let c = 0; c < k; c++) this.bias[c] = model.W[c * stride + dim]!;
    this.acc = new Float64Array(k);
  }

  /** Class scores (temperature already folded into the weights) into a reused buffer. */
  private score(doc: Doc): Float64Array {
    const k = this.k;
    const row = this.row;
    const w = this.weights;
    const idfs = this.idfs;
    const acc = this.acc;
    acc.fill(0);
    const got = this.counter.collect(doc.text, doc.words, this.work);
    this.work = got;
    const { buckets, counts, n } = got;
    // First pass: only the IDF byte of every bucket. The loads are independent, so the processor
    // keeps many cache misses in flight at once; the second pass finds the rows in cache.
    const qs = this.qs.length >= n ? this.qs : (this.qs = new Uint8Array(n * 2));
    for (let j = 0; j < n; j++) qs[j] = idfs[buckets[j]! * row]!;
    // v_f = tf_f × idf_f in IDF units; score_c = bias_c + unit_c × Σ u_cf tf_f / ‖v‖.
    let norm = 0;
    for (let j = 0; j < n; j++) {
      const q = qs[j]!;
      if (q === 0) continue;
      const base = buckets[j]! * row;
      const cnt = counts[j]!;
      const tf = cnt === 1 ? 1 : 1 + Math.log(cnt);
      const v = tf * q;
      norm += v * v;
      for (let c = 0; c < k; c++) acc[c]! += w[base + 1 + c]! * tf;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < k; c++) acc[c] = this.bias[c]! + acc[c]! * this.unit[c]! * inv;
    return acc;
  }

  get labels(): readonly string[] {
    return this.model.labels;
  }

  /** Calibrated class probabilities, in `labels` order. */
  probabilities(doc: Doc): Float64Array {
    return softmax(this.score(doc), 1);
  }

  /** The n most probable labels with their probabilities, most probable first. */
  top(doc: Doc, n = 3): { label: string; p: number }[] {
    const p = this.probabilities(doc);
    return Array.from(p, (v, c) => ({ label: this.model.labels[c]!, p: v }))
      .sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1))
      .slice(0, n);
  }

  /** The most probable label's index (the softmax is monotone: no need to compute it). */
  predict(doc: Doc): number {
    return argmax(this.score(doc));
  }
}
