import type { PageMarking } from '../../classification.tsx';

export interface WindowGrant {
  id: string;
  granteeOrgId: string | null;
  granteeOrgName: string | null;
  startsAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  active: boolean;
}

export interface ReviewWindow {
  id: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
  developerOrgId: string;
  developerOrgName: string | null;
  status: 'open' | 'closed' | 'withdrawn';
  opensAt: string;
  closesAt: string;
  policyVersion: number;
  closedAt: string | null;
  closeReason: string | null;
  createdAt: string;
  plannedReleaseAt: string;
  grants: WindowGrant[];
  marking: PageMarking;
}

export interface Eligibility {
  eligible: boolean;
  covered: boolean;
  wouldBenefit: boolean;
  reason: string;
  maxWindowDays: number;
  plannedReleaseAt: string;
  modelStatus: string;
}

export interface TimelineItem {
  at: string;
  kind: 'event' | 'release_change';
  action: string;
  actorOrgName: string | null;
  recordType: string | null;
  recordId: string | null;
  detail: Record<string, unknown>;
}

export interface Timeline {
  modelId: string;
  items: TimelineItem[];
  marking: PageMarking;
}

export interface PolicyVersion {
  version: number;
  maxWindowDays: number;
  computeTriggerFlop: number;
  reason: string;
  createdBy: string | null;
  createdAt: string;
}

export interface Policy {
  current: PolicyVersion;
  history: PolicyVersion[];
}

export interface AgencyOption {
  id: string;
  name: string;
  agencyCode: string | null;
}

const REASONS: Record<string, string> = {
  expired: 'reached its end',
  ended_by_developer: 'ended by the developer',
  release_reached: 'the release date arrived',
  withdrawn_from_framework: 'the developer withdrew from the framework',
};

export function closeReasonText(reason: string | null): string {
  return reason ? (REASONS[reason] ?? reason) : '';
}

const ACTIONS: Record<string, string> = {
  'review_window.open': 'Review window opened',
  'review_window.shorten': 'Review window shortened',
  'review_window.end': 'Review window ended by the developer',
  'review_window.close': 'Review window closed',
  'review_window.revoke_grant': 'Access revoked',
  'model.release_date_change': 'Planned release moved',
  'model.withdraw': 'Withdrawn from the framework',
};

export function actionText(action: string): string {
  return ACTIONS[action] ?? action;
}

/** "2026-07-01T12:00" (a datetime-local value) → ISO string, or the text unchanged for the server to refuse. */
export function localToIso(value: string): string {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toISOString();
}

/** An ISO time as a datetime-local input value in the browser's zone. */
export function isoToLocal(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
