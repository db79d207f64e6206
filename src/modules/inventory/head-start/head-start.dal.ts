// Reads for the defender head start. A model's vulnerabilities reach operators along one chain: its
// review findings → the clearinghouse reports they became → the vulnerabilities those reports were
// linked to → the published advisories about them → the matches of those advisories in operators'
// inventories.
import { and, asc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { advisories, clearinghouseReportLinks, findings, matchingAdvisories, matchingMatches, models, organisations, remediationRecords } from '../../../db/schema.ts';
import type { MatchRowInput, RemediationInput } from './head-start.fns.ts';

/** Most matches read for one computation; far above any real model's reach. */
const MAX_MATCH_ROWS = 200_000;

// The chain's joins, from findings to indexed, not withdrawn, published advisories.
const toLinks = eq(clearinghouseReportLinks.reportId, findings.clearinghouseReportId);
const toAdvisories = eq(advisories.vulnerabilityId, clearinghouseReportLinks.vulnerabilityId);
const toMatching = and(eq(matchingAdvisories.clearinghouseAdvisoryId, advisories.id), eq(matchingAdvisories.withdrawn, false));
const published = (modelFilter: SQL | undefined) => and(isNotNull(findings.clearinghouseReportId), isNotNull(advisories.trackingId), modelFilter);

export interface ReviewedModel {
  id: string;
  name: string;
  version: string;
  developer: string;
  ownerOrgId: string;
  classification: number;
  compartments: string[];
  plannedReleaseAt: Date;
}

/** Models with at least one published advisory about their findings; `visible` narrows to what a reader may read. */
export async function reviewedModels(db: DbOrTx, visible?: SQL, ids?: string[]): Promise<ReviewedModel[]> {
  if (ids && ids.length === 0) return [];
  const reviewed = db
    .selectDistinct({ modelId: findings.modelId })
    .from(findings)
    .innerJoin(clearinghouseReportLinks, toLinks)
    .innerJoin(advisories, toAdvisories)
    .innerJoin(matchingAdvisories, toMatching)
    .where(published(ids ? inArray(findings.modelId, ids) : undefined));
  return db
    .select({
      id: models.id,
      name: models.name,
      version: models.version,
      developer: organisations.name,
      ownerOrgId: models.ownerOrgId,
      classification: models.classification,
      compartments: models.compartments,
      plannedReleaseAt: models.plannedReleaseAt,
    })
    .from(models)
    .innerJoin(organisations, eq(organisations.id, models.ownerOrgId))
    .where(and(inArray(models.id, reviewed), eq(models.status, 'registered'), visible))
    .orderBy(asc(models.plannedReleaseAt), asc(models.id))
    .limit(1000);
}

export interface ModelAdvisory {
  modelId: string;
  id: string;
  matchingAdvisoryId: string;
  trackingId: string | null;
  severity: string | null;
  tlp: string;
  publishedAt: Date | null;
}

export async function advisoriesOfModels(db: DbOrTx, modelIds: string[]): Promise<ModelAdvisory[]> {
  if (modelIds.length === 0) return [];
  const rows = await db
    .selectDistinct({
      modelId: findings.modelId,
      id: advisories.id,
      matchingAdvisoryId: matchingAdvisories.id,
      trackingId: advisories.trackingId,
      severity: advisories.severity,
      tlp: advisories.tlp,
      publishedAt: advisories.initialReleaseAt,
    })
    .from(findings)
    .innerJoin(clearinghouseReportLinks, toLinks)
    .innerJoin(advisories, toAdvisories)
    .innerJoin(matchingAdvisories, toMatching)
    .where(published(inArray(findings.modelId, modelIds)))
    .limit(10_000);
  return rows.sort((a, b) => (a.trackingId ?? '').localeCompare(b.trackingId ?? ''));
}

export interface OperatorName {
  id: string;
  name: string;
}

/** Every match (open or cleared) of the given matching advisories, with the operator's sector. */
export async function matchesOf(db: DbOrTx, matchingAdvisoryIds: string[]): Promise<(MatchRowInput & { operatorName: string })[]> {
  if (matchingAdvisoryIds.length === 0) return [];
  const rows = await db
    .select({
      advisoryId: matchingMatches.advisoryId,
      operatorId: matchingMatches.orgId,
      operatorName: organisations.name,
      sector: organisations.sector,
      matchedAt: matchingMatches.matchedAt,
      clearedAt: matchingMatches.clearedAt,
      clearedReason: matchingMatches.clearedReason,
    })
    .from(matchingMatches)
    .innerJoin(organisations, eq(organisations.id, matchingMatches.orgId))
    .where(inArray(matchingMatches.advisoryId, matchingAdvisoryIds))
    .limit(MAX_MATCH_ROWS);
  return rows;
}

/** Operators' remediation decisions on the given matching advisories, with when they were taken. */
export async function remediationDecisions(db: DbOrTx, matchingAdvisoryIds: string[]): Promise<RemediationInput[]> {
  if (matchingAdvisoryIds.length === 0) return [];
  return db
    .select({
      advisoryId: remediationRecords.advisoryId,
      operatorId: remediationRecords.ownerOrgId,
      state: remediationRecords.state,
      since: sql<Date>`coalesce(${remediationRecords.closedAt}, ${remediationRecords.updatedAt})`.mapWith((v: string | Date) => new Date(v)),
    })
    .from(remediationRecords)
    .where(inArray(remediationRecords.advisoryId, matchingAdvisoryIds))
    .limit(MAX_MATCH_ROWS);
}
