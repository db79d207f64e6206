import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { consultationAssignments, consultationMessages, consultations } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { addGrant, enforce, grantsOf, revokeGrantsFrom } from '../access/access.service.ts';
import { CUI, highest, levelOf, nameOf, UNCLASSIFIED, type Marking } from '../access/marking.ts';
import { can, canRead, canWrite, type ReadRule, type Subject } from '../access/policy.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { isTerminal, transition, type ConsultationEvent, type ConsultationState } from './consultation.machine.ts';
import {
  agencyOrgs,
  assignmentsOf,
  CONSULTATION_RECORD,
  countMessages,
  findConsultation,
  findModel,
  findUser,
  internalNotesCondition,
  revokeAssignmentReads,
  listConsultations,
  listMessages,
  MESSAGE_RECORD,
  MODEL_RECORD,
  threadCondition,
  type ListFilters,
} from './consultations.dal.ts';
import type { AssignmentViewT, ConsultationSummaryT, ConsultationViewT, MessageViewT, Recommendation } from './consultations.types.ts';

const DAY_MS = 86_400_000;
/** How far ahead a due date may be set. */
const MAX_DUE_MS = 5 * 366 * DAY_MS;
/** Assigned automatically when a consultation opens. */
export const DEFAULT_AGENCIES = [
  { code: 'NSA', role: 'decides' },
  { code: 'ONCD', role: 'consulted' },
  { code: 'CISA', role: 'consulted' },
] as const;
const MODEL_RULE: ReadRule = { ability: 'models:read' };
const ACTIVE_STATES: ConsultationState[] = ['open', 'in_review', 'answered'];

/** Developers read consultations with consultations:open, agency analysts with consultations:respond. */
export function consultationRule(subject: Subject): ReadRule {
  return { ability: can(subject, 'consultations:respond') ? 'consultations:respond' : 'consultations:open' };
}

const questionAad = (id: string) => `consultations.question_enc:${id}`;
const bodyAad = (id: string) => `consultation_messages.body_enc:${id}`;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const markingView = (m: Marking) => ({ classification: nameOf(m.classification), compartments: [...m.compartments] });

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | null;
  return e?.code === '23505' || e?.cause?.code === '23505';
}

export interface MessageInput {
  body: string;
  internal: boolean;
  classification?: string;
  compartments?: string[];
}

export function createConsultationsService({ db, audit, keyring, notify, clock }: ModuleDeps) {
  type Loaded = NonNullable<Awaited<ReturnType<typeof findConsultation>>>;
  type Assigned = Awaited<ReturnType<typeof assignmentsOf>>;

  /** The consultation if the subject may read it (404 otherwise, as if it did not exist). */
  async function loadReadable(tx: DbOrTx, subject: Subject, id: string, forUpdate = false): Promise<Loaded> {
    const r = await findConsultation(tx, id, forUpdate);
    if (!r) throw new NotFoundError('consultation');
    const grants = (await grantsOf(tx, CONSULTATION_RECORD, [id])).get(id) ?? [];
    enforce(canRead(subject, { ...r.c, grants }, consultationRule(subject), clock()), 'consultation');
    return r;
  }

  const isOwnerDeveloper = (subject: Subject, r: Loaded) => subject.orgId === r.c.ownerOrgId && can(subject, 'consultations:open');
  const myAssignment = (subject: Subject, assigned: Assigned) => (can(subject, 'consultations:respond') ? assigned.find((x) => x.a.agencyOrgId === subject.orgId) : undefined);
  const isNsaAnalyst = (subject: Subject, assigned: Assigned) => subject.agencyCode === 'NSA' && myAssignment(subject, assigned) !== undefined;

  function assignmentView(subject: Subject, x: Assigned[number]): AssignmentViewT {
    const agencySide = subject.orgKind === 'agency';
    return {
      id: x.a.id,
      agencyCode: x.agencyCode ?? '',
      agencyName: x.agencyName,
      role: x.a.role as AssignmentViewT['role'],
      assigneeUserId: agencySide ? x.a.assigneeUserId : null,
      assigneeName: agencySide ? (x.assigneeName ?? null) : null,
      dueAt: iso(x.a.dueAt),
    };
  }

  function view(subject: Subject, r: Loaded, assigned: Assigned): ConsultationViewT {
    const now = clock();
    const status = r.c.status as ConsultationState;
    const mine = myAssignment(subject, assigned);
    const owner = isOwnerDeveloper(subject, r);
    const nsa = isNsaAnalyst(subject, assigned);
    const live = !isTerminal(status);
    return {
      id: r.c.id,
      modelId: r.c.modelId,
      modelName: r.model.name,
      modelVersion: r.model.version,
      status,
      recommendation: (r.c.recommendation as Recommendation | null) ?? null,
      dueAt: iso(mine?.a.dueAt ?? r.c.dueAt),
      plannedReleaseAt: r.model.plannedReleaseAt.toISOString(),
      daysToRelease: Math.ceil((r.model.plannedReleaseAt.getTime() - now.getTime()) / DAY_MS),
      myRole: mine?.a.role ?? null,
      assignedToMe: mine?.a.assigneeUserId === subject.userId,
      createdAt: r.c.createdAt.toISOString(),
      updatedAt: r.c.updatedAt.toISOString(),
      marking: markingView(r.c),
      question: keyring.decrypt(r.c.questionEnc, questionAad(r.c.id)),
      ownerOrgName: r.ownerOrgName,
      answeredAt: iso(r.c.answeredAt),
      closedAt: iso(r.c.closedAt),
      assignments: assigned.map((x) => assignmentView(subject, x)),
      can: {
        take: mine !== undefined && status === 'open',
        answer: nsa && status === 'in_review',
        close: (nsa || owner) && status === 'answered',
        withdraw: owner && live,
        addAgency: nsa && live,
        post: live && (owner || mine !== undefined),
        postInternal: live && mine !== undefined,
      },
    };
  }

  /** Entitled people on each side: the developer organisation's developers, the agencies' analysts. */
  async function tell(tx: DbOrTx, r: Loaded, assigned: Assigned, who: { developer: boolean; agencies: boolean; exceptOrgId?: string }, title: string, body: string) {
    const link = `/consultations/${r.c.id}`;
    if (who.developer && r.c.ownerOrgId !== who.exceptOrgId) {
      await notify.notify(tx, { orgIds: [r.c.ownerOrgId], roles: ['developer'], title, body, link: `/models/${r.c.modelId}/consultations` });
    }
    if (who.agencies) {
      const orgIds = assigned.map((x) => x.a.agencyOrgId).filter((o) => o !== who.exceptOrgId);
      if (orgIds.length) await notify.notify(tx, { orgIds, roles: ['analyst'], title, body, link });
    }
  }

  async function open(actor: Actor, subject: Subject, modelId: string, input: { question: string; dueAt?: string }): Promise<ConsultationViewT> {
    const model = await findModel(db, modelId);
    if (!model) throw new NotFoundError('model');
    const now = clock();
    enforce(canWrite(subject, { ...model, grants: (await grantsOf(db, MODEL_RECORD, [modelId])).get(modelId) ?? [] }, MODEL_RULE, 'consultations:open', now), 'model');
    if (model.ownerOrgId !== subject.orgId) throw new ForbiddenError('Only the model’s developer opens a consultation on it.');
    const dueAt = input.dueAt ? new Date(input.dueAt) : null;
    if (dueAt && dueAt.getTime() <= now.getTime()) throw new ValidationError('The due date must be in the future.', [{ path: 'dueAt', message: 'must be in the future' }]);
    if (dueAt && dueAt.getTime() > now.getTime() + MAX_DUE_MS) throw new ValidationError('The due date must be at most five years ahead.', [{ path: 'dueAt', message: 'more than five years ahead' }]);
    if (model.status === 'withdrawn') throw new ConflictError('This model was withdrawn from the framework; register it again to consult.');
    const id = await db.transaction(async (tx) => {
      // Two opens at once: the partial unique index turns the second into a 409 (mapped below).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`consultations:model:${modelId}`}))`);
      const active = await tx
        .select({ id: consultations.id })
        .from(consultations)
        .where(and(eq(consultations.modelId, modelId), inArray(consultations.status, ACTIVE_STATES)));
      if (active.length) throw new ConflictError('A consultation on this model is already under way; withdraw or close it first.');
      const orgs = await agencyOrgs(tx, DEFAULT_AGENCIES.map((a) => a.code));
      if (!orgs.some((o) => o.agencyCode === 'NSA')) throw new ConflictError('NSA is not registered on this platform, so no one can decide a consultation.');
      const id = crypto.randomUUID();
      await tx.insert(consultations).values({
        id,
        ownerOrgId: model.ownerOrgId,
        classification: CUI,
        compartments: [],
        modelId,
        questionEnc: keyring.encrypt(input.question, questionAad(id)),
        status: 'open',
        dueAt,
        createdBy: subject.userId,
        createdAt: now,
        updatedAt: now,
      });
      for (const def of DEFAULT_AGENCIES) {
        const org = orgs.find((o) => o.agencyCode === def.code);
        if (org) await assign(tx, subject, id, modelId, org.id, def.role, dueAt, now);
      }
      const r = (await findConsultation(tx, id))!;
      await tell(tx, r, await assignmentsOf(tx, id), { developer: false, agencies: true }, 'New risk consultation', 'A developer opened a risk consultation assigned to your agency. Sign in to Forewarn to read it.');
      await audit.record(tx, {
        actor,
        action: 'consultation.open',
        recordType: CONSULTATION_RECORD,
        recordId: id,
        detail: { modelId, agencies: orgs.map((o) => o.agencyCode ?? ''), dueAt: iso(dueAt) },
        marking: { classification: CUI, compartments: [] },
        ownerOrgId: model.ownerOrgId,
      });
      return id;
    }).catch((e: unknown) => {
      if (isUniqueViolation(e)) throw new ConflictError('A consultation on this model is already under way; withdraw or close it first.');
      throw e;
    });
    return get(actor, subject, id);
  }

  /** An assignment and the grants that let the agency read the consultation and the model. */
  async function assign(tx: DbOrTx, subject: Subject, consultationId: string, modelId: string, agencyOrgId: string, role: string, dueAt: Date | null, now: Date) {
    const [a] = await tx.insert(consultationAssignments).values({ consultationId, agencyOrgId, role, dueAt, addedBy: subject.userId, createdAt: now }).returning();
    const reason = 'assigned to a risk consultation';
    await addGrant(tx, { recordType: CONSULTATION_RECORD, recordId: consultationId, granteeOrgId: agencyOrgId, grantedBy: subject.userId, reason, sourceType: 'consultation_assignment', sourceId: a.id, startsAt: now });
    await addGrant(tx, { recordType: MODEL_RECORD, recordId: modelId, granteeOrgId: agencyOrgId, grantedBy: subject.userId, reason, sourceType: 'consultation', sourceId: consultationId, startsAt: now });
    return a;
  }

  async function get(actor: Actor, subject: Subject, id: string): Promise<ConsultationViewT> {
    const r = await loadReadable(db, subject, id);
    return db.transaction(async (tx) => {
      const assigned = await assignmentsOf(tx, id);
      await audit.recordRead(tx, actor, { recordType: CONSULTATION_RECORD, recordId: id, classification: r.c.classification, compartments: r.c.compartments }, undefined, r.c.ownerOrgId);
      return view(subject, r, assigned);
    });
  }

  async function list(actor: Actor, subject: Subject, filters: ListFilters): Promise<ConsultationSummaryT[]> {
    if (!can(subject, 'consultations:open') && !can(subject, 'consultations:respond')) throw new ForbiddenError('Consultations are for model developers and agency analysts.');
    const now = clock();
    return db.transaction(async (tx) => {
      const rows = await listConsultations(tx, subject, consultationRule(subject), filters, now);
      const top = highest(rows.map((x) => x.c));
      if (rows.length && top.classification > UNCLASSIFIED) {
        await audit.record(tx, { actor, action: 'consultation.list', recordType: CONSULTATION_RECORD, detail: { returned: rows.length, ...filters }, marking: top });
      }
      return rows.map((x) => ({
        id: x.c.id,
        modelId: x.c.modelId,
        modelName: x.modelName,
        modelVersion: x.modelVersion,
        status: x.c.status as ConsultationState,
        recommendation: (x.c.recommendation as Recommendation | null) ?? null,
        dueAt: iso(x.myDueAt ?? x.c.dueAt),
        plannedReleaseAt: x.plannedReleaseAt.toISOString(),
        daysToRelease: Math.ceil((x.plannedReleaseAt.getTime() - now.getTime()) / DAY_MS),
        myRole: x.myRole ?? null,
        assignedToMe: x.myAssignee === subject.userId,
        createdAt: x.c.createdAt.toISOString(),
        updatedAt: x.c.updatedAt.toISOString(),
        marking: markingView(x.c),
      }));
    });
  }

  /** The consultations of one model, for its page (the model must be readable). */
  async function listForModel(actor: Actor, subject: Subject, modelId: string) {
    const model = await findModel(db, modelId);
    if (!model) throw new NotFoundError('model');
    enforce(canRead(subject, { ...model, grants: (await grantsOf(db, MODEL_RECORD, [modelId])).get(modelId) ?? [] }, MODEL_RULE, clock()), 'model');
    return list(actor, subject, { modelId });
  }

  const STATE_WORDS: Record<string, string> = { in_review: 'is in review', answered: 'was answered', closed: 'was closed', withdrawn: 'was withdrawn by the developer' };

  /** One state change: authorise, apply the machine, record, notify. */
  async function change(
    actor: Actor,
    subject: Subject,
    id: string,
    event: ConsultationEvent,
    allowed: (r: Loaded, assigned: Assigned) => boolean,
    refusal: string,
    extra?: (tx: DbOrTx, r: Loaded, assigned: Assigned, now: Date) => Promise<Record<string, unknown>>,
  ): Promise<ConsultationViewT> {
    await db.transaction(async (tx) => {
      const r = await loadReadable(tx, subject, id, true);
      const assigned = await assignmentsOf(tx, id);
      if (!allowed(r, assigned)) throw new ForbiddenError(refusal);
      const next = transition(r.c.status, event);
      const now = clock();
      const detail = extra ? await extra(tx, r, assigned, now) : {};
      await tx
        .update(consultations)
        .set({ status: next, updatedAt: now, ...(next === 'closed' ? { closedAt: now } : {}) })
        .where(eq(consultations.id, id));
      await tell(tx, r, assigned, { developer: true, agencies: true, exceptOrgId: subject.orgId }, `Risk consultation ${next.replace('_', ' ')}`, `A risk consultation ${STATE_WORDS[next] ?? 'changed'}. Sign in to Forewarn for details.`);
      await audit.record(tx, {
        actor,
        action: `consultation.${event}`,
        recordType: CONSULTATION_RECORD,
        recordId: id,
        detail: { from: r.c.status, to: next, ...detail },
        marking: { classification: r.c.classification, compartments: r.c.compartments },
        ownerOrgId: r.c.ownerOrgId,
      });
    });
    return get(actor, subject, id);
  }

  const take = (actor: Actor, subject: Subject, id: string) =>
    change(actor, subject, id, 'take', (_r, a) => myAssignment(subject, a) !== undefined, 'Only an analyst of an assigned agency takes a consultation.', async (tx, _r, a) => {
      // Taking a case names the analyst for their agency unless someone is named already.
      const mine = myAssignment(subject, a)!;
      if (!mine.a.assigneeUserId) await tx.update(consultationAssignments).set({ assigneeUserId: subject.userId }).where(eq(consultationAssignments.id, mine.a.id));
      return { agency: subject.agencyCode ?? null };
    });

  const answer = (actor: Actor, subject: Subject, id: string, input: { recommendation: Recommendation; message: string }) =>
    change(actor, subject, id, 'answer', (_r, a) => isNsaAnalyst(subject, a), 'Only NSA answers a consultation.', async (tx, r, _a, now) => {
      await tx.update(consultations).set({ recommendation: input.recommendation, answeredBy: subject.userId, answeredAt: now }).where(eq(consultations.id, id));
      const mid = crypto.randomUUID();
      // The answer is unclassified and written for the developer: a shared message in its thread.
      await tx.insert(consultationMessages).values({
        id: mid,
        ownerOrgId: r.c.ownerOrgId,
        classification: UNCLASSIFIED,
        compartments: [],
        consultationId: id,
        authorUserId: subject.userId,
        internal: false,
        bodyEnc: keyring.encrypt(input.message, bodyAad(mid)),
        createdAt: now,
      });
      return { recommendation: input.recommendation, messageId: mid };
    });

  const close = (actor: Actor, subject: Subject, id: string) =>
    change(actor, subject, id, 'close', (r, a) => isNsaAnalyst(subject, a) || isOwnerDeveloper(subject, r), 'Only NSA or the developer closes a consultation.');

  /** The developer's own call, at any time: the agencies lose the model access the consultation gave. */
  const withdraw = (actor: Actor, subject: Subject, id: string) =>
    change(actor, subject, id, 'withdraw', (r) => isOwnerDeveloper(subject, r), 'Only the developer withdraws its consultation.', async (tx, _r, _a, now) => {
      const revoked = await revokeGrantsFrom(tx, 'consultation', id, now);
      // The developer's question and the shared thread are the developer's: the agencies' reads end.
      const reads = await revokeAssignmentReads(tx, id, now);
      return { revokedModelGrants: revoked.length, revokedConsultationGrants: reads.length };
    });

  async function addAgency(actor: Actor, subject: Subject, id: string, agencyCode: string): Promise<ConsultationViewT> {
    await db.transaction(async (tx) => {
      const r = await loadReadable(tx, subject, id, true);
      const assigned = await assignmentsOf(tx, id);
      if (!isNsaAnalyst(subject, assigned)) throw new ForbiddenError('Only an NSA analyst adds agencies to a consultation.');
      if (isTerminal(r.c.status as ConsultationState)) throw new ConflictError(`The consultation is ${r.c.status}.`);
      const [org] = await agencyOrgs(tx, [agencyCode]);
      if (!org) throw new ValidationError(`${agencyCode} is not registered on this platform.`, [{ path: 'agencyCode', message: 'no such agency here' }]);
      if (assigned.some((x) => x.a.agencyOrgId === org.id)) throw new ConflictError(`${agencyCode} is already assigned.`);
      const now = clock();
      const a = await assign(tx, subject, id, r.c.modelId, org.id, 'may_consult', r.c.dueAt, now);
      // The agencies' internal notes so far are shared with the newcomer, at its own clearance.
      const notes = await tx
        .select({ id: consultationMessages.id })
        .from(consultationMessages)
        .where(and(eq(consultationMessages.consultationId, id), eq(consultationMessages.internal, true)));
      for (const n of notes) {
        await addGrant(tx, { recordType: MESSAGE_RECORD, recordId: n.id, granteeOrgId: org.id, grantedBy: subject.userId, reason: 'internal note of an assigned agency', sourceType: 'consultation_assignment', sourceId: a.id, startsAt: now });
      }
      await tx.update(consultations).set({ updatedAt: now }).where(eq(consultations.id, id));
      await notify.notify(tx, { orgIds: [org.id], roles: ['analyst'], title: 'Risk consultation: your agency was added', body: 'NSA added your agency to a risk consultation. Sign in to Forewarn to read it.', link: `/consultations/${id}` });
      await audit.record(tx, {
        actor,
        action: 'consultation.assignment.add',
        recordType: CONSULTATION_RECORD,
        recordId: id,
        detail: { agencyCode, assignmentId: a.id, role: 'may_consult' },
        marking: { classification: r.c.classification, compartments: r.c.compartments },
        ownerOrgId: r.c.ownerOrgId,
      });
    });
    return get(actor, subject, id);
  }

  async function updateAssignment(actor: Actor, subject: Subject, id: string, assignmentId: string, patch: { assigneeUserId?: string | null; dueAt?: string | null }): Promise<AssignmentViewT> {
    return db.transaction(async (tx) => {
      const r = await loadReadable(tx, subject, id, true);
      const assigned = await assignmentsOf(tx, id);
      const target = assigned.find((x) => x.a.id === assignmentId);
      if (!target) throw new NotFoundError('assignment');
      if (!can(subject, 'consultations:respond') || target.a.agencyOrgId !== subject.orgId) throw new ForbiddenError('Only an analyst of that agency changes its assignment.');
      if (isTerminal(r.c.status as ConsultationState)) throw new ConflictError(`The consultation is ${r.c.status}.`);
      const now = clock();
      const set: Partial<typeof consultationAssignments.$inferInsert> = {};
      if (patch.assigneeUserId !== undefined) {
        if (patch.assigneeUserId !== null) {
          const u = await findUser(tx, patch.assigneeUserId);
          if (!u || u.orgId !== target.a.agencyOrgId || u.disabled || !u.roles.includes('analyst')) {
            throw new ValidationError('The assignee must be an active analyst of that agency.', [{ path: 'assigneeUserId', message: 'not an analyst of this agency' }]);
          }
        }
        set.assigneeUserId = patch.assigneeUserId;
      }
      if (patch.dueAt !== undefined) {
        const due = patch.dueAt === null ? null : new Date(patch.dueAt);
        if (due && due.getTime() <= now.getTime()) throw new ValidationError('The due date must be in the future.', [{ path: 'dueAt', message: 'must be in the future' }]);
        if (due && due.getTime() > now.getTime() + MAX_DUE_MS) throw new ValidationError('The due date must be at most five years ahead.', [{ path: 'dueAt', message: 'more than five years ahead' }]);
        set.dueAt = due;
      }
      await tx.update(consultationAssignments).set(set).where(eq(consultationAssignments.id, assignmentId));
      if (set.assigneeUserId && set.assigneeUserId !== subject.userId) {
        await notify.notify(tx, { userIds: [set.assigneeUserId], title: 'Risk consultation assigned to you', body: 'A risk consultation was assigned to you. Sign in to Forewarn to read it.', link: `/consultations/${id}` });
      }
      await audit.record(tx, {
        actor,
        action: 'consultation.assignment.update',
        recordType: CONSULTATION_RECORD,
        recordId: id,
        detail: { assignmentId, ...(patch.assigneeUserId !== undefined ? { assigneeUserId: patch.assigneeUserId } : {}), ...(patch.dueAt !== undefined ? { dueAt: patch.dueAt } : {}) },
        marking: { classification: r.c.classification, compartments: r.c.compartments },
        ownerOrgId: subject.orgId,
      });
      const [after] = (await assignmentsOf(tx, id)).filter((x) => x.a.id === assignmentId);
      return assignmentView(subject, after);
    });
  }

  function messageView(subject: Subject, x: Awaited<ReturnType<typeof listMessages>>[number]): MessageViewT {
    const side = x.authorOrgKind === 'agency' ? 'agency' : 'developer';
    return {
      id: x.m.id,
      consultationId: x.m.consultationId,
      side,
      authorOrgName: x.authorOrgName,
      // The developer sees which agency wrote, not which analyst.
      authorName: subject.orgKind === 'agency' || x.authorOrgId === subject.orgId ? x.authorName : null,
      internal: x.m.internal,
      body: keyring.decrypt(x.m.bodyEnc, bodyAad(x.m.id)),
      marking: markingView(x.m),
      createdAt: x.m.createdAt.toISOString(),
    };
  }

  async function postMessage(actor: Actor, subject: Subject, id: string, input: MessageInput): Promise<MessageViewT> {
    const mid = await db.transaction(async (tx) => {
      const r = await loadReadable(tx, subject, id, true);
      const assigned = await assignmentsOf(tx, id);
      const mine = myAssignment(subject, assigned);
      const owner = isOwnerDeveloper(subject, r);
      if (!owner && !mine) throw new ForbiddenError('Only the developer and the assigned agencies write in this thread.');
      if (isTerminal(r.c.status as ConsultationState)) throw new ConflictError(`The consultation is ${r.c.status}; its thread is read-only.`);
      const level = levelOf((input.classification ?? 'CUI') as never);
      const compartments = [...new Set(input.compartments ?? [])].sort();
      const errors: { path: string; message: string }[] = [];
      if (owner && !mine) {
        if (input.internal) errors.push({ path: 'internal', message: 'only agencies write internal notes' });
        if (level !== CUI) errors.push({ path: 'classification', message: 'a developer message is marked CUI' });
        if (compartments.length) errors.push({ path: 'compartments', message: 'a developer message has no compartments' });
      } else if (!input.internal) {
        if (level > CUI) errors.push({ path: 'classification', message: 'a message shared with the developer is marked at most CUI; use an internal note' });
        if (compartments.length) errors.push({ path: 'compartments', message: 'a message shared with the developer has no compartments' });
      } else {
        if (level > subject.clearance) errors.push({ path: 'classification', message: 'above your clearance' });
        if (compartments.some((c) => !subject.compartments.includes(c))) errors.push({ path: 'compartments', message: 'you do not hold that compartment' });
      }
      if (errors.length) throw new ValidationError('This message cannot be marked that way.', errors);
      const internal = input.internal && !!mine;
      const now = clock();
      const mid = crypto.randomUUID();
      const ownerOrgId = internal ? subject.orgId : r.c.ownerOrgId;
      await tx.insert(consultationMessages).values({
        id: mid,
        ownerOrgId,
        classification: level,
        compartments,
        consultationId: id,
        authorUserId: subject.userId,
        internal,
        bodyEnc: keyring.encrypt(input.body, bodyAad(mid)),
        createdAt: now,
      });
      if (internal) {
        for (const x of assigned.filter((y) => y.a.agencyOrgId !== subject.orgId)) {
          await addGrant(tx, { recordType: MESSAGE_RECORD, recordId: mid, granteeOrgId: x.a.agencyOrgId, grantedBy: subject.userId, reason: 'internal note of an assigned agency', sourceType: 'consultation_assignment', sourceId: x.a.id, startsAt: now });
        }
      }
      await tx.update(consultations).set({ updatedAt: now }).where(eq(consultations.id, id));
      // Internal notes never reach the developer, not even as a notice that one exists.
      await tell(tx, r, assigned, { developer: !internal, agencies: true, exceptOrgId: subject.orgId }, 'New message in a risk consultation', 'There is a new message in a risk consultation. Sign in to Forewarn to read it.');
      await audit.record(tx, {
        actor,
        action: 'consultation.message.post',
        recordType: MESSAGE_RECORD,
        recordId: mid,
        detail: { consultationId: id, internal },
        marking: { classification: level, compartments },
        ownerOrgId,
      });
      return mid;
    });
    return getMessage(actor, subject, id, mid);
  }

  /**
   * Which messages the subject reads: the thread if it may read the consultation; after the developer
   * withdrew, an assigned agency keeps only the agencies' internal notes; otherwise 404.
   */
  async function threadAccess(subject: Subject, id: string): Promise<SQL> {
    try {
      await loadReadable(db, subject, id);
      return threadCondition(subject, consultationRule(subject), id, clock());
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      const r = await findConsultation(db, id);
      if (!r || r.c.status !== 'withdrawn' || !can(subject, 'consultations:respond') || !myAssignment(subject, await assignmentsOf(db, id))) throw err;
      return internalNotesCondition(subject, consultationRule(subject), id, clock());
    }
  }

  async function listThread(actor: Actor, subject: Subject, id: string): Promise<{ items: MessageViewT[]; count: number }> {
    const where = await threadAccess(subject, id);
    return db.transaction(async (tx) => {
      const rows = await listMessages(tx, where);
      const count = await countMessages(tx, where);
      // Two events: the developer's records (visible to the developer's auditors) and the rest
      // (agency-internal notes, owned by their agencies, never shown to the developer).
      const r = (await findConsultation(tx, id))!;
      for (const own of [true, false]) {
        const part = rows.filter((x) => (x.m.ownerOrgId === r.c.ownerOrgId) === own);
        const top = highest(part.map((x) => x.m));
        if (part.length && top.classification > UNCLASSIFIED) {
          await audit.record(tx, {
            actor,
            action: 'consultation_message.read',
            recordType: CONSULTATION_RECORD,
            recordId: id,
            detail: { returned: part.length, messageIds: part.slice(0, 200).map((x) => x.m.id) },
            marking: top,
            ownerOrgId: own ? r.c.ownerOrgId : subject.orgId,
          });
        }
      }
      return { items: rows.map((x) => messageView(subject, x)), count };
    });
  }

  async function getMessage(actor: Actor, subject: Subject, id: string, messageId: string): Promise<MessageViewT> {
    const access = await threadAccess(subject, id);
    return db.transaction(async (tx) => {
      const where = and(access, eq(consultationMessages.id, messageId))!;
      const [row] = await listMessages(tx, where);
      if (!row) throw new NotFoundError('message', true);
      await audit.recordRead(tx, actor, { recordType: MESSAGE_RECORD, recordId: messageId, classification: row.m.classification, compartments: row.m.compartments }, { consultationId: id }, row.m.ownerOrgId);
      return messageView(subject, row);
    });
  }

  /**
   * For the reviews module, inside its own transaction, when the developer withdraws the model from
   * the framework (the caller has authorised the developer): every consultation still under way is
   * withdrawn with its model grants, and the agencies are told. Returns the consultations withdrawn.
   */
  async function withdrawAllForModel(tx: DbOrTx, actor: Actor, modelId: string): Promise<string[]> {
    const live = await tx
      .select({ id: consultations.id })
      .from(consultations)
      .where(and(eq(consultations.modelId, modelId), inArray(consultations.status, ACTIVE_STATES)))
      .for('update');
    const now = clock();
    for (const { id } of live) {
      const r = (await findConsultation(tx, id))!;
      const assigned = await assignmentsOf(tx, id);
      const next = transition(r.c.status, 'withdraw');
      const revoked = await revokeGrantsFrom(tx, 'consultation', id, now);
      const reads = await revokeAssignmentReads(tx, id, now);
      await tx.update(consultations).set({ status: next, updatedAt: now }).where(eq(consultations.id, id));
      await tell(tx, r, assigned, { developer: false, agencies: true }, 'Risk consultation withdrawn', 'A developer withdrew a model from the framework; its risk consultation was withdrawn.');
      await audit.record(tx, {
        actor,
        action: 'consultation.withdraw',
        recordType: CONSULTATION_RECORD,
        recordId: id,
        detail: { from: r.c.status, to: next, revokedModelGrants: revoked.length, revokedConsultationGrants: reads.length, cause: 'model.withdraw' },
        marking: { classification: r.c.classification, compartments: r.c.compartments },
        ownerOrgId: r.c.ownerOrgId,
      });
    }
    return live.map((x) => x.id);
  }

  return {
    withdrawAllForModel,
    open,
    get,
    list,
    listForModel,
    take,
    answer,
    close,
    withdraw,
    addAgency,
    updateAssignment,
    postMessage,
    listThread,
    getMessage,
    jobs: [] as JobDefinition<any>[],
    startup: async () => {},
  };
}

export type ConsultationsService = ReturnType<typeof createConsultationsService>;
