import { createHash } from 'node:crypto';
import { formatMarking, type Marking } from '../access/marking.ts';

// Pure helpers of the models module: size limits, base64 decoding, sharing diffs, download headers.

/** The documented limit for one disclosure document, after base64 decoding. */
export const MAX_DOCUMENT_BYTES = 5 * 1024 * 1024;
/** The longest base64 text that can decode to MAX_DOCUMENT_BYTES. */
export const MAX_DOCUMENT_BASE64 = Math.ceil(MAX_DOCUMENT_BYTES / 3) * 4;
/** The upload route's body limit: the base64 content plus generous room for the JSON around it. */
export const DOCUMENT_BODY_LIMIT = 7 * 1024 * 1024;

export const MODALITIES = ['text', 'code', 'image', 'audio', 'video', 'multimodal', 'other'] as const;
export const DOCUMENT_KINDS = ['architecture', 'training_data', 'safeguards', 'model_card', 'evaluation_results', 'other'] as const;
/** Disclosure documents are marked by the developer; proprietary material never needs more than CONFIDENTIAL. */
export const DOCUMENT_CLASSIFICATIONS = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL'] as const;
export const CAVEAT_PATTERN = /^[A-Z][A-Z0-9-]{1,15}$/;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Strict base64 (standard alphabet, padded); null when the text is not base64. */
export function decodeBase64(text: string): Buffer | null {
  const s = text.replace(/\s+/g, '');
  if (s.length % 4 !== 0 || !BASE64.test(s)) return null;
  return Buffer.from(s, 'base64');
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Which grantees to add and which to revoke to go from the current set to the wanted one. */
export function diffShares(current: readonly string[], wanted: readonly string[]): { add: string[]; remove: string[] } {
  const cur = new Set(current);
  const want = new Set(wanted);
  return { add: [...want].filter((x) => !cur.has(x)).sort(), remove: [...cur].filter((x) => !want.has(x)).sort() };
}

/** `attachment` with an ASCII fallback and the RFC 5987 UTF-8 name: the browser downloads, never renders. */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

/** Banner form with the caveat, for example `CUI//PROPIN` or `CONFIDENTIAL//PROPIN`. */
export function documentMarkingText(m: Marking, caveat: string | null): string {
  const base = formatMarking(m);
  return caveat ? `${base}//${caveat}` : base;
}

/** Additional-authenticated-data naming the table, column and row a ciphertext belongs to. */
export function aad(table: 'models' | 'model_documents', column: string, id: string): string {
  return `${table}.${column}:${id}`;
}

/** Whole days from `now` until `at` (negative when past). */
export function daysUntil(at: Date, now: Date): number {
  return Math.ceil((at.getTime() - now.getTime()) / 86_400_000);
}
