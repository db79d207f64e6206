import { z } from 'zod';
import type { App } from '../../server/types.ts';
import type { Services } from '../../server/services.ts';
import { authOf } from '../../server/auth.ts';
import {
  AssetDetailView,
  AssetView,
  ById,
  ChannelBody,
  ComponentParams,
  ComponentsQuery,
  ComponentView,
  CreateAssetBody,
  CreatedChannelView,
  ManualComponentBody,
  ProfileBody,
  ProfileView,
  SBOM_BODY_LIMIT,
  SbomDetailView,
  SbomParams,
  UploadResultView,
  UploadSbomBody,
} from './inventory.types.ts';

const tags = ['inventory'];

export function inventoryRoutes(app: App, services: Services) {
  const { inventory } = services;

  app.post('/api/v1/inventory/assets', {
    schema: { tags, summary: 'Create an asset (a system or a site) of my organisation', body: CreateAssetBody, response: { 201: AssetView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await inventory.createAsset(a.actor, a.subject, request.body));
    },
  });

  app.get('/api/v1/inventory/assets', {
    schema: { tags, summary: "My organisation's assets with their current component counts", response: { 200: z.object({ items: z.array(AssetView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await inventory.listAssets(a.actor, a.subject) };
    },
  });

  app.get('/api/v1/inventory/assets/:id', {
    schema: { tags, summary: 'An asset: its current components (paged; SBOM and added by hand) and its SBOM history', params: ById, querystring: ComponentsQuery, response: { 200: AssetDetailView } },
    handler: async (request) => {
      const a = authOf(request);
      return inventory.getAsset(a.actor, a.subject, request.params.id, request.query);
    },
  });

  app.post('/api/v1/inventory/assets/:id/sboms', {
    bodyLimit: SBOM_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Upload an SBOM (CycloneDX 1.4–1.6 JSON or XML, SPDX 2.3 JSON); it becomes the current one, earlier ones stay as history',
      description:
        'document is the SBOM text; its format is detected. Limits: 20 MiB, 50,000 components, 32 levels of nested components; XML with a DOCTYPE or entities is refused. A refused file writes nothing; the problem names each failing path.',
      params: ById,
      body: UploadSbomBody,
      response: { 201: UploadResultView },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await inventory.uploadSbom(a.actor, a.subject, request.params.id, request.body.document));
    },
  });

  app.get('/api/v1/inventory/assets/:id/sboms/:sbomId', {
    schema: { tags, summary: 'One SBOM of an asset (current or earlier) with its components', params: SbomParams, response: { 200: SbomDetailView } },
    handler: async (request) => {
      const a = authOf(request);
      return inventory.getSbom(a.actor, a.subject, request.params.id, request.params.sbomId);
    },
  });

  app.post('/api/v1/inventory/assets/:id/components', {
    schema: { tags, summary: 'Add a component by hand (package-url, or CPE, and version); kept apart from SBOM uploads', params: ById, body: ManualComponentBody, response: { 201: ComponentView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await inventory.addComponent(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.delete('/api/v1/inventory/assets/:id/components/:componentId', {
    schema: { tags, summary: 'Remove a component added by hand', params: ComponentParams },
    handler: async (request, reply) => {
      const a = authOf(request);
      await inventory.removeComponent(a.actor, a.subject, request.params.id, request.params.componentId);
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/inventory/known-products', {
    schema: {
      tags,
      summary: 'Products already known to the clearinghouse (packages named by public, TLP:CLEAR advisories), to add a component by hand',
      querystring: z.object({ q: z.string().trim().min(2).max(200), limit: z.coerce.number().int().min(1).max(50).default(20) }).strict(),
      response: { 200: z.object({ items: z.array(z.object({ purl: z.string(), advisories: z.number().int() })) }) },
    },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await services.knownProducts.search(a.actor, a.subject, request.query.q, request.query.limit) };
    },
  });

  app.get('/api/v1/inventory/profile', {
    schema: { tags, summary: "My organisation's operator profile and notification channels (no secrets)", response: { 200: ProfileView } },
    handler: async (request) => {
      const a = authOf(request);
      return inventory.getProfile(a.actor, a.subject);
    },
  });

  app.put('/api/v1/inventory/profile', {
    schema: { tags, summary: "Update my organisation's size, priority tier and contacts", body: ProfileBody, response: { 200: ProfileView } },
    handler: async (request) => {
      const a = authOf(request);
      return inventory.updateProfile(a.actor, a.subject, request.body);
    },
  });

  app.post('/api/v1/inventory/profile/channels', {
    schema: { tags, summary: 'Add a notification channel (email, or webhook with its TLP allowance; the webhook signing secret is shown only in this answer)', body: ChannelBody, response: { 201: CreatedChannelView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await inventory.addChannel(a.actor, a.subject, request.body));
    },
  });

  app.delete('/api/v1/inventory/profile/channels/:id', {
    schema: { tags, summary: 'Remove a notification channel', params: ById },
    handler: async (request, reply) => {
      const a = authOf(request);
      await inventory.removeChannel(a.actor, a.subject, request.params.id);
      return reply.status(204).send();
    },
  });
}
