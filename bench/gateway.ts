/**
 * Gateway benchmark against PostgreSQL: `npx tsx bench/gateway.ts`.
 *
 * In one run and on one machine, with request recording on (buffered, encrypted, batch-written):
 *   direct   POST /v1/chat/completions on the reference model server (no delay), with its key;
 *   gateway  POST /gateway/v1/chat/completions on Forewarn with a gateway key, forwarded to the same
 *            server (key, grant, window, model and limit checks, recording);
 * each at 1 and at 50 connections.
 *
 * Layout (printed with the results): three processes and the database server share the machine's
 * cores, none sharing an event loop with another —
 *   this process   Forewarn (API, workers, the gateway and its recorder), started in-process; the
 *                  orchestration here is idle while a scenario runs, so its CPU time is Forewarn's;
 *   child 1        the reference model server (`forewarn dev model-server --delay-ms 0`);
 *   child 2        the load generator (autocannon --json), a fresh one per scenario;
 *   PostgreSQL     the server named by DATABASE_URL, a throwaway database.
 * CPU time per request is printed for Forewarn, for the model server (from /proc) and for autocannon
 * (its own process.cpuUsage() at exit, start-up included), so a figure capped by a starved core or by
 * the load generator shows as such. BENCH_PROFILE=dir writes a V8 CPU profile of Forewarn over
 * each measured gateway scenario (compare profiles relatively: the profiler samples wall time, so a
 * busy machine shows as time in writev/read while the process waits for a core).
 *
 * Goals (issue 4): ≥ 5,000 requests/s through the gateway at 50 connections; ≤ 0.5 ms added at p50
 * with one connection (gateway p50 − direct p50; autocannon reports whole-millisecond percentiles,
 * so the mean difference is printed too).
 *
 * Settings (environment): DATABASE_URL (a fresh `fw_bench_<random>` database is created on it and
 * dropped at the end), BENCH_SECONDS (default 10), BENCH_WARMUP_SECONDS (default 2).
 */
import type { ChildProcess } from 'node:child_process';
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { startForewarn, type Forewarn } from '../src/server/start.ts';
import { autocannon, cpuMsOfProcess, createDatabase, dropDatabase, positive, session, startModelServerChild } from './lib.ts';

const SECONDS = positive('BENCH_SECONDS', 10);
const WARMUP = positive('BENCH_WARMUP_SECONDS', 2);
const PASSWORD = 'forewarn-demo-2026';
const UPSTREAM_KEY = 'sk-bench-upstream';
const UPSTREAM_MODEL = 'reference-model';
const GOAL_RPS = 5000;
const GOAL_ADDED_P50_MS = 0.5;
/**
 * BENCH_GATEWAY_PROCESSES=N (N > 1, default 1): the gateway scenarios go to N extra Forewarn processes
 * (role api, node:cluster sharing one port, the same database and master key) instead of this one;
 * their CPU is added to Forewarn's. Shows what more processes give where one event loop is the limit.
 */
const PROCESSES = Math.floor(positive('BENCH_GATEWAY_PROCESSES', 1));
/** BENCH_PROFILE=dir: a CPU profile of the Forewarn process over each measured gateway scenario. */
const PROFILE_DIR = process.env.BENCH_PROFILE || null;

interface Scenario {
  key: 'direct1' | 'gateway1' | 'direct50' | 'gateway50';
  label: string;
  url: string;
  connections: number;
  headers: Record<string, string>;
  body: string;
}

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  requests: number;
  non2xx: number;
  errors: number;
  /** CPU time of the Forewarn process (this one) per measured request, in microseconds. */
  forewarnCpuUsPerRequest: number;
  forewarnUserUsPerRequest: number;
  forewarnSystemUsPerRequest: number;
  /** CPU time of the model server per measured request (null where /proc is missing). */
  upstreamCpuUsPerRequest: number | null;
  /** CPU time of autocannon per request (its start-up included) and the cores it kept busy. */
  loadGeneratorCpuUsPerRequest: number | null;
  loadGeneratorCores: number | null;
  loadAverageAfter: number;
}

let upstreamPid: number | undefined;
let gatewayWorkerPids: number[] = [];
/** A child's CPU time (user + system) in microseconds, from /proc (Linux). */
function cpuOfPid(pid: number | undefined): number | null {
  const ms = cpuMsOfProcess(pid);
  return ms === null ? null : ms * 1000;
}

async function measure(s: Scenario): Promise<Figures> {
  process.stderr.write(`  ${s.label}: warm-up ${WARMUP}s … `);
  const warm = await autocannon({ ...s, method: 'POST', seconds: WARMUP });
  if (warm['2xx'] === 0 || warm.non2xx > 0) throw new Error(`${s.label}: warm-up got ${warm.non2xx} non-2xx and ${warm['2xx']} 2xx responses`);
  process.stderr.write(`measuring ${SECONDS}s … `);
  const profile = PROFILE_DIR && s.key.startsWith('gateway') ? await startProfile() : null;
  const cpu0 = process.cpuUsage();
  const up0 = cpuOfPid(upstreamPid);
  const workers0 = gatewayWorkerPids.map(cpuOfPid);
  const r = await autocannon({ ...s, method: 'POST', seconds: SECONDS });
  const cpu = process.cpuUsage(cpu0);
  const up1 = cpuOfPid(upstreamPid);
  // Extra gateway processes (BENCH_GATEWAY_PROCESSES): their CPU counts as Forewarn's (as user time; /proc gives both).
  const workersUs = gatewayWorkerPids.reduce((a, pid, i) => a + ((cpuOfPid(pid) ?? 0) - (workers0[i] ?? 0)), 0);
  cpu.user += workersUs;
  if (profile) process.stderr.write(`profile ${await profile(join(PROFILE_DIR!, `${s.key}.cpuprofile`))} … `);
  process.stderr.write(`${Math.round(r.requests.average)} req/s\n`);
  return {
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    meanMs: r.latency.average,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
    forewarnCpuUsPerRequest: r.requests.total > 0 ? (cpu.user + cpu.system) / r.requests.total : 0,
    forewarnUserUsPerRequest: r.requests.total > 0 ? cpu.user / r.requests.total : 0,
    forewarnSystemUsPerRequest: r.requests.total > 0 ? cpu.system / r.requests.total : 0,
    upstreamCpuUsPerRequest: up0 !== null && up1 !== null && r.requests.total > 0 ? (up1 - up0) / r.requests.total : null,
    loadGeneratorCpuUsPerRequest: r.loadGeneratorCpuUs !== undefined && r.requests.total > 0 ? r.loadGeneratorCpuUs / r.requests.total : null,
    loadGeneratorCores: r.loadGeneratorCpuUs !== undefined ? r.loadGeneratorCpuUs / 1e6 / SECONDS : null,
    loadAverageAfter: Math.round(loadavg()[0] * 100) / 100,
  };
}

/** Starts the V8 profiler in this process (Forewarn's); the returned function stops it and writes the profile. */
async function startProfile(): Promise<(file: string) => Promise<string>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    mkdirSync(PROFILE_DIR!, { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };
}

function startUpstream(): Promise<{ url: string; child: ChildProcess }> {
  return startModelServerChild(['--key', UPSTREAM_KEY, '--delay-ms', '0']);
}


function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<number> {
  const cpuList = cpus();
  const hardware = { cores: cpuList.length, cpu: cpuList[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, loadAverageBefore: Math.round(loadavg()[0] * 100) / 100 };
  const database = await createDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'fw-bench-'));
  let fw: Forewarn | null = null;
  let upstream: { url: string; child: ChildProcess } | null = null;
  let workers: Worker[] = [];
  try {
    upstream = await startUpstream();
    upstreamPid = upstream.child.pid;
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
    const q = async (text: string, values?: unknown[]) => (await fw!.database.executeSql(text, values)).rows;

    // A covered model of the demo lab (rows the models and determinations modules would write).
    const [lab] = await q(`select id from organisations where name = 'Meridian AI'`);
    const [devUser] = await q(`select id from users where email = 'lab.engineer@meridian.demo'`);
    const [treasuryOrg] = await q(`select id from organisations where name = 'Department of the Treasury'`);
    const release = new Date(Date.now() + 45 * 86_400_000);
    const [model] = await q(
      `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, 1, gen_random_uuid(), 'Bench Model', '1.0', 'text', $2, 3e26, 'hardware hours', 'x', 'x', $3) returning id`,
      [lab.id, release.toISOString(), devUser.id],
    );
    const kr = fw.services.keyring;
    await q('update models set intended_deployment_enc = $2, capability_summary_enc = $3 where id = $1', [model.id, kr.encrypt('bench', `models.intended_deployment_enc:${model.id}`), kr.encrypt('bench', `models.capability_summary_enc:${model.id}`)]);
    await q(
      `insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, expires_at, reevaluation_triggers, decided_at)
       values ($1, 1, $2, gen_random_uuid(), 'covered', 'bench', $3, '{}', now())`,
      [lab.id, model.id, new Date(Date.now() + 180 * 86_400_000).toISOString()],
    );
    const dev = await session(api, 'lab.engineer@meridian.demo', PASSWORD);
    const window = await dev('POST', `/api/v1/models/${model.id as string}/windows`, { agencyOrgIds: [treasuryOrg.id], closesAt: new Date(Date.now() + 20 * 86_400_000).toISOString() });
    await dev('PUT', `/api/v1/models/${model.id as string}/gateway/endpoint`, { baseUrl: `${upstream.url}/v1`, upstreamModel: UPSTREAM_MODEL, apiKey: UPSTREAM_KEY });
    const test = await dev('POST', `/api/v1/models/${model.id as string}/gateway/endpoint/test`, {});
    if (!test.ok) throw new Error(`endpoint test failed: ${test.detail}`);
    const treasury = await session(api, 'treasury.analyst@treasury.demo', PASSWORD);
    const grantId = (window.grants as { id: string; granteeOrgId: string }[]).find((g) => g.granteeOrgId === treasuryOrg.id)!.id;
    const issued = await treasury('POST', '/api/v1/gateway/keys', { grantId, name: 'bench' });

    let gatewayBase = api;
    if (PROCESSES > 1) {
      const started = await startGatewayWorkers(PROCESSES, { databaseUrl: database.url, dataDir });
      workers = started.workers;
      gatewayWorkerPids = workers.map((w) => w.process.pid!);
      gatewayBase = started.url;
    }
    const prompt = { messages: [{ role: 'user', content: 'Which port does HTTPS use by default?\nA) 21\nB) 80\nC) 443\nD) 8080' }], max_tokens: 4 };
    const direct = (connections: number): Scenario => ({
      key: connections === 1 ? 'direct1' : 'direct50',
      label: `direct to the upstream, ${connections} conn.`,
      url: `${upstream!.url}/v1/chat/completions`,
      connections,
      headers: { authorization: `Bearer ${UPSTREAM_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: UPSTREAM_MODEL, ...prompt }),
    });
    const gateway = (connections: number): Scenario => ({
      key: connections === 1 ? 'gateway1' : 'gateway50',
      label: `through the gateway${PROCESSES > 1 ? ` (${PROCESSES} processes)` : ''}, ${connections} conn.`,
      url: `${gatewayBase}/gateway/v1/chat/completions`,
      connections,
      headers: { authorization: `Bearer ${issued.key as string}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'Bench Model', ...prompt }),
    });
    // BENCH_ONLY=gateway50 (for example) measures one scenario, for profiling.
    const only = process.env.BENCH_ONLY;
    const scenarios = [direct(1), gateway(1), direct(50), gateway(50)].filter((s) => !only || s.key === only);
    process.stderr.write(`Benchmarking the gateway: ${WARMUP}s warm-up + ${SECONDS}s measured per scenario, autocannon and the model server in child processes\n`);
    const recordedBefore = Number((await q('select count(*)::int as n from gateway_requests'))[0].n);
    const results = {} as Record<Scenario['key'], Figures>;
    for (const s of scenarios) results[s.key] = await measure(s);
    await fw.services.gateway.flush();
    // The extra processes write their last records as they stop.
    await stopGatewayWorkers(workers);
    workers = [];
    if (only) {
      console.log(JSON.stringify({ bench: 'forewarn-gateway', only, results }));
      return 0;
    }
    const recorded = Number((await q('select count(*)::int as n from gateway_requests'))[0].n) - recordedBefore;
    const gatewayRequests = results.gateway1.requests + results.gateway50.requests;

    const addedP50 = results.gateway1.p50Ms - results.direct1.p50Ms;
    // With one connection the load is a closed loop: the mean time per request is exactly 1 / rate,
    // measured to the microsecond (autocannon's percentiles are whole milliseconds).
    const perRequest = (r: Figures) => 1000 / r.requestsPerSecond;
    const addedMean = perRequest(results.gateway1) - perRequest(results.direct1);
    const rpsMet = results.gateway50.requestsPerSecond >= GOAL_RPS;
    const latMet = addedP50 <= GOAL_ADDED_P50_MS && addedMean <= GOAL_ADDED_P50_MS;
    const head = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'ms/req (1 conn)', 'Forewarn CPU µs/req (user+sys)', 'model server CPU µs/req', 'autocannon CPU µs/req (cores)', 'load avg after', 'errors'];
    const rows = scenarios.map((s) => {
      const r = results[s.key];
      const fw = s.key.startsWith('gateway') ? `${fmt(r.forewarnCpuUsPerRequest)} (${fmt(r.forewarnUserUsPerRequest)}+${fmt(r.forewarnSystemUsPerRequest)})` : '';
      return [s.label, fmt(r.requestsPerSecond), fmt(r.p50Ms), fmt(r.p99Ms), s.connections === 1 ? fmt(perRequest(r), 3) : '', fw, r.upstreamCpuUsPerRequest === null ? 'n/a' : fmt(r.upstreamCpuUsPerRequest), r.loadGeneratorCpuUsPerRequest === null ? 'n/a' : `${fmt(r.loadGeneratorCpuUsPerRequest)} (${fmt(r.loadGeneratorCores!, 2)})`, fmt(r.loadAverageAfter, 2), fmt(r.non2xx + r.errors)];
    });
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log('');
    console.log(`Forewarn gateway benchmark — ${hardware.cores} cores (${hardware.cpu}), ${hardware.memoryGiB} GiB, Node ${hardware.node}, PostgreSQL on the same host; load average before the run ${hardware.loadAverageBefore}`);
    console.log(`Recording on (encrypted, batched every 500 ms). Reference model server with no delay. ${WARMUP}s warm-up then ${SECONDS}s measured per scenario.`);
    console.log(`Layout: Forewarn in this process (pid ${process.pid})${PROCESSES > 1 ? `, and for the gateway scenarios ${PROCESSES} more Forewarn processes (role api, one shared port)` : ''}; the model server in a child process (pid ${upstreamPid}); autocannon in a child process per scenario; PostgreSQL server on the same host.`);
    console.log('');
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
    console.log('');
    console.log(`Gateway / direct throughput: ${fmt((results.gateway1.requestsPerSecond / results.direct1.requestsPerSecond) * 100, 1)}% at 1 connection, ${fmt((results.gateway50.requestsPerSecond / results.direct50.requestsPerSecond) * 100, 1)}% at 50.`);
    {
      // Where the cores went at 50 connections: a process near 1.00 is capped by its one event loop.
      const g = results.gateway50;
      const cores = (usPerRequest: number | null) => (usPerRequest === null ? 'n/a' : fmt((usPerRequest * g.requests) / 1e6 / SECONDS, 2));
      console.log(`Cores busy through the gateway at 50 connections (of ${hardware.cores}): Forewarn ${cores(g.forewarnCpuUsPerRequest)}, model server ${cores(g.upstreamCpuUsPerRequest)}, autocannon ${g.loadGeneratorCores === null ? 'n/a' : fmt(g.loadGeneratorCores, 2)}; PostgreSQL and other tenants of the machine not counted.`);
    }
    console.log(`Requests recorded during the run: ${fmt(recorded)} (gateway requests measured: ${fmt(gatewayRequests)}, plus warm-up).`);
    console.log(`Goal: >= ${fmt(GOAL_RPS)} req/s through the gateway at 50 connections — ${rpsMet ? 'MET' : 'NOT MET'} (${fmt(results.gateway50.requestsPerSecond)}).`);
    console.log(`Goal: <= ${GOAL_ADDED_P50_MS} ms added at p50 with one connection — ${latMet ? 'MET' : 'NOT MET'} (mean time per request ${fmt(addedMean, 3)} ms more through the gateway; autocannon's whole-millisecond p50 differs by ${fmt(addedP50)} ms).`);
    console.log(
      JSON.stringify({
        bench: 'forewarn-gateway',
        at: new Date().toISOString(),
        hardware,
        settings: { warmupSeconds: WARMUP, seconds: SECONDS, gatewayProcesses: PROCESSES, recording: true, upstreamDelayMs: 0, layout: { forewarn: 'bench process', modelServer: 'child process', loadGenerator: 'autocannon child process per scenario', database: 'PostgreSQL server (DATABASE_URL)' } },
        results,
        recorded,
        goals: {
          gatewayRps50: { threshold: GOAL_RPS, value: results.gateway50.requestsPerSecond, met: rpsMet },
          addedP50Ms1: { threshold: GOAL_ADDED_P50_MS, value: addedP50, addedMeanMs: addedMean, met: latMet },
        },
      }),
    );
    return 0;
  } finally {
    await stopGatewayWorkers(workers);
    if (fw) await fw.close().catch((e: unknown) => console.error(`closing Forewarn: ${(e as Error).message}`));
    if (upstream) upstream.child.kill('SIGTERM');
    await dropDatabase(database.name).catch((e: unknown) => console.error(`dropping ${database.name}: ${(e as Error).message}`));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A free local port, for the processes that share one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Forks `n` Forewarn api processes on one port (node:cluster hands connections out in turn). */
async function startGatewayWorkers(n: number, where: { databaseUrl: string; dataDir: string }): Promise<{ workers: Worker[]; url: string }> {
  const port = await freePort();
  const workers = Array.from({ length: n }, () => cluster.fork({ BENCH_WORKER_DATABASE_URL: where.databaseUrl, BENCH_WORKER_DATA_DIR: where.dataDir, BENCH_WORKER_PORT: String(port) }));
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve, reject) => {
          w.once('message', (m: unknown) => (m === 'ready' ? resolve() : reject(new Error(`gateway process: ${String(m)}`))));
          w.once('exit', (code) => reject(new Error(`gateway process exited with ${code}`)));
        }),
    ),
  );
  return { workers, url: `http://127.0.0.1:${port}` };
}

async function stopGatewayWorkers(workers: Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.isDead()) return resolve();
          w.once('exit', () => resolve());
          w.send('stop');
        }),
    ),
  );
}

/** A gateway process (BENCH_GATEWAY_PROCESSES): Forewarn with the api role on the shared port, the same database and demo master key. */
async function gatewayWorker(): Promise<void> {
  const fw = await startForewarn({
    role: 'api',
    demo: true,
    dataDir: process.env.BENCH_WORKER_DATA_DIR,
    port: Number(process.env.BENCH_WORKER_PORT),
    host: '127.0.0.1',
    databaseUrl: process.env.BENCH_WORKER_DATABASE_URL,
    logLevel: 'silent',
    env: { ...process.env, DATABASE_URL: undefined, FOREWARN_MASTER_KEY: undefined, FOREWARN_DEMO_PASSWORD: PASSWORD },
  });
  process.on('message', (m) => {
    if (m === 'stop') void fw.close().finally(() => process.exit(0));
  });
  process.send!('ready');
}

if (cluster.isWorker) {
  gatewayWorker().catch((err: unknown) => {
    process.send?.(`failed: ${(err as Error).message}`);
    process.exit(1);
  });
} else {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
      process.exit(1);
    },
  );
}
