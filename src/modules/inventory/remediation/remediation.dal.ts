// Queries of remediation tracking. Reads matching's advisories, inventory's profiles, channels and
// assets, identity's organisations and users, and the mail outbox (all read-only).
import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import {
  inventoryAssets,
  inventoryChannels,
  inventoryOperatorProfiles,
  mailOutbox,
  matchingAdvisories,
  notificationDeliveries,
  organisations,
  remediationHistory,
  remediationMatches,
  remediationRecords,
  users,
} from '../../../db/schema.ts';
import type { AdvisorySeverity, MatchableAffected } from '../../matching/matching.types.ts';
import { isTlpLabel, type TlpLabel } from '../../clearinghouse/advisory/tlp.ts';

export type RecordRow = typeof remediationRecords.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type ChannelRow = typeof inventoryChannels.$inferSelect;

export interface AdvisoryFacts {
  id: string;
  ref: string;
  source: string;
  clearinghouseAdvisoryId: string | null;
  title: string;
  severity: AdvisorySeverity | null;
  tlp: TlpLabel;
  affected: MatchableAffected[];
  withdrawn: boolean;
}

const SEVERITIES = ['low', 'medium', 'high', 'critical'];

export async function advisoryFacts(tx: DbOrTx, ids: string[]): Promise<Map<string, AdvisoryFacts>> {
  const out = new Map<string, AdvisoryFacts>();
  if (!ids.length) return out;
  const rows = await tx.select().from(matchingAdvisories).where(inArray(matchingAdvisories.id, ids));
  for (const r of rows) {
    out.set(r.id, {
      id: r.id,
      ref: r.externalId,
      source: r.source,
      clearinghouseAdvisoryId: r.clearinghouseAdvisoryId,
      title: r.title,
      severity: r.severity && SEVERITIES.includes(r.severity) ? (r.severity as AdvisorySeverity) : null,
      // An unknown label is treated as the most restrictive one a channel can never carry.
      tlp: isTlpLabel(r.tlp) ? r.tlp : 'RED',
      affected: r.affected,
      withdrawn: r.withdrawn,
    });
  }
  return out;
}

/** Matching advisories meant by an id: the matching row itself or the clearinghouse advisory it indexes. */
export async function advisoryIdsFor(tx: DbOrTx, id: string): Promise<string[]> {
  const rows = await tx
    .select({ id: matchingAdvisories.id })
    .from(matchingAdvisories)
    .where(or(eq(matchingAdvisories.id, id), eq(matchingAdvisories.clearinghouseAdvisoryId, id)));
  return rows.map((r) => r.id);
}

export async function priorityTiers(tx: DbOrTx, orgIds: string[]): Promise<Map<string, number | null>> {
  if (!orgIds.length) return new Map();
  const rows = await tx.select({ orgId: inventoryOperatorProfiles.orgId, tier: inventoryOperatorProfiles.priorityTier }).from(inventoryOperatorProfiles).where(inArray(inventoryOperatorProfiles.orgId, orgIds));
  return new Map(rows.map((r) => [r.orgId, r.tier]));
}

export async function channelsOf(tx: DbOrTx, orgId: string): Promise<ChannelRow[]> {
  return tx.select().from(inventoryChannels).where(eq(inventoryChannels.orgId, orgId)).orderBy(asc(inventoryChannels.createdAt), asc(inventoryChannels.id));
}

export async function recordOf(tx: DbOrTx, orgId: string, advisoryId: string): Promise<RecordRow | undefined> {
  const [r] = await tx
    .select()
    .from(remediationRecords)
    .where(and(eq(remediationRecords.ownerOrgId, orgId), eq(remediationRecords.advisoryId, advisoryId)))
    .for('update');
  return r;
}

export async function openMatchesOf(tx: DbOrTx, recordId: string) {
  return tx
    .select()
    .from(remediationMatches)
    .where(and(eq(remediationMatches.recordId, recordId), isNull(remediationMatches.clearedAt)));
}

export async function openCounts(tx: DbOrTx, recordIds: string[]): Promise<Map<string, number>> {
  if (!recordIds.length) return new Map();
  const rows = await tx
    .select({ recordId: remediationMatches.recordId, n: sql<number>`count(*)::int` })
    .from(remediationMatches)
    .where(and(inArray(remediationMatches.recordId, recordIds), isNull(remediationMatches.clearedAt)))
    .groupBy(remediationMatches.recordId);
  return new Map(rows.map((r) => [r.recordId, Number(r.n)]));
}

export async function componentsOf(tx: DbOrTx, recordId: string) {
  return tx
    .select({
      assetId: remediationMatches.assetId,
      assetName: inventoryAssets.name,
      componentId: remediationMatches.componentId,
      package: remediationMatches.package,
      version: remediationMatches.version,
      matchedAt: remediationMatches.matchedAt,
      clearedAt: remediationMatches.clearedAt,
    })
    .from(remediationMatches)
    .leftJoin(inventoryAssets, eq(inventoryAssets.id, remediationMatches.assetId))
    .where(eq(remediationMatches.recordId, recordId))
    .orderBy(sql`${remediationMatches.clearedAt} is not null`, asc(remediationMatches.package))
    .limit(500);
}

export async function historyOf(tx: DbOrTx, recordId: string) {
  return tx
    .select({ event: remediationHistory.event, fromState: remediationHistory.fromState, toState: remediationHistory.toState, by: users.email, note: remediationHistory.note, at: remediationHistory.at })
    .from(remediationHistory)
    .leftJoin(users, eq(users.id, remediationHistory.actorUserId))
    .where(eq(remediationHistory.recordId, recordId))
    .orderBy(asc(remediationHistory.at), asc(remediationHistory.id))
    .limit(500);
}

/** Deliveries with the mail outbox's status for emails (the outbox retries SMTP on its own). */
export async function deliveriesWhere(tx: DbOrTx, where: ReturnType<typeof and>, limit: number) {
  return tx
    .select({ d: notificationDeliveries, mailStatus: mailOutbox.status, mailSentAt: mailOutbox.sentAt, mailError: mailOutbox.lastError, mailAttempts: mailOutbox.attempts, orgName: organisations.name })
    .from(notificationDeliveries)
    .leftJoin(mailOutbox, eq(mailOutbox.id, notificationDeliveries.mailId))
    .leftJoin(organisations, eq(organisations.id, notificationDeliveries.orgId))
    .where(where)
    .orderBy(desc(notificationDeliveries.createdAt), desc(notificationDeliveries.id))
    .limit(limit);
}

export async function recordsOfAdvisories(tx: DbOrTx, advisoryIds: string[], page: { limit: number; offset: number }) {
  return tx
    .select({ r: remediationRecords, orgName: organisations.name, sector: organisations.sector })
    .from(remediationRecords)
    .innerJoin(organisations, eq(organisations.id, remediationRecords.ownerOrgId))
    .where(inArray(remediationRecords.advisoryId, advisoryIds))
    .orderBy(asc(organisations.name), asc(remediationRecords.id))
    .limit(page.limit)
    .offset(page.offset);
}

/** Records per state and deliveries per status over every operator of the advisories (not one page). */
export async function advisoryTotals(tx: DbOrTx, advisoryIds: string[]): Promise<{ operators: number; totals: Record<string, number> }> {
  const ids = sql`ARRAY[${sql.join(
    advisoryIds.map((i) => sql`${i}`),
    sql`, `,
  )}]::uuid[]`;
  const states = await tx
    .select({ state: remediationRecords.state, n: sql<number>`count(*)::int` })
    .from(remediationRecords)
    .where(inArray(remediationRecords.advisoryId, advisoryIds))
    .groupBy(remediationRecords.state);
  const status = sql<string>`case when ${notificationDeliveries.channelKind} = 'email' then (case when ${mailOutbox.status} = 'sent' then 'delivered' else coalesce(${mailOutbox.status}, 'queued') end) else ${notificationDeliveries.status} end`;
  const deliveries = await tx
    .select({ status, n: sql<number>`count(*)::int` })
    .from(notificationDeliveries)
    .leftJoin(mailOutbox, eq(mailOutbox.id, notificationDeliveries.mailId))
    .where(sql`${notificationDeliveries.advisoryIds} && ${ids}`)
    .groupBy(status);
  const totals: Record<string, number> = {};
  for (const s of states) totals[s.state] = Number(s.n);
  for (const d of deliveries) totals[`delivery_${d.status}`] = Number(d.n);
  return { operators: states.reduce((n, s) => n + Number(s.n), 0), totals };
}

export function overlaps(column: typeof notificationDeliveries.recordIds | typeof notificationDeliveries.advisoryIds, values: string[]) {
  return sql`${column} && ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::uuid[]`;
}
