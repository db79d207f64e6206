import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import { gatewayProxyRoutes } from './gateway.proxy.ts';
import {
  EndpointBody,
  EndpointTestView,
  EndpointView,
  GatewayGrantView,
  Id,
  IssueKeyBody,
  IssuedKeyView,
  KeyView,
  LimitsBody,
  PageQuery,
  TranscriptSummaryView,
  TranscriptView,
  UsageView,
} from './gateway.types.ts';

const tags = ['gateway'];
const ById = z.object({ id: Id }).strict();

export function gatewayRoutes(app: App, services: Services, opts: { publicUrl?: () => string } = {}) {
  const { gateway } = services;
  const base = (request: { protocol: string; host: string }) => opts.publicUrl?.() ?? `${request.protocol}://${request.host}`;

  app.get('/api/v1/models/:id/gateway/endpoint', {
    schema: { tags, summary: "The model's upstream endpoint (developer; the key is never returned)", params: ById, response: { 200: EndpointView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.getEndpoint(a.actor, a.subject, request.params.id);
    },
  });

  app.put('/api/v1/models/:id/gateway/endpoint', {
    schema: { tags, summary: 'Register or replace the upstream endpoint (base URL, model, secret key stored encrypted)', params: ById, body: EndpointBody, response: { 200: EndpointView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.putEndpoint(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/models/:id/gateway/endpoint/test', {
    schema: { tags, summary: 'Connection test: GET /models on the upstream (or a one-token chat call)', params: ById, response: { 200: EndpointTestView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.testEndpoint(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/models/:id/gateway/grants', {
    schema: { tags, summary: "The model's review-window grants with their gateway limits, usage and key counts (developer)", params: ById, response: { 200: z.object({ items: z.array(GatewayGrantView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await gateway.listGrants(a.actor, a.subject, request.params.id) };
    },
  });

  app.put('/api/v1/gateway/grants/:id/limits', {
    schema: { tags, summary: 'Set the rate limit (requests/minute) and token quota of a grant (developer; null = none)', params: ById, body: LimitsBody, response: { 200: GatewayGrantView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.setLimits(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/gateway/keys', {
    schema: { tags, summary: 'Issue a gateway key for myself under a review-window grant of my organisation (the key is shown once)', body: IssueKeyBody, response: { 201: IssuedKeyView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await gateway.issueKey(a.actor, a.subject, request.body, base(request)));
    },
  });

  app.get('/api/v1/gateway/keys', {
    schema: { tags, summary: 'My gateway keys (no secrets)', response: { 200: z.object({ items: z.array(KeyView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await gateway.myKeys(a.actor, a.subject) };
    },
  });

  app.get('/api/v1/models/:id/gateway/keys', {
    schema: { tags, summary: 'Every gateway key on my model (developer; no secrets)', params: ById, response: { 200: z.object({ items: z.array(KeyView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await gateway.modelKeys(a.actor, a.subject, request.params.id) };
    },
  });

  app.post('/api/v1/gateway/keys/:id/revoke', {
    schema: { tags, summary: "Revoke a gateway key at once (its holder, or the model's developer); open streams are cut within a second", params: ById, response: { 200: KeyView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.revokeKey(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/models/:id/gateway/usage', {
    schema: { tags, summary: 'Usage of my model through the gateway: who, when, tokens, status — never content (developer)', params: ById, querystring: PageQuery, response: { 200: UsageView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.usage(a.actor, a.subject, request.params.id, request.query);
    },
  });

  app.get('/api/v1/gateway/transcripts', {
    schema: { tags, summary: 'Gateway transcripts I may read (my own; cleared agency analysts: all at their clearance)', querystring: PageQuery, response: { 200: z.object({ items: z.array(TranscriptSummaryView), nextBefore: z.string().nullable() }) } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.transcripts(a.actor, a.subject, request.query);
    },
  });

  app.get('/api/v1/gateway/transcripts/:id', {
    schema: { tags, summary: 'One transcript with its prompt and response (decrypted; the read is audited)', params: ById, response: { 200: TranscriptView } },
    handler: async (request) => {
      const a = authOf(request);
      return gateway.transcript(a.actor, a.subject, request.params.id);
    },
  });

  gatewayProxyRoutes(app, gateway);
  // The stop hook: write buffered request records before the database closes (Forewarn.close closes the app first).
  app.addHook('onClose', async () => {
    await gateway.close();
  });
}
