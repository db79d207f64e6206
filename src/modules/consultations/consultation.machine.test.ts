import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { CONSULTATION_EVENTS, CONSULTATION_STATES, canTransition, isTerminal, transition, type ConsultationEvent, type ConsultationState } from './consultation.machine.ts';

const EXPECTED: Record<string, ConsultationState> = {
  'open/take': 'in_review',
  'open/withdraw': 'withdrawn',
  'in_review/answer': 'answered',
  'in_review/withdraw': 'withdrawn',
  'answered/close': 'closed',
  'answered/withdraw': 'withdrawn',
};

describe('consultation machine', () => {
  for (const s of CONSULTATION_STATES) {
    for (const e of CONSULTATION_EVENTS) {
      const key = `${s}/${e}`;
      it(`${key} → ${EXPECTED[key] ?? '409'}`, () => {
        if (EXPECTED[key]) {
          expect(transition(s, e)).toBe(EXPECTED[key]);
          expect(canTransition(s, e)).toBe(true);
        } else {
          expect(() => transition(s, e)).toThrow(InvalidTransitionError);
          expect(canTransition(s, e)).toBe(false);
          try {
            transition(s, e);
          } catch (err) {
            expect((err as InvalidTransitionError).status).toBe(409);
            expect((err as InvalidTransitionError).slug).toBe('invalid-transition');
          }
        }
      });
    }
  }

  it('the developer can withdraw from every non-terminal state, and terminal states are final', () => {
    for (const s of CONSULTATION_STATES) {
      expect(canTransition(s, 'withdraw')).toBe(!isTerminal(s));
      if (isTerminal(s)) for (const e of CONSULTATION_EVENTS) expect(canTransition(s, e)).toBe(false);
    }
  });

  it('every state is reachable from open', () => {
    const seen = new Set<ConsultationState>(['open']);
    let frontier: ConsultationState[] = ['open'];
    while (frontier.length) {
      const next: ConsultationState[] = [];
      for (const s of frontier)
        for (const e of CONSULTATION_EVENTS as readonly ConsultationEvent[])
          if (canTransition(s, e)) {
            const t = transition(s, e);
            if (!seen.has(t)) (seen.add(t), next.push(t));
          }
      frontier = next;
    }
    expect([...seen].sort()).toEqual([...CONSULTATION_STATES].sort());
  });

  it('an unknown state is refused', () => {
    expect(() => transition('approved', 'take')).toThrow(InvalidTransitionError);
  });
});
