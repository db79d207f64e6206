import { and, asc, desc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { executeIn } from '../../db/client.ts';
import { accessGrants, auditEvents, consultations, determinationNotices, modelDocuments, modelReleaseChanges, models, organisations, policySettings, reviewWindows } from '../../db/schema.ts';

export type ModelRow = typeof models.$inferSelect;
export type WindowRow = typeof reviewWindows.$inferSelect;
export type GrantRow = typeof accessGrants.$inferSelect;
export type PolicyRow = typeof policySettings.$inferSelect;

export const WINDOW_SOURCE = 'review_window';

export async function findModel(db: DbOrTx, id: string, forUpdate = false): Promise<ModelRow | undefined> {
  const q = db.select().from(models).where(eq(models.id, id));
  const [m] = forUpdate ? await q.for('update') : await q;
  return m;
}

export async function currentPolicy(db: DbOrTx): Promise<PolicyRow> {
  const [p] = await db.select().from(policySettings).orderBy(desc(policySettings.version)).limit(1);
  if (!p) throw new Error('policy_settings is empty: migration 0003 inserts version 1');
  return p;
}

export async function policyHistory(db: DbOrTx): Promise<PolicyRow[]> {
  return db.select().from(policySettings).orderBy(desc(policySettings.version));
}

export async function findWindow(db: DbOrTx, id: string, forUpdate = false): Promise<WindowRow | undefined> {
  const q = db.select().from(reviewWindows).where(eq(reviewWindows.id, id));
  const [w] = forUpdate ? await q.for('update') : await q;
  return w;
}

export async function openWindowOf(db: DbOrTx, modelId: string, forUpdate = false): Promise<WindowRow | undefined> {
  const q = db
    .select()
    .from(reviewWindows)
    .where(and(eq(reviewWindows.modelId, modelId), eq(reviewWindows.status, 'open')))
    .orderBy(desc(reviewWindows.createdAt))
    .limit(1);
  const [w] = forUpdate ? await q.for('update') : await q;
  return w;
}

export async function windowsOfModel(db: DbOrTx, modelId: string): Promise<WindowRow[]> {
  return db.select().from(reviewWindows).where(eq(reviewWindows.modelId, modelId)).orderBy(desc(reviewWindows.createdAt));
}

export async function dueWindows(db: DbOrTx, now: Date): Promise<WindowRow[]> {
  return db
    .select()
    .from(reviewWindows)
    .where(and(eq(reviewWindows.status, 'open'), lte(reviewWindows.closesAt, now)))
    .orderBy(asc(reviewWindows.closesAt))
    .limit(500);
}

export async function windowGrants(db: DbOrTx, windowIds: string[]): Promise<(GrantRow & { granteeOrgName: string | null })[]> {
  if (windowIds.length === 0) return [];
  const rows = await db
    .select({ g: accessGrants, orgName: organisations.name })
    .from(accessGrants)
    .leftJoin(organisations, eq(organisations.id, accessGrants.granteeOrgId))
    .where(and(eq(accessGrants.sourceType, WINDOW_SOURCE), inArray(accessGrants.sourceId, windowIds)))
    .orderBy(asc(organisations.name));
  return rows.map((r) => ({ ...r.g, granteeOrgName: r.orgName }));
}

/** Windows in which `orgId` holds a grant that is live now. */
export async function windowsSharedWith(db: DbOrTx, orgId: string, now: Date): Promise<WindowRow[]> {
  const ts = now.toISOString();
  return db
    .select()
    .from(reviewWindows)
    .where(
      sql`exists (select 1 from access_grants g where g.source_type = ${WINDOW_SOURCE} and g.source_id = ${reviewWindows.id}
        and g.grantee_org_id = ${orgId} and g.revoked_at is null and g.starts_at <= ${ts}::timestamptz
        and (g.expires_at is null or g.expires_at > ${ts}::timestamptz))`,
    )
    .orderBy(asc(reviewWindows.closesAt))
    .limit(500);
}

export async function modelsByIds(db: DbOrTx, ids: string[]): Promise<Map<string, ModelRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select().from(models).where(inArray(models.id, ids));
  return new Map(rows.map((m) => [m.id, m]));
}

export async function orgNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids));
  return new Map(rows.map((o) => [o.id, o.name]));
}

export async function agencies(db: DbOrTx) {
  return db
    .select({ id: organisations.id, name: organisations.name, agencyCode: organisations.agencyCode })
    .from(organisations)
    .where(eq(organisations.kind, 'agency'))
    .orderBy(asc(organisations.name));
}

/** The latest determination notice for the model (the only part of a determination the developer reads). */
export async function latestNotice(db: DbOrTx, modelId: string) {
  const [n] = await db
    .select({ outcome: determinationNotices.outcome, expiresAt: determinationNotices.expiresAt, decidedAt: determinationNotices.decidedAt })
    .from(determinationNotices)
    .where(eq(determinationNotices.modelId, modelId))
    .orderBy(desc(determinationNotices.decidedAt))
    .limit(1);
  return n;
}

/**
 * The latest consultation's recommendation. The column belongs to the consultations module; read it
 * with raw SQL so this module does not depend on that module's code, only on the agreed column.
 */
export async function latestRecommendation(db: DbOrTx, modelId: string): Promise<string | null> {
  const r = await executeIn(db, 'select recommendation from consultations where model_id = $1 order by created_at desc limit 1', [modelId]);
  return (r.rows[0]?.recommendation as string | null | undefined) ?? null;
}


/** The consultations of a model with their markings (read-only), for checking who may read them. */
export async function consultationsOf(db: DbOrTx, modelId: string) {
  return db
    .select({ id: consultations.id, ownerOrgId: consultations.ownerOrgId, classification: consultations.classification, compartments: consultations.compartments })
    .from(consultations)
    .where(eq(consultations.modelId, modelId));
}

/** The windows (of these) that ever gave the organisation a grant. */
export async function windowsEverSharedWith(db: DbOrTx, orgId: string, windowIds: string[]): Promise<Set<string>> {
  if (windowIds.length === 0) return new Set();
  const rows = await db
    .select({ id: accessGrants.sourceId })
    .from(accessGrants)
    .where(and(eq(accessGrants.sourceType, WINDOW_SOURCE), inArray(accessGrants.sourceId, windowIds), eq(accessGrants.granteeOrgId, orgId)));
  return new Set(rows.map((r) => r.id!));
}

/** Sets the expiry of a window's live grants to at most `closesAt`. */
export async function capGrantExpiry(tx: DbOrTx, windowId: string, closesAt: Date) {
  return tx
    .update(accessGrants)
    .set({ expiresAt: closesAt })
    .where(
      and(
        eq(accessGrants.sourceType, WINDOW_SOURCE),
        eq(accessGrants.sourceId, windowId),
        isNull(accessGrants.revokedAt),
        or(isNull(accessGrants.expiresAt), sql`${accessGrants.expiresAt} > ${closesAt.toISOString()}::timestamptz`),
      ),
    )
    .returning();
}

/** Every live grant on the model and its disclosure documents, whatever created it. */
export async function revokeAllModelGrants(tx: DbOrTx, modelId: string, at: Date): Promise<GrantRow[]> {
  const docIds = tx.select({ id: modelDocuments.id }).from(modelDocuments).where(eq(modelDocuments.modelId, modelId));
  return tx
    .update(accessGrants)
    .set({ revokedAt: at })
    .where(
      and(
        isNull(accessGrants.revokedAt),
        or(
          and(eq(accessGrants.recordType, 'model'), eq(accessGrants.recordId, modelId)),
          and(eq(accessGrants.recordType, 'model_document'), inArray(accessGrants.recordId, docIds)),
        ),
      ),
    )
    .returning();
}

export async function releaseChanges(db: DbOrTx, modelId: string) {
  return db.select().from(modelReleaseChanges).where(eq(modelReleaseChanges.modelId, modelId)).orderBy(asc(modelReleaseChanges.createdAt));
}

/**
 * The model's story from the audit trail: events about the model, its windows and its consultations
 * that are at most CUI and at most the reader's clearance, owned by the developer or by the reader's
 * organisation (agency-internal events of other agencies stay out). Reads themselves are left out.
 */
export async function timelineEvents(db: DbOrTx, opts: { recordIds: string[]; orgIds: string[]; maxClassification: number }) {
  if (opts.recordIds.length === 0) return [];
  return db
    .select({
      at: auditEvents.at,
      action: auditEvents.action,
      actorOrgName: auditEvents.actorOrgName,
      recordType: auditEvents.recordType,
      recordId: auditEvents.recordId,
      detail: auditEvents.detail,
    })
    .from(auditEvents)
    .where(
      and(
        inArray(auditEvents.recordId, opts.recordIds),
        lte(auditEvents.classification, opts.maxClassification),
        sql`cardinality(${auditEvents.compartments}) = 0`,
        inArray(auditEvents.ownerOrgId, opts.orgIds),
        eq(auditEvents.outcome, 'success'),
        sql`${auditEvents.action} not like '%.read'`,
      ),
    )
    .orderBy(asc(auditEvents.seq))
    .limit(1000);
}
