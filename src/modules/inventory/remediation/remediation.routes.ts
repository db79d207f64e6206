import { z } from 'zod';
import type { App } from '../../../server/types.ts';
import type { Services } from '../../../server/services.ts';
import { authOf } from '../../../server/auth.ts';
import { AdvisoryDeliveriesView, BoardQuery, BoardView, ByAdvisory, ById, DeadLetterQuery, DeadLettersView, DeliveriesQuery, RecordDetailView, TestResultView, TransitionBody } from './remediation.types.ts';

const tags = ['remediation'];

export function remediationRoutes(app: App, services: Services) {
  const { remediation } = services;

  app.get('/api/v1/remediation', {
    schema: {
      tags,
      summary: "My organisation's remediation board: one record per advisory affecting its inventory, open work first, soonest due first",
      querystring: BoardQuery,
      response: { 200: BoardView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return remediation.board(a.actor, a.subject, request.query);
    },
  });

  app.get('/api/v1/remediation/:id', {
    schema: { tags, summary: 'One remediation record: the fix, the matching components, the history and the actions allowed now', params: ById, response: { 200: RecordDetailView } },
    handler: async (request) => {
      const a = authOf(request);
      return remediation.getRecord(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/remediation/:id/transitions', {
    schema: {
      tags,
      summary: 'Move a remediation record: acknowledge, start_patching, mark_patched, declare_not_affected (with a VEX justification), accept_risk (with an expiry at most a year ahead), reopen',
      description:
        'justification: a CSAF 2.0 flag label (component_not_present, vulnerable_code_not_present, vulnerable_code_cannot_be_controlled_by_adversary, vulnerable_code_not_in_execute_path, inline_mitigations_already_exist) or a CycloneDX analysis justification (code_not_present, code_not_reachable, requires_configuration, requires_dependency, requires_environment, protected_by_compiler, protected_at_runtime, protected_at_perimeter, protected_by_mitigating_control). A change not allowed from the current state answers 409 and changes nothing.',
      params: ById,
      body: TransitionBody,
      response: { 200: RecordDetailView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return remediation.transitionRecord(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.get('/api/v1/remediation/advisories/:advisoryId/deliveries', {
    schema: {
      tags,
      summary: 'Coordinators: for one advisory (matching or clearinghouse id), each affected operator, its remediation state and the delivery of its notices',
      params: ByAdvisory,
      querystring: DeliveriesQuery,
      response: { 200: AdvisoryDeliveriesView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return remediation.advisoryDeliveries(a.actor, a.subject, request.params.advisoryId, request.query);
    },
  });

  app.get('/api/v1/notifications/dead-letters', {
    schema: {
      tags: ['notifications'],
      summary: 'Webhook deliveries that failed every retry: all for platform administrators, advisory notices for coordinators, its own for an operator',
      querystring: DeadLetterQuery,
      response: { 200: DeadLettersView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await remediation.deadLetters(a.actor, a.subject, request.query.limit) };
    },
  });

  app.post('/api/v1/notifications/dead-letters/:id/redeliver', {
    schema: { tags: ['notifications'], summary: 'Send a dead-lettered webhook delivery again (the same body, signed afresh, with a fresh retry schedule)', params: ById, response: { 202: z.object({ id: z.string(), status: z.literal('queued') }) } },
    handler: async (request, reply) => {
      const a = authOf(request);
      await remediation.redeliver(a.actor, a.subject, request.params.id);
      return reply.status(202).send({ id: request.params.id, status: 'queued' as const });
    },
  });

  app.post('/api/v1/inventory/profile/channels/:id/test', {
    schema: {
      tags: ['inventory'],
      summary: 'Send a signed test event to one of my webhook channels now and report what it answered',
      params: ById,
      response: { 200: TestResultView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return remediation.testChannel(a.actor, a.subject, request.params.id);
    },
  });
}
