// API shapes of the models module (src/modules/models/models.types.ts).
import type { Classification } from '../../classification.tsx';

export interface Marking {
  classification: Classification;
  compartments: string[];
}

export interface Agency {
  id: string;
  name: string;
  agencyCode: string | null;
}

export interface ModelSummary {
  id: string;
  familyId: string;
  previousVersionId: string | null;
  name: string;
  version: string;
  modality: string;
  plannedReleaseAt: string;
  daysToRelease: number;
  trainingComputeFlop: number;
  status: string;
  ownerOrgId: string;
  ownerOrgName: string;
  mine: boolean;
  marking: Marking;
  createdAt: string;
  updatedAt: string;
}

export interface ModelDocument {
  id: string;
  modelId: string;
  kind: string;
  title: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  marking: Marking;
  caveat: string | null;
  markingText: string;
  inheritedFromId: string | null;
  status: 'active' | 'withdrawn';
  withdrawnAt: string | null;
  createdAt: string;
  updatedAt: string;
  sharedWith?: Agency[];
}

export interface ModelDetail extends ModelSummary {
  lineageModelId: string | null;
  lineage: { id: string; name: string; version: string } | null;
  computeEstimationMethod: string;
  intendedDeployment: string;
  capabilitySummary: string;
  versions: { id: string; version: string; previousVersionId: string | null; plannedReleaseAt: string; status: string; createdAt: string }[];
  documents: ModelDocument[];
}

export const MODALITIES = ['text', 'code', 'image', 'audio', 'video', 'multimodal', 'other'] as const;

export const DOCUMENT_KINDS = [
  ['architecture', 'Architecture description'],
  ['training_data', 'Training-data summary'],
  ['safeguards', 'Deployment safeguards'],
  ['model_card', 'Model card'],
  ['evaluation_results', 'Earlier evaluation results'],
  ['other', 'Other'],
] as const;

export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;

export function kindLabel(kind: string): string {
  return DOCUMENT_KINDS.find(([k]) => k === kind)?.[1] ?? kind;
}

/** 2.5e26 → "2.5 × 10^26 FLOP" in words a screen reader reads well. */
export function formatFlop(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return String(n);
  const exp = Math.floor(Math.log10(n));
  const mantissa = n / 10 ** exp;
  return `${Number(mantissa.toPrecision(3))} × 10^${exp} FLOP`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
