// Queries of coordinated disclosure. Lists of cases for coordinators apply readableBy; a vendor's
// reach is its participation (coordination_case_vendors), checked by every query that serves it.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { clearinghouseReportLinks, clearinghouseVulnerabilities, findings, models, organisations, users } from '../../../db/schema.ts';
import { readableBy } from '../../access/access.sql.ts';
import type { Subject } from '../../access/policy.ts';
import { coordinationCases, coordinationCaseVendors, coordinationEmbargoHistory, coordinationMessages, coordinationStatements, coordinationVendorProducts } from './coordination.schema.ts';
import type { ProductKey } from './coordination.fns.ts';

export type CaseRow = typeof coordinationCases.$inferSelect;
export type CaseVendorRow = typeof coordinationCaseVendors.$inferSelect;

const caseCols = { id: coordinationCases.id, ownerOrgId: coordinationCases.ownerOrgId, classification: coordinationCases.classification, compartments: coordinationCases.compartments };

export async function caseById(db: DbOrTx, id: string): Promise<CaseRow | undefined> {
  const [c] = await db.select().from(coordinationCases).where(eq(coordinationCases.id, id));
  return c;
}

export async function caseOfVulnerability(db: DbOrTx, vulnerabilityId: string, lock = false): Promise<CaseRow | undefined> {
  const q = db.select().from(coordinationCases).where(eq(coordinationCases.vulnerabilityId, vulnerabilityId));
  const [c] = lock ? await q.for('share') : await q;
  return c;
}

export async function participation(db: DbOrTx, caseId: string, vendorOrgId: string): Promise<CaseVendorRow | undefined> {
  const [p] = await db
    .select()
    .from(coordinationCaseVendors)
    .where(and(eq(coordinationCaseVendors.caseId, caseId), eq(coordinationCaseVendors.vendorOrgId, vendorOrgId)));
  return p;
}

/** Planned releases of the models whose review findings were reported as this vulnerability. */
export async function modelReleasesOf(db: DbOrTx, vulnerabilityId: string): Promise<{ modelId: string; plannedReleaseAt: Date }[]> {
  return db
    .selectDistinct({ modelId: models.id, plannedReleaseAt: models.plannedReleaseAt })
    .from(clearinghouseReportLinks)
    .innerJoin(findings, eq(findings.clearinghouseReportId, clearinghouseReportLinks.reportId))
    .innerJoin(models, eq(models.id, findings.modelId))
    .where(eq(clearinghouseReportLinks.vulnerabilityId, vulnerabilityId));
}

/** Registered products that could cover these packages (same type, namespace or a parent namespace). */
export async function candidateProducts(db: DbOrTx, packages: readonly ProductKey[]): Promise<(ProductKey & { vendorOrgId: string })[]> {
  if (packages.length === 0) return [];
  const types = [...new Set(packages.map((p) => p.type))];
  const namespaces = new Set<string>();
  for (const p of packages) {
    const parts = p.namespace.split('/');
    for (let i = 1; i <= parts.length; i++) namespaces.add(parts.slice(0, i).join('/'));
  }
  const rows = await db
    .select({ vendorOrgId: coordinationVendorProducts.vendorOrgId, type: coordinationVendorProducts.purlType, namespace: coordinationVendorProducts.namespace, name: coordinationVendorProducts.name })
    .from(coordinationVendorProducts)
    .innerJoin(organisations, eq(organisations.id, coordinationVendorProducts.vendorOrgId))
    .where(and(inArray(coordinationVendorProducts.purlType, types), inArray(coordinationVendorProducts.namespace, [...namespaces]), eq(organisations.kind, 'vendor')));
  return rows;
}

export async function vendorOrgs(db: DbOrTx, ids: readonly string[]): Promise<{ id: string; name: string; kind: string }[]> {
  if (ids.length === 0) return [];
  return db.select({ id: organisations.id, name: organisations.name, kind: organisations.kind }).from(organisations).where(inArray(organisations.id, [...ids]));
}

export async function vulnerabilitySummary(db: DbOrTx, id: string) {
  const [v] = await db
    .select({ id: clearinghouseVulnerabilities.id, titleEnc: clearinghouseVulnerabilities.titleEnc, cvss: clearinghouseVulnerabilities.cvss, cwe: clearinghouseVulnerabilities.cwe, affected: clearinghouseVulnerabilities.affected })
    .from(clearinghouseVulnerabilities)
    .where(eq(clearinghouseVulnerabilities.id, id));
  return v;
}

export async function caseVendors(db: DbOrTx, caseId: string, onlyOrgId?: string) {
  return db
    .select({ v: coordinationCaseVendors, name: organisations.name })
    .from(coordinationCaseVendors)
    .innerJoin(organisations, eq(organisations.id, coordinationCaseVendors.vendorOrgId))
    .where(and(eq(coordinationCaseVendors.caseId, caseId), onlyOrgId ? eq(coordinationCaseVendors.vendorOrgId, onlyOrgId) : undefined))
    .orderBy(asc(organisations.name));
}

/** Statements a reader sees: all (coordinator) or its own plus those shared (vendor). */
export async function caseStatements(db: DbOrTx, caseId: string, vendorOrgId?: string) {
  const visible: SQL | undefined = vendorOrgId ? sql`(${coordinationStatements.vendorOrgId} = ${vendorOrgId} or ${coordinationStatements.shared})` : undefined;
  return db
    .select({ s: coordinationStatements, vendorName: organisations.name })
    .from(coordinationStatements)
    .innerJoin(organisations, eq(organisations.id, coordinationStatements.vendorOrgId))
    .where(and(eq(coordinationStatements.caseId, caseId), visible))
    .orderBy(asc(organisations.name), asc(coordinationStatements.product));
}

/** Messages a reader sees: all (coordinator), or those addressed to its organisation or to every vendor. */
export async function caseMessages(db: DbOrTx, caseId: string, limit: number, vendorOrgId?: string) {
  const visible: SQL | undefined = vendorOrgId
    ? sql`((${coordinationMessages.visibility} = 'vendor' and ${coordinationMessages.vendorOrgId} = ${vendorOrgId}) or ${coordinationMessages.visibility} = 'all_vendors')`
    : undefined;
  const rows = await db
    .select({ m: coordinationMessages, authorName: users.name, authorOrgName: organisations.name })
    .from(coordinationMessages)
    .innerJoin(users, eq(users.id, coordinationMessages.authorUserId))
    .innerJoin(organisations, eq(organisations.id, coordinationMessages.authorOrgId))
    .where(and(eq(coordinationMessages.caseId, caseId), visible))
    .orderBy(desc(coordinationMessages.postedAt), desc(coordinationMessages.id))
    .limit(limit);
  return rows.reverse();
}

export async function embargoHistory(db: DbOrTx, caseId: string) {
  return db.select().from(coordinationEmbargoHistory).where(eq(coordinationEmbargoHistory.caseId, caseId)).orderBy(asc(coordinationEmbargoHistory.at), asc(coordinationEmbargoHistory.toReleaseAt));
}

/** The coordinators' board: one row per case with vendor, statement and silence counts (one query). */
export async function coordinatorCases(db: DbOrTx, subject: Subject, now: Date, q: { status?: string; silent?: 'true' | 'false'; limit: number }) {
  const visible = readableBy(subject, caseCols, 'coordination_case', { ability: 'clearinghouse:coordinate', crossOrgAbility: 'clearinghouse:coordinate' }, now);
  const silentCount = sql<number>`(select count(*)::int from ${coordinationCaseVendors} cv where cv.case_id = ${coordinationCases.id} and cv.notified_at is not null and cv.responded_at is null)`;
  const conds: (SQL | undefined)[] = [visible, q.status ? eq(coordinationCases.status, q.status) : undefined];
  if (q.silent === 'true') conds.push(sql`${silentCount} > 0`);
  if (q.silent === 'false') conds.push(sql`${silentCount} = 0`);
  return db
    .select({
      c: coordinationCases,
      titleEnc: clearinghouseVulnerabilities.titleEnc,
      vendors: sql<number>`(select count(*)::int from ${coordinationCaseVendors} cv where cv.case_id = ${coordinationCases.id})`,
      statements: sql<number>`(select count(*)::int from ${coordinationStatements} s where s.case_id = ${coordinationCases.id})`,
      silent: silentCount,
      oldestSilentSince: sql<string | null>`(select min(cv.notified_at)::text from ${coordinationCaseVendors} cv where cv.case_id = ${coordinationCases.id} and cv.notified_at is not null and cv.responded_at is null)`,
    })
    .from(coordinationCases)
    .innerJoin(clearinghouseVulnerabilities, eq(clearinghouseVulnerabilities.id, coordinationCases.vulnerabilityId))
    .where(and(...conds))
    .orderBy(asc(coordinationCases.embargoReleaseAt))
    .limit(q.limit);
}

export async function vendorCases(db: DbOrTx, vendorOrgId: string, limit: number) {
  return db
    .select({
      c: coordinationCases,
      titleEnc: clearinghouseVulnerabilities.titleEnc,
      notifiedAt: coordinationCaseVendors.notifiedAt,
      mine: sql<number>`(select count(*)::int from ${coordinationStatements} s where s.case_id = ${coordinationCases.id} and s.vendor_org_id = ${vendorOrgId})`,
    })
    .from(coordinationCaseVendors)
    .innerJoin(coordinationCases, eq(coordinationCases.id, coordinationCaseVendors.caseId))
    .innerJoin(clearinghouseVulnerabilities, eq(clearinghouseVulnerabilities.id, coordinationCases.vulnerabilityId))
    .where(eq(coordinationCaseVendors.vendorOrgId, vendorOrgId))
    .orderBy(asc(coordinationCases.embargoReleaseAt))
    .limit(limit);
}

/** Silent vendors of open cases whose last notice or reminder is older than `before`. */
export async function silentVendorsDue(db: DbOrTx, before: Date, limit: number) {
  return db
    .select({ caseId: coordinationCaseVendors.caseId, vendorOrgId: coordinationCaseVendors.vendorOrgId })
    .from(coordinationCaseVendors)
    .innerJoin(coordinationCases, eq(coordinationCases.id, coordinationCaseVendors.caseId))
    .where(
      and(
        eq(coordinationCases.status, 'open'),
        sql`${coordinationCaseVendors.notifiedAt} is not null and ${coordinationCaseVendors.respondedAt} is null`,
        sql`coalesce(${coordinationCaseVendors.lastRemindedAt}, ${coordinationCaseVendors.notifiedAt}) <= ${before.toISOString()}::timestamptz`,
      ),
    )
    .limit(limit);
}

/** A vendor's registrations, as matching keys. */
export async function productsOf(db: DbOrTx, vendorOrgId: string): Promise<ProductKey[]> {
  return db
    .select({ type: coordinationVendorProducts.purlType, namespace: coordinationVendorProducts.namespace, name: coordinationVendorProducts.name })
    .from(coordinationVendorProducts)
    .where(eq(coordinationVendorProducts.vendorOrgId, vendorOrgId))
    .limit(5000);
}
