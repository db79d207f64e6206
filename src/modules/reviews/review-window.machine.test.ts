import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { canTransition, CLOSE_REASONS, transition, WINDOW_EVENTS, WINDOW_STATES, WINDOW_TRANSITIONS, type WindowEvent, type WindowState } from './review-window.machine.ts';

const EXPECTED: Record<WindowState, Partial<Record<WindowEvent, WindowState>>> = {
  open: { expire: 'closed', end_early: 'closed', release_reached: 'closed', withdraw: 'withdrawn', shorten: 'open', revoke_grant: 'open' },
  closed: {},
  withdrawn: {},
};

describe('review window state machine', () => {
  for (const state of WINDOW_STATES) {
    for (const event of WINDOW_EVENTS) {
      const next = EXPECTED[state][event];
      it(`${state} × ${event} → ${next ?? 'refused'}`, () => {
        expect(canTransition(state, event)).toBe(next !== undefined);
        if (next) expect(transition(state, event)).toBe(next);
        else {
          expect(() => transition(state, event)).toThrow(InvalidTransitionError);
          try {
            transition(state, event);
          } catch (e) {
            expect((e as InvalidTransitionError).status).toBe(409);
            expect((e as Error).message).toBe(`review window: cannot ${event} from ${state}.`);
          }
        }
      });
    }
  }

  it('refuses every event from an unknown state', () => {
    for (const event of WINDOW_EVENTS) expect(() => transition('approved', event)).toThrow(InvalidTransitionError);
  });

  it('has exactly the expected table, with no state that holds a release back', () => {
    expect(WINDOW_TRANSITIONS).toEqual(EXPECTED);
    expect([...WINDOW_STATES].sort()).toEqual(['closed', 'open', 'withdrawn']);
    for (const s of WINDOW_STATES) expect(s).not.toMatch(/approv|block|hold|pend|licen|permit|clear/);
  });

  it('names a close reason for every ending event', () => {
    for (const e of ['expire', 'end_early', 'release_reached', 'withdraw'] as const) expect(CLOSE_REASONS[e]).toBeTruthy();
  });

  it('terminal states are terminal', () => {
    for (const s of ['closed', 'withdrawn'] as const) for (const e of WINDOW_EVENTS) expect(canTransition(s, e)).toBe(false);
  });
});
