import { z } from 'zod';
import { FINDING_EVENTS, FINDING_STATES } from './finding.machine.ts';
import { RATINGS } from './severity.ts';

export const FINDING_KINDS = ['dangerous_capability', 'safeguard_bypass', 'deployment_vulnerability', 'third_party_vulnerability'] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

export const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;
export const MAX_EVIDENCE_BASE64 = Math.ceil(MAX_EVIDENCE_BYTES / 3) * 4;
export const EVIDENCE_BODY_LIMIT = 3 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 10;

const Id = z.uuid();
const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()) });

export const NewFindingBody = z
  .object({
    modelId: Id,
    kind: z.enum(FINDING_KINDS),
    title: z.string().trim().min(1).max(200),
    summary: z.string().trim().min(1).max(20_000),
    /** A CVSS 3.1 or 4.0 vector; the rating then follows from its score. */
    cvssVector: z.string().trim().min(1).max(300).optional(),
    /** The qualitative rating, required when there is no vector (a dangerous capability, say). */
    rating: z.enum(RATINGS).optional(),
    cwe: z.string().trim().min(1).max(20).optional(),
    /** package-urls or CPE 2.3 formatted strings. */
    products: z.array(z.string().trim().min(1).max(500)).max(20).default([]),
    transcriptIds: z.array(Id).max(50).default([]),
    marking: z.string().trim().min(1).max(60).default('CUI'),
    /** false keeps a draft; by default the finding is filed at once. */
    submit: z.boolean().default(true),
  })
  .strict();

export const FindingActionBody = z
  .object({
    event: z.enum(FINDING_EVENTS),
    note: z.string().trim().min(1).max(10_000).optional(),
  })
  .strict();

export const ShareBody = z.object({ orgId: Id }).strict();

export const EvidenceBody = z
  .object({
    filename: z.string().trim().min(1).max(200),
    mediaType: z
      .string()
      .trim()
      .max(100)
      .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'a media type such as text/plain'),
    contentBase64: z.string().min(1).max(MAX_EVIDENCE_BASE64, `at most ${MAX_EVIDENCE_BYTES} bytes once decoded`),
  })
  .strict();

export const ListQuery = z
  .object({
    modelId: Id.optional(),
    status: z.enum(FINDING_STATES).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(200),
  })
  .strict();

export const FindingSummary = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  kind: z.string(),
  title: z.string(),
  rating: z.string(),
  cvssScore: z.number().nullable(),
  status: z.string(),
  dueAt: z.string().nullable(),
  filerOrgName: z.string().nullable(),
  duplicate: z.boolean(),
  handoffState: z.string().nullable(),
  marking: MarkingView,
  markingText: z.string(),
  createdAt: z.string(),
});

export const HistoryEntry = z.object({
  at: z.string(),
  action: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  actorOrgName: z.string().nullable(),
  note: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});

export const EvidenceView = z.object({ id: z.string(), filename: z.string(), mediaType: z.string(), sizeBytes: z.number(), sha256: z.string(), createdAt: z.string() });

export const FindingView = FindingSummary.extend({
  windowId: z.string(),
  summary: z.string(),
  cvss: z.object({ version: z.string(), vector: z.string(), score: z.number() }).nullable(),
  cwe: z.string().nullable(),
  products: z.array(z.object({ kind: z.string(), value: z.string() })),
  transcriptIds: z.array(z.string()),
  evidence: z.array(EvidenceView),
  plannedReleaseAt: z.string(),
  duplicateOf: z.object({ id: z.string(), title: z.string() }).nullable(),
  developerResponse: z.string().nullable(),
  respondedAt: z.string().nullable(),
  verification: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  handoff: z.object({ state: z.string(), reason: z.string().nullable(), attempts: z.number(), at: z.string().nullable(), clearinghouseReportId: z.string().nullable() }).nullable(),
  filedAt: z.string().nullable(),
  sharedAt: z.string().nullable(),
  role: z.enum(['reviewer', 'developer', 'reader']),
  allowedEvents: z.array(z.string()),
  shares: z.array(z.object({ orgId: z.string().nullable(), orgName: z.string().nullable(), at: z.string(), revokedAt: z.string().nullable() })),
  history: z.array(HistoryEntry),
});

export const EvidenceContent = EvidenceView.extend({ contentBase64: z.string() });
