// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
//
// An advisory is drafted for one clearinghouse vulnerability, gets its FWN-YYYY-NNNN identifier when
// it is published (so abandoned drafts leave no gaps), and keeps every published revision with the
// exact bytes that were hashed and signed. Owner: the clearinghouse operator (Treasury). Who reads a
// published advisory is decided by its TLP label and audience (advisory/tlp.ts), not by classification.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

// The draft content (aad advisories.content_enc:<id>) is encrypted: before publication it describes
// an embargoed vulnerability; audience lists organisations (ids only).
export const advisories = pgTable(
  'advisories',
  {
    id: uuid('id').primaryKey(),
    vulnerabilityId: uuid('vulnerability_id').notNull(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    /** FWN-2026-0001, allocated from advisory_counters at publication. */
    trackingId: text('tracking_id'),
    status: text('status').notNull(),
    tlp: text('tlp').notNull(),
    /** CSAF tracking status once published: interim or final. */
    csafStatus: text('csaf_status').notNull().default('final'),
    contentEnc: text('content_enc').notNull(),
    /** { participantOrgIds, affectedOrgIds, clientOrgIds, namedUserIds, greenCommunity }. */
    audience: jsonb('audience').notNull().default(sql`'{}'::jsonb`),
    /** Every organisation named in the audience, for the feed's first cut in SQL. */
    audienceOrgIds: uuid('audience_org_ids').array().notNull().default(sql`'{}'::uuid[]`),
    severity: text('severity'),
    currentRevision: integer('current_revision').notNull().default(0),
    initialReleaseAt: timestamp('initial_release_at', { withTimezone: true }),
    currentReleaseAt: timestamp('current_release_at', { withTimezone: true }),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('advisories_vulnerability_uq').on(t.vulnerabilityId),
    uniqueIndex('advisories_tracking_uq').on(t.trackingId),
    index('advisories_published_idx').on(t.tlp, t.currentReleaseAt),
  ],
);

// One row per published revision. documents_enc holds { summary, csaf, vex, osv, model } as JSON text
// (aad advisory_revisions.documents_enc:<advisory>:<number>); csaf is the exact byte string that the
// hashes and the detached OpenPGP signature cover.
export const advisoryRevisions = pgTable(
  'advisory_revisions',
  {
    advisoryId: uuid('advisory_id').notNull(),
    number: integer('number').notNull(),
    date: timestamp('date', { withTimezone: true }).notNull(),
    documentsEnc: text('documents_enc').notNull(),
    sha256: text('sha256').notNull(),
    sha512: text('sha512').notNull(),
    signature: text('signature').notNull(),
    signingKeyFingerprint: text('signing_key_fingerprint').notNull(),
    actorUserId: uuid('actor_user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.advisoryId, t.number] }), index('advisory_revisions_date_idx').on(t.date)],
);

// The last number given out per year; locked (UPDATE … RETURNING) in the publishing transaction, so
// concurrent publications get consecutive numbers and a rolled-back one gives its number back.
export const advisoryCounters = pgTable('advisory_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

// The installation's OpenPGP signing key, generated once. The private key is encrypted with the
// keyring (aad advisory_signing_keys.private_key_enc:<fingerprint>); slot 'current' marks the key in use.
export const advisorySigningKeys = pgTable(
  'advisory_signing_keys',
  {
    fingerprint: text('fingerprint').primaryKey(),
    slot: text('slot'),
    publicKey: text('public_key').notNull(),
    privateKeyEnc: text('private_key_enc').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('advisory_signing_keys_slot_uq').on(t.slot)],
);
