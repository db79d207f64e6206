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
  upstream: { baseUrl: string; model: string; apiKey: string } | null;
  requestsPerMinute: number | null;
  tokenQuota: number | null;
  tokensUsedDb: number;
  localOffset: number;
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

/** Usage of a non-streamed JSON answer (null when it reports none). */
export function usageOfJson(text: string): Usage | null {
  try {
    const u = (JSON.parse(text) as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } }).usage;
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
