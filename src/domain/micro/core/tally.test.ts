import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkBallot, checkRules, compareForTally, tally, type TallyCandidate } from './tally';
import { checkCost, MAX_COST_FEN } from './rules';

const candidates = fc
  .uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 12 })
  .chain((ns) =>
    fc.tuple(
      ...ns.map((n) =>
        fc.record({
          id: fc.constant(`p${n}`),
          number: fc.constant(`WS2026-${String(n).padStart(4, '0')}`),
          costFen: fc.integer({ min: 1, max: 5_000_000 }),
          proposedAt: fc.integer({ min: 0, max: 30 }).map((d) => `2026-01-${String(d + 1).padStart(2, '0')}T00:00:00.000Z`),
        }),
      ),
    ),
  );

const round = candidates.chain((cs) =>
  fc.record({
    cs: fc.constant(cs as TallyCandidate[]),
    budget: fc.integer({ min: 1, max: 20_000_000 }),
    ballots: fc.array(fc.subarray(cs.map((c) => c.id), { minLength: 1 }), { maxLength: 40 }),
  }),
);

describe('the vote tally', () => {
  it('never spends more than the budget, selects only proposals with votes, and skips only what no longer fits', () => {
    fc.assert(
      fc.property(round, ({ cs, budget, ballots }) => {
        const r = tally(budget, cs, ballots);
        const selected = r.lines.filter((l) => l.selected);
        const spent = selected.reduce((a, l) => a + l.costFen, 0);
        expect(spent).toBe(r.spentFen);
        expect(spent).toBeLessThanOrEqual(budget);
        expect(r.remainingFen).toBe(budget - spent);
        expect(r.lines).toHaveLength(cs.length);
        let left = budget;
        for (const l of r.lines) {
          if (l.selected) {
            expect(l.votes).toBeGreaterThan(0);
            left -= l.costFen;
          } else if (l.reason === 'over_budget') expect(l.costFen).toBeGreaterThan(left);
          else expect(l.votes).toBe(0);
        }
        // Ranked by votes, then the tie-breaks.
        for (let i = 1; i < r.lines.length; i++) expect(compareForTally(r.lines[i - 1]!, r.lines[i]!)).toBeLessThanOrEqual(0);
        // Votes add up to the ballots' choices.
        expect(r.lines.reduce((a, l) => a + l.votes, 0)).toBe(ballots.reduce((a, b) => a + b.length, 0));
      }),
      { numRuns: 400 },
    );
  });

  it('does not depend on the order of proposals or ballots', () => {
    fc.assert(
      fc.property(round, fc.integer(), ({ cs, budget, ballots }, seed) => {
        const shuffle = <T>(xs: T[]) => xs.map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((p) => p.x);
        const a = tally(budget, cs, ballots);
        const b = tally(budget, shuffle([...cs]), shuffle([...ballots]));
        expect(b.lines.map((l) => [l.id, l.selected])).toEqual(a.lines.map((l) => [l.id, l.selected]));
      }),
      { numRuns: 200 },
    );
  });

  it('ties go to the cheaper proposal, then the earlier one', () => {
    const r = tally(100, [
      { id: 'a', number: 'WS2026-0001', costFen: 60, proposedAt: '2026-01-01T00:00:00.000Z' },
      { id: 'b', number: 'WS2026-0002', costFen: 50, proposedAt: '2026-01-02T00:00:00.000Z' },
      { id: 'c', number: 'WS2026-0003', costFen: 50, proposedAt: '2026-01-01T00:00:00.000Z' },
    ], [['a', 'b', 'c']]);
    expect(r.lines.map((l) => `${l.id}:${l.selected}`)).toEqual(['c:true', 'b:true', 'a:false']);
  });

  it('a ballot respects the min and max items, has no duplicates and only the round\'s proposals', () => {
    const ids = ['a', 'b', 'c', 'd'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.array(fc.constantFrom(...ids, 'x'), { maxLength: 6 }), (min, extra, choices) => {
        const max = Math.min(4, min + extra);
        const c = checkBallot({ budgetFen: 1, minItems: min, maxItems: max }, ids, choices);
        const valid = new Set(choices).size === choices.length && choices.every((x) => ids.includes(x)) && choices.length >= min && choices.length <= max;
        expect(c.ok).toBe(valid);
      }),
    );
  });

  it('round rules and costs', () => {
    expect(checkRules({ budgetFen: 0, minItems: 1, maxItems: 1 }, 3)).toMatchObject({ ok: false, reason: 'budget' });
    expect(checkRules({ budgetFen: 10, minItems: 2, maxItems: 1 }, 3)).toMatchObject({ ok: false, reason: 'max' });
    expect(checkRules({ budgetFen: 10, minItems: 1, maxItems: 4 }, 3)).toMatchObject({ ok: false, reason: 'too_few_proposals' });
    expect(checkRules({ budgetFen: 10, minItems: 1, maxItems: 3 }, 3).ok).toBe(true);
    expect(checkCost(0)).toMatchObject({ ok: false, reason: 'not_positive' });
    expect(checkCost(1.5)).toMatchObject({ ok: false, reason: 'not_integer' });
    expect(checkCost(MAX_COST_FEN + 1)).toMatchObject({ ok: false, reason: 'too_large' });
    expect(checkCost(MAX_COST_FEN).ok).toBe(true);
  });
});
