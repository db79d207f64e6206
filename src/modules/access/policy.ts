import { dominates, type Marking } from './marking.ts';
import { abilitiesOf, type Ability, type OrgKind } from './roles.ts';

// The one policy: every read and write in Forewarn is decided here, with no I/O, so it can be tested
// exhaustively; access.sql.ts states the same read rule in SQL for lists.

export interface Subject {
  userId: string;
  orgId: string;
  orgKind: OrgKind;
  /** NSA, CISA, … for agency users: the executive order gives agencies distinct parts. */
  agencyCode?: string | null;
  roles: readonly string[];
  /** Effective clearance: capped at CONFIDENTIAL for SECRET-cleared users signed in without TOTP. */
  clearance: number;
  compartments: readonly string[];
}

export interface Grant {
  granteeOrgId: string | null;
  granteeUserId: string | null;
  startsAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface ProtectedRecord extends Marking {
  ownerOrgId: string | null;
  grants?: readonly Grant[];
}

export type Decision = { allow: true } | { allow: false; reason: 'not-found' | 'forbidden' };

const ALLOW: Decision = { allow: true };
const NOT_FOUND: Decision = { allow: false, reason: 'not-found' };
const FORBIDDEN: Decision = { allow: false, reason: 'forbidden' };

export function abilities(subject: Subject): Set<Ability> {
  return abilitiesOf(subject.roles, subject.orgKind);
}

export function can(subject: Subject, ability: Ability): boolean {
  return abilities(subject).has(ability);
}

export function grantActive(g: Grant, subject: Pick<Subject, 'userId' | 'orgId'>, now: Date): boolean {
  if (g.revokedAt) return false;
  if (g.startsAt.getTime() > now.getTime()) return false;
  if (g.expiresAt && g.expiresAt.getTime() <= now.getTime()) return false;
  return g.granteeOrgId === subject.orgId || g.granteeUserId === subject.userId;
}

export interface ReadRule {
  /** The ability the subject's role must give to read this kind of record. */
  ability: Ability;
  /** An ability that reaches every organisation's records of this kind (oversight), if any. */
  crossOrgAbility?: Ability;
}

/**
 * Need to know: the record must be in the subject's reach (own organisation, an active grant, or an
 * oversight ability) and under its clearance, or it does not exist for the subject (404). Only a
 * subject who may know the record exists is told that its role is the obstacle (403).
 */
export function canRead(subject: Subject, record: ProtectedRecord, rule: ReadRule, now: Date): Decision {
  const held = abilities(subject);
  const inReach =
    (record.ownerOrgId !== null && record.ownerOrgId === subject.orgId) ||
    (record.grants ?? []).some((g) => grantActive(g, subject, now)) ||
    (rule.crossOrgAbility !== undefined && held.has(rule.crossOrgAbility));
  if (!inReach) return NOT_FOUND;
  if (!dominates({ classification: subject.clearance, compartments: subject.compartments }, record)) return NOT_FOUND;
  if (!held.has(rule.ability)) return FORBIDDEN;
  return ALLOW;
}

/** Writes need the ability and, for records, that the subject could read the record. */
export function canWrite(subject: Subject, record: ProtectedRecord, rule: ReadRule, writeAbility: Ability, now: Date): Decision {
  const read = canRead(subject, record, rule, now);
  if (!read.allow) return read;
  return abilities(subject).has(writeAbility) ? ALLOW : FORBIDDEN;
}
