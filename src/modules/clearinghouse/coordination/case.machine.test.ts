import { describe, expect, it } from 'vitest';
import { acceptsWork, CASE_EVENTS, CASE_STATES, nextCaseState } from './case.machine.ts';

describe('case machine', () => {
  it('allows exactly close from open and reopen from closed', () => {
    const table = CASE_STATES.flatMap((s) => CASE_EVENTS.map((e) => [s, e, nextCaseState(s, e)] as const));
    expect(table).toEqual([
      ['open', 'close', 'closed'],
      ['open', 'reopen', null],
      ['closed', 'close', null],
      ['closed', 'reopen', 'open'],
    ]);
  });
  it('takes work only while open', () => {
    expect(acceptsWork('open')).toBe(true);
    expect(acceptsWork('closed')).toBe(false);
  });
});
