// Tables of this module (Drizzle). Re-exported by src/db/schema.ts.
import { boolean, index, integer, jsonb, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { markedColumns } from '../access/marked.ts';

// A task suite: a name within an organisation, a marking, and (for the classified benchmark) the
// benchmark domain it scores, in which case it carries the benchmark's marking.
export const evaluationSuites = pgTable(
  'evaluation_suites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    name: text('name').notNull(),
    description: text('description'),
    benchmarkId: uuid('benchmark_id'),
    benchmarkDomain: text('benchmark_domain'),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evaluation_suites_org_name_idx').on(t.ownerOrgId, t.name), index('evaluation_suites_benchmark_idx').on(t.benchmarkId)],
);

// An immutable version of a suite: its samples, solver and scorer never change once written.
export const evaluationSuiteVersions = pgTable(
  'evaluation_suite_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    suiteId: uuid('suite_id').notNull(),
    version: text('version').notNull(),
    solver: jsonb('solver').$type<Record<string, unknown>>().notNull(),
    scorer: jsonb('scorer').$type<Record<string, unknown>>().notNull(),
    sampleCount: integer('sample_count').notNull(),
    domains: jsonb('domains').$type<{ domain: string; samples: number }[]>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evaluation_suite_versions_suite_version_idx').on(t.suiteId, t.version)],
);

// One sample. Its body (id, input, choices, target, metadata) is always encrypted
// (aad evaluation_samples.body_enc:<id>); the domain stays clear for aggregation.
export const evaluationSamples = pgTable(
  'evaluation_samples',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    suiteVersionId: uuid('suite_version_id').notNull(),
    position: integer('position').notNull(),
    domain: text('domain').notNull(),
    bodyEnc: text('body_enc').notNull(),
  },
  (t) => [uniqueIndex('evaluation_samples_version_position_idx').on(t.suiteVersionId, t.position)],
);

// A run of one suite version against one model, through the gateway under the runner's own
// review-window grant. Owned by the runner's organisation, marked as the suite. The gateway key it
// uses is stored encrypted (aad evaluation_runs.key_secret_enc:<id>) and never returned.
export const evaluationRuns = pgTable(
  'evaluation_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...markedColumns(0),
    name: text('name'),
    suiteId: uuid('suite_id').notNull(),
    suiteVersionId: uuid('suite_version_id').notNull(),
    modelId: uuid('model_id').notNull(),
    grantId: uuid('grant_id').notNull(),
    windowId: uuid('window_id').notNull(),
    runnerUserId: uuid('runner_user_id').notNull(),
    keyId: uuid('key_id'),
    keySecretEnc: text('key_secret_enc'),
    /** queued | running | completed | failed | cancelled | stopped (evaluation-run.machine.ts) */
    status: text('status').notNull(),
    statusReason: text('status_reason'),
    concurrency: integer('concurrency').notNull(),
    total: integer('total').notNull(),
    /** Final counters, written when the run ends (live progress is counted from the results). */
    done: integer('done').notNull().default(0),
    correct: integer('correct').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('evaluation_runs_owner_idx').on(t.ownerOrgId, t.createdAt), index('evaluation_runs_status_idx').on(t.status), index('evaluation_runs_suite_idx').on(t.suiteId)],
);

// A slice of a run's samples, taken by one worker at a time (claim + heartbeat), so several workers
// share a run and a lost worker's slice is taken over.
export const evaluationRunShards = pgTable(
  'evaluation_run_shards',
  {
    runId: uuid('run_id').notNull(),
    shard: integer('shard').notNull(),
    fromPosition: integer('from_position').notNull(),
    toPosition: integer('to_position').notNull(),
    claim: uuid('claim'),
    heartbeatAt: timestamp('heartbeat_at', { withTimezone: true }),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('evaluation_run_shards_pk').on(t.runId, t.shard)],
);

// One sample's result: the checkpoint. Written (and committed) as each sample finishes; a shard that
// runs again skips positions that have a row. The output, the extracted answer and the scorer's
// explanation are encrypted at the run's marking (aad evaluation_results.output_enc:<id>).
export const evaluationResults = pgTable(
  'evaluation_results',
  {
    id: uuid('id').primaryKey(),
    runId: uuid('run_id').notNull(),
    sampleRowId: uuid('sample_row_id').notNull(),
    position: integer('position').notNull(),
    domain: text('domain').notNull(),
    score: real('score'),
    correct: boolean('correct').notNull(),
    outputEnc: text('output_enc'),
    latencyMs: real('latency_ms'),
    promptTokens: integer('prompt_tokens'),
    completionTokens: integer('completion_tokens'),
    attempts: integer('attempts').notNull(),
    error: text('error'),
    finishedAt: timestamp('finished_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('evaluation_results_run_position_idx').on(t.runId, t.position)],
);
