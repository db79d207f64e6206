import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../../server/types.ts';
import type { Services } from '../../../server/services.ts';
import { authOf } from '../../../server/auth.ts';
import {
  AdvisoryRef,
  AdvisoryView,
  DocumentParams,
  DraftBody,
  FeedQuery,
  FeedView,
  ListItem,
  ListQuery,
  PatchBody,
  PublishBody,
  ReviseBody,
  WithdrawBody,
} from './advisories.types.ts';
import { answerFor } from './conditional-get.ts';
import type { ServedFile } from './advisories.service.ts';
import { CLEAR_FOLDER, WELL_KNOWN } from './distribution.ts';

const tags = ['advisories'];
const API = '/api/v1/clearinghouse/advisories';
const PUBLIC = { auth: 'none' as const };
/** Signed-in callers receive what their TLP audience allows; anonymous ones TLP:CLEAR. */
const OPTIONAL = { auth: 'optional' as const };
const FileResponse = { 200: z.string(), 206: z.string(), 304: z.null(), 416: z.null() };

const header = (request: FastifyRequest, name: string) => {
  const v = request.headers[name];
  return typeof v === 'string' ? v : undefined;
};

/** Sends a file with ETag, Last-Modified and single byte ranges (resumable downloads for mirrors). */
function sendFile(request: FastifyRequest, reply: FastifyReply, f: ServedFile, cache: string) {
  const bytes = Buffer.from(f.body, 'utf8');
  const lastModified = new Date(Math.floor(f.lastModified.getTime() / 1000) * 1000);
  reply.header('etag', f.etag).header('last-modified', lastModified.toUTCString()).header('accept-ranges', 'bytes').header('cache-control', cache);
  const answer = answerFor(
    { range: header(request, 'range'), ifRange: header(request, 'if-range'), ifNoneMatch: header(request, 'if-none-match'), ifModifiedSince: header(request, 'if-modified-since') },
    { size: bytes.length, etag: f.etag, lastModified },
  );
  switch (answer.status) {
    case 304:
      return reply.status(304).send();
    case 416:
      return reply.status(416).header('content-range', `bytes */${bytes.length}`).send();
    case 206:
      return reply
        .status(206)
        .type(f.contentType)
        .header('content-range', `bytes ${answer.start}-${answer.end}/${bytes.length}`)
        .send(bytes.subarray(answer.start, answer.end + 1));
    default:
      return reply.status(200).type(f.contentType).send(bytes);
  }
}

const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

export function advisoriesRoutes(app: App, services: Services) {
  const { advisories } = services;

  app.post(API, {
    schema: { tags, summary: 'Draft the advisory of a validated or coordinated vulnerability (products, statuses, fixes and CVSS default from the vulnerability)', body: DraftBody, response: { 201: AdvisoryView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await advisories.draft(a.actor, a.subject, request.body));
    },
  });

  app.get(API, {
    schema: { tags, summary: 'Advisories you may receive (publishers: every advisory, drafts included)', querystring: ListQuery, response: { 200: z.object({ items: z.array(ListItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await advisories.list(a.actor, a.subject, request.query) };
    },
  });

  app.get(`${API}/feed`, {
    schema: { tags, summary: 'ROLIE-like JSON feed of the restricted-TLP advisories your organisation may receive (TLP:CLEAR is under /.well-known/csaf)', querystring: FeedQuery, response: { 200: FeedView } },
    handler: async (request) => {
      const a = authOf(request);
      return advisories.feed(a.actor, a.subject, request.query, originOf(request));
    },
  });

  app.get(`${API}/:ref`, {
    schema: { tags, summary: 'One advisory by id or tracking id (TLP:CLEAR for anyone; other labels for their audience)', params: AdvisoryRef, response: { 200: AdvisoryView } },
    config: OPTIONAL,
    handler: async (request) => advisories.get(request.actor, request.auth?.subject ?? null, request.params.ref),
  });

  app.patch(`${API}/:ref`, {
    schema: { tags, summary: 'Edit a draft advisory', params: AdvisoryRef, body: PatchBody, response: { 200: AdvisoryView } },
    handler: async (request) => {
      const a = authOf(request);
      return advisories.updateDraft(a.actor, a.subject, request.params.ref, request.body);
    },
  });

  app.post(`${API}/:ref/publish`, {
    schema: { tags, summary: 'Publish a draft: allocates FWN-YYYY-NNNN, signs the documents and moves the vulnerability to published (not before the embargo ends)', params: AdvisoryRef, body: PublishBody, response: { 200: AdvisoryView } },
    handler: async (request) => {
      const a = authOf(request);
      return advisories.publish(a.actor, a.subject, request.params.ref, request.body);
    },
  });

  app.post(`${API}/:ref/revisions`, {
    schema: { tags, summary: 'Publish a new revision with a summary of the change (re-generates and re-signs the documents)', params: AdvisoryRef, body: ReviseBody, response: { 200: AdvisoryView } },
    handler: async (request) => {
      const a = authOf(request);
      return advisories.revise(a.actor, a.subject, request.params.ref, request.body);
    },
  });

  app.post(`${API}/:ref/withdraw`, {
    schema: { tags, summary: 'Withdraw a published advisory (its final revision)', params: AdvisoryRef, body: WithdrawBody, response: { 200: AdvisoryView } },
    handler: async (request) => {
      const a = authOf(request);
      return advisories.withdraw(a.actor, a.subject, request.params.ref, request.body);
    },
  });

  app.get(`${API}/:ref/documents/:name`, {
    schema: { tags, summary: 'A document of a published advisory: CSAF 2.0 (with .sha256, .sha512, .asc), CSAF VEX, OSV, or the readable page', params: DocumentParams, response: FileResponse },
    config: OPTIONAL,
    handler: async (request, reply) => {
      const f = await advisories.document(request.actor, request.auth?.subject ?? null, request.params.ref, request.params.name);
      return sendFile(request, reply, f, request.auth ? 'private, no-cache' : 'public, max-age=60');
    },
  });

  // ---------- CSAF 2.0 trusted provider (section 7.1): public, TLP:CLEAR only ----------

  const wk = ['csaf distribution'];
  app.get(`${WELL_KNOWN}/provider-metadata.json`, {
    schema: { tags: wk, summary: 'CSAF provider metadata (trusted provider; TLP:CLEAR directory, signing key)', response: FileResponse },
    config: PUBLIC,
    handler: async (request, reply) => sendFile(request, reply, await advisories.distributionMetadata(originOf(request)), 'public, max-age=60'),
  });

  app.get(`${WELL_KNOWN}/${CLEAR_FOLDER}/index.txt`, {
    schema: { tags: wk, summary: 'Every TLP:CLEAR CSAF document, one path per line', response: FileResponse },
    config: PUBLIC,
    handler: async (request, reply) => sendFile(request, reply, await advisories.distributionIndex(), 'public, max-age=60'),
  });

  app.get(`${WELL_KNOWN}/${CLEAR_FOLDER}/changes.csv`, {
    schema: { tags: wk, summary: 'TLP:CLEAR CSAF documents with their current release date, newest first', response: FileResponse },
    config: PUBLIC,
    handler: async (request, reply) => sendFile(request, reply, await advisories.distributionChanges(), 'public, max-age=60'),
  });

  app.get(`${WELL_KNOWN}/${CLEAR_FOLDER}/:year/:file`, {
    schema: {
      tags: wk,
      summary: 'A TLP:CLEAR CSAF document, its .sha256/.sha512 hash or its .asc OpenPGP signature (supports Range, ETag, Last-Modified)',
      params: z.object({ year: z.string().regex(/^\d{4}$/), file: z.string().max(64) }).strict(),
      response: FileResponse,
    },
    config: PUBLIC,
    handler: async (request, reply) => sendFile(request, reply, await advisories.distributionFile(request.params.year, request.params.file), 'public, max-age=60'),
  });

  app.get(`${WELL_KNOWN}/openpgp/:file`, {
    schema: { tags: wk, summary: 'The clearinghouse’s public OpenPGP key that signs the CSAF documents', params: z.object({ file: z.string().regex(/^[0-9A-Fa-f]{40,64}\.asc$/) }).strict(), response: FileResponse },
    config: PUBLIC,
    handler: async (request, reply) => sendFile(request, reply, await advisories.publicKey(request.params.file.replace(/\.asc$/, '')), 'public, max-age=3600'),
  });
}
