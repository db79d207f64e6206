import { describe, expect, it } from 'vitest';
import { APPLICATION_EVENTS, APPLICATION_STATES, effectiveStatus, nextState, transition, type ApplicationEvent, type ApplicationState } from './application.machine.ts';

// Every (state, event) pair, stated explicitly: anything not listed is refused.
const ALLOWED: Record<string, ApplicationState> = {
  'submitted update': 'submitted',
  'submitted record_finding': 'submitted',
  'submitted decide_eligible': 'eligible',
  'submitted decide_not_eligible': 'not_eligible',
  'submitted withdraw': 'withdrawn',
  'eligible withdraw': 'withdrawn',
  'eligible renew': 'eligible',
};

describe('application machine', () => {
  for (const s of APPLICATION_STATES) {
    for (const e of APPLICATION_EVENTS) {
      const want = ALLOWED[`${s} ${e}`] ?? null;
      it(`${s} --${e}--> ${want ?? 'refused'}`, () => {
        expect(nextState(s, e as ApplicationEvent)).toBe(want);
        if (want) expect(transition(s, e)).toBe(want);
        else expect(() => transition(s, e)).toThrow(/cannot/);
      });
    }
  }
  it('refuses an unknown state', () => expect(() => transition('archived', 'withdraw')).toThrow());
  it('computes expiry on read', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(effectiveStatus('eligible', new Date('2026-06-01T00:00:00Z'), now)).toBe('expired');
    expect(effectiveStatus('eligible', new Date('2026-06-01T00:00:01Z'), now)).toBe('eligible');
    expect(effectiveStatus('eligible', null, now)).toBe('eligible');
    expect(effectiveStatus('not_eligible', new Date('2020-01-01'), now)).toBe('not_eligible');
    expect(effectiveStatus('withdrawn', new Date('2020-01-01'), now)).toBe('withdrawn');
  });
});
