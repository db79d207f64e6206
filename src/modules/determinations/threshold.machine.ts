import { InvalidTransitionError } from '../../lib/errors.ts';

// Threshold governance: NSA proposes a version, ONCD and CISA record their positions while it is
// proposed, NSA adopts it (which supersedes the version adopted before). Every version stays on record.
export const THRESHOLD_STATES = ['proposed', 'adopted', 'superseded', 'withdrawn'] as const;
export type ThresholdState = (typeof THRESHOLD_STATES)[number];

export const THRESHOLD_EVENTS = ['consult', 'adopt', 'supersede', 'withdraw'] as const;
export type ThresholdEvent = (typeof THRESHOLD_EVENTS)[number];

export const THRESHOLD_TRANSITIONS: Readonly<Record<ThresholdState, Partial<Record<ThresholdEvent, ThresholdState>>>> = {
  proposed: { consult: 'proposed', adopt: 'adopted', withdraw: 'withdrawn' },
  adopted: { supersede: 'superseded' },
  superseded: {},
  withdrawn: {},
};

export function isThresholdState(s: string): s is ThresholdState {
  return (THRESHOLD_STATES as readonly string[]).includes(s);
}

export function thresholdTransition(state: string, event: ThresholdEvent): ThresholdState {
  const next = isThresholdState(state) ? THRESHOLD_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('threshold version', state, event);
  return next;
}
