import { z } from 'zod';
import type { App } from '../../server/types.ts';
import { authOf } from '../../server/auth.ts';
import type { MailService } from './mail.service.ts';
import type { NotifyService } from './notify.service.ts';

export function notificationsRoutes(app: App, { mail, notify }: { mail: MailService; notify: NotifyService }) {
  app.get('/api/v1/notifications', {
    schema: {
      tags: ['notifications'],
      summary: 'My in-app notifications, newest first',
      querystring: z.object({ unread: z.enum(['true', 'false']).default('false') }).strict(),
      response: { 200: z.object({ items: z.array(z.object({ id: z.string(), title: z.string(), body: z.string(), link: z.string().nullable(), readAt: z.string().nullable(), createdAt: z.string() })) }) },
    },
    handler: async (request) => {
      const rows = await notify.list(authOf(request).subject, request.query.unread === 'true');
      return { items: rows.map((n) => ({ id: n.id, title: n.title, body: n.body, link: n.link, readAt: n.readAt?.toISOString() ?? null, createdAt: n.createdAt.toISOString() })) };
    },
  });

  app.post('/api/v1/notifications/:id/read', {
    schema: { tags: ['notifications'], summary: 'Mark a notification read', params: z.object({ id: z.uuid() }) },
    handler: async (request, reply) => {
      await notify.markRead(authOf(request).subject, request.params.id);
      return reply.status(204).send();
    },
  });

  app.get('/api/v1/admin/outbox', {
    schema: {
      tags: ['notifications'],
      summary: 'The mail outbox: every email, sent or waiting (held when no SMTP server is configured)',
      response: { 200: z.object({ smtpConfigured: z.boolean(), items: z.array(z.object({ id: z.string(), to: z.string(), subject: z.string(), body: z.string(), status: z.string(), createdAt: z.string(), sentAt: z.string().nullable() })) }) },
    },
    handler: async (request) => {
      const rows = await mail.listOutbox(authOf(request).subject);
      return {
        smtpConfigured: mail.smtpConfigured,
        items: rows.map((m) => ({
          id: m.id,
          to: m.toAddress,
          subject: m.subject,
          // Once delivered, the invitation link is the recipient's alone.
          body: m.status === 'sent' ? m.bodyText.replace(/fwi_[A-Za-z0-9_-]+/g, 'fwi_[delivered]') : m.bodyText,
          status: m.status,
          createdAt: m.createdAt.toISOString(),
          sentAt: m.sentAt?.toISOString() ?? null,
        })),
      };
    },
  });
}
