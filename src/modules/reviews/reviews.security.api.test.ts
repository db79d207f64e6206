import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signIn, startTestInstance, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays } from './reviews.fixtures.ts';

// Findings of the security review: what an agency learns from a model's timeline and from the list
// of review windows.
const DEV = 'lab.engineer@meridian.demo';
const NSA = 'nsa.analyst@nsa.demo';
const TREASURY = 'treasury.analyst@treasury.demo';
const DOD = 'dod.analyst@dod.demo';

let t: TestInstance;
let byCode: (code: string) => string;
let nameOf: (code: string) => string;
let modelId: string;
let consultationId: string;
let windowId: string;

beforeAll(async () => {
  t = await startTestInstance();
  const orgs = await t.rows<{ id: string; name: string; agency_code: string }>(`select id, name, agency_code from organisations where kind = 'agency'`);
  byCode = (c) => orgs.find((o) => o.agency_code === c)!.id;
  nameOf = (c) => orgs.find((o) => o.agency_code === c)!.name;
  const dev = await as(t.url, DEV);
  const nsa = await as(t.url, NSA);
  const m = await dev.post('/api/v1/models', {
    name: 'Borealis-CUI',
    version: '1.0',
    modality: 'text',
    plannedReleaseAt: inDays(60).toISOString(),
    trainingComputeFlop: 3e26,
    computeEstimationMethod: 'hardware hours',
    intendedDeployment: 'deployment',
    capabilitySummary: 'capabilities',
  });
  expect(m.status, JSON.stringify(m.body)).toBe(201);
  modelId = m.body.id;
  const o = await dev.post(`/api/v1/models/${modelId}/consultations`, { question: 'PROPRIETARY-QUESTION' });
  expect(o.status).toBe(201);
  consultationId = o.body.id;
  expect((await nsa.post(`/api/v1/consultations/${consultationId}/take`, {})).status).toBe(200);
  expect((await nsa.post(`/api/v1/consultations/${consultationId}/answer`, { recommendation: 'would_benefit', message: 'yes' })).status).toBe(200);
  const w = await dev.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: [byCode('TREASURY'), byCode('DoD'), byCode('NIST')], closesAt: inDays(20).toISOString() });
  expect(w.status, JSON.stringify(w.body)).toBe(201);
  windowId = w.body.id;
  const nist = w.body.grants.find((g: { granteeOrgId: string }) => g.granteeOrgId === byCode('NIST'));
  expect((await dev.del(`/api/v1/windows/${windowId}/grants/${nist.id}`)).status).toBe(200);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('the timeline shows each reader only what it may read (finding 2)', () => {
  it('a window grantee that is not assigned to the consultation sees no consultation event and no other agency', async () => {
    const tr = await as(t.url, TREASURY);
    expect((await tr.get(`/api/v1/consultations/${consultationId}`)).status).toBe(404);
    const tl = await tr.get(`/api/v1/models/${modelId}/timeline`);
    expect(tl.status).toBe(200);
    const actions = tl.body.items.map((i: { action: string }) => i.action);
    expect(actions).toContain('review_window.open');
    expect(actions.filter((a: string) => a.startsWith('consultation'))).toEqual([]);
    expect(tl.body.items.some((i: { recordId: string }) => i.recordId === consultationId)).toBe(false);
    const text = JSON.stringify(tl.body);
    expect(text).not.toContain('would_benefit');
    for (const other of [nameOf('NIST'), nameOf('DoD')]) expect(text).not.toContain(other);
    for (const i of tl.body.items.filter((x: { recordId: string }) => x.recordId === windowId)) {
      expect(i.detail.agencies).toBeUndefined();
      expect(i.detail.grantee).toBeUndefined();
    }
  });

  it('an assigned agency (NSA) sees the consultation events; the developer sees everything, with the agencies named', async () => {
    const nsaTl = await (await as(t.url, NSA)).get(`/api/v1/models/${modelId}/timeline`);
    expect(nsaTl.status).toBe(200);
    expect(nsaTl.body.items.map((i: { action: string }) => i.action)).toEqual(expect.arrayContaining(['consultation.open', 'consultation.answer']));
    // NSA took no part in the window: none of its events.
    expect(nsaTl.body.items.some((i: { recordId: string }) => i.recordId === windowId)).toBe(false);
    const devTl = await (await as(t.url, DEV)).get(`/api/v1/models/${modelId}/timeline`);
    const open = devTl.body.items.find((i: { action: string }) => i.action === 'review_window.open');
    expect(open.detail.agencies).toEqual(expect.arrayContaining([nameOf('TREASURY'), nameOf('DoD'), nameOf('NIST')]));
    expect(devTl.body.items.find((i: { action: string }) => i.action === 'review_window.revoke_grant').detail.grantee).toBe(nameOf('NIST'));
  });
});

describe('the list of windows applies the model read rule (finding 3)', () => {
  it('a grantee analyst below the model’s marking lists no window (and cannot read the model or the window)', async () => {
    const before = await (await as(t.url, DOD)).get('/api/v1/windows');
    expect(before.body.items.map((x: { id: string }) => x.id)).toContain(windowId);
    await t.rows(`update users set clearance = 0 where email = $1`, [DOD]);
    const dod = await signIn(t.url, DOD);
    expect((await dod.get(`/api/v1/models/${modelId}`)).status).toBe(404);
    const l = await dod.get('/api/v1/windows');
    expect(l.status).toBe(200);
    expect(l.body.items).toEqual([]);
    expect(JSON.stringify(l.body)).not.toContain('Borealis');
    expect((await dod.get(`/api/v1/windows/${windowId}`)).status).toBe(404);
  });

  it('a revoked grantee lists no window either', async () => {
    const nist = await as(t.url, 'nist.analyst@nist.demo');
    expect((await nist.get('/api/v1/windows')).body.items.map((x: { id: string }) => x.id)).not.toContain(windowId);
  });
});
