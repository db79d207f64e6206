// CSAF 2.0 conformance, read in place from ../shared/conformance/csaf (OASIS CSAF TC data):
// (a) the official JSON schema (ajv, draft 2020-12) over the test documents and examples;
// (b) every mandatory test id of testcases.json: its valid documents pass it, its failing documents
//     fail it, and fail nothing else but the co-failures listed below with the reason;
// (c) every example advisory and VEX passes the schema and all mandatory tests;
// (d) the documents this module writes pass the schema and all mandatory tests.
// The CSAF schema refers to the FIRST CVSS schemas by URL; the data set does not ship them, so the
// reconstruction in cvss-json-schemas.ts is registered under those URLs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { ALL_ADVISORIES, MULTI_VENDOR, MULTI_VENDOR_STATEMENTS, PROMPT_INJECTION, PROMPT_INJECTION_STATEMENTS } from './advisory.fixtures.ts';
import { MANDATORY_TEST_IDS, failedMandatoryTests, runMandatoryTests } from './csaf-mandatory.ts';
import { writeCsafAdvisory, writeCsafVex } from './csaf-writer.ts';
import { CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA } from './cvss-json-schemas.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const csafRoot = resolve(repoRoot, '..', 'shared', 'conformance', 'csaf', 'csaf_2.0');
const present = existsSync(join(csafRoot, 'json_schema', 'csaf_json_schema.json'));
const dataDir = join(csafRoot, 'test', 'validator', 'data');
const examplesDir = join(csafRoot, 'examples', 'csaf');

const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

function schemaValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const s of [CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA]) ajv.addSchema(s);
  return ajv.compile(read(join(csafRoot, 'json_schema', 'csaf_json_schema.json')) as object);
}

interface TestCase {
  id: string;
  group: string;
  valid?: { name: string }[];
  failures?: { name: string }[];
}

// Failing test documents are minimal: some also break other mandatory tests. Each is listed with why.
const CO_FAILURES: Record<string, { tests: string[]; why: string }> = {
  '6-1-14-02': { tests: ['6.1.16'], why: 'version 2 is not the number of the latest-dated revision (1)' },
  '6-1-14-03': { tests: ['6.1.16'], why: 'version 1 is not the number of the latest-dated revision (2)' },
  '6-1-14-05': { tests: ['6.1.16'], why: 'version 2.0.0 is not the number of the latest-dated revision (1.0.0)' },
  '6-1-17-01': { tests: ['6.1.18'], why: 'a final document whose revision history holds 0.9.5' },
  '6-1-20-01': { tests: ['6.1.16', '6.1.17'], why: 'version 1.0.0-alpha is not the revision 1.0.0, and a pre-release requires draft' },
  '6-1-27-01-01': { tests: ['6.1.27.2'], why: 'the document has no external reference either' },
  '6-1-27-02-01': { tests: ['6.1.27.1'], why: 'the document has no summary/description note either' },
  '6-1-27-03-01': { tests: ['6.1.27.1', '6.1.27.2'], why: 'an informational advisory with neither notes nor references' },
  '6-1-27-04-01': { tests: ['6.1.27.5', '6.1.27.6'], why: 'its vulnerability holds only a title' },
  '6-1-27-05-01': { tests: ['6.1.27.4', '6.1.27.6'], why: 'no product tree, and the vulnerability holds only a title' },
  '6-1-27-06-01': { tests: ['6.1.27.4', '6.1.27.5'], why: 'no product tree, and the vulnerability holds only a title' },
  '6-1-27-07-01': { tests: ['6.1.27.5', '6.1.27.8'], why: 'the VEX vulnerability has neither notes nor an id' },
  '6-1-27-08-01': { tests: ['6.1.27.4', '6.1.27.5', '6.1.27.7'], why: 'no product tree; the vulnerability holds only a title' },
  '6-1-27-10-01': { tests: ['6.1.27.5'], why: 'the VEX vulnerability has no notes' },
};
const coFailuresOf = (name: string) => {
  const key = /2021-(6-1-[\d-]+)\.json$/.exec(name)?.[1] ?? '';
  return CO_FAILURES[key]?.tests ?? [];
};

(present ? describe : describe.skip)(`CSAF 2.0 conformance (${present ? csafRoot : 'conformance data absent: ../shared/conformance/csaf'})`, () => {
  const validate = present ? schemaValidator() : ((() => false) as unknown as ValidateFunction);
  const cases: TestCase[] = present ? (read(join(dataDir, 'testcases.json')) as { tests: TestCase[] }).tests.filter((t) => t.group === 'mandatory') : [];

  it('implements exactly the mandatory test ids of the suite', () => {
    expect([...cases.map((t) => t.id)].sort()).toEqual([...MANDATORY_TEST_IDS].sort());
  });

  describe('(a) JSON schema', () => {
    it('every mandatory test document is schema-valid, except the 6.1.8 failures, which break only the CVSS schemas', () => {
      for (const file of readdirSync(join(dataDir, 'mandatory')).filter((f) => f.endsWith('.json'))) {
        const ok = validate(read(join(dataDir, 'mandatory', file)));
        if (/-6-1-08-0\d\.json$/.test(file)) {
          expect(ok, file).toBe(false);
          expect(validate.errors?.every((e: { instancePath: string }) => /^\/vulnerabilities\/\d+\/scores\/\d+\/cvss_v[23]/.test(e.instancePath)), file).toBe(true);
        } else {
          expect(ok, `${file}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
        }
      }
    });
    it('rejects a document missing required parts', () => {
      expect(validate({ document: { category: 'csaf_base' } })).toBe(false);
    });
  });

  describe('(b) mandatory tests against the OASIS test documents', () => {
    for (const t of cases) {
      for (const doc of t.valid ?? []) {
        it(`${t.id} accepts ${doc.name}`, () => {
          expect(runMandatoryTests(read(join(dataDir, doc.name)), [t.id])).toEqual([]);
          expect(failedMandatoryTests(read(join(dataDir, doc.name)))).toEqual([]);
        });
      }
      for (const doc of t.failures ?? []) {
        it(`${t.id} rejects ${doc.name}`, () => {
          const failures = runMandatoryTests(read(join(dataDir, doc.name)));
          expect(failures.filter((f) => f.test === t.id).length).toBeGreaterThan(0);
          for (const f of failures) expect(f.path).toMatch(/^\//);
          expect(new Set(failures.map((f) => f.test))).toEqual(new Set([t.id, ...coFailuresOf(doc.name)]));
        });
      }
    }
  });

  describe('(c) OASIS examples', () => {
    const files = present
      ? [...readdirSync(examplesDir).filter((f) => f.endsWith('.json')), ...readdirSync(join(examplesDir, 'csaf_vex')).filter((f) => f.endsWith('.json')).map((f) => `csaf_vex/${f}`)]
      : [];
    it('has examples of both kinds', () => {
      expect(files.length).toBeGreaterThanOrEqual(15);
      expect(files.some((f) => f.startsWith('csaf_vex/'))).toBe(true);
    });
    for (const file of files) {
      it(`${file} passes the schema and every mandatory test`, () => {
        const doc = read(join(examplesDir, file));
        expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
        expect(runMandatoryTests(doc)).toEqual([]);
      });
    }
  });

  describe('(d) documents written by Forewarn', () => {
    const written: [string, unknown][] = [
      ...ALL_ADVISORIES.map((a) => [`advisory ${a.id}`, writeCsafAdvisory(a)] as [string, unknown]),
      ['VEX FWN-2026-0001', writeCsafVex(PROMPT_INJECTION, PROMPT_INJECTION_STATEMENTS)],
      ['VEX FWN-2026-0002', writeCsafVex(MULTI_VENDOR, MULTI_VENDOR_STATEMENTS)],
    ];
    for (const [name, doc] of written) {
      it(`${name} passes the schema and every mandatory test`, () => {
        expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
        expect(runMandatoryTests(doc)).toEqual([]);
      });
    }
  });
});
