import { and, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { agencyConsultations, auditEvents, models, organisations, policySettings, users } from '../../db/schema.ts';
import { DEFAULT_COMPUTE_TRIGGER_FLOP } from './criteria.ts';

export const PARTY_AGENCIES = ['NSA', 'ONCD', 'CISA'] as const;
export const CONSULTED_AGENCIES = ['ONCD', 'CISA'] as const;

export interface AgencyOrg {
  id: string;
  name: string;
  agencyCode: string | null;
}

/** The organisations of the agencies taking part in determinations, by agency code. */
export async function partyOrgs(db: DbOrTx): Promise<Map<string, AgencyOrg>> {
  const rows = await db
    .select({ id: organisations.id, name: organisations.name, agencyCode: organisations.agencyCode })
    .from(organisations)
    .where(and(eq(organisations.kind, 'agency'), inArray(organisations.agencyCode, [...PARTY_AGENCIES])));
  return new Map(rows.map((r) => [r.agencyCode!, r]));
}

export async function orgsById(db: DbOrTx, ids: string[]): Promise<Map<string, AgencyOrg>> {
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: organisations.id, name: organisations.name, agencyCode: organisations.agencyCode }).from(organisations).where(inArray(organisations.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function emailsOf(db: DbOrTx, ids: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r.email]));
}

export async function positionsOf(db: DbOrTx, subjectType: 'threshold_version' | 'determination', subjectIds: string[]) {
  if (subjectIds.length === 0) return [];
  return db
    .select()
    .from(agencyConsultations)
    .where(and(eq(agencyConsultations.subjectType, subjectType), inArray(agencyConsultations.subjectId, subjectIds)))
    .orderBy(agencyConsultations.createdAt);
}

/** The compute trigger of the latest policy version (10^26 FLOP when no policy row exists). */
export async function computeTriggerFlop(db: DbOrTx): Promise<number> {
  const [p] = await db.select({ flop: policySettings.computeTriggerFlop }).from(policySettings).orderBy(desc(policySettings.version)).limit(1);
  return p?.flop ?? DEFAULT_COMPUTE_TRIGGER_FLOP;
}

export async function findModel(db: DbOrTx, id: string) {
  const [m] = await db.select().from(models).where(eq(models.id, id));
  return m ?? null;
}

export async function modelNames(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, { name: string; version: string }>();
  const rows = await db.select({ id: models.id, name: models.name, version: models.version }).from(models).where(inArray(models.id, ids));
  return new Map(rows.map((r) => [r.id, { name: r.name, version: r.version }]));
}

/** Who withdrew a threshold version, and when: the audit trail is the record of it. */
export async function withdrawalsOf(db: DbOrTx, ids: string[]): Promise<Map<string, { by: string | null; at: Date }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ recordId: auditEvents.recordId, by: auditEvents.actorEmail, at: auditEvents.at })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'threshold_version.withdraw'), inArray(auditEvents.recordId, ids)));
  return new Map(rows.map((r) => [r.recordId!, { by: r.by, at: new Date(r.at) }]));
}
