import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { parseSignatureHeader, signatureHeader, verifySignature } from './webhook-signing.ts';
import { afterAttempt, isSuccessStatus, MAX_WEBHOOK_ATTEMPTS, retryDelaySeconds } from './delivery.fns.ts';

const secret = 'fwh_test-secret';
const body = '{"type":"test","id":"1"}';

describe('webhook signing', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 in the Stripe-like header', () => {
    const h = signatureHeader(secret, 1764633600, body);
    const want = createHmac('sha256', secret).update(`1764633600.${body}`).digest('hex');
    expect(h).toBe(`t=1764633600,v1=${want}`);
  });

  it('verifies a fresh signature and refuses a changed body, a wrong secret, an old timestamp', () => {
    const h = signatureHeader(secret, 1000, body);
    expect(verifySignature(secret, h, body, 1000)).toBe(true);
    expect(verifySignature(secret, h, body, 1300)).toBe(true);
    expect(verifySignature(secret, h, body, 1301)).toBe(false);
    expect(verifySignature(secret, h, body + ' ', 1000)).toBe(false);
    expect(verifySignature('fwh_other', h, body, 1000)).toBe(false);
    expect(verifySignature(secret, h.replace('t=1000', 't=1001'), body, 1000)).toBe(false);
  });

  it('accepts any one of several v1 values (secret rotation) and refuses malformed headers', () => {
    const good = signatureHeader(secret, 5, body).split(',')[1];
    expect(verifySignature(secret, `t=5,v1=${'0'.repeat(64)},${good}`, body, 5)).toBe(true);
    for (const bad of ['', 't=5', 'v1=abc', 't=x,v1=' + '0'.repeat(64), 't=5,v1=' + 'G'.repeat(64), 'garbage', 'x'.repeat(3000)]) {
      expect(parseSignatureHeader(bad)).toBeNull();
      expect(verifySignature(secret, bad, body, 5)).toBe(false);
    }
  });
});

describe('retry schedule', () => {
  it('backs off exponentially from 30 s, capped at 6 hours', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(retryDelaySeconds)).toEqual([30, 120, 480, 1920, 7680, 21600, 21600]);
  });

  it('retries until the last attempt, then dead-letters', () => {
    expect(afterAttempt(true, 1)).toEqual({ kind: 'delivered' });
    expect(afterAttempt(false, 1)).toEqual({ kind: 'retry', after: 30 });
    expect(afterAttempt(false, MAX_WEBHOOK_ATTEMPTS - 1)).toEqual({ kind: 'retry', after: 21600 });
    expect(afterAttempt(false, MAX_WEBHOOK_ATTEMPTS)).toEqual({ kind: 'dead' });
    expect(afterAttempt(true, MAX_WEBHOOK_ATTEMPTS)).toEqual({ kind: 'delivered' });
  });

  it('counts only 2xx as received', () => {
    expect([199, 200, 204, 299, 300, 302, 404, 500].map(isSuccessStatus)).toEqual([false, true, true, true, false, false, false, false]);
  });
});
