import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// The coordinated assessment of an open review window: its workstreams, each marked (the classified
// benchmark's is SECRET//BENCH), owned by the agency that planned it, with a due date inside the
// window. The description is encrypted (aad assessment_workstreams.description_enc:<id>).
export const assessmentWorkstreams = pgTable(
  'assessment_workstreams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    windowId: uuid('window_id').notNull(),
    modelId: uuid('model_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    descriptionEnc: text('description_enc'),
    /** planned | in_progress | blocked | done | cancelled (assessment-workstream.machine.ts) */
    status: text('status').notNull().default('planned'),
    statusReason: text('status_reason'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assessment_workstreams_window_idx').on(t.windowId)],
);

// Which organisations (agencies, partners holding a grant on the window) carry a workstream.
export const assessmentAssignees = pgTable(
  'assessment_assignees',
  {
    workstreamId: uuid('workstream_id').notNull(),
    orgId: uuid('org_id').notNull(),
    assignedBy: uuid('assigned_by').notNull(),
    assignedAt: timestamp('assigned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workstreamId, t.orgId] }), index('assessment_assignees_org_idx').on(t.orgId)],
);
