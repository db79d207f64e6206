import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/types.ts';
import { SECURITY_HEADERS } from '../../server/security-headers.ts';
import { estimateTokens, GatewayError, promptTextOf, readSse, usageOfJson, type KeyContext } from './gateway.fns.ts';
import type { GatewayService } from './gateway.service.ts';

// The proxy: /gateway/v1/* (outside /api/, so the session hook leaves it alone; these routes
// authenticate gateway keys themselves). Upstream calls go through keep-alive agents shared by the
// process. Answers from the upstream — errors, 429s and their Retry-After included — are passed back
// as they are; errors of the gateway itself use OpenAI's error shape, which OpenAI clients parse.

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256, scheduling: 'lifo' });
/** Upstream response headers worth passing back (rate-limit hints above all). */
const PASS_HEADERS = ['retry-after', 'retry-after-ms', 'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'];
/** The most of a response kept for the encrypted transcript. */
const MAX_RECORDED = 1024 * 1024;

interface Upstream {
  baseUrl: string;
  model: string;
  apiKey: string;
}

class UpstreamTimeout extends Error {}

function callUpstream(up: Upstream, method: 'GET' | 'POST', path: string, payload: string | null, timeoutMs: number): { req: ClientRequest; response: Promise<IncomingMessage> } {
  const url = new URL(up.baseUrl + path);
  const https = url.protocol === 'https:';
  const headers: Record<string, string | number> = { authorization: `Bearer ${up.apiKey}`, accept: 'application/json, text/event-stream' };
  if (payload !== null) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  const req = (https ? httpsRequest : httpRequest)({ protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: https ? httpsAgent : httpAgent });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  req.setTimeout(timeoutMs, () => req.destroy(new UpstreamTimeout('upstream timeout')));
  req.end(payload ?? undefined);
  return { req, response };
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    res.on('data', (d: Buffer) => parts.push(d));
    res.once('end', () => resolve(Buffer.concat(parts)));
    res.once('error', reject);
    res.once('aborted', () => reject(new Error('upstream aborted')));
  });
}

function upstreamFailure(err: unknown): GatewayError {
  if (err instanceof UpstreamTimeout) return new GatewayError(504, 'The model endpoint did not answer in time.', 'timeout', 'upstream_timeout');
  return new GatewayError(502, 'The model endpoint could not be reached.', 'api_connection_error', 'upstream_unavailable');
}

/** The developer's connection test: GET {base}/models, or a one-token chat call if that route is missing. */
export async function testUpstream(up: Upstream, timeoutMs: number): Promise<{ ok: boolean; status: number | null; latencyMs: number; detail: string }> {
  const t0 = performance.now();
  const ms = () => Math.round((performance.now() - t0) * 10) / 10;
  try {
    const m = callUpstream(up, 'GET', '/models', null, timeoutMs);
    const res = await m.response;
    const text = (await readAll(res)).toString('utf8');
    if (res.statusCode === 200) {
      let ids: string[] = [];
      try {
        ids = ((JSON.parse(text) as { data?: { id?: unknown }[] }).data ?? []).map((d) => String(d.id));
      } catch {
        return { ok: false, status: 200, latencyMs: ms(), detail: 'GET /models answered, but not with an OpenAI model list.' };
      }
      return ids.includes(up.model)
        ? { ok: true, status: 200, latencyMs: ms(), detail: `Connected; the endpoint serves ${up.model}.` }
        : { ok: false, status: 200, latencyMs: ms(), detail: `Connected, but the endpoint does not list the model ${up.model}.` };
    }
    if (res.statusCode === 401 || res.statusCode === 403) return { ok: false, status: res.statusCode, latencyMs: ms(), detail: 'The endpoint refused the API key.' };
    const c = callUpstream(up, 'POST', '/chat/completions', JSON.stringify({ model: up.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }), timeoutMs);
    const cr = await c.response;
    await readAll(cr);
    const ok = cr.statusCode === 200;
    return { ok, status: cr.statusCode ?? null, latencyMs: ms(), detail: ok ? 'Connected (a one-token chat completion succeeded).' : `The endpoint answered a test chat completion with HTTP ${cr.statusCode}.` };
  } catch (err) {
    return { ok: false, status: null, latencyMs: ms(), detail: err instanceof UpstreamTimeout ? 'The endpoint did not answer in time.' : `Could not connect: ${(err as NodeJS.ErrnoException).code ?? 'connection failed'}.` };
  }
}

function sendError(reply: FastifyReply, err: GatewayError) {
  return reply.code(err.status).headers(err.headers).type('application/json').send(err.body());
}

function passHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of PASS_HEADERS) {
    const v = res.headers[h];
    if (typeof v === 'string') out[h] = v;
  }
  return out;
}

export function gatewayProxyRoutes(app: App, gw: GatewayService) {
  const tags = ['gateway'];
  const errorHandler = (err: Error & { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const e = new GatewayError(status, status === 500 ? 'The gateway failed.' : err.message, status === 500 ? 'server_error' : 'invalid_request_error', status === 500 ? 'internal_error' : 'invalid_request');
    return sendError(reply, e);
  };

  app.get('/gateway/v1/models', {
    schema: { tags, summary: 'OpenAI-compatible: the model this gateway key reaches', security: [{ bearer: [] }] },
    config: { auth: 'none' },
    errorHandler,
    handler: async (request, reply) => {
      const t0 = performance.now();
      let ctx: KeyContext;
      try {
        ctx = await gw.authenticate(request.headers.authorization);
      } catch (e) {
        if (e instanceof GatewayError) return sendError(reply, e);
        throw e;
      }
      const denied = gw.check(ctx);
      gw.record(ctx, { at: new Date(), endpoint: 'models', status: denied?.status ?? 200, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: false, errorCode: denied?.code ?? null, request: null, response: null });
      if (denied) return sendError(reply, denied);
      return { object: 'list', data: [{ id: ctx.modelName, object: 'model', created: Math.floor(ctx.windowOpensAt / 1000), owned_by: 'forewarn-gateway' }] };
    },
  });

  app.post('/gateway/v1/chat/completions', {
    schema: { tags, summary: 'OpenAI-compatible chat completions through the gateway (streaming and not), with a gateway key', security: [{ bearer: [] }] },
    config: { auth: 'none' },
    bodyLimit: 8 * 1024 * 1024,
    errorHandler,
    handler: async (request, reply) => {
      const t0 = performance.now();
      const at = new Date();
      let ctx: KeyContext;
      try {
        ctx = await gw.authenticate(request.headers.authorization);
      } catch (e) {
        if (e instanceof GatewayError) return sendError(reply, e);
        throw e;
      }
      const refuse = (err: GatewayError) => {
        gw.record(ctx, { at, endpoint: 'chat.completions', status: err.status, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: false, errorCode: err.code, request: null, response: null });
        return sendError(reply, err);
      };
      const denied = gw.check(ctx);
      if (denied) return refuse(denied);
      const body = request.body as Record<string, unknown> | null;
      if (!body || typeof body !== 'object' || Array.isArray(body)) return refuse(new GatewayError(400, 'The body must be a JSON object.', 'invalid_request_error', 'invalid_body'));
      if (body.model !== ctx.modelName && body.model !== ctx.modelId) return refuse(new GatewayError(404, `This key reaches the model '${ctx.modelName}' only, not '${String(body.model)}'.`, 'invalid_request_error', 'model_not_found'));
      const limited = gw.admit(ctx);
      if (limited) return refuse(limited);
      const up = ctx.upstream;
      if (!up) return refuse(new GatewayError(503, 'The developer has not registered an endpoint for this model yet.', 'server_error', 'upstream_not_configured'));

      const requestText = JSON.stringify(body);
      const forwarded = JSON.stringify({ ...body, model: up.model });
      const streaming = body.stream === true;
      const call = callUpstream(up, 'POST', '/chat/completions', forwarded, gw.upstreamTimeoutMs);
      let res: IncomingMessage;
      try {
        res = await call.response;
      } catch (err) {
        const e = upstreamFailure(err);
        gw.record(ctx, { at, endpoint: 'chat.completions', status: e.status, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: streaming, errorCode: e.code, request: requestText, response: null });
        return sendError(reply, e);
      }
      const status = res.statusCode ?? 502;
      const contentType = res.headers['content-type'] ?? 'application/json';
      if (!streaming || status !== 200 || !contentType.includes('text/event-stream')) {
        let buf: Buffer;
        try {
          buf = await readAll(res);
        } catch (err) {
          const e = upstreamFailure(err);
          gw.record(ctx, { at, endpoint: 'chat.completions', status: e.status, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: streaming, errorCode: e.code, request: requestText, response: null });
          return sendError(reply, e);
        }
        const text = buf.toString('utf8');
        const usage = status < 300 ? usageOfJson(text) : null;
        gw.record(ctx, {
          at,
          endpoint: 'chat.completions',
          status,
          latencyMs: performance.now() - t0,
          promptTokens: usage?.promptTokens ?? (status < 300 ? estimateTokens(promptTextOf(body)) : 0),
          completionTokens: usage?.completionTokens ?? 0,
          streamed: false,
          errorCode: status < 300 ? null : 'upstream_error',
          request: requestText,
          response: text.length > MAX_RECORDED ? text.slice(0, MAX_RECORDED) : text,
        });
        // Written straight to the socket: the upstream's bytes need no serialiser or onSend hooks
        // (the security headers of the onRequest hook are set here instead, as for streams).
        reply.hijack();
        reply.raw.writeHead(status, { ...SECURITY_HEADERS, 'content-type': contentType, 'content-length': buf.length, ...passHeaders(res) });
        reply.raw.end(buf);
        return reply;
      }

      // Streaming: pass each chunk on as it arrives; keep a copy for the transcript and the usage.
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, { ...SECURITY_HEADERS, 'content-type': contentType, 'cache-control': 'no-cache', connection: 'keep-alive', ...passHeaders(res) });
      let copy = '';
      let done = false;
      let errorCode: string | null = null;
      const finish = () => {
        if (done) return;
        done = true;
        unregister();
        const sse = readSse(copy);
        gw.record(ctx, {
          at,
          endpoint: 'chat.completions',
          status: 200,
          latencyMs: performance.now() - t0,
          promptTokens: sse.usage?.promptTokens ?? estimateTokens(promptTextOf(body)),
          completionTokens: sse.usage?.completionTokens ?? sse.chunks,
          streamed: true,
          errorCode,
          request: requestText,
          response: sse.content,
        });
      };
      const endWithError = (e: GatewayError) => {
        if (done) return;
        errorCode = e.code;
        if (!raw.writableEnded) raw.end(`data: ${e.body()}\n\n`);
        call.req.destroy();
        finish();
      };
      const unregister = gw.openStream({ ctx, cut: (reason) => endWithError(new GatewayError(403, reason, 'access_revoked', 'access_revoked')) });
      res.on('data', (chunk: Buffer) => {
        if (done) return;
        if (copy.length < MAX_RECORDED) copy += chunk.toString('utf8');
        if (!raw.write(chunk)) {
          res.pause();
          raw.once('drain', () => res.resume());
        }
      });
      res.once('end', () => {
        if (done) return;
        raw.end();
        finish();
      });
      res.once('error', (err) => endWithError(upstreamFailure(err)));
      res.once('aborted', () => endWithError(upstreamFailure(new Error('aborted'))));
      call.req.once('error', (err) => endWithError(upstreamFailure(err)));
      raw.once('close', () => {
        if (done) return;
        errorCode = 'client_closed';
        call.req.destroy();
        finish();
      });
      return reply;
    },
  });
}
