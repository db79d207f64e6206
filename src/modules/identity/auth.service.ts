import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiTokens, invitations, sessions, users } from '../../db/schema.ts';
import type { Keyring } from '../../lib/crypto/keyring.ts';
import { hmac } from '../../lib/crypto/envelope.ts';
import {
  AccountLockedError,
  ConflictError,
  InvalidCredentialsError,
  NotFoundError,
  TotpRequiredError,
  ValidationError,
} from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can, type Subject } from '../access/policy.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { credentialQueries, findUserByEmail, findUserById, type OrgRow, type UserRow } from './identity.dal.ts';
import { announceAuthChange, AuthCache } from './auth-cache.ts';
import { meView, subjectFor } from './identity.fns.ts';
import { dummyHash, hashPassword, verifyPassword } from './password.ts';
import { API_TOKEN_PREFIX, digest, newSecret, SESSION_PREFIX } from './tokens.ts';
import { newTotpSecret, otpauthUrl, verifyTotp } from './totp.ts';

export interface AuthSettings {
  sessionHours: number;
  idleMinutes: number;
  maxFailures: number;
  lockMinutes: number;
}

export interface Authenticated {
  actor: Actor;
  subject: Subject;
  user: UserRow;
  org: OrgRow;
  via: 'session' | 'token';
  sessionId: string | null;
  mfa: boolean;
  expiresAt: Date | null;
}

const TOTP_AAD = (userId: string) => `users.totp:${userId}`;
const TOUCH_EVERY_MS = 60_000;
const CACHE_MS = 30_000;

interface Credential {
  userId: string;
  user: UserRow;
  org: OrgRow;
  via: 'session' | 'token';
  id: string;
  mfa: boolean;
  expiresAt: Date | null;
  lastSeenAt: Date | null;
}

export function createAuthService(deps: { db: Db; audit: AuditService; keyring: Keyring; settings: AuthSettings; clock: () => Date }) {
  const { db, audit, keyring, settings, clock } = deps;
  const queries = credentialQueries(db);
  const cache = new AuthCache<Credential>(CACHE_MS);

  function materialise(c: Credential, ip: string | null): Authenticated {
    const subject = subjectFor(c.user, c.org, c.mfa);
    return { actor: actorOf(c.user, c.org, subject, ip, c.via), subject, user: c.user, org: c.org, via: c.via, sessionId: c.via === 'session' ? c.id : null, mfa: c.mfa, expiresAt: c.expiresAt };
  }

  function actorOf(user: UserRow, org: OrgRow, subject: Subject, ip: string | null, via: Actor['via']): Actor {
    return { subject, email: user.email, orgName: org.name, ip, via };
  }

  function csrfFor(sessionToken: string): string {
    return hmac(keyring.macKey, `csrf:${sessionToken}`);
  }

  async function failLogin(email: string, ip: string | null, reason: string, user?: UserRow, lock?: boolean) {
    const anon: Actor = { subject: null, email, orgName: null, ip, via: 'none' };
    await db.transaction(async (tx) => {
      if (user) {
        const failures = user.failedLogins + 1;
        const locking = lock ?? failures >= settings.maxFailures;
        await tx
          .update(users)
          .set(locking ? { failedLogins: 0, lockedUntil: new Date(clock().getTime() + settings.lockMinutes * 60_000) } : { failedLogins: failures })
          .where(eq(users.id, user.id));
        if (locking) await audit.record(tx, { actor: anon, action: 'auth.account_locked', recordType: 'user', recordId: user.id, outcome: 'failure', ownerOrgId: user.orgId });
      }
      await audit.record(tx, { actor: anon, action: 'auth.login', recordType: 'user', recordId: user?.id, outcome: 'failure', detail: { reason }, ownerOrgId: user?.orgId ?? null });
    });
  }

  async function login(input: { email: string; password: string; totp?: string }, ip: string | null) {
    const now = clock();
    const found = await findUserByEmail(db, input.email);
    if (!found || !found.user.passwordHash || found.user.disabled) {
      await verifyPassword(await dummyHash(), input.password);
      await failLogin(input.email, ip, found ? (found.user.disabled ? 'disabled' : 'invitation-pending') : 'unknown-email');
      throw new InvalidCredentialsError();
    }
    const { user, org } = found;
    if (user.lockedUntil && user.lockedUntil > now) {
      await failLogin(input.email, ip, 'locked');
      throw new AccountLockedError(user.lockedUntil);
    }
    if (!(await verifyPassword(user.passwordHash!, input.password))) {
      await failLogin(input.email, ip, 'wrong-password', user);
      throw new InvalidCredentialsError();
    }
    let mfa = false;
    let step: number | null = null;
    if (user.totpSecretEnc) {
      // A missing code is a prompt, not a failure; a wrong one counts like a wrong password.
      if (!input.totp) throw new TotpRequiredError();
      step = verifyTotp(keyring.decrypt(user.totpSecretEnc, TOTP_AAD(user.id)), input.totp, now.getTime(), user.totpLastStep);
      if (step === null) {
        await failLogin(input.email, ip, 'wrong-totp', user);
        throw new TotpRequiredError('That code is wrong or was already used. Enter the current code.');
      }
      mfa = true;
    }
    const token = newSecret(SESSION_PREFIX);
    const expiresAt = new Date(now.getTime() + settings.sessionHours * 3_600_000);
    const subject = subjectFor(user, org, mfa);
    const sessionId = await db.transaction(async (tx) => {
      await tx.update(users).set({ failedLogins: 0, lockedUntil: null, lastLoginAt: now, ...(step !== null ? { totpLastStep: step } : {}) }).where(eq(users.id, user.id));
      const [s] = await tx.insert(sessions).values({ userId: user.id, tokenHash: digest(token), mfa, expiresAt, ip }).returning({ id: sessions.id });
      await audit.record(tx, { actor: actorOf(user, org, subject, ip, 'session'), action: 'auth.login', recordType: 'user', recordId: user.id, detail: { mfa } });
      return s.id;
    });
    return { token, csrf: csrfFor(token), expiresAt, me: meView(user, org, subject, 'session', mfa, expiresAt), sessionId };
  }

  /** The credential behind `key`, from the cache or loaded on a miss; null once its user is disabled or it expired. */
  async function liveCredential(key: string, now: Date, load: () => Promise<Credential | null>): Promise<Credential | null> {
    let c = cache.get(key, Date.now());
    if (!c) {
      const loaded = await load();
      if (!loaded) return null;
      c = loaded;
      cache.set(key, c, Date.now());
    }
    if (c.user.disabled || (c.expiresAt && c.expiresAt <= now)) {
      cache.evictKey(key);
      return null;
    }
    return c;
  }

  async function authenticateSession(token: string, ip: string | null): Promise<Authenticated | null> {
    if (!token.startsWith(SESSION_PREFIX) || token.length > 200) return null;
    const now = clock();
    const key = digest(token);
    const c = await liveCredential(key, now, async () => {
      const row = await queries.findSession(key, now);
      return row ? { userId: row.user.id, user: row.user, org: row.org, via: 'session', id: row.session.id, mfa: row.session.mfa, expiresAt: row.session.expiresAt, lastSeenAt: row.session.lastSeenAt } : null;
    });
    if (!c) return null;
    const idle = now.getTime() - c.lastSeenAt!.getTime();
    if (idle > settings.idleMinutes * 60_000) {
      cache.evictKey(key);
      await db.delete(sessions).where(eq(sessions.id, c.id));
      return null;
    }
    if (idle > TOUCH_EVERY_MS) {
      c.lastSeenAt = now;
      await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, c.id));
    }
    return materialise(c, ip);
  }

  async function authenticateToken(token: string, ip: string | null): Promise<Authenticated | null> {
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 200) return null;
    const now = clock();
    const key = digest(token);
    const c = await liveCredential(key, now, async () => {
      const row = await queries.findApiToken(key, now);
      return row ? { userId: row.user.id, user: row.user, org: row.org, via: 'token', id: row.token.id, mfa: row.token.mfa, expiresAt: row.token.expiresAt, lastSeenAt: row.token.lastUsedAt } : null;
    });
    if (!c) return null;
    if (!c.lastSeenAt || now.getTime() - c.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
      c.lastSeenAt = now;
      await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, c.id));
    }
    return materialise(c, ip);
  }

  /** Called for every NOTIFY on the auth channel, from any process. */
  function forgetUser(userId: string) {
    cache.evictUser(userId);
  }

  function me(a: Authenticated) {
    return meView(a.user, a.org, a.subject, a.via, a.mfa, a.expiresAt);
  }

  async function logout(a: Authenticated) {
    if (!a.sessionId) return;
    await db.transaction(async (tx) => {
      await tx.delete(sessions).where(eq(sessions.id, a.sessionId!));
      await announceAuthChange(tx, a.user.id);
      await audit.record(tx, { actor: a.actor, action: 'auth.logout', recordType: 'user', recordId: a.user.id });
    });
    // The NOTIFY reaches this process too, but asynchronously; the next request must not wait for it.
    cache.evictUser(a.user.id);
  }

  async function logoutEverywhere(a: Authenticated) {
    await db.transaction(async (tx) => {
      const gone = await tx.delete(sessions).where(eq(sessions.userId, a.user.id)).returning({ id: sessions.id });
      await announceAuthChange(tx, a.user.id);
      await audit.record(tx, { actor: a.actor, action: 'auth.logout_everywhere', recordType: 'user', recordId: a.user.id, detail: { sessionsEnded: gone.length } });
    });
    cache.evictUser(a.user.id);
  }

  async function changePassword(a: Authenticated, currentPassword: string, newPassword: string) {
    if (!can(a.subject, 'account:manage')) throw new NotFoundError('account');
    if (!(await verifyPassword(a.user.passwordHash ?? (await dummyHash()), currentPassword))) {
      await audit.recordAlone({ actor: a.actor, action: 'account.password_change', recordType: 'user', recordId: a.user.id, outcome: 'failure', detail: { reason: 'wrong-current-password' } });
      throw new ValidationError('The current password is wrong.', [{ path: 'currentPassword', message: 'wrong password' }]);
    }
    if (currentPassword === newPassword) throw new ValidationError('Choose a password you have not used here.', [{ path: 'newPassword', message: 'same as current' }]);
    const hash = await hashPassword(newPassword);
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash: hash }).where(eq(users.id, a.user.id));
      // Everyone else holding this account's sessions is signed out; this browser stays in.
      const others = a.sessionId ? and(eq(sessions.userId, a.user.id), ne(sessions.id, a.sessionId)) : eq(sessions.userId, a.user.id);
      await tx.delete(sessions).where(others);
      await announceAuthChange(tx, a.user.id);
      await audit.record(tx, { actor: a.actor, action: 'account.password_change', recordType: 'user', recordId: a.user.id });
    });
    cache.evictUser(a.user.id);
  }

  async function totpEnrol(a: Authenticated) {
    if (!can(a.subject, 'account:manage')) throw new NotFoundError('account');
    if (a.user.totpSecretEnc) throw new ConflictError('An authenticator is already enrolled. Ask an administrator to reset it first.');
    const secret = newTotpSecret();
    await db.transaction(async (tx) => {
      await tx.update(users).set({ totpPendingEnc: keyring.encrypt(secret, TOTP_AAD(a.user.id)) }).where(eq(users.id, a.user.id));
      await audit.record(tx, { actor: a.actor, action: 'account.totp_enrol_start', recordType: 'user', recordId: a.user.id });
    });
    return { secret, otpauthUrl: otpauthUrl(secret, a.user.email) };
  }

  async function totpConfirm(a: Authenticated, code: string) {
    if (!can(a.subject, 'account:manage')) throw new NotFoundError('account');
    const [u] = await db.select().from(users).where(eq(users.id, a.user.id));
    if (!u.totpPendingEnc) throw new ConflictError('Start enrolment first.');
    const secret = keyring.decrypt(u.totpPendingEnc, TOTP_AAD(u.id));
    const step = verifyTotp(secret, code, clock().getTime(), null);
    if (step === null) throw new ValidationError('That code does not match. Check the time on your device and try the current code.', [{ path: 'code', message: 'wrong code' }]);
    await db.transaction(async (tx) => {
      await tx.update(users).set({ totpSecretEnc: u.totpPendingEnc, totpPendingEnc: null, totpEnrolledAt: clock(), totpLastStep: step }).where(eq(users.id, u.id));
      // Having just proved possession of the second factor, this session may use the full clearance.
      if (a.sessionId) await tx.update(sessions).set({ mfa: true }).where(eq(sessions.id, a.sessionId));
      await announceAuthChange(tx, u.id);
      await audit.record(tx, { actor: a.actor, action: 'account.totp_enrolled', recordType: 'user', recordId: u.id });
    });
    cache.evictUser(u.id);
  }

  async function listTokens(a: Authenticated) {
    if (!can(a.subject, 'account:manage')) throw new NotFoundError('account');
    const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, a.user.id)).orderBy(apiTokens.createdAt);
    return rows.map(tokenView);
  }

  async function createToken(a: Authenticated, name: string, expiresInDays?: number) {
    if (!can(a.subject, 'account:manage')) throw new NotFoundError('account');
    const active = await db.select({ id: apiTokens.id }).from(apiTokens).where(and(eq(apiTokens.userId, a.user.id), isNull(apiTokens.revokedAt)));
    if (active.length >= 50) throw new ConflictError('You already have 50 active tokens; revoke one first.');
    const token = newSecret(API_TOKEN_PREFIX);
    const expiresAt = new Date(clock().getTime() + (expiresInDays ?? 90) * 86_400_000);
    const row = await db.transaction(async (tx) => {
      const [r] = await tx.insert(apiTokens).values({ userId: a.user.id, name, tokenHash: digest(token), mfa: a.mfa, expiresAt }).returning();
      await audit.record(tx, { actor: a.actor, action: 'account.token_create', recordType: 'api_token', recordId: r.id, detail: { name } });
      return r;
    });
    return { ...tokenView(row), token };
  }

  async function revokeToken(a: Authenticated, id: string) {
    if (!can(a.subject, 'account:manage')) throw new NotFoundError('account');
    await db.transaction(async (tx) => {
      const [r] = await tx
        .update(apiTokens)
        .set({ revokedAt: clock() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, a.user.id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      if (!r) throw new NotFoundError('API token', true);
      await announceAuthChange(tx, a.user.id);
      await audit.record(tx, { actor: a.actor, action: 'account.token_revoke', recordType: 'api_token', recordId: id });
    });
    cache.evictUser(a.user.id);
  }

  async function acceptInvitation(input: { token: string; name?: string; password: string }, ip: string | null) {
    const now = clock();
    const [inv] = await db.select().from(invitations).where(eq(invitations.tokenHash, digest(input.token)));
    if (!inv || inv.acceptedAt || inv.expiresAt <= now) throw new NotFoundError('invitation');
    const hash = await hashPassword(input.password);
    await db.transaction(async (tx) => {
      const [done] = await tx.update(invitations).set({ acceptedAt: now }).where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt))).returning({ id: invitations.id });
      if (!done) throw new NotFoundError('invitation');
      await tx.update(users).set({ passwordHash: hash, ...(input.name ? { name: input.name } : {}) }).where(eq(users.id, inv.userId));
      const found = await findUserById(tx, inv.userId);
      await audit.record(tx, {
        actor: actorOf(found!.user, found!.org, subjectFor(found!.user, found!.org, false), ip, 'none'),
        action: 'auth.invitation_accept',
        recordType: 'user',
        recordId: inv.userId,
      });
    });
    const found = await findUserById(db, inv.userId);
    return login({ email: found!.user.email, password: input.password }, ip);
  }

  return { login, authenticateSession, authenticateToken, forgetUser, me, logout, logoutEverywhere, changePassword, totpEnrol, totpConfirm, listTokens, createToken, revokeToken, acceptInvitation, csrfFor };
}

function tokenView(r: typeof apiTokens.$inferSelect) {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
