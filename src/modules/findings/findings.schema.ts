import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
// The coordinated assessment tables live with the review windows they plan.
export * from '../reviews/assessment.schema.ts';

export interface StoredProduct {
  kind: 'purl' | 'cpe';
  value: string;
  key: string;
}

// A finding against a model, owned by the filing organisation (an agency or a trusted partner) and
// marked by it. The summary is encrypted (aad findings.summary_enc:<id>). The developer reads it only
// through an explicit share (access_grants source_type 'finding_share'), and only at CUI or below.
export const findings = pgTable(
  'findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    modelId: uuid('model_id').notNull(),
    /** The review window under which it was filed (the filer held a grant on it). */
    windowId: uuid('window_id').notNull(),
    modelOwnerOrgId: uuid('model_owner_org_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    summaryEnc: text('summary_enc').notNull(),
    cvssVersion: text('cvss_version'),
    cvssVector: text('cvss_vector'),
    cvssScore: real('cvss_score'),
    rating: text('rating').notNull(),
    cwe: text('cwe'),
    products: jsonb('products').$type<StoredProduct[]>().notNull().default([]),
    /** Ids of gateway_requests the filer could read when it cited them. */
    transcriptIds: uuid('transcript_ids').array().notNull().default([]),
    /** draft | filed | shared | accepted | disputed | mitigated | verified | reopened | closed | withdrawn */
    status: text('status').notNull(),
    /** Days before the planned release at which a response is due (by severity, at filing). */
    dueDaysBeforeRelease: integer('due_days_before_release').notNull(),
    duplicateOfId: uuid('duplicate_of_id'),
    /** The developer's latest answer (accept | dispute | mitigate) and the reviewer's check. */
    developerResponse: text('developer_response'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    verification: text('verification'),
    verifiedAt: timestamp('verified_at', { withTimezone: true }),
    /** Third-party software vulnerabilities go to the clearinghouse: queued | delivered | failed. */
    handoffState: text('handoff_state'),
    handoffReason: text('handoff_reason'),
    handoffAttempts: integer('handoff_attempts').notNull().default(0),
    handoffAt: timestamp('handoff_at', { withTimezone: true }),
    /** The clearinghouse report it became (the report keeps the finding's id too). */
    clearinghouseReportId: uuid('clearinghouse_report_id'),
    createdBy: uuid('created_by').notNull(),
    filedAt: timestamp('filed_at', { withTimezone: true }),
    sharedAt: timestamp('shared_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('findings_model_idx').on(t.modelId), index('findings_owner_idx').on(t.ownerOrgId), index('findings_handoff_idx').on(t.handoffState)],
);

// Reproduction files, encrypted (aad finding_evidence.content_enc:<id>); they carry the finding's marking.
export const findingEvidence = pgTable(
  'finding_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    findingId: uuid('finding_id').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    contentEnc: text('content_enc').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('finding_evidence_finding_idx').on(t.findingId)],
);

// Every change to a finding, in order. Notes (reasons, descriptions) are encrypted
// (aad finding_history.note_enc:<id>). Internal entries are not shown to the developer.
export const findingHistory = pgTable(
  'finding_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    findingId: uuid('finding_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorOrgId: uuid('actor_org_id'),
    action: text('action').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    noteEnc: text('note_enc'),
    internal: boolean('internal').notNull().default(false),
  },
  (t) => [index('finding_history_finding_idx').on(t.findingId, t.at)],
);
