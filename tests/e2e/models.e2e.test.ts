// End-to-end: a developer registers a model, uploads a disclosure document and shares it with one
// agency; that agency sees the model only once it is shared. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { bannerText, CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);

describe.skipIf(!hasChromium)('models: registration and disclosure package', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let dev: Browser;
  let modelPath = '';

  beforeAll(async () => {
    e2e = await startE2eInstance('models');
    fw = e2e.fw;
    base = e2e.base;
    dev = await launchBrowser();
    browsers.push(dev);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('the developer registers a model', async () => {
    const { page } = dev;
    await signIn(page, base, { email: 'lab.engineer@meridian.demo' });
    expect(await navLabels(page)).toContain('Models');
    await visit(page, base, '/models');
    await expect.poll(() => page.title()).toBe('Models | Forewarn');
    // The demo set registers one Meridian model.
    await expect.poll(() => page.getByTestId('models-table').innerText()).toContain('Meridian Atlas');
    await expectAxeClean(page, 'models');

    await page.getByRole('link', { name: 'Register a model' }).click();
    await settled(page);
    await expectAxeClean(page, 'register a model');
    await page.getByLabel('Name').fill('Aurora');
    await page.getByLabel('Version').fill('1.0');
    await page.getByLabel('Modality').selectOption('multimodal');
    const release = new Date(Date.now() + 60 * 86_400_000);
    await page.getByLabel('Planned public release').fill(release.toISOString().slice(0, 16));
    await page.getByLabel('Training compute (FLOP)').fill('2.5e26');
    await page.getByLabel('How the compute was estimated').fill('6 × parameters × tokens');
    await page.getByLabel('Intended deployment').fill('Private API for vetted vendors');
    await page.getByLabel('Capability summary').fill('Strong at code and security analysis');
    await page.getByRole('button', { name: 'Register model' }).click();
    await page.waitForURL((u) => /^\/models\/[0-9a-f-]{36}$/.test(u.pathname));
    await settled(page);
    modelPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { level: 1, name: 'Aurora 1.0' }).waitFor();
    expect(await page.getByTestId('model-fields').innerText()).toContain('Strong at code and security analysis');
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'model detail');

    await page.getByText('Edit the model’s details').click();
    await page.locator('#edit-capability').fill('Strong at code, security analysis and planning');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByTestId('model-fields').getByText('Strong at code, security analysis and planning').waitFor();
    await expectAxeClean(page, 'model detail, editing');
  });

  test('the developer uploads a document and shares it with one agency', async () => {
    const { page } = dev;
    await visit(page, base, modelPath);
    await page.getByLabel('Kind').selectOption('model_card');
    await page.getByLabel('Title').fill('Model card');
    await page.locator('#doc-file').setInputFiles({ name: 'card.md', mimeType: 'text/markdown', buffer: Buffer.from('# Aurora model card\n') });
    await page.getByLabel('Marking').selectOption('CUI');
    await page.getByRole('button', { name: 'Upload document' }).click();
    await page.getByTestId('upload-done').waitFor();
    const card = page.getByTestId('document-card').first();
    await card.waitFor();
    expect(await card.innerText()).toContain('(CUI//PROPIN) Model card');
    await expectAxeClean(page, 'model detail with a document');

    await card.locator('label', { hasText: '(TREASURY)' }).click();
    expect(await card.getByLabel(/\(TREASURY\)/).isChecked()).toBe(true);
    await card.getByRole('button', { name: /Save sharing/ }).click();
    await card.getByText('Sharing saved').waitFor();
    await expectAxeClean(page, 'model detail after sharing');
    const rows = await fw.database.executeSql("select count(*)::int as n from access_grants where record_type = 'model_document' and revoked_at is null");
    expect((rows.rows[0] as { n: number }).n).toBe(1);
  });

  test('an agency sees the list of models shared with it, without this one until the model is shared', async () => {
    const agency = await launchBrowser();
    browsers.push(agency);
    const { page } = agency;
    await signIn(page, base, { email: 'treasury.analyst@treasury.demo' });
    await visit(page, base, '/models');
    await page.getByRole('heading', { level: 1, name: 'Models shared with us' }).waitFor();
    await page.getByTestId('no-models').waitFor();
    await expectAxeClean(page, 'models shared with us (empty)');
    await visit(page, base, modelPath);
    await page.getByRole('alert').first().waitFor();
    expect(await page.getByRole('alert').first().innerText()).toMatch(/not found/i);

    // Opening a consultation grants the agency the model (consultations module); simulated here.
    const modelId = modelPath.split('/').pop()!;
    const [org] = (await fw.database.executeSql("select id from organisations where agency_code = 'TREASURY'")).rows as { id: string }[];
    await fw.database.executeSql("insert into access_grants (record_type, record_id, grantee_org_id, source_type, source_id) values ('model', $1, $2, 'consultation', gen_random_uuid())", [modelId, org.id]);
    await visit(page, base, '/models');
    await page.getByTestId('models-table').waitFor();
    expect(await page.getByTestId('models-table').innerText()).toContain('Meridian AI');
    await expectAxeClean(page, 'models shared with us');
    await page.getByRole('link', { name: 'Aurora' }).click();
    await page.getByRole('heading', { level: 1, name: 'Aurora 1.0' }).waitFor();
    await settled(page);
    const card = page.getByTestId('document-card');
    expect(await card.count()).toBe(1);
    expect(await card.innerText()).toContain('Model card');
    expect(await page.getByRole('button', { name: /Save sharing|Withdraw/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Add a document' }).count()).toBe(0);
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'shared model (agency)');
  });
});
