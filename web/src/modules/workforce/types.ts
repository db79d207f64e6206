export interface Posting {
  id: string;
  announcementNumber: string;
  title: string;
  agencyName: string;
  summary: string;
  duties: string;
  hiringPath: string;
  payPlan: string;
  payMinUsd: number;
  payMaxUsd: number;
  location: string;
  workplace: string;
  clearanceRequired: string;
  closesAt: string;
  phase: string;
}
export interface AgencyPosting extends Posting {
  status: string;
  applications: number;
}
export interface Profile {
  headline: string;
  skills: string[];
  certifications: string[];
  clearanceHeld: string;
}
export interface CandidateApplication {
  id: string;
  postingId: string;
  postingTitle: string;
  announcementNumber: string;
  agencyName: string;
  hiringPath: string;
  stage: string;
  stageLabel: string;
  history: { stage: string; stageLabel: string; at: string }[];
  resumeFilename: string;
  submittedAt: string;
}
export interface AgencyApplication extends CandidateApplication {
  candidateName: string;
  candidateEmail: string;
  profile: Profile;
  allowedMoves: string[];
  events: { fromStage: string | null; toStage: string; internalNote: string | null; movedBy: string | null; at: string }[];
}
export interface Dashboard {
  pipeline: { stage: string; byPath: Record<string, number>; total: number }[];
  timeToHireDays: { hires: number; median: number | null; mean: number | null };
  clearanceSponsorshipsInProgress: number;
  totalApplications: number;
}
export const PATH_LABELS: Record<string, string> = {
  competitive: 'Competitive',
  direct_hire: 'Direct-hire authority',
  fellowship: 'Fellowship',
  detail_rotation: 'Detail or rotation from industry',
  tech_force: 'U.S. Tech Force',
};
export const CLEARANCE_LABELS: Record<string, string> = { none: 'None', public_trust: 'Public trust', secret: 'Secret', top_secret: 'Top secret', ts_sci: 'Top secret / SCI' };
export const words = (s: string) => s.replace(/_/g, ' ');
export const pay = (p: Pick<Posting, 'payPlan' | 'payMinUsd' | 'payMaxUsd'>) => `${p.payPlan}: $${p.payMinUsd.toLocaleString('en-US')} – $${p.payMaxUsd.toLocaleString('en-US')}`;
