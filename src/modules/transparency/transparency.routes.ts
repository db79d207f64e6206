import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { ReportQuery, ReportView } from './transparency.types.ts';

const tags = ['transparency'];

export function transparencyRoutes(app: App, services: Services) {
  const { transparency } = services;

  app.get('/api/v1/transparency/report', {
    schema: { tags, summary: 'The public, unclassified transparency report for a quarter (aggregate counts with small-cell suppression)', querystring: ReportQuery, response: { 200: ReportView } },
    config: { auth: 'none' },
    handler: async (request) => transparency.report(request.query.quarter),
  });

  app.get('/api/v1/transparency/report.csv', {
    schema: { tags, summary: 'The same report as CSV (one line per published figure)', querystring: ReportQuery, response: { 200: z.string() } },
    config: { auth: 'none' },
    handler: async (request, reply) => {
      const q = request.query.quarter;
      reply.header('content-disposition', `attachment; filename="forewarn-transparency-${q ?? 'current'}.csv"`);
      return reply.type('text/csv; charset=utf-8').send(await transparency.csv(q));
    },
  });
}
