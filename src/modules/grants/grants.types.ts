import { z } from 'zod';
import { SECTORS } from '../access/roles.ts';
import { ATTESTATION_KEYS } from './eligibility.ts';
import { BUDGET_CATEGORIES } from './budget.ts';
import { FILE_TYPE_NAMES, MAX_BASE64_CHARS } from './files.ts';
import { SCORE_MAX } from './scoring.ts';

export const Id = z.uuid();
const Text = (max: number) => z.string().trim().min(1).max(max);
const Key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _');
const Usd = z.number().int().min(0).max(10_000_000_000);
const LocalDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, 'YYYY-MM-DDTHH:mm in the stated time zone');
const Zone = z.string().min(1).max(64).regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/, 'an IANA time zone such as America/New_York');
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const ORG_KIND_VALUES = ['platform', 'ai_developer', 'agency', 'trusted_partner', 'vendor', 'operator', 'grantee', 'public'] as const;
export const TIERS = ['small', 'medium', 'large'] as const;

export const EligibilityRulesInput = z
  .object({
    orgKinds: z.array(z.enum(ORG_KIND_VALUES)).max(8).default([]),
    minEmployees: z.number().int().min(0).max(10_000_000).nullable().default(null),
    maxEmployees: z.number().int().min(0).max(10_000_000).nullable().default(null),
    requiredAttestations: z.array(z.enum(ATTESTATION_KEYS as [string, ...string[]])).max(10).default([]),
  })
  .strict();

export const SectionInput = z.object({ key: Key, title: Text(200), guidance: z.string().trim().max(2000).default(''), maxChars: z.number().int().min(100).max(50_000).default(10_000) }).strict();
export const CriterionInput = z.object({ key: Key, title: Text(200), description: Text(2000), weight: z.number().int().min(1).max(100) }).strict();

export const OpportunityBody = z
  .object({
    number: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,39}$/, 'upper-case letters, digits and hyphens'),
    title: Text(300),
    program: Text(200),
    summary: Text(8000),
    eligibility: EligibilityRulesInput,
    floorUsd: Usd,
    ceilingUsd: Usd,
    totalFundingUsd: Usd,
    expectedAwards: z.number().int().min(1).max(1000),
    opensAtLocal: LocalDateTime,
    closesAtLocal: LocalDateTime,
    timeZone: Zone,
    budgetYears: z.number().int().min(1).max(5),
    requiredSections: z.array(SectionInput).min(1).max(20),
    rubric: z.array(CriterionInput).min(1).max(20),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.floorUsd > v.ceilingUsd) ctx.addIssue({ code: 'custom', path: ['floorUsd'], message: 'the floor cannot exceed the ceiling' });
    if (v.ceilingUsd > v.totalFundingUsd) ctx.addIssue({ code: 'custom', path: ['ceilingUsd'], message: 'the ceiling cannot exceed the total funding' });
    if (v.eligibility.minEmployees !== null && v.eligibility.maxEmployees !== null && v.eligibility.minEmployees > v.eligibility.maxEmployees)
      ctx.addIssue({ code: 'custom', path: ['eligibility', 'minEmployees'], message: 'the minimum cannot exceed the maximum' });
    if (new Set(v.requiredSections.map((s) => s.key)).size !== v.requiredSections.length) ctx.addIssue({ code: 'custom', path: ['requiredSections'], message: 'each section key once' });
    if (new Set(v.rubric.map((s) => s.key)).size !== v.rubric.length) ctx.addIssue({ code: 'custom', path: ['rubric'], message: 'each criterion key once' });
  });

const Instant = z.object({ at: z.string(), local: z.string(), display: z.string() });

/** What anyone may read of a published opportunity. */
export const PublicOpportunityView = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  program: z.string(),
  agencyName: z.string(),
  summary: z.string(),
  eligibility: z.object({ orgKinds: z.array(z.string()), minEmployees: z.number().nullable(), maxEmployees: z.number().nullable(), requiredAttestations: z.array(z.object({ key: z.string(), text: z.string() })) }),
  floorUsd: z.number(),
  ceilingUsd: z.number(),
  totalFundingUsd: z.number(),
  expectedAwards: z.number(),
  timeZone: z.string(),
  opensAt: Instant,
  closesAt: Instant,
  /** open | forthcoming | closed (by the clock) or cancelled */
  phase: z.string(),
  budgetYears: z.number(),
  budgetCategories: z.array(z.string()),
  requiredSections: z.array(z.object({ key: z.string(), title: z.string(), guidance: z.string(), maxChars: z.number() })),
  rubric: z.array(z.object({ key: z.string(), title: z.string(), description: z.string(), weight: z.number() })),
  scoreMax: z.number(),
});

export const OpportunityView = PublicOpportunityView.extend({
  status: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  applicationsSubmitted: z.number(),
  awardedUsd: z.number(),
  availableUsd: z.number(),
  awardsMade: z.number(),
});

const Attestations = z.partialRecord(z.enum(ATTESTATION_KEYS as [string, ...string[]]), z.boolean());
export const BudgetInput = z
  .object({
    years: z.number().int().min(1).max(5),
    lines: z.array(z.object({ category: z.enum(BUDGET_CATEGORIES), amounts: z.array(z.number().int().min(0).max(10_000_000_000)).max(5) }).strict()).max(BUDGET_CATEGORIES.length),
    declaredTotal: Usd,
  })
  .strict();

export const DraftBody = z
  .object({
    projectTitle: Text(300).optional(),
    declaredEmployees: z.number().int().min(0).max(10_000_000).nullable().optional(),
    sections: z.record(Key, z.string().max(50_000)).optional(),
    budget: BudgetInput.nullable().optional(),
    attestations: Attestations.optional(),
  })
  .strict()
  .refine((v) => !v.sections || Object.keys(v.sections).length <= 20, { path: ['sections'], message: 'at most 20 sections' });
export const CreateApplicationBody = z.object({ opportunityId: Id, projectTitle: Text(300) }).strict();

export const AttachmentBody = z
  .object({ filename: z.string().trim().min(1).max(200).regex(/^[^/\\\0]+$/, 'a file name, not a path'), contentType: z.enum(FILE_TYPE_NAMES as [string, ...string[]]), contentBase64: z.string().min(1).max(MAX_BASE64_CHARS) })
  .strict();
export const AttachmentView = z.object({ id: z.string(), filename: z.string(), contentType: z.string(), sizeBytes: z.number(), sha256: z.string(), uploadedAt: z.string() });

export const ReviewCommentView = z.object({ reviewer: z.string(), criterion: z.string(), score: z.number().nullable(), comment: z.string() });

export const ApplicationView = z.object({
  id: z.string(),
  opportunityId: z.string(),
  opportunityNumber: z.string(),
  opportunityTitle: z.string(),
  applicantOrgName: z.string(),
  status: z.string(),
  projectTitle: z.string(),
  declaredEmployees: z.number().nullable(),
  sections: z.record(z.string(), z.string()),
  budget: z.object({ years: z.number(), lines: z.array(z.object({ category: z.string(), amounts: z.array(z.number()) })), declaredTotal: z.number() }).nullable(),
  budgetTotals: z.object({ byYear: z.array(z.number()), byCategory: z.record(z.string(), z.number()), total: z.number() }).nullable(),
  attestations: z.record(z.string(), z.boolean()),
  eligibilityCheck: z.object({ eligible: z.boolean(), reasons: z.array(z.string()), checkedAt: z.string() }).nullable(),
  /** What is still missing before it can be submitted (empty when complete). */
  missing: z.array(z.string()),
  attachments: z.array(AttachmentView),
  submittedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** After a decision, reviewers' comments, labelled "Reviewer A", "Reviewer B" … never by name. */
  reviewComments: z.array(ReviewCommentView),
  awardId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const ApplicationSummary = ApplicationView.pick({ id: true, opportunityId: true, opportunityNumber: true, opportunityTitle: true, applicantOrgName: true, status: true, projectTitle: true, submittedAt: true, decidedAt: true, updatedAt: true }).extend({
  budgetTotalUsd: z.number().nullable(),
  eligible: z.boolean().nullable(),
});

export const AssignBody = z.object({ reviewerEmail: z.string().trim().toLowerCase().email().max(254) }).strict();
export const DeclareBody = z
  .object({ conflict: z.boolean(), note: z.string().trim().max(2000).optional() })
  .strict()
  .refine((v) => !v.conflict || !!v.note, { path: ['note'], message: 'describe the conflict' });
export const ScoreBody = z
  .object({ scores: z.array(z.object({ criterionKey: Key, score: z.number().int().min(0).max(SCORE_MAX), comment: Text(4000) }).strict()).min(1).max(20) })
  .strict();
export const AssignmentView = z.object({
  id: z.string(),
  applicationId: z.string(),
  opportunityId: z.string(),
  opportunityTitle: z.string(),
  projectTitle: z.string(),
  applicantOrgName: z.string(),
  reviewerEmail: z.string(),
  status: z.string(),
  conflictNote: z.string().nullable(),
  scores: z.array(z.object({ criterionKey: z.string(), score: z.number(), comment: z.string() })),
  rawScore: z.number().nullable(),
});

export const RankingView = z.object({
  opportunityId: z.string(),
  normalisation: z.string(),
  availableUsd: z.number(),
  rows: z.array(
    z.object({
      applicationId: z.string(),
      projectTitle: z.string(),
      applicantOrgName: z.string(),
      status: z.string(),
      budgetTotalUsd: z.number().nullable(),
      eligible: z.boolean().nullable(),
      rank: z.number().nullable(),
      reviews: z.number(),
      conflicts: z.number(),
      meanRaw: z.number().nullable(),
      normalised: z.number().nullable(),
    }),
  ),
});

export const DecisionBody = z
  .object({ decision: z.enum(['award', 'decline']), amountUsd: Usd.optional(), reason: Text(4000) })
  .strict()
  .refine((v) => v.decision === 'decline' || v.amountUsd !== undefined, { path: ['amountUsd'], message: 'give the award amount' });

export const MilestoneBody = z.object({ title: Text(200), dueOn: IsoDate, deliverables: Text(4000), amountUsd: Usd }).strict();
export const ProgressBody = z.object({ period: Text(100), narrative: Text(20_000), milestoneId: Id.optional() }).strict();
export const PaymentBody = z.object({ milestoneId: Id, amountUsd: z.number().int().min(1).max(10_000_000_000), reference: Text(100) }).strict();
export const CloseoutBody = z.object({ action: z.enum(['begin', 'close', 'reopen', 'terminate']), note: z.string().trim().max(4000).optional() }).strict();
export const ToolBody = z
  .object({ name: Text(200), description: Text(4000), sarifDriverName: z.string().trim().min(1).max(200).regex(/^[\x20-\x7E]+$/, 'printable ASCII, as in runs[].tool.driver.name') })
  .strict();

export const AwardView = z.object({
  id: z.string(),
  applicationId: z.string(),
  opportunityId: z.string(),
  opportunityTitle: z.string(),
  projectTitle: z.string(),
  recipientOrgName: z.string(),
  amountUsd: z.number(),
  paidUsd: z.number(),
  status: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  closeoutNote: z.string().nullable(),
  milestones: z.array(z.object({ id: z.string(), title: z.string(), dueOn: z.string(), deliverables: z.string(), amountUsd: z.number(), paidUsd: z.number(), status: z.string() })),
  progressReports: z.array(z.object({ id: z.string(), period: z.string(), narrative: z.string(), milestoneId: z.string().nullable(), submittedAt: z.string() })),
  payments: z.array(z.object({ id: z.string(), milestoneId: z.string(), amountUsd: z.number(), reference: z.string(), paidAt: z.string() })),
  tools: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), sarifDriverName: z.string(), registeredAt: z.string() })),
  findingsReported: z.object({
    /** Always 'clearinghouse' now that its SARIF intake credits findings to awards; the other value stays for clients built before. */
    source: z.enum(['clearinghouse', 'awaiting_clearinghouse']),
    count: z.number().nullable(),
    validated: z.number().nullable(),
    published: z.number().nullable(),
  }),
});
export const AwardSummary = AwardView.pick({ id: true, applicationId: true, opportunityId: true, opportunityTitle: true, projectTitle: true, recipientOrgName: true, amountUsd: true, paidUsd: true, status: true, createdAt: true });

// ───────────── catalogue ─────────────
export const ServiceBody = z
  .object({
    name: Text(200),
    provider: Text(200),
    description: Text(4000),
    sectors: z.array(z.enum(SECTORS)).min(1).max(SECTORS.length),
    tiers: z.array(z.enum(TIERS)).min(1).max(3),
    costToOperator: Text(500),
    howToEnrol: Text(2000),
    active: z.boolean().default(true),
  })
  .strict();
export const ServiceView = z.object({ id: z.string(), name: z.string(), provider: z.string(), description: z.string(), sectors: z.array(z.string()), tiers: z.array(z.string()), costToOperator: z.string(), howToEnrol: z.string(), active: z.boolean() });
export const EnrolBody = z.object({ tier: z.enum(TIERS), note: z.string().trim().max(2000).optional() }).strict();
export const EnrolmentDecisionBody = z.object({ status: z.enum(['enrolled', 'declined']), note: z.string().trim().max(2000).optional() }).strict();
export const EnrolmentView = z.object({
  id: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  operatorOrgName: z.string(),
  sector: z.string(),
  tier: z.string(),
  status: z.string(),
  note: z.string().nullable(),
  decisionNote: z.string().nullable(),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
});
export const EnrolmentStatsView = z.object({
  bySectorTier: z.array(z.object({ sector: z.string(), tier: z.string(), requested: z.number(), enrolled: z.number() })),
  smallOperatorCoverage: z.array(z.object({ sector: z.string(), operatorsOnForewarn: z.number(), smallOperatorsEnrolled: z.number(), share: z.number() })),
});
