// Queries of the matching service. Reads inventory tables (read-only) for current components.
import { and, asc, desc, eq, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { executeIn, type DbOrTx } from '../../db/client.ts';
import { inventoryAssets, inventoryComponents, matchingAdvisories, matchingAdvisoryPackages, matchingMatches, organisations } from '../../db/schema.ts';
import type { MatchableAdvisory } from './matching.types.ts';

export type AdvisoryRow = typeof matchingAdvisories.$inferSelect;
export type MatchRow = typeof matchingMatches.$inferSelect;

const CHUNK = 1000;
const INSERT_CHUNK = 10_000;

/**
 * Stores an advisory (insert, or replace the row of the same source and external id). With
 * `onlyIfNewer`, an existing row is replaced only by a later `modified` (OSV re-imports are no-ops).
 * Returns the id, or null when nothing changed.
 */
export async function storeAdvisory(
  tx: DbOrTx,
  a: MatchableAdvisory,
  extra: { aliases?: string[]; modifiedAt?: Date | null; onlyIfNewer?: boolean; now: Date },
): Promise<string | null> {
  const values = {
    source: a.source,
    externalId: a.externalId,
    clearinghouseAdvisoryId: a.clearinghouseAdvisoryId,
    title: a.title,
    tlp: a.tlp,
    severity: a.severity,
    affected: a.affected,
    aliases: extra.aliases ?? [],
    withdrawn: a.withdrawn,
    publishedAt: a.publishedAt,
    modifiedAt: extra.modifiedAt ?? null,
    updatedAt: extra.now,
  };
  const { source: _s, externalId: _e, ...set } = values;
  const [row] = await tx
    .insert(matchingAdvisories)
    .values(values)
    .onConflictDoUpdate({
      target: [matchingAdvisories.source, matchingAdvisories.externalId],
      set,
      ...(extra.onlyIfNewer ? { setWhere: sql`${matchingAdvisories.modifiedAt} is null or ${matchingAdvisories.modifiedAt} < excluded.modified_at` } : {}),
    })
    .returning({ id: matchingAdvisories.id });
  return row?.id ?? null;
}

export async function replacePackages(tx: DbOrTx, advisoryId: string, packages: string[]): Promise<void> {
  await tx.delete(matchingAdvisoryPackages).where(eq(matchingAdvisoryPackages.advisoryId, advisoryId));
  const unique = [...new Set(packages)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    await tx
      .insert(matchingAdvisoryPackages)
      .values(unique.slice(i, i + CHUNK).map((p) => ({ package: p, advisoryId })))
      .onConflictDoNothing();
  }
}

export async function advisoriesByIds(db: DbOrTx, ids: string[]): Promise<AdvisoryRow[]> {
  if (ids.length === 0) return [];
  return db.select().from(matchingAdvisories).where(inArray(matchingAdvisories.id, ids));
}

/**
 * Advisories that may match through this service (not withdrawn, not TLP:RED) naming any of the
 * packages: one query, the package list passed as one JSON parameter (an SBOM has thousands).
 */
export async function matchableAdvisoriesFor(db: DbOrTx, packages: string[]): Promise<AdvisoryRow[]> {
  const unique = [...new Set(packages)];
  if (unique.length === 0) return [];
  const named = db
    .selectDistinct({ id: matchingAdvisoryPackages.advisoryId })
    .from(matchingAdvisoryPackages)
    .where(sql`${matchingAdvisoryPackages.package} in (select jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb))`);
  return db
    .select()
    .from(matchingAdvisories)
    .where(and(inArray(matchingAdvisories.id, named), eq(matchingAdvisories.withdrawn, false), ne(matchingAdvisories.tlp, 'RED')));
}

export interface CurrentComponentRow {
  componentId: string;
  assetId: string;
  ownerOrgId: string;
  purl: string | null;
  package: string | null;
  version: string | null;
}

/** An asset's current components that have a package identity (only those can match advisories). */
export async function currentPackagesOfAsset(db: DbOrTx, assetId: string): Promise<CurrentComponentRow[]> {
  return db
    .select({
      componentId: inventoryComponents.id,
      assetId: inventoryComponents.assetId,
      ownerOrgId: inventoryComponents.ownerOrgId,
      purl: inventoryComponents.purl,
      package: inventoryComponents.package,
      version: inventoryComponents.version,
    })
    .from(inventoryComponents)
    .innerJoin(inventoryAssets, eq(inventoryAssets.id, inventoryComponents.assetId))
    .where(
      and(
        eq(inventoryComponents.assetId, assetId),
        sql`${inventoryComponents.package} is not null`,
        or(and(eq(inventoryComponents.source, 'manual'), isNull(inventoryComponents.sbomId)), eq(inventoryComponents.sbomId, inventoryAssets.currentSbomId)),
      ),
    );
}

export async function openMatchesOfAdvisory(db: DbOrTx, advisoryId: string) {
  return db
    .select({ id: matchingMatches.id, componentId: matchingMatches.componentId, advisoryId: matchingMatches.advisoryId, verdict: matchingMatches.verdict, fixedIn: matchingMatches.fixedIn })
    .from(matchingMatches)
    .where(and(eq(matchingMatches.advisoryId, advisoryId), isNull(matchingMatches.clearedAt)));
}

export async function openMatchesOfAsset(db: DbOrTx, assetId: string) {
  return db
    .select({ id: matchingMatches.id, componentId: matchingMatches.componentId, advisoryId: matchingMatches.advisoryId, verdict: matchingMatches.verdict, fixedIn: matchingMatches.fixedIn })
    .from(matchingMatches)
    .where(and(eq(matchingMatches.assetId, assetId), isNull(matchingMatches.clearedAt)));
}

export type NewMatch = Pick<MatchRow, 'advisoryId' | 'orgId' | 'assetId' | 'componentId' | 'package' | 'version' | 'verdict' | 'fixedIn'>;

/** What a match event needs of a recorded match. */
export type RecordedMatch = Pick<MatchRow, 'id' | 'advisoryId' | 'orgId' | 'assetId' | 'componentId' | 'package' | 'version'>;

/**
 * Inserts matches not already open (a concurrent run may have recorded one); returns those
 * inserted. One INSERT … SELECT per chunk, the rows as a single JSON parameter.
 */
export async function insertMatches(tx: DbOrTx, rows: NewMatch[], now: Date): Promise<RecordedMatch[]> {
  const out: RecordedMatch[] = [];
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const { rows: inserted } = await executeIn(
      tx,
      `insert into matching_matches (advisory_id, org_id, asset_id, component_id, package, version, verdict, fixed_in, matched_at)
       select x."advisoryId", x."orgId", x."assetId", x."componentId", x.package, x.version, x.verdict, x."fixedIn", $2::timestamptz
         from jsonb_to_recordset($1::jsonb) as x("advisoryId" uuid, "orgId" uuid, "assetId" uuid, "componentId" uuid, package text, version text, verdict text, "fixedIn" text)
       on conflict (advisory_id, component_id) where cleared_at is null do nothing
       returning id, advisory_id as "advisoryId", org_id as "orgId", asset_id as "assetId", component_id as "componentId", package, version`,
      [JSON.stringify(rows.slice(i, i + INSERT_CHUNK)), now.toISOString()],
    );
    out.push(...(inserted as RecordedMatch[]));
  }
  return out;
}

/** Clears open matches (kept as history); returns those this call cleared. */
export async function clearMatches(tx: DbOrTx, ids: string[], reason: string, now: Date): Promise<MatchRow[]> {
  const out: MatchRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const cleared = await tx
      .update(matchingMatches)
      .set({ clearedAt: now, clearedReason: reason })
      .where(and(inArray(matchingMatches.id, ids.slice(i, i + CHUNK)), isNull(matchingMatches.clearedAt)))
      .returning();
    out.push(...cleared);
  }
  return out;
}

/** A revised advisory can move a fixed version or turn an unknown into a verdict; the match stays open. */
export async function updateMatchVerdict(tx: DbOrTx, id: string, verdict: string, fixedIn: string | null): Promise<void> {
  await tx.update(matchingMatches).set({ verdict, fixedIn }).where(eq(matchingMatches.id, id));
}

// ---- views -------------------------------------------------------------------------------------

export interface MatchFilter {
  state: 'open' | 'cleared' | 'all';
  advisoryId?: string;
  assetId?: string;
  limit: number;
  offset: number;
}

/** One organisation's matches, only of advisories that reach it through matching (never TLP:RED). */
export async function matchesOfOrg(db: DbOrTx, orgId: string, f: MatchFilter) {
  const where = and(
    eq(matchingMatches.orgId, orgId),
    ne(matchingAdvisories.tlp, 'RED'),
    f.state === 'open' ? isNull(matchingMatches.clearedAt) : f.state === 'cleared' ? sql`${matchingMatches.clearedAt} is not null` : undefined,
    f.advisoryId ? eq(matchingMatches.advisoryId, f.advisoryId) : undefined,
    f.assetId ? eq(matchingMatches.assetId, f.assetId) : undefined,
  );
  const items = await db
    .select({ m: matchingMatches, a: matchingAdvisories, assetName: inventoryAssets.name })
    .from(matchingMatches)
    .innerJoin(matchingAdvisories, eq(matchingAdvisories.id, matchingMatches.advisoryId))
    .innerJoin(inventoryAssets, eq(inventoryAssets.id, matchingMatches.assetId))
    .where(where)
    .orderBy(desc(matchingMatches.matchedAt), asc(matchingMatches.id))
    .limit(f.limit)
    .offset(f.offset);
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(matchingMatches)
    .innerJoin(matchingAdvisories, eq(matchingAdvisories.id, matchingMatches.advisoryId))
    .where(where);
  return { items, total: Number(n) };
}

/** Who an advisory currently affects, per organisation (for coordinators). */
export async function affectedByAdvisory(db: DbOrTx, advisoryId: string) {
  const rows = await db
    .select({
      orgId: matchingMatches.orgId,
      orgName: organisations.name,
      sector: organisations.sector,
      assets: sql<number>`count(distinct ${matchingMatches.assetId})::int`,
      components: sql<number>`count(*)::int`,
      unknown: sql<number>`count(*) filter (where ${matchingMatches.verdict} = 'unknown')::int`,
      firstMatchedAt: sql<Date>`min(${matchingMatches.matchedAt})`,
    })
    .from(matchingMatches)
    .innerJoin(organisations, eq(organisations.id, matchingMatches.orgId))
    .where(and(eq(matchingMatches.advisoryId, advisoryId), isNull(matchingMatches.clearedAt)))
    .groupBy(matchingMatches.orgId, organisations.name, organisations.sector)
    .orderBy(asc(organisations.name))
    .limit(20_000);
  const [{ cleared }] = await db
    .select({ cleared: sql<number>`count(*)::int` })
    .from(matchingMatches)
    .where(and(eq(matchingMatches.advisoryId, advisoryId), sql`${matchingMatches.clearedAt} is not null`));
  return { rows, cleared: Number(cleared) };
}

const like = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export async function listAdvisories(db: DbOrTx, f: { source?: 'clearinghouse' | 'osv'; q?: string; limit: number; offset: number }) {
  const where = and(
    f.source ? eq(matchingAdvisories.source, f.source) : undefined,
    f.q ? or(sql`${matchingAdvisories.externalId} ilike ${like(f.q)}`, sql`${matchingAdvisories.title} ilike ${like(f.q)}`) : undefined,
  );
  const items = await db
    .select({
      a: matchingAdvisories,
      packages: sql<number>`(select count(*)::int from matching_advisory_packages p where p.advisory_id = matching_advisories.id)`,
      openMatches: sql<number>`(select count(*)::int from matching_matches m where m.advisory_id = matching_advisories.id and m.cleared_at is null)`,
    })
    .from(matchingAdvisories)
    .where(where)
    .orderBy(desc(matchingAdvisories.publishedAt), asc(matchingAdvisories.id))
    .limit(f.limit)
    .offset(f.offset);
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(matchingAdvisories).where(where);
  return { items, total: Number(n) };
}
