// End-to-end: NSA prepares a determination under the adopted threshold version in the workspace,
// ONCD and CISA sign off, NSA decides; the developer's determination page shows the outcome and no
// trace of the benchmark. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { seedDeterminationsDemo } from '../../src/modules/determinations/demo.ts';
import { bannerText, CHROMIUM_PATH, DEMO_PASSWORD, expectAxeClean, freshTotp, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);

const NSA = { email: 'nsa.analyst@nsa.demo', totpSecret: 'KRSXG5CTMVRXEZLU' };
const CISA = { email: 'cisa.analyst@cisa.demo', totpSecret: 'MFRGGZDFMZTWQ2LK' };
const ONCD = { email: 'oncd.analyst@oncd.demo' };
const DEV = { email: 'lab.engineer@meridian.demo' };
const BENCH_NAME = 'Frontier Cyber Benchmark';
const MODEL_NAME = 'Meridian Halcyon';

/** A signed-in API client (cookie + CSRF) for the steps that are not under test here. */
async function apiAs(base: string, who: { email: string; totpSecret?: string }) {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: DEMO_PASSWORD, ...(who.totpSecret ? { totp: await freshTotp(who.totpSecret) } : {}) }),
  });
  expect(res.status).toBe(200);
  const pairs = res.headers.getSetCookie().map((s) => s.split(';')[0]);
  const csrf = pairs.find((p) => p.startsWith('fw_csrf='))!.slice('fw_csrf='.length);
  return async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie: pairs.join('; '), 'x-csrf-token': csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, body: (await r.json().catch(() => null)) as any };
  };
}

describe.skipIf(!hasChromium)('determinations: workspace, sign-offs, decision, developer notice', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let modelId = '';
  let determinationPath = '';

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('determinations');
    fw = e2e.fw;
    base = e2e.base;
    await seedDeterminationsDemo(fw.database.db, fw.services.keyring, fw.services.audit);
    // A model of the demo lab, shared with NSA, ONCD and CISA (as a consultation would share it).
    const sql = (q: string, v?: unknown[]) => fw.database.executeSql(q, v);
    const [lab] = (await sql(`select id from organisations where name = 'Meridian AI'`)).rows as { id: string }[];
    const [creator] = (await sql(`select id from users where email = 'lab.admin@meridian.demo'`)).rows as { id: string }[];
    modelId = crypto.randomUUID();
    await sql(
      `insert into models (id, owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, $2, 1, $1, $3, '2.0', 'text', now() + interval '60 days', 3e26, 'hardware hours', 'x', 'x', $4)`,
      [modelId, lab.id, MODEL_NAME, creator.id],
    );
    for (const code of ['NSA', 'ONCD', 'CISA']) {
      await sql(
        `insert into access_grants (record_type, record_id, grantee_org_id, granted_by, source_type, source_id)
         select 'model', $1, id, $2, 'consultation', $1 from organisations where agency_code = $3`,
        [modelId, creator.id, code],
      );
    }
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('NSA opens the workspace and the threshold governance page (axe clean, SECRET//BENCH banner)', async () => {
    const { page } = await browser();
    await signIn(page, base, NSA);
    expect(await navLabels(page)).toContain('Determinations');
    await visit(page, base, '/determinations');
    await page.getByTestId('no-determinations').waitFor();
    await expectAxeClean(page, 'determinations workspace (empty)');
    await visit(page, base, '/determinations/thresholds');
    await page.getByTestId('threshold-1').waitFor();
    expect(await page.getByTestId('threshold-1').innerText()).toContain(BENCH_NAME);
    expect(await bannerText(page, 'top')).toBe('SECRET//BENCH');
    await expectAxeClean(page, 'threshold governance (NSA)');
    await page.locator('#bench-name').fill('E2E Cyber Suite');
    await page.locator('#bench-version').fill('3');
    await page.getByLabel('Task suites').fill('ctf-easy, ctf-hard');
    await page.getByRole('button', { name: 'Define benchmark' }).click();
    await expect.poll(async () => page.getByTestId('benchmarks-table').innerText()).toContain('E2E Cyber Suite');
    expect(await page.getByTestId('benchmarks-table').innerText()).toContain('ctf-easy, ctf-hard');

    // create a determination, enter scores, send for sign-off
    await visit(page, base, '/determinations');
    await page.getByLabel('Model shared with NSA').selectOption({ label: `${MODEL_NAME} 2.0` });
    await page.getByLabel('Benchmark').selectOption({ label: `${BENCH_NAME} v1 (SECRET//BENCH)` });
    await page.getByRole('button', { name: 'Create determination' }).click();
    await page.waitForURL((u) => /^\/determinations\/[0-9a-f-]{36}$/.test(u.pathname));
    await settled(page);
    determinationPath = new URL(page.url()).pathname;
    await page.getByLabel('Cyber score').fill('0.82');
    await page.getByLabel('CBRN score').fill('0.1');
    await page.getByLabel('Autonomy score').fill('0.2');
    await page.getByLabel('Analyst judgment').selectOption('covered');
    await page.getByLabel('Classified rationale').fill('Exploit development far above the adopted threshold.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(async () => page.getByTestId('reasons').innerText()).toContain('cyber: score 0.82');
    expect(await bannerText(page, 'top')).toBe('SECRET//BENCH');
    await expectAxeClean(page, 'determination draft');
    await page.getByRole('button', { name: 'Send for ONCD and CISA sign-off' }).click();
    await expect.poll(async () => page.getByTestId('det-status').innerText()).toBe('Awaiting sign-off');
    await expectAxeClean(page, 'determination awaiting sign-off');
  });

  test('ONCD sees the determination without its classified content and signs off; CISA signs off', async () => {
    const { page } = await browser();
    await signIn(page, base, ONCD);
    await visit(page, base, determinationPath);
    const html = await page.content();
    expect(html).not.toContain(BENCH_NAME);
    expect(html).not.toContain('0.82');
    expect(html).not.toContain('BENCH');
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'determination (ONCD)');
    await page.getByLabel('Position').selectOption('concur');
    await page.getByRole('button', { name: 'Record sign-off' }).click();
    await expect.poll(async () => page.getByTestId('positions').innerText()).toContain('ONCD');
    await visit(page, base, '/determinations/thresholds');
    expect(await page.content()).not.toContain(BENCH_NAME);
    await expectAxeClean(page, 'threshold governance (ONCD)');

    const cisa = await apiAs(base, CISA);
    expect((await cisa('POST', `${determinationPath}/signoffs`, { position: 'concur' })).status).toBe(201);
  });

  test('NSA decides', async () => {
    const { page } = browsers[0];
    await visit(page, base, determinationPath);
    await page.getByLabel('Outcome').selectOption('covered');
    await page.getByLabel('Unclassified summary for the developer').fill('Meridian Halcyon is covered. You may open a review window before your release.');
    await page.getByRole('button', { name: 'Decide' }).click();
    await expect.poll(async () => page.getByTestId('det-status').innerText()).toBe('Decided');
    await expectAxeClean(page, 'determination decided');
  });

  test('the developer sees the outcome, summary, expiry and triggers, and no trace of the benchmark', async () => {
    const { page } = await browser();
    await signIn(page, base, DEV);
    expect(await navLabels(page)).not.toContain('Determinations');
    await visit(page, base, `/models/${modelId}/determination`);
    await page.getByTestId('determination-notice').waitFor();
    const text = await page.getByTestId('determination-notice').innerText();
    expect(text).toContain('Covered');
    expect(text).toContain('You may open a review window');
    expect(text).toContain('A fine-tune of the model');
    // The whole page holds no benchmark name or rationale; the page content (outside the shared
    // chrome, whose inline SVG icons contain arbitrary decimals) holds no threshold or score either.
    const html = await page.content();
    for (const leak of [BENCH_NAME, 'Frontier', 'benchmark', 'Benchmark', 'threshold', 'Threshold', 'Exploit']) expect(html, leak).not.toContain(leak);
    const main = await page.locator('main').innerHTML();
    for (const leak of ['0.82', '0.6', '0.5', '0.7', '0.1', '0.2', 'score', 'Score']) expect(main, leak).not.toContain(leak);
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'developer determination outcome');
    // the workspace itself is closed to the developer
    await visit(page, base, '/determinations');
    expect(await page.content()).not.toContain(BENCH_NAME);
  });
});
