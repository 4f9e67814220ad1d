import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestKeyTerms, scoreReply } from './reply';

const tokenize = (s: string) => s.split(/[\s，。！？、]+/).filter((w) => w.length >= 2);
const title = '幸福里小区 路灯 不亮';
const body = '幸福里小区 3号楼 门口 路灯 已经 一个月 不亮 晚上 出行 不便';
const keys = requestKeyTerms(title, body, tokenize, () => 1);
const score = (reply: string, elapsedDays = 3) => scoreReply({ title, body, reply, elapsedDays, limitDays: 15 }, keys.keyTerms, keys.titleTerms);

const GOOD =
  '您好！您反映的幸福里小区3号楼门口路灯不亮的问题已收悉。经现场核实，该路灯线路老化导致不亮。我街道已安排维修人员于11月25日更换线路，路灯已恢复照明，出行不便的问题已解决。如有疑问请联系街道城管科，电话0532-00000000。';

describe('reply quality', () => {
  it('a complete, relevant, timely reply scores high with no flags', () => {
    const s = score(GOOD);
    expect(s.elements).toEqual({ addresses: true, facts: true, action: true, time: true, contact: true });
    expect(s.score).toBeGreaterThanOrEqual(85);
    expect(s.weak).toBe(false);
    expect(s.flags).toEqual([]);
  });
  it('"已收悉" alone is boilerplate, flagged with its reason', () => {
    const s = score('网友：您好！留言已收悉');
    expect(s.flags).toContain('boilerplate');
    expect(s.weak).toBe(true);
    expect(s.score).toBeLessThanOrEqual(15);
    expect(s.reasons.find((r) => r.flag === 'boilerplate')!.zh).toContain('收悉');
  });
  it('a referral is flagged; an off-topic reply is flagged', () => {
    expect(score('请向当地民政部门咨询。').flags).toContain('referral_only');
    expect(score('经调查，该企业已依法办理营业执照，经营合法，我局将继续加强监管，如有疑问请拨打电话12345，将在5个工作日内回复。').flags).toContain('off_topic');
  });
  it('quoting the title back does not make a reply relevant', () => {
    const s = score(`您反映的“${title.replace(/\s/g, '')}”问题已收到，我们将研究。`);
    expect(s.relevance).toBeLessThan(0.5);
  });
  it('a late reply is flagged and scores lower than the same reply on time; timeliness never rises with delay', () => {
    expect(score(GOOD, 40).flags).toContain('late');
    expect(score(GOOD, 40).score).toBeLessThan(score(GOOD, 3).score);
    fc.assert(fc.property(fc.double({ min: 0, max: 400, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (d, more) => {
      expect(score(GOOD, d + more).timeliness).toBeLessThanOrEqual(score(GOOD, d).timeliness);
    }), { numRuns: 50 });
  });
  it('the score stays in [0, 100] for any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), fc.double({ min: 0, max: 1000, noNaN: true }), (reply, d) => {
      const s = score(reply, d);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(100);
    }), { numRuns: 100 });
  });
  it('the signature date at the end is not a time commitment', () => {
    expect(score('经核实，路灯已修复。2019年5月9日').elements.time).toBe(false);
  });
});
