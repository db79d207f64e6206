import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../server/types.ts';
import { SECURITY_HEADERS } from '../../server/security-headers.ts';
import { estimateTokens, GatewayError, promptTextOf, readSse, usageOfJson, withModel, type KeyContext, type RecordMarking, type Upstream } from './gateway.fns.ts';
import { RUN_HEADER, type GatewayService } from './gateway.service.ts';

// The proxy: /gateway/v1/* (outside /api/, so the session hook leaves it alone; these routes
// authenticate gateway keys themselves). Answers from the upstream — errors, 429s and their
// Retry-After included — are passed back as they are; errors of the gateway itself use OpenAI's
// error shape, which OpenAI clients parse.
//
// Where the time goes (bench/gateway.ts): a pass-through request is two HTTP exchanges, so anything
// per request beyond them shows. Hence: the HTTP server hands /gateway/v1 requests straight to this
// file (see mountFastPath) instead of through Fastify's routing, hooks, per-request logger and body
// parser; the body is parsed once, for the three fields a decision needs, and forwarded as the
// client's own bytes with only the model's name replaced; the key's context (upstream address and
// headers included) is cached, so a cached request takes no promise before the upstream call;
// upstream sockets are kept alive; idle timeouts are one sweep, not a timer per call; the record is
// buffered after the answer is written. The Fastify routes stay, for the API description and for
// app.inject(), and run the same code.

const httpAgent = new HttpAgent({ keepAlive: true, noDelay: true, maxSockets: 512, maxFreeSockets: 256, scheduling: 'lifo' });
const httpsAgent = new HttpsAgent({ keepAlive: true, noDelay: true, maxSockets: 512, maxFreeSockets: 256, scheduling: 'lifo' });
/** Upstream response headers worth passing back (rate-limit hints above all). */
const PASS_HEADERS = ['retry-after', 'retry-after-ms', 'x-ratelimit-limit-requests', 'x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests', 'x-ratelimit-limit-tokens', 'x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'];
/** The most of a response kept for the encrypted transcript. */
const MAX_RECORDED = 1024 * 1024;
/** The largest request body accepted (a long prompt with images as data URLs). */
export const MAX_BODY = 8 * 1024 * 1024;
const SECURITY = Object.entries(SECURITY_HEADERS).flat();
const JSON_HEADERS = [...SECURITY, 'content-type', 'application/json'];

class UpstreamTimeout extends Error {}

/** What the proxy reads of a request besides its body: the headers (key, run id). */
export interface ProxyRequest {
  headers: IncomingHttpHeaders;
}

/** Where the proxy writes its answer: the HTTP response, or an in-process caller's LocalResponse. */
export interface ProxyResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly writableFinished: boolean;
  writeHead(status: number, headers: string[]): unknown;
  write(chunk: Buffer): boolean;
  end(body?: Buffer | string): unknown;
  once(event: 'close' | 'drain', listener: () => void): unknown;
}

interface Call {
  req: ClientRequest;
  response: Promise<IncomingMessage>;
}

/** Calls in flight, for the idle-timeout sweep. */
const inFlight = new Map<ClientRequest, { last: number; timeoutMs: number }>();
let sweeper: NodeJS.Timeout | null = null;
function sweep() {
  const now = performance.now();
  for (const [req, f] of inFlight) {
    if (now - f.last >= f.timeoutMs) {
      inFlight.delete(req);
      req.destroy(new UpstreamTimeout('upstream timeout'));
    }
  }
  if (inFlight.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
}
function watch(req: ClientRequest, timeoutMs: number) {
  inFlight.set(req, { last: performance.now(), timeoutMs });
  // A tenth of the timeout (at most 250 ms) bounds how late a timeout fires.
  if (!sweeper) {
    sweeper = setInterval(sweep, Math.max(10, Math.min(250, timeoutMs / 10)));
    sweeper.unref();
  }
}

function callUpstream(up: Upstream, method: 'GET' | 'POST', path: string, payload: string | null, timeoutMs: number, onResponse?: (res: IncomingMessage) => void, onError?: (err: Error) => void): ClientRequest {
  const headers: string[] = ['host', up.port === (up.https ? 443 : 80) ? up.hostname : `${up.hostname}:${up.port}`, 'authorization', `Bearer ${up.apiKey}`, 'accept', 'application/json, text/event-stream'];
  if (payload !== null) headers.push('content-type', 'application/json', 'content-length', String(Buffer.byteLength(payload)));
  const req = (up.https ? httpsRequest : httpRequest)({ hostname: up.hostname, port: up.port, path: up.path + path, method, headers: headers as unknown as OutgoingHttpHeaders, agent: up.https ? httpsAgent : httpAgent });
  watch(req, timeoutMs);
  // The caller's own handlers call settle(req) when the answer has been read (no extra listeners here).
  req.on('response', (res) => {
    const f = inFlight.get(req);
    if (f) f.last = performance.now();
    onResponse?.(res);
  });
  req.on('error', (err) => {
    inFlight.delete(req);
    onError?.(err);
  });
  req.end(payload ?? undefined);
  return req;
}

function settle(req: ClientRequest) {
  inFlight.delete(req);
}

function call(up: Upstream, method: 'GET' | 'POST', path: string, payload: string | null, timeoutMs: number): Call {
  let req!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req = callUpstream(
      up,
      method,
      path,
      payload,
      timeoutMs,
      (res) => {
        res.once('close', () => settle(req));
        resolve(res);
      },
      reject,
    );
  });
  return { req, response };
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    res.on('data', (d: Buffer) => parts.push(d));
    res.once('end', () => resolve(parts.length === 1 ? parts[0] : Buffer.concat(parts)));
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
    const m = call(up, 'GET', '/models', null, timeoutMs);
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
    const c = call(up, 'POST', '/chat/completions', JSON.stringify({ model: up.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }), timeoutMs);
    const cr = await c.response;
    await readAll(cr);
    const ok = cr.statusCode === 200;
    return { ok, status: cr.statusCode ?? null, latencyMs: ms(), detail: ok ? 'Connected (a one-token chat completion succeeded).' : `The endpoint answered a test chat completion with HTTP ${cr.statusCode}.` };
  } catch (err) {
    return { ok: false, status: null, latencyMs: ms(), detail: err instanceof UpstreamTimeout ? 'The endpoint did not answer in time.' : `Could not connect: ${(err as NodeJS.ErrnoException).code ?? 'connection failed'}.` };
  }
}

function sendError(res: ProxyResponse, err: GatewayError) {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const body = err.body();
  const headers = [...JSON_HEADERS, 'content-length', String(Buffer.byteLength(body))];
  for (const [k, v] of Object.entries(err.headers)) headers.push(k, v);
  res.writeHead(err.status, headers);
  res.end(body);
}

function passHeaders(res: IncomingMessage, out: string[]): string[] {
  const h = res.headers;
  for (const name of PASS_HEADERS) {
    const v = h[name];
    if (typeof v === 'string') out.push(name, v);
  }
  return out;
}

interface Body {
  model?: unknown;
  stream?: unknown;
  messages?: unknown;
}

/** The proxy's two operations on raw requests and responses, shared by the fast path and the Fastify routes. */
export function createProxy(gw: GatewayService) {
  function models(req: ProxyRequest, res: ProxyResponse) {
    const t0 = performance.now();
    const at = new Date();
    const done = (r: KeyContext | GatewayError) => {
      if (r instanceof GatewayError) return sendError(res, r);
      const denied = gw.check(r);
      if (denied) sendError(res, denied);
      else {
        const body = JSON.stringify({ object: 'list', data: [{ id: r.modelName, object: 'model', created: Math.floor(r.windowOpensAt / 1000), owned_by: 'forewarn-gateway' }] });
        res.writeHead(200, [...JSON_HEADERS, 'content-length', String(Buffer.byteLength(body))]);
        res.end(body);
      }
      gw.record(r, { at, endpoint: 'models', status: denied?.status ?? 200, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: false, errorCode: denied?.code ?? null, request: null, response: null });
    };
    const r = gw.resolveKey(req.headers.authorization);
    if (r instanceof Promise) r.then(done, (err: unknown) => internal(res, err));
    else done(r);
  }

  function internal(res: ProxyResponse, err: unknown) {
    gw.reportError(err as Error);
    sendError(res, new GatewayError(500, 'The gateway failed.', 'server_error', 'internal_error'));
  }

  function chat(req: ProxyRequest, res: ProxyResponse, body: Buffer | string) {
    const t0 = performance.now();
    const at = new Date();
    const r = gw.resolveKey(req.headers.authorization);
    if (r instanceof Promise) r.then((x) => decide(x, req, res, body, t0, at), (err: unknown) => internal(res, err));
    else decide(r, req, res, body, t0, at);
  }

  function refusal(ctx: KeyContext, res: ProxyResponse, err: GatewayError, t0: number, at: Date, marking?: RecordMarking) {
    sendError(res, err);
    gw.record(ctx, { at, endpoint: 'chat.completions', status: err.status, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: false, errorCode: err.code, request: null, response: null }, marking);
  }

  function decide(r: KeyContext | GatewayError, req: ProxyRequest, res: ProxyResponse, raw: Buffer | string, t0: number, at: Date) {
    if (r instanceof GatewayError) return sendError(res, r);
    const ctx = r;
    const denied = gw.check(ctx);
    if (denied) return refusal(ctx, res, denied, t0, at);
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    let body: Body | null = null;
    try {
      body = JSON.parse(text) as Body;
    } catch {
      /* below */
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) return refusal(ctx, res, new GatewayError(400, 'The body must be a JSON object.', 'invalid_request_error', 'invalid_body'), t0, at);
    if (body.model !== ctx.modelName && body.model !== ctx.modelId) return refusal(ctx, res, new GatewayError(404, `This key reaches the model '${ctx.modelName}' only, not '${String(body.model)}'.`, 'invalid_request_error', 'model_not_found'), t0, at);
    const run = req.headers[RUN_HEADER];
    if (run === undefined) return forward(ctx, res, text, body, t0, at, undefined);
    const m = gw.runMarking(ctx, Array.isArray(run) ? '' : run);
    if (m instanceof Promise)
      m.then(
        (x) => (x instanceof GatewayError ? refusal(ctx, res, x, t0, at) : forward(ctx, res, text, body, t0, at, x)),
        (err: unknown) => internal(res, err),
      );
    else if (m instanceof GatewayError) refusal(ctx, res, m, t0, at);
    else forward(ctx, res, text, body, t0, at, m);
  }

  function forward(ctx: KeyContext, res: ProxyResponse, text: string, body: Body, t0: number, at: Date, marking: RecordMarking | undefined) {
    // An in-process caller that went away while its key or run was looked up: no token, no upstream call.
    if (res.writableEnded) return;
    const limited = gw.admit(ctx);
    if (limited) return refusal(ctx, res, limited, t0, at, marking);
    const up = ctx.upstream;
    if (!up) return refusal(ctx, res, new GatewayError(503, 'The developer has not registered an endpoint for this model yet.', 'server_error', 'upstream_not_configured'), t0, at, marking);
    const streaming = body.stream === true;
    // One outcome per request: the upstream's answer, passed on (or streamed), or one failure.
    let settled = false;
    const failed = (err: unknown) => {
      settle(upstreamReq);
      if (settled) return;
      settled = true;
      const e = upstreamFailure(err);
      sendError(res, e);
      gw.record(ctx, { at, endpoint: 'chat.completions', status: e.status, latencyMs: performance.now() - t0, promptTokens: 0, completionTokens: 0, streamed: streaming, errorCode: e.code, request: text, response: null }, marking);
    };
    const upstreamReq = callUpstream(
      up,
      'POST',
      '/chat/completions',
      withModel(text, up.model),
      gw.upstreamTimeoutMs,
      (ures) => {
        const status = ures.statusCode ?? 502;
        const contentType = ures.headers['content-type'] ?? 'application/json';
        if (streaming && status === 200 && contentType.includes('text/event-stream')) {
          settled = true;
          return stream(ctx, res, ures, upstreamReq, contentType, text, body, t0, at, marking);
        }
        const parts: Buffer[] = [];
        let size = 0;
        ures.on('data', (d: Buffer) => {
          parts.push(d);
          size += d.length;
        });
        ures.once('aborted', () => failed(new Error('upstream aborted')));
        ures.once('end', () => {
          settle(upstreamReq);
          if (settled || !ures.complete) return;
          settled = true;
          const buf = parts.length === 1 ? parts[0] : Buffer.concat(parts, size);
          // Written straight to the socket: the upstream's bytes need no serialiser or hooks.
          res.writeHead(status, passHeaders(ures, [...SECURITY, 'content-type', contentType, 'content-length', String(buf.length)]));
          res.end(buf);
          // Recorded after the answer is on its way, so the encryption is not in the client's wait.
          const respText = buf.toString('utf8', 0, Math.min(buf.length, MAX_RECORDED));
          const usage = status < 300 ? usageOfJson(respText) : null;
          gw.record(
            ctx,
            {
              at,
              endpoint: 'chat.completions',
              status,
              latencyMs: performance.now() - t0,
              promptTokens: usage?.promptTokens ?? (status < 300 ? estimateTokens(promptTextOf(body)) : 0),
              completionTokens: usage?.completionTokens ?? 0,
              streamed: false,
              errorCode: status < 300 ? null : 'upstream_error',
              request: text,
              response: respText,
            },
            marking,
          );
        });
      },
      failed,
    );
    // A client that goes away before the upstream answers: stop the upstream call too.
    res.once('close', () => {
      if (!res.writableFinished && !upstreamReq.destroyed) upstreamReq.destroy();
    });
  }

  /** Streaming: each chunk is passed on as it arrives; a copy is kept for the transcript and the usage. */
  function stream(ctx: KeyContext, res: ProxyResponse, ures: IncomingMessage, upstreamReq: ClientRequest, contentType: string, requestText: string, body: Body, t0: number, at: Date, marking: RecordMarking | undefined) {
    res.writeHead(200, passHeaders(ures, [...SECURITY, 'content-type', contentType, 'cache-control', 'no-cache', 'connection', 'keep-alive']));
    const copy: Buffer[] = [];
    let copied = 0;
    let done = false;
    let errorCode: string | null = null;
    const finish = () => {
      if (done) return;
      done = true;
      unregister();
      const sse = readSse(Buffer.concat(copy, copied).toString('utf8'));
      gw.record(
        ctx,
        {
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
        },
        marking,
      );
    };
    const endWithError = (e: GatewayError) => {
      settle(upstreamReq);
      if (done) return;
      errorCode = e.code;
      if (!res.writableEnded) res.end(`data: ${e.body()}\n\n`);
      upstreamReq.destroy();
      finish();
    };
    const unregister = gw.openStream({ ctx, cut: (reason) => endWithError(new GatewayError(403, reason, 'access_revoked', 'access_revoked')) });
    const f = inFlight.get(upstreamReq);
    ures.on('data', (chunk: Buffer) => {
      if (done) return;
      if (f) f.last = performance.now();
      if (copied < MAX_RECORDED) {
        copy.push(chunk);
        copied += chunk.length;
      }
      if (!res.write(chunk)) {
        ures.pause();
        res.once('drain', () => ures.resume());
      }
    });
    ures.once('end', () => {
      settle(upstreamReq);
      if (done) return;
      res.end();
      finish();
    });
    ures.once('error', (err) => endWithError(upstreamFailure(err)));
    ures.once('aborted', () => endWithError(upstreamFailure(new Error('aborted'))));
    upstreamReq.once('error', (err) => endWithError(upstreamFailure(err)));
    res.once('close', () => {
      if (done) return;
      errorCode = 'client_closed';
      upstreamReq.destroy();
      finish();
    });
  }

  return { chat, models };
}

/** An answer as an in-process caller receives it. */
export interface LocalAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The gateway called in-process: an evaluation worker that shares its process with the gateway
 * sends its chat requests straight to the proxy (same key check, grant, window, limits, run marking,
 * upstream call and record) instead of through a loopback HTTP exchange with itself, which cost
 * more CPU than the rest of a sample. `cancel` is a caller that went away (timeout, abort): like a
 * closed socket, it stops the upstream call.
 */
export type LocalGateway = (headers: IncomingHttpHeaders, body: string) => { answer: Promise<LocalAnswer>; cancel: () => void };

/** Collects what the proxy writes; the answer resolves when it ends. */
class LocalResponse implements ProxyResponse {
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  private status = 0;
  private headers: string[] = [];
  private readonly parts: Buffer[] = [];
  private readonly closeListeners: (() => void)[] = [];
  private closed = false;

  constructor(private readonly done: (a: LocalAnswer) => void) {}

  writeHead(status: number, headers: string[]): this {
    this.status = status;
    this.headers = headers;
    this.headersSent = true;
    return this;
  }

  write(chunk: Buffer): boolean {
    this.parts.push(chunk);
    return true;
  }

  end(body?: Buffer | string): this {
    if (this.writableEnded) return this;
    if (body !== undefined) this.parts.push(typeof body === 'string' ? Buffer.from(body) : body);
    this.writableEnded = true;
    this.writableFinished = true;
    const headers: IncomingHttpHeaders = {};
    for (let i = 0; i + 1 < this.headers.length; i += 2) headers[this.headers[i].toLowerCase()] = this.headers[i + 1];
    this.done({ status: this.status, headers, body: (this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts)).toString('utf8') });
    queueMicrotask(() => this.emitClose());
    return this;
  }

  once(event: 'close' | 'drain', listener: () => void): this {
    if (event !== 'close') return this;
    // A listener added after the caller went away (the proxy adds its own once a key or run lookup
    // has settled) is told at once, as a closed socket would have told it.
    if (this.closed) queueMicrotask(listener);
    else this.closeListeners.push(listener);
    return this;
  }

  /** The caller went away before the answer ended. */
  cancel(): void {
    if (this.writableEnded) return;
    this.writableEnded = true;
    this.emitClose();
  }

  private emitClose() {
    this.closed = true;
    for (const l of this.closeListeners.splice(0)) l();
  }
}

function localGateway(proxy: ReturnType<typeof createProxy>, isClosing: () => boolean): LocalGateway {
  return (headers, body) => {
    let res!: LocalResponse;
    const answer = new Promise<LocalAnswer>((resolve) => {
      res = new LocalResponse(resolve);
    });
    if (isClosing()) sendError(res, shuttingDown());
    // The limit the HTTP paths apply, so a sample's outcome does not depend on the transport.
    else if (Buffer.byteLength(body) > MAX_BODY) sendError(res, bodyTooLarge());
    else proxy.chat({ headers }, res, body);
    return { answer, cancel: () => res.cancel() };
  }
}

const CHAT_PATH = '/gateway/v1/chat/completions';
const MODELS_PATH = '/gateway/v1/models';

/**
 * Hands /gateway/v1 requests to the proxy as the HTTP server receives them, ahead of Fastify (its
 * routing, hooks, per-request logger and body parser cost about as much as the proxying itself);
 * everything else goes to Fastify as before. Only exact paths are taken; anything else (a query
 * string, another method) still reaches the Fastify routes, which run the same code.
 */
export function mountFastPath(app: App, proxy: ReturnType<typeof createProxy>, isClosing: () => boolean) {
  const server = app.server;
  const fastify = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (fastify.length !== 1) return;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url;
    if (url === CHAT_PATH && req.method === 'POST') {
      if (isClosing()) return closing(req, res);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > MAX_BODY) return tooLarge(req, res);
      const parts: Buffer[] = [];
      let size = 0;
      req.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= MAX_BODY) parts.push(d);
      });
      req.on('end', () => {
        if (size > MAX_BODY) return tooLarge(req, res);
        proxy.chat(req, res, parts.length === 1 ? parts[0] : Buffer.concat(parts, size));
      });
      return;
    }
    if (url === MODELS_PATH && req.method === 'GET') {
      if (isClosing()) return closing(req, res);
      req.resume();
      return proxy.models(req, res);
    }
    fastify[0].call(server, req, res);
  });
}

const shuttingDown = () => new GatewayError(503, 'The gateway is shutting down; try again.', 'server_error', 'shutting_down', { 'retry-after': '1' });
const bodyTooLarge = () => new GatewayError(413, `The body is larger than ${MAX_BODY} bytes.`, 'invalid_request_error', 'body_too_large');

function closing(req: IncomingMessage, res: ServerResponse) {
  req.resume();
  sendError(res, shuttingDown());
}

function tooLarge(req: IncomingMessage, res: ServerResponse) {
  req.resume();
  res.shouldKeepAlive = false;
  sendError(res, bodyTooLarge());
}

export function gatewayProxyRoutes(app: App, gw: GatewayService) {
  const proxy = createProxy(gw);
  const tags = ['gateway'];
  const errorHandler = (err: Error & { statusCode?: number }, _request: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    const e = new GatewayError(status, status === 500 ? 'The gateway failed.' : err.message, status === 500 ? 'server_error' : 'invalid_request_error', status === 500 ? 'internal_error' : 'invalid_request');
    reply.hijack();
    sendError(reply.raw, e);
  };

  app.get(MODELS_PATH, {
    schema: { tags, summary: 'OpenAI-compatible: the model this gateway key reaches', security: [{ bearer: [] }] },
    config: { auth: 'none' },
    errorHandler,
    handler: async (request, reply) => {
      reply.hijack();
      proxy.models(request.raw, reply.raw);
    },
  });

  // In a scope of its own: the body is taken as bytes (any content type), not parsed by Fastify.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY }, (_request, body, done) => done(null, body));
    scope.post(CHAT_PATH, {
      schema: { tags, summary: 'OpenAI-compatible chat completions through the gateway (streaming and not), with a gateway key', security: [{ bearer: [] }] },
      config: { auth: 'none' },
      bodyLimit: MAX_BODY,
      errorHandler,
      handler: async (request, reply) => {
        reply.hijack();
        proxy.chat(request.raw, reply.raw, (request.body as Buffer | undefined) ?? '');
      },
    });
  });

  mountFastPath(app, proxy, () => gw.closing);
  gw.serveInProcess(localGateway(proxy, () => gw.closing));
}
