import type { Classification } from '../modules/access/marking.ts';
import type { OrgKind } from '../modules/access/roles.ts';

// The demo organisation set. TOTP secrets here are public on purpose (they are in the README):
// demo mode is for laptops and tests, and is refused nowhere else.

export interface DemoOrg {
  key: string;
  name: string;
  kind: OrgKind;
  agencyCode?: string;
  sector?: string;
}

export interface DemoUser {
  email: string;
  name: string;
  org: string;
  roles: string[];
  clearance: Classification;
  compartments?: string[];
  totpSecret?: string;
  what: string;
}

export const DEMO_ORGS: DemoOrg[] = [
  { key: 'platform', name: 'Forewarn Operations', kind: 'platform' },
  { key: 'lab', name: 'Meridian AI', kind: 'ai_developer' },
  { key: 'nsa', name: 'National Security Agency', kind: 'agency', agencyCode: 'NSA' },
  { key: 'cisa', name: 'Cybersecurity and Infrastructure Security Agency', kind: 'agency', agencyCode: 'CISA' },
  { key: 'nist', name: 'NIST Center for AI Standards and Innovation', kind: 'agency', agencyCode: 'NIST' },
  { key: 'oncd', name: 'Office of the National Cyber Director', kind: 'agency', agencyCode: 'ONCD' },
  { key: 'ostp', name: 'Office of Science and Technology Policy', kind: 'agency', agencyCode: 'OSTP' },
  { key: 'dod', name: 'Department of Defense', kind: 'agency', agencyCode: 'DoD' },
  { key: 'treasury', name: 'Department of the Treasury', kind: 'agency', agencyCode: 'TREASURY' },
  { key: 'partner', name: 'Sentinel Security Partners', kind: 'trusted_partner' },
  { key: 'vendor', name: 'OpenHealth Software', kind: 'vendor' },
  { key: 'hospital', name: 'Prairie County Hospital', kind: 'operator', sector: 'healthcare' },
  { key: 'bank', name: 'Heartland Community Bank', kind: 'operator', sector: 'banking' },
  { key: 'utility', name: 'Riverbend Utilities', kind: 'operator', sector: 'water' },
  { key: 'grantee', name: 'Lantern Security Labs', kind: 'grantee' },
  { key: 'public', name: 'Public applicants', kind: 'public' },
];

export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@forewarn.demo', name: 'Avery Admin', org: 'platform', roles: ['platform_admin'], clearance: 'SECRET', totpSecret: 'JBSWY3DPEHPK3PXP', what: 'Platform administrator: organisations, users, outbox, jobs, whole audit trail' },
  { email: 'auditor@forewarn.demo', name: 'Ira Inspector', org: 'platform', roles: ['platform_auditor', 'inspector_general'], clearance: 'CONFIDENTIAL', what: 'Oversight auditor and inspector general: audit trail up to CONFIDENTIAL, consistency of partner decisions' },
  { email: 'lab.admin@meridian.demo', name: 'Lena Park', org: 'lab', roles: ['org_admin', 'developer'], clearance: 'CUI', what: 'Frontier lab administrator (Meridian AI)' },
  { email: 'lab.engineer@meridian.demo', name: 'Omar Reyes', org: 'lab', roles: ['developer'], clearance: 'CUI', what: 'Frontier lab engineer (Meridian AI)' },
  { email: 'nsa.analyst@nsa.demo', name: 'Nora Stone', org: 'nsa', roles: ['analyst', 'org_admin'], clearance: 'TOP SECRET', compartments: ['BENCH'], totpSecret: 'KRSXG5CTMVRXEZLU', what: 'NSA analyst, TOP SECRET with the BENCH compartment (the classified benchmark)' },
  { email: 'cisa.analyst@cisa.demo', name: 'Carlos Iglesias', org: 'cisa', roles: ['analyst', 'program_officer', 'hiring_manager'], clearance: 'SECRET', totpSecret: 'MFRGGZDFMZTWQ2LK', what: 'CISA analyst, SECRET; grants program officer and hiring manager' },
  { email: 'nist.analyst@nist.demo', name: 'Nia Thompson', org: 'nist', roles: ['analyst', 'grant_reviewer'], clearance: 'CONFIDENTIAL', what: 'NIST (CAISI) evaluator, CONFIDENTIAL; grant reviewer' },
  { email: 'oncd.analyst@oncd.demo', name: 'Owen Chu', org: 'oncd', roles: ['analyst'], clearance: 'CONFIDENTIAL', what: 'ONCD policy analyst, CONFIDENTIAL' },
  { email: 'ostp.analyst@ostp.demo', name: 'Olivia Sato', org: 'ostp', roles: ['analyst'], clearance: 'CUI', what: 'OSTP adviser, CUI' },
  { email: 'dod.analyst@dod.demo', name: 'Dana Okafor', org: 'dod', roles: ['analyst', 'grant_reviewer'], clearance: 'CONFIDENTIAL', what: 'DoD analyst, CONFIDENTIAL; grant reviewer' },
  { email: 'treasury.analyst@treasury.demo', name: 'Tess Morgan', org: 'treasury', roles: ['analyst', 'clearinghouse_analyst', 'org_admin'], clearance: 'CUI', what: 'Treasury clearinghouse analyst, CUI' },
  { email: 'partner@sentinel.demo', name: 'Sam Patel', org: 'partner', roles: ['partner_reviewer', 'org_admin'], clearance: 'CUI', what: 'Trusted-partner reviewer (Sentinel Security Partners)' },
  { email: 'security@openhealth.demo', name: 'Vera Lind', org: 'vendor', roles: ['vendor_coordinator', 'org_admin'], clearance: 'UNCLASSIFIED', what: 'Software vendor security coordinator (OpenHealth Software)' },
  { email: 'it@prairiehospital.demo', name: 'Hank Miller', org: 'hospital', roles: ['operator_staff', 'org_admin'], clearance: 'UNCLASSIFIED', what: 'IT lead, rural hospital' },
  { email: 'it@heartlandbank.demo', name: 'Beth Novak', org: 'bank', roles: ['operator_staff', 'org_admin'], clearance: 'UNCLASSIFIED', what: 'IT lead, community bank' },
  { email: 'it@riverbendutilities.demo', name: 'Uma Reed', org: 'utility', roles: ['operator_staff', 'org_admin'], clearance: 'UNCLASSIFIED', what: 'IT lead, local water utility' },
  { email: 'grants@lanternlabs.demo', name: 'Gil Ortega', org: 'grantee', roles: ['grantee_staff', 'org_admin'], clearance: 'UNCLASSIFIED', what: 'Grant applicant (AI vulnerability-detection tool builder)' },
  { email: 'candidate@forewarn.demo', name: 'Casey Jordan', org: 'public', roles: ['candidate'], clearance: 'UNCLASSIFIED', what: 'Job candidate (cyber and AI hiring pathways)' },
];
