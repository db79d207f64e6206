import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, decide, DEFAULT_RETRY, isRetryableStatus, nextSlot, parseRetryAfter, planConcurrency, validatePolicy, type RetryPolicy } from './retry.ts';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };
const now = Date.parse('2026-07-01T12:00:00Z');
const half = () => 0.5;

describe('isRetryableStatus', () => {
  it.each([408, 409, 425, 429, 500, 502, 503, 504, 599])('%i is retryable', (s) => expect(isRetryableStatus(s)).toBe(true));
  it.each([200, 400, 401, 403, 404, 422, 501, 505])('%i is not', (s) => expect(isRetryableStatus(s)).toBe(false));
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });
  it('reads an IMF-fixdate, RFC 850 and asctime date', () => {
    expect(parseRetryAfter('Wed, 01 Jul 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wednesday, 01-Jul-26 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed Jul  1 12:00:30 2026', now - new Date(now).getTimezoneOffset() * 60_000)).not.toBeNull();
  });
  it('a date in the past means now', () => {
    expect(parseRetryAfter('Wed, 01 Jul 2026 11:00:00 GMT', now)).toBe(0);
  });
  it('absent, empty or malformed → null', () => {
    for (const v of [undefined, null, '', '  ', '-5', '1.5', 'soon', 'abc, 99 Foo 9999']) expect(parseRetryAfter(v, now)).toBeNull();
  });
});

describe('backoffMs (full jitter)', () => {
  it('doubles the ceiling each attempt up to the cap', () => {
    const max = () => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, policy, max))).toEqual([99, 199, 399, 799, 999, 999]);
  });
  it('is random() × ceiling, floored', () => {
    expect(backoffMs(3, policy, half)).toBe(200);
    expect(backoffMs(3, policy, () => 0)).toBe(0);
  });
  it('clamps a misbehaving random()', () => {
    expect(backoffMs(1, policy, () => 7)).toBe(100);
    expect(backoffMs(1, policy, () => -1)).toBe(0);
    expect(backoffMs(1, policy, () => Number.NaN)).toBe(0);
  });
  it('does not overflow for huge attempt numbers', () => {
    expect(backoffMs(10_000, policy, half)).toBe(500);
  });
  it('refuses attempt < 1', () => {
    expect(() => backoffMs(0, policy, half)).toThrow(RangeError);
  });
  it('stays within [0, min(cap, base·2^(n−1))] (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 80 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (a, u) => {
      const d = backoffMs(a, policy, () => u);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (a - 1)));
    }));
  });
});

describe('decide', () => {
  it('retries 429, 5xx, timeouts and network errors with backoff', () => {
    expect(decide({ kind: 'status', status: 503 }, 1, policy, half, now)).toEqual({ retry: true, delayMs: 50, reason: 'status 503: backoff before attempt 2' });
    expect(decide({ kind: 'timeout' }, 2, policy, half, now)).toMatchObject({ retry: true, delayMs: 100 });
    expect(decide({ kind: 'network' }, 1, policy, half, now)).toMatchObject({ retry: true });
  });
  it('never retries a non-retryable status', () => {
    expect(decide({ kind: 'status', status: 400 }, 1, policy, half, now)).toEqual({ retry: false, reason: 'status 400 is not retryable' });
    expect(decide({ kind: 'status', status: 401, retryAfter: '1' }, 1, policy, half, now).retry).toBe(false);
  });
  it('stops at maxAttempts', () => {
    expect(decide({ kind: 'status', status: 429 }, 3, policy, half, now).retry).toBe(true);
    expect(decide({ kind: 'status', status: 429 }, 4, policy, half, now)).toEqual({ retry: false, reason: 'status 429: gave up after 4 attempt(s)' });
    expect(decide({ kind: 'timeout' }, 1, { ...policy, maxAttempts: 1 }, half, now).retry).toBe(false);
  });
  it('honours Retry-After seconds and dates', () => {
    expect(decide({ kind: 'status', status: 429, retryAfter: '7' }, 1, policy, half, now)).toEqual({ retry: true, delayMs: 7000, reason: 'status 429: Retry-After 7 s' });
    expect(decide({ kind: 'status', status: 503, retryAfter: 'Wed, 01 Jul 2026 12:00:02 GMT' }, 1, policy, half, now)).toMatchObject({ retry: true, delayMs: 2000 });
  });
  it('ignores a malformed Retry-After (falls back to backoff)', () => {
    expect(decide({ kind: 'status', status: 429, retryAfter: 'later' }, 1, policy, half, now)).toMatchObject({ retry: true, delayMs: 50 });
  });
  it('gives up when Retry-After exceeds the ceiling', () => {
    const d = decide({ kind: 'status', status: 429, retryAfter: '3600' }, 1, policy, half, now);
    expect(d.retry).toBe(false);
    expect(d.reason).toContain('exceeds the 60 s limit');
  });
  it('validates the policy and attempt', () => {
    expect(() => decide({ kind: 'timeout' }, 0, policy, half, now)).toThrow(RangeError);
    expect(() => validatePolicy({ ...policy, maxAttempts: 0 })).toThrow(RangeError);
    expect(() => validatePolicy({ ...policy, maxAttempts: 1.5 })).toThrow(RangeError);
    expect(() => validatePolicy({ ...policy, baseDelayMs: -1 })).toThrow(RangeError);
    expect(() => validatePolicy({ ...policy, maxDelayMs: 10 })).toThrow(RangeError);
    expect(validatePolicy(DEFAULT_RETRY)).toBe(DEFAULT_RETRY);
  });
  it('a retry loop always ends within maxAttempts (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), fc.constantFrom(429, 500, 503, 504), fc.option(fc.constantFrom('1', '0', 'x')), (max, status, ra) => {
      const p = { ...policy, maxAttempts: max };
      let attempt = 1;
      while (decide({ kind: 'status', status, retryAfter: ra }, attempt, p, Math.random, now).retry) attempt++;
      expect(attempt).toBe(max);
    }));
  });
});

describe('rate and concurrency planning', () => {
  it('nextSlot: room now, or when the oldest in-window start leaves the window', () => {
    expect(nextSlot([], now, 2)).toBe(now);
    expect(nextSlot([now - 1000], now, 2)).toBe(now);
    expect(nextSlot([now - 1000, now - 500], now, 2)).toBe(now - 1000 + 60_000);
    expect(nextSlot([now - 61_000, now - 500], now, 2)).toBe(now);
    expect(nextSlot([now - 3000, now - 2000, now - 1000], now, 2)).toBe(now - 2000 + 60_000);
    expect(() => nextSlot([], now, 0)).toThrow(RangeError);
  });
  it('planConcurrency bounds by remaining work and the rate limit', () => {
    expect(planConcurrency(16, 500)).toBe(16);
    expect(planConcurrency(16, 3)).toBe(3);
    expect(planConcurrency(16, 0)).toBe(0);
    expect(planConcurrency(16, 500, 60, 1000)).toBe(1);
    expect(planConcurrency(16, 500, 6000, 1000)).toBe(16);
    expect(planConcurrency(16, 500, 600, 2000)).toBe(16);
    expect(planConcurrency(16, 500, 300, 2000)).toBe(10);
    expect(() => planConcurrency(0, 10)).toThrow(RangeError);
  });
});
