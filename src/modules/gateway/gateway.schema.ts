import { bigint, boolean, index, integer, pgTable, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// The developer's upstream for one model (CUI, owned by the developer's organisation). The key is
// stored encrypted (aad gateway_endpoints.api_key_enc:<id>) and never returned.
export const gatewayEndpoints = pgTable(
  'gateway_endpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    modelId: uuid('model_id').notNull(),
    baseUrl: text('base_url').notNull(),
    upstreamModel: text('upstream_model').notNull(),
    apiKeyEnc: text('api_key_enc').notNull(),
    lastTestAt: timestamp('last_test_at', { withTimezone: true }),
    lastTestOk: boolean('last_test_ok'),
    lastTestDetail: text('last_test_detail'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('gateway_endpoints_model_idx').on(t.modelId)],
);

// The developer's limits on one review-window grant, shared by every key issued under it, and the
// tokens used so far (added by the recorder at each flush).
export const gatewayGrantLimits = pgTable('gateway_grant_limits', {
  grantId: uuid('grant_id').primaryKey(),
  modelId: uuid('model_id').notNull(),
  requestsPerMinute: integer('requests_per_minute'),
  tokenQuota: bigint('token_quota', { mode: 'number' }),
  tokensUsed: bigint('tokens_used', { mode: 'number' }).notNull().default(0),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// A gateway credential: one named user of the grantee organisation, one grant (so one model and one
// window), an expiry no later than the grant's. Only the SHA-256 digest of the secret is stored.
export const gatewayKeys = pgTable(
  'gateway_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** owner = the grantee organisation; CUI */
    ...markedColumns(1),
    grantId: uuid('grant_id').notNull(),
    windowId: uuid('window_id').notNull(),
    modelId: uuid('model_id').notNull(),
    userId: uuid('user_id').notNull(),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    /** The first characters of the secret, so a holder can tell its keys apart. */
    prefix: text('prefix').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedBy: uuid('revoked_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('gateway_keys_hash_idx').on(t.keyHash), index('gateway_keys_model_idx').on(t.modelId), index('gateway_keys_grant_idx').on(t.grantId), index('gateway_keys_user_idx').on(t.userId)],
);

// One row per request through the gateway (written in batches, see recorder.ts). Owned by the
// grantee organisation and marked (CUI by default); the prompt and the response are encrypted
// (aad gateway_requests.request_enc:<id> / response_enc:<id>). The developer's organisation is kept in
// model_owner_org_id for its usage view, which never selects the content columns.
export const gatewayRequests = pgTable(
  'gateway_requests',
  {
    id: uuid('id').primaryKey(),
    ...markedColumns(1),
    at: timestamp('at', { withTimezone: true }).notNull(),
    keyId: uuid('key_id').notNull(),
    grantId: uuid('grant_id').notNull(),
    windowId: uuid('window_id').notNull(),
    modelId: uuid('model_id').notNull(),
    modelOwnerOrgId: uuid('model_owner_org_id').notNull(),
    userId: uuid('user_id').notNull(),
    endpoint: text('endpoint').notNull(),
    status: smallint('status').notNull(),
    latencyMs: real('latency_ms').notNull(),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    streamed: boolean('streamed').notNull().default(false),
    errorCode: text('error_code'),
    requestEnc: text('request_enc'),
    responseEnc: text('response_enc'),
  },
  (t) => [
    index('gateway_requests_model_at_idx').on(t.modelId, t.at),
    index('gateway_requests_user_at_idx').on(t.userId, t.at),
    index('gateway_requests_key_idx').on(t.keyId),
    index('gateway_requests_owner_at_idx').on(t.ownerOrgId, t.at),
  ],
);
