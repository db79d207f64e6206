// Coordinated disclosure into publication, with the real modules on both sides: a case's embargo
// holds the advisory back until it ends (early, with a reason), and the vendor's statement reaches
// the published VEX.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { nativeDoc } from './clearinghouse.fixtures.ts';

let t: TestInstance;
let lab: Client;
let treasury: Client;
let vendor: Client;

const PRODUCT = 'pkg:npm/%40openhealth/ehr-core';

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  [lab, treasury, vendor] = await Promise.all(['lab.engineer@meridian.demo', 'treasury.analyst@treasury.demo', 'security@openhealth.demo'].map((e) => as(t.url, e)));
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const one = async <T>(sql: string, params: unknown[] = []) => (await t.rows<T>(sql, params))[0];

describe('an embargoed case into a published advisory', () => {
  it('refuses publication while the embargo holds, publishes once it is ended with a reason, and carries the vendor’s statement', async () => {
    const affected = [{ purl: PRODUCT, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.2.1' }] }] }];
    const r = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc('ehr', { title: 'Stored XSS in the EHR web core note viewer', affected }) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const vulnId = r.body.candidates[0].vulnerabilityId as string;
    for (const to of ['triage', 'validating', 'validated']) expect((await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnId}/transition`, { to })).status).toBe(200);

    // The case finds OpenHealth by its registered package and sets the default embargo (no model: 90 days).
    const c = await treasury.post('/api/v1/clearinghouse/cases', { vulnerabilityId: vulnId, embargo: { timeZone: 'America/Chicago' } });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body.vendors.map((v: { name: string; addedHow: string }) => [v.name, v.addedHow])).toEqual([['OpenHealth Software', 'purl']]);
    expect(c.body.embargo).toMatchObject({ timeZone: 'America/Chicago', active: true });
    expect(new Date(c.body.embargo.releaseAt).getTime()).toBeGreaterThan(Date.now() + 80 * 86_400_000);
    expect((await one<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [vulnId])).status).toBe('coordinating');

    const s = await vendor.request('PUT', `/api/v1/clearinghouse/cases/${c.body.id}/statements`, { product: PRODUCT, status: 'fixed', fixedVersion: '4.2.1', remediation: 'Upgrade to 4.2.1.' });
    expect(s.status, JSON.stringify(s.body)).toBe(200);

    const d = await treasury.post('/api/v1/clearinghouse/advisories', {
      vulnerabilityId: vulnId,
      tlp: 'CLEAR',
      title: 'Stored XSS in OpenHealth EHR web core',
      summary: 'A note with crafted markup runs script in a clinician’s session. Update to 4.2.1.',
      description: 'The note viewer renders stored markup without escaping it.',
      cwe: { id: 'CWE-79', name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')" },
    });
    expect(d.status, JSON.stringify(d.body)).toBe(201);

    const refused = await treasury.post(`/api/v1/clearinghouse/advisories/${d.body.id}/publish`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe('/problems/embargo-in-force');
    expect((await one<{ status: string; tracking_id: string | null }>('select status, tracking_id from advisories where id = $1', [d.body.id])).tracking_id).toBeNull();
    expect((await one<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [vulnId])).status).toBe('coordinating');
    expect((await t.rows('select 1 from matching_advisories where external_id like $1', ['FWN-%'])).length).toBe(0);

    expect((await treasury.post(`/api/v1/clearinghouse/cases/${c.body.id}/embargo/end`, {})).status).toBe(400);
    const ended = await treasury.post(`/api/v1/clearinghouse/cases/${c.body.id}/embargo/end`, { reason: 'The vendor’s fix is released; defenders are told today.' });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    const history = await t.rows<{ reason: string }>('select reason from coordination_embargo_history where case_id = $1 order by at', [c.body.id]);
    expect(history.at(-1)?.reason).toContain('fix is released');

    const p = await treasury.post(`/api/v1/clearinghouse/advisories/${d.body.id}/publish`, {});
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.trackingId).toMatch(/^FWN-\d{4}-\d{4}$/);
    expect((await one<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [vulnId])).status).toBe('published');

    const vex = await treasury.get(`/api/v1/clearinghouse/advisories/${p.body.trackingId}/documents/vex.json`);
    expect(vex.status).toBe(200);
    expect(JSON.stringify(vex.body)).toContain('4.2.1');
    expect(vex.body.document.category).toBe('csaf_vex');
  });
});
