import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  AgencyOption,
  EligibilityView,
  Id,
  ModelStateView,
  OpenWindowBody,
  PolicyChangeBody,
  PolicyView,
  ReleaseDateBody,
  ShortenBody,
  TimelineView,
  WindowView,
  WithdrawBody,
} from './reviews.types.ts';

const tags = ['reviews'];
const ById = z.object({ id: Id }).strict();

export function reviewsRoutes(app: App, services: Services) {
  const { reviews } = services;

  app.get('/api/v1/policy', {
    schema: { tags, summary: 'The framework policy: current version (window maximum, compute trigger) and its history', response: { 200: PolicyView } },
    handler: async (request) => reviews.getPolicy(authOf(request).subject),
  });

  app.post('/api/v1/policy', {
    schema: { tags, summary: 'Record a new policy version (platform administrators); existing windows keep theirs', body: PolicyChangeBody, response: { 201: PolicyView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await reviews.changePolicy(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/review-agencies', {
    schema: { tags, summary: 'Agencies a developer may name in a review window', response: { 200: z.object({ items: z.array(AgencyOption) }) } },
    handler: async (request) => ({ items: await reviews.listAgencies(authOf(request).subject) }),
  });

  app.get('/api/v1/models/:id/window-eligibility', {
    schema: { tags, summary: 'Whether the developer may open a review window now, and the policy maximum', params: ById, response: { 200: EligibilityView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.eligibility(a.actor, a.subject, request.params.id);
    },
  });

  app.get('/api/v1/models/:id/windows', {
    schema: { tags, summary: "A model's review windows (the developer sees all; an agency those it takes part in)", params: ById, response: { 200: z.object({ items: z.array(WindowView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await reviews.modelWindows(a.actor, a.subject, request.params.id) };
    },
  });

  app.post('/api/v1/models/:id/windows', {
    schema: { tags, summary: 'Open a review window (the developer opts in; agencies get access until it closes)', params: ById, body: OpenWindowBody, response: { 201: WindowView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await reviews.openWindow(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.get('/api/v1/windows', {
    schema: { tags, summary: 'Review windows my organisation runs (developer) or takes part in now (agency)', response: { 200: z.object({ items: z.array(WindowView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await reviews.listWindows(a.actor, a.subject) };
    },
  });

  app.get('/api/v1/windows/:id', {
    schema: { tags, summary: 'One review window', params: ById, response: { 200: WindowView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.getWindow(a.actor, a.subject, request.params.id);
    },
  });

  app.delete('/api/v1/windows/:id/grants/:grantId', {
    schema: { tags, summary: "Revoke one agency's access through the window, now (developer)", params: z.object({ id: Id, grantId: Id }).strict(), response: { 200: WindowView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.revokeGrant(a.actor, a.subject, request.params.id, request.params.grantId);
    },
  });

  app.post('/api/v1/windows/:id/shorten', {
    schema: { tags, summary: 'Close the window earlier (developer); a time now or past ends it now', params: ById, body: ShortenBody, response: { 200: WindowView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.shorten(a.actor, a.subject, request.params.id, request.body.closesAt);
    },
  });

  app.post('/api/v1/windows/:id/end', {
    schema: { tags, summary: 'End the window now and revoke its grants (developer)', params: ById, response: { 200: WindowView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.endNow(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/models/:id/withdraw', {
    schema: { tags, summary: 'Withdraw the model from the framework: windows withdrawn, every grant revoked (developer)', params: ById, body: WithdrawBody, response: { 200: ModelStateView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.withdraw(a.actor, a.subject, request.params.id, request.body ?? {});
    },
  });

  app.post('/api/v1/models/:id/release-date', {
    schema: { tags, summary: 'Move the planned public release, earlier or later (developer only, no approval)', params: ById, body: ReleaseDateBody, response: { 200: ModelStateView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.moveRelease(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.get('/api/v1/models/:id/timeline', {
    schema: { tags, summary: "The model's timeline: windows, release changes and other events at the reader's clearance", params: ById, response: { 200: TimelineView } },
    handler: async (request) => {
      const a = authOf(request);
      return reviews.timeline(a.actor, a.subject, request.params.id);
    },
  });
}
