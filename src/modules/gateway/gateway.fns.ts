// Pure pieces of the gateway: the error shape OpenAI clients parse, the cached key context, and the
// token accounting of a streamed or plain answer.

/** An error from the gateway itself, sent as OpenAI's {error:{message,type,param,code}}. */
export class GatewayError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
  body(): string {
    return JSON.stringify({ error: { message: this.message, type: this.type, param: null, code: this.code } });
  }
}

export interface KeyContext {
  keyHash: string;
  keyId: string;
  userId: string;
  orgId: string;
  classification: number;
  compartments: string[];
  keyExpiresAt: number;
  keyRevoked: boolean;
  grantId: string;
  grantStartsAt: number;
  grantExpiresAt: number;
  grantRevoked: boolean;
  windowId: string;
  windowOpen: boolean;
  windowOpensAt: number;
  windowClosesAt: number;
  modelId: string;
  modelName: string;
  modelWithdrawn: boolean;
  modelOwnerOrgId: string;
  upstream: Upstream | null;
  requestsPerMinute: number | null;
  tokenQuota: number | null;
  tokensUsedDb: number;
  localOffset: number;
}

/** A developer's endpoint, with what every call to it needs worked out once (the context is cached). */
export interface Upstream {
  baseUrl: string;
  model: string;
  apiKey: string;
  https: boolean;
  hostname: string;
  port: number;
  /** The base URL's path, without a trailing slash ('/v1'). */
  path: string;
}

export function upstreamOf(baseUrl: string, model: string, apiKey: string): Upstream {
  const base = baseUrl.replace(/\/+$/, '');
  const u = new URL(base);
  const https = u.protocol === 'https:';
  return { baseUrl: base, model, apiKey, https, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : https ? 443 : 80, path: u.pathname.replace(/\/+$/, '') };
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** Estimate when the upstream reports no usage: about four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function promptTextOf(body: { messages?: unknown }): string {
  if (!Array.isArray(body.messages)) return '';
  let s = '';
  for (const m of body.messages as { content?: unknown }[]) {
    if (typeof m?.content === 'string') s += m.content;
    else if (Array.isArray(m?.content)) for (const p of m.content as { text?: unknown }[]) if (typeof p?.text === 'string') s += p.text;
  }
  return s;
}

/**
 * Usage of a non-streamed JSON answer (null when it reports none). Only the top-level "usage" member
 * is parsed, not the whole answer (which the proxy passes on as bytes).
 */
export function usageOfJson(text: string): Usage | null {
  try {
    const spans = topLevelValueSpans(text, 'usage');
    const last = spans[spans.length - 1];
    if (!last) return null;
    const u = JSON.parse(text.slice(last[0], last[1])) as { prompt_tokens?: unknown; completion_tokens?: unknown } | null;
    if (u && typeof u.prompt_tokens === 'number' && typeof u.completion_tokens === 'number') return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens };
  } catch {
    /* not JSON */
  }
  return null;
}

/**
 * Reads a complete server-sent-event transcript: the assembled assistant text, the number of
 * content chunks and the usage chunk if the upstream sent one (stream_options.include_usage).
 */
export function readSse(text: string): { content: string; chunks: number; usage: Usage | null } {
  let content = '';
  let chunks = 0;
  let usage: Usage | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith('data:')) continue;
    const data = line.slice(5).trim();
    if (data === '[DONE]' || data === '') continue;
    try {
      const j = JSON.parse(data) as { choices?: { delta?: { content?: unknown } }[]; usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null };
      const c = j.choices?.[0]?.delta?.content;
      if (typeof c === 'string' && c.length > 0) {
        content += c;
        chunks++;
      }
      if (j.usage && typeof j.usage.prompt_tokens === 'number' && typeof j.usage.completion_tokens === 'number') usage = { promptTokens: j.usage.prompt_tokens, completionTokens: j.usage.completion_tokens };
    } catch {
      /* a partial or foreign line */
    }
  }
  return { content, chunks, usage };
}

// ---- the pass-through body ---------------------------------------------------------------------
// The proxy forwards the client's bytes with only the model's name replaced, instead of parsing the
// body into objects and serialising it again (which costs more than the rest of the proxying for a
// long prompt, and would also reorder or reformat what the client sent).

const QUOTE = 34;
const BACKSLASH = 92;

/** The index of the quote that closes the JSON string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    const k = text.indexOf('"', j);
    if (k < 0) return text.length - 1;
    let slashes = 0;
    for (let b = k - 1; text.charCodeAt(b) === BACKSLASH; b--) slashes++;
    if (slashes % 2 === 0) return k;
    j = k + 1;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** The end (exclusive) of the JSON value starting at `start`. */
function valueEnd(text: string, start: number): number {
  const c = text.charCodeAt(start);
  if (c === QUOTE) return stringEnd(text, start) + 1;
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = start; j < text.length; j++) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) j = stringEnd(text, j);
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (--depth === 0) return j + 1;
      }
    }
    return text.length;
  }
  let j = start;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || isSpace(d)) break;
    j++;
  }
  return j;
}

/**
 * Where the values of every top-level member called `name` sit in the text of a JSON object
 * (`text` must be valid JSON: the caller has parsed it). Escaped member names count too, and so do
 * duplicates, because a parser upstream might take either the first or the last.
 */
export function topLevelValueSpans(text: string, name: string): [number, number][] {
  const spans: [number, number][] = [];
  let i = 0;
  while (i < text.length && text.charCodeAt(i) !== 123) i++;
  i++;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length || text.charCodeAt(i) !== QUOTE) return spans;
    const keyEnd = stringEnd(text, i);
    const raw = text.slice(i + 1, keyEnd);
    const key = raw.includes('\\') ? (JSON.parse(text.slice(i, keyEnd + 1)) as string) : raw;
    i = keyEnd + 1;
    while (i < text.length && (isSpace(text.charCodeAt(i)) || text.charCodeAt(i) === 58)) i++;
    const end = valueEnd(text, i);
    if (key === name) spans.push([i, end]);
    i = end;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 44) return spans;
    i++;
  }
}

/** The body text with every top-level "model" set to `model` (the upstream's name for it). */
export function withModel(text: string, model: string): string {
  const spans = topLevelValueSpans(text, 'model');
  const value = JSON.stringify(model);
  if (spans.length === 0) {
    const o = JSON.parse(text) as Record<string, unknown>;
    return JSON.stringify({ ...o, model });
  }
  let out = '';
  let at = 0;
  for (const [s, e] of spans) {
    out += text.slice(at, s) + value;
    at = e;
  }
  return out + text.slice(at);
}

// ---- marking by purpose ------------------------------------------------------------------------

export const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RecordMarking {
  classification: number;
  compartments: string[];
}

/**
 * The marking of a request made for an evaluation run: the higher of the run's and the access's
 * classification and both sets of compartments, so purpose can raise a record's marking, never lower it.
 */
export function purposeMarking(access: RecordMarking, run: RecordMarking): RecordMarking {
  const compartments = [...new Set([...access.compartments, ...run.compartments])].sort();
  return { classification: Math.max(access.classification, run.classification), compartments };
}
