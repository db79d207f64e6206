import { z } from 'zod';
import { OPERATOR_EVENTS, REMEDIATION_STATES, VEX_JUSTIFICATIONS } from './remediation.machine.ts';

export const ById = z.object({ id: z.uuid() }).strict();
export const ByAdvisory = z.object({ advisoryId: z.uuid() }).strict();

export const BoardQuery = z
  .object({
    state: z.enum([...REMEDIATION_STATES, 'open']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const TransitionBody = z
  .object({
    event: z.enum(OPERATOR_EVENTS),
    /** With declare_not_affected: a CSAF 2.0 flag label or a CycloneDX analysis justification. */
    justification: z.enum(VEX_JUSTIFICATIONS).optional(),
    /** With accept_risk: when the decision comes back (at most a year ahead). */
    riskExpiresAt: z.iso.datetime({ offset: true }).optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();

const Fix = z.object({ fixedVersions: z.array(z.string()), remediation: z.string().nullable(), url: z.string().nullable() });

export const RecordView = z.object({
  id: z.string(),
  advisoryId: z.string(),
  advisoryRef: z.string(),
  title: z.string(),
  severity: z.string().nullable(),
  tlp: z.string(),
  state: z.enum(REMEDIATION_STATES),
  priorityTier: z.number().nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  justification: z.string().nullable(),
  riskExpiresAt: z.string().nullable(),
  fix: Fix,
  openComponents: z.number(),
  openedAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});

export const BoardView = z.object({
  items: z.array(RecordView),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  counts: z.record(z.string(), z.number()),
});

export const RecordDetailView = RecordView.extend({
  note: z.string().nullable(),
  actions: z.array(z.enum(OPERATOR_EVENTS)),
  components: z.array(z.object({ assetId: z.string(), assetName: z.string().nullable(), componentId: z.string(), package: z.string(), version: z.string().nullable(), matchedAt: z.string(), clearedAt: z.string().nullable() })),
  history: z.array(z.object({ event: z.string(), fromState: z.string().nullable(), toState: z.string(), by: z.string().nullable(), note: z.string().nullable(), at: z.string() })),
});

export const DeliveryView = z.object({
  id: z.string(),
  channelKind: z.enum(['email', 'webhook']),
  /** The full address for the operator itself; only the host (webhook) or domain (email) for others. */
  address: z.string(),
  event: z.string(),
  status: z.string(),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  deadAt: z.string().nullable(),
});

export const AdvisoryDeliveriesView = z.object({
  advisoryId: z.string(),
  operators: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      sector: z.string().nullable(),
      remediationId: z.string(),
      state: z.enum(REMEDIATION_STATES),
      dueAt: z.string(),
      deliveries: z.array(DeliveryView),
    }),
  ),
  total: z.number(),
  limit: z.number(),
  offset: z.number(),
  /** Over every affected operator: records per state, and deliveries per status (delivery_<status>). */
  totals: z.record(z.string(), z.number()),
});

export const DeliveriesQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

export const DeadLetterView = DeliveryView.extend({ orgId: z.string(), orgName: z.string(), advisoryIds: z.array(z.string()), redeliveries: z.number() });
export const DeadLettersView = z.object({ items: z.array(DeadLetterView) });
export const DeadLetterQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();

export const TestResultView = z.object({
  deliveryId: z.string(),
  delivered: z.boolean(),
  statusCode: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
