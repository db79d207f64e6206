import { InvalidTransitionError } from '../../lib/errors.ts';

// A workstream of a coordinated assessment. Assignees move their work along; agency analysts who
// manage the plan may also cancel it. Nothing here touches the window or the model's release.

export const WORKSTREAM_STATES = ['planned', 'in_progress', 'blocked', 'done', 'cancelled'] as const;
export type WorkstreamState = (typeof WORKSTREAM_STATES)[number];

export const WORKSTREAM_EVENTS = ['start', 'block', 'unblock', 'complete', 'cancel'] as const;
export type WorkstreamEvent = (typeof WORKSTREAM_EVENTS)[number];

/** Cancelling belongs to the plan's managers; moving the work along belongs to its assignees. */
export const MANAGER_ONLY: ReadonlySet<WorkstreamEvent> = new Set(['cancel']);
/** Events that must say why. */
export const REASON_REQUIRED: ReadonlySet<WorkstreamEvent> = new Set(['block', 'cancel']);

export const WORKSTREAM_TRANSITIONS: Record<WorkstreamState, Partial<Record<WorkstreamEvent, WorkstreamState>>> = {
  planned: { start: 'in_progress', cancel: 'cancelled' },
  in_progress: { block: 'blocked', complete: 'done', cancel: 'cancelled' },
  blocked: { unblock: 'in_progress', cancel: 'cancelled' },
  done: {},
  cancelled: {},
};

export function isWorkstreamState(s: string): s is WorkstreamState {
  return (WORKSTREAM_STATES as readonly string[]).includes(s);
}

export function canTransition(state: string, event: WorkstreamEvent): boolean {
  return isWorkstreamState(state) && WORKSTREAM_TRANSITIONS[state][event] !== undefined;
}

export function transition(state: string, event: WorkstreamEvent): WorkstreamState {
  const next = isWorkstreamState(state) ? WORKSTREAM_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('workstream', state, event);
  return next;
}
