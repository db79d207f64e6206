import type { Db } from '../db/client.ts';
import type { Keyring } from '../lib/crypto/keyring.ts';
import type { AuditService } from '../modules/audit/audit.service.ts';
import type { Queue } from '../modules/jobs/queue.ts';
import type { NotifyService } from '../modules/notifications/notify.service.ts';

/** Everything a domain module's service factory may ask for; each factory destructures only what it uses. */
export interface ModuleDeps {
  db: Db;
  audit: AuditService;
  keyring: Keyring;
  notify: NotifyService;
  queue: Queue;
  clock: () => Date;
}
