import { describe, expect, it } from 'vitest';
import { canTransition, FINAL_STATES, isFinal, RUN_EVENTS, RUN_STATES, RUN_TRANSITIONS, runTransition } from './evaluation-run.machine.ts';

const EXPECTED: Record<string, Record<string, string>> = {
  queued: { start: 'running', fail: 'failed', cancel: 'cancelled', stop: 'stopped' },
  running: { start: 'running', complete: 'completed', fail: 'failed', cancel: 'cancelled', stop: 'stopped', requeue: 'running' },
  completed: {},
  failed: {},
  cancelled: {},
  stopped: {},
};

describe('evaluation run machine', () => {
  for (const s of RUN_STATES) {
    for (const e of RUN_EVENTS) {
      const want = EXPECTED[s][e];
      it(`${s} --${e}--> ${want ?? 'refused'}`, () => {
        if (want) {
          expect(runTransition(s, e)).toBe(want);
          expect(canTransition(s, e)).toBe(true);
        } else {
          expect(() => runTransition(s, e)).toThrow(/cannot/);
          expect(canTransition(s, e)).toBe(false);
        }
      });
    }
  }
  it('final states have no way out, and only they are final', () => {
    for (const s of RUN_STATES) expect(isFinal(s)).toBe(FINAL_STATES.includes(s));
    for (const s of FINAL_STATES) expect(Object.keys(RUN_TRANSITIONS[s])).toEqual([]);
  });
  it('refuses unknown states', () => {
    expect(() => runTransition('paused', 'start')).toThrow();
    expect(isFinal('paused')).toBe(false);
  });
});
