// Request and response shapes of the clearinghouse intake and validation API (bounded everywhere).
import { z } from 'zod';
import { affectedProductSchema, CWE_ID, INTAKE_SOURCES } from './intake/candidate.ts';
import { VULNERABILITY_STATES } from './vulnerability.machine.ts';
import { nativeAffected } from './intake/native.ts';

/** A submission's body; the document itself is bounded by the route's body limit and by the intake's limits. */
export const REPORT_BODY_LIMIT = 5 * 1024 * 1024;
export const MAX_EVIDENCE_BYTES = 1024 * 1024;
export const EVIDENCE_BODY_LIMIT = Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 16 * 1024;
export const MAX_EVIDENCE_PER_VULNERABILITY = 50;

export const SubmitReportBody = z
  .object({
    format: z.enum(INTAKE_SOURCES).optional(),
    // JSON (object or array), or text for OSV JSON Lines.
    document: z.union([z.record(z.string().max(1024), z.unknown()), z.array(z.unknown()).max(10_000), z.string().min(1).max(REPORT_BODY_LIMIT)]),
    /** SARIF only: the products the scanned code is (a scanner's results name files, not packages). */
    affected: z.array(nativeAffected).max(50).optional(),
  })
  .strict();
export type SubmitReportInput = z.infer<typeof SubmitReportBody>;

export const IdempotencyHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export const SubmitReportResponse = z.object({
  reportId: z.uuid(),
  format: z.enum(INTAKE_SOURCES),
  candidates: z.array(z.object({ index: z.number().int(), vulnerabilityId: z.uuid(), merged: z.boolean() })),
  warnings: z.array(z.string()),
});
export type SubmitReportResult = z.infer<typeof SubmitReportResponse>;

export const ReportView = z.object({
  id: z.uuid(),
  format: z.enum(INTAKE_SOURCES),
  receivedAt: z.string(),
  submitterUserId: z.uuid(),
  mine: z.boolean(),
  /** The review finding handed off as this report (findings of third-party vulnerabilities). */
  findingId: z.uuid().nullable(),
  candidates: z.array(z.object({ index: z.number().int(), title: z.string(), vulnerabilityId: z.uuid(), merged: z.boolean(), status: z.enum(VULNERABILITY_STATES) })),
});
export type ReportViewT = z.infer<typeof ReportView>;

const state = z.enum(VULNERABILITY_STATES);

export const QueueItem = z.object({
  id: z.uuid(),
  title: z.string(),
  status: state,
  createdAt: z.string(),
  ageDays: z.number(),
  statusSince: z.string(),
  slaDays: z.number().nullable(),
  slaDueAt: z.string().nullable(),
  overdue: z.boolean(),
  assignedValidatorUserId: z.uuid().nullable(),
  reports: z.number().int(),
});
export const QueueQuery = z
  .object({ status: state.optional(), overdue: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) })
  .strict();

export const CvssScore = z.object({ version: z.string(), vector: z.string(), baseScore: z.number(), severity: z.string(), score: z.number() });

export const VulnerabilityView = z.object({
  id: z.uuid(),
  /** Analysts see the full record; a reporter sees the status and its own reports only. */
  view: z.enum(['analyst', 'reporter']),
  status: state,
  statusSince: z.string(),
  title: z.string().optional(),
  createdAt: z.string().optional(),
  slaDueAt: z.string().nullable().optional(),
  overdue: z.boolean().optional(),
  cvss: z.array(CvssScore).optional(),
  cwe: z.array(z.string()).optional(),
  affected: z.array(z.unknown()).optional(),
  assignedValidatorUserId: z.uuid().nullable().optional(),
  credits: z.array(z.object({ reportId: z.uuid(), reporterUserId: z.uuid(), reporterOrgId: z.uuid(), merged: z.boolean(), linkedAt: z.string() })),
  evidence: z.array(z.object({ id: z.uuid(), kind: z.string(), name: z.string().nullable(), mediaType: z.string().nullable(), sizeBytes: z.number(), addedAt: z.string() })).optional(),
  history: z.array(z.object({ from: z.string().nullable(), to: z.string(), reason: z.string().nullable(), at: z.string() })).optional(),
});
export type VulnerabilityViewT = z.infer<typeof VulnerabilityView>;

export const TransitionBody = z.object({ to: state, reason: z.string().max(2000).optional() }).strict();
export const AssignBody = z.object({ userId: z.uuid() }).strict();
export const EvidenceBody = z
  .object({
    kind: z.enum(['proof', 'reproduction', 'note', 'file']),
    name: z.string().min(1).max(255).optional(),
    mediaType: z.string().min(1).max(127).optional(),
    /** Notes as text; files as base64 (contentBase64). Exactly one. */
    text: z.string().min(1).max(MAX_EVIDENCE_BYTES).optional(),
    contentBase64: z.string().min(1).max(Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 4).optional(),
  })
  .strict()
  .refine((b) => (b.text === undefined) !== (b.contentBase64 === undefined), { message: 'send exactly one of text or contentBase64', path: ['text'] });

export const AssessmentBody = z
  .object({
    cvss: z.array(z.string().min(1).max(512)).max(10),
    cwe: z.array(z.string().regex(CWE_ID)).max(50),
    affected: z.array(affectedProductSchema).max(1000),
  })
  .strict();
export type AssessmentInput = z.infer<typeof AssessmentBody>;

export const MyReportsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }).strict();
export const MyReportItem = z.object({ id: z.uuid(), format: z.enum(INTAKE_SOURCES), receivedAt: z.string(), candidates: z.number().int(), merged: z.number().int() });
export const ValidatorItem = z.object({ userId: z.uuid(), name: z.string(), orgName: z.string() });
