import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, startTestInstance, type TestInstance } from '../../../tests/support/harness.ts';

// Findings of the security review: withdrawal must end the agencies' reads of the developer's
// question and thread, one active consultation per model, due-date bounds, owner of read events.
let t: TestInstance;
beforeAll(async () => {
  t = await startTestInstance();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const DEV = 'lab.engineer@meridian.demo';
const NSA = 'nsa.analyst@nsa.demo';
const CISA = 'cisa.analyst@cisa.demo';
const DAY = 86_400_000;
const onPostgres = !!process.env.DATABASE_URL;

async function makeModel(): Promise<string> {
  const orgId = await orgIdOf(t, 'Meridian AI');
  const [u] = await t.rows<{ id: string }>('select id from users where org_id = $1 limit 1', [orgId]);
  const id = crypto.randomUUID();
  await t.rows(
    `insert into models (id, owner_org_id, classification, family_id, name, version, modality, planned_release_at, training_compute_flop, compute_estimation_method, intended_deployment_enc, capability_summary_enc, created_by)
     values ($1, $2, 1, $1, $3, '1.0', 'text', now() + interval '60 days', 1e25, 'reported', 'x', 'x', $4)`,
    [id, orgId, `Sec Model ${id.slice(0, 6)}`, u.id],
  );
  return id;
}

/** A consultation with a developer message, an NSA shared reply and an NSA internal note. */
async function withThread(modelId: string) {
  const dev = await as(t.url, DEV);
  const nsa = await as(t.url, NSA);
  const o = await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'PROPRIETARY-QUESTION' });
  expect(o.status).toBe(201);
  const id = o.body.id as string;
  expect((await dev.post(`/api/v1/consultations/${id}/messages`, { body: 'DEV-MESSAGE', internal: false })).status).toBe(201);
  expect((await nsa.post(`/api/v1/consultations/${id}/messages`, { body: 'NSA-SHARED', internal: false })).status).toBe(201);
  const note = await nsa.post(`/api/v1/consultations/${id}/messages`, { body: 'NSA-INTERNAL-NOTE', internal: true });
  expect(note.status).toBe(201);
  return { id, noteId: note.body.id as string };
}

async function assertAgenciesLostDeveloperContent(id: string, noteId: string) {
  const nsa = await as(t.url, NSA);
  const cisa = await as(t.url, CISA);
  for (const c of [nsa, cisa]) {
    const one = await c.get(`/api/v1/consultations/${id}`);
    expect(one.status).toBe(404);
    expect(JSON.stringify(one.body)).not.toContain('PROPRIETARY-QUESTION');
    const list = await c.get('/api/v1/consultations');
    expect(list.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
  }
  // The agencies keep their own internal notes, and nothing of the developer's.
  const th = await nsa.get(`/api/v1/consultations/${id}/messages`);
  expect(th.status).toBe(200);
  const bodies = th.body.items.map((m: { body: string }) => m.body);
  expect(bodies).toEqual(['NSA-INTERNAL-NOTE']);
  expect((await nsa.get(`/api/v1/consultations/${id}/messages/${noteId}`)).status).toBe(200);
  const cisaThread = await cisa.get(`/api/v1/consultations/${id}/messages`);
  expect(cisaThread.status).toBe(200);
  expect(JSON.stringify(cisaThread.body)).not.toContain('DEV-MESSAGE');
  expect(JSON.stringify(cisaThread.body)).not.toContain('NSA-SHARED');
  // No live grant on the consultation record is left to any agency.
  const live = await t.rows(`select 1 from access_grants where record_type = 'consultation' and record_id = $1 and revoked_at is null`, [id]);
  expect(live).toEqual([]);
  // The developer still reads everything of its own.
  const devThread = await (await as(t.url, DEV)).get(`/api/v1/consultations/${id}/messages`);
  expect(devThread.body.items.map((m: { body: string }) => m.body)).toEqual(['DEV-MESSAGE', 'NSA-SHARED']);
}

describe('withdrawal ends the agencies’ reads of the developer’s content (finding 5)', () => {
  it('the developer withdraws the consultation: the agencies get 404 on the question and thread, and keep their internal notes', async () => {
    const { id, noteId } = await withThread(await makeModel());
    const r = await (await as(t.url, DEV)).post(`/api/v1/consultations/${id}/withdraw`);
    expect(r.status).toBe(200);
    await assertAgenciesLostDeveloperContent(id, noteId);
  });

  it('the developer withdraws the model from the framework: the same for every consultation under way', async () => {
    const modelId = await makeModel();
    const { id, noteId } = await withThread(modelId);
    const r = await (await as(t.url, DEV)).post(`/api/v1/models/${modelId}/withdraw`, { reason: 'done' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    await assertAgenciesLostDeveloperContent(id, noteId);
  });

  it('an agency that was never assigned still gets 404 on the thread of a withdrawn consultation', async () => {
    const { id } = await withThread(await makeModel());
    expect((await (await as(t.url, DEV)).post(`/api/v1/consultations/${id}/withdraw`)).status).toBe(200);
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    expect((await treasury.get(`/api/v1/consultations/${id}/messages`)).status).toBe(404);
  });
});

describe('read events name the developer as owner (finding 9)', () => {
  it('an agency reading the consultation and a developer message leaves read events owned by the developer org', async () => {
    const lab = await orgIdOf(t, 'Meridian AI');
    const { id, noteId } = await withThread(await makeModel());
    const nsa = await as(t.url, NSA);
    expect((await nsa.get(`/api/v1/consultations/${id}`)).status).toBe(200);
    const th = await nsa.get(`/api/v1/consultations/${id}/messages`);
    const devMsg = th.body.items.find((m: { body: string }) => m.body === 'DEV-MESSAGE');
    expect((await nsa.get(`/api/v1/consultations/${id}/messages/${devMsg.id}`)).status).toBe(200);
    const nsaOrg = await orgIdOf(t, 'National Security Agency');
    const reads = await t.rows<any>(`select action, owner_org_id, detail from audit_events where actor_org_id = $1 and (record_id = $2 or record_id = $3) and action like '%.read' order by seq`, [nsaOrg, id, devMsg.id]);
    const ownedByLab = (action: string) => reads.filter((r) => r.action === action && r.owner_org_id === lab);
    expect(ownedByLab('consultation.read').length).toBeGreaterThan(0);
    expect(ownedByLab('consultation_message.read').length).toBeGreaterThanOrEqual(2); // the thread, and the one message
    // The read of NSA's internal note is NSA's own event, never the developer's.
    for (const r of ownedByLab('consultation_message.read')) expect(JSON.stringify(r.detail)).not.toContain(noteId);
    expect(reads.some((r) => r.action === 'consultation_message.read' && r.owner_org_id === nsaOrg && JSON.stringify(r.detail).includes(noteId))).toBe(true);
  });
});

describe('due dates are bounded (finding 10)', () => {
  it('a due date more than five years ahead is refused with 400 and opens nothing', async () => {
    const modelId = await makeModel();
    const dev = await as(t.url, DEV);
    const r = await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'q', dueAt: new Date(Date.now() + 6 * 366 * DAY).toISOString() });
    expect(r.status).toBe(400);
    expect(await t.rows('select 1 from consultations where model_id = $1', [modelId])).toEqual([]);
    const past = await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'q', dueAt: new Date(Date.now() - DAY).toISOString() });
    expect(past.status).toBe(400);
  });

  it('an assignment due date more than five years ahead is refused with 400', async () => {
    const modelId = await makeModel();
    const dev = await as(t.url, DEV);
    const o = await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'q' });
    const nsa = await as(t.url, NSA);
    const c = await nsa.get(`/api/v1/consultations/${o.body.id}`);
    const mine = c.body.assignments.find((a: { agencyCode: string }) => a.agencyCode === 'NSA');
    const r = await nsa.patch(`/api/v1/consultations/${o.body.id}/assignments/${mine.id}`, { dueAt: new Date(Date.now() + 6 * 366 * DAY).toISOString() });
    expect(r.status).toBe(400);
    const [a] = await t.rows<any>('select due_at from consultation_assignments where id = $1', [mine.id]);
    expect(a.due_at).toBeNull();
  });
});

describe('one active consultation per model (finding 6)', () => {
  it('the database refuses a second active consultation on a model (partial unique index)', async () => {
    const modelId = await makeModel();
    const o = await (await as(t.url, DEV)).post(`/api/v1/models/${modelId}/consultations`, { question: 'q' });
    expect(o.status).toBe(201);
    const [c] = await t.rows<any>('select owner_org_id, created_by from consultations where id = $1', [o.body.id]);
    await expect(
      t.rows(`insert into consultations (owner_org_id, classification, model_id, question_enc, status, created_by) values ($1, 1, $2, 'x', 'in_review', $3)`, [c.owner_org_id, modelId, c.created_by]),
    ).rejects.toThrow();
    // A closed or withdrawn one does not count.
    await t.rows(`insert into consultations (owner_org_id, classification, model_id, question_enc, status, created_by) values ($1, 1, $2, 'x', 'withdrawn', $3)`, [c.owner_org_id, modelId, c.created_by]);
  });

  it.runIf(onPostgres)('two opens at once on PostgreSQL: one 201, one 409, one row', async () => {
    const modelId = await makeModel();
    const dev = await as(t.url, DEV);
    const rs = await Promise.all([1, 2].map(() => dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'q' })));
    expect(rs.map((r) => r.status).sort()).toEqual([201, 409]);
    expect((await t.rows('select 1 from consultations where model_id = $1', [modelId])).length).toBe(1);
  });
});
