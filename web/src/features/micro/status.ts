import type { MicroStatus } from './microApi';

export const STATUS_COLOR: Record<MicroStatus, string> = {
  submitted: 'blue',
  accepted: 'cyan',
  design: 'purple',
  construction: 'orange',
  completed: 'green',
  merged: 'default',
  rejected: 'default',
  not_selected: 'default',
};

/** The kinds of a proposal's log, in the order they can happen. */
export const STEP_KINDS = ['submitted', 'accepted', 'merged', 'rejected', 'entered_round', 'selected_by_vote', 'dropped_by_vote', 'design_started', 'construction_started', 'completed', 'linked'] as const;
export type StepKind = (typeof STEP_KINDS)[number];
export const isStepKind = (k: string): k is StepKind => (STEP_KINDS as readonly string[]).includes(k);
