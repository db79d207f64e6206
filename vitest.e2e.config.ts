import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server (startForewarn) serving web/dist, driven by the
// system Chromium through playwright-core, with axe-core checking WCAG 2.1 AA on every page.
// Run: npx vitest run --config vitest.e2e.config.ts
// FOREWARN_SKIP_E2E=1 skips them (CI runs them once, on the embedded database, to stay within its
// time budget; the API suite runs on both databases).
const skip = process.env.FOREWARN_SKIP_E2E === '1';

export default defineConfig({
  test: {
    include: skip ? [] : ['tests/e2e/**/*.e2e.test.ts'],
    passWithNoTests: skip,
    environment: 'node',
    globalSetup: skip ? [] : ['tests/support/global-setup.ts', 'tests/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // One file at a time: each starts its own instance and browser, and two at once on two cores
    // took longer in total (measured), besides making timing-sensitive pages flakier.
    fileParallelism: false,
    maxWorkers: 1,
    reporters: ['default'],
  },
});
