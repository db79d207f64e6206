import { createHash, randomUUID } from 'node:crypto';
import { and, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organisations, panelMembers, partnerApplications, partnerCriteriaVersions, partnerEvidence, partnerVettingFindings, reviewWindows, selectionPanels } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import { addGrant, enforce } from '../access/access.service.ts';
import type { Actor } from '../access/actor.ts';
import { readableBy } from '../access/access.sql.ts';
import { CUI } from '../access/marking.ts';
import { can, canRead, canWrite, type ReadRule, type Subject } from '../access/policy.ts';
import { abilitiesOf, type OrgKind } from '../access/roles.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { WINDOW_SOURCE } from '../reviews/reviews.dal.ts';
import { effectiveStatus, transition } from './application.machine.ts';
import {
  appealMemberClashes,
  consistencyReport,
  criteriaProblems,
  decide,
  decisionReasons,
  rationaleProblems,
  type Criterion,
  type DecidedPanel,
  type DecisionRule,
  type Side,
} from './partners.fns.ts';
import {
  criteriaVersion,
  decidedPanels,
  evidenceOf,
  findApplication,
  findingsOf,
  findPanel,
  latestCriteria,
  listApplications,
  membersOf,
  orgName,
  panelsForMember,
  panelsOfApplication,
  usersWithOrgs,
  type ApplicationRow,
  type PanelRow,
} from './partners.dal.ts';
import { MAX_EVIDENCE_BYTES } from './partners.types.ts';

const MARKING = { classification: CUI, compartments: [] as string[] };
const APPLICATION = 'partner_application';
const PANEL = 'selection_panel';

/** Applicants read their own organisation's applications; vetting reviewers read every applicant's. */
function applicationRule(subject: Subject): ReadRule {
  return can(subject, 'partners:vet') ? { ability: 'partners:vet', crossOrgAbility: 'partners:vet' } : { ability: 'partners:apply' };
}

interface AnswerInput {
  criterionKey: string;
  answer: string;
  evidence: { filename: string; mediaType: string; contentBase64: string }[];
}
interface Declarations {
  ownership: string;
  affiliations: string;
  conflictsOfInterest: string;
}
interface MemberInput {
  userId: string;
  side: Side;
}

function iso(d: Date | null | undefined) {
  return d ? d.toISOString() : null;
}

export function createPartnersService({ db, audit, keyring, notify, clock }: ModuleDeps) {
  // -------------------------------------------------------------------------------------------
  // Selection criteria
  // -------------------------------------------------------------------------------------------

  function criteriaView(c: { version: number; criteria: Criterion[]; note: string; publishedAt: Date }) {
    return { version: c.version, criteria: c.criteria, note: c.note, publishedAt: c.publishedAt.toISOString() };
  }

  /** The criteria are public to every signed-in user: an applicant must know what it is judged on. */
  async function currentCriteria(subject: Subject) {
    void subject;
    const c = await latestCriteria(db);
    if (!c) throw new NotFoundError('published selection criteria');
    return criteriaView(c);
  }

  async function criteriaHistory(subject: Subject) {
    void subject;
    const rows = await db.select().from(partnerCriteriaVersions).orderBy(partnerCriteriaVersions.version);
    return rows.map(criteriaView);
  }

  async function publishCriteria(actor: Actor, subject: Subject, input: { criteria: Criterion[]; note: string }) {
    if (!can(subject, 'partners:vet')) throw new ForbiddenError();
    const problems = criteriaProblems(input.criteria);
    if (problems.length) throw new ValidationError('The criteria are not valid. Nothing was published.', problems);
    const row = await db.transaction(async (tx) => {
      await tx.execute(sql`lock table partner_criteria_versions in exclusive mode`);
      const prev = await latestCriteria(tx);
      const [c] = await tx
        .insert(partnerCriteriaVersions)
        .values({ version: (prev?.version ?? 0) + 1, criteria: input.criteria, note: input.note, publishedBy: subject.userId })
        .returning();
      await audit.record(tx, { actor, action: 'partners.criteria_publish', recordType: 'partner_criteria', detail: { version: c.version, keys: input.criteria.map((k) => k.key) } });
      return c;
    });
    return criteriaView(row);
  }

  // -------------------------------------------------------------------------------------------
  // Applications
  // -------------------------------------------------------------------------------------------

  function checkAnswers(answers: AnswerInput[], criteria: Criterion[]) {
    const keys = new Set(criteria.map((c) => c.key));
    const problems: { path: string; message: string }[] = [];
    const seen = new Set<string>();
    answers.forEach((a, i) => {
      if (!keys.has(a.criterionKey)) problems.push({ path: `answers.${i}.criterionKey`, message: 'not a criterion of the current version' });
      if (seen.has(a.criterionKey)) problems.push({ path: `answers.${i}.criterionKey`, message: 'answered twice' });
      seen.add(a.criterionKey);
      a.evidence.forEach((e, j) => {
        if (Buffer.from(e.contentBase64, 'base64').length > MAX_EVIDENCE_BYTES) problems.push({ path: `answers.${i}.evidence.${j}.contentBase64`, message: `larger than ${MAX_EVIDENCE_BYTES} bytes` });
      });
    });
    for (const k of keys) if (!seen.has(k)) problems.push({ path: 'answers', message: `criterion ${k} is not answered` });
    if (problems.length) throw new ValidationError('The application does not answer the selection criteria. Nothing was saved.', problems);
  }

  async function writeAnswers(tx: DbOrTx, app: { id: string; ownerOrgId: string }, answers: AnswerInput[], declarations: Declarations) {
    const plain = answers.map((a) => ({ criterionKey: a.criterionKey, answer: a.answer }));
    await tx
      .update(partnerApplications)
      .set({
        answersEnc: keyring.encrypt(JSON.stringify(plain), `partner_applications.answers_enc:${app.id}`),
        declarationsEnc: keyring.encrypt(JSON.stringify(declarations), `partner_applications.declarations_enc:${app.id}`),
        updatedAt: clock(),
      })
      .where(eq(partnerApplications.id, app.id));
    await tx.delete(partnerEvidence).where(eq(partnerEvidence.applicationId, app.id));
    let count = 0;
    for (const a of answers) {
      for (const e of a.evidence) {
        const id = randomUUID();
        const bytes = Buffer.from(e.contentBase64, 'base64');
        await tx.insert(partnerEvidence).values({
          id,
          ownerOrgId: app.ownerOrgId,
          classification: CUI,
          applicationId: app.id,
          criterionKey: a.criterionKey,
          filename: e.filename,
          mediaType: e.mediaType,
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          contentEnc: keyring.encrypt(bytes.toString('base64'), `partner_evidence.content_enc:${id}`),
        });
        count++;
      }
    }
    return count;
  }

  async function apply(actor: Actor, subject: Subject, input: { answers: AnswerInput[]; declarations: Declarations; renewalOf?: string }) {
    if (!can(subject, 'partners:apply')) throw new ForbiddenError();
    const id = await db.transaction(async (tx) => {
      const criteria = await latestCriteria(tx);
      if (!criteria) throw new ConflictError('No selection criteria have been published yet.');
      checkAnswers(input.answers, criteria.criteria);
      if (input.renewalOf) {
        const prev = await findApplication(tx, input.renewalOf, true);
        if (!prev || prev.ownerOrgId !== subject.orgId) throw new NotFoundError('application');
        const st = effectiveStatus(prev.status, prev.eligibleUntil, clock());
        if (st !== 'eligible' && st !== 'expired') throw new ConflictError('Only an eligibility (current or expired) can be renewed; apply afresh instead.');
        transition(prev.status, 'renew');
      }
      const id = randomUUID();
      await tx.insert(partnerApplications).values({
        id,
        ownerOrgId: subject.orgId,
        classification: CUI,
        criteriaVersion: criteria.version,
        status: 'submitted',
        answersEnc: '',
        declarationsEnc: '',
        renewalOf: input.renewalOf ?? null,
        submittedBy: subject.userId,
      });
      const documents = await writeAnswers(tx, { id, ownerOrgId: subject.orgId }, input.answers, input.declarations);
      await notify.notify(tx, { roles: ['analyst'], orgIds: await agencyOrgIds(tx), title: 'Trusted-partner application received', body: 'A partner organisation applied for trusted-partner eligibility; it awaits vetting.', link: '/partners/vetting', email: false });
      await audit.record(tx, { actor, action: 'partners.application_submit', recordType: APPLICATION, recordId: id, detail: { criteriaVersion: criteria.version, answers: input.answers.length, documents, renewalOf: input.renewalOf ?? null }, marking: MARKING, ownerOrgId: subject.orgId });
      return id;
    });
    return getApplication(actor, subject, id);
  }

  async function agencyOrgIds(tx: DbOrTx): Promise<string[]> {
    const rows = await tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.kind, 'agency'));
    return rows.map((r) => r.id);
  }

  async function ownApplication(tx: DbOrTx, subject: Subject, id: string) {
    const app = await findApplication(tx, id, true);
    if (!app) throw new NotFoundError('application');
    enforce(canWrite(subject, app, applicationRule(subject), 'partners:apply', clock()), 'application');
    if (app.ownerOrgId !== subject.orgId) throw new ForbiddenError('Only the applicant changes its application.');
    return app;
  }

  async function updateApplication(actor: Actor, subject: Subject, id: string, input: { answers: AnswerInput[]; declarations: Declarations }) {
    if (!can(subject, 'partners:apply')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const app = await ownApplication(tx, subject, id);
      transition(app.status, 'update');
      const criteria = (await criteriaVersion(tx, app.criteriaVersion))!;
      checkAnswers(input.answers, criteria.criteria);
      const documents = await writeAnswers(tx, app, input.answers, input.declarations);
      await audit.record(tx, { actor, action: 'partners.application_update', recordType: APPLICATION, recordId: app.id, detail: { answers: input.answers.length, documents }, marking: MARKING, ownerOrgId: app.ownerOrgId });
    });
    return getApplication(actor, subject, id);
  }

  async function withdraw(actor: Actor, subject: Subject, id: string) {
    if (!can(subject, 'partners:apply')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const app = await ownApplication(tx, subject, id);
      const to = transition(app.status, 'withdraw');
      await tx.update(partnerApplications).set({ status: to, updatedAt: clock() }).where(eq(partnerApplications.id, app.id));
      await audit.record(tx, { actor, action: 'partners.application_withdraw', recordType: APPLICATION, recordId: app.id, detail: { from: app.status }, marking: MARKING, ownerOrgId: app.ownerOrgId });
    });
    return getApplication(actor, subject, id);
  }

  async function readableApplication(tx: DbOrTx, subject: Subject, id: string): Promise<ApplicationRow> {
    const app = await findApplication(tx, id);
    if (!app) throw new NotFoundError('application');
    enforce(canRead(subject, app, applicationRule(subject), clock()), 'application');
    return app;
  }

  async function getApplication(actor: Actor, subject: Subject, id: string) {
    if (!can(subject, 'partners:apply') && !can(subject, 'partners:vet')) throw new NotFoundError('application');
    const app = await readableApplication(db, subject, id);
    const vetter = can(subject, 'partners:vet');
    const now = clock();
    const answers = JSON.parse(keyring.decrypt(app.answersEnc, `partner_applications.answers_enc:${app.id}`)) as { criterionKey: string; answer: string }[];
    const declarations = JSON.parse(keyring.decrypt(app.declarationsEnc, `partner_applications.declarations_enc:${app.id}`)) as Declarations;
    const findings = await findingsOf(db, app.id);
    const panels = await panelsOfApplication(db, app.id);
    const appealed = new Set(panels.map((p) => p.appealOf).filter((x): x is string => !!x));
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: APPLICATION, recordId: app.id, classification: app.classification, compartments: app.compartments }, {}, app.ownerOrgId));
    return {
      id: app.id,
      applicantOrgId: app.ownerOrgId,
      applicantName: await orgName(db, app.ownerOrgId),
      criteriaVersion: app.criteriaVersion,
      status: effectiveStatus(app.status, app.eligibleUntil, now),
      renewalOf: app.renewalOf,
      eligibleUntil: iso(app.eligibleUntil),
      outcomeReasons: app.outcomeReasons,
      decidedAt: iso(app.decidedAt),
      answers,
      declarations,
      evidence: await evidenceOf(db, app.id),
      // The applicant learns the finding on each criterion once vetting has decided, never who
      // recorded it nor the agencies' internal notes.
      findings: vetter
        ? findings.map((f) => ({ criterionKey: f.criterionKey, met: f.met, note: f.note, internalNote: f.internalNote, reviewerId: f.reviewerId, recordedAt: f.recordedAt.toISOString() }))
        : app.decidedAt
          ? findings.map((f) => ({ criterionKey: f.criterionKey, met: f.met, note: f.note }))
          : [],
      decisions: panels.map((p) => ({
        panelId: p.id,
        kind: p.kind as 'selection' | 'appeal',
        modelId: p.modelId,
        windowId: p.windowId,
        status: p.status,
        reasons: p.reasons,
        decidedAt: iso(p.decidedAt),
        appealOf: p.appealOf,
        appealGrounds: p.appealGrounds,
        appealable: p.kind === 'selection' && p.status === 'refused' && !appealed.has(p.id),
      })),
      createdAt: app.createdAt.toISOString(),
      updatedAt: app.updatedAt.toISOString(),
    };
  }

  async function listMine(subject: Subject, status?: string) {
    if (!can(subject, 'partners:apply') && !can(subject, 'partners:vet')) throw new ForbiddenError();
    const now = clock();
    const where = readableBy(subject, partnerApplications, APPLICATION, applicationRule(subject), now);
    const rows = await listApplications(db, status ? and(where, eq(partnerApplications.status, status))! : where);
    const names = new Map<string, string>();
    for (const r of rows) if (!names.has(r.ownerOrgId)) names.set(r.ownerOrgId, await orgName(db, r.ownerOrgId));
    return rows.map((a) => ({
      id: a.id,
      applicantOrgId: a.ownerOrgId,
      applicantName: names.get(a.ownerOrgId)!,
      criteriaVersion: a.criteriaVersion,
      status: effectiveStatus(a.status, a.eligibleUntil, now),
      renewalOf: a.renewalOf,
      eligibleUntil: iso(a.eligibleUntil),
      decidedAt: iso(a.decidedAt),
      createdAt: a.createdAt.toISOString(),
    }));
  }

  async function evidenceContent(actor: Actor, subject: Subject, applicationId: string, evidenceId: string) {
    if (!can(subject, 'partners:apply') && !can(subject, 'partners:vet')) throw new NotFoundError('evidence');
    const app = await readableApplication(db, subject, applicationId);
    const [e] = await db.select().from(partnerEvidence).where(and(eq(partnerEvidence.id, evidenceId), eq(partnerEvidence.applicationId, app.id)));
    if (!e) throw new NotFoundError('evidence');
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'partner_evidence', recordId: e.id, classification: e.classification, compartments: e.compartments }, { applicationId: app.id }, e.ownerOrgId));
    return { id: e.id, filename: e.filename, mediaType: e.mediaType, contentBase64: keyring.decrypt(e.contentEnc, `partner_evidence.content_enc:${e.id}`) };
  }

  // -------------------------------------------------------------------------------------------
  // Vetting
  // -------------------------------------------------------------------------------------------

  async function vettedApplication(tx: DbOrTx, subject: Subject, id: string) {
    const app = await findApplication(tx, id, true);
    if (!app) throw new NotFoundError('application');
    enforce(canWrite(subject, app, applicationRule(subject), 'partners:vet', clock()), 'application');
    return app;
  }

  async function recordFinding(actor: Actor, subject: Subject, id: string, criterionKey: string, input: { met: boolean; note: string; internalNote?: string }) {
    if (!can(subject, 'partners:vet')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const app = await vettedApplication(tx, subject, id);
      transition(app.status, 'record_finding');
      const criteria = (await criteriaVersion(tx, app.criteriaVersion))!;
      if (!criteria.criteria.some((c) => c.key === criterionKey)) throw new NotFoundError('criterion');
      const values = { met: input.met, note: input.note, internalNote: input.internalNote ?? null, reviewerId: subject.userId, reviewerOrgId: subject.orgId, recordedAt: clock() };
      await tx
        .insert(partnerVettingFindings)
        .values({ applicationId: app.id, criterionKey, ...values })
        .onConflictDoUpdate({ target: [partnerVettingFindings.applicationId, partnerVettingFindings.criterionKey], set: values });
      await audit.record(tx, { actor, action: 'partners.vetting_finding', recordType: APPLICATION, recordId: app.id, detail: { criterionKey, met: input.met }, marking: MARKING, ownerOrgId: app.ownerOrgId });
    });
    return getApplication(actor, subject, id);
  }

  async function decideEligibility(actor: Actor, subject: Subject, id: string, input: { outcome: 'eligible' | 'not_eligible'; reasons: string; eligibleForDays: number }) {
    if (!can(subject, 'partners:vet')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const app = await vettedApplication(tx, subject, id);
      const to = transition(app.status, input.outcome === 'eligible' ? 'decide_eligible' : 'decide_not_eligible');
      const criteria = (await criteriaVersion(tx, app.criteriaVersion))!;
      const findings = await findingsOf(tx, app.id);
      const recorded = new Set(findings.map((f) => f.criterionKey));
      const missing = criteria.criteria.filter((c) => !recorded.has(c.key)).map((c) => c.key);
      if (missing.length) throw new ValidationError('Record a finding on every criterion before deciding.', missing.map((k) => ({ path: `findings.${k}`, message: 'no finding recorded' })));
      const now = clock();
      const eligibleUntil = to === 'eligible' ? new Date(now.getTime() + input.eligibleForDays * 86_400_000) : null;
      await tx.update(partnerApplications).set({ status: to, outcomeReasons: input.reasons, eligibleUntil, decidedBy: subject.userId, decidedAt: now, updatedAt: now }).where(eq(partnerApplications.id, app.id));
      await notify.notify(tx, { orgIds: [app.ownerOrgId], roles: ['partner_reviewer'], title: 'Trusted-partner vetting decided', body: `Your trusted-partner application was vetted: ${to === 'eligible' ? 'eligible' : 'not eligible'}. The reasons and the finding on each criterion are on the application.`, link: `/partners/applications/${app.id}` });
      await audit.record(tx, { actor, action: 'partners.vetting_decision', recordType: APPLICATION, recordId: app.id, detail: { outcome: to, eligibleUntil: iso(eligibleUntil), unmet: findings.filter((f) => !f.met).map((f) => f.criterionKey) }, marking: MARKING, ownerOrgId: app.ownerOrgId });
    });
    return getApplication(actor, subject, id);
  }

  // -------------------------------------------------------------------------------------------
  // Panels
  // -------------------------------------------------------------------------------------------

  async function checkMembers(tx: DbOrTx, modelOwnerOrgId: string, members: MemberInput[], path = 'members') {
    const found = new Map((await usersWithOrgs(tx, members.map((m) => m.userId))).map((u) => [u.id, u]));
    const problems: { path: string; message: string }[] = [];
    const seen = new Set<string>();
    members.forEach((m, i) => {
      const u = found.get(m.userId);
      if (seen.has(m.userId)) problems.push({ path: `${path}.${i}.userId`, message: 'named twice' });
      seen.add(m.userId);
      if (!u || u.disabled) return problems.push({ path: `${path}.${i}.userId`, message: 'no such user' });
      const serves = abilitiesOf(u.roles, u.orgKind as OrgKind).has('panels:serve');
      if (!serves) problems.push({ path: `${path}.${i}.userId`, message: 'this user does not hold a role that serves on panels' });
      if (m.side === 'government' && u.orgKind !== 'agency') problems.push({ path: `${path}.${i}.side`, message: 'government officials must be agency users' });
      if (m.side === 'developer' && u.orgId !== modelOwnerOrgId) problems.push({ path: `${path}.${i}.side`, message: "developer representatives must belong to the model's developer" });
    });
    for (const side of ['government', 'developer'] as const) if (!members.some((m) => m.side === side)) problems.push({ path, message: `name at least one ${side === 'government' ? 'government official' : 'developer representative'}` });
    if (problems.length) throw new ValidationError('The panel membership is not valid. Nothing was saved.', problems);
    return found;
  }

  async function insertMembers(tx: DbOrTx, panelId: string, members: MemberInput[], found: Map<string, { orgId: string }>) {
    for (const m of members) await tx.insert(panelMembers).values({ panelId, userId: m.userId, orgId: found.get(m.userId)!.orgId, side: m.side });
  }

  async function createPanel(actor: Actor, subject: Subject, input: { windowId: string; applicationId: string; members: MemberInput[]; rule: DecisionRule }) {
    if (!can(subject, 'partners:vet')) throw new ForbiddenError();
    const id = await db.transaction(async (tx) => {
      const app = await vettedApplication(tx, subject, input.applicationId);
      const now = clock();
      if (effectiveStatus(app.status, app.eligibleUntil, now) !== 'eligible') throw new ConflictError('Only an applicant vetted eligible (and not expired) can go before a selection panel.');
      const [w] = await tx.select().from(reviewWindows).where(eq(reviewWindows.id, input.windowId));
      if (!w) throw new NotFoundError('review window');
      if (w.status !== 'open' || w.closesAt.getTime() <= now.getTime()) throw new ConflictError('The review window is not open.');
      const [open] = await tx
        .select({ id: selectionPanels.id })
        .from(selectionPanels)
        .where(and(eq(selectionPanels.windowId, w.id), eq(selectionPanels.applicationId, app.id), eq(selectionPanels.kind, 'selection'), inArray(selectionPanels.status, ['open', 'approved'])));
      if (open) throw new ConflictError('This applicant already has an open or approving panel for this window.');
      const found = await checkMembers(tx, w.ownerOrgId, input.members);
      const [p] = await tx
        .insert(selectionPanels)
        .values({ ownerOrgId: w.ownerOrgId, classification: CUI, kind: 'selection', modelId: w.modelId, windowId: w.id, applicationId: app.id, applicantOrgId: app.ownerOrgId, rule: input.rule, status: 'open', createdBy: subject.userId })
        .returning();
      await insertMembers(tx, p.id, input.members, found);
      await notify.notify(tx, { userIds: input.members.map((m) => m.userId), title: 'Selection panel', body: 'You were named to a joint selection panel on a trusted partner. Declare any conflict of interest, then vote with your rationale.', link: `/partners/panels/${p.id}` });
      await audit.record(tx, { actor, action: 'partners.panel_create', recordType: PANEL, recordId: p.id, detail: { windowId: w.id, modelId: w.modelId, applicationId: app.id, members: input.members.length, govMajority: input.rule.govMajority, developerMajority: input.rule.developerMajority }, marking: MARKING, ownerOrgId: w.ownerOrgId });
      return p.id;
    });
    return getPanel(subject, id);
  }

  /** Members, vetting reviewers and the model's developer see a panel; nobody else knows it exists. */
  async function readablePanel(tx: DbOrTx, subject: Subject, id: string, forUpdate = false) {
    const p = await findPanel(tx, id, forUpdate);
    if (!p) throw new NotFoundError('panel');
    const [member] = await tx.select().from(panelMembers).where(and(eq(panelMembers.panelId, p.id), eq(panelMembers.userId, subject.userId)));
    const developer = p.ownerOrgId === subject.orgId && can(subject, 'panels:serve');
    if (!member && !can(subject, 'partners:vet') && !developer) throw new NotFoundError('panel', true);
    return { panel: p, member };
  }

  async function getPanel(subject: Subject, id: string) {
    const { panel: p } = await readablePanel(db, subject, id);
    return panelView(db, p);
  }

  async function panelView(tx: DbOrTx, p: PanelRow) {
    const app = (await findApplication(tx, p.applicationId))!;
    const criteria = (await criteriaVersion(tx, app.criteriaVersion))!;
    const findings = await findingsOf(tx, app.id);
    const members = await membersOf(tx, [p.id]);
    return {
      id: p.id,
      kind: p.kind as 'selection' | 'appeal',
      modelId: p.modelId,
      windowId: p.windowId,
      applicationId: p.applicationId,
      applicantName: await orgName(tx, p.applicantOrgId),
      applicantEligible: effectiveStatus(app.status, app.eligibleUntil, clock()) === 'eligible',
      criteria: criteria.criteria,
      vettingFindings: findings.map((f) => ({ criterionKey: f.criterionKey, met: f.met, note: f.note })),
      appealOf: p.appealOf,
      appealGrounds: p.appealGrounds,
      rule: p.rule,
      status: p.status,
      reasons: p.reasons,
      grantId: p.grantId,
      decidedAt: iso(p.decidedAt),
      members: members.map(({ m, name, orgName }) => ({
        userId: m.userId,
        name,
        orgName,
        side: m.side as Side,
        conflicted: m.conflicted,
        conflictNote: m.conflictNote,
        vote: m.vote as 'approve' | 'refuse' | null,
        rationale: m.rationale,
        citedCriteria: m.citedCriteria ?? [],
        votedAt: iso(m.votedAt),
      })),
      createdAt: p.createdAt.toISOString(),
    };
  }

  async function listPanels(subject: Subject) {
    if (!can(subject, 'partners:vet') && !can(subject, 'panels:serve')) throw new ForbiddenError();
    const mine = (await panelsForMember(db, subject.userId)).map((r) => r.panelId);
    const conds = [eq(selectionPanels.ownerOrgId, can(subject, 'panels:serve') ? subject.orgId : '00000000-0000-0000-0000-000000000000')];
    if (mine.length) conds.push(inArray(selectionPanels.id, mine));
    const rows = can(subject, 'partners:vet') ? await db.select().from(selectionPanels).orderBy(selectionPanels.createdAt) : await db.select().from(selectionPanels).where(or(...conds)).orderBy(selectionPanels.createdAt);
    const out = [];
    for (const p of rows) out.push(await panelView(db, p));
    return out;
  }

  async function openMember(tx: DbOrTx, subject: Subject, panelId: string) {
    const { panel, member } = await readablePanel(tx, subject, panelId, true);
    if (!member) throw new ForbiddenError('Only the panel’s members declare conflicts and vote.');
    if (panel.status !== 'open') throw new ConflictError('The panel has decided or is not yet constituted.');
    return { panel, member };
  }

  async function declareConflict(actor: Actor, subject: Subject, panelId: string, input: { conflicted: boolean; note: string }) {
    if (!can(subject, 'panels:serve')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const { panel, member } = await openMember(tx, subject, panelId);
      if (member.vote) throw new ConflictError('You have voted; a declaration cannot change after the vote.');
      if (input.conflicted && !input.note) throw new ValidationError('Describe the conflict.', [{ path: 'note', message: 'required when declaring a conflict' }]);
      await tx.update(panelMembers).set({ conflicted: input.conflicted, conflictNote: input.note || null, declaredAt: clock() }).where(eq(panelMembers.id, member.id));
      await audit.record(tx, { actor, action: 'partners.panel_conflict', recordType: PANEL, recordId: panel.id, detail: { conflicted: input.conflicted }, marking: MARKING, ownerOrgId: panel.ownerOrgId });
      await settle(tx, actor, panel);
    });
    return getPanel(subject, panelId);
  }

  async function vote(actor: Actor, subject: Subject, panelId: string, input: { vote: 'approve' | 'refuse'; rationale: string; citedCriteria: string[] }) {
    if (!can(subject, 'panels:serve')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const { panel, member } = await openMember(tx, subject, panelId);
      if (member.conflicted === null) throw new ConflictError('Declare whether you have a conflict of interest before voting.');
      if (member.conflicted) throw new ForbiddenError('You declared a conflict of interest on this panel, so you cannot vote.');
      if (member.vote) throw new ConflictError('You have already voted on this panel.');
      const app = (await findApplication(tx, panel.applicationId))!;
      const criteria = (await criteriaVersion(tx, app.criteriaVersion))!;
      const problems = rationaleProblems(input.rationale, input.citedCriteria, criteria.criteria);
      if (problems.length) throw new ValidationError('A vote needs a written rationale that cites the selection criteria. Nothing was recorded.', problems);
      await tx.update(panelMembers).set({ vote: input.vote, rationale: input.rationale, citedCriteria: [...new Set(input.citedCriteria)], votedAt: clock() }).where(eq(panelMembers.id, member.id));
      await audit.record(tx, { actor, action: 'partners.panel_vote', recordType: PANEL, recordId: panel.id, detail: { vote: input.vote, side: member.side, cited: input.citedCriteria }, marking: MARKING, ownerOrgId: panel.ownerOrgId });
      await settle(tx, actor, panel);
    });
    return getPanel(subject, panelId);
  }

  /** Applies the decision rule; when it is met, records the outcome and (on approval) the window grant. */
  async function settle(tx: DbOrTx, actor: Actor, panel: PanelRow) {
    const members = await tx.select().from(panelMembers).where(eq(panelMembers.panelId, panel.id));
    const outcome = decide(panel.rule, members.map((m) => ({ side: m.side as Side, conflicted: m.conflicted, vote: m.vote as 'approve' | 'refuse' | null })));
    if (outcome === 'pending') return;
    const now = clock();
    const app = (await findApplication(tx, panel.applicationId))!;
    const findings = await findingsOf(tx, app.id);
    const eligible = effectiveStatus(app.status, app.eligibleUntil, now) === 'eligible';
    let grantId: string | null = null;
    let reasons = decisionReasons(outcome, members.map((m) => ({ vote: m.vote as 'approve' | 'refuse' | null, citedCriteria: m.citedCriteria, conflicted: m.conflicted })), panel.kind as 'selection' | 'appeal');
    if (outcome === 'approved') {
      const [w] = await tx.select().from(reviewWindows).where(eq(reviewWindows.id, panel.windowId)).for('update');
      if (w && w.status === 'open' && w.closesAt.getTime() > now.getTime()) {
        const expiresAt = app.eligibleUntil && app.eligibleUntil < w.closesAt ? app.eligibleUntil : w.closesAt;
        const g = await addGrant(tx, { recordType: 'model', recordId: panel.modelId, granteeOrgId: panel.applicantOrgId, grantedBy: actor.subject?.userId ?? null, reason: 'trusted partner selection', startsAt: now, expiresAt, sourceType: WINDOW_SOURCE, sourceId: w.id });
        grantId = g.id;
      } else {
        reasons += ' The review window had closed, so no access was granted.';
      }
    }
    await tx
      .update(selectionPanels)
      .set({ status: outcome, reasons, decidedAt: now, eligibleAtDecision: eligible, unmetCriteria: findings.filter((f) => !f.met).map((f) => f.criterionKey), grantId })
      .where(eq(selectionPanels.id, panel.id));
    await notify.notify(tx, { orgIds: [panel.applicantOrgId], roles: ['partner_reviewer'], title: panel.kind === 'appeal' ? 'Appeal decided' : 'Selection panel decided', body: `The ${panel.kind === 'appeal' ? 'appeal' : 'selection'} panel ${outcome} your application. The reasons are on the application.`, link: `/partners/applications/${app.id}` });
    await notify.notify(tx, { orgIds: [panel.ownerOrgId], roles: ['developer'], title: 'Selection panel decided', body: `A ${panel.kind === 'appeal' ? 'appeal' : 'selection'} panel on a trusted partner for your model has ${outcome}.`, link: `/partners/panels/${panel.id}`, email: false });
    await audit.record(tx, { actor, action: 'partners.panel_decision', recordType: PANEL, recordId: panel.id, detail: { outcome, kind: panel.kind, grantId, windowId: panel.windowId, applicantEligible: eligible }, marking: MARKING, ownerOrgId: panel.ownerOrgId });
  }

  // -------------------------------------------------------------------------------------------
  // Appeals
  // -------------------------------------------------------------------------------------------

  async function appeal(actor: Actor, subject: Subject, panelId: string, input: { grounds: string }) {
    if (!can(subject, 'partners:apply')) throw new ForbiddenError();
    const appealId = await db.transaction(async (tx) => {
      const p = await findPanel(tx, panelId, true);
      if (!p || p.applicantOrgId !== subject.orgId) throw new NotFoundError('decision', true);
      if (p.kind !== 'selection' || p.status !== 'refused') throw new ConflictError('Only a refused selection decision can be appealed.');
      const [already] = await tx.select({ id: selectionPanels.id }).from(selectionPanels).where(eq(selectionPanels.appealOf, p.id));
      if (already) throw new ConflictError('This decision has already been appealed; an applicant may appeal once per decision.');
      const [a] = await tx
        .insert(selectionPanels)
        .values({ ownerOrgId: p.ownerOrgId, classification: CUI, kind: 'appeal', modelId: p.modelId, windowId: p.windowId, applicationId: p.applicationId, applicantOrgId: p.applicantOrgId, appealOf: p.id, appealGrounds: input.grounds, rule: p.rule, status: 'awaiting_panel', createdBy: subject.userId })
        .returning();
      await notify.notify(tx, { orgIds: await agencyOrgIds(tx), roles: ['analyst'], title: 'Partner selection appealed', body: 'An applicant appealed a selection panel decision. Constitute an appeal panel whose members were not on the first.', link: `/partners/panels/${a.id}`, email: false });
      await audit.record(tx, { actor, action: 'partners.appeal_file', recordType: PANEL, recordId: a.id, detail: { appealOf: p.id }, marking: MARKING, ownerOrgId: p.ownerOrgId });
      return a.id;
    });
    return { id: appealId };
  }

  async function constituteAppeal(actor: Actor, subject: Subject, appealPanelId: string, input: { members: MemberInput[]; rule: DecisionRule }) {
    if (!can(subject, 'partners:vet')) throw new ForbiddenError();
    await db.transaction(async (tx) => {
      const p = await findPanel(tx, appealPanelId, true);
      if (!p || p.kind !== 'appeal') throw new NotFoundError('appeal');
      if (p.status !== 'awaiting_panel') throw new ConflictError('The appeal panel is already constituted.');
      const first = await tx.select({ userId: panelMembers.userId }).from(panelMembers).where(eq(panelMembers.panelId, p.appealOf!));
      const clashes = appealMemberClashes(first.map((f) => f.userId), input.members.map((m) => m.userId));
      if (clashes.length) throw new ValidationError('An appeal is heard by members who were not on the first panel. Nothing was saved.', clashes.map((i) => ({ path: `members.${i}.userId`, message: 'sat on the panel whose decision is appealed' })));
      const found = await checkMembers(tx, p.ownerOrgId, input.members);
      await insertMembers(tx, p.id, input.members, found);
      await tx.update(selectionPanels).set({ status: 'open', rule: input.rule, createdBy: subject.userId }).where(eq(selectionPanels.id, p.id));
      await notify.notify(tx, { userIds: input.members.map((m) => m.userId), title: 'Appeal panel', body: 'You were named to an appeal panel on a trusted partner. Declare any conflict of interest, then vote with your rationale.', link: `/partners/panels/${p.id}` });
      await audit.record(tx, { actor, action: 'partners.appeal_panel', recordType: PANEL, recordId: p.id, detail: { appealOf: p.appealOf, members: input.members.length }, marking: MARKING, ownerOrgId: p.ownerOrgId });
    });
    return getPanel(subject, appealPanelId);
  }

  // -------------------------------------------------------------------------------------------
  // Oversight
  // -------------------------------------------------------------------------------------------

  async function consistency(actor: Actor, subject: Subject) {
    if (!can(subject, 'oversight:read')) throw new ForbiddenError();
    const panels = await decidedPanels(db);
    const members = await membersOf(db, panels.map((p) => p.id));
    const byPanel = new Map<string, typeof members>();
    for (const m of members) byPanel.set(m.m.panelId, [...(byPanel.get(m.m.panelId) ?? []), m]);
    const input: DecidedPanel[] = panels.map((p) => ({
      panelId: p.id,
      kind: p.kind as 'selection' | 'appeal',
      modelId: p.modelId,
      applicationId: p.applicationId,
      outcome: p.status as 'approved' | 'refused',
      eligibleAtDecision: p.eligibleAtDecision ?? false,
      unmetCriteria: p.unmetCriteria ?? [],
      members: (byPanel.get(p.id) ?? []).map(({ m, name }) => ({ userId: m.userId, name, side: m.side as Side, conflicted: m.conflicted, vote: m.vote as 'approve' | 'refuse' | null, citedCriteria: m.citedCriteria ?? [] })),
    }));
    const report = consistencyReport(input);
    await db.transaction((tx) => audit.record(tx, { actor, action: 'partners.consistency_read', recordType: 'partner_consistency', detail: { panels: panels.length, flags: report.flags.length }, marking: MARKING }));
    return report;
  }

  return {
    currentCriteria,
    criteriaHistory,
    publishCriteria,
    apply,
    updateApplication,
    withdraw,
    getApplication,
    listApplications: listMine,
    evidenceContent,
    recordFinding,
    decideEligibility,
    createPanel,
    getPanel,
    listPanels,
    declareConflict,
    vote,
    appeal,
    constituteAppeal,
    consistency,
    jobs: [] as JobDefinition[],
    startup: async () => {},
  };
}

export type PartnersService = ReturnType<typeof createPartnersService>;

