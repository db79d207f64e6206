// What every benchmark here shares: settings from the environment, a load generator in a child
// process (so it does not compete with the server's event loop), and a throwaway database.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** CPU time (user + system, all threads) of a process on this machine, in ms, from /proc (clock ticks); null when it cannot be read. */
export function cpuMsOfProcess(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

export function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

/** The subset of autocannon's --json result the benchmarks use. */
export interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  '2xx': number;
  /** CPU time of the autocannon process itself (user + system, µs), so a load generator at its limit shows. */
  loadGeneratorCpuUs?: number;
}

/** Makes the autocannon child print its own CPU time as it exits (stderr), read back by autocannon(). */
const CPU_PROBE = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\nLOADGEN_CPU_US '+(u.user+u.system)+'\\n')})`;

export interface Load {
  url: string;
  method: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  body?: string;
}

/** Runs autocannon in a child process and returns its parsed JSON result. */
export function autocannon(load: Load): Promise<AutocannonJson> {
  const args = ['--import', CPU_PROBE, AUTOCANNON, '--json', '--no-progress', '-c', String(load.connections), '-d', String(load.seconds), '-m', load.method];
  for (const [k, v] of Object.entries(load.headers)) args.push('-H', `${k}=${v}`);
  if (load.body !== undefined) args.push('-b', load.body);
  args.push(load.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').filter(Boolean).at(-1);
      if (code !== 0 || !line) return reject(new Error(`autocannon exited with ${code}: ${err.replace(/LOADGEN_CPU_US \d+/, '').trim() || out.trim()}`));
      try {
        const result = JSON.parse(line) as AutocannonJson;
        const cpu = /LOADGEN_CPU_US (\d+)/.exec(err);
        if (cpu) result.loadGeneratorCpuUs = Number(cpu[1]);
        resolve(result);
      } catch {
        reject(new Error(`autocannon printed no JSON: ${line.slice(0, 300)}`));
      }
    });
  });
}

/** A fresh database on the server named by DATABASE_URL, so a run touches nothing else there. */
export async function createDatabase(): Promise<{ name: string; url: string }> {
  const name = `fw_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

const FOREWARN_CLI = fileURLToPath(new URL('../bin/forewarn.mjs', import.meta.url));

/** Starts `forewarn dev model-server` in a child process (its own core) and returns its URL. */
export function startModelServerChild(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [FOREWARN_CLI, 'dev', 'model-server', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /at (http:\/\/[^\s/]+)\/v1/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.stderr!.on('data', (d: Buffer) => process.stderr.write(d));
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`model server exited with ${code}`)));
  });
}

/** A signed-in browser-like session (cookie + CSRF header); the returned function throws on any status ≥ 300. */
export async function session(api: string, email: string, password: string) {
  const r = await fetch(`${api}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (r.status !== 200) throw new Error(`sign-in ${email}: ${r.status} ${await r.text()}`);
  const pairs = r.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = pairs.find((p) => p.startsWith('fw_csrf='))!.slice('fw_csrf='.length);
  const cookie = pairs.join('; ');
  return async (method: string, path: string, body?: unknown) => {
    const res = await fetch(api + path, { method, headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };
}
