import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25';
import { buildIndex, isExpired, isSuggestible, searchEntries, shanghaiDate, type KnowledgeDoc } from './knowledge';

const split = (s: string) => s.split(/\s+/).filter(Boolean);

describe('BM25', () => {
  const index = new Bm25Index();
  index.add('a', split('居住证 办理 材料 居住证 派出所'));
  index.add('b', split('医保 缴费 标准 灵活 就业'));
  index.add('c', split('居住证 续签 网上 办理'));
  index.add('d', split('养老 保险 缴费 年限 灵活 就业 人员 补缴 政策 说明 很长 的 一 段 文字'));

  it('ranks the document with more (and rarer) query terms first and names the matched terms', () => {
    const hits = index.search(split('居住证 办理 材料'));
    expect(hits.map((h) => h.id)).toEqual(['a', 'c']);
    expect(hits[0]!.matched).toContain('材料');
  });
  it('no shared term, no hit; an empty query finds nothing', () => {
    expect(index.search(split('停车'))).toEqual([]);
    expect(index.search([])).toEqual([]);
  });
  it('a shorter document with the same term frequency scores higher (length normalisation)', () => {
    const hits = index.search(split('灵活 就业'));
    expect(hits.map((h) => h.id)).toEqual(['b', 'd']);
  });
  it('adding a query term a document contains never lowers its score', () => {
    const vocab = ['居住证', '办理', '材料', '医保', '缴费', '灵活', '就业', '养老', '网上', '停车'];
    fc.assert(
      fc.property(fc.subarray(vocab, { minLength: 1 }), fc.constantFrom(...vocab), (q, extra) => {
        const before = new Map(index.search(q, 10).map((h) => [h.id, h.score]));
        for (const h of index.search([...q, extra], 10)) expect(h.score).toBeGreaterThanOrEqual((before.get(h.id) ?? 0) - 1e-12);
      }),
    );
  });
});

describe('knowledge rules', () => {
  const docs: KnowledgeDoc[] = [
    { id: 'k1', question: '居住证 怎么 办理', answer: '携带 身份证 到 派出所', keywords: ['居住证'], validUntil: '2026-12-31', retired: false },
    { id: 'k2', question: '居住证 过期 续签', answer: '网上 续签', keywords: [], validUntil: '2026-01-31', retired: false },
    { id: 'k3', question: '居住证 旧 政策', answer: '已 废止', keywords: [], validUntil: null, retired: true },
  ];
  const index = buildIndex(docs, split);
  const map = new Map(docs.map((d) => [d.id, d]));
  it('valid through the last day, expired from the next (Beijing calendar)', () => {
    expect(isExpired('2026-01-31', '2026-01-31')).toBe(false);
    expect(isExpired('2026-01-31', '2026-02-01')).toBe(true);
    expect(isExpired(null, '2099-01-01')).toBe(false);
    expect(shanghaiDate(new Date('2026-01-31T16:30:00Z'))).toBe('2026-02-01');
    expect(isSuggestible(docs[2]!, '2026-01-01')).toBe(false);
  });
  it('expired and retired entries are hidden from suggestions; expired ones can be listed', () => {
    const today = '2026-11-23';
    expect(searchEntries(index, map, split('居住证'), { today, limit: 5 }).map((h) => h.id)).toEqual(['k1']);
    expect(searchEntries(index, map, split('居住证'), { today, limit: 5, includeExpired: true }).map((h) => h.id).sort()).toEqual(['k1', 'k2']);
    const [best] = searchEntries(index, map, split('居住证 办理'), { today, limit: 5 });
    expect(best!.relative).toBe(1);
  });
});
