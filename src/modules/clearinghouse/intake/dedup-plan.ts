// Deduplication of one report's candidates, decided in memory so that a report of thousands of
// results costs a handful of statements instead of several per result. Pure: the caller reads the
// keys already stored, asks for a plan, and writes it; when a concurrent submission claimed one of
// the new keys first, the caller adds that key's owner to `known` and plans again.
import type { CandidateReport } from './candidate.ts';
import { fingerprintKeys, similarityKey } from './keys.ts';

export type DedupKeyKind = 'fingerprint' | 'similarity';
export interface DedupKey {
  key: string;
  kind: DedupKeyKind;
}

/** Exact identities first, then the similarity key: the order in which a merge target is chosen. */
export function dedupKeys(c: CandidateReport): DedupKey[] {
  const sim = similarityKey(c);
  return [...fingerprintKeys(c).map((key) => ({ key, kind: 'fingerprint' as const })), ...(sim ? [{ key: sim, kind: 'similarity' as const }] : [])];
}

export interface CandidateLink {
  vulnerabilityId: string;
  /** An earlier report, or an earlier candidate of this one, already led to the vulnerability. */
  merged: boolean;
  /** This candidate creates the vulnerability. */
  created: boolean;
}

export interface DedupPlan {
  links: CandidateLink[];
  /** Keys not stored yet, each leading to the vulnerability of the first candidate that has it. */
  newKeys: (DedupKey & { vulnerabilityId: string })[];
}

/**
 * Candidates in report order: one that shares any key with what is known (stored, or an earlier
 * candidate of the same report) joins that vulnerability; otherwise it creates one. A key belongs
 * to the first vulnerability that claimed it, so a merged candidate's other keys that already lead
 * elsewhere keep leading there.
 */
export function planLinks(keysPerCandidate: readonly (readonly DedupKey[])[], known: ReadonlyMap<string, string>, newId: () => string): DedupPlan {
  const owner = new Map(known);
  const links: CandidateLink[] = [];
  const newKeys: DedupPlan['newKeys'] = [];
  for (const keys of keysPerCandidate) {
    let vulnerabilityId: string | undefined;
    for (const k of keys) {
      vulnerabilityId = owner.get(k.key);
      if (vulnerabilityId !== undefined) break;
    }
    const merged = vulnerabilityId !== undefined;
    const id = vulnerabilityId ?? newId();
    for (const k of keys) {
      if (owner.has(k.key)) continue;
      owner.set(k.key, id);
      newKeys.push({ key: k.key, kind: k.kind, vulnerabilityId: id });
    }
    links.push({ vulnerabilityId: id, merged, created: !merged });
  }
  return { links, newKeys };
}
