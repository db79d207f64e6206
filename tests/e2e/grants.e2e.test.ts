// End-to-end: a program officer drafts and publishes a funding opportunity; a tool company applies
// (sections, budget table, attestations) and submits; a reviewer declares no conflict and scores;
// the officer awards; the applicant reads the outcome and comments without reviewer names. An operator
// enrols in a defensive-tool service and the program sees the coverage chart. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { seedGrantsDemo } from '../../src/modules/grants/demo.ts';
import { CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
/** Saving and reloading can take seconds on a loaded machine; the default second is too short. */
const POLL = { timeout: 20_000, interval: 250 };
const DAY = 86_400_000;
const CISA = { email: 'cisa.analyst@cisa.demo', totpSecret: 'MFRGGZDFMZTWQ2LK' };

function localDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

describe.skipIf(!hasChromium)('grants: publish → apply → review → award', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let officer: Browser;
  let applicationUrl = '';

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('grants');
    fw = e2e.fw;
    base = e2e.base;
    await seedGrantsDemo(fw.database.db, fw.services.grants);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('the public JSON routes answer signed out', async () => {
    const r = await fetch(`${base}/api/v1/public/grant-opportunities`);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { items: unknown[] }).items).toHaveLength(1);
    expect((await fetch(`${base}/api/v1/public/services`)).status).toBe(200);
  });

  test('the officer drafts and publishes an opportunity', async () => {
    officer = await browser();
    await signIn(officer.page, base, CISA);
    const { page } = officer;
    expect(await navLabels(page)).toEqual(expect.arrayContaining(['Funding opportunities', 'Manage opportunities', 'Defensive-tool services']));
    await visit(page, base, '/grants/manage');
    await expectAxeClean(page, 'manage opportunities');
    await page.locator('#opp-number').fill('CISA-E2E-2026-01');
    await page.locator('#opp-title').fill('Detecting memory-safety bugs in medical device software');
    await page.locator('#opp-summary').fill('Tools that find memory-safety defects in device firmware.');
    await page.getByLabel('Opens (local time)').fill(`${localDate(new Date(Date.now() - DAY))}T09:00`);
    await page.getByLabel('Closes (local time)').fill(`${localDate(new Date(Date.now() + 30 * DAY))}T17:00`);
    await page.getByRole('button', { name: 'Save draft opportunity' }).click();
    await page.getByRole('button', { name: 'Publish CISA-E2E-2026-01' }).click();
    await expect.poll(async () => page.getByTestId('managed-opportunities').innerText(), POLL).toMatch(/CISA-E2E-2026-01[\s\S]*published/);
    await expectAxeClean(page, 'manage opportunities after publishing');
  });

  let applicant: Browser;
  let reviewer: Browser;

  test('the applicant starts an application and saves a draft', async () => {
    applicant = await browser();
    const { page } = applicant;
    await signIn(page, base, { email: 'grants@lanternlabs.demo' });
    await visit(page, base, '/funding');
    await expectAxeClean(page, 'funding opportunities');
    await page.getByRole('link', { name: /CISA-E2E-2026-01/ }).click();
    await settled(page);
    expect(await page.getByTestId('closes').innerText()).toContain('America/New_York');
    await expectAxeClean(page, 'funding opportunity');
    await page.getByLabel('Project title').fill('Lantern Firmware Sweep');
    await page.getByRole('button', { name: 'Start an application' }).click();
    await page.waitForURL(/\/grants\/applications\//);
    await settled(page);
    applicationUrl = new URL(page.url()).pathname;
    await page.getByLabel('Technical approach').fill('Symbolic execution guided by a code model.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft saved.').waitFor();
    expect(await page.getByTestId('missing').innerText()).toMatch(/Impact on critical infrastructure/);
    await expectAxeClean(page, 'application draft');
  });

  test('the applicant completes the budget and attestations and submits', async () => {
    const { page } = applicant;
    await page.getByLabel('Impact on critical infrastructure').fill('Infusion pumps and patient monitors used by rural hospitals.');
    await page.getByLabel('personnel, year 1').fill('100000');
    await page.getByLabel('personnel, year 2').fill('100000');
    await page.getByLabel('compute, year 1').fill('50000');
    await page.getByLabel('compute, year 2').fill('50000');
    await page.getByLabel('Total requested').fill('300000');
    for (const a of ['us_entity', 'us_ownership', 'not_debarred', 'responsible_disclosure']) await page.locator(`label[for="attest-${a}"]`).click();
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('The application is complete.').waitFor();
    await page.getByRole('button', { name: 'Submit application' }).click();
    await expect.poll(() => page.getByTestId('application-status').innerText(), POLL).toBe('submitted');
    expect(await page.getByText('Automatic eligibility check: eligible').count()).toBe(1);
    await expectAxeClean(page, 'submitted application');
  });

  test('the officer assigns a reviewer', async () => {
    const { page } = officer;
    await visit(page, base, applicationUrl);
    await page.getByLabel('Assign a reviewer (email)').fill('nist.analyst@nist.demo');
    await page.getByRole('button', { name: 'Assign reviewer' }).click();
    await expect.poll(() => page.getByTestId('application-status').innerText(), POLL).toBe('under review');
    await expectAxeClean(page, 'application, officer view');
  });

  test('the reviewer declares no conflict and scores', async () => {
    reviewer = await browser();
    await signIn(reviewer.page, base, { email: 'nist.analyst@nist.demo' });
    await visit(reviewer.page, base, '/grants/reviews');
    await expectAxeClean(reviewer.page, 'review assignments');
    await reviewer.page.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await reviewer.page.getByLabel('Score for Technical merit').waitFor();
    await reviewer.page.getByLabel('Score for Technical merit').selectOption('5');
    await reviewer.page.getByLabel('Comment on Technical merit').fill('A convincing approach with evidence.');
    await reviewer.page.getByLabel('Score for Impact').selectOption('4');
    await reviewer.page.getByLabel('Comment on Impact').fill('Clear benefit to rural hospitals.');
    await reviewer.page.getByRole('button', { name: 'Submit scores' }).click();
    await expect.poll(() => reviewer.page.getByTestId('assignment-status').innerText(), POLL).toBe('scored');
    await expectAxeClean(reviewer.page, 'scored assignment');
  });

  test('the officer awards within the funds', async () => {
    const { page } = officer;
    await visit(page, base, applicationUrl);
    await page.getByLabel('Award amount (USD)').fill('300000');
    await page.getByLabel('Reasons').fill('Ranked first; strong technical merit.');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => page.getByTestId('application-status').innerText(), POLL).toBe('awarded');
  });

  test('the applicant reads the outcome and comments without the reviewer’s name, and the award', async () => {
    const { page } = applicant;
    await visit(page, base, applicationUrl);
    const comments = await page.getByTestId('review-comments').innerText();
    expect(comments).toContain('Reviewer A');
    expect(comments).toContain('A convincing approach with evidence.');
    expect(await page.getByTestId('outcome').innerText()).not.toMatch(/nist|Nia Thompson/i);
    await expectAxeClean(page, 'application outcome');
    await page.getByRole('link', { name: 'Go to the award' }).click();
    await settled(page);
    expect(await page.getByTestId('award-status').innerText()).toBe('active');
    expect(await page.getByTestId('findings-reported').innerText()).toMatch(/0 reported, 0 validated, 0 published/);
    await expectAxeClean(page, 'award page');
  });

  test('a rural hospital enrols in a service and the program sees the coverage chart', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'it@prairiehospital.demo' });
    await visit(page, base, '/services');
    await expectAxeClean(page, 'services catalogue');
    await page.getByRole('button', { name: 'Request enrolment in Managed detection for rural hospitals' }).click();
    await page.getByText('Enrolment requested.').waitFor();

    await visit(officer.page, base, '/services/enrolments');
    await officer.page.getByRole('button', { name: 'Enrol Prairie County Hospital' }).click();
    await expect.poll(() => officer.page.getByTestId('coverage').innerText(), POLL).toMatch(/healthcare\s+1\s+1\s+100%/);
    expect(await officer.page.getByTestId('coverage-chart').getAttribute('role')).toBe('img');
    await expectAxeClean(officer.page, 'enrolments and coverage');
  });
});
