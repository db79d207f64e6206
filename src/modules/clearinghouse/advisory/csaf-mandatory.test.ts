import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CWE_NAMES, MANDATORY_TEST_IDS, failedMandatoryTests, runMandatoryTests } from './csaf-mandatory.ts';
import { writeCsafAdvisory } from './csaf-writer.ts';
import { PROMPT_INJECTION } from './advisory.fixtures.ts';

const base = () => structuredClone(writeCsafAdvisory(PROMPT_INJECTION)) as unknown as Record<string, any>;

describe('mandatory tests on a written advisory, one defect at a time', () => {
  it('the untouched document passes all tests', () => {
    expect(runMandatoryTests(base())).toEqual([]);
  });
  const cases: [string, (d: Record<string, any>) => void][] = [
    ['6.1.1', (d) => d.vulnerabilities[0].product_status.known_affected.push('nope')],
    ['6.1.2', (d) => (d.product_tree.branches[0].branches[1].branches[0].product.product_id = 'acme-inference-server-2')],
    ['6.1.4', (d) => (d.vulnerabilities[0].remediations[0].group_ids = ['G1'])],
    ['6.1.6', (d) => d.vulnerabilities[0].product_status.fixed.push('acme-inference-server-2')],
    ['6.1.7', (d) => d.vulnerabilities[0].scores.push(structuredClone(d.vulnerabilities[0].scores[0]))],
    ['6.1.8', (d) => delete d.vulnerabilities[0].scores[0].cvss_v3.baseSeverity],
    ['6.1.9', (d) => (d.vulnerabilities[0].scores[0].cvss_v3.baseScore = 9.9)],
    ['6.1.10', (d) => (d.vulnerabilities[0].scores[0].cvss_v3.attackVector = 'LOCAL')],
    ['6.1.11', (d) => (d.vulnerabilities[0].cwe.name = 'Something else')],
    ['6.1.12', (d) => (d.document.lang = 'qq')],
    ['6.1.13', (d) => (d.product_tree.branches[0].branches[0].branches[0].product.product_identification_helper.purl = 'pkg:maven/@1')],
    ['6.1.14', (d) => (d.document.tracking.revision_history[0].date = '2026-04-01T00:00:00Z')],
    ['6.1.15', (d) => (d.document.publisher.category = 'translator')],
    ['6.1.16', (d) => (d.document.tracking.version = '1')],
    ['6.1.22', (d) => d.document.tracking.revision_history.push({ ...d.document.tracking.revision_history[1] })],
    ['6.1.23', (d) => d.vulnerabilities.push({ ...structuredClone(d.vulnerabilities[0]) })],
    ['6.1.26', (d) => (d.document.category = 'Security Advisory')],
    ['6.1.27.5', (d) => delete d.vulnerabilities[0].notes],
    ['6.1.27.6', (d) => delete d.vulnerabilities[0].product_status],
    ['6.1.27.11', (d) => delete d.vulnerabilities],
    ['6.1.28', (d) => (d.document.source_lang = 'EN')],
    ['6.1.29', (d) => delete d.vulnerabilities[0].remediations[0].product_ids],
    ['6.1.31', (d) => (d.product_tree.branches[0].branches[1].branches[0].name = '1.9.0 and earlier')],
    ['6.1.32', (d) => delete d.vulnerabilities[0].flags[0].product_ids],
    ['6.1.33', (d) => d.vulnerabilities[0].flags.push({ label: 'component_not_present', product_ids: ['acme-inference-gateway-1.9.0'] })],
  ];
  it.each(cases)('%s', (id, mutate) => {
    const d = base();
    mutate(d);
    expect(failedMandatoryTests(d)).toContain(id);
  });
});

describe('details', () => {
  const tracking = (version: string, status: string, items: [string, string][]) => ({
    document: { category: 'csaf_base', tracking: { version, status, revision_history: items.map(([number, date]) => ({ number, date, summary: 's' })) } },
  });
  it('compares revision dates below the millisecond and across offsets', () => {
    expect(failedMandatoryTests(tracking('2', 'final', [['1', '2021-07-21T10:00:00.0001Z'], ['2', '2021-07-21T10:00:00.000Z']]))).toContain('6.1.14');
    expect(failedMandatoryTests(tracking('2', 'final', [['1', '2021-07-21T10:00:00Z'], ['2', '2021-07-21T06:00:00.5-04:00']]))).toEqual([]);
    expect(failedMandatoryTests(tracking('2', 'final', [['1', '2021-07-21T10:00:00Z'], ['2', '2021-07-21T05:59:59-04:00']]))).toContain('6.1.14');
  });
  it('orders semantic versions by precedence, not text', () => {
    expect(failedMandatoryTests(tracking('1.10.0', 'final', [['1.9.0', '2021-01-01T00:00:00Z'], ['1.10.0', '2021-01-02T00:00:00Z']]))).toEqual([]);
    expect(failedMandatoryTests(tracking('1.0.0+build.5', 'final', [['1.0.0', '2021-01-01T00:00:00Z']]))).toEqual([]);
    expect(failedMandatoryTests(tracking('2.0.0-rc.1', 'draft', [['1.0.0', '2021-01-01T00:00:00Z'], ['2.0.0', '2021-01-02T00:00:00Z']]))).toEqual([]);
  });
  it('finds gaps in the revision history and a wrong start', () => {
    expect(failedMandatoryTests(tracking('4', 'final', [['1', '2021-01-01T00:00:00Z'], ['2', '2021-01-02T00:00:00Z'], ['4', '2021-01-03T00:00:00Z']]))).toEqual(['6.1.21']);
    expect(failedMandatoryTests(tracking('3.0.0', 'final', [['2.0.0', '2021-01-01T00:00:00Z'], ['3.0.0', '2021-01-02T00:00:00Z']]))).toEqual(['6.1.21']);
  });
  it('category names: profile names are reserved in any spelling', () => {
    const cat = (c: string) => [...new Set(runMandatoryTests({ document: { category: c } }, ['6.1.26']).map((f) => f.test))];
    for (const c of ['Security Advisory', 'security-incident-response', 'VEX', 'csaf_something', 'CSAF_VEX', 'Informational_Advisory']) expect(cat(c), c).toEqual(['6.1.26']);
    for (const c of ['csaf_base', 'csaf_vex', 'Vendor notice', 'veximum']) expect(cat(c), c).toEqual([]);
  });
  it('version-range words count only as whole words', () => {
    const tree = (name: string) => ({ product_tree: { branches: [{ category: 'product_version', name, product: { name: 'x', product_id: 'p' } }] } });
    for (const n of ['<2', '>= 3', 'prior to 4', 'All', 'vers:npm/<2']) expect(failedMandatoryTests(tree(n)), n).toEqual(['6.1.31']);
    for (const n of ['after-eight', '2.0-allinone', 'laterals']) expect(failedMandatoryTests(tree(n)), n).toEqual([]);
  });
  it('languages: syntax and ISO 639-1 primary subtag', () => {
    const lang = (l: string) => failedMandatoryTests({ document: { category: 'csaf_base', lang: l } });
    for (const l of ['en', 'en-US', 'de-CH-1996', 'zh-Hant-TW', 'gsw', 'x-klingon', 'i-navajo']) expect(lang(l), l).toEqual([]);
    for (const l of ['EZ', 'e', 'english', 'en_US', 'en-']) expect(lang(l), l).toEqual(['6.1.12']);
  });
  it('every CWE in the table has a well-formed id', () => {
    for (const id of Object.keys(CWE_NAMES)) expect(id).toMatch(/^CWE-[1-9]\d*$/);
  });
  it('never throws on arbitrary JSON, and reports only known test ids', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        for (const f of runMandatoryTests(v)) expect(MANDATORY_TEST_IDS).toContain(f.test);
      }),
      { numRuns: 300 },
    );
    const shaped = fc.record({
      document: fc.record({ category: fc.constantFrom('csaf_vex', 'csaf_security_advisory', 'x'), tracking: fc.record({ version: fc.constantFrom('1', '0.1.0', 'x'), revision_history: fc.array(fc.record({ number: fc.constantFrom('1', '2', '1.0.0-a'), date: fc.constantFrom('2021-01-01T00:00:00Z', 'bad') })) }) }),
      product_tree: fc.record({ branches: fc.array(fc.jsonValue({ maxDepth: 3 })), relationships: fc.array(fc.record({ product_reference: fc.constantFrom('a', 'b'), relates_to_product_reference: fc.constantFrom('a', 'b'), full_product_name: fc.record({ product_id: fc.constantFrom('a', 'b', 'c'), name: fc.constant('n') }) })) }),
      vulnerabilities: fc.array(fc.record({ product_status: fc.dictionary(fc.constantFrom('fixed', 'known_affected', 'known_not_affected'), fc.array(fc.constantFrom('a', 'b', 'c'))), flags: fc.array(fc.record({ label: fc.constantFrom('component_not_present', 'x'), product_ids: fc.array(fc.constantFrom('a', 'b')) })) })),
    });
    fc.assert(fc.property(shaped, (v) => void runMandatoryTests(v)), { numRuns: 300 });
  });
  it('detects a circular relationship', () => {
    const doc = {
      product_tree: {
        full_product_names: [{ name: 'base', product_id: 'A' }],
        relationships: [
          { category: 'default_component_of', product_reference: 'C', relates_to_product_reference: 'A', full_product_name: { name: 'b', product_id: 'B' } },
          { category: 'default_component_of', product_reference: 'B', relates_to_product_reference: 'A', full_product_name: { name: 'c', product_id: 'C' } },
        ],
      },
    };
    expect(failedMandatoryTests(doc)).toEqual(['6.1.3']);
  });
});
