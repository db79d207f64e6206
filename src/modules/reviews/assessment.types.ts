import { z } from 'zod';
import { WORKSTREAM_KINDS } from './assessment.fns.ts';
import { WORKSTREAM_EVENTS } from './assessment-workstream.machine.ts';

const Id = z.uuid();
const Instant = z.iso
  .datetime({ offset: true })
  .max(40)
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2200, 'a time between the years 2000 and 2200');
const MarkingView = z.object({ classification: z.string(), compartments: z.array(z.string()) });

export const NewWorkstreamBody = z
  .object({
    kind: z.enum(WORKSTREAM_KINDS),
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(5000).optional(),
    dueAt: Instant,
    assigneeOrgIds: z.array(Id).max(20).default([]),
    /** For example "CUI" or "SECRET//BENCH"; the classified benchmark is never below SECRET//BENCH. */
    marking: z.string().trim().min(1).max(60).optional(),
  })
  .strict();

export const WorkstreamChangeBody = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(5000).nullable().optional(),
    dueAt: Instant.optional(),
    assigneeOrgIds: z.array(Id).max(20).optional(),
  })
  .strict();

export const WorkstreamStatusBody = z
  .object({
    event: z.enum(WORKSTREAM_EVENTS),
    reason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict();

export const WorkstreamView = z.object({
  id: z.string(),
  windowId: z.string(),
  kind: z.string(),
  kindLabel: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.string(),
  statusReason: z.string().nullable(),
  dueAt: z.string(),
  assignees: z.array(z.object({ orgId: z.string(), orgName: z.string().nullable() })),
  ownerOrgId: z.string(),
  marking: MarkingView,
  markingText: z.string(),
  allowedEvents: z.array(z.string()),
  canEdit: z.boolean(),
  updatedAt: z.string(),
});

export const BoardWindow = z.object({
  id: z.string(),
  modelId: z.string(),
  modelName: z.string(),
  modelVersion: z.string(),
  developerOrgName: z.string().nullable(),
  status: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
});

export const Participant = z.object({ orgId: z.string(), orgName: z.string().nullable(), orgKind: z.string().nullable() });

export const BoardView = z.object({
  window: BoardWindow,
  canManage: z.boolean(),
  participants: z.array(Participant),
  workstreams: z.array(WorkstreamView),
  marking: MarkingView,
});

export const BoardSummary = z.object({ window: BoardWindow, workstreams: z.number().int(), byStatus: z.record(z.string(), z.number().int()) });
