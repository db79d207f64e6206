import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import { assessmentRoutes } from '../reviews/assessment.routes.ts';
import { EVIDENCE_BODY_LIMIT, EvidenceBody, EvidenceContent, FindingActionBody, FindingSummary, FindingView, ListQuery, NewFindingBody, ShareBody } from './findings.types.ts';

const tags = ['findings'];
const ById = z.object({ id: z.uuid() }).strict();

export function findingsRoutes(app: App, services: Services) {
  const { findings } = services;
  // Until the composition root wires `services.assessments`, the assessment plan is served from here.
  assessmentRoutes(app, { assessments: findings.assessments });

  app.get('/api/v1/findings', {
    schema: { tags, summary: 'Findings I may read: my organisation’s, shared with it (the developer: shared with it)', querystring: ListQuery, response: { 200: z.object({ items: z.array(FindingSummary) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await findings.list(a.actor, a.subject, request.query) };
    },
  });

  app.post('/api/v1/findings', {
    schema: { tags, summary: 'File a finding against a model (reviewers holding a grant on its open window)', body: NewFindingBody, response: { 201: FindingView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await findings.create(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/findings/:id', {
    schema: { tags, summary: 'One finding with its evidence list and history', params: ById, response: { 200: FindingView } },
    handler: async (request) => {
      const a = authOf(request);
      return findings.get(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/findings/:id/actions', {
    schema: {
      tags,
      summary: 'Move a finding along: file, share (with the developer), withdraw, verify, reject_mitigation, close, reopen (reviewers); accept, dispute, mitigate (developer)',
      params: ById,
      body: FindingActionBody,
      response: { 200: FindingView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return findings.act(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/findings/:id/shares', {
    schema: { tags, summary: 'Share a finding with another organisation on the same window (co-reviewers)', params: ById, body: ShareBody, response: { 200: FindingView } },
    handler: async (request) => {
      const a = authOf(request);
      return findings.shareWith(a.actor, a.subject, request.params.id, request.body.orgId);
    },
  });

  app.post('/api/v1/findings/:id/evidence', {
    bodyLimit: EVIDENCE_BODY_LIMIT,
    schema: { tags, summary: 'Attach a reproduction file (encrypted at rest; at most 2 MiB, 10 per finding)', params: ById, body: EvidenceBody, response: { 201: FindingView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await findings.addEvidence(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.get('/api/v1/findings/:id/evidence/:evidenceId', {
    schema: { tags, summary: 'Download a reproduction file (base64)', params: z.object({ id: z.uuid(), evidenceId: z.uuid() }).strict(), response: { 200: EvidenceContent } },
    handler: async (request) => {
      const a = authOf(request);
      return findings.evidence(a.actor, a.subject, request.params.id, request.params.evidenceId);
    },
  });

  app.post('/api/v1/findings/:id/handoff', {
    schema: { tags, summary: 'Queue a failed clearinghouse hand-off again (reviewers)', params: ById, response: { 200: FindingView } },
    handler: async (request) => {
      const a = authOf(request);
      return findings.retryHandoff(a.actor, a.subject, request.params.id);
    },
  });
}
