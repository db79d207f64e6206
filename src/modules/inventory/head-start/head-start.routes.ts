import type { App } from '../../../server/types.ts';
import type { Services } from '../../../server/services.ts';
import { authOf } from '../../../server/auth.ts';
import { HeadStartDetailView, HeadStartListView, ModelParams } from './head-start.types.ts';

const tags = ['head-start'];

export function headStartRoutes(app: App, services: Services) {
  const { headStart } = services;

  app.get('/api/v1/head-start/models', {
    schema: {
      tags,
      summary: 'The defender head start of each reviewed model: operators affected and the share patched before its public release',
      response: { 200: HeadStartListView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return headStart.list(a.actor, a.subject);
    },
  });

  app.get('/api/v1/head-start/models/:id', {
    schema: {
      tags,
      summary: "One model's head start by sector and over time, its advisories, and (for coordinators) the operators still unpatched",
      params: ModelParams,
      response: { 200: HeadStartDetailView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return headStart.get(a.actor, a.subject, request.params.id);
    },
  });
}
