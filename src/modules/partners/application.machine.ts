import { InvalidTransitionError } from '../../lib/errors.ts';

// The life of a partner application. Expiry of eligibility is a time, not a state: it is computed on
// read (effectiveStatus), so an application never needs a job to expire.
export const APPLICATION_STATES = ['submitted', 'eligible', 'not_eligible', 'withdrawn'] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];
export const APPLICATION_EVENTS = ['update', 'record_finding', 'decide_eligible', 'decide_not_eligible', 'withdraw', 'renew'] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

const TRANSITIONS: Record<ApplicationState, Partial<Record<ApplicationEvent, ApplicationState>>> = {
  submitted: { update: 'submitted', record_finding: 'submitted', decide_eligible: 'eligible', decide_not_eligible: 'not_eligible', withdraw: 'withdrawn' },
  // Renewal creates a new application linked to this one; this one keeps its state until it expires.
  eligible: { withdraw: 'withdrawn', renew: 'eligible' },
  not_eligible: {},
  withdrawn: {},
};

export function nextState(from: ApplicationState, event: ApplicationEvent): ApplicationState | null {
  return TRANSITIONS[from][event] ?? null;
}

export function transition(from: string, event: ApplicationEvent): ApplicationState {
  const to = (APPLICATION_STATES as readonly string[]).includes(from) ? nextState(from as ApplicationState, event) : null;
  if (!to) throw new InvalidTransitionError('partner application', from, event);
  return to;
}

export type EffectiveStatus = ApplicationState | 'expired';

export function effectiveStatus(status: string, eligibleUntil: Date | null, now: Date): EffectiveStatus {
  if (status === 'eligible' && eligibleUntil && eligibleUntil.getTime() <= now.getTime()) return 'expired';
  return status as ApplicationState;
}
