import { and, asc, desc, eq, gt, gte, ilike, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { auditEvents, auditHead } from '../../db/schema.ts';
import { GENESIS_HASH, hashEvent, type ChainedEvent, type StoredEvent } from './audit.chain.ts';
import type { AuditFilters } from './audit.types.ts';

/**
 * Appends one event. The head row is locked for the rest of the caller's transaction, which orders
 * concurrent writers; callers therefore append last, just before commit, to hold the lock briefly.
 */
export async function appendEvent(tx: DbOrTx, event: Omit<ChainedEvent, 'seq'>): Promise<StoredEvent> {
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  // int8 comes back as a string from some drivers; arithmetic on it must not concatenate.
  const prev = head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
  const full: ChainedEvent = { ...event, seq: prev.seq + 1 };
  const hash = hashEvent(prev.hash, full);
  const insert = tx.insert(auditEvents).values({
    ...full,
    at: new Date(full.at),
    compartments: [...full.compartments],
    prevHash: prev.hash,
    hash,
  });
  // One statement for the event and the head: every audited write pays one round trip less while
  // the head's row lock is held.
  if (head) await tx.execute(sql`with appended as (${insert.getSQL()} returning 1) ${tx.update(auditHead).set({ seq: full.seq, hash }).where(eq(auditHead.id, 1)).getSQL()}`);
  else {
    await insert;
    await tx.insert(auditHead).values({ id: 1, seq: full.seq, hash });
  }
  return { ...full, prevHash: prev.hash, hash };
}

export function rowToStored(r: typeof auditEvents.$inferSelect): StoredEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: r.at.toISOString(),
    actorUserId: r.actorUserId,
    actorEmail: r.actorEmail,
    actorOrgId: r.actorOrgId,
    actorOrgName: r.actorOrgName,
    action: r.action,
    recordType: r.recordType,
    recordId: r.recordId,
    outcome: r.outcome,
    ip: r.ip,
    detail: r.detail,
    classification: r.classification,
    compartments: r.compartments,
    ownerOrgId: r.ownerOrgId,
    prevHash: r.prevHash,
    hash: r.hash,
  };
}

export async function readBatch(db: DbOrTx, afterSeq: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db.select().from(auditEvents).where(gt(auditEvents.seq, afterSeq)).orderBy(asc(auditEvents.seq)).limit(limit);
  return rows.map(rowToStored);
}

export async function readHead(db: DbOrTx): Promise<{ seq: number; hash: string }> {
  const [head] = await db.select().from(auditHead).where(eq(auditHead.id, 1));
  return head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function filterConditions(f: AuditFilters): SQL[] {
  const c: SQL[] = [];
  if (f.actor) c.push(ilike(auditEvents.actorEmail, `%${escapeLike(f.actor)}%`));
  if (f.action) c.push(ilike(auditEvents.action, `${escapeLike(f.action)}%`));
  if (f.recordType) c.push(eq(auditEvents.recordType, f.recordType));
  if (f.recordId) c.push(eq(auditEvents.recordId, f.recordId));
  if (f.outcome) c.push(eq(auditEvents.outcome, f.outcome));
  if (f.from) c.push(gte(auditEvents.at, f.from));
  if (f.to) c.push(lte(auditEvents.at, f.to));
  return c;
}

export async function searchEvents(db: DbOrTx, visible: SQL, f: AuditFilters, beforeSeq: number | null, limit: number) {
  const conds = [visible, ...filterConditions(f)];
  if (beforeSeq !== null) conds.push(lt(auditEvents.seq, beforeSeq));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...conds))
    .orderBy(desc(auditEvents.seq))
    .limit(limit);
  return rows.map(rowToStored);
}

export const auditMarkedColumns = {
  id: sql`${auditEvents.id}`,
  ownerOrgId: auditEvents.ownerOrgId,
  classification: auditEvents.classification,
  compartments: auditEvents.compartments,
};
