// Webhook addresses are chosen by operators, so a POST to one must not reach the platform's own
// network (cloud metadata at 169.254.169.254, the database, admin ports): every address the name
// resolves to is checked, and the connection is pinned to the checked address (no DNS rebinding
// between check and connect). Demo and test instances, whose peers live on 127.0.0.1, allow private
// addresses explicitly.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';

function v4Parts(ip: string): number[] {
  return ip.split('.').map(Number);
}

/** Loopback, private, link-local, carrier-grade NAT, benchmark, multicast, reserved and unspecified ranges. */
export function isNonPublicAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) {
    const [a, b] = v4Parts(ip);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0 && v4Parts(ip)[2] === 0) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  if (kind === 6) {
    const lower = ip.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isNonPublicAddress(mapped[1]);
    if (lower === '::' || lower === '::1') return true;
    const first = parseInt(lower.split(':')[0] || '0', 16);
    // fc00::/7 unique local, fe80::/10 link-local, ff00::/8 multicast
    return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00;
  }
  return true;
}

export class EgressRefusedError extends Error {
  readonly code = 'EGRESS_REFUSED';
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => {
    dnsLookup(hostname, { all: true, family: typeof options.family === 'number' ? options.family : 0 }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      if (!allowPrivate && (list.length === 0 || list.some((a) => isNonPublicAddress(a.address)))) {
        return callback(new EgressRefusedError(`${hostname} resolves to an address that is not public`), '');
      }
      if (options.all) return callback(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

export interface PostOutcome {
  status: number;
}

/** One POST with a deadline; no redirects are followed (a 3xx is the answer). */
export function postGuarded(address: string, opts: { headers: Record<string, string>; body: string; timeoutMs: number; allowPrivate: boolean }): Promise<PostOutcome> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(address);
    } catch {
      return reject(new Error('not a valid URL'));
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return reject(new Error('only http and https webhooks are sent'));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!opts.allowPrivate && isIP(host) && isNonPublicAddress(host)) return reject(new EgressRefusedError(`${host} is not a public address`));
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(Buffer.byteLength(opts.body)) },
        lookup: guardedLookup(opts.allowPrivate) as never,
        timeout: opts.timeoutMs,
      },
      (res) => {
        // The receiver's answer is not needed; draining it frees the socket.
        res.resume();
        res.on('end', () => undefined);
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs / 1000} s`), { name: 'TimeoutError' })), opts.timeoutMs);
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs / 1000} s`), { name: 'TimeoutError' })));
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.on('close', () => clearTimeout(deadline));
    req.end(opts.body);
  });
}
