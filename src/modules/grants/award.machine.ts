import { InvalidTransitionError } from '../../lib/errors.ts';

// An award: active while milestones are delivered and paid; closeout is asked for once every
// milestone is accepted, and completed by the program officer (or the award is reopened). An award
// may be terminated while active.
export const AWARD_STATES = ['active', 'closing', 'closed', 'terminated'] as const;
export type AwardState = (typeof AWARD_STATES)[number];

export const AWARD_EVENTS = ['plan', 'report', 'pay', 'begin_closeout', 'reopen', 'close', 'terminate'] as const;
export type AwardEvent = (typeof AWARD_EVENTS)[number];

export const AWARD_TRANSITIONS: Readonly<Record<AwardState, Partial<Record<AwardEvent, AwardState>>>> = {
  active: { plan: 'active', report: 'active', pay: 'active', begin_closeout: 'closing', terminate: 'terminated' },
  // A final report and final payments still arrive during closeout.
  closing: { report: 'closing', pay: 'closing', reopen: 'active', close: 'closed' },
  closed: {},
  terminated: {},
};

export function isAwardState(s: string): s is AwardState {
  return (AWARD_STATES as readonly string[]).includes(s);
}

export function awardTransition(state: string, event: AwardEvent): AwardState {
  const next = isAwardState(state) ? AWARD_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('award', state, event);
  return next;
}
