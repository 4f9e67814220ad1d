import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { charNgrams, filterTokens, isStopToken, normalize, placeNameVariants, STOP_WORDS, wordRuns } from './text';

describe('normalize', () => {
  it('turns full-width ASCII into half-width and lower-cases Latin letters', () => {
    expect(normalize('ＡＢＣ１２３，ｘｙｚ！')).toBe('abc123,xyz!');
  });
  it('collapses whitespace including the ideographic space and NBSP', () => {
    expect(normalize('  路灯\u3000\u3000不亮\u00a0\n\t了 ')).toBe('路灯 不亮 了');
  });
  it('maps common traditional characters to simplified', () => {
    expect(normalize('噪聲擾民，請盡快處理環境問題')).toBe('噪声扰民,请尽快处理环境问题');
    expect(normalize('醫療衛生與勞動保險')).toBe('医疗卫生与劳动保险');
  });
  it('leaves simplified Chinese untouched', () => {
    expect(normalize('湛山街道八大峡社区路灯不亮')).toBe('湛山街道八大峡社区路灯不亮');
  });
  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (s) => normalize(normalize(s)) === normalize(s)));
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => normalize(normalize(s)) === normalize(s)));
  });
  it('never leaves leading, trailing or doubled spaces', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const n = normalize(s);
        return !n.startsWith(' ') && !n.endsWith(' ') && !n.includes('  ');
      }),
    );
  });
});

describe('charNgrams', () => {
  it('gives the n-grams within word runs only', () => {
    expect(charNgrams('路灯不亮，井盖', 2)).toEqual(['路灯', '灯不', '不亮', '井盖']);
    expect(charNgrams('路灯', 3)).toEqual([]);
    expect(charNgrams('ab', 1)).toEqual(['a', 'b']);
  });
  it('folds digit runs when asked', () => {
    expect(charNgrams('12号楼3单元', 2, { foldDigits: true })).toEqual(['0号', '号楼', '楼0', '0单', '单元']);
  });
  it('rejects a non-positive n', () => {
    expect(() => charNgrams('abc', 0)).toThrow(RangeError);
  });
  it('has exactly sum(max(0, len(run) - n + 1)) n-grams, each of n code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.integer({ min: 1, max: 4 }), (s, n) => {
        const grams = charNgrams(s, n);
        const expected = wordRuns(normalize(s)).reduce((acc, r) => acc + Math.max(0, Array.from(r).length - n + 1), 0);
        return grams.length === expected && grams.every((g) => Array.from(g).length === n);
      }),
    );
  });
  it('unigrams concatenated give back the word characters of the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => charNgrams(s, 1).join('') === wordRuns(normalize(s)).join('')),
    );
  });
});

describe('stop words', () => {
  it('contains function words and hotline formulas but not topic words', () => {
    for (const w of ['的', '了', '我们', '您好', '尊敬的', '领导']) expect(STOP_WORDS.has(w)).toBe(true);
    for (const w of ['噪音', '物业', '投诉', '工资', '学校', '路灯']) expect(STOP_WORDS.has(w)).toBe(false);
  });
  it('filters stop words and punctuation, keeps the rest in order', () => {
    expect(filterTokens(['尊敬的', '领导', '，', '小区', '的', '路灯', '不亮', ' ', '!'])).toEqual(['小区', '路灯', '不亮']);
    expect(filterTokens(['3', '号楼', '2020'], { foldDigits: true })).toEqual(['0', '号楼', '0']);
    expect(isStopToken('——')).toBe(true);
  });
  it('filtered tokens are never stop tokens', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 }), (ts) => filterTokens(ts).every((t) => !isStopToken(t))));
  });
});

describe('placeNameVariants', () => {
  it('adds the short form without the administrative suffix', () => {
    expect(placeNameVariants('湛山街道')).toEqual(['湛山街道', '湛山']);
    expect(placeNameVariants('八大峡社区')).toEqual(['八大峡社区', '八大峡']);
    expect(placeNameVariants('香港中路')).toEqual(['香港中路']);
    expect(placeNameVariants('X社区')).toEqual(['x社区']);
    expect(placeNameVariants('  ')).toEqual([]);
  });
});
