import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, userIdOf, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertModel, modelSnapshot } from '../reviews/reviews.fixtures.ts';
import { createFindingsService, HANDOFF_JOB, INTAKE_UNAVAILABLE, type ClearinghouseHandoff } from './findings.service.ts';

let t: TestInstance;
let dev: Client;
let cisa: Client;
let nsa: Client;
let nist: Client;
let treasury: Client;
let partner: Client;
const org: Record<string, string> = {};

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

beforeAll(async () => {
  t = await startTestInstance();
  for (const [k, name] of Object.entries({
    lab: 'Meridian AI',
    nsa: 'National Security Agency',
    cisa: 'Cybersecurity and Infrastructure Security Agency',
    nist: 'NIST Center for AI Standards and Innovation',
    treasury: 'Department of the Treasury',
    partner: 'Sentinel Security Partners',
  }))
    org[k] = await orgIdOf(t, name);
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  cisa = await as(t.url, 'cisa.analyst@cisa.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  nist = await as(t.url, 'nist.analyst@nist.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
  partner = await as(t.url, 'partner@sentinel.demo');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const count = async (table: string, where = 'true', values: unknown[] = []) => Number((await t.rows<{ n: string }>(`select count(*)::int as n from ${table} where ${where}`, values))[0].n);

/** A covered model with an open window for NSA, CISA and Treasury, and the partner added as the partner selection would. */
async function setup(releaseInDays = 45) {
  const m = await insertModel(t, { releaseInDays });
  const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa, org.treasury], closesAt: inDays(20).toISOString() });
  expect(w.status, JSON.stringify(w.body)).toBe(201);
  await t.rows(
    `insert into access_grants (record_type, record_id, grantee_org_id, reason, source_type, source_id, expires_at) values ('model', $1, $2, 'partner selection', 'review_window', $3, $4)`,
    [m.id, org.partner, w.body.id, inDays(20).toISOString()],
  );
  return { modelId: m.id, windowId: w.body.id as string, release: m.release };
}

function body(modelId: string, extra: Record<string, unknown> = {}) {
  return {
    modelId,
    kind: 'third_party_vulnerability',
    title: 'Heap overflow in the DICOM parser',
    summary: 'The model wrote a working exploit for a heap overflow in the parser.',
    cvssVector: V31,
    cwe: 'CWE-122',
    products: ['pkg:npm/dicom-parser@1.8.0'],
    ...extra,
  };
}

async function transcript(modelId: string, windowId: string, email: string, orgId: string, classification = 1) {
  const [r] = await t.rows<{ id: string }>(
    `insert into gateway_requests (id, owner_org_id, classification, at, key_id, grant_id, window_id, model_id, model_owner_org_id, user_id, endpoint, status, latency_ms)
     values (gen_random_uuid(), $1, $2, now(), gen_random_uuid(), gen_random_uuid(), $3, $4, $5, $6, 'chat.completions', 200, 12) returning id`,
    [orgId, classification, windowId, modelId, org.lab, await userIdOf(t, email)],
  );
  return r.id;
}

describe('filing', () => {
  it('files a third-party vulnerability: scored, validated, encrypted, due before release, handed off (queued), audited', async () => {
    const s = await setup();
    const tr = await transcript(s.modelId, s.windowId, 'cisa.analyst@cisa.demo', org.cisa);
    const r = await cisa.post('/api/v1/findings', body(s.modelId, { transcriptIds: [tr] }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'filed', rating: 'critical', cvssScore: 9.8, cwe: 'CWE-122', role: 'reviewer', marking: { classification: 'CUI' }, transcriptIds: [tr] });
    expect(r.body.cvss).toEqual({ version: '3.1', vector: V31, score: 9.8 });
    expect(r.body.products).toEqual([{ kind: 'purl', value: 'pkg:npm/dicom-parser@1.8.0' }]);
    expect(r.body.handoff).toMatchObject({ state: 'queued', clearinghouseReportId: null });
    // critical: due 14 days before the planned release
    expect(new Date(r.body.dueAt).getTime()).toBe(s.release.getTime() - 14 * 86_400_000);
    const [row] = await t.rows<{ summary_enc: string; owner_org_id: string; window_id: string; status: string; handoff_state: string }>('select * from findings where id = $1', [r.body.id]);
    expect(row).toMatchObject({ owner_org_id: org.cisa, window_id: s.windowId, status: 'filed' });
    // The hand-off job may already have delivered it to the clearinghouse.
    expect(['queued', 'delivered']).toContain(row.handoff_state);
    expect(row.summary_enc).not.toContain('exploit');
    expect((await t.rows('select action from finding_history where finding_id = $1 order by at, id', [r.body.id])).map((h: any) => h.action)).toEqual(expect.arrayContaining(['create', 'file', 'handoff_queued']));
    const jobs = await t.rows<{ data: any }>('select data from pgboss.job where name = $1', [HANDOFF_JOB]);
    expect(jobs.some((j) => j.data.findingId === r.body.id)).toBe(true);
    const ev = (await auditRows(t, 'finding.file')).find((e) => e.record_id === r.body.id)!;
    expect(ev.classification).toBe(1);
    expect(JSON.stringify(ev.detail)).not.toContain('exploit');
  });

  it('a partner on the window files a safeguard bypass with a CVSS 4.0 vector; a draft is kept when asked', async () => {
    const s = await setup();
    const r = await partner.post('/api/v1/findings', body(s.modelId, { kind: 'safeguard_bypass', cvssVector: V40, cwe: undefined, products: [], submit: false }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ status: 'draft', rating: 'critical', cvssScore: 9.3, handoff: null, dueAt: null, filerOrgName: 'Sentinel Security Partners' });
    const f = await partner.post(`/api/v1/findings/${r.body.id}/actions`, { event: 'file' });
    expect(f.body.status).toBe('filed');
    expect(f.body.dueAt).not.toBeNull();
  });

  it('a dangerous capability without a vector needs a rating; with a CPE product it is accepted', async () => {
    const s = await setup();
    const no = await nsa.post('/api/v1/findings', body(s.modelId, { kind: 'dangerous_capability', cvssVector: undefined, products: [] }));
    expect(no.status).toBe(400);
    expect(no.body.errors).toEqual([{ path: 'rating', message: 'required without a CVSS vector' }]);
    const ok = await nsa.post('/api/v1/findings', body(s.modelId, { kind: 'deployment_vulnerability', cvssVector: undefined, rating: 'medium', products: ['cpe:2.3:a:meridian:inference_gateway:2.1:*:*:*:*:*:*:*'] }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.products[0].kind).toBe('cpe');
  });

  it('refuses an invalid CVSS vector, purl, CPE or CWE with a 400 naming each path, and writes nothing', async () => {
    const s = await setup();
    const before = await count('findings', 'model_id = $1', [s.modelId]);
    const cases: [Record<string, unknown>, string][] = [
      [{ cvssVector: 'CVSS:3.1/AV:N/AC:L' }, 'cvssVector'],
      [{ cvssVector: 'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }, 'cvssVector'],
      [{ cvssVector: 'CVSS:2.0/AV:N' }, 'cvssVector'],
      [{ products: ['pkg:npm/ok@1', 'not-a-purl'] }, 'products.1'],
      [{ products: ['cpe:2.3:a:vendor'] }, 'products.0'],
      [{ cwe: 'CWE79' }, 'cwe'],
      [{ cwe: 'XSS' }, 'cwe'],
      [{ products: [] }, 'products'],
      [{ rating: 'low' }, 'rating'],
    ];
    for (const [extra, path] of cases) {
      const r = await cisa.post('/api/v1/findings', body(s.modelId, extra));
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const all = await cisa.post('/api/v1/findings', body(s.modelId, { cvssVector: 'nope', cwe: 'nope', products: ['nope'] }));
    expect(all.body.errors.map((e: { path: string }) => e.path)).toEqual(['cvssVector', 'cwe', 'products.0']);
    expect(await count('findings', 'model_id = $1', [s.modelId])).toBe(before);
    expect(await count('finding_history h join findings f on f.id = h.finding_id', 'f.model_id = $1', [s.modelId])).toBe(0);
  });

  it('refuses filing without a live grant on the model’s window: 404 for an agency not on it, 403 once the window has ended', async () => {
    const s = await setup();
    const r = await nist.post('/api/v1/findings', body(s.modelId));
    expect(r.status).toBe(404);
    expect((await dev.post(`/api/v1/windows/${s.windowId}/end`)).status).toBe(200);
    const late = await cisa.post('/api/v1/findings', body(s.modelId));
    expect(late.status).toBe(403);
    const devFile = await dev.post('/api/v1/findings', body(s.modelId));
    expect(devFile.status).toBe(403);
    expect(await count('findings', 'model_id = $1', [s.modelId])).toBe(0);
  });

  it('refuses transcripts the filer cannot read or from another model, and a marking above the filer’s clearance', async () => {
    const s = await setup();
    const other = await setup();
    const nsaOwn = await transcript(s.modelId, s.windowId, 'nsa.analyst@nsa.demo', org.nsa);
    const elsewhere = await transcript(other.modelId, other.windowId, 'partner@sentinel.demo', org.partner);
    const mine = await transcript(s.modelId, s.windowId, 'partner@sentinel.demo', org.partner);
    const r = await partner.post('/api/v1/findings', body(s.modelId, { transcriptIds: [mine, nsaOwn, elsewhere] }));
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['transcriptIds.1', 'transcriptIds.2']);
    const high = await treasury.post('/api/v1/findings', body(s.modelId, { marking: 'SECRET' }));
    expect(high.status).toBe(400);
    expect(high.body.errors[0].path).toBe('marking');
    expect(await count('findings', 'model_id = $1', [s.modelId])).toBe(0);
  });

  it('flags a duplicate within the model (same kind, product and weakness) with a link to the earlier finding', async () => {
    const s = await setup();
    const first = await cisa.post('/api/v1/findings', body(s.modelId));
    const second = await cisa.post('/api/v1/findings', body(s.modelId, { products: ['pkg:npm/dicom-parser@1.9.0', 'pkg:npm/other@1'] }));
    expect(second.body.duplicate).toBe(true);
    expect(second.body.duplicateOf).toEqual({ id: first.body.id, title: first.body.title });
    const otherCwe = await cisa.post('/api/v1/findings', body(s.modelId, { cwe: 'CWE-787' }));
    expect(otherCwe.body.duplicateOf).toBeNull();
    // Another organisation's finding it cannot read is not linked (its existence is not disclosed).
    const partnerCopy = await partner.post('/api/v1/findings', body(s.modelId));
    expect(partnerCopy.body.duplicateOf).toBeNull();
    const [row] = await t.rows<{ duplicate_of_id: string }>('select duplicate_of_id from findings where id = $1', [second.body.id]);
    expect(row.duplicate_of_id).toBe(first.body.id);
  });
});

describe('sharing, answers and verification', () => {
  it('runs file → share → dispute → mitigate → verify → close with a history, and never touches the window or release', async () => {
    const s = await setup();
    const before = await modelSnapshot(t, s.modelId);
    const f = (await cisa.post('/api/v1/findings', body(s.modelId, { kind: 'safeguard_bypass', products: [], cwe: undefined }))).body;
    expect((await dev.get(`/api/v1/findings/${f.id}`)).status).toBe(404);
    expect((await dev.get('/api/v1/findings')).body.items.map((x: { id: string }) => x.id)).not.toContain(f.id);
    const shared = await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'share' });
    expect(shared.status, JSON.stringify(shared.body)).toBe(200);
    expect(shared.body.status).toBe('shared');
    expect(await count('access_grants', "record_type = 'finding' and record_id = $1 and grantee_org_id = $2", [f.id, org.lab])).toBe(1);
    const seen = await dev.get(`/api/v1/findings/${f.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ role: 'developer', allowedEvents: ['accept', 'dispute', 'mitigate'], transcriptIds: [] });
    expect(seen.body.history.map((h: { action: string }) => h.action)).not.toContain('create');
    expect((await dev.get('/api/v1/findings')).body.items.map((x: { id: string }) => x.id)).toContain(f.id);
    const noReason = await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'dispute' });
    expect(noReason.status).toBe(400);
    expect((await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'dispute', note: 'The filter blocks this in production.' })).body.status).toBe('disputed');
    expect((await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'mitigate', note: 'Classifier retrained on the bypass family.' })).body.status).toBe('mitigated');
    expect((await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'verify' })).status).toBe(403);
    const notYet = await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'reject_mitigation', note: 'Still bypassable with a paraphrase.' });
    expect(notYet.body).toMatchObject({ status: 'reopened', verification: 'not_verified' });
    await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'mitigate', note: 'Paraphrase family covered too.' });
    const ok = await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'verify', note: 'Re-tested: holds.' });
    expect(ok.body).toMatchObject({ status: 'verified', verification: 'verified' });
    const closed = await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'close', note: 'Mitigated and verified.' });
    expect(closed.body.status).toBe('closed');
    const hist = await t.rows<{ action: string; from_status: string; to_status: string; note_enc: string | null }>('select action, from_status, to_status, note_enc from finding_history where finding_id = $1 order by at, id', [f.id]);
    expect(hist.map((h) => h.action)).toEqual(['create', 'file', 'share', 'dispute', 'mitigate', 'reject_mitigation', 'mitigate', 'verify', 'close']);
    expect(hist.find((h) => h.action === 'dispute')!.note_enc).not.toContain('filter');
    const devView = await dev.get(`/api/v1/findings/${f.id}`);
    expect(devView.body.history.find((h: { action: string }) => h.action === 'dispute').note).toBe('The filter blocks this in production.');
    for (const a of ['finding.share', 'finding.dispute', 'finding.mitigate', 'finding.reject_mitigation', 'finding.verify', 'finding.close']) expect((await auditRows(t, a)).some((e) => e.record_id === f.id)).toBe(true);
    // Findings never block the release: the model, its window and its grants are as they were.
    expect(await modelSnapshot(t, s.modelId)).toEqual(before);
  });

  it('refuses to share a SECRET finding with the developer (409), who still cannot read it', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId, { marking: 'SECRET' }))).body;
    expect(f.marking.classification).toBe('SECRET');
    const r = await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'share' });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('at most CUI');
    expect(await count('access_grants', "record_type = 'finding' and record_id = $1", [f.id])).toBe(0);
    const [row] = await t.rows<{ status: string }>('select status from findings where id = $1', [f.id]);
    expect(row.status).toBe('filed');
    expect((await dev.get(`/api/v1/findings/${f.id}`)).status).toBe(404);
  });

  it('a CUI reviewer does not see a SECRET finding shared with its agency (404, absent from lists); a cleared one does', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId, { marking: 'SECRET' }))).body;
    expect((await cisa.post(`/api/v1/findings/${f.id}/shares`, { orgId: org.treasury })).status).toBe(200);
    expect((await cisa.post(`/api/v1/findings/${f.id}/shares`, { orgId: org.nsa })).status).toBe(200);
    expect((await treasury.get(`/api/v1/findings/${f.id}`)).status).toBe(404);
    expect((await treasury.get('/api/v1/findings')).body.items.map((x: { id: string }) => x.id)).not.toContain(f.id);
    const n = await nsa.get(`/api/v1/findings/${f.id}`);
    expect(n.status).toBe(200);
    expect(n.body).toMatchObject({ role: 'reader', allowedEvents: [] });
    // Not on the window: refused
    const nistShare = await cisa.post(`/api/v1/findings/${f.id}/shares`, { orgId: org.nist });
    expect(nistShare.status).toBe(400);
  });

  it('only the developer answers: another organisation gets 403 if it can read the finding, 404 otherwise', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId))).body;
    await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'share' });
    expect((await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'accept' })).status).toBe(403);
    expect((await nsa.post(`/api/v1/findings/${f.id}/actions`, { event: 'accept' })).status).toBe(404);
    expect((await partner.post(`/api/v1/findings/${f.id}/actions`, { event: 'accept' })).status).toBe(404);
    expect((await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'share' })).status).toBe(403);
    const [row] = await t.rows<{ status: string; developer_response: string | null }>('select status, developer_response from findings where id = $1', [f.id]);
    expect(row).toEqual({ status: 'shared', developer_response: null });
    expect((await dev.post(`/api/v1/findings/${f.id}/actions`, { event: 'accept' })).body.status).toBe('accepted');
  });

  it('refuses a transition the machine does not allow (409)', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId))).body;
    const r = await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'verify' });
    expect(r.status).toBe(409);
    expect(r.body.type).toContain('invalid-transition');
  });
});

describe('evidence', () => {
  it('stores files encrypted with a size limit; the developer downloads them once shared', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId))).body;
    const content = Buffer.from('PoC: send 0xFFFF bytes to the tag parser').toString('base64');
    const r = await cisa.post(`/api/v1/findings/${f.id}/evidence`, { filename: 'poc.txt', mediaType: 'text/plain', contentBase64: content });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.evidence).toHaveLength(1);
    const [row] = await t.rows<{ content_enc: string; size_bytes: number }>('select content_enc, size_bytes from finding_evidence where finding_id = $1', [f.id]);
    expect(row.content_enc).not.toContain(content);
    expect(row.size_bytes).toBe(Buffer.from(content, 'base64').length);
    const eid = r.body.evidence[0].id;
    expect((await dev.get(`/api/v1/findings/${f.id}/evidence/${eid}`)).status).toBe(404);
    await cisa.post(`/api/v1/findings/${f.id}/actions`, { event: 'share' });
    const d = await dev.get(`/api/v1/findings/${f.id}/evidence/${eid}`);
    expect(d.body.contentBase64).toBe(content);
    const big = await cisa.post(`/api/v1/findings/${f.id}/evidence`, { filename: 'big.bin', mediaType: 'application/octet-stream', contentBase64: 'A'.repeat(2_900_000) });
    expect(big.status).toBe(400);
    expect((await dev.post(`/api/v1/findings/${f.id}/evidence`, { filename: 'x.txt', mediaType: 'text/plain', contentBase64: content })).status).toBe(403);
    expect(await count('finding_evidence', 'finding_id = $1', [f.id])).toBe(1);
  });
});

describe('clearinghouse hand-off', () => {
  it('becomes a clearinghouse report in the filer\'s name, linked both ways, once however often it is retried', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId))).body;
    // The queued job may already have run; running it again must not create a second report.
    expect(['delivered', 'skipped']).toContain(await t.fw.services.findings.handoff(f.id));
    expect(await t.fw.services.findings.handoff(f.id)).toBe('skipped');
    const [row] = await t.rows<{ handoff_state: string; clearinghouse_report_id: string }>('select handoff_state, clearinghouse_report_id from findings where id = $1', [f.id]);
    expect(row.handoff_state).toBe('delivered');
    const reports = await t.rows<{ id: string; submitter_user_id: string; format: string }>('select id, submitter_user_id, format from clearinghouse_reports where id = $1', [row.clearinghouse_report_id]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ submitter_user_id: await userIdOf(t, 'cisa.analyst@cisa.demo'), format: 'native' });
    // The report's side of the link: the filer reads it, and its idempotency key names the finding.
    const report = await cisa.get(`/api/v1/clearinghouse/reports/${row.clearinghouse_report_id}`);
    expect(report.status).toBe(200);
    expect(report.body.findingId).toBe(f.id);
    expect(await t.rows('select 1 from clearinghouse_idempotency where key = $1', [`finding:${f.id}`])).toHaveLength(1);
    const g = await cisa.get(`/api/v1/findings/${f.id}`);
    expect(g.body.handoff).toMatchObject({ state: 'delivered', clearinghouseReportId: row.clearinghouse_report_id });
    // A non-software finding is not handed off.
    const other = (await cisa.post('/api/v1/findings', body(s.modelId, { kind: 'safeguard_bypass', products: [] }))).body;
    expect(other.handoff).toBeNull();
  });

  it('delivers through the intake when one is supplied; failures retry, then fail with a clear state, and can be queued again', async () => {
    // From here on these tests drive the hand-off themselves with stand-in intakes; the instance's own
    // worker (wired to the real clearinghouse) must not deliver the same findings first.
    await t.fw.services.queue.boss.offWork(HANDOFF_JOB);
    const s = await setup();
    const sv = t.fw.services;
    const deps = { db: t.fw.database.db, audit: sv.audit, keyring: sv.keyring, notify: sv.notify, queue: sv.queue, clock: () => new Date() };
    const received: ClearinghouseHandoff[] = [];
    const ok = createFindingsService(deps, { deliverToClearinghouse: async (f) => (received.push(f), { reportId: '11111111-1111-4111-8111-111111111111' }) });
    const f = (await cisa.post('/api/v1/findings', body(s.modelId))).body;
    expect(await ok.handoff(f.id)).toBe('delivered');
    expect(received[0]).toMatchObject({ findingId: f.id, modelId: s.modelId, cwe: 'CWE-122', products: [{ kind: 'purl', value: 'pkg:npm/dicom-parser@1.8.0' }] });
    expect(received[0].summary).toContain('exploit');
    const g = await cisa.get(`/api/v1/findings/${f.id}`);
    expect(g.body.handoff).toMatchObject({ state: 'delivered', clearinghouseReportId: '11111111-1111-4111-8111-111111111111' });
    expect(g.body.history.map((h: { action: string }) => h.action)).toContain('handoff_delivered');
    expect(await ok.handoff(f.id)).toBe('skipped');

    const failing = createFindingsService(deps, { deliverToClearinghouse: async () => { throw new Error('intake down'); } });
    const f2 = (await cisa.post('/api/v1/findings', body(s.modelId, { cwe: 'CWE-416' }))).body;
    expect((await cisa.post(`/api/v1/findings/${f2.id}/handoff`)).status).toBe(409);
    const results: string[] = [];
    for (let i = 0; i < 6; i++) results.push(await failing.handoff(f2.id));
    expect(results).toContain('failed');
    const [row] = await t.rows<{ handoff_state: string; handoff_reason: string }>('select handoff_state, handoff_reason from findings where id = $1', [f2.id]);
    expect(row).toEqual({ handoff_state: 'failed', handoff_reason: 'intake down' });
    expect((await dev.post(`/api/v1/findings/${f2.id}/handoff`)).status).toBe(404);
    const again = await cisa.post(`/api/v1/findings/${f2.id}/handoff`);
    expect(again.body.handoff).toMatchObject({ state: 'queued', attempts: 0 });
    expect(await ok.handoff(f2.id)).toBe('delivered');
  });

  it('the clearinghouse links its report back to the finding', async () => {
    const s = await setup();
    const f = (await cisa.post('/api/v1/findings', body(s.modelId))).body;
    const reportId = crypto.randomUUID();
    await t.fw.database.db.transaction((tx) => t.fw.services.findings.linkClearinghouseReport(tx, f.id, reportId));
    const g = await cisa.get(`/api/v1/findings/${f.id}`);
    expect(g.body.handoff).toMatchObject({ state: 'delivered', clearinghouseReportId: reportId });
    expect((await auditRows(t, 'finding.handoff_delivered')).some((e) => e.record_id === f.id)).toBe(true);
  });
});
