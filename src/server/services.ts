import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import type { Keyring } from '../lib/crypto/keyring.ts';
import type { Queue } from '../modules/jobs/queue.ts';
import { createAuditService } from '../modules/audit/audit.service.ts';
import { createAuthService, type AuthSettings } from '../modules/identity/auth.service.ts';
import { createDirectoryService } from '../modules/identity/directory.service.ts';
import { createMailService } from '../modules/notifications/mail.service.ts';

export interface ServiceConfig {
  auth: AuthSettings;
  /** Read when a link is written, because the port is known only after listening. */
  publicUrl: () => string;
  smtpUrl?: string;
  smtpFrom: string;
}

/** The composition root: each service gets only the dependencies it uses. */
export function createServices(database: Database, keyring: Keyring, queue: Queue, config: ServiceConfig, clock: () => Date = () => new Date()) {
  const db = database.db;
  const audit = createAuditService({ db, clock });
  const mail = createMailService({ db, queue, smtpUrl: config.smtpUrl, from: config.smtpFrom });
  const auth = createAuthService({ db, audit, keyring, settings: config.auth, clock });
  const directory = createDirectoryService({ db, audit, mail, publicUrl: config.publicUrl, clock });
  return {
    audit,
    mail,
    auth,
    directory,
    queue,
    keyring,
    jobs: [mail.deliverJob],
    ping: async () => {
      await db.execute(sql`select 1`);
    },
  };
}

export type Services = ReturnType<typeof createServices>;
