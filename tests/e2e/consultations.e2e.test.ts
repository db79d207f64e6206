// Risk consultation in the browser: the developer opens one on its model, NSA (with TOTP) takes it,
// replies, writes an internal note and answers; the developer sees the reply and the answer, never the
// note. Both sides' pages pass axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { bannerText, CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
const DEV = { email: 'lab.engineer@meridian.demo' };
const NSA = { email: 'nsa.analyst@nsa.demo', totpSecret: 'KRSXG5CTMVRXEZLU' };

describe.skipIf(!hasChromium)('risk consultation in the web UI', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  let modelId: string;
  let consultationId: string;
  const browsers: Browser[] = [];
  let dev: Browser;
  let nsa: Browser;

  beforeAll(async () => {
    e2e = await startE2eInstance('consultations');
    fw = e2e.fw;
    base = e2e.base;
    // A model as the models module registers it (this suite is about consultations).
    const org = (await fw.database.executeSql("select id from organisations where name = 'Meridian AI'")).rows[0] as { id: string };
    const user = (await fw.database.executeSql("select id from users where email = 'lab.engineer@meridian.demo'")).rows[0] as { id: string };
    modelId = crypto.randomUUID();
    await fw.database.executeSql(
      `insert into models (id, owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, $2, 1, $1, 'Meridian Atlas', '2.0', 'text', now() + interval '45 days', 3e25, 'reported', 'x', 'x', $3)`,
      [modelId, org.id, user.id],
    );
    dev = await launchBrowser();
    nsa = await launchBrowser();
    browsers.push(dev, nsa);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('the developer opens a consultation on its model', async () => {
    const { page } = dev;
    await signIn(page, base, DEV);
    expect(await navLabels(page)).not.toContain('Consultations');
    await visit(page, base, `/models/${modelId}/consultations`);
    await expectAxeClean(page, 'developer consultation page (empty)');
    await page.locator('#open-question').fill('Is Meridian Atlas 2.0 covered, and would it benefit from review?');
    await page.getByRole('button', { name: 'Open consultation' }).click();
    await expect.poll(() => page.getByTestId('consultation-status').innerText()).toBe('Open');
    await settled(page);
    expect(await bannerText(page, 'top')).toBe('CUI');
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Our evaluation results are attached to the disclosure package.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(1);
    await expectAxeClean(page, 'developer consultation page (open)');
    const rows = (await fw.database.executeSql('select id from consultations where model_id = $1', [modelId])).rows as { id: string }[];
    expect(rows.length).toBe(1);
    consultationId = rows[0].id;
  });

  test('NSA finds it in the queue, takes it, replies, writes an internal SECRET note and answers', async () => {
    const { page } = nsa;
    await signIn(page, base, NSA);
    expect(await navLabels(page)).toContain('Consultations');
    await visit(page, base, '/consultations');
    await page.getByRole('link', { name: /Meridian Atlas 2.0/ }).waitFor();
    await expectAxeClean(page, 'agency queue');
    await page.getByRole('link', { name: /Meridian Atlas 2.0/ }).click();
    await settled(page);
    await page.getByRole('button', { name: 'Take into review' }).click();
    await expect.poll(() => page.getByTestId('consultation-status').innerText()).toBe('In review');

    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Thank you. Could you share the cyber evaluation details?');
    await page.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => page.getByTestId('message').count()).toBe(2);

    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Benchmark-note: scores near the SECRET threshold.');
    await page.locator('label', { hasText: 'Internal note (agencies only)' }).click();
    expect(await page.getByRole('checkbox', { name: /Internal note/ }).isChecked()).toBe(true);
    await page.getByRole('combobox', { name: /Marking/ }).selectOption('SECRET');
    await page.getByRole('button', { name: 'Add internal note' }).click();
    await expect.poll(() => page.getByTestId('internal-message').count()).toBe(1);
    await expect.poll(() => bannerText(page, 'top')).toBe('SECRET');
    await expectAxeClean(page, 'agency case page');

    await page.getByRole('combobox', { name: /Recommendation/ }).selectOption('would_benefit');
    await page.locator('#answer-message').fill('We recommend a short pre-release review window.');
    await page.getByRole('button', { name: 'Record answer' }).click();
    await expect.poll(() => page.getByTestId('consultation-status').innerText()).toBe('Answered');
    await settled(page);
    await expectAxeClean(page, 'agency case page (answered)');
  });

  test('the developer reads the reply and the answer, and no trace of the internal note', async () => {
    const { page } = dev;
    await visit(page, base, `/models/${modelId}/consultations`);
    await expect.poll(() => page.getByTestId('consultation-status').innerText()).toBe('Answered');
    await expect.poll(() => page.getByTestId('message').count()).toBe(3);
    expect(await page.getByTestId('internal-message').count()).toBe(0);
    const text = await page.locator('main').innerText();
    expect(text).toContain('We recommend a short pre-release review window.');
    expect(text).toContain('Would benefit from a review window');
    expect(text).not.toContain('Benchmark-note');
    expect(text).not.toContain('SECRET');
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'developer consultation page (answered)');
    // The developer cannot reach the agency pages.
    await visit(page, base, `/consultations/${consultationId}`);
    expect(await page.locator('main').innerText()).not.toContain('Benchmark-note');
  });
});
