// Retry schedule of webhook deliveries (pure): exponential from 30 s, capped at 6 h, 8 attempts in
// all (about 11 hours from the first), then the delivery is dead-lettered and waits for a person.

export const MAX_WEBHOOK_ATTEMPTS = 8;
export const WEBHOOK_TIMEOUT_MS = 10_000;
const BASE_SECONDS = 30;
const CAP_SECONDS = 6 * 3600;

/** Seconds to wait after the given number of failed attempts (1 = the first failed). */
export function retryDelaySeconds(failedAttempts: number): number {
  return Math.min(CAP_SECONDS, BASE_SECONDS * 4 ** Math.max(0, failedAttempts - 1));
}

export type AttemptOutcome = { kind: 'delivered' } | { kind: 'retry'; after: number } | { kind: 'dead' };

export function afterAttempt(success: boolean, attemptsSoFar: number): AttemptOutcome {
  if (success) return { kind: 'delivered' };
  if (attemptsSoFar >= MAX_WEBHOOK_ATTEMPTS) return { kind: 'dead' };
  return { kind: 'retry', after: retryDelaySeconds(attemptsSoFar) };
}

/** Only 2xx counts as received: a redirect is not followed (the channel address is what was agreed). */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status < 300;
}
