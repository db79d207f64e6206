// Asking the model for one sample, through the gateway (over HTTP, or in-process when this process
// serves the gateway itself: the same proxy, without a loopback exchange): the solver builds the messages,
// the call is retried on 429/5xx/timeouts with backoff (retry.ts), and the scorer scores the answer
// (a model-graded scorer asks the grader through the gateway too). Access refusals (401/403) and a
// used-up quota are not retried: they end the run.
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ChatMessage, Sample } from './suite.ts';
import { buildMessages, inputText, type SolverOptions } from './solvers.ts';
import { buildGradePrompt, parseGrade, scoreOutput, type Score, type ScorerSpec } from './scorers.ts';
import { decide, type RetryPolicy } from './retry.ts';
import type { ScorerConfig, SolverConfig } from './evaluations.types.ts';
import type { LocalGateway } from '../gateway/gateway.proxy.ts';

export interface ChatResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Why a run cannot go on: the key or its access is refused, or the quota is used up. */
export class RunStop extends Error {
  constructor(
    readonly kind: 'stopped' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export class TimeoutError extends Error {}

const agents = new Map<string, Agent>();
function agentFor(url: URL, maxSockets: number): Agent {
  const k = `${url.protocol}//${url.host}`;
  let a = agents.get(k);
  if (!a) {
    a = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true, maxSockets: 256 }) : new Agent({ keepAlive: true, maxSockets: Math.max(256, maxSockets) });
    agents.set(k, a);
  }
  return a;
}

/** POST JSON with keep-alive; rejects with TimeoutError after timeoutMs, or on abort. */
export function postJson(url: string, headers: Record<string, string>, body: string, timeoutMs: number, signal?: AbortSignal): Promise<ChatResult> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      { method: 'POST', agent: agentFor(u, 64), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
      },
    );
    const timer = setTimeout(() => req.destroy(new TimeoutError('timeout')), timeoutMs);
    const onAbort = () => req.destroy(new Error('aborted'));
    if (signal) {
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('close', () => signal.removeEventListener('abort', onAbort));
    }
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    req.end(body);
  });
}

/** Sends one chat request to the gateway; rejects with TimeoutError after timeoutMs, or on abort. */
export type GatewaySend = (headers: Record<string, string>, body: string, timeoutMs: number, signal: AbortSignal) => Promise<ChatResult>;

/** The gateway at its public address (a worker process of its own). */
export function httpSend(baseUrl: string): GatewaySend {
  const url = `${baseUrl.replace(/\/+$/, '')}/gateway/v1/chat/completions`;
  return (headers, body, timeoutMs, signal) => postJson(url, headers, body, timeoutMs, signal);
}

/**
 * The gateway of this very process, called directly (see LocalGateway). Timeouts are one sweep over
 * the calls in flight and an abort is one listener per signal (a shard's), not a timer and a
 * listener per call: with the loopback exchange gone, those were a visible part of a sample's CPU.
 */
export function inProcessSend(local: LocalGateway): GatewaySend {
  interface Pending {
    deadline: number;
    signal: AbortSignal;
    cancel: () => void;
    reject: (e: Error) => void;
  }
  const bySignal = new WeakMap<AbortSignal, Set<Pending>>();
  const all = new Set<Pending>();
  let sweeper: NodeJS.Timeout | null = null;
  const settle = (p: Pending, signal: AbortSignal) => {
    all.delete(p);
    bySignal.get(signal)?.delete(p);
    if (all.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  };
  return (headers, body, timeoutMs, signal) => {
    if (signal.aborted) return Promise.reject(new Error('aborted'));
    let set = bySignal.get(signal);
    if (!set) {
      const mine = new Set<Pending>();
      set = mine;
      bySignal.set(signal, mine);
      signal.addEventListener(
        'abort',
        () => {
          for (const p of [...mine]) {
            settle(p, signal);
            p.cancel();
            p.reject(new Error('aborted'));
          }
        },
        { once: true },
      );
    }
    const call = local(headers, body);
    return new Promise<ChatResult>((resolve, reject) => {
      const p: Pending = { deadline: performance.now() + timeoutMs, signal, cancel: call.cancel, reject };
      all.add(p);
      set.add(p);
      if (!sweeper) {
        // A tenth of the timeout (at most 250 ms) bounds how late a timeout fires.
        sweeper = setInterval(
          () => {
            const now = performance.now();
            for (const q of [...all]) {
              if (now < q.deadline) continue;
              settle(q, q.signal);
              q.cancel();
              q.reject(new TimeoutError('timeout'));
            }
          },
          Math.max(5, Math.min(250, timeoutMs / 10)),
        );
        sweeper.unref();
      }
      call.answer.then(
        (a) => {
          if (!all.has(p)) return; // timed out or aborted first
          settle(p, signal);
          resolve(a);
        },
        (e: unknown) => {
          if (!all.has(p)) return;
          settle(p, signal);
          reject(e as Error);
        },
      );
    });
  };
}

export interface CallContext {
  send: GatewaySend;
  key: string;
  runId: string;
  model: string;
  timeoutMs: number;
  retry: RetryPolicy;
  signal: AbortSignal;
  /** Waits for a slot under the grant's requests-per-minute limit. */
  slot: () => Promise<void>;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface Completion {
  text: string;
  promptTokens: number | null;
  completionTokens: number | null;
  attempts: number;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function gatewayMessage(body: string): { message: string; code: string | null } {
  try {
    const j = JSON.parse(body) as { error?: { message?: unknown; code?: unknown } };
    return { message: typeof j.error?.message === 'string' ? j.error.message.slice(0, 300) : 'no message', code: typeof j.error?.code === 'string' ? j.error.code : null };
  } catch {
    return { message: 'unreadable error body', code: null };
  }
}

/** Sample-level failure (recorded on the sample, the run goes on). */
export class SampleError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** One chat completion with retries. Throws RunStop (end the run), SampleError (record), or an abort. */
export async function complete(c: CallContext, messages: ChatMessage[], extra: { maxTokens?: number; temperature?: number }): Promise<Completion> {
  const body = JSON.stringify({ model: c.model, messages, ...(extra.maxTokens ? { max_tokens: extra.maxTokens } : {}), ...(extra.temperature !== undefined ? { temperature: extra.temperature } : {}) });
  const sleep = c.sleep ?? abortableSleep;
  const random = c.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    await c.slot();
    if (c.signal.aborted) throw new Error('aborted');
    let failure: Parameters<typeof decide>[0];
    try {
      const r = await c.send({ authorization: `Bearer ${c.key}`, 'x-forewarn-run': c.runId }, body, c.timeoutMs, c.signal);
      if (r.status === 200) {
        const j = JSON.parse(r.body) as { choices?: { message?: { content?: unknown } }[]; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } };
        const content = j.choices?.[0]?.message?.content;
        return {
          text: typeof content === 'string' ? content : '',
          promptTokens: typeof j.usage?.prompt_tokens === 'number' ? j.usage.prompt_tokens : null,
          completionTokens: typeof j.usage?.completion_tokens === 'number' ? j.usage.completion_tokens : null,
          attempts: attempt,
        };
      }
      const e = gatewayMessage(r.body);
      // The gateway refused the key or its access: revoked, expired, window closed, model withdrawn.
      if (r.status === 401 || r.status === 403) throw new RunStop('stopped', `Access ended: ${e.message}`);
      if (r.status === 429 && e.code === 'insufficient_quota') throw new RunStop('stopped', `Access ended: ${e.message}`);
      if (r.status === 503 && e.code === 'upstream_not_configured') throw new RunStop('failed', e.message);
      failure = { kind: 'status', status: r.status, retryAfter: (r.headers['retry-after'] as string | undefined) ?? null };
      const d = decide(failure, attempt, c.retry, random, Date.now());
      if (!d.retry) throw new SampleError(`HTTP ${r.status}: ${e.message} (${d.reason})`, attempt);
      await sleep(d.delayMs, c.signal);
      continue;
    } catch (err) {
      if (err instanceof RunStop || err instanceof SampleError) throw err;
      if (c.signal.aborted) throw new Error('aborted');
      failure = err instanceof TimeoutError ? { kind: 'timeout' } : { kind: 'network' };
      const d = decide(failure, attempt, c.retry, random, Date.now());
      if (!d.retry) throw new SampleError(failure.kind === 'timeout' ? `timed out after ${c.timeoutMs} ms (${d.reason})` : `network error (${d.reason})`, attempt);
      await sleep(d.delayMs, c.signal);
    }
  }
}

export function solverOptions(cfg: SolverConfig, pool: readonly Sample[] | null): SolverOptions {
  return {
    mode: cfg.mode,
    ...(cfg.systemPrompt ? { systemPrompt: cfg.systemPrompt } : {}),
    ...(cfg.instruction ? { instruction: cfg.instruction } : {}),
    ...(cfg.fewShot && pool ? { fewShot: { examples: pool, k: cfg.fewShot, seed: 'forewarn' } } : {}),
  };
}

export function scorerSpec(cfg: ScorerConfig): ScorerSpec {
  const { kind, ...rest } = cfg;
  return { type: kind, ...rest } as ScorerSpec;
}

export interface SampleOutcome {
  score: Score | null;
  output: string | null;
  latencyMs: number;
  promptTokens: number | null;
  completionTokens: number | null;
  attempts: number;
  error: string | null;
}

/** Solve, ask, score one sample. RunStop and aborts propagate; sample failures are returned. */
export async function evaluateSample(c: CallContext, sample: Sample, solver: SolverConfig, scorer: ScorerConfig, pool: readonly Sample[] | null): Promise<SampleOutcome> {
  const t0 = performance.now();
  let attempts = 0;
  try {
    const messages = buildMessages(sample, solverOptions(solver, pool));
    const r = await complete(c, messages, solver);
    attempts = r.attempts;
    let score: Score;
    let promptTokens = r.promptTokens;
    let completionTokens = r.completionTokens;
    if (scorer.kind === 'model') {
      const g = await complete(c, buildGradePrompt({ question: inputText(sample), output: r.text, target: sample.target, ...(scorer.rubric ? { rubric: scorer.rubric } : {}) }), { maxTokens: 200, temperature: 0 });
      attempts += g.attempts;
      const parsed = parseGrade(g.text);
      score = { score: parsed.score, answer: parsed.answer, explanation: parsed.explanation };
      promptTokens = (promptTokens ?? 0) + (g.promptTokens ?? 0);
      completionTokens = (completionTokens ?? 0) + (g.completionTokens ?? 0);
    } else {
      score = scoreOutput(scorerSpec(scorer), r.text, sample);
    }
    return { score, output: r.text, latencyMs: performance.now() - t0, promptTokens, completionTokens, attempts, error: null };
  } catch (err) {
    if (err instanceof SampleError) return { score: null, output: null, latencyMs: performance.now() - t0, promptTokens: null, completionTokens: null, attempts: err.attempts, error: err.message };
    if (err instanceof RangeError) return { score: null, output: null, latencyMs: performance.now() - t0, promptTokens: null, completionTokens: null, attempts: Math.max(1, attempts), error: `cannot score: ${err.message.slice(0, 200)}` };
    throw err;
  }
}

/** A sliding-window limiter of request starts per minute (the grant's limit, kept proactively). */
export function rateLimiter(perMinute: number | null): (signal: AbortSignal) => Promise<void> {
  if (!perMinute) return async () => {};
  const starts: number[] = [];
  let chain = Promise.resolve();
  return (signal) => {
    const next = chain.then(async () => {
      for (;;) {
        const now = Date.now();
        while (starts.length && starts[0] <= now - 60_000) starts.shift();
        if (starts.length < perMinute) {
          starts.push(now);
          return;
        }
        await abortableSleep(starts[0] + 60_000 - now + 1, signal);
      }
    });
    chain = next.catch(() => {});
    return next;
  };
}
