/**
 * The category classifier, in process on one core: train on the public train split (when
 * ../shared/data is present; else on the project's demo rows), then classify the dev texts in
 * several passes. Throughput is end to end per message from its raw text (normalising code points,
 * hashed character n-grams, TF-IDF, 7 dot products over the int8 table, argmax), reported both per
 * second of CPU time of this process and per second of wall-clock time (lower on a busy machine).
 *
 * Run alone: BENCH_ONLY=classifier npm run bench
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CategoryPredictor, TextAnalyzer, evaluateOnRows, parseLabelledJsonl, trainOnRows, toDoc, type LabelledRow } from '../src/domain/analysis';
import { demoTrainingRows } from '../src/domain/analysis/models.demo';
import { ROOT } from './startup';

const DATA = path.resolve(ROOT, '../shared/data/messages');

export interface ClassifierBenchResult {
  data: 'public train/dev split' | 'demo rows';
  trainRows: number;
  trainMs: number;
  macroF1: number;
  accuracy: number;
  messages: number;
  cpuMessagesPerSecond: number;
  wallMessagesPerSecond: number;
  cpuScoringOnlyPerSecond: number;
}

export async function benchClassifier(passes = 5): Promise<ClassifierBenchResult> {
  const analyzer = new TextAnalyzer();
  let train: LabelledRow[];
  let dev: LabelledRow[];
  let data: ClassifierBenchResult['data'];
  if (existsSync(path.join(DATA, 'train.jsonl')) && existsSync(path.join(DATA, 'dev.jsonl'))) {
    train = parseLabelledJsonl(readFileSync(path.join(DATA, 'train.jsonl'), 'utf8'), 'train.jsonl');
    dev = parseLabelledJsonl(readFileSync(path.join(DATA, 'dev.jsonl'), 'utf8'), 'dev.jsonl');
    data = 'public train/dev split';
  } else {
    const rows = demoTrainingRows(['湛山', '八大峡', '金门路'], 30).map((r) => ({ id: null, ...r }));
    train = rows.filter((_, i) => i % 5 !== 0);
    dev = rows.filter((_, i) => i % 5 === 0);
    data = 'demo rows';
  }
  const t0 = performance.now();
  const { model } = trainOnRows(analyzer, train);
  const trainMs = Math.round(performance.now() - t0);
  const predictor = new CategoryPredictor(model);
  const ev = evaluateOnRows(analyzer, predictor, dev);

  // Throughput: `passes` passes over the dev texts after the warm-up of evaluateOnRows.
  const texts = dev.map((r) => r.text);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  let sink = 0;
  for (let p = 0; p < passes; p++) for (const t of texts) sink += predictor.predict(toDoc(analyzer, t, model.features));
  const wallMs = performance.now() - w0;
  const c1 = process.cpuUsage(c0);
  const n = texts.length * passes;
  const docs = texts.map((t) => toDoc(analyzer, t, model.features));
  const c2 = process.cpuUsage();
  for (let p = 0; p < passes; p++) for (const d of docs) sink += predictor.predict(d);
  const c3 = process.cpuUsage(c2);
  if (sink < 0) console.log(sink);
  return {
    data,
    trainRows: train.length,
    trainMs,
    macroF1: ev.macroF1,
    accuracy: ev.accuracy,
    messages: n,
    cpuMessagesPerSecond: Math.round(n / ((c1.user + c1.system) / 1e6)),
    wallMessagesPerSecond: Math.round(n / (wallMs / 1000)),
    cpuScoringOnlyPerSecond: Math.round(n / ((c3.user + c3.system) / 1e6)),
  };
}
