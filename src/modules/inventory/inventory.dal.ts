import { and, asc, count, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { executeIn, type DbOrTx } from '../../db/client.ts';
import { inventoryAssets, inventoryComponents, inventorySboms } from '../../db/schema.ts';
import type { ComponentRowInput } from './inventory.types.ts';

/** Rows per INSERT: one statement for any SBOM up to this size, a few for the largest allowed. */
const INSERT_CHUNK = 10_000;

/** An asset's current components: its current SBOM's plus those added by hand. */
function currentOf(assets: typeof inventoryAssets) {
  return or(and(eq(inventoryComponents.source, 'manual'), isNull(inventoryComponents.sbomId)), eq(inventoryComponents.sbomId, assets.currentSbomId));
}

/**
 * One INSERT … SELECT per chunk, the rows passed as a single JSON parameter: a 5,000-component SBOM
 * is one statement with one bound value rather than 70,000 parameters. Ids are made here so they
 * come back in the order of `rows` without relying on RETURNING's order.
 */
export async function insertComponents(
  tx: DbOrTx,
  base: { assetId: string; ownerOrgId: string; sbomId: string | null; source: 'sbom' | 'manual'; createdBy: string },
  rows: ComponentRowInput[],
): Promise<string[]> {
  const ids = rows.map(() => randomUUID());
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK).map((r, k) => ({ id: ids[i + k], purl: r.purl, package: r.package, ecosystem: r.ecosystem, namespace: r.namespace, name: r.name, version: r.version, cpe: r.cpe }));
    await executeIn(
      tx,
      `insert into inventory_components (id, asset_id, owner_org_id, sbom_id, source, created_by, purl, package, ecosystem, namespace, name, version, cpe)
       select x.id, $2::uuid, $3::uuid, $4::uuid, $5, $6::uuid, x.purl, x.package, x.ecosystem, x.namespace, x.name, x.version, x.cpe
         from jsonb_to_recordset($1::jsonb) as x(id uuid, purl text, package text, ecosystem text, namespace text, name text, version text, cpe text)`,
      [JSON.stringify(chunk), base.assetId, base.ownerOrgId, base.sbomId, base.source, base.createdBy],
    );
  }
  return ids;
}

export async function componentCounts(db: DbOrTx, assetIds: string[]): Promise<Map<string, number>> {
  if (assetIds.length === 0) return new Map();
  const rows = await db
    .select({ assetId: inventoryAssets.id, n: count(inventoryComponents.id) })
    .from(inventoryAssets)
    .innerJoin(inventoryComponents, and(eq(inventoryComponents.assetId, inventoryAssets.id), currentOf(inventoryAssets)))
    .where(inArray(inventoryAssets.id, assetIds))
    .groupBy(inventoryAssets.id);
  return new Map(rows.map((r) => [r.assetId, Number(r.n)]));
}

const componentColumns = {
  id: inventoryComponents.id,
  source: inventoryComponents.source,
  purl: inventoryComponents.purl,
  package: inventoryComponents.package,
  ecosystem: inventoryComponents.ecosystem,
  namespace: inventoryComponents.namespace,
  name: inventoryComponents.name,
  version: inventoryComponents.version,
  cpe: inventoryComponents.cpe,
};

export async function currentComponentsPage(db: DbOrTx, assetId: string, limit: number, offset: number) {
  const where = and(eq(inventoryComponents.assetId, assetId), currentOf(inventoryAssets));
  const items = await db
    .select(componentColumns)
    .from(inventoryComponents)
    .innerJoin(inventoryAssets, eq(inventoryAssets.id, inventoryComponents.assetId))
    .where(where)
    .orderBy(asc(inventoryComponents.name), asc(inventoryComponents.version), asc(inventoryComponents.id))
    .limit(limit)
    .offset(offset);
  const [{ n }] = await db.select({ n: count() }).from(inventoryComponents).innerJoin(inventoryAssets, eq(inventoryAssets.id, inventoryComponents.assetId)).where(where);
  return { items, total: Number(n) };
}

export async function sbomComponents(db: DbOrTx, sbomId: string) {
  return db.select(componentColumns).from(inventoryComponents).where(eq(inventoryComponents.sbomId, sbomId)).orderBy(asc(inventoryComponents.name), asc(inventoryComponents.version), asc(inventoryComponents.id));
}

export async function sbomsOf(db: DbOrTx, assetId: string) {
  return db.select().from(inventorySboms).where(eq(inventorySboms.assetId, assetId)).orderBy(desc(inventorySboms.version));
}

// ---- for the matching service --------------------------------------------------------------------

export interface CurrentComponent {
  componentId: string;
  assetId: string;
  assetName: string;
  ownerOrgId: string;
  source: string;
  purl: string | null;
  package: string | null;
  ecosystem: string | null;
  namespace: string | null;
  name: string;
  version: string | null;
  cpe: string | null;
}

const currentColumns = {
  componentId: inventoryComponents.id,
  assetId: inventoryComponents.assetId,
  assetName: inventoryAssets.name,
  ownerOrgId: inventoryComponents.ownerOrgId,
  source: inventoryComponents.source,
  purl: inventoryComponents.purl,
  package: inventoryComponents.package,
  ecosystem: inventoryComponents.ecosystem,
  namespace: inventoryComponents.namespace,
  name: inventoryComponents.name,
  version: inventoryComponents.version,
  cpe: inventoryComponents.cpe,
};

/** Every current component of one organisation's assets (a new SBOM finds its advisories). No authorisation: callers decide. */
export async function currentComponentsOfOrg(db: DbOrTx, orgId: string): Promise<CurrentComponent[]> {
  return db
    .select(currentColumns)
    .from(inventoryComponents)
    .innerJoin(inventoryAssets, eq(inventoryAssets.id, inventoryComponents.assetId))
    .where(and(eq(inventoryComponents.ownerOrgId, orgId), currentOf(inventoryAssets)))
    .orderBy(asc(inventoryComponents.assetId), asc(inventoryComponents.id));
}

/**
 * Every current component, in every organisation, whose package identity (canonical purl without
 * version, qualifiers, subpath — `packageIdentity` of matching/purl.ts) is one of `identities`
 * (a new advisory finds its operators). Uses the package index. No authorisation: callers decide.
 */
export async function currentComponentsByPackage(db: DbOrTx, identities: readonly string[]): Promise<CurrentComponent[]> {
  const unique = [...new Set(identities)];
  if (unique.length === 0) return [];
  return db
    .select(currentColumns)
    .from(inventoryComponents)
    .innerJoin(inventoryAssets, eq(inventoryAssets.id, inventoryComponents.assetId))
    .where(and(inArray(inventoryComponents.package, unique), currentOf(inventoryAssets)))
    .orderBy(asc(inventoryComponents.ownerOrgId), asc(inventoryComponents.assetId), asc(inventoryComponents.id));
}

export async function nextSbomVersion(tx: DbOrTx, assetId: string): Promise<number> {
  const [r] = await tx.select({ v: sql<number>`coalesce(max(${inventorySboms.version}), 0)` }).from(inventorySboms).where(eq(inventorySboms.assetId, assetId));
  return Number(r?.v ?? 0) + 1;
}
