import { and, asc, desc, eq, inArray, isNull, isNotNull, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants, modelDocuments, models, organisations } from '../../db/schema.ts';
import type { MarkedColumns } from '../access/access.sql.ts';

export type ModelRow = typeof models.$inferSelect;
export type DocumentRow = typeof modelDocuments.$inferSelect;

export const MODEL_RECORD = 'model';
export const DOCUMENT_RECORD = 'model_document';
/** access_grants.source_type of the developer's item-by-item shares. */
export const SHARE_SOURCE = 'disclosure_share';

export const modelMarkedColumns: MarkedColumns = { id: models.id, ownerOrgId: models.ownerOrgId, classification: models.classification, compartments: models.compartments };

export async function listModels(db: DbOrTx, visible: SQL) {
  return db
    .select({ model: models, ownerOrgName: organisations.name })
    .from(models)
    .innerJoin(organisations, eq(organisations.id, models.ownerOrgId))
    .where(visible)
    .orderBy(asc(models.plannedReleaseAt), asc(models.name), asc(models.version))
    .limit(500);
}

export async function findModel(db: DbOrTx, id: string) {
  const [r] = await db
    .select({ model: models, ownerOrgName: organisations.name })
    .from(models)
    .innerJoin(organisations, eq(organisations.id, models.ownerOrgId))
    .where(eq(models.id, id));
  return r;
}

export async function lockModel(db: DbOrTx, id: string) {
  const [r] = await db.select().from(models).where(eq(models.id, id)).for('update');
  return r;
}

export async function familyVersions(db: DbOrTx, familyId: string, visible: SQL) {
  return db
    .select()
    .from(models)
    .where(and(eq(models.familyId, familyId), visible))
    .orderBy(asc(models.createdAt), asc(models.version));
}

export async function versionExists(db: DbOrTx, familyId: string, version: string): Promise<boolean> {
  const rows = await db.select({ id: models.id }).from(models).where(and(eq(models.familyId, familyId), eq(models.version, version))).limit(1);
  return rows.length > 0;
}

export async function documentsOf(db: DbOrTx, modelId: string): Promise<DocumentRow[]> {
  return db.select().from(modelDocuments).where(eq(modelDocuments.modelId, modelId)).orderBy(asc(modelDocuments.createdAt), asc(modelDocuments.title));
}

export async function findDocument(db: DbOrTx, modelId: string, docId: string): Promise<DocumentRow | undefined> {
  const [r] = await db
    .select()
    .from(modelDocuments)
    .where(and(eq(modelDocuments.id, docId), eq(modelDocuments.modelId, modelId)));
  return r;
}

export async function lockDocument(db: DbOrTx, modelId: string, docId: string): Promise<DocumentRow | undefined> {
  const [r] = await db
    .select()
    .from(modelDocuments)
    .where(and(eq(modelDocuments.id, docId), eq(modelDocuments.modelId, modelId)))
    .for('update');
  return r;
}

export interface AgencyRow {
  id: string;
  name: string;
  agencyCode: string | null;
}

export async function listAgencies(db: DbOrTx, ids?: string[]): Promise<AgencyRow[]> {
  if (ids && ids.length === 0) return [];
  return db
    .select({ id: organisations.id, name: organisations.name, agencyCode: organisations.agencyCode })
    .from(organisations)
    .where(and(eq(organisations.kind, 'agency'), ids ? inArray(organisations.id, ids) : undefined))
    .orderBy(asc(organisations.name));
}

/** The developer's live organisation shares of each document (ignoring expiry: its shares do not expire). */
export async function liveShares(db: DbOrTx, docIds: string[]) {
  const out = new Map<string, (AgencyRow & { grantId: string })[]>();
  if (docIds.length === 0) return out;
  const rows = await db
    .select({ docId: accessGrants.recordId, grantId: accessGrants.id, id: organisations.id, name: organisations.name, agencyCode: organisations.agencyCode })
    .from(accessGrants)
    .innerJoin(organisations, eq(organisations.id, accessGrants.granteeOrgId))
    .where(and(eq(accessGrants.recordType, DOCUMENT_RECORD), inArray(accessGrants.recordId, docIds), isNull(accessGrants.revokedAt), isNotNull(accessGrants.granteeOrgId)))
    .orderBy(asc(organisations.name), desc(accessGrants.createdAt));
  for (const r of rows) {
    const list = out.get(r.docId) ?? [];
    if (!list.some((a) => a.id === r.id)) list.push({ grantId: r.grantId, id: r.id, name: r.name, agencyCode: r.agencyCode });
    out.set(r.docId, list);
  }
  return out;
}

/** Revokes every live grant on a document, whatever created it. */
export async function revokeDocumentGrants(db: DbOrTx, docId: string, at: Date, granteeOrgIds?: string[]) {
  if (granteeOrgIds && granteeOrgIds.length === 0) return [];
  return db
    .update(accessGrants)
    .set({ revokedAt: at })
    .where(
      and(
        eq(accessGrants.recordType, DOCUMENT_RECORD),
        eq(accessGrants.recordId, docId),
        isNull(accessGrants.revokedAt),
        granteeOrgIds ? inArray(accessGrants.granteeOrgId, granteeOrgIds) : undefined,
      ),
    )
    .returning();
}
