import { and, desc, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants, gatewayEndpoints, gatewayGrantLimits, gatewayKeys, gatewayRequests, models, organisations, reviewWindows, users } from '../../db/schema.ts';

export const WINDOW_SOURCE = 'review_window';

export type EndpointRow = typeof gatewayEndpoints.$inferSelect;
export type KeyRow = typeof gatewayKeys.$inferSelect;

/** Everything the proxy needs to decide on a request, in one query (cached by the service). */
export async function loadKeyContext(db: DbOrTx, keyHash: string) {
  const [r] = await db
    .select({
      keyId: gatewayKeys.id,
      userId: gatewayKeys.userId,
      orgId: gatewayKeys.ownerOrgId,
      classification: gatewayKeys.classification,
      compartments: gatewayKeys.compartments,
      keyExpiresAt: gatewayKeys.expiresAt,
      keyRevokedAt: gatewayKeys.revokedAt,
      grantId: accessGrants.id,
      grantStartsAt: accessGrants.startsAt,
      grantExpiresAt: accessGrants.expiresAt,
      grantRevokedAt: accessGrants.revokedAt,
      windowId: reviewWindows.id,
      windowStatus: reviewWindows.status,
      windowOpensAt: reviewWindows.opensAt,
      windowClosesAt: reviewWindows.closesAt,
      modelId: models.id,
      modelName: models.name,
      modelStatus: models.status,
      modelOwnerOrgId: models.ownerOrgId,
      baseUrl: gatewayEndpoints.baseUrl,
      upstreamModel: gatewayEndpoints.upstreamModel,
      apiKeyEnc: gatewayEndpoints.apiKeyEnc,
      endpointId: gatewayEndpoints.id,
      requestsPerMinute: gatewayGrantLimits.requestsPerMinute,
      tokenQuota: gatewayGrantLimits.tokenQuota,
      tokensUsed: gatewayGrantLimits.tokensUsed,
    })
    .from(gatewayKeys)
    .innerJoin(accessGrants, eq(accessGrants.id, gatewayKeys.grantId))
    .innerJoin(reviewWindows, eq(reviewWindows.id, gatewayKeys.windowId))
    .innerJoin(models, eq(models.id, gatewayKeys.modelId))
    .leftJoin(gatewayEndpoints, eq(gatewayEndpoints.modelId, gatewayKeys.modelId))
    .leftJoin(gatewayGrantLimits, eq(gatewayGrantLimits.grantId, gatewayKeys.grantId))
    .where(eq(gatewayKeys.keyHash, keyHash))
    .limit(1);
  return r ?? null;
}
export type KeyContextRow = NonNullable<Awaited<ReturnType<typeof loadKeyContext>>>;

export async function modelById(db: DbOrTx, modelId: string) {
  const [m] = await db.select().from(models).where(eq(models.id, modelId)).limit(1);
  return m ?? null;
}

export async function endpointOf(db: DbOrTx, modelId: string) {
  const [e] = await db.select().from(gatewayEndpoints).where(eq(gatewayEndpoints.modelId, modelId)).limit(1);
  return e ?? null;
}

/** A model grant from a review window, with its window and model. */
export async function windowGrant(db: DbOrTx, grantId: string) {
  const [r] = await db
    .select({ grant: accessGrants, window: reviewWindows, model: models })
    .from(accessGrants)
    .innerJoin(reviewWindows, eq(reviewWindows.id, accessGrants.sourceId))
    .innerJoin(models, eq(models.id, accessGrants.recordId))
    .where(and(eq(accessGrants.id, grantId), eq(accessGrants.recordType, 'model'), eq(accessGrants.sourceType, WINDOW_SOURCE)))
    .limit(1);
  return r ?? null;
}

/** The window grants on a model, with limits, usage and key counts (the developer's view). */
export async function modelGrants(db: DbOrTx, modelId: string) {
  return db
    .select({
      grant: accessGrants,
      windowStatus: reviewWindows.status,
      orgName: organisations.name,
      requestsPerMinute: gatewayGrantLimits.requestsPerMinute,
      tokenQuota: gatewayGrantLimits.tokenQuota,
      tokensUsed: gatewayGrantLimits.tokensUsed,
      keys: sql<number>`(select count(*)::int from gateway_keys k where k.grant_id = ${accessGrants.id})`,
    })
    .from(accessGrants)
    .innerJoin(reviewWindows, eq(reviewWindows.id, accessGrants.sourceId))
    .leftJoin(organisations, eq(organisations.id, accessGrants.granteeOrgId))
    .leftJoin(gatewayGrantLimits, eq(gatewayGrantLimits.grantId, accessGrants.id))
    .where(and(eq(accessGrants.recordType, 'model'), eq(accessGrants.recordId, modelId), eq(accessGrants.sourceType, WINDOW_SOURCE)))
    .orderBy(desc(accessGrants.createdAt), accessGrants.id);
}

export async function keysWhere(db: DbOrTx, where: SQL) {
  return db
    .select({ key: gatewayKeys, modelName: models.name, userEmail: users.email, orgName: organisations.name })
    .from(gatewayKeys)
    .innerJoin(models, eq(models.id, gatewayKeys.modelId))
    .leftJoin(users, eq(users.id, gatewayKeys.userId))
    .leftJoin(organisations, eq(organisations.id, gatewayKeys.ownerOrgId))
    .where(where)
    .orderBy(desc(gatewayKeys.createdAt))
    .limit(1000);
}

export async function keyById(db: DbOrTx, keyId: string) {
  const [r] = await db
    .select({ key: gatewayKeys, modelOwnerOrgId: models.ownerOrgId })
    .from(gatewayKeys)
    .innerJoin(models, eq(models.id, gatewayKeys.modelId))
    .where(eq(gatewayKeys.id, keyId))
    .for('update', { of: gatewayKeys })
    .limit(1);
  return r ?? null;
}

const usageColumns = {
  id: gatewayRequests.id,
  at: gatewayRequests.at,
  userId: gatewayRequests.userId,
  userEmail: users.email,
  orgName: organisations.name,
  keyId: gatewayRequests.keyId,
  grantId: gatewayRequests.grantId,
  endpoint: gatewayRequests.endpoint,
  status: gatewayRequests.status,
  latencyMs: gatewayRequests.latencyMs,
  promptTokens: gatewayRequests.promptTokens,
  completionTokens: gatewayRequests.completionTokens,
  streamed: gatewayRequests.streamed,
  errorCode: gatewayRequests.errorCode,
  modelId: gatewayRequests.modelId,
  windowId: gatewayRequests.windowId,
  classification: gatewayRequests.classification,
  compartments: gatewayRequests.compartments,
};

/** Request records without their content (usage views never select the *_enc columns). */
export async function requestsWhere(db: DbOrTx, where: SQL, before: Date | null, limit: number) {
  return db
    .select(usageColumns)
    .from(gatewayRequests)
    .leftJoin(users, eq(users.id, gatewayRequests.userId))
    .leftJoin(organisations, eq(organisations.id, gatewayRequests.ownerOrgId))
    .where(before ? and(where, lt(gatewayRequests.at, before)) : where)
    .orderBy(desc(gatewayRequests.at), desc(gatewayRequests.id))
    .limit(limit);
}

export async function requestTotals(db: DbOrTx, where: SQL) {
  const [r] = await db
    .select({
      requests: sql<number>`count(*)::int`,
      promptTokens: sql<number>`coalesce(sum(${gatewayRequests.promptTokens}), 0)::bigint`,
      completionTokens: sql<number>`coalesce(sum(${gatewayRequests.completionTokens}), 0)::bigint`,
    })
    .from(gatewayRequests)
    .where(where);
  return { requests: Number(r.requests), promptTokens: Number(r.promptTokens), completionTokens: Number(r.completionTokens) };
}

export async function requestWithContent(db: DbOrTx, id: string) {
  const [r] = await db
    .select({ ...usageColumns, ownerOrgId: gatewayRequests.ownerOrgId, requestEnc: gatewayRequests.requestEnc, responseEnc: gatewayRequests.responseEnc })
    .from(gatewayRequests)
    .leftJoin(users, eq(users.id, gatewayRequests.userId))
    .leftJoin(organisations, eq(organisations.id, gatewayRequests.ownerOrgId))
    .where(eq(gatewayRequests.id, id))
    .limit(1);
  return r ?? null;
}

export async function openWindowIdsOf(db: DbOrTx, windowIds: string[]) {
  if (windowIds.length === 0) return [];
  return db.select({ id: reviewWindows.id }).from(reviewWindows).where(inArray(reviewWindows.id, windowIds));
}
