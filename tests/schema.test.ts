import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestInstance, type TestInstance } from './support/harness.ts';

let t: TestInstance;
beforeAll(async () => {
  t = await startTestInstance({ demo: false, env: { FOREWARN_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') } });
});
afterAll(async () => t?.close());

// The same migrations must build the same schema on PGlite (PostgreSQL 18) and a PostgreSQL 15
// server: both runs of the suite compare against this one snapshot.
it('creates the same tables, columns and indexes on either database', async () => {
  const columns = await t.rows(
    `select table_name, column_name, data_type, is_nullable, column_default
       from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`,
  );
  const indexes = await t.rows(`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by tablename, indexname`);
  await expect(JSON.stringify({ columns, indexes }, null, 1)).toMatchFileSnapshot('./__snapshots__/schema.json');
});
