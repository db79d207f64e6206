// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
//
// Markings: a report is CUI and owned by the submitter's organisation (the submitter always reads its
// own report); a vulnerability is CUI and owned by the clearinghouse operator (Treasury, agency code
// TREASURY; the first submitter's organisation when no operator exists). Clearinghouse analysts
// (`clearinghouse:validate`) read every report and vulnerability up to their clearance.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// The submitted document and the candidates read from it are encrypted
// (aad clearinghouse_reports.document_enc:<id> / candidates_enc:<id>).
export const clearinghouseReports = pgTable(
  'clearinghouse_reports',
  {
    id: uuid('id').primaryKey(),
    ...markedColumns(1),
    submitterUserId: uuid('submitter_user_id').notNull(),
    format: text('format').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    documentEnc: text('document_enc').notNull(),
    candidatesEnc: text('candidates_enc').notNull(),
    candidateCount: integer('candidate_count').notNull(),
  },
  (t) => [index('clearinghouse_reports_submitter_idx').on(t.submitterUserId, t.receivedAt)],
);

// A submission's first answer, kept per submitter and Idempotency-Key so that a retry returns it;
// response is { enc } (aad clearinghouse_idempotency.response:<user>:<sha256(key)>).
export const clearinghouseIdempotency = pgTable(
  'clearinghouse_idempotency',
  {
    submitterUserId: uuid('submitter_user_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.submitterUserId, t.key] })],
);

// One vulnerability, merged from every report of it. The title is encrypted
// (aad clearinghouse_vulnerabilities.title_enc:<id>); products and CWE stay plain for matching.
export const clearinghouseVulnerabilities = pgTable(
  'clearinghouse_vulnerabilities',
  {
    id: uuid('id').primaryKey(),
    ...markedColumns(1),
    titleEnc: text('title_enc').notNull(),
    similarityKey: text('similarity_key'),
    status: text('status').notNull(),
    statusSince: timestamp('status_since', { withTimezone: true }).notNull(),
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    /** [{ version, vector, baseScore, severity, score }] computed by scoreCvss. */
    cvss: jsonb('cvss').notNull().default(sql`'[]'::jsonb`),
    cwe: text('cwe').array().notNull().default(sql`'{}'::text[]`),
    /** Affected products: versionless purl + OSV ranges (introduced / fixed / last_affected). */
    affected: jsonb('affected').notNull().default(sql`'[]'::jsonb`),
    assignedValidatorUserId: uuid('assigned_validator_user_id'),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('clearinghouse_vulns_status_idx').on(t.status, t.statusSince), index('clearinghouse_vulns_similarity_idx').on(t.similarityKey)],
);

// Every deduplication key (fingerprints and similarity keys) that leads to a vulnerability; a key
// belongs to one vulnerability, so concurrent submissions of the same bug cannot create two.
export const clearinghouseVulnerabilityKeys = pgTable(
  'clearinghouse_vulnerability_keys',
  {
    key: text('key').primaryKey(),
    vulnerabilityId: uuid('vulnerability_id').notNull(),
    kind: text('kind').notNull(),
  },
  (t) => [index('clearinghouse_vuln_keys_vuln_idx').on(t.vulnerabilityId)],
);

// A report's candidate linked to its vulnerability; the reporter is credited on every link.
export const clearinghouseReportLinks = pgTable(
  'clearinghouse_report_links',
  {
    reportId: uuid('report_id').notNull(),
    candidateIndex: integer('candidate_index').notNull(),
    vulnerabilityId: uuid('vulnerability_id').notNull(),
    merged: boolean('merged').notNull(),
    reporterUserId: uuid('reporter_user_id').notNull(),
    reporterOrgId: uuid('reporter_org_id').notNull(),
    /** The reporting tool's name (SARIF runs[].tool.driver.name); grants credit an awardee's findings by it. */
    toolName: text('tool_name'),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.reportId, t.candidateIndex] }), index('clearinghouse_links_vuln_idx').on(t.vulnerabilityId), index('clearinghouse_links_reporter_idx').on(t.reporterUserId), index('clearinghouse_links_tool_idx').on(t.toolName, t.reporterOrgId)],
);

// Proof, reproduction notes and files; the content is encrypted (aad clearinghouse_evidence.content_enc:<id>).
export const clearinghouseEvidence = pgTable(
  'clearinghouse_evidence',
  {
    id: uuid('id').primaryKey(),
    vulnerabilityId: uuid('vulnerability_id').notNull(),
    kind: text('kind').notNull(),
    name: text('name'),
    mediaType: text('media_type'),
    sizeBytes: integer('size_bytes').notNull(),
    contentEnc: text('content_enc').notNull(),
    addedBy: uuid('added_by').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('clearinghouse_evidence_vuln_idx').on(t.vulnerabilityId)],
);

export const clearinghouseStatusHistory = pgTable(
  'clearinghouse_status_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    vulnerabilityId: uuid('vulnerability_id').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
    actorUserId: uuid('actor_user_id'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('clearinghouse_history_vuln_idx').on(t.vulnerabilityId, t.at)],
);

