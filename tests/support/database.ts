import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { cpSync } from 'node:fs';
import { inject } from 'vitest';

/**
 * Each test file gets a database of its own: on PostgreSQL a fresh database on the server named by
 * DATABASE_URL, otherwise a fresh embedded PGlite folder. Files then run in parallel without sharing rows.
 */
export async function freshDatabaseUrl(): Promise<{ url: string | null; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: null, drop: async () => {} };
  const name = `fw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await c.end();
    },
  };
}

/**
 * Copies the migrated embedded cluster the global setup made (initdb takes seconds) into `dir`;
 * false when there is none (PostgreSQL, or no global setup). Read through a plain signature: the
 * type check then does not hinge on vitest's ProvidedContext augmentation being merged (the native
 * tsc once checked this without it, in CI).
 */
export function copyPgliteTemplate(dir: string): boolean {
  const template = (inject as (key: string) => unknown)('pgliteTemplate') as string | null | undefined;
  if (!template) return false;
  cpSync(template, dir, { recursive: true });
  return true;
}
