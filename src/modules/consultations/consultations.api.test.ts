import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, client, orgIdOf, signIn, startTestInstance, userIdOf, type Client, type TestInstance } from '../../../tests/support/harness.ts';

let t: TestInstance;
beforeAll(async () => {
  t = await startTestInstance();
});
afterAll(async () => {
  await t?.close();
});

const DEV = 'lab.engineer@meridian.demo';
const NSA = 'nsa.analyst@nsa.demo';
const CISA = 'cisa.analyst@cisa.demo';
const ONCD = 'oncd.analyst@oncd.demo';
const NIST = 'nist.analyst@nist.demo';
const VENDOR = 'security@openhealth.demo';
const OPERATOR = 'it@prairiehospital.demo';
const TREASURY = 'treasury.analyst@treasury.demo';
const INVALID = /invalid-transition$/;

let seq = 0;
/** A model row as the models module would write it (this module only reads models). */
async function makeModel(orgName = 'Meridian AI', daysToRelease = 60): Promise<string> {
  const orgId = await orgIdOf(t, orgName);
  const [u] = await t.rows<{ id: string }>('select id from users where org_id = $1 limit 1', [orgId]);
  const id = crypto.randomUUID();
  await t.rows(
    `insert into models (id, owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
     values ($1, $2, 1, $1, $3, '1.0', 'text', now() + ($4 || ' days')::interval, 1e25, 'reported', 'x', 'x', $5)`,
    [id, orgId, `Model ${++seq}`, String(daysToRelease), u?.id ?? id],
  );
  return id;
}

async function openOn(modelId: string, question = 'Is this model covered, and would it benefit from review?') {
  const r = await (await as(t.url, DEV)).post(`/api/v1/models/${modelId}/consultations`, { question });
  expect(r.status).toBe(201);
  return r.body;
}

const count = async (sql: string, values?: unknown[]) => Number((await t.rows<{ n: number }>(`select count(*)::int as n from (${sql}) q`, values))[0].n);

let otherDev: Client;
async function otherDeveloper(): Promise<Client> {
  if (otherDev) return otherDev;
  const admin = await as(t.url, 'admin@forewarn.demo');
  const org = await admin.post('/api/v1/organisations', { name: 'Helix Labs', kind: 'ai_developer' });
  expect(org.status).toBe(201);
  const inv = await admin.post(`/api/v1/organisations/${org.body.id}/invitations`, { email: 'dev@helix.demo', name: 'Hal Dev', roles: ['developer'], clearance: 'CUI' });
  expect(inv.status).toBe(201);
  const [mail] = await t.rows<{ body_text: string }>("select body_text from mail_outbox where to_address = 'dev@helix.demo'");
  const token = /token=(fwi_[A-Za-z0-9_-]+)/.exec(mail.body_text)![1];
  expect((await client(t.url).post('/api/v1/auth/invitations/accept', { token, password: 'helix-password-1' })).status).toBe(200);
  otherDev = await signIn(t.url, 'dev@helix.demo', { password: 'helix-password-1' });
  return otherDev;
}

describe('opening a consultation', () => {
  it('the developer opens one: a CUI case with NSA deciding, ONCD and CISA consulted, grants on the case and the model', async () => {
    const modelId = await makeModel();
    const dev = await as(t.url, DEV);
    const r = await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'Does Atlas-secret-phrase need review?', dueAt: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'open', modelId, question: 'Does Atlas-secret-phrase need review?', recommendation: null, marking: { classification: 'CUI', compartments: [] } });
    expect(r.body.assignments.map((a: any) => [a.agencyCode, a.role]).sort()).toEqual([
      ['CISA', 'consulted'],
      ['NSA', 'decides'],
      ['ONCD', 'consulted'],
    ]);
    expect(r.body.can).toMatchObject({ withdraw: true, take: false, answer: false, post: true, postInternal: false });
    const id = r.body.id;
    const [row] = await t.rows<any>('select * from consultations where id = $1', [id]);
    expect(row).toMatchObject({ owner_org_id: await orgIdOf(t, 'Meridian AI'), classification: 1, status: 'open' });
    expect(row.question_enc).not.toContain('Atlas-secret-phrase');
    const grants = await t.rows<any>('select g.record_type, g.source_type, g.source_id, o.agency_code from access_grants g join organisations o on o.id = g.grantee_org_id where (g.record_id = $1 or g.record_id = $2) and g.revoked_at is null', [id, modelId]);
    expect(grants.filter((g) => g.record_type === 'consultation').map((g) => g.agency_code).sort()).toEqual(['CISA', 'NSA', 'ONCD']);
    const modelGrants = grants.filter((g) => g.record_type === 'model');
    expect(modelGrants.map((g) => g.agency_code).sort()).toEqual(['CISA', 'NSA', 'ONCD']);
    expect(modelGrants.every((g) => g.source_type === 'consultation' && g.source_id === id)).toBe(true);
    const audit = await auditRows(t, 'consultation.open');
    expect(audit.some((e) => e.record_id === id && e.classification === 1)).toBe(true);
    // Analysts are told, without the question's words.
    const notes = await t.rows<any>("select n.title, n.body from notifications n join users u on u.id = n.user_id where u.email = $1 and n.link = $2", [NSA, `/consultations/${id}`]);
    expect(notes.length).toBe(1);
    expect(JSON.stringify(notes)).not.toContain('Atlas-secret-phrase');
    const mails = await t.rows<any>("select body_text from mail_outbox where to_address = $1 and body_text like '%' || $2 || '%'", [NSA, id]);
    expect(mails.length).toBe(1);
    expect(mails[0].body_text).not.toContain('Atlas-secret-phrase');
    // A second active consultation on the same model is refused.
    expect((await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'again?' })).status).toBe(409);
  });

  it('bad input is a 400 problem and writes nothing', async () => {
    const modelId = await makeModel();
    const dev = await as(t.url, DEV);
    const before = await count('select 1 from consultations');
    const auditBefore = await count("select 1 from audit_events where action = 'consultation.open'");
    for (const body of [{}, { question: '' }, { question: 'x'.repeat(10_001) }, { question: 'ok', extra: 1 }, { question: 'ok', dueAt: 'tomorrow' }, { question: 'ok', dueAt: new Date(Date.now() - 60_000).toISOString() }]) {
      const r = await dev.post(`/api/v1/models/${modelId}/consultations`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.type).toMatch(/validation-failed$/);
    }
    expect((await dev.post('/api/v1/models/not-a-uuid/consultations', { question: 'ok' })).status).toBe(400);
    expect(await count('select 1 from consultations')).toBe(before);
    expect(await count("select 1 from audit_events where action = 'consultation.open'")).toBe(auditBefore);
    expect(await count('select 1 from access_grants where record_id = $1', [modelId])).toBe(0);
  });

  it('only the model’s developer opens one: agencies 403 once they can see the model, others 404', async () => {
    const modelId = await makeModel();
    await openOn(modelId);
    const r = await (await as(t.url, NSA)).post(`/api/v1/models/${modelId}/consultations`, { question: 'can I?' });
    expect(r.status).toBe(403);
    const unseen = await makeModel();
    for (const who of [NSA, VENDOR, OPERATOR]) expect((await (await as(t.url, who)).post(`/api/v1/models/${unseen}/consultations`, { question: 'can I?' })).status, who).toBe(404);
    expect((await (await otherDeveloper()).post(`/api/v1/models/${unseen}/consultations`, { question: 'can I?' })).status).toBe(404);
    expect((await (await as(t.url, DEV)).post(`/api/v1/models/${crypto.randomUUID()}/consultations`, { question: 'ok' })).status).toBe(404);
    expect(await count('select 1 from consultations where model_id = $1', [unseen])).toBe(0);
  });
});

describe('who sees a consultation', () => {
  it('another developer organisation, vendors, operators and unassigned agencies get 404 everywhere', async () => {
    const c = await openOn(await makeModel());
    const other = await otherDeveloper();
    for (const u of [other, await as(t.url, VENDOR), await as(t.url, OPERATOR), await as(t.url, NIST), await as(t.url, TREASURY)]) {
      for (const p of ['', '/messages']) expect((await u.get(`/api/v1/consultations/${c.id}${p}`)).status, `${u.email} ${p}`).toBe(404);
      expect((await u.post(`/api/v1/consultations/${c.id}/messages`, { body: 'hello' })).status, u.email).toBe(404);
      expect((await u.post(`/api/v1/consultations/${c.id}/withdraw`)).status, u.email).toBe(404);
      expect((await u.post(`/api/v1/consultations/${c.id}/take`)).status, u.email).toBe(404);
    }
    expect((await other.get('/api/v1/consultations')).body.items).toEqual([]);
    expect((await (await as(t.url, NIST)).get('/api/v1/consultations')).body.items.some((x: any) => x.id === c.id)).toBe(false);
    expect((await (await as(t.url, VENDOR)).get('/api/v1/consultations')).status).toBe(403);
    for (const who of [NSA, CISA, ONCD, DEV]) expect((await (await as(t.url, who)).get(`/api/v1/consultations/${c.id}`)).status, who).toBe(200);
    // The developer does not learn which analyst is named.
    expect((await (await as(t.url, DEV)).get(`/api/v1/consultations/${c.id}`)).body.assignments.every((a: any) => a.assigneeUserId === null)).toBe(true);
    expect((await auditRows(t, 'consultation.read')).some((e) => e.record_id === c.id)).toBe(true);
  });
});

describe('state machine through the API', () => {
  it('take → answer (NSA only) → close; illegal transitions are 409 and change nothing', async () => {
    const modelId = await makeModel();
    const c = await openOn(modelId);
    const nsa = await as(t.url, NSA);
    const cisa = await as(t.url, CISA);
    const dev = await as(t.url, DEV);
    const [release] = await t.rows<any>('select planned_release_at from models where id = $1', [modelId]);

    for (const [who, path] of [
      [nsa, 'answer'],
      [nsa, 'close'],
      [dev, 'close'],
    ] as const) {
      const r = await who.post(`/api/v1/consultations/${c.id}/${path}`, path === 'answer' ? { recommendation: 'not_needed', message: 'no' } : {});
      expect(r.status, path).toBe(409);
      expect(r.body.type).toMatch(INVALID);
    }
    expect((await dev.post(`/api/v1/consultations/${c.id}/take`)).status).toBe(403);

    // Actions need no body at all (a browser button sends none).
    const taken = await (await as(t.url, ONCD)).request('POST', `/api/v1/consultations/${c.id}/take`);
    expect(taken.status).toBe(200);
    expect(taken.body.status).toBe('in_review');
    const [oncdAssignment] = await t.rows<any>("select a.assignee_user_id from consultation_assignments a join organisations o on o.id = a.agency_org_id where a.consultation_id = $1 and o.agency_code = 'ONCD'", [c.id]);
    expect(oncdAssignment.assignee_user_id).toBe(await userIdOf(t, ONCD));
    expect((await nsa.post(`/api/v1/consultations/${c.id}/take`)).body.type).toMatch(INVALID);

    const answer = { recommendation: 'would_benefit', message: 'It would benefit from a review window.' };
    expect((await cisa.post(`/api/v1/consultations/${c.id}/answer`, answer)).status).toBe(403);
    expect((await dev.post(`/api/v1/consultations/${c.id}/answer`, answer)).status).toBe(403);
    expect((await nsa.post(`/api/v1/consultations/${c.id}/answer`, { recommendation: 'maybe', message: 'x' })).status).toBe(400);
    expect((await nsa.post(`/api/v1/consultations/${c.id}/answer`, { recommendation: 'would_benefit' })).status).toBe(400);
    expect((await t.rows<any>('select status, recommendation from consultations where id = $1', [c.id]))[0]).toEqual({ status: 'in_review', recommendation: null });

    const answered = await nsa.post(`/api/v1/consultations/${c.id}/answer`, answer);
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', recommendation: 'would_benefit' });
    expect((await t.rows<any>('select recommendation from consultations where id = $1', [c.id]))[0].recommendation).toBe('would_benefit');
    const thread = await dev.get(`/api/v1/consultations/${c.id}/messages`);
    expect(thread.body.items.map((m: any) => [m.side, m.body, m.marking.classification])).toEqual([['agency', answer.message, 'UNCLASSIFIED']]);
    expect(thread.body.items[0].authorName).toBeNull();
    expect((await nsa.post(`/api/v1/consultations/${c.id}/answer`, answer)).body.type).toMatch(INVALID);

    expect((await cisa.post(`/api/v1/consultations/${c.id}/close`)).status).toBe(403);
    const closed = await nsa.post(`/api/v1/consultations/${c.id}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    for (const path of ['withdraw', 'take', 'close']) expect((await (path === 'withdraw' ? dev : nsa).post(`/api/v1/consultations/${c.id}/${path}`)).body.type, path).toMatch(INVALID);
    expect((await dev.post(`/api/v1/consultations/${c.id}/messages`, { body: 'late' })).status).toBe(409);

    for (const action of ['consultation.open', 'consultation.take', 'consultation.answer', 'consultation.close']) {
      expect((await auditRows(t, action)).some((e) => e.record_id === c.id), action).toBe(true);
    }
    // Nothing in a consultation touches the release.
    expect((await t.rows<any>('select planned_release_at from models where id = $1', [modelId]))[0]).toEqual(release);
    // The developer was told of each change, never with the answer's words.
    const devNotes = await t.rows<any>("select n.body from notifications n join users u on u.id = n.user_id where u.email = $1 and n.link = $2", [DEV, `/models/${modelId}/consultations`]);
    expect(devNotes.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(devNotes)).not.toContain('review window');
  });

  it('the developer withdraws from every non-terminal state; agencies cannot; model grants are revoked', async () => {
    const modelId = await makeModel();
    const dev = await as(t.url, DEV);
    const nsa = await as(t.url, NSA);
    for (const path of [[], ['take'], ['take', 'answer']]) {
      const c = await openOn(modelId);
      for (const step of path) expect((await nsa.post(`/api/v1/consultations/${c.id}/${step}`, step === 'answer' ? { recommendation: 'not_needed', message: 'Not needed.' } : {})).status).toBe(200);
      expect((await nsa.post(`/api/v1/consultations/${c.id}/withdraw`)).status).toBe(403);
      const r = await dev.post(`/api/v1/consultations/${c.id}/withdraw`);
      expect(r.status, path.join('/')).toBe(200);
      expect(r.body.status).toBe('withdrawn');
      expect(await count("select 1 from access_grants where source_type = 'consultation' and source_id = $1 and revoked_at is null", [c.id])).toBe(0);
      expect((await auditRows(t, 'consultation.withdraw')).some((e) => e.record_id === c.id)).toBe(true);
      expect((await dev.post(`/api/v1/consultations/${c.id}/withdraw`)).body.type).toMatch(INVALID);
      // The developer's question and thread are the developer's: the agencies no longer read them.
      expect((await nsa.get(`/api/v1/consultations/${c.id}`)).status).toBe(404);
    }
  });
});

describe('the thread', () => {
  let id: string;
  let secretNote: string;
  let confNote: string;
  beforeAll(async () => {
    id = (await openOn(await makeModel())).id;
  });

  it('each side writes; bad markings are 400 and write nothing', async () => {
    const dev = await as(t.url, DEV);
    const nsa = await as(t.url, NSA);
    const oncd = await as(t.url, ONCD);
    const before = await count('select 1 from consultation_messages where consultation_id = $1', [id]);
    const bad: [Client, object][] = [
      [dev, { body: 'x', internal: true }],
      [dev, { body: 'x', classification: 'SECRET' }],
      [nsa, { body: 'x', classification: 'SECRET' }],
      [nsa, { body: 'x', compartments: ['BENCH'] }],
      [oncd, { body: 'x', internal: true, classification: 'SECRET' }],
      [nsa, { body: 'x', internal: true, compartments: ['ALPHA'] }],
      [nsa, { body: '' }],
      [nsa, { body: 'x', internal: 'yes' }],
      [nsa, { body: 'x'.repeat(20_001) }],
      [nsa, { body: 'x', classification: 'SECRETISH' }],
    ];
    for (const [who, body] of bad) expect((await who.post(`/api/v1/consultations/${id}/messages`, body)).status, `${who.email} ${JSON.stringify(body)}`).toBe(400);
    expect(await count('select 1 from consultation_messages where consultation_id = $1', [id])).toBe(before);

    const devMsg = await dev.post(`/api/v1/consultations/${id}/messages`, { body: 'Our model scores highly on cyber tasks.' });
    expect(devMsg.status).toBe(201);
    expect(devMsg.body).toMatchObject({ side: 'developer', internal: false, marking: { classification: 'CUI' } });
    const shared = await nsa.post(`/api/v1/consultations/${id}/messages`, { body: 'Please share the eval results.' });
    expect(shared.status).toBe(201);
    const s = await nsa.post(`/api/v1/consultations/${id}/messages`, { body: 'SECRET-analysis-words', internal: true, classification: 'SECRET' });
    expect(s.status).toBe(201);
    secretNote = s.body.id;
    const devNoticesBefore = await count("select 1 from notifications n join users u on u.id = n.user_id join organisations o on o.id = u.org_id where o.name = 'Meridian AI'");
    const cf = await (await as(t.url, CISA)).post(`/api/v1/consultations/${id}/messages`, { body: 'CONF-note-words', internal: true, classification: 'CONFIDENTIAL' });
    expect(cf.status).toBe(201);
    confNote = cf.body.id;
    expect(await count("select 1 from notifications n join users u on u.id = n.user_id join organisations o on o.id = u.org_id where o.name = 'Meridian AI'")).toBe(devNoticesBefore);

    const [row] = await t.rows<any>('select * from consultation_messages where id = $1', [secretNote]);
    expect(row).toMatchObject({ internal: true, classification: 3, owner_org_id: await orgIdOf(t, 'National Security Agency') });
    expect(row.body_enc).not.toContain('SECRET-analysis-words');
    const [devRow] = await t.rows<any>('select * from consultation_messages where id = $1', [devMsg.body.id]);
    expect(devRow).toMatchObject({ owner_org_id: await orgIdOf(t, 'Meridian AI'), classification: 1 });
    expect(await count("select 1 from access_grants where record_type = 'consultation_message' and record_id = $1", [secretNote])).toBe(2);
    const posts = await auditRows(t, 'consultation.message.post');
    expect(posts.filter((e) => e.detail.consultationId === id).length).toBe(4);
    expect(posts.find((e) => e.record_id === secretNote)!.classification).toBe(3);
    expect(JSON.stringify(posts)).not.toContain('SECRET-analysis-words');
    const mails = await t.rows<any>('select body_text, subject from mail_outbox');
    expect(JSON.stringify(mails)).not.toContain('SECRET-analysis-words');
    expect(JSON.stringify(mails)).not.toContain('CONF-note-words');
  });

  it('the developer never sees internal notes: not in the list, not in the count, not by id', async () => {
    const dev = await as(t.url, DEV);
    const r = await dev.get(`/api/v1/consultations/${id}/messages`);
    expect(r.status).toBe(200);
    expect(r.body.count).toBe(2);
    expect(r.body.items.every((m: any) => !m.internal)).toBe(true);
    expect(JSON.stringify(r.body)).not.toMatch(/SECRET-analysis-words|CONF-note-words/);
    for (const m of [secretNote, confNote]) expect((await dev.get(`/api/v1/consultations/${id}/messages/${m}`)).status).toBe(404);
    expect((await dev.get(`/api/v1/consultations/${id}/messages/${r.body.items[0].id}`)).status).toBe(200);
    expect((await auditRows(t, 'consultation_message.read')).some((e) => e.record_id === id && e.actor_email === DEV)).toBe(true);
  });

  it('each agency reads at its own clearance: ONCD (CONFIDENTIAL) does not see the SECRET note', async () => {
    const oncd = await as(t.url, ONCD);
    const r = await oncd.get(`/api/v1/consultations/${id}/messages`);
    expect(r.body.count).toBe(3);
    expect(r.body.items.map((m: any) => m.id)).toContain(confNote);
    expect(r.body.items.map((m: any) => m.id)).not.toContain(secretNote);
    expect((await oncd.get(`/api/v1/consultations/${id}/messages/${secretNote}`)).status).toBe(404);
    expect((await oncd.get(`/api/v1/consultations/${id}/messages/${confNote}`)).status).toBe(200);
    const cisa = await (await as(t.url, CISA)).get(`/api/v1/consultations/${id}/messages`);
    expect(cisa.body.count).toBe(4);
    expect(cisa.body.items.find((m: any) => m.id === secretNote).body).toBe('SECRET-analysis-words');
    const read = (await auditRows(t, 'consultation_message.read')).filter((e) => e.record_id === id && e.actor_email === CISA);
    expect(read.at(-1)!.classification).toBe(3);
    const direct = await (await as(t.url, CISA)).get(`/api/v1/consultations/${id}/messages/${secretNote}`);
    expect(direct.status).toBe(200);
    expect((await auditRows(t, 'consultation_message.read')).some((e) => e.record_id === secretNote && e.classification === 3)).toBe(true);
  });

  it('NSA adds NIST (not CISA); NIST gets the case, the model and the notes at its clearance', async () => {
    const before = await count('select 1 from consultation_assignments where consultation_id = $1', [id]);
    expect((await (await as(t.url, CISA)).post(`/api/v1/consultations/${id}/assignments`, { agencyCode: 'NIST' })).status).toBe(403);
    expect((await (await as(t.url, DEV)).post(`/api/v1/consultations/${id}/assignments`, { agencyCode: 'NIST' })).status).toBe(403);
    const nsa = await as(t.url, NSA);
    expect((await nsa.post(`/api/v1/consultations/${id}/assignments`, { agencyCode: 'DoD' })).status).toBe(400);
    expect(await count('select 1 from consultation_assignments where consultation_id = $1', [id])).toBe(before);
    const r = await nsa.post(`/api/v1/consultations/${id}/assignments`, { agencyCode: 'NIST' });
    expect(r.status).toBe(201);
    expect(r.body.assignments.find((a: any) => a.agencyCode === 'NIST').role).toBe('may_consult');
    expect((await nsa.post(`/api/v1/consultations/${id}/assignments`, { agencyCode: 'NIST' })).status).toBe(409);
    const nist = await as(t.url, NIST);
    const thread = await nist.get(`/api/v1/consultations/${id}/messages`);
    expect(thread.status).toBe(200);
    expect(thread.body.items.map((m: any) => m.id)).toContain(confNote);
    expect(thread.body.items.map((m: any) => m.id)).not.toContain(secretNote);
    expect((await nist.get('/api/v1/consultations')).body.items.some((x: any) => x.id === id)).toBe(true);
    expect((await auditRows(t, 'consultation.assignment.add')).some((e) => e.record_id === id)).toBe(true);
  });

  it('list, count and direct reads agree for every user and every message', async () => {
    const all = (await t.rows<{ id: string }>('select id from consultation_messages where consultation_id = $1', [id])).map((r) => r.id);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const who of [DEV, NSA, CISA, ONCD, NIST, TREASURY, VENDOR, OPERATOR]) {
      const u = await as(t.url, who);
      const list = await u.get(`/api/v1/consultations/${id}/messages`);
      const listed = new Set<string>(list.status === 200 ? list.body.items.map((m: any) => m.id) : []);
      if (list.status === 200) expect(list.body.count, who).toBe(listed.size);
      for (const m of all) expect((await u.get(`/api/v1/consultations/${id}/messages/${m}`)).status, `${who} ${m}`).toBe(listed.has(m) ? 200 : 404);
    }
  });

  it('an agency names its analyst and due date; only for its own assignment', async () => {
    const cisa = await as(t.url, CISA);
    const view = (await cisa.get(`/api/v1/consultations/${id}`)).body;
    const mine = view.assignments.find((a: any) => a.agencyCode === 'CISA');
    const nsaA = view.assignments.find((a: any) => a.agencyCode === 'NSA');
    const due = new Date(Date.now() + 5 * 86_400_000).toISOString();
    expect((await cisa.patch(`/api/v1/consultations/${id}/assignments/${nsaA.id}`, { dueAt: due })).status).toBe(403);
    expect((await (await as(t.url, DEV)).patch(`/api/v1/consultations/${id}/assignments/${mine.id}`, { dueAt: due })).status).toBe(403);
    expect((await (await as(t.url, VENDOR)).patch(`/api/v1/consultations/${id}/assignments/${mine.id}`, { dueAt: due })).status).toBe(404);
    expect((await cisa.patch(`/api/v1/consultations/${id}/assignments/${mine.id}`, { assigneeUserId: await userIdOf(t, NSA) })).status).toBe(400);
    expect((await cisa.patch(`/api/v1/consultations/${id}/assignments/${mine.id}`, { dueAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
    expect((await cisa.patch(`/api/v1/consultations/${id}/assignments/${mine.id}`, {})).status).toBe(400);
    expect((await cisa.patch(`/api/v1/consultations/${id}/assignments/${crypto.randomUUID()}`, { dueAt: due })).status).toBe(404);
    expect((await t.rows<any>('select assignee_user_id, due_at from consultation_assignments where id = $1', [mine.id]))[0]).toEqual({ assignee_user_id: null, due_at: null });
    const r = await cisa.patch(`/api/v1/consultations/${id}/assignments/${mine.id}`, { assigneeUserId: await userIdOf(t, CISA), dueAt: due });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ agencyCode: 'CISA', assigneeUserId: await userIdOf(t, CISA), dueAt: due });
    expect((await auditRows(t, 'consultation.assignment.update')).some((e) => e.record_id === id)).toBe(true);
    const queue = await cisa.get('/api/v1/consultations?mine=true');
    expect(queue.body.items.map((x: any) => x.id)).toEqual([id]);
    expect(queue.body.items[0]).toMatchObject({ assignedToMe: true, myRole: 'consulted', dueAt: due });
  });
});

describe('withdrawal of the model from the framework (hook for the reviews module)', () => {
  it('withdraws every consultation under way, revokes its model grants and records it', async () => {
    const modelId = await makeModel();
    const c = await openOn(modelId);
    await (await as(t.url, NSA)).post(`/api/v1/consultations/${c.id}/take`);
    const { services, database } = t.fw;
    const actor = { subject: null, email: DEV, orgName: 'Meridian AI', ip: null, via: 'session' as const };
    const ids = await database.db.transaction((tx) => services.consultations.withdrawAllForModel(tx, actor, modelId));
    expect(ids).toEqual([c.id]);
    expect((await t.rows<any>('select status from consultations where id = $1', [c.id]))[0].status).toBe('withdrawn');
    expect(await count("select 1 from access_grants where source_type = 'consultation' and source_id = $1 and revoked_at is null", [c.id])).toBe(0);
    expect((await auditRows(t, 'consultation.withdraw')).some((e) => e.record_id === c.id && e.detail.cause === 'model.withdraw')).toBe(true);
    expect(await database.db.transaction((tx) => services.consultations.withdrawAllForModel(tx, actor, modelId))).toEqual([]);
  });
});

describe('lists', () => {
  it('the developer sees its consultations; the agency queue is sorted by days to release and filters by status', async () => {
    const late = await makeModel('Meridian AI', 90);
    const soon = await makeModel('Meridian AI', 3);
    const a = await openOn(late);
    const b = await openOn(soon);
    const nsa = await as(t.url, NSA);
    const q = await nsa.get('/api/v1/consultations?status=open');
    expect(q.status).toBe(200);
    const ids = q.body.items.map((x: any) => x.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(q.body.items.every((x: any) => x.status === 'open')).toBe(true);
    const item = q.body.items.find((x: any) => x.id === b.id);
    expect(item).toMatchObject({ modelId: soon, myRole: 'decides', daysToRelease: 3 });
    expect(item.modelName).toMatch(/^Model /);
    const days = q.body.items.map((x: any) => x.daysToRelease);
    expect([...days].sort((x, y) => x - y)).toEqual(days);
    expect((await nsa.get('/api/v1/consultations?status=bogus')).status).toBe(400);
    const dev = await as(t.url, DEV);
    const mine = await dev.get('/api/v1/consultations');
    expect(mine.body.items.map((x: any) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const forModel = await dev.get(`/api/v1/models/${soon}/consultations`);
    expect(forModel.body.items.map((x: any) => x.id)).toEqual([b.id]);
    expect((await (await otherDeveloper()).get(`/api/v1/models/${soon}/consultations`)).status).toBe(404);
    expect((await auditRows(t, 'consultation.list')).length).toBeGreaterThan(0);
  });
});
