// End-to-end: an agency evaluator imports the shipped sample suite through the import page (file
// upload + field mapping), starts a run against a model it may use through a review window, watches
// the live progress reach the end, reads the per-domain results, exports them, and compares two
// runs. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { startModelServer, type ModelServer } from '../../src/dev/model-server.ts';
import { SAMPLE_SUITE_PATH, sampleAnswerKey } from '../../src/modules/evaluations/demo.ts';
import { bannerText, CHROMIUM_PATH, DEMO_PASSWORD, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH) && existsSync(SAMPLE_SUITE_PATH);
const DAY = 86_400_000;
const UPSTREAM_KEY = 'sk-e2e-eval-upstream';
const UPSTREAM_MODEL = 'aster-internal-1';
const EVALUATOR = 'nist.analyst@nist.demo';
const SAMPLES = 40;

async function apiPost(base: string, email: string, calls: { method: 'POST' | 'PUT'; path: string; body: unknown }[]): Promise<unknown[]> {
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  expect(login.status).toBe(200);
  const pairs = login.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = pairs.find((p) => p.startsWith('fw_csrf='))!.slice('fw_csrf='.length);
  const out: unknown[] = [];
  for (const c of calls) {
    const r = await fetch(base + c.path, { method: c.method, headers: { 'content-type': 'application/json', cookie: pairs.join('; '), 'x-csrf-token': csrf }, body: JSON.stringify(c.body) });
    const text = await r.text();
    expect(r.status, `${c.method} ${c.path}: ${text}`).toBeLessThan(300);
    out.push(text ? JSON.parse(text) : null);
  }
  return out;
}

describe.skipIf(!hasChromium)('evaluations: import a suite, run it with live progress, results, export, compare', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  let upstream: ModelServer | undefined;
  const browsers: Browser[] = [];
  let firstRunUrl = '';
  const rows = async <T = Record<string, unknown>>(q: string, v?: unknown[]) => (await fw.database.executeSql(q, v)).rows as T[];

  beforeAll(async () => {
    e2e = await startE2eInstance('evaluations');
    fw = e2e.fw;
    base = e2e.base;
    // The lab's upstream knows the sample suite's answers and gets three in four right.
    upstream = await startModelServer({ host: '127.0.0.1', key: UPSTREAM_KEY, models: [UPSTREAM_MODEL], answerKey: sampleAnswerKey(), accuracy: 0.75 });
    const [labOrg] = await rows<{ id: string }>("select id from organisations where name = 'Meridian AI'");
    const [dev] = await rows<{ id: string }>("select id from users where email = 'lab.engineer@meridian.demo'");
    const [m] = await rows<{ id: string }>(
      `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop,
         compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, 1, gen_random_uuid(), 'Aster', '1.0', 'text', $2, 3e26, 'hardware hours', '-', '-', $3) returning id`,
      [labOrg.id, new Date(Date.now() + 45 * DAY).toISOString(), dev.id],
    );
    const kr = fw.services.keyring;
    await rows('update models set intended_deployment_enc = $2, capability_summary_enc = $3 where id = $1', [
      m.id,
      kr.encrypt('Public API', `models.intended_deployment_enc:${m.id}`),
      kr.encrypt('Code and security analysis', `models.capability_summary_enc:${m.id}`),
    ]);
    await rows(
      `insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, expires_at, reevaluation_triggers, decided_at)
       values ($1, 1, $2, gen_random_uuid(), 'covered', 'Covered under the current thresholds.', $3, '{}', now())`,
      [labOrg.id, m.id, new Date(Date.now() + 180 * DAY).toISOString()],
    );
    // The lab's part (tested in gateway.e2e): a window for NIST and the upstream endpoint.
    const [nist] = await rows<{ id: string }>("select id from organisations where agency_code = 'NIST'");
    await apiPost(base, 'lab.engineer@meridian.demo', [
      { method: 'POST', path: `/api/v1/models/${m.id}/windows`, body: { agencyOrgIds: [nist.id], closesAt: new Date(Date.now() + 20 * DAY).toISOString() } },
      { method: 'PUT', path: `/api/v1/models/${m.id}/gateway/endpoint`, body: { baseUrl: `${upstream.url}/v1`, upstreamModel: UPSTREAM_MODEL, apiKey: UPSTREAM_KEY } },
    ]);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
    await upstream?.close();
  });

  async function waitForEnd(page: Browser['page']) {
    const bar = page.getByRole('progressbar', { name: 'Samples done' });
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuemin')).toBe('0');
    await expect.poll(async () => page.getByTestId('run-status').innerText(), { timeout: 90_000, interval: 500 }).toBe('Completed');
    return bar;
  }

  test('import the sample suite through the page, run it and watch it complete', async () => {
    const b = await launchBrowser();
    browsers.push(b);
    const { page } = b;
    await signIn(page, base, { email: EVALUATOR });
    expect(await navLabels(page)).toContain('Evaluations');
    await visit(page, base, '/evaluations');
    await page.getByTestId('no-runs').waitFor();
    await expectAxeClean(page, 'evaluations (no runs)');
    await page.getByRole('link', { name: 'Task suites' }).click();
    await settled(page);
    await expectAxeClean(page, 'task suites');
    await page.getByRole('link', { name: 'Import a suite' }).click();
    await settled(page);
    await expectAxeClean(page, 'import form');

    await page.locator('#suite-file').setInputFiles(SAMPLE_SUITE_PATH);
    await expect.poll(() => page.getByLabel('Suite name').inputValue()).toBe('cyber-basics');
    expect(await page.getByLabel('Format').inputValue()).toBe('jsonl');
    await page.getByLabel('Suite name').fill('Cyber basics (e2e)');
    await page.getByLabel('Sample ID field (optional)').fill('id');
    // The mapping defaults fit the sample suite: question, choices, answer, domain.
    expect(await page.getByLabel('Question field').inputValue()).toBe('question');
    await page.getByRole('button', { name: 'Import suite' }).click();
    await page.waitForURL(/\/evaluations\/suites\/[0-9a-f-]{36}$/);
    await settled(page);
    await page.getByTestId('versions').waitFor();
    expect(await page.getByTestId('versions').innerText()).toContain(String(SAMPLES));
    await page.getByTestId('samples').waitFor();
    expect(await page.getByTestId('samples').innerText()).toContain('Telnet');
    expect(await bannerText(page, 'top')).toBe('UNCLASSIFIED');
    await expectAxeClean(page, 'suite page');

    // A second import with the same name and version is refused, and says why.
    await visit(page, base, '/evaluations/suites/import');
    await page.locator('#suite-file').setInputFiles(SAMPLE_SUITE_PATH);
    await page.getByLabel('Suite name').fill('Cyber basics (e2e)');
    await page.getByRole('button', { name: 'Import suite' }).click();
    await page.getByTestId('problem-alert').waitFor();
    await expectAxeClean(page, 'import form (refused)');
    await page.goBack();
    await settled(page);

    await page.getByTestId('start-run-form').waitFor();
    await page.getByLabel('Model (your access)').selectOption({ index: 1 });
    await page.getByLabel('Concurrency').fill('4');
    await page.getByLabel('Run name (optional)').fill('First pass');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/evaluations\/runs\/[0-9a-f-]{36}$/);
    firstRunUrl = page.url();
    await settled(page);
    await expectAxeClean(page, 'run page (live)');
    const bar = await waitForEnd(page);
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(SAMPLES));
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(SAMPLES));
    expect(await page.getByTestId('run-done').innerText()).toBe(`${SAMPLES} of ${SAMPLES}`);
    expect(await page.getByTestId('run-errors').innerText()).toBe('0');
    await page.getByTestId('run-ended').getByText(/Run completed/).waitFor();

    const aggregates = page.getByTestId('aggregates');
    await aggregates.waitFor();
    const overall = aggregates.locator('tr[data-domain="All domains"]');
    expect(await overall.innerText()).toContain(String(SAMPLES));
    expect(await aggregates.innerText()).toContain('network');
    await page.getByTestId('results').waitFor();
    expect(await page.getByTestId('results').innerText()).toMatch(/Correct|Incorrect/);
    await page.getByLabel('Outcome').selectOption('incorrect');
    await page.getByTestId('results').getByText('Incorrect').first().waitFor();
    await expectAxeClean(page, 'run page (completed)');

    // Exports, with the reader's session.
    const csv = await page.request.get(new URL(await page.getByRole('link', { name: 'Export as CSV' }).getAttribute('href') ?? '', base).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n')[0]).toContain('sample_id');
    const json = await page.request.get(new URL(await page.getByRole('link', { name: 'Export as JSON' }).getAttribute('href') ?? '', base).toString());
    expect(json.status()).toBe(200);
    expect(((await json.json()) as { results: unknown[] }).results).toHaveLength(SAMPLES);

    const done = await rows<{ n: string }>("select count(*) as n from evaluation_runs where status = 'completed'");
    expect(Number(done[0].n)).toBe(1);
  }, 360000);

  test('a second, shorter run, compared with the first', async () => {
    const { page } = browsers[0];
    expect(firstRunUrl).not.toBe('');
    await visit(page, base, firstRunUrl);
    await page.getByRole('link', { name: /^Suite / }).click();
    await settled(page);
    await page.getByTestId('start-run-form').waitFor();
    await page.getByLabel('Model (your access)').selectOption({ index: 1 });
    await page.getByLabel('Only the first samples (optional)').fill('12');
    await page.getByLabel('Run name (optional)').fill('Smoke pass');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL((u) => /\/evaluations\/runs\//.test(u.pathname) && u.toString() !== firstRunUrl);
    await settled(page);
    const bar = await waitForEnd(page);
    expect(await bar.getAttribute('aria-valuemax')).toBe('12');

    await page.getByLabel('Other run of this suite').selectOption({ index: 1 });
    await page.getByRole('button', { name: 'Compare' }).click();
    await page.waitForURL(/\/evaluations\/compare\?/);
    await settled(page);
    await page.getByTestId('comparison').waitFor();
    expect(await page.getByTestId('comparison').innerText()).toContain('All domains');
    await expectAxeClean(page, 'compare runs');

    await visit(page, base, '/evaluations');
    expect(await page.getByTestId('runs').innerText()).toContain('Smoke pass');
    expect(await page.getByTestId('runs').innerText()).toContain('First pass');
    await expectAxeClean(page, 'evaluations (two runs)');
  }, 360000);
});
