// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// An operator's grouping of software (a system, a site). Owned by the operator organisation; the
// current SBOM is the last one uploaded, earlier ones stay as history.
export const inventoryAssets = pgTable(
  'inventory_assets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    name: text('name').notNull(),
    kind: text('kind').notNull().default('system'),
    description: text('description'),
    currentSbomId: uuid('current_sbom_id'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('inventory_assets_org_name_idx').on(t.ownerOrgId, t.name)],
);

// One uploaded SBOM (a version of the asset's inventory). The document itself is not kept: its
// components are, with its SHA-256 so a re-upload can be recognised.
export const inventorySboms = pgTable(
  'inventory_sboms',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assetId: uuid('asset_id').notNull(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    version: integer('version').notNull(),
    format: text('format').notNull(),
    specVersion: text('spec_version').notNull(),
    serialNumber: text('serial_number'),
    subjectName: text('subject_name'),
    sha256: text('sha256').notNull(),
    bytes: integer('bytes').notNull(),
    componentCount: integer('component_count').notNull(),
    warnings: jsonb('warnings').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    uploadedBy: uuid('uploaded_by').notNull(),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('inventory_sboms_asset_version_idx').on(t.assetId, t.version)],
);

// A component of an asset: from an SBOM (sbom_id set) or added by hand (source 'manual', sbom_id
// null). `package` is the canonical purl without version, qualifiers or subpath: what advisories name.
export const inventoryComponents = pgTable(
  'inventory_components',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    assetId: uuid('asset_id').notNull(),
    ownerOrgId: uuid('owner_org_id').notNull(),
    sbomId: uuid('sbom_id'),
    source: text('source').notNull(),
    purl: text('purl'),
    package: text('package'),
    ecosystem: text('ecosystem'),
    namespace: text('namespace'),
    name: text('name').notNull(),
    version: text('version'),
    cpe: text('cpe'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('inventory_components_sbom_idx').on(t.sbomId),
    index('inventory_components_asset_idx').on(t.assetId, t.source),
    index('inventory_components_package_idx').on(t.package),
    index('inventory_components_org_idx').on(t.ownerOrgId),
  ],
);

// An operator organisation's profile: what coordinators need to prioritise and reach it.
export const inventoryOperatorProfiles = pgTable('inventory_operator_profiles', {
  orgId: uuid('org_id').primaryKey(),
  size: text('size'),
  priorityTier: integer('priority_tier'),
  contacts: jsonb('contacts').$type<{ name: string; email: string; phone?: string | null; role?: string | null }[]>().notNull().default(sql`'[]'::jsonb`),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

// Where an operator is told of matches. A webhook carries the highest TLP it may receive and a
// signing secret, stored encrypted (aad inventory_channels.secret_enc:<id>) and shown once.
export const inventoryChannels = pgTable(
  'inventory_channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id').notNull(),
    kind: text('kind').notNull(),
    address: text('address').notNull(),
    tlpMax: text('tlp_max').notNull().default('CLEAR'),
    secretEnc: text('secret_enc'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('inventory_channels_org_idx').on(t.orgId)],
);
