// The product as a process of its own, for the fault tests: started with `node bin/forewarn.mjs serve
// --demo` directly (so that child.pid is the server itself, and SIGKILL reaches it), on PostgreSQL.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD } from '../support/harness.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output(): string;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  srv.close();
  await once(srv, 'close');
  return port;
}

export function serverEnv(databaseUrl: string, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrl,
    FOREWARN_DATA_DIR: dataDir,
    FOREWARN_DEMO_PASSWORD: DEMO_PASSWORD,
    FOREWARN_MASTER_KEY: undefined,
    LOG_LEVEL: 'warn',
    PORT: undefined,
    HOST: undefined,
  };
}

/** Starts the server and waits until /healthz answers; returns the database kind it reports. */
export async function startServer(databaseUrl: string, dataDir: string): Promise<ServerProcess & { database: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/forewarn.mjs', 'serve', '--demo', '--port', String(port), '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: serverEnv(databaseUrl, dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) {
        const body = (await res.json()) as { database: string };
        return { child, url, output: () => out, database: body.database };
      }
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy within 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopped(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal };
}

/** Kills whatever is still running (a failed test must not leave a server behind). */
export async function killAll(children: readonly ChildProcess[]): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await stopped(child);
    }
  }
}

export interface KillRun<T> {
  /** Acknowledged (201) answers by request number. */
  acks: Map<number, T>;
  /** Failures before the kill (after it, refused or reset connections are expected). */
  unexpected: string[];
  inFlightAtKill: number;
  /** Requests numbered 0 … sentBeforeKill − 1 were started before the kill. */
  sentBeforeKill: number;
  exit: { code: number | null; signal: NodeJS.Signals | null };
}

/**
 * Keeps `concurrency` requests in flight and SIGKILLs the server once `killAfter` have been
 * acknowledged, so that some are mid-transaction when the process dies.
 */
export async function writeUntilKilled<T>(
  server: ServerProcess,
  opts: { concurrency: number; killAfter: number; send: (n: number) => Promise<{ status: number; body: unknown }> },
): Promise<KillRun<T>> {
  const acks = new Map<number, T>();
  const unexpected: string[] = [];
  let next = 0;
  let inFlight = 0;
  let killed = false;
  let inFlightAtKill = -1;
  let sentBeforeKill = 0;
  const kill = () => {
    if (killed) return;
    killed = true;
    inFlightAtKill = inFlight;
    sentBeforeKill = next;
    server.child.kill('SIGKILL');
  };
  async function worker() {
    while (!killed) {
      const n = next++;
      inFlight++;
      try {
        const res = await opts.send(n);
        // A 201 that arrives at all was sent after the commit, even if the process died just after.
        if (res.status === 201) acks.set(n, res.body as T);
        else if (!killed) unexpected.push(`${n}: ${res.status} ${JSON.stringify(res.body)}`);
      } catch (err) {
        // Connection refused or reset: expected once the process is gone.
        if (!killed) unexpected.push(`${n}: ${(err as Error).message}`);
        return;
      } finally {
        inFlight--;
        if (acks.size >= opts.killAfter) kill();
      }
    }
  }
  const workers = Array.from({ length: opts.concurrency }, () => worker());
  const exit = await stopped(server.child);
  await Promise.all(workers);
  return { acks, unexpected, inFlightAtKill, sentBeforeKill, exit };
}
