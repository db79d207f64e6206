import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { APPLICATION_EVENTS, APPLICATION_STATES, APPLICATION_TRANSITIONS, applicationTransition } from './application.machine.ts';
import { AWARD_EVENTS, AWARD_STATES, AWARD_TRANSITIONS, awardTransition } from './award.machine.ts';

describe('application machine (exhaustive)', () => {
  const expected: Record<string, Record<string, string>> = {
    draft: { edit: 'draft', submit: 'submitted', withdraw: 'withdrawn' },
    submitted: { start_review: 'under_review', withdraw: 'withdrawn' },
    under_review: { start_review: 'under_review', award: 'awarded', decline: 'declined', withdraw: 'withdrawn' },
    awarded: {},
    declined: {},
    withdrawn: {},
  };
  for (const s of APPLICATION_STATES)
    for (const e of APPLICATION_EVENTS) {
      const to = expected[s][e];
      it(`${s} --${e}--> ${to ?? 'refused'}`, () => {
        if (to) expect(applicationTransition(s, e)).toBe(to);
        else expect(() => applicationTransition(s, e)).toThrow(InvalidTransitionError);
      });
    }
  it('decisions are final and only reachable from review', () => {
    for (const s of APPLICATION_STATES) {
      if (APPLICATION_TRANSITIONS[s].award || APPLICATION_TRANSITIONS[s].decline) expect(s).toBe('under_review');
    }
    expect(() => applicationTransition('nonsense', 'edit')).toThrow(InvalidTransitionError);
  });
});

describe('award machine (exhaustive)', () => {
  const expected: Record<string, Record<string, string>> = {
    active: { plan: 'active', report: 'active', pay: 'active', begin_closeout: 'closing', terminate: 'terminated' },
    closing: { report: 'closing', pay: 'closing', reopen: 'active', close: 'closed' },
    closed: {},
    terminated: {},
  };
  for (const s of AWARD_STATES)
    for (const e of AWARD_EVENTS) {
      const to = expected[s][e];
      it(`${s} --${e}--> ${to ?? 'refused'}`, () => {
        if (to) expect(awardTransition(s, e)).toBe(to);
        else expect(() => awardTransition(s, e)).toThrow(InvalidTransitionError);
      });
    }
  it('closed and terminated are terminal', () => {
    expect(Object.keys(AWARD_TRANSITIONS.closed)).toHaveLength(0);
    expect(Object.keys(AWARD_TRANSITIONS.terminated)).toHaveLength(0);
  });
});
