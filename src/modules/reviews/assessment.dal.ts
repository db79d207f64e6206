import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants, assessmentAssignees, assessmentWorkstreams, models, organisations, reviewWindows } from '../../db/schema.ts';
import type { Subject } from '../access/policy.ts';

export type WorkstreamRow = typeof assessmentWorkstreams.$inferSelect;
const WINDOW_SOURCE = 'review_window';

/** The marking half of the read rule in SQL (participation in the window is checked before). */
export function withinClearance(subject: Subject): SQL {
  const compartments = sql`ARRAY[${sql.join(
    subject.compartments.map((c) => sql`${c}`),
    sql`, `,
  )}]::text[]`;
  return sql`(${assessmentWorkstreams.classification} <= ${subject.clearance} and ${assessmentWorkstreams.compartments} <@ ${compartments})`;
}

export async function windowWithModel(db: DbOrTx, windowId: string, forUpdate = false) {
  const q = db
    .select({ window: reviewWindows, modelName: models.name, modelVersion: models.version, developerOrgName: organisations.name })
    .from(reviewWindows)
    .innerJoin(models, eq(models.id, reviewWindows.modelId))
    .leftJoin(organisations, eq(organisations.id, reviewWindows.ownerOrgId))
    .where(eq(reviewWindows.id, windowId))
    .limit(1);
  const [r] = forUpdate ? await q.for('update', { of: reviewWindows }) : await q;
  return r ?? null;
}

/** The window's grants (on the model, created by the window), with the grantee organisation. */
export async function windowGrantsWithOrgs(db: DbOrTx, windowIds: string[]) {
  if (windowIds.length === 0) return [];
  return db
    .select({ grant: accessGrants, orgName: organisations.name, orgKind: organisations.kind })
    .from(accessGrants)
    .leftJoin(organisations, eq(organisations.id, accessGrants.granteeOrgId))
    .where(and(eq(accessGrants.sourceType, WINDOW_SOURCE), inArray(accessGrants.sourceId, windowIds)))
    .orderBy(asc(organisations.name));
}

/** Open windows the organisation runs or holds a live grant on. */
export async function openWindowsOf(db: DbOrTx, orgId: string, now: Date) {
  const ts = now.toISOString();
  return db
    .select({ window: reviewWindows, modelName: models.name, modelVersion: models.version, developerOrgName: organisations.name })
    .from(reviewWindows)
    .innerJoin(models, eq(models.id, reviewWindows.modelId))
    .leftJoin(organisations, eq(organisations.id, reviewWindows.ownerOrgId))
    .where(
      and(
        eq(reviewWindows.status, 'open'),
        sql`(${reviewWindows.ownerOrgId} = ${orgId} or exists (select 1 from access_grants g where g.source_type = ${WINDOW_SOURCE}
          and g.source_id = ${reviewWindows.id} and g.grantee_org_id = ${orgId} and g.revoked_at is null
          and g.starts_at <= ${ts}::timestamptz and (g.expires_at is null or g.expires_at > ${ts}::timestamptz)))`,
      ),
    )
    .orderBy(asc(reviewWindows.closesAt))
    .limit(200);
}

export async function workstreamsOf(db: DbOrTx, windowIds: string[], visible: SQL) {
  if (windowIds.length === 0) return [];
  return db
    .select()
    .from(assessmentWorkstreams)
    .where(and(inArray(assessmentWorkstreams.windowId, windowIds), visible))
    .orderBy(asc(assessmentWorkstreams.dueAt), asc(assessmentWorkstreams.createdAt))
    .limit(1000);
}

export async function workstreamById(db: DbOrTx, id: string, forUpdate = false) {
  const q = db.select().from(assessmentWorkstreams).where(eq(assessmentWorkstreams.id, id)).limit(1);
  const [r] = forUpdate ? await q.for('update') : await q;
  return r ?? null;
}

export async function assigneesOf(db: DbOrTx, workstreamIds: string[]) {
  if (workstreamIds.length === 0) return [];
  return db
    .select({ workstreamId: assessmentAssignees.workstreamId, orgId: assessmentAssignees.orgId, orgName: organisations.name })
    .from(assessmentAssignees)
    .leftJoin(organisations, eq(organisations.id, assessmentAssignees.orgId))
    .where(inArray(assessmentAssignees.workstreamId, workstreamIds))
    .orderBy(asc(organisations.name));
}
