import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertModel } from '../reviews/reviews.fixtures.ts';
import { referenceCorrectLetter, startModelServer, type ModelServer } from '../../dev/model-server.ts';

let t: TestInstance;
let up: ModelServer;
let dev: Client;
let nsa: Client;
let cisa: Client;
let treasury: Client;
const org: Record<string, string> = {};
const UPSTREAM_KEY = 'sk-upstream-secret-123';

beforeAll(async () => {
  t = await startTestInstance();
  up = await startModelServer({ key: UPSTREAM_KEY, models: ['meridian-internal-7'] });
  for (const [k, name] of Object.entries({ nsa: 'National Security Agency', cisa: 'Cybersecurity and Infrastructure Security Agency', treasury: 'Department of the Treasury' })) org[k] = await orgIdOf(t, name);
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  nsa = await as(t.url, 'nsa.analyst@nsa.demo');
  cisa = await as(t.url, 'cisa.analyst@cisa.demo');
  treasury = await as(t.url, 'treasury.analyst@treasury.demo');
}, 120_000);
afterAll(async () => {
  await t?.close();
  await up?.close();
});

/** A covered model with a registered endpoint and an open window for NSA, CISA and Treasury. */
async function setup(name?: string) {
  const m = await insertModel(t, { name });
  const w = await dev.post(`/api/v1/models/${m.id}/windows`, { agencyOrgIds: [org.nsa, org.cisa, org.treasury], closesAt: inDays(20).toISOString() });
  expect(w.status).toBe(201);
  const e = await dev.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, { baseUrl: `${up.url}/v1`, upstreamModel: 'meridian-internal-7', apiKey: UPSTREAM_KEY });
  expect(e.status).toBe(200);
  const grants = (await dev.get(`/api/v1/models/${m.id}/gateway/grants`)).body.items as { grantId: string; granteeOrgId: string }[];
  const grantOf = (o: string) => grants.find((g) => g.granteeOrgId === org[o])!.grantId;
  const [model] = await t.rows<{ name: string }>('select name from models where id = $1', [m.id]);
  return { modelId: m.id, modelName: model.name, windowId: w.body.id as string, grantOf };
}

async function issue(c: Client, grantId: string, extra: Record<string, unknown> = {}) {
  const r = await c.post('/api/v1/gateway/keys', { grantId, name: 'eval key', ...extra });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; key: string; baseUrl: string };
}

function chat(key: string, model: string, content = 'Say hello', extra: Record<string, unknown> = {}) {
  return fetch(`${t.url}/gateway/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], ...extra }),
  });
}

async function errorOf(r: Response) {
  const j = (await r.json()) as { error: { message: string; type: string; code: string } };
  return { status: r.status, ...j.error };
}

describe('upstream endpoint (developer)', () => {
  it('is registered with its key encrypted and never returned; others cannot see or set it', async () => {
    const s = await setup();
    const r = await dev.get(`/api/v1/models/${s.modelId}/gateway/endpoint`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ baseUrl: `${up.url}/v1`, upstreamModel: 'meridian-internal-7', apiKeySet: true });
    expect(JSON.stringify(r.body)).not.toContain(UPSTREAM_KEY);
    const [row] = await t.rows<{ api_key_enc: string }>('select api_key_enc from gateway_endpoints where model_id = $1', [s.modelId]);
    expect(row.api_key_enc).not.toContain(UPSTREAM_KEY);
    expect((await nsa.get(`/api/v1/models/${s.modelId}/gateway/endpoint`)).status).toBe(404);
    expect((await nsa.request('PUT', `/api/v1/models/${s.modelId}/gateway/endpoint`, { baseUrl: 'http://127.0.0.1:1/v1', upstreamModel: 'x', apiKey: 'y' })).status).toBe(404);
    expect((await auditRows(t, 'gateway.endpoint.register')).length).toBeGreaterThan(0);
  });

  it('refuses a non-http URL or a missing key on registration (400) and changes nothing', async () => {
    const m = await insertModel(t);
    for (const body of [
      { baseUrl: 'file:///etc/passwd', upstreamModel: 'x', apiKey: 'k' },
      { baseUrl: 'http://user:pw@127.0.0.1/v1', upstreamModel: 'x', apiKey: 'k' },
      { baseUrl: `${up.url}/v1`, upstreamModel: 'x' },
    ]) {
      const r = await dev.request('PUT', `/api/v1/models/${m.id}/gateway/endpoint`, body);
      expect(r.status).toBe(400);
    }
    expect(await t.rows('select id from gateway_endpoints where model_id = $1', [m.id])).toHaveLength(0);
  });

  it('connection test: ok with the right key, a clear failure with a wrong key or model', async () => {
    const s = await setup();
    const ok = await dev.post(`/api/v1/models/${s.modelId}/gateway/endpoint/test`);
    expect(ok.status).toBe(200);
    expect(ok.body.ok).toBe(true);
    await dev.request('PUT', `/api/v1/models/${s.modelId}/gateway/endpoint`, { baseUrl: `${up.url}/v1`, upstreamModel: 'meridian-internal-7', apiKey: 'wrong' });
    const bad = await dev.post(`/api/v1/models/${s.modelId}/gateway/endpoint/test`);
    expect(bad.body).toMatchObject({ ok: false, status: 401 });
    const e = await dev.get(`/api/v1/models/${s.modelId}/gateway/endpoint`);
    expect(e.body.lastTestOk).toBe(false);
  });
});

describe('gateway keys', () => {
  it('a grantee user issues a key (shown once, stored hashed); other organisations and the developer cannot use its grant', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    expect(k.key).toMatch(/^fwg_/);
    expect(k.baseUrl).toBe(`${t.url}/gateway/v1`);
    const [row] = await t.rows<{ key_hash: string; expires_at: Date }>('select key_hash, expires_at from gateway_keys where id = $1', [k.id]);
    expect(row.key_hash).not.toContain(k.key);
    const list = await nsa.get('/api/v1/gateway/keys');
    expect(list.body.items.find((x: { id: string }) => x.id === k.id)).toBeTruthy();
    expect(JSON.stringify(list.body)).not.toContain(k.key);
    expect((await cisa.post('/api/v1/gateway/keys', { grantId: s.grantOf('nsa'), name: 'x' })).status).toBe(404);
    expect((await dev.post('/api/v1/gateway/keys', { grantId: s.grantOf('nsa'), name: 'x' })).status).toBe(404);
    const devList = await dev.get(`/api/v1/models/${s.modelId}/gateway/keys`);
    expect(devList.body.items.map((x: { id: string }) => x.id)).toContain(k.id);
    expect((await nsa.get(`/api/v1/models/${s.modelId}/gateway/keys`)).status).toBe(404);
  });

  it('refuses an expiry after the grant’s (400)', async () => {
    const s = await setup();
    const r = await nsa.post('/api/v1/gateway/keys', { grantId: s.grantOf('nsa'), name: 'x', expiresAt: inDays(40).toISOString() });
    expect(r.status).toBe(400);
  });
});

describe('the proxy', () => {
  it('an OpenAI client pointed at the gateway works unchanged, non-streaming and streaming', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const client = new OpenAI({ apiKey: k.key, baseURL: k.baseUrl, maxRetries: 0 });
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual([s.modelName]);
    const stem = 'Which protocol does TLS protect?';
    const r = await client.chat.completions.create({ model: s.modelName, messages: [{ role: 'user', content: `${stem}\nA) HTTP\nB) ARP\nC) DHCP\nD) none` }] });
    expect(r.choices[0].message.content).toBe(referenceCorrectLetter(stem));
    expect(r.usage?.prompt_tokens).toBeGreaterThan(0);
    const stream = await client.chat.completions.create({ model: s.modelName, stream: true, messages: [{ role: 'user', content: 'one two three four' }] });
    let text = '';
    let chunks = 0;
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      chunks++;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toMatch(/^Reference reply [0-9a-f]{8}: one two three four$/);
    await t.fw.services.gateway.flush();
    const rows = await t.rows<{ status: number; streamed: boolean; prompt_tokens: number; completion_tokens: number; request_enc: string; response_enc: string; classification: number }>(
      "select status, streamed, prompt_tokens, completion_tokens, request_enc, response_enc, classification from gateway_requests where key_id = $1 and endpoint = 'chat.completions' order by at",
      [k.id],
    );
    expect(rows).toHaveLength(2);
    expect(rows.map((x) => x.streamed)).toEqual([false, true]);
    expect(rows.every((x) => x.status === 200 && x.completion_tokens > 0 && x.classification === 1)).toBe(true);
    expect(rows[1].request_enc).not.toContain('one two three');
  });

  it('passes a stream through chunk by chunk (the first chunk arrives before the last is produced)', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const t0 = Date.now();
    const r = await chat(k.key, s.modelName, 'slow [[chunks:5]] [[chunk-ms:150]]', { stream: true });
    expect(r.headers.get('content-type')).toContain('text/event-stream');
    const reader = r.body!.getReader();
    const first = await reader.read();
    const firstAt = Date.now() - t0;
    expect(new TextDecoder().decode(first.value)).toContain('data: ');
    let rest = '';
    for (;;) {
      const x = await reader.read();
      if (x.done) break;
      rest += new TextDecoder().decode(x.value);
    }
    expect(Date.now() - t0 - firstAt).toBeGreaterThan(500);
    expect(rest.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('passes an upstream 429 back with its Retry-After and body', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const r = await chat(k.key, s.modelName, 'x [[fail:429:7]]');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('7');
    expect((await r.json()).error.message).toBe('Injected failure 429');
    const r5 = await chat(k.key, s.modelName, 'x [[fail:503]]', { stream: true });
    expect(r5.status).toBe(503);
  });

  it('refuses a missing or unknown key (401, OpenAI error shape)', async () => {
    const r = await fetch(`${t.url}/gateway/v1/models`);
    expect(await errorOf(r)).toMatchObject({ status: 401, code: 'invalid_api_key' });
    const r2 = await chat('fwg_not-a-key', 'x');
    expect(await errorOf(r2)).toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('refuses another model’s name: a key reaches its own model only', async () => {
    const a = await setup();
    const b = await setup();
    const k = await issue(cisa, a.grantOf('cisa'));
    expect(await errorOf(await chat(k.key, b.modelName))).toMatchObject({ status: 404, code: 'model_not_found' });
    expect(await errorOf(await chat(k.key, b.modelId))).toMatchObject({ status: 404, code: 'model_not_found' });
    expect((await chat(k.key, a.modelName)).status).toBe(200);
  });

  it('refuses an expired key (401 key_expired)', async () => {
    const s = await setup();
    const k = await issue(treasury, s.grantOf('treasury'), { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await chat(k.key, s.modelName)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    expect(await errorOf(await chat(k.key, s.modelName))).toMatchObject({ status: 401, code: 'key_expired' });
  });

  it('a key revoked by the developer is refused on the very next request; the holder can revoke too', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    expect((await chat(k.key, s.modelName)).status).toBe(200);
    expect((await cisa.post(`/api/v1/gateway/keys/${k.id}/revoke`)).status).toBe(404);
    expect((await dev.post(`/api/v1/gateway/keys/${k.id}/revoke`)).status).toBe(200);
    expect(await errorOf(await chat(k.key, s.modelName))).toMatchObject({ status: 401, code: 'key_revoked' });
    const k2 = await issue(nsa, s.grantOf('nsa'));
    expect((await chat(k2.key, s.modelName)).status).toBe(200);
    expect((await nsa.post(`/api/v1/gateway/keys/${k2.id}/revoke`)).status).toBe(200);
    expect((await chat(k2.key, s.modelName)).status).toBe(401);
    expect((await auditRows(t, 'gateway.key.revoke')).length).toBeGreaterThanOrEqual(2);
  });

  it('requests that arrive together with an uncached key share one lookup; a lookup begun before a revocation does not fill the cache', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const gw = t.fw.services.gateway;
    const auth = `Bearer ${k.key}`;
    const first = gw.resolveKey(auth);
    expect(first).toBeInstanceOf(Promise);
    const together = Array.from({ length: 15 }, () => gw.resolveKey(auth));
    expect(together.every((p) => p === first)).toBe(true);
    expect(await first).toMatchObject({ modelId: s.modelId });
    expect(gw.resolveKey(auth)).not.toBeInstanceOf(Promise); // cached now
    // A change notice while a lookup is in flight: the lookup answers its callers but is not
    // cached (it may predate the change), so the next request looks again.
    gw.invalidate('');
    const inFlight = gw.resolveKey(auth);
    expect(inFlight).toBeInstanceOf(Promise);
    gw.invalidate('');
    expect(await inFlight).toMatchObject({ modelId: s.modelId });
    expect(gw.resolveKey(auth)).toBeInstanceOf(Promise);
    expect((await dev.post(`/api/v1/gateway/keys/${k.id}/revoke`)).status).toBe(200);
    expect(await errorOf(await chat(k.key, s.modelName))).toMatchObject({ status: 401, code: 'key_revoked' });
  });

  it('in-process calls (an evaluation worker in this process): the body limit applies as over HTTP, and a caller gone before its key is looked up causes no upstream call', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const local = t.fw.services.gateway.inProcess!;
    expect(local).toBeTruthy();
    const headers = { authorization: `Bearer ${k.key}` };
    const body = (content: string) => JSON.stringify({ model: s.modelName, messages: [{ role: 'user', content }] });
    const ok = local(headers, body('Say hello'));
    expect((await ok.answer).status).toBe(200);
    const asked = up.requests;
    const big = local(headers, body('x'.repeat(8 * 1024 * 1024)));
    const tooBig = await big.answer;
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toMatchObject({ error: { code: 'body_too_large' } });
    // A fresh key (not cached yet): cancelled while its lookup is in flight.
    const k2 = await issue(nsa, s.grantOf('nsa'));
    const gone = local({ authorization: `Bearer ${k2.key}` }, body('Say hello'));
    gone.cancel();
    await new Promise((r) => setTimeout(r, 300));
    expect(up.requests).toBe(asked);
  });

  it('enforces the rate limit (429 with Retry-After) and the token quota (429 insufficient_quota)', async () => {
    const s = await setup();
    const nsaGrant = s.grantOf('nsa');
    expect((await nsa.request('PUT', `/api/v1/gateway/grants/${nsaGrant}/limits`, { requestsPerMinute: 2, tokenQuota: null })).status).toBe(404);
    const lim = await dev.request('PUT', `/api/v1/gateway/grants/${nsaGrant}/limits`, { requestsPerMinute: 2, tokenQuota: null });
    expect(lim.status).toBe(200);
    const k = await issue(nsa, nsaGrant);
    expect((await chat(k.key, s.modelName)).status).toBe(200);
    expect((await chat(k.key, s.modelName)).status).toBe(200);
    const third = await chat(k.key, s.modelName);
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await errorOf(third)).code).toBe('rate_limit_exceeded');

    const cisaGrant = s.grantOf('cisa');
    await dev.request('PUT', `/api/v1/gateway/grants/${cisaGrant}/limits`, { requestsPerMinute: null, tokenQuota: 10 });
    const kc = await issue(cisa, cisaGrant);
    expect((await chat(kc.key, s.modelName, 'a long enough prompt to use more than ten tokens in all of its words together')).status).toBe(200);
    expect(await errorOf(await chat(kc.key, s.modelName))).toMatchObject({ status: 429, code: 'insufficient_quota' });
    await t.fw.services.gateway.flush();
    const g = (await dev.get(`/api/v1/models/${s.modelId}/gateway/grants`)).body.items.find((x: { grantId: string }) => x.grantId === cisaGrant);
    expect(g.tokensUsed).toBeGreaterThan(10);
  });

  it('refuses once the developer revokes the grant, ends the window or withdraws the model (403)', async () => {
    const s = await setup();
    const kn = await issue(nsa, s.grantOf('nsa'));
    const kc = await issue(cisa, s.grantOf('cisa'));
    expect((await chat(kn.key, s.modelName)).status).toBe(200);
    expect((await chat(kc.key, s.modelName)).status).toBe(200);
    expect((await dev.del(`/api/v1/windows/${s.windowId}/grants/${s.grantOf('nsa')}`)).status).toBeLessThan(300);
    expect(await errorOf(await chat(kn.key, s.modelName))).toMatchObject({ status: 403, code: 'grant_revoked' });
    expect((await chat(kc.key, s.modelName)).status).toBe(200);
    expect((await dev.post(`/api/v1/windows/${s.windowId}/end`)).status).toBeLessThan(300);
    const after = await errorOf(await chat(kc.key, s.modelName));
    expect(after.status).toBe(403);
    expect(['window_closed', 'grant_revoked']).toContain(after.code);
    // no new key under a closed window
    expect((await cisa.post('/api/v1/gateway/keys', { grantId: s.grantOf('cisa'), name: 'x' })).status).toBe(409);
  });

  it('revocation cuts an open stream within one second', async () => {
    const s = await setup();
    const k = await issue(nsa, s.grantOf('nsa'));
    const r = await chat(k.key, s.modelName, 'long [[chunks:200]] [[chunk-ms:50]]', { stream: true });
    const reader = r.body!.getReader();
    await reader.read();
    const revokedAt = Date.now();
    expect((await dev.post(`/api/v1/gateway/keys/${k.id}/revoke`)).status).toBe(200);
    let tail = '';
    for (;;) {
      const x = await reader.read();
      if (x.done) break;
      tail += new TextDecoder().decode(x.value);
    }
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect(tail).toContain('access_revoked');
    expect(tail).not.toContain('[DONE]');
  });

  it('closing the window cuts an open stream within one second', async () => {
    const s = await setup();
    const k = await issue(cisa, s.grantOf('cisa'));
    const r = await chat(k.key, s.modelName, 'long [[chunks:200]] [[chunk-ms:50]]', { stream: true });
    const reader = r.body!.getReader();
    await reader.read();
    const at = Date.now();
    expect((await dev.post(`/api/v1/windows/${s.windowId}/end`)).status).toBeLessThan(300);
    for (;;) if ((await reader.read()).done) break;
    expect(Date.now() - at).toBeLessThan(1000);
  });
});

describe('records', () => {
  it('the developer sees usage but never content; the holder reads its transcript (audited); a cleared agency analyst too', async () => {
    const s = await setup();
    const k = await issue(treasury, s.grantOf('treasury'));
    expect((await chat(k.key, s.modelName, 'secret evaluation prompt alpha')).status).toBe(200);
    await t.fw.services.gateway.flush();
    const u = await dev.get(`/api/v1/models/${s.modelId}/gateway/usage`);
    expect(u.status).toBe(200);
    expect(u.body.items[0]).toMatchObject({ status: 200, userEmail: 'treasury.analyst@treasury.demo', streamed: false });
    expect(u.body.totals.requests).toBe(1);
    expect(JSON.stringify(u.body)).not.toContain('alpha');
    expect((await treasury.get(`/api/v1/models/${s.modelId}/gateway/usage`)).status).toBe(404);
    const id = u.body.items[0].id as string;
    expect((await dev.get(`/api/v1/gateway/transcripts/${id}`)).status).toBe(404);
    expect((await dev.get('/api/v1/gateway/transcripts')).body.items).toHaveLength(0);
    const mine = await treasury.get(`/api/v1/gateway/transcripts/${id}`);
    expect(mine.status).toBe(200);
    expect(mine.body.request).toContain('secret evaluation prompt alpha');
    expect(mine.body.response).toContain('Reference reply');
    expect(mine.body.marking.classification).toBe('CUI');
    expect((await auditRows(t, 'gateway_request.read')).some((e: { record_id?: string; recordId?: string }) => (e.record_id ?? e.recordId) === id)).toBe(true);
    expect((await nsa.get(`/api/v1/gateway/transcripts/${id}`)).status).toBe(200);
    const [row] = await t.rows<{ request_enc: string }>('select request_enc from gateway_requests where id = $1', [id]);
    expect(row.request_enc).not.toContain('alpha');
  });
});
