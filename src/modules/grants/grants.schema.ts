import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// Grants for AI vulnerability-detection tools (solicitation → application → scored review → award →
// milestones) and the catalogue of defensive-tool services offered to critical-infrastructure operators.
// Money is whole US dollars (bigint): budgets and awards are checked by exact sums, never floats.

/** A funding opportunity, owned by the program officer's agency; public once published. */
export const grantOpportunities = pgTable(
  'grant_opportunities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    number: text('number').notNull(),
    title: text('title').notNull(),
    program: text('program').notNull(),
    summary: text('summary').notNull(),
    /** { orgKinds, minEmployees, maxEmployees, requiredAttestations } (eligibility.ts) */
    eligibility: jsonb('eligibility').notNull(),
    floorUsd: bigint('floor_usd', { mode: 'number' }).notNull(),
    ceilingUsd: bigint('ceiling_usd', { mode: 'number' }).notNull(),
    totalFundingUsd: bigint('total_funding_usd', { mode: 'number' }).notNull(),
    expectedAwards: integer('expected_awards').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    /** The IANA zone the officer stated the dates in; instants are stored, the zone is for display. */
    timeZone: text('time_zone').notNull(),
    requiredSections: jsonb('required_sections').notNull(),
    rubric: jsonb('rubric').notNull(),
    budgetYears: integer('budget_years').notNull(),
    /** draft | published | cancelled */
    status: text('status').notNull(),
    createdBy: uuid('created_by').notNull(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('grant_opportunities_number_key').on(t.number)],
);

/** An application, owned by the applicant organisation; the agency reads it through a grant made at submission. */
export const grantApplications = pgTable(
  'grant_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    opportunityId: uuid('opportunity_id').notNull(),
    /** draft | submitted | under_review | awarded | declined | withdrawn (application.machine.ts) */
    status: text('status').notNull(),
    projectTitle: text('project_title').notNull(),
    declaredEmployees: integer('declared_employees'),
    /** Encrypted JSON { [sectionKey]: text }: proprietary to the applicant. */
    sectionsEnc: text('sections_enc'),
    /** { years, lines: [{ category, amounts[] }] } */
    budget: jsonb('budget'),
    budgetTotalUsd: bigint('budget_total_usd', { mode: 'number' }),
    attestations: jsonb('attestations').notNull(),
    /** The automatic eligibility check at submission: { eligible, reasons, checkedAt }. */
    eligibilityCheck: jsonb('eligibility_check'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('grant_applications_opportunity_idx').on(t.opportunityId), index('grant_applications_owner_idx').on(t.ownerOrgId)],
);

export const grantAttachments = pgTable(
  'grant_attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    /** Encrypted base64 of the file (aad grant_attachments.content_enc:<id>). */
    contentEnc: text('content_enc').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('grant_attachments_application_idx').on(t.applicationId)],
);

export const grantReviewAssignments = pgTable(
  'grant_review_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    opportunityId: uuid('opportunity_id').notNull(),
    reviewerUserId: uuid('reviewer_user_id').notNull(),
    reviewerOrgId: uuid('reviewer_org_id').notNull(),
    /** assigned | cleared | conflicted | scored */
    status: text('status').notNull(),
    conflictNote: text('conflict_note'),
    declaredAt: timestamp('declared_at', { withTimezone: true }),
    scoredAt: timestamp('scored_at', { withTimezone: true }),
    assignedBy: uuid('assigned_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('grant_review_assignments_key').on(t.applicationId, t.reviewerUserId), index('grant_review_assignments_opportunity_idx').on(t.opportunityId)],
);

export const grantScores = pgTable(
  'grant_scores',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assignmentId: uuid('assignment_id').notNull(),
    applicationId: uuid('application_id').notNull(),
    criterionKey: text('criterion_key').notNull(),
    score: integer('score').notNull(),
    /** Encrypted; shown to the applicant after the decision without the reviewer's name. */
    commentEnc: text('comment_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('grant_scores_key').on(t.assignmentId, t.criterionKey)],
);

/** An award, owned by the awarding agency and shared with the recipient organisation. */
export const grantAwards = pgTable(
  'grant_awards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    applicationId: uuid('application_id').notNull(),
    opportunityId: uuid('opportunity_id').notNull(),
    recipientOrgId: uuid('recipient_org_id').notNull(),
    amountUsd: bigint('amount_usd', { mode: 'number' }).notNull(),
    /** active | closing | closed | terminated (award.machine.ts) */
    status: text('status').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeoutNote: text('closeout_note'),
  },
  (t) => [uniqueIndex('grant_awards_application_key').on(t.applicationId), index('grant_awards_opportunity_idx').on(t.opportunityId)],
);

export const grantMilestones = pgTable(
  'grant_milestones',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id').notNull(),
    title: text('title').notNull(),
    dueOn: text('due_on').notNull(),
    deliverables: text('deliverables').notNull(),
    amountUsd: bigint('amount_usd', { mode: 'number' }).notNull(),
    /** planned | submitted | accepted */
    status: text('status').notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('grant_milestones_award_idx').on(t.awardId)],
);

export const grantProgressReports = pgTable(
  'grant_progress_reports',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id').notNull(),
    milestoneId: uuid('milestone_id'),
    period: text('period').notNull(),
    narrativeEnc: text('narrative_enc').notNull(),
    submittedBy: uuid('submitted_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('grant_progress_reports_award_idx').on(t.awardId)],
);

export const grantPayments = pgTable(
  'grant_payments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id').notNull(),
    milestoneId: uuid('milestone_id').notNull(),
    amountUsd: bigint('amount_usd', { mode: 'number' }).notNull(),
    reference: text('reference').notNull(),
    paidBy: uuid('paid_by').notNull(),
    paidAt: timestamp('paid_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('grant_payments_award_idx').on(t.awardId)],
);

/**
 * The awardee's tool as the award knows it: the name its SARIF reports carry in
 * runs[].tool.driver.name, so the clearinghouse's SARIF intake can credit findings to the award.
 */
export const grantAwardTools = pgTable(
  'grant_award_tools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    awardId: uuid('award_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    sarifDriverName: text('sarif_driver_name').notNull(),
    registeredBy: uuid('registered_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('grant_award_tools_driver_key').on(t.sarifDriverName), index('grant_award_tools_award_idx').on(t.awardId)],
);

/** A defensive-tool service offered to operators; public to read. */
export const catalogueServices = pgTable('catalogue_services', {
  id: uuid('id').primaryKey().defaultRandom(),
  ...markedColumns(0),
  name: text('name').notNull(),
  provider: text('provider').notNull(),
  description: text('description').notNull(),
  sectors: text('sectors').array().notNull(),
  /** Operator size tiers eligible: small | medium | large */
  tiers: text('tiers').array().notNull(),
  costToOperator: text('cost_to_operator').notNull(),
  howToEnrol: text('how_to_enrol').notNull(),
  active: boolean('active').notNull().default(true),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An operator's enrolment request, owned by the operator; the program reads every one (catalogue:manage). */
export const serviceEnrolments = pgTable(
  'service_enrolments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    serviceId: uuid('service_id').notNull(),
    sector: text('sector').notNull(),
    tier: text('tier').notNull(),
    /** requested | enrolled | declined | withdrawn */
    status: text('status').notNull(),
    note: text('note'),
    decisionNote: text('decision_note'),
    requestedBy: uuid('requested_by').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('service_enrolments_service_idx').on(t.serviceId), index('service_enrolments_owner_idx').on(t.ownerOrgId)],
);
