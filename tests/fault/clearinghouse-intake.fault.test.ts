import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeDoc } from '../../src/modules/clearinghouse/clearinghouse.fixtures.ts';
import { freshDatabaseUrl } from '../support/database.ts';
import { killAll, startServer, stopped, writeUntilKilled } from './server-process.ts';
import { signIn, type Client } from '../support/harness.ts';

/**
 * Nothing accepted is lost: a clearinghouse report that got a success answer survives the server
 * being killed with SIGKILL while other submissions are in flight; after a restart every acknowledged
 * report is there exactly once, and a retry with the same Idempotency-Key returns the first answer
 * and creates nothing.
 *
 * Needs PostgreSQL: the embedded database belongs to one process, and the point is a real process
 * dying under a real server.
 */

const REPORTER = 'lab.engineer@meridian.demo';
const REPORTS = '/api/v1/clearinghouse/reports';
/** Acknowledged reports before the kill. */
const KILL_AFTER = 40;
/** Submissions kept in flight all the time, so that some are mid-transaction when the process dies. */
const CONCURRENCY = 12;

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) console.log('fault test needs PostgreSQL (DATABASE_URL)');
const suite = baseUrl ? describe : describe.skip;

interface Answer {
  reportId: string;
  format: string;
  candidates: { index: number; vulnerabilityId: string; merged: boolean }[];
  warnings: string[];
}


suite('SIGKILL during clearinghouse intake (PostgreSQL)', () => {
  const servers: ChildProcess[] = [];
  let dropDatabase: (() => Promise<void>) | null = null;
  let dataDir: string | null = null;

  afterAll(async () => {
    await killAll(servers);
    if (dropDatabase) await dropDatabase();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged report exactly once; a retry with its key returns the first answer', async () => {
    const database = await freshDatabaseUrl();
    dropDatabase = database.drop;
    const databaseUrl = database.url!;
    dataDir = mkdtempSync(join(tmpdir(), 'forewarn-fault-intake-'));

    const run = randomBytes(4).toString('hex');
    const keyOf = (n: number) => `fault-${run}-${n}`;
    const bodyOf = (n: number) => ({ document: nativeDoc(`fault-${run}-${n}`) });
    const submit = (c: Client, n: number) => c.request('POST', REPORTS, bodyOf(n), { 'idempotency-key': keyOf(n) });

    const first = await startServer(databaseUrl, dataDir);
    servers.push(first.child);
    const reporter = await signIn(first.url, REPORTER);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const reportCount = async () => Number((await db.query<{ n: number }>('select count(*)::int as n from clearinghouse_reports')).rows[0].n);
    try {
      const baseline = await reportCount();
      const { acks, unexpected, inFlightAtKill, sentBeforeKill, exit } = await writeUntilKilled<Answer>(first, {
        concurrency: CONCURRENCY,
        killAfter: KILL_AFTER,
        send: (n) => submit(reporter, n),
      });

      expect(unexpected, 'submissions that failed before the kill').toEqual([]);
      expect(exit.signal).toBe('SIGKILL');
      expect(acks.size).toBeGreaterThanOrEqual(KILL_AFTER);
      expect(inFlightAtKill, 'submissions in flight when the process was killed').toBeGreaterThan(0);

      // Every acknowledged report is stored once, with its candidates linked, its key and its audit event.
      const ackIds = [...acks.values()].map((a) => a.reportId);
      const stored = await db.query<{ id: string; links: number; candidate_count: number; events: number }>(
        `select r.id, r.candidate_count,
                (select count(*)::int from clearinghouse_report_links l where l.report_id = r.id) as links,
                (select count(*)::int from audit_events e where e.action = 'clearinghouse_report.submit' and e.outcome = 'success' and e.record_id = r.id::text) as events
           from clearinghouse_reports r where r.id = any($1::uuid[])`,
        [ackIds],
      );
      expect(stored.rows.map((r) => r.id).sort()).toEqual([...ackIds].sort());
      expect(stored.rows.filter((r) => r.links !== r.candidate_count || r.links !== 1 || r.events !== 1)).toEqual([]);

      // Nothing half-done: each committed report of this run has exactly one key row, and no key row lacks a report.
      const keys = await db.query<{ n: number }>('select count(*)::int as n from clearinghouse_idempotency where key like $1', [`fault-${run}-%`]);
      const committed = (await reportCount()) - baseline;
      expect(Number(keys.rows[0].n)).toBe(committed);
      expect(committed).toBeGreaterThanOrEqual(acks.size);
      expect(committed).toBeLessThanOrEqual(sentBeforeKill);
      console.log(`intake fault test: ${acks.size} acknowledged, ${committed} committed, ${sentBeforeKill} sent before the kill, ${inFlightAtKill} in flight at SIGKILL`);

      // After a restart, retrying every submission sent before the kill: the acknowledged ones answer
      // exactly as the first time, and each key ends with exactly one report.
      const second = await startServer(databaseUrl, dataDir);
      servers.push(second.child);
      const again = await signIn(second.url, REPORTER);
      for (let n = 0; n < sentBeforeKill; n++) {
        const res = await submit(again, n);
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        const ack = acks.get(n);
        if (ack) expect(res.body, `retry of acknowledged submission ${n}`).toEqual(ack);
      }
      expect((await reportCount()) - baseline).toBe(sentBeforeKill);
      const keysAfter = await db.query<{ n: number }>('select count(*)::int as n from clearinghouse_idempotency where key like $1', [`fault-${run}-%`]);
      expect(Number(keysAfter.rows[0].n)).toBe(sentBeforeKill);

      second.child.kill('SIGTERM');
      const stop = await stopped(second.child);
      expect(stop.code, `graceful stop after restart; output:\n${second.output()}`).toBe(0);
    } finally {
      await db.end();
    }
  }, 240_000);
});
