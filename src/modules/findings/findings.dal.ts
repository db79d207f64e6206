import { and, asc, desc, eq, inArray, ne, notInArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants, findingEvidence, findingHistory, findings, gatewayRequests, models, organisations, reviewWindows } from '../../db/schema.ts';
import { readableBy } from '../access/access.sql.ts';
import { can, type ReadRule, type Subject } from '../access/policy.ts';

export type FindingRow = typeof findings.$inferSelect;
export const FINDING_RECORD = 'finding';
export const SHARE_SOURCE = 'finding_share';
const WINDOW_SOURCE = 'review_window';

export const findingCols = { id: findings.id, ownerOrgId: findings.ownerOrgId, classification: findings.classification, compartments: findings.compartments };

export function visibleFindings(subject: Subject, rule: ReadRule, now: Date): SQL {
  return readableBy(subject, findingCols, FINDING_RECORD, rule, now);
}

export async function findingById(db: DbOrTx, id: string, forUpdate = false) {
  const q = db.select().from(findings).where(eq(findings.id, id)).limit(1);
  const [r] = forUpdate ? await q.for('update') : await q;
  return r ?? null;
}

export async function modelOf(db: DbOrTx, modelId: string) {
  const [m] = await db.select().from(models).where(eq(models.id, modelId)).limit(1);
  return m ?? null;
}

/** The open window of the model on which the organisation holds a live grant, if any. */
export async function windowForFiling(db: DbOrTx, modelId: string, orgId: string, now: Date) {
  const ts = now.toISOString();
  const [w] = await db
    .select()
    .from(reviewWindows)
    .where(
      and(
        eq(reviewWindows.modelId, modelId),
        eq(reviewWindows.status, 'open'),
        sql`${reviewWindows.closesAt} > ${ts}::timestamptz`,
        sql`exists (select 1 from access_grants g where g.source_type = ${WINDOW_SOURCE} and g.source_id = ${reviewWindows.id}
          and g.grantee_org_id = ${orgId} and g.revoked_at is null and g.starts_at <= ${ts}::timestamptz
          and (g.expires_at is null or g.expires_at > ${ts}::timestamptz))`,
      ),
    )
    .limit(1);
  return w ?? null;
}

/** Whether the organisation holds any grant (of any source) on the model: it may know the model exists. */
export async function knowsModel(db: DbOrTx, modelId: string, orgId: string) {
  const [g] = await db
    .select({ id: accessGrants.id })
    .from(accessGrants)
    .where(and(eq(accessGrants.recordType, 'model'), eq(accessGrants.recordId, modelId), eq(accessGrants.granteeOrgId, orgId)))
    .limit(1);
  return !!g;
}

/**
 * Gateway transcripts the subject may read (the gateway's own rule: its own requests, or any at its
 * clearance for agency users with determinations:work), restricted to the model.
 */
export async function readableTranscripts(db: DbOrTx, subject: Subject, modelId: string, ids: string[]) {
  if (ids.length === 0) return [];
  const compartments = sql`ARRAY[${sql.join(
    subject.compartments.map((c) => sql`${c}`),
    sql`, `,
  )}]::text[]`;
  const cross = subject.orgKind === 'agency' && can(subject, 'determinations:work');
  return db
    .select({ id: gatewayRequests.id, classification: gatewayRequests.classification, compartments: gatewayRequests.compartments })
    .from(gatewayRequests)
    .where(
      and(
        inArray(gatewayRequests.id, ids),
        eq(gatewayRequests.modelId, modelId),
        sql`${gatewayRequests.classification} <= ${subject.clearance} and ${gatewayRequests.compartments} <@ ${compartments}`,
        cross ? sql`true` : eq(gatewayRequests.userId, subject.userId),
      ),
    );
}

/** Earlier findings of the model the subject may read, for duplicate detection. */
export async function dedupeCandidates(db: DbOrTx, modelId: string, excludeId: string, visible: SQL) {
  return db
    .select({ id: findings.id, kind: findings.kind, cwe: findings.cwe, products: findings.products, filedAt: findings.filedAt, createdAt: findings.createdAt })
    .from(findings)
    .where(and(eq(findings.modelId, modelId), ne(findings.id, excludeId), notInArray(findings.status, ['draft', 'withdrawn']), visible))
    .limit(2000);
}

export async function listFindings(db: DbOrTx, where: SQL, limit: number) {
  return db
    .select({ f: findings, modelName: models.name, modelVersion: models.version, plannedReleaseAt: models.plannedReleaseAt, filerOrgName: organisations.name })
    .from(findings)
    .innerJoin(models, eq(models.id, findings.modelId))
    .leftJoin(organisations, eq(organisations.id, findings.ownerOrgId))
    .where(where)
    .orderBy(desc(findings.createdAt))
    .limit(limit);
}

export async function evidenceOf(db: DbOrTx, findingId: string) {
  return db
    .select({ id: findingEvidence.id, filename: findingEvidence.filename, mediaType: findingEvidence.mediaType, sizeBytes: findingEvidence.sizeBytes, sha256: findingEvidence.sha256, createdAt: findingEvidence.createdAt })
    .from(findingEvidence)
    .where(eq(findingEvidence.findingId, findingId))
    .orderBy(asc(findingEvidence.createdAt));
}

export async function historyOf(db: DbOrTx, findingId: string) {
  return db
    .select({ h: findingHistory, orgName: organisations.name })
    .from(findingHistory)
    .leftJoin(organisations, eq(organisations.id, findingHistory.actorOrgId))
    .where(eq(findingHistory.findingId, findingId))
    .orderBy(asc(findingHistory.at), asc(findingHistory.id));
}

export async function sharesOf(db: DbOrTx, findingId: string) {
  return db
    .select({ grant: accessGrants, orgName: organisations.name })
    .from(accessGrants)
    .leftJoin(organisations, eq(organisations.id, accessGrants.granteeOrgId))
    .where(and(eq(accessGrants.recordType, FINDING_RECORD), eq(accessGrants.recordId, findingId)))
    .orderBy(asc(accessGrants.createdAt));
}

/** Live window grants on the model's window (to check a co-reviewer share). */
export async function windowGrantees(db: DbOrTx, windowId: string) {
  return db
    .select()
    .from(accessGrants)
    .where(and(eq(accessGrants.sourceType, WINDOW_SOURCE), eq(accessGrants.sourceId, windowId)));
}
