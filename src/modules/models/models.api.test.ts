import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, client, orgIdOf, signIn, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { MAX_DOCUMENT_BYTES } from './models.fns.ts';

let t: TestInstance;
let lab: Client;
let labOrg: string;
let treasuryOrg: string;
let nsaOrg: string;

const DAY = 86_400_000;
const future = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const put = (c: Client, path: string, body: unknown) => c.request('PUT', path, body);

const SECRET_CAPABILITY = 'Finds zero-day vulnerabilities in industrial controllers';
const SECRET_DEPLOYMENT = 'Private API for vetted security vendors';

function modelBody(over: Record<string, unknown> = {}) {
  return {
    name: 'Aurora',
    version: '1.0',
    modality: 'multimodal',
    plannedReleaseAt: future(60),
    trainingComputeFlop: 2.5e26,
    computeEstimationMethod: '6 × parameters × tokens, from the training logs',
    intendedDeployment: SECRET_DEPLOYMENT,
    capabilitySummary: SECRET_CAPABILITY,
    ...over,
  };
}

function docBody(over: Record<string, unknown> = {}) {
  return {
    kind: 'architecture',
    title: 'Architecture description',
    filename: 'architecture.md',
    mediaType: 'text/markdown',
    contentBase64: b64('# Aurora\nMixture of experts, 64 experts, proprietary routing.\n'),
    marking: { classification: 'CUI' },
    caveat: 'PROPIN',
    ...over,
  };
}

async function count(table: string): Promise<number> {
  const [r] = await t.rows<{ n: number }>(`select count(*)::int as n from ${table}`);
  return r.n;
}

async function grantModelTo(modelId: string, orgId: string) {
  // What opening a consultation does (consultations module): a model grant to the assigned agency.
  await t.rows("insert into access_grants (record_type, record_id, grantee_org_id, source_type, source_id) values ('model', $1, $2, 'consultation', gen_random_uuid())", [modelId, orgId]);
}

beforeAll(async () => {
  t = await startTestInstance();
  // The engineer may mark documents up to CONFIDENTIAL; the lab administrator stays at CUI.
  await t.rows("update users set clearance = 2 where email = 'lab.engineer@meridian.demo'");
  lab = await as(t.url, 'lab.engineer@meridian.demo');
  labOrg = await orgIdOf(t, 'Meridian AI');
  const orgs = await t.rows<{ id: string; agency_code: string }>("select id, agency_code from organisations where kind = 'agency'");
  treasuryOrg = orgs.find((o) => o.agency_code === 'TREASURY')!.id;
  nsaOrg = orgs.find((o) => o.agency_code === 'NSA')!.id;
});
afterAll(async () => {
  await t?.close();
});

describe('registering a model', () => {
  it('registers a CUI model owned by the developer, encrypts the proprietary fields and audits it', async () => {
    const r = await lab.post('/api/v1/models', modelBody({ name: 'Registered' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Registered', version: '1.0', status: 'registered', ownerOrgId: labOrg, ownerOrgName: 'Meridian AI', mine: true, marking: { classification: 'CUI' } });
    expect(r.body.capabilitySummary).toBe(SECRET_CAPABILITY);
    expect(r.body.familyId).toBe(r.body.id);
    expect(r.body.versions).toHaveLength(1);
    expect(r.body).not.toHaveProperty('capabilitySummaryEnc');
    const [row] = await t.rows<Record<string, unknown>>('select * from models where id = $1', [r.body.id]);
    expect(row.owner_org_id).toBe(labOrg);
    expect(row.classification).toBe(1);
    expect(JSON.stringify(row)).not.toContain('zero-day');
    expect(JSON.stringify(row)).not.toContain('vetted security');
    const ev = await auditRows(t, 'model.register');
    expect(ev.some((e) => e.record_id === r.body.id && e.classification === 1)).toBe(true);
  });

  it('refuses bad input with a problem and writes nothing', async () => {
    const before = await count('models');
    const auditBefore = await count('audit_events');
    const cases = [
      [modelBody({ plannedReleaseAt: new Date(Date.now() - DAY).toISOString() }), 'body.plannedReleaseAt'],
      [modelBody({ trainingComputeFlop: 0 }), 'body.trainingComputeFlop'],
      [modelBody({ trainingComputeFlop: -5 }), 'body.trainingComputeFlop'],
      [modelBody({ status: 'approved' }), 'body'],
      [modelBody({ name: '' }), 'body.name'],
      [modelBody({ lineageModelId: crypto.randomUUID() }), 'body.lineageModelId'],
    ] as const;
    for (const [body, path] of cases) {
      const r = await lab.post('/api/v1/models', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.type).toBe('/problems/validation-failed');
      expect(r.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
    }
    expect(await count('models')).toBe(before);
    expect(await count('audit_events')).toBe(auditBefore);
  });

  it('refuses registration to a role without models:register, and to anonymous callers', async () => {
    const nsa = await as(t.url, 'nsa.analyst@nsa.demo');
    expect((await nsa.post('/api/v1/models', modelBody())).status).toBe(403);
    expect((await client(t.url).post('/api/v1/models', modelBody())).status).toBe(401);
    expect((await client(t.url).get('/api/v1/models')).status).toBe(401);
  });

  it('accepts a lineage the developer can read and refuses one it cannot', async () => {
    const base = await lab.post('/api/v1/models', modelBody({ name: 'Base' }));
    const tune = await lab.post('/api/v1/models', modelBody({ name: 'Tuned', lineageModelId: base.body.id }));
    expect(tune.status).toBe(201);
    expect(tune.body.lineage).toEqual({ id: base.body.id, name: 'Base', version: '1.0' });
    const self = await lab.patch(`/api/v1/models/${tune.body.id}`, { lineageModelId: tune.body.id });
    expect(self.status).toBe(400);
  });
});

describe('changing a model', () => {
  it('changes descriptive fields only, never the release date or status, and audits the change', async () => {
    const m = (await lab.post('/api/v1/models', modelBody({ name: 'Patchable' }))).body;
    const r = await lab.patch(`/api/v1/models/${m.id}`, { name: 'Patched', capabilitySummary: 'Now summarises documents.' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'Patched', capabilitySummary: 'Now summarises documents.', plannedReleaseAt: m.plannedReleaseAt });
    for (const body of [{ plannedReleaseAt: future(5) }, { status: 'withdrawn' }, {}]) {
      expect((await lab.patch(`/api/v1/models/${m.id}`, body)).status).toBe(400);
    }
    const [row] = await t.rows<{ planned_release_at: Date; status: string }>('select planned_release_at, status from models where id = $1', [m.id]);
    expect(new Date(row.planned_release_at).toISOString()).toBe(m.plannedReleaseAt);
    expect(row.status).toBe('registered');
    const ev = await auditRows(t, 'model.update');
    expect(ev.find((e) => e.record_id === m.id)?.detail.changed).toEqual(['capabilitySummary', 'name']);
  });
});

describe('who sees a model', () => {
  let model: { id: string };
  let doc: { id: string };
  beforeAll(async () => {
    model = (await lab.post('/api/v1/models', modelBody({ name: 'Private' }))).body;
    doc = (await lab.post(`/api/v1/models/${model.id}/documents`, docBody())).body;
  });

  it('shows the developer organisation its models (other members too) and audits the classified read', async () => {
    const admin = await as(t.url, 'lab.admin@meridian.demo');
    const list = await admin.get('/api/v1/models');
    expect(list.status).toBe(200);
    expect(list.body.items.map((m: { id: string }) => m.id)).toContain(model.id);
    expect(list.body.items[0]).not.toHaveProperty('capabilitySummary');
    const one = await admin.get(`/api/v1/models/${model.id}`);
    expect(one.status).toBe(200);
    expect(one.body.documents.map((d: { id: string }) => d.id)).toEqual([doc.id]);
    const reads = await auditRows(t, 'model.read');
    expect(reads.some((e) => e.record_id === model.id && e.actor_email === 'lab.admin@meridian.demo' && e.classification === 1)).toBe(true);
    expect((await auditRows(t, 'model.list')).length).toBeGreaterThan(0);
  });

  it('gives another developer organisation 404 for the model and its documents, and an empty list', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const org = await admin.post('/api/v1/organisations', { name: 'Rival Labs', kind: 'ai_developer' });
    expect(org.status).toBe(201);
    const inv = await admin.post(`/api/v1/organisations/${org.body.id}/invitations`, { email: 'dev@rival.demo', name: 'Rita Rival', roles: ['developer'], clearance: 'CONFIDENTIAL', compartments: [] });
    expect(inv.status).toBe(201);
    const [mail] = await t.rows<{ body_text: string }>("select body_text from mail_outbox where to_address = 'dev@rival.demo'");
    const token = /token=(fwi_[A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
    expect((await client(t.url).post('/api/v1/auth/invitations/accept', { token, password: 'rival-password-1' })).status).toBe(200);
    const rival = await signIn(t.url, 'dev@rival.demo', { password: 'rival-password-1' });
    expect((await rival.get(`/api/v1/models/${model.id}`)).status).toBe(404);
    expect((await rival.get(`/api/v1/models/${model.id}/documents/${doc.id}/content`)).status).toBe(404);
    expect((await rival.patch(`/api/v1/models/${model.id}`, { name: 'Mine now' })).status).toBe(404);
    expect((await rival.post(`/api/v1/models/${model.id}/versions`, { version: '9', plannedReleaseAt: future(9) })).status).toBe(404);
    expect((await rival.post(`/api/v1/models/${model.id}/documents`, docBody())).status).toBe(404);
    expect((await put(rival, `/api/v1/models/${model.id}/documents/${doc.id}/shares`, { agencyOrgIds: [] })).status).toBe(404);
    expect((await rival.post(`/api/v1/models/${model.id}/documents/${doc.id}/withdraw`)).status).toBe(404);
    expect((await rival.get('/api/v1/models')).body.items).toEqual([]);
    // A rival's model cannot be named as lineage either.
    expect((await rival.post('/api/v1/models', modelBody({ lineageModelId: model.id }))).status).toBe(400);
    const denied = await t.rows<{ outcome: string }>("select outcome from audit_events where actor_email = 'dev@rival.demo' and outcome = 'denied'");
    expect(denied.length).toBeGreaterThan(0);
  });

  it('gives an agency without a grant 404 for the model and the document, and an empty list', async () => {
    for (const email of ['nsa.analyst@nsa.demo', 'treasury.analyst@treasury.demo']) {
      const a = await as(t.url, email);
      expect((await a.get(`/api/v1/models/${model.id}`)).status).toBe(404);
      expect((await a.get(`/api/v1/models/${model.id}/documents/${doc.id}/content`)).status).toBe(404);
      expect((await a.get('/api/v1/models')).body.items.map((m: { id: string }) => m.id)).not.toContain(model.id);
    }
  });

  it('gives a document share alone nothing while the model itself is not shared', async () => {
    expect((await put(lab, `/api/v1/models/${model.id}/documents/${doc.id}/shares`, { agencyOrgIds: [nsaOrg] })).status).toBe(200);
    const nsa = await as(t.url, 'nsa.analyst@nsa.demo');
    expect((await nsa.get(`/api/v1/models/${model.id}/documents/${doc.id}/content`)).status).toBe(404);
  });

  it('lists agencies for the sharing form to any signed-in user', async () => {
    const partner = await as(t.url, 'partner@sentinel.demo');
    const r = await partner.get('/api/v1/agencies');
    expect(r.status).toBe(200);
    expect(r.body.items.map((a: { agencyCode: string }) => a.agencyCode)).toEqual(expect.arrayContaining(['NSA', 'CISA', 'TREASURY']));
    expect(r.body.items.every((a: { id: string }) => a.id !== labOrg)).toBe(true);
    expect((await client(t.url).get('/api/v1/agencies')).status).toBe(401);
  });
});

describe('the disclosure package', () => {
  let model: { id: string };
  let cui: { id: string };
  let conf: { id: string };
  const cuiText = '# Aurora\nMixture of experts, 64 experts, proprietary routing.\n';
  beforeAll(async () => {
    model = (await lab.post('/api/v1/models', modelBody({ name: 'Shared' }))).body;
    await grantModelTo(model.id, treasuryOrg);
  });

  it('stores a document encrypted, with its hash, marking and caveat, and audits the upload', async () => {
    const r = await lab.post(`/api/v1/models/${model.id}/documents`, docBody());
    expect(r.status).toBe(201);
    cui = r.body;
    expect(r.body).toMatchObject({ kind: 'architecture', sizeBytes: Buffer.byteLength(cuiText), markingText: 'CUI//PROPIN', caveat: 'PROPIN', status: 'active', sharedWith: [] });
    const [row] = await t.rows<Record<string, unknown>>('select * from model_documents where id = $1', [cui.id]);
    expect(String(row.content_enc)).not.toContain('proprietary routing');
    expect(String(row.content_enc)).not.toContain(b64(cuiText).slice(0, 24));
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.classification).toBe(1);
    const c = (await t.rows<{ classification: number; record_id: string }>("select * from audit_events where action = 'model_document.upload' and record_id = $1", [cui.id]))[0];
    expect(c.classification).toBe(1);
    const conf1 = await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ kind: 'evaluation_results', title: 'Red-team results', filename: 'redteam.txt', mediaType: 'text/plain', contentBase64: b64('exploit success rate 41%'), marking: { classification: 'CONFIDENTIAL' } }));
    expect(conf1.status).toBe(201);
    conf = conf1.body;
  });

  it('refuses a marking above the uploader’s clearance, and bad content, writing nothing', async () => {
    const admin = await as(t.url, 'lab.admin@meridian.demo'); // CUI
    const before = await count('model_documents');
    const over = await admin.post(`/api/v1/models/${model.id}/documents`, docBody({ marking: { classification: 'CONFIDENTIAL' } }));
    expect(over.status).toBe(400);
    expect((await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ contentBase64: 'not base64!' }))).status).toBe(400);
    expect((await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ marking: { classification: 'SECRET' } }))).status).toBe(400);
    expect((await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ filename: '../../x' }))).status).toBe(400);
    expect(await count('model_documents')).toBe(before);
    // The CUI administrator of the same lab does not see the CONFIDENTIAL item.
    const seen = await admin.get(`/api/v1/models/${model.id}`);
    expect(seen.body.documents.map((d: { id: string }) => d.id)).toEqual([cui.id]);
    expect((await admin.get(`/api/v1/models/${model.id}/documents/${conf.id}/content`)).status).toBe(404);
  });

  it('refuses a document over the size limit with a problem and stores nothing', async () => {
    const before = await count('model_documents');
    const auditBefore = await count('audit_events');
    const justOver = await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ contentBase64: Buffer.alloc(MAX_DOCUMENT_BYTES + 1, 7).toString('base64') }));
    expect(justOver.status).toBe(400);
    expect(justOver.body.type).toBe('/problems/validation-failed');
    const farOver = await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ contentBase64: Buffer.alloc(MAX_DOCUMENT_BYTES + 1024 * 1024, 7).toString('base64') }));
    expect([400, 413]).toContain(farOver.status);
    expect(farOver.headers.get('content-type')).toContain('application/problem+json');
    const huge = await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ contentBase64: 'A'.repeat(8 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    expect(huge.body.type).toBe('/problems/payload-too-large');
    expect(await count('model_documents')).toBe(before);
    expect(await count('audit_events')).toBe(auditBefore);
    // Exactly at the limit is accepted.
    const at = await lab.post(`/api/v1/models/${model.id}/documents`, docBody({ title: 'At the limit', contentBase64: Buffer.alloc(MAX_DOCUMENT_BYTES, 1).toString('base64') }));
    expect(at.status).toBe(201);
    expect(at.body.sizeBytes).toBe(MAX_DOCUMENT_BYTES);
    expect((await lab.post(`/api/v1/models/${model.id}/documents/${at.body.id}/withdraw`)).status).toBe(200);
  });

  it('shows the agency nothing of the package until the developer shares an item', async () => {
    const tr = await as(t.url, 'treasury.analyst@treasury.demo');
    const m = await tr.get(`/api/v1/models/${model.id}`);
    expect(m.status).toBe(200);
    expect(m.body.mine).toBe(false);
    expect(m.body.documents).toEqual([]);
    expect((await tr.get(`/api/v1/models/${model.id}/documents/${cui.id}/content`)).status).toBe(404);
    expect((await tr.get('/api/v1/models')).body.items.map((x: { id: string }) => x.id)).toContain(model.id);
  });

  it('refuses shares with anything but agencies, changing nothing', async () => {
    const before = await count('access_grants');
    const sentinel = await orgIdOf(t, 'Sentinel Security Partners');
    for (const ids of [[labOrg], [sentinel], [crypto.randomUUID()], [treasuryOrg, sentinel]]) {
      const r = await put(lab, `/api/v1/models/${model.id}/documents/${cui.id}/shares`, { agencyOrgIds: ids });
      expect(r.status).toBe(400);
    }
    expect((await put(lab, `/api/v1/models/${model.id}/documents/${cui.id}/shares`, { agencyOrgIds: ['x'] })).status).toBe(400);
    expect(await count('access_grants')).toBe(before);
  });

  it('gives a shared agency the item within its clearance, never a CONFIDENTIAL one above it', async () => {
    for (const d of [cui, conf]) {
      const r = await put(lab, `/api/v1/models/${model.id}/documents/${d.id}/shares`, { agencyOrgIds: [treasuryOrg] });
      expect(r.status).toBe(200);
      expect(r.body.sharedWith.map((a: { agencyCode: string }) => a.agencyCode)).toEqual(['TREASURY']);
    }
    const grants = await t.rows<{ record_id: string; grantee_org_id: string; granted_by: string }>("select * from access_grants where record_type = 'model_document' and revoked_at is null and grantee_org_id = $1", [treasuryOrg]);
    expect(grants.map((g) => g.record_id).sort()).toEqual([cui.id, conf.id].sort());
    const tr = await as(t.url, 'treasury.analyst@treasury.demo'); // CUI
    const m = await tr.get(`/api/v1/models/${model.id}`);
    expect(m.body.documents.map((d: { id: string }) => d.id)).toEqual([cui.id]);
    expect(m.body.documents[0]).not.toHaveProperty('sharedWith');
    const content = await fetch(`${t.url}/api/v1/models/${model.id}/documents/${cui.id}/content`, { headers: { cookie: tr.cookie! } });
    expect(content.status).toBe(200);
    expect(content.headers.get('content-disposition')).toContain('attachment');
    expect(content.headers.get('content-type')).toContain('text/markdown');
    expect(await content.text()).toBe(cuiText);
    expect((await tr.get(`/api/v1/models/${model.id}/documents/${conf.id}/content`)).status).toBe(404);
    const reads = await t.rows<{ actor_email: string; classification: number; owner_org_id: string }>("select * from audit_events where action = 'model_document.read' and record_id = $1", [cui.id]);
    expect(reads.some((e) => e.actor_email === 'treasury.analyst@treasury.demo' && e.classification === 1 && e.owner_org_id === labOrg)).toBe(true);
    // The ONCD analyst (CONFIDENTIAL) would see it, but ONCD has no share.
    const share = (await auditRows(t, 'model_document.share')).filter((e) => e.record_id === cui.id);
    expect(share.at(-1)?.detail.added).toEqual(['TREASURY']);
  });

  it('lets a grantee agency read but never change the model or its package (403)', async () => {
    const tr = await as(t.url, 'treasury.analyst@treasury.demo');
    expect((await tr.patch(`/api/v1/models/${model.id}`, { name: 'Hijacked' })).status).toBe(403);
    expect((await tr.post(`/api/v1/models/${model.id}/versions`, { version: '6', plannedReleaseAt: future(1) })).status).toBe(403);
    expect((await tr.post(`/api/v1/models/${model.id}/documents`, docBody())).status).toBe(403);
    expect((await put(tr, `/api/v1/models/${model.id}/documents/${cui.id}/shares`, { agencyOrgIds: [] })).status).toBe(403);
    expect((await tr.post(`/api/v1/models/${model.id}/documents/${cui.id}/withdraw`)).status).toBe(403);
    expect((await tr.patch(`/api/v1/models/${model.id}/documents/${cui.id}`, { title: 'Mine' })).status).toBe(403);
    const [row] = await t.rows<{ name: string }>('select name from models where id = $1', [model.id]);
    expect(row.name).toBe('Shared');
  });

  it('revokes an agency’s grant when the developer removes it from the share', async () => {
    const r = await put(lab, `/api/v1/models/${model.id}/documents/${cui.id}/shares`, { agencyOrgIds: [] });
    expect(r.body.sharedWith).toEqual([]);
    const live = await t.rows("select * from access_grants where record_type = 'model_document' and record_id = $1 and revoked_at is null", [cui.id]);
    expect(live).toEqual([]);
    const tr = await as(t.url, 'treasury.analyst@treasury.demo');
    expect((await tr.get(`/api/v1/models/${model.id}/documents/${cui.id}/content`)).status).toBe(404);
    expect((await auditRows(t, 'model_document.share')).some((e) => e.record_id === cui.id && e.detail.removed?.[0] === 'TREASURY')).toBe(true);
  });

  it('amends an item’s metadata and marking', async () => {
    const r = await lab.patch(`/api/v1/models/${model.id}/documents/${cui.id}`, { title: 'Architecture (rev 2)', caveat: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ title: 'Architecture (rev 2)', caveat: null, markingText: 'CUI' });
    expect((await auditRows(t, 'model_document.update')).some((e) => e.record_id === cui.id)).toBe(true);
  });

  it('withdraws an item at any time: grants revoked, content erased and no longer served', async () => {
    await put(lab, `/api/v1/models/${model.id}/documents/${cui.id}/shares`, { agencyOrgIds: [treasuryOrg, nsaOrg] });
    const [before] = await t.rows<{ content_enc: string }>('select content_enc from model_documents where id = $1', [cui.id]);
    const r = await lab.post(`/api/v1/models/${model.id}/documents/${cui.id}/withdraw`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('withdrawn');
    const live = await t.rows("select * from access_grants where record_type = 'model_document' and record_id = $1 and revoked_at is null", [cui.id]);
    expect(live).toEqual([]);
    const [after] = await t.rows<{ content_enc: string; withdrawn_at: Date | null; sha256: string }>('select * from model_documents where id = $1', [cui.id]);
    expect(after.withdrawn_at).not.toBeNull();
    expect(after.content_enc).not.toBe(before.content_enc);
    expect(after.content_enc.length).toBeLessThan(before.content_enc.length);
    const tr = await as(t.url, 'treasury.analyst@treasury.demo');
    expect((await tr.get(`/api/v1/models/${model.id}/documents/${cui.id}/content`)).status).toBe(404);
    expect((await tr.get(`/api/v1/models/${model.id}`)).body.documents).toEqual([]);
    const own = await lab.get(`/api/v1/models/${model.id}/documents/${cui.id}/content`);
    expect(own.status).toBe(409);
    // Withdrawal is final: no second withdrawal, no new share, no amendment.
    expect((await lab.post(`/api/v1/models/${model.id}/documents/${cui.id}/withdraw`)).body.type).toBe('/problems/invalid-transition');
    expect((await put(lab, `/api/v1/models/${model.id}/documents/${cui.id}/shares`, { agencyOrgIds: [treasuryOrg] })).status).toBe(409);
    expect((await lab.patch(`/api/v1/models/${model.id}/documents/${cui.id}`, { title: 'x' })).status).toBe(409);
    expect((await auditRows(t, 'model_document.withdraw')).find((e) => e.record_id === cui.id)?.detail.revokedGrants).toBe(2);
  });
});

describe('versions', () => {
  it('creates a linked version that inherits the active package, re-encrypted, without its shares', async () => {
    const v1 = (await lab.post('/api/v1/models', modelBody({ name: 'Versioned' }))).body;
    const keep = (await lab.post(`/api/v1/models/${v1.id}/documents`, docBody({ title: 'Model card', kind: 'model_card', contentBase64: b64('card v1') }))).body;
    const gone = (await lab.post(`/api/v1/models/${v1.id}/documents`, docBody({ title: 'Old safeguards', kind: 'safeguards' }))).body;
    await put(lab, `/api/v1/models/${v1.id}/documents/${keep.id}/shares`, { agencyOrgIds: [treasuryOrg] });
    await lab.post(`/api/v1/models/${v1.id}/documents/${gone.id}/withdraw`);
    const bad = await lab.post(`/api/v1/models/${v1.id}/versions`, { version: '2.0', plannedReleaseAt: new Date(Date.now() - DAY).toISOString() });
    expect(bad.status).toBe(400);
    const r = await lab.post(`/api/v1/models/${v1.id}/versions`, { version: '2.0', plannedReleaseAt: future(90), trainingComputeFlop: 4e26, inheritPackage: true });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ familyId: v1.id, previousVersionId: v1.id, version: '2.0', name: 'Versioned', trainingComputeFlop: 4e26, capabilitySummary: SECRET_CAPABILITY });
    expect(r.body.versions.map((v: { version: string }) => v.version)).toEqual(['1.0', '2.0']);
    expect(r.body.documents).toHaveLength(1);
    const copy = r.body.documents[0];
    expect(copy).toMatchObject({ title: 'Model card', inheritedFromId: keep.id, sharedWith: [] });
    const rows = await t.rows<{ id: string; content_enc: string; model_id: string }>('select id, content_enc, model_id from model_documents where id in ($1, $2)', [keep.id, copy.id]);
    expect(rows[0].content_enc).not.toBe(rows[1].content_enc);
    const content = await fetch(`${t.url}/api/v1/models/${r.body.id}/documents/${copy.id}/content`, { headers: { cookie: lab.cookie! } });
    expect(await content.text()).toBe('card v1');
    expect((await lab.post(`/api/v1/models/${v1.id}/versions`, { version: '2.0', plannedReleaseAt: future(90) })).status).toBe(409);
    const ev = await auditRows(t, 'model.version');
    expect(ev.some((e) => e.record_id === r.body.id && e.detail.inheritedDocuments === 1)).toBe(true);
    expect((await auditRows(t, 'model_document.inherit')).some((e) => e.record_id === copy.id)).toBe(true);
    // The original's encrypted fields are not readable under the new row's name.
    const [m2] = await t.rows<Record<string, unknown>>('select * from models where id = $1', [r.body.id]);
    expect(JSON.stringify(m2)).not.toContain('zero-day');
  });
});
