import { bigint, index, integer, jsonb, pgTable, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorUserId: uuid('actor_user_id'),
    actorEmail: text('actor_email'),
    actorOrgId: uuid('actor_org_id'),
    actorOrgName: text('actor_org_name'),
    action: text('action').notNull(),
    recordType: text('record_type'),
    recordId: text('record_id'),
    outcome: text('outcome').notNull(),
    ip: text('ip'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    // An event is itself a record: it carries the marking of what it is about, so that the trail
    // never tells an uncleared reader that a classified record exists.
    classification: smallint('classification').notNull().default(0),
    compartments: text('compartments').array().notNull(),
    ownerOrgId: uuid('owner_org_id'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_events_at_idx').on(t.at), index('audit_events_owner_idx').on(t.ownerOrgId, t.seq)],
);

// The chain head makes truncation detectable: deleting the newest events leaves the head pointing
// past the end of the table.
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  hash: text('hash').notNull(),
});
