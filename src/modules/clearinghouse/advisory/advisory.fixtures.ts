// Realistic advisories and vendor statements for the writer, page and conformance tests.
import type { AdvisoryInput } from './model.ts';

export const PROMPT_INJECTION: AdvisoryInput = {
  id: 'FWN-2026-0001',
  title: 'Acme Inference Server: tool-call prompt injection lets a document run shell commands',
  status: 'final',
  tlp: 'CLEAR',
  summary:
    'A crafted document passed to the retrieval tool of Acme Inference Server can inject instructions that the model executes as tool calls, including the shell tool. Update to 2.4.1.',
  revisions: [
    { number: 1, date: '2026-03-02T15:00:00.000Z', summary: 'Initial public release after coordinated disclosure.' },
    { number: 2, date: '2026-03-09T09:30:00-05:00', summary: 'Added CVSS v4.0 vector and the gateway not-affected statement.' },
  ],
  notes: [{ category: 'general', title: 'Coordination', text: 'Found during the pre-release review of a frontier model and coordinated with Acme Labs under embargo.' }],
  references: [{ url: 'https://acme.example/security/ASA-2026-004', summary: 'Acme security advisory ASA-2026-004' }],
  selfUrl: 'https://clearinghouse.treasury.gov/.well-known/csaf/white/2026/fwn-2026-0001.json',
  products: [
    { id: 'acme-inference-server-2', vendor: 'Acme Labs', name: 'Acme Inference Server', purl: 'pkg:pypi/acme-inference-server', range: { introduced: '2.0.0', fixed: '2.4.1' } },
    { id: 'acme-inference-gateway-1.9.0', vendor: 'Acme Labs', name: 'Acme Inference Gateway', purl: 'pkg:pypi/acme-inference-gateway', version: '1.9.0' },
  ],
  vulnerabilities: [
    {
      key: 'V1',
      title: 'Indirect prompt injection reaches the shell tool',
      description: 'The retrieval tool inserts document text into the system prompt without separation, so instructions in a document are followed as if given by the operator.',
      cve: 'CVE-2026-10001',
      cwe: { id: 'CWE-1427', name: 'Improper Neutralization of Input Used for LLM Prompting' },
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H'],
      discoveryDate: '2026-01-20T00:00:00.000Z',
      releaseDate: '2026-03-02T15:00:00.000Z',
      statuses: [
        { productId: 'acme-inference-server-2', status: 'known_affected' },
        { productId: 'acme-inference-gateway-1.9.0', status: 'known_not_affected', justification: 'vulnerable_code_not_present', impactStatement: 'The gateway does not include the retrieval tool.' },
      ],
      remediations: [
        { category: 'vendor_fix', details: 'Update Acme Inference Server to 2.4.1 or later.', productIds: ['acme-inference-server-2'], fixedVersion: '2.4.1', url: 'https://acme.example/downloads/2.4.1' },
        { category: 'workaround', details: 'Disable the shell tool in server.yaml (tools.shell.enabled: false).', productIds: ['acme-inference-server-2'] },
      ],
      acknowledgments: [{ organization: 'Lantern Security Labs', summary: 'reported the vulnerability through the clearinghouse' }],
      references: [{ url: 'https://www.cve.org/CVERecord?id=CVE-2026-10001', summary: 'CVE-2026-10001' }],
    },
  ],
};

export const MULTI_VENDOR: AdvisoryInput = {
  id: 'FWN-2026-0002',
  title: 'Model-weights loaders: unsafe deserialisation and path traversal in checkpoint import',
  status: 'interim',
  tlp: 'AMBER+STRICT',
  summary: 'Two flaws in checkpoint import let a malicious checkpoint run code or write outside the model directory.',
  revisions: [{ number: 1, date: '2026-04-10T12:00:00Z', summary: 'Interim advisory to affected operators.' }],
  products: [
    { id: 'tensorkit-1.2.3', vendor: 'TensorKit Foundation', name: 'tensorkit', purl: 'pkg:maven/org.tensorkit/tensorkit-core', version: '1.2.3' },
    { id: 'tensorkit-1.3.0', vendor: 'TensorKit Foundation', name: 'tensorkit', purl: 'pkg:maven/org.tensorkit/tensorkit-core', version: '1.3.0' },
    { id: 'weightsync-all', vendor: 'Weightsync', name: 'weightsync', purl: 'pkg:golang/github.com/weightsync/weightsync', range: { introduced: '0', lastAffected: '0.9.7' } },
    { id: 'ckpt-js', vendor: 'Lantern', name: 'ckpt', purl: 'pkg:npm/%40lantern/ckpt', range: { introduced: '3.0.0' } },
  ],
  vulnerabilities: [
    {
      key: 'V1',
      title: 'Unsafe deserialisation of checkpoint metadata',
      description: 'Checkpoint metadata is deserialised with a general-purpose object loader.',
      cve: 'CVE-2026-10002',
      cwe: { id: 'CWE-502', name: 'Deserialization of Untrusted Data' },
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H'],
      statuses: [
        { productId: 'tensorkit-1.2.3', status: 'known_affected' },
        { productId: 'tensorkit-1.3.0', status: 'fixed' },
        { productId: 'weightsync-all', status: 'known_affected' },
        { productId: 'ckpt-js', status: 'under_investigation' },
      ],
      remediations: [
        { category: 'vendor_fix', details: 'Update tensorkit to 1.3.0.', productIds: ['tensorkit-1.2.3'], fixedVersion: '1.3.0' },
        { category: 'no_fix_planned', details: 'Weightsync is no longer maintained; migrate to a maintained loader.', productIds: ['weightsync-all'] },
      ],
      acknowledgments: [{ names: ['R. Alvarez', 'K. Osei'], organization: 'CISA' }],
    },
    {
      key: 'V2',
      title: 'Path traversal in checkpoint archive extraction',
      description: 'Archive members named with ../ are written outside the model directory.',
      cve: 'CVE-2026-10003',
      cwe: { id: 'CWE-22', name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')" },
      cvss: ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:H/VA:N/SC:N/SI:N/SA:N/E:P'],
      statuses: [
        { productId: 'tensorkit-1.2.3', status: 'known_affected' },
        { productId: 'weightsync-all', status: 'known_not_affected', justification: 'component_not_present' },
      ],
      remediations: [{ category: 'mitigation', details: 'Import checkpoints only from trusted sources.', productIds: ['tensorkit-1.2.3'] }],
    },
  ],
};

export const DRAFT_RED: AdvisoryInput = {
  id: 'FWN-2026-0003',
  title: 'Agent runtime sandbox escape (draft)',
  status: 'draft',
  tlp: 'RED',
  summary: 'Draft for the named recipients only.',
  revisions: [{ number: 1, date: '2026-05-01T08:00:00+02:00', summary: 'Draft.' }],
  products: [{ id: 'agent-runtime', vendor: 'Lantern', name: '@lantern/agent-runtime', purl: 'pkg:npm/%40lantern/agent-runtime', range: { introduced: '0', fixed: '5.0.2' } }],
  vulnerabilities: [
    {
      key: 'V1',
      title: 'Sandbox escape through symlinked workspace',
      description: 'The sandbox follows symbolic links out of the workspace.',
      cvss: ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H'],
      statuses: [{ productId: 'agent-runtime', status: 'known_affected' }],
    },
  ],
};

export const ALL_ADVISORIES = [PROMPT_INJECTION, MULTI_VENDOR, DRAFT_RED];

export const PROMPT_INJECTION_STATEMENTS = [
  { vulnerabilityKey: 'V1', productId: 'acme-inference-server-2', status: 'affected', statedAt: '2026-02-01T10:00:00Z' },
  { vulnerabilityKey: 'V1', productId: 'acme-inference-server-2', status: 'fixed', fixedVersion: '2.4.1', url: 'https://acme.example/downloads/2.4.1', statedAt: '2026-02-20T10:00:00Z' },
  { vulnerabilityKey: 'V1', productId: 'acme-inference-gateway-1.9.0', status: 'not_affected', justification: 'vulnerable_code_not_present', statedAt: '2026-02-03T10:00:00Z' },
];

export const MULTI_VENDOR_STATEMENTS = [
  { vulnerabilityKey: 'V1', productId: 'tensorkit-1.2.3', status: 'affected', actionStatement: 'Upgrade to 1.3.0 once released.', statedAt: '2026-04-01T10:00:00Z' },
  { vulnerabilityKey: 'V1', productId: 'tensorkit-1.3.0', status: 'fixed', statedAt: '2026-04-05T10:00:00Z' },
  { vulnerabilityKey: 'V1', productId: 'weightsync-all', status: 'not_affected', impactStatement: 'Weightsync never deserialises metadata; it copies bytes only.', statedAt: '2026-04-02T10:00:00Z' },
  { vulnerabilityKey: 'V1', productId: 'ckpt-js', status: 'under_investigation', statedAt: '2026-04-02T11:00:00Z' },
  { vulnerabilityKey: 'V2', productId: 'tensorkit-1.2.3', status: 'fixed', fixedVersion: '1.3.0', statedAt: '2026-04-06T10:00:00Z' },
  { vulnerabilityKey: 'V2', productId: 'weightsync-all', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', impactStatement: 'Archives are never extracted.', statedAt: '2026-04-06T11:00:00Z' },
];
