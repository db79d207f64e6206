import { InvalidTransitionError } from '../../lib/errors.ts';

// A grant application: the applicant drafts and submits before the deadline; assigning the first
// reviewer starts review; the program officer awards or declines. The applicant may withdraw until
// a decision.
export const APPLICATION_STATES = ['draft', 'submitted', 'under_review', 'awarded', 'declined', 'withdrawn'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

export const APPLICATION_EVENTS = ['edit', 'submit', 'start_review', 'award', 'decline', 'withdraw'] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

export const APPLICATION_TRANSITIONS: Readonly<Record<ApplicationState, Partial<Record<ApplicationEvent, ApplicationState>>>> = {
  draft: { edit: 'draft', submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { start_review: 'under_review', withdraw: 'withdrawn' },
  under_review: { start_review: 'under_review', award: 'awarded', decline: 'declined', withdraw: 'withdrawn' },
  awarded: {},
  declined: {},
  withdrawn: {},
};

export function isApplicationState(s: string): s is ApplicationState {
  return (APPLICATION_STATES as readonly string[]).includes(s);
}

export function applicationTransition(state: string, event: ApplicationEvent): ApplicationState {
  const next = isApplicationState(state) ? APPLICATION_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('grant application', state, event);
  return next;
}
