import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  AddAgencyBody,
  AnswerBody,
  AssignmentView,
  ConsultationSummary,
  ConsultationView,
  Id,
  ListQuery,
  MessageList,
  MessageView,
  OpenConsultationBody,
  PostMessageBody,
  UpdateAssignmentBody,
} from './consultations.types.ts';

const tags = ['consultations'];
const LIST = z.object({ items: z.array(ConsultationSummary) });
const ById = z.object({ id: Id }).strict();
/** Actions carry no data: an empty object or no body at all. */
const NoBody = z.object({}).strict().nullish();

export function consultationsRoutes(app: App, { consultations }: Services) {
  app.post('/api/v1/models/:modelId/consultations', {
    schema: {
      tags,
      summary: 'Open a risk consultation on your model ("is it covered, would it benefit from review?"); NSA, ONCD and CISA are assigned',
      params: z.object({ modelId: Id }).strict(),
      body: OpenConsultationBody,
      response: { 201: ConsultationView },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await consultations.open(a.actor, a.subject, request.params.modelId, request.body));
    },
  });

  app.get('/api/v1/models/:modelId/consultations', {
    schema: { tags, summary: 'Consultations on one model that you may read', params: z.object({ modelId: Id }).strict(), response: { 200: LIST } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await consultations.listForModel(a.actor, a.subject, request.params.modelId) };
    },
  });

  app.get('/api/v1/consultations', {
    schema: {
      tags,
      summary: 'Consultations you may read: a developer’s own, or an agency’s queue (soonest planned release first)',
      querystring: ListQuery,
      response: { 200: LIST },
    },
    handler: async (request) => {
      const a = authOf(request);
      const q = request.query;
      return { items: await consultations.list(a.actor, a.subject, { status: q.status, modelId: q.modelId, mine: q.mine === 'true' }) };
    },
  });

  app.get('/api/v1/consultations/:id', {
    schema: { tags, summary: 'One consultation with its assignments and what you may do now', params: ById, response: { 200: ConsultationView } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.get(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/consultations/:id/take', {
    schema: { tags, summary: 'Take the consultation into review (an analyst of an assigned agency)', params: ById, body: NoBody, response: { 200: ConsultationView } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.take(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/consultations/:id/answer', {
    schema: { tags, summary: 'Answer the consultation (NSA): a recommendation and an unclassified message to the developer', params: ById, body: AnswerBody, response: { 200: ConsultationView } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.answer(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/consultations/:id/close', {
    schema: { tags, summary: 'Close an answered consultation (NSA or the developer)', params: ById, body: NoBody, response: { 200: ConsultationView } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.close(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/consultations/:id/withdraw', {
    schema: { tags, summary: 'Withdraw the consultation (the developer, at any time before it ends); revokes the model access it gave', params: ById, body: NoBody, response: { 200: ConsultationView } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.withdraw(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/consultations/:id/assignments', {
    schema: { tags, summary: 'Add NIST or OSTP to the consultation (NSA analyst)', params: ById, body: AddAgencyBody, response: { 201: ConsultationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await consultations.addAgency(a.actor, a.subject, request.params.id, request.body.agencyCode));
    },
  });

  app.patch('/api/v1/consultations/:id/assignments/:assignmentId', {
    schema: {
      tags,
      summary: 'Name the analyst and the due date of your agency’s assignment',
      params: z.object({ id: Id, assignmentId: Id }).strict(),
      body: UpdateAssignmentBody,
      response: { 200: AssignmentView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.updateAssignment(a.actor, a.subject, request.params.id, request.params.assignmentId, request.body);
    },
  });

  app.get('/api/v1/consultations/:id/messages', {
    schema: { tags, summary: 'The thread at your clearance (the developer never sees agency-internal notes)', params: ById, response: { 200: MessageList } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.listThread(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/consultations/:id/messages', {
    schema: { tags, summary: 'Write in the thread: shared (at most CUI) or, for agencies, an internal note marked up to your clearance', params: ById, body: PostMessageBody, response: { 201: MessageView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await consultations.postMessage(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.get('/api/v1/consultations/:id/messages/:messageId', {
    schema: { tags, summary: 'One message of the thread', params: z.object({ id: Id, messageId: Id }).strict(), response: { 200: MessageView } },
    handler: async (request) => {
      const a = authOf(request);
      return consultations.getMessage(a.actor, a.subject, request.params.id, request.params.messageId);
    },
  });
}
