import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import { MAX_BASE64_CHARS } from './files.ts';
import {
  ApplicationSummary,
  ApplicationView,
  AssignBody,
  AssignmentView,
  AttachmentBody,
  AwardSummary,
  AwardView,
  CloseoutBody,
  CreateApplicationBody,
  DecisionBody,
  DeclareBody,
  DraftBody,
  EnrolBody,
  EnrolmentDecisionBody,
  EnrolmentStatsView,
  EnrolmentView,
  Id,
  MilestoneBody,
  OpportunityBody,
  OpportunityView,
  PaymentBody,
  ProgressBody,
  PublicOpportunityView,
  RankingView,
  ScoreBody,
  ServiceBody,
  ServiceView,
  ToolBody,
} from './grants.types.ts';

const LIST = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const IdParams = z.object({ id: Id }).strict();
const tags = ['grants'];
const catalogueTags = ['defensive-tool services'];
const PUBLIC = { auth: 'none' as const };

export function grantsRoutes(app: App, { grants: svc }: Services) {
  // ───────────── public (no sign-in) ─────────────
  app.get('/api/v1/public/grant-opportunities', {
    config: PUBLIC,
    schema: { tags, summary: 'Published funding opportunities (public)', response: { 200: LIST(PublicOpportunityView) } },
    handler: async () => ({ items: await svc.listPublicOpportunities() }),
  });
  app.get('/api/v1/public/grant-opportunities/:id', {
    config: PUBLIC,
    schema: { tags, summary: 'One published funding opportunity (public)', params: IdParams, response: { 200: PublicOpportunityView } },
    handler: async (request) => svc.getPublicOpportunity(request.params.id),
  });
  app.get('/api/v1/public/services', {
    config: PUBLIC,
    schema: { tags: catalogueTags, summary: 'The catalogue of defensive-tool services for operators (public)', response: { 200: LIST(ServiceView) } },
    handler: async () => ({ items: await svc.listServices() }),
  });
  app.get('/api/v1/public/services/:id', {
    config: PUBLIC,
    schema: { tags: catalogueTags, summary: 'One defensive-tool service (public)', params: IdParams, response: { 200: ServiceView } },
    handler: async (request) => svc.getService(request.params.id),
  });

  // ───────────── opportunities (program officers) ─────────────
  app.get('/api/v1/grant-opportunities', {
    schema: { tags, summary: 'Your agency’s funding opportunities, drafts included (program officers)', response: { 200: LIST(OpportunityView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listOwnOpportunities(a.actor, a.subject) };
    },
  });
  app.post('/api/v1/grant-opportunities', {
    schema: { tags, summary: 'Draft a funding opportunity (program officers)', body: OpportunityBody, response: { 201: OpportunityView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.createOpportunity(a.actor, a.subject, request.body));
    },
  });
  app.get('/api/v1/grant-opportunities/:id', {
    schema: { tags, summary: 'One of your agency’s funding opportunities with its funds committed', params: IdParams, response: { 200: OpportunityView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getOwnOpportunity(a.actor, a.subject, request.params.id);
    },
  });
  app.put('/api/v1/grant-opportunities/:id', {
    schema: { tags, summary: 'Edit a draft funding opportunity', params: IdParams, body: OpportunityBody, response: { 200: OpportunityView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.updateOpportunity(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/grant-opportunities/:id/publish', {
    schema: { tags, summary: 'Publish a draft funding opportunity (it becomes public)', params: IdParams, response: { 200: OpportunityView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.publishOpportunity(a.actor, a.subject, request.params.id);
    },
  });
  app.post('/api/v1/grant-opportunities/:id/cancel', {
    schema: { tags, summary: 'Cancel a funding opportunity', params: IdParams, response: { 200: OpportunityView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.cancelOpportunity(a.actor, a.subject, request.params.id);
    },
  });
  app.get('/api/v1/grant-opportunities/:id/ranking', {
    schema: { tags, summary: 'Applications ranked by normalised review score, with the funds still available', params: IdParams, response: { 200: RankingView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.ranking(a.actor, a.subject, request.params.id);
    },
  });

  // ───────────── applications ─────────────
  app.get('/api/v1/grant-applications', {
    schema: { tags, summary: 'Applications you may read (your organisation’s; those submitted to your agency; those you review)', querystring: z.object({ opportunityId: Id.optional() }).strict(), response: { 200: LIST(ApplicationSummary) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listApplications(a.actor, a.subject, request.query.opportunityId) };
    },
  });
  app.post('/api/v1/grant-applications', {
    schema: { tags, summary: 'Start an application (a draft) to an open opportunity', body: CreateApplicationBody, response: { 201: ApplicationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.createApplication(a.actor, a.subject, request.body));
    },
  });
  app.get('/api/v1/grant-applications/:id', {
    schema: { tags, summary: 'One application (the applicant sees reviewers’ comments after the decision, without names)', params: IdParams, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getApplication(a.actor, a.subject, request.params.id);
    },
  });
  app.patch('/api/v1/grant-applications/:id', {
    schema: { tags, summary: 'Save a draft: sections, budget table, attestations, size', params: IdParams, body: DraftBody, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.saveDraft(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/grant-applications/:id/attachments', {
    // Base64 of at most 2 MiB plus the JSON around it; every other route keeps the 1 MiB default.
    bodyLimit: MAX_BASE64_CHARS + 16 * 1024,
    schema: { tags, summary: 'Attach a file (PDF, DOCX or text, at most 2 MiB, base64); stored encrypted', params: IdParams, body: AttachmentBody, response: { 201: ApplicationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.addAttachment(a.actor, a.subject, request.params.id, request.body));
    },
  });
  app.get('/api/v1/grant-applications/:id/attachments/:attachmentId', {
    schema: { tags, summary: 'Download an attachment (base64)', params: z.object({ id: Id, attachmentId: Id }).strict(), response: { 200: z.object({ filename: z.string(), contentType: z.string(), contentBase64: z.string() }) } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getAttachment(a.actor, a.subject, request.params.id, request.params.attachmentId);
    },
  });
  app.delete('/api/v1/grant-applications/:id/attachments/:attachmentId', {
    schema: { tags, summary: 'Remove an attachment from a draft', params: z.object({ id: Id, attachmentId: Id }).strict(), response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.removeAttachment(a.actor, a.subject, request.params.id, request.params.attachmentId);
    },
  });
  app.post('/api/v1/grant-applications/:id/submit', {
    schema: { tags, summary: 'Submit before the close date; refused with reasons when late or incomplete; eligibility is checked and recorded', params: IdParams, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.submit(a.actor, a.subject, request.params.id);
    },
  });
  app.post('/api/v1/grant-applications/:id/withdraw', {
    schema: { tags, summary: 'Withdraw an application before the decision', params: IdParams, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.withdraw(a.actor, a.subject, request.params.id);
    },
  });
  app.get('/api/v1/grant-applications/:id/reviewers', {
    schema: { tags, summary: 'Reviewers assigned to an application, their declarations and scores (program officers)', params: IdParams, response: { 200: LIST(AssignmentView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listAssignmentsFor(a.actor, a.subject, request.params.id) };
    },
  });
  app.post('/api/v1/grant-applications/:id/reviewers', {
    schema: { tags, summary: 'Assign a reviewer (program officers)', params: IdParams, body: AssignBody, response: { 201: AssignmentView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.assignReviewer(a.actor, a.subject, request.params.id, request.body.reviewerEmail));
    },
  });
  app.post('/api/v1/grant-applications/:id/decision', {
    schema: { tags, summary: 'Award or decline, with reasons; awards stay within the funds available', params: IdParams, body: DecisionBody, response: { 200: ApplicationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.decide(a.actor, a.subject, request.params.id, request.body);
    },
  });

  // ───────────── review ─────────────
  app.get('/api/v1/grant-reviews', {
    schema: { tags, summary: 'Your review assignments (grant reviewers)', response: { 200: LIST(AssignmentView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listMyAssignments(a.actor, a.subject) };
    },
  });
  app.post('/api/v1/grant-reviews/:id/declaration', {
    schema: { tags, summary: 'Declare a conflict of interest, or none, before scoring', params: IdParams, body: DeclareBody, response: { 200: AssignmentView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.declare(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/grant-reviews/:id/scores', {
    schema: { tags, summary: 'Score every rubric criterion with a comment (refused when conflicted)', params: IdParams, body: ScoreBody, response: { 200: AssignmentView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.score(a.actor, a.subject, request.params.id, request.body);
    },
  });

  // ───────────── awards ─────────────
  app.get('/api/v1/grant-awards', {
    schema: { tags, summary: 'Awards your agency made or your organisation received', response: { 200: LIST(AwardSummary) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listAwards(a.actor, a.subject) };
    },
  });
  app.get('/api/v1/grant-awards/:id', {
    schema: { tags, summary: 'One award: milestones, progress, payments, the tool and the findings it reported', params: IdParams, response: { 200: AwardView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getAward(a.actor, a.subject, request.params.id);
    },
  });
  app.post('/api/v1/grant-awards/:id/milestones', {
    schema: { tags, summary: 'Add a milestone (program officers); milestones cannot exceed the award', params: IdParams, body: MilestoneBody, response: { 201: AwardView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.addMilestone(a.actor, a.subject, request.params.id, request.body));
    },
  });
  app.post('/api/v1/grant-awards/:id/milestones/:milestoneId/accept', {
    schema: { tags, summary: 'Accept a milestone’s deliverables (program officers)', params: z.object({ id: Id, milestoneId: Id }).strict(), response: { 200: AwardView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.acceptMilestone(a.actor, a.subject, request.params.id, request.params.milestoneId);
    },
  });
  app.post('/api/v1/grant-awards/:id/progress-reports', {
    schema: { tags, summary: 'Report progress (the recipient)', params: IdParams, body: ProgressBody, response: { 201: AwardView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.reportProgress(a.actor, a.subject, request.params.id, request.body));
    },
  });
  app.post('/api/v1/grant-awards/:id/payments', {
    schema: { tags, summary: 'Record a payment against an accepted milestone; payments cannot exceed the award', params: IdParams, body: PaymentBody, response: { 201: AwardView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.pay(a.actor, a.subject, request.params.id, request.body));
    },
  });
  app.post('/api/v1/grant-awards/:id/closeout', {
    schema: { tags, summary: 'Begin closeout, close, reopen or terminate an award (program officers)', params: IdParams, body: CloseoutBody, response: { 200: AwardView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.closeout(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/grant-awards/:id/tools', {
    schema: { tags, summary: 'Register the funded tool and the SARIF driver name its reports carry (the recipient)', params: IdParams, body: ToolBody, response: { 201: AwardView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.registerTool(a.actor, a.subject, request.params.id, request.body));
    },
  });

  // ───────────── defensive-tool services ─────────────
  app.get('/api/v1/services', {
    schema: { tags: catalogueTags, summary: 'The services catalogue (the program also sees retired services)', response: { 200: LIST(ServiceView) } },
    handler: async (request) => ({ items: await svc.listServicesFor(authOf(request).subject) }),
  });
  app.post('/api/v1/services', {
    schema: { tags: catalogueTags, summary: 'Add a service to the catalogue (the program)', body: ServiceBody, response: { 201: ServiceView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.saveService(a.actor, a.subject, null, request.body));
    },
  });
  app.put('/api/v1/services/:id', {
    schema: { tags: catalogueTags, summary: 'Edit or retire a service (the program)', params: IdParams, body: ServiceBody, response: { 200: ServiceView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.saveService(a.actor, a.subject, request.params.id, request.body);
    },
  });
  app.post('/api/v1/services/:id/enrolments', {
    schema: { tags: catalogueTags, summary: 'Request enrolment in a service (operators)', params: IdParams, body: EnrolBody, response: { 201: EnrolmentView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.requestEnrolment(a.actor, a.subject, request.params.id, request.body));
    },
  });
  app.get('/api/v1/service-enrolments', {
    schema: { tags: catalogueTags, summary: 'Enrolments: your organisation’s, or every one (the program)', response: { 200: LIST(EnrolmentView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listEnrolments(a.actor, a.subject) };
    },
  });
  app.get('/api/v1/service-enrolments/stats', {
    schema: { tags: catalogueTags, summary: 'Enrolments by sector and tier, and the coverage of small operators (the program)', response: { 200: EnrolmentStatsView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.enrolmentStats(a.actor, a.subject);
    },
  });
  app.post('/api/v1/service-enrolments/:id/decision', {
    schema: { tags: catalogueTags, summary: 'Enrol or decline a request (the program)', params: IdParams, body: EnrolmentDecisionBody, response: { 200: EnrolmentView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.decideEnrolment(a.actor, a.subject, request.params.id, request.body);
    },
  });
}
