// Shapes of the determinations API (src/modules/determinations/determinations.types.ts).
import type { PageMarking } from '../../classification.tsx';

export interface MarkingView {
  classification: string;
  compartments: string[];
  banner: string;
}

export function pageMarking(m: MarkingView): PageMarking {
  return { classification: m.classification as PageMarking['classification'], compartments: m.compartments };
}

export interface Position {
  id: string;
  agencyCode: string | null;
  agencyName: string;
  userEmail: string | null;
  position: 'concur' | 'concur_with_comment' | 'non_concur';
  comment: string | null;
  at: string;
}

export interface Benchmark {
  id: string;
  name: string;
  version: number;
  marking: MarkingView;
  domains: { domain: string; suites: string[]; rule: string }[];
  description: string | null;
  createdBy: string;
  createdAt: string;
}

export interface ThresholdVersion {
  id: string;
  benchmarkId: string;
  version: number;
  status: string;
  marking: MarkingView;
  contentVisible: boolean;
  benchmark: { name: string; version: number } | null;
  thresholds: Record<string, number> | null;
  note: string | null;
  proposedBy: string | null;
  proposedAt: string;
  adoptedBy: string | null;
  adoptedAt: string | null;
  positions: Position[];
  history: { action: string; by: string | null; at: string }[];
}

export interface Determination {
  id: string;
  modelId: string;
  model: { name: string; version: string } | null;
  status: string;
  marking: MarkingView;
  contentVisible: boolean;
  benchmark: { id: string; name: string; version: number } | null;
  thresholdVersion: { id: string; version: number; thresholds: Record<string, number> } | null;
  scores: Record<string, number> | null;
  computeFlop: number | null;
  judgment: string | null;
  rationale: string | null;
  suggested: {
    outcome: string;
    domains: { domain: string; score: number | null; threshold: number; result: string }[];
    compute: string;
    computeTriggerFlop: number;
    reasons: string[];
  } | null;
  signoffs: Position[];
  outcome: string | null;
  unclassifiedSummary: string | null;
  expiresAt: string | null;
  reevaluationTriggers: string[];
  createdBy: string | null;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface CandidateModel {
  id: string;
  name: string;
  version: string;
  trainingComputeFlop: number;
}

export interface DeterminationNotice {
  id: string;
  modelId: string;
  outcome: 'covered' | 'not_covered' | 'inconclusive';
  summary: string;
  expiresAt: string | null;
  reevaluationTriggers: string[];
  decidedAt: string;
  marking: MarkingView;
}

export const DOMAINS = ['cyber', 'cbrn', 'autonomy'] as const;
export const DOMAIN_LABEL: Record<string, string> = { cyber: 'Cyber', cbrn: 'CBRN', autonomy: 'Autonomy' };
export const OUTCOME_LABEL: Record<string, string> = { covered: 'Covered', not_covered: 'Not covered', inconclusive: 'Inconclusive' };
export const POSITION_LABEL: Record<string, string> = { concur: 'Concur', concur_with_comment: 'Concur with comment', non_concur: 'Non-concur' };
export const STATUS_LABEL: Record<string, string> = {
  draft: 'Draft',
  in_signoff: 'Awaiting sign-off',
  decided: 'Decided',
  superseded: 'Superseded',
  proposed: 'Proposed',
  adopted: 'Adopted',
  withdrawn: 'Withdrawn',
};
export const TRIGGERS = ['new_version', 'fine_tune', 'compute_increase', 'new_capability', 'deployment_change', 'expiry'] as const;
export const TRIGGER_LABEL: Record<string, string> = {
  new_version: 'A new model version',
  fine_tune: 'A fine-tune of the model',
  compute_increase: 'An increase in training compute',
  new_capability: 'A new capability',
  deployment_change: 'A change in deployment',
  expiry: 'The expiry date',
};
