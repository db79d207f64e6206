import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { grantApplications, grantAwards, grantOpportunities, grantPayments, organisations, serviceEnrolments, users } from '../../db/schema.ts';

export async function orgNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function emailsOf(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function findOpportunity(db: DbOrTx, id: string, forUpdate = false) {
  const q = db.select().from(grantOpportunities).where(eq(grantOpportunities.id, id));
  const [row] = forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

export async function findApplication(db: DbOrTx, id: string) {
  const [row] = await db.select().from(grantApplications).where(eq(grantApplications.id, id));
  return row ?? null;
}

export async function findAward(db: DbOrTx, id: string) {
  const [row] = await db.select().from(grantAwards).where(eq(grantAwards.id, id));
  return row ?? null;
}

/** Money committed by awards under an opportunity (terminated awards keep what was paid). */
export async function awardedOf(db: DbOrTx, opportunityIds: string[]): Promise<Map<string, { amount: number; count: number }>> {
  if (opportunityIds.length === 0) return new Map();
  const rows = await db
    .select({ opportunityId: grantAwards.opportunityId, count: sql<number>`count(*)::int`, amount: sql<string>`coalesce(sum(case when ${grantAwards.status} = 'terminated' then coalesce((select sum(p.amount_usd) from grant_payments p where p.award_id = ${grantAwards.id}), 0) else ${grantAwards.amountUsd} end), 0)::text` })
    .from(grantAwards)
    .where(inArray(grantAwards.opportunityId, opportunityIds))
    .groupBy(grantAwards.opportunityId);
  return new Map(rows.map((r) => [r.opportunityId, { amount: Number(r.amount), count: r.count }]));
}

export async function submittedCounts(db: DbOrTx, opportunityIds: string[]): Promise<Map<string, number>> {
  if (opportunityIds.length === 0) return new Map();
  const rows = await db
    .select({ opportunityId: grantApplications.opportunityId, n: sql<number>`count(*)::int` })
    .from(grantApplications)
    .where(and(inArray(grantApplications.opportunityId, opportunityIds), ne(grantApplications.status, 'draft'), ne(grantApplications.status, 'withdrawn')))
    .groupBy(grantApplications.opportunityId);
  return new Map(rows.map((r) => [r.opportunityId, r.n]));
}

export async function paidOf(db: DbOrTx, awardIds: string[]): Promise<Map<string, number>> {
  if (awardIds.length === 0) return new Map();
  const rows = await db.select({ awardId: grantPayments.awardId, total: sql<string>`sum(${grantPayments.amountUsd})::text` }).from(grantPayments).where(inArray(grantPayments.awardId, awardIds)).groupBy(grantPayments.awardId);
  return new Map(rows.map((r) => [r.awardId, Number(r.total)]));
}

export async function operatorsBySector(db: DbOrTx): Promise<Map<string, number>> {
  const rows = await db
    .select({ sector: organisations.sector, n: sql<number>`count(*)::int` })
    .from(organisations)
    .where(eq(organisations.kind, 'operator'))
    .groupBy(organisations.sector);
  return new Map(rows.map((r) => [r.sector ?? 'other', r.n]));
}

export async function liveEnrolment(db: DbOrTx, serviceId: string, orgId: string) {
  const [row] = await db
    .select({ id: serviceEnrolments.id })
    .from(serviceEnrolments)
    .where(and(eq(serviceEnrolments.serviceId, serviceId), eq(serviceEnrolments.ownerOrgId, orgId), inArray(serviceEnrolments.status, ['requested', 'enrolled'])));
  return row ?? null;
}
