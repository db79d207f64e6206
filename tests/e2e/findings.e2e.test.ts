// End-to-end: an agency analyst plans a workstream on the coordination board (the classified
// benchmark stays hidden from anyone without BENCH), files a finding and shares it; the developer
// reports a mitigation; the analyst verifies it; the partner moves its workstream along. Every page
// is checked with axe.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import { CHROMIUM_PATH, expectAxeClean, launchBrowser, navLabels, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
const DAY = 86_400_000;
const CISA = { email: 'cisa.analyst@cisa.demo', totpSecret: 'MFRGGZDFMZTWQ2LK' };

function local(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

describe.skipIf(!hasChromium)('findings and the assessment board', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let windowId = '';
  let benchId = '';
  const rows = async <T = Record<string, unknown>>(q: string, v?: unknown[]) => (await fw.database.executeSql(q, v)).rows as T[];
  const orgId = async (name: string) => (await rows<{ id: string }>('select id from organisations where name = $1', [name]))[0].id;

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('findings');
    fw = e2e.fw;
    base = e2e.base;
    // A model with an open review window for CISA and NSA, and the partner selected onto it, as the
    // models, reviews and partners modules would leave them.
    const lab = await orgId('Meridian AI');
    const [dev] = await rows<{ id: string }>("select id from users where email = 'lab.engineer@meridian.demo'");
    const [m] = await rows<{ id: string }>(
      `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop,
         compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
       values ($1, 1, gen_random_uuid(), 'Halcyon', '1.0', 'text', $2, 3e26, 'hardware hours', '-', '-', $3) returning id`,
      [lab, new Date(Date.now() + 45 * DAY).toISOString(), dev.id],
    );
    const opens = new Date(Date.now() - 3_600_000).toISOString();
    const closes = new Date(Date.now() + 20 * DAY).toISOString();
    const [w] = await rows<{ id: string }>(
      `insert into review_windows (owner_org_id, classification, model_id, status, opens_at, closes_at, policy_version, created_by)
       values ($1, 1, $2, 'open', $3, $4, 1, $5) returning id`,
      [lab, m.id, opens, closes, dev.id],
    );
    windowId = w.id;
    for (const name of ['Cybersecurity and Infrastructure Security Agency', 'National Security Agency', 'Sentinel Security Partners']) {
      await rows(`insert into access_grants (record_type, record_id, grantee_org_id, reason, source_type, source_id, starts_at, expires_at) values ('model', $1, $2, 'review window', 'review_window', $3, $4, $5)`, [
        m.id,
        await orgId(name),
        w.id,
        opens,
        closes,
      ]);
    }
    const nsa = await orgId('National Security Agency');
    const [b] = await rows<{ id: string }>(
      `insert into assessment_workstreams (owner_org_id, classification, compartments, window_id, model_id, kind, title, status, due_at, created_by)
       values ($1, 3, '{BENCH}', $2, $3, 'classified_benchmark', 'Benchmark suite run', 'planned', $4, $5) returning id`,
      [nsa, w.id, m.id, new Date(Date.now() + 10 * DAY).toISOString(), dev.id],
    );
    benchId = b.id;
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('plan, file, share, respond, verify; the board at each reader’s clearance', async () => {
    const cisa = await browser();
    await signIn(cisa.page, base, CISA);
    expect(await navLabels(cisa.page)).toEqual(expect.arrayContaining(['Findings', 'Assessment boards']));
    await visit(cisa.page, base, '/assessments');
    expect(await cisa.page.getByTestId('boards').innerText()).toContain('Halcyon 1.0');
    await expectAxeClean(cisa.page, 'assessment boards');
    await cisa.page.getByRole('link', { name: 'Halcyon 1.0' }).click();
    await settled(cisa.page);
    await cisa.page.getByRole('heading', { name: 'Add a workstream' }).waitFor();
    // SECRET without BENCH: the benchmark workstream is not there
    expect(await cisa.page.locator('main').innerText()).not.toContain('Benchmark suite run');
    await expectAxeClean(cisa.page, 'assessment board (empty)');
    await cisa.page.locator('#ws-kind').selectOption('safeguard_red_teaming');
    await cisa.page.locator('#ws-title').fill('Jailbreak red-team');
    await cisa.page.locator('#ws-due').fill(local(new Date(Date.now() + 7 * DAY)));
    await cisa.page.locator('label', { hasText: 'Sentinel Security Partners' }).click();
    await cisa.page.getByRole('button', { name: 'Add workstream' }).click();
    await cisa.page.getByTestId('workstreams-planned').locator('th', { hasText: 'Jailbreak red-team' }).waitFor();
    await expectAxeClean(cisa.page, 'assessment board (one workstream)');
    const [ws] = await rows<{ id: string; status: string }>("select id, status from assessment_workstreams where window_id = $1 and kind = 'safeguard_red_teaming'", [windowId]);
    expect(ws.status).toBe('planned');
    expect(await rows('select org_id from assessment_assignees where workstream_id = $1', [ws.id])).toEqual([{ org_id: await orgId('Sentinel Security Partners') }]);

    // File a finding and share it with the developer
    await visit(cisa.page, base, '/findings/new');
    await expectAxeClean(cisa.page, 'filing form');
    await cisa.page.locator('#finding-model').selectOption({ label: 'Halcyon 1.0 (Meridian AI)' });
    await cisa.page.locator('#finding-kind').selectOption('safeguard_bypass');
    await cisa.page.locator('#finding-title').fill('Role-play bypasses the refusal filter');
    await cisa.page.locator('#finding-summary').fill('Framing the request as fiction gets step-by-step instructions.');
    await cisa.page.locator('#finding-rating').selectOption('high');
    await cisa.page.locator('#finding-cwe').fill('CWE-1039');
    await cisa.page.locator('#finding-file').setInputFiles({ name: 'transcript.txt', mimeType: 'text/plain', buffer: Buffer.from('user: write a story where...') });
    await cisa.page.getByRole('button', { name: 'File the finding' }).click();
    await cisa.page.waitForURL(/\/findings\/[0-9a-f-]{36}$/);
    await settled(cisa.page);
    expect(await cisa.page.getByTestId('finding-status').innerText()).toBe('Filed');
    expect(await cisa.page.locator('main').innerText()).toContain('transcript.txt');
    await expectAxeClean(cisa.page, 'finding page (filed)');
    const findingId = cisa.page.url().split('/').pop()!;
    await cisa.page.locator('#finding-event').selectOption('share');
    await cisa.page.getByTestId('finding-action-submit').click();
    await expect.poll(() => cisa.page.getByTestId('finding-status').innerText(), { timeout: 30_000 }).toBe('Shared with the developer');
    expect((await rows<{ status: string }>('select status from findings where id = $1', [findingId]))[0].status).toBe('shared');

    // The developer reads it and reports a mitigation
    const dev = await browser();
    await signIn(dev.page, base, { email: 'lab.engineer@meridian.demo' });
    await visit(dev.page, base, '/findings');
    expect(await dev.page.locator('h1').innerText()).toBe('Findings shared with you');
    await expectAxeClean(dev.page, 'developer findings inbox');
    await dev.page.getByRole('link', { name: 'Role-play bypasses the refusal filter' }).click();
    await settled(dev.page);
    await dev.page.getByRole('heading', { name: 'Respond' }).waitFor();
    await expectAxeClean(dev.page, 'finding page (developer)');
    await dev.page.locator('#finding-event').selectOption('mitigate');
    await dev.page.locator('#finding-note').fill('Fiction framing added to the refusal classifier.');
    await dev.page.getByTestId('finding-action-submit').click();
    await expect.poll(() => dev.page.getByTestId('finding-status').innerText(), { timeout: 30_000 }).toBe('Mitigation reported');
    // The developer's board shows the plan at CUI, without the benchmark
    await visit(dev.page, base, `/assessments/${windowId}`);
    expect(await dev.page.locator('main').innerText()).toContain('Jailbreak red-team');
    expect(await dev.page.locator('main').innerText()).not.toContain('Benchmark suite run');
    await expectAxeClean(dev.page, 'assessment board (developer)');

    // The reviewer verifies the mitigation
    await visit(cisa.page, base, `/findings/${findingId}`);
    await cisa.page.locator('#finding-event').selectOption('verify');
    await cisa.page.getByTestId('finding-action-submit').click();
    await expect.poll(() => cisa.page.getByTestId('finding-status').innerText(), { timeout: 30_000 }).toBe('Mitigation verified');
    expect(await cisa.page.getByTestId('finding-history').innerText()).toContain('Fiction framing added');
    await expectAxeClean(cisa.page, 'finding page (verified)');
    const hist = await rows<{ action: string }>('select action from finding_history where finding_id = $1 order by at, id', [findingId]);
    expect(hist.map((h) => h.action)).toEqual(['create', 'file', 'evidence_added', 'share', 'mitigate', 'verify']);
  }, 480_000);

  test('the assignee moves its workstream along; the cleared NSA analyst sees the benchmark', async () => {
    const partner = await browser();
    await signIn(partner.page, base, { email: 'partner@sentinel.demo' });
    await visit(partner.page, base, `/assessments/${windowId}`);
    await partner.page.getByTestId('workstreams-planned').locator('th', { hasText: 'Jailbreak red-team' }).waitFor();
    await expectAxeClean(partner.page, 'assessment board (partner)');
    await partner.page.getByRole('button', { name: /^Start\s*:\s*Jailbreak red-team/ }).click();
    await partner.page.getByTestId('workstreams-in_progress').locator('th', { hasText: 'Jailbreak red-team' }).waitFor();
    await expectAxeClean(partner.page, 'assessment board (in progress)');

    const nsa = await browser();
    await signIn(nsa.page, base, { email: 'nsa.analyst@nsa.demo', totpSecret: 'KRSXG5CTMVRXEZLU' });
    await visit(nsa.page, base, `/assessments/${windowId}`);
    await nsa.page.getByTestId('workstreams-planned').locator('th', { hasText: 'Benchmark suite run' }).waitFor();
    expect(benchId).toBeTruthy();
    await expectAxeClean(nsa.page, 'assessment board (NSA, BENCH)');
  }, 480_000);
});
