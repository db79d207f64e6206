// End-to-end: the lab registers the reference model server as its model's upstream and tests the
// connection; a reviewer issues a key (shown once) and uses it with an OpenAI-style call; the lab
// revokes the key in the UI and the very next request is refused; the lab's usage shows the request
// but no content; the reviewer reads its transcript. Every page is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { startModelServer, type ModelServer } from '../../src/dev/model-server.ts';
import { bannerText, CHROMIUM_PATH, DEMO_PASSWORD, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
const DAY = 86_400_000;
const UPSTREAM_KEY = 'sk-e2e-upstream-7f3a9c';
const UPSTREAM_MODEL = 'zephyr-internal-2';
const REVIEWER = 'nist.analyst@nist.demo';
/** A prompt nobody else would write, to look for it where it must not be. */
const PROMPT = 'Describe the heliotrope lighthouse protocol in one line';

interface ApiClient {
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
}

/** Signs in through the API (a user without a second factor) for set-up steps the UI of another module covers. */
async function apiSignIn(base: string, email: string): Promise<ApiClient> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: DEMO_PASSWORD }) });
  expect(res.status).toBe(200);
  const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = pairs.find((p) => p.startsWith('fw_csrf='))!.slice('fw_csrf='.length);
  return {
    async post(path, body) {
      const r = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', cookie: pairs.join('; '), 'x-csrf-token': csrf }, body: JSON.stringify(body) });
      const text = await r.text();
      return { status: r.status, body: text ? (JSON.parse(text) as unknown) : null };
    },
  };
}

describe.skipIf(!hasChromium)('gateway: endpoint, keys shown once, revocation, usage without content, transcripts', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  let upstream: ModelServer | undefined;
  let lab: ApiClient;
  const browsers: Browser[] = [];
  let modelId = '';
  let issuedKey = '';
  let answer = '';
  let lastRequestAt = '';
  const rows = async <T = Record<string, unknown>>(q: string, v?: unknown[]) => (await fw.database.executeSql(q, v)).rows as T[];

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  function chat(key: string) {
    return fetch(`${base}/gateway/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'Zephyr', messages: [{ role: 'user', content: PROMPT }] }),
    });
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('gateway');
    fw = e2e.fw;
    base = e2e.base;
    upstream = await startModelServer({ host: '127.0.0.1', key: UPSTREAM_KEY, models: [UPSTREAM_MODEL] });
    // A covered model, as the models and determinations modules would leave it.
    const [labOrg] = await rows<{ id: string }>("select id from organisations where name = 'Meridian AI'");
    const [dev] = await rows<{ id: string }>("select id from users where email = 'lab.engineer@meridian.demo'");
    const [m] = await rows<{ id: string }>(
      `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop,
         compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, 1, gen_random_uuid(), 'Zephyr', '2.0', 'text', $2, 3e26, 'hardware hours', '-', '-', $3) returning id`,
      [labOrg.id, new Date(Date.now() + 45 * DAY).toISOString(), dev.id],
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
      [labOrg.id, m.id, new Date(Date.now() + 180 * DAY).toISOString()],
    );
    // The developer opens a review window for NIST and CISA (the review UI is tested elsewhere).
    lab = await apiSignIn(base, 'lab.engineer@meridian.demo');
    const agencies = await rows<{ id: string }>("select id from organisations where agency_code in ('NIST', 'CISA')");
    const w = await lab.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: agencies.map((a) => a.id), closesAt: new Date(Date.now() + 20 * DAY).toISOString() });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
  });

  afterAll(async () => {
    await e2e?.close(browsers);
    await upstream?.close();
  });

  test('the lab registers the upstream endpoint, tests the connection and sets limits', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'lab.engineer@meridian.demo' });
    expect(await navLabels(page)).toContain('Model gateway');
    expect(await navLabels(page)).not.toContain('Gateway access');
    await visit(page, base, '/gateway');
    await expectAxeClean(page, 'model gateway list');
    await page.getByRole('link', { name: /^Zephyr 2\.0\b/ }).click();
    await settled(page);
    await expect.poll(() => page.title()).toBe('Model gateway: Zephyr 2.0 | Forewarn');
    await page.getByTestId('no-endpoint').waitFor();
    await expectAxeClean(page, 'model gateway (no endpoint)');

    await page.getByLabel('Base URL').fill(`${upstream!.url}/v1`);
    await page.getByLabel('Model name at the upstream').fill(UPSTREAM_MODEL);
    const secret = page.getByLabel('Secret key');
    expect(await secret.getAttribute('type')).toBe('password');
    await secret.fill(UPSTREAM_KEY);
    await page.getByRole('button', { name: 'Register endpoint' }).click();
    await page.getByTestId('endpoint-summary').waitFor();
    expect(await page.getByTestId('endpoint-saved').innerText()).toContain('Endpoint registered.');
    // The key is never shown back, not even in a form field.
    expect(await page.content()).not.toContain(UPSTREAM_KEY);
    expect(await page.getByTestId('endpoint-summary').innerText()).toContain('Set (never shown)');
    expect(await page.getByLabel('New secret key').count()).toBe(0);

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('connection-result').getByText('Connection works.').waitFor();
    await page.getByTestId('endpoint-last-test').getByText(/^Passed/).waitFor();
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'model gateway (endpoint tested)');

    // Replacing the key shows a password field again; a wrong key makes the test fail clearly.
    await page.locator('label[for="endpoint-replace-key"]').click();
    await page.getByLabel('New secret key').fill('sk-wrong');
    await page.getByRole('button', { name: 'Save endpoint' }).click();
    await page.getByLabel('New secret key').waitFor({ state: 'detached' });
    await page.getByTestId('endpoint-saved').getByText('Endpoint saved and its secret key replaced.').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('connection-result').getByText('Connection failed.').waitFor();
    await expectAxeClean(page, 'model gateway (failed test)');
    await page.locator('label[for="endpoint-replace-key"]').click();
    await page.getByLabel('New secret key').fill(UPSTREAM_KEY);
    await page.getByRole('button', { name: 'Save endpoint' }).click();
    await page.getByLabel('New secret key').waitFor({ state: 'detached' });
    await page.getByTestId('endpoint-saved').getByText('Endpoint saved and its secret key replaced.').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('connection-result').getByText('Connection works.').waitFor();

    // Limits on NIST's access.
    await page.getByRole('button', { name: 'Change limits for NIST Center for AI Standards and Innovation' }).click();
    await page.getByTestId('limits-form').waitFor();
    await expectAxeClean(page, 'limits form');
    await page.getByLabel('Requests per minute').fill('600');
    await page.getByLabel('Token quota').fill('200000');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByTestId('limits-saved').getByText(/Limits saved/).waitFor();
    await expect.poll(async () => page.getByTestId('gateway-grants').innerText()).toContain('200,000');
    const limits = await rows<{ requests_per_minute: number; token_quota: string }>('select requests_per_minute, token_quota from gateway_grant_limits');
    expect(limits.map((l) => [l.requests_per_minute, Number(l.token_quota)])).toEqual([[600, 200000]]);
  }, 300000);

  test('a reviewer issues a key, sees it once, and a chat completion with it works', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: REVIEWER });
    expect(await navLabels(page)).toContain('Gateway access');
    expect(await navLabels(page)).not.toContain('Model gateway');
    await visit(page, base, '/gateway/keys');
    await page.getByTestId('my-access').waitFor();
    await page.getByTestId('no-keys').waitFor();
    await expectAxeClean(page, 'gateway access (no key)');

    await page.getByRole('button', { name: 'Issue a key for Zephyr 2.0' }).click();
    await page.getByLabel('Key name').fill('e2e evaluation');
    await expectAxeClean(page, 'issue key form');
    await page.getByRole('button', { name: 'Issue key' }).click();
    await page.getByTestId('issued-key').waitFor();
    issuedKey = await page.locator('#issued-key-value').inputValue();
    expect(issuedKey).toMatch(/^fwg_/);
    expect(await page.locator('#issued-key-base').inputValue()).toBe(`${base}/gateway/v1`);
    expect(await page.getByTestId('issued-key').innerText()).toContain('shown only once');
    expect(await page.getByTestId('issued-key-model').innerText()).toBe('Zephyr');
    await page.getByRole('button', { name: 'Copy gateway key' }).waitFor();
    await expectAxeClean(page, 'issued key');

    await page.getByRole('button', { name: 'I have copied the key' }).click();
    await page.getByTestId('holder-keys').waitFor();
    expect(await page.content()).not.toContain(issuedKey);
    await page.reload();
    await settled(page);
    await page.getByTestId('holder-keys').waitFor();
    expect(await page.content()).not.toContain(issuedKey);
    expect(await page.getByTestId('holder-keys').innerText()).toContain(issuedKey.slice(0, 10));
    await expectAxeClean(page, 'gateway access (with key)');

    const r = await chat(issuedKey);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { choices: { message: { content: string } }[] };
    answer = body.choices[0].message.content;
    expect(answer).toContain('Reference reply');
  }, 300000);

  test('the lab revokes the key in the UI and the very next request is refused; usage shows no content', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: 'lab.engineer@meridian.demo' });
    await visit(page, base, `/models/${modelId}/gateway`);
    await page.getByTestId('developer-keys').waitFor();
    expect(await page.getByTestId('developer-keys').innerText()).toContain(REVIEWER);
    const prefix = issuedKey.slice(0, 10);
    await page.getByRole('button', { name: new RegExp(`^Revoke key ${prefix}`) }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke this key?' });
    await dialog.waitFor();
    await expectAxeClean(page, 'revoke confirmation dialog');
    await dialog.getByRole('button', { name: 'Yes, revoke the key' }).click();
    await page.getByTestId('revoke-status').getByText(/is revoked/).waitFor();
    expect(await dialog.isVisible()).toBe(false);

    const refused = await chat(issuedKey);
    expect([401, 403]).toContain(refused.status);
    await page.getByTestId('developer-keys').getByText(/^Revoked/).waitFor();

    // Usage: the earlier request (and the refused one) by the reviewer, with tokens, and no content.
    await expect
      .poll(
        async () => {
          await page.getByRole('button', { name: 'Refresh usage' }).click();
          await settled(page);
          return page.getByTestId('usage-table').count();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(1);
    const usage = await page.getByTestId('usage-table').innerText();
    expect(usage).toContain(REVIEWER);
    expect(usage).toContain('200');
    expect(Number((await page.getByTestId('usage-requests').innerText()).replace(/,/g, ''))).toBeGreaterThanOrEqual(1);
    await page.getByTestId('chart-tokens').locator('svg').waitFor();
    const html = await page.content();
    expect(html).not.toContain('heliotrope');
    expect(html).not.toContain(answer);
    await expectAxeClean(page, 'model gateway (usage and revoked key)');
    const [rec] = await rows<{ at: Date }>("select at from gateway_requests where model_id = $1 and status = 200 order by at desc limit 1", [modelId]);
    lastRequestAt = new Date(rec.at).toISOString();
  }, 300000);

  test('the reviewer reads its transcript, marked', async () => {
    const { page } = await browser();
    await signIn(page, base, { email: REVIEWER });
    await visit(page, base, '/gateway/keys');
    await page.getByTestId('holder-keys').getByText(/^Revoked/).waitFor();
    await page.getByRole('link', { name: 'Your transcripts' }).click();
    await settled(page);
    await page.getByTestId('transcripts').waitFor();
    await expect.poll(() => page.getByTestId('transcripts').innerText()).toContain('Zephyr 2.0');
    await expectAxeClean(page, 'transcripts');
    expect(lastRequestAt).not.toBe('');
    // The successful request (the refused one carries no content)
    const ok = page.getByTestId('transcripts').locator('tr[data-status="200"]').first();
    await ok.getByRole('link').click();
    await settled(page);
    await page.getByTestId('transcript-prompt').getByText(PROMPT).waitFor();
    expect(await page.getByTestId('transcript-response').innerText()).toBe(answer);
    expect(await page.getByTestId('record-marking').innerText()).toContain('CUI');
    expect(await bannerText(page, 'top')).toBe('CUI');
    await expectAxeClean(page, 'transcript');
  }, 300000);
});
