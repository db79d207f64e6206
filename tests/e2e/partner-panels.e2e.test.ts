// The panel pages: a vetting reviewer constitutes a joint selection panel, the developer's
// representative declares conflicts and votes, and the reviewer staffs the appeal panel.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signInDemo, type ApiClient } from '../../src/scenario/http.ts';
import { DEMO_PASSWORD, expectAxeClean, launchBrowser, settled, signIn, startE2eInstance, visit } from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

describe('partners: panel forms', () => {
  let e2e: E2eInstance | undefined;
  let base = '';
  const browsers: Browser[] = [];
  const c: Record<string, ApiClient> = {};
  const uid: Record<string, string> = {};
  let appId = '';
  let windowId = '';
  let panelId = '';
  let keys: string[] = [];

  beforeAll(async () => {
    e2e = await startE2eInstance('partner-panels');
    base = e2e.base;
    const who = { nist: 'nist.analyst@nist.demo', dod: 'dod.analyst@dod.demo', oncd: 'oncd.analyst@oncd.demo', ostp: 'ostp.analyst@ostp.demo', lab: 'lab.engineer@meridian.demo', labAdmin: 'lab.admin@meridian.demo', nsa: 'nsa.analyst@nsa.demo', partner: 'partner@sentinel.demo' };
    for (const [k, email] of Object.entries(who)) {
      c[k] = await signInDemo(base, email, DEMO_PASSWORD);
      uid[k] = (await c[k].get('/api/v1/me')).body.user.id;
    }
    keys = (await c.partner.get('/api/v1/partners/criteria')).body.criteria.map((k: { key: string }) => k.key);
    const a = await c.partner.post('/api/v1/partners/applications', {
      answers: keys.map((k) => ({ criterionKey: k, answer: `Answer for ${k}`, evidence: [] })),
      declarations: { ownership: 'Founders', affiliations: 'None', conflictsOfInterest: 'None' },
    });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    appId = a.body.id;
    for (const k of keys) await c.nist.request('PUT', `/api/v1/partners/applications/${appId}/findings/${k}`, { met: true, note: 'Met' });
    expect((await c.nist.post(`/api/v1/partners/applications/${appId}/decision`, { outcome: 'eligible', reasons: 'Met.' })).status).toBe(200);
    const m = await c.lab.post('/api/v1/models', { name: 'Panel Form Model', version: '1.0', modality: 'text', plannedReleaseAt: new Date(Date.now() + 40 * 86_400_000).toISOString(), trainingComputeFlop: 2e26, computeEstimationMethod: 'hours', intendedDeployment: 'API', capabilitySummary: 'coding' });
    const agencies: Record<string, string> = {};
    for (const x of (await c.lab.get('/api/v1/agencies')).body.items) agencies[x.agencyCode] = x.id;
    const q = await c.lab.post(`/api/v1/models/${m.body.id}/consultations`, { question: 'Review?' });
    await c.nsa.post(`/api/v1/consultations/${q.body.id}/take`);
    await c.nsa.post(`/api/v1/consultations/${q.body.id}/answer`, { recommendation: 'would_benefit', message: 'Yes.' });
    const w = await c.lab.post(`/api/v1/models/${m.body.id}/windows`, { agencyOrgIds: [agencies.NSA], closesAt: new Date(Date.now() + 20 * 86_400_000).toISOString() });
    expect(w.status, JSON.stringify(w.body)).toBe(201);
    windowId = w.body.id;
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('a vetting reviewer constitutes a joint selection panel with a decision rule', async () => {
    const b = await launchBrowser();
    browsers.push(b);
    const { page } = b;
    await signIn(page, base, { email: 'nist.analyst@nist.demo' });
    await visit(page, base, '/partners/panels');
    await page.getByRole('link', { name: 'Constitute a selection panel' }).click();
    await settled(page);
    await page.locator('#panel-application').waitFor();
    await expectAxeClean(page, 'new selection panel form');
    await page.locator('#panel-application').selectOption(appId);
    await page.locator('#panel-window').fill(windowId);
    await page.locator('#panel-member-0-user').fill(uid.nist);
    await page.locator('#panel-member-1-user').fill(uid.lab);
    await page.locator('#panel-member-1-side').selectOption('developer');
    await page.getByRole('button', { name: 'Add a member' }).click();
    await page.locator('#panel-member-2-user').fill(uid.dod);
    await page.locator('label[for="panel-dev-majority"]').click();
    expect(await page.locator('#panel-dev-majority').isChecked()).toBe(false);
    await expectAxeClean(page, 'new selection panel form, filled');
    await page.getByRole('button', { name: 'Constitute the panel' }).click();
    await page.waitForURL((u) => /\/partners\/panels\/[0-9a-f-]{36}$/.test(u.pathname));
    await settled(page);
    panelId = page.url().split('/').pop()!;
    expect(await page.getByTestId('panel-status').innerText()).toBe('open');
    const p = await c.nist.get(`/api/v1/partners/panels/${panelId}`);
    expect(p.body.rule).toMatchObject({ govMajority: true, developerMajority: false, developerConcurrenceRequired: true });
    expect(p.body.members.map((m: { userId: string; side: string }) => `${m.userId}:${m.side}`).sort()).toEqual([`${uid.nist}:government`, `${uid.dod}:government`, `${uid.lab}:developer`].sort());
  });

  test('the developer\'s representative declares no conflict and votes in the page, citing a criterion', async () => {
    const b = await launchBrowser();
    browsers.push(b);
    const { page } = b;
    await signIn(page, base, { email: 'lab.engineer@meridian.demo' });
    await visit(page, base, `/partners/panels/${panelId}`);
    await page.locator('#conflicted').waitFor();
    await expectAxeClean(page, 'panel page, conflict declaration');
    await page.locator('#conflicted').selectOption('false');
    await page.getByRole('button', { name: 'Declare' }).click();
    await page.locator('#vote').waitFor();
    await page.locator('#vote').selectOption('refuse');
    await page.locator(`label[for="cite-${keys[0]}"]`).click();
    await page.locator('#rationale').fill('The lab does not concur: the facility evidence is out of date');
    await expectAxeClean(page, 'panel page, vote form filled');
    await page.getByRole('button', { name: 'Cast vote' }).click();
    // The vote is in the database, with its rationale's criterion.
    const vote = async () =>
      (await e2e!.fw.database.executeSql('select vote, cited_criteria from panel_members where panel_id = $1 and user_id = $2', [panelId, uid.lab])).rows[0] as { vote: string | null; cited_criteria: string[] | null };
    await expect.poll(async () => (await vote()).vote, { timeout: 20_000 }).toBe('refuse');
    expect((await vote()).cited_criteria).toEqual([keys[0]]);
  });

  test('after a refusal and an appeal, the reviewer staffs the appeal panel; a first-panel member is refused', async () => {
    // The lab refused in the page (above): the developer's concurrence is required, so its refusal decides.
    expect((await c.nist.get(`/api/v1/partners/panels/${panelId}`)).body.status).toBe('refused');
    expect((await c.nist.post(`/api/v1/partners/panels/${panelId}/conflicts`, { conflicted: false })).status).toBe(409);
    const ap = await c.partner.post(`/api/v1/partners/panels/${panelId}/appeal`, { grounds: 'No unmet criterion cited.' });
    expect(ap.status).toBe(201);
    const b = await launchBrowser();
    browsers.push(b);
    const { page } = b;
    await signIn(page, base, { email: 'nist.analyst@nist.demo' });
    await visit(page, base, `/partners/panels/${ap.body.id}`);
    await page.locator('#appeal-member-0-user').waitFor();
    await expectAxeClean(page, 'appeal panel staffing form');
    await page.locator('#appeal-member-0-user').fill(uid.ostp);
    await page.locator('#appeal-member-1-user').fill(uid.lab);
    await page.locator('#appeal-member-1-side').selectOption('developer');
    await page.getByRole('button', { name: 'Staff the panel' }).click();
    await page.locator('#appeal-member-1-user-error').waitFor();
    await expectAxeClean(page, 'appeal panel staffing form with an error');
    await page.locator('#appeal-member-1-user').fill(uid.labAdmin);
    await page.getByRole('button', { name: 'Add a member' }).click();
    await page.locator('#appeal-member-2-user').fill(uid.oncd);
    await page.getByRole('button', { name: 'Staff the panel' }).click();
    await expect.poll(async () => (await c.nist.get(`/api/v1/partners/panels/${ap.body.id}`)).body.status).toBe('open');
    await page.getByTestId('panel-status').filter({ hasText: 'open' }).waitFor();
    await expectAxeClean(page, 'appeal panel, staffed');
  });
});
