import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDemo, loadEnv, type Env } from '../config/env.ts';
import { migrate, openDatabase, type Database } from '../db/client.ts';
import { loadKeyring } from '../lib/crypto/keyring.ts';
import { createLogger, type Logger } from '../lib/logger.ts';
import { createQueue, type Queue } from '../modules/jobs/queue.ts';
import { buildApp } from './app.ts';
import { resolveMasterKey } from './master-key.ts';
import { createServices, type Services } from './services.ts';
import type { App } from './types.ts';
import { seedDemo } from '../demo/seed.ts';
import { AUTH_CHANNEL } from '../modules/identity/auth-cache.ts';
import { fromRoot } from '../lib/paths.ts';

export type Role = 'api' | 'worker' | 'all';

export interface StartOptions {
  role?: Role;
  demo?: boolean;
  port?: number;
  host?: string;
  /** The embedded database folder; a fresh temporary folder when omitted and `temporary` is set. */
  dataDir?: string;
  temporary?: boolean;
  databaseUrl?: string | null;
  env?: Record<string, string | undefined>;
  logLevel?: string;
  /** A logger to use instead of one built from LOG_LEVEL (tests capture output with it). */
  logger?: Logger;
  clock?: () => Date;
}

export interface Forewarn {
  url: string;
  app: App | null;
  database: Database;
  /** The embedded database folder (unused on PostgreSQL). */
  dataDir: string;
  services: Services;
  queue: Queue;
  env: Env;
  logger: Logger;
  close(): Promise<void>;
}

export const version: string = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')).version;

export async function openCore(opts: StartOptions, forWorker: boolean) {
  const env = loadEnv({ ...(opts.env ?? process.env), ...(opts.logLevel ? { LOG_LEVEL: opts.logLevel } : {}) });
  const logger = opts.logger ?? createLogger(env.LOG_LEVEL);
  const demo = opts.demo ?? isDemo(env);
  const dataDir = resolve(opts.dataDir ?? (opts.temporary ? mkdtempSync(join(tmpdir(), 'forewarn-')) : env.FOREWARN_DATA_DIR));
  const databaseUrl = opts.databaseUrl === null ? undefined : (opts.databaseUrl ?? env.DATABASE_URL);
  const database = await openDatabase({ databaseUrl, dataDir });
  await migrate(database);
  const master = resolveMasterKey({ fromEnv: env.FOREWARN_MASTER_KEY, demo, dataDir, logger });
  const keyring = await loadKeyring(database.db, master);
  const queue = await createQueue(database, logger, { schedule: forWorker });
  const port = opts.port ?? env.PORT;
  const host = opts.host ?? env.HOST;
  const listening = { url: `http://${host}:${port}` };
  const services = createServices(
    database,
    keyring,
    queue,
    {
      auth: {
        sessionHours: env.FOREWARN_SESSION_HOURS,
        idleMinutes: env.FOREWARN_SESSION_IDLE_MINUTES,
        maxFailures: env.FOREWARN_LOGIN_MAX_FAILURES,
        lockMinutes: env.FOREWARN_LOGIN_LOCK_MINUTES,
      },
      publicUrl: () => env.FOREWARN_PUBLIC_URL ?? listening.url,
      smtpUrl: env.SMTP_URL,
      smtpFrom: env.SMTP_FROM,
      transparencyMinCell: env.FOREWARN_TRANSPARENCY_MIN_CELL,
      allowPrivateWebhooks: env.FOREWARN_WEBHOOK_ALLOW_PRIVATE || demo,
      evalGatewayTransport: env.FOREWARN_EVAL_GATEWAY,
      evalShardSamples: env.FOREWARN_EVAL_SHARD_SAMPLES,
      apiProcesses: env.FOREWARN_API_PROCESSES,
      coordination: {
        embargoLeadDays: env.FOREWARN_EMBARGO_LEAD_DAYS,
        embargoFallbackDays: env.FOREWARN_EMBARGO_FALLBACK_DAYS,
        defaultTimeZone: env.FOREWARN_EMBARGO_TIME_ZONE,
        reminderEveryDays: env.FOREWARN_VENDOR_REMINDER_DAYS,
      },
    },
    opts.clock,
  );
  await queue.register(services.jobs);
  await database.listen(AUTH_CHANNEL, (userId) => services.auth.forgetUser(userId));
  if (demo) await seedDemo(services, database, env.FOREWARN_DEMO_PASSWORD, logger);
  return { env, logger, demo, dataDir, database, keyring, queue, services, port, host, listening };
}

export async function startForewarn(opts: StartOptions = {}): Promise<Forewarn> {
  const role = opts.role ?? 'all';
  const core = await openCore(opts, role !== 'api');
  const { env, logger, database, queue, services } = core;
  if (role !== 'api') {
    await queue.startWorkers();
    for (const task of services.startup) await task();
  }
  let app: App | null = null;
  let url = '';
  if (role !== 'worker') {
    app = await buildApp({ logger, services, databaseKind: database.kind, loginRatePerMinute: env.FOREWARN_LOGIN_RATE_PER_MINUTE, version });
    url = await app.listen({ port: core.port, host: core.host });
    core.listening.url = url;
  }
  let closed = false;
  return {
    url,
    app,
    database,
    dataDir: core.dataDir,
    services,
    queue,
    env,
    logger,
    async close() {
      if (closed) return;
      closed = true;
      // In-flight evaluation shards stop now; the queue hands them to a worker on the next start.
      services.evaluations.abortShards();
      if (app) await app.close();
      await queue.stop();
      await database.close();
    },
  };
}
