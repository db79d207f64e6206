import type { Marking } from '../access/marking.ts';
import type { Actor } from '../access/actor.ts';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditInput {
  actor: Actor;
  action: string;
  recordType?: string;
  recordId?: string;
  outcome?: AuditOutcome;
  /** Unclassified facts only: names of fields changed, counts, reasons. Never record content. */
  detail?: Record<string, string | number | boolean | null | string[]>;
  marking?: Marking;
  ownerOrgId?: string | null;
}

export interface AuditFilters {
  actor?: string;
  action?: string;
  recordType?: string;
  recordId?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
}

export interface AuditEventView {
  id: string;
  seq: number;
  at: string;
  actorEmail: string | null;
  actorOrgName: string | null;
  action: string;
  recordType: string | null;
  recordId: string | null;
  outcome: string;
  ip: string | null;
  detail: Record<string, unknown>;
  marking: { classification: string; compartments: string[] };
}
