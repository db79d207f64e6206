import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants, consultationAssignments, consultationMessages, consultations, models, organisations, users } from '../../db/schema.ts';
import { readableBy } from '../access/access.sql.ts';
import type { ReadRule, Subject } from '../access/policy.ts';

export type ConsultationRow = typeof consultations.$inferSelect;
export type AssignmentRow = typeof consultationAssignments.$inferSelect;
export type MessageRow = typeof consultationMessages.$inferSelect;
export type ModelRow = typeof models.$inferSelect;

export const CONSULTATION_RECORD = 'consultation';
export const MESSAGE_RECORD = 'consultation_message';
export const MODEL_RECORD = 'model';

export async function findModel(db: DbOrTx, id: string): Promise<ModelRow | undefined> {
  const [m] = await db.select().from(models).where(eq(models.id, id));
  return m;
}

export async function findConsultation(db: DbOrTx, id: string, forUpdate = false) {
  const q = db
    .select({ c: consultations, model: models, ownerOrgName: organisations.name })
    .from(consultations)
    .innerJoin(models, eq(models.id, consultations.modelId))
    .innerJoin(organisations, eq(organisations.id, consultations.ownerOrgId))
    .where(eq(consultations.id, id));
  const [r] = forUpdate ? await q.for('update', { of: consultations }) : await q;
  return r;
}

export async function agencyOrgs(db: DbOrTx, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.select({ id: organisations.id, name: organisations.name, agencyCode: organisations.agencyCode }).from(organisations).where(and(eq(organisations.kind, 'agency'), inArray(organisations.agencyCode, [...codes])));
}

export async function assignmentsOf(db: DbOrTx, consultationId: string) {
  return db
    .select({ a: consultationAssignments, agencyCode: organisations.agencyCode, agencyName: organisations.name, assigneeName: users.name })
    .from(consultationAssignments)
    .innerJoin(organisations, eq(organisations.id, consultationAssignments.agencyOrgId))
    .leftJoin(users, eq(users.id, consultationAssignments.assigneeUserId))
    .where(eq(consultationAssignments.consultationId, consultationId))
    .orderBy(asc(consultationAssignments.createdAt), asc(organisations.agencyCode));
}

export async function findUser(db: DbOrTx, id: string) {
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u;
}

export const consultationCols = { id: consultations.id, ownerOrgId: consultations.ownerOrgId, classification: consultations.classification, compartments: consultations.compartments };
export const messageCols = { id: consultationMessages.id, ownerOrgId: consultationMessages.ownerOrgId, classification: consultationMessages.classification, compartments: consultationMessages.compartments };

export interface ListFilters {
  status?: string;
  mine?: boolean;
  modelId?: string;
}

/** Consultations the subject may read (the policy's rule in SQL), soonest model release first. */
export async function listConsultations(db: DbOrTx, subject: Subject, rule: ReadRule, filters: ListFilters, now: Date) {
  const conds: SQL[] = [readableBy(subject, consultationCols, CONSULTATION_RECORD, rule, now)];
  if (filters.status) conds.push(eq(consultations.status, filters.status));
  if (filters.modelId) conds.push(eq(consultations.modelId, filters.modelId));
  if (filters.mine) {
    conds.push(sql`exists (select 1 from consultation_assignments ma where ma.consultation_id = ${consultations.id} and ma.assignee_user_id = ${subject.userId})`);
  }
  return db
    .select({
      c: consultations,
      modelName: models.name,
      modelVersion: models.version,
      plannedReleaseAt: models.plannedReleaseAt,
      myRole: consultationAssignments.role,
      myAssignee: consultationAssignments.assigneeUserId,
      myDueAt: consultationAssignments.dueAt,
    })
    .from(consultations)
    .innerJoin(models, eq(models.id, consultations.modelId))
    .leftJoin(consultationAssignments, and(eq(consultationAssignments.consultationId, consultations.id), eq(consultationAssignments.agencyOrgId, subject.orgId)))
    .where(and(...conds))
    .orderBy(asc(models.plannedReleaseAt), asc(consultations.createdAt))
    .limit(500);
}

/**
 * The thread as the subject may read it. A shared message is readable by whoever may read the
 * consultation (checked by the caller) at the message's marking; an internal note is a record of its
 * own (owner: the author's agency, grants to the other assigned agencies) and only readableBy lets it
 * through. Non-agency subjects never get internal notes, whatever the grants say.
 */
export function threadCondition(subject: Subject, rule: ReadRule, consultationId: string, now: Date): SQL {
  const compartments = sql`ARRAY[${sql.join(
    subject.compartments.map((c) => sql`${c}`),
    sql`, `,
  )}]::text[]`;
  const sharedMarking = sql`${consultationMessages.classification} <= ${subject.clearance} and ${consultationMessages.compartments} <@ ${compartments}`;
  const internal = subject.orgKind === 'agency' ? sql`(${consultationMessages.internal} = true and ${readableBy(subject, messageCols, MESSAGE_RECORD, rule, now)})` : sql`false`;
  return sql`(${consultationMessages.consultationId} = ${consultationId} and ((${consultationMessages.internal} = false and ${sharedMarking}) or ${internal}))`;
}

export async function listMessages(db: DbOrTx, where: SQL) {
  return db
    .select({ m: consultationMessages, authorName: users.name, authorOrgId: users.orgId, authorOrgName: organisations.name, authorOrgKind: organisations.kind })
    .from(consultationMessages)
    .innerJoin(users, eq(users.id, consultationMessages.authorUserId))
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(where)
    .orderBy(asc(consultationMessages.createdAt), asc(consultationMessages.id))
    .limit(1000);
}

export async function countMessages(db: DbOrTx, where: SQL): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(consultationMessages).where(where);
  return r.n;
}

/**
 * When the developer withdraws: the assigned agencies lose their reads of the consultation record
 * (the developer's question and the shared thread hang off it). Grants on agency-internal notes are
 * the agencies' own and stay.
 */
export async function revokeAssignmentReads(db: DbOrTx, consultationId: string, at: Date) {
  return db
    .update(accessGrants)
    .set({ revokedAt: at })
    .where(and(eq(accessGrants.recordType, CONSULTATION_RECORD), eq(accessGrants.recordId, consultationId), eq(accessGrants.sourceType, 'consultation_assignment'), sql`${accessGrants.revokedAt} is null`))
    .returning({ id: accessGrants.id });
}

/** After withdrawal an assigned agency keeps only its agencies' internal notes (readableBy decides). */
export function internalNotesCondition(subject: Subject, rule: ReadRule, consultationId: string, now: Date): SQL {
  if (subject.orgKind !== 'agency') return sql`false`;
  return sql`(${consultationMessages.consultationId} = ${consultationId} and ${consultationMessages.internal} = true and ${readableBy(subject, messageCols, MESSAGE_RECORD, rule, now)})`;
}
