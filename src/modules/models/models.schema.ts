import { bigint, doublePrecision, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// A model version registered by its developer. Proprietary until the developer shares it, so it is
// CUI by default and its descriptive fields are encrypted at rest.
export const models = pgTable(
  'models',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    /** The first version's id: every version of one model shares it. */
    familyId: uuid('family_id').notNull(),
    previousVersionId: uuid('previous_version_id'),
    /** The model this one derives from (a base model, for a fine-tune), if any. */
    lineageModelId: uuid('lineage_model_id'),
    name: text('name').notNull(),
    version: text('version').notNull(),
    modality: text('modality').notNull(),
    plannedReleaseAt: timestamp('planned_release_at', { withTimezone: true }).notNull(),
    trainingComputeFlop: doublePrecision('training_compute_flop').notNull(),
    computeEstimationMethod: text('compute_estimation_method').notNull(),
    intendedDeploymentEnc: text('intended_deployment_enc').notNull(),
    capabilitySummaryEnc: text('capability_summary_enc').notNull(),
    /** registered | withdrawn (from the framework, never from release). */
    status: text('status').notNull().default('registered'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('models_owner_idx').on(t.ownerOrgId), index('models_family_idx').on(t.familyId), uniqueIndex('models_family_version_key').on(t.familyId, t.version)],
);

export const modelReleaseChanges = pgTable('model_release_changes', {
  id: uuid('id').primaryKey().defaultRandom(),
  modelId: uuid('model_id').notNull(),
  fromAt: timestamp('from_at', { withTimezone: true }).notNull(),
  toAt: timestamp('to_at', { withTimezone: true }).notNull(),
  changedBy: uuid('changed_by').notNull(),
  reason: text('reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

// One item of a disclosure package, each with its own marking; shared item by item through
// access_grants (record_type 'model_document').
export const modelDocuments = pgTable(
  'model_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(1),
    modelId: uuid('model_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    contentEnc: text('content_enc').notNull(),
    /** A dissemination caveat shown after the marking, for example PROPIN (proprietary information). */
    caveat: text('caveat'),
    inheritedFromId: uuid('inherited_from_id'),
    /** Withdrawn by the developer: every grant on it is revoked and its content erased (the hash stays). */
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnBy: uuid('withdrawn_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('model_documents_model_idx').on(t.modelId)],
);
