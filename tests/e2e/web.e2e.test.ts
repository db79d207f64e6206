// End-to-end tests of the web UI against the real server (demo data, embedded database).
// Every page visited is checked with axe for WCAG 2.1 AA: zero violations allowed.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Forewarn } from '../../src/server/start.ts';
import {
  bannerText,
  CHROMIUM_PATH,
  DEMO_PASSWORD,
  expectAxeClean,
  freshTotp,
  launchBrowser,
  navLabels,
  settled,
  signIn,
  totp,
  startE2eInstance,
  visit,
} from './helpers.ts';
import type { Browser, E2eInstance } from './helpers.ts';

const hasChromium = existsSync(CHROMIUM_PATH);
if (!hasChromium) console.warn(`E2E skipped: no Chromium at ${CHROMIUM_PATH}`);

const ADMIN = { email: 'admin@forewarn.demo', totpSecret: 'JBSWY3DPEHPK3PXP' };
const ENGINEER = { email: 'lab.engineer@meridian.demo' };
const CLASSIFICATIONS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'];

const NEW_ORG = 'Lakeside Water Authority';
const INVITEE = { email: 'riley.ops@lakeside.test', name: 'Riley Ops', password: 'lakeside-riley-passphrase-42' };

describe.skipIf(!hasChromium)('Forewarn web UI', () => {
  let e2e: E2eInstance | undefined;
  let fw: Forewarn;
  let base: string;
  const browsers: Browser[] = [];
  let admin: Browser;
  let invitee: Browser | undefined;

  async function browser(): Promise<Browser> {
    const b = await launchBrowser();
    browsers.push(b);
    return b;
  }

  beforeAll(async () => {
    e2e = await startE2eInstance('web');
    fw = e2e.fw;
    base = e2e.base;
    admin = await browser();
  });

  afterAll(async () => {
    await e2e?.close(browsers);
  });

  test('the sign-in page passes axe and is marked UNCLASSIFIED', async () => {
    const { page } = admin;
    await visit(page, base, '/');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expect.poll(() => page.title()).toBe('Sign in | Forewarn');
    expect(await page.locator('html').getAttribute('lang')).toMatch(/^en/);
    expect(await bannerText(page, 'top')).toBe('UNCLASSIFIED');
    expect(await bannerText(page, 'bottom')).toBe('UNCLASSIFIED');
    await expect.poll(() => page.getByText('An official website of the United States government').count()).toBeGreaterThan(0);
    await expectAxeClean(page, 'sign-in');

    // The first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main-content');
  });

  test('a wrong password shows an error alert', async () => {
    const { page } = admin;
    await visit(page, base, '/sign-in');
    await page.getByLabel('Email address').fill(ADMIN.email);
    await page.locator('#password').fill('not-the-right-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.first().waitFor();
    expect(await alert.first().innerText()).toMatch(/email address or password is incorrect/i);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await expectAxeClean(page, 'sign-in with error');
  });

  test('the administrator is asked for a TOTP code, signs in with it and sees the admin navigation', async () => {
    const { page } = admin;
    await visit(page, base, '/sign-in');
    await page.getByLabel('Email address').fill(ADMIN.email);
    await page.locator('#password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/code from your authenticator app/i);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('totp');
    await expectAxeClean(page, 'sign-in asking for a TOTP code');

    await page.locator('#totp').fill(await freshTotp(ADMIN.totpSecret));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await settled(page);
    await expect.poll(() => page.title()).toBe('Dashboard | Forewarn');
    const labels = await navLabels(page);
    for (const label of ['Home', 'Organisations', 'Audit trail', 'Mail outbox', 'Jobs', 'Account']) expect(labels).toContain(label);
    expect(await page.getByTestId('effective-clearance').innerText()).toBe('SECRET');
    expect(await page.getByTestId('clearance-warning').count()).toBe(0);
    expect(await bannerText(page, 'top')).toBe('UNCLASSIFIED');
    await expectAxeClean(page, 'dashboard (admin)');
  });

  test('account page: an API token is shown once, works, and can be revoked', async () => {
    const { page } = admin;
    await visit(page, base, '/account');
    await expect.poll(() => page.title()).toBe('Account | Forewarn');
    await expectAxeClean(page, 'account');

    await page.getByLabel('Token name').fill('e2e script');
    await page.getByLabel('Expires after (days, optional)').fill('30');
    await page.getByRole('button', { name: 'Create token' }).click();
    const field = page.locator('#new-token-value');
    await field.waitFor();
    const token = await field.inputValue();
    expect(token.length).toBeGreaterThan(20);
    expect(await field.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('new-token').innerText()).toMatch(/only time/i);
    await expectAxeClean(page, 'account with a new token shown');

    const withToken = await page.request.get(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(withToken.status()).toBe(200);

    // Shown once: after a reload the value is gone, the token is listed.
    await visit(page, base, '/account');
    expect(await page.locator('#new-token-value').count()).toBe(0);
    expect(await page.content()).not.toContain(token);
    const row = page.getByTestId('tokens-table').locator('tr', { hasText: 'e2e script' });
    expect(await row.innerText()).toContain('Active');

    await row.getByRole('button', { name: /^Revoke/ }).click();
    await row.getByRole('button', { name: /^Yes, revoke/ }).click();
    await expect.poll(() => row.innerText()).toContain('Revoked');
    await page.getByText('has been revoked').waitFor();
    await expectAxeClean(page, 'account after revoking');

    const revoked = await page.request.get(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status()).toBe(401);
  });

  test('organisations: create an organisation and invite a user', async () => {
    const { page } = admin;
    await visit(page, base, '/organisations');
    await expectAxeClean(page, 'organisations');
    expect(await page.getByTestId('orgs-table').innerText()).toContain('Meridian AI');

    await page.locator('#org-name').fill(NEW_ORG);
    await page.getByLabel('Kind').selectOption('agency');
    await page.getByLabel('Agency').waitFor();
    await page.getByLabel('Kind').selectOption('operator');
    expect(await page.getByLabel('Agency').count()).toBe(0);
    await page.getByLabel('Critical-infrastructure sector').selectOption('water');
    await page.getByRole('button', { name: 'Create organisation' }).click();
    await page.getByTestId('org-created').waitFor();
    await expect.poll(() => page.getByTestId('orgs-table').innerText()).toContain(NEW_ORG);
    await expectAxeClean(page, 'organisations after create');

    await page.getByTestId('orgs-table').getByRole('link', { name: NEW_ORG }).click();
    await page.getByRole('heading', { level: 1, name: NEW_ORG }).waitFor();
    await settled(page);
    await expect.poll(() => page.title()).toBe(`${NEW_ORG} | Forewarn`);
    await expectAxeClean(page, 'organisation detail');

    await page.getByLabel('Email address').fill(INVITEE.email);
    await page.locator('#invite-name').fill(INVITEE.name);
    await page.locator('label[for="invite-role-org_admin"]').click();
    await page.getByLabel('Clearance').selectOption('UNCLASSIFIED');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByTestId('invitation-sent').waitFor();
    expect(await page.getByTestId('invitation-sent').innerText()).toContain(INVITEE.email);
    await expect.poll(() => page.getByTestId('users-table').innerText()).toContain(INVITEE.name);
    await expectAxeClean(page, 'organisation detail after invite');
  });

  test('the mail outbox holds the invitation, and the invitee accepts it and is signed in', async () => {
    const { page } = admin;
    await visit(page, base, '/admin/outbox');
    await expect.poll(() => page.title()).toBe('Mail outbox | Forewarn');
    await expectAxeClean(page, 'mail outbox');
    const row = page.getByTestId('outbox-table').locator('tr', { hasText: INVITEE.email }).first();
    await row.getByRole('button', { name: /^View/ }).click();
    const body = await page.getByTestId('mail-body').innerText();
    await expectAxeClean(page, 'mail outbox with a body open');
    const token = /accept-invite\?token=([A-Za-z0-9_-]+)/.exec(body)?.[1];
    expect(token, `no invitation link in the mail body:\n${body}`).toBeTruthy();

    const guest = await browser();
    invitee = guest;
    await visit(guest.page, base, `/accept-invite?token=${token}`);
    await expect.poll(() => guest.page.title()).toBe('Accept your invitation | Forewarn');
    await expectAxeClean(guest.page, 'accept invitation');
    await guest.page.getByLabel('Full name').fill(INVITEE.name);
    await guest.page.locator('#new-password').fill(INVITEE.password);
    await guest.page.locator('#confirm-password').fill(INVITEE.password);
    await guest.page.getByRole('button', { name: 'Accept and sign in' }).click();
    await guest.page.waitForURL((url) => url.pathname === '/');
    await settled(guest.page);
    // The route changes before the dashboard renders; wait for its heading rather than read it once.
    await expect.poll(() => guest.page.locator('main h1').innerText(), { timeout: 10_000 }).toContain(INVITEE.name);
    const labels = await navLabels(guest.page);
    expect(labels).toContain('Organisations');
    expect(labels).not.toContain('Mail outbox');
    expect(labels).not.toContain('Jobs');
    await expectAxeClean(guest.page, 'dashboard (new organisation administrator)');

    // The administrator raises the invitee to SECRET: without TOTP the invitee's new session is capped.
    await visit(page, base, '/organisations');
    await page.getByTestId('orgs-table').getByRole('link', { name: NEW_ORG }).click();
    await page.getByRole('heading', { level: 1, name: NEW_ORG }).waitFor();
    await settled(page);
    await page.getByTestId('users-table').locator('tr', { hasText: INVITEE.email }).getByRole('button', { name: /^Edit/ }).click();
    await page.getByTestId('edit-user').waitFor();
    await expectAxeClean(page, 'organisation detail editing a user');
    await page.locator('#edit-clearance').selectOption('SECRET');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByTestId('users-table').locator('tr', { hasText: INVITEE.email }).innerText()).toContain('SECRET');

    // A change of privileges ends the user's sessions: the invitee is sent to sign in again.
    await guest.page.goto(`${base}/`);
    await guest.page.waitForURL((url) => url.pathname === '/sign-in');
    await settled(guest.page);
    await signIn(guest.page, base, { email: INVITEE.email, password: INVITEE.password });
    await guest.page.getByTestId('clearance-warning').waitFor();
    expect(await guest.page.getByTestId('effective-clearance').innerText()).toBe('CONFIDENTIAL');
    await expectAxeClean(guest.page, 'dashboard with the clearance warning');
  });

  test('the audit trail lists events, filters, exports, verifies the chain, and marks the page', async () => {
    const { page } = admin;
    await visit(page, base, '/audit');
    await expect.poll(() => page.title()).toBe('Audit trail | Forewarn');
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAxeClean(page, 'audit trail');

    // The banner shows the highest marking of the rows shown.
    const markings = (await table.locator('tbody tr td:last-child').allInnerTexts()).map((t) => t.trim().split('//')[0]!);
    const highest = markings.reduce((a, b) => (CLASSIFICATIONS.indexOf(b) > CLASSIFICATIONS.indexOf(a) ? b : a), 'UNCLASSIFIED');
    expect((await bannerText(page, 'top')).split('//')[0]).toBe(highest);
    expect(await bannerText(page, 'bottom')).toBe(await bannerText(page, 'top'));

    await page.getByLabel('Actor email').fill(ADMIN.email);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => {
      const actors = await table.locator('tbody tr td:nth-child(2)').allInnerTexts();
      return actors.length > 0 && actors.every((a) => a.trim() === ADMIN.email);
    }).toBe(true);

    const csvHref = await page.getByRole('link', { name: /^Export CSV/ }).getAttribute('href');
    expect(csvHref).toContain('format=csv');
    expect(csvHref).toContain(`actor=${encodeURIComponent(ADMIN.email)}`);
    const csv = await page.request.get(new URL(csvHref!, base).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    const jsonHref = await page.getByRole('link', { name: /^Export JSON/ }).getAttribute('href');
    const json = await page.request.get(new URL(jsonHref!, base).toString());
    expect(json.status()).toBe(200);
    await expectAxeClean(page, 'audit trail filtered');

    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = page.getByTestId('verify-result');
    await expect.poll(() => result.innerText()).toMatch(/audit chain is/i);
    await expectAxeClean(page, 'audit trail after verify');
    expect(await result.innerText()).toMatch(/audit chain is intact: [\d,]+ events checked/i);
  });

  test('the audit trail loads more events with its cursor', async () => {
    expect(invitee, 'the invitee from the outbox test').toBeDefined();
    // Refusals are audited: 60 forbidden reads by an organisation administrator make 60 events.
    for (let i = 0; i < 60; i++) {
      const res = await invitee!.page.request.get(`${base}/api/v1/admin/jobs/dead`);
      expect(res.status()).toBe(403);
    }
    const { page } = admin;
    await visit(page, base, '/audit');
    const rows = page.getByTestId('audit-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    const firstSeqs = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
    await page.getByRole('button', { name: 'Load more events' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(50);
    const allSeqs = await rows.evaluateAll((trs) => trs.map((tr) => Number(tr.getAttribute('data-seq'))));
    expect(allSeqs.slice(0, 50)).toEqual(firstSeqs);
    expect(new Set(allSeqs).size).toBe(allSeqs.length);
    expect([...allSeqs].sort((a, b) => b - a)).toEqual(allSeqs);
    await expectAxeClean(page, 'audit trail after loading more');
  });

  test('on a narrow screen the navigation stacks above the content, every link shown, and passes axe', async () => {
    const { page } = admin;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await visit(page, base, '/audit');
      const nav = page.getByRole('navigation', { name: 'Primary navigation' });
      const account = nav.getByRole('link', { name: 'Account' });
      await account.scrollIntoViewIfNeeded();
      expect(await account.isVisible()).toBe(true);
      expect(await nav.getByRole('heading', { name: 'Administration' }).isVisible()).toBe(true);
      const current = nav.locator('[aria-current="page"]');
      expect(await current.allInnerTexts()).toEqual(['Audit trail']);
      expect(await current.getAttribute('class')).toContain('usa-current');
      const navBox = await nav.boundingBox();
      const mainBox = await page.locator('#main-content').boundingBox();
      expect(navBox!.y + navBox!.height).toBeLessThanOrEqual(mainBox!.y);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectAxeClean(page, 'audit trail with the navigation stacked above it');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('the jobs page passes axe', async () => {
    const { page } = admin;
    await visit(page, base, '/admin/jobs');
    await expect.poll(() => page.title()).toBe('Jobs | Forewarn');
    await expectAxeClean(page, 'jobs');
  });

  test('the notifications page lists a notice, marks it read and passes axe', async () => {
    const { page } = admin;
    const [u] = (await fw.database.executeSql("select id from users where email = 'admin@forewarn.demo'")).rows as { id: string }[];
    await fw.database.db.transaction((tx) =>
      fw.services.notify.notify(tx, { userIds: [u.id], title: 'Consultation answered', body: 'NSA answered a consultation on a model.', link: '/consultations', email: false }),
    );
    await visit(page, base, '/notifications');
    await expect.poll(() => page.title()).toBe('Notifications | Forewarn');
    await expect.poll(() => page.getByTestId('notifications').innerText()).toContain('Consultation answered');
    await expectAxeClean(page, 'notifications');
    await page.getByRole('button', { name: /Mark read/ }).first().click();
    await expect.poll(() => page.locator('main .usa-intro').innerText()).toMatch(/no unread/i);
    const [row] = (await fw.database.executeSql('select read_at from notifications where user_id = $1', [u.id])).rows as { read_at: Date | null }[];
    expect(row.read_at).not.toBeNull();
  });

  test('a lab engineer sees neither Organisations nor Audit trail, enrols TOTP and signs out', async () => {
    const engineer = await browser();
    const { page } = engineer;
    await signIn(page, base, ENGINEER);
    const labels = await navLabels(page);
    for (const label of ['Home', 'Models', 'Notifications', 'Account']) expect(labels).toContain(label);
    for (const label of ['Organisations', 'Audit trail', 'Mail outbox', 'Jobs']) expect(labels).not.toContain(label);
    await expectAxeClean(page, 'dashboard (lab engineer)');

    await visit(page, base, '/audit');
    await expect.poll(() => page.locator('main h1').innerText()).toMatch(/not available/i);
    await expectAxeClean(page, 'audit trail refused');
    await visit(page, base, '/no-such-page');
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Page not found');
    await expectAxeClean(page, 'not found');

    await visit(page, base, '/account');
    await page.getByRole('button', { name: 'Enrol an authenticator app' }).click();
    const secretField = page.locator('#totp-secret');
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    expect(await page.locator('#totp-url').inputValue()).toMatch(/^otpauth:\/\/totp\//);
    await expectAxeClean(page, 'account during TOTP enrolment');
    await page.getByLabel('Code from your app').fill(totp(secret, Date.now()));
    await page.getByRole('button', { name: 'Confirm code' }).click();
    await page.getByText('Your authenticator app is enrolled').waitFor();
    await expect.poll(() => page.getByTestId('totp-status').innerText()).toMatch(/is enrolled/);
    await expectAxeClean(page, 'account after TOTP enrolment');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/sign-in');
    await visit(page, base, '/account');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
