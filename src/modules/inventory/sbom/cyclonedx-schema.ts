// The official CycloneDX JSON schemas, as bundled by @cyclonedx/cyclonedx-library (res/schema),
// compiled with Ajv. The library's own JsonValidator needs ajv-formats-draft2019, which is not
// installed, and reads its files asynchronously on every new validator; compiling here once per
// version keeps validation synchronous. Reading the bundled schema files at first use is the only
// file access in this folder: they are part of an installed package, like code.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { CycloneDxVersion } from './types.ts';
import type { SbomError } from './errors.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let schemaDirCache: string | undefined;
function schemaDir(): string {
  if (!schemaDirCache) {
    const require = createRequire(import.meta.url);
    schemaDirCache = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  }
  return schemaDirCache;
}

function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemaDir(), file), 'utf8')) as Record<string, unknown>;
}

/** JSON text of a parsed JSON value with object keys sorted: equal texts iff deep-equal values. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

interface UniqueItemsCheck {
  (schema: boolean, data: unknown[]): boolean;
  errors?: Partial<ErrorObject>[];
}

/** The uniqueItems keyword with Ajv's error (params i, j: the later and the earlier equal item). */
const uniqueItems: UniqueItemsCheck = (schema, data) => {
  uniqueItems.errors = [];
  if (!schema || data.length < 2) return true;
  const seen = new Map<string, number>();
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    const key = item !== null && typeof item === 'object' ? canonicalJson(item) : `${typeof item}:${JSON.stringify(item)}`;
    const j = seen.get(key);
    if (j !== undefined) {
      uniqueItems.errors = [{ keyword: 'uniqueItems', params: { i, j }, message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)` }];
      return false;
    }
    seen.set(key, i);
  }
  return true;
};

let ajvCache: Ajv | undefined;
function ajv(): Ajv {
  if (!ajvCache) {
    const instance = new Ajv({
      strict: false,
      allErrors: false,
      useDefaults: false,
      // Never fetch: every $ref resolves to a bundled schema or fails.
      loadSchema: (uri: string) => Promise.reject(new Error(`Remote schemas are disabled: ${uri}`)),
      schemas: {
        'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': readSchema('spdx.SNAPSHOT.schema.json'),
        'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': readSchema('jsf-0.82.SNAPSHOT.schema.json'),
        'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': readSchema('cryptography-defs.SNAPSHOT.schema.json'),
      },
    });
    addFormats(instance);
    // Ajv checks uniqueItems on arrays of objects by comparing every pair (fast-deep-equal), n²/2
    // comparisons: 12.5 million for 5,000 components, most of a second. The same rule, linear: each
    // item's canonical JSON (keys sorted, which is what deep equality ignores) in a set.
    instance.removeKeyword('uniqueItems');
    instance.addKeyword({ keyword: 'uniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: uniqueItems });
    // Formats ajv-formats lacks; the library registers the same permissive stand-ins.
    instance.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
    instance.addFormat('iri-reference', true);
    ajvCache = instance;
  }
  return ajvCache;
}

const validators = new Map<CycloneDxVersion, ValidateFunction>();

export function cycloneDxValidator(version: CycloneDxVersion): ValidateFunction {
  let v = validators.get(version);
  if (!v) {
    v = ajv().compile(readSchema(`bom-${version}.SNAPSHOT.schema.json`));
    validators.set(version, v);
  }
  return v;
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return `has a property "${String(p.additionalProperty)}" that the schema does not allow`;
    case 'required':
      return `is missing the required property "${String(p.missingProperty)}"`;
    case 'enum':
      return `must be one of: ${(p.allowedValues as unknown[]).map((x) => JSON.stringify(x)).slice(0, 20).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return e.message ?? `fails ${e.keyword}`;
  }
}

/** Ajv errors as path-naming SBOM errors (instancePath is already a JSON pointer). */
export function schemaErrors(errors: readonly ErrorObject[] | null | undefined, version: string): SbomError[] {
  const out: SbomError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const message = `${describe(e)} (CycloneDX ${version} schema: ${e.schemaPath})`;
    const key = e.instancePath + message;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: e.instancePath, message });
  }
  return out;
}
