import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertModel } from '../reviews/reviews.fixtures.ts';
import { startModelServer, type ModelServer } from '../../dev/model-server.ts';
import { SAMPLE_MAPPING, sampleAnswerKey, sampleSuiteText } from './demo.ts';

let t: TestInstance;
let up: ModelServer;
let dev: Client;
let nsa: Client;
let cisa: Client;
let oncd: Client;
let partner: Client;
const org: Record<string, string> = {};
let benchmarkId: string;
let classifiedSuite: { id: string; versions: { id: string }[] };
let openSuite: { id: string; versions: { id: string }[] };
let nsaRun: string;
let classifiedRun: string;
let cisaGrant: string;
let nsaGrant: string;
const KEY = 'sk-up-sec';

const body = (extra: Record<string, unknown> = {}) => ({ name: `s-${Math.random().toString(36).slice(2, 8)}`, version: '1', format: 'jsonl', content: sampleSuiteText(), mapping: SAMPLE_MAPPING, solver: { mode: 'multiple-choice' }, scorer: { kind: 'choice' }, ...extra });

async function finished(id: string) {
  const end = Date.now() + 30_000;
  for (;;) {
    const r = (await nsa.get(`/api/v1/evaluations/runs/${id}`)).body;
    if (['completed', 'failed', 'cancelled', 'stopped'].includes(r.status)) return r;
    if (Date.now() > end) throw new Error(`run ${id} did not finish: ${JSON.stringify(r)}`);
    await new Promise((res) => setTimeout(res, 150));
  }
}

beforeAll(async () => {
  t = await startTestInstance();
  up = await startModelServer({ key: KEY, models: ['m'], answerKey: sampleAnswerKey() });
  for (const [k, name] of Object.entries({ nsa: 'National Security Agency', cisa: 'Cybersecurity and Infrastructure Security Agency' })) org[k] = await orgIdOf(t, name);
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  cisa = await as(t.url, 'cisa.analyst@cisa.demo');
  oncd = await as(t.url, 'oncd.analyst@oncd.demo');
  partner = await as(t.url, 'partner@sentinel.demo');
  [{ id: benchmarkId }] = await t.rows<{ id: string }>("select id from benchmarks where name = 'Frontier Cyber Benchmark'");
  const m = await insertModel(t);
  expect((await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa], closesAt: inDays(20).toISOString() })).status).toBe(201);
  expect((await dev.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, { baseUrl: `${up.url}/v1`, upstreamModel: 'm', apiKey: KEY })).status).toBe(200);
  const grants = (await dev.get(`/api/v1/models/${m.id}/gateway/grants`)).body.items as { grantId: string; granteeOrgId: string }[];
  nsaGrant = grants.find((g) => g.granteeOrgId === org.nsa)!.grantId;
  cisaGrant = grants.find((g) => g.granteeOrgId === org.cisa)!.grantId;
  const imp = await nsa.post('/api/v1/evaluations/suites/import', body({ benchmarkId, benchmarkDomain: 'cyber' }));
  expect(imp.status, JSON.stringify(imp.body)).toBe(201);
  classifiedSuite = imp.body;
  openSuite = (await nsa.post('/api/v1/evaluations/suites/import', body())).body;
  const r1 = await nsa.post('/api/v1/evaluations/runs', { suiteId: openSuite.id, grantId: nsaGrant, concurrency: 8, sampleLimit: 4 });
  expect(r1.status, JSON.stringify(r1.body)).toBe(201);
  nsaRun = r1.body.id;
  const r2 = await nsa.post('/api/v1/evaluations/runs', { suiteId: classifiedSuite.id, grantId: nsaGrant, concurrency: 8, sampleLimit: 4 });
  classifiedRun = r2.body.id;
  await finished(nsaRun);
  await finished(classifiedRun);
}, 300_000);
afterAll(async () => {
  await t?.close();
  await up?.close();
});

describe('classified suites and runs do not exist for uncleared readers', () => {
  it('hides a SECRET//BENCH suite from CISA (SECRET, no BENCH), ONCD (CONFIDENTIAL) and a partner', async () => {
    for (const c of [cisa, oncd, partner]) {
      expect((await c.get(`/api/v1/evaluations/suites/${classifiedSuite.id}`)).status, c.email).toBe(404);
      expect((await c.get(`/api/v1/evaluations/suites/${classifiedSuite.id}/versions/${classifiedSuite.versions[0].id}/samples`)).status, c.email).toBe(404);
      const list = (await c.get('/api/v1/evaluations/suites')).body.items as { id: string }[];
      expect(list.some((s) => s.id === classifiedSuite.id), c.email).toBe(false);
      expect(list.some((s) => s.id === openSuite.id), c.email).toBe(true);
    }
  });

  it('refuses a run of a classified suite to an uncleared runner as if the suite did not exist', async () => {
    const r = await cisa.post('/api/v1/evaluations/runs', { suiteId: classifiedSuite.id, grantId: cisaGrant });
    expect(r.status).toBe(404);
    const [{ n }] = await t.rows<{ n: number }>('select count(*)::int as n from evaluation_runs where owner_org_id = $1', [org.cisa]);
    expect(Number(n)).toBe(0);
  });

  it('hides benchmark scores from the developer and from uncleared analysts; the developer reads no suite, run or score', async () => {
    for (const c of [dev, cisa, oncd, partner]) {
      expect((await c.get(`/api/v1/determinations/benchmark-runs/${classifiedRun}/scores`)).status, c.email).toBe(404);
      expect((await c.get(`/api/v1/evaluations/runs/${classifiedRun}`)).status, c.email).toBe(404);
    }
    expect((await dev.get(`/api/v1/evaluations/suites/${openSuite.id}`)).status).toBe(404);
    expect((await dev.get('/api/v1/evaluations/suites')).status).toBe(403);
    expect((await dev.get('/api/v1/evaluations/runs')).status).toBe(403);
    // The gateway's usage view shows the lab who and how much, never content.
    const [{ model_id }] = await t.rows<{ model_id: string }>('select model_id from evaluation_runs where id = $1', [classifiedRun]);
    const usage = await dev.get(`/api/v1/models/${model_id}/gateway/usage`);
    expect(usage.status).toBe(200);
    expect(JSON.stringify(usage.body)).not.toMatch(/Telnet|firewall|Answer the following/);
  });

  it('refuses to link a suite to a benchmark the importer cannot read (404) or to mark above the importer’s clearance (403)', async () => {
    expect((await cisa.post('/api/v1/evaluations/suites/import', body({ benchmarkId, benchmarkDomain: 'cyber' }))).status).toBe(404);
    expect((await cisa.post('/api/v1/evaluations/suites/import', body({ classification: 'TOP SECRET' }))).status).toBe(403);
    expect((await cisa.post('/api/v1/evaluations/suites/import', body({ classification: 'SECRET', compartments: ['BENCH'] }))).status).toBe(403);
  });
});

describe('runs belong to the runner’s organisation', () => {
  it('another organisation’s run does not exist: read, results, aggregates, export, compare, cancel', async () => {
    for (const path of ['', '/results', '/aggregates', '/export?format=json', '/export?format=csv']) {
      expect((await cisa.get(`/api/v1/evaluations/runs/${nsaRun}${path}`)).status, path).toBe(404);
      expect((await partner.get(`/api/v1/evaluations/runs/${nsaRun}${path}`)).status, path).toBe(404);
    }
    expect((await cisa.get(`/api/v1/evaluations/compare?a=${nsaRun}&b=${nsaRun}`)).status).toBe(404);
    expect((await cisa.post(`/api/v1/evaluations/runs/${nsaRun}/cancel`, {})).status).toBe(404);
    expect(((await cisa.get('/api/v1/evaluations/runs')).body.items as { id: string }[]).some((r) => r.id === nsaRun)).toBe(false);
  });

  it('a runner cannot use another organisation’s grant, nor run without the evaluations role', async () => {
    expect((await cisa.post('/api/v1/evaluations/runs', { suiteId: openSuite.id, grantId: nsaGrant })).status).toBe(404);
    expect((await partner.post('/api/v1/evaluations/runs', { suiteId: openSuite.id, grantId: nsaGrant })).status).toBe(404);
    expect((await dev.post('/api/v1/evaluations/runs', { suiteId: openSuite.id, grantId: nsaGrant })).status).toBe(403);
    expect((await cisa.post('/api/v1/evaluations/runs', { suiteId: openSuite.id, grantId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    // The partner holds no grant at all: it has nothing to run under.
    expect((await partner.get('/api/v1/evaluations/grants')).body.items).toEqual([]);
  });

  it('a revoked grant cannot start a run (409)', async () => {
    const m = await insertModel(t);
    const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.cisa], closesAt: inDays(20).toISOString() });
    const grants = (await dev.get(`/api/v1/models/${m.id}/gateway/grants`)).body.items as { grantId: string }[];
    await t.rows('update access_grants set revoked_at = now() where id = $1', [grants[0].grantId]);
    expect(w.status).toBe(201);
    expect((await cisa.post('/api/v1/evaluations/runs', { suiteId: openSuite.id, grantId: grants[0].grantId })).status).toBe(409);
  });
});

describe('imports are validated and all-or-nothing', () => {
  it('a bad mapping gives a 400 naming the row and field, and writes nothing', async () => {
    const [{ n: before }] = await t.rows<{ n: number }>('select count(*)::int as n from evaluation_samples');
    const r = await nsa.post('/api/v1/evaluations/suites/import', body({ name: 'Broken', mapping: { ...SAMPLE_MAPPING, target: 'solution' } }));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('content');
    expect(r.body.errors[0].message).toMatch(/line 1, field "solution": missing target/);
    const bad = await nsa.post('/api/v1/evaluations/suites/import', body({ name: 'Broken', format: 'csv', content: 'a,b\n1,2,3\n', mapping: { input: 'a', target: 'b' } }));
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/row 1/);
    const strict = await nsa.post('/api/v1/evaluations/suites/import', body({ name: 'Broken', mapping: { ...SAMPLE_MAPPING, extra: 'x' } }));
    expect(strict.status).toBe(400);
    const noChoices = await nsa.post('/api/v1/evaluations/suites/import', body({ name: 'Broken', format: 'json', content: '[{"q":"x","a":"y"}]', mapping: { input: 'q', target: 'a' } }));
    expect(noChoices.status).toBe(400);
    expect(noChoices.body.errors[0].path).toBe('mapping.choices');
    const [{ n: after }] = await t.rows<{ n: number }>('select count(*)::int as n from evaluation_samples');
    expect(after).toBe(before);
    expect(await t.rows("select id from evaluation_suites where name = 'Broken'")).toEqual([]);
  });

  it('only suite managers import (a partner reviewer may run but not import)', async () => {
    expect((await partner.post('/api/v1/evaluations/suites/import', body())).status).toBe(403);
    expect((await dev.post('/api/v1/evaluations/suites/import', body())).status).toBe(403);
  });

  it('CSV export neutralises spreadsheet formulas', async () => {
    const imp = await nsa.post('/api/v1/evaluations/suites/import', { name: 'Formulas', version: '1', format: 'json', content: JSON.stringify([{ id: '=HYPERLINK("http://x")', q: '=1+2 say hi', a: 'hi' }]), mapping: { input: 'q', target: 'a', id: 'id' }, scorer: { kind: 'includes' } });
    expect(imp.status, JSON.stringify(imp.body)).toBe(201);
    const r = await nsa.post('/api/v1/evaluations/runs', { suiteId: imp.body.id, grantId: nsaGrant });
    await finished(r.body.id);
    const csv = await fetch(`${t.url}/api/v1/evaluations/runs/${r.body.id}/export?format=csv`, { headers: { cookie: nsa.cookie! } });
    const lines = (await csv.text()).split('\r\n');
    expect(lines[1].startsWith(`"'=HYPERLINK(""http://x"")"`)).toBe(true);
  });
});
