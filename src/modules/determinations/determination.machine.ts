import { InvalidTransitionError } from '../../lib/errors.ts';

// A determination: NSA drafts it (scores, compute, judgment, rationale), sends it for ONCD and CISA
// sign-off, and decides it. A newer decision for the same model supersedes the older one.
export const DETERMINATION_STATES = ['draft', 'in_signoff', 'decided', 'superseded'] as const;
export type DeterminationState = (typeof DETERMINATION_STATES)[number];

export const DETERMINATION_EVENTS = ['edit', 'submit', 'reopen', 'sign_off', 'decide', 'supersede'] as const;
export type DeterminationEvent = (typeof DETERMINATION_EVENTS)[number];

export const DETERMINATION_TRANSITIONS: Readonly<Record<DeterminationState, Partial<Record<DeterminationEvent, DeterminationState>>>> = {
  draft: { edit: 'draft', submit: 'in_signoff' },
  in_signoff: { reopen: 'draft', sign_off: 'in_signoff', decide: 'decided' },
  decided: { supersede: 'superseded' },
  superseded: {},
};

export function isDeterminationState(s: string): s is DeterminationState {
  return (DETERMINATION_STATES as readonly string[]).includes(s);
}

export function determinationTransition(state: string, event: DeterminationEvent): DeterminationState {
  const next = isDeterminationState(state) ? DETERMINATION_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('determination', state, event);
  return next;
}
