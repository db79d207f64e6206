import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { jsonSchemaTransform, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { serializerCompiler } from './serializer.ts';
import type { Logger } from '../lib/logger.ts';
import { authPlugin } from './auth.ts';
import { HSTS, SECURITY_HEADERS } from './security-headers.ts';
import { isDenial, problemOf, PROBLEM_DESCRIPTIONS, sendProblem } from './problem.ts';
import type { App } from './types.ts';
import type { Services } from './services.ts';
import { identityRoutes } from '../modules/identity/identity.routes.ts';
import { auditRoutes } from '../modules/audit/audit.routes.ts';
import { jobsRoutes } from '../modules/jobs/jobs.routes.ts';
import { notificationsRoutes } from '../modules/notifications/notifications.routes.ts';
import { modelsRoutes } from '../modules/models/models.routes.ts';
import { consultationsRoutes } from '../modules/consultations/consultations.routes.ts';
import { determinationsRoutes } from '../modules/determinations/determinations.routes.ts';
import { reviewsRoutes } from '../modules/reviews/reviews.routes.ts';
import { gatewayRoutes } from '../modules/gateway/gateway.routes.ts';
import { evaluationsRoutes } from '../modules/evaluations/evaluations.routes.ts';
import { findingsRoutes } from '../modules/findings/findings.routes.ts';
import { partnersRoutes } from '../modules/partners/partners.routes.ts';
import { transparencyRoutes } from '../modules/transparency/transparency.routes.ts';
import { clearinghouseRoutes } from '../modules/clearinghouse/clearinghouse.routes.ts';
import { inventoryRoutes } from '../modules/inventory/inventory.routes.ts';
import { coordinationRoutes } from '../modules/clearinghouse/coordination/coordination.routes.ts';
import { advisoriesRoutes } from '../modules/clearinghouse/publication/advisories.routes.ts';
import { matchingRoutes } from '../modules/matching/matching.routes.ts';
import { remediationRoutes } from '../modules/inventory/remediation/remediation.routes.ts';
import { headStartRoutes } from '../modules/inventory/head-start/head-start.routes.ts';
import { grantsRoutes } from '../modules/grants/grants.routes.ts';
import { workforceRoutes } from '../modules/workforce/workforce.routes.ts';
import { fromRoot } from '../lib/paths.ts';

export const webDist = fromRoot('web', 'dist');

export interface AppOptions {
  logger: Logger;
  services: Services;
  databaseKind: 'pglite' | 'postgres';
  loginRatePerMinute: number;
  version: string;
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const { services } = opts;
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: 1024 * 1024,
    trustProxy: false,
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    // HSTS only means something over TLS.
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Forewarn API', version: opts.version, description: 'Voluntary pre-release review of frontier AI models and the AI cybersecurity clearinghouse. Errors are RFC 9457 problem details.' },
      tags: [
        { name: 'platform', description: 'Health and documentation' },
        { name: 'identity', description: 'Sign-in, accounts, organisations, users' },
        { name: 'audit', description: 'The hash-chained audit trail' },
        { name: 'jobs', description: 'Background job queue' },
        { name: 'notifications', description: 'In-app notifications and the email outbox' },
        { name: 'models', description: 'Models and disclosure packages (AI developers)' },
        { name: 'consultations', description: 'Risk consultations: is this model covered?' },
        { name: 'determinations', description: 'Classified benchmark, thresholds and covered-model determinations' },
        { name: 'reviews', description: 'Review windows, policy settings and the developer’s controls' },
        { name: 'gateway', description: 'Model-access gateway: upstream endpoints, keys, usage, transcripts, and the OpenAI-compatible /gateway/v1 proxy' },
        { name: 'evaluations', description: 'Task suites, evaluation runs and results' },
        { name: 'findings', description: 'Review findings and their hand-off' },
        { name: 'assessments', description: 'Coordinated assessments' },
        { name: 'partners', description: 'Trusted partners: criteria, applications, panels' },
        { name: 'transparency', description: 'The public transparency report' },
        { name: 'clearinghouse', description: 'Clearinghouse intake and validation' },
        { name: 'clearinghouse coordination', description: 'Coordinated disclosure: cases, vendors, statements, embargo' },
        { name: 'advisories', description: 'Advisories: CSAF 2.0, OSV, revisions, TLP 2.0 and the restricted feed' },
        { name: 'csaf distribution', description: 'CSAF trusted-provider directory for TLP:CLEAR advisories (/.well-known/csaf)' },
        { name: 'inventory', description: 'Operators: assets, SBOMs, components, profile, notification channels' },
        { name: 'matching', description: 'Exact matching of advisories to operators’ inventories; OSV import' },
        { name: 'remediation', description: 'Remediation records, notifications, deliveries and dead letters' },
        { name: 'head-start', description: 'The defender head start per reviewed model' },
        { name: 'grants', description: 'Grants, defensive-tool services' },
        { name: 'hiring pathways', description: 'Cyber and AI hiring pathways' },
      ],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'fw_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  await app.register(authPlugin, { auth: services.auth });

  app.setErrorHandler(async (err, request, reply) => {
    const { problem, headers } = problemOf(err, request);
    if (problem.status >= 500) request.log.error({ err: { message: (err as Error).message, stack: (err as Error).stack } }, 'unhandled error');
    if (isDenial(err) || problem.status === 403) {
      // Every refusal is evidence: record who tried what, in a transaction of its own.
      await services.audit
        .recordAlone({ actor: request.actor, action: 'access.denied', outcome: 'denied', detail: { method: request.method, route: request.routeOptions.url ?? request.url.split('?')[0], problem: problem.type } })
        .catch((e) => request.log.error({ err: { message: (e as Error).message } }, 'could not audit a denial'));
    }
    return sendProblem(reply, problem, headers);
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method === 'GET' && !request.url.startsWith('/api/') && existsSync(`${webDist}/index.html`)) {
      return reply.type('text/html').sendFile('index.html');
    }
    return sendProblem(reply, { type: '/problems/not-found', title: 'Not found', status: 404, detail: `No route ${request.method} ${request.url.split('?')[0]}.`, instance: request.url.split('?')[0] });
  });

  app.get('/healthz', {
    schema: { tags: ['platform'], summary: 'Liveness and database kind', response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgres']) }) } },
    config: { auth: 'none' },
    handler: async () => {
      await services.ping();
      return { status: 'ok' as const, database: opts.databaseKind };
    },
  });
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'none' }, handler: async () => app.swagger() });
  app.get('/problems/:slug', {
    schema: { tags: ['platform'], summary: 'What a problem type means', params: z.object({ slug: z.string().max(60) }) },
    config: { auth: 'none' },
    handler: async (request, reply) => {
      const text = PROBLEM_DESCRIPTIONS[request.params.slug];
      if (!text) return sendProblem(reply, { type: '/problems/not-found', title: 'Not found', status: 404, detail: 'No such problem type.' });
      return { type: `/problems/${request.params.slug}`, description: text };
    },
  });

  identityRoutes(app, { auth: services.auth, directory: services.directory, loginRatePerMinute: opts.loginRatePerMinute });
  auditRoutes(app, { audit: services.audit });
  jobsRoutes(app, { queue: services.queue });
  notificationsRoutes(app, { mail: services.mail, notify: services.notify });
  modelsRoutes(app, services);
  consultationsRoutes(app, services);
  determinationsRoutes(app, services);
  reviewsRoutes(app, services);
  gatewayRoutes(app, services);
  evaluationsRoutes(app, services);
  findingsRoutes(app, services);
  partnersRoutes(app, services);
  transparencyRoutes(app, services);
  clearinghouseRoutes(app, services);
  inventoryRoutes(app, services);
  coordinationRoutes(app, services);
  advisoriesRoutes(app, services);
  matchingRoutes(app, services);
  remediationRoutes(app, services);
  headStartRoutes(app, services);
  grantsRoutes(app, services);
  workforceRoutes(app, services);

  if (existsSync(webDist)) {
    await app.register(fastifyStatic, { root: webDist, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  // Every route not marked otherwise requires authentication (see auth.ts), so a new route is closed by default.
  return app;
}
