import { createHash } from 'node:crypto';

// The audit hash chain: each event's hash covers its content and the previous event's hash, so any
// edit, deletion or reordering breaks the chain at that point. Pure functions.

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  seq: number;
  id: string;
  at: string;
  actorUserId: string | null;
  actorEmail: string | null;
  actorOrgId: string | null;
  actorOrgName: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  outcome: string;
  ip: string | null;
  detail: Record<string, unknown>;
  classification: number;
  compartments: readonly string[];
  ownerOrgId: string | null;
}

/** JSON with sorted keys: the database's jsonb does not keep key order, the hash must not depend on it. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Hashes exactly the chained fields, whatever else the object carries (a stored row has its own hashes). */
export function hashEvent(prevHash: string, e: ChainedEvent): string {
  const body = canonicalJson({
    seq: e.seq,
    id: e.id,
    at: new Date(e.at).toISOString(),
    actorUserId: e.actorUserId,
    actorEmail: e.actorEmail,
    actorOrgId: e.actorOrgId,
    actorOrgName: e.actorOrgName,
    action: e.action,
    recordType: e.recordType,
    recordId: e.recordId,
    outcome: e.outcome,
    ip: e.ip,
    detail: e.detail,
    classification: e.classification,
    compartments: [...e.compartments].sort(),
    ownerOrgId: e.ownerOrgId,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export interface StoredEvent extends ChainedEvent {
  prevHash: string;
  hash: string;
}

export type ChainBreak = { seq: number; reason: string };

/**
 * Checks one batch of consecutive events; call repeatedly with the carry from the previous batch.
 * Returns the first broken link, or the carry for the next batch.
 */
export function verifyBatch(events: readonly StoredEvent[], carry: { seq: number; hash: string }): { broken: ChainBreak } | { carry: { seq: number; hash: string } } {
  let { seq, hash } = carry;
  for (const e of events) {
    if (e.seq !== seq + 1) return { broken: { seq: seq + 1, reason: `event ${seq + 1} is missing (next is ${e.seq})` } };
    if (e.prevHash !== hash) return { broken: { seq: e.seq, reason: 'previous-hash link does not match the event before it' } };
    if (hashEvent(e.prevHash, e) !== e.hash) return { broken: { seq: e.seq, reason: 'content does not match its hash (edited)' } };
    seq = e.seq;
    hash = e.hash;
  }
  return { carry: { seq, hash } };
}
