import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import { contentDisposition, DOCUMENT_BODY_LIMIT, MAX_DOCUMENT_BYTES } from './models.fns.ts';
import {
  AgencyView,
  DocumentParams,
  DocumentView,
  ModelDetailView,
  ModelParams,
  ModelSummaryView,
  NewVersionBody,
  RegisterModelBody,
  SharesBody,
  SharesView,
  UpdateDocumentBody,
  UpdateModelBody,
  UploadDocumentBody,
} from './models.types.ts';

const LIST = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const tags = ['models'];

export function modelsRoutes(app: App, { models }: Services) {
  app.get('/api/v1/agencies', {
    schema: { tags, summary: 'Agency organisations (for choosing whom to share a disclosure document with)', response: { 200: LIST(AgencyView) } },
    handler: async (request) => ({ items: await models.listAgencies(authOf(request).subject) }),
  });

  app.get('/api/v1/models', {
    schema: { tags, summary: "Models you may read: your organisation's own, or those shared with your agency", response: { 200: LIST(ModelSummaryView) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await models.list(a.actor, a.subject) };
    },
  });

  app.post('/api/v1/models', {
    schema: {
      tags,
      summary: 'Register a model (developer); the planned public release date must be in the future',
      description: 'The intended deployment and capability summary are encrypted at rest. The model is marked CUI and visible only to your organisation until you share it.',
      body: RegisterModelBody,
      response: { 201: ModelDetailView },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await models.register(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/models/:id', {
    schema: { tags, summary: 'A model with its versions and the disclosure documents you may see (the read is audited)', params: ModelParams, response: { 200: ModelDetailView } },
    handler: async (request) => {
      const a = authOf(request);
      return models.get(a.actor, a.subject, request.params.id);
    },
  });

  app.patch('/api/v1/models/:id', {
    schema: {
      tags,
      summary: "Change a model's descriptive fields (developer)",
      description: 'The planned release date moves only through POST /api/v1/models/:id/release-date, and the status never changes here.',
      params: ModelParams,
      body: UpdateModelBody,
      response: { 200: ModelDetailView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return models.update(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post('/api/v1/models/:id/versions', {
    schema: {
      tags,
      summary: 'Register a new version in the same model family, optionally inheriting the disclosure package',
      description: 'Fields not given are copied from this version. With inheritPackage, active documents are copied (re-encrypted) as new items; their shares are not copied.',
      params: ModelParams,
      body: NewVersionBody,
      response: { 201: ModelDetailView },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await models.createVersion(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.post('/api/v1/models/:id/documents', {
    bodyLimit: DOCUMENT_BODY_LIMIT,
    schema: {
      tags,
      summary: `Add a document to the disclosure package (at most ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB once decoded)`,
      description: `contentBase64 is the file in standard base64; at most ${MAX_DOCUMENT_BYTES} bytes once decoded. Each item carries its own marking (UNCLASSIFIED, CUI or CONFIDENTIAL, not above your clearance) and an optional caveat such as PROPIN. The content is encrypted at rest and its SHA-256 kept.`,
      params: ModelParams,
      body: UploadDocumentBody,
      response: { 201: DocumentView },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await models.uploadDocument(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.patch('/api/v1/models/:id/documents/:docId', {
    schema: { tags, summary: "Amend a document's kind, title, marking or caveat (developer)", params: DocumentParams, body: UpdateDocumentBody, response: { 200: DocumentView } },
    handler: async (request) => {
      const a = authOf(request);
      return models.updateDocument(a.actor, a.subject, request.params.id, request.params.docId, request.body);
    },
  });

  app.get('/api/v1/models/:id/documents/:docId/content', {
    schema: { tags, summary: 'Download a disclosure document (decrypted; the read is audited)', params: DocumentParams },
    handler: async (request, reply) => {
      const a = authOf(request);
      const file = await models.readContent(a.actor, a.subject, request.params.id, request.params.docId);
      return reply
        .header('content-type', file.mediaType)
        .header('content-disposition', contentDisposition(file.filename))
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('cache-control', 'no-store')
        .send(file.bytes);
    },
  });

  app.put('/api/v1/models/:id/documents/:docId/shares', {
    schema: {
      tags,
      summary: 'Choose exactly which agencies may read this document (developer); removing one revokes its grant',
      params: DocumentParams,
      body: SharesBody,
      response: { 200: SharesView },
    },
    handler: async (request) => {
      const a = authOf(request);
      return models.setShares(a.actor, a.subject, request.params.id, request.params.docId, request.body.agencyOrgIds);
    },
  });

  app.post('/api/v1/models/:id/documents/:docId/withdraw', {
    schema: { tags, summary: 'Withdraw a document at any time: revokes every grant and erases its content', params: DocumentParams, response: { 200: DocumentView } },
    handler: async (request) => {
      const a = authOf(request);
      return models.withdrawDocument(a.actor, a.subject, request.params.id, request.params.docId);
    },
  });
}
