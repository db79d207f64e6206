// The products already known to the clearinghouse, for operators with no SBOM tooling: they add a
// component by picking its package instead of typing a package-url. Only packages named by TLP:CLEAR
// advisories still in force are offered: the list must reveal nothing of a restricted advisory, and
// vendors' own product registrations (which may name unreleased products) stay with the coordinators.
import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { matchingAdvisories, matchingAdvisoryPackages } from '../../db/schema.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can, type Subject } from '../access/policy.ts';

export interface KnownProduct {
  purl: string;
  /** How many public advisories name it. */
  advisories: number;
}

export function createKnownProducts({ db }: { db: Db }) {
  async function search(actor: Actor, subject: Subject, q: string, limit: number): Promise<KnownProduct[]> {
    if (!can(subject, 'inventory:manage')) throw new ForbiddenError('The product list is for operators managing an inventory.');
    void actor;
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await db
      .select({ purl: matchingAdvisoryPackages.package, advisories: sql<number>`count(*)::int` })
      .from(matchingAdvisoryPackages)
      .innerJoin(matchingAdvisories, eq(matchingAdvisories.id, matchingAdvisoryPackages.advisoryId))
      .where(and(eq(matchingAdvisories.tlp, 'CLEAR'), eq(matchingAdvisories.withdrawn, false), ilike(matchingAdvisoryPackages.package, pattern)))
      .groupBy(matchingAdvisoryPackages.package)
      .orderBy(asc(matchingAdvisoryPackages.package))
      .limit(limit);
    return rows.map((r) => ({ purl: r.purl, advisories: Number(r.advisories) }));
  }

  return { search };
}
