import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePoints, compactIndex, fitVocabulary, hashString, TermCounter, tfidf, type FeatureConfig } from './features';

const cfg: FeatureConfig = { bits: 16, charOrders: [1, 2, 3], wordWeight: 1, headChars: 0, headWeight: 1, minDf: 1 };

describe('codePoints', () => {
  it('marks run boundaries and folds digit runs', () => {
    expect(Array.from(codePoints('a1234b,c'))).toEqual([0x61, 0x30, 0x62, -1, 0x63]);
  });
});

describe('TermCounter', () => {
  it('counts char 1-, 2-, 3-grams within runs plus words', () => {
    const tc = new TermCounter(cfg);
    const v = tc.count('路灯不亮', ['路灯']);
    const total = Array.from(v.val).reduce((a, b) => a + b, 0);
    expect(total).toBe(4 + 3 + 2 + 1); // 4 unigrams, 3 bigrams, 2 trigrams, 1 word (no collisions expected at 2^16 for 10 terms)
  });
  it('gives the same vector for the same input, with sorted unique indices, and resets between documents', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'路灯不亮噪声扰民物业ab12，。 '), maxLength: 200 }), fc.array(fc.constantFrom('路灯', '物业', '噪声'), { maxLength: 5 }), (s, w) => {
        const tc = new TermCounter(cfg);
        const a = tc.count(s, w);
        tc.count('完全不同的另一段文字', ['其他']);
        const b = tc.count(s, w);
        const sorted = Array.from(a.idx).every((x, i, arr) => i === 0 || arr[i - 1]! < x);
        return sorted && Array.from(a.idx).join() === Array.from(b.idx).join() && Array.from(a.val).join() === Array.from(b.val).join();
      }),
      { numRuns: 100 },
    );
  });
  it('grows its table for long documents without losing counts', () => {
    const tc = new TermCounter(cfg);
    let s = '';
    for (let i = 0; i < 3000; i++) s += String.fromCharCode(0x4e00 + ((i * 7919) % 20000));
    const v = tc.count(s, []);
    expect(Array.from(v.val).reduce((a, b) => a + b, 0)).toBe(3000 + 2999 + 2998);
  });
  it('adds head features for the first characters', () => {
    const head = new TermCounter({ ...cfg, headChars: 2 });
    const plain = new TermCounter(cfg);
    expect(head.count('路灯不亮', []).idx.length).toBeGreaterThan(plain.count('路灯不亮', []).idx.length);
  });
});

describe('TF-IDF', () => {
  it('keeps features with df ≥ minDf, weights rare features higher and normalises to unit length', () => {
    const tc = new TermCounter(cfg);
    const docs = ['路灯不亮', '路灯损坏', '噪声扰民'].map((s) => tc.count(s, []));
    const voc = fitVocabulary(docs, tc.size, 2);
    // Only 路, 灯, 路灯 occur in two documents.
    expect(voc.buckets.length).toBe(3);
    const ix = compactIndex(voc, tc.size);
    const x = tfidf(docs[0]!, ix, voc.idf);
    expect(Array.from(x.val).reduce((a, b) => a + b * b, 0)).toBeCloseTo(1, 5);
    expect(tfidf(docs[2]!, ix, voc.idf).idx.length).toBe(0);
  });
  it('hashString separates namespaces', () => {
    expect(hashString('路灯', 1)).not.toBe(hashString('路灯', 2));
  });
});
