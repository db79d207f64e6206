// Bounds on one submission and on each candidate report it yields. Lists whose loss would change
// who is matched (affected products, ranges, versions) are refused when too long; descriptive text
// is shortened with a warning; references and aliases beyond the limit are dropped with a warning.
export interface IntakeLimits {
  maxBytes: number;
  /** Candidate reports from one submission (SARIF results, OSV records, CSAF/VEX vulnerabilities). */
  maxCandidates: number;
  /** JSON nesting, checked before parsing. */
  maxNesting: number;
}

export const DEFAULT_INTAKE_LIMITS: Readonly<IntakeLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxCandidates: 10_000,
  maxNesting: 100,
});

export const CANDIDATE_LIMITS = Object.freeze({
  title: 500,
  description: 65_536,
  cwe: 50,
  cvss: 20,
  affected: 5_000,
  ranges: 100,
  events: 500,
  versions: 20_000,
  references: 200,
  ids: 100,
  fingerprints: 50,
  fingerprintKey: 256,
  fingerprintValue: 1_024,
  url: 4_096,
  name: 1_024,
  version: 256,
  purl: 2_048,
  cpe: 1_024,
  id: 256,
  text: 4_096,
});

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
