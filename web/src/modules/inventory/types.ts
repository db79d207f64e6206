// What the inventory API answers (src/modules/inventory/inventory.types.ts), as the web UI reads it.
export interface Component {
  id: string;
  source: 'sbom' | 'manual';
  purl: string | null;
  package: string | null;
  ecosystem: string | null;
  namespace: string | null;
  name: string;
  version: string | null;
  cpe: string | null;
}

export interface SbomSummary {
  id: string;
  version: number;
  format: string;
  specVersion: string;
  serialNumber: string | null;
  subjectName: string | null;
  sha256: string;
  bytes: number;
  componentCount: number;
  warnings: string[];
  current: boolean;
  uploadedAt: string;
}

export interface Asset {
  id: string;
  name: string;
  kind: string;
  description: string | null;
  currentSbomId: string | null;
  componentCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface AssetDetail extends Asset {
  components: { items: Component[]; total: number; limit: number; offset: number };
  sboms: SbomSummary[];
}

export type UploadResult = SbomSummary & { assetId: string };

export const OPERATOR_SIZES = ['small', 'medium', 'large'] as const;
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export interface Contact {
  name: string;
  email: string;
  phone?: string | null;
  role?: string | null;
}

export interface Channel {
  id: string;
  kind: 'email' | 'webhook';
  address: string;
  tlpMax: Tlp;
  hasSecret: boolean;
  createdAt: string;
}

export interface Profile {
  orgId: string;
  orgName: string;
  sector: string | null;
  size: (typeof OPERATOR_SIZES)[number] | null;
  priorityTier: number | null;
  contacts: Contact[];
  channels: Channel[];
}

/** "water_wastewater" → "water wastewater". */
export function words(value: string | null | undefined): string {
  return value ? value.replace(/[_-]+/g, ' ') : '—';
}

export function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)}%`;
}

const FORMAT_LABELS: Record<string, string> = { 'cyclonedx-json': 'CycloneDX', 'cyclonedx-xml': 'CycloneDX XML', 'spdx-json': 'SPDX' };

/** "cyclonedx-json", "1.5" → "CycloneDX 1.5". */
export function sbomFormat(format: string, specVersion: string): string {
  return `${FORMAT_LABELS[format] ?? format} ${specVersion}`;
}

export interface AdvisorySummary {
  id: string;
  source: 'clearinghouse' | 'osv';
  externalId: string;
  clearinghouseAdvisoryId: string | null;
  title: string;
  tlp: string;
  severity: string | null;
  withdrawn: boolean;
  publishedAt: string;
  modifiedAt: string | null;
}

export interface Match {
  id: string;
  advisory: AdvisorySummary;
  asset: { id: string; name: string };
  componentId: string;
  package: string;
  version: string | null;
  verdict: 'affected' | 'unknown';
  fixedIn: string | null;
  matchedAt: string;
  clearedAt: string | null;
  clearedReason: string | null;
}

export const REMEDIATION_STATES = ['notified', 'acknowledged', 'patching', 'patched', 'not_affected', 'risk_accepted'] as const;
export type RemediationState = (typeof REMEDIATION_STATES)[number];
export type OperatorEvent = 'acknowledge' | 'start_patching' | 'mark_patched' | 'declare_not_affected' | 'accept_risk' | 'reopen';

export interface RemediationRecord {
  id: string;
  advisoryId: string;
  advisoryRef: string;
  title: string;
  severity: string | null;
  tlp: string;
  state: RemediationState;
  priorityTier: number | null;
  dueAt: string;
  overdue: boolean;
  justification: string | null;
  riskExpiresAt: string | null;
  fix: { fixedVersions: string[]; remediation: string | null; url: string | null };
  openComponents: number;
  openedAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface RemediationDetail extends RemediationRecord {
  note: string | null;
  actions: OperatorEvent[];
  components: { assetId: string; assetName: string | null; componentId: string; package: string; version: string | null; matchedAt: string; clearedAt: string | null }[];
  history: { event: string; fromState: string | null; toState: string; by: string | null; note: string | null; at: string }[];
}

export interface Delivery {
  id: string;
  channelKind: 'email' | 'webhook';
  address: string;
  event: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  deliveredAt: string | null;
  deadAt: string | null;
}

// CSAF 2.0 flag labels, then CycloneDX analysis justifications (remediation.machine.ts).
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'inline_mitigations_already_exist',
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
