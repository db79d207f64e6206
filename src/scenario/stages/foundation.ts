import { ApiClient, signInDemo } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';

/** Sign-in, organisations, access control and the audit chain, as the demo users would use them. */
export async function foundationStage(base: string, password: string): Promise<Stage> {
  const s = new Stage('foundation');
  let admin!: ApiClient;
  let orgId = '';
  let orgAdmin!: ApiClient;

  await s.step('platform administrator signs in with password and TOTP', async () => {
    admin = await signInDemo(base, 'admin@forewarn.demo', password);
    const me = await admin.get('/api/v1/me');
    expectStatus(me, 200, 'GET /me');
    if (!me.body.session.mfa || me.body.session.effectiveClearance !== 'SECRET') throw new Error('expected an MFA session at SECRET');
    return { clearance: me.body.session.effectiveClearance, abilities: me.body.abilities.length };
  });

  await s.step('administrator creates a water utility organisation', async () => {
    const r = await admin.post('/api/v1/organisations', { name: 'Scenario Rural Water District', kind: 'operator', sector: 'water' });
    expectStatus(r, 201, 'create organisation');
    orgId = r.body.id;
    return { id: orgId };
  });

  await s.step('bad input is refused with a problem response and creates nothing', async () => {
    const r = await admin.post('/api/v1/organisations', { name: 'Broken Agency', kind: 'agency' });
    expectStatus(r, 400, 'agency without code');
    const list = await admin.get('/api/v1/organisations');
    if (list.body.items.some((o: { name: string }) => o.name === 'Broken Agency')) throw new Error('a refused organisation was created');
    return { type: r.body.type };
  });

  await s.step('administrator invites the utility’s IT lead, who accepts from the emailed link', async () => {
    const inv = await admin.post(`/api/v1/organisations/${orgId}/invitations`, { email: 'it@scenario-water.demo', name: 'Wren Waters', roles: ['org_admin', 'operator_staff'] });
    expectStatus(inv, 201, 'invite');
    const outbox = await admin.get('/api/v1/admin/outbox');
    const mail = outbox.body.items.find((m: { to: string }) => m.to === 'it@scenario-water.demo');
    const token = /token=(fwi_[A-Za-z0-9_-]+)/.exec(mail?.body ?? '')?.[1];
    if (!token) throw new Error('no invitation link in the outbox');
    orgAdmin = new ApiClient(base);
    const accepted = await orgAdmin.post('/api/v1/auth/invitations/accept', { token, password: 'scenario-password-1' });
    expectStatus(accepted, 200, 'accept invitation');
    return { organisation: accepted.body.organisation.name, mail: mail.status };
  });

  await s.step('the utility’s administrator cannot grant a clearance above its own', async () => {
    const r = await orgAdmin.post(`/api/v1/organisations/${orgId}/invitations`, { email: 'x@scenario-water.demo', name: 'X', roles: ['operator_staff'], clearance: 'SECRET' });
    expectStatus(r, 403, 'over-clearance grant');
    return { type: r.body.type };
  });

  await s.step('another organisation’s users do not exist for the lab (404, not 403)', async () => {
    const lab = await signInDemo(base, 'lab.admin@meridian.demo', password);
    const r = await lab.get(`/api/v1/organisations/${orgId}/users`);
    expectStatus(r, 404, 'cross-organisation read');
    const create = await lab.post('/api/v1/organisations', { name: 'Lab Shadow Org', kind: 'vendor' });
    expectStatus(create, 403, 'organisation creation by a lab');
  });

  await s.step('a browser request without the CSRF token is refused', async () => {
    const lab = await signInDemo(base, 'lab.engineer@meridian.demo', password);
    lab.csrf = null;
    const r = await lab.post('/api/v1/me/tokens', { name: 'forged' });
    expectStatus(r, 403, 'CSRF-less change');
  });

  await s.step('lab engineer creates an API token, uses it, revokes it; the next call is refused', async () => {
    const lab = await signInDemo(base, 'lab.engineer@meridian.demo', password);
    const created = await lab.post('/api/v1/me/tokens', { name: 'release pipeline', expiresInDays: 7 });
    expectStatus(created, 201, 'create token');
    const bearer = new ApiClient(base, created.body.token);
    expectStatus(await bearer.get('/api/v1/me'), 200, 'token use');
    expectStatus(await lab.del(`/api/v1/me/tokens/${created.body.id}`), 204, 'revoke');
    expectStatus(await bearer.get('/api/v1/me'), 401, 'revoked token use');
  });

  await s.step('the auditor finds the organisation’s creation and the refusals in the trail', async () => {
    const auditor = await signInDemo(base, 'auditor@forewarn.demo', password);
    const created = await auditor.get('/api/v1/audit/events?action=organisation.create');
    const denied = await auditor.get('/api/v1/audit/events?outcome=denied');
    if (!created.body.items.some((e: { recordId: string }) => e.recordId === orgId)) throw new Error('organisation.create not in the trail');
    if (denied.body.items.length < 2) throw new Error('refusals were not audited');
    return { denials: denied.body.items.length };
  });

  await s.step('the audit hash chain verifies', async () => {
    const auditor = await signInDemo(base, 'auditor@forewarn.demo', password);
    const r = await auditor.post('/api/v1/audit/verify');
    expectStatus(r, 200, 'verify');
    if (!r.body.ok) throw new Error(`chain broken at ${r.body.firstBroken?.seq}`);
    return { events: r.body.checked };
  });

  return s;
}
