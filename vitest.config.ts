import { defineConfig } from 'vitest/config';

// FOREWARN_DB_TESTS_ONLY=1 runs only the tests that touch the database (API, SQL, schema, CLI, logs,
// fault). CI sets it for its PostgreSQL pass: the pure and conformance tests do not depend on the
// database and have already run on the embedded pass.
const dbOnly = process.env.FOREWARN_DB_TESTS_ONLY === '1';
// FOREWARN_TEST_WORKERS: CI runs its PostgreSQL pass on one worker beside the embedded pass, so
// that the two share the machine's two cores instead of fighting over them.
const workers = Number(process.env.FOREWARN_TEST_WORKERS ?? 2);
if (!Number.isInteger(workers) || workers < 1 || workers > 16) throw new Error('FOREWARN_TEST_WORKERS must be an integer from 1 to 16');

export default defineConfig({
  test: {
    include: dbOnly ? ['src/**/*.api.test.ts', 'src/**/*.cli.test.ts', 'src/modules/access/access.sql.test.ts', 'tests/*.test.ts', 'tests/fault/*.test.ts'] : ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: workers,
  },
});
