import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, client, DEMO_PASSWORD, orgIdOf, signIn, startTestInstance, userIdOf, type TestInstance } from '../../../tests/support/harness.ts';
import { totp } from './totp.ts';

let t: TestInstance;
// Tests move time forward instead of editing expiry columns: credentials are cached for a few seconds
// (see auth-cache.ts), and time is what ends sessions in real use.
let offsetMs = 0;
beforeAll(async () => {
  t = await startTestInstance({ clock: () => new Date(Date.now() + offsetMs) });
});
afterAll(async () => {
  await t?.close();
});

const login = (body: unknown) => client(t.url).post('/api/v1/auth/login', body);

describe('platform endpoints', () => {
  it('answers /healthz with the database kind', async () => {
    const r = await client(t.url).get('/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok', database: process.env.DATABASE_URL ? 'postgres' : 'pglite' });
  });

  it('describes every route in OpenAPI 3.1 with module tags', async () => {
    const r = await client(t.url).get('/openapi.json');
    expect(r.body.openapi).toBe('3.1.0');
    const ops = Object.values(r.body.paths as Record<string, Record<string, { tags?: string[] }>>).flatMap((p) => Object.values(p));
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) expect(op.tags?.length).toBeGreaterThan(0);
    expect(r.body.paths['/api/v1/auth/login']).toBeDefined();
    expect((await client(t.url).get('/docs/')).status).toBe(200);
  });

  it('sends security headers', async () => {
    const r = await client(t.url).get('/healthz');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect((await client(t.url).get('/api/v1/me')).headers.get('cache-control')).toBe('no-store');
    expect(r.headers.get('strict-transport-security')).toBeNull(); // plain HTTP: HSTS would be meaningless
  });

  it('answers unknown API routes and unauthenticated calls with problem details', async () => {
    const r = await client(t.url).get('/api/v1/nothing-here');
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.type).toBe('/problems/unauthenticated');
  });
});

describe('sign-in', () => {
  it('signs in with email and password, sets HttpOnly session and CSRF cookies, writes a session and an audit event', async () => {
    const r = await login({ email: 'Lab.Engineer@meridian.demo', password: DEMO_PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body.user.email).toBe('lab.engineer@meridian.demo');
    expect(r.body.organisation.kind).toBe('ai_developer');
    const cookies = r.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('fw_session='))).toMatch(/HttpOnly/i);
    expect(cookies.find((c) => c.startsWith('fw_session='))).toMatch(/SameSite=Strict/i);
    expect(cookies.find((c) => c.startsWith('fw_csrf='))).not.toMatch(/HttpOnly/i);
    const uid = await userIdOf(t, 'lab.engineer@meridian.demo');
    const sessions = await t.rows('select token_hash from sessions where user_id = $1', [uid]);
    expect(sessions.length).toBeGreaterThan(0);
    const token = cookies.find((c) => c.startsWith('fw_session='))!.split(';')[0].split('=')[1];
    expect(sessions.map((s) => s.token_hash)).not.toContain(token); // only a digest is stored
    const events = await auditRows(t, 'auth.login');
    expect(events.some((e) => e.record_id === uid && e.outcome === 'success')).toBe(true);
  });

  it('refuses a wrong password with 401, counts the failure and audits it', async () => {
    const uid = await userIdOf(t, 'ostp.analyst@ostp.demo');
    const r = await login({ email: 'ostp.analyst@ostp.demo', password: 'not-the-password' });
    expect(r.status).toBe(401);
    expect(r.body.type).toBe('/problems/invalid-credentials');
    const [u] = await t.rows<{ failed_logins: number }>('select failed_logins from users where id = $1', [uid]);
    expect(u.failed_logins).toBe(1);
    const events = await auditRows(t, 'auth.login');
    expect(events.some((e) => e.record_id === uid && e.outcome === 'failure' && e.detail.reason === 'wrong-password')).toBe(true);
    expect(JSON.stringify(events)).not.toContain('not-the-password');
  });

  it('gives the same answer for an unknown email as for a wrong password', async () => {
    const r = await login({ email: 'nobody@nowhere.demo', password: 'whatever-password' });
    expect(r.status).toBe(401);
    expect(r.body.type).toBe('/problems/invalid-credentials');
  });

  it('locks the account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 5; i++) await login({ email: 'dod.analyst@dod.demo', password: 'wrong-password-x' });
    const [u] = await t.rows<{ locked_until: Date | null }>("select locked_until from users where email = 'dod.analyst@dod.demo'");
    expect(u.locked_until).not.toBeNull();
    const r = await login({ email: 'dod.analyst@dod.demo', password: DEMO_PASSWORD });
    expect(r.status).toBe(423);
    expect(r.body.type).toBe('/problems/account-locked');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await auditRows(t, 'auth.account_locked')).length).toBeGreaterThan(0);
  });

  it('asks for a TOTP code when one is enrolled, refuses a wrong one and a replayed one', async () => {
    const noCode = await login({ email: 'cisa.analyst@cisa.demo', password: DEMO_PASSWORD });
    expect(noCode.status).toBe(401);
    expect(noCode.body.type).toBe('/problems/totp-required');
    const wrong = await login({ email: 'cisa.analyst@cisa.demo', password: DEMO_PASSWORD, totp: '000000' });
    expect(wrong.status).toBe(401);
    const code = totp('MFRGGZDFMZTWQ2LK', Date.now());
    const ok = await login({ email: 'cisa.analyst@cisa.demo', password: DEMO_PASSWORD, totp: code });
    expect(ok.status).toBe(200);
    expect(ok.body.session).toMatchObject({ mfa: true, effectiveClearance: 'SECRET' });
    const replay = await login({ email: 'cisa.analyst@cisa.demo', password: DEMO_PASSWORD, totp: code });
    expect(replay.status).toBe(401);
  });

  it('rejects malformed sign-in input with a problem naming the fields', async () => {
    const r = await login({ email: 'not-an-email', password: '', extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('/problems/validation-failed');
    expect(r.body.errors.length).toBeGreaterThan(0);
  });

  it('rate-limits sign-in attempts per address', async () => {
    const t2 = await startTestInstance({ env: { FOREWARN_LOGIN_RATE_PER_MINUTE: '3' } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await client(t2.url).post('/api/v1/auth/login', { email: 'x@y.demo', password: 'abcdefghijkl' })).status);
      expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
      expect(statuses[4]).toBe(429);
    } finally {
      await t2.close();
    }
  });
});

describe('sessions, CSRF and API tokens', () => {
  it('refuses a cookie-authenticated change without the CSRF header and changes nothing', async () => {
    const c = await signIn(t.url, 'lab.admin@meridian.demo');
    const before = await t.rows("select count(*)::int as n from api_tokens");
    const noCsrf = client(t.url, { cookie: c.cookie });
    const r = await noCsrf.post('/api/v1/me/tokens', { name: 'sneaky' });
    expect(r.status).toBe(403);
    expect(r.body.type).toBe('/problems/csrf-failed');
    expect(await t.rows("select count(*)::int as n from api_tokens")).toEqual(before);
    const denials = await auditRows(t, 'access.denied');
    expect(denials.some((d) => d.actor_email === 'lab.admin@meridian.demo')).toBe(true);
  });

  it('creates, lists, uses and revokes an API token; the value is shown once and stored hashed', async () => {
    const c = await signIn(t.url, 'lab.admin@meridian.demo');
    const created = await c.post('/api/v1/me/tokens', { name: 'ci script', expiresInDays: 30 });
    expect(created.status).toBe(201);
    const token: string = created.body.token;
    expect(token).toMatch(/^fwt_/);
    const [row] = await t.rows<{ token_hash: string; name: string }>('select token_hash, name from api_tokens where id = $1', [created.body.id]);
    expect(row.name).toBe('ci script');
    expect(row.token_hash).not.toContain(token);
    const list = await c.get('/api/v1/me/tokens');
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(created.body.id);

    const bearer = client(t.url, { bearer: token });
    const me = await bearer.get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.session.via).toBe('token');
    // Bearer requests need no CSRF token: no browser attaches them by itself.
    expect((await bearer.post('/api/v1/me/tokens', { name: 'from token' })).status).toBe(201);

    expect((await c.del(`/api/v1/me/tokens/${created.body.id}`)).status).toBe(204);
    const after = await bearer.get('/api/v1/me');
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revoked/);
    expect((await auditRows(t, 'account.token_revoke')).some((e) => e.record_id === created.body.id)).toBe(true);
  });

  it('does not let a user revoke another user’s token', async () => {
    const owner = await signIn(t.url, 'lab.engineer@meridian.demo');
    const other = await signIn(t.url, 'lab.admin@meridian.demo');
    const created = await owner.post('/api/v1/me/tokens', { name: 'mine' });
    const r = await other.del(`/api/v1/me/tokens/${created.body.id}`);
    expect(r.status).toBe(404);
    const [row] = await t.rows('select revoked_at from api_tokens where id = $1', [created.body.id]);
    expect(row.revoked_at).toBeNull();
  });

  it('refuses an expired token and an expired or idle session', async () => {
    const c = await signIn(t.url, 'nist.analyst@nist.demo');
    const created = await c.post('/api/v1/me/tokens', { name: 'short', expiresInDays: 1 });
    const bearer = client(t.url, { bearer: created.body.token });
    expect((await bearer.get('/api/v1/me')).status).toBe(200);
    const uid = await userIdOf(t, 'nist.analyst@nist.demo');
    try {
      offsetMs = 2 * 86_400_000;
      expect((await bearer.get('/api/v1/me')).status).toBe(401);
      offsetMs = 9 * 3_600_000; // past the 8-hour session lifetime
      const expired = await c.get('/api/v1/me');
      expect(expired.status).toBe(401);
      expect(expired.body.detail).toMatch(/expired/);
      offsetMs = 0;
      const idle = await signIn(t.url, 'nist.analyst@nist.demo');
      expect((await idle.get('/api/v1/me')).status).toBe(200);
      const count = async () => (await t.rows<{ n: number }>('select count(*)::int as n from sessions where user_id = $1', [uid]))[0].n;
      const before = await count();
      offsetMs = 2 * 3_600_000; // two idle hours, inside the lifetime
      expect((await idle.get('/api/v1/me')).status).toBe(401);
      expect(await count()).toBe(before - 1); // the idle session is gone, not just refused
    } finally {
      offsetMs = 0;
    }
  });

  it('signs out one session, and every session with sign-out everywhere', async () => {
    const a = await signIn(t.url, 'oncd.analyst@oncd.demo');
    const b = await signIn(t.url, 'oncd.analyst@oncd.demo');
    expect((await a.post('/api/v1/auth/logout')).status).toBe(204);
    expect((await a.get('/api/v1/me')).status).toBe(401);
    expect((await b.get('/api/v1/me')).status).toBe(200);
    const c = await signIn(t.url, 'oncd.analyst@oncd.demo');
    expect((await c.post('/api/v1/auth/logout-everywhere')).status).toBe(204);
    expect((await b.get('/api/v1/me')).status).toBe(401);
    const uid = await userIdOf(t, 'oncd.analyst@oncd.demo');
    expect(await t.rows('select id from sessions where user_id = $1', [uid])).toEqual([]);
  });

  it('changes the password, signs out other sessions, and the old password stops working', async () => {
    const a = await signIn(t.url, 'it@heartlandbank.demo');
    const b = await signIn(t.url, 'it@heartlandbank.demo');
    const wrong = await a.post('/api/v1/me/password', { currentPassword: 'wrong-current', newPassword: 'a-brand-new-password' });
    expect(wrong.status).toBe(400);
    const short = await a.post('/api/v1/me/password', { currentPassword: DEMO_PASSWORD, newPassword: 'short' });
    expect(short.status).toBe(400);
    expect((await a.post('/api/v1/me/password', { currentPassword: DEMO_PASSWORD, newPassword: 'a-brand-new-password' })).status).toBe(204);
    expect((await a.get('/api/v1/me')).status).toBe(200);
    expect((await b.get('/api/v1/me')).status).toBe(401);
    expect((await login({ email: 'it@heartlandbank.demo', password: DEMO_PASSWORD })).status).toBe(401);
    expect((await login({ email: 'it@heartlandbank.demo', password: 'a-brand-new-password' })).status).toBe(200);
  });
});

describe('organisations and users', () => {
  it('lets a platform administrator create an organisation, recorded in the audit trail', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const r = await admin.post('/api/v1/organisations', { name: 'Lakeside Rural Electric Cooperative', kind: 'operator', sector: 'energy' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Lakeside Rural Electric Cooperative', kind: 'operator', sector: 'energy', agencyCode: null });
    const [row] = await t.rows('select kind, sector from organisations where id = $1', [r.body.id]);
    expect(row).toEqual({ kind: 'operator', sector: 'energy' });
    expect((await auditRows(t, 'organisation.create')).some((e) => e.record_id === r.body.id)).toBe(true);
    const dup = await admin.post('/api/v1/organisations', { name: 'lakeside rural electric cooperative', kind: 'operator', sector: 'energy' });
    expect(dup.status).toBe(409);
  });

  it('validates organisation kinds: an agency needs its code, an operator its sector; nothing is written', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const before = await t.rows('select count(*)::int as n from organisations');
    const a = await admin.post('/api/v1/organisations', { name: 'Some Agency', kind: 'agency' });
    expect(a.status).toBe(400);
    expect(a.body.errors.map((e: { path: string }) => e.path)).toContain('body.agencyCode');
    const b = await admin.post('/api/v1/organisations', { name: 'Some Bank', kind: 'operator', agencyCode: 'NSA' });
    expect(b.status).toBe(400);
    const c = await admin.post('/api/v1/organisations', { name: 'x'.repeat(500), kind: 'vendor' });
    expect(c.status).toBe(400);
    expect(await t.rows('select count(*)::int as n from organisations')).toEqual(before);
  });

  it('refuses organisation creation to anyone else (403, audited)', async () => {
    const lab = await signIn(t.url, 'lab.admin@meridian.demo');
    const r = await lab.post('/api/v1/organisations', { name: 'Shadow Org', kind: 'vendor' });
    expect(r.status).toBe(403);
    expect(await t.rows("select id from organisations where name = 'Shadow Org'")).toEqual([]);
    const denials = await auditRows(t, 'access.denied');
    expect(denials.some((d) => d.actor_email === 'lab.admin@meridian.demo' && d.outcome === 'denied')).toBe(true);
  });

  it('shows an organisation administrator only its own organisation; another one is 404', async () => {
    const lab = await signIn(t.url, 'lab.admin@meridian.demo');
    const list = await lab.get('/api/v1/organisations');
    expect(list.body.items.map((o: { name: string }) => o.name)).toEqual(['Meridian AI']);
    const nsa = await orgIdOf(t, 'National Security Agency');
    expect((await lab.get(`/api/v1/organisations/${nsa}`)).status).toBe(404);
    const users = await lab.get(`/api/v1/organisations/${nsa}/users`);
    expect(users.status).toBe(404);
    expect(JSON.stringify(users.body)).not.toContain('nsa.analyst');
    const own = await lab.get(`/api/v1/organisations/${list.body.items[0].id}/users`);
    expect(own.status).toBe(200);
    expect(own.body.items.map((u: { email: string }) => u.email).sort()).toEqual(['lab.admin@meridian.demo', 'lab.engineer@meridian.demo']);
    expect(JSON.stringify(own.body)).not.toMatch(/password|totp_secret|Enc/);
  });

  it('refuses user administration to a member without an administrator role', async () => {
    const eng = await signIn(t.url, 'lab.engineer@meridian.demo');
    const lab = await orgIdOf(t, 'Meridian AI');
    expect((await eng.get(`/api/v1/organisations/${lab}/users`)).status).toBe(403);
    const inv = await eng.post(`/api/v1/organisations/${lab}/invitations`, { email: 'x@meridian.demo', name: 'X', roles: ['developer'] });
    expect(inv.status).toBe(403);
    expect(await t.rows("select id from users where email = 'x@meridian.demo'")).toEqual([]);
  });

  it('invites a user by email (outbox), who accepts, chooses a password and signs in', async () => {
    const lab = await signIn(t.url, 'lab.admin@meridian.demo');
    const orgId = await orgIdOf(t, 'Meridian AI');
    const r = await lab.post(`/api/v1/organisations/${orgId}/invitations`, { email: 'new.hire@meridian.demo', name: 'New Hire', roles: ['developer'], clearance: 'CUI' });
    expect(r.status).toBe(201);
    const [mail] = await t.rows<{ body_text: string; status: string }>("select body_text, status from mail_outbox where to_address = 'new.hire@meridian.demo'");
    expect(mail.status).toBe('held'); // no SMTP server configured in tests
    const token = /token=(fwi_[A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
    expect((await login({ email: 'new.hire@meridian.demo', password: 'anything-at-all' })).status).toBe(401);
    const accept = await client(t.url).post('/api/v1/auth/invitations/accept', { token, password: 'my-own-password-1' });
    expect(accept.status).toBe(200);
    expect(accept.body.user).toMatchObject({ email: 'new.hire@meridian.demo', clearance: 'CUI', roles: ['developer'] });
    const again = await client(t.url).post('/api/v1/auth/invitations/accept', { token, password: 'my-own-password-2' });
    expect(again.status).toBe(404);
    expect((await login({ email: 'new.hire@meridian.demo', password: 'my-own-password-1' })).status).toBe(200);
    expect((await auditRows(t, 'user.invite')).some((e) => e.record_id === r.body.userId)).toBe(true);
  });

  it('keeps an organisation administrator from granting more than it holds', async () => {
    const lab = await signIn(t.url, 'lab.admin@meridian.demo');
    const orgId = await orgIdOf(t, 'Meridian AI');
    const over = await lab.post(`/api/v1/organisations/${orgId}/invitations`, { email: 'spy@meridian.demo', name: 'Spy', roles: ['developer'], clearance: 'SECRET' });
    expect(over.status).toBe(403);
    const wrongKind = await lab.post(`/api/v1/organisations/${orgId}/invitations`, { email: 'spy@meridian.demo', name: 'Spy', roles: ['analyst'] });
    expect(wrongKind.status).toBe(400);
    const platform = await lab.post(`/api/v1/organisations/${orgId}/invitations`, { email: 'spy@meridian.demo', name: 'Spy', roles: ['platform_admin'] });
    expect(platform.status).toBe(400);
    const nsa = await as(t.url, 'nsa.analyst@nsa.demo');
    const nsaOrg = await orgIdOf(t, 'National Security Agency');
    const comp = await nsa.post(`/api/v1/organisations/${nsaOrg}/invitations`, { email: 'c@nsa.demo', name: 'C', roles: ['analyst'], clearance: 'SECRET', compartments: ['OTHER'] });
    expect(comp.status).toBe(403);
    const okComp = await nsa.post(`/api/v1/organisations/${nsaOrg}/invitations`, { email: 'c@nsa.demo', name: 'C', roles: ['analyst'], clearance: 'SECRET', compartments: ['BENCH'] });
    expect(okComp.status).toBe(201);
    expect(await t.rows("select id from users where email = 'spy@meridian.demo'")).toEqual([]);
  });

  it('lets an administrator change a user, which ends that user’s sessions; disabling blocks sign-in', async () => {
    const target = await signIn(t.url, 'it@riverbendutilities.demo');
    const admin = await as(t.url, 'admin@forewarn.demo');
    const uid = await userIdOf(t, 'it@riverbendutilities.demo');
    const r = await admin.patch(`/api/v1/users/${uid}`, { disabled: true });
    expect(r.status).toBe(200);
    expect(r.body.disabled).toBe(true);
    expect((await target.get('/api/v1/me')).status).toBe(401);
    expect((await login({ email: 'it@riverbendutilities.demo', password: DEMO_PASSWORD })).status).toBe(401);
    expect((await admin.patch(`/api/v1/users/${uid}`, {})).status).toBe(400);
    expect((await admin.patch(`/api/v1/users/${uid}`, { disabled: false })).status).toBe(200);
    expect((await login({ email: 'it@riverbendutilities.demo', password: DEMO_PASSWORD })).status).toBe(200);
  });

  it('does not let an organisation administrator change a user of another organisation (404)', async () => {
    const lab = await signIn(t.url, 'lab.admin@meridian.demo');
    const uid = await userIdOf(t, 'nsa.analyst@nsa.demo');
    const r = await lab.patch(`/api/v1/users/${uid}`, { disabled: true });
    expect(r.status).toBe(404);
    const [u] = await t.rows('select disabled from users where id = $1', [uid]);
    expect(u.disabled).toBe(false);
  });
});

describe('clearance and the second factor', () => {
  it('caps a SECRET user without TOTP at CONFIDENTIAL until enrolment, then grants the full clearance', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const cisa = await orgIdOf(t, 'Cybersecurity and Infrastructure Security Agency');
    const inv = await admin.post(`/api/v1/organisations/${cisa}/invitations`, { email: 'second@cisa.demo', name: 'Second', roles: ['analyst'], clearance: 'SECRET' });
    expect(inv.status).toBe(201);
    const [mail] = await t.rows<{ body_text: string }>("select body_text from mail_outbox where to_address = 'second@cisa.demo'");
    const token = /token=(fwi_[A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
    const accept = await client(t.url).post('/api/v1/auth/invitations/accept', { token, password: 'second-password-1' });
    expect(accept.body.session).toMatchObject({ mfa: false, effectiveClearance: 'CONFIDENTIAL' });
    const c = await signIn(t.url, 'second@cisa.demo', { password: 'second-password-1' });
    const enrol = await c.post('/api/v1/me/totp/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const [stored] = await t.rows<{ totp_pending_enc: string }>("select totp_pending_enc from users where email = 'second@cisa.demo'");
    expect(stored.totp_pending_enc).not.toContain(enrol.body.secret); // encrypted at rest
    expect((await c.post('/api/v1/me/totp/confirm', { code: '123456' })).status).toBe(400);
    expect((await c.post('/api/v1/me/totp/confirm', { code: totp(enrol.body.secret, Date.now()) })).status).toBe(204);
    const me = await c.get('/api/v1/me');
    expect(me.body.session).toMatchObject({ mfa: true, effectiveClearance: 'SECRET' });
    expect(me.body.user.totpEnrolled).toBe(true);
    expect((await login({ email: 'second@cisa.demo', password: 'second-password-1' })).body.type).toBe('/problems/totp-required');
  });

  it('reports abilities for the UI by role', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    expect((await admin.get('/api/v1/me')).body.abilities).toEqual(expect.arrayContaining(['organisations:manage', 'audit:read_all', 'outbox:read', 'jobs:read']));
    const eng = await signIn(t.url, 'lab.engineer@meridian.demo');
    const abilities: string[] = (await eng.get('/api/v1/me')).body.abilities;
    expect(abilities).toContain('models:register');
    for (const a of ['organisations:manage', 'users:manage', 'audit:read', 'outbox:read', 'jobs:read']) expect(abilities).not.toContain(a);
  });
});

describe('mail outbox', () => {
  it('is readable by platform administrators only', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const r = await admin.get('/api/v1/admin/outbox');
    expect(r.status).toBe(200);
    expect(r.body.smtpConfigured).toBe(false);
    expect(r.body.items.length).toBeGreaterThan(0);
    const lab = await signIn(t.url, 'lab.admin@meridian.demo');
    expect((await lab.get('/api/v1/admin/outbox')).status).toBe(403);
    expect((await lab.get('/api/v1/admin/jobs/dead')).status).toBe(403);
  });
});
