import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { organisations, users } from '../db/schema.ts';
import type { Logger } from '../lib/logger.ts';
import { SYSTEM_ACTOR } from '../modules/access/actor.ts';
import { levelOf } from '../modules/access/marking.ts';
import { hashPassword } from '../modules/identity/password.ts';
import type { Services } from '../server/services.ts';
import { DEMO_ORGS, DEMO_USERS } from './demo-accounts.ts';

/** Loads the demo organisation set once; a second start on the same data keeps what is there. */
export async function seedDemo(services: Services, database: Database, password: string, logger: Logger): Promise<boolean> {
  const db = database.db;
  const [existing] = await db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, DEMO_ORGS[0].name));
  if (existing) return false;
  const hash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const o of DEMO_ORGS) {
      const [row] = await tx.insert(organisations).values({ name: o.name, kind: o.kind, agencyCode: o.agencyCode ?? null, sector: o.sector ?? null }).returning({ id: organisations.id });
      ids.set(o.key, row.id);
    }
    for (const u of DEMO_USERS) {
      const [row] = await tx
        .insert(users)
        .values({
          orgId: ids.get(u.org)!,
          email: u.email,
          name: u.name,
          passwordHash: hash,
          roles: u.roles,
          clearance: levelOf(u.clearance),
          compartments: u.compartments ?? [],
          totpEnrolledAt: u.totpSecret ? new Date() : null,
        })
        .returning({ id: users.id });
      if (u.totpSecret) {
        await tx.update(users).set({ totpSecretEnc: services.keyring.encrypt(u.totpSecret, `users.totp:${row.id}`) }).where(eq(users.id, row.id));
      }
    }
    await services.audit.record(tx, { actor: SYSTEM_ACTOR, action: 'demo.seed', detail: { organisations: DEMO_ORGS.length, users: DEMO_USERS.length }, ownerOrgId: ids.get('platform')! });
  });
  logger.info({ organisations: DEMO_ORGS.length, users: DEMO_USERS.length }, 'demo organisation set loaded');
  return true;
}
