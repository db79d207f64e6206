import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { nativeDoc } from './clearinghouse.fixtures.ts';

let t: TestInstance;
let lab: Client;
let vendor: Client;
let operator: Client;
let treasury: Client;
let reportId: string;
let vulnId: string;

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  lab = await as(t.url, 'lab.engineer@meridian.demo');
  vendor = await as(t.url, 'security@openhealth.demo');
  operator = await as(t.url, 'it@prairiehospital.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
  const r = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc('sec') });
  expect(r.status).toBe(201);
  reportId = r.body.reportId;
  vulnId = r.body.candidates[0].vulnerabilityId;
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('clearinghouse access', () => {
  it('vendors and operators cannot read the queue', async () => {
    expect((await operator.get('/api/v1/clearinghouse/queue')).status).toBe(403);
    expect((await vendor.get('/api/v1/clearinghouse/queue')).status).toBe(403);
    expect((await treasury.get('/api/v1/clearinghouse/queue')).status).toBe(200);
  });

  it('a reporter cannot read another’s report or vulnerability; analysts can', async () => {
    expect((await vendor.get(`/api/v1/clearinghouse/reports/${reportId}`)).status).toBe(404);
    expect((await operator.get(`/api/v1/clearinghouse/reports/${reportId}`)).status).toBe(404);
    expect((await vendor.get(`/api/v1/clearinghouse/vulnerabilities/${vulnId}`)).status).toBe(404);
    const a = await treasury.get(`/api/v1/clearinghouse/reports/${reportId}`);
    expect(a.status).toBe(200);
    expect(a.body.mine).toBe(false);
    expect((await treasury.get(`/api/v1/clearinghouse/vulnerabilities/${vulnId}`)).body.view).toBe('analyst');
  });

  it('reporters and outsiders cannot move, assess, assign or add evidence', async () => {
    const base = `/api/v1/clearinghouse/vulnerabilities/${vulnId}`;
    // The reporter knows the vulnerability exists but cannot work on it.
    expect((await lab.post(`${base}/transition`, { to: 'triage' })).status).toBe(404);
    expect((await vendor.post(`${base}/transition`, { to: 'triage' })).status).toBe(404);
    expect((await operator.post(`${base}/evidence`, { kind: 'note', text: 'x' })).status).toBe(404);
    expect((await lab.post(`${base}/assign`, { userId: vulnId })).status).toBe(403);
    expect((await lab.request('PUT', `${base}/assessment`, { cvss: [], cwe: [], affected: [] })).status).toBe(403);
    const v = await t.rows<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [vulnId]);
    expect(v[0].status).toBe('received');
  });

  it('keeps evidence, documents and titles encrypted at rest', async () => {
    const secret = 'PROOF-OF-CONCEPT-sec-9f3b: send 4097 bytes to /upload';
    const r = await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnId}/evidence`, { kind: 'reproduction', text: secret });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(JSON.stringify(r.body)).not.toContain(secret);
    const file = await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnId}/evidence`, { kind: 'file', name: 'poc.txt', contentBase64: Buffer.from(secret).toString('base64') });
    expect(file.status).toBe(201);
    expect(file.body.evidence).toHaveLength(2);
    const rows = await t.rows<{ content_enc: string; size_bytes: number }>('select content_enc, size_bytes from clearinghouse_evidence where vulnerability_id = $1', [vulnId]);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.content_enc).not.toContain('PROOF-OF-CONCEPT');
      expect(row.content_enc).not.toContain(Buffer.from(secret).toString('base64'));
      expect(row.size_bytes).toBe(Buffer.byteLength(secret));
    }
    const rep = await t.rows<{ document_enc: string; candidates_enc: string }>('select document_enc, candidates_enc from clearinghouse_reports where id = $1', [reportId]);
    expect(rep[0].document_enc).not.toContain('Heap overflow');
    expect(rep[0].candidates_enc).not.toContain('Heap overflow');
    const vul = await t.rows<{ title_enc: string }>('select title_enc from clearinghouse_vulnerabilities where id = $1', [vulnId]);
    expect(vul[0].title_enc).not.toContain('Heap overflow');
    const big = await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${vulnId}/evidence`, { kind: 'note', text: 'x'.repeat(1024 * 1024 + 1) });
    expect([400, 413]).toContain(big.status);
  });
});
