// The products already known to the clearinghouse, for operators with no SBOM tooling: they add a
// component by picking its package instead of typing a package-url. Only what is public is offered —
// packages named by TLP:CLEAR advisories still in force, and packages vendors registered — so the
// list reveals nothing of a restricted advisory.
import { and, asc, eq, ilike, ne, or, sql } from 'drizzle-orm';
import { coordinationVendorProducts, matchingAdvisories, matchingAdvisoryPackages } from '../../db/schema.ts';
import type { Db } from '../../db/client.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can, type Subject } from '../access/policy.ts';
import { buildPurl } from '../matching/purl.ts';

export interface KnownProduct {
  purl: string;
  /** Why it is known: an advisory names it, a vendor registered it, or both. */
  sources: ('advisory' | 'vendor')[];
  label: string | null;
}

export function createKnownProducts({ db }: { db: Db }) {
  async function search(actor: Actor, subject: Subject, q: string, limit: number): Promise<KnownProduct[]> {
    if (!can(subject, 'inventory:manage')) throw new ForbiddenError('The product list is for operators managing an inventory.');
    void actor;
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const fromAdvisories = await db
      .selectDistinct({ package: matchingAdvisoryPackages.package })
      .from(matchingAdvisoryPackages)
      .innerJoin(matchingAdvisories, eq(matchingAdvisories.id, matchingAdvisoryPackages.advisoryId))
      .where(and(eq(matchingAdvisories.tlp, 'CLEAR'), eq(matchingAdvisories.withdrawn, false), ilike(matchingAdvisoryPackages.package, pattern)))
      .orderBy(asc(matchingAdvisoryPackages.package))
      .limit(limit);
    const v = coordinationVendorProducts;
    const fromVendors = await db
      .select({ purlType: v.purlType, namespace: v.namespace, name: v.name, label: sql<string | null>`max(${v.label})` })
      .from(v)
      .where(and(ne(v.name, ''), or(ilike(v.name, pattern), ilike(v.namespace, pattern), ilike(v.label, pattern))))
      .groupBy(v.purlType, v.namespace, v.name)
      .orderBy(asc(v.name))
      .limit(limit);
    const byPurl = new Map<string, KnownProduct>();
    for (const r of fromAdvisories) byPurl.set(r.package, { purl: r.package, sources: ['advisory'], label: null });
    for (const r of fromVendors) {
      let purl: string;
      try {
        purl = buildPurl({ type: r.purlType, namespace: r.namespace || null, name: r.name });
      } catch {
        continue;
      }
      const known = byPurl.get(purl);
      if (known) {
        known.sources.push('vendor');
        known.label ??= r.label;
      } else byPurl.set(purl, { purl, sources: ['vendor'], label: r.label });
    }
    return [...byPurl.values()].sort((a, b) => a.purl.localeCompare(b.purl)).slice(0, limit);
  }

  return { search };
}
