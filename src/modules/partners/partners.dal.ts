import { and, desc, eq, inArray, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { organisations, panelMembers, partnerApplications, partnerCriteriaVersions, partnerEvidence, partnerVettingFindings, selectionPanels, users } from '../../db/schema.ts';

export type ApplicationRow = typeof partnerApplications.$inferSelect;
export type PanelRow = typeof selectionPanels.$inferSelect;
export type MemberRow = typeof panelMembers.$inferSelect;
export type CriteriaRow = typeof partnerCriteriaVersions.$inferSelect;

export async function latestCriteria(db: DbOrTx): Promise<CriteriaRow | undefined> {
  const [c] = await db.select().from(partnerCriteriaVersions).orderBy(desc(partnerCriteriaVersions.version)).limit(1);
  return c;
}

export async function criteriaVersion(db: DbOrTx, version: number): Promise<CriteriaRow | undefined> {
  const [c] = await db.select().from(partnerCriteriaVersions).where(eq(partnerCriteriaVersions.version, version));
  return c;
}

export async function findApplication(db: DbOrTx, id: string, forUpdate = false): Promise<ApplicationRow | undefined> {
  const q = db.select().from(partnerApplications).where(eq(partnerApplications.id, id));
  const [a] = forUpdate ? await q.for('update') : await q;
  return a;
}

export async function listApplications(db: DbOrTx, where: SQL) {
  return db.select().from(partnerApplications).where(where).orderBy(desc(partnerApplications.createdAt)).limit(500);
}

export async function evidenceOf(db: DbOrTx, applicationId: string) {
  return db
    .select({ id: partnerEvidence.id, criterionKey: partnerEvidence.criterionKey, filename: partnerEvidence.filename, mediaType: partnerEvidence.mediaType, sizeBytes: partnerEvidence.sizeBytes, sha256: partnerEvidence.sha256 })
    .from(partnerEvidence)
    .where(eq(partnerEvidence.applicationId, applicationId))
    .orderBy(partnerEvidence.criterionKey, partnerEvidence.createdAt);
}

export async function findingsOf(db: DbOrTx, applicationId: string) {
  return db.select().from(partnerVettingFindings).where(eq(partnerVettingFindings.applicationId, applicationId)).orderBy(partnerVettingFindings.criterionKey);
}

export async function panelsOfApplication(db: DbOrTx, applicationId: string) {
  return db.select().from(selectionPanels).where(eq(selectionPanels.applicationId, applicationId)).orderBy(selectionPanels.createdAt);
}

export async function findPanel(db: DbOrTx, id: string, forUpdate = false): Promise<PanelRow | undefined> {
  const q = db.select().from(selectionPanels).where(eq(selectionPanels.id, id));
  const [p] = forUpdate ? await q.for('update') : await q;
  return p;
}

export async function membersOf(db: DbOrTx, panelIds: string[]) {
  if (panelIds.length === 0) return [];
  return db
    .select({ m: panelMembers, name: users.name, orgName: organisations.name })
    .from(panelMembers)
    .innerJoin(users, eq(users.id, panelMembers.userId))
    .innerJoin(organisations, eq(organisations.id, panelMembers.orgId))
    .where(inArray(panelMembers.panelId, panelIds))
    .orderBy(panelMembers.side, users.name);
}

export async function usersWithOrgs(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: users.id, name: users.name, roles: users.roles, disabled: users.disabled, orgId: users.orgId, orgKind: organisations.kind })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.orgId))
    .where(inArray(users.id, ids));
}

export async function orgName(db: DbOrTx, id: string): Promise<string> {
  const [o] = await db.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, id));
  return o?.name ?? 'unknown organisation';
}

export async function panelsForMember(db: DbOrTx, userId: string) {
  return db.select({ panelId: panelMembers.panelId }).from(panelMembers).where(eq(panelMembers.userId, userId));
}

export async function decidedPanels(db: DbOrTx) {
  return db.select().from(selectionPanels).where(and(inArray(selectionPanels.status, ['approved', 'refused']))).orderBy(selectionPanels.decidedAt);
}
