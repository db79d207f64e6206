// End-to-end: a rural hospital's IT staff add an asset, upload a CycloneDX SBOM and see its
// components and the advisory they match (an OSV record imported by the clearinghouse), then
// acknowledge it on the remediation board; a malformed SBOM shows what is wrong next to the file
// field; the operator profile takes a webhook whose secret is shown once and answers a test event; the
// clearinghouse coordinator sees who the advisory affects and a model's defender head start. Every page
// is checked with axe.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';
import { as } from '../support/harness.ts';
import { seedHeadStart } from './fixtures/inventory-head-start.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
const POLL = { timeout: 20_000, interval: 250 };
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe.skipIf(!hasChromium)('inventory: assets, SBOMs and the operator profile', () => {
  let e2e: E2eInstance | undefined;
  let base: string;
  let hospital: Browser;
  let assetPath = '';

  // The hospital's webhook: a local server, so nothing leaves the machine.
  let hook: Server;
  let hookUrl = '';
  let hookHits = 0;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      hookHits += 1;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/forewarn`;
    e2e = await startE2eInstance('inventory');
    base = e2e.base;
    // Public advisory data the hospital's lodash falls under.
    const treasury = await as(base, 'treasury.analyst@treasury.demo');
    const imported = await treasury.post('/api/v1/matching/osv-import', JSON.parse(readFileSync(fixture('inventory-osv.json'), 'utf8')));
    expect(imported.status).toBe(200);
    hospital = await launchBrowser();
    await signIn(hospital.page, base, { email: 'it@prairiehospital.demo' });
  });

  afterAll(async () => {
    await e2e?.close(hospital ? [hospital] : []);
    await new Promise((resolve) => hook?.close(resolve));
  });

  test('the hospital adds an asset, uploads a CycloneDX SBOM and sees its components', async () => {
    const { page } = hospital;
    expect(await navLabels(page)).toEqual(expect.arrayContaining(['Inventory', 'Remediation', 'Failed deliveries']));
    await visit(page, base, '/inventory');
    await expectAxeClean(page, 'inventory');
    await page.getByLabel('Name').fill('Patient portal');
    await page.getByRole('button', { name: 'Add asset' }).click();
    await page.waitForURL(/\/inventory\/assets\//);
    await settled(page);
    assetPath = new URL(page.url()).pathname;
    await expectAxeClean(page, 'new asset');
    await page.getByLabel('SBOM file').setInputFiles(fixture('inventory-hospital.cdx.json'));
    await page.getByRole('button', { name: 'Upload SBOM' }).click();
    await page.getByTestId('sbom-uploaded').waitFor();
    expect(await page.getByTestId('sbom-uploaded').innerText()).toMatch(/\(CycloneDX 1\.5\): 3 components/);
    await expect.poll(() => page.getByTestId('components').innerText(), POLL).toMatch(/lodash[\s\S]*4\.17\.20/);
    expect(await page.getByTestId('components').innerText()).toContain('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1');
    expect(await page.getByTestId('sbom-history').innerText()).toMatch(/1 \(current\)/);
    // Matching runs in the background; the page asks again by itself, and so can the user.
    await expect
      .poll(async () => {
        if ((await page.getByTestId('matches').count()) === 0) await page.getByRole('button', { name: 'Check for matches again' }).click();
        return (await page.getByTestId('matches').count()) > 0 ? page.getByTestId('matches').innerText() : '';
      }, POLL)
      .toMatch(/GHSA-35jh-r3h4-6jhm[\s\S]*pkg:npm\/lodash@4\.17\.20[\s\S]*4\.17\.21/);

    // Typing a name offers the products public advisories name (the imported lodash one here).
    await page.getByLabel('Package-url (optional)').fill('loda');
    await expect.poll(async () => page.getByTestId('known-products').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toContain('pkg:npm/lodash');
    await page.getByLabel('Package-url (optional)').fill('pkg:npm/left-pad');
    await page.getByLabel('Version (optional)').fill('1.3.0');
    await page.getByRole('button', { name: 'Add component' }).click();
    await page.getByRole('button', { name: 'Remove left-pad 1.3.0' }).waitFor();
    expect(await page.getByTestId('component-count').innerText()).toBe('4');
    await expectAxeClean(page, 'asset with components');
    await page.getByRole('button', { name: 'Remove left-pad 1.3.0' }).click();
    await expect.poll(() => page.getByTestId('component-count').innerText(), POLL).toBe('3');

    await visit(page, base, '/remediation');
    await expectAxeClean(page, 'remediation board');
    await page.getByRole('link', { name: 'GHSA-35jh-r3h4-6jhm' }).click();
    await settled(page);
    expect(await page.getByTestId('remediation-state').innerText()).toBe('notified');
    await expectAxeClean(page, 'remediation record');
    await page.getByLabel('Move the record').selectOption('acknowledge');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByTestId('remediation-state').innerText(), POLL).toBe('acknowledged');
  });

  test('a malformed SBOM shows the problem next to the field and changes nothing', async () => {
    const { page } = hospital;
    await visit(page, base, assetPath);
    await page.getByLabel('SBOM file').setInputFiles(fixture('inventory-malformed.cdx.json'));
    await page.getByRole('button', { name: 'Upload SBOM' }).click();
    await page.locator('#sbom-file-error').waitFor();
    expect(await page.locator('#sbom-file-error').innerText()).toMatch(/does not conform to the CycloneDX 1\.5/);
    expect(await page.getByLabel('SBOM file').getAttribute('aria-describedby')).toContain('sbom-file-error');
    expect(await page.getByTestId('sbom-problems').innerText()).toMatch(/\/components\/0: is missing the required property "name"/);
    expect(await page.getByTestId('component-count').innerText()).toBe('3');
    await expectAxeClean(page, 'asset with a refused SBOM');
  });

  test('the profile takes a webhook (secret shown once, tested); a coordinator sees who is affected and the head start', async () => {
    const { page } = hospital;
    await visit(page, base, '/inventory/profile');
    await expectAxeClean(page, 'operator profile');
    await page.getByLabel('Organisation size').selectOption('small');
    await page.getByLabel('Priority tier').selectOption('1');
    await page.getByLabel('Name of contact 1').fill('Dana Ruiz');
    await page.getByLabel('Email of contact 1').fill('dana.ruiz@prairiehospital.demo');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Profile saved.').waitFor();
    await page.getByLabel('Kind', { exact: true }).selectOption('webhook');
    await page.getByLabel('Webhook URL').fill(hookUrl);
    await page.getByLabel('Most sensitive TLP this webhook may receive').selectOption('AMBER');
    await page.getByRole('button', { name: 'Add channel' }).click();
    await page.getByTestId('webhook-secret').waitFor();
    expect(await page.getByLabel('Webhook signing secret').inputValue()).toMatch(/^fwh_/);
    await expect.poll(() => page.getByTestId('channels').innerText(), POLL).toMatch(/127\.0\.0\.1[\s\S]*TLP:AMBER/);
    await expectAxeClean(page, 'operator profile with a webhook');
    await page.getByRole('button', { name: `Send a test event to ${hookUrl}` }).click();
    await expect.poll(() => page.getByTestId('webhook-test').innerText(), POLL).toMatch(/answered HTTP 204/);
    expect(hookHits).toBeGreaterThan(0);
    await visit(page, base, '/inventory/profile');
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.getByLabel('Name of contact 1').inputValue()).toBe('Dana Ruiz');

    // The same browser, now as the clearinghouse coordinator.
    await hospital.context.clearCookies();
    await signIn(page, base, { email: 'treasury.analyst@treasury.demo' });
    await visit(page, base, '/affected-operators');
    await expectAxeClean(page, 'affected operators');
    await page.getByRole('link', { name: 'GHSA-35jh-r3h4-6jhm' }).click();
    await settled(page);
    await expect.poll(() => page.getByTestId('affected-operators').innerText(), POLL).toMatch(/Prairie County Hospital[\s\S]*acknowledged/);
    await expectAxeClean(page, 'operators affected by an advisory');

    const modelId = await seedHeadStart((q, v) => e2e!.fw.database.executeSql(q, v));
    await visit(page, base, '/head-start');
    await expectAxeClean(page, 'head start list');
    await page.getByRole('link', { name: `Model ${modelId.slice(0, 8)}` }).click();
    await settled(page);
    expect(await page.getByTestId('head-start-share').innerText()).toBe('1 (50%)');
    expect(await page.getByTestId('head-start-sectors').innerText()).toMatch(/banking\s+1\s+0\s+0%[\s\S]*healthcare\s+1\s+1\s+100%/);
    expect(await page.getByTestId('head-start-unpatched').innerText()).toContain('Heartland Community Bank');
    expect(await page.getByTestId('sector-chart').getAttribute('role')).toBe('img');
    expect(await page.getByTestId('series-chart').getAttribute('role')).toBe('img');
    await expectAxeClean(page, 'head start of a model');
  });
});
