// End-to-end: a candidate builds a profile and applies to a Tech Force posting with a résumé; the
// agency moves the application to offer with internal notes; the candidate sees the status, never
// the notes; the agency's dashboard shows the pipeline. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { seedWorkforceDemo } from '../../src/modules/workforce/demo.ts';
import { CHROMIUM_PATH, expectAxeClean, launchBrowser, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
/** Saving and reloading can take seconds on a loaded machine; the default second is too short. */
const POLL = { timeout: 20_000, interval: 250 };
const NOTE = 'Panel unanimous; check references before the offer';

describe.skipIf(!hasChromium)('hiring pathways: post → apply → move stage → candidate sees status', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('workforce');
    fw = e2e.fw;
    base = e2e.base;
    await seedWorkforceDemo(fw.database.db, fw.services.workforce);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('postings are public JSON signed out', async () => {
    const r = await fetch(`${base}/api/v1/public/job-postings`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  let cand: Browser;
  let agency: Browser;

  test('the candidate builds a profile and applies with a résumé', async () => {
    cand = await browser();
    const page = cand.page;
    await signIn(page, base, { email: 'candidate@forewarn.demo' });
    await visit(page, base, '/careers/applications');
    await page.getByLabel('Headline').fill('Offensive security engineer');
    await page.getByLabel('Skills').fill('fuzzing, LLM red teaming');
    await page.getByLabel('Certifications').fill('OSCP');
    await page.getByLabel('Clearance held').selectOption('secret');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();
    await expectAxeClean(page, 'candidate home');

    await visit(page, base, '/careers');
    await expectAxeClean(page, 'job postings');
    await page.getByRole('link', { name: 'AI Security Engineer (U.S. Tech Force)' }).click();
    await settled(page);
    await page.locator('#resume').setInputFiles({ name: 'resume.txt', mimeType: 'text/plain', buffer: Buffer.from('Casey Jordan\nOSCP\nRed-teamed LLM agents.\n') });
    await expectAxeClean(page, 'job posting');
    await page.getByRole('button', { name: 'Submit application' }).click();
    await page.getByText('Application received.').waitFor();
  });

  test('the agency moves the application to offer with an internal note', async () => {
    agency = await browser();
    await signIn(agency.page, base, { email: 'cisa.analyst@cisa.demo', totpSecret: 'MFRGGZDFMZTWQ2LK' });
    await visit(agency.page, base, '/hiring');
    await expectAxeClean(agency.page, 'hiring home');
    await agency.page.getByRole('link', { name: /AI Security Engineer/ }).click();
    await settled(agency.page);
    await agency.page.getByTestId('applicant').waitFor();
    for (const [to, note] of [
      ['qualified', ''],
      ['referred', ''],
      ['interview', NOTE],
      ['offer', ''],
    ]) {
      await agency.page.getByLabel('Move Casey Jordan to').selectOption(to!);
      if (note) await agency.page.getByLabel('Internal note (never shown to the candidate)').fill(note);
      await agency.page.getByRole('button', { name: 'Move' }).click();
      await expect.poll(() => agency.page.getByTestId('agency-stage').innerText(), POLL).toBe(
        { qualified: 'Meets the qualifications', referred: 'Referred to the hiring manager', interview: 'Interview', offer: 'Tentative offer' }[to!]!,
      );
    }
    expect(await agency.page.getByTestId('applicant').innerText()).toContain(NOTE);
    await expectAxeClean(agency.page, 'applicants');
  });

  test('the dashboard shows the pipeline; the candidate sees the status without the notes', async () => {
    const page = cand.page;
    await visit(agency.page, base, '/hiring/dashboard');
    expect(await agency.page.getByTestId('pipeline').innerText()).toMatch(/offer\s+0\s+0\s+0\s+0\s+1\s+1/);
    await expectAxeClean(agency.page, 'hiring dashboard');

    await visit(page, base, '/careers/applications');
    expect(await page.getByTestId('job-status').innerText()).toBe('Tentative offer');
    expect(await page.locator('main').innerText()).not.toContain(NOTE);
    await expectAxeClean(page, 'candidate status');
  });
});
