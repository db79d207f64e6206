import { InvalidTransitionError } from '../../lib/errors.ts';

// A review window's life. It is the developer's opt-in: it opens when the developer opens it and
// ends by time, by the developer ending it early, by the developer's release date arriving, or by
// the developer withdrawing from the framework. No event here can be caused by anyone else, and no
// state holds a release back: there is no "approved" or "blocked" state because there is nothing to
// approve.

export const WINDOW_STATES = ['open', 'closed', 'withdrawn'] as const;
export type WindowState = (typeof WINDOW_STATES)[number];

export const WINDOW_EVENTS = [
  /** closes_at arrived (job or catch-up sweep) */
  'expire',
  /** the developer ended the window now */
  'end_early',
  /** the developer's (possibly moved) release date arrived */
  'release_reached',
  /** the developer withdrew the model from the framework */
  'withdraw',
  /** the developer moved closes_at earlier (directly or by moving its release earlier) */
  'shorten',
  /** the developer revoked one agency's grant */
  'revoke_grant',
] as const;
export type WindowEvent = (typeof WINDOW_EVENTS)[number];

/** Why a window stopped, as stored in review_windows.close_reason. */
export const CLOSE_REASONS: Partial<Record<WindowEvent, string>> = {
  expire: 'expired',
  end_early: 'ended_by_developer',
  release_reached: 'release_reached',
  withdraw: 'withdrawn_from_framework',
};

export const WINDOW_TRANSITIONS: Record<WindowState, Partial<Record<WindowEvent, WindowState>>> = {
  open: { expire: 'closed', end_early: 'closed', release_reached: 'closed', withdraw: 'withdrawn', shorten: 'open', revoke_grant: 'open' },
  closed: {},
  withdrawn: {},
};

export function isWindowState(s: string): s is WindowState {
  return (WINDOW_STATES as readonly string[]).includes(s);
}

export function canTransition(state: string, event: WindowEvent): boolean {
  return isWindowState(state) && WINDOW_TRANSITIONS[state][event] !== undefined;
}

/** The next state, or an InvalidTransitionError (409 problem) naming the state and the event. */
export function transition(state: string, event: WindowEvent): WindowState {
  const next = isWindowState(state) ? WINDOW_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('review window', state, event);
  return next;
}
