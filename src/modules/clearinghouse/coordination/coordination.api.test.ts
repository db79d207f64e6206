import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, userIdOf, type Client, type TestInstance } from '../../../../tests/support/harness.ts';
import { nativeDoc } from '../clearinghouse.fixtures.ts';
import { DEMO_VENDOR_PRODUCTS, seedCoordinationDemo } from './demo.ts';

let t: TestInstance;
let treasury: Client;
let openhealth: Client;
let acme: Client;
let lab: Client;
let hospital: Client;
let openhealthOrg: string;
let acmeOrg: string;

const CASES = '/api/v1/clearinghouse/cases';
const PRODUCTS = '/api/v1/clearinghouse/vendor-products';
const DAY = 86_400_000;

async function one<T = any>(query: string, values?: unknown[]): Promise<T> {
  return (await t.rows<T>(query, values))[0]!;
}
const count = async (query: string, values?: unknown[]) => Number((await one<{ n: number }>(`select count(*)::int as n from (${query}) q`, values)).n);

async function until(what: string, check: () => Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A vulnerability reported by the lab with these affected purls, moved to validated by Treasury. */
async function validatedVulnerability(tag: string, purls: string[]): Promise<{ id: string; reportId: string }> {
  const r = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc(tag, { affected: purls.map((purl) => ({ purl })) }) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.candidates[0].vulnerabilityId as string;
  for (const to of ['triage', 'validating', 'validated']) expect((await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${id}/transition`, { to })).status).toBe(200);
  return { id, reportId: r.body.reportId };
}

/** A model whose review finding was reported as this report (rows: the findings module is not under test). */
async function linkToModel(reportId: string, plannedReleaseAt: Date): Promise<string> {
  const labOrg = await orgIdOf(t, 'Meridian AI');
  const labUser = await userIdOf(t, 'lab.engineer@meridian.demo');
  const m = await one<{ id: string }>(
    `insert into models (owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
     values ($1, 1, gen_random_uuid(), 'Coord test model', $2, 'text', $3, 1e26, 'reported', 'x', 'x', $4) returning id`,
    [labOrg, `v-${reportId.slice(0, 8)}`, plannedReleaseAt.toISOString(), labUser],
  );
  await t.rows(
    `insert into findings (owner_org_id, classification, model_id, window_id, model_owner_org_id, kind, title, summary_enc, rating, status, due_days_before_release, created_by, clearinghouse_report_id)
     values ($1, 1, $2, gen_random_uuid(), $1, 'vulnerability', 'f', 'x', 'high', 'filed', 14, $3, $4)`,
    [labOrg, m.id, labUser, reportId],
  );
  return m.id;
}

async function addVendorOrg(name: string, email: string): Promise<string> {
  await t.rows(`insert into organisations (name, kind) values ($1, 'vendor')`, [name]);
  await t.rows(
    `insert into users (org_id, email, name, password_hash, roles, clearance)
     select o.id, $2, 'Second Vendor', u.password_hash, '{vendor_coordinator}', 0
     from organisations o, users u where o.name = $1 and u.email = 'security@openhealth.demo'`,
    [name, email],
  );
  return orgIdOf(t, name);
}

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
  openhealth = await as(t.url, 'security@openhealth.demo');
  lab = await as(t.url, 'lab.engineer@meridian.demo');
  hospital = await as(t.url, 'it@prairiehospital.demo');
  openhealthOrg = await orgIdOf(t, 'OpenHealth Software');
  // Demo mode registers OpenHealth's products at start; these tests register them through the API.
  await t.rows('delete from coordination_vendor_products where vendor_org_id = $1', [openhealthOrg]);
  acmeOrg = await addVendorOrg('Acme Medical Devices', 'security@acmemed.demo');
  acme = await as(t.url, 'security@acmemed.demo');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const productRows = () => count('select 1 from coordination_vendor_products');

describe('vendor products', () => {
  it('a vendor registers packages and namespaces, lists and removes its own', async () => {
    const a = await openhealth.post(PRODUCTS, { purl: 'pkg:npm/%40openhealth/ehr-core', label: 'EHR core' });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ purl: 'pkg:npm/%40openhealth/ehr-core', match: 'package', label: 'EHR core' });
    const b = await openhealth.post(PRODUCTS, { purl: 'pkg:maven/org.openhealth', match: 'namespace' });
    expect(b.status).toBe(201);
    expect(b.body.purl).toBe('pkg:maven/org.openhealth/*');
    expect((await acme.post(PRODUCTS, { purl: 'pkg:pypi/acme-infusion' })).status).toBe(201);
    const list = await openhealth.get(PRODUCTS);
    expect(list.body.items.map((p: { purl: string }) => p.purl).sort()).toEqual(['pkg:maven/org.openhealth/*', 'pkg:npm/%40openhealth/ehr-core']);
    const tmp = await openhealth.post(PRODUCTS, { purl: 'pkg:npm/openhealth-temp' });
    expect((await openhealth.del(`${PRODUCTS}/${tmp.body.id}`)).status).toBe(204);
    expect(await count('select 1 from coordination_vendor_products where id = $1', [tmp.body.id])).toBe(0);
    // the demo's own registrations at start, then these four
    expect((await auditRows(t, 'vendor_product.register')).length).toBe(DEMO_VENDOR_PRODUCTS.length + 4);
  });

  it('refuses duplicates, bad purls, other roles and another vendor’s products; nothing changes', async () => {
    const before = await productRows();
    expect((await openhealth.post(PRODUCTS, { purl: 'pkg:npm/%40openhealth/ehr-core' })).status).toBe(409);
    const bad = await openhealth.post(PRODUCTS, { purl: 'not a purl at all' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/purl');
    expect((await openhealth.post(PRODUCTS, { purl: 'pkg:npm/lodash@4.17.21' })).status).toBe(400);
    expect((await openhealth.post(PRODUCTS, { purl: 'pkg:npm/x', extra: 1 })).status).toBe(400);
    expect((await hospital.post(PRODUCTS, { purl: 'pkg:npm/hospital-thing' })).status).toBe(403);
    expect((await lab.get(PRODUCTS)).status).toBe(403);
    const theirs = (await openhealth.get(PRODUCTS)).body.items[0].id;
    expect((await acme.del(`${PRODUCTS}/${theirs}`)).status).toBe(404);
    expect(await productRows()).toBe(before);
    // Acme's list does not show OpenHealth's products.
    expect((await acme.get(PRODUCTS)).body.items.map((p: { purl: string }) => p.purl)).toEqual(['pkg:pypi/acme-infusion']);
  });
});

let caseId: string;
let vulnId: string;
let modelRelease: Date;

describe('opening a case', () => {
  it('refuses bad input, the wrong roles and a vulnerability that is not validated; nothing changes', async () => {
    const v = await validatedVulnerability('coord-neg', ['pkg:maven/org.openhealth/fhir-server']);
    const cases = () => count('select 1 from coordination_cases');
    const before = await cases();
    const operatorOrg = await orgIdOf(t, 'Prairie County Hospital');
    const bad = await treasury.post(CASES, { vulnerabilityId: v.id, vendorOrgIds: [operatorOrg] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/vendorOrgIds/0');
    const est = await treasury.post(CASES, { vulnerabilityId: v.id, embargo: { localTime: '2030-01-01T09:00', timeZone: 'EST' } });
    expect(est.status).toBe(400);
    expect(est.headers.get('content-type')).toContain('application/problem+json');
    expect(est.body.errors[0].path).toBe('/embargo/timeZone');
    expect((await treasury.post(CASES, { vulnerabilityId: v.id, embargo: { timeZone: 'Mars/Olympus_Mons' } })).status).toBe(400);
    expect((await treasury.post(CASES, { vulnerabilityId: v.id, embargo: { releaseAt: '2020-01-01T09:00:00Z', timeZone: 'UTC' } })).status).toBe(400);
    expect((await treasury.post(CASES, { vulnerabilityId: 'nope' })).status).toBe(400);
    expect((await lab.post(CASES, { vulnerabilityId: v.id })).status).toBe(403);
    expect((await openhealth.post(CASES, { vulnerabilityId: v.id })).status).toBe(403);
    expect((await hospital.post(CASES, { vulnerabilityId: v.id })).status).toBe(403);
    const received = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc('coord-received') });
    expect((await treasury.post(CASES, { vulnerabilityId: received.body.candidates[0].vulnerabilityId })).status).toBe(409);
    expect(await cases()).toBe(before);
    expect((await one<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [v.id])).status).toBe('validated');
    expect(await count('select 1 from coordination_case_vendors cv join coordination_cases c on c.id = cv.case_id where c.vulnerability_id = $1', [v.id])).toBe(0);
  });

  it('adds vendors by purl and by hand, defaults the embargo ahead of the model’s release and notifies each vendor', async () => {
    const v = await validatedVulnerability('coord-main', ['pkg:maven/org.openhealth/fhir-server', 'pkg:npm/unrelated-lib']);
    vulnId = v.id;
    modelRelease = new Date(Date.now() + 60 * DAY);
    const modelId = await linkToModel(v.reportId, modelRelease);
    const r = await treasury.post(CASES, { vulnerabilityId: v.id, vendorOrgIds: [acmeOrg] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    caseId = r.body.id;
    expect(r.body.view).toBe('coordinator');
    expect(r.body.title).toContain('coord-main');
    const vendors = Object.fromEntries(r.body.vendors.map((x: { orgId: string }) => [x.orgId, x]));
    expect(vendors[openhealthOrg]).toMatchObject({ name: 'OpenHealth Software', addedHow: 'purl', matchedPurls: ['pkg:maven/org.openhealth/fhir-server'] });
    expect(vendors[acmeOrg]).toMatchObject({ addedHow: 'hand', matchedPurls: [] });
    // 14 days before the model's planned release, on the hour in New York, said with its zone.
    const expected = modelRelease.getTime() - 14 * DAY;
    const at = new Date(r.body.embargo.releaseAt).getTime();
    expect(expected - at).toBeGreaterThanOrEqual(0);
    expect(expected - at).toBeLessThan(3_600_000);
    expect(r.body.embargo).toMatchObject({ timeZone: 'America/New_York', active: true });
    expect(r.body.embargo.local).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:00:00-0[45]:00$/);
    expect(r.body.embargo.display).toMatch(/\(America\/New_York\)$/);
    expect(r.body.embargoHistory).toEqual([expect.objectContaining({ action: 'default', basis: 'model_release', modelId, reason: null })]);
    expect((await one<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [v.id])).status).toBe('coordinating');
    expect(await count('select 1 from coordination_case_vendors where case_id = $1', [caseId])).toBe(2);
    expect(await count("select 1 from pgboss.job where name = 'coordination.notify-vendor' and data->>'caseId' = $1", [caseId])).toBe(2);
    expect((await auditRows(t, 'coordination_case.open')).map((e) => e.record_id)).toContain(caseId);
    // Each vendor's coordinators are told by email, without the case's content.
    await until('both vendors notified', async () => (await count('select 1 from coordination_case_vendors where case_id = $1 and notified_at is not null', [caseId])) === 2);
    const mail = await t.rows<{ subject: string; text: string }>("select subject, body_text as text from mail_outbox where to_address = 'security@acmemed.demo'");
    expect(mail.some((m) => m.subject === 'Forewarn: New coordinated vulnerability case')).toBe(true);
    expect(mail.map((m) => m.text).join(' ')).not.toContain('coord-main');
    // The publication helpers read the case.
    const embargo = await t.fw.services.coordination.embargoOf(v.id);
    expect(embargo).toEqual({ releaseAt: new Date(r.body.embargo.releaseAt), timeZone: 'America/New_York' });
    expect(await t.fw.services.coordination.participantsOf(v.id)).toHaveLength(2);
  });
});

describe('vendors in a case', () => {
  it('a vendor sees its own part only; statements need their justification or fixed version', async () => {
    const v = await openhealth.get(`${CASES}/${caseId}`);
    expect(v.status).toBe(200);
    expect(v.body.view).toBe('vendor');
    expect(v.body.vendors.map((x: { orgId: string }) => x.orgId)).toEqual([openhealthOrg]);
    expect(v.body.embargoHistory).toEqual([]);
    const statements = () => count('select 1 from coordination_statements where case_id = $1', [caseId]);
    const noJustification = await openhealth.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:maven/org.openhealth/fhir-server', status: 'not_affected' });
    expect(noJustification.status).toBe(400);
    expect(noJustification.body.errors[0].path).toBe('/justification');
    expect((await acme.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:pypi/acme-infusion', status: 'fixed' })).status).toBe(400);
    expect((await acme.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:pypi/acme-infusion', status: 'maybe' })).status).toBe(400);
    // Not OpenHealth's product, and not one the vulnerability names.
    const notTheirs = await openhealth.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:pypi/acme-infusion', status: 'affected' });
    expect(notTheirs.status).toBe(400);
    expect(notTheirs.body.errors[0].path).toBe('/product');
    expect(await statements()).toBe(0);
    expect((await one<{ responded_at: unknown }>('select responded_at from coordination_case_vendors where case_id = $1 and vendor_org_id = $2', [caseId, openhealthOrg])).responded_at).toBeNull();
    const ok = await openhealth.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:maven/org.openhealth/fhir-server@4.1.0', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.statements).toEqual([expect.objectContaining({ product: 'pkg:maven/org.openhealth/fhir-server', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', shared: false })]);
    const fixed = await acme.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:pypi/acme-infusion', status: 'fixed', fixedVersion: '3.2.1', remediation: 'Upgrade to 3.2.1.' });
    expect(fixed.status).toBe(200);
    expect(await statements()).toBe(2);
    expect(await count('select 1 from coordination_case_vendors where case_id = $1 and responded_at is not null', [caseId])).toBe(2);
    const advisory = await t.fw.services.coordination.statementsOf(vulnId);
    expect(advisory.map((s) => [s.vendorName, s.status, s.fixedVersion]).sort()).toEqual([
      ['Acme Medical Devices', 'fixed', '3.2.1'],
      ['OpenHealth Software', 'not_affected', null],
    ]);
  });

  it('a vendor does not see another vendor’s statement until a coordinator shares it', async () => {
    const seen = async (c: Client) => (await c.get(`${CASES}/${caseId}`)).body.statements.map((s: { vendorName: string }) => s.vendorName);
    expect(await seen(acme)).toEqual(['Acme Medical Devices']);
    expect(await seen(openhealth)).toEqual(['OpenHealth Software']);
    const all = (await treasury.get(`${CASES}/${caseId}`)).body.statements;
    const acmeStatement = all.find((s: { vendorName: string }) => s.vendorName === 'Acme Medical Devices');
    // A vendor cannot share, even its own statement.
    expect((await acme.post(`${CASES}/${caseId}/statements/${acmeStatement.id}/share`, { shared: true })).status).toBe(403);
    expect(await seen(openhealth)).toEqual(['OpenHealth Software']);
    const shared = await treasury.post(`${CASES}/${caseId}/statements/${acmeStatement.id}/share`, { shared: true });
    expect(shared.status).toBe(200);
    expect(await seen(openhealth)).toEqual(['Acme Medical Devices', 'OpenHealth Software']);
    expect(await seen(acme)).toEqual(['Acme Medical Devices']);
    expect((await auditRows(t, 'coordination_case.share_statement')).length).toBe(1);
    // A changed statement is not shared until a coordinator shares it again.
    expect((await acme.request('PUT', `${CASES}/${caseId}/statements`, { product: 'pkg:pypi/acme-infusion', status: 'fixed', fixedVersion: '3.2.2' })).status).toBe(200);
    expect(await seen(openhealth)).toEqual(['OpenHealth Software']);
    expect((await treasury.post(`${CASES}/${caseId}/statements/${acmeStatement.id}/share`, { shared: true })).status).toBe(200);
    expect((await openhealth.get(`${CASES}/${caseId}`)).body.statements.find((s: { vendorName: string }) => s.vendorName === 'Acme Medical Devices').fixedVersion).toBe('3.2.2');
  });

  it('the thread: internal notes stay with coordinators, a vendor sees what was addressed to it', async () => {
    const post = (c: Client, body: unknown) => c.post(`${CASES}/${caseId}/messages`, body);
    expect((await post(treasury, { body: 'Internal: vendor list looks complete.', visibility: 'internal' })).status).toBe(201);
    expect((await post(treasury, { body: 'OpenHealth: please confirm the FHIR server path.', visibility: 'vendor', vendorOrgId: openhealthOrg })).status).toBe(201);
    expect((await post(treasury, { body: 'All vendors: embargo plan attached.', visibility: 'all_vendors' })).status).toBe(201);
    const mine = await post(acme, { body: 'Acme: our fix ships Friday.' });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ visibility: 'vendor', vendorOrgId: acmeOrg, mine: true });
    const before = await count('select 1 from coordination_messages');
    expect((await post(acme, { body: 'to everyone', visibility: 'all_vendors' })).status).toBe(400);
    expect((await post(acme, { body: 'to OpenHealth', visibility: 'vendor', vendorOrgId: openhealthOrg })).status).toBe(400);
    expect((await post(treasury, { body: 'x', visibility: 'vendor' })).status).toBe(400);
    expect((await post(treasury, { body: '' })).status).toBe(400);
    expect(await count('select 1 from coordination_messages')).toBe(before);
    const bodies = async (c: Client) => (await c.get(`${CASES}/${caseId}`)).body.messages.map((m: { body: string }) => m.body);
    expect(await bodies(treasury)).toHaveLength(4);
    expect(await bodies(openhealth)).toEqual(['OpenHealth: please confirm the FHIR server path.', 'All vendors: embargo plan attached.']);
    expect(await bodies(acme)).toEqual(['All vendors: embargo plan attached.', 'Acme: our fix ships Friday.']);
    const stored = await t.rows<{ body_enc: string }>('select body_enc from coordination_messages');
    expect(stored.map((s) => s.body_enc).join(' ')).not.toContain('FHIR');
  });

  it('a vendor not in a case does not find it; nothing it sends changes anything', async () => {
    const other = await validatedVulnerability('coord-only-openhealth', ['pkg:npm/%40openhealth/ehr-core']);
    const r = await treasury.post(CASES, { vulnerabilityId: other.id, embargo: { timeZone: 'Asia/Kolkata' } });
    expect(r.status).toBe(201);
    // No model behind it: 90 days, stated on the hour in the zone asked for.
    expect(r.body.embargo.timeZone).toBe('Asia/Kolkata');
    expect(r.body.embargo.local).toMatch(/T\d{2}:00:00\+05:30$/);
    expect(r.body.embargoHistory[0]).toMatchObject({ action: 'default', basis: 'fallback' });
    expect(Math.abs(new Date(r.body.embargo.releaseAt).getTime() - (Date.now() + 90 * DAY))).toBeLessThan(2 * 3_600_000);
    expect(r.body.vendors.map((v: { orgId: string }) => v.orgId)).toEqual([openhealthOrg]);
    const id = r.body.id;
    expect((await acme.get(`${CASES}/${id}`)).status).toBe(404);
    expect((await acme.request('PUT', `${CASES}/${id}/statements`, { product: 'pkg:pypi/acme-infusion', status: 'affected' })).status).toBe(404);
    expect((await acme.post(`${CASES}/${id}/messages`, { body: 'hello' })).status).toBe(404);
    expect((await hospital.get(`${CASES}/${id}`)).status).toBe(404);
    expect((await lab.get(`${CASES}/${id}`)).status).toBe(404);
    expect((await acme.get(`${CASES}/mine`)).body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect((await openhealth.get(`${CASES}/mine`)).body.items.map((c: { id: string }) => c.id).sort()).toEqual([caseId, id].sort());
    expect(await count('select 1 from coordination_statements where case_id = $1', [id])).toBe(0);
    expect(await count('select 1 from coordination_messages where case_id = $1', [id])).toBe(0);
    // Added by hand, Acme finds it.
    expect((await treasury.post(`${CASES}/${id}/vendors`, { vendorOrgId: acmeOrg })).status).toBe(200);
    expect((await treasury.post(`${CASES}/${id}/vendors`, { vendorOrgId: acmeOrg })).status).toBe(409);
    expect((await acme.get(`${CASES}/${id}`)).status).toBe(200);
  });
});

describe('coordinator routes', () => {
  it('operators, labs and vendors cannot use them', async () => {
    const snapshot = async () => JSON.stringify(await t.rows('select embargo_release_at, status, updated_at from coordination_cases where id = $1', [caseId]));
    const before = await snapshot();
    for (const c of [hospital, lab, openhealth]) {
      expect((await c.get(CASES)).status).toBe(403);
      expect((await c.get('/api/v1/clearinghouse/vendors')).status).toBe(403);
      expect((await c.post(`${CASES}/${caseId}/vendors`, { vendorOrgId: acmeOrg })).status).toBe(403);
      expect((await c.request('PUT', `${CASES}/${caseId}/embargo`, { localTime: '2030-01-01T09:00', timeZone: 'UTC', reason: 'x' })).status).toBe(403);
      expect((await c.post(`${CASES}/${caseId}/embargo/end`, { reason: 'x' })).status).toBe(403);
      expect((await c.post(`${CASES}/${caseId}/reminders`)).status).toBe(403);
      expect((await c.post(`${CASES}/${caseId}/close`, { reason: 'x' })).status).toBe(403);
    }
    expect((await hospital.get(`${CASES}/mine`)).status).toBe(403);
    expect(await snapshot()).toBe(before);
  });

  it('the board shows embargo clocks and silent vendors; reminders go by email, one job per vendor', async () => {
    const v = await validatedVulnerability('coord-silent', ['pkg:npm/%40openhealth/ehr-core', 'pkg:pypi/acme-infusion']);
    const r = await treasury.post(CASES, { vulnerabilityId: v.id, embargo: { localTime: '2031-03-01T09:00', timeZone: 'Europe/Paris' } });
    expect(r.status).toBe(201);
    expect(r.body.embargo).toMatchObject({ releaseAt: '2031-03-01T08:00:00.000Z', local: '2031-03-01T09:00:00+01:00', timeZone: 'Europe/Paris' });
    const id = r.body.id;
    // Ten days ago, as if the notification job had run then.
    await t.rows(`update coordination_case_vendors set notified_at = now() - interval '10 days 2 hours' where case_id = $1`, [id]);
    await openhealth.post(`${CASES}/${id}/messages`, { body: 'Looking into it.' });
    const board = await treasury.get(`${CASES}?silent=true`);
    expect(board.status).toBe(200);
    const item = board.body.items.find((c: { id: string }) => c.id === id);
    expect(item).toMatchObject({ vendors: 2, silentVendors: 1, longestSilentDays: 10, embargo: { timeZone: 'Europe/Paris', active: true } });
    expect(board.body.items.some((c: { id: string }) => c.id === caseId)).toBe(false);
    const detail = (await treasury.get(`${CASES}/${id}`)).body.vendors;
    expect(detail.find((x: { orgId: string }) => x.orgId === acmeOrg).silentDays).toBe(10);
    expect(detail.find((x: { orgId: string }) => x.orgId === openhealthOrg).silentDays).toBeNull();
    const remind = await treasury.post(`${CASES}/${id}/reminders`);
    expect(remind.body).toEqual({ queued: 1 });
    await until('reminded', async () => (await one<{ n: number }>('select reminders_sent as n from coordination_case_vendors where case_id = $1 and vendor_org_id = $2', [id, acmeOrg])).n === 1);
    expect(await count("select 1 from mail_outbox where to_address = 'security@acmemed.demo' and subject like '%Reminder%'")).toBe(1);
    // The daily sweep finds no one: Acme was just reminded, OpenHealth answered.
    expect(await t.fw.services.coordination.remindSweep()).toBe(0);
  });
});

describe('embargo', () => {
  const history = () => count('select 1 from coordination_embargo_history where case_id = $1', [caseId]);
  const releaseAt = async () => (await one<{ at: string }>('select embargo_release_at::text as at from coordination_cases where id = $1', [caseId])).at;

  it('ending or changing it needs a reason and a valid time; bad input changes nothing', async () => {
    const [h, at] = [await history(), await releaseAt()];
    expect((await treasury.post(`${CASES}/${caseId}/embargo/end`, {})).status).toBe(400);
    expect((await treasury.post(`${CASES}/${caseId}/embargo/end`, { reason: '   ' })).status).toBe(400);
    expect((await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { localTime: '2031-01-01T09:00', timeZone: 'America/New_York' })).status).toBe(400);
    expect((await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { localTime: '2031-01-01T09:00', timeZone: 'Not/AZone', reason: 'r' })).status).toBe(400);
    expect((await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { localTime: '2031-02-30T09:00', timeZone: 'UTC', reason: 'r' })).status).toBe(400);
    expect((await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { releaseAt: '2020-01-01T00:00:00Z', timeZone: 'UTC', reason: 'r' })).status).toBe(400);
    expect((await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { releaseAt: '2031-01-01T00:00:00Z', localTime: '2031-01-01T09:00', timeZone: 'UTC', reason: 'r' })).status).toBe(400);
    expect([await history(), await releaseAt()]).toEqual([h, at]);
  });

  it('is extended with a reason, in a named zone, and ended early with a reason', async () => {
    const ext = await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { localTime: new Date(modelRelease.getTime() - 7 * DAY).toISOString().slice(0, 11) + '09:00', timeZone: 'America/Chicago', reason: 'Acme needs a week more for the firmware build.' });
    expect(ext.status, JSON.stringify(ext.body)).toBe(200);
    expect(ext.body.embargo.timeZone).toBe('America/Chicago');
    expect(ext.body.embargo.local).toMatch(/T09:00:00-0[56]:00$/);
    expect(ext.body.embargoHistory.at(-1)).toMatchObject({ action: 'extend', reason: 'Acme needs a week more for the firmware build.', timeZone: 'America/Chicago' });
    expect(ext.body.warnings).toEqual([]);
    // Past the model's planned release: allowed (the coordinators decide), and flagged.
    const late = await treasury.request('PUT', `${CASES}/${caseId}/embargo`, { releaseAt: new Date(modelRelease.getTime() + DAY).toISOString(), timeZone: 'America/Chicago', reason: 'Firmware needs recertification.' });
    expect(late.status).toBe(200);
    expect(late.body.warnings).toHaveLength(1);
    expect((await openhealth.get(`${CASES}/${caseId}`)).body.warnings).toEqual([]);
    const end = await treasury.post(`${CASES}/${caseId}/embargo/end`, { reason: 'Exploited in the wild.' });
    expect(end.status).toBe(200);
    expect(end.body.embargo.active).toBe(false);
    expect(end.body.embargoHistory.at(-1)).toMatchObject({ action: 'end_early', reason: 'Exploited in the wild.' });
    expect((await treasury.post(`${CASES}/${caseId}/embargo/end`, { reason: 'again' })).status).toBe(409);
    expect((await auditRows(t, 'coordination_case.embargo_end_early')).length).toBe(1);
    const embargo = await t.fw.services.coordination.embargoOf(vulnId);
    expect(embargo!.releaseAt.getTime()).toBeLessThanOrEqual(Date.now());
    // Each vendor is told of each change (one job per vendor and change).
    expect(await count("select 1 from pgboss.job where name = 'coordination.notify-vendor' and data->>'caseId' = $1 and data->>'kind' = 'embargo'", [caseId])).toBe(6);
  });

  it('a closed case takes no more work until it is reopened', async () => {
    expect((await treasury.post(`${CASES}/${caseId}/close`, {})).status).toBe(400);
    expect((await treasury.post(`${CASES}/${caseId}/close`, { reason: 'Advisory published.' })).body.status).toBe('closed');
    expect((await openhealth.post(`${CASES}/${caseId}/messages`, { body: 'late' })).status).toBe(409);
    expect((await treasury.post(`${CASES}/${caseId}/close`, { reason: 'again' })).status).toBe(409);
    expect((await treasury.post(`${CASES}/${caseId}/reopen`, { reason: 'Fix incomplete.' })).body.status).toBe('open');
  });
});

describe('scale', () => {
  it('a case with a hundred vendors opens and reads quickly', async () => {
    await t.rows(`insert into organisations (name, kind) select 'Bulk Vendor ' || g, 'vendor' from generate_series(1, 100) g`);
    await t.rows(
      `insert into coordination_vendor_products (id, vendor_org_id, purl_type, namespace, name, created_by, created_at)
       select gen_random_uuid(), o.id, 'npm', '@bulk', '', o.id, now() from organisations o where o.name like 'Bulk Vendor %'`,
    );
    const v = await validatedVulnerability('coord-bulk', ['pkg:npm/%40bulk/core']);
    const started = Date.now();
    const r = await treasury.post(CASES, { vulnerabilityId: v.id });
    const openMs = Date.now() - started;
    expect(r.status).toBe(201);
    expect(r.body.vendors).toHaveLength(100);
    expect(await count("select 1 from pgboss.job where name = 'coordination.notify-vendor' and data->>'caseId' = $1", [r.body.id])).toBe(100);
    const s2 = Date.now();
    expect((await treasury.get(`${CASES}/${r.body.id}`)).status).toBe(200);
    const readMs = Date.now() - s2;
    expect(openMs, `open took ${openMs} ms`).toBeLessThan(5000);
    expect(readMs, `read took ${readMs} ms`).toBeLessThan(2000);
  });
});

describe('demo', () => {
  it('registers OpenHealth’s products once', async () => {
    await t.rows('delete from coordination_vendor_products where vendor_org_id = $1', [openhealthOrg]);
    expect(await seedCoordinationDemo(t.fw.database.db, t.fw.services.coordination)).toBe(DEMO_VENDOR_PRODUCTS.length);
    expect(await seedCoordinationDemo(t.fw.database.db, t.fw.services.coordination)).toBe(0);
    expect((await openhealth.get(PRODUCTS)).body.items.map((p: { purl: string }) => p.purl).sort()).toEqual(['pkg:maven/org.openhealth/*', 'pkg:npm/%40openhealth/ehr-core', 'pkg:npm/dicom-parser']);
  });
});
