import { InvalidTransitionError } from '../../lib/errors.ts';

// A run is queued when created, running once a worker starts it, and ends completed (every sample
// has a result), failed (it could not go on: the suite or the model's endpoint is broken), cancelled
// (by its runner) or stopped (its access was revoked, expired or its window closed).
export const RUN_STATES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'stopped'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_EVENTS = ['start', 'complete', 'fail', 'cancel', 'stop', 'requeue'] as const;
export type RunEvent = (typeof RUN_EVENTS)[number];

export const RUN_TRANSITIONS: Readonly<Record<RunState, Partial<Record<RunEvent, RunState>>>> = {
  queued: { start: 'running', fail: 'failed', cancel: 'cancelled', stop: 'stopped' },
  // requeue: a worker was lost and its shards were handed to others; the run keeps running.
  running: { start: 'running', complete: 'completed', fail: 'failed', cancel: 'cancelled', stop: 'stopped', requeue: 'running' },
  completed: {},
  failed: {},
  cancelled: {},
  stopped: {},
};

export const FINAL_STATES: readonly RunState[] = ['completed', 'failed', 'cancelled', 'stopped'];

export function isRunState(s: string): s is RunState {
  return (RUN_STATES as readonly string[]).includes(s);
}

export function isFinal(s: string): boolean {
  return (FINAL_STATES as readonly string[]).includes(s);
}

export function runTransition(state: string, event: RunEvent): RunState {
  const next = isRunState(state) ? RUN_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('evaluation run', state, event);
  return next;
}

export function canTransition(state: string, event: RunEvent): boolean {
  return isRunState(state) && RUN_TRANSITIONS[state][event] !== undefined;
}
