// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../../access/marked.ts';

export interface RemediationFix {
  fixedVersions: string[];
  remediation: string | null;
  url: string | null;
}

// One per operator organisation (owner) and advisory (matching_advisories.id). The advisory's title,
// severity and TLP are copied at opening so the board reads one table; the fix is refreshed on each
// new match. Closed records stay: a vulnerable version coming back reopens the same record.
export const remediationRecords = pgTable(
  'remediation_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    advisoryId: uuid('advisory_id').notNull(),
    advisoryRef: text('advisory_ref').notNull(),
    title: text('title').notNull(),
    severity: text('severity'),
    tlp: text('tlp').notNull(),
    state: text('state').notNull().default('notified'),
    priorityTier: integer('priority_tier'),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    justification: text('justification'),
    note: text('note'),
    riskExpiresAt: timestamp('risk_expires_at', { withTimezone: true }),
    fix: jsonb('fix').$type<RemediationFix>().notNull().default(sql`'{"fixedVersions":[],"remediation":null,"url":null}'::jsonb`),
    /** Low severity: waits for the operator's daily digest instead of a notice of its own. */
    digestPending: boolean('digest_pending').notNull().default(false),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('remediation_records_org_advisory_idx').on(t.ownerOrgId, t.advisoryId),
    index('remediation_records_advisory_idx').on(t.advisoryId),
    index('remediation_records_digest_idx')
      .on(t.ownerOrgId)
      .where(sql`digest_pending`),
  ],
);

// The components behind a record, one per match (matching_matches.id); a record closes by itself
// when its last open match is cleared.
export const remediationMatches = pgTable(
  'remediation_matches',
  {
    matchId: uuid('match_id').primaryKey(),
    recordId: uuid('record_id').notNull(),
    assetId: uuid('asset_id').notNull(),
    componentId: uuid('component_id').notNull(),
    package: text('package').notNull(),
    version: text('version'),
    matchedAt: timestamp('matched_at', { withTimezone: true }).notNull().defaultNow(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
  },
  (t) => [index('remediation_matches_record_idx').on(t.recordId)],
);

// Every state change of a record: who (null for the system), from, to, and why.
export const remediationHistory = pgTable(
  'remediation_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordId: uuid('record_id').notNull(),
    event: text('event').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorUserId: uuid('actor_user_id'),
    note: text('note'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('remediation_history_record_idx').on(t.recordId, t.at)],
);

// The delivery log of operator notices, one row per channel and message. A webhook keeps the exact
// body it sends (re-signed at each attempt) until it is delivered or dead-lettered after its last
// retry; an email is handed to the mail outbox (mail_id), which retries SMTP itself.
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    channelId: uuid('channel_id'),
    channelKind: text('channel_kind').notNull(),
    address: text('address').notNull(),
    event: text('event').notNull(),
    recordIds: uuid('record_ids').array().notNull().default(sql`'{}'::uuid[]`),
    advisoryIds: uuid('advisory_ids').array().notNull().default(sql`'{}'::uuid[]`),
    body: text('body'),
    mailId: uuid('mail_id'),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    redeliveries: integer('redeliveries').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    deadAt: timestamp('dead_at', { withTimezone: true }),
  },
  (t) => [
    index('notification_deliveries_org_idx').on(t.orgId, t.createdAt),
    index('notification_deliveries_dead_idx')
      .on(t.deadAt)
      .where(sql`status = 'dead'`),
    index('notification_deliveries_advisories_idx').using('gin', t.advisoryIds),
  ],
);
