// Shapes of the clearinghouse API as the pages use them, and the validation workflow's moves (the
// same table as src/modules/clearinghouse/vulnerability.machine.ts; the server decides, this only
// offers the moves it would accept).

export const FORMATS: [string, string][] = [
  ['', 'Recognise it from the content'],
  ['native', 'Forewarn report (native JSON)'],
  ['sarif', 'SARIF 2.1.0 (scanners and AI tools)'],
  ['osv', 'OSV (JSON or JSON Lines)'],
  ['csaf', 'CSAF 2.0'],
  ['cyclonedx-vex', 'CycloneDX VEX'],
];

export const FORMAT_LABELS: Record<string, string> = {
  native: 'Forewarn report',
  sarif: 'SARIF',
  osv: 'OSV',
  csaf: 'CSAF 2.0',
  'cyclonedx-vex': 'CycloneDX VEX',
};

export const STATES = ['received', 'triage', 'validating', 'validated', 'rejected', 'duplicate', 'coordinating', 'published', 'withdrawn'] as const;
export type VulnerabilityState = (typeof STATES)[number];

export const STATUS_LABELS: Record<VulnerabilityState, string> = {
  received: 'Received',
  triage: 'In triage',
  validating: 'Being validated',
  validated: 'Validated',
  rejected: 'Rejected',
  duplicate: 'Duplicate',
  coordinating: 'Coordinating with vendors',
  published: 'Published',
  withdrawn: 'Withdrawn',
};

interface Move {
  to: VulnerabilityState;
  ability: string;
  reasonRequired: boolean;
}

const V = 'clearinghouse:validate';
const C = 'clearinghouse:coordinate';
const P = 'advisories:publish';

export const MOVES: Record<VulnerabilityState, Move[]> = {
  received: [
    { to: 'triage', ability: V, reasonRequired: false },
    { to: 'rejected', ability: V, reasonRequired: true },
    { to: 'duplicate', ability: V, reasonRequired: true },
  ],
  triage: [
    { to: 'validating', ability: V, reasonRequired: false },
    { to: 'rejected', ability: V, reasonRequired: true },
    { to: 'duplicate', ability: V, reasonRequired: true },
  ],
  validating: [
    { to: 'validated', ability: V, reasonRequired: false },
    { to: 'rejected', ability: V, reasonRequired: true },
    { to: 'duplicate', ability: V, reasonRequired: true },
  ],
  validated: [{ to: 'coordinating', ability: C, reasonRequired: false }],
  rejected: [{ to: 'triage', ability: V, reasonRequired: true }],
  duplicate: [{ to: 'triage', ability: V, reasonRequired: true }],
  coordinating: [
    { to: 'published', ability: P, reasonRequired: false },
    { to: 'withdrawn', ability: C, reasonRequired: true },
  ],
  published: [{ to: 'withdrawn', ability: P, reasonRequired: true }],
  withdrawn: [],
};

export const MOVE_LABELS: Record<VulnerabilityState, string> = {
  received: 'Back to received',
  triage: 'Start triage',
  validating: 'Start validating',
  validated: 'Mark validated',
  rejected: 'Reject',
  duplicate: 'Mark as a duplicate',
  coordinating: 'Start coordinating with vendors',
  published: 'Publish',
  withdrawn: 'Withdraw',
};

export function movesFor(state: VulnerabilityState, abilities: readonly string[]): Move[] {
  return MOVES[state].filter((m) => abilities.includes(m.ability));
}

export interface SubmitResult {
  reportId: string;
  format: string;
  candidates: { index: number; vulnerabilityId: string; merged: boolean }[];
  warnings: string[];
}

export interface Report {
  id: string;
  format: string;
  receivedAt: string;
  submitterUserId: string;
  mine: boolean;
  findingId: string | null;
  candidates: { index: number; title: string; vulnerabilityId: string; merged: boolean; status: VulnerabilityState }[];
}

export interface QueueItem {
  id: string;
  title: string;
  status: VulnerabilityState;
  createdAt: string;
  ageDays: number;
  statusSince: string;
  slaDays: number | null;
  slaDueAt: string | null;
  overdue: boolean;
  assignedValidatorUserId: string | null;
  reports: number;
}

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  repo?: string;
  events: Record<string, string>[];
}

export interface AffectedProduct {
  purl?: string;
  cpe?: string;
  ecosystem?: string;
  name?: string;
  ranges?: OsvRange[];
  versions?: string[];
  vers?: string;
  [other: string]: unknown;
}

export interface CvssScore {
  version: string;
  vector: string;
  baseScore: number;
  severity: string;
  score: number;
}

export interface Vulnerability {
  id: string;
  view: 'analyst' | 'reporter';
  status: VulnerabilityState;
  statusSince: string;
  title?: string;
  createdAt?: string;
  slaDueAt?: string | null;
  overdue?: boolean;
  cvss?: CvssScore[];
  cwe?: string[];
  affected?: AffectedProduct[];
  assignedValidatorUserId?: string | null;
  credits: { reportId: string; reporterUserId: string; reporterOrgId: string; merged: boolean; linkedAt: string }[];
  evidence?: { id: string; kind: string; name: string | null; mediaType: string | null; sizeBytes: number; addedAt: string }[];
  history?: { from: string | null; to: string; reason: string | null; at: string }[];
}

/** "pkg:npm/foo: SEMVER introduced 0, fixed 2.3.2; versions 1.0" — one affected product in words. */
export function describeAffected(a: AffectedProduct): string {
  const who = a.purl ?? a.cpe ?? [a.ecosystem, a.name].filter(Boolean).join('/');
  const parts: string[] = [];
  for (const r of a.ranges ?? []) {
    const events = r.events.map((e) => Object.entries(e).map(([k, v]) => `${k.replace('_', ' ')} ${v}`).join('')).join(', ');
    parts.push(`${r.type}${r.repo ? ` (${r.repo})` : ''} ${events}`);
  }
  if (a.versions?.length) parts.push(`versions ${a.versions.join(', ')}`);
  if (a.vers) parts.push(a.vers);
  return parts.length ? `${who}: ${parts.join('; ')}` : who;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}
