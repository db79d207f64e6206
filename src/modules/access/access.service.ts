import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants } from '../../db/schema.ts';
import { ForbiddenError, NotFoundError } from '../../lib/errors.ts';
import type { Decision, Grant } from './policy.ts';

/** Turns a policy decision into the answer the caller gets: 404 when out of reach, 403 otherwise. */
export function enforce(decision: Decision, what: string): void {
  if (decision.allow) return;
  if (decision.reason === 'not-found') throw new NotFoundError(what, true);
  throw new ForbiddenError();
}

export type GrantRow = typeof accessGrants.$inferSelect;

export async function grantsOf(db: DbOrTx, recordType: string, recordIds: string[]): Promise<Map<string, Grant[]>> {
  const out = new Map<string, Grant[]>();
  if (recordIds.length === 0) return out;
  const rows = await db
    .select()
    .from(accessGrants)
    .where(and(eq(accessGrants.recordType, recordType), inArray(accessGrants.recordId, recordIds)));
  for (const r of rows) {
    const list = out.get(r.recordId) ?? [];
    list.push(r);
    out.set(r.recordId, list);
  }
  return out;
}

export interface NewGrant {
  recordType: string;
  recordId: string;
  granteeOrgId?: string | null;
  granteeUserId?: string | null;
  grantedBy: string | null;
  reason?: string;
  startsAt?: Date;
  expiresAt?: Date | null;
  sourceType?: string;
  sourceId?: string;
}

export async function addGrant(tx: DbOrTx, g: NewGrant): Promise<GrantRow> {
  const [row] = await tx
    .insert(accessGrants)
    .values({
      recordType: g.recordType,
      recordId: g.recordId,
      granteeOrgId: g.granteeOrgId ?? null,
      granteeUserId: g.granteeUserId ?? null,
      grantedBy: g.grantedBy,
      reason: g.reason ?? null,
      ...(g.startsAt ? { startsAt: g.startsAt } : {}),
      expiresAt: g.expiresAt ?? null,
      sourceType: g.sourceType ?? null,
      sourceId: g.sourceId ?? null,
    })
    .returning();
  return row;
}

/** Revokes every live grant a source created (for example all of a review window's grants). */
export async function revokeGrantsFrom(tx: DbOrTx, sourceType: string, sourceId: string, at: Date): Promise<GrantRow[]> {
  return tx
    .update(accessGrants)
    .set({ revokedAt: at })
    .where(and(eq(accessGrants.sourceType, sourceType), eq(accessGrants.sourceId, sourceId), isNull(accessGrants.revokedAt)))
    .returning();
}
