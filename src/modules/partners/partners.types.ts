import { z } from 'zod';

export const Id = z.uuid();
const Key = z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, 'lower-case letters, digits and underscores, starting with a letter').max(40);
const Text = (max: number) => z.string().trim().min(1).max(max);

/** Evidence documents are limited to 256 KiB each (base64 in JSON keeps a request under the 1 MiB body limit). */
export const MAX_EVIDENCE_BYTES = 256 * 1024;

export const CriterionBody = z.object({ key: Key, title: Text(200), evidenceRequirement: Text(2000) }).strict();
export const PublishCriteriaBody = z.object({ criteria: z.array(CriterionBody).min(1).max(30), note: Text(2000) }).strict();
export const CriteriaVersionView = z.object({
  version: z.number().int(),
  criteria: z.array(z.object({ key: z.string(), title: z.string(), evidenceRequirement: z.string() })),
  note: z.string(),
  publishedAt: z.string(),
});

export const EvidenceBody = z
  .object({
    filename: Text(200),
    mediaType: z.string().trim().regex(/^[\w.+-]+\/[\w.+-]+$/).max(100),
    contentBase64: z.string().max(Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 4).regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
  })
  .strict();
export const AnswerBody = z.object({ criterionKey: Key, answer: Text(5000), evidence: z.array(EvidenceBody).max(3).default([]) }).strict();
export const DeclarationsBody = z.object({ ownership: Text(5000), affiliations: Text(5000), conflictsOfInterest: Text(5000) }).strict();
export const ApplicationBody = z.object({ answers: z.array(AnswerBody).min(1).max(30), declarations: DeclarationsBody, renewalOf: Id.optional() }).strict();
export const UpdateApplicationBody = z.object({ answers: z.array(AnswerBody).min(1).max(30), declarations: DeclarationsBody }).strict();

export const FindingBody = z.object({ met: z.boolean(), note: Text(2000), internalNote: z.string().trim().max(4000).optional() }).strict();
export const DecisionBody = z
  .object({ outcome: z.enum(['eligible', 'not_eligible']), reasons: Text(4000), eligibleForDays: z.number().int().min(1).max(1095).default(365) })
  .strict();

export const RuleBody = z.object({ govMajority: z.boolean(), developerMajority: z.boolean(), developerConcurrenceRequired: z.literal(true) }).strict();
export const MemberBody = z.object({ userId: Id, side: z.enum(['government', 'developer']) }).strict();
export const PanelBody = z
  .object({ windowId: Id, applicationId: Id, members: z.array(MemberBody).min(2).max(20), rule: RuleBody.default({ govMajority: true, developerMajority: true, developerConcurrenceRequired: true }) })
  .strict();
export const AppealPanelBody = z.object({ members: z.array(MemberBody).min(2).max(20), rule: RuleBody.default({ govMajority: true, developerMajority: true, developerConcurrenceRequired: true }) }).strict();
export const ConflictBody = z.object({ conflicted: z.boolean(), note: z.string().trim().max(2000).default('') }).strict();
export const VoteBody = z.object({ vote: z.enum(['approve', 'refuse']), rationale: Text(5000), citedCriteria: z.array(Key).max(30) }).strict();
export const AppealBody = z.object({ grounds: Text(5000) }).strict();

export const ListQuery = z.object({ status: z.enum(['submitted', 'eligible', 'not_eligible', 'withdrawn']).optional() }).strict();

const FindingView = z.object({ criterionKey: z.string(), met: z.boolean(), note: z.string() });
const AgencyFindingView = FindingView.extend({ internalNote: z.string().nullable(), reviewerId: z.string(), recordedAt: z.string() });
export const DecisionSummaryView = z.object({
  panelId: z.string(),
  kind: z.enum(['selection', 'appeal']),
  modelId: z.string(),
  windowId: z.string(),
  status: z.string(),
  reasons: z.string().nullable(),
  decidedAt: z.string().nullable(),
  appealOf: z.string().nullable(),
  appealGrounds: z.string().nullable(),
  /** For a refused selection decision: whether the applicant may still appeal it. */
  appealable: z.boolean(),
});

export const ApplicationView = z.object({
  id: z.string(),
  applicantOrgId: z.string(),
  applicantName: z.string(),
  criteriaVersion: z.number().int(),
  status: z.string(),
  renewalOf: z.string().nullable(),
  eligibleUntil: z.string().nullable(),
  outcomeReasons: z.string().nullable(),
  decidedAt: z.string().nullable(),
  answers: z.array(z.object({ criterionKey: z.string(), answer: z.string() })),
  declarations: z.object({ ownership: z.string(), affiliations: z.string(), conflictsOfInterest: z.string() }),
  evidence: z.array(z.object({ id: z.string(), criterionKey: z.string(), filename: z.string(), mediaType: z.string(), sizeBytes: z.number(), sha256: z.string() })),
  /** For the applicant: only once decided, and only criterion, met and the note meant for it. */
  findings: z.array(z.union([AgencyFindingView, FindingView])),
  decisions: z.array(DecisionSummaryView),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const ApplicationSummaryView = ApplicationView.pick({ id: true, applicantOrgId: true, applicantName: true, criteriaVersion: true, status: true, renewalOf: true, eligibleUntil: true, decidedAt: true, createdAt: true });
export const EvidenceContentView = z.object({ id: z.string(), filename: z.string(), mediaType: z.string(), contentBase64: z.string() });

export const PanelMemberView = z.object({
  userId: z.string(),
  name: z.string(),
  orgName: z.string(),
  side: z.enum(['government', 'developer']),
  conflicted: z.boolean().nullable(),
  conflictNote: z.string().nullable(),
  vote: z.enum(['approve', 'refuse']).nullable(),
  rationale: z.string().nullable(),
  citedCriteria: z.array(z.string()),
  votedAt: z.string().nullable(),
});
export const PanelView = z.object({
  id: z.string(),
  kind: z.enum(['selection', 'appeal']),
  modelId: z.string(),
  windowId: z.string(),
  applicationId: z.string(),
  applicantName: z.string(),
  applicantEligible: z.boolean(),
  criteria: z.array(z.object({ key: z.string(), title: z.string(), evidenceRequirement: z.string() })),
  vettingFindings: z.array(FindingView),
  appealOf: z.string().nullable(),
  appealGrounds: z.string().nullable(),
  rule: z.object({ govMajority: z.boolean(), developerMajority: z.boolean(), developerConcurrenceRequired: z.literal(true) }),
  status: z.string(),
  reasons: z.string().nullable(),
  grantId: z.string().nullable(),
  decidedAt: z.string().nullable(),
  members: z.array(PanelMemberView),
  createdAt: z.string(),
});

export const ConsistencyView = z.object({
  byOutcome: z.object({ approved: z.number(), refused: z.number(), appealsApproved: z.number(), appealsRefused: z.number() }),
  byCriterion: z.array(z.object({ key: z.string(), citedInApprovals: z.number(), citedInRefusals: z.number(), unmetInVetting: z.number() })),
  byMember: z.array(z.object({ userId: z.string(), name: z.string(), side: z.enum(['government', 'developer']), panels: z.number(), approvals: z.number(), refusals: z.number(), conflictsDeclared: z.number(), flags: z.number() })),
  flags: z.array(z.object({ scope: z.enum(['member', 'panel']), panelId: z.string(), userId: z.string().nullable(), reason: z.enum(['refused_eligible_without_unmet_criterion', 'approved_not_eligible']) })),
});
