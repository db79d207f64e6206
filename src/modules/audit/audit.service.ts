import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor } from '../access/actor.ts';
import { formatMarking, nameOf, PUBLIC_MARKING, UNCLASSIFIED } from '../access/marking.ts';
import { abilities, type Subject } from '../access/policy.ts';
import { readableBy } from '../access/access.sql.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import { verifyBatch, type ChainBreak, type StoredEvent } from './audit.chain.ts';
import { appendEvent, auditMarkedColumns, readBatch, readHead, searchEvents } from './audit.dal.ts';
import type { AuditEventView, AuditFilters, AuditInput } from './audit.types.ts';

export const AUDIT_READ_RULE = { ability: 'audit:read', crossOrgAbility: 'audit:read_all' } as const;

export function toView(e: StoredEvent): AuditEventView {
  return {
    id: e.id,
    seq: e.seq,
    at: e.at,
    actorEmail: e.actorEmail,
    actorOrgName: e.actorOrgName,
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    outcome: e.outcome,
    ip: e.ip,
    detail: e.detail,
    marking: { classification: nameOf(e.classification), compartments: [...e.compartments] },
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  firstBroken: ChainBreak | null;
}

export function createAuditService({ db, clock }: { db: Db; clock: () => Date }) {
  /** Writes an event inside the caller's transaction: the change and its record commit together. */
  async function record(tx: DbOrTx, input: AuditInput): Promise<void> {
    const s = input.actor.subject;
    const marking = input.marking ?? PUBLIC_MARKING;
    await appendEvent(tx, {
      id: crypto.randomUUID(),
      at: clock().toISOString(),
      actorUserId: s?.userId ?? null,
      actorEmail: input.actor.email,
      actorOrgId: s?.orgId ?? null,
      actorOrgName: input.actor.orgName,
      action: input.action,
      recordType: input.recordType ?? null,
      recordId: input.recordId ?? null,
      outcome: input.outcome ?? 'success',
      ip: input.actor.ip,
      detail: { ...(input.detail ?? {}), via: input.actor.via },
      classification: marking.classification,
      compartments: [...marking.compartments].sort(),
      ownerOrgId: input.ownerOrgId === undefined ? (s?.orgId ?? null) : input.ownerOrgId,
    });
  }

  /**
   * Every read of a record marked above UNCLASSIFIED is itself recorded, with the record's marking,
   * in the reader's transaction.
   */
  async function recordRead(tx: DbOrTx, actor: Actor, rec: { recordType: string; recordId: string; classification: number; compartments: readonly string[] }, detail?: AuditInput['detail'], ownerOrgId?: string | null): Promise<void> {
    if (rec.classification <= UNCLASSIFIED) return;
    await record(tx, { actor, action: `${rec.recordType}.read`, recordType: rec.recordType, recordId: rec.recordId, marking: { classification: rec.classification, compartments: rec.compartments }, detail, ...(ownerOrgId !== undefined ? { ownerOrgId } : {}) });
  }

  /** For events that must survive the failure of the request that caused them (denials, failed sign-ins). */
  async function recordAlone(input: AuditInput): Promise<void> {
    await db.transaction((tx) => record(tx, input));
  }

  async function search(actor: Actor, subject: Subject, filters: AuditFilters, cursor: number | null, limit: number) {
    if (!abilities(subject).has('audit:read')) throw new ForbiddenError('Reading the audit trail needs an administrator or auditor role.');
    const visible = readableBy(subject, auditMarkedColumns, 'audit_event', AUDIT_READ_RULE, clock());
    const rows = await searchEvents(db, visible, filters, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const top = page.reduce((m, e) => Math.max(m, e.classification), UNCLASSIFIED);
    // Reading classified events is itself an access to classified data, and is recorded as such.
    if (top > UNCLASSIFIED) {
      await recordAlone({
        actor,
        action: 'audit.search',
        outcome: 'success',
        detail: { returned: page.length, highest: formatMarking({ classification: top, compartments: [] }) },
        marking: { classification: top, compartments: [] },
      });
    }
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].seq : null };
  }

  async function verify(subject: Subject | null): Promise<VerifyResult> {
    if (subject && !abilities(subject).has('audit:verify')) throw new ForbiddenError('Verifying the chain needs an auditor role.');
    let carry = { seq: 0, hash: '0'.repeat(64) };
    for (;;) {
      const batch = await readBatch(db, carry.seq, 2000);
      const r = verifyBatch(batch, carry);
      if ('broken' in r) return { ok: false, checked: r.broken.seq - 1, headSeq: (await readHead(db)).seq, firstBroken: r.broken };
      carry = r.carry;
      if (batch.length < 2000) break;
    }
    const head = await readHead(db);
    if (head.seq !== carry.seq || head.hash !== carry.hash) {
      const reason = head.seq > carry.seq ? `events ${carry.seq + 1}–${head.seq} were deleted` : 'the chain head does not match the last event';
      return { ok: false, checked: carry.seq, headSeq: head.seq, firstBroken: { seq: carry.seq + 1, reason } };
    }
    return { ok: true, checked: carry.seq, headSeq: head.seq, firstBroken: null };
  }

  return { record, recordRead, recordAlone, search, verify };
}

export type AuditService = ReturnType<typeof createAuditService>;
