import { z } from 'zod';
import type { App } from '../../server/types.ts';
import { authOf } from '../../server/auth.ts';
import type { AssessmentService } from './assessment.service.ts';
import { BoardSummary, BoardView, NewWorkstreamBody, Participant, WorkstreamChangeBody, WorkstreamStatusBody, WorkstreamView } from './assessment.types.ts';

const tags = ['assessments'];
const ById = z.object({ id: z.uuid() }).strict();

export function assessmentRoutes(app: App, services: { assessments: AssessmentService }) {
  const { assessments } = services;

  app.get('/api/v1/assessments', {
    schema: { tags, summary: 'Open review windows my organisation is on, with the workstreams I may see by status', response: { 200: z.object({ items: z.array(BoardSummary) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await assessments.boards(a.actor, a.subject) };
    },
  });

  app.get('/api/v1/windows/:id/assessment', {
    schema: { tags, summary: "A window's coordination board: the workstreams at the reader's clearance", params: ById, response: { 200: BoardView } },
    handler: async (request) => {
      const a = authOf(request);
      return assessments.board(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/windows/:id/assessment/participants', {
    schema: { tags, summary: 'Organisations holding a grant on the window (to assign workstreams)', params: ById, response: { 200: z.object({ items: z.array(Participant) }) } },
    handler: async (request) => ({ items: await assessments.participants(authOf(request).subject, request.params.id) }),
  });

  app.post('/api/v1/windows/:id/assessment/workstreams', {
    schema: { tags, summary: 'Plan a workstream (agency analysts on the window); due inside the window', params: ById, body: NewWorkstreamBody, response: { 201: WorkstreamView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await assessments.createWorkstream(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.get('/api/v1/assessment-workstreams/:id', {
    schema: { tags, summary: 'One workstream', params: ById, response: { 200: WorkstreamView } },
    handler: async (request) => assessments.workstream(authOf(request).subject, request.params.id),
  });

  app.patch('/api/v1/assessment-workstreams/:id', {
    schema: { tags, summary: 'Change a workstream: title, description, due date, assignees (agency analysts)', params: ById, body: WorkstreamChangeBody, response: { 200: WorkstreamView } },
    handler: async (request) => {
      const a = authOf(request);
      return assessments.updateWorkstream(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/assessment-workstreams/:id/status', {
    schema: { tags, summary: 'Move a workstream along: start, block, unblock, complete (assignees), cancel (planners)', params: ById, body: WorkstreamStatusBody, response: { 200: WorkstreamView } },
    handler: async (request) => {
      const a = authOf(request);
      return assessments.changeStatus(a.actor, a.subject, request.params.id, request.body);
    },
  });
}
