// A coordination case's states. Pure. A closed case keeps its record (statements, thread, embargo
// history) for the advisory and the audit; reopening it needs a reason, as closing does.
import type { Ability } from '../../access/roles.ts';

export const CASE_STATES = ['open', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const CASE_EVENTS = ['close', 'reopen'] as const;
export type CaseEvent = (typeof CASE_EVENTS)[number];

const MOVES: Readonly<Record<CaseState, Partial<Record<CaseEvent, CaseState>>>> = {
  open: { close: 'closed' },
  closed: { reopen: 'open' },
};

/** Who may move a case: its coordinators only. */
export const CASE_MOVE_ABILITY: Ability = 'clearinghouse:coordinate';

export function nextCaseState(from: CaseState, event: CaseEvent): CaseState | null {
  return MOVES[from][event] ?? null;
}

/** Vendors state and talk, and coordinators change the embargo, only while the case is open. */
export function acceptsWork(state: CaseState): boolean {
  return state === 'open';
}
