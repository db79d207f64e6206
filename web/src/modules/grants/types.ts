export interface Instant {
  at: string;
  local: string;
  display: string;
}
export interface Opportunity {
  id: string;
  number: string;
  title: string;
  program: string;
  agencyName: string;
  summary: string;
  eligibility: { orgKinds: string[]; minEmployees: number | null; maxEmployees: number | null; requiredAttestations: { key: string; text: string }[] };
  floorUsd: number;
  ceilingUsd: number;
  totalFundingUsd: number;
  expectedAwards: number;
  timeZone: string;
  opensAt: Instant;
  closesAt: Instant;
  phase: string;
  budgetYears: number;
  budgetCategories: string[];
  requiredSections: { key: string; title: string; guidance: string; maxChars: number }[];
  rubric: { key: string; title: string; description: string; weight: number }[];
  scoreMax: number;
}
export interface OfficerOpportunity extends Opportunity {
  status: string;
  applicationsSubmitted: number;
  awardedUsd: number;
  availableUsd: number;
  awardsMade: number;
}
export interface BudgetTable {
  years: number;
  lines: { category: string; amounts: number[] }[];
  declaredTotal: number;
}
export interface Application {
  id: string;
  opportunityId: string;
  opportunityNumber: string;
  opportunityTitle: string;
  applicantOrgName: string;
  status: string;
  projectTitle: string;
  declaredEmployees: number | null;
  sections: Record<string, string>;
  budget: BudgetTable | null;
  budgetTotals: { byYear: number[]; byCategory: Record<string, number>; total: number } | null;
  attestations: Record<string, boolean>;
  eligibilityCheck: { eligible: boolean; reasons: string[]; checkedAt: string } | null;
  missing: string[];
  attachments: { id: string; filename: string; contentType: string; sizeBytes: number; uploadedAt: string }[];
  submittedAt: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
  reviewComments: { reviewer: string; criterion: string; score: number | null; comment: string }[];
  awardId: string | null;
}
export interface ApplicationSummary {
  id: string;
  opportunityId: string;
  opportunityNumber: string;
  opportunityTitle: string;
  applicantOrgName: string;
  status: string;
  projectTitle: string;
  submittedAt: string | null;
  updatedAt: string;
  budgetTotalUsd: number | null;
  eligible: boolean | null;
}
export interface Assignment {
  id: string;
  applicationId: string;
  opportunityId: string;
  opportunityTitle: string;
  projectTitle: string;
  applicantOrgName: string;
  reviewerEmail: string;
  status: string;
  conflictNote: string | null;
  scores: { criterionKey: string; score: number; comment: string }[];
  rawScore: number | null;
}
export interface Ranking {
  normalisation: string;
  availableUsd: number;
  rows: { applicationId: string; projectTitle: string; applicantOrgName: string; status: string; budgetTotalUsd: number | null; eligible: boolean | null; rank: number | null; reviews: number; conflicts: number; meanRaw: number | null; normalised: number | null }[];
}
export interface Award {
  id: string;
  applicationId: string;
  opportunityTitle: string;
  projectTitle: string;
  recipientOrgName: string;
  amountUsd: number;
  paidUsd: number;
  status: string;
  createdAt: string;
  closedAt?: string | null;
  milestones: { id: string; title: string; dueOn: string; deliverables: string; amountUsd: number; paidUsd: number; status: string }[];
  progressReports: { id: string; period: string; narrative: string; milestoneId: string | null; submittedAt: string }[];
  payments: { id: string; milestoneId: string; amountUsd: number; reference: string; paidAt: string }[];
  tools: { id: string; name: string; description: string; sarifDriverName: string; registeredAt: string }[];
  findingsReported: { source: 'clearinghouse' | 'awaiting_clearinghouse'; count: number | null; validated: number | null; published: number | null };
}
export type AwardSummary = Pick<Award, 'id' | 'applicationId' | 'opportunityTitle' | 'projectTitle' | 'recipientOrgName' | 'amountUsd' | 'paidUsd' | 'status' | 'createdAt'>;
export interface Service {
  id: string;
  name: string;
  provider: string;
  description: string;
  sectors: string[];
  tiers: string[];
  costToOperator: string;
  howToEnrol: string;
  active: boolean;
}
export interface Enrolment {
  id: string;
  serviceId: string;
  serviceName: string;
  operatorOrgName: string;
  sector: string;
  tier: string;
  status: string;
  note: string | null;
  decisionNote: string | null;
  requestedAt: string;
}
export interface EnrolmentStats {
  bySectorTier: { sector: string; tier: string; requested: number; enrolled: number }[];
  smallOperatorCoverage: { sector: string; operatorsOnForewarn: number; smallOperatorsEnrolled: number; share: number }[];
}

export const usd = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `$${n.toLocaleString('en-US')}`);
export const words = (s: string) => s.replace(/_/g, ' ');
