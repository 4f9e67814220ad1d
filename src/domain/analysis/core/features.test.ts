import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePoints, compactIndex, fitVocabulary, hashString, TermCounter, textCodePoints, tfidf, type FeatureConfig } from './features';
import { normalize } from './text';

const cfg: FeatureConfig = { bits: 16, charOrders: [1, 2, 3], wordWeight: 1, headChars: 0, headWeight: 1, minDf: 1 };

describe('codePoints', () => {
  it('marks run boundaries and folds digit runs', () => {
    expect(Array.from(codePoints('a1234b,c'))).toEqual([0x61, 0x30, 0x62, -1, 0x63]);
  });
  it('drops a trailing boundary (trailing spaces and punctuation read alike)', () => {
    expect(Array.from(codePoints('路灯。'))).toEqual(Array.from(codePoints('路灯')));
  });
});

describe('textCodePoints (the fast path on raw text)', () => {
  const same = (raw: string) => Array.from(textCodePoints(raw)).join() === Array.from(codePoints(normalize(raw))).join();
  it('equals codePoints(normalize(text)) on the characters messages contain', () => {
    for (const raw of ['路燈不亮！ＡＢＣ１２３', '温度35℃，噪音…“扰民”', '  ﬀ ⑩号楼  ', '𠀀𠀁字', '\ud800孤立', 'Ａ　Ｂ', '']) expect(same(raw), raw).toBe(true);
  });
  it('equals codePoints(normalize(text)) on random text, any Unicode', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), same), { numRuns: 2000 });
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'路燈不亮噪聲擾民ABcd12３４，。 ℃…ﬀ⑩\u3000\u00a0'), maxLength: 80 }), same), { numRuns: 2000 });
  });
  it('reuses the buffer it is given when it is long enough', () => {
    const buf = new Int32Array(64);
    expect(textCodePoints('路灯', buf).buffer).toBe(buf.buffer);
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
  it('counts raw text as its normalised form (the classifier reads raw text)', () => {
    const tc = new TermCounter(cfg);
    const raw = tc.count('路燈不亮！ＡＢＣ　１２３', ['路灯']);
    const norm = tc.count(normalize('路燈不亮！ＡＢＣ　１２３'), ['路灯']);
    expect(Array.from(raw.idx)).toEqual(Array.from(norm.idx));
    expect(Array.from(raw.val)).toEqual(Array.from(norm.val));
  });
  it('collects the same counts as count(), unsorted, and resets between documents', () => {
    const tc = new TermCounter(cfg);
    const text = '小区门口路灯不亮，晚上很黑，路灯需要维修';
    const sorted = tc.count(text, ['路灯']);
    const got = tc.collect(text, ['路灯'], { buckets: new Int32Array(1), counts: new Float64Array(1) });
    const pairs = Array.from(got.buckets.subarray(0, got.n), (b, j) => [b, got.counts[j]!] as const).sort((a, b) => a[0] - b[0]);
    expect(pairs.map((p) => p[0])).toEqual(Array.from(sorted.idx));
    expect(pairs.map((p) => p[1])).toEqual(Array.from(sorted.val));
    expect(tc.collect('', [], got).n).toBe(0);
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
