import type { Classification } from '../../classification.tsx';

export type ConsultationStatus = 'open' | 'in_review' | 'answered' | 'closed' | 'withdrawn';
export type Recommendation = 'would_benefit' | 'not_needed';

export interface Marking {
  classification: Classification;
  compartments: string[];
}

export interface ConsultationSummary {
  id: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
  status: ConsultationStatus;
  recommendation: Recommendation | null;
  dueAt: string | null;
  plannedReleaseAt: string;
  daysToRelease: number;
  myRole: string | null;
  assignedToMe: boolean;
  createdAt: string;
  updatedAt: string;
  marking: Marking;
}

export interface Assignment {
  id: string;
  agencyCode: string;
  agencyName: string;
  role: 'decides' | 'consulted' | 'may_consult';
  assigneeUserId: string | null;
  assigneeName: string | null;
  dueAt: string | null;
}

export interface Consultation extends ConsultationSummary {
  question: string;
  ownerOrgName: string;
  answeredAt: string | null;
  closedAt: string | null;
  assignments: Assignment[];
  can: { take: boolean; answer: boolean; close: boolean; withdraw: boolean; addAgency: boolean; post: boolean; postInternal: boolean };
}

export interface Message {
  id: string;
  consultationId: string;
  side: 'developer' | 'agency';
  authorOrgName: string;
  authorName: string | null;
  internal: boolean;
  body: string;
  marking: Marking;
  createdAt: string;
}

export const STATUS_LABEL: Record<ConsultationStatus, string> = {
  open: 'Open',
  in_review: 'In review',
  answered: 'Answered',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

export const RECOMMENDATION_LABEL: Record<Recommendation, string> = {
  would_benefit: 'Would benefit from a review window',
  not_needed: 'Review not needed',
};

export const ROLE_LABEL: Record<Assignment['role'], string> = {
  decides: 'Decides',
  consulted: 'Consulted',
  may_consult: 'May be consulted',
};
