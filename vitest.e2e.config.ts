import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: the real server (startForewarn) serving web/dist, driven by the
// system Chromium through playwright-core, with axe-core checking WCAG 2.1 AA on every page.
// Run: npx vitest run --config vitest.e2e.config.ts
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file starts its own instance and browser; two files at a time keep both cores busy while
    // one waits on the page.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
