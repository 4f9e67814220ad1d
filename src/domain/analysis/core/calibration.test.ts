import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { brierScore, expectedCalibrationError, fitTemperature, nll, softmax } from './calibration';
import { mulberry32 } from './rng';

/** Scores drawn so that softmax(s / T0) is the true class distribution. */
function synthetic(T0: number, n: number, k: number, seed: number) {
  const rng = mulberry32(seed);
  const S: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = new Float64Array(k);
    for (let c = 0; c < k; c++) s[c] = (rng() - 0.5) * 8;
    const p = softmax(s, T0);
    let u = rng();
    let label = k - 1;
    for (let c = 0; c < k; c++) {
      u -= p[c]!;
      if (u <= 0) {
        label = c;
        break;
      }
    }
    S.push(s);
    y.push(label);
  }
  return { S, y };
}

describe('temperature scaling', () => {
  it('recovers the temperature that generated the labels', () => {
    for (const T0 of [0.5, 2, 4]) {
      const { S, y } = synthetic(T0, 4000, 5, 7);
      expect(fitTemperature(S, y)).toBeGreaterThan(T0 * 0.85);
      expect(fitTemperature(S, y)).toBeLessThan(T0 * 1.15);
    }
  });
  it('never makes the NLL worse than T = 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.integer({ min: 1, max: 1000 }), (T0, seed) => {
        const { S, y } = synthetic(T0, 200, 4, seed);
        return nll(S, y, fitTemperature(S, y)) <= nll(S, y, 1) + 1e-9;
      }),
      { numRuns: 25 },
    );
  });
  it('lowers the calibration error of over-confident scores', () => {
    const { S, y } = synthetic(3, 3000, 5, 11);
    const before = expectedCalibrationError(S.map((s) => softmax(s, 1)), y);
    const T = fitTemperature(S, y);
    const after = expectedCalibrationError(S.map((s) => softmax(s, T)), y);
    expect(after).toBeLessThan(before / 2);
    expect(brierScore(S.map((s) => softmax(s, T)), y)).toBeLessThan(brierScore(S.map((s) => softmax(s, 1)), y));
  });
  it('softmax sums to one and keeps the order', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 10 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (s, T) => {
        const p = softmax(s, T);
        const sum = p.reduce((a, b) => a + b, 0);
        const order = s.every((v, i) => s.every((w, j) => !(v > w) || p[i]! >= p[j]!));
        return Math.abs(sum - 1) < 1e-9 && order;
      }),
    );
  });
});

describe('label-smoothed temperature', () => {
  it('stays finite when every held-out prediction is right', () => {
    const S = Array.from({ length: 100 }, (_, i) => Float64Array.from([i % 2 ? 1 : -1, i % 2 ? -1 : 1]));
    const y = Array.from({ length: 100 }, (_, i) => (i % 2 ? 0 : 1));
    expect(fitTemperature(S, y)).toBeLessThan(0.1);
    const T = fitTemperature(S, y, 0.02);
    expect(T).toBeGreaterThan(0.2);
    expect(softmax(S[0]!, T)[1]).toBeLessThan(0.999);
  });
});
