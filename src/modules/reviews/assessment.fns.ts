import { highest, SECRET, type Marking } from '../access/marking.ts';

// Pure rules of the coordinated assessment plan.

export const WORKSTREAM_KINDS = ['classified_benchmark', 'cyber_capability_evaluation', 'safeguard_red_teaming', 'third_party_vulnerability_discovery', 'deployment_security_review'] as const;
export type WorkstreamKind = (typeof WORKSTREAM_KINDS)[number];

export const WORKSTREAM_KIND_LABELS: Record<WorkstreamKind, string> = {
  classified_benchmark: 'Classified benchmark',
  cyber_capability_evaluation: 'Cyber-capability evaluation',
  safeguard_red_teaming: 'Safeguard red-teaming',
  third_party_vulnerability_discovery: 'Vulnerability discovery in third-party software',
  deployment_security_review: 'Deployment security review',
};

/** The classified benchmark is never marked below SECRET//BENCH, whatever the planner asks for. */
export const BENCHMARK_MARKING: Marking = { classification: SECRET, compartments: ['BENCH'] };

export function workstreamMarking(kind: WorkstreamKind, requested: Marking | null): Marking {
  const base = requested ?? { classification: 1, compartments: [] };
  const floor = { classification: Math.max(1, base.classification), compartments: [...base.compartments] };
  return kind === 'classified_benchmark' ? highest([floor, BENCHMARK_MARKING]) : floor;
}

/** A workstream is due inside its window: after it opens and no later than it closes. */
export function dueViolation(dueAt: Date, window: { opensAt: Date; closesAt: Date }): string | null {
  if (dueAt.getTime() < window.opensAt.getTime()) return `on or after the window opens (${window.opensAt.toISOString()})`;
  if (dueAt.getTime() > window.closesAt.getTime()) return `no later than the window closes (${window.closesAt.toISOString()})`;
  return null;
}
