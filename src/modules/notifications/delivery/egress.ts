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

function v4NonPublic([a, b, c]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && c === 0) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

/** The 16 bytes of an IPv6 address (with "::" and a trailing dotted quad), or null. */
export function ipv6Bytes(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null;
  let text = ip.toLowerCase().split('%')[0];
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = v4Parts(quad[1]);
    text = text.slice(0, -quad[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  return groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 0xff];
  });
}

/**
 * Loopback, private, link-local, carrier-grade NAT, benchmark, multicast, reserved and unspecified
 * ranges — also when an IPv4 address hides inside IPv6 (mapped ::ffff:0:0/96, compatible ::/96,
 * NAT64 64:ff9b::/96, 6to4 2002::/16), in whatever notation.
 */
export function isNonPublicAddress(ip: string): boolean {
  const kind = isIP(ip);
  if (kind === 4) return v4NonPublic(v4Parts(ip));
  if (kind !== 6) return true;
  const b = ipv6Bytes(ip);
  if (!b) return true;
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4NonPublic(b.slice(12));
  if (zeros(0, 12)) return true; // ::, ::1 and the deprecated IPv4-compatible block
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4NonPublic(b.slice(12));
  if (b[0] === 0x20 && b[1] === 0x02) return v4NonPublic(b.slice(2, 6));
  // fc00::/7 unique local, fe80::/10 link-local, fec0::/10 site-local, ff00::/8 multicast
  return (b[0] & 0xfe) === 0xfc || (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) || (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) || b[0] === 0xff;
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
