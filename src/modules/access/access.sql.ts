import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { abilities, type ReadRule, type Subject } from './policy.ts';

export interface MarkedColumns {
  id: AnyPgColumn | SQL;
  ownerOrgId: AnyPgColumn;
  classification: AnyPgColumn;
  compartments: AnyPgColumn;
}

/**
 * The read rule of policy.canRead as a WHERE clause, so that lists, counts, searches and exports can
 * never show what a direct read would refuse. Rows the role cannot read are excluded too.
 */
/** Records whose marking the subject's clearance and compartments dominate (no ownership or grant test). */
export function clearedFor(subject: Pick<Subject, 'clearance' | 'compartments'>, cols: Pick<MarkedColumns, 'classification' | 'compartments'>): SQL {
  const compartments = sql`ARRAY[${sql.join(
    subject.compartments.map((c) => sql`${c}`),
    sql`, `,
  )}]::text[]`;
  return sql`${cols.classification} <= ${subject.clearance} and ${cols.compartments} <@ ${compartments}`;
}

export function readableBy(subject: Subject, cols: MarkedColumns, recordType: string, rule: ReadRule, now: Date): SQL {
  const held = abilities(subject);
  if (!held.has(rule.ability)) return sql`false`;
  const marking = clearedFor(subject, cols);
  if (rule.crossOrgAbility && held.has(rule.crossOrgAbility)) return sql`(${marking})`;
  const ts = now.toISOString();
  return sql`(${marking} and (${cols.ownerOrgId} = ${subject.orgId} or exists (
    select 1 from access_grants g
    where g.record_type = ${recordType} and g.record_id = ${cols.id}
      and g.revoked_at is null and g.starts_at <= ${ts}::timestamptz
      and (g.expires_at is null or g.expires_at > ${ts}::timestamptz)
      and (g.grantee_org_id = ${subject.orgId} or g.grantee_user_id = ${subject.userId}))))`;
}
