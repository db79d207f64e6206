import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// Hiring pathways for cyber and AI professionals: agencies' postings (public once open), candidates'
// profiles, applications that move through stages, and the agency's internal notes on each move.

export const jobPostings = pgTable(
  'job_postings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    announcementNumber: text('announcement_number').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    duties: text('duties').notNull(),
    /** competitive | direct_hire | fellowship | detail_rotation | tech_force */
    hiringPath: text('hiring_path').notNull(),
    payPlan: text('pay_plan').notNull(),
    payMinUsd: integer('pay_min_usd').notNull(),
    payMaxUsd: integer('pay_max_usd').notNull(),
    location: text('location').notNull(),
    /** onsite | hybrid | remote */
    workplace: text('workplace').notNull(),
    /** none | public_trust | secret | top_secret | ts_sci (clearance.ts) */
    clearanceRequired: text('clearance_required').notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    /** draft | open | closed | cancelled */
    status: text('status').notNull(),
    createdBy: uuid('created_by').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('job_postings_announcement_key').on(t.announcementNumber)],
);

/** One per candidate user: what the candidate says of themselves. */
export const candidateProfiles = pgTable('candidate_profiles', {
  userId: uuid('user_id').primaryKey(),
  orgId: uuid('org_id').notNull(),
  headline: text('headline').notNull(),
  skills: text('skills').array().notNull(),
  certifications: text('certifications').array().notNull(),
  clearanceHeld: text('clearance_held').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An application, owned by the hiring agency and shared with the one candidate user (candidates of
 * the public all belong to one organisation, so the grant is to the user, not the organisation).
 */
export const jobApplications = pgTable(
  'job_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    postingId: uuid('posting_id').notNull(),
    candidateUserId: uuid('candidate_user_id').notNull(),
    /** hiring.machine.ts */
    stage: text('stage').notNull(),
    /** The profile as it stood when the candidate applied: { headline, skills, certifications, clearanceHeld }. */
    profileSnapshot: text('profile_snapshot').notNull(),
    resumeFilename: text('resume_filename').notNull(),
    resumeContentType: text('resume_content_type').notNull(),
    resumeSizeBytes: integer('resume_size_bytes').notNull(),
    resumeSha256: text('resume_sha256').notNull(),
    resumeEnc: text('resume_enc').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull().defaultNow(),
    stageChangedAt: timestamp('stage_changed_at', { withTimezone: true }).notNull().defaultNow(),
    onboardedAt: timestamp('onboarded_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('job_applications_key').on(t.postingId, t.candidateUserId), index('job_applications_owner_idx').on(t.ownerOrgId)],
);

/** Each stage move, with the agency's internal note (encrypted; never shown to the candidate). */
export const jobApplicationEvents = pgTable(
  'job_application_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id').notNull(),
    fromStage: text('from_stage'),
    toStage: text('to_stage').notNull(),
    internalNoteEnc: text('internal_note_enc'),
    movedBy: uuid('moved_by'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('job_application_events_application_idx').on(t.applicationId)],
);
