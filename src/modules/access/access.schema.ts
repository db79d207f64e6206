import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// A sharing grant lets a named organisation or user read one record it does not own, until a time.
// Review windows, partner selections and advisories' audiences are all expressed as grants, so the
// read rule stays one rule.
export const accessGrants = pgTable(
  'access_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    recordType: text('record_type').notNull(),
    recordId: uuid('record_id').notNull(),
    granteeOrgId: uuid('grantee_org_id'),
    granteeUserId: uuid('grantee_user_id'),
    grantedBy: uuid('granted_by'),
    reason: text('reason'),
    // What created the grant (for example a review window), so it can be revoked with its source.
    sourceType: text('source_type'),
    sourceId: uuid('source_id'),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('access_grants_record_idx').on(t.recordType, t.recordId), index('access_grants_source_idx').on(t.sourceType, t.sourceId)],
);

export const encryptionKeys = pgTable('encryption_keys', {
  id: text('id').primaryKey(),
  wrappedKey: text('wrapped_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
