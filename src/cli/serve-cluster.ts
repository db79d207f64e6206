// `forewarn serve --processes N`: one machine's cores for one deployment on PostgreSQL. The primary
// forks a worker-role process (it migrates and, in demo mode, seeds first) and then N api-role
// processes sharing one port (node:cluster hands connections out in turn), restarts any that dies,
// and stops them all on SIGINT/SIGTERM. Each api process serves the gateway; its per-grant rate
// limit is 1/N of the grant's (FOREWARN_API_PROCESSES), so the grant's total holds.
import cluster, { type Worker } from 'node:cluster';

export const CLUSTER_ROLE_ENV = 'FOREWARN_CLUSTER_ROLE';

/** In a forked process: the role the primary gave it (undefined outside cluster mode). */
export function clusterRole(): 'api' | 'worker' | undefined {
  const role = cluster.isWorker ? process.env[CLUSTER_ROLE_ENV] : undefined;
  return role === 'api' || role === 'worker' ? role : undefined;
}

/** Tells the primary that this process is serving. */
export function reportReady(): void {
  if (cluster.isWorker) process.send?.('ready');
}

function ready(w: Worker, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the ${what} process exited (${code}) before it was ready`));
    w.once('exit', onExit);
    w.once('message', (m: unknown) => {
      if (m === 'ready') {
        w.off('exit', onExit);
        resolve();
      }
    });
  });
}

export async function serveCluster(apiProcesses: number, log: (line: string) => void): Promise<number> {
  let stopping = false;
  const env = { FOREWARN_API_PROCESSES: String(apiProcesses) };
  const fork = (role: 'api' | 'worker'): Worker => {
    const w = cluster.fork({ ...env, [CLUSTER_ROLE_ENV]: role });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      log(`forewarn: a ${role} process stopped (${signal ?? code}); starting another`);
      setTimeout(() => {
        if (!stopping) fork(role);
      }, 1000);
    });
    return w;
  };
  // The worker process first: it applies migrations (and seeds the demo) before anyone serves.
  await ready(fork('worker'), 'worker');
  const apis = Array.from({ length: apiProcesses }, () => fork('api'));
  await Promise.all(apis.map((w) => ready(w, 'api')));
  log(`forewarn: ${apiProcesses} api processes and a worker are serving (primary pid ${process.pid})`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  stopping = true;
  const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && !w.isDead());
  await Promise.all(
    alive.map(
      (w) =>
        new Promise<void>((resolve) => {
          const force = setTimeout(() => w.kill('SIGKILL'), 15_000);
          w.once('exit', () => {
            clearTimeout(force);
            resolve();
          });
          w.process.kill('SIGTERM');
        }),
    ),
  );
  return 0;
}
