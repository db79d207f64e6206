import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { startForewarn, type Forewarn } from '../../src/server/start.ts';
import { STEP_SECONDS, stepAt, totp } from '../../src/modules/identity/totp.ts';
import { DEMO_USERS } from '../../src/demo/demo-accounts.ts';
import { copyPgliteTemplate, freshDatabaseUrl } from './database.ts';

export const DEMO_PASSWORD = 'forewarn-demo-2026';

export interface TestInstance {
  fw: Forewarn;
  url: string;
  /** Where a separate process (the CLI) finds this instance's database once the server is stopped. */
  databaseEnv: Record<string, string>;
  /** Raw SQL against the instance's database, for asserting on rows. */
  rows<T = Record<string, unknown>>(query: string, values?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startTestInstance(opts: { demo?: boolean; env?: Record<string, string>; clock?: () => Date } = {}): Promise<TestInstance> {
  const database = await freshDatabaseUrl();
  let dataDir: string | undefined;
  if (!database.url) {
    const dir = mkdtempSync(join(tmpdir(), 'forewarn-test-'));
    if (copyPgliteTemplate(dir)) dataDir = dir;
    else rmSync(dir, { recursive: true, force: true });
  }
  const fw = await startForewarn({
    demo: opts.demo ?? true,
    temporary: true,
    dataDir,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    logLevel: 'silent',
    env: { ...process.env, DATABASE_URL: undefined, FOREWARN_MASTER_KEY: undefined, FOREWARN_DEMO_PASSWORD: DEMO_PASSWORD, FOREWARN_LOGIN_RATE_PER_MINUTE: '10000', ...opts.env },
    clock: opts.clock,
  });
  return {
    fw,
    url: fw.url,
    databaseEnv: database.url ? { DATABASE_URL: database.url } : { FOREWARN_DATA_DIR: fw.dataDir },
    async rows(query, values) {
      return (await fw.database.executeSql(query, values)).rows as never;
    },
    async close() {
      await fw.close();
      await database.drop();
      if (!database.url) rmSync(fw.dataDir, { recursive: true, force: true });
    },
  };
}

export interface Client {
  email: string;
  csrf: string | null;
  cookie: string | null;
  bearer: string | null;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  get(path: string): Promise<{ status: number; body: any; headers: Headers }>;
  post(path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  patch(path: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  del(path: string): Promise<{ status: number; body: any; headers: Headers }>;
}

export function client(base: string, init: { cookie?: string | null; csrf?: string | null; bearer?: string | null; email?: string } = {}): Client {
  const c: Client = {
    email: init.email ?? '',
    cookie: init.cookie ?? null,
    csrf: init.csrf ?? null,
    bearer: init.bearer ?? null,
    async request(method, path, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (body !== undefined) h['content-type'] = 'application/json';
      if (c.cookie) h.cookie = c.cookie;
      if (c.csrf && method !== 'GET') h['x-csrf-token'] = c.csrf;
      if (c.bearer) h.authorization = `Bearer ${c.bearer}`;
      const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    get: (p) => c.request('GET', p),
    post: (p, b) => c.request('POST', p, b ?? {}),
    patch: (p, b) => c.request('PATCH', p, b ?? {}),
    del: (p) => c.request('DELETE', p),
  };
  return c;
}

function cookiesFrom(headers: Headers): { cookie: string; csrf: string } {
  const set = headers.getSetCookie();
  const pairs = set.map((s) => s.split(';')[0]);
  const csrf = pairs.find((p) => p.startsWith('fw_csrf='))!.slice('fw_csrf='.length);
  return { cookie: pairs.join('; '), csrf };
}

const lastStep = new Map<string, number>();

/**
 * A fresh code for a demo user. Codes are single-use per 30-second step, so a test that signs in
 * twice quickly uses the next step's code (accepted as clock drift) or waits for one.
 */
export async function demoTotp(email: string): Promise<string | undefined> {
  const u = DEMO_USERS.find((d) => d.email === email);
  if (!u?.totpSecret) return undefined;
  for (;;) {
    const now = stepAt(Date.now());
    const step = Math.max(now, (lastStep.get(email) ?? -1) + 1);
    if (step <= now + 1) {
      lastStep.set(email, step);
      return totp(u.totpSecret, step * STEP_SECONDS * 1000);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Signs in as a demo user (with its TOTP code where it has one) and returns a cookie client. */
export async function signIn(base: string, email: string, opts: { password?: string; withTotp?: boolean } = {}): Promise<Client> {
  const code = opts.withTotp === false ? undefined : await demoTotp(email);
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: opts.password ?? DEMO_PASSWORD, ...(code ? { totp: code } : {}) }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${await res.text()}`);
  const { cookie, csrf } = cookiesFrom(res.headers);
  return client(base, { cookie, csrf, email });
}

const cached = new Map<string, Client>();

/**
 * A signed-in client reused across tests in a file (TOTP codes are single-use per 30 s step, so
 * signing in afresh for every test would make the suite wait). Re-signs in if the session ended.
 */
export async function as(base: string, email: string): Promise<Client> {
  const key = `${base} ${email}`;
  const c = cached.get(key);
  if (c && (await c.get('/api/v1/me')).status === 200) return c;
  const fresh = await signIn(base, email);
  cached.set(key, fresh);
  return fresh;
}

export async function orgIdOf(t: TestInstance, name: string): Promise<string> {
  const [r] = await t.rows<{ id: string }>('select id from organisations where name = $1', [name]);
  return r.id;
}

export async function userIdOf(t: TestInstance, email: string): Promise<string> {
  const [r] = await t.rows<{ id: string }>('select id from users where email = $1', [email]);
  return r.id;
}

export async function auditRows(t: TestInstance, action: string) {
  return t.rows<{ seq: string; action: string; outcome: string; actor_email: string; record_id: string; detail: any; classification: number }>(
    'select * from audit_events where action = $1 order by seq',
    [action],
  );
}

export function rmrf(dir: string) {
  rmSync(dir, { recursive: true, force: true });
}

export { sql };
