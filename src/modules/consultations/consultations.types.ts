import { z } from 'zod';
import { CLASSIFICATIONS, COMPARTMENT_PATTERN } from '../access/marking.ts';
import { CONSULTATION_STATES } from './consultation.machine.ts';

export const Id = z.uuid();
export const RECOMMENDATIONS = ['would_benefit', 'not_needed'] as const;
export type Recommendation = (typeof RECOMMENDATIONS)[number];
/** Agencies that may be added to a consultation after it opens (by NSA). */
export const OPTIONAL_AGENCIES = ['NIST', 'OSTP'] as const;

const Text = (max: number) => z.string().trim().min(1).max(max);
const FutureIso = z.iso.datetime({ offset: true });

export const MarkingView = z.object({ classification: z.enum(CLASSIFICATIONS), compartments: z.array(z.string()) });

export const OpenConsultationBody = z
  .object({
    question: Text(10_000),
    dueAt: FutureIso.optional(),
  })
  .strict();

export const PostMessageBody = z
  .object({
    body: Text(20_000),
    /** Agency-internal note: never shown to the developer. */
    internal: z.boolean().default(false),
    /** Defaults to CUI; shared messages are at most CUI, internal notes up to the author's clearance. */
    classification: z.enum(CLASSIFICATIONS).optional(),
    compartments: z.array(z.string().regex(COMPARTMENT_PATTERN)).max(10).optional(),
  })
  .strict();

export const AnswerBody = z
  .object({
    recommendation: z.enum(RECOMMENDATIONS),
    /** Unclassified: the developer reads it. */
    message: Text(20_000),
  })
  .strict();

export const AddAgencyBody = z.object({ agencyCode: z.enum(OPTIONAL_AGENCIES) }).strict();

export const UpdateAssignmentBody = z
  .object({
    assigneeUserId: Id.nullable().optional(),
    dueAt: FutureIso.nullable().optional(),
  })
  .strict()
  .refine((v) => v.assigneeUserId !== undefined || v.dueAt !== undefined, { message: 'change the assignee, the due date or both' });

export const ListQuery = z
  .object({
    status: z.enum(CONSULTATION_STATES).optional(),
    mine: z.enum(['true', 'false']).optional(),
    modelId: Id.optional(),
  })
  .strict();

export const AssignmentView = z.object({
  id: z.string(),
  agencyCode: z.string(),
  agencyName: z.string(),
  role: z.enum(['decides', 'consulted', 'may_consult']),
  /** Named analysts are shown to agency users only. */
  assigneeUserId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  dueAt: z.string().nullable(),
});

export const ConsultationSummary = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  status: z.enum(CONSULTATION_STATES),
  recommendation: z.enum(RECOMMENDATIONS).nullable(),
  /** The consultation's due date, or for an agency user its own agency's assignment due date when set. */
  dueAt: z.string().nullable(),
  plannedReleaseAt: z.string(),
  daysToRelease: z.number().int(),
  /** For agency users: their agency's role and assignee; null for the developer. */
  myRole: z.string().nullable(),
  assignedToMe: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  marking: MarkingView,
});

export const ConsultationView = ConsultationSummary.extend({
  question: z.string(),
  ownerOrgName: z.string(),
  answeredAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  assignments: z.array(AssignmentView),
  /** What the caller may do now (drives the UI; the API checks again). */
  can: z.object({
    take: z.boolean(),
    answer: z.boolean(),
    close: z.boolean(),
    withdraw: z.boolean(),
    addAgency: z.boolean(),
    post: z.boolean(),
    postInternal: z.boolean(),
  }),
});

export const MessageView = z.object({
  id: z.string(),
  consultationId: z.string(),
  side: z.enum(['developer', 'agency']),
  authorOrgName: z.string(),
  authorName: z.string().nullable(),
  internal: z.boolean(),
  body: z.string(),
  marking: MarkingView,
  createdAt: z.string(),
});

export const MessageList = z.object({ items: z.array(MessageView), count: z.number().int() });

export type ConsultationSummaryT = z.infer<typeof ConsultationSummary>;
export type ConsultationViewT = z.infer<typeof ConsultationView>;
export type MessageViewT = z.infer<typeof MessageView>;
export type AssignmentViewT = z.infer<typeof AssignmentView>;
