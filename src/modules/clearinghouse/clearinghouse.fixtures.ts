// Small documents of every intake format, for the clearinghouse API tests.
export function nativeDoc(tag: string, extra: Record<string, unknown> = {}) {
  return {
    format: 'forewarn-report/1',
    title: `Heap overflow in image decoder ${tag}`,
    description: 'A crafted PNG overflows the row buffer.',
    cwe: ['CWE-122'],
    cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H' }],
    affected: [{ purl: `pkg:npm/libfoo-${tag}`, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.3.2' }] }] }],
    references: [],
    ids: [],
    ...extra,
  };
}

export function sarifDoc(tag: string) {
  return {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'AI Vuln Finder', rules: [{ id: 'AIVF-001', shortDescription: { text: 'SQL injection' } }] } },
        results: [
          {
            ruleId: 'AIVF-001',
            level: 'error',
            message: { text: `SQL built from request parameter ${tag}.` },
            locations: [{ physicalLocation: { artifactLocation: { uri: `src/${tag}/db.py` }, region: { startLine: 12 } } }],
            fingerprints: { 'aivf/v1': `fp-${tag}` },
          },
        ],
      },
    ],
  };
}

export function osvDoc(tag: string, aliases: string[] = []) {
  return {
    schema_version: '1.6.0',
    id: `OSV-2026-${tag}`,
    modified: '2026-01-02T00:00:00Z',
    aliases,
    summary: `Prototype pollution in merge-${tag}`,
    details: 'Details.',
    affected: [{ package: { ecosystem: 'npm', name: `merge-${tag}`, purl: `pkg:npm/merge-${tag}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }] }],
  };
}

export function csafDoc(tag: string) {
  return {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: `Vendor advisory ${tag}`,
      publisher: { category: 'vendor', name: 'Example Vendor', namespace: 'https://vendor.example' },
      tracking: {
        id: `EXV-${tag}`,
        current_release_date: '2026-01-05T00:00:00Z',
        initial_release_date: '2026-01-05T00:00:00Z',
        revision_history: [{ date: '2026-01-05T00:00:00Z', number: '1', summary: 'Initial' }],
        status: 'final',
        version: '1',
      },
    },
    product_tree: { full_product_names: [{ name: `libcsaf-${tag} 1.0`, product_id: 'P1', product_identification_helper: { purl: `pkg:npm/libcsaf-${tag}@1.0.0` } }] },
    vulnerabilities: [{ title: `Buffer overflow ${tag}`, cwe: { id: 'CWE-120', name: 'Classic Buffer Overflow' }, product_status: { known_affected: ['P1'] } }],
  };
}

export function vexDoc(tag: string) {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [{ type: 'library', name: `libvex-${tag}`, version: '1.0.0', purl: `pkg:npm/libvex-${tag}@1.0.0`, 'bom-ref': 'c1' }],
    vulnerabilities: [{ id: `VEX-${tag}`, description: `Use after free ${tag}`, cwes: [416], analysis: { state: 'exploitable' }, affects: [{ ref: 'c1' }] }],
  };
}
