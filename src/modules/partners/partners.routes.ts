import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  AppealBody,
  AppealPanelBody,
  ApplicationBody,
  ApplicationSummaryView,
  ApplicationView,
  ConflictBody,
  ConsistencyView,
  CriteriaVersionView,
  DecisionBody,
  EvidenceContentView,
  FindingBody,
  Id,
  ListQuery,
  PanelBody,
  PanelView,
  PublishCriteriaBody,
  UpdateApplicationBody,
  VoteBody,
} from './partners.types.ts';

const tags = ['partners'];
const ById = z.object({ id: Id }).strict();
const CriterionParams = z.object({ id: Id, key: z.string().max(40) }).strict();
const EvidenceParams = z.object({ id: Id, evidenceId: Id }).strict();

export function partnersRoutes(app: App, services: Services) {
  const { partners } = services;

  app.get('/api/v1/partners/criteria', {
    schema: { tags, summary: 'The current selection criteria (any signed-in user)', response: { 200: CriteriaVersionView } },
    handler: async (request) => partners.currentCriteria(authOf(request).subject),
  });
  app.get('/api/v1/partners/criteria/versions', {
    schema: { tags, summary: 'Every published version of the selection criteria', response: { 200: z.object({ items: z.array(CriteriaVersionView) }) } },
    handler: async (request) => ({ items: await partners.criteriaHistory(authOf(request).subject) }),
  });
  app.post('/api/v1/partners/criteria', {
    schema: { tags, summary: 'Publish a new version of the selection criteria (agency vetting reviewers)', body: PublishCriteriaBody, response: { 201: CriteriaVersionView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      reply.code(201);
      return partners.publishCriteria(a.actor, a.subject, request.body);
    },
  });

  app.post('/api/v1/partners/applications', {
    schema: { tags, summary: 'Apply (or renew an eligibility) against the current criteria, with evidence and declarations', body: ApplicationBody, response: { 201: ApplicationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      reply.code(201);
      return partners.apply(a.actor, a.subject, request.body);
    },
  });
  app.get('/api/v1/partners/applications', {
    schema: { tags, summary: "Applications: the applicant's own, or every applicant's for vetting reviewers", querystring: ListQuery, response: { 200: z.object({ items: z.array(ApplicationSummaryView) }) } },
    handler: async (request) => ({ items: await partners.listApplications(authOf(request).subject, request.query.status) }),
  });
  app.get('/api/v1/partners/applications/:id', {
    schema: { tags, summary: 'One application with its findings (for the applicant: once decided) and decisions', params: ById, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.getApplication(a.actor, a.subject, request.params.id);
    },
  });
  app.put('/api/v1/partners/applications/:id', {
    schema: { tags, summary: 'Replace the answers, evidence and declarations while the application awaits vetting', params: ById, body: UpdateApplicationBody, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.updateApplication(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/partners/applications/:id/withdraw', {
    schema: { tags, summary: 'Withdraw the application', params: ById, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.withdraw(a.actor, a.subject, request.params.id);
    },
  });
  app.get('/api/v1/partners/applications/:id/evidence/:evidenceId', {
    schema: { tags, summary: 'One evidence document (decrypted) for the applicant or a vetting reviewer', params: EvidenceParams, response: { 200: EvidenceContentView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.evidenceContent(a.actor, a.subject, request.params.id, request.params.evidenceId);
    },
  });
  app.put('/api/v1/partners/applications/:id/findings/:key', {
    schema: { tags, summary: 'Record the vetting finding on one criterion (met or not, with a note for the applicant)', params: CriterionParams, body: FindingBody, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.recordFinding(a.actor, a.subject, request.params.id, request.params.key, request.body);
    },
  });
  app.post('/api/v1/partners/applications/:id/decision', {
    schema: { tags, summary: 'Decide eligibility (eligible with an expiry, or not eligible) with reasons for the applicant', params: ById, body: DecisionBody, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.decideEligibility(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/partners/panels', {
    schema: { tags, summary: 'Constitute a joint selection panel for an eligible applicant, a model and its open review window', body: PanelBody, response: { 201: PanelView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      reply.code(201);
      return partners.createPanel(a.actor, a.subject, request.body);
    },
  });
  app.get('/api/v1/partners/panels', {
    schema: { tags, summary: 'Panels: the ones you sit on, your models’ panels (developer), or all (vetting reviewers)', response: { 200: z.object({ items: z.array(PanelView) }) } },
    handler: async (request) => ({ items: await partners.listPanels(authOf(request).subject) }),
  });
  app.get('/api/v1/partners/panels/:id', {
    schema: { tags, summary: 'One panel with its members, declarations and votes', params: ById, response: { 200: PanelView } },
    handler: async (request) => partners.getPanel(authOf(request).subject, request.params.id),
  });
  app.post('/api/v1/partners/panels/:id/conflicts', {
    schema: { tags, summary: 'Declare whether you have a conflict of interest (a conflicted member cannot vote)', params: ById, body: ConflictBody, response: { 200: PanelView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.declareConflict(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/partners/panels/:id/votes', {
    schema: { tags, summary: 'Vote approve or refuse with a written rationale citing the criteria', params: ById, body: VoteBody, response: { 200: PanelView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.vote(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/partners/panels/:id/appeal', {
    schema: { tags, summary: 'Appeal a refused selection decision (once per decision)', params: ById, body: AppealBody, response: { 201: z.object({ id: z.string() }) } },
    handler: async (request, reply) => {
      const a = authOf(request);
      reply.code(201);
      return partners.appeal(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/partners/appeals/:id/panel', {
    schema: { tags, summary: 'Constitute the appeal panel (members must not have sat on the first panel)', params: ById, body: AppealPanelBody, response: { 200: PanelView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.constituteAppeal(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.get('/api/v1/partners/consistency', {
    schema: { tags, summary: 'Consistency of panel decisions by criterion, member and outcome, with flags (oversight)', response: { 200: ConsistencyView } },
    handler: async (request) => {
      const a = authOf(request);
      return partners.consistency(a.actor, a.subject);
    },
  });
}
