import { z } from 'zod';

export const Id = z.uuid();
const Instant = z.iso
  .datetime({ offset: true })
  .max(40)
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2200, 'a time between the years 2000 and 2200');

export const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()) });

const BaseUrl = z
  .string()
  .trim()
  .max(500)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'an http or https URL without credentials, query or fragment (for example https://api.example.com/v1)');

export const EndpointBody = z
  .object({
    baseUrl: BaseUrl,
    upstreamModel: z.string().trim().min(1).max(200),
    /** Required when registering; omitted on an update, the stored key stays. */
    apiKey: z.string().min(1).max(4000).optional(),
  })
  .strict();

export const EndpointView = z.object({
  modelId: z.string(),
  baseUrl: z.string(),
  upstreamModel: z.string(),
  /** The key itself is never returned. */
  apiKeySet: z.boolean(),
  lastTestAt: z.string().nullable(),
  lastTestOk: z.boolean().nullable(),
  lastTestDetail: z.string().nullable(),
  updatedAt: z.string(),
});

export const EndpointTestView = z.object({ ok: z.boolean(), status: z.number().int().nullable(), latencyMs: z.number(), detail: z.string() });

export const LimitsBody = z
  .object({
    requestsPerMinute: z.number().int().min(1).max(1_000_000).nullable(),
    tokenQuota: z.number().int().min(1).max(1e12).nullable(),
  })
  .strict();

export const GatewayGrantView = z.object({
  grantId: z.string(),
  windowId: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  granteeOrgId: z.string().nullable(),
  granteeOrgName: z.string().nullable(),
  expiresAt: z.string().nullable(),
  active: z.boolean(),
  requestsPerMinute: z.number().int().nullable(),
  tokenQuota: z.number().nullable(),
  tokensUsed: z.number(),
  keys: z.number().int(),
});

export const IssueKeyBody = z
  .object({
    grantId: Id,
    name: z.string().trim().min(1).max(100),
    /** At most the grant's expiry (the default). */
    expiresAt: Instant.optional(),
  })
  .strict();

export const KeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  grantId: z.string(),
  windowId: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  userId: z.string(),
  userEmail: z.string().nullable(),
  orgId: z.string(),
  orgName: z.string().nullable(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  active: z.boolean(),
});
export const IssuedKeyView = KeyView.extend({ key: z.string(), baseUrl: z.string() });

export const UsageRowView = z.object({
  id: z.string(),
  at: z.string(),
  userId: z.string(),
  userEmail: z.string().nullable(),
  orgName: z.string().nullable(),
  keyId: z.string(),
  grantId: z.string(),
  endpoint: z.string(),
  status: z.number().int(),
  latencyMs: z.number(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  streamed: z.boolean(),
  errorCode: z.string().nullable(),
});
export const UsageView = z.object({
  items: z.array(UsageRowView),
  totals: z.object({ requests: z.number().int(), promptTokens: z.number(), completionTokens: z.number() }),
  nextBefore: z.string().nullable(),
});

export const TranscriptView = UsageRowView.extend({
  modelId: z.string(),
  windowId: z.string(),
  marking: MarkingView,
  request: z.string().nullable(),
  response: z.string().nullable(),
});
export const TranscriptSummaryView = UsageRowView.extend({ modelId: z.string(), marking: MarkingView });

export const PageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before: z.iso.datetime({ offset: true }).max(40).optional(),
  })
  .strict();
