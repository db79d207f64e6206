import PgBoss from 'pg-boss';
import type { Database, DbOrTx } from '../../db/client.ts';
import { executeIn } from '../../db/client.ts';
import type { Logger } from '../../lib/logger.ts';

// Jobs live in the same PostgreSQL (or PGlite) database as the data. A job is inserted inside the
// transaction that makes it necessary, so it exists if and only if that transaction commits.

export interface JobDefinition<T extends object = object> {
  name: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  handler: (data: T) => Promise<void>;
}

export const DEAD_SUFFIX = '__dead';

export interface Queue {
  send<T extends object>(tx: DbOrTx, name: string, data: T, options?: { startAfter?: Date; singletonKey?: string }): Promise<void>;
  register(defs: JobDefinition<any>[]): Promise<void>;
  startWorkers(): Promise<void>;
  deadLetters(limit?: number): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
  boss: PgBoss;
}

export async function createQueue(database: Database, logger: Logger, opts: { schedule: boolean }): Promise<Queue> {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => database.executeSql(text, values) },
    schema: 'pgboss',
    schedule: opts.schedule,
    supervise: opts.schedule,
  });
  boss.on('error', (err) => logger.error({ err: { message: err.message } }, 'job queue error'));
  await boss.start();
  const defs = new Map<string, JobDefinition<any>>();
  let working = false;

  async function register(list: JobDefinition<any>[]) {
    for (const def of list) {
      defs.set(def.name, def);
      await boss.createQueue(def.name + DEAD_SUFFIX, { name: def.name + DEAD_SUFFIX });
      await boss.createQueue(def.name, {
        name: def.name,
        retryLimit: def.retryLimit ?? 5,
        retryDelay: def.retryDelaySeconds ?? 5,
        retryBackoff: true,
        deadLetter: def.name + DEAD_SUFFIX,
      });
      if (working) await workOn(def);
    }
  }

  async function workOn(def: JobDefinition<any>) {
    await boss.work(def.name, { pollingIntervalSeconds: 1, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) await def.handler(job.data as object);
    });
  }

  return {
    boss,
    register,
    async send(tx, name, data, options) {
      if (!defs.has(name)) throw new Error(`unknown job ${name}`);
      await boss.send(name, data as object, {
        ...(options?.startAfter ? { startAfter: options.startAfter } : {}),
        ...(options?.singletonKey ? { singletonKey: options.singletonKey } : {}),
        db: { executeSql: (text: string, values: unknown[]) => executeIn(tx, text, values) },
      });
    },
    async startWorkers() {
      working = true;
      for (const def of defs.values()) await workOn(def);
    },
    async deadLetters(limit = 200) {
      const r = await database.executeSql(
        `select id, name, data, state, retry_count as "retryCount", created_on as "createdOn", completed_on as "completedOn", output
           from pgboss.job where name like $1 order by created_on desc limit $2`,
        ['%' + DEAD_SUFFIX, limit],
      );
      return r.rows;
    },
    async stop() {
      await boss.stop({ graceful: true, wait: true, timeout: 5000 });
    },
  };
}
