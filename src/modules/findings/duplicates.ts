// Duplicate detection within a model: the same kind of finding, an affected product in common and
// the same weakness. Two findings without any product (a dangerous capability, a safeguard bypass)
// are compared on kind and weakness alone only when both name a CWE; without a CWE and products
// there is nothing to compare and nothing is flagged.

export interface DedupeCandidate {
  id: string;
  kind: string;
  cwe: string | null;
  productKeys: readonly string[];
  /** When it was filed (or created): the earliest match is the one linked. */
  at: Date;
}

export function isDuplicate(a: Omit<DedupeCandidate, 'id' | 'at'>, b: Omit<DedupeCandidate, 'id' | 'at'>): boolean {
  if (a.kind !== b.kind) return false;
  if ((a.cwe ?? null) !== (b.cwe ?? null)) return false;
  if (a.productKeys.length === 0 && b.productKeys.length === 0) return a.cwe !== null;
  const keys = new Set(a.productKeys);
  return b.productKeys.some((k) => keys.has(k));
}

/** The earliest earlier finding that the new one duplicates, or null. */
export function findDuplicate(finding: Omit<DedupeCandidate, 'at'>, earlier: readonly DedupeCandidate[]): DedupeCandidate | null {
  const hits = earlier.filter((e) => e.id !== finding.id && isDuplicate(finding, e));
  hits.sort((x, y) => x.at.getTime() - y.at.getTime() || x.id.localeCompare(y.id));
  return hits[0] ?? null;
}
