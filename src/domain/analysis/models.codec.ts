/**
 * The model file: a JSON document with the labels, the feature configuration, the kept hash
 * buckets (delta-encoded), the IDF and the weight matrix quantised to 16 bits per class row
 * (max relative error 1/32767 of the row's largest weight — far below anything that changes a
 * prediction). The same text is written by `model train --out` and stored in analysis_models.
 */
import { AppError } from '../../shared/errors';
import type { CategoryModel } from './core/classifier';

export const MODEL_FORMAT = 'minsheng-category-model';

interface ModelFile {
  format: typeof MODEL_FORMAT;
  formatVersion: 1;
  labels: string[];
  labelNames?: Record<string, string>;
  features: CategoryModel['features'];
  nDocs: number;
  buckets: string;
  idf: string;
  rowScales: number[];
  weights: string;
  meta?: Record<string, unknown>;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function fromB64<T>(s: string, Ctor: { new (buf: ArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
  const buf = Buffer.from(s, 'base64');
  if (buf.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw badModel('binary field has a wrong length');
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return new Ctor(copy);
}

const badModel = (why: string) => new AppError('validation_failed', { zh: `模型文件无效：${why}`, en: `Invalid model file: ${why}` });

export function encodeModel(m: CategoryModel, extra: { labelNames?: Record<string, string>; meta?: Record<string, unknown> } = {}): string {
  const dim = m.vocab.buckets.length;
  const stride = dim + 1;
  const deltas = new Int32Array(dim);
  let prev = 0;
  for (let i = 0; i < dim; i++) {
    deltas[i] = m.vocab.buckets[i]! - prev;
    prev = m.vocab.buckets[i]!;
  }
  const q = new Int16Array(m.W.length);
  const rowScales: number[] = [];
  for (let c = 0; c < m.labels.length; c++) {
    let max = 0;
    for (let j = 0; j < stride; j++) max = Math.max(max, Math.abs(m.W[c * stride + j]!));
    const scale = max > 0 ? max / 32767 : 1;
    rowScales.push(scale);
    for (let j = 0; j < stride; j++) q[c * stride + j] = Math.round(m.W[c * stride + j]! / scale);
  }
  const file: ModelFile = {
    format: MODEL_FORMAT,
    formatVersion: 1,
    labels: m.labels,
    ...(extra.labelNames ? { labelNames: extra.labelNames } : {}),
    features: m.features,
    nDocs: m.vocab.nDocs,
    buckets: b64(deltas),
    idf: b64(m.vocab.idf),
    rowScales,
    weights: b64(q),
    ...(extra.meta ? { meta: extra.meta } : {}),
  };
  return JSON.stringify(file);
}

export function decodeModel(text: string): { model: CategoryModel; labelNames: Record<string, string>; meta: Record<string, unknown> } {
  let f: ModelFile;
  try {
    f = JSON.parse(text) as ModelFile;
  } catch {
    throw badModel('not JSON');
  }
  if (!f || typeof f !== 'object' || f.format !== MODEL_FORMAT || f.formatVersion !== 1) throw badModel(`not a ${MODEL_FORMAT} v1 file`);
  if (!Array.isArray(f.labels) || f.labels.length < 2 || !f.features || typeof f.features.bits !== 'number') throw badModel('labels or features missing');
  const deltas = fromB64(f.buckets, Int32Array);
  const buckets = new Int32Array(deltas.length);
  let acc = 0;
  for (let i = 0; i < deltas.length; i++) {
    acc += deltas[i]!;
    buckets[i] = acc;
  }
  const idf = fromB64(f.idf, Float32Array);
  const q = fromB64(f.weights, Int16Array);
  const dim = buckets.length;
  if (idf.length !== dim || q.length !== f.labels.length * (dim + 1) || f.rowScales.length !== f.labels.length) throw badModel('array sizes do not match');
  if (dim > 0 && (buckets[0]! < 0 || buckets[dim - 1]! >= 1 << f.features.bits)) throw badModel('feature index out of range');
  const W = new Float32Array(q.length);
  const stride = dim + 1;
  for (let c = 0; c < f.labels.length; c++) for (let j = 0; j < stride; j++) W[c * stride + j] = q[c * stride + j]! * f.rowScales[c]!;
  return { model: { labels: f.labels, features: f.features, vocab: { buckets, idf, nDocs: f.nDocs }, W }, labelNames: f.labelNames ?? {}, meta: f.meta ?? {} };
}
