// Shapes of the Forewarn API v1 resources the web UI uses.
import type { Classification } from './classification.tsx';

export interface MeUser {
  id: string;
  email: string;
  name: string;
  clearance: Classification;
  compartments: string[];
  roles: string[];
  totpEnrolled: boolean;
}

export interface Organisation {
  id: string;
  name: string;
  kind: OrgKind;
  agencyCode: string | null;
  sector: string | null;
  createdAt?: string;
}

export interface Me {
  user: MeUser;
  organisation: Organisation;
  session: { via?: 'session' | 'token'; mfa: boolean; effectiveClearance: Classification; expiresAt: string | null };
  abilities: string[];
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiToken {
  id: string;
  name: string;
  token: string;
  createdAt: string;
  expiresAt: string | null;
}

export interface OrgUser {
  id: string;
  email: string;
  name: string;
  roles: string[];
  clearance: Classification;
  compartments: string[];
  disabled: boolean;
  totpEnrolled: boolean;
  lastLoginAt: string | null;
  /** The user was invited and has not yet accepted. */
  invitationPending?: boolean;
}

export interface RoleInfo {
  role: string;
  label: string;
  orgKinds: string[];
}

export interface Invitation {
  id: string;
  userId?: string;
  email: string;
  expiresAt: string;
}

export interface Marking {
  classification: Classification;
  compartments: string[];
}

export interface AuditEvent {
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
  marking: Marking;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq?: number;
  firstBroken: null | { seq: number; reason: string };
}

export interface OutboxMail {
  id: string;
  to: string;
  subject: string;
  body: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

export interface DeadJob {
  id: string;
  name: string;
  data: unknown;
  state: string;
  retryCount: number | null;
  createdOn: string;
  completedOn: string | null;
  output: unknown;
}

export interface Items<T> {
  items: T[];
}

export interface Outbox extends Items<OutboxMail> {
  /** False when no SMTP server is configured: mail is held in the outbox. */
  smtpConfigured?: boolean;
}

export interface Page<T> extends Items<T> {
  nextCursor: string | null;
}

export const ORG_KINDS = [
  'platform',
  'ai_developer',
  'agency',
  'trusted_partner',
  'vendor',
  'operator',
  'grantee',
  'public',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_LABELS: Record<OrgKind, string> = {
  platform: 'Platform operator',
  ai_developer: 'AI developer',
  agency: 'Government agency',
  trusted_partner: 'Trusted partner',
  vendor: 'Software vendor',
  operator: 'Infrastructure operator',
  grantee: 'Grant applicant or awardee',
  public: 'Public',
};

export const AGENCY_CODES = ['NSA', 'CISA', 'NIST', 'ONCD', 'OSTP', 'DoD', 'TREASURY'] as const;

export const SECTORS = [
  'healthcare',
  'banking',
  'energy',
  'water',
  'federal_civilian',
  'communications',
  'transportation',
  'other',
] as const;

export const SECTOR_LABELS: Record<(typeof SECTORS)[number], string> = {
  healthcare: 'Healthcare',
  banking: 'Banking and finance',
  energy: 'Energy',
  water: 'Water',
  federal_civilian: 'Federal civilian',
  communications: 'Communications',
  transportation: 'Transportation',
  other: 'Other',
};

export function orgKindLabel(kind: string): string {
  return (ORG_KIND_LABELS as Record<string, string>)[kind] ?? kind;
}

export function sectorLabel(sector: string | null): string {
  if (!sector) return '—';
  return (SECTOR_LABELS as Record<string, string>)[sector] ?? sector;
}
