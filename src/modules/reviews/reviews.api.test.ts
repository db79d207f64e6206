import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { DAY, inDays, insertDocument, insertModel, modelSnapshot } from './reviews.fixtures.ts';

let t: TestInstance;
let dev: Client;
let nsa: Client;
let cisa: Client;
let oncd: Client;
let treasury: Client;
let admin: Client;
const org: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestInstance();
  for (const [k, name] of Object.entries({
    lab: 'Meridian AI',
    nsa: 'National Security Agency',
    cisa: 'Cybersecurity and Infrastructure Security Agency',
    oncd: 'Office of the National Cyber Director',
    treasury: 'Department of the Treasury',
    partner: 'Sentinel Security Partners',
  }))
    org[k] = await orgIdOf(t, name);
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  cisa = await as(t.url, 'cisa.analyst@cisa.demo');
  oncd = await as(t.url, 'oncd.analyst@oncd.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
  admin = await as(t.url, 'admin@forewarn.demo');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const count = async (table: string, where = 'true', values: unknown[] = []) => Number((await t.rows<{ n: string }>(`select count(*)::int as n from ${table} where ${where}`, values))[0].n);

async function openWindow(modelId: string, agencies: string[], closesInDays = 20, by: Client = dev) {
  return by.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: agencies.map((a) => org[a]), closesAt: inDays(closesInDays).toISOString() });
}

describe('policy settings', () => {
  it('shows the current version (30 days, 10^26 FLOP) to any signed-in user', async () => {
    for (const c of [dev, nsa, admin]) {
      const r = await c.get('/api/v1/policy');
      expect(r.status).toBe(200);
      expect(r.body.current).toMatchObject({ version: 1, maxWindowDays: 30, computeTriggerFlop: 1e26 });
      expect(r.body.history).toHaveLength(1);
    }
  });

  it('is closed to anonymous callers (401)', async () => {
    const r = await fetch(`${t.url}/api/v1/policy`);
    expect(r.status).toBe(401);
  });

  it('refuses a change by anyone but a platform administrator (403) and writes nothing', async () => {
    for (const c of [dev, nsa, treasury]) {
      const r = await c.post('/api/v1/policy', { maxWindowDays: 90, computeTriggerFlop: 1e26, reason: 'longer' });
      expect(r.status).toBe(403);
    }
    expect(await count('policy_settings')).toBe(1);
  });

  it('refuses bad values with a 400 naming the field', async () => {
    for (const body of [
      { maxWindowDays: 0, computeTriggerFlop: 1e26, reason: 'x' },
      { maxWindowDays: 366, computeTriggerFlop: 1e26, reason: 'x' },
      { maxWindowDays: 30, computeTriggerFlop: -1, reason: 'x' },
      { maxWindowDays: 30, computeTriggerFlop: 1e26 },
      { maxWindowDays: 30, computeTriggerFlop: 1e26, reason: 'x', approvalRequired: true },
    ]) {
      const r = await admin.post('/api/v1/policy', body);
      expect(r.status).toBe(400);
      expect(r.body.type).toBe('/problems/validation-failed');
    }
    expect(await count('policy_settings')).toBe(1);
  });

  it('lets an administrator restore the earlier draft’s 90 days in one call, with an audit event; existing windows keep their version', async () => {
    const m = await insertModel(t, { releaseInDays: 100 });
    const w = await openWindow(m.id, ['nsa'], 30);
    expect(w.status).toBe(201);
    expect(w.body.policyVersion).toBe(1);
    // 60 days is over the current maximum
    const m2 = await insertModel(t, { releaseInDays: 100 });
    expect((await openWindow(m2.id, ['nsa'], 60)).status).toBe(400);

    const r = await admin.post('/api/v1/policy', { maxWindowDays: 90, computeTriggerFlop: 1e26, reason: 'Return to the draft order for an exercise' });
    expect(r.status).toBe(201);
    expect(r.body.current).toMatchObject({ version: 2, maxWindowDays: 90 });
    expect(r.body.history.map((h: { version: number }) => h.version)).toEqual([2, 1]);
    const [ev] = await auditRows(t, 'policy.change');
    expect(ev.actor_email).toBe('admin@forewarn.demo');
    expect(ev.detail).toMatchObject({ maxWindowDays: 90, previousMaxWindowDays: 30 });

    const w2 = await openWindow(m2.id, ['nsa'], 60);
    expect(w2.status).toBe(201);
    expect(w2.body.policyVersion).toBe(2);
    const [old] = await t.rows<{ policy_version: number }>('select policy_version from review_windows where id = $1', [w.body.id]);
    expect(old.policy_version).toBe(1);

    expect((await admin.post('/api/v1/policy', { maxWindowDays: 30, computeTriggerFlop: 1e26, reason: 'Back to the signed order' })).body.current.version).toBe(3);
    for (const id of [w.body.id, w2.body.id]) expect((await dev.post(`/api/v1/windows/${id}/end`)).status).toBe(200);
  });
});

describe('opening a review window', () => {
  it('opens for a covered model: grants expire at the close, agencies are notified, a close job is scheduled, the event is audited', async () => {
    const m = await insertModel(t);
    const closesAt = inDays(20);
    const r = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa, org.treasury], closesAt: closesAt.toISOString() });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ modelId: m.id, status: 'open', closesAt: closesAt.toISOString(), policyVersion: 3, marking: { classification: 'CUI' } });
    expect(r.body.grants).toHaveLength(3);
    const grants = await t.rows<{ grantee_org_id: string; expires_at: Date; source_type: string; source_id: string; record_type: string }>(
      "select * from access_grants where record_type = 'model' and record_id = $1",
      [m.id],
    );
    expect(grants.map((g) => g.grantee_org_id).sort()).toEqual([org.nsa, org.cisa, org.treasury].sort());
    for (const g of grants) {
      expect(new Date(g.expires_at).toISOString()).toBe(closesAt.toISOString());
      expect(g.source_type).toBe('review_window');
      expect(g.source_id).toBe(r.body.id);
    }
    const notes = await t.rows<{ title: string }>("select n.title from notifications n join users u on u.id = n.user_id where u.email = 'nsa.analyst@nsa.demo' and n.title = 'Review window opened'");
    expect(notes.length).toBeGreaterThan(0);
    const jobs = await t.rows<{ start_after: Date; data: { windowId: string } }>("select start_after, data from pgboss.job where name = 'reviews.close-window'");
    expect(jobs.some((j) => j.data.windowId === r.body.id && new Date(j.start_after).toISOString() === closesAt.toISOString())).toBe(true);
    const events = (await auditRows(t, 'review_window.open')).filter((e) => e.record_id === r.body.id);
    expect(events).toHaveLength(1);
    expect(events[0].classification).toBe(1);

    // one open window per model
    const again = await openWindow(m.id, ['oncd'], 10);
    expect(again.status).toBe(409);
    expect(await count('review_windows', 'model_id = $1', [m.id])).toBe(1);

    // the agencies see it in their list; another agency does not
    expect((await nsa.get('/api/v1/windows')).body.items.map((w: { id: string }) => w.id)).toContain(r.body.id);
    const nsaView = (await nsa.get(`/api/v1/windows/${r.body.id}`)).body;
    expect(nsaView.grants).toHaveLength(1);
    expect(nsaView.grants[0].granteeOrgId).toBe(org.nsa);
    expect((await oncd.get('/api/v1/windows')).body.items.map((w: { id: string }) => w.id)).not.toContain(r.body.id);
    expect((await oncd.get(`/api/v1/windows/${r.body.id}`)).status).toBe(404);
    await dev.post(`/api/v1/windows/${r.body.id}/end`);
  });

  it('opens when the agencies found the model would benefit from review', async () => {
    const m = await insertModel(t, { eligibility: 'would_benefit' });
    const r = await openWindow(m.id, ['nsa']);
    expect(r.status).toBe(201);
    await dev.post(`/api/v1/windows/${r.body.id}/end`);
  });

  for (const e of ['none', 'not_covered', 'expired', 'not_needed'] as const) {
    it(`refuses (409) a model that is not eligible (${e}) and writes nothing`, async () => {
      const m = await insertModel(t, { eligibility: e });
      const elig = await dev.get(`/api/v1/models/${m.id}/window-eligibility`);
      expect(elig.status).toBe(200);
      expect(elig.body.eligible).toBe(false);
      const r = await openWindow(m.id, ['nsa']);
      expect(r.status).toBe(409);
      expect(r.body.type).toBe('/problems/conflict');
      expect(r.body.detail).toMatch(/not eligible/);
      expect(await count('review_windows', 'model_id = $1', [m.id])).toBe(0);
      expect(await count('access_grants', "record_id = $1 and record_type = 'model'", [m.id])).toBe(0);
    });
  }

  const bad: [string, (release: Date) => Record<string, unknown>, string][] = [
    ['longer than the policy maximum', () => ({ closesAt: inDays(31).toISOString() }), 'within-policy-maximum'],
    ['past the release date', (rel) => ({ closesAt: new Date(rel.getTime() + 60_000).toISOString() }), 'ends-by-release'],
    ['closing before it opens', () => ({ opensAt: inDays(5).toISOString(), closesAt: inDays(4).toISOString() }), 'closes-after-opens'],
    ['opening in the past', () => ({ opensAt: inDays(-1).toISOString(), closesAt: inDays(4).toISOString() }), 'opens-not-in-past'],
  ];
  for (const [what, body, rule] of bad) {
    it(`refuses a window ${what} with a 400 naming the rule, and writes nothing`, async () => {
      const m = await insertModel(t, { releaseInDays: 25 });
      const r = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa], ...body(m.release) });
      expect(r.status).toBe(400);
      expect(r.body.type).toBe('/problems/validation-failed');
      expect(JSON.stringify(r.body)).toContain(rule);
      expect(await count('review_windows', 'model_id = $1', [m.id])).toBe(0);
      expect(await count('access_grants', 'record_id = $1', [m.id])).toBe(0);
    });
  }

  it('refuses malformed bodies and non-agency grantees with a 400', async () => {
    const m = await insertModel(t);
    for (const body of [
      {},
      { agencyOrgIds: [], closesAt: inDays(5).toISOString() },
      { agencyOrgIds: ['not-a-uuid'], closesAt: inDays(5).toISOString() },
      { agencyOrgIds: [org.nsa], closesAt: 'tomorrow' },
      { agencyOrgIds: [org.nsa], closesAt: inDays(5).toISOString(), approvedBy: org.nsa },
      { agencyOrgIds: [org.partner], closesAt: inDays(5).toISOString() },
      { agencyOrgIds: [org.lab], closesAt: inDays(5).toISOString() },
    ]) {
      const r = await dev.post(`/api/v1/models/${m.id}/windows`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    expect(await count('review_windows', 'model_id = $1', [m.id])).toBe(0);
  });

  it('refuses an agency opening a window on a developer model (404 without a grant, 403 with one)', async () => {
    const m = await insertModel(t);
    expect((await openWindow(m.id, ['nsa'], 10, nsa)).status).toBe(404);
    const w = await openWindow(m.id, ['nsa'], 10);
    await dev.post(`/api/v1/windows/${w.body.id}/end`);
    expect(await count('review_windows', 'model_id = $1', [m.id])).toBe(1);
  });
});

describe("the developer's controls", () => {
  it('agencies cannot use any developer control: 404 or 403, and nothing changes', async () => {
    const m = await insertModel(t);
    const w = await openWindow(m.id, ['nsa', 'cisa', 'treasury']);
    expect(w.status).toBe(201);
    const grantId = w.body.grants[0].id;
    const before = await modelSnapshot(t, m.id);
    for (const c of [nsa, cisa, treasury, oncd, admin]) {
      const attempts = [
        c.del(`/api/v1/windows/${w.body.id}/grants/${grantId}`),
        c.post(`/api/v1/windows/${w.body.id}/shorten`, { closesAt: inDays(2).toISOString() }),
        c.post(`/api/v1/windows/${w.body.id}/end`),
        c.post(`/api/v1/models/${m.id}/withdraw`, {}),
        c.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: inDays(200).toISOString(), reason: 'hold it' }),
        c.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: inDays(1).toISOString() }),
        c.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.oncd], closesAt: inDays(3).toISOString() }),
        c.get(`/api/v1/models/${m.id}/window-eligibility`),
      ];
      for (const r of await Promise.all(attempts)) expect([403, 404], `${c.email}: ${JSON.stringify(r.body)}`).toContain(r.status);
    }
    // an agency in the window may know the model exists (403); one outside it may not (404)
    expect((await nsa.post(`/api/v1/windows/${w.body.id}/end`)).status).toBe(403);
    expect((await oncd.post(`/api/v1/windows/${w.body.id}/end`)).status).toBe(404);
    expect(await modelSnapshot(t, m.id)).toEqual(before);
    await dev.post(`/api/v1/windows/${w.body.id}/end`);
  });

  it('revokes one grant at once: that agency’s next read of the model is 404, the others keep access', async () => {
    const m = await insertModel(t);
    const w = await openWindow(m.id, ['nsa', 'cisa']);
    expect((await nsa.get(`/api/v1/models/${m.id}/timeline`)).status).toBe(200);
    expect((await nsa.get(`/api/v1/models/${m.id}`)).status).toBe(200);
    const g = w.body.grants.find((x: { granteeOrgId: string }) => x.granteeOrgId === org.nsa);
    const r = await dev.del(`/api/v1/windows/${w.body.id}/grants/${g.id}`);
    expect(r.status).toBe(200);
    expect(r.body.grants.find((x: { id: string }) => x.id === g.id)).toMatchObject({ active: false });
    expect((await nsa.get(`/api/v1/models/${m.id}/timeline`)).status).toBe(404);
    expect((await nsa.get(`/api/v1/models/${m.id}`)).status).toBe(404);
    expect((await nsa.get(`/api/v1/windows/${w.body.id}`)).status).toBe(404);
    expect((await nsa.get('/api/v1/windows')).body.items.map((x: { id: string }) => x.id)).not.toContain(w.body.id);
    const cisaTimeline = await cisa.get(`/api/v1/models/${m.id}/timeline`);
    expect(cisaTimeline.status).toBe(200);
    expect(cisaTimeline.body.marking.classification).toBe('CUI');
    expect(cisaTimeline.body.items.map((i: { action: string }) => i.action)).toEqual(expect.arrayContaining(['review_window.open', 'review_window.revoke_grant']));
    expect((await auditRows(t, 'review_window.revoke_grant')).some((e) => e.record_id === w.body.id)).toBe(true);
    // revoking twice, or a grant of another window, is refused
    expect((await dev.del(`/api/v1/windows/${w.body.id}/grants/${g.id}`)).status).toBe(409);
    expect((await dev.del(`/api/v1/windows/${w.body.id}/grants/${crypto.randomUUID()}`)).status).toBe(404);
    await dev.post(`/api/v1/windows/${w.body.id}/end`);
  });

  it('shortens a window: earlier only, grants follow; a time already past ends it', async () => {
    const m = await insertModel(t);
    const w = await openWindow(m.id, ['nsa', 'cisa'], 20);
    const later = await dev.post(`/api/v1/windows/${w.body.id}/shorten`, { closesAt: inDays(25).toISOString() });
    expect(later.status).toBe(400);
    expect(JSON.stringify(later.body)).toContain('shorten-only-earlier');
    const to = inDays(7);
    const r = await dev.post(`/api/v1/windows/${w.body.id}/shorten`, { closesAt: to.toISOString() });
    expect(r.status).toBe(200);
    expect(r.body.closesAt).toBe(to.toISOString());
    const grants = await t.rows<{ expires_at: Date }>("select expires_at from access_grants where source_id = $1 and source_type = 'review_window'", [w.body.id]);
    for (const g of grants) expect(new Date(g.expires_at).toISOString()).toBe(to.toISOString());
    expect((await auditRows(t, 'review_window.shorten')).some((e) => e.record_id === w.body.id)).toBe(true);
    const end = await dev.post(`/api/v1/windows/${w.body.id}/shorten`, { closesAt: inDays(-1).toISOString() });
    expect(end.status).toBe(200);
    expect(end.body.status).toBe('closed');
    expect(end.body.closeReason).toBe('ended_by_developer');
    expect(await count('access_grants', "source_id = $1 and revoked_at is null", [w.body.id])).toBe(0);
    // a closed window takes no more changes
    const again = await dev.post(`/api/v1/windows/${w.body.id}/shorten`, { closesAt: inDays(-2).toISOString() });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('/problems/invalid-transition');
  });

  it('ends a window now: closed, every grant revoked, agencies notified', async () => {
    const m = await insertModel(t);
    const w = await openWindow(m.id, ['treasury']);
    const r = await dev.post(`/api/v1/windows/${w.body.id}/end`);
    expect(r.body).toMatchObject({ status: 'closed', closeReason: 'ended_by_developer' });
    expect(await count('access_grants', "source_id = $1 and revoked_at is null", [w.body.id])).toBe(0);
    expect((await treasury.get(`/api/v1/models/${m.id}/timeline`)).status).toBe(404);
    const notes = await t.rows("select 1 from notifications n join users u on u.id = n.user_id where u.email = 'treasury.analyst@treasury.demo' and n.title = 'Review window closed'");
    expect(notes.length).toBeGreaterThan(0);
    expect((await dev.post(`/api/v1/windows/${w.body.id}/end`)).status).toBe(409);
  });

  it('moves the release earlier while a window is open: the window shrinks to the new release; later leaves it alone', async () => {
    const m = await insertModel(t, { releaseInDays: 40 });
    const w = await openWindow(m.id, ['nsa', 'cisa'], 25);
    const earlier = inDays(10);
    const r = await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: earlier.toISOString(), reason: 'launch moved up' });
    expect(r.status).toBe(200);
    expect(r.body.plannedReleaseAt).toBe(earlier.toISOString());
    expect(r.body.window).toMatchObject({ id: w.body.id, status: 'open', closesAt: earlier.toISOString() });
    const [model] = await t.rows<{ planned_release_at: Date }>('select planned_release_at from models where id = $1', [m.id]);
    expect(new Date(model.planned_release_at).toISOString()).toBe(earlier.toISOString());
    const changes = await t.rows<{ from_at: Date; to_at: Date; reason: string }>('select * from model_release_changes where model_id = $1', [m.id]);
    expect(changes).toHaveLength(1);
    expect(new Date(changes[0].from_at).toISOString()).toBe(m.release.toISOString());
    expect(changes[0].reason).toBe('launch moved up');
    for (const g of await t.rows<{ expires_at: Date }>("select expires_at from access_grants where source_id = $1", [w.body.id])) {
      expect(new Date(g.expires_at).toISOString()).toBe(earlier.toISOString());
    }
    const later = await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: inDays(90).toISOString() });
    expect(later.status).toBe(200);
    expect(later.body.window.closesAt).toBe(earlier.toISOString());
    // a release now closes the window
    const now = await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: new Date().toISOString() });
    expect(now.body.window).toMatchObject({ status: 'closed', closeReason: 'release_reached' });
    expect(await count('access_grants', 'source_id = $1 and revoked_at is null', [w.body.id])).toBe(0);
    expect(await count('model_release_changes', 'model_id = $1', [m.id])).toBe(3);
    // the timeline tells the story to the developer
    const tl = await dev.get(`/api/v1/models/${m.id}/timeline`);
    expect(tl.status).toBe(200);
    const actions = tl.body.items.map((i: { action: string }) => i.action);
    expect(actions).toContain('review_window.open');
    expect(actions.filter((a: string) => a === 'model.release_date_change').length).toBeGreaterThanOrEqual(3);
    expect(actions.some((a: string) => a.endsWith('.read'))).toBe(false);
  });

  it('refuses an unchanged or malformed release date with a 400', async () => {
    const m = await insertModel(t);
    expect((await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: m.release.toISOString() })).status).toBe(400);
    expect((await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: 'soon' })).status).toBe(400);
    expect((await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: inDays(3).toISOString(), approval: 'nsa' })).status).toBe(400);
    expect(await count('model_release_changes', 'model_id = $1', [m.id])).toBe(0);
  });

  it('withdraws from the framework: status withdrawn, windows withdrawn, every grant on the model and its documents revoked', async () => {
    const m = await insertModel(t);
    const w = await openWindow(m.id, ['nsa', 'cisa']);
    // grants from other sources: a consultation's grant on the model and a document shared item by item
    await t.rows("insert into access_grants (record_type, record_id, grantee_org_id, source_type, source_id) values ('model', $1, $2, 'consultation', gen_random_uuid())", [m.id, org.oncd]);
    const doc = { id: await insertDocument(t, m) };
    await t.rows("insert into access_grants (record_type, record_id, grantee_org_id) values ('model_document', $1, $2)", [doc.id, org.nsa]);
    const releaseBefore = (await t.rows<{ planned_release_at: Date }>('select planned_release_at from models where id = $1', [m.id]))[0].planned_release_at;

    const r = await dev.post(`/api/v1/models/${m.id}/withdraw`, { reason: 'we prefer not to take part' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'withdrawn', window: { id: w.body.id, status: 'withdrawn', closeReason: 'withdrawn_from_framework' } });
    expect(await count('access_grants', "revoked_at is null and ((record_type = 'model' and record_id = $1) or (record_type = 'model_document' and record_id = $2))", [m.id, doc.id])).toBe(0);
    const [after] = await t.rows<{ status: string; planned_release_at: Date }>('select status, planned_release_at from models where id = $1', [m.id]);
    expect(after.status).toBe('withdrawn');
    expect(new Date(after.planned_release_at).toISOString()).toBe(new Date(releaseBefore).toISOString());
    for (const c of [nsa, cisa, oncd]) expect((await c.get(`/api/v1/models/${m.id}/timeline`)).status).toBe(404);
    expect((await auditRows(t, 'model.withdraw')).some((e) => e.record_id === m.id)).toBe(true);
    // no new window; withdrawing twice is a conflict; the release date stays the developer's to move
    expect((await openWindow(m.id, ['nsa'])).status).toBe(409);
    expect((await dev.post(`/api/v1/models/${m.id}/withdraw`, {})).status).toBe(409);
    expect((await dev.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: inDays(3).toISOString() })).status).toBe(200);
  });

  it('withdrawal also withdraws the model’s consultations under way, through the consultations module', async () => {
    const m = await insertModel(t);
    const opened = await dev.post(`/api/v1/models/${m.id}/consultations`, { question: 'Is this model covered?' });
    expect(opened.status).toBe(201);
    expect((await dev.post(`/api/v1/models/${m.id}/withdraw`, {})).status).toBe(200);
    const [c] = await t.rows<{ status: string }>('select status from consultations where id = $1', [opened.body.id]);
    expect(c.status).toBe('withdrawn');
    const [event] = (await auditRows(t, 'model.withdraw')).filter((e) => e.record_id === m.id);
    expect(event.detail.consultationsWithdrawn).toBe(1);
  });

  it('another developer organisation’s user cannot see or control the model (404)', async () => {
    // lab.admin is in the same organisation and may; a user of another organisation kind sees nothing
    const m = await insertModel(t);
    const partner = await as(t.url, 'partner@sentinel.demo');
    expect((await partner.post(`/api/v1/models/${m.id}/release-date`, { plannedReleaseAt: inDays(3).toISOString() })).status).toBe(404);
    const labAdmin = await as(t.url, 'lab.admin@meridian.demo');
    expect((await labAdmin.get(`/api/v1/models/${m.id}/window-eligibility`)).status).toBe(200);
  });
});

describe('closing by itself', () => {
  it('catches up on start: a window whose end passed while the server was down is closed and its grants revoked', async () => {
    const m = await insertModel(t);
    const w = await openWindow(m.id, ['nsa', 'cisa']);
    const past = new Date(Date.now() - 3 * 3600_000);
    await t.rows('update review_windows set opens_at = $2, closes_at = $3 where id = $1', [w.body.id, new Date(Date.now() - 5 * DAY).toISOString(), past.toISOString()]);
    await t.rows("update access_grants set expires_at = $2 where source_id = $1", [w.body.id, past.toISOString()]);
    await t.fw.services.reviews.startup();
    const [row] = await t.rows<{ status: string; close_reason: string; closed_at: Date }>('select * from review_windows where id = $1', [w.body.id]);
    expect(row.status).toBe('closed');
    expect(row.close_reason).toBe('expired');
    expect(await count('access_grants', 'source_id = $1 and revoked_at is null', [w.body.id])).toBe(0);
    const ev = (await auditRows(t, 'review_window.close')).filter((e) => e.record_id === w.body.id);
    expect(ev).toHaveLength(1);
    expect(ev[0].actor_email).toBe('system');
    // the periodic sweep is scheduled
    const schedules = await t.rows<{ name: string; cron: string }>("select name, cron from pgboss.schedule where name = 'reviews.sweep-windows'");
    expect(schedules).toEqual([{ name: 'reviews.sweep-windows', cron: '* * * * *' }]);
    // running it again changes nothing
    expect(await t.fw.services.reviews.sweep()).toBe(0);
  });

  it('the scheduled job closes a window at its end time', async () => {
    const m = await insertModel(t);
    const closesAt = new Date(Date.now() + 2500);
    const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa], closesAt: closesAt.toISOString() });
    expect(w.status).toBe(201);
    const deadline = Date.now() + 30_000;
    let status = 'open';
    while (status === 'open' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await t.rows<{ status: string }>('select status from review_windows where id = $1', [w.body.id]))[0].status;
    }
    expect(status).toBe('closed');
    expect(await count('access_grants', 'source_id = $1 and revoked_at is null', [w.body.id])).toBe(0);
  }, 40_000);
});
