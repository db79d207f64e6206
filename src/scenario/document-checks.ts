// Checks a published advisory's documents the way a downstream consumer would: CSAF 2.0 against the
// OASIS JSON schema and the project's own mandatory tests, OSV against the OSV schema. The schemas
// are the conformance data next to the checkout (../shared/conformance); where that is absent the
// schema result is null rather than a guess.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { MANDATORY_TEST_IDS, failedMandatoryTests } from '../modules/clearinghouse/advisory/csaf-mandatory.ts';
import { CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA } from '../modules/clearinghouse/advisory/cvss-json-schemas.ts';
import { projectRoot } from '../lib/paths.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

const conformance = resolve(projectRoot, '..', 'shared', 'conformance');
const CSAF_SCHEMA = join(conformance, 'csaf', 'csaf_2.0', 'json_schema', 'csaf_json_schema.json');
const OSV_SCHEMA = join(conformance, 'osv-schema', 'validation', 'schema.json');

function compile(file: string, extra: object[] = []): ValidateFunction | null {
  if (!existsSync(file)) return null;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const s of extra) ajv.addSchema(s);
  return ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
}

export interface CsafCheck {
  schemaValid: boolean | null;
  schemaErrors: string[];
  mandatoryTests: { passed: number; failed: number; failedIds: string[] };
}

export function checkCsaf(doc: unknown): CsafCheck {
  const validate = compile(CSAF_SCHEMA, [CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA]);
  const schemaValid = validate ? validate(doc) : null;
  const failedIds = failedMandatoryTests(doc);
  return {
    schemaValid,
    schemaErrors: (validate?.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`.trim()),
    mandatoryTests: { passed: MANDATORY_TEST_IDS.length - failedIds.length, failed: failedIds.length, failedIds },
  };
}

export function checkOsv(record: unknown): { schemaValid: boolean | null; schemaErrors: string[] } {
  const validate = compile(OSV_SCHEMA);
  const schemaValid = validate ? validate(record) : null;
  return { schemaValid, schemaErrors: (validate?.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message ?? ''}`.trim()) };
}
