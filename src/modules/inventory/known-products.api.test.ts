import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';

let t: TestInstance;
let hospital: Client;
let treasury: Client;
let vendor: Client;

const osv = (id: string, name: string) => ({
  schema_version: '1.6.0',
  id,
  modified: '2026-01-01T00:00:00Z',
  summary: `Test advisory for ${name}`,
  affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '9.9.9' }] }] }],
});

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  [hospital, treasury, vendor] = await Promise.all(['it@prairiehospital.demo', 'treasury.analyst@treasury.demo', 'security@openhealth.demo'].map((e) => as(t.url, e)));
  const r = await treasury.post('/api/v1/matching/osv-import', [osv('GHSA-known-1', 'known-widget')]);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('products already known to the clearinghouse', () => {
  it('offers packages of public advisories, not vendors’ private product registrations', async () => {
    const a = await hospital.get('/api/v1/inventory/known-products?q=widget');
    expect(a.status).toBe(200);
    expect(a.body.items).toEqual([{ purl: 'pkg:npm/known-widget', advisories: 1 }]);
    // OpenHealth registered these in the demo; registrations are for coordinators only.
    expect((await hospital.get('/api/v1/inventory/known-products?q=openhealth')).body.items).toEqual([]);
    expect((await hospital.get('/api/v1/inventory/known-products?q=dicom')).body.items).toEqual([]);
  });

  it('never offers a package only a restricted advisory names', async () => {
    await t.rows("update matching_advisories set tlp = 'AMBER' where external_id = 'GHSA-known-1'");
    const a = await hospital.get('/api/v1/inventory/known-products?q=widget');
    expect(a.body.items).toEqual([]);
    await t.rows("update matching_advisories set tlp = 'CLEAR' where external_id = 'GHSA-known-1'");
  });

  it('is for operators only, and a query too short or too long is a problem', async () => {
    expect((await vendor.get('/api/v1/inventory/known-products?q=widget')).status).toBe(403);
    expect((await hospital.get('/api/v1/inventory/known-products?q=w')).status).toBe(400);
    expect((await hospital.get(`/api/v1/inventory/known-products?q=${'x'.repeat(201)}`)).status).toBe(400);
    expect((await hospital.get('/api/v1/inventory/known-products?q=%25%25')).body.items).toEqual([]);
  });
});
