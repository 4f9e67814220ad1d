/**
 * Linear models over sparse TF-IDF vectors (compact feature ids 0..dim-1), one-vs-rest:
 * - L2-regularised L2-loss linear SVM by dual coordinate descent (the liblinear solver,
 *   Hsieh et al. 2008): converges in a few passes, deterministic given the seeded order;
 * - complement naive Bayes (Rennie et al. 2003) on the TF-IDF weights;
 * - NB-SVM (Wang & Manning 2012): features scaled by the class's NB log-count ratio, then the SVM.
 * Weights are stored class-major: w[c * (dim + 1) + j], with the bias at j = dim.
 */
import { shuffledIndices, type Rng } from './rng';
import type { SparseVec } from './features';

export interface LinearModel {
  dim: number;
  classes: number;
  /** classes × (dim + 1), bias last. */
  w: Float32Array;
  /** Optional per-class feature scaling (NB-SVM); classes × dim. */
  scale?: Float32Array;
}

export function scores(m: LinearModel, x: SparseVec, out: Float64Array = new Float64Array(m.classes)): Float64Array {
  const stride = m.dim + 1;
  for (let c = 0; c < m.classes; c++) {
    const base = c * stride;
    let s = m.w[base + m.dim]!;
    if (m.scale) {
      const sb = c * m.dim;
      for (let j = 0; j < x.idx.length; j++) {
        const f = x.idx[j]!;
        s += m.w[base + f]! * m.scale[sb + f]! * x.val[j]!;
      }
    } else {
      for (let j = 0; j < x.idx.length; j++) s += m.w[base + x.idx[j]!]! * x.val[j]!;
    }
    out[c] = s;
  }
  return out;
}

export interface SvmOptions {
  C: number;
  epochs: number;
  rng: Rng;
  /** Value of the constant bias feature. */
  bias?: number;
  /** Class weights (balanced: n / (k * n_c)). */
  classWeight?: Float64Array;
  /** Per-class feature scaling (NB-SVM). */
  scale?: Float32Array;
  onProgress?: (done: number, total: number) => void;
}

/** One-vs-rest L2-loss SVM, dual coordinate descent with random permutation per epoch. */
export function trainSvm(X: readonly SparseVec[], y: Int32Array, classes: number, dim: number, o: SvmOptions): LinearModel {
  const n = X.length;
  const bias = o.bias ?? 1;
  const stride = dim + 1;
  const w = new Float32Array(classes * stride);
  const wc = new Float64Array(stride);
  const alpha = new Float64Array(n);
  const qd = new Float64Array(n);
  const total = classes * o.epochs;
  for (let c = 0; c < classes; c++) {
    const sb = c * dim;
    const Cc = o.C * (o.classWeight ? o.classWeight[c]! : 1);
    const Dii = 0.5 / Cc; // L2-loss: diag term 1/(2C)
    wc.fill(0);
    alpha.fill(0);
    for (let i = 0; i < n; i++) {
      let s = bias * bias + Dii;
      const xi = X[i]!;
      for (let j = 0; j < xi.idx.length; j++) {
        const v = xi.val[j]! * (o.scale ? o.scale[sb + xi.idx[j]!]! : 1);
        s += v * v;
      }
      qd[i] = s;
    }
    for (let ep = 0; ep < o.epochs; ep++) {
      const order = shuffledIndices(n, o.rng);
      let maxPg = 0;
      for (let t = 0; t < n; t++) {
        const i = order[t]!;
        const xi = X[i]!;
        const yi = y[i] === c ? 1 : -1;
        let g = wc[dim]! * bias;
        for (let j = 0; j < xi.idx.length; j++) {
          const f = xi.idx[j]!;
          g += wc[f]! * xi.val[j]! * (o.scale ? o.scale[sb + f]! : 1);
        }
        g = yi * g - 1 + Dii * alpha[i]!;
        const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
        if (Math.abs(pg) > maxPg) maxPg = Math.abs(pg);
        if (pg === 0) continue;
        const old = alpha[i]!;
        const a = Math.max(old - g / qd[i]!, 0);
        alpha[i] = a;
        const d = (a - old) * yi;
        if (d === 0) continue;
        for (let j = 0; j < xi.idx.length; j++) {
          const f = xi.idx[j]!;
          wc[f]! += d * xi.val[j]! * (o.scale ? o.scale[sb + f]! : 1);
        }
        wc[dim]! += d * bias;
      }
      o.onProgress?.(c * o.epochs + ep + 1, total);
      if (maxPg < 1e-3) {
        o.onProgress?.((c + 1) * o.epochs, total);
        break;
      }
    }
    const base = c * stride;
    for (let f = 0; f < dim; f++) w[base + f] = wc[f]!;
    w[base + dim] = wc[dim]! * bias;
  }
  return o.scale ? { dim, classes, w, scale: o.scale } : { dim, classes, w };
}

/** Balanced class weights n / (k · n_c). */
export function balancedWeights(y: Int32Array, classes: number): Float64Array {
  const counts = new Float64Array(classes);
  for (const c of y) counts[c]! += 1;
  const out = new Float64Array(classes);
  for (let c = 0; c < classes; c++) out[c] = counts[c]! > 0 ? y.length / (classes * counts[c]!) : 0;
  return out;
}

/**
 * Complement naive Bayes on non-negative feature weights: for class c the weights of the features
 * in all other classes, smoothed by alpha, as negative normalised log-probabilities.
 */
export function trainComplementNb(X: readonly SparseVec[], y: Int32Array, classes: number, dim: number, alpha: number): LinearModel {
  const perClass = new Float64Array(classes * dim);
  const totalF = new Float64Array(dim);
  for (let i = 0; i < X.length; i++) {
    const xi = X[i]!;
    const base = y[i]! * dim;
    for (let j = 0; j < xi.idx.length; j++) {
      perClass[base + xi.idx[j]!]! += xi.val[j]!;
      totalF[xi.idx[j]!]! += xi.val[j]!;
    }
  }
  const stride = dim + 1;
  const w = new Float32Array(classes * stride);
  const lw = new Float64Array(dim);
  for (let c = 0; c < classes; c++) {
    let sum = 0;
    for (let f = 0; f < dim; f++) {
      const comp = totalF[f]! - perClass[c * dim + f]! + alpha;
      lw[f] = comp;
      sum += comp;
    }
    let norm = 0;
    for (let f = 0; f < dim; f++) {
      lw[f] = Math.log(lw[f]! / sum);
      norm += Math.abs(lw[f]!);
    }
    // Weight normalisation (the "WCNB" variant) keeps classes with long documents from dominating.
    for (let f = 0; f < dim; f++) w[c * stride + f] = -lw[f]! / norm;
  }
  return { dim, classes, w };
}

/** NB log-count ratios per class on binarised features, for NB-SVM. */
export function nbRatios(X: readonly SparseVec[], y: Int32Array, classes: number, dim: number, alpha: number): Float32Array {
  const pos = new Float64Array(classes * dim);
  const all = new Float64Array(dim);
  const nc = new Float64Array(classes);
  for (let i = 0; i < X.length; i++) {
    const xi = X[i]!;
    nc[y[i]!]! += 1;
    for (let j = 0; j < xi.idx.length; j++) {
      pos[y[i]! * dim + xi.idx[j]!]! += 1;
      all[xi.idx[j]!]! += 1;
    }
  }
  const r = new Float32Array(classes * dim);
  for (let c = 0; c < classes; c++) {
    let sp = 0;
    let sq = 0;
    for (let f = 0; f < dim; f++) {
      sp += pos[c * dim + f]! + alpha;
      sq += all[f]! - pos[c * dim + f]! + alpha;
    }
    for (let f = 0; f < dim; f++) {
      const p = (pos[c * dim + f]! + alpha) / sp;
      const q = (all[f]! - pos[c * dim + f]! + alpha) / sq;
      r[c * dim + f] = Math.log(p / q);
    }
  }
  return r;
}
