import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { assessmentAssignees, assessmentWorkstreams } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { Actor } from '../access/actor.ts';
import { CUI, dominates, formatMarking, highest, nameOf, parseMarking, type Marking } from '../access/marking.ts';
import { can, grantActive, type Subject } from '../access/policy.ts';
import type { Ability } from '../access/roles.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { assigneesOf, openWindowsOf, windowGrantsWithOrgs, windowWithModel, withinClearance, workstreamById, workstreamsOf, type WorkstreamRow } from './assessment.dal.ts';
import { dueViolation, WORKSTREAM_KIND_LABELS, workstreamMarking, type WorkstreamKind } from './assessment.fns.ts';
import { MANAGER_ONLY, REASON_REQUIRED, transition, WORKSTREAM_TRANSITIONS, isWorkstreamState, type WorkstreamEvent } from './assessment-workstream.machine.ts';

/** Roles that take part in an assessment (agency analysts, partner reviewers) or run the model (developer). */
const PARTICIPANT_ABILITIES: readonly Ability[] = ['assessments:manage', 'findings:file', 'evaluations:run'];
const DEVELOPER_ABILITIES: readonly Ability[] = ['windows:manage', 'findings:respond'];

export interface NewWorkstream {
  kind: WorkstreamKind;
  title: string;
  description?: string;
  dueAt: Date;
  assigneeOrgIds: string[];
  marking?: string;
}

export interface WorkstreamChange {
  title?: string;
  description?: string | null;
  dueAt?: Date;
  assigneeOrgIds?: string[];
}

type WindowCtx = NonNullable<Awaited<ReturnType<typeof windowWithModel>>>;

export function createAssessmentService({ db, audit, keyring, notify, clock }: ModuleDeps) {
  const descAad = (id: string) => `assessment_workstreams.description_enc:${id}`;

  /**
   * Who is on the window: the developer's organisation, or an organisation with a live grant from
   * it. Anyone else gets 404; someone on the window without a participating role gets 403.
   */
  async function onWindow(tx: DbOrTx, subject: Subject, windowId: string, forUpdate = false) {
    const w = await windowWithModel(tx, windowId, forUpdate);
    if (!w) throw new NotFoundError('review window');
    const grants = await windowGrantsWithOrgs(tx, [windowId]);
    const now = clock();
    const developer = w.window.ownerOrgId === subject.orgId;
    const grantee = grants.some((g) => grantActive(g.grant, subject, now));
    if (!developer && !grantee) throw new NotFoundError('review window', true);
    const roles = developer ? DEVELOPER_ABILITIES : PARTICIPANT_ABILITIES;
    if (!roles.some((a) => can(subject, a))) throw new ForbiddenError('The assessment board is for the agencies, partners and developer on the window.');
    const manager = grantee && subject.orgKind === 'agency' && can(subject, 'assessments:manage');
    return { w, grants, developer, manager, now };
  }

  function requireOpen(w: WindowCtx, now: Date) {
    if (w.window.status !== 'open' || w.window.closesAt.getTime() <= now.getTime()) throw new ConflictError('The review window is not open: its assessment plan can no longer change.');
  }

  function sees(subject: Subject, m: Marking) {
    return dominates({ classification: subject.clearance, compartments: subject.compartments }, m);
  }

  function activeParticipants(grants: Awaited<ReturnType<typeof windowGrantsWithOrgs>>, now: Date) {
    const out = new Map<string, { orgId: string; orgName: string | null; orgKind: string | null }>();
    for (const g of grants) {
      if (!g.grant.granteeOrgId) continue;
      if (!grantActive(g.grant, { userId: '', orgId: g.grant.granteeOrgId }, now)) continue;
      out.set(g.grant.granteeOrgId, { orgId: g.grant.granteeOrgId, orgName: g.orgName, orgKind: g.orgKind });
    }
    return out;
  }

  function checkAssignees(ids: string[], participants: Map<string, unknown>) {
    const bad = ids.map((id, i) => ({ id, i })).filter(({ id }) => !participants.has(id));
    if (bad.length) throw new ValidationError('Workstreams are assigned to organisations holding a grant on the window.', bad.map(({ i }) => ({ path: `assigneeOrgIds.${i}`, message: 'not on this review window' })));
  }

  function eventsFor(status: string, manager: boolean, assignee: boolean): WorkstreamEvent[] {
    if (!isWorkstreamState(status)) return [];
    return (Object.keys(WORKSTREAM_TRANSITIONS[status]) as WorkstreamEvent[]).filter((e) => (MANAGER_ONLY.has(e) ? manager : assignee));
  }

  async function viewWorkstreams(tx: DbOrTx, subject: Subject, rows: WorkstreamRow[], manager: boolean, windowOpen: boolean) {
    const assignees = await assigneesOf(
      tx,
      rows.map((r) => r.id),
    );
    return rows.map((r) => {
      const mine = assignees.filter((a) => a.workstreamId === r.id);
      const assignee = mine.some((a) => a.orgId === subject.orgId) && PARTICIPANT_ABILITIES.some((a) => can(subject, a));
      return {
        id: r.id,
        windowId: r.windowId,
        kind: r.kind,
        kindLabel: WORKSTREAM_KIND_LABELS[r.kind as WorkstreamKind] ?? r.kind,
        title: r.title,
        description: r.descriptionEnc ? keyring.decrypt(r.descriptionEnc, descAad(r.id)) : null,
        status: r.status,
        statusReason: r.statusReason,
        dueAt: r.dueAt.toISOString(),
        assignees: mine.map((a) => ({ orgId: a.orgId, orgName: a.orgName })),
        ownerOrgId: r.ownerOrgId,
        marking: { classification: nameOf(r.classification), compartments: [...r.compartments] },
        markingText: formatMarking(r),
        allowedEvents: windowOpen ? eventsFor(r.status, manager, assignee) : [],
        canEdit: windowOpen && manager,
        updatedAt: r.updatedAt.toISOString(),
      };
    });
  }

  function windowSummary(w: WindowCtx) {
    return {
      id: w.window.id,
      modelId: w.window.modelId,
      modelName: w.modelName,
      modelVersion: w.modelVersion,
      developerOrgName: w.developerOrgName,
      status: w.window.status,
      opensAt: w.window.opensAt.toISOString(),
      closesAt: w.window.closesAt.toISOString(),
    };
  }

  /** Open windows the subject's organisation is on, with the workstreams it may see, by status. */
  async function boards(_actor: Actor, subject: Subject) {
    if (![...PARTICIPANT_ABILITIES, ...DEVELOPER_ABILITIES].some((a) => can(subject, a))) throw new ForbiddenError('The assessment board is for the agencies, partners and developer on a window.');
    const now = clock();
    const wins = await openWindowsOf(db, subject.orgId, now);
    const usable = wins.filter((w) => (w.window.ownerOrgId === subject.orgId ? DEVELOPER_ABILITIES : PARTICIPANT_ABILITIES).some((a) => can(subject, a)));
    const rows = await workstreamsOf(
      db,
      usable.map((w) => w.window.id),
      withinClearance(subject),
    );
    return usable.map((w) => {
      const mine = rows.filter((r) => r.windowId === w.window.id);
      const byStatus: Record<string, number> = { planned: 0, in_progress: 0, blocked: 0, done: 0, cancelled: 0 };
      for (const r of mine) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      return { window: windowSummary(w), workstreams: mine.length, byStatus };
    });
  }

  async function board(actor: Actor, subject: Subject, windowId: string) {
    const { w, grants, developer, manager, now } = await onWindow(db, subject, windowId);
    const open = w.window.status === 'open' && w.window.closesAt.getTime() > now.getTime();
    return db.transaction(async (tx) => {
      const rows = await workstreamsOf(tx, [windowId], withinClearance(subject));
      const shown = highest([{ classification: CUI, compartments: [] }, ...rows]);
      await audit.recordRead(tx, actor, { recordType: 'assessment_board', recordId: windowId, classification: shown.classification, compartments: shown.compartments }, { workstreams: rows.length }, w.window.ownerOrgId);
      const participants = manager || developer ? [...activeParticipants(grants, now).values()] : [];
      return {
        window: windowSummary(w),
        canManage: manager && open,
        participants,
        workstreams: await viewWorkstreams(tx, subject, rows, manager, open),
        marking: { classification: nameOf(shown.classification), compartments: [...shown.compartments] },
      };
    });
  }

  async function createWorkstream(actor: Actor, subject: Subject, windowId: string, input: NewWorkstream) {
    const id = await db.transaction(async (tx) => {
      const { w, grants, manager, now } = await onWindow(tx, subject, windowId, true);
      if (!manager) throw new ForbiddenError('Planning the assessment needs an agency analyst on the window.');
      requireOpen(w, now);
      let requested: Marking | null = null;
      if (input.marking) {
        try {
          requested = parseMarking(input.marking);
        } catch (e) {
          throw new ValidationError('The marking is not valid.', [{ path: 'marking', message: (e as Error).message }]);
        }
      }
      const marking = workstreamMarking(input.kind, requested);
      if (!sees(subject, marking)) throw new ValidationError('You cannot plan a workstream above your own clearance.', [{ path: 'marking', message: `above your clearance (${formatMarking(marking)})` }]);
      const due = dueViolation(input.dueAt, w.window);
      if (due) throw new ValidationError(`The due date must fall inside the review window.`, [{ path: 'dueAt', message: due }]);
      const ids = [...new Set(input.assigneeOrgIds)];
      checkAssignees(ids, activeParticipants(grants, now));
      const wsId = crypto.randomUUID();
      await tx.insert(assessmentWorkstreams).values({
        id: wsId,
        ownerOrgId: subject.orgId,
        classification: marking.classification,
        compartments: [...marking.compartments],
        windowId,
        modelId: w.window.modelId,
        kind: input.kind,
        title: input.title,
        descriptionEnc: input.description ? keyring.encrypt(input.description, descAad(wsId)) : null,
        status: 'planned',
        dueAt: input.dueAt,
        createdBy: subject.userId,
        createdAt: now,
        updatedAt: now,
      });
      if (ids.length) await tx.insert(assessmentAssignees).values(ids.map((orgId) => ({ workstreamId: wsId, orgId, assignedBy: subject.userId, assignedAt: now })));
      const others = ids.filter((o) => o !== subject.orgId);
      // The notice names no classified detail: the assignee reads the board at its own clearance.
      if (others.length) await notify.notify(tx, { orgIds: others, title: 'Assessment workstream assigned', body: 'Your organisation was assigned a workstream in a coordinated assessment.', link: `/assessments/${windowId}` });
      await audit.record(tx, {
        actor,
        action: 'assessment.workstream.create',
        recordType: 'assessment_workstream',
        recordId: wsId,
        detail: { windowId, modelId: w.window.modelId, kind: input.kind, dueAt: input.dueAt.toISOString(), assignees: ids },
        marking,
      });
      return wsId;
    });
    return workstream(subject, id);
  }

  /** A workstream the subject may see on a window it is on, or 404. */
  async function visibleWorkstream(tx: DbOrTx, subject: Subject, id: string, forUpdate = false) {
    const r = await workstreamById(tx, id, forUpdate);
    if (!r) throw new NotFoundError('workstream');
    let ctx;
    try {
      ctx = await onWindow(tx, subject, r.windowId);
    } catch (e) {
      if (e instanceof NotFoundError) throw new NotFoundError('workstream', true);
      throw e;
    }
    if (!sees(subject, r)) throw new NotFoundError('workstream', true);
    return { r, ...ctx };
  }

  async function workstream(subject: Subject, id: string) {
    const { r, manager, w, now } = await visibleWorkstream(db, subject, id);
    const open = w.window.status === 'open' && w.window.closesAt.getTime() > now.getTime();
    return (await viewWorkstreams(db, subject, [r], manager, open))[0];
  }

  async function updateWorkstream(actor: Actor, subject: Subject, id: string, change: WorkstreamChange) {
    await db.transaction(async (tx) => {
      const { r, w, grants, manager, now } = await visibleWorkstream(tx, subject, id, true);
      if (!manager) throw new ForbiddenError('Changing the plan needs an agency analyst on the window.');
      requireOpen(w, now);
      if (r.status === 'done' || r.status === 'cancelled') throw new ConflictError(`The workstream is ${r.status}; it can no longer change.`);
      if (change.dueAt) {
        const due = dueViolation(change.dueAt, w.window);
        if (due) throw new ValidationError('The due date must fall inside the review window.', [{ path: 'dueAt', message: due }]);
      }
      let ids: string[] | undefined;
      if (change.assigneeOrgIds) {
        ids = [...new Set(change.assigneeOrgIds)];
        checkAssignees(ids, activeParticipants(grants, now));
        await tx.delete(assessmentAssignees).where(eq(assessmentAssignees.workstreamId, id));
        if (ids.length) await tx.insert(assessmentAssignees).values(ids.map((orgId) => ({ workstreamId: id, orgId, assignedBy: subject.userId, assignedAt: now })));
      }
      await tx
        .update(assessmentWorkstreams)
        .set({
          ...(change.title ? { title: change.title } : {}),
          ...(change.description !== undefined ? { descriptionEnc: change.description ? keyring.encrypt(change.description, descAad(id)) : null } : {}),
          ...(change.dueAt ? { dueAt: change.dueAt } : {}),
          updatedAt: now,
        })
        .where(eq(assessmentWorkstreams.id, id));
      await audit.record(tx, {
        actor,
        action: 'assessment.workstream.update',
        recordType: 'assessment_workstream',
        recordId: id,
        detail: { windowId: r.windowId, ...(change.dueAt ? { from: r.dueAt.toISOString(), dueAt: change.dueAt.toISOString() } : {}), ...(ids ? { assignees: ids } : {}), titleChanged: !!change.title, descriptionChanged: change.description !== undefined },
        marking: r,
      });
    });
    return workstream(subject, id);
  }

  async function changeStatus(actor: Actor, subject: Subject, id: string, input: { event: WorkstreamEvent; reason?: string }) {
    await db.transaction(async (tx) => {
      const { r, w, manager, now } = await visibleWorkstream(tx, subject, id, true);
      const assigned = (await tx.select().from(assessmentAssignees).where(eq(assessmentAssignees.workstreamId, id))).some((a) => a.orgId === subject.orgId);
      const assignee = assigned && PARTICIPANT_ABILITIES.some((a) => can(subject, a));
      if (MANAGER_ONLY.has(input.event) && !manager) throw new ForbiddenError('Cancelling a workstream belongs to the agencies planning the assessment.');
      if (!MANAGER_ONLY.has(input.event) && !assignee) throw new ForbiddenError('Only the workstream’s assignees update its status.');
      requireOpen(w, now);
      const next = transition(r.status, input.event);
      if (REASON_REQUIRED.has(input.event) && !input.reason) throw new ValidationError(`Say why (${input.event}).`, [{ path: 'reason', message: 'required' }]);
      await tx
        .update(assessmentWorkstreams)
        .set({ status: next, statusReason: input.reason ?? null, updatedAt: now })
        .where(eq(assessmentWorkstreams.id, id));
      await audit.record(tx, {
        actor,
        action: 'assessment.workstream.status',
        recordType: 'assessment_workstream',
        recordId: id,
        detail: { windowId: r.windowId, event: input.event, from: r.status, to: next, reason: input.reason ?? null, by: MANAGER_ONLY.has(input.event) ? 'manager' : 'assignee' },
        marking: r,
      });
    });
    return workstream(subject, id);
  }

  /** The organisations a manager may assign (for forms). */
  async function participants(subject: Subject, windowId: string) {
    const { grants, manager, developer, now } = await onWindow(db, subject, windowId);
    if (!manager && !developer) throw new ForbiddenError();
    return [...activeParticipants(grants, now).values()];
  }

  return { jobs: [] as JobDefinition[], startup: async () => {}, boards, board, createWorkstream, updateWorkstream, changeStatus, workstream, participants };
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
