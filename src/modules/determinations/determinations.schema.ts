import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// The classified benchmark: SECRET or above with the BENCH compartment, owned by NSA. Its task
// suites, scoring rules and thresholds are encrypted and never leave cleared hands.
export const benchmarks = pgTable('benchmarks', {
  id: uuid('id').primaryKey().defaultRandom(),
  ...markedColumns(3),
  name: text('name').notNull(),
  version: integer('version').notNull(),
  /** Encrypted JSON: { domains: [{ domain, suiteRefs, scoringRule }] }. */
  definitionEnc: text('definition_enc').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const thresholdVersions = pgTable(
  'threshold_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(3),
    benchmarkId: uuid('benchmark_id').notNull(),
    version: integer('version').notNull(),
    /** Encrypted JSON: { [domain]: threshold score }. */
    thresholdsEnc: text('thresholds_enc').notNull(),
    /** proposed | adopted | superseded | withdrawn (threshold.machine.ts) */
    status: text('status').notNull(),
    proposedBy: uuid('proposed_by').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
    adoptedBy: uuid('adopted_by'),
    adoptedAt: timestamp('adopted_at', { withTimezone: true }),
  },
  (t) => [index('threshold_versions_benchmark_idx').on(t.benchmarkId)],
);

/** ONCD's and CISA's recorded consultation on a threshold version (and, for determinations, sign-offs). */
export const agencyConsultations = pgTable('agency_consultations', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** threshold_version | determination */
  subjectType: text('subject_type').notNull(),
  subjectId: uuid('subject_id').notNull(),
  agencyOrgId: uuid('agency_org_id').notNull(),
  userId: uuid('user_id').notNull(),
  /** concur | concur_with_comment | non_concur */
  position: text('position').notNull(),
  commentEnc: text('comment_enc'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const determinations = pgTable(
  'determinations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(3),
    modelId: uuid('model_id').notNull(),
    benchmarkId: uuid('benchmark_id').notNull(),
    thresholdVersionId: uuid('threshold_version_id').notNull(),
    /** Encrypted JSON: { scores: {domain: score}, criteria: {...}, judgment, rationale }. */
    analysisEnc: text('analysis_enc').notNull(),
    computeFlop: doublePrecision('compute_flop'),
    /** draft | in_signoff | decided | superseded (determination.machine.ts) */
    status: text('status').notNull(),
    /** covered | not_covered | inconclusive, once decided */
    outcome: text('outcome'),
    unclassifiedSummary: text('unclassified_summary'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    reevaluationTriggers: text('reevaluation_triggers').array(),
    /** When it was last sent for sign-off: only sign-offs recorded since then count. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('determinations_model_idx').on(t.modelId)],
);

// What the developer sees of a determination, written when it is decided: no scores, thresholds,
// tasks or rationale can leak from a record that never held them.
export const determinationNotices = pgTable('determination_notices', {
  id: uuid('id').primaryKey().defaultRandom(),
  ...markedColumns(1),
  modelId: uuid('model_id').notNull(),
  determinationId: uuid('determination_id').notNull(),
  outcome: text('outcome').notNull(),
  summary: text('summary').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  reevaluationTriggers: text('reevaluation_triggers').array().notNull(),
  decidedAt: timestamp('decided_at', { withTimezone: true }).notNull(),
  benchmarkRef: jsonb('benchmark_ref').$type<{ name: string; version: number; thresholdVersion: number }>(),
});
