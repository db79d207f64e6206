// End-to-end: a developer opens a review window on its covered model, revokes one agency, shortens
// the window and reads the timeline; the agency sees the window it is in; an administrator reads the
// policy page. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { bannerText, CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
const DAY = 86_400_000;

/** A datetime-local value in this machine's time zone (the browser runs on the same machine). */
function local(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

describe.skipIf(!hasChromium)('reviews: the developer’s review window', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let modelId = '';
  const rows = async <T = Record<string, unknown>>(q: string, v?: unknown[]) => (await fw.database.executeSql(q, v)).rows as T[];

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('reviews');
    fw = e2e.fw;
    base = e2e.base;
    // A covered model, as the models and determinations modules would leave it.
    const [lab] = await rows<{ id: string }>("select id from organisations where name = 'Meridian AI'");
    const [dev] = await rows<{ id: string }>("select id from users where email = 'lab.engineer@meridian.demo'");
    const [m] = await rows<{ id: string }>(
      `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop,
         compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, 1, gen_random_uuid(), 'Zephyr', '2.0', 'text', $2, 3e26, 'hardware hours', '-', '-', $3) returning id`,
      [lab.id, new Date(Date.now() + 45 * DAY).toISOString(), dev.id],
    );
    modelId = m.id;
    const kr = fw.services.keyring;
    await rows('update models set intended_deployment_enc = $2, capability_summary_enc = $3 where id = $1', [
      m.id,
      kr.encrypt('Public API', `models.intended_deployment_enc:${m.id}`),
      kr.encrypt('Code and security analysis', `models.capability_summary_enc:${m.id}`),
    ]);
    await rows(
      `insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, expires_at, reevaluation_triggers, decided_at)
       values ($1, 1, $2, gen_random_uuid(), 'covered', 'Covered under the current thresholds.', $3, '{}', now())`,
      [lab.id, m.id, new Date(Date.now() + 180 * DAY).toISOString()],
    );
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('the developer opens a window, revokes one agency and shortens it', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'lab.engineer@meridian.demo' });
    expect(await navLabels(page)).toContain('Review windows');
    await visit(page, base, `/models/${modelId}/window`);
    await expect.poll(() => page.title()).toBe('Review window | Forewarn');
    expect(await page.getByTestId('policy-max').innerText()).toBe('30 days');
    await expectAxeClean(page, 'window page (no window yet)');

    // USWDS checkboxes draw the box on the label; the input itself is visually hidden
    await page.locator('label[for="agency-NSA"]').click();
    await page.locator('label[for="agency-CISA"]').click();
    expect(await page.locator('#agency-NSA').isChecked()).toBe(true);
    await page.getByLabel('Window closes').fill(local(new Date(Date.now() + 20 * DAY)));
    await page.getByRole('button', { name: 'Open review window' }).click();
    await page.getByTestId('current-window').waitFor();
    await settled(page);
    expect(await page.getByTestId('window-status').innerText()).toBe('open');
    expect(await page.getByTestId('grants').innerText()).toContain('National Security Agency');
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'window page (open window)');
    const [w] = await rows<{ id: string; closes_at: Date }>("select id, closes_at from review_windows where model_id = $1 and status = 'open'", [modelId]);
    expect(w).toBeDefined();

    await page.getByRole('button', { name: 'Revoke access for Cybersecurity and Infrastructure Security Agency' }).click();
    await expect.poll(async () => (await rows("select 1 from access_grants where source_id = $1 and revoked_at is not null", [w.id])).length).toBe(1);
    await page.getByTestId('grants').getByText(/^Revoked/).waitFor();

    const shorter = new Date(Date.now() + 10 * DAY);
    await page.getByLabel('New closing time').fill(local(shorter));
    await page.getByRole('button', { name: 'Shorten window' }).click();
    await expect
      .poll(async () => new Date((await rows<{ closes_at: Date }>('select closes_at from review_windows where id = $1', [w.id]))[0].closes_at).getTime())
      .toBeLessThan(new Date(w.closes_at).getTime());
    await page.getByTestId('timeline').getByText('Review window shortened').waitFor();
    await expectAxeClean(page, 'window page (after shortening)');

    // the withdrawal asks for confirmation first
    await page.getByRole('button', { name: 'Withdraw from the framework…' }).click();
    await page.getByRole('button', { name: 'Yes, withdraw' }).waitFor();
    await expectAxeClean(page, 'withdraw confirmation');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await visit(page, base, '/windows');
    expect(await page.getByTestId('windows').innerText()).toContain('Zephyr 2.0');
    await expectAxeClean(page, 'windows list (developer)');
  });

  test('the agency in the window sees it; the administrator reads the policy', async () => {
    const nsa = await browser();
    await signIn(nsa.page, base, { email: 'nsa.analyst@nsa.demo', totpSecret: 'KRSXG5CTMVRXEZLU' });
    await visit(nsa.page, base, '/windows');
    expect(await nsa.page.getByTestId('windows').innerText()).toContain('Zephyr 2.0');
    await expectAxeClean(nsa.page, 'windows list (agency)');
    await nsa.page.getByRole('link', { name: 'Zephyr 2.0' }).click();
    await settled(nsa.page);
    await nsa.page.getByText('Your agency’s access').waitFor();
    expect(await nsa.page.getByRole('button', { name: 'End window now' }).count()).toBe(0);
    await expectAxeClean(nsa.page, 'window page (agency)');

    const admin = await browser();
    await signIn(admin.page, base, { email: 'admin@forewarn.demo', totpSecret: 'JBSWY3DPEHPK3PXP' });
    expect(await navLabels(admin.page)).toContain('Policy');
    await visit(admin.page, base, '/admin/policy');
    expect(await admin.page.getByTestId('current-max-days').innerText()).toBe('30 days');
    await expectAxeClean(admin.page, 'policy page');
  });
});
