import { z } from 'zod';

export const Id = z.uuid();
const Instant = z.iso
  .datetime({ offset: true })
  .max(40)
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2200, 'a time between the years 2000 and 2200');
const Reason = z.string().trim().min(1).max(1000);

export const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()) });

export const PolicyVersionView = z.object({
  version: z.number().int(),
  maxWindowDays: z.number().int(),
  computeTriggerFlop: z.number(),
  reason: z.string(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export const PolicyView = z.object({ current: PolicyVersionView, history: z.array(PolicyVersionView) });
export const PolicyChangeBody = z
  .object({
    maxWindowDays: z.number().int().min(1).max(365),
    computeTriggerFlop: z.number().positive().max(1e40),
    reason: Reason,
  })
  .strict();

export const GrantView = z.object({
  id: z.string(),
  granteeOrgId: z.string().nullable(),
  granteeOrgName: z.string().nullable(),
  startsAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  active: z.boolean(),
});

export const WindowView = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  developerOrgId: z.string(),
  developerOrgName: z.string().nullable(),
  status: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  policyVersion: z.number().int(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  createdAt: z.string(),
  plannedReleaseAt: z.string(),
  /** The developer sees every grant; an agency sees only its own. */
  grants: z.array(GrantView),
  marking: MarkingView,
});

export const OpenWindowBody = z
  .object({
    agencyOrgIds: z.array(Id).min(1).max(20),
    opensAt: Instant.optional(),
    closesAt: Instant,
  })
  .strict();
export const ShortenBody = z.object({ closesAt: Instant }).strict();
export const WithdrawBody = z.object({ reason: Reason.optional() }).strict();
export const ReleaseDateBody = z.object({ plannedReleaseAt: Instant, reason: Reason.optional() }).strict();

export const ModelStateView = z.object({
  modelId: z.string(),
  status: z.string(),
  plannedReleaseAt: z.string(),
  window: WindowView.nullable(),
});

export const EligibilityView = z.object({
  eligible: z.boolean(),
  covered: z.boolean(),
  wouldBenefit: z.boolean(),
  reason: z.string(),
  maxWindowDays: z.number().int(),
  plannedReleaseAt: z.string(),
  modelStatus: z.string(),
});

export const TimelineEntry = z.object({
  at: z.string(),
  kind: z.enum(['event', 'release_change']),
  action: z.string(),
  actorOrgName: z.string().nullable(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export const TimelineView = z.object({ modelId: z.string(), items: z.array(TimelineEntry), marking: MarkingView });

export const AgencyOption = z.object({ id: z.string(), name: z.string(), agencyCode: z.string().nullable() });

export type WindowViewT = z.infer<typeof WindowView>;
