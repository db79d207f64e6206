import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { abilities, can, canRead, canWrite, grantActive, type Decision, type Grant, type ProtectedRecord, type ReadRule, type Subject } from './policy.ts';
import { ABILITIES, ORG_KINDS, ROLES, ROLE_NAMES, abilitiesOf, isRole, roleAllowedFor, type Ability, type OrgKind } from './roles.ts';
import { CONFIDENTIAL, CUI, SECRET, TOP_SECRET, UNCLASSIFIED } from './marking.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const ORG_A = '00000000-0000-4000-8000-00000000000a'; // the subject's organisation
const ORG_B = '00000000-0000-4000-8000-00000000000b'; // another organisation
const ORG_C = '00000000-0000-4000-8000-00000000000c';
const USER_1 = '00000000-0000-4000-8000-000000000001'; // the subject
const USER_2 = '00000000-0000-4000-8000-000000000002'; // someone else

const NOW = new Date('2026-07-01T12:00:00.000Z');
const at = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000);

const READ_AUDIT: ReadRule = { ability: 'audit:read' };
const READ_AUDIT_ALL: ReadRule = { ability: 'audit:read', crossOrgAbility: 'audit:read_all' };
const READ_ANYONE: ReadRule = { ability: 'account:manage' };
const READ_ANYONE_ALL: ReadRule = { ability: 'account:manage', crossOrgAbility: 'audit:read_all' };
const RULES: readonly ReadRule[] = [READ_AUDIT, READ_AUDIT_ALL, READ_ANYONE, READ_ANYONE_ALL, { ability: 'users:manage', crossOrgAbility: 'users:manage_any' }];

function subject(over: Partial<Subject> = {}): Subject {
  return { userId: USER_1, orgId: ORG_A, orgKind: 'agency', roles: ['analyst'], clearance: SECRET, compartments: [], ...over };
}

function record(over: Partial<ProtectedRecord> = {}): ProtectedRecord {
  return { ownerOrgId: ORG_A, classification: UNCLASSIFIED, compartments: [], grants: [], ...over };
}

function grant(over: Partial<Grant> = {}): Grant {
  return { granteeOrgId: null, granteeUserId: null, startsAt: at(-24), expiresAt: null, revokedAt: null, ...over };
}

const ALLOW = { allow: true };
const NOT_FOUND = { allow: false, reason: 'not-found' };
const FORBIDDEN = { allow: false, reason: 'forbidden' };

// ---------------------------------------------------------------------------------------------
// An independently written reference of the need-to-know rule (BRIEF: "Need to know").

const EXPECTED_ROLE_KINDS: Record<string, readonly OrgKind[]> = {
  platform_admin: ['platform'],
  platform_auditor: ['platform', 'agency'],
  org_admin: ['platform', 'ai_developer', 'agency', 'trusted_partner', 'vendor', 'operator', 'grantee'],
  auditor: ['platform', 'ai_developer', 'agency', 'trusted_partner', 'vendor', 'operator', 'grantee'],
  developer: ['ai_developer'],
  analyst: ['agency'],
  partner_reviewer: ['trusted_partner'],
  vendor_coordinator: ['vendor'],
  operator_staff: ['operator'],
  grantee_staff: ['grantee'],
  member: ['platform', 'ai_developer', 'agency', 'trusted_partner', 'vendor', 'operator', 'grantee', 'public'],
};

/** Abilities from the ROLES data table, with the org-kind restriction applied by the reference. */
function refAbilities(roles: readonly string[], kind: OrgKind): Set<string> {
  const out = new Set<string>(['account:manage']);
  for (const r of roles) {
    if (!Object.prototype.hasOwnProperty.call(ROLES, r)) continue;
    const def = (ROLES as Record<string, { orgKinds: readonly string[]; abilities: readonly string[] }>)[r];
    if (!def.orgKinds.includes(kind)) continue;
    def.abilities.forEach((a) => out.add(a));
  }
  return out;
}

function refGrantActive(g: Grant, s: Subject, now: Date): boolean {
  const started = g.startsAt.getTime() <= now.getTime();
  const notExpired = g.expiresAt === null || now.getTime() < g.expiresAt.getTime();
  const notRevoked = g.revokedAt === null;
  const mine = (g.granteeOrgId !== null && g.granteeOrgId === s.orgId) || (g.granteeUserId !== null && g.granteeUserId === s.userId);
  return started && notExpired && notRevoked && mine;
}

function refCleared(s: Subject, r: ProtectedRecord): boolean {
  if (s.clearance < r.classification) return false;
  for (const c of r.compartments) if (s.compartments.indexOf(c) === -1) return false;
  return true;
}

type RefDecision = 'allow' | 'not-found' | 'forbidden';

function refRead(s: Subject, r: ProtectedRecord, rule: ReadRule, now: Date): RefDecision {
  const held = refAbilities(s.roles, s.orgKind);
  const own = r.ownerOrgId !== null && r.ownerOrgId === s.orgId;
  const granted = (r.grants ?? []).some((g) => refGrantActive(g, s, now));
  const oversight = rule.crossOrgAbility !== undefined && held.has(rule.crossOrgAbility);
  // Out of reach or above clearance: the record does not exist for the subject (404, never 403).
  if (!(own || granted || oversight)) return 'not-found';
  if (!refCleared(s, r)) return 'not-found';
  if (!held.has(rule.ability)) return 'forbidden';
  return 'allow';
}

function refWrite(s: Subject, r: ProtectedRecord, rule: ReadRule, write: Ability, now: Date): RefDecision {
  const read = refRead(s, r, rule, now);
  if (read !== 'allow') return read;
  return refAbilities(s.roles, s.orgKind).has(write) ? 'allow' : 'forbidden';
}

function flat(d: Decision): RefDecision {
  return d.allow ? 'allow' : d.reason;
}

// ---------------------------------------------------------------------------------------------

describe('roles and abilities', () => {
  it('every role is allowed for exactly the expected organisation kinds', () => {
    // (roles added later are covered by the data-driven tests below)
    for (const [role, kinds] of Object.entries(EXPECTED_ROLE_KINDS)) {
      expect(isRole(role), role).toBe(true);
      if (!isRole(role)) continue;
      for (const kind of ORG_KINDS) expect(roleAllowedFor(role, kind), `${role} in ${kind}`).toBe(kinds.includes(kind));
    }
  });

  it('a role stored for the wrong kind of organisation grants nothing', () => {
    for (const role of ROLE_NAMES)
      for (const kind of ORG_KINDS) {
        if (roleAllowedFor(role, kind)) continue;
        expect([...abilitiesOf([role], kind)], `${role} in ${kind}`).toEqual(['account:manage']);
      }
  });

  it('wrong-kind roles do not add to right-kind roles', () => {
    // a vendor that somehow holds platform_admin and analyst has only what vendor roles give
    expect(abilitiesOf(['vendor_coordinator', 'platform_admin', 'analyst', 'platform_auditor'], 'vendor')).toEqual(new Set(['account:manage', 'vendor:respond', 'clearinghouse:report']));
    expect(abilitiesOf(['org_admin', 'platform_admin'], 'vendor')).toEqual(new Set(['account:manage', 'users:manage', 'audit:read', 'audit:export']));
    expect(abilitiesOf(['org_admin', 'auditor', 'platform_admin'], 'public')).toEqual(new Set(['account:manage']));
  });

  it('the oversight abilities are held by the oversight roles only', () => {
    const holders = (ability: Ability) =>
      ROLE_NAMES.flatMap((r) => ORG_KINDS.filter((k) => abilitiesOf([r], k).has(ability)).map((k) => `${r}@${k}`)).sort();
    expect(holders('audit:read_all')).toEqual(['inspector_general@agency', 'inspector_general@platform', 'platform_admin@platform', 'platform_auditor@agency', 'platform_auditor@platform']);
    expect(holders('oversight:read')).toEqual(['inspector_general@agency', 'inspector_general@platform']);
    expect(holders('users:manage_any')).toEqual(['platform_admin@platform']);
  });

  it('known role/ability facts', () => {
    const has = (roles: string[], kind: OrgKind, a: Ability) => abilitiesOf(roles, kind).has(a);
    expect(has(['org_admin'], 'operator', 'users:manage')).toBe(true);
    expect(has(['org_admin'], 'operator', 'audit:read_all')).toBe(false);
    expect(has(['auditor'], 'vendor', 'audit:verify')).toBe(true);
    expect(has(['auditor'], 'vendor', 'users:manage')).toBe(false);
    expect(has(['platform_auditor'], 'agency', 'audit:read_all')).toBe(true);
    expect(has(['platform_auditor'], 'agency', 'users:manage')).toBe(false);
    expect(has(['platform_auditor'], 'ai_developer', 'audit:read')).toBe(false);
    expect(has(['analyst'], 'agency', 'audit:read')).toBe(false);
    expect(has(['member'], 'public', 'account:manage')).toBe(true);
  });

  it('everybody can manage their own account; unknown and prototype names are not roles', () => {
    for (const kind of ORG_KINDS) expect(abilitiesOf([], kind)).toEqual(new Set(['account:manage']));
    for (const bad of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'ADMIN', 'Platform_admin', '', 'root']) {
      expect(isRole(bad)).toBe(false);
      for (const kind of ORG_KINDS) expect(abilitiesOf([bad], kind)).toEqual(new Set(['account:manage']));
    }
  });

  it('property: abilitiesOf equals the reference over random role lists and kinds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...ROLE_NAMES), fc.string({ maxLength: 12 })), { maxLength: 6 }), fc.constantFrom(...ORG_KINDS), (roles, kind) => {
        expect(abilitiesOf(roles, kind)).toEqual(refAbilities(roles, kind));
        for (const a of abilitiesOf(roles, kind)) expect(ABILITIES).toContain(a);
        const s = subject({ roles, orgKind: kind });
        expect(abilities(s)).toEqual(refAbilities(roles, kind));
        for (const a of ABILITIES) expect(can(s, a)).toBe(refAbilities(roles, kind).has(a));
      }),
      { numRuns: 300 },
    );
  });
});

describe('grantActive', () => {
  const s = subject();
  it.each([
    ['to my org, open-ended', grant({ granteeOrgId: ORG_A }), true],
    ['to me, open-ended', grant({ granteeUserId: USER_1 }), true],
    ['to my org and someone else', grant({ granteeOrgId: ORG_A, granteeUserId: USER_2 }), true],
    ['to another org and me', grant({ granteeOrgId: ORG_B, granteeUserId: USER_1 }), true],
    ['to another org', grant({ granteeOrgId: ORG_B }), false],
    ['to someone else', grant({ granteeUserId: USER_2 }), false],
    ['to nobody', grant({}), false],
    ['starting exactly now', grant({ granteeOrgId: ORG_A, startsAt: NOW }), true],
    ['starting in a millisecond', grant({ granteeOrgId: ORG_A, startsAt: new Date(NOW.getTime() + 1) }), false],
    ['not yet started', grant({ granteeOrgId: ORG_A, startsAt: at(1) }), false],
    ['expiring in a millisecond', grant({ granteeOrgId: ORG_A, expiresAt: new Date(NOW.getTime() + 1) }), true],
    ['expiring exactly now', grant({ granteeOrgId: ORG_A, expiresAt: NOW }), false],
    ['expired', grant({ granteeOrgId: ORG_A, expiresAt: at(-1) }), false],
    ['revoked', grant({ granteeUserId: USER_1, revokedAt: at(-1) }), false],
    ['revocation dated in the future (still revoked)', grant({ granteeUserId: USER_1, revokedAt: at(1) }), false],
    ['expired and revoked', grant({ granteeOrgId: ORG_A, expiresAt: at(-2), revokedAt: at(-3) }), false],
  ] as const)('%s → %s', (_name, g, expected) => {
    expect(grantActive(g, s, NOW)).toBe(expected);
    expect(refGrantActive(g, s, NOW)).toBe(expected);
  });
});

describe('canRead: hand-written decision table', () => {
  const analyst = subject({ orgKind: 'agency', roles: ['analyst'], clearance: SECRET, compartments: ['BENCH'] });
  const auditorA = subject({ orgKind: 'agency', roles: ['auditor'], clearance: SECRET, compartments: ['BENCH'] });
  const oversight = subject({ orgKind: 'agency', roles: ['platform_auditor'], clearance: TOP_SECRET, compartments: ['BENCH', 'HCS'] });
  const platformAdmin = subject({ orgKind: 'platform', roles: ['platform_admin'], clearance: CONFIDENTIAL, compartments: [] });
  const misfiledAdmin = subject({ orgKind: 'vendor', roles: ['platform_admin', 'platform_auditor'], clearance: TOP_SECRET, compartments: ['BENCH', 'HCS'] });
  const vendorAuditor = subject({ orgKind: 'vendor', roles: ['auditor'], clearance: CUI, compartments: [] });

  const cases: [string, Subject, ProtectedRecord, ReadRule, object][] = [
    ['own record, cleared, role has ability', auditorA, record(), READ_AUDIT, ALLOW],
    ['own record, cleared, role lacks ability → 403', analyst, record(), READ_AUDIT, FORBIDDEN],
    ['own record above clearance → 404', auditorA, record({ classification: TOP_SECRET }), READ_AUDIT, NOT_FOUND],
    ['own record above clearance, role lacks ability → 404 (not 403)', analyst, record({ classification: TOP_SECRET }), READ_AUDIT, NOT_FOUND],
    ['own record at clearance with held compartment', auditorA, record({ classification: SECRET, compartments: ['BENCH'] }), READ_AUDIT, ALLOW],
    ['own record missing compartment → 404', auditorA, record({ classification: CUI, compartments: ['HCS'] }), READ_AUDIT, NOT_FOUND],
    ['own record needing two compartments, one held → 404', auditorA, record({ compartments: ['BENCH', 'HCS'] }), READ_AUDIT, NOT_FOUND],
    ['another org’s record → 404', auditorA, record({ ownerOrgId: ORG_B }), READ_AUDIT, NOT_FOUND],
    ['another org’s record, role lacks ability → 404 (not 403)', analyst, record({ ownerOrgId: ORG_B }), READ_AUDIT, NOT_FOUND],
    ['ownerless record → 404', auditorA, record({ ownerOrgId: null }), READ_AUDIT, NOT_FOUND],
    ['another org’s record granted to my org', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A })] }), READ_AUDIT, ALLOW],
    ['granted to me personally', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeUserId: USER_1 })] }), READ_AUDIT, ALLOW],
    ['granted, role lacks ability → 403', analyst, record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A })] }), READ_AUDIT, FORBIDDEN],
    ['granted but above clearance → 404', auditorA, record({ ownerOrgId: ORG_B, classification: TOP_SECRET, grants: [grant({ granteeOrgId: ORG_A })] }), READ_AUDIT, NOT_FOUND],
    ['granted to someone else → 404', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeUserId: USER_2 }), grant({ granteeOrgId: ORG_C })] }), READ_AUDIT, NOT_FOUND],
    ['grant expired → 404', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A, expiresAt: at(-1) })] }), READ_AUDIT, NOT_FOUND],
    ['grant revoked → 404', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A, revokedAt: at(-1) })] }), READ_AUDIT, NOT_FOUND],
    ['grant not yet started → 404', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A, startsAt: at(1) })] }), READ_AUDIT, NOT_FOUND],
    ['one dead grant and one live grant', auditorA, record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A, revokedAt: at(-1) }), grant({ granteeUserId: USER_1, expiresAt: at(1) })] }), READ_AUDIT, ALLOW],
    ['grant on an ownerless record', auditorA, record({ ownerOrgId: null, grants: [grant({ granteeOrgId: ORG_A })] }), READ_AUDIT, ALLOW],
    ['oversight reaches another org', oversight, record({ ownerOrgId: ORG_B, classification: TOP_SECRET, compartments: ['HCS'] }), READ_AUDIT_ALL, ALLOW],
    ['oversight reaches ownerless records', oversight, record({ ownerOrgId: null }), READ_AUDIT_ALL, ALLOW],
    ['oversight does not bypass compartments → 404', oversight, record({ ownerOrgId: ORG_B, compartments: ['SI'] }), READ_AUDIT_ALL, NOT_FOUND],
    ['oversight only where the rule says so → 404', oversight, record({ ownerOrgId: ORG_B }), READ_AUDIT, NOT_FOUND],
    ['oversight does not bypass clearance → 404', platformAdmin, record({ ownerOrgId: ORG_B, classification: SECRET }), READ_AUDIT_ALL, NOT_FOUND],
    ['platform admin within clearance', platformAdmin, record({ ownerOrgId: ORG_B, classification: CONFIDENTIAL }), READ_AUDIT_ALL, ALLOW],
    ['crossOrg held but base ability missing → 403', oversight, record({ ownerOrgId: ORG_B }), { ability: 'users:manage', crossOrgAbility: 'audit:read_all' }, FORBIDDEN],
    ['roles misfiled in a vendor org give no oversight → 404', misfiledAdmin, record({ ownerOrgId: ORG_B }), READ_AUDIT_ALL, NOT_FOUND],
    ['roles misfiled in a vendor org give no ability → 403 on own', misfiledAdmin, record(), READ_AUDIT_ALL, FORBIDDEN],
    ['vendor auditor on own CUI', vendorAuditor, record({ classification: CUI }), READ_AUDIT_ALL, ALLOW],
    ['vendor auditor on own CONFIDENTIAL → 404', vendorAuditor, record({ classification: CONFIDENTIAL }), READ_AUDIT_ALL, NOT_FOUND],
    ['everybody-rule on own unclassified', subject({ orgKind: 'public', roles: ['member'], clearance: UNCLASSIFIED }), record(), READ_ANYONE, ALLOW],
    ['everybody-rule on another org → 404', subject({ orgKind: 'public', roles: ['member'], clearance: UNCLASSIFIED }), record({ ownerOrgId: ORG_B }), READ_ANYONE, NOT_FOUND],
  ];

  it.each(cases)('%s', (_name, s, r, rule, expected) => {
    expect(canRead(s, r, rule, NOW)).toEqual(expected);
    expect(refRead(s, r, rule, NOW)).toBe(flat(expected as Decision));
  });

  it('a record without a grants list is treated as having none', () => {
    const { grants: _omit, ...bare } = record({ ownerOrgId: ORG_B });
    expect(canRead(auditorA, bare, READ_AUDIT, NOW)).toEqual(NOT_FOUND);
    expect(canRead(auditorA, { ...bare, ownerOrgId: ORG_A }, READ_AUDIT, NOW)).toEqual(ALLOW);
  });

  it('the decision is time dependent exactly at the grant boundaries', () => {
    const r = record({ ownerOrgId: ORG_B, grants: [grant({ granteeOrgId: ORG_A, startsAt: at(0), expiresAt: at(2) })] });
    expect(canRead(auditorA, r, READ_AUDIT, new Date(at(0).getTime() - 1))).toEqual(NOT_FOUND);
    expect(canRead(auditorA, r, READ_AUDIT, at(0))).toEqual(ALLOW);
    expect(canRead(auditorA, r, READ_AUDIT, at(1))).toEqual(ALLOW);
    expect(canRead(auditorA, r, READ_AUDIT, new Date(at(2).getTime() - 1))).toEqual(ALLOW);
    expect(canRead(auditorA, r, READ_AUDIT, at(2))).toEqual(NOT_FOUND);
  });
});

// ---------------------------------------------------------------------------------------------
// Exhaustive cross product: subjects × records × grant situations × rules, against the reference.

const SUBJECT_ROLE_SETS: { kind: OrgKind; roles: string[] }[] = [
  { kind: 'platform', roles: ['platform_admin'] },
  { kind: 'platform', roles: ['platform_auditor'] },
  { kind: 'platform', roles: ['member'] },
  { kind: 'agency', roles: ['platform_auditor'] },
  { kind: 'agency', roles: ['analyst'] },
  { kind: 'agency', roles: ['org_admin', 'analyst'] },
  { kind: 'agency', roles: ['platform_admin'] }, // misfiled: grants nothing
  { kind: 'ai_developer', roles: ['developer'] },
  { kind: 'ai_developer', roles: ['auditor'] },
  { kind: 'ai_developer', roles: ['platform_auditor'] }, // misfiled
  { kind: 'trusted_partner', roles: ['partner_reviewer', 'org_admin'] },
  { kind: 'vendor', roles: ['vendor_coordinator'] },
  { kind: 'vendor', roles: ['analyst', 'platform_admin'] }, // misfiled
  { kind: 'operator', roles: ['operator_staff', 'auditor'] },
  { kind: 'grantee', roles: ['grantee_staff'] },
  { kind: 'public', roles: ['member'] },
  { kind: 'public', roles: ['org_admin', 'platform_admin'] }, // misfiled
  { kind: 'agency', roles: [] },
];
const COMPARTMENT_SETS = [[], ['BENCH'], ['HCS'], ['BENCH', 'HCS']];

const GRANT_SITUATIONS: [string, Grant[]][] = [
  ['none', []],
  ['org, open-ended', [grant({ granteeOrgId: ORG_A })]],
  ['user, bounded', [grant({ granteeUserId: USER_1, startsAt: at(-1), expiresAt: at(1) })]],
  ['other org', [grant({ granteeOrgId: ORG_B })]],
  ['other user', [grant({ granteeUserId: USER_2 })]],
  ['expired', [grant({ granteeOrgId: ORG_A, expiresAt: at(-1) })]],
  ['expires now', [grant({ granteeUserId: USER_1, expiresAt: NOW })]],
  ['revoked', [grant({ granteeOrgId: ORG_A, revokedAt: at(-1) })]],
  ['not yet started', [grant({ granteeUserId: USER_1, startsAt: at(1) })]],
  ['starts now', [grant({ granteeOrgId: ORG_A, startsAt: NOW })]],
  ['dead + live', [grant({ granteeOrgId: ORG_A, revokedAt: at(-1) }), grant({ granteeOrgId: ORG_C }), grant({ granteeUserId: USER_1 })]],
];

describe('canRead and canWrite: exhaustive table against the reference', () => {
  const WRITES = ['users:manage', 'audit:export', 'organisations:manage', 'account:manage'] as const;
  it('every subject × record × grant situation × rule agrees', () => {
    const mismatches: string[] = [];
    let checked = 0;
    const tally = { allow: 0, 'not-found': 0, forbidden: 0 };
    for (const { kind, roles } of SUBJECT_ROLE_SETS)
      for (let clearance = 0; clearance <= 4; clearance++)
        for (const compartments of COMPARTMENT_SETS) {
          const s = subject({ orgKind: kind, roles, clearance, compartments });
          for (const owner of [ORG_A, ORG_B, null])
            for (let classification = 0; classification <= 4; classification++)
              for (const recComps of COMPARTMENT_SETS)
                for (const [gName, grants] of GRANT_SITUATIONS) {
                  const r = record({ ownerOrgId: owner, classification, compartments: recComps, grants });
                  for (const rule of RULES) {
                    const got = flat(canRead(s, r, rule, NOW));
                    const want = refRead(s, r, rule, NOW);
                    tally[got]++;
                    checked++;
                    if (got !== want && mismatches.length < 20)
                      mismatches.push(`${kind}/${roles} c${clearance}[${compartments}] × ${owner} c${classification}[${recComps}] grants=${gName} rule=${JSON.stringify(rule)}: got ${got}, want ${want}`);
                    const write = WRITES[checked % WRITES.length];
                    const gotW = flat(canWrite(s, r, rule, write, NOW));
                    const wantW = refWrite(s, r, rule, write, NOW);
                    if (gotW !== wantW && mismatches.length < 20) mismatches.push(`write ${write} ${kind}/${roles}: got ${gotW}, want ${wantW}`);
                  }
                }
        }
    expect(mismatches).toEqual([]);
    // the table exercises every outcome
    expect(checked).toBeGreaterThan(100_000);
    expect(tally.allow).toBeGreaterThan(1000);
    expect(tally.forbidden).toBeGreaterThan(1000);
    expect(tally['not-found']).toBeGreaterThan(1000);
  });
});

describe('canWrite', () => {
  const orgAdmin = subject({ orgKind: 'operator', roles: ['org_admin'], clearance: CUI });
  const staff = subject({ orgKind: 'operator', roles: ['operator_staff'], clearance: CUI });
  it('needs the write ability on a readable record', () => {
    expect(canWrite(orgAdmin, record(), READ_ANYONE, 'users:manage', NOW)).toEqual(ALLOW);
    expect(canWrite(staff, record(), READ_ANYONE, 'users:manage', NOW)).toEqual(FORBIDDEN);
  });
  it('an unreadable record stays not-found whatever the write ability', () => {
    expect(canWrite(orgAdmin, record({ ownerOrgId: ORG_B }), READ_ANYONE, 'users:manage', NOW)).toEqual(NOT_FOUND);
    expect(canWrite(orgAdmin, record({ classification: SECRET }), READ_ANYONE, 'users:manage', NOW)).toEqual(NOT_FOUND);
    expect(canWrite(orgAdmin, record({ compartments: ['BENCH'] }), READ_ANYONE, 'users:manage', NOW)).toEqual(NOT_FOUND);
  });
  it('a read refused for the role is refused as forbidden, even when the write ability is held', () => {
    expect(canWrite(orgAdmin, record(), { ability: 'audit:verify' }, 'users:manage', NOW)).toEqual(FORBIDDEN);
  });
});

// ---------------------------------------------------------------------------------------------
// Random subjects, records, grants and times.

const orgIdArb = fc.constantFrom(ORG_A, ORG_B, ORG_C);
const userIdArb = fc.constantFrom(USER_1, USER_2, '00000000-0000-4000-8000-000000000003');
const compsArb = fc.subarray(['BENCH', 'HCS', 'SI', 'TK']);
const timeArb = fc.integer({ min: -4, max: 4 }).map(at);
const subjectArb: fc.Arbitrary<Subject> = fc.record({
  userId: userIdArb,
  orgId: orgIdArb,
  orgKind: fc.constantFrom(...ORG_KINDS),
  roles: fc.subarray([...ROLE_NAMES, 'ghost_role']),
  clearance: fc.integer({ min: 0, max: 4 }),
  compartments: compsArb,
});
const grantArb: fc.Arbitrary<Grant> = fc.record({
  granteeOrgId: fc.option(orgIdArb),
  granteeUserId: fc.option(userIdArb),
  startsAt: timeArb,
  expiresAt: fc.option(timeArb),
  revokedAt: fc.option(timeArb, { freq: 3 }),
});
const recordArb: fc.Arbitrary<ProtectedRecord> = fc.record({
  ownerOrgId: fc.option(orgIdArb, { freq: 4 }),
  classification: fc.integer({ min: 0, max: 4 }),
  compartments: compsArb,
  grants: fc.array(grantArb, { maxLength: 4 }),
});
const ruleArb: fc.Arbitrary<ReadRule> = fc.oneof(
  fc.record({ ability: fc.constantFrom(...ABILITIES) }),
  fc.record({ ability: fc.constantFrom(...ABILITIES), crossOrgAbility: fc.constantFrom(...ABILITIES) }),
);

describe('properties', () => {
  it('canRead and canWrite equal the reference on random inputs', () => {
    fc.assert(
      fc.property(subjectArb, recordArb, ruleArb, timeArb, fc.constantFrom(...ABILITIES), (s, r, rule, now, write) => {
        expect(flat(canRead(s, r, rule, now))).toBe(refRead(s, r, rule, now));
        expect(flat(canWrite(s, r, rule, write, now))).toBe(refWrite(s, r, rule, write, now));
        for (const g of r.grants ?? []) expect(grantActive(g, s, now)).toBe(refGrantActive(g, s, now));
      }),
      { numRuns: 3000 },
    );
  });

  it('forbidden is only ever said about records the subject may know exist', () => {
    fc.assert(
      fc.property(subjectArb, recordArb, ruleArb, timeArb, (s, r, rule, now) => {
        const d = canRead(s, r, rule, now);
        if (!d.allow && d.reason === 'forbidden') {
          // the same subject with the ability would be allowed: so the 403 leaks nothing new
          const withAbility = { ...rule, ability: 'account:manage' as const };
          expect(canRead(s, r, withAbility, now)).toEqual(ALLOW);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('monotonic: more clearance, more compartments or an extra live grant never turns allow into deny', () => {
    fc.assert(
      fc.property(subjectArb, recordArb, ruleArb, timeArb, fc.integer({ min: 0, max: 4 }), compsArb, (s, r, rule, now, up, more) => {
        if (!canRead(s, r, rule, now).allow) return;
        const stronger = { ...s, clearance: Math.max(s.clearance, up), compartments: [...new Set([...s.compartments, ...more])] };
        expect(canRead(stronger, r, rule, now).allow).toBe(true);
        const moreGrants = { ...r, grants: [...(r.grants ?? []), grant({ granteeUserId: s.userId })] };
        expect(canRead(s, moreGrants, rule, now).allow).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('removing every reason to reach a record makes it not-found', () => {
    fc.assert(
      fc.property(subjectArb, recordArb, ruleArb, timeArb, (s, r, rule, now) => {
        const unreachable = { ...r, ownerOrgId: r.ownerOrgId === s.orgId ? ORG_B === s.orgId ? ORG_C : ORG_B : r.ownerOrgId, grants: [] };
        const noOversight = { ability: rule.ability };
        expect(canRead(s, unreachable, noOversight, now)).toEqual(NOT_FOUND);
      }),
      { numRuns: 1000 },
    );
  });

  it('raising the record above the subject’s clearance makes it not-found', () => {
    fc.assert(
      fc.property(subjectArb, recordArb, ruleArb, timeArb, (s, r, rule, now) => {
        if (s.clearance < TOP_SECRET) expect(canRead(s, { ...r, classification: s.clearance + 1 }, rule, now)).toEqual(NOT_FOUND);
        const missing = ['BENCH', 'HCS', 'SI', 'TK', 'ZZ'].find((c) => !s.compartments.includes(c))!;
        expect(canRead(s, { ...r, compartments: [...r.compartments, missing] }, rule, now)).toEqual(NOT_FOUND);
      }),
      { numRuns: 1000 },
    );
  });
});
