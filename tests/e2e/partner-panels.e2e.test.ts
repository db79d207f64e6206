// The panel forms: a vetting reviewer constitutes a joint selection panel and staffs an appeal panel.
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
    e2e = await startE2eInstance('h13-panels');
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

  test('after a refusal and an appeal, the reviewer staffs the appeal panel; a first-panel member is refused', async () => {
    for (const k of ['nist', 'dod', 'lab']) await c[k].post(`/api/v1/partners/panels/${panelId}/conflicts`, { conflicted: false });
    await c.nist.post(`/api/v1/partners/panels/${panelId}/votes`, { vote: 'approve', rationale: 'Every criterion is met', citedCriteria: [keys[0]] });
    await c.dod.post(`/api/v1/partners/panels/${panelId}/votes`, { vote: 'approve', rationale: 'Every criterion is met', citedCriteria: [keys[0]] });
    const r = await c.lab.post(`/api/v1/partners/panels/${panelId}/votes`, { vote: 'refuse', rationale: 'We prefer not to share', citedCriteria: [keys[0]] });
    expect(r.body.status).toBe('refused');
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
