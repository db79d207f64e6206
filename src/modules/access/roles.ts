// Role-based abilities. A role is held inside one organisation; which roles exist for which kind of
// organisation is fixed here so that, for example, a vendor can never be given an agency analyst role.

export const ORG_KINDS = ['platform', 'ai_developer', 'agency', 'trusted_partner', 'vendor', 'operator', 'grantee', 'public'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const AGENCY_CODES = ['NSA', 'CISA', 'NIST', 'ONCD', 'OSTP', 'DoD', 'TREASURY'] as const;
export type AgencyCode = (typeof AGENCY_CODES)[number];

export const SECTORS = ['healthcare', 'banking', 'energy', 'water', 'federal_civilian', 'communications', 'transportation', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export const ABILITIES = [
  'account:manage',
  'organisations:manage',
  'users:manage',
  'users:manage_any',
  'audit:read',
  'audit:read_all',
  'audit:export',
  'audit:verify',
  'outbox:read',
  'jobs:read',
  'policy:manage',
  // The voluntary review framework (models, consultations, determinations, review windows).
  'models:register',
  'models:read',
  'consultations:open',
  'consultations:respond',
  'benchmarks:manage',
  'determinations:work',
  'windows:manage',
  // Gateway and evaluation harness.
  'evaluations:run',
  'suites:manage',
  // Trusted partners, coordinated assessments, findings, oversight.
  'partners:apply',
  'partners:vet',
  'panels:serve',
  'assessments:manage',
  'findings:file',
  'findings:respond',
  'oversight:read',
  // The clearinghouse and the vendors it coordinates with.
  'clearinghouse:report',
  'clearinghouse:validate',
  'clearinghouse:coordinate',
  'advisories:publish',
  'vendor:respond',
  // Operators' inventories and remediation.
  'inventory:manage',
  'remediation:manage',
  // Grants, defensive-tool services and hiring pathways.
  'grants:manage',
  'grants:review',
  'grants:apply',
  'catalogue:manage',
  'enrolments:request',
  'hiring:manage',
  'hiring:apply',
] as const;
export type Ability = (typeof ABILITIES)[number];

interface RoleDef {
  label: string;
  orgKinds: readonly OrgKind[];
  abilities: readonly Ability[];
}

const ALL_BUT_PUBLIC: OrgKind[] = ['platform', 'ai_developer', 'agency', 'trusted_partner', 'vendor', 'operator', 'grantee'];

export const ROLES = {
  platform_admin: {
    label: 'Platform administrator',
    orgKinds: ['platform'],
    abilities: ['organisations:manage', 'users:manage', 'users:manage_any', 'audit:read', 'audit:read_all', 'audit:export', 'audit:verify', 'outbox:read', 'jobs:read', 'policy:manage'],
  },
  platform_auditor: {
    label: 'Platform auditor (oversight)',
    orgKinds: ['platform', 'agency'],
    abilities: ['audit:read', 'audit:read_all', 'audit:export', 'audit:verify'],
  },
  org_admin: { label: 'Organisation administrator', orgKinds: ALL_BUT_PUBLIC, abilities: ['users:manage', 'audit:read', 'audit:export'] },
  auditor: { label: 'Auditor (own organisation)', orgKinds: ALL_BUT_PUBLIC, abilities: ['audit:read', 'audit:export', 'audit:verify'] },
  developer: { label: 'Model developer', orgKinds: ['ai_developer'], abilities: ['models:register', 'models:read', 'consultations:open', 'windows:manage', 'panels:serve', 'findings:respond', 'clearinghouse:report'] },
  // Which agency may do what (NSA decides, ONCD and CISA are consulted) is checked by the services
  // against the organisation's agency code; the role gives the analyst's working abilities.
  analyst: {
    label: 'Agency analyst',
    orgKinds: ['agency'],
    abilities: ['models:read', 'consultations:respond', 'benchmarks:manage', 'determinations:work', 'evaluations:run', 'suites:manage', 'partners:vet', 'panels:serve', 'assessments:manage', 'findings:file', 'clearinghouse:report'],
  },
  // Treasury runs the clearinghouse; other agencies' validators are given this role by their administrators.
  clearinghouse_analyst: {
    label: 'Clearinghouse analyst',
    orgKinds: ['agency'],
    abilities: ['clearinghouse:report', 'clearinghouse:validate', 'clearinghouse:coordinate', 'advisories:publish'],
  },
  inspector_general: { label: 'Inspector general (oversight)', orgKinds: ['platform', 'agency'], abilities: ['oversight:read', 'audit:read', 'audit:read_all'] },
  program_officer: { label: 'Grants program officer', orgKinds: ['agency'], abilities: ['grants:manage', 'catalogue:manage'] },
  grant_reviewer: { label: 'Grant application reviewer', orgKinds: ['agency'], abilities: ['grants:review'] },
  hiring_manager: { label: 'Hiring manager', orgKinds: ['agency'], abilities: ['hiring:manage'] },
  partner_reviewer: { label: 'Partner reviewer', orgKinds: ['trusted_partner'], abilities: ['partners:apply', 'evaluations:run', 'findings:file', 'clearinghouse:report'] },
  vendor_coordinator: { label: 'Vendor security coordinator', orgKinds: ['vendor'], abilities: ['vendor:respond', 'clearinghouse:report'] },
  operator_staff: { label: 'Operator IT staff', orgKinds: ['operator'], abilities: ['inventory:manage', 'remediation:manage', 'enrolments:request', 'clearinghouse:report'] },
  grantee_staff: { label: 'Grantee staff', orgKinds: ['grantee'], abilities: ['grants:apply', 'clearinghouse:report'] },
  candidate: { label: 'Job candidate', orgKinds: ['public'], abilities: ['hiring:apply'] },
  member: { label: 'Member', orgKinds: [...ALL_BUT_PUBLIC, 'public'], abilities: [] },
} as const satisfies Record<string, RoleDef>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

export function roleAllowedFor(role: Role, kind: OrgKind): boolean {
  return (ROLES[role].orgKinds as readonly OrgKind[]).includes(kind);
}

export function abilitiesOf(roles: readonly string[], kind: OrgKind): Set<Ability> {
  const out = new Set<Ability>(['account:manage']);
  for (const r of roles) {
    // A role stored for the wrong kind of organisation grants nothing, whatever the database says.
    if (!isRole(r) || !roleAllowedFor(r, kind)) continue;
    for (const a of ROLES[r].abilities) out.add(a);
  }
  return out;
}
