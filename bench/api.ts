/**
 * API throughput benchmark against PostgreSQL: `npx tsx bench/api.ts` (or `npm run bench:api`).
 *
 * Measures, in one run and on one machine:
 *   baseline  a bare Fastify hello-world server in this process;
 *   read      authenticated `GET /api/v1/me` with an API token (Authorization: Bearer);
 *   write     an audited write, `PATCH /api/v1/users/:id` by the organisation administrator
 *             (see bench/README.md for why this write).
 *
 * The load generator is autocannon run as a child process (`node …/autocannon.js --json`), so its
 * CPU is spent on another event loop than the servers'. See bench/README.md for the method.
 *
 * Settings (environment): DATABASE_URL (the PostgreSQL server; a fresh `fw_bench_<random>` database
 * is created on it and dropped at the end), BENCH_SECONDS (measured seconds per scenario, default
 * 10), BENCH_WARMUP_SECONDS (default 2), BENCH_CONNECTIONS (default 50), BENCH_REFERENCE=1 (also
 * measure two reference routes that show where the time goes: Forewarn's full plugin stack with no
 * database or authentication, and one `select 1`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { startForewarn, type Forewarn } from '../src/server/start.ts';
import { autocannon, BASE_URL, createDatabase, dropDatabase, positive } from './lib.ts';

const SECONDS = positive('BENCH_SECONDS', 10);
const WARMUP = positive('BENCH_WARMUP_SECONDS', 2);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
const REFERENCE = process.env.BENCH_REFERENCE === '1';
const GOAL = 0.25;
const ADMIN = 'lab.admin@meridian.demo';
const TARGET = 'lab.engineer@meridian.demo';
const PASSWORD = 'forewarn-demo-2026';

interface Scenario {
  key: 'baseline' | 'stack' | 'ping' | 'read' | 'write';
  label: string;
  url: string;
  method: 'GET' | 'PATCH';
  headers: Record<string, string>;
  body?: string;
}

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function measure(s: Scenario): Promise<Figures> {
  process.stderr.write(`  ${s.label}: warm-up ${WARMUP}s … `);
  const warm = await autocannon({ ...s, connections: CONNECTIONS, seconds: WARMUP });
  // A scenario whose requests fail measures the error path, not the product: stop rather than mislead.
  if (warm['2xx'] === 0 || warm.non2xx > 0) throw new Error(`${s.label}: warm-up got ${warm.non2xx} non-2xx and ${warm['2xx']} 2xx responses`);
  process.stderr.write(`measuring ${SECONDS}s … `);
  const r = await autocannon({ ...s, connections: CONNECTIONS, seconds: SECONDS });
  process.stderr.write(`${Math.round(r.requests.average)} req/s\n`);
  return {
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

async function json(res: Response, what: string, expect: number): Promise<any> {
  const text = await res.text();
  if (res.status !== expect) throw new Error(`${what}: expected ${expect}, got ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

function cookieValue(res: Response, name: string): string {
  const pair = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .find((p) => p.startsWith(`${name}=`));
  if (!pair) throw new Error(`sign-in set no ${name} cookie`);
  return pair.slice(name.length + 1);
}

async function serverVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return String((await c.query('show server_version')).rows[0].server_version);
  } finally {
    await c.end();
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<number> {
  const cpuList = cpus();
  const hardware = {
    cores: cpuList.length,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: '',
    /** Other work on the host skews every figure; the 1-minute load average before the run says how much. */
    loadAverageBefore: Math.round(loadavg()[0] * 100) / 100,
  };
  const database = await createDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  const bare = Fastify({ logger: false });
  bare.get('/', async () => ({ hello: 'world' }));
  let fw: Forewarn | null = null;
  try {
    hardware.postgres = await serverVersion(database.url);
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });
    fw = await startForewarn({
      demo: true,
      temporary: true,
      dataDir,
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      logLevel: 'silent',
      env: { ...process.env, DATABASE_URL: undefined, FOREWARN_MASTER_KEY: undefined, FOREWARN_DEMO_PASSWORD: PASSWORD },
    });
    const api = fw.url;

    // Sign in with a session, then mint an API token with it (cookie + double-submit CSRF header).
    const login = await fetch(`${api}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN, password: PASSWORD }),
    });
    const me = await json(login, 'sign-in', 200);
    const session = cookieValue(login, 'fw_session');
    const csrf = cookieValue(login, 'fw_csrf');
    const created = await json(
      await fetch(`${api}/api/v1/me/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `fw_session=${session}; fw_csrf=${csrf}`, 'x-csrf-token': csrf },
        body: JSON.stringify({ name: 'bench' }),
      }),
      'create API token',
      201,
    );
    const bearer = { authorization: `Bearer ${created.token as string}` };
    const users = await json(await fetch(`${api}/api/v1/organisations/${me.organisation.id as string}/users`, { headers: bearer }), 'list users', 200);
    const target = (users.items as { id: string; email: string }[]).find((u) => u.email === TARGET);
    if (!target) throw new Error(`${TARGET} is not in the demo organisation`);

    const scenarios: Scenario[] = [
      { key: 'baseline', label: 'bare Fastify hello-world', url: `${bareUrl}/`, method: 'GET', headers: {} },
      ...(REFERENCE
        ? ([
            { key: 'stack', label: 'ref: GET /problems/forbidden (no auth, no DB)', url: `${api}/problems/forbidden`, method: 'GET', headers: {} },
            { key: 'ping', label: 'ref: GET /healthz (no auth, select 1)', url: `${api}/healthz`, method: 'GET', headers: {} },
          ] satisfies Scenario[])
        : []),
      { key: 'read', label: 'GET /api/v1/me (API token)', url: `${api}/api/v1/me`, method: 'GET', headers: bearer },
      {
        key: 'write',
        label: 'PATCH /api/v1/users/:id (audited)',
        url: `${api}/api/v1/users/${target.id}`,
        method: 'PATCH',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ compartments: [] }),
      },
    ];

    const auditBefore = Number((await fw.database.executeSql(`select count(*)::int as n from audit_events where action = 'user.update'`)).rows[0].n);
    process.stderr.write(`Benchmarking: ${CONNECTIONS} connections, ${WARMUP}s warm-up + ${SECONDS}s measured per scenario, autocannon in a child process\n`);
    const results: Partial<Record<Scenario['key'], Figures>> = {};
    for (const s of scenarios) results[s.key] = await measure(s);
    // The baseline again at the end: other work on the host moves every figure, and a baseline that
    // differs between the start and the end of the run says the run was disturbed. The higher of the
    // two is what the machine can do, so ratios use it (conservative for the goal).
    const baselineEnd = await measure({ ...scenarios[0], label: `${scenarios[0].label} (again)` });
    const baselineStart = results.baseline!;
    if (baselineEnd.requestsPerSecond > baselineStart.requestsPerSecond) results.baseline = baselineEnd;
    const spread = Math.abs(baselineEnd.requestsPerSecond - baselineStart.requestsPerSecond) / Math.max(baselineEnd.requestsPerSecond, baselineStart.requestsPerSecond);
    const auditAfter = Number((await fw.database.executeSql(`select count(*)::int as n from audit_events where action = 'user.update'`)).rows[0].n);

    const get = (k: Scenario['key']): Figures => results[k]!;
    const base = get('baseline').requestsPerSecond;
    const ratio = (k: Scenario['key']) => (base > 0 ? get(k).requestsPerSecond / base : 0);
    const readRatio = ratio('read');
    const met = readRatio >= GOAL;

    const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'vs bare'];
    const rows = scenarios.map((s) => {
      const r = get(s.key);
      return [s.label, fmt(r.requestsPerSecond), fmt(r.p50Ms), fmt(r.p99Ms), fmt(r.non2xx + r.errors + r.timeouts), `${fmt(ratio(s.key) * 100, 1)}%`];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log('');
    console.log(
      `Forewarn API benchmark — ${hardware.cores} cores (${hardware.cpu}), ${hardware.memoryGiB} GiB, Node ${hardware.node}, PostgreSQL ${hardware.postgres} on the same host; load average before the run ${hardware.loadAverageBefore}`,
    );
    console.log(`${CONNECTIONS} connections, ${WARMUP}s warm-up then ${SECONDS}s measured per scenario; load from autocannon in a child process.`);
    console.log('');
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('');
    console.log(
      `Baseline measured first and last: ${fmt(baselineStart.requestsPerSecond)} and ${fmt(baselineEnd.requestsPerSecond)} req/s; the higher is used` +
        (spread > 0.15 ? ` — they differ by ${fmt(spread * 100)}%: the host was busy, repeat on a quiet machine.` : '.'),
    );
    console.log(`Audited writes recorded during the run: ${fmt(auditAfter - auditBefore)} user.update events (warm-up included).`);
    console.log(`Goal: authenticated read >= ${GOAL * 100}% of bare throughput — ${met ? 'MET' : 'NOT MET'} (${fmt(readRatio * 100, 1)}%).`);
    console.log(
      JSON.stringify({
        bench: 'forewarn-api',
        at: new Date().toISOString(),
        hardware,
        settings: { connections: CONNECTIONS, warmupSeconds: WARMUP, seconds: SECONDS, loadGenerator: 'autocannon child process' },
        results: Object.fromEntries(scenarios.map((s) => [s.key, { ...get(s.key), ratioToBaseline: ratio(s.key) }])),
        baselineRuns: { first: baselineStart.requestsPerSecond, last: baselineEnd.requestsPerSecond, spread },
        auditedWrites: auditAfter - auditBefore,
        goal: { metric: 'read req/s / baseline req/s', threshold: GOAL, value: readRatio, met },
      }),
    );
    return 0;
  } finally {
    await bare.close().catch(() => {});
    if (fw) await fw.close().catch((e: unknown) => console.error(`closing Forewarn: ${(e as Error).message}`));
    await dropDatabase(database.name).catch((e: unknown) => console.error(`dropping ${database.name}: ${(e as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
