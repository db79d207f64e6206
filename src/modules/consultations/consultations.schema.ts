import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// "Is this model covered, and would it benefit from review?" — a case between the developer (owner)
// and the assigned agencies, who read it through access_grants (record_type 'consultation').
export const consultations = pgTable(
  'consultations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    modelId: uuid('model_id').notNull(),
    questionEnc: text('question_enc').notNull(),
    status: text('status').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }),
    /** null until NSA answers: would_benefit | not_needed (reviews reads it to allow a window). */
    recommendation: text('recommendation'),
    answeredBy: uuid('answered_by'),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('consultations_model_idx').on(t.modelId),
    // At most one consultation under way per model (open, in_review, answered), even under races.
    uniqueIndex('consultations_one_active_per_model_idx')
      .on(t.modelId)
      .where(sql`status in ('open', 'in_review', 'answered')`),
  ],
);

export const consultationAssignments = pgTable(
  'consultation_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    consultationId: uuid('consultation_id').notNull(),
    agencyOrgId: uuid('agency_org_id').notNull(),
    /** decides (NSA) | consulted (ONCD, CISA) | may_consult (NIST, OSTP) */
    role: text('role').notNull(),
    assigneeUserId: uuid('assignee_user_id'),
    dueAt: timestamp('due_at', { withTimezone: true }),
    addedBy: uuid('added_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('consultation_assignments_case_agency_idx').on(t.consultationId, t.agencyOrgId)],
);

// A message is a record of its own: agency-internal notes and classified analysis carry their own
// marking and owner, so the developer's reads of the thread never include them.
export const consultationMessages = pgTable(
  'consultation_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    consultationId: uuid('consultation_id').notNull(),
    authorUserId: uuid('author_user_id').notNull(),
    internal: boolean('internal').notNull().default(false),
    bodyEnc: text('body_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consultation_messages_case_idx').on(t.consultationId)],
);
