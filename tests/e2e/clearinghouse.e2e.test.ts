// End-to-end: a reporter uploads a SARIF file through the form (a second click creates nothing) and
// follows its report; the Treasury analyst finds it in the queue, validates it in the workspace, opens
// a coordination case with a vendor and publishes a TLP:CLEAR advisory; the vendor states its product;
// anyone reads the advisory signed out. One browser; every page visited is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bannerText, CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
const POLL = { timeout: 20_000, interval: 250 };
const TITLE = 'Path traversal in the firmware upload handler';

const sarif = {
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'Lantern Firmware Sweep', rules: [{ id: 'LFS-022', shortDescription: { text: TITLE } }] } },
      results: [
        {
          ruleId: 'LFS-022',
          level: 'error',
          message: { text: 'The upload path is joined to the firmware directory without normalisation.' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'src/upload/handler.c' }, region: { startLine: 88 } } }],
          fingerprints: { 'lfs/v1': 'e2e-path-traversal-0001' },
        },
      ],
    },
  ],
};

describe.skipIf(!hasChromium)('clearinghouse: report → validate → coordinate → publish', () => {
  let e2e: E2eInstance | undefined;
  let base: string;
  let b: Browser;
  let vulnerabilityId = '';

  const reports = async () => Number(((await e2e!.fw.database.executeSql('select count(*)::int as n from clearinghouse_reports')).rows[0] as { n: number }).n);

  beforeAll(async () => {
    e2e = await startE2eInstance('clearinghouse');
    base = e2e.base;
    b = await launchBrowser();
  });

  afterAll(async () => {
    await e2e?.close(b ? [b] : []);
  });

  test('a reporter uploads a SARIF file, a second click creates nothing, and follows the report', async () => {
    const { page } = b;
    await signIn(page, base, { email: 'lab.engineer@meridian.demo' });
    expect(await navLabels(page)).toContain('Report a vulnerability');
    await visit(page, base, '/clearinghouse/report');
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'report a vulnerability');

    const before = await reports();
    await page.getByLabel('Upload a file').setInputFiles({ name: 'sweep.sarif', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(sarif)) });
    await page.getByRole('button', { name: 'Submit the report' }).click();
    const result = page.getByTestId('submit-result');
    await result.waitFor();
    const first = await result.innerText();
    expect(first).toMatch(/\(SARIF\): 1 candidate, 0 merged/);
    expect(await page.getByTestId('submit-candidates').innerText()).toContain('New vulnerability');
    // The same submission again (a retry, a second click) answers with the same report.
    const again = page.waitForResponse((r) => r.url().endsWith('/api/v1/clearinghouse/reports') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Submit the report' }).click();
    expect((await again).status()).toBe(201);
    await expect.poll(async () => (await result.innerText()) === first, POLL).toBe(true);
    expect(await reports()).toBe(before + 1);
    await expectAxeClean(page, 'report submitted');

    await page.getByRole('link', { name: 'Follow this report' }).click();
    await settled(page);
    expect(await page.getByTestId('report-candidates').innerText()).toMatch(new RegExp(`${TITLE}[\\s\\S]*New vulnerability[\\s\\S]*Received`));
    await expectAxeClean(page, 'report page');
    await page.getByRole('link', { name: TITLE }).click();
    await settled(page);
    vulnerabilityId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Where your report stands');
    await expectAxeClean(page, 'vulnerability, reporter view');
  });

  test('the Treasury analyst finds it in the queue and validates it in the workspace', async () => {
    const { page } = b;
    await b.context.clearCookies();
    await signIn(page, base, { email: 'treasury.analyst@treasury.demo' });
    await visit(page, base, '/clearinghouse/queue');
    await page.getByLabel('Status').selectOption('received');
    const row = page.getByTestId(`queue-row-${vulnerabilityId}`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Received[\s\S]*Unassigned/);
    await expectAxeClean(page, 'validation queue');

    await row.getByRole('link', { name: TITLE }).click();
    await settled(page);
    expect(await page.getByTestId('sla').innerText()).toMatch(/^Due /);
    await expectAxeClean(page, 'validation workspace');

    await page.getByRole('button', { name: 'Assign to me' }).click();
    await expect.poll(() => page.getByTestId('validator').innerText(), POLL).toBe('Assigned to you.');
    for (const [to, button] of [
      ['triage', 'Start triage'],
      ['validating', 'Start validating'],
    ] as const) {
      await page.getByLabel('Move to').selectOption(to);
      await page.getByRole('button', { name: button, exact: true }).click();
      await expect.poll(() => page.getByTestId('vulnerability-status').innerText(), POLL).toBe(to === 'triage' ? 'In triage' : 'Being validated');
    }

    await page.getByLabel('CVSS vectors').fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N');
    await page.getByLabel('Weaknesses (CWE)').fill('CWE-22');
    await page.getByLabel('Package (purl without version)').fill('pkg:github/lantern/firmware-uploader');
    await page.getByLabel('Introduced in').fill('1.0.0');
    await page.getByLabel('Version', { exact: true }).fill('1.4.2');
    await page.getByRole('button', { name: 'Add the affected product' }).click();
    await page.getByRole('button', { name: 'Save the assessment' }).click();
    await expect.poll(() => page.getByTestId('cvss').innerText(), POLL).toMatch(/CVSS 3\.1 9\.1 CRITICAL/i);

    await page.getByLabel('Text', { exact: true }).fill('Reproduced with ../../etc/shadow against 1.4.1.');
    await page.getByRole('button', { name: 'Add evidence' }).click();
    await expect.poll(() => page.getByTestId('evidence').innerText(), POLL).toMatch(/proof/);

    await page.getByLabel('Move to').selectOption('validated');
    await page.getByLabel('Reason').fill('Reproduced on the vendor’s 1.4.1 image.');
    await page.getByRole('button', { name: 'Mark validated', exact: true }).click();
    await expect.poll(() => page.getByTestId('vulnerability-status').innerText(), POLL).toBe('Validated');
    expect(await page.getByTestId('history').innerText()).toMatch(/Being validated\s+Validated\s+Reproduced on the vendor’s 1\.4\.1 image\./);
    expect(await page.getByTestId('credits').innerText()).toContain('First report');
    await expectAxeClean(page, 'validated vulnerability');
  });

  test('coordination and publication: a case with the vendor, a statement, a public advisory', async () => {
    const { page } = b;
    await page.getByRole('button', { name: 'Open a coordination case' }).click();
    await page.waitForURL(/\/clearinghouse\/cases\//);
    await settled(page);
    expect(await page.getByTestId('embargo').innerText()).toMatch(/Embargoed until .*\([A-Za-z_]+\/[A-Za-z_]+\)/);
    await page.getByLabel('Add a vendor by hand').selectOption({ label: 'OpenHealth Software (0 products)' });
    await page.getByRole('button', { name: 'Add and notify' }).click();
    await expect.poll(() => page.getByTestId('case-vendors').innerText(), POLL).toContain('OpenHealth Software');
    await page.getByRole('textbox', { name: /^Message/ }).fill('Please confirm whether your uploader bundles this handler.');
    await page.getByRole('button', { name: 'Send the message' }).click();
    await expect.poll(() => page.getByTestId('thread').innerText(), POLL).toContain('Please confirm');
    await expectAxeClean(page, 'coordination case, coordinator view');
    // The only product is the reporter's own open-source uploader, already fixed: nothing to wait for.
    await page.locator('#embargo-reason').fill('Fixed upstream in 1.4.2; no vendor ships it unpatched.');
    await page.getByRole('button', { name: 'End the embargo now' }).click();
    await expect.poll(() => page.getByTestId('embargo').innerText(), POLL).toMatch(/The embargo ended/);
    await visit(page, base, '/clearinghouse/cases');
    await expectAxeClean(page, 'case board');

    await visit(page, base, `/clearinghouse/advisories?vulnerability=${vulnerabilityId}`);
    await expectAxeClean(page, 'publish advisories');
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Summary').fill('A path traversal lets an unauthenticated user write files outside the firmware directory.');
    await page.getByLabel('Description').fill('Upgrade the firmware uploader to 1.4.2.');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await page.waitForURL(/\/advisories\/[0-9a-f-]{36}$/);
    await settled(page);
    await page.getByRole('button', { name: 'Publish the advisory' }).click();
    await expect.poll(() => page.getByTestId('tracking-id').innerText(), POLL).toMatch(/^FWN-\d{4}-\d{4}$/);
    const trackingId = await page.getByTestId('tracking-id').innerText();
    await expectAxeClean(page, 'published advisory, publisher view');

    await b.context.clearCookies();
    await signIn(page, base, { email: 'security@openhealth.demo' });
    await visit(page, base, '/vendor/products');
    await expectAxeClean(page, 'vendor products');
    await visit(page, base, '/vendor/cases');
    await expectAxeClean(page, 'vendor cases');
    await page.getByRole('link', { name: TITLE }).click();
    await settled(page);
    expect(await page.getByTestId('thread').innerText()).toContain('Please confirm');
    await page.getByLabel('Status', { exact: true }).selectOption('not_affected');
    await page.getByLabel('Justification (VEX)').selectOption('component_not_present');
    await page.getByRole('button', { name: 'Save the statement' }).click();
    await expect.poll(() => page.getByTestId('statements').innerText(), POLL).toMatch(/Not affected[\s\S]*component is not present/);
    await expectAxeClean(page, 'coordination case, vendor view');

    await b.context.clearCookies();
    await visit(page, base, '/advisories');
    expect(await bannerText(page, 'top')).toBe('UNCLASSIFIED');
    await expectAxeClean(page, 'public advisories, signed out');
    await page.getByRole('link', { name: trackingId }).click();
    await settled(page);
    expect(await page.getByTestId('advisory-documents').innerText()).toContain('csaf.json');
    await expectAxeClean(page, 'public advisory, signed out');
  });
});
