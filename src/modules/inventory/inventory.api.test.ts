import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { currentComponentsByPackage, currentComponentsOfOrg } from './inventory.dal.ts';
import { inventoryCommand } from './inventory.cli.ts';

let t: TestInstance;
let hospital: Client;
let bank: Client;
let vendor: Client;
let hospitalOrg: string;
let bankOrg: string;

beforeAll(async () => {
  t = await startTestInstance();
  hospital = await as(t.url, 'it@prairiehospital.demo');
  bank = await as(t.url, 'it@heartlandbank.demo');
  vendor = await as(t.url, 'security@openhealth.demo');
  hospitalOrg = await orgIdOf(t, 'Prairie County Hospital');
  bankOrg = await orgIdOf(t, 'Heartland Community Bank');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const cdxJson = (components: unknown[], version = '1.5') =>
  JSON.stringify({ bomFormat: 'CycloneDX', specVersion: version, version: 1, metadata: { component: { type: 'application', name: 'ehr' } }, components });

const cdxXml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">\n<components>${body}</components>\n</bom>`;

const spdx = (packages: unknown[]) =>
  JSON.stringify({
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'bank-core',
    documentNamespace: 'https://example.org/spdx/bank-core-1',
    creationInfo: { created: '2026-01-31T12:00:00Z', creators: ['Tool: syft-1.0'] },
    packages,
  });

async function createAsset(c: Client, name: string, kind = 'system') {
  const r = await c.post('/api/v1/inventory/assets', { name, kind });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; name: string };
}

async function counts(assetId: string) {
  const [s] = await t.rows<{ n: number }>('select count(*)::int as n from inventory_sboms where asset_id = $1', [assetId]);
  const [c] = await t.rows<{ n: number }>('select count(*)::int as n from inventory_components where asset_id = $1', [assetId]);
  return { sboms: s.n, components: c.n };
}

describe('assets and SBOM uploads', () => {
  let ehr: { id: string };
  let firstSbom: string;

  it('an operator creates an asset; a vendor cannot; a duplicate name is refused', async () => {
    const v = await vendor.post('/api/v1/inventory/assets', { name: 'Nope' });
    expect(v.status).toBe(403);
    expect((await vendor.get('/api/v1/inventory/assets')).status).toBe(403);
    expect(await t.rows('select 1 from inventory_assets where name = $1', ['Nope'])).toHaveLength(0);

    ehr = await createAsset(hospital, 'EHR system');
    const [row] = await t.rows<{ owner_org_id: string; kind: string }>('select owner_org_id, kind from inventory_assets where id = $1', [ehr.id]);
    expect(row).toEqual({ owner_org_id: hospitalOrg, kind: 'system' });
    expect((await auditRows(t, 'inventory.asset.create')).length).toBe(1);
    expect((await hospital.post('/api/v1/inventory/assets', { name: 'EHR system' })).status).toBe(409);
    expect((await hospital.post('/api/v1/inventory/assets', { name: 'x'.repeat(201) })).status).toBe(400);
  });

  it('uploads a CycloneDX JSON SBOM: purls normalised, CPE-only components kept', async () => {
    const doc = cdxJson([
      { type: 'library', name: 'core', group: '@angular', version: '16.0.0', purl: 'pkg:NPM/%40angular/core@16.0.0' },
      { type: 'library', name: 'log4j-core', version: '2.14.1', purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar' },
      { type: 'application', name: 'openssl', version: '3.0.1', cpe: 'cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*' },
    ]);
    const r = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: doc });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ assetId: ehr.id, version: 1, format: 'cyclonedx-json', specVersion: '1.5', componentCount: 3, current: true, subjectName: 'ehr' });
    firstSbom = r.body.id;
    const rows = await t.rows<Record<string, string | null>>('select purl, package, ecosystem, namespace, name, version, cpe, source from inventory_components where sbom_id = $1 order by name', [firstSbom]);
    expect(rows).toEqual([
      { purl: 'pkg:npm/%40angular/core@16.0.0', package: 'pkg:npm/%40angular/core', ecosystem: 'npm', namespace: '@angular', name: 'core', version: '16.0.0', cpe: null, source: 'sbom' },
      { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar', package: 'pkg:maven/org.apache.logging.log4j/log4j-core', ecosystem: 'maven', namespace: 'org.apache.logging.log4j', name: 'log4j-core', version: '2.14.1', cpe: null, source: 'sbom' },
      { purl: null, package: null, ecosystem: null, namespace: null, name: 'openssl', version: '3.0.1', cpe: 'cpe:2.3:a:openssl:openssl:3.0.1:*:*:*:*:*:*:*', source: 'sbom' },
    ]);
    const [a] = await t.rows<{ current_sbom_id: string }>('select current_sbom_id from inventory_assets where id = $1', [ehr.id]);
    expect(a.current_sbom_id).toBe(firstSbom);
    const audits = await auditRows(t, 'inventory.sbom.upload');
    expect(audits).toHaveLength(1);
  });

  it('a CycloneDX XML SBOM replaces it and the history is kept', async () => {
    const doc = cdxXml(
      `<component type="library"><group>@angular</group><name>core</name><version>16.2.1</version><purl>pkg:npm/%40angular/core@16.2.1</purl></component>` +
        `<component type="library"><name>requests</name><version>2.31.0</version><purl>pkg:pypi/Requests@2.31.0</purl></component>`,
    );
    const r = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: doc });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ version: 2, format: 'cyclonedx-xml', specVersion: '1.6', componentCount: 2, current: true });

    const detail = await hospital.get(`/api/v1/inventory/assets/${ehr.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.currentSbomId).toBe(r.body.id);
    expect(detail.body.components.total).toBe(2);
    expect(detail.body.components.items.map((c: { purl: string }) => c.purl)).toEqual(['pkg:npm/%40angular/core@16.2.1', 'pkg:pypi/requests@2.31.0']);
    expect(detail.body.sboms.map((s: { version: number; current: boolean }) => [s.version, s.current])).toEqual([
      [2, true],
      [1, false],
    ]);

    const old = await hospital.get(`/api/v1/inventory/assets/${ehr.id}/sboms/${firstSbom}`);
    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ version: 1, current: false, componentCount: 3 });
    expect(old.body.components).toHaveLength(3);

    const paged = await hospital.get(`/api/v1/inventory/assets/${ehr.id}?limit=1&offset=1`);
    expect(paged.body.components).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(paged.body.components.items).toHaveLength(1);
  });

  it('reads SPDX 2.3 JSON', async () => {
    const core = await createAsset(bank, 'Core banking', 'site');
    const doc = spdx([
      {
        SPDXID: 'SPDXRef-lodash',
        name: 'lodash',
        versionInfo: '4.17.20',
        downloadLocation: 'NOASSERTION',
        externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/lodash@4.17.20' }],
      },
      { SPDXID: 'SPDXRef-zlib', name: 'zlib', versionInfo: '1.2.11', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:zlib:zlib:1.2.11:*:*:*:*:*:*:*' }] },
    ]);
    const r = await bank.post(`/api/v1/inventory/assets/${core.id}/sboms`, { document: doc });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ format: 'spdx-json', specVersion: '2.3', componentCount: 2 });
    const rows = await t.rows<{ owner_org_id: string }>('select distinct owner_org_id from inventory_components where asset_id = $1', [core.id]);
    expect(rows).toEqual([{ owner_org_id: bankOrg }]);
  });

  it('refusals write nothing: too many components, XXE, malformed documents', async () => {
    const before = await counts(ehr.id);
    const many = cdxJson(Array.from({ length: 50_001 }, (_, i) => ({ type: 'library', name: `c${i}` })));
    const big = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: many });
    expect(big.status).toBe(400);
    expect(JSON.stringify(big.body)).toMatch(/50000 components \(limit maxComponents\)/);
    expect(big.body.errors[0].path).toBe('/components/50000');

    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE bom [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components><component type="library"><name>&xxe;</name></component></components></bom>`;
    const x = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: xxe });
    expect(x.status).toBe(400);
    expect(x.body.detail).toMatch(/DOCTYPE/);
    expect(JSON.stringify(x.body)).not.toMatch(/root:/);

    const badPurl = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: cdxJson([{ type: 'library', name: 'x', purl: 'not a purl' }]) });
    expect(badPurl.status).toBe(400);
    expect(badPurl.body.errors[0].path).toMatch(/^\/components\/0\/purl/);

    expect((await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: '{"bomFormat": ' })).status).toBe(400);
    expect((await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: 'hello' })).status).toBe(400);
    expect((await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: 'x', extra: 1 })).status).toBe(400);
    expect(await counts(ehr.id)).toEqual(before);
    expect(await auditRows(t, 'inventory.sbom.upload')).toHaveLength(3);
  }, 60_000);

  it('a body over the route limit is refused before parsing', async () => {
    const r = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: 'x'.repeat(26 * 1024 * 1024) });
    expect(r.status).toBe(413);
  }, 60_000);

  it('manual components count as current components and can be removed', async () => {
    const add = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/components`, { purl: 'pkg:pypi/Django', version: '4.2.0' });
    expect(add.status, JSON.stringify(add.body)).toBe(201);
    expect(add.body).toMatchObject({ source: 'manual', purl: 'pkg:pypi/django@4.2.0', package: 'pkg:pypi/django', ecosystem: 'pypi', name: 'django', version: '4.2.0' });
    const cpe = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/components`, { cpe: 'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*' });
    expect(cpe.status, JSON.stringify(cpe.body)).toBe(201);
    expect(cpe.body).toMatchObject({ name: 'http_server', namespace: 'apache', version: '2.4.49', purl: null });

    const bad = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/components`, { purl: 'pkg:' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('purl');
    expect((await hospital.post(`/api/v1/inventory/assets/${ehr.id}/components`, { purl: 'pkg:npm/left-pad' })).body.errors[0].path).toBe('version');
    expect((await hospital.post(`/api/v1/inventory/assets/${ehr.id}/components`, { cpe: 'apache httpd' })).status).toBe(400);
    expect((await hospital.post(`/api/v1/inventory/assets/${ehr.id}/components`, { version: '1' })).status).toBe(400);

    const detail = await hospital.get(`/api/v1/inventory/assets/${ehr.id}`);
    expect(detail.body.components.total).toBe(4);
    expect(detail.body.componentCount).toBe(4);
    const list = await hospital.get('/api/v1/inventory/assets');
    expect(list.body.items.find((a: { id: string }) => a.id === ehr.id).componentCount).toBe(4);

    // The matching service's view: the current SBOM and the manual components, never an old SBOM's.
    const db = t.fw.database.db;
    const mine = await currentComponentsOfOrg(db, hospitalOrg);
    expect(mine.map((c) => c.purl ?? c.cpe).sort()).toEqual(['cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*', 'pkg:npm/%40angular/core@16.2.1', 'pkg:pypi/django@4.2.0', 'pkg:pypi/requests@2.31.0']);
    const byPackage = await currentComponentsByPackage(db, ['pkg:npm/%40angular/core', 'pkg:npm/lodash', 'pkg:maven/org.apache.logging.log4j/log4j-core']);
    expect(byPackage.map((c) => [c.ownerOrgId === hospitalOrg ? 'hospital' : c.ownerOrgId === bankOrg ? 'bank' : '?', c.purl, c.assetName])).toEqual(
      expect.arrayContaining([
        ['hospital', 'pkg:npm/%40angular/core@16.2.1', 'EHR system'],
        ['bank', 'pkg:npm/lodash@4.17.20', 'Core banking'],
      ]),
    );
    expect(byPackage).toHaveLength(2);

    // SBOM components cannot be removed one by one; manual ones can, once.
    const sbomComponent = detail.body.components.items.find((c: { source: string }) => c.source === 'sbom');
    expect((await hospital.del(`/api/v1/inventory/assets/${ehr.id}/components/${sbomComponent.id}`)).status).toBe(404);
    expect((await hospital.del(`/api/v1/inventory/assets/${ehr.id}/components/${add.body.id}`)).status).toBe(204);
    expect((await hospital.del(`/api/v1/inventory/assets/${ehr.id}/components/${add.body.id}`)).status).toBe(404);
    expect(await t.rows('select 1 from inventory_components where id = $1', [add.body.id])).toHaveLength(0);
    expect(await auditRows(t, 'inventory.component.remove')).toHaveLength(1);

    // A new SBOM replaces the SBOM's components, not the manual ones.
    const r = await hospital.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: cdxJson([{ type: 'library', name: 'lodash', version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }], '1.4') });
    expect(r.status).toBe(201);
    const after = await hospital.get(`/api/v1/inventory/assets/${ehr.id}`);
    expect(after.body.components.items.map((c: { source: string; name: string }) => `${c.source}:${c.name}`).sort()).toEqual(['manual:http_server', 'sbom:lodash']);
  });

  it("another operator's asset does not exist for it", async () => {
    const other = await bank.get(`/api/v1/inventory/assets/${ehr.id}`);
    expect(other.status).toBe(404);
    expect((await bank.get(`/api/v1/inventory/assets/${ehr.id}/sboms/${firstSbom}`)).status).toBe(404);
    expect((await bank.post(`/api/v1/inventory/assets/${ehr.id}/sboms`, { document: cdxJson([]) })).status).toBe(404);
    expect((await bank.post(`/api/v1/inventory/assets/${ehr.id}/components`, { purl: 'pkg:npm/a@1' })).status).toBe(404);
    const list = await bank.get('/api/v1/inventory/assets');
    expect(list.body.items.map((a: { name: string }) => a.name)).toEqual(['Core banking']);
    expect((await hospital.get(`/api/v1/inventory/assets/${ehr.id}/sboms/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await vendor.get(`/api/v1/inventory/assets/${ehr.id}`)).status).toBe(403);
    const [n] = await t.rows<{ n: number }>("select count(*)::int as n from inventory_components where asset_id = $1 and owner_org_id <> $2", [ehr.id, hospitalOrg]);
    expect(n.n).toBe(0);
  });
});

describe('operator profile', () => {
  it('updates size, tier and contacts; a webhook secret is shown once and stored encrypted', async () => {
    const put = await hospital.request('PUT', '/api/v1/inventory/profile', { size: 'small', priorityTier: 1, contacts: [{ name: 'Hank Miller', email: 'it@prairiehospital.demo', phone: '555-0100' }] });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ orgName: 'Prairie County Hospital', sector: 'healthcare', size: 'small', priorityTier: 1 });
    expect((await hospital.request('PUT', '/api/v1/inventory/profile', { priorityTier: 9 })).status).toBe(400);

    const hook = await hospital.post('/api/v1/inventory/profile/channels', { kind: 'webhook', address: 'https://hooks.prairiehospital.demo/forewarn', tlpMax: 'AMBER' });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    expect(hook.body.secret).toMatch(/^fwh_/);
    expect(hook.body).toMatchObject({ kind: 'webhook', tlpMax: 'AMBER', hasSecret: true });
    const mail = await hospital.post('/api/v1/inventory/profile/channels', { kind: 'email', address: 'soc@prairiehospital.demo' });
    expect(mail.body).toMatchObject({ kind: 'email', secret: null, hasSecret: false, tlpMax: 'CLEAR' });
    expect((await hospital.post('/api/v1/inventory/profile/channels', { kind: 'webhook', address: 'ftp://x.demo/' })).status).toBe(400);

    const [row] = await t.rows<{ secret_enc: string }>('select secret_enc from inventory_channels where id = $1', [hook.body.id]);
    expect(row.secret_enc).not.toContain(hook.body.secret);
    expect(await t.fw.services.inventory.webhookSecret(hook.body.id)).toBe(hook.body.secret);

    const got = await hospital.get('/api/v1/inventory/profile');
    expect(got.status).toBe(200);
    expect(JSON.stringify(got.body)).not.toContain(hook.body.secret);
    expect(got.body.channels).toHaveLength(2);
    expect(got.body.contacts).toEqual([{ name: 'Hank Miller', email: 'it@prairiehospital.demo', phone: '555-0100' }]);
    const audit = await auditRows(t, 'inventory.channel.add');
    expect(JSON.stringify(audit)).not.toContain(hook.body.secret);

    const theirs = await bank.get('/api/v1/inventory/profile');
    expect(theirs.body).toMatchObject({ orgName: 'Heartland Community Bank', channels: [], size: null });
    expect((await bank.del(`/api/v1/inventory/profile/channels/${hook.body.id}`)).status).toBe(404);
    expect((await vendor.get('/api/v1/inventory/profile')).status).toBe(403);
    expect((await hospital.del(`/api/v1/inventory/profile/channels/${hook.body.id}`)).status).toBe(204);
    expect(await t.rows('select 1 from inventory_channels where id = $1', [hook.body.id])).toHaveLength(0);
  });
});

describe('forewarn inventory push', () => {
  it('creates the asset by name, uploads, prints the component count; then replaces', async () => {
    const tok = await hospital.post('/api/v1/me/tokens', { name: 'ci pipeline' });
    expect(tok.status).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), 'forewarn-inv-'));
    try {
      const file = join(dir, 'bom.json');
      writeFileSync(file, cdxJson([{ type: 'library', name: 'a', version: '1.0.0', purl: 'pkg:npm/a@1.0.0' }, { type: 'library', name: 'b', version: '2.0.0', purl: 'pkg:npm/b@2.0.0' }]));
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
      const args = ['push', file, '--asset', 'Billing', '--url', t.url, '--token', tok.body.token];
      expect(await inventoryCommand(args, io)).toBe(0);
      expect(out.join('')).toMatch(/Created asset "Billing"[\s\S]*version 1 of "Billing": 2 components/);
      out.length = 0;
      expect(await inventoryCommand(args, io)).toBe(0);
      expect(out.join('')).not.toMatch(/Created/);
      expect(out.join('')).toMatch(/version 2 of "Billing": 2 components/);
      const rows = await t.rows<{ n: number }>("select count(*)::int as n from inventory_assets where name = 'Billing' and owner_org_id = $1", [hospitalOrg]);
      expect(rows[0].n).toBe(1);

      writeFileSync(file, 'not an sbom');
      expect(await inventoryCommand(args, io)).toBe(2);
      expect(err.join('')).toMatch(/400/);
      expect(await inventoryCommand(['push', file, '--url', t.url, '--token', tok.body.token], io)).toBe(2);
      expect(await inventoryCommand(['push', file, '--asset', 'X', '--url', t.url, '--token', 'fwt_wrong'], io)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
