import { z } from 'zod';
import type { App } from '../../../server/types.ts';
import type { Services } from '../../../server/services.ts';
import { authOf } from '../../../server/auth.ts';
import {
  AddVendorBody,
  CaseListItem,
  CaseListQuery,
  CaseView,
  ChangeEmbargoBody,
  MessageBody,
  MessageView,
  OpenCaseBody,
  ProductBody,
  ReasonBody,
  ShareBody,
  StatementBody,
  VendorCaseListItem,
  VendorDirectoryItem,
  VendorProductView,
  VendorsQuery,
} from './coordination.types.ts';

const tags = ['clearinghouse coordination'];
const ById = z.object({ id: z.uuid() }).strict();
const ByStatement = z.object({ id: z.uuid(), statementId: z.uuid() }).strict();
const MineQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
const CASES = '/api/v1/clearinghouse/cases';
const PRODUCTS = '/api/v1/clearinghouse/vendor-products';

export function coordinationRoutes(app: App, services: Services) {
  const { coordination } = services;

  app.post(CASES, {
    schema: {
      tags,
      summary: 'Open a coordination case on a validated vulnerability (moves it to coordinating): vendors whose registered products match its affected purls are added and notified, with those named by hand; the embargo defaults to lead days before the planned release of the model whose review found it',
      body: OpenCaseBody,
      response: { 201: CaseView },
    },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await coordination.openCase(a.actor, a.subject, request.body));
    },
  });

  app.get(CASES, {
    schema: { tags, summary: 'The coordinators’ case board: embargo clocks, vendors, statements and silent vendors (days since notification)', querystring: CaseListQuery, response: { 200: z.object({ items: z.array(CaseListItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await coordination.listCases(a.subject, request.query) };
    },
  });

  app.get(`${CASES}/mine`, {
    schema: { tags, summary: 'A vendor’s own cases, with their embargo clocks', querystring: MineQuery, response: { 200: z.object({ items: z.array(VendorCaseListItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await coordination.listMyCases(a.subject, request.query.limit) };
    },
  });

  app.get('/api/v1/clearinghouse/vendors', {
    schema: { tags, summary: 'Vendor organisations a coordinator can add to a case by hand, with how many products each registered', querystring: VendorsQuery, response: { 200: z.object({ items: z.array(VendorDirectoryItem) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await coordination.vendorDirectory(a.subject, request.query) };
    },
  });

  app.get(`${CASES}/:id`, {
    schema: { tags, summary: 'One case (coordinators: everything; a vendor of the case: its own statements, statements shared with it and messages addressed to it)', params: ById, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.getCase(a.actor, a.subject, request.params.id);
    },
  });

  app.post(`${CASES}/:id/vendors`, {
    schema: { tags, summary: 'Add a vendor to the case by hand (it is notified)', params: ById, body: AddVendorBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.addVendor(a.actor, a.subject, request.params.id, request.body.vendorOrgId);
    },
  });

  app.put(`${CASES}/:id/statements`, {
    schema: { tags, summary: 'A vendor’s statement on one of its products: affected, not affected (with a VEX justification), under investigation or fixed (with the fixed version)', params: ById, body: StatementBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.stateProduct(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post(`${CASES}/:id/statements/:statementId/share`, {
    schema: { tags, summary: 'Share a vendor’s statement with the case’s other vendors (or stop sharing it)', params: ByStatement, body: ShareBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.shareStatement(a.actor, a.subject, request.params.id, request.params.statementId, request.body.shared);
    },
  });

  app.post(`${CASES}/:id/messages`, {
    schema: { tags, summary: 'Write in the case thread: coordinators internally, to one vendor or to all vendors; a vendor to the coordinators', params: ById, body: MessageBody, response: { 201: MessageView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await coordination.postMessage(a.actor, a.subject, request.params.id, request.body));
    },
  });

  app.put(`${CASES}/:id/embargo`, {
    schema: { tags, summary: 'Extend or shorten the embargo (an instant, or a wall-clock time in an IANA time zone) with the reason', params: ById, body: ChangeEmbargoBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.changeEmbargo(a.actor, a.subject, request.params.id, request.body);
    },
  });

  app.post(`${CASES}/:id/embargo/end`, {
    schema: { tags, summary: 'End the embargo now, with the reason', params: ById, body: ReasonBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.endEmbargo(a.actor, a.subject, request.params.id, request.body.reason);
    },
  });

  app.post(`${CASES}/:id/reminders`, {
    schema: { tags, summary: 'Remind every silent vendor of the case now (one email job per vendor)', params: ById, response: { 200: z.object({ queued: z.number().int() }) } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.remindSilent(a.actor, a.subject, request.params.id);
    },
  });

  app.post(`${CASES}/:id/close`, {
    schema: { tags, summary: 'Close the case, with the reason', params: ById, body: ReasonBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.closeCase(a.actor, a.subject, request.params.id, request.body.reason);
    },
  });

  app.post(`${CASES}/:id/reopen`, {
    schema: { tags, summary: 'Reopen a closed case, with the reason', params: ById, body: ReasonBody, response: { 200: CaseView } },
    handler: async (request) => {
      const a = authOf(request);
      return coordination.reopenCase(a.actor, a.subject, request.params.id, request.body.reason);
    },
  });

  app.get(PRODUCTS, {
    schema: { tags, summary: 'The vendor’s registered products (package-urls and namespaces) that bring it into cases', response: { 200: z.object({ items: z.array(VendorProductView) }) } },
    handler: async (request) => {
      const a = authOf(request);
      return { items: await coordination.listProducts(a.subject) };
    },
  });

  app.post(PRODUCTS, {
    schema: { tags, summary: 'Register a product: a package-url (match package) or a namespace such as pkg:maven/org.openhealth (match namespace)', body: ProductBody, response: { 201: VendorProductView } },
    handler: async (request, reply) => {
      const a = authOf(request);
      return reply.status(201).send(await coordination.registerProduct(a.actor, a.subject, request.body));
    },
  });

  app.delete(`${PRODUCTS}/:id`, {
    schema: { tags, summary: 'Remove a registered product', params: ById, response: { 204: z.null() } },
    handler: async (request, reply) => {
      const a = authOf(request);
      await coordination.removeProduct(a.actor, a.subject, request.params.id);
      return reply.status(204).send(null);
    },
  });
}
