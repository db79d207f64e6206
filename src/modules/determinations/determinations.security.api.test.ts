import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, userIdOf, type TestInstance, startTestInstance } from '../../../tests/support/harness.ts';
import { seedDeterminationsDemo } from './demo.ts';

// Findings of the security review: notifications naming CUI models, unaudited reads, validation,
// and concurrent decisions/adoptions.
const NSA = 'nsa.analyst@nsa.demo';
const CISA = 'cisa.analyst@cisa.demo';
const ONCD = 'oncd.analyst@oncd.demo';
const DEV = 'lab.engineer@meridian.demo';
const onPostgres = !!process.env.DATABASE_URL;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

let t: TestInstance;
let benchmarkId: string;
let lab: string;

async function insertModel(name: string): Promise<string> {
  const creator = await userIdOf(t, 'lab.admin@meridian.demo');
  const id = crypto.randomUUID();
  await t.rows(
    `insert into models (id, owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
     values ($1, $2, 1, $1, $3, '1.0', 'text', now() + interval '60 days', 3e26, 'hardware hours', 'x', 'x', $4)`,
    [id, lab, name, creator],
  );
  for (const orgName of ['National Security Agency', 'Office of the National Cyber Director', 'Cybersecurity and Infrastructure Security Agency']) {
    await t.rows(`insert into access_grants (record_type, record_id, grantee_org_id, granted_by, source_type, source_id) values ('model', $1, $2, $3, 'consultation', $1)`, [id, await orgIdOf(t, orgName), creator]);
  }
  return id;
}

/** A determination drafted, submitted and signed off by ONCD and CISA: ready to decide. */
async function readyToDecide(modelId: string): Promise<string> {
  const nsa = await as(t.url, NSA);
  const c = await nsa.post('/api/v1/determinations', { modelId, benchmarkId });
  expect(c.status, JSON.stringify(c.body)).toBe(201);
  const id = c.body.id as string;
  expect((await nsa.patch(`/api/v1/determinations/${id}`, { scores: { cyber: 0.9 }, judgment: 'covered', rationale: 'RATIONALE' })).status).toBe(200);
  expect((await nsa.post(`/api/v1/determinations/${id}/submit`, {})).status).toBe(200);
  for (const who of [ONCD, CISA]) expect((await (await as(t.url, who)).post(`/api/v1/determinations/${id}/signoffs`, { position: 'concur' })).status).toBe(201);
  return id;
}

const decideBody = (extra: Record<string, unknown> = {}) => ({ outcome: 'covered', unclassifiedSummary: 'summary', expiresAt: iso(90 * DAY), reevaluationTriggers: ['new_version'], ...extra });

beforeAll(async () => {
  t = await startTestInstance();
  benchmarkId = (await seedDeterminationsDemo(t.fw.database.db, t.fw.services.keyring, t.fw.services.audit))!.benchmarkId;
  lab = await orgIdOf(t, 'Meridian AI');
  // A lab member with neither the developer nor the administrator role.
  await t.rows(
    `insert into users (id, org_id, email, name, roles, clearance, password_hash) select gen_random_uuid(), $1, 'member@meridian.demo', 'Member', ARRAY['member'], 0, password_hash from users where email = $2`,
    [lab, DEV],
  );
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('decision notifications carry no CUI (finding 1)', () => {
  it('the developer is told generically, with a link; only developers and org admins; no model name or outcome in any notification or email', async () => {
    const modelId = await insertModel('Zephyr-CUI-Name');
    const id = await readyToDecide(modelId);
    const d = await (await as(t.url, NSA)).post(`/api/v1/determinations/${id}/decide`, decideBody({ outcome: 'not_covered' }));
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    const notes = await t.rows<any>(`select u.email, u.roles, n.title, n.body, n.link from notifications n join users u on u.id = n.user_id where n.title in ('Determination recorded', 'Determination decided')`);
    expect(notes.length).toBeGreaterThan(0);
    const mine = notes.filter((n) => n.title === 'Determination recorded');
    expect(mine.length).toBeGreaterThan(0);
    for (const n of mine) {
      expect(n.roles.some((r: string) => r === 'developer' || r === 'org_admin'), n.email).toBe(true);
      expect(n.link).toBe(`/models/${modelId}/determination`);
    }
    expect(mine.map((n) => n.email)).not.toContain('member@meridian.demo');
    const mails = await t.rows<any>(`select to_address, subject, body_text from mail_outbox where subject like '%Determination%'`);
    expect(mails.map((m) => m.to_address)).not.toContain('member@meridian.demo');
    const all = JSON.stringify([notes.map((n) => [n.title, n.body]), mails.map((m) => [m.subject, m.body_text])]);
    expect(all).not.toContain('Zephyr');
    expect(all).not.toMatch(/not[ _]covered/i);
  });
});

describe('reads of CUI model data are audited (findings 4 and 9)', () => {
  let modelId: string;
  let detId: string;
  beforeAll(async () => {
    modelId = await insertModel('Atlas-CUI');
    const c = await (await as(t.url, NSA)).post('/api/v1/determinations', { modelId, benchmarkId });
    expect(c.status).toBe(201);
    detId = c.body.id;
  });

  it('GET /determinations/candidate-models records a model.read per model, visible to the developer org', async () => {
    const nsa = await as(t.url, NSA);
    await t.rows(`delete from audit_events where action = 'model.read' and record_id = $1`, [modelId]).catch(() => undefined);
    const before = (await t.rows<any>(`select count(*)::int as n from audit_events where action = 'model.read' and record_id = $1`, [modelId]))[0].n;
    const r = await nsa.get('/api/v1/determinations/candidate-models');
    expect(r.status).toBe(200);
    expect(r.body.items.map((x: any) => x.name)).toContain('Atlas-CUI');
    const rows = await t.rows<any>(`select classification, owner_org_id, detail from audit_events where action = 'model.read' and record_id = $1`, [modelId]);
    expect(rows.length).toBeGreaterThan(before);
    const last = rows[rows.length - 1];
    expect(last.classification).toBe(1);
    expect(last.owner_org_id).toBe(lab);
  });

  it('ONCD reading the stub view of a determination is recorded (determination.read at CUI, model.read for the developer)', async () => {
    const oncd = await as(t.url, ONCD);
    const oncdOrg = await orgIdOf(t, 'Office of the National Cyber Director');
    const r = await oncd.get('/api/v1/determinations');
    expect(r.status).toBe(200);
    const one = await oncd.get(`/api/v1/determinations/${detId}`);
    expect(one.status).toBe(200);
    expect(one.body.contentVisible).toBe(false);
    const stub = await t.rows<any>(`select classification, compartments from audit_events where action = 'determination.read' and record_id = $1 and actor_org_id = $2`, [detId, oncdOrg]);
    expect(stub.length).toBeGreaterThanOrEqual(2);
    for (const s of stub) expect([s.classification, s.compartments]).toEqual([1, []]);
    const mr = await t.rows<any>(`select owner_org_id from audit_events where action = 'model.read' and record_id = $1 and actor_org_id = $2`, [modelId, oncdOrg]);
    expect(mr.length).toBeGreaterThan(0);
    expect(mr.every((x) => x.owner_org_id === lab)).toBe(true);
  });

  it('an agency reading the developer’s determination notice leaves a read event owned by the developer org', async () => {
    const m = await insertModel('Notice-Owner');
    const id = await readyToDecide(m);
    expect((await (await as(t.url, NSA)).post(`/api/v1/determinations/${id}/decide`, decideBody())).status).toBe(200);
    const n = await (await as(t.url, CISA)).get(`/api/v1/models/${m}/determination-notice`);
    expect(n.status).toBe(200);
    const d = await (await as(t.url, DEV)).get(`/api/v1/models/${m}/determination-notice`);
    expect(d.status).toBe(200);
    const rows = await t.rows<any>(`select owner_org_id from audit_events where action = 'determination_notice.read' and record_id = $1`, [n.body.id]);
    expect(rows.map((r) => r.owner_org_id)).toEqual([lab, lab]);
  });
});

describe('validation (finding 10)', () => {
  let id: string;
  beforeAll(async () => {
    id = await readyToDecide(await insertModel('Validation-Model'));
  });

  it('an expiry more than five years ahead, in the past, or duplicate triggers are refused with 400 and change nothing', async () => {
    const nsa = await as(t.url, NSA);
    for (const bad of [decideBody({ expiresAt: iso(6 * 366 * DAY) }), decideBody({ expiresAt: iso(-DAY) }), decideBody({ reevaluationTriggers: ['new_version', 'new_version'] })]) {
      const r = await nsa.post(`/api/v1/determinations/${id}/decide`, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
    }
    const [row] = await t.rows<any>('select status from determinations where id = $1', [id]);
    expect(row.status).not.toBe('decided');
    expect((await t.rows<any>('select count(*)::int as n from determination_notices where determination_id = $1', [id]))[0].n).toBe(0);
  });

  it('an empty update {} is refused with 400', async () => {
    const nsa = await as(t.url, NSA);
    const c = await nsa.post('/api/v1/determinations', { modelId: await insertModel('Empty-Patch'), benchmarkId });
    expect(c.status).toBe(201);
    const before = (await t.rows<any>(`select count(*)::int as n from audit_events where action = 'determination.update' and record_id = $1`, [c.body.id]))[0].n;
    const r = await nsa.patch(`/api/v1/determinations/${c.body.id}`, {});
    expect(r.status).toBe(400);
    const after = (await t.rows<any>(`select count(*)::int as n from audit_events where action = 'determination.update' and record_id = $1`, [c.body.id]))[0].n;
    expect(after).toBe(before);
  });
});

describe.runIf(onPostgres)('concurrency on PostgreSQL (findings 7 and 8)', () => {
  it('two drafts for one model decided at once: exactly one stays decided, the other is superseded', async () => {
    const modelId = await insertModel('Race-Model');
    const a = await readyToDecide(modelId);
    const b = await readyToDecide(modelId);
    const nsa = await as(t.url, NSA);
    const rs = await Promise.all([a, b].map((id) => nsa.post(`/api/v1/determinations/${id}/decide`, decideBody())));
    for (const r of rs) expect([200, 409]).toContain(r.status);
    const decided = await t.rows<any>(`select id from determinations where model_id = $1 and status = 'decided'`, [modelId]);
    expect(decided.length).toBe(1);
  });

  it('two threshold versions adopted at once: exactly one is adopted', async () => {
    const nsa = await as(t.url, NSA);
    const ids: string[] = [];
    for (const cyber of [0.71, 0.72]) {
      const p = await nsa.post('/api/v1/threshold-versions', { benchmarkId, thresholds: { cyber } });
      expect(p.status, JSON.stringify(p.body)).toBe(201);
      ids.push(p.body.id);
      for (const who of [ONCD, CISA]) expect((await (await as(t.url, who)).post(`/api/v1/threshold-versions/${p.body.id}/consultations`, { position: 'concur' })).status).toBe(201);
    }
    const rs = await Promise.all(ids.map((id) => nsa.post(`/api/v1/threshold-versions/${id}/adopt`)));
    for (const r of rs) expect([200, 409]).toContain(r.status);
    const adopted = await t.rows<any>(`select id from threshold_versions where benchmark_id = $1 and status = 'adopted'`, [benchmarkId]);
    expect(adopted.length).toBe(1);
  });
});
