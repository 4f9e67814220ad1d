import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ACTS, EVENT_OF_ACT, STATUSES, decide, foldTicket, applyEvent, INITIAL_STATE, type TicketAct, type TicketEvent, type TicketState } from './lifecycle';

/** A plausible event for an act, enough to drive the fold. */
function eventFor(act: TicketAct, s: TicketState, i: number): TicketEvent {
  const at = new Date(Date.UTC(2026, 10, 23, 1) + i * 3_600_000).toISOString();
  const base = { at, actorId: null };
  const due = new Date(Date.UTC(2026, 11, 7)).toISOString();
  switch (act) {
    case 'dispatch': return { ...base, kind: 'dispatched', leadUnit: 'department:urban-management', assistingUnits: [], acceptDueAt: at, dueAt: due };
    case 'answerDirectly': return { ...base, kind: 'answered_directly', answer: 'a', resolution: 'resolved' };
    case 'accept': return { ...base, kind: 'accepted', unit: s.leadUnit ?? 'department:x' };
    case 'return': return { ...base, kind: 'returned', unit: s.leadUnit ?? 'department:x', reason: 'r' };
    case 'requestExtension': return { ...base, kind: 'extension_requested', unit: s.leadUnit ?? 'department:x', reason: 'r', workingDays: 3 };
    case 'decideExtension': return { ...base, kind: 'extension_decided', approved: i % 2 === 0, dueAt: due };
    case 'reply': return { ...base, kind: 'replied', unit: s.leadUnit ?? 'department:x', reply: 'r', resolution: 'resolved' };
    case 'followUp': return { ...base, kind: 'followed_up', rating: (['satisfied', 'dissatisfied', 'unreachable'] as const)[i % 3]! };
    case 'reopen': return { ...base, kind: 'reopened', reason: 'r', dueAt: due, acceptDueAt: at };
    case 'urge': return { ...base, kind: 'urged', note: 'n', level: 'unit' };
    case 'supervise': return { ...base, kind: 'supervised', note: 'n' };
    case 'merge': return { ...base, kind: 'merged', into: '00000000-0000-4000-8000-000000000001' };
    case 'callUnits': return { ...base, kind: 'units_called', units: ['department:health'], note: 'n', reportDueAt: due };
    case 'reportToCall': return { ...base, kind: 'call_reported', unit: 'department:health', role: 'assisting', late: false };
  }
}

describe('ticket lifecycle', () => {
  it('random act sequences never leave the lifecycle table, and the fold agrees step by step', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTS), { maxLength: 60 }), (acts) => {
        let state = INITIAL_STATE;
        const log: TicketEvent[] = [];
        acts.forEach((act, i) => {
          const d = decide(state, act);
          if (!d.ok) {
            expect(d.allowed).not.toContain(act);
            return;
          }
          const e = eventFor(act, state, i);
          expect(e.kind).toBe(EVENT_OF_ACT[act]);
          state = applyEvent(state, e);
          log.push(e);
          expect(STATUSES).toContain(state.status);
        });
        expect(foldTicket(log)).toEqual(state);
      }),
      { numRuns: 500 },
    );
  });

  it('a closed ticket only reopens after 不满意, and a merged one accepts nothing', () => {
    const closedHappy = foldTicket([eventFor('dispatch', INITIAL_STATE, 0), eventFor('accept', INITIAL_STATE, 1), eventFor('reply', INITIAL_STATE, 2), eventFor('followUp', INITIAL_STATE, 0)]);
    expect(closedHappy.status).toBe('closed');
    expect(decide(closedHappy, 'reopen').ok).toBe(false);
    const closedUnhappy = applyEvent({ ...closedHappy, status: 'replied' }, eventFor('followUp', closedHappy, 1));
    expect(closedUnhappy.rating).toBe('dissatisfied');
    expect(decide(closedUnhappy, 'reopen').ok).toBe(true);
    const merged = applyEvent(INITIAL_STATE, eventFor('merge', INITIAL_STATE, 0));
    for (const act of ACTS) expect(decide(merged, act).ok).toBe(false);
  });

  it('the clock is paused exactly while a return or an extension is pending', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTS), { maxLength: 40 }), (acts) => {
        let state = INITIAL_STATE;
        acts.forEach((act, i) => {
          if (!decide(state, act).ok) return;
          state = applyEvent(state, eventFor(act, state, i));
          const pending = state.status === 'returned' || state.status === 'extension_pending';
          if (pending) expect(state.pausedSince).not.toBeNull();
          if (state.status === 'dispatched' || state.status === 'in_progress') expect(state.pausedSince).toBeNull();
        });
      }),
      { numRuns: 300 },
    );
  });
});
