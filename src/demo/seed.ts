import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { organisations, users } from '../db/schema.ts';
import type { Logger } from '../lib/logger.ts';
import { SYSTEM_ACTOR } from '../modules/access/actor.ts';
import { levelOf } from '../modules/access/marking.ts';
import { hashPassword } from '../modules/identity/password.ts';
import type { Services } from '../server/services.ts';
import { DEMO_ORGS, DEMO_USERS } from './demo-accounts.ts';
import { findUserByEmail } from '../modules/identity/identity.dal.ts';
import { subjectFor } from '../modules/identity/identity.fns.ts';
import { seedDeterminationsDemo } from '../modules/determinations/demo.ts';
import { seedEvaluationsDemo } from '../modules/evaluations/demo.ts';
import { seedPartnersDemo } from './partners-demo.ts';
import { seedCoordinationDemo } from '../modules/clearinghouse/coordination/demo.ts';
import { seedGrantsDemo } from '../modules/grants/demo.ts';
import { seedWorkforceDemo } from '../modules/workforce/demo.ts';

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
  // NSA's classified benchmark with an adopted threshold version, so determinations work from the start.
  await seedDeterminationsDemo(db, services.keyring, services.audit);
  await seedEvaluationsDemo(db, services.evaluations);
  await seedPartnersDemo(services, db);
  // OpenHealth's products, so that a case on a vulnerability in one of them finds the vendor by purl.
  await seedCoordinationDemo(db, services.coordination);
  // An open CISA funding opportunity, three catalogue services and two open postings.
  await seedGrantsDemo(db, services.grants);
  await seedWorkforceDemo(db, services.workforce);
  // One registered model, so the lab's pages are not empty on first sign-in.
  const lab = await findUserByEmail(db, 'lab.engineer@meridian.demo');
  if (lab) {
    const subject = subjectFor(lab.user, lab.org, false);
    const actor = { subject, email: lab.user.email, orgName: lab.org.name, ip: null, via: 'system' as const };
    await services.models.register(actor, subject, {
      name: 'Meridian Atlas',
      version: '2.0',
      modality: 'multimodal',
      plannedReleaseAt: new Date(Date.now() + 45 * 86_400_000).toISOString(),
      trainingComputeFlop: 3.1e26,
      computeEstimationMethod: 'Accelerator-hours × sustained FLOP/s per accelerator, from the training cluster logs',
      intendedDeployment: 'General-purpose assistant through the Meridian API and consumer apps',
      capabilitySummary: 'Frontier multimodal model with strong software-engineering and vulnerability-analysis skills.',
    });
  }
  logger.info({ organisations: DEMO_ORGS.length, users: DEMO_USERS.length }, 'demo organisation set loaded');
  return true;
}
