import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  AssessmentBody,
  AssignBody,
  EVIDENCE_BODY_LIMIT,
  EvidenceBody,
  IdempotencyHeaders,
  MyReportItem,
  MyReportsQuery,
  ValidatorItem,
  QueueItem,
  QueueQuery,
  REPORT_BODY_LIMIT,
  ReportView,
  SubmitReportBody,
  SubmitReportResponse,
  TransitionBody,
  VulnerabilityView,
} from './clearinghouse.types.ts';

const tags = ['clearinghouse'];
const ById = z.object({ id: z.uuid() }).strict();

export function clearinghouseRoutes(app: App, services: Services) {
  const { clearinghouse } = services;

  app.post('/api/v1/clearinghouse/reports', {
    bodyLimit: REPORT_BODY_LIMIT + 64 * 1024,
    schema: {
      tags,
      summary: 'Submit a vulnerability report (native JSON, SARIF 2.1.0, OSV, CSAF 2.0 or CycloneDX VEX); send an Idempotency-Key so that a retry returns the first answer',
      headers: IdempotencyHeaders,
      body: SubmitReportBody,
      response: { 201: SubmitReportResponse },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await clearinghouse.submitReport(a.actor, a.subject, request.body, request.headers['idempotency-key']));
    },
  });

  app.get('/api/v1/clearinghouse/reports', {
    schema: { tags, summary: 'Your own reports, newest first', querystring: MyReportsQuery, response: { 200: z.object({ items: z.array(MyReportItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await services.clearinghouseDirectory.myReports(a.actor, a.subject, request.query.limit) };
    },
  });

  app.get('/api/v1/clearinghouse/validators', {
    schema: { tags, summary: 'Who may be assigned to validate: active users of agencies and trusted partners cleared for CUI (clearinghouse analysts)', response: { 200: z.object({ items: z.array(ValidatorItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await services.clearinghouseDirectory.validators(a.actor, a.subject) };
    },
  });

  app.get('/api/v1/clearinghouse/reports/:id', {
    schema: { tags, summary: 'One report: its candidates and where each stands (the submitter, and clearinghouse analysts)', params: ById, response: { 200: ReportView } },
    handler: async (request) => {
      const a = authOf(request);
      return clearinghouse.getReport(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/clearinghouse/queue', {
    schema: { tags, summary: 'The validation queue: status, age, service-level target and whether it is overdue (clearinghouse analysts)', querystring: QueueQuery, response: { 200: z.object({ items: z.array(QueueItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await clearinghouse.queue(a.actor, a.subject, request.query) };
    },
  });

  app.get('/api/v1/clearinghouse/vulnerabilities/:id', {
    schema: { tags, summary: 'One vulnerability (analysts and its validator: all of it; a reporter: the status of its own reports)', params: ById, response: { 200: VulnerabilityView } },
    handler: async (request) => {
      const a = authOf(request);
      return clearinghouse.getVulnerability(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/clearinghouse/vulnerabilities/:id/transition', {
    schema: { tags, summary: 'Move a vulnerability through validation (see vulnerability.machine.ts for who may make each move)', params: ById, body: TransitionBody, response: { 200: VulnerabilityView } },
    handler: async (request) => {
      const a = authOf(request);
      return clearinghouse.transition(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/clearinghouse/vulnerabilities/:id/assign', {
    schema: { tags, summary: 'Assign a validator (a user of an agency or a trusted partner)', params: ById, body: AssignBody, response: { 200: VulnerabilityView } },
    handler: async (request) => {
      const a = authOf(request);
      return clearinghouse.assign(a.actor, a.subject, request.params.id, request.body.userId);
    },
  });

  app.post('/api/v1/clearinghouse/vulnerabilities/:id/evidence', {
    bodyLimit: EVIDENCE_BODY_LIMIT,
    schema: { tags, summary: 'Add evidence: proof, reproduction notes or a file (encrypted at rest)', params: ById, body: EvidenceBody, response: { 201: VulnerabilityView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await clearinghouse.addEvidence(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.put('/api/v1/clearinghouse/vulnerabilities/:id/assessment', {
    schema: { tags, summary: 'Set CVSS vectors (3.1/4.0, scored), CWE and affected products (purl + OSV ranges)', params: ById, body: AssessmentBody, response: { 200: VulnerabilityView } },
    handler: async (request) => {
      const a = authOf(request);
      return clearinghouse.setAssessment(a.actor, a.subject, request.params.id, request.body);
    },
  });
}
