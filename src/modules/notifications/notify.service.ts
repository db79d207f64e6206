import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { notifications, users } from '../../db/schema.ts';
import { NotFoundError } from '../../lib/errors.ts';
import type { Subject } from '../access/policy.ts';
import type { MailService } from './mail.service.ts';

export interface Notice {
  /** Everyone (active) in these organisations, optionally only those holding one of `roles`. */
  orgIds?: string[];
  userIds?: string[];
  roles?: string[];
  /** Unclassified words only: notices are shown in lists and sent by email. */
  title: string;
  body: string;
  /** A path in the web UI; the reader opens it under the normal access rules. */
  link?: string;
  email?: boolean;
}

export function createNotifyService({ db, mail, publicUrl }: { db: Db; mail: MailService; publicUrl: () => string }) {
  /** Writes in-app notifications and queues emails in the caller's transaction. */
  async function notify(tx: DbOrTx, n: Notice): Promise<number> {
    const conds = [eq(users.disabled, false)];
    const who = [];
    if (n.orgIds?.length) who.push(inArray(users.orgId, n.orgIds));
    if (n.userIds?.length) who.push(inArray(users.id, n.userIds));
    if (who.length === 0) return 0;
    conds.push(who.length === 1 ? who[0] : sql`(${who[0]} or ${who[1]})`);
    if (n.roles?.length) conds.push(sql`${users.roles} && ARRAY[${sql.join(n.roles.map((r) => sql`${r}`), sql`, `)}]::text[]`);
    const recipients = await tx.select({ id: users.id, email: users.email, hasPassword: sql<boolean>`${users.passwordHash} is not null` }).from(users).where(and(...conds));
    for (const r of recipients) {
      await tx.insert(notifications).values({ userId: r.id, title: n.title, body: n.body, link: n.link ?? null });
      if (n.email !== false && r.hasPassword) {
        await mail.enqueue(tx, { to: r.email, subject: `Forewarn: ${n.title}`, text: `${n.body}\n\n${n.link ? `${publicUrl()}${n.link}\n\n` : ''}You receive this because of your role in Forewarn.\n` });
      }
    }
    return recipients.length;
  }

  async function list(subject: Subject, unreadOnly: boolean, limit = 100) {
    const conds = [eq(notifications.userId, subject.userId)];
    if (unreadOnly) conds.push(isNull(notifications.readAt));
    return db.select().from(notifications).where(and(...conds)).orderBy(desc(notifications.createdAt)).limit(limit);
  }

  async function markRead(subject: Subject, id: string) {
    const [r] = await db
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.id, id), eq(notifications.userId, subject.userId)))
      .returning({ id: notifications.id });
    if (!r) throw new NotFoundError('notification');
  }

  return { notify, list, markRead };
}

export type NotifyService = ReturnType<typeof createNotifyService>;
