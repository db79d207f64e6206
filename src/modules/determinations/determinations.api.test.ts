import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, userIdOf, type TestInstance, startTestInstance } from '../../../tests/support/harness.ts';
import { seedDeterminationsDemo } from './demo.ts';

// Distinctive numbers, so that a leak anywhere can be found by scanning for them.
const T2 = { cyber: 0.6137, cbrn: 0.4271, autonomy: 0.7389 };
const BENCH_NAME = 'Frontier Cyber Benchmark';

const NSA = 'nsa.analyst@nsa.demo';
const CISA = 'cisa.analyst@cisa.demo';
const ONCD = 'oncd.analyst@oncd.demo';
const DEV = 'lab.engineer@meridian.demo';
const NIST = 'nist.analyst@nist.demo';

let t: TestInstance;
let benchmarkId: string;
let t1Id: string;
let t2Id: string;
let sharedModel: string;
let privateModel: string;
let determinationId: string;

async function insertModel(name: string, shareWith: string[]): Promise<string> {
  const lab = await orgIdOf(t, 'Meridian AI');
  const creator = await userIdOf(t, 'lab.admin@meridian.demo');
  const id = crypto.randomUUID();
  await t.rows(
    `insert into models (id, owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
     values ($1, $2, 1, $1, $3, '1.0', 'text', now() + interval '60 days', 3e26, 'hardware hours', 'x', 'x', $4)`,
    [id, lab, name, creator],
  );
  for (const orgName of shareWith) {
    await t.rows(`insert into access_grants (record_type, record_id, grantee_org_id, granted_by, source_type, source_id) values ('model', $1, $2, $3, 'consultation', $1)`, [id, await orgIdOf(t, orgName), creator]);
  }
  return id;
}

const count = async (table: string) => Number((await t.rows<{ n: string }>(`select count(*)::int as n from ${table}`))[0].n);

beforeAll(async () => {
  t = await startTestInstance();
  const r = await seedDeterminationsDemo(t.fw.database.db, t.fw.services.keyring, t.fw.services.audit);
  benchmarkId = r!.benchmarkId;
  t1Id = r!.thresholdVersionId;
  // idempotent
  const again = await seedDeterminationsDemo(t.fw.database.db, t.fw.services.keyring, t.fw.services.audit);
  expect(again!.benchmarkId).toBe(benchmarkId);
  expect(await count('benchmarks')).toBe(1);
  sharedModel = await insertModel('Meridian Atlas', ['National Security Agency', 'Office of the National Cyber Director', 'Cybersecurity and Infrastructure Security Agency']);
  privateModel = await insertModel('Meridian Secret Project', []);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('benchmarks', () => {
  it('the demo seed created a SECRET//BENCH benchmark, owned by NSA, its definition encrypted, and an adopted threshold version 1', async () => {
    const [b] = await t.rows<any>('select * from benchmarks where id = $1', [benchmarkId]);
    expect(b.classification).toBe(3);
    expect(b.compartments).toEqual(['BENCH']);
    expect(b.owner_org_id).toBe(await orgIdOf(t, 'National Security Agency'));
    expect(b.definition_enc).not.toContain('vuln-discovery');
    const [tv] = await t.rows<any>('select * from threshold_versions where id = $1', [t1Id]);
    expect(tv.status).toBe('adopted');
    expect(tv.thresholds_enc).not.toContain('0.6');
    const positions = await t.rows<any>(`select position from agency_consultations where subject_id = $1`, [t1Id]);
    expect(positions.map((p) => p.position).sort()).toEqual(['concur', 'concur']);
  });

  it('NSA reads the benchmark; the read is audited at SECRET//BENCH', async () => {
    const nsa = await as(t.url, NSA);
    const list = await nsa.get('/api/v1/benchmarks');
    expect(list.status).toBe(200);
    expect(list.body.items.map((b: any) => b.name)).toContain(BENCH_NAME);
    const one = await nsa.get(`/api/v1/benchmarks/${benchmarkId}`);
    expect(one.status).toBe(200);
    expect(one.body.marking.banner).toBe('SECRET//BENCH');
    expect(one.body.domains.find((d: any) => d.domain === 'cyber').suites).toContain('vuln-discovery-v1');
    const reads = await t.rows<any>(`select classification, compartments from audit_events where action = 'benchmark.read' and record_id = $1`, [benchmarkId]);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    for (const r of reads) {
      expect(r.classification).toBe(3);
      expect(r.compartments).toEqual(['BENCH']);
    }
  });

  it('a CONFIDENTIAL ONCD analyst, a SECRET CISA analyst without BENCH, NIST and the developer cannot read it (404, empty lists)', async () => {
    for (const email of [ONCD, CISA, NIST, DEV]) {
      const c = await as(t.url, email);
      const one = await c.get(`/api/v1/benchmarks/${benchmarkId}`);
      expect(one.status, email).toBe(404);
      expect(JSON.stringify(one.body)).not.toContain(BENCH_NAME);
      const list = await c.get('/api/v1/benchmarks');
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
    }
  });

  it('NSA defines a benchmark version; CISA gets 403, the developer 404, bad input 400; nothing changes on refusal', async () => {
    const body = { name: 'Autonomy Suite', version: 1, classification: 'SECRET', compartments: ['BENCH'], domains: [{ domain: 'autonomy', suites: ['auto-1'], rule: 'mean_score' }] };
    const before = await count('benchmarks');
    expect((await (await as(t.url, CISA)).post('/api/v1/benchmarks', body)).status).toBe(403);
    expect((await (await as(t.url, DEV)).post('/api/v1/benchmarks', body)).status).toBe(404);
    const bad = await (await as(t.url, NSA)).post('/api/v1/benchmarks', { ...body, compartments: [] });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await count('benchmarks')).toBe(before);
    const ok = await (await as(t.url, NSA)).post('/api/v1/benchmarks', body);
    expect(ok.status).toBe(201);
    expect(ok.body.marking.banner).toBe('SECRET//BENCH');
    const dup = await (await as(t.url, NSA)).post('/api/v1/benchmarks', body);
    expect(dup.status).toBe(409);
    const ev = await t.rows<any>(`select classification, compartments from audit_events where action = 'benchmark.create' and record_id = $1`, [ok.body.id]);
    expect(ev).toEqual([{ classification: 3, compartments: ['BENCH'] }]);
  });
});

describe('threshold governance', () => {
  it('only NSA proposes (CISA 403, developer 404); NSA proposes version 2', async () => {
    const body = { benchmarkId, thresholds: T2 };
    const before = await count('threshold_versions');
    expect((await (await as(t.url, CISA)).post('/api/v1/threshold-versions', body)).status).toBe(403);
    expect((await (await as(t.url, DEV)).post('/api/v1/threshold-versions', body)).status).toBe(404);
    expect((await (await as(t.url, NSA)).post('/api/v1/threshold-versions', { benchmarkId, thresholds: { cyber: 2 } })).status).toBe(400);
    expect(await count('threshold_versions')).toBe(before);
    const r = await (await as(t.url, NSA)).post('/api/v1/threshold-versions', body);
    expect(r.status).toBe(201);
    expect(r.body.version).toBe(2);
    expect(r.body.status).toBe('proposed');
    expect(r.body.thresholds).toEqual(T2);
    t2Id = r.body.id;
  });

  it('adoption without both consultations is refused with 409 and changes nothing', async () => {
    const nsa = await as(t.url, NSA);
    const r = await nsa.post(`/api/v1/threshold-versions/${t2Id}/adopt`);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/ONCD and CISA/);
    const [row] = await t.rows<any>('select status from threshold_versions where id = $1', [t2Id]);
    expect(row.status).toBe('proposed');
    expect((await t.rows<any>('select status from threshold_versions where id = $1', [t1Id]))[0].status).toBe('adopted');
  });

  it('ONCD records its position without seeing the content; the developer and NIST cannot', async () => {
    const oncd = await as(t.url, ONCD);
    const view = await oncd.get(`/api/v1/threshold-versions/${t2Id}`);
    expect(view.status).toBe(200);
    expect(view.body.contentVisible).toBe(false);
    expect(view.body.marking.banner).toBe('CUI');
    expect(JSON.stringify(view.body)).not.toContain('BENCH');
    expect(view.body.thresholds).toBeNull();
    expect(view.body.benchmark).toBeNull();
    expect(JSON.stringify(view.body)).not.toContain('0.6137');
    expect(JSON.stringify(view.body)).not.toContain(BENCH_NAME);
    expect((await oncd.post(`/api/v1/threshold-versions/${t2Id}/consultations`, { position: 'non_concur' })).status).toBe(400);
    const r = await oncd.post(`/api/v1/threshold-versions/${t2Id}/consultations`, { position: 'concur_with_comment', comment: 'Review the autonomy threshold next year.' });
    expect(r.status).toBe(201);
    expect(r.body.positions[0].agencyCode).toBe('ONCD');
    expect((await (await as(t.url, DEV)).post(`/api/v1/threshold-versions/${t2Id}/consultations`, { position: 'concur' })).status).toBe(404);
    expect((await (await as(t.url, DEV)).get(`/api/v1/threshold-versions/${t2Id}`)).status).toBe(404);
    expect((await (await as(t.url, NIST)).post(`/api/v1/threshold-versions/${t2Id}/consultations`, { position: 'concur' })).status).toBe(404);
    expect((await (await as(t.url, NSA)).post(`/api/v1/threshold-versions/${t2Id}/consultations`, { position: 'concur' })).status).toBe(403);
    // one position is not enough
    expect((await (await as(t.url, NSA)).post(`/api/v1/threshold-versions/${t2Id}/adopt`)).status).toBe(409);
  });

  it('CISA non-concurs with reasons; NSA adopts; version 1 is superseded; history keeps who did what', async () => {
    const cisa = await as(t.url, CISA);
    expect((await cisa.post(`/api/v1/threshold-versions/${t2Id}/adopt`)).status).toBe(403);
    const r = await cisa.post(`/api/v1/threshold-versions/${t2Id}/consultations`, { position: 'non_concur', comment: 'The cyber threshold is too high for critical infrastructure.' });
    expect(r.status).toBe(201);
    const nsa = await as(t.url, NSA);
    const a = await nsa.post(`/api/v1/threshold-versions/${t2Id}/adopt`);
    expect(a.status).toBe(200);
    expect(a.body.status).toBe('adopted');
    expect(a.body.adoptedBy).toBe(NSA);
    expect((await t.rows<any>('select status from threshold_versions where id = $1', [t1Id]))[0].status).toBe('superseded');
    const hist = await nsa.get(`/api/v1/threshold-versions?benchmarkId=${benchmarkId}`);
    expect(hist.status).toBe(200);
    const v1 = hist.body.items.find((x: any) => x.version === 1);
    const v2 = hist.body.items.find((x: any) => x.version === 2);
    expect(v1.history.map((h: any) => h.action)).toEqual(['proposed', 'ONCD concur', 'CISA concur', 'adopted', 'superseded by version 2']);
    expect(v2.history.map((h: any) => h.action)).toEqual(['proposed', 'ONCD concur with comment', 'CISA non concur', 'adopted']);
    expect(v2.positions.find((p: any) => p.agencyCode === 'CISA').comment).toContain('too high');
    // comments are stored encrypted
    const rows = await t.rows<any>(`select comment_enc from agency_consultations where subject_id = $1`, [t2Id]);
    expect(JSON.stringify(rows)).not.toContain('too high');
    // adopting again is an invalid transition
    expect((await nsa.post(`/api/v1/threshold-versions/${t2Id}/adopt`)).status).toBe(409);
    const ev = await t.rows<any>(`select action, classification, compartments from audit_events where record_type = 'threshold_version' and record_id = $1 and action not like '%.read' order by seq`, [t2Id]);
    expect(ev.map((e) => e.action)).toEqual(['threshold_version.propose', 'threshold_version.consult', 'threshold_version.consult', 'threshold_version.adopt']);
    for (const e of ev) expect([e.classification, e.compartments]).toEqual([3, ['BENCH']]);
  });
});

describe('threshold withdrawal', () => {
  it('NSA withdraws a proposed version; it stays on record; no one can consult on or adopt it any more', async () => {
    const nsa = await as(t.url, NSA);
    const p = await nsa.post('/api/v1/threshold-versions', { benchmarkId, thresholds: { cyber: 0.9 } });
    expect(p.status).toBe(201);
    expect((await (await as(t.url, CISA)).post(`/api/v1/threshold-versions/${p.body.id}/withdraw`)).status).toBe(403);
    const w = await nsa.post(`/api/v1/threshold-versions/${p.body.id}/withdraw`);
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    expect(w.body.history.at(-1)).toMatchObject({ action: 'withdrawn', by: NSA });
    expect((await nsa.post(`/api/v1/threshold-versions/${p.body.id}/withdraw`)).status).toBe(409);
    expect((await nsa.post(`/api/v1/threshold-versions/${p.body.id}/adopt`)).status).toBe(409);
    expect((await (await as(t.url, ONCD)).post(`/api/v1/threshold-versions/${p.body.id}/consultations`, { position: 'concur' })).status).toBe(409);
    expect((await t.rows<any>('select status from threshold_versions where id = $1', [t2Id]))[0].status).toBe('adopted');
  });
});

describe('determinations', () => {
  it('NSA cannot start one for a model not shared with it (404); CISA cannot start one (403)', async () => {
    const nsa = await as(t.url, NSA);
    const before = await count('determinations');
    expect((await nsa.post('/api/v1/determinations', { modelId: privateModel, benchmarkId })).status).toBe(404);
    expect((await (await as(t.url, CISA)).post('/api/v1/determinations', { modelId: sharedModel, benchmarkId })).status).toBe(403);
    expect((await (await as(t.url, DEV)).post('/api/v1/determinations', { modelId: sharedModel, benchmarkId })).status).toBe(404);
    expect((await nsa.post('/api/v1/determinations', { modelId: sharedModel, benchmarkId, thresholdVersionId: t1Id })).status).toBe(409);
    expect(await count('determinations')).toBe(before);
    const cands = await nsa.get('/api/v1/determinations/candidate-models');
    expect(cands.body.items.map((m: any) => m.id)).toEqual([sharedModel]);
  });

  it('NSA creates a determination naming the benchmark and the adopted threshold version, enters scores and a rationale', async () => {
    const nsa = await as(t.url, NSA);
    const r = await nsa.post('/api/v1/determinations', { modelId: sharedModel, benchmarkId });
    expect(r.status).toBe(201);
    determinationId = r.body.id;
    expect(r.body.benchmark).toEqual({ id: benchmarkId, name: BENCH_NAME, version: 1 });
    expect(r.body.thresholdVersion).toEqual({ id: t2Id, version: 2, thresholds: T2 });
    expect(r.body.computeFlop).toBe(3e26);
    const u = await nsa.patch(`/api/v1/determinations/${determinationId}`, { scores: { cyber: 0.81, cbrn: 0.12, autonomy: 0.3 }, judgment: 'covered', rationale: 'Exploit development well above threshold.' });
    expect(u.status).toBe(200);
    expect(u.body.suggested.outcome).toBe('covered');
    expect(u.body.suggested.computeTriggerFlop).toBe(1e26);
    expect(u.body.rationale).toContain('Exploit development');
    const [row] = await t.rows<any>('select * from determinations where id = $1', [determinationId]);
    expect(row.analysis_enc).not.toContain('Exploit');
    expect([row.classification, row.compartments]).toEqual([3, ['BENCH']]);
    expect((await nsa.patch(`/api/v1/determinations/${determinationId}`, { scores: { cyber: 7 } })).status).toBe(400);
  });

  it('sign-offs wait for the determination to be sent; an agency without the model shared gets 404', async () => {
    expect((await (await as(t.url, ONCD)).post(`/api/v1/determinations/${determinationId}/signoffs`, { position: 'concur' })).status).toBe(409);
    // revoke ONCD's grant on the model: the determination disappears for ONCD
    const oncdOrg = await orgIdOf(t, 'Office of the National Cyber Director');
    await t.rows(`update access_grants set revoked_at = now() where record_type = 'model' and record_id = $1 and grantee_org_id = $2`, [sharedModel, oncdOrg]);
    expect((await (await as(t.url, ONCD)).get(`/api/v1/determinations/${determinationId}`)).status).toBe(404);
    expect((await (await as(t.url, ONCD)).get('/api/v1/determinations')).body.items).toEqual([]);
    await t.rows(`update access_grants set revoked_at = null where record_type = 'model' and record_id = $1 and grantee_org_id = $2`, [sharedModel, oncdOrg]);
    expect((await (await as(t.url, ONCD)).get(`/api/v1/determinations/${determinationId}`)).status).toBe(200);
    expect(await count('agency_consultations where subject_type = \'determination\'')).toBe(0);
  });

  it('the developer gets 404 on every benchmark, threshold and determination id', async () => {
    const dev = await as(t.url, DEV);
    for (const p of [`/api/v1/benchmarks/${benchmarkId}`, `/api/v1/threshold-versions/${t1Id}`, `/api/v1/threshold-versions/${t2Id}`, `/api/v1/determinations/${determinationId}`]) {
      const r = await dev.get(p);
      expect(r.status, p).toBe(404);
      expect(JSON.stringify(r.body)).not.toContain(BENCH_NAME);
    }
    for (const p of ['/api/v1/threshold-versions', '/api/v1/determinations', '/api/v1/determinations/candidate-models']) {
      const r = await dev.get(p);
      expect(r.body.items, p).toEqual([]);
    }
    expect((await dev.patch(`/api/v1/determinations/${determinationId}`, { judgment: 'not_covered' })).status).toBe(404);
    expect((await dev.get(`/api/v1/models/${sharedModel}/determination-notice`)).status).toBe(404);
  });

  it('the decision is refused in draft and without both sign-offs; a non-NSA user cannot decide; nothing changes', async () => {
    const decide = { outcome: 'covered', unclassifiedSummary: 'The model is covered; a review window may be opened.', expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), reevaluationTriggers: ['new_version', 'fine_tune', 'compute_increase'] };
    const nsa = await as(t.url, NSA);
    expect((await nsa.post(`/api/v1/determinations/${determinationId}/decide`, decide)).status).toBe(409);
    const s = await nsa.post(`/api/v1/determinations/${determinationId}/submit`);
    expect(s.status).toBe(200);
    expect(s.body.status).toBe('in_signoff');
    const r = await nsa.post(`/api/v1/determinations/${determinationId}/decide`, decide);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/ONCD and CISA/);
    const oncd = await as(t.url, ONCD);
    const view = await oncd.get(`/api/v1/determinations/${determinationId}`);
    expect(view.status).toBe(200);
    expect(view.body.contentVisible).toBe(false);
    expect(view.body.marking.banner).toBe('CUI');
    expect(JSON.stringify(view.body)).not.toContain('BENCH');
    expect(view.body.scores).toBeNull();
    expect(JSON.stringify(view.body)).not.toMatch(/0\.6137|0\.81|Frontier/);
    expect((await oncd.post(`/api/v1/determinations/${determinationId}/signoffs`, { position: 'concur' })).status).toBe(201);
    expect((await nsa.post(`/api/v1/determinations/${determinationId}/decide`, decide)).status).toBe(409);
    const cisa = await as(t.url, CISA);
    expect((await cisa.post(`/api/v1/determinations/${determinationId}/signoffs`, { position: 'concur' })).status).toBe(201);
    for (const email of [CISA, ONCD]) expect((await (await as(t.url, email)).post(`/api/v1/determinations/${determinationId}/decide`, decide)).status, email).toBe(403);
    for (const email of [DEV, NIST]) expect((await (await as(t.url, email)).post(`/api/v1/determinations/${determinationId}/decide`, decide)).status, email).toBe(404);
    expect((await nsa.post(`/api/v1/determinations/${determinationId}/decide`, { ...decide, expiresAt: '2000-01-01T00:00:00Z' })).status).toBe(400);
    expect((await nsa.post(`/api/v1/determinations/${determinationId}/decide`, { ...decide, reevaluationTriggers: ['whenever'] })).status).toBe(400);
    const [row] = await t.rows<any>('select status, outcome from determinations where id = $1', [determinationId]);
    expect(row).toEqual({ status: 'in_signoff', outcome: null });
    expect(await count('determination_notices')).toBe(0);
  });

  it('NSA decides: the notice holds only outcome, summary, expiry and triggers; the developer reads it without any trace of the benchmark', async () => {
    const expiresAt = new Date(Date.now() + 365 * 86_400_000).toISOString();
    const nsa = await as(t.url, NSA);
    const r = await nsa.post(`/api/v1/determinations/${determinationId}/decide`, { outcome: 'covered', unclassifiedSummary: 'The model is covered; a review window may be opened.', expiresAt, reevaluationTriggers: ['new_version', 'fine_tune', 'compute_increase'] });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('decided');
    expect(r.body.benchmark.name).toBe(BENCH_NAME);
    expect(r.body.thresholdVersion.version).toBe(2);
    expect(r.body.signoffs.map((s: any) => s.agencyCode).sort()).toEqual(['CISA', 'ONCD']);
    const [n] = await t.rows<any>('select * from determination_notices where determination_id = $1', [determinationId]);
    expect(n.owner_org_id).toBe(await orgIdOf(t, 'Meridian AI'));
    expect(n.classification).toBe(1);
    expect(n.benchmark_ref).toEqual({ name: BENCH_NAME, version: 1, thresholdVersion: 2 });

    const dev = await as(t.url, DEV);
    const notice = await dev.get(`/api/v1/models/${sharedModel}/determination-notice`);
    expect(notice.status).toBe(200);
    expect(Object.keys(notice.body).sort()).toEqual(['decidedAt', 'expiresAt', 'id', 'marking', 'modelId', 'outcome', 'reevaluationTriggers', 'summary']);
    expect(notice.body.outcome).toBe('covered');
    expect(notice.body.marking.banner).toBe('CUI');
    const text = JSON.stringify(notice.body);
    for (const leak of [BENCH_NAME, 'Frontier', 'benchmark', 'threshold', '0.6137', '0.4271', '0.7389', '0.81', 'Exploit', 'score']) expect(text.toLowerCase()).not.toContain(leak.toLowerCase());
    // the agencies with the model read it too; a model they cannot read → 404
    expect((await (await as(t.url, CISA)).get(`/api/v1/models/${sharedModel}/determination-notice`)).status).toBe(200);
    expect((await (await as(t.url, NIST)).get(`/api/v1/models/${sharedModel}/determination-notice`)).status).toBe(404);

    // the developer's notifications say the outcome only
    const devOrg = await orgIdOf(t, 'Meridian AI');
    const notes = await t.rows<any>('select n.title, n.body from notifications n join users u on u.id = n.user_id where u.org_id = $1', [devOrg]);
    expect(notes.length).toBeGreaterThan(0);
    const mails = await t.rows<any>(`select subject, body_text from mail_outbox`);
    expect(mails.some((m) => m.subject === 'Forewarn: Determination recorded')).toBe(true);
    for (const leak of ['Frontier', '0.6137', '0.81', 'Exploit']) {
      expect(JSON.stringify(notes)).not.toContain(leak);
      expect(JSON.stringify(mails)).not.toContain(leak);
    }
    const ev = await t.rows<any>(`select action, classification, compartments from audit_events where record_type = 'determination' and record_id = $1 and action not like '%.read' order by seq`, [determinationId]);
    expect(ev.map((e) => e.action)).toEqual(['determination.create', 'determination.update', 'determination.submit', 'determination.sign_off', 'determination.sign_off', 'determination.decide']);
    for (const e of ev) expect([e.classification, e.compartments]).toEqual([3, ['BENCH']]);
    const reads = await t.rows<any>(`select classification, compartments from audit_events where action = 'determination.read' and record_id = $1 and coalesce(detail->>'view', '') <> 'stub'`, [determinationId]);
    expect(reads.length).toBeGreaterThan(0);
    for (const e of reads) expect([e.classification, e.compartments]).toEqual([3, ['BENCH']]);
    expect((await t.rows<any>(`select 1 from audit_events where action = 'determination_notice.read'`)).length).toBeGreaterThan(0);
  });

  it('a newer decision supersedes the older one and its notice becomes the latest', async () => {
    const nsa = await as(t.url, NSA);
    const c = await nsa.post('/api/v1/determinations', { modelId: sharedModel, benchmarkId });
    const id = c.body.id;
    await nsa.patch(`/api/v1/determinations/${id}`, { scores: { cyber: 0.1, cbrn: 0.1, autonomy: 0.1 }, computeFlop: 1e24, judgment: 'no_view', rationale: 'Re-evaluated after a fine-tune.' });
    await nsa.post(`/api/v1/determinations/${id}/submit`);
    // reopening discards sign-offs given before
    await (await as(t.url, ONCD)).post(`/api/v1/determinations/${id}/signoffs`, { position: 'concur' });
    expect((await nsa.post(`/api/v1/determinations/${id}/reopen`)).status).toBe(200);
    expect((await nsa.post(`/api/v1/determinations/${id}/submit`)).status).toBe(200);
    await (await as(t.url, CISA)).post(`/api/v1/determinations/${id}/signoffs`, { position: 'concur' });
    const decide = { outcome: 'not_covered', unclassifiedSummary: 'Not covered.', expiresAt: new Date(Date.now() + 86_400_000 * 90).toISOString(), reevaluationTriggers: ['compute_increase'] };
    expect((await nsa.post(`/api/v1/determinations/${id}/decide`, decide)).status).toBe(409);
    await (await as(t.url, ONCD)).post(`/api/v1/determinations/${id}/signoffs`, { position: 'concur' });
    const d = await nsa.post(`/api/v1/determinations/${id}/decide`, decide);
    expect(d.status).toBe(200);
    expect(d.body.suggested.outcome).toBe('not_covered');
    expect((await t.rows<any>('select status from determinations where id = $1', [determinationId]))[0].status).toBe('superseded');
    const notice = await (await as(t.url, DEV)).get(`/api/v1/models/${sharedModel}/determination-notice`);
    expect(notice.body.outcome).toBe('not_covered');
    const list = await nsa.get(`/api/v1/determinations?modelId=${sharedModel}`);
    expect(list.body.items.map((x: any) => x.status)).toEqual(['decided', 'superseded']);
  });

  it('nothing here touches the model or its release date', async () => {
    const [m] = await t.rows<any>('select planned_release_at, status from models where id = $1', [sharedModel]);
    expect(m.status).toBe('registered');
    expect(await count('model_release_changes')).toBe(0);
  });
});
