// What the matching service exchanges with its neighbours: advisories to index (from the
// clearinghouse's publication and from imported OSV data) and the match events it emits
// (to notifications and remediation). Pure types.
import type { OsvRange } from './ranges.ts';
import type { TlpLabel } from '../clearinghouse/advisory/tlp.ts';

export type AdvisorySeverity = 'low' | 'medium' | 'high' | 'critical';

/** One affected package of an advisory: the canonical purl without version, and OSV ranges/versions. */
export interface MatchableAffected {
  package: string;
  ranges: OsvRange[];
  versions: string[];
}

export interface MatchableAdvisory {
  source: 'clearinghouse' | 'osv';
  /** FWN-2026-0001 for the clearinghouse's own, the OSV id for imported records. */
  externalId: string;
  /** The clearinghouse advisory (publication module) when source is 'clearinghouse'. */
  clearinghouseAdvisoryId: string | null;
  title: string;
  tlp: TlpLabel;
  severity: AdvisorySeverity | null;
  affected: MatchableAffected[];
  /** Organisations entitled to receive it beyond the affected operators' own (TLP audience), if restricted. */
  withdrawn: boolean;
  publishedAt: Date;
}

/**
 * A change in who is affected: 'matched' when a component of an operator's current inventory falls
 * in an advisory's ranges, 'cleared' when it no longer does (a new SBOM with the fixed version, a
 * component removed, an advisory withdrawn).
 */
export interface MatchEvent {
  kind: 'matched' | 'cleared';
  matchId: string;
  /** matching_advisories.id */
  advisoryId: string;
  orgId: string;
  assetId: string;
  componentId: string;
  package: string;
  version: string | null;
}
