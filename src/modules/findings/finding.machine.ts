import { InvalidTransitionError } from '../../lib/errors.ts';

// A finding's life. Reviewers (the filing organisation) file, share, verify and close; the developer
// answers. There is no state that holds the model's release back: a finding is information for the
// developer, who decides. "shared" means shared with the developer (at most CUI).

export const FINDING_STATES = ['draft', 'filed', 'shared', 'accepted', 'disputed', 'mitigated', 'verified', 'reopened', 'closed', 'withdrawn'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export const FINDING_EVENTS = [
  /** the reviewer submits a draft */
  'file',
  /** the reviewer shares the finding with the model's developer */
  'share',
  /** the developer accepts the finding */
  'accept',
  /** the developer disputes it, with reasons */
  'dispute',
  /** the developer reports a mitigation, with a description */
  'mitigate',
  /** the reviewer checked the mitigation and it holds */
  'verify',
  /** the reviewer checked the mitigation and it does not hold (with reasons) */
  'reject_mitigation',
  /** the reviewer closes the matter (with a reason) */
  'close',
  /** the reviewer reopens a verified or closed finding */
  'reopen',
  /** the reviewer retracts a finding (a mistake, a duplicate) */
  'withdraw',
] as const;
export type FindingEvent = (typeof FINDING_EVENTS)[number];

export type FindingParty = 'reviewer' | 'developer';

/** Who may cause each event: the developer only answers; everything else is the reviewer's. */
export const EVENT_PARTY: Record<FindingEvent, FindingParty> = {
  file: 'reviewer',
  share: 'reviewer',
  accept: 'developer',
  dispute: 'developer',
  mitigate: 'developer',
  verify: 'reviewer',
  reject_mitigation: 'reviewer',
  close: 'reviewer',
  reopen: 'reviewer',
  withdraw: 'reviewer',
};

/** Events that must carry a written note (reasons, a description). */
export const NOTE_REQUIRED: ReadonlySet<FindingEvent> = new Set(['dispute', 'mitigate', 'reject_mitigation', 'close', 'reopen', 'withdraw']);

const ANSWERS = { accept: 'accepted', dispute: 'disputed', mitigate: 'mitigated' } as const;

export const FINDING_TRANSITIONS: Record<FindingState, Partial<Record<FindingEvent, FindingState>>> = {
  draft: { file: 'filed', withdraw: 'withdrawn' },
  filed: { share: 'shared', withdraw: 'withdrawn' },
  shared: { ...ANSWERS, close: 'closed', withdraw: 'withdrawn' },
  // The developer may change its answer (accepting after a dispute, mitigating after accepting).
  accepted: { dispute: 'disputed', mitigate: 'mitigated', close: 'closed' },
  disputed: { accept: 'accepted', mitigate: 'mitigated', close: 'closed' },
  mitigated: { verify: 'verified', reject_mitigation: 'reopened' },
  verified: { close: 'closed', reopen: 'reopened' },
  reopened: { ...ANSWERS, close: 'closed' },
  closed: { reopen: 'reopened' },
  withdrawn: {},
};

export function isFindingState(s: string): s is FindingState {
  return (FINDING_STATES as readonly string[]).includes(s);
}

export function isFindingEvent(s: string): s is FindingEvent {
  return (FINDING_EVENTS as readonly string[]).includes(s);
}

export function canTransition(state: string, event: FindingEvent): boolean {
  return isFindingState(state) && FINDING_TRANSITIONS[state][event] !== undefined;
}

export function transition(state: string, event: FindingEvent): FindingState {
  const next = isFindingState(state) ? FINDING_TRANSITIONS[state][event] : undefined;
  if (!next) throw new InvalidTransitionError('finding', state, event);
  return next;
}

/** The events the given party could cause now (for the UI's buttons). */
export function eventsFor(state: string, party: FindingParty): FindingEvent[] {
  if (!isFindingState(state)) return [];
  return (Object.keys(FINDING_TRANSITIONS[state]) as FindingEvent[]).filter((e) => EVENT_PARTY[e] === party);
}

/** States in which the developer has (or had) the finding: once shared, always visible to it. */
export const DEVELOPER_VISIBLE: ReadonlySet<FindingState> = new Set(['shared', 'accepted', 'disputed', 'mitigated', 'verified', 'reopened', 'closed']);
