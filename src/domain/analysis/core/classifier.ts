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

/** One document as the classifier sees it: normalised text and its segmented words. */
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
  features: { bits: 20, charOrders: [1, 2, 3], wordWeight: 1, headChars: 30, headWeight: 1, minDf: 2, wordChars: 150 },
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
 * A loaded model ready for inference. The IDF and the class weights of each hash bucket sit
 * together in one row of a dense table (bucket-major), so scoring a feature touches one cache
 * line; TF-IDF weighting, the dot products and the L2 norm are computed in one pass.
 */
export class CategoryPredictor {
  private readonly counter: TermCounter;
  /** size × (1 + labels): [idf, w_0 … w_k-1] per bucket; idf 0 = not a feature. */
  private readonly table: Float32Array;
  private readonly bias: Float64Array;
  private readonly scratch: Float64Array;
  private readonly k: number;

  constructor(readonly model: CategoryModel) {
    this.counter = new TermCounter(model.features);
    const k = model.labels.length;
    this.k = k;
    const dim = model.vocab.buckets.length;
    const stride = dim + 1;
    const row = k + 1;
    this.table = new Float32Array(this.counter.size * row);
    for (let f = 0; f < dim; f++) {
      const base = model.vocab.buckets[f]! * row;
      this.table[base] = model.vocab.idf[f]!;
      for (let c = 0; c < k; c++) this.table[base + 1 + c] = model.W[c * stride + f]!;
    }
    this.bias = new Float64Array(k);
    for (let c = 0; c < k; c++) this.bias[c] = model.W[c * stride + dim]!;
    this.scratch = new Float64Array(k);
  }

  get labels(): readonly string[] {
    return this.model.labels;
  }

  /** Calibrated class probabilities, in `labels` order. */
  probabilities(doc: Doc): Float64Array {
    const k = this.k;
    const row = k + 1;
    const t = this.table;
    const s = this.scratch;
    s.fill(0);
    let norm = 0;
    this.counter.visit(doc.text, doc.words, (bucket, count) => {
      const base = bucket * row;
      const idf = t[base]!;
      if (idf === 0) return;
      const v = (1 + Math.log(count)) * idf;
      norm += v * v;
      for (let c = 0; c < k; c++) s[c]! += t[base + 1 + c]! * v;
    });
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let c = 0; c < k; c++) s[c] = this.bias[c]! + s[c]! * inv;
    return softmax(s, 1);
  }

  /** The n most probable labels with their probabilities, most probable first. */
  top(doc: Doc, n = 3): { label: string; p: number }[] {
    const p = this.probabilities(doc);
    return Array.from(p, (v, c) => ({ label: this.model.labels[c]!, p: v }))
      .sort((a, b) => b.p - a.p || (a.label < b.label ? -1 : 1))
      .slice(0, n);
  }

  predict(doc: Doc): number {
    return argmax(this.probabilities(doc));
  }
}
