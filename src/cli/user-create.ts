import { parseArgs } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { organisations, users } from '../db/schema.ts';
import { SYSTEM_ACTOR } from '../modules/access/actor.ts';
import { levelOf } from '../modules/access/marking.ts';
import { isRole, roleAllowedFor, type OrgKind } from '../modules/access/roles.ts';
import { hashPassword } from '../modules/identity/password.ts';
import { ClassificationName, Compartments, Email, Password } from '../modules/identity/identity.types.ts';
import { openCore } from '../server/start.ts';

/**
 * The way in for the first platform administrator of a real deployment, where no demo accounts exist.
 * The password is read from FOREWARN_NEW_USER_PASSWORD so it never appears in shell history or `ps`.
 */
export async function createUserCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      'org-kind': { type: 'string' },
      roles: { type: 'string' },
      clearance: { type: 'string', default: 'UNCLASSIFIED' },
      compartments: { type: 'string', default: '' },
    },
  });
  const email = Email.parse(values.email);
  const password = Password.parse(process.env.FOREWARN_NEW_USER_PASSWORD);
  const clearance = ClassificationName.parse(values.clearance);
  const compartments = Compartments.parse(values.compartments ? values.compartments.split(',') : []);
  const roles = (values.roles ?? '').split(',').filter(Boolean);
  if (!values.name || !values.org || roles.length === 0) throw new Error('--name, --org and --roles are required');
  const core = await openCore({ logLevel: 'warn' }, false);
  try {
    const db = core.database.db;
    let [org] = await db.select().from(organisations).where(eq(sql`lower(${organisations.name})`, values.org.toLowerCase()));
    if (!org) {
      const kind = (values['org-kind'] ?? 'platform') as OrgKind;
      [org] = await db.insert(organisations).values({ name: values.org, kind }).returning();
    }
    for (const r of roles) if (!isRole(r) || !roleAllowedFor(r, org.kind as OrgKind)) throw new Error(`role ${r} does not apply to a ${org.kind} organisation`);
    const hash = await hashPassword(password);
    await db.transaction(async (tx) => {
      const [u] = await tx
        .insert(users)
        .values({ orgId: org.id, email, name: values.name!, passwordHash: hash, roles, clearance: levelOf(clearance), compartments })
        .returning({ id: users.id });
      await core.services.audit.record(tx, { actor: { ...SYSTEM_ACTOR, email: 'cli' }, action: 'user.create', recordType: 'user', recordId: u.id, detail: { email, roles, clearance }, ownerOrgId: org.id });
    });
    console.log(`user ${email} created in ${org.name} (${org.kind}) with roles ${roles.join(', ')}`);
    return 0;
  } finally {
    await core.queue.stop();
    await core.database.close();
  }
}
