// Shapes of the coordination (cases, vendors, embargo) and advisories APIs as the pages use them.

export interface EmbargoClock {
  releaseAt: string;
  timeZone: string;
  local: string;
  /** "Monday, December 21, 2026 at 09:00 EST (America/New_York)" */
  display: string;
  active: boolean;
  hoursRemaining: number;
}

export interface CaseListItem {
  id: string;
  vulnerabilityId: string;
  title: string;
  status: 'open' | 'closed';
  openedAt: string;
  embargo: EmbargoClock;
  vendors: number;
  statements: number;
  silentVendors: number;
  longestSilentDays: number | null;
}

export interface VendorCaseListItem {
  id: string;
  vulnerabilityId: string;
  title: string;
  status: 'open' | 'closed';
  openedAt: string;
  embargo: EmbargoClock;
  notifiedAt: string | null;
  myStatements: number;
}

export interface CaseVendor {
  orgId: string;
  name: string;
  addedHow: 'purl' | 'hand';
  matchedPurls: string[];
  addedAt: string;
  notifiedAt: string | null;
  respondedAt: string | null;
  silentDays: number | null;
  remindersSent: number;
  lastRemindedAt: string | null;
}

export interface Statement {
  id: string;
  vendorOrgId: string;
  vendorName: string;
  product: string;
  status: StatementStatus;
  justification: string | null;
  fixedVersion: string | null;
  remediation: string | null;
  shared: boolean;
  statedAt: string;
}

export interface Message {
  id: string;
  visibility: 'internal' | 'vendor' | 'all_vendors';
  vendorOrgId: string | null;
  authorName: string;
  authorOrgName: string;
  mine: boolean;
  body: string;
  postedAt: string;
}

export interface CaseView {
  id: string;
  view: 'coordinator' | 'vendor';
  vulnerabilityId: string;
  title: string;
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  cvss: { version: string; vector: string; baseScore: number; severity: string }[];
  cwe: string[];
  affectedPurls: string[];
  embargo: EmbargoClock;
  /** For coordinators: the embargo ends after the model's planned release, and the like. */
  warnings?: string[];
  embargoHistory: { action: string; from: string | null; to: string; timeZone: string; basis: string | null; modelId: string | null; reason: string | null; at: string }[];
  vendors: CaseVendor[];
  statements: Statement[];
  messages: Message[];
}

export const STATEMENT_STATUSES = ['affected', 'not_affected', 'under_investigation', 'fixed'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];
export const STATEMENT_LABELS: Record<StatementStatus, string> = {
  affected: 'Affected',
  not_affected: 'Not affected',
  under_investigation: 'Under investigation',
  fixed: 'Fixed',
};

export const VEX_JUSTIFICATIONS: [string, string][] = [
  ['component_not_present', 'The component is not present'],
  ['vulnerable_code_not_present', 'The vulnerable code is not present'],
  ['vulnerable_code_cannot_be_controlled_by_adversary', 'The vulnerable code cannot be controlled by an adversary'],
  ['vulnerable_code_not_in_execute_path', 'The vulnerable code is not in the execute path'],
  ['inline_mitigations_already_exist', 'Inline mitigations already exist'],
];

export const VISIBILITY_LABELS: Record<Message['visibility'], string> = {
  internal: 'Coordinators only',
  vendor: 'One vendor',
  all_vendors: 'Every vendor of the case',
};

export interface VendorProduct {
  id: string;
  purl: string;
  match: 'package' | 'namespace';
  label: string | null;
  createdAt: string;
}

export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LABELS)[number];

export interface AdvisoryListItem {
  id: string;
  trackingId: string | null;
  status: 'draft' | 'published' | 'withdrawn';
  tlp: Tlp;
  title: string;
  severity: string | null;
  currentRevision: number;
  currentReleaseAt: string | null;
}

export interface Advisory extends AdvisoryListItem {
  csafStatus: 'interim' | 'final';
  summary: string;
  initialReleaseAt: string | null;
  revisions: { number: number; date: string; summary: string }[];
  documents: { name: string; href: string }[];
  distributionUrl: string | null;
  vulnerabilityId?: string;
  fields?: Record<string, unknown>;
}

/** "in 3 days 4 hours", "ended" — the embargo clock in words. */
export function remaining(clock: EmbargoClock): string {
  if (!clock.active || clock.hoursRemaining <= 0) return 'Ended';
  const d = Math.floor(clock.hoursRemaining / 24);
  const h = clock.hoursRemaining % 24;
  return `${d ? `${d} day${d === 1 ? '' : 's'} ` : ''}${h} hour${h === 1 ? '' : 's'} left`;
}
