// OSV output against the OSV JSON schema, read in place from ../shared/conformance/osv-schema.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ALL_ADVISORIES, DRAFT_RED, MULTI_VENDOR, PROMPT_INJECTION } from './advisory.fixtures.ts';
import { writeOsv } from './osv-writer.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const schemaFile = resolve(repoRoot, '..', 'shared', 'conformance', 'osv-schema', 'validation', 'schema.json');
const present = existsSync(schemaFile);

(present ? describe : describe.skip)(`OSV schema conformance (${present ? schemaFile : 'conformance data absent: ../shared/conformance/osv-schema'})`, () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = present ? ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8'))) : ((() => false) as unknown as ValidateFunction);

  for (const a of ALL_ADVISORIES) {
    it(`every record of ${a.id} validates`, () => {
      const records = writeOsv(a);
      expect(records.length).toBe(a.vulnerabilities.length);
      for (const r of records) expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    });
  }

  it('the schema refuses the bare FWN prefix, hence x_ until it is registered', () => {
    const [r] = writeOsv(PROMPT_INJECTION, { idPrefix: '' });
    expect(r.id).toBe('FWN-2026-0001');
    expect(validate(r)).toBe(false);
    expect(validate({ ...r, id: 'x_FWN-2026-0001' })).toBe(true);
  });

  it('the schema refuses a range with both fixed and last_affected, which the model refuses too', () => {
    const [r] = writeOsv(PROMPT_INJECTION);
    const bad = structuredClone(r);
    bad.affected[0].ranges?.[0].events.push({ last_affected: '2.4.0' });
    expect(validate(bad)).toBe(false);
  });
});

describe('OSV content', () => {
  it('maps a single-vulnerability advisory', () => {
    const [r] = writeOsv(PROMPT_INJECTION);
    expect(r).toMatchObject({
      schema_version: '1.6.0',
      id: 'x_FWN-2026-0001',
      published: '2026-03-02T15:00:00.000Z',
      modified: '2026-03-09T14:30:00.000Z',
      aliases: ['CVE-2026-10001'],
      summary: 'Indirect prompt injection reaches the shell tool',
      severity: [
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H' },
        { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H' },
      ],
      affected: [
        { package: { ecosystem: 'PyPI', name: 'acme-inference-server', purl: 'pkg:pypi/acme-inference-server' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { fixed: '2.4.1' }] }] },
      ],
      database_specific: { forewarn_id: 'FWN-2026-0001', tlp: 'CLEAR', cwe_ids: ['CWE-1427'], severity: 'CRITICAL' },
    });
    expect(r.references).toContainEqual({ type: 'FIX', url: 'https://acme.example/downloads/2.4.1' });
    expect(r.credits).toContainEqual({ name: 'Lantern Security Labs', type: 'REPORTER' });
    expect(r.credits).toContainEqual({ name: 'Treasury AI Cybersecurity Clearinghouse', type: 'COORDINATOR' });
    expect(r.details).toMatch(/Update Acme Inference Server to 2\.4\.1/);
  });

  it('a multi-vulnerability advisory gives related records, Maven and Go names and last_affected', () => {
    const records = writeOsv(MULTI_VENDOR);
    expect(records.map((r) => r.id)).toEqual(['x_FWN-2026-0002-V1', 'x_FWN-2026-0002-V2']);
    expect(records[0].related).toEqual(['x_FWN-2026-0002-V2']);
    expect(records[0].affected).toEqual([
      { package: { ecosystem: 'Maven', name: 'org.tensorkit:tensorkit-core', purl: 'pkg:maven/org.tensorkit/tensorkit-core' }, versions: ['1.2.3'], database_specific: { product: 'TensorKit Foundation tensorkit' } },
      { package: { ecosystem: 'Go', name: 'github.com/weightsync/weightsync', purl: 'pkg:golang/github.com/weightsync/weightsync' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '0.9.7' }] }], database_specific: { product: 'Weightsync weightsync' } },
    ]);
  });

  it('npm scoped package names keep their scope', () => {
    const [r] = writeOsv(DRAFT_RED);
    expect(r.affected[0].package).toEqual({ ecosystem: 'npm', name: '@lantern/agent-runtime', purl: 'pkg:npm/%40lantern/agent-runtime' });
    expect(r.affected[0].ranges).toEqual([{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.0.2' }] }]);
    expect(r.aliases).toBeUndefined();
  });

  it('products without an OSV ecosystem are listed, not dropped silently', () => {
    const input = structuredClone(DRAFT_RED);
    input.products = [{ id: 'appliance', vendor: 'Lantern', name: 'Appliance', version: '7.1' }];
    input.vulnerabilities[0].statuses = [{ productId: 'appliance', status: 'known_affected' }];
    const [r] = writeOsv(input);
    expect(r.affected).toEqual([]);
    expect(r.database_specific.products_without_ecosystem).toEqual(['Lantern Appliance 7.1']);
  });
});
