import { ApiClient, signInDemo } from '../http.ts';
import { expectStatus, Stage } from '../runner.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * The voluntary review framework end to end: a lab registers a model and asks whether it is covered;
 * NSA decides "covered" under a threshold adopted after ONCD and CISA consultation; the lab opens a
 * 30-day window for NSA, CISA and Treasury, revokes one grant, moves its release earlier, and the
 * window closes itself at the new release. Nobody else can touch the release.
 */
export async function reviewStage(base: string, password: string): Promise<Stage> {
  const s = new Stage('review');
  let lab!: ApiClient;
  let nsa!: ApiClient;
  let cisa!: ApiClient;
  let oncd!: ApiClient;
  let modelId = '';
  let consultationId = '';
  let thresholdId = '';
  let benchmarkId = '';
  let determinationId = '';
  let windowId = '';
  const agencies: Record<string, string> = {};
  const SECRET_WORDS: string[] = [];

  await s.step('the lab registers a model with a disclosure package item shared with NSA', async () => {
    lab = await signInDemo(base, 'lab.engineer@meridian.demo', password);
    const m = await lab.post('/api/v1/models', {
      name: 'Meridian Scenario',
      version: '1.0',
      modality: 'text',
      plannedReleaseAt: iso(40 * DAY),
      trainingComputeFlop: 2e26,
      computeEstimationMethod: 'accelerator-hours × sustained throughput',
      intendedDeployment: 'public API',
      capabilitySummary: 'strong vulnerability discovery in C and Go code',
    });
    expectStatus(m, 201, 'register model');
    modelId = m.body.id;
    const list = await lab.get('/api/v1/agencies');
    for (const a of list.body.items) agencies[a.agencyCode] = a.id;
    const doc = await lab.post(`/api/v1/models/${modelId}/documents`, {
      kind: 'model_card',
      title: 'Model card',
      filename: 'model-card.md',
      mediaType: 'text/markdown',
      contentBase64: Buffer.from('# Meridian Scenario\nIntended use: general assistant.\n').toString('base64'),
      marking: { classification: 'CUI' },
      caveat: 'PROPIN',
    });
    expectStatus(doc, 201, 'upload document');
    expectStatus(await lab.request('PUT', `/api/v1/models/${modelId}/documents/${doc.body.id}/shares`, { agencyOrgIds: [agencies.NSA] }), 200, 'share document');
    return { modelId };
  });

  await s.step('the lab opens a risk consultation; NSA takes it and answers "would benefit"', async () => {
    const c = await lab.post(`/api/v1/models/${modelId}/consultations`, { question: 'Is this model covered, and would it benefit from review?' });
    expectStatus(c, 201, 'open consultation');
    consultationId = c.body.id;
    nsa = await signInDemo(base, 'nsa.analyst@nsa.demo', password);
    expectStatus(await nsa.post(`/api/v1/consultations/${consultationId}/take`), 200, 'take');
    const a = await nsa.post(`/api/v1/consultations/${consultationId}/answer`, { recommendation: 'would_benefit', message: 'We recommend a pre-release review; a determination follows.' });
    expectStatus(a, 200, 'answer');
    return { status: a.body.status };
  });

  await s.step('NSA proposes a threshold version; ONCD and CISA record their consultation; NSA adopts it', async () => {
    const benchmarks = await nsa.get('/api/v1/benchmarks');
    expectStatus(benchmarks, 200, 'list benchmarks');
    benchmarkId = benchmarks.body.items[0].id;
    SECRET_WORDS.push(benchmarks.body.items[0].name);
    const p = await nsa.post('/api/v1/threshold-versions', { benchmarkId, thresholds: { cyber: 0.55, cbrn: 0.65, autonomy: 0.75 }, note: 'scenario revision' });
    expectStatus(p, 201, 'propose');
    thresholdId = p.body.id;
    const early = await nsa.post(`/api/v1/threshold-versions/${thresholdId}/adopt`);
    if (early.status < 400) throw new Error('adopted without the consultations');
    cisa = await signInDemo(base, 'cisa.analyst@cisa.demo', password);
    oncd = await signInDemo(base, 'oncd.analyst@oncd.demo', password);
    expectStatus(await oncd.post(`/api/v1/threshold-versions/${thresholdId}/consultations`, { position: 'concur' }), 201, 'ONCD consultation');
    expectStatus(await cisa.post(`/api/v1/threshold-versions/${thresholdId}/consultations`, { position: 'concur_with_comment', comment: 'Revisit cyber after the next suite update.' }), 201, 'CISA consultation');
    const adopted = await nsa.post(`/api/v1/threshold-versions/${thresholdId}/adopt`);
    expectStatus(adopted, 200, 'adopt');
    return { refusedBeforeConsultation: early.status, version: adopted.body.version };
  });

  await s.step('NSA decides "covered" with ONCD and CISA sign-offs, naming the benchmark and threshold version', async () => {
    const d = await nsa.post('/api/v1/determinations', { modelId, benchmarkId, thresholdVersionId: thresholdId });
    expectStatus(d, 201, 'create determination');
    determinationId = d.body.id;
    expectStatus(await nsa.patch(`/api/v1/determinations/${determinationId}`, { scores: { cyber: 0.81, cbrn: 0.32, autonomy: 0.4 }, computeFlop: 2e26, judgment: 'covered', rationale: 'Cyber score well above threshold.' }), 200, 'scores');
    expectStatus(await nsa.post(`/api/v1/determinations/${determinationId}/submit`), 200, 'submit');
    expectStatus(await oncd.post(`/api/v1/determinations/${determinationId}/signoffs`, { position: 'concur' }), 201, 'ONCD sign-off');
    expectStatus(await cisa.post(`/api/v1/determinations/${determinationId}/signoffs`, { position: 'concur' }), 201, 'CISA sign-off');
    const decided = await nsa.post(`/api/v1/determinations/${determinationId}/decide`, {
      outcome: 'covered',
      unclassifiedSummary: 'The model is a covered frontier model. A pre-release review is recommended.',
      expiresAt: iso(180 * DAY),
      reevaluationTriggers: ['new_version', 'fine_tune', 'compute_increase'],
    });
    expectStatus(decided, 200, 'decide');
    return { outcome: decided.body.outcome };
  });

  await s.step('the lab sees the outcome, summary, expiry and triggers — and nothing of the benchmark', async () => {
    const n = await lab.get(`/api/v1/models/${modelId}/determination-notice`);
    expectStatus(n, 200, 'notice');
    // Timestamps go first: "…T00:51:10.752Z" would otherwise "mention" 0.75.
    const text = JSON.stringify(n.body).replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})/g, '<time>');
    for (const w of [...SECRET_WORDS, '0.55', '0.65', '0.75', '0.81', 'threshold', 'benchmark']) {
      if (text.toLowerCase().includes(w.toLowerCase())) throw new Error(`the developer's notice mentions ${w}`);
    }
    expectStatus(await lab.get(`/api/v1/determinations/${determinationId}`), 404, 'developer reads the determination');
    expectStatus(await lab.get(`/api/v1/benchmarks/${benchmarkId}`), 404, 'developer reads the benchmark');
    return { outcome: n.body.outcome };
  });

  await s.step('a window longer than the policy maximum is refused and nothing is written', async () => {
    const r = await lab.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: [agencies.NSA], closesAt: iso(35 * DAY) });
    expectStatus(r, 400, 'over-long window');
    const w = await lab.get(`/api/v1/models/${modelId}/windows`);
    if (w.body.items.length) throw new Error('a refused window exists');
  });

  await s.step('the lab opens a 30-day review window for NSA, CISA and Treasury', async () => {
    const r = await lab.post(`/api/v1/models/${modelId}/windows`, { agencyOrgIds: [agencies.NSA, agencies.CISA, agencies.TREASURY], closesAt: iso(30 * DAY - 60_000) });
    expectStatus(r, 201, 'open window');
    windowId = r.body.id;
    const treasury = await signInDemo(base, 'treasury.analyst@treasury.demo', password);
    expectStatus(await treasury.get(`/api/v1/models/${modelId}`), 200, 'Treasury reads the model');
    return { grants: r.body.grants.length };
  });

  await s.step('the lab revokes Treasury’s grant; Treasury’s next read is refused', async () => {
    const w = await lab.get(`/api/v1/windows/${windowId}`);
    const grant = w.body.grants.find((g: { granteeOrgId: string }) => g.granteeOrgId === agencies.TREASURY);
    expectStatus(await lab.del(`/api/v1/windows/${windowId}/grants/${grant.id}`), 200, 'revoke');
    const treasury = await signInDemo(base, 'treasury.analyst@treasury.demo', password);
    expectStatus(await treasury.get(`/api/v1/models/${modelId}`), 404, 'Treasury after revocation');
  });

  await s.step('no agency can move, block or condition the release', async () => {
    const before = (await lab.get(`/api/v1/models/${modelId}`)).body.plannedReleaseAt;
    for (const c of [nsa, cisa]) {
      const r = await c.post(`/api/v1/models/${modelId}/release-date`, { plannedReleaseAt: iso(90 * DAY) });
      if (r.status < 400) throw new Error('an agency moved the release');
      const w = await c.post(`/api/v1/models/${modelId}/withdraw`, {});
      if (w.status < 400) throw new Error('an agency withdrew the model');
    }
    const after = (await lab.get(`/api/v1/models/${modelId}`)).body.plannedReleaseAt;
    if (after !== before) throw new Error('the release date changed');
  });

  await s.step('the lab moves its release earlier; the window shortens to the new release', async () => {
    const r = await lab.post(`/api/v1/models/${modelId}/release-date`, { plannedReleaseAt: iso(3_000), reason: 'shipping early' });
    expectStatus(r, 200, 'move release');
    const w = await lab.get(`/api/v1/windows/${windowId}`);
    if (new Date(w.body.closesAt).getTime() > Date.now() + 3_500) throw new Error('the window did not shorten');
    return { closesAt: w.body.closesAt };
  });

  await s.step('the window closes itself at the new release and its grants end', async () => {
    const w = await until('the window to close', async () => {
      const r = await lab.get(`/api/v1/windows/${windowId}`);
      return r.body.status === 'closed' ? r.body : undefined;
    });
    const live = w.grants.filter((g: { active: boolean }) => g.active);
    if (live.length) throw new Error(`${live.length} window grants still active`);
    return { status: w.status, closeReason: w.closeReason, grantsEnded: w.grants.length };
  });

  return s;
}
