import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, startTestInstance, userIdOf, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { csafDoc, nativeDoc, osvDoc, sarifDoc, vexDoc } from './clearinghouse.fixtures.ts';

let t: TestInstance;
let lab: Client;
let vendor: Client;
let treasury: Client;

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  lab = await as(t.url, 'lab.engineer@meridian.demo');
  vendor = await as(t.url, 'security@openhealth.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const REPORTS = '/api/v1/clearinghouse/reports';
const count = async (table: string) => Number((await t.rows<{ n: number }>(`select count(*)::int as n from ${table}`))[0].n);
const counts = async () => ({
  reports: await count('clearinghouse_reports'),
  vulns: await count('clearinghouse_vulnerabilities'),
  links: await count('clearinghouse_report_links'),
  keys: await count('clearinghouse_idempotency'),
});
const submit = (c: Client, body: unknown, key?: string) => c.request('POST', REPORTS, body, key ? { 'idempotency-key': key } : {});

describe('intake', () => {
  it('accepts every format end to end and the submitter reads its report', async () => {
    const docs = [
      ['native', nativeDoc('fmt')],
      ['sarif', sarifDoc('fmt')],
      ['osv', osvDoc('fmt')],
      ['csaf', csafDoc('fmt')],
      ['cyclonedx-vex', vexDoc('fmt')],
    ] as const;
    for (const [format, document] of docs) {
      const before = await counts();
      const r = await submit(lab, { document });
      expect(r.status, `${format}: ${JSON.stringify(r.body)}`).toBe(201);
      expect(r.body.format).toBe(format);
      expect(r.body.candidates).toHaveLength(1);
      expect(r.body.candidates[0].merged).toBe(false);
      const after = await counts();
      expect(after.reports - before.reports).toBe(1);
      expect(after.vulns - before.vulns).toBe(1);
      const row = (await t.rows<{ format: string; classification: number; document_enc: string }>('select format, classification, document_enc from clearinghouse_reports where id = $1', [r.body.reportId]))[0];
      expect(row.format).toBe(format);
      expect(row.classification).toBe(1);
      expect(row.document_enc).not.toContain('fmt');
      const got = await lab.get(`${REPORTS}/${r.body.reportId}`);
      expect(got.status).toBe(200);
      expect(got.body.mine).toBe(true);
      expect(got.body.candidates[0].status).toBe('received');
      expect(got.body.candidates[0].vulnerabilityId).toBe(r.body.candidates[0].vulnerabilityId);
    }
    // The format may also be named, and it is then not guessed.
    const named = await submit(lab, { format: 'osv', document: osvDoc('named') });
    expect(named.status).toBe(201);
    expect((await auditRows(t, 'clearinghouse_report.submit')).length).toBeGreaterThanOrEqual(6);
  });

  it('a retry with the same Idempotency-Key returns the first answer and creates nothing', async () => {
    const body = { document: nativeDoc('idem') };
    const first = await submit(lab, body, 'retry-key-1');
    expect(first.status).toBe(201);
    const before = await counts();
    const again = await submit(lab, body, 'retry-key-1');
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await counts()).toEqual(before);
    const stored = await t.rows<{ response: unknown }>('select response from clearinghouse_idempotency where key = $1', ['retry-key-1']);
    expect(JSON.stringify(stored[0].response)).not.toContain(first.body.reportId);
    // The key is the submitter's own: another user may use the same key for its own report.
    const other = await submit(vendor, { document: nativeDoc('idem-vendor') }, 'retry-key-1');
    expect(other.status).toBe(201);
    expect(other.body.reportId).not.toBe(first.body.reportId);
  });

  it('the same key with a different body is refused (422) and writes nothing', async () => {
    expect((await submit(lab, { document: nativeDoc('idem2') }, 'retry-key-2')).status).toBe(201);
    const before = await counts();
    const r = await submit(lab, { document: nativeDoc('idem2-changed') }, 'retry-key-2');
    expect(r.status).toBe(422);
    expect(r.body.type).toMatch(/idempotency-key-reused$/);
    expect(await counts()).toEqual(before);
  });

  it('refuses an over-long Idempotency-Key', async () => {
    const r = await submit(lab, { document: nativeDoc('longkey') }, 'k'.repeat(201));
    expect(r.status).toBe(400);
  });

  it('a malformed SARIF document is refused with the failing path, and nothing is written', async () => {
    const before = await counts();
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'R1', message: { text: 'm' }, level: 'catastrophic' }] }] };
    const r = await submit(lab, { format: 'sarif', document: bad }, 'bad-sarif');
    expect(r.status).toBe(400);
    expect(r.body.errors.length).toBeGreaterThan(0);
    expect(r.body.errors.map((e: { path: string }) => e.path).join(' ')).toMatch(/\/runs\/0\/results\/0/);
    expect(await counts()).toEqual(before);
  });

  it('merges two reports of the same vulnerability and credits both reporters', async () => {
    const a = await submit(lab, { document: nativeDoc('dup', { ids: ['CVE-2026-77777'] }) });
    expect(a.status).toBe(201);
    const before = await counts();
    const b = await submit(vendor, { document: osvDoc('dup', ['CVE-2026-77777']) });
    expect(b.status).toBe(201);
    expect(b.body.candidates[0]).toMatchObject({ vulnerabilityId: a.body.candidates[0].vulnerabilityId, merged: true });
    const after = await counts();
    expect(after.vulns).toBe(before.vulns);
    expect(after.reports).toBe(before.reports + 1);
    const v = await treasury.get(`/api/v1/clearinghouse/vulnerabilities/${a.body.candidates[0].vulnerabilityId}`);
    expect(v.status).toBe(200);
    expect(new Set(v.body.credits.map((c: { reporterUserId: string }) => c.reporterUserId))).toEqual(new Set([await userIdOf(t, 'lab.engineer@meridian.demo'), await userIdOf(t, 'security@openhealth.demo')]));
    // The same SARIF finding again (same fingerprint) merges too.
    const s1 = await submit(lab, { document: sarifDoc('dup') });
    const s2 = await submit(vendor, { document: sarifDoc('dup') });
    expect(s2.body.candidates[0]).toMatchObject({ vulnerabilityId: s1.body.candidates[0].vulnerabilityId, merged: true });
  });
});

describe('validation', () => {
  it('moves a vulnerability through the workflow, refusing moves the machine does not allow', async () => {
    const r = await submit(lab, { document: nativeDoc('flow') });
    const id = r.body.candidates[0].vulnerabilityId as string;
    const move = (to: string, reason?: string) => treasury.post(`/api/v1/clearinghouse/vulnerabilities/${id}/transition`, reason ? { to, reason } : { to });

    const refused = await move('published');
    expect(refused.status).toBe(409);
    expect((await move('rejected')).status).toBe(400); // a rejection needs a reason
    for (const to of ['triage', 'validating', 'validated', 'coordinating']) {
      const m = await move(to);
      expect(m.status, JSON.stringify(m.body)).toBe(200);
      expect(m.body.status).toBe(to);
    }
    const hist = await t.rows<{ from_status: string | null; to_status: string }>('select from_status, to_status from clearinghouse_status_history where vulnerability_id = $1 order by at, id', [id]);
    expect(hist.map((h) => h.to_status).sort()).toEqual(['coordinating', 'received', 'triage', 'validated', 'validating'].sort());
    expect((await auditRows(t, 'clearinghouse_vulnerability.transition')).filter((e: { record_id: string }) => e.record_id === id)).toHaveLength(4);
    // The reporter sees the new status of its own report.
    const mine = await lab.get(`/api/v1/clearinghouse/vulnerabilities/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ view: 'reporter', status: 'coordinating' });
    expect(mine.body.title).toBeUndefined();
  });

  it('lists the queue with ages, service-level targets and assignment', async () => {
    const r = await submit(lab, { document: nativeDoc('queue') });
    const id = r.body.candidates[0].vulnerabilityId as string;
    const cisaId = await userIdOf(t, 'cisa.analyst@cisa.demo');
    expect((await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${id}/assign`, { userId: cisaId })).status).toBe(200);
    const bad = await treasury.post(`/api/v1/clearinghouse/vulnerabilities/${id}/assign`, { userId: await userIdOf(t, 'it@prairiehospital.demo') });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/userId');
    const q = await treasury.get('/api/v1/clearinghouse/queue?status=received');
    expect(q.status).toBe(200);
    const item = q.body.items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({ status: 'received', slaDays: 2, overdue: false, assignedValidatorUserId: cisaId, reports: 1, title: 'Heap overflow in image decoder queue' });
    expect(new Date(item.slaDueAt).getTime() - new Date(item.statusSince).getTime()).toBe(2 * 86_400_000);
  });

  it('scores CVSS vectors in the assessment and refuses a bad one naming it', async () => {
    const r = await submit(lab, { document: nativeDoc('assess') });
    const id = r.body.candidates[0].vulnerabilityId as string;
    const ok = await treasury.request('PUT', `/api/v1/clearinghouse/vulnerabilities/${id}/assessment`, {
      cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'],
      cwe: ['CWE-787'],
      affected: [{ purl: 'pkg:npm/libfoo-assess', ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.9.9' }] }] }],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.cvss.map((c: { baseScore: number }) => c.baseScore)).toEqual([9.8, 9.3]);
    expect(ok.body.cwe).toEqual(['CWE-787']);
    const bad = await treasury.request('PUT', `/api/v1/clearinghouse/vulnerabilities/${id}/assessment`, { cvss: ['CVSS:3.1/AV:Q'], cwe: [], affected: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/cvss/0');
  });
});
