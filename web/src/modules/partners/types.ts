export interface Criterion {
  key: string;
  title: string;
  evidenceRequirement: string;
}
export interface CriteriaVersion {
  version: number;
  criteria: Criterion[];
  note: string;
  publishedAt: string;
}
export interface Finding {
  criterionKey: string;
  met: boolean;
  note: string;
  internalNote?: string | null;
}
export interface DecisionSummary {
  panelId: string;
  kind: 'selection' | 'appeal';
  modelId: string;
  status: string;
  reasons: string | null;
  decidedAt: string | null;
  appealOf: string | null;
  appealGrounds: string | null;
  appealable: boolean;
}
export interface Application {
  id: string;
  applicantName: string;
  criteriaVersion: number;
  status: string;
  renewalOf: string | null;
  eligibleUntil: string | null;
  outcomeReasons: string | null;
  decidedAt: string | null;
  answers: { criterionKey: string; answer: string }[];
  declarations: { ownership: string; affiliations: string; conflictsOfInterest: string };
  evidence: { id: string; criterionKey: string; filename: string; sizeBytes: number }[];
  findings: Finding[];
  decisions: DecisionSummary[];
  createdAt: string;
}
export type ApplicationSummary = Pick<Application, 'id' | 'applicantName' | 'criteriaVersion' | 'status' | 'renewalOf' | 'eligibleUntil' | 'decidedAt' | 'createdAt'>;
export interface PanelMember {
  userId: string;
  name: string;
  orgName: string;
  side: 'government' | 'developer';
  conflicted: boolean | null;
  vote: 'approve' | 'refuse' | null;
  rationale: string | null;
  citedCriteria: string[];
}
export interface Panel {
  id: string;
  kind: 'selection' | 'appeal';
  modelId: string;
  applicationId: string;
  applicantName: string;
  applicantEligible: boolean;
  criteria: Criterion[];
  vettingFindings: Finding[];
  appealGrounds: string | null;
  status: string;
  reasons: string | null;
  members: PanelMember[];
}
export interface Consistency {
  byOutcome: { approved: number; refused: number; appealsApproved: number; appealsRefused: number };
  byCriterion: { key: string; citedInApprovals: number; citedInRefusals: number; unmetInVetting: number }[];
  byMember: { userId: string; name: string; side: string; panels: number; approvals: number; refusals: number; conflictsDeclared: number; flags: number }[];
  flags: { scope: string; panelId: string; userId: string | null; reason: string }[];
}
