import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocFreq, charShingles, cosine, haversineMetres, jaccard, minHasher, minhashSimilarity, sharedTerms, shingleText, tfidf } from './similarity';

const hasher = minHasher(256);
const cjk = fc.string({ unit: fc.constantFrom(...'小区门口路灯不亮噪音扰民油烟垃圾占道经营停车车位物业漏水'.split('')), minLength: 0, maxLength: 40 });

describe('shingles and Jaccard', () => {
  it('normalises width and case and drops punctuation', () => {
    expect(shingleText('ＡＢＣ，路灯 不亮！')).toBe('abc路灯不亮');
    expect([...charShingles('路灯不亮', 2)]).toEqual(['路灯', '灯不', '不亮']);
    expect([...charShingles('灯', 2)]).toEqual(['灯']);
  });
  it('Jaccard is 1 on equal sets, symmetric and in [0, 1]', () => {
    fc.assert(
      fc.property(cjk, cjk, (a, b) => {
        const A = charShingles(a);
        const B = charShingles(b);
        expect(jaccard(A, A)).toBe(1);
        expect(jaccard(A, B)).toBe(jaccard(B, A));
        expect(jaccard(A, B)).toBeGreaterThanOrEqual(0);
        expect(jaccard(A, B)).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('MinHash', () => {
  it('identical texts score 1, and the estimate is symmetric', () => {
    fc.assert(
      fc.property(cjk, cjk, (a, b) => {
        const sa = hasher.signature(charShingles(a));
        const sb = hasher.signature(charShingles(b));
        expect(minhashSimilarity(sa, hasher.signature(charShingles(a)))).toBe(1);
        expect(minhashSimilarity(sa, sb)).toBe(minhashSimilarity(sb, sa));
      }),
    );
  });
  it('estimates the Jaccard similarity of the shingle sets within bounds (256 hashes: σ ≤ 0.032)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥'.split('')), minLength: 30, maxLength: 80 }), fc.nat(60), (text, cut) => {
        const other = text.slice(0, Math.max(5, text.length - cut)) + '另外的内容完全不同';
        const A = charShingles(text);
        const B = charShingles(other);
        const est = minhashSimilarity(hasher.signature(A), hasher.signature(B));
        // 5σ: a false failure has a probability below one in a million per case.
        expect(Math.abs(est - jaccard(A, B))).toBeLessThan(0.16);
      }),
      { numRuns: 60 },
    );
  });
  it('the same seed gives the same signature in every process', () => {
    expect([...minHasher(4).signature(charShingles('路灯不亮'))]).toEqual([...minHasher(4).signature(charShingles('路灯不亮'))]);
  });
});

describe('TF-IDF cosine', () => {
  const df = new DocFreq();
  for (const d of [['路灯', '不亮'], ['噪音', '扰民'], ['路灯', '损坏'], ['油烟', '扰民']]) df.add(d);
  it('identical token lists score 1, disjoint 0, symmetric', () => {
    const idf = (t: string) => df.idf(t);
    fc.assert(
      fc.property(fc.array(fc.constantFrom('路灯', '不亮', '噪音', '扰民', '油烟', '损坏'), { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom('路灯', '不亮', '噪音', '扰民'), { minLength: 1, maxLength: 8 }), (a, b) => {
        expect(cosine(tfidf(a, idf), tfidf(a, idf))).toBeCloseTo(1, 9);
        expect(cosine(tfidf(a, idf), tfidf(b, idf))).toBeCloseTo(cosine(tfidf(b, idf), tfidf(a, idf)), 12);
      }),
    );
    expect(cosine(tfidf(['路灯'], idf), tfidf(['噪音'], idf))).toBe(0);
  });
  it('rare terms weigh more, and shared terms are the evidence', () => {
    expect(df.idf('油烟')).toBeGreaterThan(df.idf('扰民'));
    const idf = (t: string) => df.idf(t);
    expect(sharedTerms(tfidf(['油烟', '扰民', '晚上'], idf), tfidf(['油烟', '扰民'], idf))).toEqual(['油烟', '扰民']);
  });
});

describe('haversine', () => {
  it('one degree of latitude is about 111 km; symmetric; zero on the same point', () => {
    expect(haversineMetres(120, 36, 120, 37)).toBeGreaterThan(111_000);
    expect(haversineMetres(120, 36, 120, 37)).toBeLessThan(111_400);
    expect(haversineMetres(120.3, 36.06, 120.31, 36.07)).toBeCloseTo(haversineMetres(120.31, 36.07, 120.3, 36.06), 6);
    expect(haversineMetres(120.3, 36.06, 120.3, 36.06)).toBe(0);
  });
});
