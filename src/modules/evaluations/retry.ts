// Retry policy (pure): whether to retry a failed attempt, and how long to wait. Exponential backoff
// with full jitter (delay = random() × min(cap, base × 2^(attempt−1))), never more than maxAttempts,
// and Retry-After (seconds or HTTP-date) honoured up to a ceiling.

export interface RetryPolicy {
  /** Total attempts including the first (≥ 1). */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one ends the retries (give up rather than stall a run). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 };

export type Failure =
  | { kind: 'status'; status: number; retryAfter?: string | null }
  | { kind: 'timeout' }
  | { kind: 'network' };

export type Decision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: string };

/** Statuses worth another attempt: 408, 409 (conflict/lock), 425, 429 and 5xx except 501 and 505. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 409 || status === 425 || status === 429) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}

/** Parse Retry-After: delta-seconds or an HTTP-date, relative to nowMs. null when absent or invalid. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+$/.test(v)) {
    const s = Number(v);
    return Number.isSafeInteger(s) ? s * 1000 : null;
  }
  // IMF-fixdate, RFC 850 and asctime forms; Date.parse accepts all three. Require a weekday-led or
  // GMT-bearing form so that stray numbers such as "1.5" are not read as dates.
  if (!/[A-Za-z]{3}/.test(v)) return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) return null;
  return Math.max(0, t - nowMs);
}

export function validatePolicy(p: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1 || p.maxAttempts > 100) throw new RangeError('maxAttempts must be an integer in 1..100');
  for (const k of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(p[k]) || p[k] < 0) throw new RangeError(`${k} must be finite and ≥ 0`);
  }
  if (p.maxDelayMs < p.baseDelayMs) throw new RangeError('maxDelayMs must be ≥ baseDelayMs');
  return p;
}

/** Full-jitter backoff for the retry after attempt `attempt` (1-based). random() must return [0, 1). */
export function backoffMs(attempt: number, p: RetryPolicy, random: () => number): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer ≥ 1');
  const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** Math.min(attempt - 1, 60));
  const r = random();
  const u = Number.isFinite(r) ? Math.min(Math.max(r, 0), 1) : 0;
  return Math.floor(u * ceiling);
}

/**
 * Decide after failed attempt number `attempt` (1-based). Retry-After, when present on a retryable
 * status, sets the delay (at least the jittered backoff is not added: the server's word wins).
 */
export function decide(failure: Failure, attempt: number, policy: RetryPolicy, random: () => number, nowMs: number): Decision {
  validatePolicy(policy);
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer ≥ 1');
  const label = failure.kind === 'status' ? `status ${failure.status}` : failure.kind;
  if (failure.kind === 'status' && !isRetryableStatus(failure.status)) return { retry: false, reason: `${label} is not retryable` };
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `${label}: gave up after ${attempt} attempt(s)` };
  if (failure.kind === 'status') {
    const after = parseRetryAfter(failure.retryAfter, nowMs);
    if (after !== null) {
      if (after > policy.maxRetryAfterMs) return { retry: false, reason: `${label}: Retry-After ${Math.ceil(after / 1000)} s exceeds the ${Math.ceil(policy.maxRetryAfterMs / 1000)} s limit` };
      return { retry: true, delayMs: after, reason: `${label}: Retry-After ${Math.ceil(after / 1000)} s` };
    }
  }
  return { retry: true, delayMs: backoffMs(attempt, policy, random), reason: `${label}: backoff before attempt ${attempt + 1}` };
}

// ---- concurrency / rate planning ----

/**
 * Earliest time a request may start under a requests-per-minute limit, given the start times of
 * recent requests (sliding 60 s window). Returns nowMs when there is room.
 */
export function nextSlot(recentStartsMs: readonly number[], nowMs: number, perMinute: number): number {
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new RangeError('perMinute must be an integer ≥ 1');
  const inWindow = recentStartsMs.filter((t) => t > nowMs - 60_000 && t <= nowMs).sort((a, b) => a - b);
  if (inWindow.length < perMinute) return nowMs;
  return inWindow[inWindow.length - perMinute] + 60_000;
}

/** Concurrency to use: the requested one, bounded by the remaining samples and a rate limit's per-second share. */
export function planConcurrency(requested: number, remaining: number, perMinute?: number | null, expectedLatencyMs = 1000): number {
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError('requested must be an integer ≥ 1');
  let c = Math.min(requested, Math.max(0, remaining));
  if (perMinute) {
    // Little's law: in-flight = rate × latency; more workers than that only queue on the limiter.
    c = Math.min(c, Math.max(1, Math.ceil((perMinute / 60_000) * Math.max(1, expectedLatencyMs))));
  }
  return remaining > 0 ? Math.max(1, c) : 0;
}
