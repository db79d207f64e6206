import { integer, index, pgTable, text, timestamp, uuid, doublePrecision } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// The framework's policy settings, versioned: a change is a new row, never an edit.
export const policySettings = pgTable('policy_settings', {
  version: integer('version').primaryKey(),
  /** The longest review window: 30 days under the signed order; the earlier draft's 90 stays possible. */
  maxWindowDays: integer('max_window_days').notNull(),
  /** The training-compute trigger for determinations, in FLOP (10^26 by default). */
  computeTriggerFlop: doublePrecision('compute_trigger_flop').notNull(),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// A developer's opt-in: early access for named agencies (and partners) until a time no later than
// its own release. Access is the set of access_grants with source_type 'review_window'.
export const reviewWindows = pgTable(
  'review_windows',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    modelId: uuid('model_id').notNull(),
    /** open | closed | withdrawn (review-window.machine.ts) */
    status: text('status').notNull(),
    opensAt: timestamp('opens_at', { withTimezone: true }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true }).notNull(),
    policyVersion: integer('policy_version').notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closeReason: text('close_reason'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('review_windows_model_idx').on(t.modelId), index('review_windows_open_idx').on(t.status, t.closesAt)],
);
