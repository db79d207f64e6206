import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  AggregatesView,
  CompareQuery,
  ComparisonView,
  CreateRunBody,
  ExportJson,
  ExportQuery,
  IdParams,
  IMPORT_BODY_LIMIT,
  ImportSuiteBody,
  LIST,
  Page,
  ResultsPage,
  ResultsQuery,
  RunnableGrantView,
  RunsQuery,
  RunView,
  SampleView,
  SuiteDetailView,
  SuitesQuery,
  SuiteVersionParams,
  SuiteView,
} from './evaluations.types.ts';

const tags = ['evaluations'];

export function evaluationsRoutes(app: App, { evaluations: svc }: Services) {
  app.post('/api/v1/evaluations/suites/import', {
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: { tags, summary: 'Import a task suite (or a new version of one) from JSONL, JSON or CSV with a field mapping', body: ImportSuiteBody, response: { 201: SuiteDetailView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.importSuite(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/evaluations/suites', {
    schema: { tags, summary: 'Task suites at your clearance', querystring: SuitesQuery, response: { 200: LIST(SuiteView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listSuites(a.actor, a.subject, request.query) };
    },
  });

  app.get('/api/v1/evaluations/suites/:id', {
    schema: { tags, summary: 'One task suite with its versions', params: IdParams, response: { 200: SuiteDetailView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getSuite(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/evaluations/suites/:id/versions/:versionId/samples', {
    schema: { tags, summary: 'Samples of a suite version (paged; the read is audited)', params: SuiteVersionParams, querystring: Page, response: { 200: z.object({ items: z.array(SampleView), total: z.number().int(), limit: z.number().int(), offset: z.number().int() }) } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.listSamples(a.actor, a.subject, request.params.id, request.params.versionId, request.query);
    },
  });

  app.get('/api/v1/evaluations/grants', {
    schema: { tags, summary: 'Review-window access your organisation holds now, to run evaluations under', response: { 200: LIST(RunnableGrantView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.runnableGrants(a.actor, a.subject) };
    },
  });

  app.post('/api/v1/evaluations/runs', {
    schema: { tags, summary: 'Start a run of a suite against the model of one of your review-window grants (through the gateway)', body: CreateRunBody, response: { 201: RunView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.createRun(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/evaluations/runs', {
    schema: { tags, summary: "Your organisation's runs with progress", querystring: RunsQuery, response: { 200: LIST(RunView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listRuns(a.actor, a.subject, request.query) };
    },
  });

  app.get('/api/v1/evaluations/runs/:id', {
    schema: { tags, summary: 'One run with its progress', params: IdParams, response: { 200: RunView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getRun(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/evaluations/runs/:id/cancel', {
    schema: { tags, summary: 'Cancel a queued or running run', params: IdParams, response: { 200: RunView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.cancelRun(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/evaluations/runs/:id/results', {
    schema: { tags, summary: 'Per-sample results (paged)', params: IdParams, querystring: ResultsQuery, response: { 200: ResultsPage } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.listResults(a.actor, a.subject, request.params.id, request.query);
    },
  });

  app.get('/api/v1/evaluations/runs/:id/aggregates', {
    schema: { tags, summary: 'Per-domain accuracy with Wilson 95% intervals', params: IdParams, response: { 200: AggregatesView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.aggregates(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/evaluations/compare', {
    schema: { tags, summary: 'Compare two runs domain by domain (Newcombe interval of the difference)', querystring: CompareQuery, response: { 200: ComparisonView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.compare(a.actor, a.subject, request.query.a, request.query.b);
    },
  });

  app.get('/api/v1/evaluations/runs/:id/export', {
    schema: { tags, summary: 'Export a run as JSON or CSV', params: IdParams, querystring: ExportQuery, response: { 200: z.union([ExportJson, z.string()]) } },
    handler: async (request, reply) => {
      const a = authOf(request);
      const format = request.query.format;
      const out = await svc.exportRun(a.actor, a.subject, request.params.id, format);
      reply.header('content-disposition', `attachment; filename="forewarn-run-${request.params.id}.${format}"`);
      reply.header('x-forewarn-marking', out.marking);
      if (out.kind === 'csv') return reply.type('text/csv; charset=utf-8').send(out.csv);
      return out.json;
    },
  });
}
