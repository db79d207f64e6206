import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate, openDatabase } from '../../src/db/client.ts';

/** What the workers read with inject('pgliteTemplate'): the template folder, or null on PostgreSQL. */
function provideTemplate(project: TestProject, dir: string | null): void {
  (project.provide as (key: string, value: unknown) => void)('pgliteTemplate', dir);
}

/**
 * Creating an embedded PostgreSQL cluster (initdb) takes seconds; doing it once and copying the
 * folder for each test file keeps the suite fast. Each copy still runs the migrations on open.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    provideTemplate(project, null);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'forewarn-template-'));
  const db = await openDatabase({ dataDir: dir });
  await migrate(db);
  await db.close();
  provideTemplate(project, dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
