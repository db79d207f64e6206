import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { apiTokens, organisations, sessions, users } from '../../db/schema.ts';

export type UserRow = typeof users.$inferSelect;
export type OrgRow = typeof organisations.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;

export async function findUserByEmail(db: DbOrTx, email: string) {
  const [row] = await db.select({ user: users, org: organisations }).from(users).innerJoin(organisations, eq(users.orgId, organisations.id)).where(eq(users.email, email));
  return row;
}

export async function findUserById(db: DbOrTx, id: string) {
  const [row] = await db.select({ user: users, org: organisations }).from(users).innerJoin(organisations, eq(users.orgId, organisations.id)).where(eq(users.id, id));
  return row;
}

/**
 * The two credential lookups run on most requests, so they are prepared once per database: the
 * query is built and planned once instead of on every call.
 */
export function credentialQueries(db: DbOrTx) {
  const session = db
    .select({ session: sessions, user: users, org: organisations })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(and(eq(sessions.tokenHash, sql.placeholder('hash')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .prepare('forewarn_find_session');
  const token = db
    .select({ token: apiTokens, user: users, org: organisations })
    .from(apiTokens)
    .innerJoin(users, eq(apiTokens.userId, users.id))
    .innerJoin(organisations, eq(users.orgId, organisations.id))
    .where(and(eq(apiTokens.tokenHash, sql.placeholder('hash')), isNull(apiTokens.revokedAt), sql`(${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > ${sql.placeholder('now')})`))
    .prepare('forewarn_find_token');
  return {
    async findSession(tokenHash: string, now: Date) {
      const [row] = await session.execute({ hash: tokenHash, now: now.toISOString() });
      return row;
    },
    async findApiToken(tokenHash: string, now: Date) {
      const [row] = await token.execute({ hash: tokenHash, now: now.toISOString() });
      return row;
    },
  };
}

export async function listOrgUsers(db: DbOrTx, orgId: string) {
  return db.select().from(users).where(eq(users.orgId, orgId)).orderBy(asc(users.email));
}
