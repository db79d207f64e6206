import { InvalidTransitionError } from '../../lib/errors.ts';

// A candidate's application to a posting, moved by the hiring agency. Each stage leads forward one
// step or out (not selected); an offer may go straight to onboarding when the position needs no
// clearance the candidate lacks, or through clearance sponsorship first.
export const HIRING_STAGES = ['received', 'qualified', 'referred', 'interview', 'offer', 'clearance_sponsorship', 'onboarded', 'not_selected'] as const;
export type HiringStage = (typeof HIRING_STAGES)[number];

export const HIRING_TRANSITIONS: Readonly<Record<HiringStage, readonly HiringStage[]>> = {
  received: ['qualified', 'not_selected'],
  qualified: ['referred', 'not_selected'],
  referred: ['interview', 'not_selected'],
  interview: ['offer', 'not_selected'],
  offer: ['clearance_sponsorship', 'onboarded', 'not_selected'],
  clearance_sponsorship: ['onboarded', 'not_selected'],
  onboarded: [],
  not_selected: [],
};

/** What the candidate reads for each stage. */
export const STAGE_LABELS: Readonly<Record<HiringStage, string>> = {
  received: 'Application received',
  qualified: 'Meets the qualifications',
  referred: 'Referred to the hiring manager',
  interview: 'Interview',
  offer: 'Tentative offer',
  clearance_sponsorship: 'Security clearance sponsorship in progress',
  onboarded: 'Onboarded',
  not_selected: 'Not selected',
};

export function isHiringStage(s: string): s is HiringStage {
  return (HIRING_STAGES as readonly string[]).includes(s);
}

export function isFinalStage(s: HiringStage): boolean {
  return HIRING_TRANSITIONS[s].length === 0;
}

export function hiringTransition(from: string, to: HiringStage): HiringStage {
  if (!isHiringStage(from) || !HIRING_TRANSITIONS[from].includes(to)) throw new InvalidTransitionError('job application', from, `move to ${to}`);
  return to;
}
