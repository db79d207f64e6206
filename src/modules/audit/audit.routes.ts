import { z } from 'zod';
import type { App } from '../../server/types.ts';
import { authOf } from '../../server/auth.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import { can } from '../access/policy.ts';
import { toView, type AuditService } from './audit.service.ts';
import type { AuditEventView } from './audit.types.ts';

const Filters = z
  .object({
    actor: z.string().trim().max(254).optional(),
    action: z.string().trim().max(100).optional(),
    recordType: z.string().trim().max(60).optional(),
    recordId: z.string().trim().max(100).optional(),
    outcome: z.enum(['success', 'denied', 'failure']).optional(),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
  })
  .strict();

const EventView = z.object({
  id: z.string(),
  seq: z.number(),
  at: z.string(),
  actorEmail: z.string().nullable(),
  actorOrgName: z.string().nullable(),
  action: z.string(),
  recordType: z.string().nullable(),
  recordId: z.string().nullable(),
  outcome: z.string(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  marking: z.object({ classification: z.string(), compartments: z.array(z.string()) }),
});

const EXPORT_MAX = 50_000;
const CSV_COLUMNS = ['seq', 'at', 'actorEmail', 'actorOrgName', 'action', 'recordType', 'recordId', 'outcome', 'ip', 'classification', 'detail'] as const;

function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  // Spreadsheet programs execute cells that start with these characters; neutralise them.
  if (/^[=+\-@\t\r\0]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(events: AuditEventView[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) {
    const row = { ...e, classification: e.marking.classification + (e.marking.compartments.length ? '//' + e.marking.compartments.join('/') : '') };
    lines.push(CSV_COLUMNS.map((c) => csvCell((row as Record<string, unknown>)[c])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function auditRoutes(app: App, { audit }: { audit: AuditService }) {
  app.get('/api/v1/audit/events', {
    schema: {
      tags: ['audit'],
      summary: 'Search the audit trail (your organisation, or all for oversight roles), within your clearance',
      querystring: Filters.extend({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.coerce.number().int().min(1).optional() }),
      response: { 200: z.object({ items: z.array(EventView), nextCursor: z.string().nullable() }) },
    },
    handler: async (request) => {
      const a = authOf(request);
      const { limit, cursor, ...filters } = request.query;
      const r = await audit.search(a.actor, a.subject, filters, cursor ?? null, limit);
      return { items: r.items.map(toView), nextCursor: r.nextCursor === null ? null : String(r.nextCursor) };
    },
  });

  app.get('/api/v1/audit/export', {
    schema: { tags: ['audit'], summary: 'Export the audit trail as CSV or JSON (at most 50,000 events)', querystring: Filters.extend({ format: z.enum(['csv', 'json']).default('json') }) },
    handler: async (request, reply) => {
      const a = authOf(request);
      if (!can(a.subject, 'audit:export')) throw new ForbiddenError('Exporting the audit trail needs an administrator or auditor role.');
      const { format, ...filters } = request.query;
      const out: AuditEventView[] = [];
      let cursor: number | null = null;
      while (out.length < EXPORT_MAX) {
        const page = await audit.search(a.actor, a.subject, filters, cursor, 1000);
        out.push(...page.items.map(toView));
        if (page.nextCursor === null) break;
        cursor = page.nextCursor;
      }
      await audit.recordAlone({ actor: a.actor, action: 'audit.export', detail: { format, events: out.length } });
      const stamp = new Date().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="forewarn-audit-${stamp}.${format}"`);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(toCsv(out));
      return reply.type('application/json').send(JSON.stringify({ exportedAt: new Date().toISOString(), events: out }));
    },
  });

  app.post('/api/v1/audit/verify', {
    schema: {
      tags: ['audit'],
      summary: 'Walk the hash chain and report the first broken link',
      response: { 200: z.object({ ok: z.boolean(), checked: z.number(), headSeq: z.number(), firstBroken: z.object({ seq: z.number(), reason: z.string() }).nullable() }) },
    },
    handler: async (request) => audit.verify(authOf(request).subject),
  });
}
