// Webhook signatures (pure). The header carries the signing time and an HMAC-SHA256 of
// "<t>.<body>" under the channel's secret, so a receiver can check both origin and freshness:
//   Forewarn-Signature: t=1764633600,v1=5f0c…
// More than one v1 may appear while a secret is being replaced; any one matching is enough.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Forewarn-Signature';
/** A receiver should refuse a signature older (or newer) than this: it bounds replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

export function signatureHeader(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${signatureOf(secret, timestamp, body)}`;
}

export function parseSignatureHeader(header: string): { t: number; v1: string[] } | null {
  if (header.length > 2000) return null;
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't') {
      if (!/^\d{1,12}$/.test(v)) return null;
      t = Number(v);
    } else if (k === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(v)) return null;
      v1.push(v);
    }
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/** What a receiver does (the README shows the same steps in other languages). */
export function verifySignature(secret: string, header: string, body: string, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): boolean {
  const parsed = parseSignatureHeader(header);
  if (!parsed || Math.abs(nowSeconds - parsed.t) > toleranceSeconds) return false;
  const want = Buffer.from(signatureOf(secret, parsed.t, body), 'hex');
  return parsed.v1.some((v) => timingSafeEqual(Buffer.from(v, 'hex'), want));
}
