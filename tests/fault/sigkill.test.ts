import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabaseUrl } from '../support/database.ts';
import { killAll, ROOT, serverEnv, startServer, stopped, writeUntilKilled } from './server-process.ts';
import { signIn } from '../support/harness.ts';

/**
 * Crash safety: a server process killed with SIGKILL while audited writes are in flight loses none
 * of the writes it acknowledged, leaves no write half-done, and leaves an audit hash chain that still
 * verifies; the server then starts again on the same database.
 *
 * Needs PostgreSQL: the embedded database belongs to one process, and the point is a real process
 * dying under a real server.
 */

const ADMIN = 'lab.admin@meridian.demo';
/** Acknowledged invitations before the kill. */
const KILL_AFTER = 60;
/** Requests kept in flight all the time, so that some are mid-transaction when the process dies. */
const CONCURRENCY = 16;

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('fault test needs PostgreSQL (DATABASE_URL)');
const suite = baseUrl ? describe : describe.skip;

interface Ack {
  id: string;
  userId: string;
  email: string;
}


/** `forewarn audit verify --json` in a process of its own, as an operator would run it. */
async function auditVerify(databaseUrl: string, dataDir: string): Promise<{ ok: boolean; checked: number; headSeq: number; firstBroken: unknown }> {
  const child = spawn(process.execPath, ['bin/forewarn.mjs', 'audit', 'verify', '--json'], { cwd: ROOT, env: serverEnv(databaseUrl, dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const { code } = await stopped(child);
  const line = out.trim().split('\n').at(-1) ?? '';
  let parsed: { ok: boolean; checked: number; headSeq: number; firstBroken: unknown };
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`audit verify printed no JSON (exit ${code}):\n${out}\n${err}`);
  }
  expect(code, `audit verify exit code; output: ${line}`).toBe(parsed.ok ? 0 : 1);
  return parsed;
}

suite('SIGKILL during audited writes (PostgreSQL)', () => {
  const servers: ChildProcess[] = [];
  let dropDatabase: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;

  afterAll(async () => {
    await killAll(servers);
    if (dropDatabase) await dropDatabase();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged invitation, its audit event and an intact chain', async () => {
    const database = await freshDatabaseUrl();
    dropDatabase = database.drop;
    const databaseUrl = database.url!;
    dataDir = mkdtempSync(join(tmpdir(), 'forewarn-fault-'));

    const first = await startServer(databaseUrl, dataDir);
    expect(first.database).toBe('postgres');
    servers.push(first.child);
    const admin = await signIn(first.url, ADMIN);
    const me = await admin.get('/api/v1/me');
    expect(me.status).toBe(200);
    const orgId = me.body.organisation.id as string;

    const run = randomBytes(4).toString('hex');
    const emailOf = (n: number) => `fault-${run}-${n}@fault.test`;
    const killRun = await writeUntilKilled<Ack>(first, {
      concurrency: CONCURRENCY,
      killAfter: KILL_AFTER,
      send: async (n) => {
        const res = await admin.post(`/api/v1/organisations/${orgId}/invitations`, { email: emailOf(n), name: `Fault ${n}`, roles: ['developer'], clearance: 'UNCLASSIFIED' });
        return { status: res.status, body: res.status === 201 ? { id: res.body.id, userId: res.body.userId, email: res.body.email } : res.body };
      },
    });
    const { unexpected, inFlightAtKill, sentBeforeKill, exit } = killRun;
    const acks = [...killRun.acks.values()];

    expect(unexpected, 'requests that failed before the kill').toEqual([]);
    expect(exit.signal).toBe('SIGKILL');
    expect(acks.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(inFlightAtKill, 'requests in flight when the process was killed').toBeGreaterThan(0);

    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    let committed: number;
    try {
      const userIds = acks.map((a) => a.userId);
      const usersFound = await c.query<{ id: string; email: string }>('select id, email from users where id = any($1::uuid[])', [userIds]);
      expect(new Map(usersFound.rows.map((r) => [r.id, r.email]))).toEqual(new Map(acks.map((a) => [a.userId, a.email])));

      const invitationsFound = await c.query<{ id: string; user_id: string }>('select id, user_id from invitations where id = any($1::uuid[])', [acks.map((a) => a.id)]);
      expect(new Map(invitationsFound.rows.map((r) => [r.id, r.user_id]))).toEqual(new Map(acks.map((a) => [a.id, a.userId])));

      const events = await c.query<{ record_id: string; n: number }>(
        `select record_id, count(*)::int as n from audit_events where action = 'user.invite' and outcome = 'success' and record_id = any($1::text[]) group by record_id`,
        [userIds],
      );
      expect(new Map(events.rows.map((r) => [r.record_id, r.n]))).toEqual(new Map(userIds.map((id) => [id, 1])));

      const mails = await c.query<{ to_address: string; n: number }>('select to_address, count(*)::int as n from mail_outbox where to_address = any($1::text[]) group by to_address', [
        acks.map((a) => a.email),
      ]);
      expect(new Map(mails.rows.map((r) => [r.to_address, r.n]))).toEqual(new Map(acks.map((a) => [a.email, 1])));

      // Nothing half-done either: every invitation of this run that committed, acknowledged or not,
      // has all four rows. (Those that did not commit have none: a user row alone would show here.)
      const all = await c.query<{ email: string; invitations: number; events: number; mails: number }>(
        `select u.email,
                (select count(*)::int from invitations i where i.user_id = u.id) as invitations,
                (select count(*)::int from audit_events e where e.action = 'user.invite' and e.record_id = u.id::text) as events,
                (select count(*)::int from mail_outbox m where m.to_address = u.email) as mails
           from users u where u.email like $1`,
        [`fault-${run}-%`],
      );
      committed = all.rowCount ?? 0;
      expect(all.rows.filter((r) => r.invitations !== 1 || r.events !== 1 || r.mails !== 1)).toEqual([]);
      expect(committed).toBeGreaterThanOrEqual(acks.length);
      expect(committed).toBeLessThanOrEqual(sentBeforeKill);
    } finally {
      await c.end();
    }
    console.log(
      `fault test: ${acks.length} acknowledged, ${committed} committed, ${sentBeforeKill} sent before the kill, ${inFlightAtKill} in flight at SIGKILL (pid ${first.child.pid})`,
    );

    // The chain verifies straight after the crash, before anything repairs anything.
    const afterCrash = await auditVerify(databaseUrl, dataDir);
    expect(afterCrash).toMatchObject({ ok: true, firstBroken: null });

    // The server starts again on the same database and keeps appending to the same chain.
    const second = await startServer(databaseUrl, dataDir);
    expect(second.database).toBe('postgres');
    servers.push(second.child);
    const again = await signIn(second.url, ADMIN);
    const email = `fault-${run}-after@fault.test`;
    const res = await again.post(`/api/v1/organisations/${orgId}/invitations`, { email, name: 'After the crash', roles: ['developer'], clearance: 'UNCLASSIFIED' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    second.child.kill('SIGTERM');
    const stop = await stopped(second.child);
    expect(stop.code, `graceful stop after restart; output:\n${second.output()}`).toBe(0);

    const afterRestart = await auditVerify(databaseUrl, dataDir);
    expect(afterRestart).toMatchObject({ ok: true, firstBroken: null });
    // At least the sign-in and the new invitation were appended after the crash.
    expect(afterRestart.checked).toBeGreaterThanOrEqual(afterCrash.checked + 2);
  }, 240_000);
});
