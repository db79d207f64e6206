import { z } from 'zod';
import type { App } from '../../server/types.ts';
import { authOf } from '../../server/auth.ts';
import type { MailService } from './mail.service.ts';

export function notificationsRoutes(app: App, { mail }: { mail: MailService }) {
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
