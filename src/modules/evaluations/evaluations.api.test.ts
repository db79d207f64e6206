import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertModel } from '../reviews/reviews.fixtures.ts';
import { startModelServer, type ModelServer } from '../../dev/model-server.ts';
import { SAMPLE_MAPPING, sampleAnswerKey, sampleSuiteText } from './demo.ts';

let t: TestInstance;
let dev: Client;
let nsa: Client;
const servers: ModelServer[] = [];
const org: Record<string, string> = {};
const UPSTREAM_KEY = 'sk-upstream-eval-123';

beforeAll(async () => {
  t = await startTestInstance();
  for (const [k, name] of Object.entries({ nsa: 'National Security Agency', cisa: 'Cybersecurity and Infrastructure Security Agency' })) org[k] = await orgIdOf(t, name);
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
}, 300_000);
afterAll(async () => {
  await t?.close();
  for (const s of servers) await s.close();
});

/** A model served by its own reference server, with an open window for NSA and CISA; NSA's grant. */
async function setup(o: { accuracy?: number; delayMs?: number } = {}) {
  const up = await startModelServer({ key: UPSTREAM_KEY, models: ['lab-model'], answerKey: sampleAnswerKey(), accuracy: o.accuracy ?? 1, delayMs: o.delayMs ?? 0 });
  servers.push(up);
  const m = await insertModel(t);
  const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa], closesAt: inDays(20).toISOString() });
  expect(w.status).toBe(201);
  expect((await dev.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, { baseUrl: `${up.url}/v1`, upstreamModel: 'lab-model', apiKey: UPSTREAM_KEY })).status).toBe(200);
  const grants = (await dev.get(`/api/v1/models/${m.id}/gateway/grants`)).body.items as { grantId: string; granteeOrgId: string }[];
  return { up, modelId: m.id, grantId: grants.find((g) => g.granteeOrgId === org.nsa)!.grantId };
}

let sampleSuite: { id: string; versions: { id: string }[] };

async function importSample(c: Client, name: string, extra: Record<string, unknown> = {}) {
  const r = await c.post('/api/v1/evaluations/suites/import', { name, version: '1', format: 'jsonl', content: sampleSuiteText(), mapping: SAMPLE_MAPPING, solver: { mode: 'multiple-choice' }, scorer: { kind: 'choice' }, ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

async function waitFor<T>(what: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting: ${JSON.stringify(v).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const getRun = async (id: string) => (await nsa.get(`/api/v1/evaluations/runs/${id}`)).body;
const finished = (id: string, ms?: number) => waitFor(() => getRun(id), (r) => ['completed', 'failed', 'cancelled', 'stopped'].includes(r.status), ms);

describe('suites', () => {
  it('imports the shipped sample suite from JSONL with a mapping; samples are encrypted at rest', async () => {
    sampleSuite = await importSample(nsa, 'Cyber basics');
    expect(sampleSuite).toMatchObject({ name: 'Cyber basics', marking: { classification: 'UNCLASSIFIED', banner: 'UNCLASSIFIED' }, latestVersion: { version: '1', sampleCount: 40 } });
    expect((sampleSuite as any).latestVersion.domains).toEqual([
      { domain: 'crypto', samples: 10 },
      { domain: 'forensics', samples: 10 },
      { domain: 'network', samples: 10 },
      { domain: 'web', samples: 10 },
    ]);
    const rows = await t.rows<{ body_enc: string }>('select body_enc from evaluation_samples where suite_version_id = $1', [sampleSuite.versions[0].id]);
    expect(rows).toHaveLength(40);
    expect(rows.some((r) => r.body_enc.includes('Telnet'))).toBe(false);
    const samples = await nsa.get(`/api/v1/evaluations/suites/${sampleSuite.id}/versions/${sampleSuite.versions[0].id}/samples?limit=2`);
    expect(samples.status).toBe(200);
    expect(samples.body.total).toBe(40);
    expect(samples.body.items[0]).toMatchObject({ id: 'cb-01', position: 0, domain: 'network', choices: expect.any(Array) });
    expect((await auditRows(t, 'evaluation.suite.import')).length).toBeGreaterThan(0);
    // The suite is listed for an evaluator of another organisation (unclassified suites are shared).
    const cisa = await as(t.url, 'cisa.analyst@cisa.demo');
    expect(((await cisa.get('/api/v1/evaluations/suites')).body.items as { id: string }[]).some((s) => s.id === sampleSuite.id)).toBe(true);
  });

  it('imports CSV (choice columns, 1-based index targets) and JSON; the same name makes a new version; a version never repeats', async () => {
    const csv = 'qid,prompt,a,b,c,correct,area\r\nq1,"Which port, usually, is SSH?",22,80,443,1,network\r\nq2,Which is a hash?,AES,SHA-256,RSA,2,crypto\r\n';
    const r = await nsa.post('/api/v1/evaluations/suites/import', { name: 'CSV suite', version: '1', format: 'csv', content: csv, mapping: { input: 'prompt', choices: ['a', 'b', 'c'], target: 'correct', id: 'qid', domain: 'area', targetAs: 'index1' }, solver: { mode: 'multiple-choice' }, scorer: { kind: 'choice' } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.latestVersion.sampleCount).toBe(2);
    const s = await nsa.get(`/api/v1/evaluations/suites/${r.body.id}/versions/${r.body.latestVersion.id}/samples`);
    expect(s.body.items[1]).toMatchObject({ id: 'q2', target: 'B', choices: ['AES', 'SHA-256', 'RSA'] });
    const json = JSON.stringify({ samples: [{ q: 'Say flag', a: 'flag{x}' }] });
    const v2 = await nsa.post('/api/v1/evaluations/suites/import', { name: 'CSV suite', version: '2', format: 'json', content: json, mapping: { input: 'q', target: 'a' }, scorer: { kind: 'ctf-flag' } });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    expect(v2.body.id).toBe(r.body.id);
    expect(v2.body.versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);
    const again = await nsa.post('/api/v1/evaluations/suites/import', { name: 'CSV suite', version: '2', format: 'json', content: json, mapping: { input: 'q', target: 'a' } });
    expect(again.status).toBe(409);
  });
});

describe('runs through the gateway', () => {
  let run1: any;
  let env1: Awaited<ReturnType<typeof setup>>;

  it('lists the grants a runner holds, runs the suite on the worker queue and stores per-sample results', async () => {
    env1 = await setup();
    const grants = (await nsa.get('/api/v1/evaluations/grants')).body.items as { grantId: string; modelId: string }[];
    expect(grants.find((g) => g.grantId === env1.grantId)).toMatchObject({ modelId: env1.modelId });
    // One process serves the gateway and runs the worker: the worker calls its gateway in-process.
    let overHttp = 0;
    const count = (req: { url?: string }) => void (req.url === '/gateway/v1/chat/completions' && overHttp++);
    t.fw.app!.server.on('request', count);
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env1.grantId, concurrency: 4 });
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    expect(c.body).toMatchObject({ status: 'queued', progress: { total: 40, done: 0 }, modelId: env1.modelId, marking: { classification: 'UNCLASSIFIED' } });
    // The run's gateway key is stored encrypted and never returned.
    const [row] = await t.rows<{ key_secret_enc: string; key_id: string }>('select key_secret_enc, key_id from evaluation_runs where id = $1', [c.body.id]);
    expect(row.key_secret_enc).toBeTruthy();
    expect(JSON.stringify(c.body)).not.toContain('fwg_');
    run1 = await finished(c.body.id);
    expect(run1).toMatchObject({ status: 'completed', progress: { total: 40, done: 40, correct: 40, errors: 0 } });
    expect(env1.up.requests).toBe(40);
    t.fw.app!.server.off('request', count);
    expect(overHttp).toBe(0);
    // Each result is a checkpoint row; the output is encrypted.
    const results = await t.rows<{ output_enc: string; correct: boolean }>('select output_enc, correct from evaluation_results where run_id = $1', [c.body.id]);
    expect(results).toHaveLength(40);
    // (Sealed base64url can hold "cb-" by chance; a sample id with its two digits, practically never.)
    expect(results.every((r) => r.correct && /^fw1\.[\w-]+\.[\w-]+\.[\w-]+$/.test(r.output_enc) && !/cb-\d\d/.test(r.output_enc))).toBe(true);
    // At the end the key is revoked and its secret forgotten.
    const [after] = await t.rows<{ key_secret_enc: string | null }>('select key_secret_enc from evaluation_runs where id = $1', [c.body.id]);
    expect(after.key_secret_enc).toBeNull();
    await waitFor(async () => (await t.rows<{ revoked_at: string | null }>('select revoked_at from gateway_keys where id = $1', [row.key_id]))[0].revoked_at, (v) => v !== null, 5000);
    expect((await auditRows(t, 'evaluation.run.create')).length).toBeGreaterThan(0);
    expect((await auditRows(t, 'evaluation.run.complete')).length).toBeGreaterThan(0);
    // Every request went through the gateway and is recorded there under the run's key.
    await t.fw.services.gateway.flush();
    const [{ n }] = await t.rows<{ n: number }>('select count(*)::int as n from gateway_requests where key_id = $1', [row.key_id]);
    expect(Number(n)).toBe(40);
  });

  it('pages results, aggregates per domain with Wilson intervals and exports JSON and CSV', async () => {
    const page = await nsa.get(`/api/v1/evaluations/runs/${run1.id}/results?limit=5&offset=5`);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ total: 40, limit: 5, offset: 5 });
    expect(page.body.items[0]).toMatchObject({ position: 5, sampleId: 'cb-06', correct: true, score: 1, attempts: 1 });
    expect(page.body.items[0].answer).toMatch(/^[A-D]$/);
    const web = await nsa.get(`/api/v1/evaluations/runs/${run1.id}/results?domain=web&limit=100`);
    expect(web.body.total).toBe(10);
    const agg = await nsa.get(`/api/v1/evaluations/runs/${run1.id}/aggregates`);
    expect(agg.status).toBe(200);
    expect(agg.body.complete).toBe(true);
    expect(agg.body.domains.map((d: { domain: string }) => d.domain)).toEqual(['crypto', 'forensics', 'network', 'web']);
    expect(agg.body.domains[0]).toMatchObject({ n: 10, correct: 10, accuracy: 1 });
    expect(agg.body.domains[0].ci.lower).toBeCloseTo(0.7225, 3); // Wilson 95% for 10/10
    expect(agg.body.overall).toMatchObject({ n: 40, correct: 40 });
    const json = await nsa.get(`/api/v1/evaluations/runs/${run1.id}/export?format=json`);
    expect(json.status).toBe(200);
    expect(json.body.results).toHaveLength(40);
    expect(json.body.run.id).toBe(run1.id);
    const csv = await fetch(`${t.url}/api/v1/evaluations/runs/${run1.id}/export?format=csv`, { headers: { cookie: nsa.cookie! } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('sample_id,domain,score,answer,latency_ms,prompt_tokens,completion_tokens,error,output');
    expect(text.trim().split('\r\n')).toHaveLength(41);
    expect((await auditRows(t, 'evaluation.run.export')).length).toBe(2);
  });

  it('compares two runs (two models) domain by domain', async () => {
    const env2 = await setup({ accuracy: 0.3 });
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env2.grantId, concurrency: 8 });
    expect(c.status).toBe(201);
    const run2 = await finished(c.body.id);
    expect(run2.status).toBe('completed');
    expect(run2.progress.correct).toBeLessThan(40);
    const cmp = await nsa.get(`/api/v1/evaluations/compare?a=${run1.id}&b=${run2.id}`);
    expect(cmp.status).toBe(200);
    const overall = cmp.body.rows.find((r: { domain: string }) => r.domain === 'overall');
    expect(overall.difference).toBeCloseTo(run2.progress.correct / 40 - 1, 6);
    expect(overall.ci.lower).toBeLessThan(overall.difference);
    expect(overall.ci.upper).toBeGreaterThan(overall.difference);
    expect(cmp.body.rows).toHaveLength(5);
  });

  it('retries 5xx and 429 (honouring Retry-After) without recording errors', async () => {
    const env = await setup();
    env.up.failNext(503, { count: 2 });
    env.up.failNext(429, { retryAfter: 1, count: 1 });
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env.grantId, concurrency: 2, sampleLimit: 6 });
    expect(c.status).toBe(201);
    const r = await finished(c.body.id);
    expect(r).toMatchObject({ status: 'completed', progress: { total: 6, done: 6, correct: 6, errors: 0 } });
    expect(env.up.requests).toBe(9);
    const res = (await nsa.get(`/api/v1/evaluations/runs/${c.body.id}/results?limit=10`)).body.items as { attempts: number }[];
    expect(res.reduce((a, x) => a + x.attempts, 0)).toBe(9);
  });

  it('records a sample as errored after the maximum attempts, never retrying endlessly', async () => {
    const env = await setup();
    env.up.failNext(400, { count: 1 }); // not retryable: one attempt
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env.grantId, concurrency: 1, sampleLimit: 2 });
    const r = await finished(c.body.id);
    expect(r).toMatchObject({ status: 'completed', progress: { done: 2, errors: 1, correct: 1 } });
    const errs = (await nsa.get(`/api/v1/evaluations/runs/${c.body.id}/results?outcome=error`)).body.items;
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ attempts: 1, score: null, correct: false });
    expect(errs[0].error).toMatch(/HTTP 400/);
  });

  it('stops a run whose key the developer revokes mid-run; its next request fails and nothing more is asked', async () => {
    const env = await setup({ delayMs: 150 });
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env.grantId, concurrency: 1 });
    expect(c.status).toBe(201);
    await waitFor(() => getRun(c.body.id), (r) => r.progress.done >= 2);
    const [row] = await t.rows<{ key_id: string }>('select key_id from evaluation_runs where id = $1', [c.body.id]);
    expect((await dev.post(`/api/v1/gateway/keys/${row.key_id}/revoke`, {})).status).toBe(200);
    const r = await finished(c.body.id);
    expect(r.status).toBe('stopped');
    expect(r.statusReason).toMatch(/revoked/i);
    expect(r.progress.done).toBeLessThan(40);
    const asked = env.up.requests;
    await new Promise((res) => setTimeout(res, 500));
    expect(env.up.requests).toBe(asked);
    expect((await auditRows(t, 'evaluation.run.stop')).length).toBeGreaterThan(0);
  });

  it('cancels a running run (its key is revoked) and refuses to cancel it twice', async () => {
    const env = await setup({ delayMs: 100 });
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env.grantId, concurrency: 1 });
    await waitFor(() => getRun(c.body.id), (r) => r.progress.done >= 1);
    const x = await nsa.post(`/api/v1/evaluations/runs/${c.body.id}/cancel`, {});
    expect(x.status).toBe(200);
    expect(x.body.status).toBe('cancelled');
    expect((await nsa.post(`/api/v1/evaluations/runs/${c.body.id}/cancel`, {})).status).toBe(409);
    await waitFor(async () => t.fw.services.evaluations.activeShards, (n) => n === 0);
    const asked = env.up.requests;
    await new Promise((res) => setTimeout(res, 400));
    expect(env.up.requests).toBe(asked);
    await waitFor(async () => (await t.rows<{ revoked_at: string | null }>('select k.revoked_at from gateway_keys k join evaluation_runs r on r.key_id = k.id where r.id = $1', [c.body.id]))[0].revoked_at, (v) => v !== null, 5000);
  });

  it('resumes an interrupted run without asking the model again for finished samples', async () => {
    const env = await setup({ delayMs: 60 });
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: sampleSuite.id, grantId: env.grantId, concurrency: 2 });
    await waitFor(() => getRun(c.body.id), (r) => r.progress.done >= 6);
    // A crash: the worker stops mid-shard (in-flight answers are lost) and its queued jobs are gone.
    const evals = t.fw.services.evaluations;
    evals.abortShards();
    await waitFor(async () => evals.activeShards, (n) => n === 0);
    await t.rows(`delete from pgboss.job where name = 'evaluations.run-shard' and data->>'runId' = $1`, [c.body.id]);
    // Requests already on their way through the gateway still reach the model: let them land.
    await new Promise((res) => setTimeout(res, 500));
    const asked = env.up.requests;
    const [{ n: doneBefore }] = await t.rows<{ n: number }>('select count(*)::int as n from evaluation_results where run_id = $1', [c.body.id]);
    expect(Number(doneBefore)).toBeGreaterThanOrEqual(6);
    expect(Number(doneBefore)).toBeLessThan(40);
    // The start-up catch-up finds the lost shard and queues it again.
    expect(await evals.requeueLost()).toBe(1);
    const r = await finished(c.body.id);
    expect(r).toMatchObject({ status: 'completed', progress: { done: 40, correct: 40 } });
    expect(env.up.requests - asked).toBe(40 - Number(doneBefore));
  });

  it('gives no marking to requests that are not the runner’s own run', async () => {
    const evals = t.fw.services.evaluations;
    const nsaUser = (await t.rows<{ id: string }>("select id from users where email = 'nsa.analyst@nsa.demo'"))[0].id;
    expect(await evals.markingOfRun(run1.id, nsaUser)).toEqual({ classification: 0, compartments: [] });
    expect(await evals.markingOfRun(run1.id, '00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(await evals.markingOfRun('not-a-uuid', nsaUser)).toBeNull();
  });
});

describe('benchmark scoring for determinations', () => {
  it('runs the classified benchmark suite, scores it against the adopted thresholds and gives the determination its score', async () => {
    const [b] = await t.rows<{ id: string }>("select id from benchmarks where name = 'Frontier Cyber Benchmark'");
    const suite = await importSample(nsa, 'Benchmark cyber tasks', { benchmarkId: b.id, benchmarkDomain: 'cyber', classification: 'UNCLASSIFIED' });
    // The suite takes the benchmark's marking, whatever was asked.
    expect(suite.marking).toMatchObject({ classification: 'SECRET', compartments: ['BENCH'] });
    const env = await setup({ accuracy: 0.5 });
    const c = await nsa.post('/api/v1/evaluations/runs', { suiteId: suite.id, grantId: env.grantId, concurrency: 8 });
    expect(c.status).toBe(201);
    expect(c.body.marking.banner).toBe('SECRET//BENCH');
    const run = await finished(c.body.id);
    expect(run.status).toBe('completed');
    // The gateway recorded the run's requests at the run's marking (through markingOfRun).
    await t.fw.services.gateway.flush();
    const marks = await t.rows<{ classification: number; compartments: string[] }>('select distinct q.classification, q.compartments from gateway_requests q join evaluation_runs r on r.key_id = q.key_id where r.id = $1', [run.id]);
    expect(marks).toEqual([{ classification: 3, compartments: ['BENCH'] }]);
    const s = await nsa.get(`/api/v1/determinations/benchmark-runs/${run.id}/scores`);
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body).toMatchObject({ runId: run.id, benchmarkId: b.id, complete: true, marking: { banner: 'SECRET//BENCH' }, thresholdVersion: { version: 1 } });
    const cyber = s.body.domains[0];
    expect(cyber).toMatchObject({ domain: 'cyber', n: 40, threshold: 0.6 });
    expect(cyber.score).toBeCloseTo(run.progress.correct / 40, 6);
    expect(cyber.meetsThreshold).toBe(cyber.score >= 0.6);
    const d = await nsa.post('/api/v1/determinations', { modelId: env.modelId, benchmarkId: b.id });
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const att = await nsa.post(`/api/v1/determinations/${d.body.id}/scores-from-run`, { runId: run.id });
    expect(att.status, JSON.stringify(att.body)).toBe(200);
    expect(att.body.scores.cyber).toBeCloseTo(cyber.score, 6);
    expect(att.body.scoreSources.cyber.runId).toBe(run.id);
    expect((await auditRows(t, 'determination.scores_from_run')).length).toBe(1);
    // A run of another model cannot be a determination's score.
    const other = await setup();
    const d2 = await nsa.post('/api/v1/determinations', { modelId: other.modelId, benchmarkId: b.id });
    expect((await nsa.post(`/api/v1/determinations/${d2.body.id}/scores-from-run`, { runId: run.id })).status).toBe(409);
    // Neither the developer nor an uncleared agency analyst learns the scores exist.
    for (const email of ['lab.engineer@meridian.demo', 'oncd.analyst@oncd.demo', 'nist.analyst@nist.demo']) {
      const c2 = await as(t.url, email);
      expect((await c2.get(`/api/v1/determinations/benchmark-runs/${run.id}/scores`)).status, email).toBe(404);
      expect((await c2.get(`/api/v1/evaluations/runs/${run.id}`)).status, email).toBe(404);
    }
  });
});

describe('CLI: forewarn eval import / run', () => {
  it('imports a suite with a --map and runs it with progress lines, then prints per-domain aggregates', async () => {
    const { evalCommand } = await import('./evaluations.cli.ts');
    const { SAMPLE_SUITE_PATH } = await import('./demo.ts');
    const tok = await nsa.post('/api/v1/me/tokens', { name: 'cli test' });
    expect(tok.status).toBe(201);
    const env = await setup();
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: (s: string) => void err.push(s), isTTY: false, pollMs: 100 };
    const base = ['--url', t.url, '--token', tok.body.token];
    expect(await evalCommand(['import', SAMPLE_SUITE_PATH, ...base, '--name', 'CLI suite', '--map', 'input=question,choices=choices,target=answer,id=id,domain=domain', '--solver', 'multiple-choice', '--scorer', 'choice'], io), err.join('')).toBe(0);
    const suiteId = /suite ([0-9a-f-]{36})/.exec(out.join(''))![1];
    expect(out.join('')).toContain('40 samples in crypto 10, forensics 10, network 10, web 10');
    out.length = 0;
    expect(await evalCommand(['run', ...base, '--suite', suiteId, '--grant', env.grantId, '--concurrency', '4'], io), err.join('')).toBe(0);
    const text = out.join('');
    expect(text).toMatch(/\[#+\] 40\/40 done, 0 errors/);
    expect(text).toMatch(/overall\s+40\s+40\s+100\.0%/);
    expect(text).toMatch(/network\s+10\s+10/);
    // A bad mapping is reported with the failing path; nothing is imported.
    err.length = 0;
    expect(await evalCommand(['import', SAMPLE_SUITE_PATH, ...base, '--name', 'CLI broken', '--map', 'input=question,target=nope'], io)).toBe(2);
    expect(err.join('')).toMatch(/400.*\n\s+content: line 1, field "nope": missing target/);
    expect(await evalCommand(['run', ...base], io)).toBe(2);
  });
});

describe('a second instance: the worker over HTTP, runs in shards of 5', () => {
  let t2: TestInstance;
  let nsa2: Client;
  let dev2: Client;
  beforeAll(async () => {
    // Every other run here goes in-process (one process serves the gateway and runs the worker).
    t2 = await startTestInstance({ env: { FOREWARN_EVAL_GATEWAY: 'http', FOREWARN_EVAL_SHARD_SAMPLES: '5' } });
    dev2 = await as(t2.url, 'lab.engineer@meridian.demo');
    nsa2 = await as(t2.url, 'nsa.analyst@nsa.demo');
  }, 300_000);
  afterAll(async () => {
    await t2?.close();
  });

  async function setup2(delayMs: number) {
    const up = await startModelServer({ key: UPSTREAM_KEY, models: ['lab-model'], answerKey: sampleAnswerKey(), accuracy: 1, delayMs });
    servers.push(up);
    const m = await insertModel(t2);
    const nsaOrg = await orgIdOf(t2, 'National Security Agency');
    expect((await dev2.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [nsaOrg], closesAt: inDays(20).toISOString() })).status).toBe(201);
    expect((await dev2.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, { baseUrl: `${up.url}/v1`, upstreamModel: 'lab-model', apiKey: UPSTREAM_KEY })).status).toBe(200);
    const grantId = ((await dev2.get(`/api/v1/models/${m.id}/gateway/grants`)).body.items as { grantId: string }[])[0].grantId;
    return { up, grantId };
  }

  const run2 = async (body: Record<string, unknown>) => {
    const c = await nsa2.post('/api/v1/evaluations/runs', body);
    expect(c.status, JSON.stringify(c.body)).toBe(201);
    return waitFor(
      async () => (await nsa2.get(`/api/v1/evaluations/runs/${c.body.id}`)).body,
      (x) => ['completed', 'failed', 'cancelled', 'stopped'].includes(x.status),
    );
  };

  it('FOREWARN_EVAL_GATEWAY=http: the worker calls the gateway over HTTP at the public address, with the same checks and records', async () => {
    const { up, grantId } = await setup2(0);
    const suite = await importSample(nsa2, 'Over HTTP');
    let overHttp = 0;
    t2.fw.app!.server.on('request', (req: { url?: string }) => void (req.url === '/gateway/v1/chat/completions' && overHttp++));
    const r = await run2({ suiteId: suite.id, grantId, concurrency: 3, sampleLimit: 6 });
    expect(r).toMatchObject({ status: 'completed', progress: { done: 6, correct: 6, errors: 0 } });
    expect(up.requests).toBe(6);
    expect(overHttp).toBe(6);
    await t2.fw.services.gateway.flush();
    const rec = await t2.rows<{ n: number }>(`select count(*)::int as n from gateway_requests where grant_id = $1 and status = 200 and request_enc is not null`, [grantId]);
    expect(rec[0].n).toBe(6);
  }, 120_000);

  it('a run of 8 shards: each sample asked once, every shard done, the next shard starting while the last answers of the one before come in, never more than the run\'s concurrency at once', async () => {
    const { up, grantId } = await setup2(150);
    const suite = await importSample(nsa2, 'Sharded');
    const r = await run2({ suiteId: suite.id, grantId, concurrency: 4 });
    expect(r).toMatchObject({ status: 'completed', progress: { total: 40, done: 40, correct: 40, errors: 0 } });
    expect(up.requests).toBe(40);
    expect(up.mostInFlight).toBeLessThanOrEqual(4);
    expect(up.mostInFlight).toBeGreaterThanOrEqual(3);
    // A sample's start is its finish less its latency: a shard overlaps the one before when its first
    // sample started before the last of the previous one was answered.
    const shards = await t2.rows<{ shard: number; done: boolean; first_start: number; last_finish: number }>(
      `select s.shard, s.done_at is not null as done,
              min(extract(epoch from e.finished_at) * 1000 - e.latency_ms)::float8 as first_start, max(extract(epoch from e.finished_at) * 1000)::float8 as last_finish
         from evaluation_run_shards s join evaluation_results e on e.run_id = s.run_id and e.position >= s.from_position and e.position < s.to_position
        where s.run_id = $1 group by s.shard, s.done_at order by s.shard`,
      [r.id],
    );
    expect(shards).toHaveLength(8);
    expect(shards.every((s) => s.done)).toBe(true);
    // (In the order the shards ran: the queue hands their jobs out in any order.)
    const ran = [...shards].sort((a, b) => a.first_start - b.first_start);
    const overlapped = ran.slice(1).some((s, i) => s.first_start < ran[i].last_finish);
    expect(overlapped).toBe(true);
    const positions = await t2.rows<{ n: number; d: number }>('select count(*)::int as n, count(distinct position)::int as d from evaluation_results where run_id = $1', [r.id]);
    expect(positions[0]).toEqual({ n: 40, d: 40 });
  }, 120_000);
});
