import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { candidateProfiles, jobApplicationEvents, jobApplications, jobPostings, users } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { Actor } from '../access/actor.ts';
import { readableBy } from '../access/access.sql.ts';
import { addGrant, enforce, grantsOf } from '../access/access.service.ts';
import { can, canRead, type ReadRule, type Subject } from '../access/policy.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { checkFile, type FileType } from '../grants/files.ts';
import { emailsOf, orgNames } from '../grants/grants.dal.ts';
import { dashboardOf, type HiringPath } from './dashboard.ts';
import { HIRING_TRANSITIONS, hiringTransition, isHiringStage, STAGE_LABELS, type HiringStage } from './hiring.machine.ts';
import type { AgencyApplicationView, ApplyBody, CandidateApplicationView, MoveBody, PostingBody, PostingView, ProfileBody, PublicPostingView } from './workforce.types.ts';

type PostingRow = typeof jobPostings.$inferSelect;
type ApplicationRow = typeof jobApplications.$inferSelect;

const AGENCY_RULE: ReadRule = { ability: 'hiring:manage' };
const CANDIDATE_RULE: ReadRule = { ability: 'hiring:apply' };

export function postingPhase(p: Pick<PostingRow, 'status' | 'closesAt'>, now: Date): string {
  if (p.status !== 'open') return p.status;
  return now.getTime() < p.closesAt.getTime() ? 'open' : 'closed';
}

export function createWorkforceService({ db, audit, keyring, notify, clock }: ModuleDeps) {
  function publicView(p: PostingRow, agencyName: string): z.infer<typeof PublicPostingView> {
    return {
      id: p.id,
      announcementNumber: p.announcementNumber,
      title: p.title,
      agencyName,
      summary: p.summary,
      duties: p.duties,
      hiringPath: p.hiringPath,
      payPlan: p.payPlan,
      payMinUsd: p.payMinUsd,
      payMaxUsd: p.payMaxUsd,
      location: p.location,
      workplace: p.workplace,
      clearanceRequired: p.clearanceRequired,
      closesAt: p.closesAt.toISOString(),
      phase: postingPhase(p, clock()),
    };
  }

  async function agencyPostingViews(rows: PostingRow[], tx: DbOrTx = db): Promise<z.infer<typeof PostingView>[]> {
    const names = await orgNames(tx, rows.map((r) => r.ownerOrgId));
    const counts = rows.length
      ? await tx.select({ postingId: jobApplications.postingId, n: sql<number>`count(*)::int` }).from(jobApplications).where(inArray(jobApplications.postingId, rows.map((r) => r.id))).groupBy(jobApplications.postingId)
      : [];
    return rows.map((p) => ({
      ...publicView(p, names.get(p.ownerOrgId) ?? ''),
      status: p.status,
      createdAt: p.createdAt.toISOString(),
      openedAt: p.openedAt?.toISOString() ?? null,
      applications: counts.find((c) => c.postingId === p.id)?.n ?? 0,
    }));
  }

  // ───────────────────────────── postings ─────────────────────────────

  async function ownPosting(subject: Subject, id: string, tx: DbOrTx = db) {
    const [p] = await tx.select().from(jobPostings).where(eq(jobPostings.id, id));
    if (!p) throw new NotFoundError('posting');
    enforce(canRead(subject, p, AGENCY_RULE, clock()), 'posting');
    return p;
  }

  async function createPosting(actor: Actor, subject: Subject, input: z.infer<typeof PostingBody>) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only hiring managers post positions.');
    return db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: jobPostings.id }).from(jobPostings).where(eq(jobPostings.announcementNumber, input.announcementNumber));
      if (dup) throw new ConflictError(`Announcement ${input.announcementNumber} exists.`);
      const [p] = await tx
        .insert(jobPostings)
        .values({ ...input, closesAt: new Date(input.closesAt), ownerOrgId: subject.orgId, status: 'draft', createdBy: subject.userId })
        .returning();
      await audit.record(tx, { actor, action: 'job_posting.create', recordType: 'job_posting', recordId: p.id, detail: { announcementNumber: p.announcementNumber, hiringPath: p.hiringPath } });
      return (await agencyPostingViews([p], tx))[0];
    });
  }

  async function updatePosting(actor: Actor, subject: Subject, id: string, input: z.infer<typeof PostingBody>) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only hiring managers edit postings.');
    return db.transaction(async (tx) => {
      const p = await ownPosting(subject, id, tx);
      if (p.status !== 'draft') throw new ConflictError('Only a draft posting is edited; close it and post a new announcement.');
      const [dup] = await tx.select({ id: jobPostings.id }).from(jobPostings).where(and(eq(jobPostings.announcementNumber, input.announcementNumber), sql`${jobPostings.id} <> ${id}`));
      if (dup) throw new ConflictError(`Announcement ${input.announcementNumber} exists.`);
      const [u] = await tx.update(jobPostings).set({ ...input, closesAt: new Date(input.closesAt) }).where(eq(jobPostings.id, id)).returning();
      await audit.record(tx, { actor, action: 'job_posting.update', recordType: 'job_posting', recordId: id });
      return (await agencyPostingViews([u], tx))[0];
    });
  }

  async function setPostingStatus(actor: Actor, subject: Subject, id: string, to: 'open' | 'closed' | 'cancelled') {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only hiring managers open or close postings.');
    return db.transaction(async (tx) => {
      const p = await ownPosting(subject, id, tx);
      const ok = to === 'open' ? p.status === 'draft' : p.status === 'open' || (to === 'cancelled' && p.status === 'draft');
      if (!ok) throw new ConflictError(`The posting is ${p.status}; it cannot be ${to === 'open' ? 'opened' : to}.`);
      if (to === 'open' && p.closesAt.getTime() <= clock().getTime()) throw new ConflictError('The closing date has passed; set a later one first.');
      const [u] = await tx.update(jobPostings).set({ status: to, ...(to === 'open' ? { openedAt: clock() } : {}) }).where(eq(jobPostings.id, id)).returning();
      await audit.record(tx, { actor, action: `job_posting.${to === 'open' ? 'open' : to === 'closed' ? 'close' : 'cancel'}`, recordType: 'job_posting', recordId: id });
      return (await agencyPostingViews([u], tx))[0];
    });
  }

  async function listOwnPostings(_actor: Actor, subject: Subject) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only hiring managers manage postings.');
    const rows = await db.select().from(jobPostings).where(readableBy(subject, jobPostings, 'job_posting', AGENCY_RULE, clock())).orderBy(desc(jobPostings.createdAt)).limit(500);
    return agencyPostingViews(rows);
  }

  async function listPublicPostings() {
    const rows = await db.select().from(jobPostings).where(and(eq(jobPostings.status, 'open'), sql`${jobPostings.closesAt} > ${clock().toISOString()}::timestamptz`)).orderBy(jobPostings.closesAt).limit(500);
    const names = await orgNames(db, rows.map((r) => r.ownerOrgId));
    return rows.map((p) => publicView(p, names.get(p.ownerOrgId) ?? ''));
  }

  async function getPublicPosting(id: string) {
    const [p] = await db.select().from(jobPostings).where(eq(jobPostings.id, id));
    if (!p || (p.status !== 'open' && p.status !== 'closed')) throw new NotFoundError('posting');
    const names = await orgNames(db, [p.ownerOrgId]);
    return publicView(p, names.get(p.ownerOrgId) ?? '');
  }

  // ───────────────────────────── candidates ─────────────────────────────

  async function getProfile(_actor: Actor, subject: Subject) {
    if (!can(subject, 'hiring:apply')) throw new ForbiddenError('Only candidates have a profile.');
    const [p] = await db.select().from(candidateProfiles).where(eq(candidateProfiles.userId, subject.userId));
    if (!p) throw new NotFoundError('profile');
    return { headline: p.headline, skills: p.skills, certifications: p.certifications, clearanceHeld: p.clearanceHeld, updatedAt: p.updatedAt.toISOString() };
  }

  async function saveProfile(actor: Actor, subject: Subject, input: z.infer<typeof ProfileBody>) {
    if (!can(subject, 'hiring:apply')) throw new ForbiddenError('Only candidates have a profile.');
    await db.transaction(async (tx) => {
      const values = { headline: input.headline, skills: [...new Set(input.skills)], certifications: [...new Set(input.certifications)], clearanceHeld: input.clearanceHeld, updatedAt: clock() };
      await tx
        .insert(candidateProfiles)
        .values({ userId: subject.userId, orgId: subject.orgId, ...values })
        .onConflictDoUpdate({ target: candidateProfiles.userId, set: values });
      await audit.record(tx, { actor, action: 'candidate_profile.save', recordType: 'candidate_profile', recordId: subject.userId, detail: { skills: input.skills.length, certifications: input.certifications.length } });
    });
    return getProfile(actor, subject);
  }

  async function candidateViews(rows: ApplicationRow[], tx: DbOrTx = db): Promise<z.infer<typeof CandidateApplicationView>[]> {
    if (rows.length === 0) return [];
    const postings = await tx.select().from(jobPostings).where(inArray(jobPostings.id, [...new Set(rows.map((r) => r.postingId))]));
    const events = await tx
      .select({ applicationId: jobApplicationEvents.applicationId, toStage: jobApplicationEvents.toStage, at: jobApplicationEvents.at })
      .from(jobApplicationEvents)
      .where(inArray(jobApplicationEvents.applicationId, rows.map((r) => r.id)))
      .orderBy(jobApplicationEvents.at);
    const names = await orgNames(tx, rows.map((r) => r.ownerOrgId));
    return rows.map((a) => {
      const p = postings.find((x) => x.id === a.postingId)!;
      const stage = a.stage as HiringStage;
      return {
        id: a.id,
        postingId: a.postingId,
        postingTitle: p.title,
        announcementNumber: p.announcementNumber,
        agencyName: names.get(a.ownerOrgId) ?? '',
        hiringPath: p.hiringPath,
        stage,
        stageLabel: STAGE_LABELS[stage],
        history: events.filter((e) => e.applicationId === a.id).map((e) => ({ stage: e.toStage, stageLabel: isHiringStage(e.toStage) ? STAGE_LABELS[e.toStage] : e.toStage, at: e.at.toISOString() })),
        resumeFilename: a.resumeFilename,
        submittedAt: a.submittedAt.toISOString(),
      };
    });
  }

  async function apply(actor: Actor, subject: Subject, postingId: string, input: z.infer<typeof ApplyBody>) {
    if (!can(subject, 'hiring:apply')) throw new ForbiddenError('Only candidates apply to postings.');
    const checked = checkFile(input.resume.filename, input.resume.contentType as FileType, input.resume.contentBase64);
    if (!checked.ok) throw new ValidationError(checked.message, [{ path: 'resume.contentBase64', message: checked.message }]);
    return db.transaction(async (tx) => {
      const [p] = await tx.select().from(jobPostings).where(eq(jobPostings.id, postingId));
      if (!p || (p.status !== 'open' && p.status !== 'closed')) throw new NotFoundError('posting');
      if (postingPhase(p, clock()) !== 'open') throw new ConflictError(`The announcement closed at ${p.closesAt.toISOString()}; it takes no more applications.`);
      const [profile] = await tx.select().from(candidateProfiles).where(eq(candidateProfiles.userId, subject.userId));
      if (!profile) throw new ConflictError('Create your candidate profile (skills, certifications, clearance) before applying.');
      const [dup] = await tx.select({ id: jobApplications.id }).from(jobApplications).where(and(eq(jobApplications.postingId, p.id), eq(jobApplications.candidateUserId, subject.userId)));
      if (dup) throw new ConflictError('You have already applied to this announcement.');
      const id = crypto.randomUUID();
      const snapshot = { headline: profile.headline, skills: profile.skills, certifications: profile.certifications, clearanceHeld: profile.clearanceHeld };
      const [a] = await tx
        .insert(jobApplications)
        .values({
          id,
          ownerOrgId: p.ownerOrgId,
          postingId: p.id,
          candidateUserId: subject.userId,
          stage: 'received',
          profileSnapshot: JSON.stringify(snapshot),
          resumeFilename: input.resume.filename,
          resumeContentType: input.resume.contentType,
          resumeSizeBytes: checked.file.sizeBytes,
          resumeSha256: checked.file.sha256,
          resumeEnc: keyring.encrypt(checked.file.bytes.toString('base64'), `job_applications.resume_enc:${id}`),
          submittedAt: clock(),
          stageChangedAt: clock(),
        })
        .returning();
      await tx.insert(jobApplicationEvents).values({ applicationId: id, fromStage: null, toStage: 'received', movedBy: subject.userId, at: clock() });
      // The agency owns the application; the one candidate reads it through a grant to the user.
      await addGrant(tx, { recordType: 'job_application', recordId: id, granteeUserId: subject.userId, grantedBy: subject.userId, reason: 'the candidate', sourceType: 'job_application', sourceId: id });
      await audit.record(tx, { actor, action: 'job_application.submit', recordType: 'job_application', recordId: id, detail: { postingId: p.id, sizeBytes: checked.file.sizeBytes }, ownerOrgId: p.ownerOrgId });
      return (await candidateViews([a], tx))[0];
    });
  }

  async function listMyApplications(_actor: Actor, subject: Subject) {
    if (!can(subject, 'hiring:apply')) throw new ForbiddenError('Only candidates have applications.');
    const rows = await db
      .select()
      .from(jobApplications)
      .where(and(readableBy(subject, jobApplications, 'job_application', CANDIDATE_RULE, clock()), eq(jobApplications.candidateUserId, subject.userId)))
      .orderBy(desc(jobApplications.submittedAt));
    return candidateViews(rows);
  }

  async function getMyApplication(_actor: Actor, subject: Subject, id: string) {
    if (!can(subject, 'hiring:apply')) throw new NotFoundError('application', true);
    const [a] = await db.select().from(jobApplications).where(eq(jobApplications.id, id));
    if (!a) throw new NotFoundError('application');
    const grants = (await grantsOf(db, 'job_application', [a.id])).get(a.id) ?? [];
    enforce(canRead(subject, { ...a, grants }, CANDIDATE_RULE, clock()), 'application');
    if (a.candidateUserId !== subject.userId) throw new NotFoundError('application', true);
    return (await candidateViews([a]))[0];
  }

  // ───────────────────────────── agency ─────────────────────────────

  async function agencyViews(rows: ApplicationRow[], tx: DbOrTx = db): Promise<z.infer<typeof AgencyApplicationView>[]> {
    const base = await candidateViews(rows, tx);
    const people = rows.length ? await tx.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, rows.map((r) => r.candidateUserId))) : [];
    const events = rows.length ? await tx.select().from(jobApplicationEvents).where(inArray(jobApplicationEvents.applicationId, rows.map((r) => r.id))).orderBy(jobApplicationEvents.at) : [];
    const movers = await emailsOf(tx, events.map((e) => e.movedBy));
    return rows.map((a, i) => {
      const person = people.find((p) => p.id === a.candidateUserId);
      return {
        ...base[i],
        candidateName: person?.name ?? '',
        candidateEmail: person?.email ?? '',
        profile: JSON.parse(a.profileSnapshot) as { headline: string; skills: string[]; certifications: string[]; clearanceHeld: string },
        resumeSizeBytes: a.resumeSizeBytes,
        resumeContentType: a.resumeContentType,
        allowedMoves: isHiringStage(a.stage) ? [...HIRING_TRANSITIONS[a.stage]] : [],
        events: events
          .filter((e) => e.applicationId === a.id)
          .map((e) => ({
            fromStage: e.fromStage,
            toStage: e.toStage,
            internalNote: e.internalNoteEnc ? keyring.decrypt(e.internalNoteEnc, `job_application_events.internal_note_enc:${e.id}`) : null,
            movedBy: e.movedBy ? (movers.get(e.movedBy) ?? null) : null,
            at: e.at.toISOString(),
          })),
      };
    });
  }

  async function agencyApplication(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only the hiring agency reads its applications.');
    const [a] = await tx.select().from(jobApplications).where(eq(jobApplications.id, id));
    if (!a) throw new NotFoundError('application');
    enforce(canRead(subject, a, AGENCY_RULE, clock()), 'application');
    return a;
  }

  async function listPostingApplications(_actor: Actor, subject: Subject, postingId: string) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only the hiring agency reads its applications.');
    const p = await ownPosting(subject, postingId);
    const rows = await db
      .select()
      .from(jobApplications)
      .where(and(eq(jobApplications.postingId, p.id), readableBy(subject, jobApplications, 'job_application', AGENCY_RULE, clock())))
      .orderBy(jobApplications.submittedAt);
    return agencyViews(rows);
  }

  async function getAgencyApplication(_actor: Actor, subject: Subject, id: string) {
    return (await agencyViews([await agencyApplication(subject, id)]))[0];
  }

  async function getResume(actor: Actor, subject: Subject, id: string) {
    const a = await agencyApplication(subject, id);
    await db.transaction((tx) => audit.record(tx, { actor, action: 'job_application.resume_read', recordType: 'job_application', recordId: a.id }));
    return { filename: a.resumeFilename, contentType: a.resumeContentType, contentBase64: keyring.decrypt(a.resumeEnc, `job_applications.resume_enc:${a.id}`) };
  }

  async function move(actor: Actor, subject: Subject, id: string, input: z.infer<typeof MoveBody>) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only the hiring agency moves applications.');
    return db.transaction(async (tx) => {
      const a0 = await agencyApplication(subject, id, tx);
      const [a] = await tx.select().from(jobApplications).where(eq(jobApplications.id, a0.id)).for('update');
      const to = hiringTransition(a.stage, input.to);
      const [p] = await tx.select().from(jobPostings).where(eq(jobPostings.id, a.postingId));
      if (to === 'clearance_sponsorship' && p.clearanceRequired === 'none') throw new ConflictError('This position requires no clearance; there is nothing to sponsor.');
      const now = clock();
      const eid = crypto.randomUUID();
      await tx.insert(jobApplicationEvents).values({
        id: eid,
        applicationId: a.id,
        fromStage: a.stage,
        toStage: to,
        internalNoteEnc: input.note ? keyring.encrypt(input.note, `job_application_events.internal_note_enc:${eid}`) : null,
        movedBy: subject.userId,
        at: now,
      });
      const [u] = await tx
        .update(jobApplications)
        .set({ stage: to, stageChangedAt: now, ...(to === 'onboarded' ? { onboardedAt: now } : {}) })
        .where(eq(jobApplications.id, a.id))
        .returning();
      await notify.notify(tx, { userIds: [a.candidateUserId], title: 'Your application status changed', body: `Your application to ${p.announcementNumber} is now: ${STAGE_LABELS[to]}.`, link: '/careers/applications', email: true });
      await audit.record(tx, { actor, action: 'job_application.move', recordType: 'job_application', recordId: a.id, detail: { from: a.stage, to, noted: !!input.note } });
      return (await agencyViews([u], tx))[0];
    });
  }

  async function dashboard(_actor: Actor, subject: Subject) {
    if (!can(subject, 'hiring:manage')) throw new ForbiddenError('Only hiring managers see the hiring dashboard.');
    const rows = await db
      .select({ stage: jobApplications.stage, hiringPath: jobPostings.hiringPath, submittedAt: jobApplications.submittedAt, onboardedAt: jobApplications.onboardedAt })
      .from(jobApplications)
      .innerJoin(jobPostings, eq(jobPostings.id, jobApplications.postingId))
      .where(readableBy(subject, jobApplications, 'job_application', AGENCY_RULE, clock()));
    return dashboardOf(rows.filter((r) => isHiringStage(r.stage)).map((r) => ({ stage: r.stage as HiringStage, hiringPath: r.hiringPath as HiringPath, submittedAt: r.submittedAt, onboardedAt: r.onboardedAt })));
  }

  return {
    jobs: [] as JobDefinition[],
    startup: async () => {},
    createPosting,
    updatePosting,
    openPosting: (actor: Actor, subject: Subject, id: string) => setPostingStatus(actor, subject, id, 'open'),
    closePosting: (actor: Actor, subject: Subject, id: string) => setPostingStatus(actor, subject, id, 'closed'),
    cancelPosting: (actor: Actor, subject: Subject, id: string) => setPostingStatus(actor, subject, id, 'cancelled'),
    listOwnPostings,
    listPublicPostings,
    getPublicPosting,
    getProfile,
    saveProfile,
    apply,
    listMyApplications,
    getMyApplication,
    listPostingApplications,
    getAgencyApplication,
    getResume,
    move,
    dashboard,
  };
}

export type WorkforceService = ReturnType<typeof createWorkforceService>;
