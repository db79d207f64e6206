import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { DOCUMENT_EVENTS, DOCUMENT_STATES, DOCUMENT_TRANSITIONS, documentState, documentTransition } from './models.machine.ts';

const expected: Record<string, string | null> = {
  'active/amend': 'active',
  'active/share': 'active',
  'active/withdraw': 'withdrawn',
  'active/inherit': 'active',
  'withdrawn/amend': null,
  'withdrawn/share': null,
  'withdrawn/withdraw': null,
  'withdrawn/inherit': null,
};

describe('disclosure document machine', () => {
  for (const s of DOCUMENT_STATES) {
    for (const e of DOCUMENT_EVENTS) {
      it(`${s} × ${e}`, () => {
        const want = expected[`${s}/${e}`];
        expect(want).not.toBeUndefined();
        if (want === null) {
          expect(() => documentTransition(s, e)).toThrow(InvalidTransitionError);
          try {
            documentTransition(s, e);
          } catch (err) {
            expect((err as InvalidTransitionError).status).toBe(409);
          }
        } else expect(documentTransition(s, e)).toBe(want);
      });
    }
  }
  it('covers every state in the table and derives the state from the row', () => {
    expect(Object.keys(DOCUMENT_TRANSITIONS).sort()).toEqual([...DOCUMENT_STATES].sort());
    expect(documentState({ withdrawnAt: null })).toBe('active');
    expect(documentState({ withdrawnAt: new Date() })).toBe('withdrawn');
  });
});
