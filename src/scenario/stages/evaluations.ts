import { startModelServer, type ModelServer } from '../../dev/model-server.ts';
import { SAMPLE_MAPPING, sampleAnswerKey, sampleSuiteText } from '../../modules/evaluations/demo.ts';
import { ApiClient, signInDemo } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const FINAL = ['completed', 'failed', 'cancelled', 'stopped'];

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The gateway and the evaluation harness end to end: the lab registers the reference model server
 * as its model's upstream; NSA runs the classified benchmark suite through the gateway with its own
 * grant and the determination takes the run's score; CISA's run is cut off when the lab revokes its
 * key mid-run; the lab sees usage, never benchmark content.
 */
export async function evaluationsStage(base: string, password: string): Promise<Stage> {
  const s = new Stage('evaluations');
  let lab!: ApiClient;
  let nsa!: ApiClient;
  let cisa!: ApiClient;
  let upstream: ModelServer | null = null;
  let modelId = '';
  let benchmarkId = '';
  let benchmarkRunId = '';
  const agencies: Record<string, string> = {};
  const UPSTREAM_KEY = 'sk-scenario-upstream';

  try {
    await s.step('the lab registers a model, NSA answers its consultation, and the lab opens a window for NSA and CISA', async () => {
      lab = await signInDemo(base, 'lab.engineer@meridian.demo', password);
      nsa = await signInDemo(base, 'nsa.analyst@nsa.demo', password);
      cisa = await signInDemo(base, 'cisa.analyst@cisa.demo', password);
      const m = await lab.post('/api/v1/models', {
        name: 'Meridian Eval',
        version: '1.0',
        modality: 'text',
        plannedReleaseAt: iso(40 * DAY),
        trainingComputeFlop: 2e26,
        computeEstimationMethod: 'accelerator-hours × sustained throughput',
        intendedDeployment: 'public API',
        capabilitySummary: 'code assistant',
      });
      expectStatus(m, 201, 'register model');
      modelId = m.body.id;
      for (const a of (await lab.get('/api/v1/agencies')).body.items) agencies[a.agencyCode] = a.id;
      const c = await lab.post(`/api/v1/models/${modelId}/consultations`, { question: 'Would this model benefit from review?' });
      expectStatus(c, 201, 'open consultation');
      expectStatus(await nsa.post(`/api/v1/consultations/${c.body.id}/take`), 200, 'take');
      expectStatus(await nsa.post(`/api/v1/consultations/${c.body.id}/answer`, { recommendation: 'would_benefit', message: 'A pre-release review is recommended.' }), 200, 'answer');
      const w = await lab.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: [agencies.NSA, agencies.CISA], closesAt: iso(20 * DAY) });
      expectStatus(w, 201, 'open window');
      return { grants: w.body.grants.length };
    });

    await s.step('the lab registers the reference model server as the model’s upstream; the connection test passes', async () => {
      upstream = await startModelServer({ key: UPSTREAM_KEY, models: ['meridian-eval'], answerKey: sampleAnswerKey(), accuracy: 0.8, delayMs: 40 });
      expectStatus(await lab.request('PUT', `/api/v1/models/${modelId}/gateway/endpoint`, { baseUrl: `${upstream.url}/v1`, upstreamModel: 'meridian-eval', apiKey: UPSTREAM_KEY }), 200, 'register endpoint');
      const t = await lab.post(`/api/v1/models/${modelId}/gateway/endpoint/test`);
      expectStatus(t, 200, 'connection test');
      if (!t.body.ok) throw new Error(`connection test failed: ${t.body.detail}`);
      return { detail: t.body.detail };
    });

    await s.step('NSA runs the classified benchmark suite through the gateway with its own grant', async () => {
      const b = await nsa.get('/api/v1/benchmarks');
      expectStatus(b, 200, 'benchmarks');
      benchmarkId = b.body.items[0].id;
      const suites = await nsa.get(`/api/v1/evaluations/suites?benchmarkId=${benchmarkId}`);
      expectStatus(suites, 200, 'suites');
      let suiteId: string = suites.body.items.find((x: { benchmarkDomain: string }) => x.benchmarkDomain === 'cyber')?.id;
      if (!suiteId) {
        const imp = await nsa.post('/api/v1/evaluations/suites/import', { name: 'Benchmark cyber tasks (scenario)', version: '1', format: 'jsonl', content: sampleSuiteText(), mapping: SAMPLE_MAPPING, solver: { mode: 'multiple-choice' }, scorer: { kind: 'choice' }, benchmarkId, benchmarkDomain: 'cyber' });
        expectStatus(imp, 201, 'import benchmark suite');
        suiteId = imp.body.id;
      }
      const grants = await nsa.get('/api/v1/evaluations/grants');
      const grant = grants.body.items.find((g: { modelId: string }) => g.modelId === modelId);
      if (!grant) throw new Error('NSA holds no grant on the model');
      const r = await nsa.post('/api/v1/evaluations/runs', { suiteId, grantId: grant.grantId, concurrency: 8 });
      expectStatus(r, 201, 'start run');
      benchmarkRunId = r.body.id;
      const done = await until('the benchmark run to finish', async () => {
        const x = await nsa.get(`/api/v1/evaluations/runs/${benchmarkRunId}`);
        return FINAL.includes(x.body.status) ? x.body : undefined;
      });
      if (done.status !== 'completed') throw new Error(`benchmark run ${done.status}: ${done.statusReason}`);
      return { marking: done.marking.banner, samples: done.progress.done, correct: done.progress.correct };
    });

    await s.step('NSA reads the run’s score against the adopted threshold, and the determination takes it', async () => {
      const sc = await nsa.get(`/api/v1/determinations/benchmark-runs/${benchmarkRunId}/scores`);
      expectStatus(sc, 200, 'benchmark scores');
      const cyber = sc.body.domains[0];
      const d = await nsa.post('/api/v1/determinations', { modelId, benchmarkId });
      expectStatus(d, 201, 'create determination');
      const a = await nsa.post(`/api/v1/determinations/${d.body.id}/scores-from-run`, { runId: benchmarkRunId });
      expectStatus(a, 200, 'scores from run');
      if (Math.abs(a.body.scores.cyber - cyber.score) > 1e-9) throw new Error('the determination does not carry the run score');
      return { domain: cyber.domain, score: Math.round(cyber.score * 1000) / 1000, threshold: cyber.threshold, meetsThreshold: cyber.meetsThreshold };
    });

    await s.step('CISA runs the sample suite; the lab revokes its key mid-run; the next request fails and the run stops', async () => {
      const suites = await cisa.get('/api/v1/evaluations/suites');
      let suiteId: string = suites.body.items.find((x: { marking: { classification: string }; benchmarkId: string | null }) => x.marking.classification === 'UNCLASSIFIED' && !x.benchmarkId)?.id;
      if (!suiteId) {
        const imp = await cisa.post('/api/v1/evaluations/suites/import', { name: 'Cyber basics (scenario)', version: '1', format: 'jsonl', content: sampleSuiteText(), mapping: SAMPLE_MAPPING, solver: { mode: 'multiple-choice' }, scorer: { kind: 'choice' } });
        expectStatus(imp, 201, 'import sample suite');
        suiteId = imp.body.id;
      }
      const grant = (await cisa.get('/api/v1/evaluations/grants')).body.items.find((g: { modelId: string }) => g.modelId === modelId);
      const r = await cisa.post('/api/v1/evaluations/runs', { suiteId, grantId: grant.grantId, concurrency: 1 });
      expectStatus(r, 201, 'start run');
      await until('a few samples', async () => (await cisa.get(`/api/v1/evaluations/runs/${r.body.id}`)).body.progress.done >= 3);
      const keys = await lab.get(`/api/v1/models/${modelId}/gateway/keys`);
      const key = keys.body.items.find((k: { orgId: string; active: boolean }) => k.orgId === agencies.CISA && k.active);
      if (!key) throw new Error('no active CISA key');
      expectStatus(await lab.post(`/api/v1/gateway/keys/${key.id}/revoke`), 200, 'revoke');
      const stopped = await until('the run to stop', async () => {
        const x = await cisa.get(`/api/v1/evaluations/runs/${r.body.id}`);
        return FINAL.includes(x.body.status) ? x.body : undefined;
      });
      if (stopped.status !== 'stopped') throw new Error(`expected stopped, got ${stopped.status}`);
      return { done: stopped.progress.done, total: stopped.progress.total, reason: stopped.statusReason };
    });

    await s.step('the lab sees who used its model and how much — no benchmark content, no scores, no runs', async () => {
      const u = await lab.get(`/api/v1/models/${modelId}/gateway/usage?limit=200`);
      expectStatus(u, 200, 'usage');
      const text = JSON.stringify(u.body);
      for (const w of ['Telnet', 'Answer the following', 'firewall', 'scores', 'threshold']) if (text.includes(w)) throw new Error(`usage shows "${w}"`);
      if (u.body.items.some((i: Record<string, unknown>) => 'request' in i || 'response' in i)) throw new Error('usage carries content');
      expectStatus(await lab.get(`/api/v1/determinations/benchmark-runs/${benchmarkRunId}/scores`), 404, 'lab reads benchmark scores');
      expectStatus(await lab.get(`/api/v1/evaluations/runs/${benchmarkRunId}`), 404, 'lab reads the run');
      return { requests: u.body.items.length };
    });
  } finally {
    if (upstream) await (upstream as ModelServer).close();
  }
  return s;
}
