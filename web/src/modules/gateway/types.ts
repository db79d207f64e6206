// Shapes of the gateway API (src/modules/gateway/gateway.types.ts).
import type { Classification, PageMarking } from '../../classification.tsx';

export interface RecordMarking {
  classification: string;
  compartments: string[];
}

export function pageMarking(m: RecordMarking): PageMarking {
  return { classification: m.classification as Classification, compartments: m.compartments };
}

export interface Endpoint {
  modelId: string;
  baseUrl: string;
  upstreamModel: string;
  apiKeySet: boolean;
  lastTestAt: string | null;
  lastTestOk: boolean | null;
  lastTestDetail: string | null;
  updatedAt: string;
}

export interface EndpointTest {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  detail: string;
}

export interface GatewayGrant {
  grantId: string;
  windowId: string;
  modelId: string;
  modelName: string;
  granteeOrgId: string | null;
  granteeOrgName: string | null;
  expiresAt: string | null;
  active: boolean;
  requestsPerMinute: number | null;
  tokenQuota: number | null;
  tokensUsed: number;
  keys: number;
}

export interface GatewayKey {
  id: string;
  name: string;
  prefix: string;
  grantId: string;
  windowId: string;
  modelId: string;
  modelName: string;
  userId: string;
  userEmail: string | null;
  orgId: string;
  orgName: string | null;
  expiresAt: string;
  revokedAt: string | null;
  createdAt: string;
  active: boolean;
  /** Present when the API reports the limits of the key's access. */
  requestsPerMinute?: number | null;
  tokenQuota?: number | null;
}

export interface IssuedKey extends GatewayKey {
  key: string;
  baseUrl: string;
}

export interface UsageRow {
  id: string;
  at: string;
  userId: string;
  userEmail: string | null;
  orgName: string | null;
  keyId: string;
  grantId: string;
  endpoint: string;
  status: number;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  streamed: boolean;
  errorCode: string | null;
}

export interface Usage {
  items: UsageRow[];
  totals: { requests: number; promptTokens: number; completionTokens: number };
  nextBefore: string | null;
}

export interface TranscriptSummary extends UsageRow {
  modelId: string;
  marking: RecordMarking;
}

export interface Transcript extends TranscriptSummary {
  windowId: string;
  request: string | null;
  response: string | null;
}

export function keyState(k: Pick<GatewayKey, 'active' | 'revokedAt' | 'expiresAt'>): string {
  if (k.revokedAt) return 'Revoked';
  if (!k.active || new Date(k.expiresAt).getTime() <= Date.now()) return 'Expired';
  return 'Active';
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : new Intl.NumberFormat('en-US').format(n);
}

export function statusText(status: number, errorCode: string | null): string {
  return errorCode ? `${status} (${errorCode})` : String(status);
}

/** A chat request body as recorded: its messages as "role: text" lines, or the raw text. */
export function requestMessages(text: string | null): { role: string; content: string }[] | null {
  if (!text) return null;
  try {
    const body = JSON.parse(text) as { messages?: { role?: unknown; content?: unknown }[] };
    if (!Array.isArray(body.messages)) return null;
    return body.messages.map((m) => ({ role: typeof m.role === 'string' ? m.role : 'unknown', content: contentText(m.content) }));
  } catch {
    return null;
  }
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join('');
  return JSON.stringify(content ?? '');
}

/** The assistant's text from a recorded response (a chat completion JSON, or streamed text as is). */
export function responseText(text: string | null): string | null {
  if (text === null) return null;
  try {
    const body = JSON.parse(text) as { choices?: { message?: { content?: unknown } }[] };
    const content = body.choices?.[0]?.message?.content;
    if (content !== undefined) return contentText(content);
  } catch {
    // streamed responses are recorded as the concatenated text
  }
  return text;
}
