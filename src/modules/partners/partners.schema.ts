import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// Trusted-partner selection tables. Criteria are public (unclassified) and versioned: a change is a
// new version, never an edit, so every application and vote names the exact wording it answered.
export const partnerCriteriaVersions = pgTable('partner_criteria_versions', {
  version: integer('version').primaryKey(),
  /** [{ key, title, evidenceRequirement }] */
  criteria: jsonb('criteria').$type<{ key: string; title: string; evidenceRequirement: string }[]>().notNull(),
  note: text('note').notNull(),
  publishedBy: uuid('published_by').notNull(),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});

// A partner organisation's application (CUI, owned by the applicant). Answers and declarations are the
// applicant's proprietary statements, so both are encrypted (aad partner_applications.<column>:<id>).
export const partnerApplications = pgTable(
  'partner_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    criteriaVersion: integer('criteria_version').notNull(),
    /** submitted | eligible | not_eligible | withdrawn (application.machine.ts); expiry is computed */
    status: text('status').notNull(),
    answersEnc: text('answers_enc').notNull(),
    declarationsEnc: text('declarations_enc').notNull(),
    renewalOf: uuid('renewal_of'),
    eligibleUntil: timestamp('eligible_until', { withTimezone: true }),
    outcomeReasons: text('outcome_reasons'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('partner_applications_owner_idx').on(t.ownerOrgId)],
);

// An evidence document for one criterion of an application (content encrypted, aad
// partner_evidence.content_enc:<id>).
export const partnerEvidence = pgTable(
  'partner_evidence',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    applicationId: uuid('application_id').notNull(),
    criterionKey: text('criterion_key').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    contentEnc: text('content_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('partner_evidence_application_idx').on(t.applicationId)],
);

// The vetting reviewer's finding on one criterion. `note` is given to the applicant; `internal_note`
// stays with the agencies.
export const partnerVettingFindings = pgTable(
  'partner_vetting_findings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    criterionKey: text('criterion_key').notNull(),
    met: boolean('met').notNull(),
    note: text('note').notNull(),
    internalNote: text('internal_note'),
    reviewerId: uuid('reviewer_id').notNull(),
    reviewerOrgId: uuid('reviewer_org_id').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('partner_vetting_findings_key').on(t.applicationId, t.criterionKey)],
);

// A joint selection panel for one application, one model and one review window (kind 'selection'),
// or the appeal panel against one refused decision (kind 'appeal', appeal_of = the refused panel).
// Owned by the model's developer (CUI): the model and its intellectual property are the developer's.
export const selectionPanels = pgTable(
  'selection_panels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    kind: text('kind').notNull(),
    modelId: uuid('model_id').notNull(),
    windowId: uuid('window_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    applicantOrgId: uuid('applicant_org_id').notNull(),
    appealOf: uuid('appeal_of'),
    appealGrounds: text('appeal_grounds'),
    rule: jsonb('rule').$type<{ govMajority: boolean; developerMajority: boolean; developerConcurrenceRequired: true }>().notNull(),
    /** open | approved | refused */
    status: text('status').notNull(),
    reasons: text('reasons'),
    /** Whether the applicant was eligible when the panel decided (for the consistency report). */
    eligibleAtDecision: boolean('eligible_at_decision'),
    unmetCriteria: text('unmet_criteria').array(),
    grantId: uuid('grant_id'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('selection_panels_application_idx').on(t.applicationId), uniqueIndex('selection_panels_appeal_of_key').on(t.appealOf)],
);

export const panelMembers = pgTable(
  'panel_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    panelId: uuid('panel_id').notNull(),
    userId: uuid('user_id').notNull(),
    orgId: uuid('org_id').notNull(),
    /** government | developer */
    side: text('side').notNull(),
    /** null until declared */
    conflicted: boolean('conflicted'),
    conflictNote: text('conflict_note'),
    declaredAt: timestamp('declared_at', { withTimezone: true }),
    /** approve | refuse */
    vote: text('vote'),
    rationale: text('rationale'),
    citedCriteria: text('cited_criteria').array(),
    votedAt: timestamp('voted_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('panel_members_key').on(t.panelId, t.userId), index('panel_members_user_idx').on(t.userId)],
);
