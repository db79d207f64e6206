import Fastify, { type FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, startTestInstance, userIdOf, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertModel } from '../reviews/reviews.fixtures.ts';
import { startModelServer, type ModelServer } from '../../dev/model-server.ts';
import type { App } from '../../server/types.ts';
import { createGatewayService, type GatewayService } from './gateway.service.ts';
import { gatewayProxyRoutes } from './gateway.proxy.ts';

// The access rules of the gateway, one negative test each, and marking by purpose. Marking by
// purpose needs the evaluations module's run lookup; until the composition root passes it, a second
// gateway service on the same database, with a lookup of this test's own, serves those requests
// (and one with a short upstream timeout), mounted exactly as the real one is.

let t: TestInstance;
let up: ModelServer;
let dev: Client;
let nsa: Client;
let cisa: Client;
let treasury: Client;
let partner: Client;
const org: Record<string, string> = {};
const UPSTREAM_KEY = 'sk-upstream-security';
const SECRET = 3;
let gw2: GatewayService;
let app2: FastifyInstance;
let url2: string;
const runs = new Map<string, { runner: string; marking: { classification: number; compartments: string[] } }>();
let lookups = 0;

beforeAll(async () => {
  t = await startTestInstance();
  up = await startModelServer({ key: UPSTREAM_KEY, models: ['meridian-internal-7'] });
  for (const [k, name] of Object.entries({ nsa: 'National Security Agency', cisa: 'Cybersecurity and Infrastructure Security Agency', treasury: 'Department of the Treasury' })) org[k] = await orgIdOf(t, name);
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  cisa = await as(t.url, 'cisa.analyst@cisa.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
  partner = await as(t.url, 'partner@sentinel.demo');
  const s = t.fw.services;
  gw2 = createGatewayService(
    { db: t.fw.database.db, audit: s.audit, keyring: s.keyring, notify: s.notify, queue: s.queue, clock: () => new Date() },
    {
      listen: t.fw.database.listen,
      // Long enough that a loaded machine's ordinary replies never time out; the slow ones sleep past it.
      upstreamTimeoutMs: 1500,
      flushMs: 100,
      markingOfRun: async (runId, userId) => {
        lookups++;
        const r = runs.get(runId);
        return r && r.runner === userId ? r.marking : null;
      },
    },
  );
  app2 = Fastify();
  gatewayProxyRoutes(app2 as unknown as App, gw2);
  url2 = await app2.listen({ port: 0, host: '127.0.0.1' });
}, 120_000);
afterAll(async () => {
  await app2?.close();
  await t?.close();
  await up?.close();
});

async function setup() {
  const m = await insertModel(t);
  const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa, org.treasury], closesAt: inDays(20).toISOString() });
  expect(w.status).toBe(201);
  const e = await dev.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, { baseUrl: `${up.url}/v1`, upstreamModel: 'meridian-internal-7', apiKey: UPSTREAM_KEY });
  expect(e.status).toBe(200);
  const grants = (await dev.get(`/api/v1/models/${m.id}/gateway/grants`)).body.items as { grantId: string; granteeOrgId: string }[];
  const grantOf = (o: string) => grants.find((g) => g.granteeOrgId === org[o])!.grantId;
  const [model] = await t.rows<{ name: string }>('select name from models where id = $1', [m.id]);
  return { modelId: m.id, modelName: model.name, windowId: w.body.id as string, grantOf };
}

async function issue(c: Client, grantId: string) {
  const r = await c.post('/api/v1/gateway/keys', { grantId, name: 'security key' });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; key: string; baseUrl: string };
}

function chat(base: string, key: string, model: string, content = 'Say hello', extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return fetch(`${base}/gateway/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
  });
}

async function errorOf(r: Response) {
  const j = (await r.json()) as { error: { message: string; type: string; code: string } };
  return { status: r.status, ...j.error };
}

async function records(keyId: string) {
  await t.fw.services.gateway.flush();
  await gw2.flush();
  return t.rows<{ id: string; status: number; classification: number; compartments: string[]; error_code: string | null; request_enc: string | null; response_enc: string | null }>(
    "select id, status, classification, compartments, error_code, request_enc, response_enc from gateway_requests where key_id = $1 and endpoint = 'chat.completions' order by at, id",
    [keyId],
  );
}

describe('marking by purpose', () => {
  it("records a run's request at the run's marking when the key's user runs it; another's, unknown or malformed run ids are refused", async () => {
    const s = await setup();
    const nsaUser = await userIdOf(t, 'nsa.analyst@nsa.demo');
    const benchRun = crypto.randomUUID();
    const cuiRun = crypto.randomUUID();
    runs.set(benchRun, { runner: nsaUser, marking: { classification: SECRET, compartments: ['BENCH'] } });
    runs.set(cuiRun, { runner: nsaUser, marking: { classification: 1, compartments: [] } });
    const k = await issue(nsa, s.grantOf('nsa'));
    const kc = await issue(cisa, s.grantOf('cisa'));

    const before = lookups;
    for (let i = 0; i < 3; i++) expect((await chat(url2, k.key, s.modelName, `benchmark item ${i}`, {}, { 'x-forewarn-run': benchRun })).status).toBe(200);
    // The run's answer is cached: one lookup for the three requests.
    expect(lookups - before).toBe(1);
    expect((await chat(url2, k.key, s.modelName, 'a CUI run', {}, { 'x-forewarn-run': cuiRun })).status).toBe(200);
    expect((await chat(url2, k.key, s.modelName, 'no run')).status).toBe(200);
    // Another user's run, an unknown run, a malformed id: refused, and nothing is forwarded.
    const served = up.requests;
    expect(await errorOf(await chat(url2, kc.key, s.modelName, 'not my run', {}, { 'x-forewarn-run': benchRun }))).toMatchObject({ status: 403, code: 'run_not_permitted' });
    expect(await errorOf(await chat(url2, k.key, s.modelName, 'unknown run', {}, { 'x-forewarn-run': crypto.randomUUID() }))).toMatchObject({ status: 403, code: 'run_not_permitted' });
    expect(await errorOf(await chat(url2, k.key, s.modelName, 'bad run', {}, { 'x-forewarn-run': 'run-7' }))).toMatchObject({ status: 400, code: 'invalid_run' });
    expect(up.requests).toBe(served);

    const rows = await records(k.id);
    expect(rows.map((r) => [r.status, r.classification, r.compartments])).toEqual([
      [200, SECRET, ['BENCH']],
      [200, SECRET, ['BENCH']],
      [200, SECRET, ['BENCH']],
      [200, 1, []],
      [200, 1, []],
      [403, 1, []],
      [400, 1, []],
    ]);
    // Refusals are recorded without content.
    expect(rows.slice(5).every((r) => r.request_enc === null && r.response_enc === null)).toBe(true);
    const cisaRows = await records(kc.id);
    expect(cisaRows.map((r) => [r.status, r.error_code, r.classification])).toEqual([[403, 'run_not_permitted', 1]]);
  });

  it('a gateway that cannot check runs refuses a request naming one (never records it lower)', async () => {
    const s = await setup();
    const k = await issue(treasury, s.grantOf('treasury'));
    // The main instance: until the composition root passes the evaluations lookup, it has none; with
    // it, a random run id is unknown. Refused either way.
    expect(await errorOf(await chat(t.url, k.key, s.modelName, 'x', {}, { 'x-forewarn-run': crypto.randomUUID() }))).toMatchObject({ status: 403, code: 'run_not_permitted' });
    expect(await records(k.id)).toHaveLength(1);
  });

  it('who reads a SECRET//BENCH transcript: its own user only at or under their clearance; not a SECRET reader without BENCH, not CUI readers, not the developer (usage only)', async () => {
    const s = await setup();
    const nsaUser = await userIdOf(t, 'nsa.analyst@nsa.demo');
    const run = crypto.randomUUID();
    runs.set(run, { runner: nsaUser, marking: { classification: SECRET, compartments: ['BENCH'] } });
    const k = await issue(nsa, s.grantOf('nsa'));
    expect((await chat(url2, k.key, s.modelName, 'classified benchmark prompt omega', {}, { 'x-forewarn-run': run })).status).toBe(200);
    const [row] = await records(k.id);
    expect(row.classification).toBe(SECRET);
    expect(row.request_enc).not.toContain('omega');

    const mine = await nsa.get(`/api/v1/gateway/transcripts/${row.id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.marking).toEqual({ classification: 'SECRET', compartments: ['BENCH'] });
    expect(mine.body.request).toContain('classified benchmark prompt omega');
    expect((await nsa.get('/api/v1/gateway/transcripts')).body.items.map((x: { id: string }) => x.id)).toContain(row.id);

    // A CUI reviewer whose own request was made for a SECRET//BENCH run (a lookup could only say so if
    // the run were theirs): their own transcript is above their clearance, so it is not there for them.
    const treasuryUser = await userIdOf(t, 'treasury.analyst@treasury.demo');
    const run2 = crypto.randomUUID();
    runs.set(run2, { runner: treasuryUser, marking: { classification: SECRET, compartments: ['BENCH'] } });
    const kt = await issue(treasury, s.grantOf('treasury'));
    expect((await chat(url2, kt.key, s.modelName, 'above my clearance', {}, { 'x-forewarn-run': run2 })).status).toBe(200);
    const [own] = await records(kt.id);
    expect(own.classification).toBe(SECRET);
    expect((await treasury.get(`/api/v1/gateway/transcripts/${own.id}`)).status).toBe(404);
    expect((await treasury.get('/api/v1/gateway/transcripts')).body.items.map((x: { id: string }) => x.id)).not.toContain(own.id);
    expect((await nsa.get(`/api/v1/gateway/transcripts/${own.id}`)).status).toBe(200);
    for (const c of [cisa, treasury, dev, partner]) {
      expect((await c.get(`/api/v1/gateway/transcripts/${row.id}`)).status, c.email).toBe(404);
      expect((await c.get('/api/v1/gateway/transcripts')).body.items.map((x: { id: string }) => x.id), c.email).not.toContain(row.id);
    }
    // The developer sees that the request happened, who made it and how much it used — no content, no marking.
    const u = await dev.get(`/api/v1/models/${s.modelId}/gateway/usage`);
    expect(u.body.items.map((x: { id: string }) => x.id)).toContain(row.id);
    expect(JSON.stringify(u.body)).not.toContain('omega');
    expect(JSON.stringify(u.body)).not.toContain('BENCH');
  });
});

describe('access rules', () => {
  it('a withdrawn model is refused (403 model_withdrawn)', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    expect((await chat(t.url, k.key, s.modelName)).status).toBe(200);
    const w = await dev.post(`/api/v1/models/${s.modelId}/withdraw`, { reason: 'pulled from review' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    const after = await errorOf(await chat(t.url, k.key, s.modelName));
    expect(after.status).toBe(403);
    expect(['model_withdrawn', 'grant_revoked', 'window_closed']).toContain(after.code);
    expect((await fetch(`${t.url}/gateway/v1/models`, { headers: { authorization: `Bearer ${k.key}` } })).status).toBe(403);
  });

  it('a gateway key opens no /api route, and another organisation cannot see, use or revoke a grantee’s keys, usage or transcripts', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    expect((await chat(t.url, k.key, s.modelName, 'nsa private prompt')).status).toBe(200);
    const [row] = await records(k.id);
    const bearer = { authorization: `Bearer ${k.key}` };
    for (const path of ['/api/v1/gateway/transcripts', `/api/v1/gateway/transcripts/${row.id}`, `/api/v1/models/${s.modelId}/gateway/usage`, '/api/v1/gateway/keys']) {
      expect((await fetch(t.url + path, { headers: bearer })).status, path).toBe(401);
    }
    // A partner organisation (not a cleared agency, not the holder, not the developer).
    expect((await partner.get(`/api/v1/gateway/transcripts/${row.id}`)).status).toBe(404);
    expect((await partner.get(`/api/v1/models/${s.modelId}/gateway/usage`)).status).toBe(404);
    expect((await partner.get(`/api/v1/models/${s.modelId}/gateway/keys`)).status).toBe(404);
    expect((await partner.post('/api/v1/gateway/keys', { grantId: s.grantOf('nsa'), name: 'x' })).status).toBe(404);
    // Other reviewers cannot revoke it; it keeps working.
    for (const c of [partner, cisa, treasury]) expect((await c.post(`/api/v1/gateway/keys/${k.id}/revoke`)).status, c.email).toBe(404);
    expect((await nsa.get('/api/v1/gateway/keys')).body.items.find((x: { id: string }) => x.id === k.id).active).toBe(true);
    expect((await chat(t.url, k.key, s.modelName)).status).toBe(200);
    // Nor can the developer read the content.
    expect((await dev.get(`/api/v1/gateway/transcripts/${row.id}`)).status).toBe(404);
  });

  it('rejects a body that is not a JSON object (400) or too large (413), before the upstream', async () => {
    const s = await setup();
    const k = await issue(cisa, s.grantOf('cisa'));
    const served = up.requests;
    const post = (body: string) => fetch(`${t.url}/gateway/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, body });
    expect(await errorOf(await post('{"model":'))).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await errorOf(await post('[1,2]'))).toMatchObject({ status: 400, code: 'invalid_body' });
    expect(await errorOf(await post(JSON.stringify({ model: s.modelName, messages: [{ role: 'user', content: 'x'.repeat(9 * 1024 * 1024) }] })))).toMatchObject({ status: 413 });
    expect(up.requests).toBe(served);
  });
});

describe('upstream failures are passed back faithfully', () => {
  it('429 and 5xx with Retry-After, streaming or not; a timeout is 504; an unreachable endpoint 502 — each recorded', async () => {
    const s = await setup();
    const k = await issue(treasury, s.grantOf('treasury'));
    const r429 = await chat(t.url, k.key, s.modelName, 'x [[fail:429:9]]', { stream: true });
    expect(r429.status).toBe(429);
    expect(r429.headers.get('retry-after')).toBe('9');
    const r503 = await chat(t.url, k.key, s.modelName, 'x [[fail:503:11]]');
    expect(r503.status).toBe(503);
    expect(r503.headers.get('retry-after')).toBe('11');
    expect((await r503.json()).error.message).toBe('Injected failure 503');
    const r500 = await chat(t.url, k.key, s.modelName, 'x [[fail:500]]');
    expect(r500.status).toBe(500);
    // The second service's upstream timeout is 1.5 s.
    const slow = await chat(url2, k.key, s.modelName, 'x [[sleep:4000]]');
    expect(await errorOf(slow)).toMatchObject({ status: 504, code: 'upstream_timeout' });
    const slowStream = await chat(url2, k.key, s.modelName, 'x [[sleep:4000]]', { stream: true });
    expect(slowStream.status).toBe(504);
    const rows = await records(k.id);
    expect(rows.map((r) => r.status)).toEqual([429, 503, 500, 504, 504]);
    expect(rows.slice(0, 3).every((r) => r.error_code === 'upstream_error')).toBe(true);

    const m = await insertModel(t);
    const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.treasury], closesAt: inDays(20).toISOString() });
    await dev.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, { baseUrl: 'http://127.0.0.1:1/v1', upstreamModel: 'meridian-internal-7', apiKey: 'k' });
    const grant = (w.body.grants as { id: string; granteeOrgId: string }[]).find((g) => g.granteeOrgId === org.treasury)!.id;
    const kd = await issue(treasury, grant);
    const [mm] = await t.rows<{ name: string }>('select name from models where id = $1', [m.id]);
    expect(await errorOf(await chat(t.url, kd.key, mm.name))).toMatchObject({ status: 502, code: 'upstream_unavailable' });
  });

  it('the openai client sees the errors as its own types, with the Retry-After', async () => {
    const s = await setup();
    const k = await issue(cisa, s.grantOf('cisa'));
    const client = new OpenAI({ apiKey: k.key, baseURL: k.baseUrl, maxRetries: 0 });
    const limited = await client.chat.completions.create({ model: s.modelName, messages: [{ role: 'user', content: 'x [[fail:429:5]]' }] }).catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect((limited as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('retry-after')).toBe('5');
    const wrong = await client.chat.completions.create({ model: 'another-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await cisa.post(`/api/v1/gateway/keys/${k.id}/revoke`)).status).toBe(200);
    const revoked = await client.chat.completions.create({ model: s.modelName, stream: true, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(revoked).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((revoked as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('key_revoked');
  });

  it('the Fastify routes (app.inject) give the same answers as the fast path', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const app = t.fw.app!;
    const ok = await app.inject({ method: 'POST', url: '/gateway/v1/chat/completions', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, payload: JSON.stringify({ model: s.modelName, messages: [{ role: 'user', content: 'via inject' }] }) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().choices[0].message.content).toContain('via inject');
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    const wrong = await app.inject({ method: 'POST', url: '/gateway/v1/chat/completions', headers: { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' }, payload: JSON.stringify({ model: 'nope', messages: [] }) });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('model_not_found');
    const models = await app.inject({ method: 'GET', url: '/gateway/v1/models', headers: { authorization: `Bearer ${k.key}` } });
    expect(models.json().data[0].id).toBe(s.modelName);
  });
});
