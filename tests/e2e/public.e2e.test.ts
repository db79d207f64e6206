// End-to-end: the pages the public reads without an account — the transparency report, published
// funding opportunities, the defensive-tool services catalogue and job postings — render signed out,
// show no sign-in form instead, and pass axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedGrantsDemo } from '../../src/modules/grants/demo.ts';
import { seedWorkforceDemo } from '../../src/modules/workforce/demo.ts';
import { CHROMIUM_PATH, expectAxeClean, launchBrowser, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';
import { startE2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);

describe.skipIf(!hasChromium)('public pages, signed out', () => {
  let e2e: E2eInstance | undefined;
  let base: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    e2e = await startE2eInstance('public');
    base = e2e.base;
    await seedGrantsDemo(e2e.fw.database.db, e2e.fw.services.grants);
    await seedWorkforceDemo(e2e.fw.database.db, e2e.fw.services.workforce);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test.each([
    ['/transparency', /transparency/i],
    ['/funding', /funding/i],
    ['/services', /service/i],
    ['/careers', /posting|position|job/i],
  ])('%s renders for a visitor with no session and passes axe', async (path, heading) => {
    const b = await launchBrowser();
    browsers.push(b);
    await visit(b.page, base, path);
    expect(new URL(b.page.url()).pathname).toBe(path);
    expect(await b.page.locator('main h1').first().innerText()).toMatch(heading);
    expect(await b.page.getByLabel('Password').count()).toBe(0);
    await expectAxeClean(b.page, `${path} signed out`);
    expect(b.pageErrors).toEqual([]);
  });
});
