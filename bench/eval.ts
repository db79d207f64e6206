/**
 * Evaluation-harness benchmark: `npx tsx bench/eval.ts`.
 *
 * 500 multiple-choice samples, run concurrency 16, the reference model server (a child process,
 * `forewarn dev model-server --delay-ms 20`) as the lab's upstream, every request through the
 * gateway with the runner's own key, every result stored (encrypted) as it finishes.
 *
 * Forewarn runs as `npm start` runs it: the compiled server (`dist/server/forewarn.mjs`, built here
 * first) under plain Node with the start script's Node flags, one process with API, gateway, web
 * and worker (`serve`, production mode: the demo organisation set is seeded beforehand by
 * `forewarn seed --demo`). Its CPU and memory are read from /proc for that process alone; this
 * process only drives it (sign-in, suite import, starting runs, polling) and reads the database.
 *
 * Figures: wall time of the run from its first sample to its last (the run's started/finished
 * times; the queue's pick-up delay is start-up, reported apart) against the ideal
 * 500 × 20 ms / 16 = 0.625 s; Forewarn CPU per sample over a round (API, gateway, recording,
 * worker, scoring, database driver, and the process's background work during the round), with the
 * idle background rate for comparison; peak RSS of the Forewarn process over its life (VmHWM) and
 * during the runs. Per round, where the wall time goes: each sample's time
 * (evaluation_results.latency_ms), the gateway's own time for the same requests
 * (gateway_requests.latency_ms: the upstream's 20 ms plus the gateway), and each shard's first and
 * last finished sample.
 *
 * Goals (issue 4): wall ≤ 1.3 × ideal after start-up, ≤ 1 ms CPU per sample, peak RSS ≤ 150 MiB.
 *
 * Settings (environment): DATABASE_URL (PostgreSQL server; a fresh `fw_bench_<random>` database is
 * created on it and dropped at the end), BENCH_SAMPLES (500), BENCH_CONCURRENCY (16), BENCH_DELAY_MS
 * (20), BENCH_ROUNDS (9: the best and the median are printed), BENCH_NODE_FLAGS (overrides the start
 * script's Node flags, e.g. '' for none).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { openDatabase, type Database } from '../src/db/client.ts';
import { newMasterKey, parseMasterKey } from '../src/lib/crypto/envelope.ts';
import { loadKeyring } from '../src/lib/crypto/keyring.ts';
import { cpuMsOfProcess, createDatabase, dropDatabase, positive, session, startModelServerChild } from './lib.ts';

const SAMPLES = positive('BENCH_SAMPLES', 500);
const CONCURRENCY = positive('BENCH_CONCURRENCY', 16);
const DELAY_MS = positive('BENCH_DELAY_MS', 20);
const ROUNDS = positive('BENCH_ROUNDS', 9);
const PASSWORD = 'forewarn-demo-2026';
const UPSTREAM_KEY = 'sk-bench-eval';
const UPSTREAM_MODEL = 'reference-model';

function startUpstream(): Promise<{ url: string; child: ChildProcess }> {
  return startModelServerChild(['--key', UPSTREAM_KEY, '--delay-ms', String(DELAY_MS), '--accuracy', '0.7']);
}


/** Synthetic multiple-choice samples (4 choices, four domains). */
function suiteJsonl(n: number): string {
  const domains = ['network', 'web', 'crypto', 'forensics'];
  const lines = [];
  for (let i = 0; i < n; i++) {
    lines.push(JSON.stringify({ id: `b${i}`, domain: domains[i % 4], question: `Benchmark question ${i}: which option names control number ${i % 7}?`, choices: [`Option ${i}-a`, `Option ${i}-b`, `Option ${i}-c`, `Option ${i}-d`], answer: 'ABCD'[i % 4] }));
  }
  return lines.join('\n');
}

const fmt = (n: number, d = 0) => n.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });

interface Round {
  sampleLatencyMs: { mean: number; p50: number; p99: number };
  /** The gateway's own latency for the run's requests (received → answered), upstream included. */
  gatewayLatencyMs: { mean: number; p50: number };
  shards: { shard: number; firstS: number; lastS: number }[];
  wallS: number;
  pickupS: number;
  endToEndS: number;
  cpuMsPerSample: number;
  errors: number;
  done: number;
}

const ROOT = new URL('..', import.meta.url).pathname;
const DIST = `${ROOT}dist/server/forewarn.mjs`;

/**
 * How `npm start` runs the server (package.json's start script): its environment settings (such as
 * MALLOC_ARENA_MAX) and Node flags. BENCH_NODE_FLAGS replaces the flags (e.g. '' for none).
 */
function startCommand(): { env: Record<string, string>; flags: string[] } {
  const start = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start;
  const words = start.split('&&').at(-1)!.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words.length && /^[A-Z_]+=/.test(words[0])) {
    const [k, v] = words.shift()!.split('=');
    env[k] = v;
  }
  const node = words.shift();
  const flags: string[] = [];
  while (words.length && words[0].startsWith('--')) flags.push(words.shift()!);
  if (node !== 'node' || words[0] !== 'dist/server/forewarn.mjs') throw new Error(`package.json's start script does not run dist/server/forewarn.mjs with node: ${start}`);
  if (process.env.BENCH_NODE_FLAGS !== undefined) return { env, flags: process.env.BENCH_NODE_FLAGS.split(/\s+/).filter(Boolean) };
  return { env, flags };
}

/** The Forewarn process's CPU time in ms; it must be readable for the figures to mean anything. */
function cpuMsOf(pid: number): number {
  const ms = cpuMsOfProcess(pid);
  if (ms === null) throw new Error(`cannot read /proc/${pid}/stat: has Forewarn stopped?`);
  return ms;
}

/** Resident set now and its high-water mark over the process's life, in MiB. */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** SIGTERM, then SIGKILL after 10 s: the server writes its last records as it stops. */
function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Runs the compiled CLI to its end (a seed, say). */
function runCli(args: string[], env: NodeJS.ProcessEnv): void {
  execFileSync(process.execPath, [DIST, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Starts the compiled server and resolves with its URL once it listens. */
function startServer(flags: string[], env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...flags, DIST, 'serve', '--port', '0', '--host', '127.0.0.1'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /is running at (http:\/\/\S+)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`Forewarn exited with ${code}: ${out.slice(-500)}`)));
  });
}

async function main(): Promise<number> {
  const cpuList = cpus();
  const hardware = { cores: cpuList.length, cpu: cpuList[0]?.model.trim() ?? 'unknown', memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10, node: process.version, loadAverageBefore: Math.round(loadavg()[0] * 100) / 100 };
  const { env: startEnv, flags } = startCommand();
  execFileSync(process.execPath, [`${ROOT}scripts/build-server.mjs`], { stdio: 'inherit' });
  const database = await createDatabase();
  let server: { url: string; child: ChildProcess } | null = null;
  let upstream: { url: string; child: ChildProcess } | null = null;
  let db: Database | null = null;
  let rssBeforeRuns = 0;
  let rssTimer: NodeJS.Timeout | undefined;
  let peakRssDuringRuns = 0;
  let idleCpuMsPerS = 0;
  try {
    upstream = await startUpstream();
    const masterKey = newMasterKey();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: database.url, FOREWARN_MASTER_KEY: masterKey, FOREWARN_DEMO_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', ...startEnv };
    runCli(['seed', '--demo'], env);
    server = await startServer(flags, env);
    const pid = server.child.pid!;
    db = await openDatabase({ databaseUrl: database.url, dataDir: '/nonexistent', poolSize: 2 });
    const api = server.url;
    const q = async (text: string, values?: unknown[]) => (await db!.executeSql(text, values)).rows;
    const [lab] = await q(`select id from organisations where name = 'Meridian AI'`);
    const [devUser] = await q(`select id from users where email = 'lab.engineer@meridian.demo'`);
    const [nist] = await q(`select id from organisations where agency_code = 'NIST'`);
    if (!nist) throw new Error('demo NIST organisation not found');
    const [model] = await q(
      `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, 1, gen_random_uuid(), 'Bench Model', '1.0', 'text', $2, 3e26, 'hardware hours', 'x', 'x', $3) returning id`,
      [lab.id, new Date(Date.now() + 45 * 86_400_000).toISOString(), devUser.id],
    );
    const kr = await loadKeyring(db.db, parseMasterKey(masterKey));
    await q('update models set intended_deployment_enc = $2, capability_summary_enc = $3 where id = $1', [model.id, kr.encrypt('bench', `models.intended_deployment_enc:${model.id}`), kr.encrypt('bench', `models.capability_summary_enc:${model.id}`)]);
    await q(
      `insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, expires_at, reevaluation_triggers, decided_at)
       values ($1, 1, $2, gen_random_uuid(), 'covered', 'bench', $3, '{}', now())`,
      [lab.id, model.id, new Date(Date.now() + 180 * 86_400_000).toISOString()],
    );
    const dev = await session(api, 'lab.engineer@meridian.demo', PASSWORD);
    const window = await dev('POST', `/api/v1/models/${model.id as string}/windows`, { agencyOrgIds: [nist.id], closesAt: new Date(Date.now() + 20 * 86_400_000).toISOString() });
    await dev('PUT', `/api/v1/models/${model.id as string}/gateway/endpoint`, { baseUrl: `${upstream.url}/v1`, upstreamModel: UPSTREAM_MODEL, apiKey: UPSTREAM_KEY });
    const grantId = (window.grants as { id: string; granteeOrgId: string }[]).find((g) => g.granteeOrgId === nist.id)!.id;
    // A NIST evaluator (CONFIDENTIAL, no second factor needed) imports and runs.
    const runner = await session(api, 'nist.analyst@nist.demo', PASSWORD);
    const suite = await runner('POST', '/api/v1/evaluations/suites/import', {
      name: 'Bench MC',
      version: '1',
      format: 'jsonl',
      content: suiteJsonl(SAMPLES),
      mapping: { input: 'question', choices: 'choices', target: 'answer', id: 'id', domain: 'domain' },
      solver: { mode: 'multiple-choice' },
      scorer: { kind: 'choice' },
    });
    process.stderr.write(`Benchmarking the evaluation harness: ${SAMPLES} samples, concurrency ${CONCURRENCY}, upstream delay ${DELAY_MS} ms, ${ROUNDS} rounds on PostgreSQL; Forewarn pid ${pid}, environment ${JSON.stringify(startEnv)}, Node flags ${flags.join(' ') || '(none)'}\n`);
    rssBeforeRuns = memoryOf(pid).rss;
    // The process's background CPU when no run is going (queue polling, timers): part of every
    // round's CPU, since a round is measured from its creation to its end.
    const idle0 = cpuMsOf(pid);
    const idleT0 = performance.now();
    await new Promise((res) => setTimeout(res, 3000));
    idleCpuMsPerS = (cpuMsOf(pid) - idle0) / ((performance.now() - idleT0) / 1000);
    // Peak RSS while the runs go (VmHWM covers start-up and migrations too).
    rssTimer = setInterval(() => (peakRssDuringRuns = Math.max(peakRssDuringRuns, memoryOf(pid).rss)), 20);
    rssTimer.unref();
    const rounds: Round[] = [];
    // Round 0 warms up (JIT, connection pools) and is not counted.
    for (let i = 0; i <= ROUNDS; i++) {
      const cpu0 = cpuMsOf(pid);
      const t0 = Date.now();
      const run = await runner('POST', '/api/v1/evaluations/runs', { suiteId: suite.id, grantId, concurrency: CONCURRENCY });
      let r = run;
      while (!['completed', 'failed', 'cancelled', 'stopped'].includes(r.status)) {
        await new Promise((res) => setTimeout(res, 100));
        const [row] = await q('select status from evaluation_runs where id = $1', [run.id]);
        if (['completed', 'failed', 'cancelled', 'stopped'].includes(row.status as string)) r = await runner('GET', `/api/v1/evaluations/runs/${run.id}`);
      }
      const cpuMs = cpuMsOf(pid) - cpu0;
      const t1 = Date.now();
      if (r.status !== 'completed') throw new Error(`run ${r.status}: ${r.statusReason}`);
      const wallS = (Date.parse(r.finishedAt) - Date.parse(r.startedAt)) / 1000;
      // Where the wall time goes: the model's answer per sample (latency_ms, gateway included) and
      // each shard's first and last finished sample, relative to the run's start.
      const [lat] = await q(
        `select avg(latency_ms)::float8 as mean, percentile_cont(0.5) within group (order by latency_ms)::float8 as p50, percentile_cont(0.99) within group (order by latency_ms)::float8 as p99 from evaluation_results where run_id = $1`,
        [run.id],
      );
      // The gateway writes its records within a second of each request.
      await new Promise((res) => setTimeout(res, 1200));
      const [gwLat] = await q(
        `select avg(g.latency_ms)::float8 as mean, percentile_cont(0.5) within group (order by g.latency_ms)::float8 as p50 from gateway_requests g, evaluation_runs r where r.id = $1 and g.at >= r.started_at and g.at <= r.finished_at`,
        [run.id],
      );
      const shards = await q(
        `select s.shard, extract(epoch from min(e.finished_at) - r.started_at)::float8 as first_s, extract(epoch from max(e.finished_at) - r.started_at)::float8 as last_s
           from evaluation_run_shards s join evaluation_runs r on r.id = s.run_id join evaluation_results e on e.run_id = s.run_id and e.position >= s.from_position and e.position < s.to_position
          where s.run_id = $1 group by s.shard, r.started_at order by s.shard`,
        [run.id],
      );
      const round = {
        sampleLatencyMs: { mean: Number(lat.mean), p50: Number(lat.p50), p99: Number(lat.p99) },
        gatewayLatencyMs: { mean: Number(gwLat.mean), p50: Number(gwLat.p50) },
        shards: shards.map((x) => ({ shard: Number(x.shard), firstS: Number(x.first_s), lastS: Number(x.last_s) })),
        wallS, pickupS: (Date.parse(r.startedAt) - Date.parse(r.createdAt)) / 1000, endToEndS: (t1 - t0) / 1000, cpuMsPerSample: cpuMs / SAMPLES, errors: r.progress.errors, done: r.progress.done };
      process.stderr.write(
        `  ${i === 0 ? 'warm-up' : `round ${i}`}: wall ${fmt(round.wallS, 3)} s (pick-up ${fmt(round.pickupS, 2)} s), CPU ${fmt(round.cpuMsPerSample, 3)} ms/sample, ${round.done} done, ${round.errors} errors; ` +
          `sample latency mean ${fmt(round.sampleLatencyMs.mean, 1)} ms (p50 ${fmt(round.sampleLatencyMs.p50, 1)}, p99 ${fmt(round.sampleLatencyMs.p99, 1)}), in the gateway ${fmt(round.gatewayLatencyMs.mean, 1)} (p50 ${fmt(round.gatewayLatencyMs.p50, 1)}); shards ${round.shards.map((x) => `#${x.shard} ${fmt(x.firstS, 2)}–${fmt(x.lastS, 2)} s`).join(', ')}\n`,
      );
      if (i > 0) rounds.push(round);
    }
    const recorded = Number((await q('select count(*)::int as n from gateway_requests'))[0].n);
    const stored = Number((await q('select count(*)::int as n from evaluation_results'))[0].n);
    const ideal = (SAMPLES * DELAY_MS) / 1000 / CONCURRENCY;
    const sorted = [...rounds].sort((a, b) => a.wallS - b.wallS);
    const median = sorted[Math.floor(sorted.length / 2)];
    const best = sorted[0];
    const cpuMedian = [...rounds].sort((a, b) => a.cpuMsPerSample - b.cpuMsPerSample)[Math.floor(rounds.length / 2)].cpuMsPerSample;
    // Peak resident set of the whole process life (start-up, migrations and the runs), from the kernel.
    const maxRssMiB = memoryOf(pid).hwm;
    const wallMet = median.wallS <= 1.3 * ideal;
    const cpuMet = cpuMedian <= 1;
    const rssMet = maxRssMiB <= 150;
    console.log('');
    console.log(`Forewarn evaluation benchmark — ${hardware.cores} cores (${hardware.cpu}), ${hardware.memoryGiB} GiB, Node ${hardware.node}, PostgreSQL on the same host; load average before the run ${hardware.loadAverageBefore}`);
    console.log(`${SAMPLES} multiple-choice samples, concurrency ${CONCURRENCY}, upstream delay ${DELAY_MS} ms, through the gateway (recording on), results stored; ${ROUNDS} measured rounds after a warm-up.`);
    console.log('');
    console.log(`Wall time (first sample to last): median ${fmt(median.wallS, 3)} s, best ${fmt(best.wallS, 3)} s; ideal ${fmt(ideal, 3)} s → ratio ${fmt(median.wallS / ideal, 2)} (best ${fmt(best.wallS / ideal, 2)})`);
    console.log(`Start-up (queue pick-up) median ${fmt(median.pickupS, 2)} s; end to end including pick-up ${fmt(median.endToEndS, 2)} s.`);
    console.log(`Forewarn CPU per sample (API + gateway + recording + worker + scoring): median ${fmt(cpuMedian, 3)} ms`);
    const idleShare = (idleCpuMsPerS * median.endToEndS) / SAMPLES;
    console.log(`  of which the process's idle background (${fmt(idleCpuMsPerS, 1)} ms CPU per second with no run, over a round's ${fmt(median.endToEndS, 2)} s end to end): about ${fmt(idleShare, 3)} ms/sample`);
    console.log(`Peak RSS of the Forewarn process: ${fmt(maxRssMiB, 1)} MiB over its life (start-up, migrations, runs); during the runs ${fmt(peakRssDuringRuns, 1)} MiB; before the runs ${fmt(rssBeforeRuns, 1)} MiB. The compiled server under plain Node (flags: ${flags.join(' ') || 'none'}); the PostgreSQL server's memory is its own.`);
    console.log(`Gateway requests recorded: ${fmt(recorded)}; results stored: ${fmt(stored)}.`);
    console.log(`Goal: wall <= 1.3 x ideal after start-up — ${wallMet ? 'MET' : 'NOT MET'}; CPU <= 1 ms/sample — ${cpuMet ? 'MET' : 'NOT MET'}; peak RSS <= 150 MiB — ${rssMet ? 'MET' : 'NOT MET'}.`);
    console.log(JSON.stringify({ bench: 'forewarn-eval', at: new Date().toISOString(), hardware, settings: { samples: SAMPLES, concurrency: CONCURRENCY, delayMs: DELAY_MS, rounds: ROUNDS, database: 'postgresql', startEnv, nodeFlags: flags }, rounds, idealS: ideal, goals: { wall: { ratio: median.wallS / ideal, met: wallMet }, cpuMsPerSample: { value: cpuMedian, met: cpuMet }, peakRssMiB: { value: maxRssMiB, duringRunsMiB: peakRssDuringRuns, beforeRunsMiB: rssBeforeRuns, met: rssMet } }, idleCpuMsPerSecond: idleCpuMsPerS }));
    return 0;
  } finally {
    clearInterval(rssTimer);
    await db?.close().catch(() => undefined);
    if (server) await stopServer(server.child);
    if (upstream) upstream.child.kill('SIGTERM');
    await dropDatabase(database.name).catch((e: unknown) => console.error(`dropping ${database.name}: ${(e as Error).message}`));
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
