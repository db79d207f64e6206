import { defineConfig } from 'vitest/config';

// FOREWARN_DB_TESTS_ONLY=1 runs only the tests that touch the database (API, SQL, schema, CLI, logs,
// fault). CI sets it for its PostgreSQL pass: the pure and conformance tests do not depend on the
// database and have already run on the embedded pass.
const dbOnly = process.env.FOREWARN_DB_TESTS_ONLY === '1';

export default defineConfig({
  test: {
    include: dbOnly ? ['src/**/*.api.test.ts', 'src/modules/access/access.sql.test.ts', 'tests/*.test.ts', 'tests/fault/*.test.ts'] : ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
