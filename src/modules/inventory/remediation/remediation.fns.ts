// Pure decisions of remediation tracking: when a record is due, what a channel may be told about an
// advisory (TLP), the words of a notice, how low-severity matches are batched into a daily digest.
import type { AdvisorySeverity, MatchableAffected } from '../../matching/matching.types.ts';
import { TLP_LABELS, type TlpLabel } from '../../clearinghouse/advisory/tlp.ts';

// Days to patch, by advisory severity (rows) and operator priority tier (columns: 1 is the most
// critical operators, 4 the least). An operator without a tier is treated as tier 3; an advisory
// without a severity as medium. docs: README.md in this folder repeats the table.
export const DUE_DAYS: Record<AdvisorySeverity, readonly [number, number, number, number]> = {
  critical: [7, 14, 21, 30],
  high: [14, 30, 45, 60],
  medium: [30, 45, 60, 90],
  low: [45, 60, 90, 120],
};
export const DEFAULT_TIER = 3;
const DAY = 86_400_000;

export function dueDays(severity: AdvisorySeverity | null, tier: number | null): number {
  const t = tier !== null && Number.isInteger(tier) && tier >= 1 && tier <= 4 ? tier : DEFAULT_TIER;
  return DUE_DAYS[severity ?? 'medium'][t - 1];
}

export function dueAt(openedAt: Date, severity: AdvisorySeverity | null, tier: number | null): Date {
  return new Date(openedAt.getTime() + dueDays(severity, tier) * DAY);
}

/** Low-severity matches wait for the operator's daily digest; the rest are told at once. */
export function goesToDigest(severity: AdvisorySeverity | null): boolean {
  return severity === 'low';
}

/** The digest goes out once a day at 13:00 UTC (morning in the continental United States). */
export const DIGEST_HOUR_UTC = 13;
export function nextDigestAt(now: Date): Date {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC));
  return d.getTime() > now.getTime() ? d : new Date(d.getTime() + DAY);
}

/**
 * May a channel allowed up to `channelMax` carry an advisory marked `advisoryTlp`? TLP:RED names
 * people, and a channel is not a person: RED content never goes to a channel.
 */
export function channelMayCarry(channelMax: TlpLabel, advisoryTlp: TlpLabel): boolean {
  if (advisoryTlp === 'RED') return false;
  return TLP_LABELS.indexOf(advisoryTlp) <= TLP_LABELS.indexOf(channelMax);
}

/** The vendor's fixed versions of the matched packages, from the advisory's OSV ranges. */
export function fixedVersionsFor(affected: readonly MatchableAffected[], packages: readonly string[]): string[] {
  const out = new Set<string>();
  for (const a of affected) {
    if (!packages.includes(a.package)) continue;
    for (const r of a.ranges) for (const e of r.events) if (e.fixed !== undefined && e.fixed !== '') out.add(e.fixed);
  }
  return [...out].slice(0, 20);
}

export interface NoticeItem {
  recordId: string;
  advisory: { ref: string; title: string; severity: AdvisorySeverity | null; tlp: TlpLabel };
  components: { package: string; version: string | null }[];
  dueAt: Date;
  fix: { fixedVersions: string[]; remediation: string | null; url: string | null };
  reopened?: boolean;
}

export interface Notice {
  subject: string;
  text: string;
  /** The webhook body (JSON-serialisable). */
  payload: Record<string, unknown>;
}

function recordLink(publicUrl: string, recordId: string): string {
  return `${publicUrl}/remediation/${recordId}`;
}

function itemPayload(item: NoticeItem, full: boolean, publicUrl: string) {
  const base = { remediationId: item.recordId, url: recordLink(publicUrl, item.recordId), tlp: item.advisory.tlp };
  if (!full) return { ...base, restricted: true, message: 'You have a new advisory match. Sign in to read it.' };
  return {
    ...base,
    restricted: false,
    reopened: item.reopened ?? false,
    advisory: { ref: item.advisory.ref, title: item.advisory.title, severity: item.advisory.severity },
    components: item.components,
    dueAt: item.dueAt.toISOString(),
    fix: item.fix,
  };
}

function itemText(item: NoticeItem, full: boolean, publicUrl: string): string {
  const link = recordLink(publicUrl, item.recordId);
  if (!full) return `You have a new advisory match (TLP:${item.advisory.tlp}). Sign in to read it:\n${link}`;
  const a = item.advisory;
  const lines = [
    `${a.ref}: ${a.title}`,
    `Severity: ${a.severity ?? 'not rated'}    TLP:${a.tlp}${item.reopened ? '    (reopened: a vulnerable version is back in your inventory)' : ''}`,
    `Affected in your inventory: ${item.components.map((c) => `${c.package}${c.version ? `@${c.version}` : ''}`).join(', ')}`,
    `Patch by: ${item.dueAt.toISOString().slice(0, 10)}`,
  ];
  if (item.fix.fixedVersions.length) lines.push(`Fixed in: ${item.fix.fixedVersions.join(', ')}`);
  if (item.fix.remediation) lines.push(`Remediation: ${item.fix.remediation}`);
  if (item.fix.url) lines.push(`Advisory: ${item.fix.url}`);
  lines.push(`Track it: ${link}`);
  return lines.join('\n');
}

const FOOTER = '\n\nYou receive this because this address is a notification channel of your organisation in Forewarn.\n';

/**
 * The words for one channel: each advisory above the channel's TLP allowance is reduced to "you have a
 * new advisory match, sign in to read it" — no title, no identifier, no package, no severity.
 */
export function buildNotice(channelMax: TlpLabel, items: readonly NoticeItem[], ctx: { publicUrl: string; digest: boolean; now: Date }): Notice {
  const shown = items.map((i) => ({ item: i, full: channelMayCarry(channelMax, i.advisory.tlp) }));
  const body = shown.map(({ item, full }) => itemText(item, full, ctx.publicUrl)).join('\n\n');
  let subject: string;
  if (ctx.digest) subject = `Forewarn: daily digest, ${items.length} new low-severity advisory match${items.length === 1 ? '' : 'es'}`;
  else if (shown[0]?.full) subject = `Forewarn: ${shown[0].item.advisory.ref} affects your inventory (${shown[0].item.advisory.severity ?? 'not rated'})`;
  else subject = 'Forewarn: you have a new advisory match';
  const intro = ctx.digest ? `New low-severity advisory matches since the last digest (${items.length}):\n\n` : '';
  return {
    subject,
    text: intro + body + FOOTER,
    payload: {
      type: ctx.digest ? 'remediation.digest' : 'remediation.opened',
      createdAt: ctx.now.toISOString(),
      items: shown.map(({ item, full }) => itemPayload(item, full, ctx.publicUrl)),
    },
  };
}

/** Groups pending digest items by operator organisation (one message per operator and channel). */
export function groupByOrg<T extends { orgId: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.orgId);
    if (list) list.push(r);
    else m.set(r.orgId, [r]);
  }
  return m;
}

/** The remediation words shown with the fix (the advisory's own text stays in the advisory). */
export function remediationText(fixedVersions: readonly string[]): string {
  return fixedVersions.length
    ? `Upgrade to a fixed version (${fixedVersions.join(', ')}) or later, then upload a fresh SBOM: the record closes by itself when no component is vulnerable any more.`
    : 'No fixed version is published yet: apply the advisory’s mitigations, then record the decision (not affected with a justification, or risk accepted until a date).';
}
