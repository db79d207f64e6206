import type { Classification } from '../../classification.tsx';

export interface Marking {
  classification: Classification;
  compartments: string[];
}

export const FINDING_KIND_LABELS: Record<string, string> = {
  dangerous_capability: 'Dangerous capability',
  safeguard_bypass: 'Safeguard bypass',
  deployment_vulnerability: 'Deployment or infrastructure vulnerability',
  third_party_vulnerability: 'Vulnerability in third-party software',
};

export const RATINGS = ['none', 'low', 'medium', 'high', 'critical'] as const;

export const STATUS_LABELS: Record<string, string> = {
  draft: 'Draft',
  filed: 'Filed',
  shared: 'Shared with the developer',
  accepted: 'Accepted by the developer',
  disputed: 'Disputed by the developer',
  mitigated: 'Mitigation reported',
  verified: 'Mitigation verified',
  reopened: 'Reopened',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

export const EVENT_LABELS: Record<string, string> = {
  file: 'File',
  share: 'Share with the developer',
  accept: 'Accept',
  dispute: 'Dispute',
  mitigate: 'Report a mitigation',
  verify: 'Verify the mitigation',
  reject_mitigation: 'Mitigation not verified',
  close: 'Close',
  reopen: 'Reopen',
  withdraw: 'Withdraw',
};

export const NOTE_REQUIRED = new Set(['dispute', 'mitigate', 'reject_mitigation', 'close', 'reopen', 'withdraw']);

export interface FindingSummary {
  id: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
  kind: string;
  title: string;
  rating: string;
  cvssScore: number | null;
  status: string;
  dueAt: string | null;
  filerOrgName: string | null;
  duplicate: boolean;
  handoffState: string | null;
  marking: Marking;
  markingText: string;
  createdAt: string;
}

export interface Finding extends FindingSummary {
  windowId: string;
  summary: string;
  cvss: { version: string; vector: string; score: number } | null;
  cwe: string | null;
  products: { kind: string; value: string }[];
  transcriptIds: string[];
  evidence: { id: string; filename: string; mediaType: string; sizeBytes: number; sha256: string; createdAt: string }[];
  plannedReleaseAt: string;
  duplicateOf: { id: string; title: string } | null;
  developerResponse: string | null;
  verification: string | null;
  handoff: { state: string; reason: string | null; attempts: number; at: string | null; clearinghouseReportId: string | null } | null;
  filedAt: string | null;
  sharedAt: string | null;
  role: 'reviewer' | 'developer' | 'reader';
  allowedEvents: string[];
  shares: { orgId: string | null; orgName: string | null; at: string; revokedAt: string | null }[];
  history: { at: string; action: string; fromStatus: string | null; toStatus: string | null; actorOrgName: string | null; note: string | null; detail: Record<string, unknown> }[];
}

export interface BoardWindow {
  id: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
  developerOrgName: string | null;
  status: string;
  opensAt: string;
  closesAt: string;
}

export interface BoardSummary {
  window: BoardWindow;
  workstreams: number;
  byStatus: Record<string, number>;
}

export interface Workstream {
  id: string;
  kind: string;
  kindLabel: string;
  title: string;
  description: string | null;
  status: string;
  statusReason: string | null;
  dueAt: string;
  assignees: { orgId: string; orgName: string | null }[];
  marking: Marking;
  markingText: string;
  allowedEvents: string[];
  canEdit: boolean;
}

export interface Board {
  window: BoardWindow;
  canManage: boolean;
  participants: { orgId: string; orgName: string | null; orgKind: string | null }[];
  workstreams: Workstream[];
  marking: Marking;
}

export const WORKSTREAM_KINDS: [string, string][] = [
  ['classified_benchmark', 'Classified benchmark (SECRET//BENCH)'],
  ['cyber_capability_evaluation', 'Cyber-capability evaluation'],
  ['safeguard_red_teaming', 'Safeguard red-teaming'],
  ['third_party_vulnerability_discovery', 'Vulnerability discovery in third-party software'],
  ['deployment_security_review', 'Deployment security review'],
];

export const WORKSTREAM_STATUSES: [string, string][] = [
  ['planned', 'Planned'],
  ['in_progress', 'In progress'],
  ['blocked', 'Blocked'],
  ['done', 'Done'],
  ['cancelled', 'Cancelled'],
];

export const WORKSTREAM_EVENT_LABELS: Record<string, string> = { start: 'Start', block: 'Mark blocked', unblock: 'Unblock', complete: 'Mark done', cancel: 'Cancel' };
