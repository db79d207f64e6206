import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseIntake, detectFormat, similarityKey, similarityParts, fingerprintKeys, IntakeRejectedError, type IntakeError } from './intake.ts';
import { candidateReportSchema, affectedOnly, type CandidateReport } from './candidate.ts';
import { normaliseCwe, parseCvss } from './text.ts';

function refused(input: string | Uint8Array, options?: Parameters<typeof parseIntake>[1]): { summary: string; errors: IntakeError[] } {
  try {
    parseIntake(input, options);
  } catch (e) {
    if (e instanceof IntakeRejectedError) return { summary: e.message, errors: e.intakeErrors };
    throw e;
  }
  throw new Error('expected the report to be refused');
}
const paths = (r: { errors: IntakeError[] }) => r.errors.map((e) => e.path);
const valid = (cs: CandidateReport[]) => cs.forEach((c) => expect(candidateReportSchema.parse(c)).toEqual(c));

// ---------- native ----------
const native = {
  format: 'forewarn-report/1',
  title: 'Heap overflow in libfoo image decoder',
  description: 'A crafted PNG overflows the row buffer.',
  cwe: ['cwe-122'],
  cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }],
  affected: [
    { purl: 'pkg:npm/libfoo@2.3.1' },
    { purl: 'pkg:pypi/Foo_Bar', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.4.2' }] }] },
    { cpe: 'cpe:2.3:a:example:libfoo:*:*:*:*:*:*:*:*', vers: 'vers:generic/>=2.0|<2.3.2' },
  ],
  location: { uri: 'src/decode.c', startLine: 120 },
  references: ['https://example.org/advisory/1'],
  ids: ['CVE-2026-1234'],
};

describe('native reports', () => {
  it('become one candidate, purls split into identity and version', () => {
    const r = parseIntake(JSON.stringify(native));
    expect(r.source).toBe('native');
    valid(r.candidates);
    expect(r.candidates[0]).toEqual({
      source: 'native',
      title: native.title,
      description: native.description,
      cwe: ['CWE-122'],
      cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }],
      affected: [
        { purl: 'pkg:npm/libfoo', ecosystem: 'npm', versions: ['2.3.1'] },
        { purl: 'pkg:pypi/foo-bar', ecosystem: 'PyPI', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { fixed: '1.4.2' }] }] },
        { cpe: 'cpe:2.3:a:example:libfoo:*:*:*:*:*:*:*:*', vers: 'vers:generic/>=2.0|<2.3.2' },
      ],
      location: { uri: 'src/decode.c', startLine: 120 },
      fingerprints: {},
      references: ['https://example.org/advisory/1'],
      ids: ['CVE-2026-1234'],
    });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown field', { ...native, severity: 'high' }, ''],
    ['a missing title', { ...native, title: undefined }, '/title'],
    ['an over-long title', { ...native, title: 'x'.repeat(501) }, '/title'],
    ['a bad CWE', { ...native, cwe: ['XSS'] }, '/cwe/0'],
    ['a CVSS vector of another version', { ...native, cvss: [{ version: '4.0', vector: native.cvss[0].vector }] }, '/cvss/0/vector'],
    ['an incomplete CVSS vector', { ...native, cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L' }] }, '/cvss/0/vector'],
    ['an invalid purl', { ...native, affected: [{ purl: 'npm:libfoo' }] }, '/affected/0/purl'],
    ['an unnamed product', { ...native, affected: [{ versions: ['1'] }] }, '/affected/0'],
    ['a range without introduced', { ...native, affected: [{ name: 'x', ranges: [{ type: 'SEMVER', events: [{ fixed: '1' }] }] }] }, '/affected/0/ranges/0/events'],
    ['an event with two keys', { ...native, affected: [{ name: 'x', ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }] }] }, '/affected/0/ranges/0/events/0'],
    ['a bad vers', { ...native, affected: [{ name: 'x', vers: '>=1' }] }, '/affected/0/vers'],
    ['a bad CPE', { ...native, affected: [{ cpe: 'libfoo' }] }, '/affected/0/cpe'],
    ['a javascript: reference', { ...native, references: ['javascript:alert(1)'] }, '/references/0'],
    ['too many products', { ...native, affected: Array.from({ length: 5001 }, () => ({ name: 'x' })) }, '/affected'],
  ];
  for (const [what, doc, path] of bad) {
    it(`refuses ${what}, naming ${path || 'the document'}`, () => {
      expect(paths(refused(JSON.stringify(doc), { format: 'native' }))).toContain(path);
    });
  }
});

// ---------- SARIF ----------
const sarif = {
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'CodeQL',
          semanticVersion: '2.17.0',
          rules: [
            {
              id: 'js/xss',
              name: 'XssThroughDom',
              shortDescription: { text: 'Client-side cross-site scripting' },
              fullDescription: { text: 'Writing user input directly to the DOM allows for a cross-site scripting vulnerability.' },
              helpUri: 'https://codeql.github.com/codeql-query-help/javascript/js-xss/',
              defaultConfiguration: { level: 'error' },
              properties: { tags: ['security', 'external/cwe/cwe-079', 'external/cwe/cwe-116'], 'security-severity': '6.1' },
              messageStrings: { default: { text: 'Cross-site scripting vulnerability due to {0}.' } },
            },
            { id: 'js/unused', shortDescription: { text: 'Unused variable' } },
          ],
        },
      },
      artifacts: [{ location: { uri: 'web/app.js', uriBaseId: '%SRCROOT%' } }],
      results: [
        {
          ruleId: 'js/xss',
          ruleIndex: 0,
          message: { id: 'default', arguments: ['a user-provided value'] },
          locations: [{ physicalLocation: { artifactLocation: { index: 0 }, region: { startLine: 42, startColumn: 7, endColumn: 30, snippet: { text: 'el.innerHTML = q;' } } } }],
          fingerprints: { 'codeql/v1': 'abc123' },
          partialFingerprints: { 'primaryLocationLineHash/v1': 'f00d:1' },
          correlationGuid: '5f2a8e1c-0000-4000-8000-000000000001',
        },
        { ruleId: 'js/unused', kind: 'pass', message: { text: 'ok' } },
        { ruleId: 'js/unused', message: { text: 'x is unused' }, suppressions: [{ kind: 'inSource' }] },
        { ruleId: 'js/unused', message: { text: 'y is unused' }, baselineState: 'absent' },
      ],
    },
    {
      tool: { driver: { name: 'AI Vuln Finder', version: '0.9', rules: [{ id: 'AIVF-001', relationships: [{ target: { id: '89', toolComponent: { name: 'CWE' } } }] }] } },
      taxonomies: [{ name: 'CWE', version: '4.14', taxa: [{ id: '89' }, { id: '20' }] }],
      results: [
        {
          rule: { id: 'AIVF-001' },
          level: 'warning',
          message: { text: 'SQL built from request parameter "id".\nSecond line.' },
          locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///srv/app/db.py' }, region: { startLine: 10 } } }],
          taxa: [{ index: 1, toolComponent: { index: 0 } }],
        },
      ],
    },
  ],
};

describe('SARIF 2.1.0', () => {
  it('turns each result into a candidate with tool, rule, CWE, location and fingerprints', () => {
    const r = parseIntake(JSON.stringify(sarif), { affected: [{ purl: 'pkg:npm/webapp', versions: ['3.1.0'] }] });
    expect(r.source).toBe('sarif');
    valid(r.candidates);
    expect(r.candidates).toHaveLength(2);
    expect(r.candidates[0]).toEqual({
      source: 'sarif',
      title: 'Client-side cross-site scripting',
      description:
        'Cross-site scripting vulnerability due to a user-provided value.\n\nWriting user input directly to the DOM allows for a cross-site scripting vulnerability.',
      cwe: ['CWE-79', 'CWE-116'],
      affected: [{ purl: 'pkg:npm/webapp', versions: ['3.1.0'] }],
      location: { uri: 'web/app.js', uriBaseId: '%SRCROOT%', startLine: 42, startColumn: 7, endColumn: 30, snippet: 'el.innerHTML = q;' },
      fingerprints: { 'codeql/v1': 'abc123', 'partial:primaryLocationLineHash/v1': 'f00d:1', correlationGuid: '5f2a8e1c-0000-4000-8000-000000000001' },
      tool: {
        name: 'CodeQL',
        version: '2.17.0',
        rule: {
          id: 'js/xss',
          name: 'XssThroughDom',
          shortDescription: 'Client-side cross-site scripting',
          helpUri: 'https://codeql.github.com/codeql-query-help/javascript/js-xss/',
          securitySeverity: 6.1,
        },
      },
      references: ['https://codeql.github.com/codeql-query-help/javascript/js-xss/'],
      ids: [],
      level: 'error',
    });
    expect(r.candidates[1]).toMatchObject({
      title: 'SQL built from request parameter "id".',
      cwe: ['CWE-89', 'CWE-20'],
      location: { uri: 'file:///srv/app/db.py', startLine: 10 },
      tool: { name: 'AI Vuln Finder', version: '0.9', rule: { id: 'AIVF-001' } },
      level: 'warning',
    });
    expect(r.warnings).toEqual(['1 result skipped: kind "pass".', '1 result skipped: suppressed.', '1 result skipped: baselineState "absent".']);
  });

  it('reads CWE from tags in the usual spellings', () => {
    for (const tag of ['CWE-79', 'cwe-079', 'external/cwe/cwe-79', 'CWE-79: Improper Neutralization', 'cwe:79']) expect(normaliseCwe(tag)).toBe('CWE-79');
    for (const tag of ['security', 'cwe-0', 'owasp-a03', 'CWE-1234567']) expect(normaliseCwe(tag)).toBeUndefined();
  });

  const bad: [string, unknown, string][] = [
    ['version 2.0.0', { ...sarif, version: '2.0.0' }, '/version'],
    ['no runs', { version: '2.1.0' }, '/runs'],
    ['a run without a driver name', { version: '2.1.0', runs: [{ tool: { driver: {} }, results: [] }] }, '/runs/0/tool/driver/name'],
    ['a result without a message', { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: [{ ruleId: 'a', message: { text: 'm' } }, { ruleId: 'a' }] }] }, '/runs/0/results/1/message'],
    ['a message with neither text nor id', { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: [{ message: {} }] }] }, '/runs/0/results/0/message'],
    ['a line number of 0', { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { region: { startLine: 0 } } }] }] }] }, '/runs/0/results/0/locations/0/physicalLocation/region/startLine'],
    ['an unknown level', { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: [{ message: { text: 'm' }, level: 'critical' }] }] }, '/runs/0/results/0/level'],
    ['an over-long fingerprint', { version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: [{ message: { text: 'm' }, fingerprints: { a: 'x'.repeat(2000) } }] }] }, '/runs/0/results/0/fingerprints/a'],
  ];
  for (const [what, doc, path] of bad) {
    it(`refuses ${what}, naming ${path}`, () => {
      expect(paths(refused(JSON.stringify(doc), { format: 'sarif' }))).toContain(path);
    });
  }

  it('enforces the results limit across runs, naming it', () => {
    const run = { tool: { driver: { name: 't' } }, results: Array.from({ length: 3 }, (_, i) => ({ message: { text: `m${i}` } })) };
    const r = refused(JSON.stringify({ version: '2.1.0', runs: [run, run] }), { limits: { maxCandidates: 5 } });
    expect(r.errors[0]).toEqual({ path: '/runs/1/results', message: 'More than 5 results (limit maxCandidates).' });
    expect(parseIntake(JSON.stringify({ version: '2.1.0', runs: [run, run] }), { limits: { maxCandidates: 6 } }).candidates).toHaveLength(6);
  });

  it('ingests thousands of results, each with its own location and fingerprint', () => {
    const results = Array.from({ length: 2_000 }, (_, i) => ({
      ruleId: 'js/xss',
      message: { text: `finding ${i}` },
      locations: [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.js` }, region: { startLine: i + 1 } } }],
      partialFingerprints: { 'primaryLocationLineHash/v1': `h${i}` },
    }));
    const r = parseIntake(JSON.stringify({ version: '2.1.0', runs: [{ tool: sarif.runs[0].tool, results }] }));
    expect(r.candidates).toHaveLength(2_000);
    expect(new Set(r.candidates.flatMap(fingerprintKeys)).size).toBe(2_000);
    expect(r.candidates[1999].location).toEqual({ uri: 'src/f1999.js', startLine: 2000 });
  });
});

// ---------- OSV ----------
const osv = {
  schema_version: '1.6.0',
  id: 'GHSA-xxxx-yyyy-zzzz',
  modified: '2026-01-02T00:00:00Z',
  published: '2026-01-01T00:00:00Z',
  aliases: ['CVE-2026-1234'],
  summary: 'Prototype pollution in lodash-ish',
  details: 'Long details.',
  severity: [
    { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
    { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
    { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
  ],
  affected: [
    { package: { ecosystem: 'npm', name: 'lodash-ish', purl: 'pkg:npm/lodash-ish' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }], versions: ['4.17.20'] },
    { package: { ecosystem: 'Maven', name: 'org.example:lib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.9' }] }] },
    { ranges: [{ type: 'GIT', repo: 'https://github.com/example/lib', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] }] },
  ],
  references: [{ type: 'ADVISORY', url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz' }],
  database_specific: { cwe_ids: ['CWE-1321'], severity: 'HIGH' },
};

describe('OSV', () => {
  it('reads one record with ranges, versions, CVSS vectors and CWE', () => {
    const r = parseIntake(JSON.stringify(osv));
    expect(r.source).toBe('osv');
    valid(r.candidates);
    expect(r.candidates[0]).toEqual({
      source: 'osv',
      title: 'Prototype pollution in lodash-ish',
      description: 'Long details.',
      cwe: ['CWE-1321'],
      cvss: [
        { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      ],
      affected: [
        { ecosystem: 'npm', name: 'lodash-ish', purl: 'pkg:npm/lodash-ish', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }], versions: ['4.17.20'] },
        { ecosystem: 'Maven', name: 'org.example:lib', purl: 'pkg:maven/org.example/lib', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '1.0' }, { last_affected: '1.9' }] }] },
        { name: 'https://github.com/example/lib', ranges: [{ type: 'GIT', repo: 'https://github.com/example/lib', events: [{ introduced: '0' }, { fixed: 'a'.repeat(40) }] }] },
      ],
      fingerprints: {},
      references: ['https://github.com/advisories/GHSA-xxxx-yyyy-zzzz'],
      ids: ['GHSA-xxxx-yyyy-zzzz', 'CVE-2026-1234'],
      published: '2026-01-01T00:00:00Z',
    });
  });

  it('reads an array and JSON Lines', () => {
    const two = [osv, { ...osv, id: 'OSV-2', aliases: [] }];
    expect(parseIntake(JSON.stringify(two)).candidates.map((c) => c.ids[0])).toEqual(['GHSA-xxxx-yyyy-zzzz', 'OSV-2']);
    const lines = two.map((x) => JSON.stringify(x)).join('\n') + '\n\n';
    const r = parseIntake(lines);
    expect(r.source).toBe('osv');
    expect(r.candidates.map((c) => c.ids[0])).toEqual(['GHSA-xxxx-yyyy-zzzz', 'OSV-2']);
  });

  it('flags withdrawn records but keeps them', () => {
    const r = parseIntake(JSON.stringify({ ...osv, withdrawn: '2026-02-01T00:00:00Z' }));
    expect(r.candidates[0].withdrawn).toBe('2026-02-01T00:00:00Z');
    expect(r.warnings).toContain('GHSA-xxxx-yyyy-zzzz was withdrawn on 2026-02-01T00:00:00Z.');
  });

  const rangeOf = (range: unknown) => ({ ...osv, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [range] }] });
  const bad: [string, unknown, string][] = [
    ['a missing id', { ...osv, id: undefined }, '/id'],
    ['a bad modified date', { ...osv, modified: 'yesterday' }, '/modified'],
    ['no introduced event', rangeOf({ type: 'SEMVER', events: [{ fixed: '1.0.0' }] }), '/affected/0/ranges/0/events'],
    ['fixed with last_affected', rangeOf({ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1' }, { last_affected: '2' }] }), '/affected/0/ranges/0/events'],
    ['a GIT range without repo', rangeOf({ type: 'GIT', events: [{ introduced: '0' }] }), '/affected/0/ranges/0/repo'],
    ['an unknown range type', rangeOf({ type: 'DATE', events: [{ introduced: '0' }] }), '/affected/0/ranges/0/type'],
    ['an unknown event', rangeOf({ type: 'SEMVER', events: [{ introduced: '0' }, { patched: '1' }] }), '/affected/0/ranges/0/events/1'],
    ['an invalid purl', { ...osv, affected: [{ package: { ecosystem: 'npm', name: 'x', purl: 'npm/x' } }] }, '/affected/0/package/purl'],
    ['an affected entry without package', { ...osv, affected: [{ versions: ['1'] }] }, '/affected/0'],
  ];
  for (const [what, doc, path] of bad) {
    it(`refuses ${what}, naming ${path}`, () => {
      expect(paths(refused(JSON.stringify(doc), { format: 'osv' }))).toContain(path);
    });
  }

  it('names the line of a bad JSON Lines record', () => {
    const lines = [JSON.stringify(osv), JSON.stringify({ ...osv, modified: 'never' })].join('\n');
    const r = refused(lines);
    expect(r.summary).toMatch(/^Line 2:/);
    expect(r.errors[0]).toEqual({ path: '/1/modified', message: expect.stringMatching(/^line 2: /) });
    const broken = refused(`${JSON.stringify(osv)}\n{"id": `);
    expect(broken.errors[0].path).toBe('/1');
  });

  it('enforces the record limit', () => {
    expect(refused(JSON.stringify([osv, osv, osv]), { limits: { maxCandidates: 2 } }).errors[0].message).toMatch(/limit \(maxCandidates\) is 2/);
    expect(refused([osv, osv, osv].map((x) => JSON.stringify(x)).join('\n'), { limits: { maxCandidates: 2 } }).errors[0].message).toMatch(/Line 3: more than 2 records/);
  });
});

// ---------- CSAF ----------
const csaf = {
  document: {
    category: 'csaf_security_advisory',
    csaf_version: '2.0',
    title: 'libfoo heap overflow',
    publisher: { category: 'vendor', name: 'Example Vendor', namespace: 'https://vendor.example' },
    tracking: {
      id: 'EXV-2026-001',
      current_release_date: '2026-01-05T00:00:00Z',
      initial_release_date: '2026-01-05T00:00:00Z',
      revision_history: [{ date: '2026-01-05T00:00:00Z', number: '1', summary: 'Initial' }],
      status: 'final',
      version: '1',
    },
    notes: [{ category: 'summary', text: 'Document summary.' }],
  },
  product_tree: {
    branches: [
      {
        category: 'vendor',
        name: 'Example Vendor',
        branches: [
          {
            category: 'product_name',
            name: 'libfoo',
            branches: [
              { category: 'product_version', name: '2.3.1', product: { name: 'libfoo 2.3.1', product_id: 'P1', product_identification_helper: { purl: 'pkg:npm/libfoo@2.3.1' } } },
              { category: 'product_version', name: '2.3.2', product: { name: 'libfoo 2.3.2', product_id: 'P2', product_identification_helper: { purl: 'pkg:npm/libfoo@2.3.2' } } },
              { category: 'product_version_range', name: 'vers:npm/>=1.0.0|<2.0.0', product: { name: 'libfoo 1.x', product_id: 'P3' } },
            ],
          },
        ],
      },
    ],
    full_product_names: [{ name: 'Gateway Appliance 5', product_id: 'P4', product_identification_helper: { cpe: 'cpe:2.3:h:example:gateway:5:*:*:*:*:*:*:*' } }],
    relationships: [{ category: 'installed_on', full_product_name: { name: 'libfoo 2.3.1 on Gateway 5', product_id: 'P5' }, product_reference: 'P1', relates_to_product_reference: 'P4' }],
  },
  vulnerabilities: [
    {
      cve: 'CVE-2026-1234',
      cwe: { id: 'CWE-122', name: 'Heap-based Buffer Overflow' },
      ids: [{ system_name: 'Vendor bug', text: 'BUG-77' }],
      notes: [{ category: 'description', text: 'A crafted PNG overflows the row buffer.' }],
      product_status: { known_affected: ['P1', 'P5'], fixed: ['P2'], known_not_affected: ['P3', 'P4'] },
      flags: [{ label: 'vulnerable_code_not_present', product_ids: ['P3'] }],
      scores: [{ products: ['P1'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', baseScore: 8.8, baseSeverity: 'HIGH' } }],
      remediations: [{ category: 'vendor_fix', details: 'Upgrade to 2.3.2.', product_ids: ['P1'] }],
      references: [{ url: 'https://vendor.example/advisories/EXV-2026-001', summary: 'Advisory' }],
    },
  ],
};

describe('CSAF 2.0', () => {
  it('resolves product_status through the product tree, noting fixed versions', () => {
    const r = parseIntake(JSON.stringify(csaf));
    expect(r.source).toBe('csaf');
    valid(r.candidates);
    const c = r.candidates[0];
    expect(c).toMatchObject({
      title: 'CVE-2026-1234: libfoo heap overflow',
      description: 'A crafted PNG overflows the row buffer.',
      cwe: ['CWE-122'],
      cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }],
      ids: ['CVE-2026-1234', 'BUG-77'],
      references: ['https://vendor.example/advisories/EXV-2026-001'],
      fingerprints: { csaf: 'https://vendor.example#EXV-2026-001#CVE-2026-1234' },
    });
    expect(c.affected).toEqual([
      { name: 'Example Vendor libfoo', purl: 'pkg:npm/libfoo', ecosystem: 'npm', versions: ['2.3.1'], fixedVersions: ['2.3.2'] },
      { name: 'libfoo 2.3.1 on Gateway 5', purl: 'pkg:npm/libfoo', ecosystem: 'npm', versions: ['2.3.1'] },
      { name: 'Example Vendor libfoo', purl: 'pkg:npm/libfoo', ecosystem: 'npm', versions: ['2.3.2'], status: 'fixed' },
      { name: 'Example Vendor libfoo', vers: 'vers:npm/>=1.0.0|<2.0.0', status: 'not_affected', justification: 'vulnerable_code_not_present' },
      { name: 'Gateway Appliance 5', cpe: 'cpe:2.3:h:example:gateway:5:*:*:*:*:*:*:*', status: 'not_affected' },
    ]);
    expect(affectedOnly(c)).toHaveLength(2);
  });

  const bad: [string, unknown, string][] = [
    ['CSAF 2.1', { ...csaf, document: { ...csaf.document, csaf_version: '2.1' } }, '/document/csaf_version'],
    ['a missing publisher namespace', { ...csaf, document: { ...csaf.document, publisher: { category: 'vendor', name: 'x' } } }, '/document/publisher/namespace'],
    ['an undefined product', { ...csaf, vulnerabilities: [{ ...csaf.vulnerabilities[0], product_status: { known_affected: ['P9'] } }] }, '/vulnerabilities/0/product_status/known_affected/0'],
    ['a bad CVE', { ...csaf, vulnerabilities: [{ ...csaf.vulnerabilities[0], cve: 'CVE-26-1' }] }, '/vulnerabilities/0/cve'],
    ['a bad vector', { ...csaf, vulnerabilities: [{ ...csaf.vulnerabilities[0], scores: [{ products: ['P1'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:X' } }] }] }, '/vulnerabilities/0/scores/0/cvss_v3/vectorString'],
    ['an unknown branch category', { ...csaf, product_tree: { branches: [{ category: 'colour', name: 'red', product: { name: 'r', product_id: 'R' } }] } }, '/product_tree/branches/0/category'],
    ['an invalid purl', { ...csaf, product_tree: { full_product_names: [{ name: 'x', product_id: 'P1', product_identification_helper: { purl: 'libfoo' } }] } }, '/product_tree/full_product_names/0/product_identification_helper/purl'],
  ];
  for (const [what, doc, path] of bad) {
    it(`refuses ${what}, naming ${path}`, () => {
      expect(paths(refused(JSON.stringify(doc)))).toContain(path);
    });
  }
});

// ---------- CycloneDX VEX ----------
const vex = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  version: 1,
  metadata: { component: { type: 'application', name: 'billing', 'bom-ref': 'app' } },
  components: [
    { type: 'library', name: 'libfoo', version: '2.3.1', purl: 'pkg:npm/libfoo@2.3.1', 'bom-ref': 'libfoo', components: [{ type: 'library', name: 'inner', purl: 'pkg:npm/inner@1.0.0', 'bom-ref': 'inner' }] },
  ],
  vulnerabilities: [
    {
      id: 'CVE-2026-1234',
      source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2026-1234' },
      references: [{ id: 'GHSA-xxxx-yyyy-zzzz', source: { name: 'GitHub', url: 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz' } }],
      ratings: [
        { method: 'CVSSv31', vector: 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', score: 8.8 },
        { method: 'CVSSv4', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
        { method: 'OWASP', vector: 'SL:1/M:4' },
      ],
      cwes: [122],
      description: 'Heap overflow in the PNG decoder.\nMore.',
      analysis: { state: 'exploitable', response: ['update'], detail: 'Reachable from the upload form.' },
      affects: [
        { ref: 'libfoo' },
        { ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#inner', versions: [{ version: '1.0.0', status: 'affected' }, { range: 'vers:npm/>=2.0.0', status: 'unaffected' }] },
        { ref: 'urn:cdx:00000000-0000-4000-8000-000000000000/1#elsewhere' },
      ],
    },
    { id: 'CVE-2026-9999', analysis: { state: 'not_affected', justification: 'code_not_reachable' }, affects: [{ ref: 'app' }] },
  ],
};

describe('CycloneDX VEX', () => {
  it('resolves affects through bom-refs and BOM-links, with ratings, CWE and analysis', () => {
    const r = parseIntake(JSON.stringify(vex));
    expect(r.source).toBe('cyclonedx-vex');
    valid(r.candidates);
    expect(r.candidates[0]).toEqual({
      source: 'cyclonedx-vex',
      title: 'CVE-2026-1234: Heap overflow in the PNG decoder.',
      description: 'Heap overflow in the PNG decoder.\nMore.',
      cwe: ['CWE-122'],
      cvss: [
        { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' },
        { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' },
      ],
      affected: [
        { name: 'libfoo', purl: 'pkg:npm/libfoo', ecosystem: 'npm', versions: ['2.3.1'] },
        { name: 'inner', purl: 'pkg:npm/inner', ecosystem: 'npm', versions: ['1.0.0'] },
        { name: 'inner', purl: 'pkg:npm/inner', ecosystem: 'npm', status: 'not_affected', vers: 'vers:npm/>=2.0.0' },
        { name: 'urn:cdx:00000000-0000-4000-8000-000000000000/1#elsewhere' },
      ],
      fingerprints: {},
      references: ['https://nvd.nist.gov/vuln/detail/CVE-2026-1234', 'https://github.com/advisories/GHSA-xxxx-yyyy-zzzz'],
      ids: ['CVE-2026-1234', 'GHSA-xxxx-yyyy-zzzz'],
      analysis: { state: 'exploitable', response: ['update'], detail: 'Reachable from the upload form.' },
    });
    expect(r.candidates[1].affected).toEqual([{ name: 'billing', status: 'not_affected', justification: 'code_not_reachable' }]);
    expect(r.warnings[0]).toMatch(/affects\/2\/ref: .* not a component of this document/);
  });

  it('validates against the CycloneDX schema, naming the path', () => {
    const bad = { ...vex, vulnerabilities: [{ ...vex.vulnerabilities[0], analysis: { state: 'maybe' } }] };
    expect(paths(refused(JSON.stringify(bad)))).toContain('/vulnerabilities/0/analysis/state');
    expect(paths(refused(JSON.stringify({ ...vex, specVersion: '1.2' })))).toContain('/specVersion');
    expect(paths(refused(JSON.stringify({ ...vex, vulnerabilities: [] })))).toContain('/vulnerabilities');
  });
});

// ---------- keys ----------
describe('deduplication keys', () => {
  const base: CandidateReport = {
    source: 'native',
    title: 't',
    description: 'd',
    cwe: ['CWE-79'],
    affected: [{ purl: 'pkg:npm/webapp', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '3.2.0' }] }] }],
    location: { uri: 'web/app.js', startLine: 42 },
    fingerprints: {},
    references: [],
    ids: [],
  };

  it('is the same for the same bug reported through different formats', () => {
    const viaOsv = parseIntake(
      JSON.stringify({
        id: 'X-1',
        modified: '2026-01-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'npm', name: 'webapp' }, ranges: [{ type: 'SEMVER', events: [{ fixed: '3.2.0' }, { introduced: '0' }] }] }],
        database_specific: { cwe_ids: ['CWE-79'] },
      }),
    ).candidates[0];
    const noLocation = { ...base, location: undefined };
    delete noLocation.location;
    expect(similarityKey(viaOsv)).toBe(similarityKey(noLocation));
    expect(similarityKey({ ...base, location: { uri: './web/app.js', startLine: 42 } })).toBe(similarityKey(base));
    expect(similarityKey({ ...base, location: { uri: 'file:///web/app.js?x=1', startLine: 42 } })).toBe(similarityKey(base));
    expect(similarityKey({ ...base, affected: [{ ...base.affected[0], purl: 'pkg:npm/webapp@3.1.0' }] })).toBe(similarityKey(base));
    expect(similarityKey({ ...base, tool: { name: 'other' }, title: 'another title', ids: ['CVE-1'] })).toBe(similarityKey(base));
  });

  it('differs when the product, range, CWE or location differs', () => {
    const k = similarityKey(base);
    expect(similarityKey({ ...base, affected: [{ ...base.affected[0], purl: 'pkg:npm/other' }] })).not.toBe(k);
    expect(similarityKey({ ...base, affected: [{ ...base.affected[0], ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '3.3.0' }] }] }] })).not.toBe(k);
    expect(similarityKey({ ...base, cwe: ['CWE-80'] })).not.toBe(k);
    expect(similarityKey({ ...base, location: { uri: 'web/app.js', startLine: 43 } })).not.toBe(k);
    expect(similarityKey({ ...base, affected: [{ ...base.affected[0], status: 'not_affected' }] })).not.toBe(k);
  });

  it('is undefined when there is neither product nor location', () => {
    expect(similarityKey({ ...base, affected: [], location: undefined })).toBeUndefined();
    expect(similarityParts(base)).toEqual(['products=pkg:npm/webapp{SEMVER[fixed=3.2.0,introduced=0]}', 'cwe=CWE-79', 'location=web/app.js:42']);
  });

  it('fingerprint keys: identifiers, full fingerprints, partial ones scoped by rule and file', () => {
    const [xss] = parseIntake(JSON.stringify(sarif)).candidates;
    expect(fingerprintKeys(xss)).toEqual([
      'fp:codeql:codeql/v1=abc123',
      'pfp:codeql:js/xss:web/app.js:primaryLocationLineHash/v1=f00d:1',
      'fp:codeql:correlationGuid=5f2a8e1c-0000-4000-8000-000000000001',
    ]);
    expect(fingerprintKeys({ ...base, ids: ['cve-2026-1', 'GHSA-abcd-efgh-ijkl'] })).toEqual(['id:CVE-2026-1', 'id:GHSA-ABCD-EFGH-IJKL']);
  });

  it('is stable under reordering (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(['CWE-1', 'CWE-79', 'CWE-20'], { minLength: 3, maxLength: 3 }), fc.boolean(), (cwe, swap) => {
        const a = [{ purl: 'pkg:npm/a' }, { purl: 'pkg:npm/b', versions: ['2', '1'] }];
        const c = { ...base, cwe, affected: swap ? [a[1], a[0]] : a };
        return similarityKey(c) === similarityKey({ ...base, cwe: ['CWE-20', 'CWE-1', 'CWE-79'], affected: [{ purl: 'pkg:npm/a' }, { purl: 'pkg:npm/b', versions: ['1', '2'] }] });
      }),
    );
  });
});

// ---------- detection, limits, robustness ----------
describe('intake', () => {
  it('detects each format', () => {
    expect(detectFormat(sarif)).toBe('sarif');
    expect(detectFormat(csaf)).toBe('csaf');
    expect(detectFormat(vex)).toBe('cyclonedx-vex');
    expect(detectFormat(osv)).toBe('osv');
    expect(detectFormat([osv])).toBe('osv');
    expect(detectFormat(native)).toBe('native');
  });

  it('refuses XML, oversize files, deep nesting, bad JSON and bad UTF-8', () => {
    expect(refused('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>').summary).toMatch(/XML reports are not accepted/);
    expect(refused(JSON.stringify(native), { limits: { maxBytes: 100 } }).errors[0].message).toMatch(/limit \(maxBytes\) is 100 bytes/);
    expect(refused('['.repeat(1000) + ']'.repeat(1000)).errors[0].message).toMatch(/limit maxNesting/);
    expect(refused('{"title": ').summary).toMatch(/not valid JSON/);
    expect(refused(new Uint8Array([0x7b, 0xff, 0x7d])).summary).toMatch(/not valid text/);
    expect(refused('').summary).toMatch(/empty/);
  });

  it('produces only valid candidates or a path-naming refusal, whatever the input (property)', () => {
    const docs = [native, sarif, osv, csaf, vex];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: docs.length - 1 }), fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })), { maxLength: 3 }), (i, muts) => {
        const doc: Record<string, unknown> = structuredClone(docs[i]) as Record<string, unknown>;
        for (const [k, v] of muts) doc[k] = v;
        try {
          valid(parseIntake(JSON.stringify(doc)).candidates);
          return true;
        } catch (e) {
          return e instanceof IntakeRejectedError && e.intakeErrors.length > 0;
        }
      }),
      { numRuns: 150 },
    );
  });

  it('checks CVSS vectors metric by metric', () => {
    expect(parseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P')).toEqual({ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P' });
    expect(parseCvss('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.0')?.vector).toBe('CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
    for (const bad of ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', 'CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:2.0/AV:N', 'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']) {
      expect(parseCvss(bad)).toBeUndefined();
    }
  });
});
