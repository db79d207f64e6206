// Lists around intake and validation that the pages need: a reporter's own reports, and the people a
// clearinghouse analyst may assign as validators (agencies and trusted partners, cleared for CUI).
import { and, desc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { clearinghouseReportLinks, clearinghouseReports, organisations, users } from '../../db/schema.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { CUI } from '../access/marking.ts';
import { can, type Subject } from '../access/policy.ts';
import type { IntakeSource } from './intake/candidate.ts';

const VALIDATOR_ORG_KINDS = ['agency', 'trusted_partner'];

export function createClearinghouseDirectory({ db }: { db: Db }) {
  /** The signed-in reporter's own reports, newest first (nobody else's, whatever the role). */
  async function myReports(actor: Actor, subject: Subject, limit: number) {
    if (!can(subject, 'clearinghouse:report')) throw new ForbiddenError('Reports are listed for reporters.');
    void actor;
    const rows = await db
      .select({
        r: clearinghouseReports,
        merged: sql<number>`(select count(*)::int from ${clearinghouseReportLinks} l where l.report_id = ${clearinghouseReports.id} and l.merged)`,
      })
      .from(clearinghouseReports)
      .where(eq(clearinghouseReports.submitterUserId, subject.userId))
      .orderBy(desc(clearinghouseReports.receivedAt))
      .limit(limit);
    return rows.map(({ r, merged }) => ({
      id: r.id,
      format: r.format as IntakeSource,
      receivedAt: r.receivedAt.toISOString(),
      candidates: r.candidateCount,
      merged: Number(merged),
    }));
  }

  /** Who can be assigned: active users of agencies and trusted partners cleared at least for CUI. */
  async function validators(actor: Actor, subject: Subject) {
    if (!can(subject, 'clearinghouse:validate')) throw new ForbiddenError('The validator list is for clearinghouse analysts.');
    void actor;
    const rows = await db
      .select({ userId: users.id, name: users.name, orgName: organisations.name, clearance: users.clearance })
      .from(users)
      .innerJoin(organisations, eq(organisations.id, users.orgId))
      .where(and(inArray(organisations.kind, VALIDATOR_ORG_KINDS), eq(users.disabled, false), gte(users.clearance, CUI)))
      .orderBy(organisations.name, users.name)
      .limit(1000);
    return rows.map((r) => ({ userId: r.userId, name: r.name, orgName: r.orgName }));
  }

  return { myReports, validators };
}

export type ClearinghouseDirectory = ReturnType<typeof createClearinghouseDirectory>;
