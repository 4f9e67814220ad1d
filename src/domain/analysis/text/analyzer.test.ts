import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TextAnalyzer } from './analyzer';
import { STOP_WORDS } from '../core/text';

const analyzer = new TextAnalyzer({ places: ['湛山街道', '八大峡社区', '香港中路'], terms: ['占道经营', '路灯不亮', '餐饮油烟'] });
const plain = new TextAnalyzer();

describe('TextAnalyzer', () => {
  it('keeps district place names and category terms whole (user dictionary)', () => {
    const s = '湛山街道八大峡社区香港中路路灯不亮，占道经营严重';
    expect(analyzer.tokens(s)).toEqual(['湛山街道', '八大峡社区', '香港中路', '路灯不亮', '占道经营', '严重']);
    // Without the dictionary jieba splits them.
    expect(plain.tokens(s)).not.toContain('八大峡社区');
    expect(plain.tokens(s)).not.toContain('占道经营');
  });
  it('recognises the short form of a place name', () => {
    expect(analyzer.tokens('八大峡那边油烟很大')).toContain('八大峡');
  });
  it('normalises before cutting (full width, traditional script)', () => {
    expect(analyzer.tokens('湛山街道噪聲擾民ＡＢＣ')).toEqual(['湛山街道', '噪声', '扰民', 'abc']);
  });
  it('drops stop words and punctuation', () => {
    const t = analyzer.tokens('尊敬的领导您好：我们小区的路灯不亮了，希望尽快解决！谢谢');
    expect(t).toEqual(['小区', '路灯不亮']);
  });
  it('never returns a stop word, a space or an empty token, and every token comes from the normalised text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'湛山街道路灯不亮的了我们小区噪声扰民，。 ab1２'), maxLength: 40 }), (s) => {
        const norm = analyzer.normalize(s);
        return analyzer.tokens(s).every((t) => t.length > 0 && !STOP_WORDS.has(t) && !/\s/.test(t) && norm.includes(t));
      }),
      { numRuns: 200 },
    );
  });
  it('exposes character n-grams', () => {
    expect(analyzer.charNgrams('油烟扰民', 2)).toEqual(['油烟', '烟扰', '扰民']);
  });
  it('lists its user words, with short forms', () => {
    expect(analyzer.userWords).toContain('湛山');
    expect(analyzer.userWords).toContain('占道经营');
  });
});
