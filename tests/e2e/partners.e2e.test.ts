// End-to-end: a partner applies against the published criteria, an agency reviewer vets it criterion
// by criterion, the applicant sees the outcome, oversight reads the consistency report and anyone
// signed in reads the transparency report. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);

describe.skipIf(!hasChromium)('partners: application, vetting, oversight and transparency', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let applicationId = '';
  const rows = async <T = Record<string, unknown>>(q: string, v?: unknown[]) => (await fw.database.executeSql(q, v)).rows as T[];

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('partners');
    fw = e2e.fw;
    base = e2e.base;
    const [nist] = await rows<{ id: string }>("select id from users where email = 'nist.analyst@nist.demo'");
    await rows(
      `insert into partner_criteria_versions (version, criteria, note, published_by) values (2, $1::jsonb, 'Second version (the demo publishes the first)', $2)`,
      [JSON.stringify([
        { key: 'facility_clearance', title: 'Facility clearance', evidenceRequirement: 'A facility clearance letter' },
        { key: 'expertise', title: 'Relevant expertise', evidenceRequirement: 'Engagements in AI security' },
      ]), nist.id],
    );
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('the partner applies and sees its application', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'partner@sentinel.demo' });
    expect(await navLabels(page)).toContain('Trusted partners');
    await visit(page, base, '/partners');
    await page.locator('#answer-facility_clearance').waitFor();
    await expectAxeClean(page, 'partners page with the application form');
    await page.locator('#answer-facility_clearance').fill('We hold a facility clearance.');
    await page.locator('#answer-expertise').fill('Ten years of AI red-teaming.');
    await page.locator('#decl-ownership').fill('Founder-owned');
    await page.locator('#decl-affiliations').fill('None');
    await page.locator('#decl-conflicts').fill('None');
    await page.getByRole('button', { name: 'Submit application' }).click();
    await page.waitForURL(/\/partners\/applications\//);
    await settled(page);
    applicationId = page.url().split('/').pop()!;
    expect(await page.getByTestId('application-status').innerText()).toBe('submitted');
    await expectAxeClean(page, 'application page (applicant)');
    const [row] = await rows<{ status: string }>('select status from partner_applications where id = $1', [applicationId]);
    expect(row.status).toBe('submitted');
  });

  test('an agency reviewer vets it criterion by criterion and decides', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'nist.analyst@nist.demo' });
    await visit(page, base, `/partners/applications/${applicationId}`);
    await page.locator('#finding-note').waitFor();
    await expectAxeClean(page, 'application page (vetting)');
    for (const key of ['facility_clearance', 'expertise']) {
      await page.locator('#finding-key').selectOption(key);
      await page.locator('#finding-note').fill(`Verified ${key}`);
      await page.getByRole('button', { name: 'Record finding' }).click();
      await expect.poll(async () => (await rows('select 1 from partner_vetting_findings where application_id = $1 and criterion_key = $2', [applicationId, key])).length).toBe(1);
    }
    await page.locator('#decision-reasons').fill('Every criterion is met.');
    await page.getByRole('button', { name: 'Decide' }).click();
    await expect.poll(async () => (await rows<{ status: string }>('select status from partner_applications where id = $1', [applicationId]))[0].status).toBe('eligible');
  });

  test('oversight reads the consistency report; the transparency report is readable', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'auditor@forewarn.demo' });
    await visit(page, base, '/partners/consistency');
    await page.getByText('No decision departs from the criteria.').waitFor();
    await expectAxeClean(page, 'consistency report');
    await visit(page, base, '/transparency');
    await page.getByRole('table', { name: 'Trusted partners' }).waitFor();
    expect(await page.getByTestId('partners-applications').innerText()).toBe('suppressed');
    await expectAxeClean(page, 'transparency page');
  });
});
