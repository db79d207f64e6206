// Pure rules of trusted-partner selection: the panel decision rule, rationale validation, appeal
// panel independence and the consistency report. No I/O.

export interface Criterion {
  key: string;
  title: string;
  evidenceRequirement: string;
}

export interface DecisionRule {
  /** A majority of the non-conflicted government officials must approve. */
  govMajority: boolean;
  /** A majority of the non-conflicted developer representatives must approve (otherwise one suffices). */
  developerMajority: boolean;
  /** Always true: the model and its intellectual property are the developer's. */
  developerConcurrenceRequired: true;
}

export const DEFAULT_RULE: DecisionRule = { govMajority: true, developerMajority: true, developerConcurrenceRequired: true };

export type Side = 'government' | 'developer';

export interface MemberVote {
  side: Side;
  /** null: not yet declared */
  conflicted: boolean | null;
  vote: 'approve' | 'refuse' | null;
}

export type PanelOutcome = 'approved' | 'refused' | 'pending';

/** Whether a side's approvals satisfy the rule, given how many of its members may vote. */
function sideSatisfied(approvals: number, eligible: number, majority: boolean): boolean {
  if (eligible === 0) return false;
  return majority ? approvals * 2 > eligible : approvals >= 1;
}

/**
 * The panel's outcome under its rule. Conflicted members do not count. Approval needs each side's
 * condition (government: majority or one approval; developer: majority or one approval — the
 * developer's concurrence is never optional). The panel is refused as soon as approval has become
 * impossible whatever the remaining members vote, and pending otherwise.
 */
export function decide(rule: DecisionRule, members: readonly MemberVote[]): PanelOutcome {
  const tally = (side: Side) => {
    const voters = members.filter((m) => m.side === side && m.conflicted !== true);
    const approvals = voters.filter((m) => m.vote === 'approve').length;
    const open = voters.filter((m) => m.vote === null).length;
    return { eligible: voters.length, approvals, open };
  };
  const gov = tally('government');
  const dev = tally('developer');
  const govNow = sideSatisfied(gov.approvals, gov.eligible, rule.govMajority);
  const devNow = sideSatisfied(dev.approvals, dev.eligible, rule.developerMajority);
  if (govNow && devNow) return 'approved';
  const govPossible = sideSatisfied(gov.approvals + gov.open, gov.eligible, rule.govMajority);
  const devPossible = sideSatisfied(dev.approvals + dev.open, dev.eligible, rule.developerMajority);
  if (!govPossible || !devPossible) return 'refused';
  return 'pending';
}

export interface RationaleProblem {
  path: string;
  message: string;
}

/** A vote's rationale must be written and must cite at least one criterion of the application's version. */
export function rationaleProblems(rationale: string, cited: readonly string[], criteria: readonly Criterion[]): RationaleProblem[] {
  const out: RationaleProblem[] = [];
  if (rationale.trim().length < 10) out.push({ path: 'rationale', message: 'write the rationale (at least 10 characters)' });
  const keys = new Set(criteria.map((c) => c.key));
  if (cited.length === 0) out.push({ path: 'citedCriteria', message: 'cite at least one selection criterion' });
  cited.forEach((k, i) => {
    if (!keys.has(k)) out.push({ path: `citedCriteria.${i}`, message: `not a criterion of this application's version (${[...keys].join(', ')})` });
  });
  return out;
}

/** Criteria keys must be unique, and a version must have at least one criterion. */
export function criteriaProblems(criteria: readonly Criterion[]): RationaleProblem[] {
  const out: RationaleProblem[] = [];
  const seen = new Set<string>();
  criteria.forEach((c, i) => {
    if (seen.has(c.key)) out.push({ path: `criteria.${i}.key`, message: `duplicate key ${c.key}` });
    seen.add(c.key);
  });
  if (criteria.length === 0) out.push({ path: 'criteria', message: 'at least one criterion' });
  return out;
}

/** Indexes of appeal-panel members who sat on the first panel (they may not hear the appeal). */
export function appealMemberClashes(firstPanelUserIds: readonly string[], appealUserIds: readonly string[]): number[] {
  const first = new Set(firstPanelUserIds);
  return appealUserIds.flatMap((u, i) => (first.has(u) ? [i] : []));
}

/** What the applicant is told about a panel's decision: the outcome and the criteria the votes relied on, never who voted how. */
export function decisionReasons(outcome: 'approved' | 'refused', votes: readonly { vote: 'approve' | 'refuse' | null; citedCriteria: readonly string[] | null; conflicted: boolean | null }[], kind: 'selection' | 'appeal'): string {
  const counted = votes.filter((v) => v.conflicted !== true && v.vote !== null);
  const side = outcome === 'approved' ? 'approve' : 'refuse';
  const keys = [...new Set(counted.filter((v) => v.vote === side).flatMap((v) => v.citedCriteria ?? []))].sort();
  const what = kind === 'appeal' ? 'The appeal panel' : 'The joint selection panel';
  if (outcome === 'approved') return `${what} approved the application under its decision rule, with the developer's concurrence. Criteria relied on: ${keys.join(', ') || 'none cited'}.`;
  if (keys.length === 0) return `${what} refused the application: the decision rule could not be met (no eligible members on one side or not enough approvals).`;
  return `${what} refused the application under its decision rule. Criteria cited by the refusing members: ${keys.join(', ')}.`;
}

// ---------------------------------------------------------------------------------------------
// Consistency report
// ---------------------------------------------------------------------------------------------

export interface DecidedPanel {
  panelId: string;
  kind: 'selection' | 'appeal';
  modelId: string;
  applicationId: string;
  outcome: 'approved' | 'refused';
  eligibleAtDecision: boolean;
  /** Criteria the vetting recorded as not met. */
  unmetCriteria: readonly string[];
  members: readonly {
    userId: string;
    name: string;
    side: Side;
    conflicted: boolean | null;
    vote: 'approve' | 'refuse' | null;
    citedCriteria: readonly string[];
  }[];
}

export type FlagReason = 'refused_eligible_without_unmet_criterion' | 'approved_not_eligible';

export interface ConsistencyFlag {
  scope: 'member' | 'panel';
  panelId: string;
  userId: string | null;
  reason: FlagReason;
}

export interface ConsistencyReport {
  byOutcome: { approved: number; refused: number; appealsApproved: number; appealsRefused: number };
  byCriterion: { key: string; citedInApprovals: number; citedInRefusals: number; unmetInVetting: number }[];
  byMember: { userId: string; name: string; side: Side; panels: number; approvals: number; refusals: number; conflictsDeclared: number; flags: number }[];
  flags: ConsistencyFlag[];
}

/**
 * Decisions by outcome, criterion and member, with flags where a vote or a panel departs from the
 * criteria: refusing an applicant the vetting found eligible without citing a criterion the vetting
 * found unmet, or approving an applicant who was not eligible when the panel decided.
 */
export function consistencyReport(panels: readonly DecidedPanel[]): ConsistencyReport {
  const byOutcome = { approved: 0, refused: 0, appealsApproved: 0, appealsRefused: 0 };
  const crit = new Map<string, { key: string; citedInApprovals: number; citedInRefusals: number; unmetInVetting: number }>();
  const critOf = (key: string) => {
    let c = crit.get(key);
    if (!c) crit.set(key, (c = { key, citedInApprovals: 0, citedInRefusals: 0, unmetInVetting: 0 }));
    return c;
  };
  const mem = new Map<string, ConsistencyReport['byMember'][number]>();
  const flags: ConsistencyFlag[] = [];
  const unmetSeen = new Set<string>();
  for (const p of panels) {
    if (p.kind === 'appeal') byOutcome[p.outcome === 'approved' ? 'appealsApproved' : 'appealsRefused']++;
    else byOutcome[p.outcome]++;
    // An application's unmet criteria count once, however many panels heard it.
    for (const k of new Set(p.unmetCriteria)) {
      if (unmetSeen.has(`${p.applicationId} ${k}`)) continue;
      unmetSeen.add(`${p.applicationId} ${k}`);
      critOf(k).unmetInVetting++;
    }
    const unmet = new Set(p.unmetCriteria);
    const departs = (vote: 'approve' | 'refuse', cited: readonly string[]): FlagReason | null => {
      if (vote === 'refuse' && p.eligibleAtDecision && !cited.some((k) => unmet.has(k))) return 'refused_eligible_without_unmet_criterion';
      if (vote === 'approve' && !p.eligibleAtDecision) return 'approved_not_eligible';
      return null;
    };
    for (const m of p.members) {
      let row = mem.get(m.userId);
      if (!row) mem.set(m.userId, (row = { userId: m.userId, name: m.name, side: m.side, panels: 0, approvals: 0, refusals: 0, conflictsDeclared: 0, flags: 0 }));
      row.panels++;
      if (m.conflicted === true) {
        row.conflictsDeclared++;
        continue;
      }
      if (m.vote === null) continue;
      if (m.vote === 'approve') row.approvals++;
      else row.refusals++;
      for (const k of new Set(m.citedCriteria)) critOf(k)[m.vote === 'approve' ? 'citedInApprovals' : 'citedInRefusals']++;
      const reason = departs(m.vote, m.citedCriteria);
      if (reason) {
        row.flags++;
        flags.push({ scope: 'member', panelId: p.panelId, userId: m.userId, reason });
      }
    }
    const panelCited = p.members.filter((m) => m.conflicted !== true && m.vote === 'refuse').flatMap((m) => m.citedCriteria);
    const panelReason = departs(p.outcome === 'approved' ? 'approve' : 'refuse', panelCited);
    if (panelReason) flags.push({ scope: 'panel', panelId: p.panelId, userId: null, reason: panelReason });
  }
  return {
    byOutcome,
    byCriterion: [...crit.values()].sort((a, b) => a.key.localeCompare(b.key)),
    byMember: [...mem.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId)),
    flags,
  };
}
