/**
 * Vote rounds (票决) for a micro-project budget, pure.
 *
 * Ballot rule: a verified resident casts one ballot per round, choosing at least `minItems` and
 * at most `maxItems` distinct proposals of the round. The ballot's cost is not limited (the
 * budget is applied by the tally, as in 人大代表票决 of 民生实事 where each item is voted on).
 *
 * Tally rule (docs/adr/0036-micro-vote-tally.md): rank the proposals by votes, most first; ties
 * go to the cheaper proposal, then to the one proposed earlier, then by number. Walk the ranking
 * and select each proposal whose cost still fits in what is left of the budget; one that does
 * not fit is skipped and the walk goes on (a cheaper one further down may still fit). A proposal
 * with no votes is never selected. So the selected costs never exceed the budget, and the result
 * does not depend on the order the proposals or ballots came in.
 */

export interface RoundRules {
  budgetFen: number;
  minItems: number;
  maxItems: number;
}

export interface TallyCandidate {
  id: string;
  number: string;
  costFen: number;
  /** when it was proposed (ISO): the second tie-break */
  proposedAt: string;
}

export interface TallyLine extends TallyCandidate {
  votes: number;
  rank: number;
  selected: boolean;
  /** why it was not selected */
  reason: 'selected' | 'no_votes' | 'over_budget';
  /** budget left after this line was considered */
  remainingFen: number;
}

export interface TallyResult {
  budgetFen: number;
  spentFen: number;
  remainingFen: number;
  ballots: number;
  lines: TallyLine[];
}

export type BallotCheck =
  | { ok: true }
  | { ok: false; reason: 'too_few' | 'too_many' | 'duplicate' | 'not_in_round'; detail: { min: number; max: number; given: number; unknown?: string[] } };

export function checkBallot(rules: RoundRules, roundProposalIds: readonly string[], choices: readonly string[]): BallotCheck {
  const detail = { min: rules.minItems, max: rules.maxItems, given: choices.length };
  if (new Set(choices).size !== choices.length) return { ok: false, reason: 'duplicate', detail };
  const inRound = new Set(roundProposalIds);
  const unknown = choices.filter((c) => !inRound.has(c));
  if (unknown.length > 0) return { ok: false, reason: 'not_in_round', detail: { ...detail, unknown } };
  if (choices.length < rules.minItems) return { ok: false, reason: 'too_few', detail };
  if (choices.length > rules.maxItems) return { ok: false, reason: 'too_many', detail };
  return { ok: true };
}

/** Whether the rules of a round make sense for its proposals. */
export function checkRules(rules: RoundRules, proposals: number): { ok: true } | { ok: false; reason: 'budget' | 'min' | 'max' | 'too_few_proposals' } {
  if (!Number.isSafeInteger(rules.budgetFen) || rules.budgetFen <= 0) return { ok: false, reason: 'budget' };
  if (!Number.isInteger(rules.minItems) || rules.minItems < 1) return { ok: false, reason: 'min' };
  if (!Number.isInteger(rules.maxItems) || rules.maxItems < rules.minItems) return { ok: false, reason: 'max' };
  if (proposals < 2 || proposals < rules.maxItems) return { ok: false, reason: 'too_few_proposals' };
  return { ok: true };
}

export function compareForTally(a: TallyCandidate & { votes: number }, b: TallyCandidate & { votes: number }): number {
  if (a.votes !== b.votes) return b.votes - a.votes;
  if (a.costFen !== b.costFen) return a.costFen - b.costFen;
  if (a.proposedAt !== b.proposedAt) return a.proposedAt < b.proposedAt ? -1 : 1;
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

export function tally(budgetFen: number, candidates: readonly TallyCandidate[], ballots: readonly (readonly string[])[]): TallyResult {
  const votes = new Map<string, number>(candidates.map((c) => [c.id, 0]));
  for (const b of ballots) for (const id of new Set(b)) if (votes.has(id)) votes.set(id, votes.get(id)! + 1);
  const ranked = candidates.map((c) => ({ ...c, votes: votes.get(c.id)! })).sort(compareForTally);
  let remaining = budgetFen;
  const lines: TallyLine[] = ranked.map((c, i) => {
    let reason: TallyLine['reason'];
    if (c.votes === 0) reason = 'no_votes';
    else if (c.costFen <= remaining) {
      reason = 'selected';
      remaining -= c.costFen;
    } else reason = 'over_budget';
    return { ...c, rank: i + 1, selected: reason === 'selected', reason, remainingFen: remaining };
  });
  return { budgetFen, spentFen: budgetFen - remaining, remainingFen: remaining, ballots: ballots.length, lines };
}
