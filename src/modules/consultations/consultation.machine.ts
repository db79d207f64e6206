import { InvalidTransitionError } from '../../lib/errors.ts';

// A risk consultation's life: the developer opens it, an assigned agency analyst takes it, NSA
// answers it, and it is closed. The developer may withdraw it at any time before it ends. Nothing
// here touches the model's release: a consultation is advice the developer asked for, never a gate.

export const CONSULTATION_STATES = ['open', 'in_review', 'answered', 'closed', 'withdrawn'] as const;
export type ConsultationState = (typeof CONSULTATION_STATES)[number];

export const CONSULTATION_EVENTS = ['take', 'answer', 'close', 'withdraw'] as const;
export type ConsultationEvent = (typeof CONSULTATION_EVENTS)[number];

export const TRANSITIONS: Readonly<Record<ConsultationState, Partial<Record<ConsultationEvent, ConsultationState>>>> = {
  open: { take: 'in_review', withdraw: 'withdrawn' },
  in_review: { answer: 'answered', withdraw: 'withdrawn' },
  answered: { close: 'closed', withdraw: 'withdrawn' },
  closed: {},
  withdrawn: {},
};

export const TERMINAL_STATES: readonly ConsultationState[] = ['closed', 'withdrawn'];

export function isConsultationState(s: string): s is ConsultationState {
  return (CONSULTATION_STATES as readonly string[]).includes(s);
}

export function isTerminal(s: ConsultationState): boolean {
  return TERMINAL_STATES.includes(s);
}

export function canTransition(state: ConsultationState, event: ConsultationEvent): boolean {
  return TRANSITIONS[state][event] !== undefined;
}

/** The next state, or a 409 invalid-transition problem. */
export function transition(state: string, event: ConsultationEvent): ConsultationState {
  const next = isConsultationState(state) ? TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('consultation', state, event);
  return next;
}
