import { desc, eq } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Db, DbOrTx } from '../../db/client.ts';
import { mailOutbox } from '../../db/schema.ts';
import type { JobDefinition, Queue } from '../jobs/queue.ts';
import { ForbiddenError } from '../../lib/errors.ts';
import { can, type Subject } from '../access/policy.ts';

export const MAIL_DELIVER_JOB = 'mail.deliver';

export interface MailMessage {
  to: string;
  subject: string;
  /** Plain text built from unclassified fields only: email leaves the accredited system. */
  text: string;
}

export function createMailService({ db, queue, smtpUrl, from }: { db: Db; queue: Queue; smtpUrl?: string; from: string }) {
  const transport = smtpUrl ? { url: smtpUrl } : null;
  // nodemailer (~15 MiB once loaded) is loaded by the first delivery: the API processes and a demo
  // without SMTP never send.
  let smtp: Promise<Transporter> | null = null;
  const smtpTransport = (url: string) => (smtp ??= import('nodemailer').then((m) => m.default.createTransport(url)));

  async function enqueue(tx: DbOrTx, msg: MailMessage): Promise<string> {
    const [row] = await tx
      .insert(mailOutbox)
      .values({ toAddress: msg.to, subject: msg.subject, bodyText: msg.text, status: transport ? 'queued' : 'held' })
      .returning({ id: mailOutbox.id });
    if (transport) await queue.send(tx, MAIL_DELIVER_JOB, { id: row.id });
    return row.id;
  }

  const deliverJob: JobDefinition<{ id: string }> = {
    name: MAIL_DELIVER_JOB,
    retryLimit: 6,
    retryDelaySeconds: 10,
    async handler({ id }) {
      if (!transport) return;
      const [m] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
      if (!m || m.status === 'sent') return;
      try {
        await (await smtpTransport(transport.url)).sendMail({ from, to: m.toAddress, subject: m.subject, text: m.bodyText });
        await db.update(mailOutbox).set({ status: 'sent', sentAt: new Date(), attempts: m.attempts + 1, lastError: null }).where(eq(mailOutbox.id, id));
      } catch (err) {
        await db
          .update(mailOutbox)
          .set({ status: 'retrying', attempts: m.attempts + 1, lastError: (err as Error).message.slice(0, 500) })
          .where(eq(mailOutbox.id, id));
        throw err;
      }
    },
  };

  async function listOutbox(subject: Subject, limit = 200) {
    if (!can(subject, 'outbox:read')) throw new ForbiddenError('Only platform administrators read the mail outbox.');
    return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(limit);
  }

  return { enqueue, deliverJob, listOutbox, smtpConfigured: transport !== null };
}

export type MailService = ReturnType<typeof createMailService>;
