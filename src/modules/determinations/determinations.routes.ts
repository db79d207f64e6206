import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  BenchmarkView,
  CandidateModelView,
  CreateBenchmarkBody,
  CreateDeterminationBody,
  DecideBody,
  DeterminationView,
  Id,
  NoticeView,
  PositionBody,
  ProposeThresholdBody,
  ThresholdVersionView,
  UpdateDeterminationBody,
} from './determinations.types.ts';
import { AttachRunBody, BenchmarkScoresView } from '../evaluations/evaluations.types.ts';

const LIST = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const tags = ['determinations'];
const IdParams = z.object({ id: Id }).strict();

export function determinationsRoutes(app: App, { determinations: svc }: Services) {
  app.get('/api/v1/benchmarks', {
    schema: { tags, summary: 'Classified benchmarks you are cleared to read (NSA, ONCD, CISA with the compartment)', response: { 200: LIST(BenchmarkView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listBenchmarks(a.actor, a.subject) };
    },
  });

  app.post('/api/v1/benchmarks', {
    schema: { tags, summary: 'Define a benchmark version (NSA, SECRET or above with BENCH)', body: CreateBenchmarkBody, response: { 201: BenchmarkView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.createBenchmark(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/benchmarks/:id', {
    schema: { tags, summary: 'One benchmark (cleared readers holding the compartment)', params: IdParams, response: { 200: BenchmarkView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getBenchmark(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/threshold-versions', {
    schema: {
      tags,
      summary: 'Threshold versions with their consultation history (content at your clearance)',
      querystring: z.object({ benchmarkId: Id.optional() }).strict(),
      response: { 200: LIST(ThresholdVersionView) },
    },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listThresholdVersions(a.actor, a.subject, request.query.benchmarkId) };
    },
  });

  app.post('/api/v1/threshold-versions', {
    schema: { tags, summary: 'Propose a threshold version (NSA)', body: ProposeThresholdBody, response: { 201: ThresholdVersionView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.proposeThreshold(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/threshold-versions/:id', {
    schema: { tags, summary: 'One threshold version and its history', params: IdParams, response: { 200: ThresholdVersionView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getThresholdVersion(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/threshold-versions/:id/consultations', {
    schema: { tags, summary: 'Record your agency’s position on a proposed threshold version (ONCD, CISA)', params: IdParams, body: PositionBody, response: { 201: ThresholdVersionView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.consultThreshold(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.post('/api/v1/threshold-versions/:id/adopt', {
    schema: { tags, summary: 'Adopt a threshold version once ONCD and CISA have recorded positions (NSA)', params: IdParams, response: { 200: ThresholdVersionView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.adoptThreshold(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/threshold-versions/:id/withdraw', {
    schema: { tags, summary: 'Withdraw a proposed threshold version (NSA)', params: IdParams, response: { 200: ThresholdVersionView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.withdrawThreshold(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/determinations/candidate-models', {
    schema: { tags, summary: 'Models shared with NSA, for which a determination may be prepared', response: { 200: LIST(CandidateModelView) } },
    handler: async (request) => ({ items: await svc.listCandidateModels(authOf(request).actor, authOf(request).subject) }),
  });

  app.get('/api/v1/determinations', {
    schema: {
      tags,
      summary: 'Determinations (scores and thresholds at your clearance)',
      querystring: z.object({ modelId: Id.optional() }).strict(),
      response: { 200: LIST(DeterminationView) },
    },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await svc.listDeterminations(a.actor, a.subject, request.query.modelId) };
    },
  });

  app.post('/api/v1/determinations', {
    schema: { tags, summary: 'Start a determination for a model shared with NSA, under the adopted threshold version', body: CreateDeterminationBody, response: { 201: DeterminationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.createDetermination(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/determinations/benchmark-runs/:runId/scores', {
    schema: { tags, summary: 'A benchmark run scored against the adopted threshold version (cleared NSA, ONCD, CISA only)', params: z.object({ runId: Id }).strict(), response: { 200: BenchmarkScoresView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.benchmarkRunScores(a.actor, a.subject, request.params.runId);
    },
  });

  app.post('/api/v1/determinations/:id/scores-from-run', {
    schema: { tags, summary: 'Take a completed benchmark run’s score as the determination’s score for its domain (NSA, draft)', params: IdParams, body: AttachRunBody, response: { 200: DeterminationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.attachRunScores(a.actor, a.subject, request.params.id, request.body.runId);
    },
  });

  app.get('/api/v1/determinations/:id', {
    schema: { tags, summary: 'One determination at your clearance', params: IdParams, response: { 200: DeterminationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.getDetermination(a.actor, a.subject, request.params.id);
    },
  });

  app.patch('/api/v1/determinations/:id', {
    schema: { tags, summary: 'Enter scores, compute, judgment and the classified rationale (NSA, draft)', params: IdParams, body: UpdateDeterminationBody, response: { 200: DeterminationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.updateDetermination(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/determinations/:id/submit', {
    schema: { tags, summary: 'Send a determination for ONCD and CISA sign-off (NSA)', params: IdParams, response: { 200: DeterminationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.submitDetermination(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/determinations/:id/reopen', {
    schema: { tags, summary: 'Take a determination back to draft (NSA); earlier sign-offs no longer count', params: IdParams, response: { 200: DeterminationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.reopenDetermination(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/determinations/:id/signoffs', {
    schema: { tags, summary: 'Record your agency’s sign-off position (ONCD, CISA)', params: IdParams, body: PositionBody, response: { 201: DeterminationView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await svc.signOff(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.post('/api/v1/determinations/:id/decide', {
    schema: { tags, summary: 'Decide a determination once ONCD and CISA have signed off (NSA); writes the developer’s notice', params: IdParams, body: DecideBody, response: { 200: DeterminationView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.decide(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.get('/api/v1/models/:id/determination-notice', {
    schema: { tags, summary: 'The latest determination notice for a model: outcome, summary, expiry and triggers only', params: IdParams, response: { 200: NoticeView } },
    handler: async (request) => {
      const a = authOf(request);
      return svc.latestNotice(a.actor, a.subject, request.params.id);
    },
  });
}
