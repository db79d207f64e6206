import { CONFIDENTIAL, nameOf, SECRET } from '../access/marking.ts';
import { abilities, type Subject } from '../access/policy.ts';
import type { OrgKind } from '../access/roles.ts';
import type { MeView } from './identity.types.ts';
import type { OrgRow, UserRow } from './identity.dal.ts';

/**
 * SECRET and above need a second factor: without TOTP at sign-in the session works at CONFIDENTIAL
 * with no compartments, so a stolen password alone never reaches classified records.
 */
export function subjectFor(user: UserRow, org: OrgRow, mfa: boolean): Subject {
  const capped = user.clearance >= SECRET && !mfa;
  return {
    userId: user.id,
    orgId: org.id,
    orgKind: org.kind as OrgKind,
    agencyCode: org.agencyCode,
    roles: user.roles,
    clearance: capped ? CONFIDENTIAL : user.clearance,
    compartments: capped ? [] : user.compartments,
  };
}

export function orgView(o: OrgRow) {
  return { id: o.id, name: o.name, kind: o.kind as OrgKind, agencyCode: o.agencyCode, sector: o.sector, createdAt: o.createdAt.toISOString() };
}

export function userView(u: UserRow) {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    roles: u.roles,
    clearance: nameOf(u.clearance),
    compartments: u.compartments,
    disabled: u.disabled,
    totpEnrolled: u.totpEnrolledAt !== null,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    invitationPending: u.passwordHash === null,
  };
}

export function meView(user: UserRow, org: OrgRow, subject: Subject, via: 'session' | 'token', mfa: boolean, expiresAt: Date | null): MeView {
  const { createdAt: _omit, ...organisation } = orgView(org);
  return {
    user: {
      id: user.id,
      email: user.email,
      name: user.name,
      clearance: nameOf(user.clearance),
      compartments: user.compartments,
      roles: user.roles,
      totpEnrolled: user.totpEnrolledAt !== null,
    },
    organisation,
    session: { via, mfa, effectiveClearance: nameOf(subject.clearance), expiresAt: expiresAt?.toISOString() ?? null },
    abilities: [...abilities(subject)].sort(),
  };
}
