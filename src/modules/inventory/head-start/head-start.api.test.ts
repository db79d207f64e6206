// The defender head start over the real chain of tables: a review finding of the demo model became a
// clearinghouse report, linked to a vulnerability with a published advisory that matched three
// operators. Rows are written directly: the flows that produce them have tests of their own.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, userIdOf, type TestInstance } from '../../../../tests/support/harness.ts';

let t: TestInstance;
let modelId: string;
const ids = { hospital: '', bank: '', utility: '', lab: '', treasury: '', nsa: '' };
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  t = await startTestInstance();
  ids.hospital = await orgIdOf(t, 'Prairie County Hospital');
  ids.bank = await orgIdOf(t, 'Heartland Community Bank');
  ids.utility = await orgIdOf(t, 'Riverbend Utilities');
  ids.lab = await orgIdOf(t, 'Meridian AI');
  ids.treasury = await orgIdOf(t, 'Department of the Treasury');
  ids.nsa = await orgIdOf(t, 'National Security Agency');
  const nsaUser = await userIdOf(t, 'nsa.analyst@nsa.demo');
  const [m] = await t.rows<{ id: string }>(`select id from models where name = 'Meridian Atlas'`);
  modelId = m!.id;
  // The model was released two days ago.
  await t.rows('update models set planned_release_at = $1 where id = $2', [ago(2), modelId]);
  const [report, vuln, advisory, matching] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  await t.rows(
    `insert into findings (owner_org_id, classification, model_id, window_id, model_owner_org_id, kind, title, summary_enc, rating, status, due_days_before_release, created_by, clearinghouse_report_id)
     values ($1, 1, $2, $3, $4, 'third_party_software', 'Heap overflow in a DICOM parser', 'x', 'high', 'filed', 14, $5, $6)`,
    [ids.nsa, modelId, randomUUID(), ids.lab, nsaUser, report],
  );
  await t.rows(`insert into clearinghouse_report_links (report_id, candidate_index, vulnerability_id, merged, reporter_user_id, reporter_org_id, linked_at) values ($1, 0, $2, false, $3, $4, now())`, [report, vuln, nsaUser, ids.nsa]);
  await t.rows(
    `insert into advisories (id, vulnerability_id, owner_org_id, tracking_id, status, tlp, content_enc, severity, initial_release_at, current_release_at, created_by, created_at, updated_at)
     values ($1, $2, $3, 'FWN-2026-0042', 'published', 'AMBER', 'x', 'high', $4, $4, $5, now(), now())`,
    [advisory, vuln, ids.treasury, ago(10), nsaUser],
  );
  await t.rows(`insert into matching_advisories (id, source, external_id, clearinghouse_advisory_id, title, tlp, severity, affected, published_at) values ($1, 'clearinghouse', 'FWN-2026-0042', $2, 'Heap overflow', 'AMBER', 'high', '[]'::jsonb, $3)`, [
    matching,
    advisory,
    ago(10),
  ]);
  const match = (org: string, matched: number, cleared: number | null) =>
    t.rows(
      `insert into matching_matches (advisory_id, org_id, asset_id, component_id, package, version, verdict, matched_at, cleared_at, cleared_reason) values ($1, $2, $3, $4, 'pkg:npm/dicom-parser', '1.0.0', 'affected', $5, $6, $7)`,
      [matching, org, randomUUID(), randomUUID(), ago(matched), cleared === null ? null : ago(cleared), cleared === null ? null : 'inventory_changed'],
    );
  await match(ids.hospital, 10, 5); // a fresh SBOM five days ago: patched before the release
  await match(ids.bank, 9, null); // still exposed
  await match(ids.utility, 8, 1); // the fresh SBOM came after the release…
  // …but the utility had recorded the patch itself three days ago, which counts.
  await t.rows(`insert into remediation_records (owner_org_id, advisory_id, advisory_ref, title, tlp, state, due_at, closed_at, updated_at) values ($1, $2, 'FWN-2026-0042', 'Heap overflow', 'AMBER', 'patched', now(), $3, $3)`, [ids.utility, matching, ago(3)]);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

const NAMES = /Prairie|Heartland|Riverbend/;

describe('the defender head start', () => {
  it('gives a coordinator the share patched before release, by sector and over time, and the still unpatched', async () => {
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    const list = await treasury.get('/api/v1/head-start/models');
    expect(list.status).toBe(200);
    expect(list.body.coordinator).toBe(true);
    const row = list.body.items.find((i: { model: { id: string } }) => i.model.id === modelId);
    // Treasury holds no grant on the model: a reference, not the developer's name for it.
    expect(row).toMatchObject({ advisories: 1, affected: 3, patchedBeforeRelease: 2, patchedNow: 2, model: { label: `Model ${modelId.slice(0, 8)}`, developer: null, released: true } });
    expect(row.share).toBeCloseTo(2 / 3);

    const d = await treasury.get(`/api/v1/head-start/models/${modelId}`);
    expect(d.status).toBe(200);
    expect(d.body.bySector).toEqual([
      { sector: 'banking', affected: 1, patchedBeforeRelease: 0, share: 0 },
      { sector: 'healthcare', affected: 1, patchedBeforeRelease: 1, share: 1 },
      { sector: 'water', affected: 1, patchedBeforeRelease: 1, share: 1 },
    ]);
    expect(d.body.unpatched).toEqual([{ orgId: ids.bank, orgName: 'Heartland Community Bank', sector: 'banking', firstMatchedAt: expect.any(String), openRecords: 1 }]);
    expect(d.body.advisoryList).toEqual([expect.objectContaining({ trackingId: 'FWN-2026-0042', tlp: 'AMBER', severity: 'high', affected: 3 })]);
    expect(d.body.series).toHaveLength(9); // a point a day from the first match to the release
    expect(d.body.series[0]).toMatchObject({ affected: 1, patched: 0 });
    expect(d.body.series.at(-1)).toMatchObject({ affected: 3, patched: 2 });
    const reads = await auditRows(t, 'head_start.read');
    expect(reads.some((r) => r.record_id === modelId && r.actor_email === 'treasury.analyst@treasury.demo' && r.classification === 1)).toBe(true);
  });

  it('gives the developer the numbers without naming an operator or a restricted advisory', async () => {
    const lab = await as(t.url, 'lab.admin@meridian.demo');
    const list = await lab.get('/api/v1/head-start/models');
    expect(list.status).toBe(200);
    expect(list.body.coordinator).toBe(false);
    expect(list.body.items).toEqual([expect.objectContaining({ affected: 3, patchedBeforeRelease: 2, model: expect.objectContaining({ label: 'Meridian Atlas 2.0', developer: 'Meridian AI' }) })]);
    const d = await lab.get(`/api/v1/head-start/models/${modelId}`);
    expect(d.status).toBe(200);
    expect(d.body.unpatched).toBeNull();
    expect(d.body.bySector).toHaveLength(3);
    // TLP:AMBER: its audience is restricted, so the developer is not told which advisory.
    expect(d.body.advisoryList).toEqual([expect.objectContaining({ trackingId: null, severity: null, affected: 3 })]);
    const text = JSON.stringify([list.body, d.body]);
    expect(text).not.toMatch(NAMES);
    for (const org of [ids.hospital, ids.bank, ids.utility]) expect(text).not.toContain(org);
  });

  it('refuses operators, and an agency without a grant on the model finds nothing', async () => {
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    const refused = await hospital.get('/api/v1/head-start/models');
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toMatch(NAMES);
    expect((await hospital.get(`/api/v1/head-start/models/${modelId}`)).status).toBe(403);

    const nist = await as(t.url, 'nist.analyst@nist.demo');
    const list = await nist.get('/api/v1/head-start/models');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
    const d = await nist.get(`/api/v1/head-start/models/${modelId}`);
    expect(d.status).toBe(404);
    expect(JSON.stringify(d.body)).not.toMatch(NAMES);

    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    expect((await treasury.get(`/api/v1/head-start/models/${randomUUID()}`)).status).toBe(404);
    expect((await treasury.get('/api/v1/head-start/models/not-a-uuid')).status).toBe(400);
  });

  it('feeds the transparency report counts only, suppressed below the threshold', async () => {
    const { headStart } = t.fw.services;
    // One developer and three operators: below the default threshold of three developers.
    expect(await headStart.aggregateForTransparency()).toEqual({ models: null, affected: null, patchedBeforeRelease: null, share: null, suppressed: true, bySector: [] });
    const agg = await headStart.aggregateForTransparency({ threshold: 1 });
    expect(agg).toMatchObject({ models: 1, affected: 3, patchedBeforeRelease: 2, suppressed: false });
    expect(agg.bySector.map((s) => [s.sector, s.affected])).toEqual([
      ['banking', 1],
      ['healthcare', 1],
      ['water', 1],
    ]);
    const text = JSON.stringify(agg);
    expect(text).not.toMatch(NAMES);
    expect(text).not.toMatch(/Meridian|FWN-/);
    expect(text).not.toContain(modelId);
    // A window that ends before the release counts nothing.
    expect(await headStart.aggregateForTransparency({ threshold: 1, releasedTo: new Date(Date.now() - 5 * DAY) })).toMatchObject({ models: 0, affected: 0 });
  });

  it('hides a model marked above the coordinator’s clearance, and keeps a classified model out of the public aggregate', async () => {
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    await t.rows('update models set classification = 3 where id = $1', [modelId]);
    try {
      expect((await treasury.get(`/api/v1/head-start/models/${modelId}`)).status).toBe(404);
      const list = await treasury.get('/api/v1/head-start/models');
      expect(list.body.items.map((i: { model: { id: string } }) => i.model.id)).not.toContain(modelId);
      expect(await t.fw.services.headStart.aggregateForTransparency({ threshold: 1 })).toMatchObject({ models: 0, affected: 0 });
    } finally {
      await t.rows('update models set classification = 1 where id = $1', [modelId]);
    }
  });
});
