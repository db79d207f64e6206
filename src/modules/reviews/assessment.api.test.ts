import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { DAY, inDays, insertModel, modelSnapshot } from './reviews.fixtures.ts';

let t: TestInstance;
let dev: Client;
let nsa: Client;
let cisa: Client;
let treasury: Client;
let partner: Client;
let nist: Client;
const org: Record<string, string> = {};

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
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  cisa = await as(t.url, 'cisa.analyst@cisa.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
  partner = await as(t.url, 'partner@sentinel.demo');
  nist = await as(t.url, 'nist.analyst@nist.demo');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const count = async (table: string, where = 'true', values: unknown[] = []) => Number((await t.rows<{ n: string }>(`select count(*)::int as n from ${table} where ${where}`, values))[0].n);

async function setup() {
  const m = await insertModel(t);
  const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa, org.treasury], closesAt: inDays(20).toISOString() });
  expect(w.status).toBe(201);
  await t.rows(
    `insert into access_grants (record_type, record_id, grantee_org_id, reason, source_type, source_id, expires_at) values ('model', $1, $2, 'partner selection', 'review_window', $3, $4)`,
    [m.id, org.partner, w.body.id, inDays(20).toISOString()],
  );
  return { modelId: m.id, windowId: w.body.id as string, opensAt: new Date(w.body.opensAt), closesAt: new Date(w.body.closesAt) };
}

const ws = (extra: Record<string, unknown> = {}) => ({ kind: 'safeguard_red_teaming', title: 'Jailbreak red-team', dueAt: inDays(10).toISOString(), assigneeOrgIds: [org.partner], ...extra });

describe('assessment plan', () => {
  it('an agency analyst plans workstreams; the classified benchmark is SECRET//BENCH; rows, assignees and audit are written', async () => {
    const s = await setup();
    const a = await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws({ description: 'Try the known bypass families.' }));
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ status: 'planned', kind: 'safeguard_red_teaming', markingText: 'CUI', assignees: [{ orgId: org.partner, orgName: 'Sentinel Security Partners' }] });
    const b = await nsa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws({ kind: 'classified_benchmark', title: 'Benchmark run', assigneeOrgIds: [org.nsa], marking: 'CUI' }));
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect(b.body.markingText).toBe('SECRET//BENCH');
    const rows = await t.rows<{ classification: number; compartments: string[]; description_enc: string | null; owner_org_id: string }>('select classification, compartments, description_enc, owner_org_id from assessment_workstreams where window_id = $1 order by created_at', [s.windowId]);
    expect(rows.map((r) => [r.classification, r.compartments])).toEqual([
      [1, []],
      [3, ['BENCH']],
    ]);
    expect(rows[0].owner_org_id).toBe(org.cisa);
    expect(rows[0].description_enc).not.toContain('bypass');
    expect(await count('assessment_assignees', 'workstream_id = $1', [a.body.id])).toBe(1);
    const ev = (await auditRows(t, 'assessment.workstream.create')).find((e) => e.record_id === b.body.id)!;
    expect(ev.classification).toBe(3);
  });

  it('refuses a due date outside the window (400 naming dueAt) and assignees not on the window, writing nothing', async () => {
    const s = await setup();
    for (const dueAt of [new Date(s.closesAt.getTime() + DAY).toISOString(), new Date(s.opensAt.getTime() - DAY).toISOString()]) {
      const r = await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws({ dueAt }));
      expect(r.status).toBe(400);
      expect(r.body.errors[0].path).toBe('dueAt');
    }
    const bad = await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws({ assigneeOrgIds: [org.partner, org.nist] }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'assigneeOrgIds.1', message: 'not on this review window' }]);
    expect(await count('assessment_workstreams', 'window_id = $1', [s.windowId])).toBe(0);
    // Moving the due date later outside the window is refused too.
    const ok = (await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).body;
    const move = await cisa.patch(`/api/v1/assessment-workstreams/${ok.id}`, { dueAt: new Date(s.closesAt.getTime() + DAY).toISOString() });
    expect(move.status).toBe(400);
    const [row] = await t.rows<{ due_at: Date }>('select due_at from assessment_workstreams where id = $1', [ok.id]);
    expect(new Date(row.due_at).toISOString()).toBe(ok.dueAt);
  });

  it('only agency analysts on the window plan: a partner gets 403, an agency not on the window 404, the developer 403', async () => {
    const s = await setup();
    expect((await partner.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).status).toBe(403);
    expect((await nist.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).status).toBe(404);
    expect((await dev.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).status).toBe(403);
    expect(await count('assessment_workstreams', 'window_id = $1', [s.windowId])).toBe(0);
  });
});

describe('coordination board', () => {
  it('everyone on the window sees it at their own clearance: the benchmark workstream is absent for uncleared participants', async () => {
    const s = await setup();
    const red = (await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).body;
    const bench = (await nsa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws({ kind: 'classified_benchmark', title: 'Benchmark run', assigneeOrgIds: [org.nsa] }))).body;
    const ids = async (c: Client) => {
      const r = await c.get(`/api/v1/windows/${s.windowId}/assessment`);
      expect(r.status).toBe(200);
      return r.body.workstreams.map((w: { id: string }) => w.id);
    };
    expect(await ids(nsa)).toEqual(expect.arrayContaining([red.id, bench.id]));
    for (const c of [cisa, treasury, partner, dev]) {
      const seen = await ids(c);
      expect(seen).toContain(red.id);
      expect(seen).not.toContain(bench.id);
    }
    expect((await cisa.get(`/api/v1/assessment-workstreams/${bench.id}`)).status).toBe(404);
    expect((await nist.get(`/api/v1/windows/${s.windowId}/assessment`)).status).toBe(404);
    const nsaBoard = await nsa.get(`/api/v1/windows/${s.windowId}/assessment`);
    expect(nsaBoard.body.marking).toEqual({ classification: 'SECRET', compartments: ['BENCH'] });
    const summary = await partner.get('/api/v1/assessments');
    const mine = summary.body.items.find((b: { window: { id: string } }) => b.window.id === s.windowId);
    expect(mine).toMatchObject({ workstreams: 1, byStatus: { planned: 1 } });
    expect((await nsa.get('/api/v1/assessments')).body.items.find((b: { window: { id: string } }) => b.window.id === s.windowId).workstreams).toBe(2);
    expect((await auditRows(t, 'assessment_board.read')).length).toBeGreaterThan(0);
  });

  it('assignees move status along (planned → in_progress → blocked ↔ in_progress → done); others cannot; cancel is the planners’', async () => {
    const s = await setup();
    const before = await modelSnapshot(t, s.modelId);
    const w = (await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).body;
    expect((await treasury.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'start' })).status).toBe(403);
    expect((await dev.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'start' })).status).toBe(403);
    expect((await nist.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'start' })).status).toBe(404);
    expect((await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'start' })).body.status).toBe('in_progress');
    expect((await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'block' })).status).toBe(400);
    expect((await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'block', reason: 'Gateway quota used up' })).body).toMatchObject({ status: 'blocked', statusReason: 'Gateway quota used up' });
    expect((await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'unblock' })).body.status).toBe('in_progress');
    expect((await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'cancel', reason: 'x' })).status).toBe(403);
    expect((await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'complete' })).body.status).toBe('done');
    const again = await partner.post(`/api/v1/assessment-workstreams/${w.id}/status`, { event: 'start' });
    expect(again.status).toBe(409);
    const [row] = await t.rows<{ status: string }>('select status from assessment_workstreams where id = $1', [w.id]);
    expect(row.status).toBe('done');
    expect((await auditRows(t, 'assessment.workstream.status')).filter((e) => e.record_id === w.id).map((e) => e.detail.event)).toEqual(['start', 'block', 'unblock', 'complete']);
    const w2 = (await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).body;
    expect((await treasury.post(`/api/v1/assessment-workstreams/${w2.id}/status`, { event: 'cancel', reason: 'Covered by another workstream' })).body.status).toBe('cancelled');
    expect(await modelSnapshot(t, s.modelId)).toEqual(before);
  });

  it('the plan freezes when the window ends', async () => {
    const s = await setup();
    const w = (await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).body;
    expect((await dev.post(`/api/v1/windows/${s.windowId}/end`)).status).toBe(200);
    expect((await cisa.post(`/api/v1/windows/${s.windowId}/assessment/workstreams`, ws())).status).toBe(404);
    const board = await dev.get(`/api/v1/windows/${s.windowId}/assessment`);
    expect(board.status).toBe(200);
    expect(board.body.workstreams[0]).toMatchObject({ id: w.id, allowedEvents: [], canEdit: false });
  });
});
