import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { canTransition, DEVELOPER_VISIBLE, EVENT_PARTY, eventsFor, FINDING_EVENTS, FINDING_STATES, FINDING_TRANSITIONS, NOTE_REQUIRED, transition, type FindingEvent, type FindingState } from './finding.machine.ts';

const ANSWERS = { accept: 'accepted', dispute: 'disputed', mitigate: 'mitigated' } as const;
const EXPECTED: Record<FindingState, Partial<Record<FindingEvent, FindingState>>> = {
  draft: { file: 'filed', withdraw: 'withdrawn' },
  filed: { share: 'shared', withdraw: 'withdrawn' },
  shared: { ...ANSWERS, close: 'closed', withdraw: 'withdrawn' },
  accepted: { dispute: 'disputed', mitigate: 'mitigated', close: 'closed' },
  disputed: { accept: 'accepted', mitigate: 'mitigated', close: 'closed' },
  mitigated: { verify: 'verified', reject_mitigation: 'reopened' },
  verified: { close: 'closed', reopen: 'reopened' },
  reopened: { ...ANSWERS, close: 'closed' },
  closed: { reopen: 'reopened' },
  withdrawn: {},
};

describe('finding state machine', () => {
  for (const state of FINDING_STATES) {
    for (const event of FINDING_EVENTS) {
      const next = EXPECTED[state][event];
      it(`${state} × ${event} → ${next ?? 'refused'}`, () => {
        expect(canTransition(state, event)).toBe(next !== undefined);
        if (next) expect(transition(state, event)).toBe(next);
        else {
          expect(() => transition(state, event)).toThrow(InvalidTransitionError);
          expect(() => transition(state, event)).toThrow(`finding: cannot ${event} from ${state}.`);
        }
      });
    }
  }

  it('has exactly the expected table', () => {
    expect(FINDING_TRANSITIONS).toEqual(EXPECTED);
  });

  it('refuses every event from an unknown state', () => {
    for (const e of FINDING_EVENTS) expect(() => transition('blocking_release', e)).toThrow(InvalidTransitionError);
  });

  it('has no state that holds a release back', () => {
    for (const s of FINDING_STATES) expect(s).not.toMatch(/block|hold|approv|licen|permit|embargo/);
  });

  it('lets the developer only answer, and only after the finding was shared with it', () => {
    const developerEvents = FINDING_EVENTS.filter((e) => EVENT_PARTY[e] === 'developer');
    expect(developerEvents.sort()).toEqual(['accept', 'dispute', 'mitigate']);
    for (const s of FINDING_STATES) {
      const ev = eventsFor(s, 'developer');
      if (ev.length) expect(DEVELOPER_VISIBLE.has(s)).toBe(true);
    }
    expect(eventsFor('filed', 'developer')).toEqual([]);
    expect(eventsFor('shared', 'developer')).toEqual(['accept', 'dispute', 'mitigate']);
    expect(eventsFor('mitigated', 'reviewer')).toEqual(['verify', 'reject_mitigation']);
    expect(eventsFor('nonsense', 'reviewer')).toEqual([]);
  });

  it('requires a note for reasons and descriptions', () => {
    expect([...NOTE_REQUIRED].sort()).toEqual(['close', 'dispute', 'mitigate', 'reject_mitigation', 'reopen', 'withdraw']);
  });

  it('reaches closed from filing along the happy path and through a failed verification', () => {
    const run = (events: FindingEvent[]) => events.reduce<string>((s, e) => transition(s, e), 'draft');
    expect(run(['file', 'share', 'mitigate', 'verify', 'close'])).toBe('closed');
    expect(run(['file', 'share', 'dispute', 'mitigate', 'reject_mitigation', 'mitigate', 'verify', 'close'])).toBe('closed');
    expect(run(['file', 'share', 'accept', 'close', 'reopen', 'mitigate'])).toBe('mitigated');
  });
});
