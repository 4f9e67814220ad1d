/**
 * The classifier outside core: turns raw texts into documents (normalise + jieba words with the
 * district dictionary), trains, evaluates with throughput, predicts top-3.
 */
import { performance } from 'node:perf_hooks';
import type { TextAnalyzer } from './text/analyzer';
import { CategoryPredictor, DEFAULT_TRAIN, trainCategoryModel, type Doc, type TrainOptions, type TrainProgress, type CategoryModel, type TrainReport } from './core/classifier';
import type { FeatureConfig } from './core/features';
import { evaluate, type Evaluation } from './core/metrics';
import type { LabelledRow } from './core/labelled';

/**
 * A message as the classifier reads it. The character n-grams normalise as they read (see
 * `textCodePoints`), so the text is passed raw; only a model with word features pays for
 * normalising and segmenting the head of the message.
 */
export function toDoc(analyzer: TextAnalyzer, text: string, features: FeatureConfig): Doc {
  if (!features.wordWeight) return { text, words: [] };
  const normalized = analyzer.normalize(text);
  const head = features.wordChars ? normalized.slice(0, features.wordChars) : normalized;
  return { text: normalized, words: analyzer.tokens(head, { normalized: true, foldDigits: true }) };
}

export function trainOnRows(
  analyzer: TextAnalyzer,
  rows: readonly LabelledRow[],
  options: Partial<TrainOptions> = {},
  onProgress?: (p: TrainProgress) => void,
): { model: CategoryModel; report: TrainReport } {
  const features = { ...defaultFeatures(), ...(options.features ?? {}) };
  const docs = rows.map((r) => toDoc(analyzer, r.text, features));
  return trainCategoryModel(docs, rows.map((r) => r.label), { ...options, features }, onProgress);
}

function defaultFeatures(): FeatureConfig {
  return DEFAULT_TRAIN.features;
}

export interface EvalResult extends Evaluation {
  /** Documents per second of CPU time of this process (one core), end to end. */
  docsPerSecond: number;
  /** Documents per second of wall-clock time (lower than docsPerSecond when the machine is busy). */
  wallDocsPerSecond: number;
  /** Rows whose label the model does not know (counted as errors). */
  unknownLabels: Record<string, number>;
}

/**
 * Evaluate a model on labelled rows. Throughput is measured end to end (normalise, segment,
 * featurise, score) over the whole file after one warm-up pass.
 */
export function evaluateOnRows(analyzer: TextAnalyzer, predictor: CategoryPredictor, rows: readonly LabelledRow[]): EvalResult {
  const labels = [...predictor.labels];
  const unknownLabels: Record<string, number> = {};
  for (const r of rows) if (!labels.includes(r.label)) unknownLabels[r.label] = (unknownLabels[r.label] ?? 0) + 1;
  const allLabels = [...labels, ...Object.keys(unknownLabels).sort()];
  const features = predictor.model.features;
  const warm = Math.min(rows.length, 200);
  for (let i = 0; i < warm; i++) predictor.predict(toDoc(analyzer, rows[i]!.text, features));
  const pred = new Int32Array(rows.length);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i++) pred[i] = predictor.predict(toDoc(analyzer, rows[i]!.text, features));
  const ms = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  const yTrue = Int32Array.from(rows.map((r) => allLabels.indexOf(r.label)));
  const ev = evaluate(allLabels, yTrue, pred);
  return { ...ev, docsPerSecond: Math.round((rows.length / Math.max(cpuMs, 1e-3)) * 1000), wallDocsPerSecond: Math.round((rows.length / Math.max(ms, 1e-3)) * 1000), unknownLabels };
}

export { CategoryPredictor };
