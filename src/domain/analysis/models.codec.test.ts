import { describe, expect, it } from 'vitest';
import { trainCategoryModel, CategoryPredictor } from './core/classifier';
import { decodeModel, encodeModel } from './models.codec';

describe('model file', () => {
  const docs = ['路灯不亮', '路灯损坏', '井盖缺失', '油烟扰民', '噪声扰民', '污水排放', '拖欠工资', '社保缴费', '养老保险'].map((t) => ({ text: t, words: [] }));
  const labels = ['城管', '城管', '城管', '环保', '环保', '环保', '社保', '社保', '社保'];
  const { model } = trainCategoryModel(docs, labels, { folds: 3, epochs: 5, features: { bits: 14, charOrders: [1, 2], wordWeight: 0, headChars: 0, headWeight: 1, minDf: 1 } });

  it('round-trips with the same predictions (16-bit weights)', () => {
    const back = decodeModel(encodeModel(model, { meta: { a: 1 } }));
    expect(back.model.labels).toEqual(model.labels);
    expect(back.meta).toEqual({ a: 1 });
    const p1 = new CategoryPredictor(model);
    const p2 = new CategoryPredictor(back.model);
    for (const d of docs) {
      const a = p1.probabilities(d);
      const b = p2.probabilities(d);
      for (let c = 0; c < a.length; c++) expect(Math.abs(a[c]! - b[c]!)).toBeLessThan(1e-3);
    }
  });
  it('refuses garbage with a 400-style error', () => {
    expect(() => decodeModel('nope')).toThrow(/not JSON/);
    expect(() => decodeModel('{"format":"x"}')).toThrow(/Invalid model file/);
    const f = JSON.parse(encodeModel(model));
    f.weights = f.weights.slice(0, 8);
    expect(() => decodeModel(JSON.stringify(f))).toThrow(/sizes/);
  });
});
