import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import { AdvisoriesQuery, AdvisoriesView, AffectedView, ById, ImportResultView, MatchesQuery, MatchesView, OSV_BODY_LIMIT, OsvImportBody } from './matching.views.ts';

const tags = ['matching'];

export function matchingRoutes(app: App, services: Services) {
  const { matching } = services;

  app.get('/api/v1/matching/matches', {
    schema: {
      tags,
      summary: "My organisation's matches: components of current inventories that fall in an advisory's affected ranges",
      description: 'Open matches by default; state=cleared or all includes those cleared by a newer SBOM, a removed component or a withdrawn advisory. Only advisories the organisation may receive (never TLP:RED).',
      querystring: MatchesQuery,
      response: { 200: MatchesView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return matching.listMatches(a.actor, a.subject, request.query);
    },
  });

  app.get('/api/v1/matching/advisories', {
    schema: { tags, summary: 'Advisories indexed for matching (the clearinghouse’s own and imported OSV records)', querystring: AdvisoriesQuery, response: { 200: AdvisoriesView } },
    handler: async (request) => {
      const a = authOf(request);
      return matching.advisories(a.actor, a.subject, request.query);
    },
  });

  app.get('/api/v1/matching/advisories/:id/affected', {
    schema: { tags, summary: 'Who an advisory currently affects, per organisation (coordinators)', params: ById, response: { 200: AffectedView } },
    handler: async (request) => {
      const a = authOf(request);
      return matching.affected(a.actor, a.subject, request.params.id);
    },
  });

  app.post('/api/v1/matching/osv-import', {
    bodyLimit: OSV_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Import public advisory data (OSV records, TLP:CLEAR) to match inventories against',
      description:
        'Body: a JSON array of OSV records, { "records": [...] }, or { "jsonl": "..." } with one record a line; at most 5,000 records and 16 MiB. All or nothing: a malformed record refuses the whole import. A record replaces a stored one of the same id only if its `modified` is later; stored records are matched by a queued job.',
      body: OsvImportBody,
      response: { 200: ImportResultView },
    },
    handler: async (request) => {
      const a = authOf(request);
      const body = request.body;
      const input = Array.isArray(body) ? { records: body } : 'records' in body ? { records: body.records } : { text: body.jsonl };
      return matching.importOsv(a.actor, a.subject, input);
    },
  });

  app.post('/api/v1/matching/rematch', {
    schema: { tags, summary: 'Queue a full re-match of every advisory against every inventory (coordinators)', response: { 202: z.object({ queued: z.boolean() }) } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(202).send(await matching.requestRematch(a.actor, a.subject));
    },
  });
}
