/**
 * Probability calibration: temperature scaling (Guo et al. 2017) of multi-class scores, fitted on
 * held-out (out-of-fold) scores by minimising the negative log-likelihood; plus the measures that
 * say whether probabilities mean something (NLL, Brier score, expected calibration error).
 */

/** softmax(s / T) in place into `out`. */
export function softmax(s: ArrayLike<number>, T = 1, out: Float64Array = new Float64Array(s.length)): Float64Array {
  let max = -Infinity;
  for (let c = 0; c < s.length; c++) if (s[c]! / T > max) max = s[c]! / T;
  let sum = 0;
  for (let c = 0; c < s.length; c++) {
    const e = Math.exp(s[c]! / T - max);
    out[c] = e;
    sum += e;
  }
  for (let c = 0; c < s.length; c++) out[c]! /= sum;
  return out;
}

/**
 * Mean negative log-likelihood of the true labels under softmax(s / T). With `smoothing` α the
 * target is (1 − α) on the label and α spread over all classes (label smoothing): it keeps the
 * fitted temperature finite when the held-out predictions happen to be all correct, so a model
 * trained on easy data does not answer 100 % to a message unlike anything it has seen.
 */
export function nll(S: readonly ArrayLike<number>[], y: ArrayLike<number>, T = 1, smoothing = 0): number {
  if (S.length === 0) return 0;
  let total = 0;
  for (let i = 0; i < S.length; i++) {
    const s = S[i]!;
    let max = -Infinity;
    for (let c = 0; c < s.length; c++) if (s[c]! / T > max) max = s[c]! / T;
    let sum = 0;
    for (let c = 0; c < s.length; c++) sum += Math.exp(s[c]! / T - max);
    const lse = max + Math.log(sum);
    let loss = -(1 - smoothing) * (s[y[i]!]! / T - lse);
    if (smoothing > 0) {
      let all = 0;
      for (let c = 0; c < s.length; c++) all += s[c]! / T - lse;
      loss -= (smoothing / s.length) * all;
    }
    total += loss;
  }
  return total / S.length;
}

/**
 * The temperature minimising NLL, by golden-section search on log T in [1e-3, 1e3]. NLL is convex
 * in 1/T for fixed scores, so the search finds the global minimum on that bracket.
 */
export function fitTemperature(S: readonly ArrayLike<number>[], y: ArrayLike<number>, smoothing = 0): number {
  if (S.length === 0) return 1;
  let a = Math.log(1e-3);
  let b = Math.log(1e3);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = nll(S, y, Math.exp(c), smoothing);
  let fd = nll(S, y, Math.exp(d), smoothing);
  for (let k = 0; k < 80 && b - a > 1e-6; k++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = nll(S, y, Math.exp(c), smoothing);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = nll(S, y, Math.exp(d), smoothing);
    }
  }
  return Math.exp((a + b) / 2);
}

/** Expected calibration error of the top-1 probability over `bins` equal-width bins. */
export function expectedCalibrationError(P: readonly ArrayLike<number>[], y: ArrayLike<number>, bins = 10): number {
  if (P.length === 0) return 0;
  const conf = new Float64Array(bins);
  const acc = new Float64Array(bins);
  const cnt = new Float64Array(bins);
  for (let i = 0; i < P.length; i++) {
    const p = P[i]!;
    let best = 0;
    for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
    const b = Math.min(bins - 1, Math.floor(p[best]! * bins));
    conf[b]! += p[best]!;
    acc[b]! += best === y[i] ? 1 : 0;
    cnt[b]! += 1;
  }
  let e = 0;
  for (let b = 0; b < bins; b++) if (cnt[b]! > 0) e += Math.abs(acc[b]! - conf[b]!);
  return e / P.length;
}

/** Multi-class Brier score: mean squared distance between the probability vector and the one-hot label. */
export function brierScore(P: readonly ArrayLike<number>[], y: ArrayLike<number>): number {
  if (P.length === 0) return 0;
  let total = 0;
  for (let i = 0; i < P.length; i++) {
    const p = P[i]!;
    for (let c = 0; c < p.length; c++) total += (p[c]! - (c === y[i] ? 1 : 0)) ** 2;
  }
  return total / P.length;
}
