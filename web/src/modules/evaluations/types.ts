// Shapes of the evaluations API (src/modules/evaluations/evaluations.types.ts).
import type { Classification, PageMarking } from '../../classification.tsx';

export interface MarkingView {
  classification: string;
  compartments: string[];
  banner: string;
}

export function pageMarking(m: MarkingView): PageMarking {
  return { classification: m.classification as Classification, compartments: m.compartments };
}

export interface SuiteVersion {
  id: string;
  version: string;
  sampleCount: number;
  domains: { domain: string; samples: number }[];
  solver: Record<string, unknown>;
  scorer: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
}

export interface Suite {
  id: string;
  name: string;
  description: string | null;
  marking: MarkingView;
  orgId: string;
  orgName: string | null;
  benchmarkId: string | null;
  benchmarkDomain: string | null;
  latestVersion: SuiteVersion | null;
  createdAt: string;
}

export interface SuiteDetail extends Suite {
  versions: SuiteVersion[];
}

export interface Sample {
  id: string;
  position: number;
  domain: string;
  input: string | { role: string; content: string }[];
  choices: string[] | null;
  target: string | string[];
  metadata: Record<string, unknown> | null;
}

export interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export const RUN_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'stopped'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const STATUS_LABEL: Record<RunStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  stopped: 'Stopped (access ended)',
};

export function isLive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

export interface Progress {
  total: number;
  done: number;
  correct: number;
  errors: number;
  ratePerSecond: number | null;
  etaSeconds: number | null;
}

export interface Run {
  id: string;
  name: string | null;
  suiteId: string;
  suiteName: string;
  suiteVersionId: string;
  suiteVersion: string;
  modelId: string;
  modelName: string | null;
  grantId: string;
  windowId: string;
  status: RunStatus;
  statusReason: string | null;
  concurrency: number;
  runnerUserId: string;
  runnerEmail: string | null;
  orgId: string;
  marking: MarkingView;
  benchmarkId: string | null;
  benchmarkDomain: string | null;
  progress: Progress;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Result {
  sampleId: string;
  position: number;
  domain: string;
  score: number | null;
  correct: boolean;
  answer: string | null;
  output: string | null;
  explanation: string | null;
  latencyMs: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  attempts: number;
  error: string | null;
  finishedAt: string;
}

export interface Interval {
  lower: number;
  upper: number;
}

export interface Aggregate {
  domain: string;
  n: number;
  scored: number;
  errors: number;
  correct: number;
  accuracy: number;
  meanScore: number;
  ci: Interval;
  meanLatencyMs: number | null;
  totalTokens: number;
}

export interface Aggregates {
  runId: string;
  status: RunStatus;
  complete: boolean;
  domains: Aggregate[];
  overall: Aggregate;
}

export interface Comparison {
  a: { runId: string; modelName: string | null; suiteName: string };
  b: { runId: string; modelName: string | null; suiteName: string };
  rows: { domain: string; a: Aggregate; b: Aggregate; difference: number; ci: Interval; z: number; pValue: number }[];
}

export interface RunnableGrant {
  grantId: string;
  windowId: string;
  modelId: string;
  modelName: string;
  expiresAt: string | null;
  closesAt: string;
}

export interface BenchmarkScores {
  runId: string;
  benchmarkId: string;
  benchmark: { name: string; version: number };
  marking: MarkingView;
  runStatus: RunStatus;
  complete: boolean;
  thresholdVersion: { id: string; version: number } | null;
  domains: { domain: string; score: number; n: number; ci: Interval; threshold: number | null; meetsThreshold: boolean | null }[];
}

export function percent(x: number, digits = 1): string {
  return `${(x * 100).toFixed(digits)}%`;
}

export function interval(ci: Interval): string {
  return `${percent(ci.lower)} – ${percent(ci.upper)}`;
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function runTitle(r: Pick<Run, 'name' | 'suiteName' | 'modelName'>): string {
  return r.name || `${r.suiteName} on ${r.modelName ?? 'a model'}`;
}

/** A sample's input as one line of text. */
export function inputText(input: Sample['input']): string {
  return typeof input === 'string' ? input : input.map((m) => `${m.role}: ${m.content}`).join('\n');
}
