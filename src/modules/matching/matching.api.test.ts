import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import type { MatchableAdvisory } from './matching.types.ts';
import { osvCommand } from './matching.cli.ts';

let t: TestInstance;
let hospital: Client;
let bank: Client;
let utility: Client;
let vendor: Client;
let analyst: Client;
let hospitalOrg: string;
let bankOrg: string;
const assets: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestInstance();
  [hospital, bank, utility, vendor, analyst] = await Promise.all(
    ['it@prairiehospital.demo', 'it@heartlandbank.demo', 'it@riverbendutilities.demo', 'security@openhealth.demo', 'treasury.analyst@treasury.demo'].map((e) => as(t.url, e)),
  );
  hospitalOrg = await orgIdOf(t, 'Prairie County Hospital');
  bankOrg = await orgIdOf(t, 'Heartland Community Bank');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const cdx = (components: [string, string][]) =>
  JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.5',
    version: 1,
    components: components.map(([purl, version]) => ({ type: 'library', name: purl.split('/').pop(), version, purl: `${purl}@${version}` })),
  });

async function upload(c: Client, asset: string, components: [string, string][]) {
  if (!assets[asset]) {
    const r = await c.post('/api/v1/inventory/assets', { name: asset, kind: 'system' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    assets[asset] = r.body.id;
  }
  const r = await c.post(`/api/v1/inventory/assets/${assets[asset]}/sboms`, { document: cdx(components) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

/** Waits until no matching job is queued or running (jobs run on the real queue). */
async function settled(timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [r] = await t.rows<{ n: number }>("select count(*)::int as n from pgboss.job where name like 'matching.%' and state in ('created', 'retry', 'active')");
    if (r.n === 0) return;
    if (Date.now() > until) throw new Error('matching jobs did not finish');
    await new Promise((res) => setTimeout(res, 150));
  }
}

const openMatches = (externalId: string) =>
  t.rows<{ org_id: string; package: string; version: string; verdict: string; fixed_in: string | null }>(
    `select m.org_id, m.package, m.version, m.verdict, m.fixed_in from matching_matches m join matching_advisories a on a.id = m.advisory_id
      where a.external_id = $1 and m.cleared_at is null order by m.org_id, m.package`,
    [externalId],
  );

const osv = (id: string, modified: string, ecosystem: string, name: string, events: Record<string, string>[], extra: Record<string, unknown> = {}) => ({
  schema_version: '1.6.0',
  id,
  modified,
  published: '2026-01-01T00:00:00Z',
  summary: `${name} is vulnerable`,
  affected: [{ package: { ecosystem, name }, ranges: [{ type: ecosystem === 'Go' || ecosystem === 'npm' ? 'SEMVER' : 'ECOSYSTEM', events }] }],
  ...extra,
});

const LODASH = osv('GHSA-test-lodash', '2026-02-01T00:00:00Z', 'npm', 'lodash', [{ introduced: '0' }, { fixed: '4.17.21' }]);
const GIN = osv('GO-2026-0001', '2026-02-01T00:00:00Z', 'Go', 'github.com/gin-gonic/gin', [{ introduced: '0' }, { fixed: '1.9.1' }]);
const DJANGO = osv('PYSEC-test-django', '2026-02-01T00:00:00Z', 'PyPI', 'Django', [{ introduced: '4.0' }, { fixed: '4.2.8' }]);

describe('matching: advisories find operators, SBOMs find advisories', () => {
  it('an imported OSV advisory matches exactly the affected operators', async () => {
    await upload(hospital, 'EHR', [
      ['pkg:npm/lodash', '4.17.20'],
      ['pkg:golang/github.com/gin-gonic/gin', 'v1.9.0'],
      ['pkg:pypi/django', '4.2.1'],
    ]);
    await upload(bank, 'Core banking', [
      ['pkg:npm/lodash', '4.17.21'],
      ['pkg:golang/github.com/gin-gonic/gin', 'v1.9.1'],
    ]);
    await upload(utility, 'SCADA historian', [['pkg:npm/left-pad', '1.3.0']]);
    await settled();

    const r = await analyst.post('/api/v1/matching/osv-import', [LODASH, GIN]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toEqual({ received: 2, stored: 2, unchanged: 0, withdrawn: 0, skippedEntries: 0 });
    // JSONL in a JSON body.
    const j = await analyst.post('/api/v1/matching/osv-import', { jsonl: JSON.stringify(DJANGO) + '\n' });
    expect(j.status, JSON.stringify(j.body)).toBe(200);
    await settled();

    expect(await openMatches('GHSA-test-lodash')).toEqual([{ org_id: hospitalOrg, package: 'pkg:npm/lodash', version: '4.17.20', verdict: 'affected', fixed_in: '4.17.21' }]);
    expect(await openMatches('GO-2026-0001')).toEqual([{ org_id: hospitalOrg, package: 'pkg:golang/github.com/gin-gonic/gin', version: 'v1.9.0', verdict: 'affected', fixed_in: '1.9.1' }]);
    expect((await openMatches('PYSEC-test-django')).map((m) => m.org_id)).toEqual([hospitalOrg]);
    const [adv] = await t.rows<{ tlp: string; source: string }>("select tlp, source from matching_advisories where external_id = 'GHSA-test-lodash'");
    expect(adv).toEqual({ tlp: 'CLEAR', source: 'osv' });
    expect(await t.rows("select package from matching_advisory_packages p join matching_advisories a on a.id = p.advisory_id where a.external_id = 'GO-2026-0001'")).toEqual([
      { package: 'pkg:golang/github.com/gin-gonic/gin' },
    ]);
    expect((await auditRows(t, 'matching.osv.import')).length).toBe(2);
  });

  it('an operator sees its own matches only; other roles are refused', async () => {
    const mine = await hospital.get('/api/v1/matching/matches');
    expect(mine.status).toBe(200);
    expect(mine.body.total).toBe(3);
    expect(mine.body.items.map((m: { advisory: { externalId: string } }) => m.advisory.externalId).sort()).toEqual(['GHSA-test-lodash', 'GO-2026-0001', 'PYSEC-test-django']);
    expect(mine.body.items[0]).toMatchObject({ asset: { id: assets.EHR, name: 'EHR' }, verdict: 'affected', clearedAt: null });

    const theirs = await bank.get('/api/v1/matching/matches?state=all');
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ items: [], total: 0 });
    // Filtering by the hospital's asset does not reach into it.
    expect((await bank.get(`/api/v1/matching/matches?assetId=${assets.EHR}`)).body.total).toBe(0);
    expect((await vendor.get('/api/v1/matching/matches')).status).toBe(403);
    expect((await hospital.get('/api/v1/matching/matches?limit=100000')).status).toBe(400);
  });

  it('coordinators see who an advisory affects; operators cannot', async () => {
    const list = await analyst.get('/api/v1/matching/advisories?q=lodash');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ externalId: 'GHSA-test-lodash', packages: 1, openMatches: 1, tlp: 'CLEAR' });
    const id = list.body.items[0].id;
    const affected = await analyst.get(`/api/v1/matching/advisories/${id}/affected`);
    expect(affected.status).toBe(200);
    expect(affected.body.organisations).toEqual([expect.objectContaining({ orgId: hospitalOrg, orgName: 'Prairie County Hospital', assets: 1, components: 1 })]);
    expect((await hospital.get(`/api/v1/matching/advisories/${id}/affected`)).status).toBe(403);
    expect((await hospital.get('/api/v1/matching/advisories')).status).toBe(403);
    expect((await analyst.get(`/api/v1/matching/advisories/${crypto.randomUUID()}/affected`)).status).toBe(404);
  });

  it('a newly uploaded SBOM finds the published advisories; one with the fixed version clears the match', async () => {
    await upload(bank, 'Core banking', [
      ['pkg:npm/lodash', '4.17.15'],
      ['pkg:golang/github.com/gin-gonic/gin', 'v1.9.1'],
    ]);
    await upload(hospital, 'EHR', [
      ['pkg:npm/lodash', '4.17.21'],
      ['pkg:golang/github.com/gin-gonic/gin', 'v1.9.0'],
      ['pkg:pypi/django', '4.2.1'],
    ]);
    await settled();
    expect((await openMatches('GHSA-test-lodash')).map((m) => [m.org_id, m.version])).toEqual([[bankOrg, '4.17.15']]);
    const history = await t.rows<{ cleared_reason: string; version: string }>(
      "select m.cleared_reason, m.version from matching_matches m join matching_advisories a on a.id = m.advisory_id where a.external_id = 'GHSA-test-lodash' and m.cleared_at is not null",
    );
    expect(history).toEqual([{ cleared_reason: 'inventory_changed', version: '4.17.20' }]);
    // The gin match moved to the new SBOM's component (the old component left the current inventory).
    expect((await openMatches('GO-2026-0001')).map((m) => m.org_id)).toEqual([hospitalOrg]);
    const cleared = await hospital.get('/api/v1/matching/matches?state=cleared');
    expect(cleared.body.items.map((m: { package: string }) => m.package).sort()).toContain('pkg:npm/lodash');
  });

  it('a re-import with the same modified changes nothing; a later withdrawn record clears its matches', async () => {
    const again = await analyst.post('/api/v1/matching/osv-import', { records: [LODASH] });
    expect(again.body).toMatchObject({ stored: 0, unchanged: 1 });
    const withdrawn = { ...LODASH, modified: '2026-03-01T00:00:00Z', withdrawn: '2026-03-01T00:00:00Z' };
    const w = await analyst.post('/api/v1/matching/osv-import', [withdrawn]);
    expect(w.body).toMatchObject({ stored: 1, withdrawn: 1 });
    await settled();
    expect(await openMatches('GHSA-test-lodash')).toEqual([]);
    const [c] = await t.rows<{ n: number }>(
      "select count(*)::int as n from matching_matches m join matching_advisories a on a.id = m.advisory_id where a.external_id = 'GHSA-test-lodash' and m.cleared_reason = 'advisory_withdrawn'",
    );
    expect(c.n).toBe(1);
  });

  it('a malformed OSV file is refused with a problem and writes nothing; only analysts import', async () => {
    const before = await t.rows('select id, modified_at from matching_advisories order by id');
    const jobs = await t.rows("select count(*)::int as n from pgboss.job where name like 'matching.%'");
    const bad = await analyst.post('/api/v1/matching/osv-import', [osv('GHSA-ok', '2026-02-01T00:00:00Z', 'npm', 'a', [{ introduced: '0' }]), { id: 'GHSA-bad', affected: [] }]);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors[0]).toMatchObject({ path: 'records' });
    expect(bad.body.errors[0].message).toMatch(/records\[1\].*modified/);
    const badJsonl = await analyst.post('/api/v1/matching/osv-import', { jsonl: '{"id":"x","modified":"2026-01-01T00:00:00Z"}\n{not json' });
    expect(badJsonl.status).toBe(400);
    const badRange = await analyst.post('/api/v1/matching/osv-import', [{ ...LODASH, id: 'GHSA-x', affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ fixed: '1' }] }] }] }]);
    expect(badRange.status).toBe(400);
    expect((await analyst.post('/api/v1/matching/osv-import', [])).status).toBe(400);
    expect((await hospital.post('/api/v1/matching/osv-import', [LODASH])).status).toBe(403);
    expect(await t.rows('select id, modified_at from matching_advisories order by id')).toEqual(before);
    expect(await t.rows("select count(*)::int as n from pgboss.job where name like 'matching.%'")).toEqual(jobs);
  });

  it('TLP: a RED advisory reaches no operator; AMBER+STRICT reaches the affected operator only', async () => {
    const base: MatchableAdvisory = {
      source: 'clearinghouse',
      externalId: 'FWN-2026-9001',
      clearinghouseAdvisoryId: null,
      title: 'Gin request smuggling',
      tlp: 'RED',
      severity: 'high',
      affected: [{ package: 'pkg:golang/github.com/gin-gonic/gin', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.9.1' }] }], versions: [] }],
      withdrawn: false,
      publishedAt: new Date(),
    };
    const { matching } = t.fw.services;
    const redId = await t.fw.database.db.transaction((tx) => matching.upsertAdvisory(tx, base));
    await settled();
    expect(await openMatches('FWN-2026-9001')).toEqual([]);
    expect((await hospital.get(`/api/v1/matching/matches?advisoryId=${redId}&state=all`)).body.total).toBe(0);

    const strictId = await t.fw.database.db.transaction((tx) => matching.upsertAdvisory(tx, { ...base, tlp: 'AMBER+STRICT' }));
    expect(strictId).toBe(redId);
    await settled();
    expect((await openMatches('FWN-2026-9001')).map((m) => m.org_id)).toEqual([hospitalOrg]);
    expect((await hospital.get(`/api/v1/matching/matches?advisoryId=${redId}`)).body.items[0].advisory).toMatchObject({ tlp: 'AMBER+STRICT', severity: 'high' });
    expect((await bank.get(`/api/v1/matching/matches?advisoryId=${redId}`)).body.total).toBe(0);
    // A revision that moves the fixed version updates the open match in place.
    const revised = { ...base, tlp: 'AMBER+STRICT' as const, affected: [{ ...base.affected[0]!, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.9.2' }] }] }] };
    await t.fw.database.db.transaction((tx) => matching.upsertAdvisory(tx, revised));
    await settled();
    // … and the bank's v1.9.1, now inside the range, is matched (its own match only).
    const after = await openMatches('FWN-2026-9001');
    expect(after.map((m) => m.fixed_in)).toEqual(['1.9.2', '1.9.2']);
    expect(after.map((m) => m.org_id).sort()).toEqual([hospitalOrg, bankOrg].sort());
    expect((await bank.get(`/api/v1/matching/matches?advisoryId=${redId}`)).body.items.map((m: { version: string }) => m.version)).toEqual(['v1.9.1']);

    // Back to RED (a revision): the match is cleared, not kept open.
    await t.fw.database.db.transaction((tx) => matching.upsertAdvisory(tx, base));
    await settled();
    expect(await openMatches('FWN-2026-9001')).toEqual([]);
    expect((await hospital.get(`/api/v1/matching/matches?advisoryId=${redId}&state=all`)).body.total).toBe(0);
  });

  it('a component with an invalid purl is refused by the inventory and never reaches matching', async () => {
    const before = await t.rows('select count(*)::int as n from inventory_components');
    const r = await hospital.post(`/api/v1/inventory/assets/${assets.EHR}/components`, { purl: 'pkg:npm/%zz@1.0', version: '1.0' });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('purl');
    const s = await hospital.post(`/api/v1/inventory/assets/${assets.EHR}/sboms`, { document: cdx([['not a purl', '1']]) });
    expect(s.status).toBe(400);
    expect(await t.rows('select count(*)::int as n from inventory_components')).toEqual(before);
  });

  it('a full re-match restores a missed match and changes nothing else', async () => {
    const snapshot = () => t.rows('select advisory_id, component_id, verdict from matching_matches where cleared_at is null order by advisory_id, component_id');
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(0);
    await t.rows("update matching_matches set cleared_at = now(), cleared_reason = 'test' where package = 'pkg:pypi/django' and cleared_at is null");
    expect((await analyst.post('/api/v1/matching/rematch')).status).toBe(202);
    expect((await hospital.post('/api/v1/matching/rematch')).status).toBe(403);
    await settled();
    expect(await snapshot()).toEqual(before);
    const [audit] = (await auditRows(t, 'matching.rematch')).slice(-1);
    expect(audit.detail).toMatchObject({ matched: 1, cleared: 0 });
  });

  it('the routes are described in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${t.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/matching/matches', '/api/v1/matching/advisories', '/api/v1/matching/advisories/{id}/affected', '/api/v1/matching/osv-import', '/api/v1/matching/rematch']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('forewarn osv import sends a JSONL file in batches', async () => {
    const tok = await analyst.post('/api/v1/me/tokens', { name: 'osv feed' });
    expect(tok.status, JSON.stringify(tok.body)).toBe(201);
    const dir = mkdtempSync(join(tmpdir(), 'forewarn-osv-'));
    try {
      const file = join(dir, 'feed.jsonl');
      const records = [1, 2, 3].map((i) => osv(`GHSA-cli-${i}`, '2026-02-01T00:00:00Z', 'npm', `pkg-${i}`, [{ introduced: '0' }, { fixed: '2.0.0' }]));
      writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
      expect(await osvCommand(['import', file, '--url', t.url, '--token', tok.body.token, '--batch', '2'], io)).toBe(0);
      expect(out.join('')).toMatch(/Imported 3 OSV records: 3 stored/);
      expect(await t.rows("select count(*)::int as n from matching_advisories where external_id like 'GHSA-cli-%'")).toEqual([{ n: 3 }]);
      writeFileSync(file, '{"id": "x"}\n');
      expect(await osvCommand(['import', file, '--url', t.url, '--token', tok.body.token], io)).toBe(2);
      expect(err.join('')).toMatch(/not valid OSV/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
