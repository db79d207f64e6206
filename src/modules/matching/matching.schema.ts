// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
import { sql } from 'drizzle-orm';
import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { MatchableAffected } from './matching.types.ts';

// An advisory as matching sees it: the clearinghouse's own (one row per FWN id, replaced by each
// revision) and imported OSV records (one per OSV id, replaced only by a later `modified`).
export const matchingAdvisories = pgTable(
  'matching_advisories',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    clearinghouseAdvisoryId: uuid('clearinghouse_advisory_id'),
    title: text('title').notNull(),
    tlp: text('tlp').notNull(),
    severity: text('severity'),
    affected: jsonb('affected').$type<MatchableAffected[]>().notNull(),
    aliases: jsonb('aliases').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    withdrawn: boolean('withdrawn').notNull().default(false),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
    /** OSV `modified`: an import replaces a record only with a later one. */
    modifiedAt: timestamp('modified_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('matching_advisories_source_external_idx').on(t.source, t.externalId)],
);

// The reverse index: which advisories name a package (canonical versionless purl, the same key as
// inventory_components.package), so a new SBOM meets only the advisories for its packages.
export const matchingAdvisoryPackages = pgTable(
  'matching_advisory_packages',
  {
    package: text('package').notNull(),
    advisoryId: uuid('advisory_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.package, t.advisoryId] }), index('matching_advisory_packages_advisory_idx').on(t.advisoryId)],
);

// One row per (advisory, component) while the component matches; cleared (never deleted) when the
// component leaves the current inventory, reaches a fixed version, or the advisory is withdrawn.
export const matchingMatches = pgTable(
  'matching_matches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    advisoryId: uuid('advisory_id').notNull(),
    orgId: uuid('org_id').notNull(),
    assetId: uuid('asset_id').notNull(),
    componentId: uuid('component_id').notNull(),
    package: text('package').notNull(),
    version: text('version'),
    /** 'affected', or 'unknown' when the version cannot be placed in the ranges (reported for review). */
    verdict: text('verdict').notNull(),
    fixedIn: text('fixed_in'),
    matchedAt: timestamp('matched_at', { withTimezone: true }).notNull().defaultNow(),
    clearedAt: timestamp('cleared_at', { withTimezone: true }),
    clearedReason: text('cleared_reason'),
  },
  (t) => [
    uniqueIndex('matching_matches_open_idx')
      .on(t.advisoryId, t.componentId)
      .where(sql`cleared_at is null`),
    index('matching_matches_org_idx').on(t.orgId, t.matchedAt),
    index('matching_matches_asset_open_idx')
      .on(t.assetId)
      .where(sql`cleared_at is null`),
  ],
);
