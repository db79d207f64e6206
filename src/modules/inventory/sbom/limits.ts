// Default limits for one uploaded SBOM. An SBOM of a large container image has a few thousand
// components; 50,000 leaves room for monorepos while keeping one upload's matching bounded.
export interface SbomLimits {
  /** Size of the file in bytes. */
  maxBytes: number;
  /** Components after nested components are flattened (the subject component not counted). */
  maxComponents: number;
  /** How deep components may nest inside components (CycloneDX `components[].components[]`). */
  maxDepth: number;
}

export const DEFAULT_SBOM_LIMITS: Readonly<SbomLimits> = Object.freeze({
  maxBytes: 20 * 1024 * 1024,
  maxComponents: 50_000,
  maxDepth: 32,
});

export function resolveLimits(partial?: Partial<SbomLimits>): SbomLimits {
  return { ...DEFAULT_SBOM_LIMITS, ...(partial ?? {}) };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}
