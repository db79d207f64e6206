import { z } from 'zod';
import { DOMAINS, JUDGMENTS, OUTCOMES } from './criteria.ts';

export const Id = z.uuid();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Score = z.number().min(0).max(1);

export const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()), banner: z.string() });

export const SCORING_RULES = ['mean_score', 'max_score', 'pass_rate'] as const;
export const DomainDefinition = z
  .object({
    domain: z.enum(DOMAINS),
    suites: z.array(Text(200)).min(1).max(50),
    rule: z.enum(SCORING_RULES),
  })
  .strict();

export const CreateBenchmarkBody = z
  .object({
    name: Text(200),
    version: z.number().int().min(1).max(10_000),
    classification: z.enum(['SECRET', 'TOP SECRET']).default('SECRET'),
    compartments: z.array(z.string().regex(/^[A-Z][A-Z0-9_-]{1,15}$/)).max(10).default(['BENCH']),
    domains: z.array(DomainDefinition).min(1).max(3),
    description: z.string().trim().max(4000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.compartments.includes('BENCH')) ctx.addIssue({ code: 'custom', path: ['compartments'], message: 'a benchmark carries the BENCH compartment' });
    if (new Set(v.domains.map((d) => d.domain)).size !== v.domains.length) ctx.addIssue({ code: 'custom', path: ['domains'], message: 'each domain once' });
  });

export const BenchmarkView = z.object({
  id: z.string(),
  name: z.string(),
  version: z.number(),
  marking: MarkingView,
  domains: z.array(z.object({ domain: z.string(), suites: z.array(z.string()), rule: z.string() })),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const ThresholdsInput = z
  .object({ cyber: Score.optional(), cbrn: Score.optional(), autonomy: Score.optional() })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'name at least one domain');

export const ProposeThresholdBody = z.object({ benchmarkId: Id, thresholds: ThresholdsInput, note: z.string().trim().max(4000).optional() }).strict();

export const POSITIONS = ['concur', 'concur_with_comment', 'non_concur'] as const;
export const PositionBody = z
  .object({ position: z.enum(POSITIONS), comment: z.string().trim().max(4000).optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.position !== 'concur' && !v.comment) ctx.addIssue({ code: 'custom', path: ['comment'], message: v.position === 'non_concur' ? 'give the reasons for non-concurrence' : 'write the comment' });
  });

export const PositionView = z.object({
  id: z.string(),
  agencyCode: z.string().nullable(),
  agencyName: z.string(),
  userEmail: z.string().nullable(),
  position: z.enum(POSITIONS),
  /** Shown to NSA and to the agency that wrote it. */
  comment: z.string().nullable(),
  at: z.string(),
});

export const HistoryEntry = z.object({ action: z.string(), by: z.string().nullable(), at: z.string() });

export const ThresholdVersionView = z.object({
  id: z.string(),
  benchmarkId: z.string(),
  version: z.number(),
  status: z.string(),
  marking: MarkingView,
  /** False when the reader may record a position but lacks the clearance or compartment to see the content. */
  contentVisible: z.boolean(),
  benchmark: z.object({ name: z.string(), version: z.number() }).nullable(),
  thresholds: z.record(z.string(), z.number()).nullable(),
  note: z.string().nullable(),
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
  adoptedBy: z.string().nullable(),
  adoptedAt: z.string().nullable(),
  positions: z.array(PositionView),
  history: z.array(HistoryEntry),
});

export const REEVALUATION_TRIGGERS = ['new_version', 'fine_tune', 'compute_increase', 'new_capability', 'deployment_change', 'expiry'] as const;

export const CreateDeterminationBody = z.object({ modelId: Id, benchmarkId: Id, thresholdVersionId: Id.optional() }).strict();

export const ScoresInput = z.object({ cyber: Score.nullable().optional(), cbrn: Score.nullable().optional(), autonomy: Score.nullable().optional() }).strict();

export const UpdateDeterminationBody = z
  .object({
    scores: ScoresInput.optional(),
    computeFlop: z.number().min(0).max(1e40).nullable().optional(),
    judgment: z.enum(JUDGMENTS).optional(),
    rationale: z.string().trim().max(20_000).optional(),
  })
  .strict()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'change at least one of scores, computeFlop, judgment, rationale' });

export const DecideBody = z
  .object({
    outcome: z.enum(OUTCOMES),
    unclassifiedSummary: Text(4000),
    expiresAt: z.iso.datetime({ offset: true }),
    reevaluationTriggers: z
      .array(z.enum(REEVALUATION_TRIGGERS))
      .min(1)
      .max(REEVALUATION_TRIGGERS.length)
      .refine((v) => new Set(v).size === v.length, { message: 'each re-evaluation trigger at most once' }),
  })
  .strict();

export const CriteriaView = z.object({
  outcome: z.enum(OUTCOMES),
  domains: z.array(z.object({ domain: z.string(), score: z.number().nullable(), threshold: z.number(), result: z.string() })),
  compute: z.string(),
  computeTriggerFlop: z.number(),
  reasons: z.array(z.string()),
});

export const DeterminationView = z.object({
  id: z.string(),
  modelId: z.string(),
  model: z.object({ name: z.string(), version: z.string() }).nullable(),
  status: z.string(),
  marking: MarkingView,
  contentVisible: z.boolean(),
  benchmark: z.object({ id: z.string(), name: z.string(), version: z.number() }).nullable(),
  thresholdVersion: z.object({ id: z.string(), version: z.number(), thresholds: z.record(z.string(), z.number()) }).nullable(),
  scores: z.record(z.string(), z.number()).nullable(),
  computeFlop: z.number().nullable(),
  judgment: z.string().nullable(),
  rationale: z.string().nullable(),
  suggested: CriteriaView.nullable(),
  /** Domains whose score was taken from a benchmark run (cleared readers only). */
  scoreSources: z.record(z.string(), z.object({ runId: z.string(), n: z.number(), at: z.string() })).nullable().optional(),
  signoffs: z.array(PositionView),
  outcome: z.string().nullable(),
  unclassifiedSummary: z.string().nullable(),
  expiresAt: z.string().nullable(),
  reevaluationTriggers: z.array(z.string()),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});

export const CandidateModelView = z.object({ id: z.string(), name: z.string(), version: z.string(), trainingComputeFlop: z.number() });

export const NoticeView = z.object({
  id: z.string(),
  modelId: z.string(),
  outcome: z.enum(OUTCOMES),
  summary: z.string(),
  expiresAt: z.string().nullable(),
  reevaluationTriggers: z.array(z.string()),
  decidedAt: z.string(),
  marking: MarkingView,
});
