// The reference model server: a deterministic OpenAI-compatible chat-completions endpoint on
// 127.0.0.1, used by the demo, the tests and the benchmarks as a lab's upstream. node:http only, so
// it costs little CPU and behaves the same every time. The answer to a request body is worked out
// once and kept (the last 1,000 distinct bodies), so the benchmarks, which repeat one body, measure
// HTTP and the gateway rather than this server's hashing; the server shares the machine's cores.
//
// Answers
// - Multiple-choice prompts: the last user message holds choice lines "A) …", "A. …", "A: …" or
//   "(A) …" for at least A and B (up to D). The server's idea of the correct letter is, in order:
//   1. `answerKey` (programmatic, or `--answer-key file.json` = {"<stem>": "C"}) looked up by the
//      question stem: the text before the first choice line, trimmed, whitespace collapsed;
//   2. otherwise `referenceCorrectLetter(stem, n)` = 'ABCD'[sha256(stem)[0..4] mod n], exported so a
//      suite author (or a test) can build samples whose target the server knows.
//   It answers that letter with probability `accuracy`, decided deterministically: the prompt's
//   hash maps to u in [0,1) and the answer is correct when u < accuracy; a wrong answer is another
//   letter chosen by the same hash. Same prompt + same accuracy → same answer, every time.
// - Anything else: "Reference reply <8 hex of the prompt hash>: <up to 12 words of the prompt>".
// - Usage: prompt_tokens = ceil(characters of all messages / 4) + 3 per message; completion_tokens
//   = number of words of the answer (each word is one streamed chunk).
//
// Test directives (work through any client, including through the gateway, since they travel in the
// prompt): `[[fail:STATUS]]` or `[[fail:STATUS:RETRY_AFTER_S]]` → that status with an OpenAI error
// body (and Retry-After); `[[sleep:MS]]` → wait before answering; `[[chunk-ms:MS]]` → wait between
// streamed chunks; `[[chunks:N]]` → stream N chunks. Header `x-test-fail: STATUS[:RETRY_AFTER]` does the
// same as the fail directive for direct calls. Programmatic `failNext(status, {retryAfter, count})`.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelServerOptions {
  port?: number;
  host?: string;
  /** Probability of the correct letter on multiple-choice prompts, 0..1 (default 1). */
  accuracy?: number;
  /** Delay before every answer (ms, default 0). */
  delayMs?: number;
  /** The bearer key clients must send; none → no check. */
  key?: string;
  /** The model name(s) served; requests naming another model get 404 model_not_found. */
  models?: string[];
  /** Stem → correct letter. */
  answerKey?: Record<string, string>;
}

export interface ModelServer {
  url: string;
  port: number;
  /** Requests answered so far (chat completions only). */
  readonly requests: number;
  /** The most chat requests it was answering at one time (a client's concurrency, seen from here). */
  readonly mostInFlight: number;
  /** The next `count` chat requests fail with `status` (and Retry-After). */
  failNext(status: number, opts?: { retryAfter?: number; count?: number }): void;
  close(): Promise<void>;
}

interface ChatMessage {
  role: string;
  content: unknown;
}

const CHOICE_LINE = /^\s*\(?([A-J])(?:\)|\.|:)\s+\S/;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  return '';
}

function hashOf(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Splits a multiple-choice message into its stem and its choice letters (A, B, …), or null. */
export function parseMultipleChoice(message: string): { stem: string; letters: string[] } | null {
  const lines = message.split('\n');
  const letters: string[] = [];
  let first = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = CHOICE_LINE.exec(lines[i]);
    if (m && m[1] === 'ABCDEFGHIJ'[letters.length]) {
      if (first < 0) first = i;
      letters.push(m[1]);
    }
  }
  if (letters.length < 2 || letters.length > 4) return null;
  return { stem: normaliseStem(lines.slice(0, first).join('\n')), letters };
}

export function normaliseStem(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/** The letter the reference server considers correct when no answer key names one. */
export function referenceCorrectLetter(stem: string, choices = 4): string {
  return 'ABCD'[hashOf(normaliseStem(stem)).readUInt32BE(0) % choices];
}

/** The deterministic answer for a conversation (exported for tests). */
export function referenceAnswer(messages: ChatMessage[], accuracy: number, answerKey?: Record<string, string>): string {
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  const text = lastUser ? textOf(lastUser.content) : '';
  const all = messages.map((m) => `${m.role}:${textOf(m.content)}`).join('\n');
  const h = hashOf(all);
  const mc = parseMultipleChoice(text);
  if (mc) {
    const n = mc.letters.length;
    const keyed = answerKey?.[mc.stem]?.toUpperCase();
    const correct = keyed && mc.letters.includes(keyed) ? keyed : referenceCorrectLetter(mc.stem, n);
    const u = h.readUInt32BE(4) / 2 ** 32;
    if (u < accuracy) return correct;
    const shift = 1 + (h.readUInt32BE(8) % (n - 1));
    return mc.letters[(mc.letters.indexOf(correct) + shift) % n];
  }
  const words = text.replace(/\[\[[^\]]*\]\]/g, '').split(/\s+/).filter(Boolean).slice(0, 12);
  return `Reference reply ${h.toString('hex').slice(0, 8)}: ${words.join(' ')}`.trim();
}

function promptTokens(messages: ChatMessage[]): number {
  let chars = 0;
  for (const m of messages) chars += textOf(m.content).length;
  return Math.ceil(chars / 4) + 3 * messages.length;
}

function directive(text: string, name: string): string | null {
  const m = new RegExp(`\\[\\[${name}:([0-9:]+)\\]\\]`).exec(text);
  return m ? m[1] : null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function openAiError(res: ServerResponse, status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}) {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}

export async function startModelServer(opts: ModelServerOptions = {}): Promise<ModelServer> {
  const accuracy = Math.min(1, Math.max(0, opts.accuracy ?? 1));
  const delayMs = opts.delayMs ?? 0;
  const models = opts.models ?? ['reference-model'];
  const expected = opts.key ? Buffer.from(`Bearer ${opts.key}`) : null;
  const created = 1_767_225_600; // fixed, so answers are byte-identical between runs
  let requests = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  let seq = 0;
  const failures: { status: number; retryAfter?: number; count: number }[] = [];

  function authorised(req: IncomingMessage): boolean {
    if (!expected) return true;
    const got = Buffer.from(req.headers.authorization ?? '');
    return got.length === expected.length && timingSafeEqual(got, expected);
  }

  function fail(res: ServerResponse, spec: string) {
    const [s, ra] = spec.split(':');
    const status = Number(s);
    const headers: Record<string, string> = ra ? { 'retry-after': ra } : {};
    const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
    openAiError(res, status, `Injected failure ${status}`, type, status === 429 ? 'rate_limit_exceeded' : null, headers);
  }

  /** What a request body asks for, worked out once per distinct body (answers are deterministic). */
  interface Plan {
    refusal: { status: number; message: string; code: string } | null;
    model: string;
    lastText: string;
    answer: string;
    promptTokens: number;
    stream: boolean;
    includeUsage: boolean;
    /** The non-streamed answer's JSON after its id: `{"id":"<id>"` + this. */
    tail: string;
  }
  const plans = new Map<string, Plan>();
  const MAX_PLANS = 1000;

  function planOf(raw: string): Plan {
    const known = plans.get(raw);
    if (known) return known;
    const refuse = (status: number, message: string, code: string): Plan => ({ refusal: { status, message, code }, model: '', lastText: '', answer: '', promptTokens: 0, stream: false, includeUsage: false, tail: '' });
    let body: { model?: unknown; messages?: unknown; stream?: unknown; max_tokens?: unknown; stream_options?: { include_usage?: unknown } };
    let plan: Plan;
    try {
      body = JSON.parse(raw);
    } catch {
      return refuse(400, 'The body is not valid JSON.', 'invalid_json');
    }
    if (!body || !Array.isArray(body.messages) || body.messages.length === 0) plan = refuse(400, "'messages' must be a non-empty array.", 'invalid_messages');
    else if (typeof body.model !== 'string' || !models.includes(body.model)) plan = refuse(404, `The model '${String(body.model)}' does not exist.`, 'model_not_found');
    else {
      const messages = body.messages as ChatMessage[];
      const answer = referenceAnswer(messages, accuracy, opts.answerKey);
      const promptT = promptTokens(messages);
      const completion = answer.split(' ').length;
      const rest = JSON.stringify({
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: promptT, completion_tokens: completion, total_tokens: promptT + completion },
      });
      plan = { refusal: null, model: body.model, lastText: textOf(messages[messages.length - 1]?.content), answer, promptTokens: promptT, stream: body.stream === true, includeUsage: body.stream_options?.include_usage === true, tail: `,${rest.slice(1)}` };
    }
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(raw, plan);
    return plan;
  }

  async function chat(req: IncomingMessage, res: ServerResponse, raw: string) {
    const plan = planOf(raw);
    if (plan.refusal) return openAiError(res, plan.refusal.status, plan.refusal.message, 'invalid_request_error', plan.refusal.code);
    requests++;
    const lastText = plan.lastText;
    const injected = failures[0];
    if (injected) {
      if (--injected.count <= 0) failures.shift();
      return fail(res, `${injected.status}${injected.retryAfter !== undefined ? `:${injected.retryAfter}` : ''}`);
    }
    const headerFail = req.headers['x-test-fail'];
    if (typeof headerFail === 'string' && /^\d{3}(:\d+)?$/.test(headerFail)) return fail(res, headerFail);
    const failDirective = lastText.includes('[[') ? directive(lastText, 'fail') : null;
    if (failDirective) return fail(res, failDirective);
    const sleepMs = (lastText.includes('[[') ? Number(directive(lastText, 'sleep') ?? 0) : 0) + delayMs;
    if (sleepMs > 0) await sleep(sleepMs);

    const answer = plan.answer;
    const id = `chatcmpl-ref${(++seq).toString(36)}`;
    const model = plan.model;
    if (plan.stream) {
      const chunkCount = Number(directive(lastText, 'chunks') ?? 0);
      const words = chunkCount > 0 ? Array.from({ length: chunkCount }, (_, i) => `w${i}`) : answer.split(' ');
      const chunkMs = Number(directive(lastText, 'chunk-ms') ?? 0);
      const usage = { prompt_tokens: plan.promptTokens, completion_tokens: words.length, total_tokens: plan.promptTokens + words.length };
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const frame = (delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
      let closed = false;
      res.on('close', () => (closed = true));
      res.write(frame({ role: 'assistant', content: '' }, null));
      for (let i = 0; i < words.length && !closed; i++) {
        if (chunkMs > 0) await sleep(chunkMs);
        res.write(frame({ content: i === 0 ? words[i] : ` ${words[i]}` }, null));
      }
      if (closed) return;
      res.write(frame({}, 'stop'));
      if (plan.includeUsage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    const text = `{"id":"${id}"${plan.tail}`;
    res.writeHead(200, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(text))]);
    res.end(text);
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '');
    if (!authorised(req)) {
      req.resume();
      return openAiError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    if (req.method === 'GET' && path === '/v1/models') {
      req.resume();
      return sendJson(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created, owned_by: 'forewarn-reference' })) });
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const parts: Buffer[] = [];
      req.on('data', (d: Buffer) => parts.push(d));
      req.on('end', () => {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        res.once('close', () => inFlight--);
        chat(req, res, Buffer.concat(parts).toString('utf8')).catch(() => {
          if (!res.headersSent) openAiError(res, 500, 'Internal error.', 'server_error', null);
          else res.destroy();
        });
      });
      return;
    }
    req.resume();
    openAiError(res, 404, `No route ${req.method} ${path}.`, 'invalid_request_error', 'not_found');
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const url = `http://${addr.address}:${addr.port}`;
  return {
    url,
    port: addr.port,
    get mostInFlight() {
      return mostInFlight;
    },
    get requests() {
      return requests;
    },
    failNext(status, o = {}) {
      failures.push({ status, retryAfter: o.retryAfter, count: o.count ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `forewarn dev model-server [--port N] [--accuracy 0..1] [--delay-ms N] [--key K] [--model NAME] [--answer-key FILE]` */
export async function modelServerCommand(args: string[]): Promise<number> {
  const { parseArgs } = await import('node:util');
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8089' },
      host: { type: 'string', default: '127.0.0.1' },
      accuracy: { type: 'string', default: '1' },
      'delay-ms': { type: 'string', default: '0' },
      key: { type: 'string' },
      model: { type: 'string', multiple: true },
      'answer-key': { type: 'string' },
    },
  });
  const accuracy = Number(values.accuracy);
  if (!(accuracy >= 0 && accuracy <= 1)) throw new Error('--accuracy must be between 0 and 1');
  const delayMs = Number(values['delay-ms']);
  if (!(delayMs >= 0)) throw new Error('--delay-ms must be 0 or more');
  if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') throw new Error('the reference model server listens on the loopback interface only');
  const answerKey = values['answer-key'] ? (JSON.parse(readFileSync(values['answer-key'], 'utf8')) as Record<string, string>) : undefined;
  const s = await startModelServer({ port: Number(values.port), host: values.host, accuracy, delayMs, key: values.key, models: values.model, answerKey });
  console.log(`reference model server at ${s.url}/v1 (models: ${(values.model ?? ['reference-model']).join(', ')}; accuracy ${accuracy}; delay ${delayMs} ms; key ${values.key ? 'required' : 'not required'})`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await s.close();
  return 0;
}
