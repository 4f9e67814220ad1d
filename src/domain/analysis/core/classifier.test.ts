import { describe, expect, it } from 'vitest';
import { CategoryPredictor, trainCategoryModel, type Doc } from './classifier';
import { evaluate } from './metrics';
import { parseLabelledJsonl, type LabelledFileError } from './labelled';
import { mulberry32 } from './rng';

/** A small synthetic corpus: each label has its own vocabulary plus shared filler. */
function corpus(n: number, seed: number) {
  const rng = mulberry32(seed);
  const vocab: Record<string, string[]> = {
    城管: ['占道经营', '乱堆乱放', '违章搭建', '路边摊'],
    环保: ['油烟扰民', '噪声污染', '污水排放', '空气异味'],
    社保: ['拖欠工资', '社保缴费', '养老保险', '失业金'],
  };
  const filler = ['小区', '附近', '最近', '居民', '反映', '门口', '晚上'];
  const pick = (a: string[]) => a[Math.floor(rng() * a.length)]!;
  const docs: Doc[] = [];
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const label = Object.keys(vocab)[i % 3]!;
    const words = [pick(filler), pick(vocab[label]!), pick(filler), pick(vocab[label]!), pick(filler)];
    docs.push({ text: words.join(''), words });
    labels.push(label);
  }
  return { docs, labels };
}

describe('trainCategoryModel', () => {
  const { docs, labels } = corpus(150, 1);
  const steps: number[] = [];
  const { model, report } = trainCategoryModel(docs, labels, { folds: 3, epochs: 8, features: { bits: 16, charOrders: [1, 2], wordWeight: 1, headChars: 0, headWeight: 1, minDf: 1 } }, (p) => steps.push(p.done / p.total));

  it('learns a separable corpus and reports cross-validated metrics', () => {
    expect(report.cv.macroF1).toBeGreaterThan(0.95);
    const test = corpus(60, 2);
    const p = new CategoryPredictor(model);
    const pred = test.docs.map((d) => p.predict(d));
    const ev = evaluate(model.labels, test.labels.map((l) => model.labels.indexOf(l)), pred);
    expect(ev.macroF1).toBeGreaterThan(0.95);
  });
  it('gives probabilities that sum to one, top-3 in order', () => {
    const p = new CategoryPredictor(model);
    const top = p.top({ text: '门口油烟扰民', words: ['门口', '油烟扰民'] });
    expect(top[0]!.label).toBe('环保');
    expect(top.map((t) => t.p).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(top[0]!.p).toBeGreaterThanOrEqual(top[1]!.p);
  });
  it('is deterministic for a seed', () => {
    const again = trainCategoryModel(docs, labels, { folds: 3, epochs: 8, features: { bits: 16, charOrders: [1, 2], wordWeight: 1, headChars: 0, headWeight: 1, minDf: 1 } });
    expect(Buffer.from(again.model.W.buffer).equals(Buffer.from(model.W.buffer))).toBe(true);
  });
  it('reports progress monotonically up to 100 %', () => {
    expect(steps.length).toBeGreaterThan(3);
    expect(steps.every((s, i) => i === 0 || s >= steps[i - 1]!)).toBe(true);
    expect(steps.at(-1)).toBe(1);
  });
  it('drops labels with too few examples and refuses a single label', () => {
    const r = trainCategoryModel([...docs, { text: '孤例', words: [] }], [...labels, '稀有'], { folds: 3, epochs: 4 });
    expect(r.report.dropped).toEqual({ 稀有: 1 });
    expect(() => trainCategoryModel(docs.slice(0, 3), ['a', 'a', 'a'])).toThrow(RangeError);
  });
});

describe('evaluate', () => {
  it('computes per-class precision, recall, F1 and the confusion matrix', () => {
    const ev = evaluate(['a', 'b'], [0, 0, 1, 1], [0, 1, 1, 1]);
    expect(ev.accuracy).toBe(0.75);
    expect(ev.perClass.a).toEqual({ precision: 1, recall: 0.5, f1: 0.6667, support: 2 });
    expect(ev.perClass.b).toEqual({ precision: 0.6667, recall: 1, f1: 0.8, support: 2 });
    expect(ev.confusion).toEqual([[1, 1], [0, 2]]);
    expect(ev.macroF1).toBe(0.7333);
  });
});

describe('parseLabelledJsonl', () => {
  it('accepts text or title + body', () => {
    const rows = parseLabelledJsonl('{"text":"路灯不亮","label":"城管"}\n\n{"title":"油烟","body":"扰民","label":"环保","id":7}\n', 'f.jsonl');
    expect(rows).toEqual([{ id: null, text: '路灯不亮', label: '城管' }, { id: '7', text: '油烟 扰民', label: '环保' }]);
  });
  it('says which line is bad', () => {
    const err = (s: string) => {
      try {
        parseLabelledJsonl(s, 'f.jsonl');
      } catch (e) {
        return e as LabelledFileError;
      }
      throw new Error('no error');
    };
    expect(err('{"text":"a","label":"b"}\n{oops').en).toBe('f.jsonl: line 2 is not valid JSON');
    expect(err('{"text":"a"}').en).toBe('f.jsonl: line 1 has no label');
    expect(err('{"label":"a"}').en).toBe('f.jsonl: line 1 has no text (or title + body)');
    expect(err('[1]').line).toBe(1);
    expect(err('\n\n').line).toBeNull();
  });
});
