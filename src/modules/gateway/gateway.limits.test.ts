import { afterEach, describe, expect, it } from 'vitest';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { KeyContext } from './gateway.fns.ts';
import { createGatewayService, type GatewayService } from './gateway.service.ts';

// The rate limit is a token bucket per grant and per process: with the gateway in several
// processes, each takes its share of the grant's requests per minute, so the grant's total holds.
// admit() touches no database, so the service runs here on stand-in dependencies.

const deps = { db: {}, audit: {}, keyring: {}, notify: {}, queue: {}, clock: () => new Date() } as unknown as ModuleDeps;

function context(requestsPerMinute: number | null): KeyContext {
  return {
    keyHash: 'h',
    keyId: 'k',
    userId: 'u',
    orgId: 'o',
    classification: 0,
    compartments: [],
    keyExpiresAt: Infinity,
    keyRevoked: false,
    grantId: 'g',
    grantStartsAt: 0,
    grantExpiresAt: Infinity,
    grantRevoked: false,
    windowId: 'w',
    windowOpen: true,
    windowOpensAt: 0,
    windowClosesAt: Infinity,
    modelId: 'm',
    modelName: 'Model',
    modelWithdrawn: false,
    modelOwnerOrgId: 'mo',
    upstream: null,
    requestsPerMinute,
    tokenQuota: null,
    tokensUsedDb: 0,
    localOffset: 0,
  };
}

function admitted(gw: GatewayService, ctx: KeyContext, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (gw.admit(ctx) === null) ok++;
  return ok;
}

let open: GatewayService[] = [];
afterEach(async () => {
  for (const gw of open) await gw.close();
  open = [];
});

function service(processes?: number): GatewayService {
  const gw = createGatewayService(deps, processes === undefined ? {} : { processes });
  open.push(gw);
  return gw;
}

describe('rate limit per process', () => {
  it('one process admits a burst of the whole limit, then refuses with Retry-After', () => {
    const gw = service();
    expect(admitted(gw, context(60), 100)).toBe(60);
    const refused = gw.admit(context(60));
    expect(refused?.status).toBe(429);
    expect(refused?.code).toBe('rate_limit_exceeded');
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('each of several processes admits its share, so the grant stays at its limit', () => {
    const a = service(3);
    const b = service(3);
    const c = service(3);
    const total = admitted(a, context(60), 100) + admitted(b, context(60), 100) + admitted(c, context(60), 100);
    expect(total).toBe(60);
  });

  it('a share never drops below one request, and no limit means no refusal', () => {
    expect(admitted(service(4), context(2), 10)).toBe(1);
    expect(admitted(service(4), context(null), 500)).toBe(500);
  });
});
