import { randomUUID } from 'node:crypto';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { gatewayEndpoints, gatewayGrantLimits, gatewayKeys, gatewayRequests } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can, grantActive, type Subject } from '../access/policy.ts';
import { nameOf } from '../access/marking.ts';
import { digest, newSecret } from '../identity/tokens.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import {
  endpointOf,
  keyById,
  keysWhere,
  loadKeyContext,
  modelById,
  modelGrants,
  requestTotals,
  requestsWhere,
  requestWithContent,
  windowGrant,
  type KeyContextRow,
} from './gateway.dal.ts';
import { Recorder, type RecordInput } from './recorder.ts';
import { testUpstream, type LocalGateway } from './gateway.proxy.ts';
import { GatewayError, purposeMarking, RUN_ID, upstreamOf, type KeyContext, type RecordMarking } from './gateway.fns.ts';

export const GATEWAY_CHANNEL = 'forewarn_gateway';
export const GATEWAY_KEY_PREFIX = 'fwg_';
/** The time limit of a cached credential: bounds the damage of a lost notification. */
const CACHE_MS = 30_000;
const MAX_CACHE = 20_000;
/** How often open streams are checked against expiry times (revocations arrive by NOTIFY at once). */
const STREAM_CHECK_MS = 250;
/**
 * How long the answer to "may this user record under this evaluation run, and at what marking" is
 * kept (a run's marking and runner do not change while it runs); a refusal is kept for less, so a
 * run created a moment ago is not refused for long.
 */
const RUN_CACHE_MS = 5_000;
const RUN_MISS_MS = 1_000;
/** The header an evaluation run's requests carry, naming the run (its marking becomes the records'). */
export const RUN_HEADER = 'x-forewarn-run';

/** The marking of an evaluation run if `userId` is its runner, else null (the evaluations module answers). */
export type MarkingOfRun = (runId: string, userId: string) => Promise<RecordMarking | null>;

export interface GatewayOptions {
  /** LISTEN on a channel (Database.listen); without it only this process's own changes invalidate the cache. */
  listen?: (channel: string, onPayload: (payload: string) => void) => Promise<void>;
  upstreamTimeoutMs?: number;
  flushMs?: number;
  /**
   * Marking by purpose: a request with `x-forewarn-run: <run id>` is recorded at that run's marking
   * when the key's user is the run's runner. Without it, such requests are refused (never recorded
   * lower than their purpose).
   */
  markingOfRun?: MarkingOfRun;
  onError?: (err: Error) => void;
  /**
   * How many processes serve the gateway on this deployment (node:cluster or several `--role api`
   * instances). Rate-limit buckets are per process, so each takes its share of a grant's requests
   * per minute (at least one), keeping the grant's total at its limit. Default 1.
   */
  processes?: number;
}

export interface OpenStream {
  ctx: KeyContext;
  cut(reason: string): void;
}

/** Tells every process to forget cached gateway credentials touching `what` once `tx` commits. */
export async function announceGatewayChange(tx: DbOrTx, what: `${'key' | 'grant' | 'window' | 'model' | 'endpoint'}:${string}`): Promise<void> {
  await tx.execute(sql`select pg_notify(${GATEWAY_CHANNEL}, ${what})`);
}

export function createGatewayService({ db, audit, keyring, clock }: ModuleDeps, opts: GatewayOptions = {}) {
  const recorder = new Recorder(db, keyring, opts.onError, opts.flushMs);
  recorder.start();
  const upstreamTimeoutMs = opts.upstreamTimeoutMs ?? 120_000;
  const processes = Math.max(1, Math.floor(opts.processes ?? 1));
  /** Keyed by the bearer key itself, so a cached request needs no digest. */
  const cache = new Map<string, { ctx: KeyContext; at: number }>();
  /** Lookups in flight, shared by the requests that arrive meanwhile (a run's first wave is 16 at once). */
  const loading = new Map<string, Promise<KeyContext | GatewayError>>();
  /** Bumped by every invalidation: a lookup begun before one does not fill the cache. */
  let epoch = 0;
  const runCache = new Map<string, { marking: RecordMarking | null; at: number; pending: Promise<RecordMarking | null> | null }>();
  const streams = new Set<OpenStream>();
  let closing = false;
  /** Tokens recorded by this process per grant since start (never reset). */
  const usedLocal = new Map<string, number>();
  const buckets = new Map<string, { tokens: number; at: number }>();

  // ---- credentials cache and invalidation -------------------------------------------------------

  function matches(ctx: KeyContext, kind: string, id: string): boolean {
    switch (kind) {
      case 'key':
        return ctx.keyId === id;
      case 'grant':
        return ctx.grantId === id;
      case 'window':
        return ctx.windowId === id;
      case 'model':
      case 'endpoint':
        return ctx.modelId === id;
      default:
        return true;
    }
  }

  /** A change arrived (NOTIFY): forget matching credentials and re-check matching open streams now. */
  function invalidate(payload: string): void {
    const [kind, id] = payload.split(':');
    epoch++;
    loading.clear();
    for (const [k, e] of cache) if (!id || matches(e.ctx, kind, id)) cache.delete(k);
    const affected = [...streams].filter((s) => !id || matches(s.ctx, kind, id));
    for (const s of affected) {
      void loadContext(s.ctx.keyHash)
        .then((fresh) => {
          const why = fresh ? refusal(fresh, clock())?.message : 'The key no longer exists.';
          if (why) s.cut(why);
        })
        .catch(() => s.cut('Access could not be re-checked.'));
    }
  }
  const listening = opts.listen ? opts.listen(GATEWAY_CHANNEL, invalidate).catch((e) => opts.onError?.(e as Error)) : Promise.resolve();

  const streamTimer = setInterval(() => {
    if (streams.size === 0) return;
    const now = clock();
    for (const s of streams) {
      const why = refusal(s.ctx, now);
      if (why) s.cut(why.message);
    }
  }, STREAM_CHECK_MS);
  streamTimer.unref();

  function toContext(r: KeyContextRow, keyHash: string): KeyContext {
    const pending = recorder.pendingTokens.get(r.grantId)?.tokens ?? 0;
    return {
      keyHash,
      keyId: r.keyId,
      userId: r.userId,
      orgId: r.orgId,
      classification: r.classification,
      compartments: r.compartments,
      keyExpiresAt: r.keyExpiresAt.getTime(),
      keyRevoked: r.keyRevokedAt !== null,
      grantId: r.grantId,
      grantStartsAt: r.grantStartsAt.getTime(),
      grantExpiresAt: r.grantExpiresAt ? r.grantExpiresAt.getTime() : Infinity,
      grantRevoked: r.grantRevokedAt !== null,
      windowId: r.windowId,
      windowOpen: r.windowStatus === 'open',
      windowOpensAt: r.windowOpensAt.getTime(),
      windowClosesAt: r.windowClosesAt.getTime(),
      modelId: r.modelId,
      modelName: r.modelName,
      modelWithdrawn: r.modelStatus === 'withdrawn',
      modelOwnerOrgId: r.modelOwnerOrgId,
      upstream: r.baseUrl && r.upstreamModel && r.apiKeyEnc && r.endpointId ? upstreamOf(r.baseUrl, r.upstreamModel, keyring.decrypt(r.apiKeyEnc, `gateway_endpoints.api_key_enc:${r.endpointId}`)) : null,
      requestsPerMinute: r.requestsPerMinute,
      tokenQuota: r.tokenQuota,
      tokensUsedDb: r.tokensUsed ?? 0,
      localOffset: (usedLocal.get(r.grantId) ?? 0) - pending,
    };
  }

  async function loadContext(keyHash: string): Promise<KeyContext | null> {
    const r = await loadKeyContext(db, keyHash);
    return r ? toContext(r, keyHash) : null;
  }

  /** Why a request with this context must be refused now, or null. */
  function refusal(ctx: KeyContext, now: Date): GatewayError | null {
    const t = now.getTime();
    if (ctx.keyRevoked) return new GatewayError(401, 'This gateway key has been revoked.', 'invalid_request_error', 'key_revoked');
    if (ctx.keyExpiresAt <= t) return new GatewayError(401, 'This gateway key has expired.', 'invalid_request_error', 'key_expired');
    if (ctx.grantRevoked) return new GatewayError(403, 'The review-window access behind this key has been revoked.', 'access_revoked', 'grant_revoked');
    if (ctx.grantExpiresAt <= t || ctx.grantStartsAt > t) return new GatewayError(403, 'The review-window access behind this key is not in force.', 'access_revoked', 'grant_expired');
    if (!ctx.windowOpen || ctx.windowClosesAt <= t || ctx.windowOpensAt > t) return new GatewayError(403, 'The review window for this model is not open.', 'access_revoked', 'window_closed');
    if (ctx.modelWithdrawn) return new GatewayError(403, 'The developer has withdrawn this model from review.', 'access_revoked', 'model_withdrawn');
    return null;
  }

  /**
   * Resolves a bearer key to its context (cached) and checks the key, the grant, the window and the
   * model. Throws GatewayError; returns the context and, for a known key, lets the caller record.
   */
  async function authenticate(authorization: string | undefined): Promise<KeyContext> {
    const r = await resolveKey(authorization);
    if (r instanceof GatewayError) throw r;
    return r;
  }

  const BEARER = 'bearer ';
  /**
   * The same, without a promise when the key is cached (the proxy's hot path): the context, the
   * refusal, or a promise of either.
   */
  function resolveKey(authorization: string | undefined): KeyContext | GatewayError | Promise<KeyContext | GatewayError> {
    let key = '';
    if (authorization && authorization.length > BEARER.length && authorization.slice(0, BEARER.length).toLowerCase() === BEARER) key = authorization.slice(BEARER.length).trim();
    if (!key.startsWith(GATEWAY_KEY_PREFIX) || key.length > 200 || /\s/.test(key)) return new GatewayError(401, 'Send a Forewarn gateway key as "Authorization: Bearer fwg_…".', 'invalid_request_error', 'invalid_api_key');
    const nowMs = Date.now();
    const hit = cache.get(key);
    if (hit && nowMs - hit.at <= CACHE_MS) return hit.ctx;
    const pending = loading.get(key);
    if (pending) return pending;
    const began = epoch;
    const lookup = loadContext(digest(key)).then(
      (ctx) => {
        if (loading.get(key) === lookup) loading.delete(key);
        if (!ctx) return new GatewayError(401, 'Incorrect gateway key provided.', 'invalid_request_error', 'invalid_api_key');
        if (began === epoch) {
          if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
          cache.set(key, { ctx, at: nowMs });
        }
        return ctx;
      },
      (err: unknown) => {
        if (loading.get(key) === lookup) loading.delete(key);
        throw err;
      },
    );
    if (loading.size >= MAX_CACHE) loading.clear();
    loading.set(key, lookup);
    return lookup;
  }

  /**
   * The marking a request for an evaluation run is recorded at (see purposeMarking), or why it is
   * refused: a malformed id (400); a run that does not exist or is not this key user's own, or no
   * way to check (403) — never recorded at a lower marking than its purpose.
   */
  function runMarking(ctx: KeyContext, runId: string): RecordMarking | GatewayError | Promise<RecordMarking | GatewayError> {
    if (!RUN_ID.test(runId)) return new GatewayError(400, `The ${RUN_HEADER} header must be an evaluation run id.`, 'invalid_request_error', 'invalid_run');
    const lookup = opts.markingOfRun;
    if (!lookup) return new GatewayError(403, 'This gateway cannot check evaluation runs, so it cannot record this request at its run’s marking.', 'permission_denied', 'run_not_permitted');
    const k = `${runId.toLowerCase()}:${ctx.userId}`;
    const now = Date.now();
    let e = runCache.get(k);
    if (!e || (!e.pending && now - e.at > (e.marking ? RUN_CACHE_MS : RUN_MISS_MS))) {
      if (runCache.size >= MAX_CACHE) runCache.delete(runCache.keys().next().value!);
      const entry: { marking: RecordMarking | null; at: number; pending: Promise<RecordMarking | null> | null } = { marking: null, at: now, pending: null };
      entry.pending = lookup(runId.toLowerCase(), ctx.userId).then(
        (m) => {
          entry.marking = m ? { classification: m.classification, compartments: [...m.compartments] } : null;
          entry.at = Date.now();
          entry.pending = null;
          return entry.marking;
        },
        (err: unknown) => {
          runCache.delete(k);
          opts.onError?.(err as Error);
          return null;
        },
      );
      runCache.set(k, entry);
      e = entry;
    }
    const decide = (m: RecordMarking | null) => (m ? purposeMarking(ctx, m) : new GatewayError(403, 'That evaluation run does not exist or is not yours.', 'permission_denied', 'run_not_permitted'));
    return e.pending ? e.pending.then(decide) : decide(e.marking);
  }

  function check(ctx: KeyContext): GatewayError | null {
    return refusal(ctx, clock());
  }

  /** Rate limit (requests/minute, a token bucket per grant and process) and token quota (per grant). */
  function admit(ctx: KeyContext): GatewayError | null {
    if (ctx.tokenQuota !== null) {
      const used = ctx.tokensUsedDb + (usedLocal.get(ctx.grantId) ?? 0) - ctx.localOffset;
      if (used >= ctx.tokenQuota) return new GatewayError(429, `The token quota of this access (${ctx.tokenQuota}) is used up.`, 'insufficient_quota', 'insufficient_quota');
    }
    if (ctx.requestsPerMinute !== null) {
      const perMinute = processes > 1 ? Math.max(1, ctx.requestsPerMinute / processes) : ctx.requestsPerMinute;
      const rate = perMinute / 60_000;
      const now = Date.now();
      const b = buckets.get(ctx.grantId) ?? { tokens: perMinute, at: now };
      b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
      b.at = now;
      buckets.set(ctx.grantId, b);
      if (b.tokens < 1) {
        const retry = Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
        return new GatewayError(429, `Rate limit of ${ctx.requestsPerMinute} requests per minute reached. Try again in ${retry} s.`, 'requests', 'rate_limit_exceeded', { 'retry-after': String(retry) });
      }
      b.tokens -= 1;
    }
    return null;
  }

  /** Buffers the record of one request, at `marking` (by purpose) or else the access's own. */
  function record(ctx: KeyContext, r: Omit<RecordInput, 'id' | 'keyId' | 'grantId' | 'windowId' | 'modelId' | 'modelOwnerOrgId' | 'ownerOrgId' | 'userId' | 'classification' | 'compartments'>, marking?: RecordMarking): void {
    const used = r.promptTokens + r.completionTokens;
    if (used > 0) usedLocal.set(ctx.grantId, (usedLocal.get(ctx.grantId) ?? 0) + used);
    recorder.add({
      id: randomUUID(),
      at: r.at,
      endpoint: r.endpoint,
      status: r.status,
      latencyMs: r.latencyMs,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      streamed: r.streamed,
      errorCode: r.errorCode,
      request: r.request,
      response: r.response,
      keyId: ctx.keyId,
      grantId: ctx.grantId,
      windowId: ctx.windowId,
      modelId: ctx.modelId,
      modelOwnerOrgId: ctx.modelOwnerOrgId,
      ownerOrgId: ctx.orgId,
      userId: ctx.userId,
      classification: marking?.classification ?? ctx.classification,
      compartments: marking?.compartments ?? ctx.compartments,
    });
  }

  function openStream(s: OpenStream): () => void {
    streams.add(s);
    return () => streams.delete(s);
  }

  // ---- the developer: endpoint and limits --------------------------------------------------------

  /** The developer's own model: windows:manage and the model's owner, or 404 (another's model). */
  async function ownModel(tx: DbOrTx, subject: Subject, modelId: string) {
    const model = await modelById(tx, modelId);
    if (!model || model.ownerOrgId !== subject.orgId) throw new NotFoundError('model', true);
    if (!can(subject, 'windows:manage')) throw new ForbiddenError('Managing model access needs the developer role.');
    return model;
  }

  function endpointView(e: typeof gatewayEndpoints.$inferSelect) {
    return {
      modelId: e.modelId,
      baseUrl: e.baseUrl,
      upstreamModel: e.upstreamModel,
      apiKeySet: true,
      lastTestAt: e.lastTestAt?.toISOString() ?? null,
      lastTestOk: e.lastTestOk,
      lastTestDetail: e.lastTestDetail,
      updatedAt: e.updatedAt.toISOString(),
    };
  }

  async function getEndpoint(_actor: Actor, subject: Subject, modelId: string) {
    await ownModel(db, subject, modelId);
    const e = await endpointOf(db, modelId);
    if (!e) throw new NotFoundError('endpoint');
    return endpointView(e);
  }

  async function putEndpoint(actor: Actor, subject: Subject, modelId: string, input: { baseUrl: string; upstreamModel: string; apiKey?: string }) {
    return db.transaction(async (tx) => {
      const model = await ownModel(tx, subject, modelId);
      const existing = await endpointOf(tx, modelId);
      const now = clock();
      let row: typeof gatewayEndpoints.$inferSelect;
      if (!existing) {
        if (!input.apiKey) throw new ValidationError('The upstream API key is required when registering an endpoint.', [{ path: 'apiKey', message: 'required' }]);
        const id = crypto.randomUUID();
        [row] = await tx
          .insert(gatewayEndpoints)
          .values({ id, ownerOrgId: model.ownerOrgId, classification: 1, modelId, baseUrl: input.baseUrl, upstreamModel: input.upstreamModel, apiKeyEnc: keyring.encrypt(input.apiKey, `gateway_endpoints.api_key_enc:${id}`), createdBy: subject.userId, createdAt: now, updatedAt: now })
          .returning();
      } else {
        [row] = await tx
          .update(gatewayEndpoints)
          .set({
            baseUrl: input.baseUrl,
            upstreamModel: input.upstreamModel,
            ...(input.apiKey ? { apiKeyEnc: keyring.encrypt(input.apiKey, `gateway_endpoints.api_key_enc:${existing.id}`) } : {}),
            updatedAt: now,
            lastTestAt: null,
            lastTestOk: null,
            lastTestDetail: null,
          })
          .where(eq(gatewayEndpoints.id, existing.id))
          .returning();
      }
      await announceGatewayChange(tx, `endpoint:${modelId}`);
      await audit.record(tx, {
        actor,
        action: existing ? 'gateway.endpoint.update' : 'gateway.endpoint.register',
        recordType: 'gateway_endpoint',
        recordId: row.id,
        marking: { classification: 1, compartments: [] },
        detail: { modelId, baseUrl: input.baseUrl, upstreamModel: input.upstreamModel, keyReplaced: !!input.apiKey && !!existing },
      });
      return endpointView(row);
    });
  }

  async function testEndpoint(actor: Actor, subject: Subject, modelId: string) {
    await ownModel(db, subject, modelId);
    const e = await endpointOf(db, modelId);
    if (!e) throw new NotFoundError('endpoint');
    const r = await testUpstream(upstreamOf(e.baseUrl, e.upstreamModel, keyring.decrypt(e.apiKeyEnc, `gateway_endpoints.api_key_enc:${e.id}`)), Math.min(upstreamTimeoutMs, 15_000));
    await db.transaction(async (tx) => {
      await tx.update(gatewayEndpoints).set({ lastTestAt: clock(), lastTestOk: r.ok, lastTestDetail: r.detail }).where(eq(gatewayEndpoints.id, e.id));
      await audit.record(tx, { actor, action: 'gateway.endpoint.test', recordType: 'gateway_endpoint', recordId: e.id, outcome: r.ok ? 'success' : 'failure', marking: { classification: 1, compartments: [] }, detail: { modelId, ok: r.ok, status: r.status } });
    });
    return r;
  }

  async function listGrants(_actor: Actor, subject: Subject, modelId: string) {
    const model = await ownModel(db, subject, modelId);
    const now = clock();
    const rows = await modelGrants(db, modelId);
    return rows.map((r) => ({
      grantId: r.grant.id,
      windowId: r.grant.sourceId!,
      modelId,
      modelName: model.name,
      granteeOrgId: r.grant.granteeOrgId,
      granteeOrgName: r.orgName,
      expiresAt: r.grant.expiresAt?.toISOString() ?? null,
      active: r.windowStatus === 'open' && grantActive(r.grant, { userId: r.grant.granteeUserId ?? '', orgId: r.grant.granteeOrgId ?? '' }, now),
      requestsPerMinute: r.requestsPerMinute ?? null,
      tokenQuota: r.tokenQuota ?? null,
      tokensUsed: Number(r.tokensUsed ?? 0),
      keys: Number(r.keys),
    }));
  }

  async function setLimits(actor: Actor, subject: Subject, grantId: string, input: { requestsPerMinute: number | null; tokenQuota: number | null }) {
    const modelId = await db.transaction(async (tx) => {
      const g = await windowGrant(tx, grantId);
      if (!g) throw new NotFoundError('grant');
      await ownModel(tx, subject, g.model.id);
      await tx
        .insert(gatewayGrantLimits)
        .values({ grantId, modelId: g.model.id, requestsPerMinute: input.requestsPerMinute, tokenQuota: input.tokenQuota, updatedBy: subject.userId, updatedAt: clock() })
        .onConflictDoUpdate({ target: gatewayGrantLimits.grantId, set: { requestsPerMinute: input.requestsPerMinute, tokenQuota: input.tokenQuota, updatedBy: subject.userId, updatedAt: clock() } });
      await announceGatewayChange(tx, `grant:${grantId}`);
      await audit.record(tx, { actor, action: 'gateway.limits.set', recordType: 'access_grant', recordId: grantId, marking: { classification: 1, compartments: [] }, detail: { modelId: g.model.id, ...input } });
      return g.model.id;
    });
    buckets.delete(grantId);
    return (await listGrants(actor, subject, modelId)).find((x) => x.grantId === grantId)!;
  }

  // ---- keys ---------------------------------------------------------------------------------------

  function keyView(r: Awaited<ReturnType<typeof keysWhere>>[number], now: Date) {
    return {
      id: r.key.id,
      name: r.key.name,
      prefix: r.key.prefix,
      grantId: r.key.grantId,
      windowId: r.key.windowId,
      modelId: r.key.modelId,
      modelName: r.modelName,
      userId: r.key.userId,
      userEmail: r.userEmail,
      orgId: r.key.ownerOrgId,
      orgName: r.orgName,
      expiresAt: r.key.expiresAt.toISOString(),
      revokedAt: r.key.revokedAt?.toISOString() ?? null,
      createdAt: r.key.createdAt.toISOString(),
      active: !r.key.revokedAt && r.key.expiresAt.getTime() > now.getTime(),
    };
  }

  /** A user of the grantee organisation issues a key for itself under an active window grant. */
  async function issueKey(actor: Actor, subject: Subject, input: { grantId: string; name: string; expiresAt?: Date }, publicUrl: string) {
    return db.transaction(async (tx) => {
      const g = await windowGrant(tx, input.grantId);
      const now = clock();
      // A grant held by another organisation does not exist for this caller.
      if (!g || !(g.grant.granteeOrgId === subject.orgId || g.grant.granteeUserId === subject.userId)) throw new NotFoundError('grant', true);
      if (!grantActive(g.grant, subject, now) || g.window.status !== 'open' || g.window.closesAt <= now) throw new ConflictError('This access is not in force (revoked, expired, or its review window is not open).');
      if (g.model.status === 'withdrawn') throw new ConflictError('The developer has withdrawn this model from review.');
      const limit = g.grant.expiresAt && g.grant.expiresAt < g.window.closesAt ? g.grant.expiresAt : g.window.closesAt;
      const expiresAt = input.expiresAt ?? limit;
      if (expiresAt > limit) throw new ValidationError(`A key expires no later than its access (${limit.toISOString()}).`, [{ path: 'expiresAt', message: `at most ${limit.toISOString()}` }]);
      if (expiresAt <= now) throw new ValidationError('The expiry must be in the future.', [{ path: 'expiresAt', message: 'in the past' }]);
      const secret = newSecret(GATEWAY_KEY_PREFIX);
      const [k] = await tx
        .insert(gatewayKeys)
        .values({
          ownerOrgId: subject.orgId,
          classification: 1,
          grantId: g.grant.id,
          windowId: g.window.id,
          modelId: g.model.id,
          userId: subject.userId,
          name: input.name,
          keyHash: digest(secret),
          prefix: secret.slice(0, GATEWAY_KEY_PREFIX.length + 6),
          expiresAt,
          createdAt: now,
        })
        .returning();
      await audit.record(tx, { actor, action: 'gateway.key.issue', recordType: 'gateway_key', recordId: k.id, marking: { classification: 1, compartments: [] }, detail: { modelId: g.model.id, grantId: g.grant.id, name: input.name, expiresAt: expiresAt.toISOString() } });
      const [row] = await keysWhere(tx, eq(gatewayKeys.id, k.id));
      return { ...keyView(row, now), key: secret, baseUrl: `${publicUrl}/gateway/v1` };
    });
  }

  async function myKeys(_actor: Actor, subject: Subject) {
    const now = clock();
    return (await keysWhere(db, eq(gatewayKeys.userId, subject.userId))).map((r) => keyView(r, now));
  }

  async function modelKeys(_actor: Actor, subject: Subject, modelId: string) {
    await ownModel(db, subject, modelId);
    const now = clock();
    return (await keysWhere(db, eq(gatewayKeys.modelId, modelId))).map((r) => keyView(r, now));
  }

  /** The key's holder, or the developer of its model, revokes it; anyone else gets 404. */
  async function revokeKey(actor: Actor, subject: Subject, keyId: string) {
    const view = await db.transaction(async (tx) => {
      const r = await keyById(tx, keyId);
      const holder = r?.key.userId === subject.userId;
      const developer = r?.modelOwnerOrgId === subject.orgId;
      if (!r || (!holder && !developer)) throw new NotFoundError('key', true);
      if (!holder && !can(subject, 'windows:manage')) throw new ForbiddenError('Revoking access needs the developer role.');
      if (r.key.revokedAt) throw new ConflictError('That key is already revoked.');
      const now = clock();
      await tx.update(gatewayKeys).set({ revokedAt: now, revokedBy: subject.userId }).where(eq(gatewayKeys.id, keyId));
      await announceGatewayChange(tx, `key:${keyId}`);
      await audit.record(tx, {
        actor,
        action: 'gateway.key.revoke',
        recordType: 'gateway_key',
        recordId: keyId,
        ownerOrgId: subject.orgId,
        marking: { classification: 1, compartments: [] },
        detail: { modelId: r.key.modelId, grantId: r.key.grantId, by: holder ? 'holder' : 'developer' },
      });
      const [row] = await keysWhere(tx, eq(gatewayKeys.id, keyId));
      return keyView(row, now);
    });
    // The NOTIFY reaches this process too, but asynchronously; the very next request must be refused.
    invalidate(`key:${keyId}`);
    return view;
  }

  // ---- records ------------------------------------------------------------------------------------

  function usageRow(r: Awaited<ReturnType<typeof requestsWhere>>[number]) {
    return {
      id: r.id,
      at: r.at.toISOString(),
      userId: r.userId,
      userEmail: r.userEmail,
      orgName: r.orgName,
      keyId: r.keyId,
      grantId: r.grantId,
      endpoint: r.endpoint,
      status: r.status,
      latencyMs: r.latencyMs,
      promptTokens: r.promptTokens,
      completionTokens: r.completionTokens,
      streamed: r.streamed,
      errorCode: r.errorCode,
    };
  }

  /** The developer's usage of its model: who, when, how much, status — never content. */
  async function usage(_actor: Actor, subject: Subject, modelId: string, page: { limit: number; before?: string }) {
    await ownModel(db, subject, modelId);
    const where = eq(gatewayRequests.modelId, modelId);
    const rows = await requestsWhere(db, where, page.before ? new Date(page.before) : null, page.limit + 1);
    const items = rows.slice(0, page.limit).map(usageRow);
    return { items, totals: await requestTotals(db, where), nextBefore: rows.length > page.limit ? items[items.length - 1].at : null };
  }

  /**
   * Who may read transcripts (content): the user who made the request, and agency users with
   * determinations:work (cleared analysts) across organisations — both only at or under their
   * clearance and compartments. The developer of the model is neither: it reads usage (who, when,
   * how much, status) and never content or markings.
   *
   * Records are marked by purpose (a benchmark run's requests carry the run's marking), so a user's
   * own request can be marked above what that user may read right now — a SECRET//BENCH record of a
   * reviewer signed in without a second factor (who works at CONFIDENTIAL), or whose clearance was
   * lowered since. Decision: a user sees their own transcripts only at or under their current
   * clearance and compartments, like everyone else; being the author grants nothing beyond it.
   */
  function transcriptsReadableBy(subject: Subject): SQL {
    const compartments = sql`ARRAY[${sql.join(
      subject.compartments.map((c) => sql`${c}`),
      sql`, `,
    )}]::text[]`;
    const marking = sql`${gatewayRequests.classification} <= ${subject.clearance} and ${gatewayRequests.compartments} <@ ${compartments}`;
    const cross = subject.orgKind === 'agency' && can(subject, 'determinations:work');
    return cross ? sql`(${marking})` : sql`(${marking} and ${gatewayRequests.userId} = ${subject.userId})`;
  }

  function markingView(c: number, comps: string[]) {
    return { classification: nameOf(c), compartments: [...comps] };
  }

  async function transcripts(actor: Actor, subject: Subject, page: { limit: number; before?: string }) {
    const rows = await requestsWhere(db, transcriptsReadableBy(subject), page.before ? new Date(page.before) : null, page.limit + 1);
    const items = rows.slice(0, page.limit).map((r) => ({ ...usageRow(r), modelId: r.modelId, marking: markingView(r.classification, r.compartments) }));
    return { items, nextBefore: rows.length > page.limit ? items[items.length - 1].at : null };
  }

  /** One transcript with its content, decrypted; the read is audited. */
  async function transcript(actor: Actor, subject: Subject, id: string) {
    return db.transaction(async (tx) => {
      const [visible] = await tx
        .select({ id: gatewayRequests.id })
        .from(gatewayRequests)
        .where(and(eq(gatewayRequests.id, id), transcriptsReadableBy(subject)))
        .limit(1);
      if (!visible) throw new NotFoundError('transcript', true);
      const r = (await requestWithContent(tx, id))!;
      await audit.recordRead(tx, actor, { recordType: 'gateway_request', recordId: id, classification: r.classification, compartments: r.compartments });
      return {
        ...usageRow(r),
        modelId: r.modelId,
        windowId: r.windowId,
        marking: markingView(r.classification, r.compartments),
        request: r.requestEnc ? keyring.decrypt(r.requestEnc, `gateway_requests.request_enc:${id}`) : null,
        response: r.responseEnc ? keyring.decrypt(r.responseEnc, `gateway_requests.response_enc:${id}`) : null,
      };
    });
  }

  // Set when this process serves the gateway over HTTP (its routes are mounted): an evaluation
  // worker in the same process then calls the same proxy in-process (gateway.proxy.ts).
  let inProcess: LocalGateway | null = null;

  return {
    // proxy
    authenticate,
    resolveKey,
    runMarking,
    check,
    admit,
    record,
    openStream,
    upstreamTimeoutMs,
    invalidate,
    listening,
    // management
    getEndpoint,
    putEndpoint,
    testEndpoint,
    listGrants,
    setLimits,
    issueKey,
    myKeys,
    modelKeys,
    revokeKey,
    usage,
    transcripts,
    transcript,
    recorder,
    /** Writes buffered records now (tests, and before reading one's own usage). */
    flush: () => recorder.flush(),
    get openStreams() {
      return streams.size;
    },
    /** True once the stop hook ran: the proxy answers 503 instead of taking requests it could not record. */
    get closing() {
      return closing;
    },
    reportError: (err: Error) => opts.onError?.(err),
    serveInProcess(local: LocalGateway) {
      inProcess = local;
    },
    /** The in-process gateway, when this process serves one (null in a worker-only process). */
    get inProcess() {
      return inProcess;
    },
    jobs: [] as never[],
    startup: async () => {},
    /** The stop hook: stop timers, cut nothing, write every buffered record. Call before closing the database. */
    async close() {
      closing = true;
      clearInterval(streamTimer);
      await recorder.close();
    },
  };
}

export type GatewayService = ReturnType<typeof createGatewayService>;
