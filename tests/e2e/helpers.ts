// Helpers for the browser end-to-end tests: Chromium, axe, TOTP codes, sign-in.
import { base32Decode, hotp } from '../../src/modules/identity/totp.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startForewarn, type Forewarn } from '../../src/server/start.ts';
import { copyPgliteTemplate, freshDatabaseUrl } from '../support/database.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const DEMO_PASSWORD = process.env.FOREWARN_DEMO_PASSWORD ?? 'forewarn-demo-2026';
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// ---------------------------------------------------------------------------------------------
// TOTP codes, from the product's RFC 6238 implementation (tested against the RFC's vectors)

export { base32Decode, totp } from '../../src/modules/identity/totp.ts';

export function totpAtStep(secretBase32: string, step: number): string {
  return hotp(base32Decode(secretBase32), step);
}

const lastStepUsed = new Map<string, number>();

/**
 * A code the server has not seen yet. The server refuses a step at or before the last one used
 * (replay protection) but accepts one step of clock drift either way, so this uses the current
 * step, else the next one, else waits for a fresh step.
 */
export async function freshTotp(secretBase32: string): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 30_000);
    const last = lastStepUsed.get(secretBase32) ?? -1;
    const step = [now, now + 1].find((s) => s > last);
    if (step !== undefined) {
      lastStepUsed.set(secretBase32, step);
      return totpAtStep(secretBase32, step);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

// ---------------------------------------------------------------------------------------------
// Browser

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught page errors and Content-Security-Policy refusals seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'forewarn-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // A Content-Security-Policy refusal means something the UI needs did not load.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) pageErrors.push(msg.text());
  });
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the page's main heading is shown and nothing is loading. */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ state: 'visible' });
  await page.waitForFunction(() => !document.querySelector('.fw-loading'), undefined, { timeout: 15_000 });
}

export async function visit(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(new URL(path, baseUrl).toString());
  await settled(page);
}

/** Runs axe (WCAG 2.0/2.1 A and AA) and fails with a readable list of violations. */
export async function expectAxeClean(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  if (results.violations.length > 0) {
    const lines = results.violations.flatMap((v) => [
      `  [${v.impact ?? 'n/a'}] ${v.id}: ${v.help} (${v.helpUrl})`,
      ...v.nodes.slice(0, 5).map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`),
    ]);
    console.error(`axe violations on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${label}`,
  ).toEqual([]);
}

export interface Credentials {
  email: string;
  password?: string;
  totpSecret?: string;
}

/** Signs in through the sign-in form and waits for the dashboard. */
export async function signIn(page: Page, baseUrl: string, who: Credentials): Promise<void> {
  await visit(page, baseUrl, '/sign-in');
  await page.locator('#email').fill(who.email);
  await page.locator('#password').fill(who.password ?? DEMO_PASSWORD);
  if (who.totpSecret) await page.locator('#totp').fill(await freshTotp(who.totpSecret));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
  await page.getByRole('navigation', { name: 'Primary navigation' }).waitFor({ state: 'attached' });
  await settled(page);
}

/** Labels of the primary navigation links. */
export async function navLabels(page: Page): Promise<string[]> {
  const nav = page.getByRole('navigation', { name: 'Primary navigation' });
  await nav.waitFor({ state: 'attached' });
  return (await nav.getByRole('link').allInnerTexts()).map((t) => t.trim());
}

/** The marking a classification banner shows, e.g. "UNCLASSIFIED" or "SECRET//BENCH". */
export async function bannerText(page: Page, position: 'top' | 'bottom'): Promise<string> {
  const banner = page.getByTestId(`classification-banner-${position}`);
  const marking = (await banner.getAttribute('data-marking')) ?? '';
  expect(await banner.innerText()).toContain(marking);
  return marking;
}

// ---------------------------------------------------------------------------------------------
// A Forewarn instance for one browser suite

export interface E2eInstance {
  fw: Forewarn;
  base: string;
  /** Checks that no tracked page threw or was refused by the CSP, then closes everything. */
  close(browsers: Browser[]): Promise<void>;
}

/**
 * Starts the demo product on a fresh embedded folder, or on a database of its own when DATABASE_URL
 * names a PostgreSQL server, like every API test file.
 */
export async function startE2eInstance(label: string): Promise<E2eInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), `forewarn-e2e-${label}-`));
  const database = await freshDatabaseUrl();
  if (!database.url) copyPgliteTemplate(dataDir);
  const fw = await startForewarn({ demo: true, port: 0, host: '127.0.0.1', dataDir, databaseUrl: database.url, logLevel: 'warn' });
  return {
    fw,
    base: fw.url,
    async close(browsers) {
      for (const b of browsers) {
        expect(b.pageErrors, 'uncaught errors in the page').toEqual([]);
        await b.close().catch(() => undefined);
      }
      await fw.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
