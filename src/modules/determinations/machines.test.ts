import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { DETERMINATION_EVENTS, DETERMINATION_STATES, DETERMINATION_TRANSITIONS, determinationTransition } from './determination.machine.ts';
import { THRESHOLD_EVENTS, THRESHOLD_STATES, THRESHOLD_TRANSITIONS, thresholdTransition } from './threshold.machine.ts';

describe('threshold.machine', () => {
  const allowed: Record<string, string> = {
    'proposed consult': 'proposed',
    'proposed adopt': 'adopted',
    'proposed withdraw': 'withdrawn',
    'adopted supersede': 'superseded',
  };
  for (const s of THRESHOLD_STATES) {
    for (const e of THRESHOLD_EVENTS) {
      const key = `${s} ${e}`;
      it(`${key} → ${allowed[key] ?? 'refused'}`, () => {
        if (allowed[key]) expect(thresholdTransition(s, e)).toBe(allowed[key]);
        else expect(() => thresholdTransition(s, e)).toThrow(InvalidTransitionError);
      });
    }
  }
  it('has exactly the listed transitions and refuses unknown states', () => {
    const n = Object.values(THRESHOLD_TRANSITIONS).reduce((m, t) => m + Object.keys(t).length, 0);
    expect(n).toBe(Object.keys(allowed).length);
    expect(() => thresholdTransition('nonsense', 'adopt')).toThrow(InvalidTransitionError);
    try {
      thresholdTransition('superseded', 'adopt');
    } catch (e) {
      expect((e as InvalidTransitionError).status).toBe(409);
      expect((e as Error).message).toContain('cannot adopt from superseded');
    }
  });
  it('superseded and withdrawn are final', () => {
    for (const e of THRESHOLD_EVENTS) {
      expect(() => thresholdTransition('superseded', e)).toThrow();
      expect(() => thresholdTransition('withdrawn', e)).toThrow();
    }
  });
});

describe('determination.machine', () => {
  const allowed: Record<string, string> = {
    'draft edit': 'draft',
    'draft submit': 'in_signoff',
    'in_signoff reopen': 'draft',
    'in_signoff sign_off': 'in_signoff',
    'in_signoff decide': 'decided',
    'decided supersede': 'superseded',
  };
  for (const s of DETERMINATION_STATES) {
    for (const e of DETERMINATION_EVENTS) {
      const key = `${s} ${e}`;
      it(`${key} → ${allowed[key] ?? 'refused'}`, () => {
        if (allowed[key]) expect(determinationTransition(s, e)).toBe(allowed[key]);
        else expect(() => determinationTransition(s, e)).toThrow(InvalidTransitionError);
      });
    }
  }
  it('has exactly the listed transitions; a draft cannot be decided; unknown states are refused', () => {
    const n = Object.values(DETERMINATION_TRANSITIONS).reduce((m, t) => m + Object.keys(t).length, 0);
    expect(n).toBe(Object.keys(allowed).length);
    expect(() => determinationTransition('draft', 'decide')).toThrow(/cannot decide from draft/);
    expect(() => determinationTransition('', 'edit')).toThrow(InvalidTransitionError);
  });
});
