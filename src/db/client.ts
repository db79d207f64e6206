import { mkdirSync } from 'node:fs';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import * as schema from './schema.ts';
import { fromRoot } from '../lib/paths.ts';

export type Schema = typeof schema;
// PGlite and node-postgres share drizzle's PostgreSQL dialect; code is written against the common
// base so that every query runs unchanged on both.
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema>;
export type DbOrTx = Db | Tx;

export interface SqlRows {
  rows: Record<string, unknown>[];
}

export interface Database {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Raw parameterised SQL ($1, $2 …) for libraries that bring their own queries (pg-boss). */
  executeSql(text: string, values?: unknown[]): Promise<SqlRows>;
  /** LISTEN on a channel (NOTIFY is transactional: a payload arrives only if its transaction committed). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = fromRoot('migrations');

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pg = await import('pg');
    const { drizzle } = await import('drizzle-orm/node-postgres');
    const pool = new pg.default.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {
      /* an idle client lost its connection; the pool replaces it */
    });
    const db = drizzle(pool, { schema }) as unknown as Db;
    const listeners: InstanceType<typeof pg.default.Client>[] = [];
    return {
      kind: 'postgres',
      db,
      async listen(channel, onPayload) {
        if (!/^[a-z_]+$/.test(channel)) throw new Error('bad channel name');
        const client = new pg.default.Client({ connectionString: opts.databaseUrl });
        client.on('error', () => {
          /* a lost listener connection only delays cache invalidation to the cache's time limit */
        });
        await client.connect();
        client.on('notification', (n) => n.channel === channel && onPayload(n.payload ?? ''));
        await client.query(`LISTEN ${channel}`);
        listeners.push(client);
      },
      executeSql: async (text, values) => {
        const r = await pool.query(text, values as unknown[] | undefined);
        return Array.isArray(r) ? { rows: (r.at(-1)?.rows ?? []) as Record<string, unknown>[] } : { rows: r.rows };
      },
      close: async () => {
        await Promise.all(listeners.map((c) => c.end().catch(() => {})));
        await pool.end();
      },
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  // PGlite does not create missing parent folders itself.
  mkdirSync(opts.dataDir, { recursive: true });
  const client = await PGlite.create(opts.dataDir);
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    executeSql: async (text, values) => {
      if (values && values.length > 0) {
        const r = await client.query(text, values);
        return { rows: r.rows as Record<string, unknown>[] };
      }
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
    async listen(channel, onPayload) {
      await client.listen(channel, onPayload);
    },
    close: () => client.close(),
  };
}

export async function migrate(database: Database): Promise<void> {
  if (database.kind === 'postgres') {
    const { migrate: run } = await import('drizzle-orm/node-postgres/migrator');
    await run(database.db as never, { migrationsFolder });
  } else {
    const { migrate: run } = await import('drizzle-orm/pglite/migrator');
    await run(database.db as never, { migrationsFolder });
  }
}

/** Turns pg-style positional SQL into a drizzle SQL object, so a library's query can join a transaction. */
export function positionalSql(text: string, values: unknown[] = []): SQL {
  const parts = text.split(/(\$\d+)/);
  return sql.join(
    // drizzle renders an undefined parameter as nothing at all; SQL wants NULL.
    parts.map((p) => (/^\$\d+$/.test(p) ? sql`${values[Number(p.slice(1)) - 1] ?? null}` : sql.raw(p))),
    sql.raw(''),
  );
}

export async function executeIn(tx: DbOrTx, text: string, values?: unknown[]): Promise<SqlRows> {
  const r = (await tx.execute(positionalSql(text, values))) as unknown as SqlRows | Record<string, unknown>[];
  return Array.isArray(r) ? { rows: r } : { rows: r.rows };
}
