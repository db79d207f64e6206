// A stored advisory's affected packages as the pure matcher's entries. Pure.
import type { AdvisoryEntry } from './match.ts';
import type { MatchableAffected } from './matching.types.ts';

/** The package key is a canonical versionless purl; the matcher derives identity and ordering from it. */
export function entriesOf(a: { affected: MatchableAffected[] }): AdvisoryEntry[] {
  return a.affected.map((x) => ({ package: { ecosystem: '', name: '', purl: x.package }, ranges: x.ranges, versions: x.versions }));
}
