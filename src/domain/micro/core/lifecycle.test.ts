import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTS,
  ACTS_BY_STATUS,
  EVENT_OF_ACT,
  STATUSES,
  allowedActs,
  applyEvent,
  checkStageDate,
  decide,
  foldProposal,
  INITIAL_STATE,
  type ProposalAct,
  type ProposalEvent,
  type ProposalEventData,
  type ProposalState,
} from './lifecycle';

/** The event an allowed act writes, with a date that keeps stages in order. */
function eventFor(act: ProposalAct, day: number): ProposalEvent {
  const date = `2026-01-${String(day).padStart(2, '0')}`;
  const data: Record<ProposalAct, ProposalEventData> = {
    accept: { kind: 'accepted', reason: '采纳', date, costFen: 100 },
    merge: { kind: 'merged', reason: '合并', date, into: 'p2', intoNumber: 'WS2026-0002' },
    reject: { kind: 'rejected', reason: '不采纳', date },
    enterRound: { kind: 'entered_round', roundId: 'r1' },
    selectByVote: { kind: 'selected_by_vote', roundId: 'r1', votes: 3 },
    dropByVote: { kind: 'dropped_by_vote', roundId: 'r1', votes: 0 },
    startDesign: { kind: 'design_started', date, note: '' },
    startConstruction: { kind: 'construction_started', date, note: '' },
    completeAcceptance: { kind: 'completed', date, note: '' },
    link: { kind: 'linked', budgetLine: 'B-1', projectItemId: null, projectItemTitle: null },
  };
  return { ...data[act], at: `2026-01-${String(day).padStart(2, '0')}T02:00:00Z`, actorId: null };
}

/** Where each act leads (null: the status stays). */
const NEXT: Record<ProposalAct, ProposalState['status'] | null> = {
  accept: 'accepted',
  merge: 'merged',
  reject: 'rejected',
  enterRound: null,
  selectByVote: null,
  dropByVote: 'not_selected',
  startDesign: 'design',
  startConstruction: 'construction',
  completeAcceptance: 'completed',
  link: null,
};

describe('the proposal lifecycle', () => {
  it('every act writes its own event kind', () => {
    for (const act of ACTS) expect(eventFor(act, 1).kind).toBe(EVENT_OF_ACT[act]);
  });

  it('random act sequences stay within the table: refused acts change nothing, allowed ones lead where the table says', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTS), { maxLength: 40 }), (acts) => {
        let s = INITIAL_STATE;
        const log: ProposalEvent[] = [];
        for (const [i, act] of acts.entries()) {
          const d = decide(s, act);
          const table = ACTS_BY_STATUS[s.status] as readonly ProposalAct[];
          if (!d.ok) {
            expect(d.allowed.every((a) => table.includes(a))).toBe(true);
            expect(d.allowed).not.toContain(act);
            continue;
          }
          expect(table).toContain(act);
          const e = eventFor(act, Math.min(28, i + 1));
          const next = applyEvent(s, e);
          expect(next.status).toBe(NEXT[act] ?? s.status);
          log.push(e);
          s = next;
          expect(STATUSES).toContain(s.status);
        }
        // The projection is the fold of the log.
        expect(foldProposal(log)).toEqual(s);
      }),
      { numRuns: 500 },
    );
  });

  it('terminal statuses allow nothing; a proposal in a round waits for the tally', () => {
    for (const st of ['completed', 'merged', 'rejected'] as const) expect(allowedActs({ ...INITIAL_STATE, status: st })).toEqual([]);
    const accepted: ProposalState = { ...INITIAL_STATE, status: 'accepted' };
    expect(allowedActs(accepted)).toEqual(['enterRound', 'startDesign', 'link']);
    expect(allowedActs({ ...accepted, roundId: 'r1' })).toEqual(['selectByVote', 'dropByVote', 'link']);
    expect(decide(INITIAL_STATE, 'completeAcceptance')).toEqual({ ok: false, allowed: ['accept', 'merge', 'reject'] });
  });

  it('stage dates: not in the future, not before the previous stage', () => {
    const s: ProposalState = { ...INITIAL_STATE, status: 'accepted', lastStageDate: '2026-03-10' };
    expect(checkStageDate(s, '2026-03-10', '2026-04-01').ok).toBe(true);
    expect(checkStageDate(s, '2026-03-09', '2026-04-01')).toMatchObject({ ok: false, reason: 'before_previous' });
    expect(checkStageDate(s, '2026-04-02', '2026-04-01')).toMatchObject({ ok: false, reason: 'future' });
  });
});
