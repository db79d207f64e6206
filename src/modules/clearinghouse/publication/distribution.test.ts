// Pure parts of publication: the CSAF provider layout, conditional/partial GET decisions, and the
// way drafts become documents (products from the vulnerability, vendor statements as VEX).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PUBLISHER } from '../advisory/model.ts';
import { runMandatoryTests } from '../advisory/csaf-mandatory.ts';
import { CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA } from '../advisory/cvss-json-schemas.ts';
import { advisoryModel, matchableOf, productsFromAffected, renderDocuments, withDefaults } from './advisory-documents.ts';
import { answerFor, parseRange } from './conditional-get.ts';
import { changesCsv, csafFileName, hashFile, indexTxt, providerMetadata, relativePath } from './distribution.ts';
import { generateSigningKey, readSigningKey, signDetached, verifyDetached } from './signing.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const schemaDir = resolve(repoRoot, '..', 'shared', 'conformance', 'csaf', 'csaf_2.0', 'json_schema');
const present = existsSync(resolve(schemaDir, 'provider_json_schema.json'));

function ajvWithCsaf() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const s of [CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA]) ajv.addSchema(s);
  ajv.addSchema(JSON.parse(readFileSync(resolve(schemaDir, 'csaf_json_schema.json'), 'utf8')));
  return ajv;
}

const d = (id: string, initial: string, current: string) => ({ trackingId: id, initialReleaseAt: new Date(initial), currentReleaseAt: new Date(current) });

describe('CSAF provider layout', () => {
  it('names files after the tracking id (requirement 5) in the folder of the initial release year', () => {
    expect(csafFileName('FWN-2026-0001')).toBe('fwn-2026-0001.json');
    expect(csafFileName('Example Co/2026 #1')).toBe('example_co_2026_1.json');
    expect(relativePath(d('FWN-2025-0042', '2025-12-31T23:59:59Z', '2026-01-02T00:00:00Z'))).toBe('2025/fwn-2025-0042.json');
  });

  it('lists index.txt and changes.csv newest change first', () => {
    const docs = [d('FWN-2026-0001', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'), d('FWN-2026-0002', '2026-02-01T00:00:00Z', '2026-03-01T10:00:00Z'), d('FWN-2025-0009', '2025-05-01T00:00:00Z', '2026-02-01T00:00:00Z')];
    expect(indexTxt(docs)).toBe('2026/fwn-2026-0002.json\n2025/fwn-2025-0009.json\n2026/fwn-2026-0001.json\n');
    expect(changesCsv(docs).split('\n')[0]).toBe('"2026/fwn-2026-0002.json","2026-03-01T10:00:00.000Z"');
    expect(indexTxt([])).toBe('');
    expect(hashFile('ab12', 'fwn-2026-0001.json')).toBe('ab12  fwn-2026-0001.json\n');
  });

  (present ? it : it.skip)('writes provider-metadata.json that validates against the CSAF provider schema', () => {
    const ajv = ajvWithCsaf();
    const validate = ajv.compile(JSON.parse(readFileSync(resolve(schemaDir, 'provider_json_schema.json'), 'utf8')));
    const meta = providerMetadata({ baseUrl: 'https://clearinghouse.example/', publisher: DEFAULT_PUBLISHER, lastUpdated: new Date('2026-03-01T00:00:00Z'), key: { fingerprint: 'A'.repeat(40) } });
    expect(validate(meta), JSON.stringify(validate.errors)).toBe(true);
    expect(meta).toMatchObject({
      canonical_url: 'https://clearinghouse.example/.well-known/csaf/provider-metadata.json',
      distributions: [{ directory_url: 'https://clearinghouse.example/.well-known/csaf/clear/' }],
      public_openpgp_keys: [{ fingerprint: 'A'.repeat(40), url: `https://clearinghouse.example/.well-known/csaf/openpgp/${'A'.repeat(40)}.asc` }],
      role: 'csaf_trusted_provider',
    });
  });
});

describe('conditional and partial GET', () => {
  const f = { size: 100, etag: '"abc"', lastModified: new Date('2026-03-01T10:00:00Z') };
  it('parses single byte ranges and refuses unsatisfiable ones', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-1000', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=50-5000', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=9-3', 100)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('items=0-1', 100)).toBeNull();
  });
  it('answers 304 for a matching tag or date, 206 for a range of this version, else 200', () => {
    expect(answerFor({ ifNoneMatch: '"abc"' }, f)).toEqual({ status: 304 });
    expect(answerFor({ ifNoneMatch: 'W/"abc", "x"' }, f)).toEqual({ status: 304 });
    expect(answerFor({ ifNoneMatch: '"old"', ifModifiedSince: f.lastModified.toUTCString() }, f)).toEqual({ status: 200 });
    expect(answerFor({ ifModifiedSince: f.lastModified.toUTCString() }, f)).toEqual({ status: 304 });
    expect(answerFor({ ifModifiedSince: 'Sat, 28 Feb 2026 00:00:00 GMT' }, f)).toEqual({ status: 200 });
    expect(answerFor({ range: 'bytes=10-19' }, f)).toEqual({ status: 206, start: 10, end: 19 });
    expect(answerFor({ range: 'bytes=10-19', ifRange: '"abc"' }, f)).toEqual({ status: 206, start: 10, end: 19 });
    expect(answerFor({ range: 'bytes=10-19', ifRange: '"old"' }, f)).toEqual({ status: 200 });
    expect(answerFor({ range: 'bytes=10-19', ifRange: f.lastModified.toUTCString() }, f)).toEqual({ status: 206, start: 10, end: 19 });
    expect(answerFor({ range: 'bytes=200-' }, f)).toEqual({ status: 416 });
    expect(answerFor({}, f)).toEqual({ status: 200 });
  });
});

describe('documents from a draft', () => {
  const affected = [
    { purl: 'pkg:npm/%40acme/decoder', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0.0' }, { last_affected: '2.1.0' }] }], versions: ['0.9.0'] },
    { purl: 'pkg:pypi/other', status: 'not_affected' },
    { name: 'no purl' },
  ];

  it('makes a product per exact version and per range of the vulnerability', () => {
    const products = productsFromAffected(affected);
    expect(products.map((p) => [p.id, p.version ?? p.range])).toEqual([
      ['decoder-0.9.0', '0.9.0'],
      ['decoder-all', { introduced: '0', fixed: '1.2.3' }],
      ['decoder-2.0.0', { introduced: '2.0.0', lastAffected: '2.1.0' }],
    ]);
    expect(products[0]).toMatchObject({ vendor: 'acme', name: 'decoder', purl: 'pkg:npm/%40acme/decoder' });
  });

  const fields = withDefaults(
    { tlp: 'CLEAR', title: 'Decoder overflow', summary: 'A crafted file overflows the decoder.', description: 'The decoder trusts the header length.' },
    { cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }, { version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected },
  );
  const model = advisoryModel(fields, { trackingId: 'FWN-2026-0007', csafStatus: 'final', revisions: [{ number: 1, date: '2026-03-01T10:00:00.000Z', summary: 'Initial release.' }] });

  it('defaults statuses, fixes and scorable CVSS from the vulnerability', () => {
    expect(fields.statuses?.every((s) => s.status === 'known_affected')).toBe(true);
    expect(fields.remediations).toEqual([{ category: 'vendor_fix', details: 'Update decoder to version 1.2.3 or later.', productIds: ['decoder-all'], fixedVersion: '1.2.3' }]);
    expect(fields.cvss).toEqual(['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H']);
    expect(() => withDefaults({ tlp: 'CLEAR', title: 't', summary: 's', description: 'd' }, { cvss: [], affected: [] })).toThrow(/at least one product/);
  });

  (present ? it : it.skip)('renders a valid CSAF advisory, a VEX from the vendor statements, OSV and hashes', () => {
    const ajv = ajvWithCsaf();
    const validate = ajv.getSchema('https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json')!;
    const statements = [
      { vendorOrgId: 'v', vendorName: 'Acme', product: 'pkg:npm/%40acme/decoder@1.0.0', status: 'fixed' as const, justification: null, fixedVersion: '1.2.3', remediation: null },
      { vendorOrgId: 'v', vendorName: 'Acme', product: 'pkg:npm/unlisted', status: 'affected' as const, justification: null, fixedVersion: null, remediation: null },
    ];
    const docs = renderDocuments(model, statements);
    const csaf = JSON.parse(docs.csaf);
    expect(validate(csaf), JSON.stringify(validate.errors)).toBe(true);
    expect(runMandatoryTests(csaf)).toEqual([]);
    const vex = JSON.parse(docs.vex!);
    expect(vex.document.category).toBe('csaf_vex');
    expect(validate(vex), JSON.stringify(validate.errors)).toBe(true);
    expect(runMandatoryTests(vex)).toEqual([]);
    expect(docs.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(docs.severity).toBe('high');
    expect(JSON.parse(docs.osv)[0].id).toBe('x_FWN-2026-0007');
    expect(renderDocuments(model, []).vex).toBeNull();
  });

  it('indexes affected products for matching as ranges and exact versions', () => {
    const m = matchableOf(model, { advisoryId: '00000000-0000-4000-8000-000000000001', publishedAt: new Date('2026-03-01T10:00:00Z'), withdrawn: false }, 'high');
    expect(m.affected).toEqual([
      {
        package: 'pkg:npm/%40acme/decoder',
        versions: ['0.9.0'],
        ranges: [
          { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.3' }] },
          { type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { last_affected: '2.1.0' }] },
        ],
      },
    ]);
    expect(m).toMatchObject({ source: 'clearinghouse', externalId: 'FWN-2026-0007', tlp: 'CLEAR', withdrawn: false });
  });

  it('signs detached signatures that verify only over the same bytes', async () => {
    const k = await generateSigningKey('Test', 'test@example.invalid');
    expect(k.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const bytes = new TextEncoder().encode(renderDocuments(model, []).csaf);
    const sig = await signDetached(bytes, await readSigningKey(k.privateKey));
    expect(await verifyDetached(bytes, sig, k.publicKey)).toBe(true);
    expect(await verifyDetached(bytes.slice(1), sig, k.publicKey)).toBe(false);
    const other = await generateSigningKey('Other', 'other@example.invalid');
    expect(await verifyDetached(bytes, sig, other.publicKey)).toBe(false);
  });
});
