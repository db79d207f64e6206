import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import {
  catalogueServices,
  grantApplications,
  grantAttachments,
  grantAwards,
  grantAwardTools,
  grantMilestones,
  grantOpportunities,
  grantPayments,
  grantProgressReports,
  grantReviewAssignments,
  grantScores,
  organisations,
  serviceEnrolments,
} from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type ProblemFieldError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { Actor } from '../access/actor.ts';
import { readableBy } from '../access/access.sql.ts';
import { addGrant, enforce, grantsOf } from '../access/access.service.ts';
import { can, canRead, type ReadRule, type Subject } from '../access/policy.ts';
import { abilitiesOf, type OrgKind } from '../access/roles.ts';
import { findUserByEmail } from '../identity/identity.dal.ts';
import { clearinghouseReportLinks, clearinghouseReports, clearinghouseVulnerabilities } from '../clearinghouse/clearinghouse.schema.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { applicationTransition } from './application.machine.ts';
import { awardTransition } from './award.machine.ts';
import { BUDGET_CATEGORIES, budgetTotals, checkBudget, type Budget } from './budget.ts';
import { ATTESTATIONS, checkEligibility, type Attestation, type EligibilityRules } from './eligibility.ts';
import { checkFile, type FileType } from './files.ts';
import { awardedOf, emailsOf, findApplication, findAward, findOpportunity, liveEnrolment, operatorsBySector, orgNames, paidOf, submittedCounts } from './grants.dal.ts';
import type {
  ApplicationSummary,
  ApplicationView,
  AssignmentView,
  AttachmentBody,
  AwardSummary,
  AwardView,
  CloseoutBody,
  CreateApplicationBody,
  DecisionBody,
  DeclareBody,
  DraftBody,
  EnrolBody,
  EnrolmentDecisionBody,
  EnrolmentView,
  MilestoneBody,
  OpportunityBody,
  OpportunityView,
  PaymentBody,
  ProgressBody,
  PublicOpportunityView,
  RankingView,
  ScoreBody,
  ServiceBody,
  ServiceView,
  ToolBody,
} from './grants.types.ts';
import { rankApplications, rawScore, SCORE_MAX, type Criterion } from './scoring.ts';
import { describeInZone, instantToZoned, zonedToInstant } from './zoned-time.ts';

type OpportunityRow = typeof grantOpportunities.$inferSelect;
type ApplicationRow = typeof grantApplications.$inferSelect;
type AwardRow = typeof grantAwards.$inferSelect;
type ServiceRow = typeof catalogueServices.$inferSelect;
type EnrolmentRow = typeof serviceEnrolments.$inferSelect;
interface Section {
  key: string;
  title: string;
  guidance: string;
  maxChars: number;
}

const OFFICER_RULE: ReadRule = { ability: 'grants:manage' };
const REVIEWER_RULE: ReadRule = { ability: 'grants:review' };
const APPLICANT_RULE: ReadRule = { ability: 'grants:apply' };
const PROGRAM_ENROLMENT_RULE: ReadRule = { ability: 'catalogue:manage', crossOrgAbility: 'catalogue:manage' };
const OPERATOR_ENROLMENT_RULE: ReadRule = { ability: 'enrolments:request' };
export const NORMALISATION = 'Per-reviewer z-score of weighted rubric scores within the opportunity, averaged per application (a reviewer with one application or no spread contributes 0); ties broken by mean raw score.';
const MAX_ATTACHMENTS = 10;

/** The rule under which this subject reads applications and awards: its strongest grants ability. */
function grantsRule(s: Subject): ReadRule {
  if (can(s, 'grants:manage')) return OFFICER_RULE;
  if (can(s, 'grants:review')) return REVIEWER_RULE;
  return APPLICANT_RULE;
}
const hasAnyGrantsAbility = (s: Subject) => can(s, 'grants:manage') || can(s, 'grants:review') || can(s, 'grants:apply');

export function phaseOf(o: Pick<OpportunityRow, 'status' | 'opensAt' | 'closesAt'>, now: Date): 'draft' | 'cancelled' | 'forthcoming' | 'open' | 'closed' {
  if (o.status === 'draft' || o.status === 'cancelled') return o.status;
  if (now.getTime() < o.opensAt.getTime()) return 'forthcoming';
  return now.getTime() < o.closesAt.getTime() ? 'open' : 'closed';
}

/** What an application still lacks before it may be submitted. */
export function missingParts(app: Pick<ApplicationRow, 'declaredEmployees'>, sections: Record<string, string>, budget: Budget | null, attestations: Record<string, boolean>, opp: OpportunityRow): ProblemFieldError[] {
  const out: ProblemFieldError[] = [];
  for (const s of opp.requiredSections as Section[]) {
    const text = sections[s.key]?.trim() ?? '';
    if (!text) out.push({ path: `sections.${s.key}`, message: `the section "${s.title}" is required` });
    else if (text.length > s.maxChars) out.push({ path: `sections.${s.key}`, message: `the section "${s.title}" is longer than ${s.maxChars} characters` });
  }
  if (!budget) out.push({ path: 'budget', message: 'the budget table is required' });
  else out.push(...checkBudget(budget, opp.budgetYears, { floor: opp.floorUsd, ceiling: opp.ceilingUsd }));
  const rules = opp.eligibility as EligibilityRules;
  for (const a of rules.requiredAttestations) if (attestations[a] !== true) out.push({ path: `attestations.${a}`, message: `confirm the attestation: ${ATTESTATIONS[a]}` });
  if ((rules.minEmployees !== null || rules.maxEmployees !== null) && app.declaredEmployees === null) out.push({ path: 'declaredEmployees', message: 'state the number of employees' });
  return out;
}

/**
 * Findings the clearinghouse has credited to an award: the distinct vulnerabilities linked to SARIF
 * results whose tool driver name is one the award registered, reported by a user of the recipient
 * organisation (another organisation running a tool of the same name earns the award nothing).
 * Validated counts every vulnerability the clearinghouse confirmed, including those since coordinated
 * or published.
 */
export async function clearinghouseFindingsForAward(db: DbOrTx, recipientOrgId: string, driverNames: string[]): Promise<{ source: 'clearinghouse' | 'awaiting_clearinghouse'; count: number | null; validated: number | null; published: number | null }> {
  if (driverNames.length === 0) return { source: 'clearinghouse', count: 0, validated: 0, published: 0 };
  const rows = await db
    .selectDistinct({ id: clearinghouseVulnerabilities.id, status: clearinghouseVulnerabilities.status })
    .from(clearinghouseReportLinks)
    .innerJoin(clearinghouseReports, eq(clearinghouseReports.id, clearinghouseReportLinks.reportId))
    .innerJoin(clearinghouseVulnerabilities, eq(clearinghouseVulnerabilities.id, clearinghouseReportLinks.vulnerabilityId))
    .where(and(eq(clearinghouseReports.format, 'sarif'), eq(clearinghouseReportLinks.reporterOrgId, recipientOrgId), inArray(clearinghouseReportLinks.toolName, driverNames)));
  return {
    source: 'clearinghouse',
    count: rows.length,
    validated: rows.filter((r) => CONFIRMED_STATES.has(r.status)).length,
    published: rows.filter((r) => r.status === 'published').length,
  };
}
const CONFIRMED_STATES: ReadonlySet<string> = new Set(['validated', 'coordinating', 'published']);

export function createGrantsService({ db, audit, keyring, notify, clock }: ModuleDeps) {
  const enc = (table: string, column: string, id: string, value: string) => keyring.encrypt(value, `${table}.${column}:${id}`);
  const dec = (table: string, column: string, id: string, value: string) => keyring.decrypt(value, `${table}.${column}:${id}`);
  const sectionsOf = (a: ApplicationRow): Record<string, string> => (a.sectionsEnc ? (JSON.parse(dec('grant_applications', 'sections_enc', a.id, a.sectionsEnc)) as Record<string, string>) : {});

  function instant(at: Date, zone: string) {
    return { at: at.toISOString(), local: instantToZoned(at, zone), display: describeInZone(at, zone) };
  }

  function publicView(o: OpportunityRow, agencyName: string): z.infer<typeof PublicOpportunityView> {
    const rules = o.eligibility as EligibilityRules;
    return {
      id: o.id,
      number: o.number,
      title: o.title,
      program: o.program,
      agencyName,
      summary: o.summary,
      eligibility: { orgKinds: rules.orgKinds, minEmployees: rules.minEmployees, maxEmployees: rules.maxEmployees, requiredAttestations: rules.requiredAttestations.map((k) => ({ key: k, text: ATTESTATIONS[k] })) },
      floorUsd: o.floorUsd,
      ceilingUsd: o.ceilingUsd,
      totalFundingUsd: o.totalFundingUsd,
      expectedAwards: o.expectedAwards,
      timeZone: o.timeZone,
      opensAt: instant(o.opensAt, o.timeZone),
      closesAt: instant(o.closesAt, o.timeZone),
      phase: phaseOf(o, clock()),
      budgetYears: o.budgetYears,
      budgetCategories: [...BUDGET_CATEGORIES],
      requiredSections: o.requiredSections as Section[],
      rubric: o.rubric as Criterion[],
      scoreMax: SCORE_MAX,
    };
  }

  async function officerViews(rows: OpportunityRow[], tx: DbOrTx = db): Promise<z.infer<typeof OpportunityView>[]> {
    const ids = rows.map((r) => r.id);
    // One after another: a transaction is one connection, which runs one query at a time.
    const names = await orgNames(tx, rows.map((r) => r.ownerOrgId));
    const emails = await emailsOf(tx, rows.map((r) => r.createdBy));
    const awarded = await awardedOf(tx, ids);
    const submitted = await submittedCounts(tx, ids);
    return rows.map((o) => {
      const a = awarded.get(o.id) ?? { amount: 0, count: 0 };
      return {
        ...publicView(o, names.get(o.ownerOrgId) ?? ''),
        status: o.status,
        createdBy: emails.get(o.createdBy) ?? '',
        createdAt: o.createdAt.toISOString(),
        publishedAt: o.publishedAt?.toISOString() ?? null,
        applicationsSubmitted: submitted.get(o.id) ?? 0,
        awardedUsd: a.amount,
        availableUsd: o.totalFundingUsd - a.amount,
        awardsMade: a.count,
      };
    });
  }

  // ───────────────────────────── opportunities ─────────────────────────────

  function datesOf(input: z.infer<typeof OpportunityBody>) {
    const opensAt = zonedToInstant(input.opensAtLocal, input.timeZone);
    const closesAt = zonedToInstant(input.closesAtLocal, input.timeZone);
    const errors: ProblemFieldError[] = [];
    if (!opensAt) errors.push({ path: 'opensAtLocal', message: `not a valid time in ${input.timeZone}` });
    if (!closesAt) errors.push({ path: 'closesAtLocal', message: `not a valid time in ${input.timeZone}` });
    if (opensAt && closesAt && closesAt.getTime() <= opensAt.getTime()) errors.push({ path: 'closesAtLocal', message: 'the close date must be after the open date' });
    if (errors.length) throw new ValidationError('The dates are not valid.', errors);
    return { opensAt: opensAt!, closesAt: closesAt! };
  }

  function columnsOf(input: z.infer<typeof OpportunityBody>) {
    return {
      number: input.number,
      title: input.title,
      program: input.program,
      summary: input.summary,
      eligibility: input.eligibility,
      floorUsd: input.floorUsd,
      ceilingUsd: input.ceilingUsd,
      totalFundingUsd: input.totalFundingUsd,
      expectedAwards: input.expectedAwards,
      timeZone: input.timeZone,
      budgetYears: input.budgetYears,
      requiredSections: input.requiredSections,
      rubric: input.rubric,
      ...datesOf(input),
    };
  }

  async function createOpportunity(actor: Actor, subject: Subject, input: z.infer<typeof OpportunityBody>) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers create funding opportunities.');
    const cols = columnsOf(input);
    return db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: grantOpportunities.id }).from(grantOpportunities).where(eq(grantOpportunities.number, input.number));
      if (dup) throw new ConflictError(`Opportunity number ${input.number} is taken.`);
      const [o] = await tx.insert(grantOpportunities).values({ ...cols, ownerOrgId: subject.orgId, status: 'draft', createdBy: subject.userId }).returning();
      await audit.record(tx, { actor, action: 'grant_opportunity.create', recordType: 'grant_opportunity', recordId: o.id, detail: { number: o.number } });
      return (await officerViews([o], tx))[0];
    });
  }

  async function loadOwnOpportunity(subject: Subject, id: string, tx: DbOrTx = db) {
    const o = await findOpportunity(tx, id, tx !== db);
    if (!o) throw new NotFoundError('funding opportunity');
    enforce(canRead(subject, o, OFFICER_RULE, clock()), 'funding opportunity');
    return o;
  }

  async function updateOpportunity(actor: Actor, subject: Subject, id: string, input: z.infer<typeof OpportunityBody>) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers edit funding opportunities.');
    const cols = columnsOf(input);
    return db.transaction(async (tx) => {
      const o = await loadOwnOpportunity(subject, id, tx);
      if (o.status !== 'draft') throw new ConflictError('A published opportunity cannot be edited; cancel it and publish a corrected one.');
      const [dup] = await tx.select({ id: grantOpportunities.id }).from(grantOpportunities).where(and(eq(grantOpportunities.number, input.number), sql`${grantOpportunities.id} <> ${id}`));
      if (dup) throw new ConflictError(`Opportunity number ${input.number} is taken.`);
      const [u] = await tx.update(grantOpportunities).set({ ...cols, updatedAt: clock() }).where(eq(grantOpportunities.id, id)).returning();
      await audit.record(tx, { actor, action: 'grant_opportunity.update', recordType: 'grant_opportunity', recordId: id });
      return (await officerViews([u], tx))[0];
    });
  }

  async function setOpportunityStatus(actor: Actor, subject: Subject, id: string, to: 'published' | 'cancelled') {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers publish or cancel funding opportunities.');
    return db.transaction(async (tx) => {
      const o = await loadOwnOpportunity(subject, id, tx);
      const allowed = to === 'published' ? o.status === 'draft' : o.status === 'published' || o.status === 'draft';
      if (!allowed) throw new ConflictError(`The opportunity is ${o.status}; it cannot be ${to}.`);
      if (to === 'published' && o.closesAt.getTime() <= clock().getTime()) throw new ConflictError('The close date has passed; set a later one before publishing.');
      const [u] = await tx
        .update(grantOpportunities)
        .set({ status: to, updatedAt: clock(), ...(to === 'published' ? { publishedAt: clock() } : {}) })
        .where(eq(grantOpportunities.id, id))
        .returning();
      await audit.record(tx, { actor, action: to === 'published' ? 'grant_opportunity.publish' : 'grant_opportunity.cancel', recordType: 'grant_opportunity', recordId: id, detail: { number: o.number } });
      return (await officerViews([u], tx))[0];
    });
  }

  async function listOwnOpportunities(_actor: Actor, subject: Subject) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers manage funding opportunities.');
    const rows = await db.select().from(grantOpportunities).where(readableBy(subject, grantOpportunities, 'grant_opportunity', OFFICER_RULE, clock())).orderBy(desc(grantOpportunities.createdAt)).limit(500);
    return officerViews(rows);
  }

  async function getOwnOpportunity(_actor: Actor, subject: Subject, id: string) {
    if (!can(subject, 'grants:manage')) throw new NotFoundError('funding opportunity', true);
    return (await officerViews([await loadOwnOpportunity(subject, id)]))[0];
  }

  /** Anyone, signed in or not: published opportunities only, and only their public fields. */
  async function listPublicOpportunities() {
    const rows = await db.select().from(grantOpportunities).where(eq(grantOpportunities.status, 'published')).orderBy(asc(grantOpportunities.closesAt)).limit(500);
    const names = await orgNames(db, rows.map((r) => r.ownerOrgId));
    return rows.map((o) => publicView(o, names.get(o.ownerOrgId) ?? ''));
  }

  async function getPublicOpportunity(id: string) {
    const o = await findOpportunity(db, id);
    if (!o || o.status !== 'published') throw new NotFoundError('funding opportunity');
    const names = await orgNames(db, [o.ownerOrgId]);
    return publicView(o, names.get(o.ownerOrgId) ?? '');
  }

  // ───────────────────────────── applications ─────────────────────────────

  async function readableApplication(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!hasAnyGrantsAbility(subject)) throw new NotFoundError('application', true);
    const a = await findApplication(tx, id);
    if (!a) throw new NotFoundError('application');
    const grants = (await grantsOf(tx, 'grant_application', [a.id])).get(a.id) ?? [];
    enforce(canRead(subject, { ...a, grants }, grantsRule(subject), clock()), 'application');
    return a;
  }

  /** The applicant's own draft: the applicant organisation with grants:apply. */
  async function ownApplication(subject: Subject, id: string, tx: DbOrTx = db) {
    const a = await readableApplication(subject, id, tx);
    if (a.ownerOrgId !== subject.orgId || !can(subject, 'grants:apply')) throw new ForbiddenError('Only the applicant organisation changes its application.');
    return a;
  }

  async function applicationView(subject: Subject, a: ApplicationRow, tx: DbOrTx = db): Promise<z.infer<typeof ApplicationView>> {
    const opp = (await findOpportunity(tx, a.opportunityId))!;
    const names = await orgNames(tx, [a.ownerOrgId]);
    const sections = sectionsOf(a);
    const budget = (a.budget as Budget | null) ?? null;
    const attestations = (a.attestations ?? {}) as Record<string, boolean>;
    const attachments = await tx.select().from(grantAttachments).where(eq(grantAttachments.applicationId, a.id)).orderBy(grantAttachments.createdAt);
    const isApplicant = a.ownerOrgId === subject.orgId;
    let reviewComments: z.infer<typeof ApplicationView>['reviewComments'] = [];
    const decided = a.status === 'awarded' || a.status === 'declined';
    if (decided || !isApplicant) {
      const assignments = await tx.select().from(grantReviewAssignments).where(and(eq(grantReviewAssignments.applicationId, a.id), eq(grantReviewAssignments.status, 'scored'))).orderBy(grantReviewAssignments.createdAt);
      const visible = isApplicant ? assignments : can(subject, 'grants:manage') ? assignments : assignments.filter((x) => x.reviewerUserId === subject.userId);
      const scores = visible.length ? await tx.select().from(grantScores).where(inArray(grantScores.assignmentId, visible.map((x) => x.id))) : [];
      const emails = isApplicant ? new Map<string, string>() : await emailsOf(tx, visible.map((x) => x.reviewerUserId));
      const rubric = opp.rubric as Criterion[];
      visible.forEach((asg, i) => {
        // Applicants learn what reviewers said, never who said it.
        const label = isApplicant ? `Reviewer ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}` : (emails.get(asg.reviewerUserId) ?? 'reviewer');
        for (const c of rubric) {
          const s = scores.find((x) => x.assignmentId === asg.id && x.criterionKey === c.key);
          if (s) reviewComments.push({ reviewer: label, criterion: c.title, score: s.score, comment: dec('grant_scores', 'comment_enc', s.id, s.commentEnc) });
        }
      });
    }
    const [award] = await tx.select({ id: grantAwards.id }).from(grantAwards).where(eq(grantAwards.applicationId, a.id));
    const check = a.eligibilityCheck as { eligible: boolean; reasons: string[]; checkedAt: string } | null;
    return {
      id: a.id,
      opportunityId: a.opportunityId,
      opportunityNumber: opp.number,
      opportunityTitle: opp.title,
      applicantOrgName: names.get(a.ownerOrgId) ?? '',
      status: a.status,
      projectTitle: a.projectTitle,
      declaredEmployees: a.declaredEmployees,
      sections,
      budget,
      budgetTotals: budget ? budgetTotals(budget) : null,
      attestations,
      eligibilityCheck: check,
      missing: a.status === 'draft' ? missingParts(a, sections, budget, attestations, opp).map((m) => m.message) : [],
      attachments: attachments.map((f) => ({ id: f.id, filename: f.filename, contentType: f.contentType, sizeBytes: f.sizeBytes, sha256: f.sha256, uploadedAt: f.createdAt.toISOString() })),
      submittedAt: a.submittedAt?.toISOString() ?? null,
      decisionReason: a.decisionReason,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      reviewComments,
      awardId: award?.id ?? null,
      createdAt: a.createdAt.toISOString(),
      updatedAt: a.updatedAt.toISOString(),
    };
  }

  async function summaries(rows: ApplicationRow[], tx: DbOrTx = db): Promise<z.infer<typeof ApplicationSummary>[]> {
    const opps = rows.length ? await tx.select().from(grantOpportunities).where(inArray(grantOpportunities.id, [...new Set(rows.map((r) => r.opportunityId))])) : [];
    const byId = new Map(opps.map((o) => [o.id, o]));
    const names = await orgNames(tx, rows.map((r) => r.ownerOrgId));
    return rows.map((a) => ({
      id: a.id,
      opportunityId: a.opportunityId,
      opportunityNumber: byId.get(a.opportunityId)?.number ?? '',
      opportunityTitle: byId.get(a.opportunityId)?.title ?? '',
      applicantOrgName: names.get(a.ownerOrgId) ?? '',
      status: a.status,
      projectTitle: a.projectTitle,
      submittedAt: a.submittedAt?.toISOString() ?? null,
      decidedAt: a.decidedAt?.toISOString() ?? null,
      updatedAt: a.updatedAt.toISOString(),
      budgetTotalUsd: a.budgetTotalUsd,
      eligible: (a.eligibilityCheck as { eligible: boolean } | null)?.eligible ?? null,
    }));
  }

  async function createApplication(actor: Actor, subject: Subject, input: z.infer<typeof CreateApplicationBody>) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only applicant organisations apply for grants.');
    const o = await findOpportunity(db, input.opportunityId);
    if (!o || o.status !== 'published') throw new NotFoundError('funding opportunity');
    const phase = phaseOf(o, clock());
    if (phase !== 'open') throw new ConflictError(phase === 'closed' ? `The opportunity closed at ${describeInZone(o.closesAt, o.timeZone)}.` : `The opportunity opens at ${describeInZone(o.opensAt, o.timeZone)}.`);
    return db.transaction(async (tx) => {
      const [a] = await tx.insert(grantApplications).values({ ownerOrgId: subject.orgId, opportunityId: o.id, status: 'draft', projectTitle: input.projectTitle, attestations: {}, createdBy: subject.userId }).returning();
      await audit.record(tx, { actor, action: 'grant_application.create', recordType: 'grant_application', recordId: a.id, detail: { opportunity: o.number } });
      return applicationView(subject, a, tx);
    });
  }

  async function saveDraft(actor: Actor, subject: Subject, id: string, input: z.infer<typeof DraftBody>) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only applicant organisations edit applications.');
    return db.transaction(async (tx) => {
      const a = await ownApplication(subject, id, tx);
      applicationTransition(a.status, 'edit');
      const opp = (await findOpportunity(tx, a.opportunityId))!;
      const keys = new Set((opp.requiredSections as Section[]).map((s) => s.key));
      const unknown = Object.keys(input.sections ?? {}).filter((k) => !keys.has(k));
      if (unknown.length) throw new ValidationError('The opportunity has no such section.', unknown.map((k) => ({ path: `sections.${k}`, message: 'not a section of this opportunity' })));
      const sections = { ...sectionsOf(a), ...(input.sections ?? {}) };
      const budget = input.budget === undefined ? (a.budget as Budget | null) : input.budget;
      const changed = Object.keys(input);
      const [u] = await tx
        .update(grantApplications)
        .set({
          ...(input.projectTitle ? { projectTitle: input.projectTitle } : {}),
          ...(input.declaredEmployees !== undefined ? { declaredEmployees: input.declaredEmployees } : {}),
          ...(input.sections ? { sectionsEnc: enc('grant_applications', 'sections_enc', a.id, JSON.stringify(sections)) } : {}),
          ...(input.budget !== undefined ? { budget, budgetTotalUsd: budget ? budgetTotals(budget).total : null } : {}),
          ...(input.attestations ? { attestations: { ...(a.attestations as object), ...input.attestations } } : {}),
          updatedAt: clock(),
        })
        .where(eq(grantApplications.id, a.id))
        .returning();
      await audit.record(tx, { actor, action: 'grant_application.save', recordType: 'grant_application', recordId: a.id, detail: { fields: changed } });
      return applicationView(subject, u, tx);
    });
  }

  async function addAttachment(actor: Actor, subject: Subject, id: string, input: z.infer<typeof AttachmentBody>) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only applicant organisations attach files.');
    const checked = checkFile(input.filename, input.contentType as FileType, input.contentBase64);
    if (!checked.ok) throw new ValidationError(checked.message, [{ path: 'contentBase64', message: checked.message }]);
    return db.transaction(async (tx) => {
      const a = await ownApplication(subject, id, tx);
      applicationTransition(a.status, 'edit');
      const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(grantAttachments).where(eq(grantAttachments.applicationId, a.id));
      if (n >= MAX_ATTACHMENTS) throw new ConflictError(`An application holds at most ${MAX_ATTACHMENTS} attachments.`);
      const fileId = crypto.randomUUID();
      await tx.insert(grantAttachments).values({
        id: fileId,
        applicationId: a.id,
        filename: input.filename,
        contentType: input.contentType,
        sizeBytes: checked.file.sizeBytes,
        sha256: checked.file.sha256,
        contentEnc: enc('grant_attachments', 'content_enc', fileId, checked.file.bytes.toString('base64')),
        uploadedBy: subject.userId,
      });
      await tx.update(grantApplications).set({ updatedAt: clock() }).where(eq(grantApplications.id, a.id));
      await audit.record(tx, { actor, action: 'grant_application.attach', recordType: 'grant_application', recordId: a.id, detail: { attachmentId: fileId, sizeBytes: checked.file.sizeBytes, contentType: input.contentType } });
      return applicationView(subject, (await findApplication(tx, a.id))!, tx);
    });
  }

  async function removeAttachment(actor: Actor, subject: Subject, id: string, attachmentId: string) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only applicant organisations remove attachments.');
    return db.transaction(async (tx) => {
      const a = await ownApplication(subject, id, tx);
      applicationTransition(a.status, 'edit');
      const gone = await tx.delete(grantAttachments).where(and(eq(grantAttachments.id, attachmentId), eq(grantAttachments.applicationId, a.id))).returning({ id: grantAttachments.id });
      if (gone.length === 0) throw new NotFoundError('attachment');
      await audit.record(tx, { actor, action: 'grant_application.detach', recordType: 'grant_application', recordId: a.id, detail: { attachmentId } });
      return applicationView(subject, (await findApplication(tx, a.id))!, tx);
    });
  }

  async function getAttachment(actor: Actor, subject: Subject, id: string, attachmentId: string) {
    const a = await readableApplication(subject, id);
    const [f] = await db.select().from(grantAttachments).where(and(eq(grantAttachments.id, attachmentId), eq(grantAttachments.applicationId, a.id)));
    if (!f) throw new NotFoundError('attachment');
    await db.transaction((tx) => audit.record(tx, { actor, action: 'grant_application.attachment_read', recordType: 'grant_application', recordId: a.id, detail: { attachmentId }, ownerOrgId: a.ownerOrgId }));
    return { filename: f.filename, contentType: f.contentType, contentBase64: dec('grant_attachments', 'content_enc', f.id, f.contentEnc) };
  }

  async function submit(actor: Actor, subject: Subject, id: string) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only applicant organisations submit applications.');
    return db.transaction(async (tx) => {
      const a = await ownApplication(subject, id, tx);
      applicationTransition(a.status, 'submit');
      const opp = (await findOpportunity(tx, a.opportunityId))!;
      const now = clock();
      if (opp.status !== 'published') throw new ConflictError(`The opportunity is ${opp.status}; it takes no submissions.`);
      if (now.getTime() >= opp.closesAt.getTime()) throw new ConflictError(`The deadline passed: the opportunity closed at ${describeInZone(opp.closesAt, opp.timeZone)}. Late applications are not accepted.`);
      if (now.getTime() < opp.opensAt.getTime()) throw new ConflictError(`The opportunity opens at ${describeInZone(opp.opensAt, opp.timeZone)}.`);
      const sections = sectionsOf(a);
      const budget = (a.budget as Budget | null) ?? null;
      const attestations = (a.attestations ?? {}) as Record<string, boolean>;
      const missing = missingParts(a, sections, budget, attestations, opp);
      if (missing.length) throw new ValidationError(`The application is incomplete: ${missing.map((m) => m.message).join('; ')}.`, missing);
      const [org] = await tx.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, a.ownerOrgId));
      const result = checkEligibility(opp.eligibility as EligibilityRules, { orgKind: org.kind as OrgKind, declaredEmployees: a.declaredEmployees, attestations: attestations as Partial<Record<Attestation, boolean>> });
      const [u] = await tx
        .update(grantApplications)
        .set({ status: 'submitted', submittedAt: now, updatedAt: now, eligibilityCheck: { ...result, checkedAt: now.toISOString() } })
        .where(eq(grantApplications.id, a.id))
        .returning();
      // From submission the awarding agency reads the application; drafts stay the applicant's own.
      await addGrant(tx, { recordType: 'grant_application', recordId: a.id, granteeOrgId: opp.ownerOrgId, grantedBy: subject.userId, reason: 'submitted to the awarding agency', sourceType: 'grant_application', sourceId: a.id });
      await notify.notify(tx, { orgIds: [opp.ownerOrgId], roles: ['program_officer'], title: 'Grant application submitted', body: `An application to ${opp.number} was submitted.`, link: `/grants/manage/${opp.id}`, email: false });
      await audit.record(tx, { actor, action: 'grant_application.submit', recordType: 'grant_application', recordId: a.id, detail: { opportunity: opp.number, eligible: result.eligible, reasons: result.reasons } });
      return applicationView(subject, u, tx);
    });
  }

  async function withdraw(actor: Actor, subject: Subject, id: string) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only applicant organisations withdraw applications.');
    return db.transaction(async (tx) => {
      const a = await ownApplication(subject, id, tx);
      const next = applicationTransition(a.status, 'withdraw');
      const [u] = await tx.update(grantApplications).set({ status: next, updatedAt: clock() }).where(eq(grantApplications.id, a.id)).returning();
      await audit.record(tx, { actor, action: 'grant_application.withdraw', recordType: 'grant_application', recordId: a.id });
      return applicationView(subject, u, tx);
    });
  }

  async function listApplications(_actor: Actor, subject: Subject, opportunityId?: string) {
    if (!hasAnyGrantsAbility(subject)) throw new ForbiddenError('Your role has no part in grants.');
    const conds = [readableBy(subject, grantApplications, 'grant_application', grantsRule(subject), clock())];
    if (opportunityId) conds.push(eq(grantApplications.opportunityId, opportunityId));
    const rows = await db.select().from(grantApplications).where(and(...conds)).orderBy(desc(grantApplications.updatedAt)).limit(500);
    return summaries(rows);
  }

  async function getApplication(actor: Actor, subject: Subject, id: string) {
    const a = await readableApplication(subject, id);
    return applicationView(subject, a);
  }

  // ───────────────────────────── review ─────────────────────────────

  async function assignReviewer(actor: Actor, subject: Subject, applicationId: string, reviewerEmail: string) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers assign reviewers.');
    return db.transaction(async (tx) => {
      const a = await readableApplication(subject, applicationId, tx);
      const next = applicationTransition(a.status, 'start_review');
      const opp = (await findOpportunity(tx, a.opportunityId))!;
      if (opp.ownerOrgId !== subject.orgId) throw new ForbiddenError('Only the awarding agency assigns reviewers.');
      const found = await findUserByEmail(tx, reviewerEmail);
      if (!found || found.user.disabled || !abilitiesOf(found.user.roles, found.org.kind as OrgKind).has('grants:review'))
        throw new ValidationError('That person cannot review grant applications.', [{ path: 'reviewerEmail', message: 'no active user with the grant reviewer role has this address' }]);
      const [dup] = await tx.select({ id: grantReviewAssignments.id }).from(grantReviewAssignments).where(and(eq(grantReviewAssignments.applicationId, a.id), eq(grantReviewAssignments.reviewerUserId, found.user.id)));
      if (dup) throw new ConflictError('That reviewer is already assigned to this application.');
      const [asg] = await tx
        .insert(grantReviewAssignments)
        .values({ applicationId: a.id, opportunityId: a.opportunityId, reviewerUserId: found.user.id, reviewerOrgId: found.org.id, status: 'assigned', assignedBy: subject.userId })
        .returning();
      await addGrant(tx, { recordType: 'grant_application', recordId: a.id, granteeUserId: found.user.id, grantedBy: subject.userId, reason: 'assigned reviewer', sourceType: 'grant_review_assignment', sourceId: asg.id });
      if (next !== a.status) await tx.update(grantApplications).set({ status: next, updatedAt: clock() }).where(eq(grantApplications.id, a.id));
      await notify.notify(tx, { userIds: [found.user.id], title: 'Grant application to review', body: `You are asked to review an application to ${opp.number}. Declare any conflict of interest before scoring.`, link: '/grants/reviews', email: false });
      await audit.record(tx, { actor, action: 'grant_review.assign', recordType: 'grant_application', recordId: a.id, detail: { assignmentId: asg.id, reviewer: found.user.email }, ownerOrgId: a.ownerOrgId });
      return asg.id;
    }).then((asgId) => assignmentViews(subject, [asgId]).then((v) => v[0]));
  }

  async function assignmentViews(subject: Subject, ids: string[], tx: DbOrTx = db): Promise<z.infer<typeof AssignmentView>[]> {
    if (ids.length === 0) return [];
    const rows = await tx.select().from(grantReviewAssignments).where(inArray(grantReviewAssignments.id, ids)).orderBy(grantReviewAssignments.createdAt);
    const apps = await tx.select().from(grantApplications).where(inArray(grantApplications.id, [...new Set(rows.map((r) => r.applicationId))]));
    const opps = await tx.select().from(grantOpportunities).where(inArray(grantOpportunities.id, [...new Set(rows.map((r) => r.opportunityId))]));
    const scores = await tx.select().from(grantScores).where(inArray(grantScores.assignmentId, ids));
    const names = await orgNames(tx, apps.map((a) => a.ownerOrgId));
    const emails = await emailsOf(tx, rows.map((r) => r.reviewerUserId));
    return rows.map((r) => {
      const app = apps.find((a) => a.id === r.applicationId)!;
      const opp = opps.find((o) => o.id === r.opportunityId)!;
      const mine = scores.filter((s) => s.assignmentId === r.id);
      return {
        id: r.id,
        applicationId: r.applicationId,
        opportunityId: r.opportunityId,
        opportunityTitle: opp.title,
        projectTitle: app.projectTitle,
        applicantOrgName: names.get(app.ownerOrgId) ?? '',
        reviewerEmail: emails.get(r.reviewerUserId) ?? '',
        status: r.status,
        conflictNote: r.reviewerUserId === subject.userId || can(subject, 'grants:manage') ? r.conflictNote : null,
        scores: mine.map((s) => ({ criterionKey: s.criterionKey, score: s.score, comment: dec('grant_scores', 'comment_enc', s.id, s.commentEnc) })),
        rawScore: r.status === 'scored' ? rawScore(opp.rubric as Criterion[], Object.fromEntries(mine.map((s) => [s.criterionKey, s.score]))) : null,
      };
    });
  }

  async function listMyAssignments(_actor: Actor, subject: Subject) {
    if (!can(subject, 'grants:review')) throw new ForbiddenError('Only grant reviewers have review assignments.');
    const rows = await db.select({ id: grantReviewAssignments.id }).from(grantReviewAssignments).where(eq(grantReviewAssignments.reviewerUserId, subject.userId)).limit(500);
    return assignmentViews(subject, rows.map((r) => r.id));
  }

  async function listAssignmentsFor(_actor: Actor, subject: Subject, applicationId: string) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers see every reviewer of an application.');
    const a = await readableApplication(subject, applicationId);
    const rows = await db.select({ id: grantReviewAssignments.id }).from(grantReviewAssignments).where(eq(grantReviewAssignments.applicationId, a.id));
    return assignmentViews(subject, rows.map((r) => r.id));
  }

  async function ownAssignment(subject: Subject, id: string, tx: DbOrTx) {
    if (!can(subject, 'grants:review')) throw new ForbiddenError('Only grant reviewers declare conflicts and score.');
    const [asg] = await tx.select().from(grantReviewAssignments).where(eq(grantReviewAssignments.id, id)).for('update');
    // Another reviewer's assignment does not exist for this one.
    if (!asg || asg.reviewerUserId !== subject.userId) throw new NotFoundError('review assignment', !!asg);
    return asg;
  }

  async function declare(actor: Actor, subject: Subject, id: string, input: z.infer<typeof DeclareBody>) {
    if (!can(subject, 'grants:review')) throw new ForbiddenError('Only grant reviewers declare conflicts.');
    await db.transaction(async (tx) => {
      const asg = await ownAssignment(subject, id, tx);
      const app = (await findApplication(tx, asg.applicationId))!;
      if (app.status !== 'under_review') throw new ConflictError('The application has been decided; declarations are closed.');
      if (asg.status === 'conflicted') throw new ConflictError('You have declared a conflict of interest; it stands.');
      if (!input.conflict && asg.status !== 'assigned') throw new ConflictError('You have already declared no conflict.');
      if (input.conflict) await tx.delete(grantScores).where(eq(grantScores.assignmentId, asg.id));
      await tx
        .update(grantReviewAssignments)
        .set({ status: input.conflict ? 'conflicted' : 'cleared', conflictNote: input.conflict ? (input.note ?? null) : null, declaredAt: clock(), scoredAt: input.conflict ? null : asg.scoredAt })
        .where(eq(grantReviewAssignments.id, asg.id));
      await audit.record(tx, { actor, action: 'grant_review.declare', recordType: 'grant_application', recordId: asg.applicationId, detail: { assignmentId: asg.id, conflict: input.conflict }, ownerOrgId: app.ownerOrgId });
    });
    return (await assignmentViews(subject, [id]))[0];
  }

  async function score(actor: Actor, subject: Subject, id: string, input: z.infer<typeof ScoreBody>) {
    if (!can(subject, 'grants:review')) throw new ForbiddenError('Only grant reviewers score applications.');
    await db.transaction(async (tx) => {
      const asg = await ownAssignment(subject, id, tx);
      if (asg.status === 'conflicted') throw new ConflictError('You declared a conflict of interest on this application, so you cannot score it.');
      if (asg.status === 'assigned') throw new ConflictError('Declare whether you have a conflict of interest before scoring.');
      const app = (await findApplication(tx, asg.applicationId))!;
      if (app.status !== 'under_review') throw new ConflictError('The application has been decided; scoring is closed.');
      const opp = (await findOpportunity(tx, asg.opportunityId))!;
      const rubric = opp.rubric as Criterion[];
      const given = new Map(input.scores.map((s) => [s.criterionKey, s]));
      const errors: ProblemFieldError[] = [];
      for (const c of rubric) if (!given.has(c.key)) errors.push({ path: `scores.${c.key}`, message: `score the criterion "${c.title}"` });
      for (const k of given.keys()) if (!rubric.some((c) => c.key === k)) errors.push({ path: `scores.${k}`, message: 'not a criterion of this opportunity' });
      if (given.size !== input.scores.length) errors.push({ path: 'scores', message: 'each criterion once' });
      if (errors.length) throw new ValidationError('Score every criterion of the rubric, once.', errors);
      await tx.delete(grantScores).where(eq(grantScores.assignmentId, asg.id));
      for (const s of input.scores) {
        const sid = crypto.randomUUID();
        await tx.insert(grantScores).values({ id: sid, assignmentId: asg.id, applicationId: asg.applicationId, criterionKey: s.criterionKey, score: s.score, commentEnc: enc('grant_scores', 'comment_enc', sid, s.comment) });
      }
      await tx.update(grantReviewAssignments).set({ status: 'scored', scoredAt: clock() }).where(eq(grantReviewAssignments.id, asg.id));
      await audit.record(tx, { actor, action: 'grant_review.score', recordType: 'grant_application', recordId: asg.applicationId, detail: { assignmentId: asg.id, criteria: input.scores.length }, ownerOrgId: app.ownerOrgId });
    });
    return (await assignmentViews(subject, [id]))[0];
  }

  async function ranking(_actor: Actor, subject: Subject, opportunityId: string): Promise<z.infer<typeof RankingView>> {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers see the ranking.');
    const opp = await loadOwnOpportunity(subject, opportunityId);
    const apps = await db
      .select()
      .from(grantApplications)
      .where(and(eq(grantApplications.opportunityId, opp.id), inArray(grantApplications.status, ['submitted', 'under_review', 'awarded', 'declined'])));
    const asgs = apps.length ? await db.select().from(grantReviewAssignments).where(inArray(grantReviewAssignments.applicationId, apps.map((a) => a.id))) : [];
    const scored = asgs.filter((x) => x.status === 'scored');
    const scores = scored.length ? await db.select().from(grantScores).where(inArray(grantScores.assignmentId, scored.map((x) => x.id))) : [];
    const rubric = opp.rubric as Criterion[];
    const reviewScores = scored.map((x) => ({
      applicationId: x.applicationId,
      reviewerId: x.reviewerUserId,
      raw: rawScore(rubric, Object.fromEntries(scores.filter((s) => s.assignmentId === x.id).map((s) => [s.criterionKey, s.score]))),
    }));
    const ranked = new Map(rankApplications(reviewScores).map((r) => [r.applicationId, r]));
    const names = await orgNames(db, apps.map((a) => a.ownerOrgId));
    const awarded = (await awardedOf(db, [opp.id])).get(opp.id)?.amount ?? 0;
    const rows = apps.map((a) => {
      const r = ranked.get(a.id);
      return {
        applicationId: a.id,
        projectTitle: a.projectTitle,
        applicantOrgName: names.get(a.ownerOrgId) ?? '',
        status: a.status,
        budgetTotalUsd: a.budgetTotalUsd,
        eligible: (a.eligibilityCheck as { eligible: boolean } | null)?.eligible ?? null,
        rank: r?.rank ?? null,
        reviews: r?.reviews ?? 0,
        conflicts: asgs.filter((x) => x.applicationId === a.id && x.status === 'conflicted').length,
        meanRaw: r ? Math.round(r.meanRaw * 100) / 100 : null,
        normalised: r ? Math.round(r.normalised * 1000) / 1000 : null,
      };
    });
    rows.sort((x, y) => (x.rank ?? 1e9) - (y.rank ?? 1e9));
    return { opportunityId: opp.id, normalisation: NORMALISATION, availableUsd: opp.totalFundingUsd - awarded, rows };
  }

  async function decide(actor: Actor, subject: Subject, applicationId: string, input: z.infer<typeof DecisionBody>) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers record award decisions.');
    const appId = await db.transaction(async (tx) => {
      const a = await readableApplication(subject, applicationId, tx);
      // The opportunity row is locked so that two awards cannot both fit in the same remaining funds.
      const opp = (await findOpportunity(tx, a.opportunityId, true))!;
      if (opp.ownerOrgId !== subject.orgId) throw new ForbiddenError('Only the awarding agency decides.');
      const next = applicationTransition(a.status, input.decision);
      const now = clock();
      if (input.decision === 'award') {
        const amount = input.amountUsd!;
        if (amount < opp.floorUsd || amount > opp.ceilingUsd) throw new ConflictError(`An award must be between the floor ($${opp.floorUsd}) and the ceiling ($${opp.ceilingUsd}).`);
        if (a.budgetTotalUsd !== null && amount > a.budgetTotalUsd) throw new ConflictError(`The award cannot exceed the budget requested ($${a.budgetTotalUsd}).`);
        const committed = (await awardedOf(tx, [opp.id])).get(opp.id) ?? { amount: 0, count: 0 };
        const available = opp.totalFundingUsd - committed.amount;
        if (amount > available) throw new ConflictError(`The award of $${amount} exceeds the funds available: $${available} of $${opp.totalFundingUsd} remain.`);
        if (committed.count >= opp.expectedAwards) throw new ConflictError(`The opportunity provides for ${opp.expectedAwards} award(s), all made.`);
        const [award] = await tx.insert(grantAwards).values({ ownerOrgId: opp.ownerOrgId, applicationId: a.id, opportunityId: opp.id, recipientOrgId: a.ownerOrgId, amountUsd: amount, status: 'active', createdBy: subject.userId }).returning();
        await addGrant(tx, { recordType: 'grant_award', recordId: award.id, granteeOrgId: a.ownerOrgId, grantedBy: subject.userId, reason: 'the recipient of the award', sourceType: 'grant_award', sourceId: award.id });
        await audit.record(tx, { actor, action: 'grant_award.create', recordType: 'grant_award', recordId: award.id, detail: { applicationId: a.id, amountUsd: amount } });
      }
      await tx.update(grantApplications).set({ status: next, decisionReason: input.reason, decidedBy: subject.userId, decidedAt: now, updatedAt: now }).where(eq(grantApplications.id, a.id));
      await notify.notify(tx, { orgIds: [a.ownerOrgId], roles: ['grantee_staff'], title: 'Decision on your grant application', body: `A decision was recorded on your application to ${opp.number}.`, link: `/grants/applications/${a.id}`, email: true });
      await audit.record(tx, { actor, action: input.decision === 'award' ? 'grant_application.award' : 'grant_application.decline', recordType: 'grant_application', recordId: a.id, detail: { opportunity: opp.number }, ownerOrgId: a.ownerOrgId });
      return a.id;
    });
    return applicationView(subject, (await findApplication(db, appId))!);
  }

  // ───────────────────────────── awards ─────────────────────────────

  async function readableAward(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!can(subject, 'grants:manage') && !can(subject, 'grants:apply')) throw new NotFoundError('award', true);
    const w = await findAward(tx, id);
    if (!w) throw new NotFoundError('award');
    const grants = (await grantsOf(tx, 'grant_award', [w.id])).get(w.id) ?? [];
    enforce(canRead(subject, { ...w, grants }, can(subject, 'grants:manage') ? OFFICER_RULE : APPLICANT_RULE, clock()), 'award');
    return w;
  }
  const isOfficerOf = (subject: Subject, w: AwardRow) => w.ownerOrgId === subject.orgId && can(subject, 'grants:manage');
  const isRecipientOf = (subject: Subject, w: AwardRow) => w.recipientOrgId === subject.orgId && can(subject, 'grants:apply');

  async function awardView(w: AwardRow, tx: DbOrTx = db): Promise<z.infer<typeof AwardView>> {
    const app = await findApplication(tx, w.applicationId);
    const opp = await findOpportunity(tx, w.opportunityId);
    const names = await orgNames(tx, [w.recipientOrgId]);
    const milestones = await tx.select().from(grantMilestones).where(eq(grantMilestones.awardId, w.id)).orderBy(grantMilestones.dueOn, grantMilestones.createdAt);
    const reports = await tx.select().from(grantProgressReports).where(eq(grantProgressReports.awardId, w.id)).orderBy(grantProgressReports.createdAt);
    const payments = await tx.select().from(grantPayments).where(eq(grantPayments.awardId, w.id)).orderBy(grantPayments.paidAt);
    const tools = await tx.select().from(grantAwardTools).where(eq(grantAwardTools.awardId, w.id)).orderBy(grantAwardTools.createdAt);
    const paidBy = (mid: string) => payments.filter((p) => p.milestoneId === mid).reduce((s, p) => s + p.amountUsd, 0);
    return {
      id: w.id,
      applicationId: w.applicationId,
      opportunityId: w.opportunityId,
      opportunityTitle: opp?.title ?? '',
      projectTitle: app?.projectTitle ?? '',
      recipientOrgName: names.get(w.recipientOrgId) ?? '',
      amountUsd: w.amountUsd,
      paidUsd: payments.reduce((s, p) => s + p.amountUsd, 0),
      status: w.status,
      createdAt: w.createdAt.toISOString(),
      closedAt: w.closedAt?.toISOString() ?? null,
      closeoutNote: w.closeoutNote,
      milestones: milestones.map((m) => ({ id: m.id, title: m.title, dueOn: m.dueOn, deliverables: m.deliverables, amountUsd: m.amountUsd, paidUsd: paidBy(m.id), status: m.status })),
      progressReports: reports.map((r) => ({ id: r.id, period: r.period, narrative: dec('grant_progress_reports', 'narrative_enc', r.id, r.narrativeEnc), milestoneId: r.milestoneId, submittedAt: r.createdAt.toISOString() })),
      payments: payments.map((p) => ({ id: p.id, milestoneId: p.milestoneId, amountUsd: p.amountUsd, reference: p.reference, paidAt: p.paidAt.toISOString() })),
      tools: tools.map((t) => ({ id: t.id, name: t.name, description: t.description, sarifDriverName: t.sarifDriverName, registeredAt: t.createdAt.toISOString() })),
      findingsReported: await clearinghouseFindingsForAward(tx, w.recipientOrgId, tools.map((t) => t.sarifDriverName)),
    };
  }

  async function listAwards(_actor: Actor, subject: Subject): Promise<z.infer<typeof AwardSummary>[]> {
    if (!can(subject, 'grants:manage') && !can(subject, 'grants:apply')) throw new ForbiddenError('Your role has no part in awards.');
    const rule = can(subject, 'grants:manage') ? OFFICER_RULE : APPLICANT_RULE;
    const rows = await db.select().from(grantAwards).where(readableBy(subject, grantAwards, 'grant_award', rule, clock())).orderBy(desc(grantAwards.createdAt)).limit(500);
    if (rows.length === 0) return [];
    const apps = await db.select().from(grantApplications).where(inArray(grantApplications.id, rows.map((r) => r.applicationId)));
    const opps = await db.select().from(grantOpportunities).where(inArray(grantOpportunities.id, [...new Set(rows.map((r) => r.opportunityId))]));
    const names = await orgNames(db, rows.map((r) => r.recipientOrgId));
    const paid = await paidOf(db, rows.map((r) => r.id));
    return rows.map((w) => ({
      id: w.id,
      applicationId: w.applicationId,
      opportunityId: w.opportunityId,
      opportunityTitle: opps.find((o) => o.id === w.opportunityId)?.title ?? '',
      projectTitle: apps.find((a) => a.id === w.applicationId)?.projectTitle ?? '',
      recipientOrgName: names.get(w.recipientOrgId) ?? '',
      amountUsd: w.amountUsd,
      paidUsd: paid.get(w.id) ?? 0,
      status: w.status,
      createdAt: w.createdAt.toISOString(),
    }));
  }

  async function getAward(_actor: Actor, subject: Subject, id: string) {
    return awardView(await readableAward(subject, id));
  }

  async function awardChange(actor: Actor, subject: Subject, id: string, who: 'officer' | 'recipient', fn: (tx: DbOrTx, w: AwardRow) => Promise<{ action: string; detail?: Record<string, string | number | boolean | null> }>) {
    return db.transaction(async (tx) => {
      const w0 = await readableAward(subject, id, tx);
      const [w] = await tx.select().from(grantAwards).where(eq(grantAwards.id, w0.id)).for('update');
      if (who === 'officer' ? !isOfficerOf(subject, w) : !isRecipientOf(subject, w)) throw new ForbiddenError(who === 'officer' ? 'Only the awarding agency’s program officers do this.' : 'Only the recipient organisation does this.');
      const { action, detail } = await fn(tx, w);
      await audit.record(tx, { actor, action, recordType: 'grant_award', recordId: w.id, detail, ownerOrgId: w.ownerOrgId });
      return awardView((await findAward(tx, w.id))!, tx);
    });
  }

  async function addMilestone(actor: Actor, subject: Subject, id: string, input: z.infer<typeof MilestoneBody>) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers set milestones.');
    return awardChange(actor, subject, id, 'officer', async (tx, w) => {
      awardTransition(w.status, 'plan');
      const [{ total }] = await tx.select({ total: sql<string>`coalesce(sum(${grantMilestones.amountUsd}), 0)::text` }).from(grantMilestones).where(eq(grantMilestones.awardId, w.id));
      if (Number(total) + input.amountUsd > w.amountUsd) throw new ConflictError(`Milestones would total $${Number(total) + input.amountUsd}, more than the award of $${w.amountUsd}.`);
      const [m] = await tx.insert(grantMilestones).values({ awardId: w.id, title: input.title, dueOn: input.dueOn, deliverables: input.deliverables, amountUsd: input.amountUsd, status: 'planned' }).returning();
      return { action: 'grant_award.milestone_add', detail: { milestoneId: m.id, amountUsd: input.amountUsd } };
    });
  }

  async function reportProgress(actor: Actor, subject: Subject, id: string, input: z.infer<typeof ProgressBody>) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only the recipient reports progress.');
    return awardChange(actor, subject, id, 'recipient', async (tx, w) => {
      awardTransition(w.status, 'report');
      if (input.milestoneId) {
        const [m] = await tx.select().from(grantMilestones).where(and(eq(grantMilestones.id, input.milestoneId), eq(grantMilestones.awardId, w.id)));
        if (!m) throw new NotFoundError('milestone');
        if (m.status === 'planned') await tx.update(grantMilestones).set({ status: 'submitted' }).where(eq(grantMilestones.id, m.id));
      }
      const rid = crypto.randomUUID();
      await tx.insert(grantProgressReports).values({ id: rid, awardId: w.id, milestoneId: input.milestoneId ?? null, period: input.period, narrativeEnc: enc('grant_progress_reports', 'narrative_enc', rid, input.narrative), submittedBy: subject.userId });
      return { action: 'grant_award.progress_report', detail: { reportId: rid, milestoneId: input.milestoneId ?? null } };
    });
  }

  async function acceptMilestone(actor: Actor, subject: Subject, id: string, milestoneId: string) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers accept deliverables.');
    return awardChange(actor, subject, id, 'officer', async (tx, w) => {
      awardTransition(w.status, 'report');
      const [m] = await tx.select().from(grantMilestones).where(and(eq(grantMilestones.id, milestoneId), eq(grantMilestones.awardId, w.id)));
      if (!m) throw new NotFoundError('milestone');
      if (m.status === 'accepted') throw new ConflictError('The milestone is already accepted.');
      await tx.update(grantMilestones).set({ status: 'accepted', acceptedAt: clock() }).where(eq(grantMilestones.id, m.id));
      return { action: 'grant_award.milestone_accept', detail: { milestoneId } };
    });
  }

  async function pay(actor: Actor, subject: Subject, id: string, input: z.infer<typeof PaymentBody>) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers record payments.');
    return awardChange(actor, subject, id, 'officer', async (tx, w) => {
      awardTransition(w.status, 'pay');
      const [m] = await tx.select().from(grantMilestones).where(and(eq(grantMilestones.id, input.milestoneId), eq(grantMilestones.awardId, w.id)));
      if (!m) throw new NotFoundError('milestone');
      if (m.status !== 'accepted') throw new ConflictError('Pay a milestone once its deliverables are accepted.');
      const rows = await tx.select({ milestoneId: grantPayments.milestoneId, amount: grantPayments.amountUsd }).from(grantPayments).where(eq(grantPayments.awardId, w.id));
      const paidAward = rows.reduce((s, r) => s + r.amount, 0);
      const paidMilestone = rows.filter((r) => r.milestoneId === m.id).reduce((s, r) => s + r.amount, 0);
      if (paidAward + input.amountUsd > w.amountUsd) throw new ConflictError(`Payments would total $${paidAward + input.amountUsd}, more than the award of $${w.amountUsd}.`);
      if (paidMilestone + input.amountUsd > m.amountUsd) throw new ConflictError(`Payments against this milestone would total $${paidMilestone + input.amountUsd}, more than its $${m.amountUsd}.`);
      const [p] = await tx.insert(grantPayments).values({ awardId: w.id, milestoneId: m.id, amountUsd: input.amountUsd, reference: input.reference, paidBy: subject.userId }).returning();
      return { action: 'grant_award.payment', detail: { paymentId: p.id, milestoneId: m.id, amountUsd: input.amountUsd } };
    });
  }

  async function closeout(actor: Actor, subject: Subject, id: string, input: z.infer<typeof CloseoutBody>) {
    if (!can(subject, 'grants:manage')) throw new ForbiddenError('Only grants program officers close awards.');
    return awardChange(actor, subject, id, 'officer', async (tx, w) => {
      const event = input.action === 'begin' ? 'begin_closeout' : input.action;
      const next = awardTransition(w.status, event);
      if (input.action === 'begin') {
        const ms = await tx.select({ status: grantMilestones.status }).from(grantMilestones).where(eq(grantMilestones.awardId, w.id));
        if (ms.length === 0 || ms.some((m) => m.status !== 'accepted')) throw new ConflictError('Closeout begins once every milestone’s deliverables are accepted.');
      }
      await tx
        .update(grantAwards)
        .set({ status: next, ...(next === 'closed' || next === 'terminated' ? { closedAt: clock(), closeoutNote: input.note ?? null } : {}) })
        .where(eq(grantAwards.id, w.id));
      return { action: `grant_award.${input.action === 'begin' ? 'closeout_begin' : input.action}`, detail: { status: next } };
    });
  }

  async function registerTool(actor: Actor, subject: Subject, id: string, input: z.infer<typeof ToolBody>) {
    if (!can(subject, 'grants:apply')) throw new ForbiddenError('Only the recipient registers its tool.');
    return awardChange(actor, subject, id, 'recipient', async (tx, w) => {
      if (w.status !== 'active' && w.status !== 'closing') throw new ConflictError(`The award is ${w.status}.`);
      const [dup] = await tx.select({ id: grantAwardTools.id }).from(grantAwardTools).where(eq(grantAwardTools.sarifDriverName, input.sarifDriverName));
      if (dup) throw new ConflictError('A tool with that SARIF driver name is already registered; findings must be credited to one award.');
      const [t] = await tx.insert(grantAwardTools).values({ awardId: w.id, name: input.name, description: input.description, sarifDriverName: input.sarifDriverName, registeredBy: subject.userId }).returning();
      return { action: 'grant_award.tool_register', detail: { toolId: t.id, sarifDriverName: input.sarifDriverName } };
    });
  }

  // ───────────────────────────── defensive-tool services ─────────────────────────────

  const serviceView = (s: ServiceRow): z.infer<typeof ServiceView> => ({ id: s.id, name: s.name, provider: s.provider, description: s.description, sectors: s.sectors, tiers: s.tiers, costToOperator: s.costToOperator, howToEnrol: s.howToEnrol, active: s.active });

  async function listServices(includeRetired = false) {
    const rows = await db.select().from(catalogueServices).where(includeRetired ? undefined : eq(catalogueServices.active, true)).orderBy(catalogueServices.name).limit(500);
    return rows.map(serviceView);
  }
  async function listServicesFor(subject: Subject) {
    return listServices(can(subject, 'catalogue:manage'));
  }

  async function getService(id: string) {
    const [s] = await db.select().from(catalogueServices).where(eq(catalogueServices.id, id));
    if (!s || !s.active) throw new NotFoundError('service');
    return serviceView(s);
  }

  async function saveService(actor: Actor, subject: Subject, id: string | null, input: z.infer<typeof ServiceBody>) {
    if (!can(subject, 'catalogue:manage')) throw new ForbiddenError('Only the program edits the services catalogue.');
    return db.transaction(async (tx) => {
      let row: ServiceRow;
      if (id) {
        const [s] = await tx.select().from(catalogueServices).where(eq(catalogueServices.id, id));
        if (!s) throw new NotFoundError('service');
        [row] = await tx.update(catalogueServices).set({ ...input, updatedAt: clock() }).where(eq(catalogueServices.id, id)).returning();
      } else {
        [row] = await tx.insert(catalogueServices).values({ ...input, ownerOrgId: subject.orgId, createdBy: subject.userId }).returning();
      }
      await audit.record(tx, { actor, action: id ? 'catalogue_service.update' : 'catalogue_service.create', recordType: 'catalogue_service', recordId: row.id, detail: { active: row.active } });
      return serviceView(row);
    });
  }

  async function enrolmentViews(rows: EnrolmentRow[], tx: DbOrTx = db): Promise<z.infer<typeof EnrolmentView>[]> {
    const services = rows.length ? await tx.select().from(catalogueServices).where(inArray(catalogueServices.id, [...new Set(rows.map((r) => r.serviceId))])) : [];
    const names = await orgNames(tx, rows.map((r) => r.ownerOrgId));
    return rows.map((e) => ({
      id: e.id,
      serviceId: e.serviceId,
      serviceName: services.find((s) => s.id === e.serviceId)?.name ?? '',
      operatorOrgName: names.get(e.ownerOrgId) ?? '',
      sector: e.sector,
      tier: e.tier,
      status: e.status,
      note: e.note,
      decisionNote: e.decisionNote,
      requestedAt: e.createdAt.toISOString(),
      decidedAt: e.decidedAt?.toISOString() ?? null,
    }));
  }

  async function requestEnrolment(actor: Actor, subject: Subject, serviceId: string, input: z.infer<typeof EnrolBody>) {
    if (!can(subject, 'enrolments:request')) throw new ForbiddenError('Only operators request enrolment.');
    return db.transaction(async (tx) => {
      const [s] = await tx.select().from(catalogueServices).where(eq(catalogueServices.id, serviceId));
      if (!s || !s.active) throw new NotFoundError('service');
      const [org] = await tx.select().from(organisations).where(eq(organisations.id, subject.orgId));
      const sector = org.sector ?? 'other';
      if (!s.sectors.includes(sector)) throw new ConflictError(`This service is for the ${s.sectors.join(', ')} sector(s); your organisation is in ${sector}.`);
      if (!s.tiers.includes(input.tier)) throw new ConflictError(`This service is for ${s.tiers.join(', ')} operators.`);
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`enrol:${s.id}:${subject.orgId}`}))`);
      if (await liveEnrolment(tx, s.id, subject.orgId)) throw new ConflictError('Your organisation already has a request or enrolment for this service.');
      const [e] = await tx.insert(serviceEnrolments).values({ ownerOrgId: subject.orgId, serviceId: s.id, sector, tier: input.tier, status: 'requested', note: input.note ?? null, requestedBy: subject.userId }).returning();
      await audit.record(tx, { actor, action: 'service_enrolment.request', recordType: 'service_enrolment', recordId: e.id, detail: { serviceId: s.id, tier: input.tier, sector } });
      return (await enrolmentViews([e], tx))[0];
    });
  }

  function enrolmentRule(subject: Subject) {
    return can(subject, 'catalogue:manage') ? PROGRAM_ENROLMENT_RULE : OPERATOR_ENROLMENT_RULE;
  }

  async function listEnrolments(_actor: Actor, subject: Subject) {
    if (!can(subject, 'catalogue:manage') && !can(subject, 'enrolments:request')) throw new ForbiddenError('Your role has no part in enrolments.');
    const rows = await db.select().from(serviceEnrolments).where(readableBy(subject, serviceEnrolments, 'service_enrolment', enrolmentRule(subject), clock())).orderBy(desc(serviceEnrolments.createdAt)).limit(1000);
    return enrolmentViews(rows);
  }

  async function decideEnrolment(actor: Actor, subject: Subject, id: string, input: z.infer<typeof EnrolmentDecisionBody>) {
    if (!can(subject, 'catalogue:manage')) throw new ForbiddenError('Only the program decides enrolments.');
    return db.transaction(async (tx) => {
      const [e] = await tx.select().from(serviceEnrolments).where(eq(serviceEnrolments.id, id)).for('update');
      if (!e) throw new NotFoundError('enrolment');
      enforce(canRead(subject, e, PROGRAM_ENROLMENT_RULE, clock()), 'enrolment');
      if (e.status !== 'requested') throw new ConflictError(`The request is already ${e.status}.`);
      const [u] = await tx.update(serviceEnrolments).set({ status: input.status, decisionNote: input.note ?? null, decidedBy: subject.userId, decidedAt: clock() }).where(eq(serviceEnrolments.id, id)).returning();
      await notify.notify(tx, { orgIds: [e.ownerOrgId], roles: ['operator_staff'], title: 'Enrolment decision', body: `Your enrolment request was ${input.status}.`, link: '/services/enrolments', email: false });
      await audit.record(tx, { actor, action: `service_enrolment.${input.status === 'enrolled' ? 'enrol' : 'decline'}`, recordType: 'service_enrolment', recordId: id, ownerOrgId: e.ownerOrgId });
      return (await enrolmentViews([u], tx))[0];
    });
  }

  /**
   * Enrolments by sector and tier, and the coverage of small operators: per sector, the small
   * operators enrolled in at least one service, against every operator organisation of that sector
   * on Forewarn (the denominator the program can count today).
   */
  async function enrolmentStats(_actor: Actor, subject: Subject) {
    if (!can(subject, 'catalogue:manage')) throw new ForbiddenError('Only the program sees enrolment statistics.');
    const rows = await db
      .select({ sector: serviceEnrolments.sector, tier: serviceEnrolments.tier, status: serviceEnrolments.status, orgId: serviceEnrolments.ownerOrgId })
      .from(serviceEnrolments)
      .where(readableBy(subject, serviceEnrolments, 'service_enrolment', PROGRAM_ENROLMENT_RULE, clock()));
    const key = (s: string, t: string) => `${s}|${t}`;
    const cells = new Map<string, { sector: string; tier: string; requested: number; enrolled: number }>();
    for (const r of rows) {
      const c = cells.get(key(r.sector, r.tier)) ?? { sector: r.sector, tier: r.tier, requested: 0, enrolled: 0 };
      if (r.status === 'requested') c.requested++;
      if (r.status === 'enrolled') c.enrolled++;
      cells.set(key(r.sector, r.tier), c);
    }
    const operators = await operatorsBySector(db);
    const sectors = [...new Set([...operators.keys(), ...rows.map((r) => r.sector)])].sort();
    const smallOperatorCoverage = sectors.map((sector) => {
      const enrolled = new Set(rows.filter((r) => r.sector === sector && r.tier === 'small' && r.status === 'enrolled').map((r) => r.orgId)).size;
      const total = operators.get(sector) ?? 0;
      return { sector, operatorsOnForewarn: total, smallOperatorsEnrolled: enrolled, share: total > 0 ? Math.round((1000 * enrolled) / total) / 1000 : 0 };
    });
    return { bySectorTier: [...cells.values()].sort((a, b) => a.sector.localeCompare(b.sector) || a.tier.localeCompare(b.tier)), smallOperatorCoverage };
  }

  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
    createOpportunity,
    updateOpportunity,
    publishOpportunity: (actor: Actor, subject: Subject, id: string) => setOpportunityStatus(actor, subject, id, 'published'),
    cancelOpportunity: (actor: Actor, subject: Subject, id: string) => setOpportunityStatus(actor, subject, id, 'cancelled'),
    listOwnOpportunities,
    getOwnOpportunity,
    listPublicOpportunities,
    getPublicOpportunity,
    createApplication,
    saveDraft,
    addAttachment,
    removeAttachment,
    getAttachment,
    submit,
    withdraw,
    listApplications,
    getApplication,
    assignReviewer,
    listMyAssignments,
    listAssignmentsFor,
    declare,
    score,
    ranking,
    decide,
    listAwards,
    getAward,
    addMilestone,
    reportProgress,
    acceptMilestone,
    pay,
    closeout,
    registerTool,
    listServices,
    listServicesFor,
    getService,
    saveService,
    requestEnrolment,
    listEnrolments,
    decideEnrolment,
    enrolmentStats,
  };
}

export type GrantsService = ReturnType<typeof createGrantsService>;
