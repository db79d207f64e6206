// Traffic Light Protocol 2.0 (FIRST, https://www.first.org/tlp/) applied to advisory dissemination.
// The clearinghouse is the source; `mayReceive` answers whether the platform may deliver an advisory
// to a recipient organisation (or, for RED, a named person). How the recipient may share it onward
// is the recipient's duty under TLP and is printed on the advisory; it is not enforced here.
//
//   CLEAR         no limit on disclosure: anyone, including the public.
//   GREEN         the community: organisations of the cybersecurity / cyber-defence community
//                 (by default every kind except `public` and `grantee`), optionally narrowed by the
//                 source to some organisation kinds or sectors ("unless otherwise specified").
//                 Never the public.
//   AMBER         limited disclosure, need to know: the source, the case participants (vendors,
//                 coordinators, validators), the organisations found affected (operators running the
//                 product) and the clients of those organisations that the source lists.
//   AMBER+STRICT  as AMBER but restricted to those organisations themselves: no clients.
//   RED           named individual recipients only: the people the source names (who must belong to
//                 an organisation of the case), plus the source organisation that holds the record.
//                 Other organisations as such receive nothing.
// Each label reaches a subset of the recipients of the label before it (tested).
import type { OrgKind } from '../../access/roles.ts';

export const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type TlpLabel = (typeof TLP_LABELS)[number];

export interface TlpRecipient {
  orgId: string;
  orgKind: OrgKind;
  sector?: string;
  /** Needed only for TLP:RED, which names people rather than organisations. */
  userId?: string;
}

export interface TlpAudience {
  /** The organisation that owns the advisory (the clearinghouse). */
  ownerOrgId: string;
  /** Organisations taking part in the coordination case. */
  caseParticipantOrgIds: readonly string[];
  /** Organisations found affected (e.g. operators whose inventory matches). */
  affectedOrgIds: readonly string[];
  /** Clients of audience organisations the source allows under TLP:AMBER (not AMBER+STRICT). */
  clientOrgIds?: readonly string[];
  /** People named for TLP:RED. */
  namedRecipientUserIds?: readonly string[];
  /** Narrows the TLP:GREEN community; absent means the default community. */
  greenCommunity?: { orgKinds?: readonly OrgKind[]; sectors?: readonly string[] };
}

/** TLP 2.0 GREEN: the cyber-defence community; the public and research grantees are outside it by default. */
export const DEFAULT_GREEN_COMMUNITY: readonly OrgKind[] = ['platform', 'agency', 'trusted_partner', 'vendor', 'operator', 'ai_developer'];

export function isTlpLabel(x: unknown): x is TlpLabel {
  return typeof x === 'string' && (TLP_LABELS as readonly string[]).includes(x);
}

function inNeedToKnow(r: TlpRecipient, a: TlpAudience): boolean {
  return r.orgId === a.ownerOrgId || a.caseParticipantOrgIds.includes(r.orgId) || a.affectedOrgIds.includes(r.orgId);
}

export function mayReceive(label: TlpLabel, recipient: TlpRecipient, audience: TlpAudience): boolean {
  switch (label) {
    case 'CLEAR':
      return true;
    case 'GREEN': {
      // Whoever may receive it under AMBER may receive it under GREEN: the labels are nested.
      if (inNeedToKnow(recipient, audience) || (audience.clientOrgIds ?? []).includes(recipient.orgId)) return true;
      if (recipient.orgKind === 'public') return false;
      const community = audience.greenCommunity;
      const kinds = community?.orgKinds ?? DEFAULT_GREEN_COMMUNITY;
      if (!kinds.includes(recipient.orgKind)) return false;
      if (community?.sectors && community.sectors.length > 0) {
        return recipient.sector !== undefined && community.sectors.includes(recipient.sector);
      }
      return true;
    }
    case 'AMBER':
      return inNeedToKnow(recipient, audience) || (audience.clientOrgIds ?? []).includes(recipient.orgId);
    case 'AMBER+STRICT':
      return inNeedToKnow(recipient, audience);
    case 'RED':
      if (recipient.orgId === audience.ownerOrgId) return true;
      // A named person receives RED only while their organisation is itself in the case.
      return (
        recipient.userId !== undefined &&
        (audience.namedRecipientUserIds ?? []).includes(recipient.userId) &&
        inNeedToKnow(recipient, audience)
      );
  }
}

/** TLP labels ordered from least to most restrictive; a lower label never reaches fewer recipients. */
export function tlpRank(label: TlpLabel): number {
  return TLP_LABELS.indexOf(label);
}

/**
 * CSAF 2.0 predates TLP 2.0 and only knows the TLP 1.0 labels WHITE, GREEN, AMBER, RED
 * (`document.distribution.tlp.label`). CLEAR is written as WHITE (same meaning); AMBER+STRICT has no
 * TLP 1.0 equivalent, so it is written as AMBER and the restriction is spelt out in
 * `document.distribution.text`, which every CSAF consumer displays.
 */
export type CsafTlpLabel = 'WHITE' | 'GREEN' | 'AMBER' | 'RED';

export function toCsafTlp(label: TlpLabel): { label: CsafTlpLabel; note?: string } {
  switch (label) {
    case 'CLEAR':
      return { label: 'WHITE', note: 'TLP:CLEAR (TLP 2.0); CSAF 2.0 writes it as TLP:WHITE.' };
    case 'GREEN':
      return { label: 'GREEN' };
    case 'AMBER':
      return { label: 'AMBER' };
    case 'AMBER+STRICT':
      return {
        label: 'AMBER',
        note: 'TLP:AMBER+STRICT (TLP 2.0): share only within your own organisation, not with its clients. CSAF 2.0 has no such label and writes TLP:AMBER.',
      };
    case 'RED':
      return { label: 'RED' };
  }
}

/** Reads a CSAF 2.0 label back; AMBER+STRICT is recognised only from the note written by toCsafTlp. */
export function fromCsafTlp(label: string, distributionText?: string): TlpLabel | undefined {
  switch (label) {
    case 'WHITE':
      return 'CLEAR';
    case 'GREEN':
      return 'GREEN';
    case 'AMBER':
      return distributionText?.includes('TLP:AMBER+STRICT') ? 'AMBER+STRICT' : 'AMBER';
    case 'RED':
      return 'RED';
    default:
      return undefined;
  }
}
