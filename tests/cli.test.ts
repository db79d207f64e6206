import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { startForewarn } from '../src/server/start.ts';
import { freshDatabaseUrl } from './support/database.ts';
import { client, DEMO_PASSWORD, signIn } from './support/harness.ts';
import { startSmtpSink } from './support/smtp-sink.ts';

const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function place() {
  const database = await freshDatabaseUrl();
  const dataDir = mkdtempSync(join(tmpdir(), 'forewarn-cli-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }), () => database.drop());
  const env: Record<string, string | undefined> = { ...process.env, FOREWARN_DATA_DIR: dataDir, DATABASE_URL: database.url ?? undefined, FOREWARN_MASTER_KEY: undefined, LOG_LEVEL: 'silent', FOREWARN_DEMO_PASSWORD: DEMO_PASSWORD };
  return { dataDir, databaseUrl: database.url, env };
}

const cli = (args: string[], env: Record<string, string | undefined>): Promise<{ code?: number; stdout: string; stderr: string }> =>
  run('node', ['bin/forewarn.mjs', ...args], { env: env as NodeJS.ProcessEnv, timeout: 120_000 }).catch((e) => e as { code: number; stdout: string; stderr: string });

describe('configuration', () => {
  it('stops at boot with a message naming the bad setting', async () => {
    const r = await cli(['serve'], { ...process.env, PORT: 'not-a-port', DATABASE_URL: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid Forewarn configuration');
    expect(r.stderr).toContain('PORT');
  });

  it('refuses to run without a master key outside demo mode', async () => {
    const p = await place();
    await expect(startForewarn({ demo: false, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, logLevel: 'silent', env: p.env })).rejects.toThrow(/FOREWARN_MASTER_KEY is not set/);
  });
});

describe('the compiled server (what npm start runs)', () => {
  it('builds into dist/ and runs under plain Node: health, a demo sign-in, the API and the gateway answer, and it stops on SIGTERM', async () => {
    const out = `dist/check-${process.pid}`;
    cleanups.push(() => rmSync(out, { recursive: true, force: true }));
    await run('node', ['scripts/build-server.mjs', '--outdir', out], { timeout: 120_000 });
    const p = await place();
    const child = spawn(process.execPath, [`${out}/forewarn.mjs`, 'serve', '--demo', '--port', '0', '--host', '127.0.0.1'], { env: p.env as NodeJS.ProcessEnv, stdio: 'pipe' });
    cleanups.push(() => void child.kill('SIGKILL'));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const url = await new Promise<string>((resolve, reject) => {
      let o = '';
      child.stdout.on('data', (d: Buffer) => {
        o += d.toString();
        const m = /is running at (http:\/\/\S+)/.exec(o);
        if (m) resolve(m[1]);
      });
      void exited.then((code) => reject(new Error(`the compiled server exited with ${code}: ${o}`)));
    });
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const dev = await signIn(url, 'lab.engineer@meridian.demo');
    const models = await dev.get('/api/v1/models');
    expect(models.status).toBe(200);
    expect(JSON.stringify(models.body)).toContain('Meridian');
    const refused = await fetch(`${url}/gateway/v1/models`, { headers: { authorization: 'Bearer fwg_not-a-key' } });
    expect(refused.status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});

describe('data lifetime', () => {
  it('keeps the data across a restart on the same folder, and creates no accounts outside demo mode', async () => {
    const p = await place();
    const key = Buffer.alloc(32, 7).toString('base64');
    const env = { ...p.env, FOREWARN_MASTER_KEY: key };
    const first = await startForewarn({ demo: false, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, logLevel: 'silent', env });
    expect((await first.database.executeSql('select count(*)::int as n from users')).rows[0].n).toBe(0);
    await first.database.executeSql("insert into organisations (name, kind) values ('Kept Org', 'vendor')");
    await first.close();
    const second = await startForewarn({ demo: true, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, logLevel: 'silent', env });
    expect((await second.database.executeSql("select count(*)::int as n from organisations where name = 'Kept Org'")).rows[0].n).toBe(1);
    await second.close();
    const third = await startForewarn({ demo: true, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, logLevel: 'silent', env });
    // The demo set is loaded once, not again on every start.
    expect((await third.database.executeSql("select count(*)::int as n from users where email = 'admin@forewarn.demo'")).rows[0].n).toBe(1);
    await third.close();
  });
});

describe('forewarn CLI', () => {
  it('migrate, seed --demo, user create: the way in for a real deployment’s first administrator', async () => {
    const p = await place();
    const env = { ...p.env, FOREWARN_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') };
    expect((await cli(['migrate'], env)).stdout).toMatch(/migrations applied/);
    const weak = await cli(['user', 'create', '--email', 'root@agency.gov', '--name', 'Root', '--org', 'Forewarn Operations', '--roles', 'platform_admin'], { ...env, FOREWARN_NEW_USER_PASSWORD: 'short' });
    expect(weak.code).toBe(1);
    const created = await cli(['user', 'create', '--email', 'root@agency.gov', '--name', 'Root', '--org', 'Forewarn Operations', '--roles', 'platform_admin', '--clearance', 'CONFIDENTIAL'], {
      ...env,
      FOREWARN_NEW_USER_PASSWORD: 'a-long-first-password',
    });
    expect(created.stdout).toMatch(/user root@agency.gov created/);
    expect(created.stdout + created.stderr).not.toContain('a-long-first-password');
    const fw = await startForewarn({ demo: false, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, host: '127.0.0.1', logLevel: 'silent', env });
    try {
      const c = await signIn(fw.url, 'root@agency.gov', { password: 'a-long-first-password' });
      const me = await c.get('/api/v1/me');
      expect(me.body.abilities).toContain('organisations:manage');
      expect((await client(fw.url).post('/api/v1/auth/login', { email: 'admin@forewarn.demo', password: DEMO_PASSWORD })).status).toBe(401);
    } finally {
      await fw.close();
    }
  }, 180_000);

  it('keys rotate: rewraps the data keys; encrypted TOTP secrets still open under the new key, not the old', async () => {
    const p = await place();
    const fw = await startForewarn({ demo: true, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, logLevel: 'silent', env: p.env });
    await fw.close();
    const oldKey = readFileSync(join(p.dataDir, 'master.key'), 'utf8');
    const r = await cli(['keys', 'rotate'], { ...p.env, FOREWARN_DEMO: '1' });
    expect(r.stdout).toMatch(/rewrapped 1 data keys/);
    const newKey = readFileSync(join(p.dataDir, 'master.key'), 'utf8');
    expect(newKey).not.toBe(oldKey);
    const again = await startForewarn({ demo: true, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, host: '127.0.0.1', logLevel: 'silent', env: p.env });
    try {
      const admin = await signIn(again.url, 'admin@forewarn.demo'); // TOTP secret decrypted with a rewrapped key
      expect((await admin.get('/api/v1/me')).body.session.mfa).toBe(true);
      const keys = (await again.database.executeSql('select id, retired_at from encryption_keys order by created_at')).rows;
      expect(keys.length).toBe(2);
      expect(keys[0].retired_at).not.toBeNull();
      expect(keys[1].retired_at).toBeNull();
    } finally {
      await again.close();
    }
    await expect(startForewarn({ demo: true, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, logLevel: 'silent', env: { ...p.env, FOREWARN_MASTER_KEY: oldKey.trim() } })).rejects.toThrow(/wrong master key/);
  });

  it('scenario --json drives a fresh instance end to end (on the database under test) and closes with the plain summary line', async () => {
    const server = process.env.DATABASE_URL;
    const r = await cli(server ? ['scenario', '--json', '--postgres', server] : ['scenario', '--json'], { ...process.env, DATABASE_URL: undefined });
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^scenario: \d+ passed, 0 failed$/);
    const summary = JSON.parse(lines.slice(0, -1).join('\n'));
    expect(summary.failed).toBe(0);
    expect(summary.stages.map((s: { stage: string }) => s.stage)).toEqual(expect.arrayContaining(['foundation', 'review', 'evaluations', 'partners', 'clearinghouse', 'operators', 'grants']));
    expect(summary.database).toBe(server ? 'postgres' : 'pglite');
    // The whole product end to end: minutes on a loaded two-core machine, not the default minute.
  }, 300_000);
});

describe.skipIf(!process.env.DATABASE_URL)('separate API and worker processes over one PostgreSQL', () => {
  it('an API process accepts an invitation and a worker process delivers its email', async () => {
    const p = await place();
    const sink = await startSmtpSink();
    cleanups.push(() => sink.close());
    const env = { ...p.env, SMTP_URL: sink.url, FOREWARN_DEMO: '1', FOREWARN_LOGIN_RATE_PER_MINUTE: '1000' };
    const port = 20000 + Math.floor(Math.random() * 20000);
    const api = spawn('node', ['bin/forewarn.mjs', 'serve', '--role', 'api', '--port', String(port)], { env: env as NodeJS.ProcessEnv, stdio: 'pipe' });
    cleanups.push(() => void api.kill('SIGKILL'));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`${base}/healthz`).catch(() => null))?.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const admin = await signIn(base, 'admin@forewarn.demo');
    const orgs = await admin.get('/api/v1/organisations');
    const bank = orgs.body.items.find((o: { name: string }) => o.name === 'Heartland Community Bank');
    expect((await admin.post(`/api/v1/organisations/${bank.id}/invitations`, { email: 'ops@heartlandbank.demo', name: 'Ops', roles: ['operator_staff'] })).status).toBe(201);
    await new Promise((r) => setTimeout(r, 2000));
    expect(sink.mails).toEqual([]); // nobody works the queue yet
    const worker = spawn('node', ['bin/forewarn.mjs', 'serve', '--role', 'worker'], { env: env as NodeJS.ProcessEnv, stdio: 'pipe' });
    cleanups.push(() => void worker.kill('SIGKILL'));
    for (let i = 0; i < 150 && sink.mails.length === 0; i++) await new Promise((r) => setTimeout(r, 200));
    expect(sink.mails.map((m) => m.to).flat()).toContain('ops@heartlandbank.demo');
  });

  it('a token revoked through one API process is refused at once by another that had it cached', async () => {
    const p = await place();
    const env = { ...p.env, FOREWARN_MASTER_KEY: Buffer.alloc(32, 3).toString('base64') };
    const a = await startForewarn({ demo: true, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, host: '127.0.0.1', logLevel: 'silent', env });
    const b = await startForewarn({ role: 'api', demo: false, dataDir: p.dataDir, databaseUrl: p.databaseUrl, port: 0, host: '127.0.0.1', logLevel: 'silent', env });
    cleanups.push(() => a.close(), () => b.close());
    const lab = await signIn(a.url, 'lab.engineer@meridian.demo');
    const created = await lab.post('/api/v1/me/tokens', { name: 'two processes' });
    const viaB = client(b.url, { bearer: created.body.token });
    expect((await viaB.get('/api/v1/me')).status).toBe(200); // now cached in B
    expect((await lab.del(`/api/v1/me/tokens/${created.body.id}`)).status).toBe(204);
    let status = 200;
    for (let i = 0; i < 20 && status === 200; i++) {
      status = (await viaB.get('/api/v1/me')).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
  });

  it('refuses --role api on the embedded database', async () => {
    const r = await cli(['serve', '--role', 'api'], { ...process.env, DATABASE_URL: undefined });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs DATABASE_URL/);
    const c = await cli(['serve', '--processes', '2'], { ...process.env, DATABASE_URL: undefined });
    expect(c.code).toBe(1);
    expect(c.stderr).toMatch(/--processes needs DATABASE_URL/);
  });

  it('serve --processes 2: two api processes share the port beside a worker, and all stop on SIGTERM', async () => {
    const p = await place();
    const env = { ...p.env, FOREWARN_DEMO: '1', FOREWARN_LOGIN_RATE_PER_MINUTE: '1000' };
    const port = 20000 + Math.floor(Math.random() * 20000);
    const primary = spawn(process.execPath, ['bin/forewarn.mjs', 'serve', '--processes', '2', '--port', String(port)], { env: env as NodeJS.ProcessEnv, stdio: 'pipe' });
    const children = () => {
      try {
        return readFileSync(`/proc/${primary.pid}/task/${primary.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      } catch {
        return [];
      }
    };
    // A failed test must not leave the api and worker processes holding the database open.
    cleanups.push(() => {
      for (const pid of children()) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      primary.kill('SIGKILL');
    });
    let out = '';
    primary.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    primary.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 600 && !out.includes('are serving'); i++) await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('2 api processes and a worker are serving');
    expect(children()).toHaveLength(3);
    // Requests on the one port reach both api processes (connections are handed out in turn).
    const base = `http://127.0.0.1:${port}`;
    const lab = await signIn(base, 'lab.engineer@meridian.demo');
    for (let i = 0; i < 6; i++) expect((await fetch(`${base}/healthz`, { headers: { connection: 'close' } })).status).toBe(200);
    expect((await lab.get('/api/v1/me')).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => primary.once('exit', (code) => resolve(code)));
    primary.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 180_000);
});
