import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { canTransition, MANAGER_ONLY, REASON_REQUIRED, transition, WORKSTREAM_EVENTS, WORKSTREAM_STATES, WORKSTREAM_TRANSITIONS, type WorkstreamEvent, type WorkstreamState } from './assessment-workstream.machine.ts';
import { dueViolation, workstreamMarking } from './assessment.fns.ts';

const EXPECTED: Record<WorkstreamState, Partial<Record<WorkstreamEvent, WorkstreamState>>> = {
  planned: { start: 'in_progress', cancel: 'cancelled' },
  in_progress: { block: 'blocked', complete: 'done', cancel: 'cancelled' },
  blocked: { unblock: 'in_progress', cancel: 'cancelled' },
  done: {},
  cancelled: {},
};

describe('workstream state machine', () => {
  for (const state of WORKSTREAM_STATES) {
    for (const event of WORKSTREAM_EVENTS) {
      const next = EXPECTED[state][event];
      it(`${state} × ${event} → ${next ?? 'refused'}`, () => {
        expect(canTransition(state, event)).toBe(next !== undefined);
        if (next) expect(transition(state, event)).toBe(next);
        else expect(() => transition(state, event)).toThrow(InvalidTransitionError);
      });
    }
  }
  it('has exactly the expected table; done and cancelled are terminal', () => {
    expect(WORKSTREAM_TRANSITIONS).toEqual(EXPECTED);
    for (const e of WORKSTREAM_EVENTS) expect(canTransition('done', e) || canTransition('cancelled', e)).toBe(false);
    expect(() => transition('unknown', 'start')).toThrow(InvalidTransitionError);
  });
  it('cancelling is the planners’; blocking and cancelling say why', () => {
    expect([...MANAGER_ONLY]).toEqual(['cancel']);
    expect([...REASON_REQUIRED].sort()).toEqual(['block', 'cancel']);
  });
});

describe('assessment rules', () => {
  const w = { opensAt: new Date('2026-06-01T00:00:00Z'), closesAt: new Date('2026-06-30T00:00:00Z') };
  it('keeps due dates inside the window (bounds included)', () => {
    expect(dueViolation(w.opensAt, w)).toBeNull();
    expect(dueViolation(w.closesAt, w)).toBeNull();
    expect(dueViolation(new Date('2026-06-15T00:00:00Z'), w)).toBeNull();
    expect(dueViolation(new Date(w.opensAt.getTime() - 1), w)).toMatch(/on or after/);
    expect(dueViolation(new Date(w.closesAt.getTime() + 1), w)).toMatch(/no later than/);
  });
  it('marks the classified benchmark at least SECRET//BENCH and everything at least CUI', () => {
    expect(workstreamMarking('classified_benchmark', null)).toEqual({ classification: 3, compartments: ['BENCH'] });
    expect(workstreamMarking('classified_benchmark', { classification: 4, compartments: ['X1'] })).toEqual({ classification: 4, compartments: ['BENCH', 'X1'] });
    expect(workstreamMarking('safeguard_red_teaming', null)).toEqual({ classification: 1, compartments: [] });
    expect(workstreamMarking('safeguard_red_teaming', { classification: 0, compartments: [] })).toEqual({ classification: 1, compartments: [] });
    expect(workstreamMarking('deployment_security_review', { classification: 3, compartments: [] })).toEqual({ classification: 3, compartments: [] });
  });
});
