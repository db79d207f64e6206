// Request and response schemas of /api/v1/evaluations (bounded: every string has a max).
import { z } from 'zod';
import { COMPARTMENT_PATTERN } from '../access/marking.ts';

export const Id = z.uuid();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Field = z.string().trim().min(1).max(200);

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'stopped'] as const;
export const CLASSIFICATION_NAMES = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'] as const;
/** Longest import document accepted through the API (the route's body limit is a little larger). */
export const MAX_IMPORT_CHARS = 8 * 1024 * 1024;
export const IMPORT_BODY_LIMIT = 9 * 1024 * 1024;

export const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()), banner: z.string() });

export const FieldMappingBody = z
  .object({
    input: Field,
    /** A list of columns holding one choice each, or one field holding an array. */
    choices: z.union([z.array(Field).min(2).max(26), Field]).optional(),
    target: Field,
    id: Field.optional(),
    domain: Field.optional(),
    metadata: z.array(Field).max(50).optional(),
    targetAs: z.enum(['auto', 'letter', 'index0', 'index1', 'text']).optional(),
  })
  .strict();

export const SolverBody = z
  .object({
    mode: z.enum(['generate', 'multiple-choice']).default('generate'),
    systemPrompt: z.string().max(10_000).optional(),
    instruction: z.string().max(10_000).optional(),
    /** Few-shot examples drawn deterministically from the suite itself. */
    fewShot: z.number().int().min(0).max(20).optional(),
    maxTokens: z.number().int().min(1).max(32_768).optional(),
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict();

export const ScorerBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exact'), caseInsensitive: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('includes'), caseInsensitive: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('regex'), flags: z.string().max(4).optional(), full: z.boolean().optional() }).strict(),
  z.object({ kind: z.literal('choice') }).strict(),
  z.object({ kind: z.literal('numeric'), absolute: z.number().min(0).max(1e12).optional(), relative: z.number().min(0).max(1e6).optional() }).strict(),
  z.object({ kind: z.literal('ctf-flag'), pattern: z.string().max(500).optional() }).strict(),
  /** Graded by a model reached through the gateway with the run's own key (the run's model unless the run names a grader key). */
  z.object({ kind: z.literal('model'), rubric: z.string().max(10_000).optional() }).strict(),
]);
export type ScorerConfig = z.infer<typeof ScorerBody>;
export type SolverConfig = z.infer<typeof SolverBody>;

export const ImportSuiteBody = z
  .object({
    /** A suite with the same name in your organisation gets a new version. */
    name: Text(200),
    version: Text(64),
    description: z.string().trim().max(4000).optional(),
    format: z.enum(['jsonl', 'json', 'csv']),
    content: z.string().min(1).max(MAX_IMPORT_CHARS),
    mapping: FieldMappingBody,
    /** Domain of samples whose row names none. */
    defaultDomain: Text(100).default('general'),
    classification: z.enum(CLASSIFICATION_NAMES).default('UNCLASSIFIED'),
    compartments: z.array(z.string().regex(COMPARTMENT_PATTERN)).max(10).default([]),
    /** Link to a domain of the classified benchmark: the suite then takes the benchmark's marking. */
    benchmarkId: Id.optional(),
    benchmarkDomain: z.enum(['cyber', 'cbrn', 'autonomy']).optional(),
    solver: SolverBody.default({ mode: 'generate' }),
    scorer: ScorerBody.default({ kind: 'exact' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!!v.benchmarkId !== !!v.benchmarkDomain) ctx.addIssue({ code: 'custom', path: [v.benchmarkId ? 'benchmarkDomain' : 'benchmarkId'], message: 'give both benchmarkId and benchmarkDomain, or neither' });
  });

export const SuiteVersionView = z.object({
  id: z.string(),
  version: z.string(),
  sampleCount: z.number().int(),
  domains: z.array(z.object({ domain: z.string(), samples: z.number().int() })),
  solver: z.record(z.string(), z.unknown()),
  scorer: z.record(z.string(), z.unknown()),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});

export const SuiteView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  marking: MarkingView,
  orgId: z.string(),
  orgName: z.string().nullable(),
  benchmarkId: z.string().nullable(),
  benchmarkDomain: z.string().nullable(),
  latestVersion: SuiteVersionView.nullable(),
  createdAt: z.string(),
});

export const SuiteDetailView = SuiteView.extend({ versions: z.array(SuiteVersionView) });

export const SampleView = z.object({
  id: z.string(),
  position: z.number().int(),
  domain: z.string(),
  input: z.union([z.string(), z.array(z.object({ role: z.string(), content: z.string() }))]),
  choices: z.array(z.string()).nullable(),
  target: z.union([z.string(), z.array(z.string())]),
  metadata: z.record(z.string(), z.unknown()).nullable(),
});

export const Page = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0) }).strict();

export const SuitesQuery = z.object({ benchmarkId: Id.optional() }).strict();

export const CreateRunBody = z
  .object({
    /** The suite's latest version is run unless suiteVersionId names one. */
    suiteId: Id.optional(),
    suiteVersionId: Id.optional(),
    /** The caller's organisation's review-window grant on the model (the run uses the caller's own gateway key under it). */
    grantId: Id,
    concurrency: z.number().int().min(1).max(64).default(8),
    /** Evaluate only the first N samples (a smoke run). */
    sampleLimit: z.number().int().min(1).max(100_000).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.suiteId && !v.suiteVersionId) ctx.addIssue({ code: 'custom', path: ['suiteId'], message: 'name the suite (suiteId) or one of its versions (suiteVersionId)' });
  });

export const Progress = z.object({
  total: z.number().int(),
  done: z.number().int(),
  correct: z.number().int(),
  errors: z.number().int(),
  /** Samples finished per second since the run started. */
  ratePerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
});

export const RunView = z.object({
  id: z.string(),
  name: z.string().nullable(),
  suiteId: z.string(),
  suiteName: z.string(),
  suiteVersionId: z.string(),
  suiteVersion: z.string(),
  modelId: z.string(),
  modelName: z.string().nullable(),
  grantId: z.string(),
  windowId: z.string(),
  status: z.enum(RUN_STATUSES),
  /** Why a run failed, was cancelled or stopped (for example: access revoked). */
  statusReason: z.string().nullable(),
  concurrency: z.number().int(),
  runnerUserId: z.string(),
  runnerEmail: z.string().nullable(),
  orgId: z.string(),
  marking: MarkingView,
  benchmarkId: z.string().nullable(),
  benchmarkDomain: z.string().nullable(),
  progress: Progress,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const RunsQuery = z
  .object({
    suiteId: Id.optional(),
    status: z.enum(RUN_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

export const ResultView = z.object({
  sampleId: z.string(),
  position: z.number().int(),
  domain: z.string(),
  score: z.number().nullable(),
  correct: z.boolean(),
  answer: z.string().nullable(),
  output: z.string().nullable(),
  explanation: z.string().nullable(),
  latencyMs: z.number().nullable(),
  promptTokens: z.number().int().nullable(),
  completionTokens: z.number().int().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  finishedAt: z.string(),
});

export const ResultsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
    domain: z.string().max(100).optional(),
    outcome: z.enum(['correct', 'incorrect', 'error']).optional(),
  })
  .strict();

export const ResultsPage = z.object({ items: z.array(ResultView), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

const Interval = z.object({ lower: z.number(), upper: z.number() });
export const AggregateView = z.object({
  domain: z.string(),
  n: z.number().int(),
  scored: z.number().int(),
  errors: z.number().int(),
  correct: z.number().int(),
  accuracy: z.number(),
  meanScore: z.number(),
  /** Wilson 95% interval of the accuracy. */
  ci: Interval,
  meanLatencyMs: z.number().nullable(),
  totalTokens: z.number(),
});
export const AggregatesView = z.object({ runId: z.string(), status: z.enum(RUN_STATUSES), complete: z.boolean(), domains: z.array(AggregateView), overall: AggregateView });

export const CompareQuery = z.object({ a: Id, b: Id }).strict();
export const ComparisonView = z.object({
  a: z.object({ runId: z.string(), modelName: z.string().nullable(), suiteName: z.string() }),
  b: z.object({ runId: z.string(), modelName: z.string().nullable(), suiteName: z.string() }),
  rows: z.array(
    z.object({
      domain: z.string(),
      a: AggregateView,
      b: AggregateView,
      /** accuracy(b) − accuracy(a), Newcombe 95% interval, two-proportion z-test. */
      difference: z.number(),
      ci: Interval,
      z: z.number(),
      pValue: z.number(),
    }),
  ),
});

export const ExportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') }).strict();
export const ExportJson = z.object({ run: RunView, aggregates: AggregatesView, results: z.array(ResultView) });

/** Review-window grants the caller's organisation holds now, to run under. */
export const RunnableGrantView = z.object({
  grantId: z.string(),
  windowId: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  expiresAt: z.string().nullable(),
  closesAt: z.string(),
});

export const IdParams = z.object({ id: Id }).strict();
export const SuiteVersionParams = z.object({ id: Id, versionId: Id }).strict();
export const LIST = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

// ---- benchmark scoring (served under /api/v1/determinations, see determinations.routes.ts) ----

export const BenchmarkScoresView = z.object({
  runId: z.string(),
  benchmarkId: z.string(),
  benchmark: z.object({ name: z.string(), version: z.number().int() }),
  marking: MarkingView,
  runStatus: z.enum(RUN_STATUSES),
  complete: z.boolean(),
  thresholdVersion: z.object({ id: z.string(), version: z.number().int() }).nullable(),
  domains: z.array(
    z.object({
      domain: z.string(),
      /** Accuracy of the run on this domain's suite (errors count as wrong). */
      score: z.number(),
      n: z.number().int(),
      ci: Interval,
      threshold: z.number().nullable(),
      /** score ≥ threshold, or null when no adopted threshold covers the domain. */
      meetsThreshold: z.boolean().nullable(),
    }),
  ),
});
export const AttachRunBody = z.object({ runId: Id }).strict();
