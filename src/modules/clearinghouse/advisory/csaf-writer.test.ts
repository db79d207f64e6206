import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { DRAFT_RED, MULTI_VENDOR, MULTI_VENDOR_STATEMENTS, PROMPT_INJECTION, PROMPT_INJECTION_STATEMENTS } from './advisory.fixtures.ts';
import { runMandatoryTests } from './csaf-mandatory.ts';
import { CsafOutputError, assertCsafDocument } from './csaf-structure.ts';
import { writeCsafAdvisory, writeCsafVex } from './csaf-writer.ts';
import { fromCsafTlp } from './tlp.ts';
import { versOf } from './model.ts';

describe('writeCsafAdvisory', () => {
  const doc = writeCsafAdvisory(PROMPT_INJECTION);

  it('writes the document header of a coordinator advisory', () => {
    expect(doc.document).toMatchObject({
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      lang: 'en',
      publisher: { category: 'coordinator', name: 'Treasury AI Cybersecurity Clearinghouse', namespace: 'https://clearinghouse.treasury.gov' },
      distribution: { tlp: { label: 'WHITE', url: 'https://www.first.org/tlp/' } },
      aggregate_severity: { text: 'CRITICAL' },
      tracking: {
        id: 'FWN-2026-0001',
        status: 'final',
        version: '2',
        initial_release_date: '2026-03-02T15:00:00.000Z',
        current_release_date: '2026-03-09T09:30:00-05:00',
        revision_history: [
          { number: '1', date: '2026-03-02T15:00:00.000Z', summary: 'Initial public release after coordinated disclosure.' },
          { number: '2', date: '2026-03-09T09:30:00-05:00', summary: 'Added CVSS v4.0 vector and the gateway not-affected statement.' },
        ],
      },
    });
    expect(doc.document.references?.[0]).toMatchObject({ category: 'self' });
  });

  it('builds vendor → product → version/range branches with purls and vers', () => {
    const acme = doc.product_tree.branches[0];
    expect(acme.name).toBe('Acme Labs');
    const server = acme.branches[0].branches;
    expect(server[0]).toMatchObject({ category: 'product_version_range', name: 'vers:pypi/>=2.0.0|<2.4.1', product: { product_id: 'acme-inference-server-2', product_identification_helper: { purl: 'pkg:pypi/acme-inference-server' } } });
    // the fixed version of the vendor_fix is added to the tree with status fixed
    expect(server[1]).toMatchObject({ category: 'product_version', name: '2.4.1', product: { product_id: 'acme-inference-server-2-fixed', product_identification_helper: { purl: 'pkg:pypi/acme-inference-server@2.4.1' } } });
  });

  it('writes status, scores, flags, threats and remediations', () => {
    const v = doc.vulnerabilities[0];
    expect(v.product_status).toEqual({ fixed: ['acme-inference-server-2-fixed'], known_affected: ['acme-inference-server-2'], known_not_affected: ['acme-inference-gateway-1.9.0'] });
    expect(v.scores).toEqual([{ products: ['acme-inference-server-2'], cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', baseScore: 9.6, baseSeverity: 'CRITICAL' } }]);
    expect(v.flags).toEqual([{ label: 'vulnerable_code_not_present', product_ids: ['acme-inference-gateway-1.9.0'] }]);
    expect(v.threats).toEqual([{ category: 'impact', details: 'The gateway does not include the retrieval tool.', product_ids: ['acme-inference-gateway-1.9.0'] }]);
    expect(v.remediations?.[0]).toEqual({ category: 'vendor_fix', details: 'Update Acme Inference Server to 2.4.1 or later.', product_ids: ['acme-inference-server-2'], url: 'https://acme.example/downloads/2.4.1' });
    expect(v.cwe).toEqual({ id: 'CWE-1427', name: 'Improper Neutralization of Input Used for LLM Prompting' });
  });

  it('puts CVSS 4.0 in a note, since CSAF 2.0 has no field for it', () => {
    const note = doc.vulnerabilities[0].notes.find((n) => n.title === 'CVSS v4.0');
    expect(note?.text).toMatch(/^CVSS:4\.0\/AV:N\/AC:L\/AT:N\/PR:N\/UI:P\/VC:H\/VI:H\/VA:H\/SC:H\/SI:H\/SA:H \(CVSS-B score 9\.4, CRITICAL\)/);
    const red = writeCsafAdvisory(DRAFT_RED);
    expect(red.vulnerabilities[0].scores).toBeUndefined();
    expect(red.vulnerabilities[0].notes.map((n) => n.title)).toEqual(['Description', 'CVSS v4.0']);
  });

  it('maps TLP 2.0 to the CSAF 2.0 (TLP 1.0) labels and keeps AMBER+STRICT readable', () => {
    const amberStrict = writeCsafAdvisory(MULTI_VENDOR);
    expect(amberStrict.document.distribution.tlp.label).toBe('AMBER');
    expect(amberStrict.document.distribution.text).toMatch(/TLP:AMBER\+STRICT/);
    expect(fromCsafTlp(amberStrict.document.distribution.tlp.label, amberStrict.document.distribution.text)).toBe('AMBER+STRICT');
    expect(writeCsafAdvisory(DRAFT_RED).document.distribution.tlp.label).toBe('RED');
    expect(writeCsafAdvisory({ ...DRAFT_RED, tlp: 'GREEN' }).document.distribution).toEqual({ tlp: { label: 'GREEN', url: 'https://www.first.org/tlp/' }, text: 'TLP:GREEN (TLP 2.0).' });
  });

  it('writes ranges as vers with last_affected and open ends', () => {
    expect(versOf({ purl: 'pkg:golang/github.com/weightsync/weightsync', range: { introduced: '0', lastAffected: '0.9.7' } })).toBe('vers:golang/<=0.9.7');
    expect(versOf({ purl: 'pkg:npm/%40lantern/ckpt', range: { introduced: '3.0.0' } })).toBe('vers:npm/>=3.0.0');
    expect(versOf({ range: { introduced: '0' } })).toBe('vers:generic/*');
  });

  it('refuses invalid advisories, naming the path', () => {
    const bad = (mutate: (a: any) => void) => {
      const a = structuredClone(PROMPT_INJECTION) as any;
      mutate(a);
      try {
        writeCsafAdvisory(a);
      } catch (e) {
        expect(e).toBeInstanceOf(ZodError);
        return (e as ZodError).issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
      }
      throw new Error('accepted');
    };
    expect(bad((a) => (a.id = 'ADV-1'))).toMatch(/^id:/);
    expect(bad((a) => (a.vulnerabilities[0].statuses[0].productId = 'ghost'))).toMatch(/unknown product ghost/);
    expect(bad((a) => (a.vulnerabilities[0].cvss = ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']))).toMatch(/metric AV has no value "X"/);
    expect(bad((a) => (a.vulnerabilities[0].cvss = ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H']))).toMatch(/one vector per CVSS version/);
    expect(bad((a) => (a.products[1].version = 'all'))).toMatch(/not a range/);
    expect(bad((a) => (a.products[1].range = { introduced: '1.0' }))).toMatch(/exactly one of version or range/);
    expect(bad((a) => (a.revisions[1].number = 3))).toMatch(/revision 2 expected/);
    expect(bad((a) => (a.vulnerabilities[0].statuses[1] = { productId: 'acme-inference-gateway-1.9.0', status: 'known_not_affected' }))).toMatch(/justification or an impact statement/);
    expect(bad((a) => (a.products[0].purl = 'pkg:pypi/acme-inference-server@2.0.0'))).toMatch(/without a version/);
    expect(bad((a) => (a.title = 'x'.repeat(301)))).toMatch(/^title:/);
  });

  it('the run-time check refuses a document that breaks a mandatory test', () => {
    const d = structuredClone(doc) as any;
    d.vulnerabilities[0].product_status.fixed.push('acme-inference-server-2');
    expect(() => assertCsafDocument(d)).toThrow(CsafOutputError);
    expect(() => assertCsafDocument(d)).toThrow(/6\.1\.6/);
    expect(() => assertCsafDocument({ ...d, extra: 1 })).toThrow(CsafOutputError);
  });
});

describe('writeCsafVex', () => {
  it('turns the latest vendor statements into VEX statuses with justifications and actions', () => {
    const vex = writeCsafVex(PROMPT_INJECTION, PROMPT_INJECTION_STATEMENTS);
    expect(vex.document.category).toBe('csaf_vex');
    const v = vex.vulnerabilities[0];
    // "affected" was superseded by "fixed in 2.4.1": the range stays affected with the vendor fix; 2.4.1 is fixed
    expect(v.product_status).toEqual({ fixed: ['acme-inference-server-2-fixed'], known_affected: ['acme-inference-server-2'], known_not_affected: ['acme-inference-gateway-1.9.0'] });
    expect(v.remediations).toEqual([{ category: 'vendor_fix', details: 'Update Acme Inference Server to version 2.4.1 or later.', product_ids: ['acme-inference-server-2'], url: 'https://acme.example/downloads/2.4.1' }]);
    expect(v.flags).toEqual([{ label: 'vulnerable_code_not_present', product_ids: ['acme-inference-gateway-1.9.0'] }]);
    expect(runMandatoryTests(vex)).toEqual([]);
  });

  it('covers every VEX status across vulnerabilities', () => {
    const vex = writeCsafVex(MULTI_VENDOR, MULTI_VENDOR_STATEMENTS);
    const [v1, v2] = vex.vulnerabilities;
    expect(v1.product_status).toEqual({ fixed: ['tensorkit-1.3.0'], known_affected: ['tensorkit-1.2.3'], known_not_affected: ['weightsync-all'], under_investigation: ['ckpt-js'] });
    expect(v1.remediations).toEqual([{ category: 'none_available', details: 'Upgrade to 1.3.0 once released.', product_ids: ['tensorkit-1.2.3'] }]);
    expect(v1.threats).toEqual([{ category: 'impact', details: 'Weightsync never deserialises metadata; it copies bytes only.', product_ids: ['weightsync-all'] }]);
    expect(v1.flags).toBeUndefined();
    // the fixed version 1.3.0 already exists as a product: it is reused, not duplicated
    expect(v2.product_status).toEqual({ fixed: ['tensorkit-1.3.0'], known_affected: ['tensorkit-1.2.3'], known_not_affected: ['weightsync-all'] });
    expect(v2.remediations?.[0]).toMatchObject({ category: 'vendor_fix', product_ids: ['tensorkit-1.2.3'] });
    expect(v2.flags).toEqual([{ label: 'vulnerable_code_not_in_execute_path', product_ids: ['weightsync-all'] }]);
  });

  it('refuses statements that VEX cannot carry', () => {
    expect(() => writeCsafVex(PROMPT_INJECTION, [{ vulnerabilityKey: 'V1', productId: 'acme-inference-gateway-1.9.0', status: 'not_affected', statedAt: '2026-02-03T10:00:00Z' }])).toThrow(/justification or an impact statement/);
    expect(() => writeCsafVex(PROMPT_INJECTION, [{ vulnerabilityKey: 'V1', productId: 'nope', status: 'affected', statedAt: '2026-02-03T10:00:00Z' }])).toThrow(/unknown product nope/);
    expect(() => writeCsafVex(PROMPT_INJECTION, [{ vulnerabilityKey: 'V9', productId: 'acme-inference-gateway-1.9.0', status: 'affected', statedAt: '2026-02-03T10:00:00Z' }])).toThrow(/unknown vulnerability V9/);
    expect(() => writeCsafVex(PROMPT_INJECTION, [])).toThrow(/no vendor statement/);
    expect(() => writeCsafVex(PROMPT_INJECTION, [{ vulnerabilityKey: 'V1', productId: 'acme-inference-server-2', status: 'affected', fixedVersion: '2.4.1', statedAt: '2026-02-03T10:00:00Z' }])).toThrow(/fixedVersion belongs to fixed/);
  });
});
