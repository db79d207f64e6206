// Shared helpers for the readers: sizes, decoding, bounded JSON, clipping text, CWE and CVSS.
import { formatBytes, CANDIDATE_LIMITS as L } from './limits.ts';
import { reject } from './errors.ts';
import { CWE_ID, type CvssVector } from './candidate.ts';

export type IntakeInput = string | Uint8Array;

export function checkSize(input: IntakeInput, maxBytes: number): void {
  const n = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (n > maxBytes) reject('The report is too large.', { path: '', message: `The file is ${n} bytes; the limit (maxBytes) is ${formatBytes(maxBytes)}.` });
  if (n === 0) reject('The report is empty.', { path: '', message: 'The file is empty.' });
}

export function decodeText(input: IntakeInput): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let start = 0;
  let label = 'utf-8';
  if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) start = 3;
  else if (input[0] === 0xff && input[1] === 0xfe) (label = 'utf-16le'), (start = 2);
  else if (input[0] === 0xfe && input[1] === 0xff) (label = 'utf-16be'), (start = 2);
  try {
    return new TextDecoder(label, { fatal: true }).decode(input.subarray(start));
  } catch {
    return reject('The report is not valid text.', { path: '', message: `The file contains bytes that are not valid ${label}.` });
  }
}

export function nestingBeyond(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

export function parseJson(text: string, maxNesting: number, where = ''): unknown {
  const at = nestingBeyond(text, maxNesting);
  if (at >= 0) reject('The report nests too deeply.', { path: where, message: `JSON nesting exceeds ${maxNesting} levels (limit maxNesting) at character ${at}.` });
  try {
    return JSON.parse(text);
  } catch (e) {
    return reject('The report is not valid JSON.', { path: where, message: e instanceof Error ? e.message.slice(0, 300) : 'Invalid JSON.' });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shorten to `max` characters (ending in "…"), noting it in warnings. */
export function clip(text: string, max: number, what: string, warnings: string[]): string {
  if (text.length <= max) return text;
  warnings.push(`${what} shortened to ${max} characters.`);
  return text.slice(0, max - 1) + '…';
}

export function firstLine(text: string): string {
  return text.trim().split(/\r?\n/, 1)[0]?.trim() ?? '';
}

export function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** Keep the first `max` entries, noting the rest in warnings. */
export function capList<T>(xs: T[], max: number, what: string, warnings: string[]): T[] {
  if (xs.length <= max) return xs;
  warnings.push(`${xs.length - max} ${what} beyond the limit of ${max} dropped.`);
  return xs.slice(0, max);
}

/** "CWE-79", "cwe-079", "79", 79 and tags like "external/cwe/cwe-079" → "CWE-79". */
export function normaliseCwe(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isInteger(v) && v > 0 && v < 1e6 ? `CWE-${v}` : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(?:CWE[-_: ]?)?0*([1-9][0-9]{0,5})\s*$/i.exec(v) ?? /(?:^|[^a-z])cwe[-_: /]?0*([1-9][0-9]{0,5})(?![0-9])/i.exec(v);
  const id = m ? `CWE-${m[1]}` : undefined;
  return id && CWE_ID.test(id) ? id : undefined;
}

const CVSS3_BASE: Record<string, RegExp> = { AV: /^[NALP]$/, AC: /^[LH]$/, PR: /^[NLH]$/, UI: /^[NR]$/, S: /^[UC]$/, C: /^[HLN]$/, I: /^[HLN]$/, A: /^[HLN]$/ };
const CVSS3_OTHER = new Set(['E', 'RL', 'RC', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA']);
const CVSS4_BASE: Record<string, RegExp> = {
  AV: /^[NALP]$/, AC: /^[LH]$/, AT: /^[NP]$/, PR: /^[NLH]$/, UI: /^[NPA]$/,
  VC: /^[HLN]$/, VI: /^[HLN]$/, VA: /^[HLN]$/, SC: /^[HLN]$/, SI: /^[HLN]$/, SA: /^[HLN]$/,
};
const CVSS4_OTHER = new Set(['E', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MAT', 'MPR', 'MUI', 'MVC', 'MVI', 'MVA', 'MSC', 'MSI', 'MSA', 'S', 'AU', 'R', 'V', 'RE', 'U']);

/**
 * A CVSS 3.0/3.1/4.0 vector checked metric by metric (all base metrics present, known values, no
 * repeats). `assume` adds the prefix to bare vectors ("AV:N/AC:L/…", as CycloneDX ratings carry them).
 */
export function parseCvss(vector: string, assume?: CvssVector['version']): CvssVector | undefined {
  let v = vector.trim();
  if (v.length > 512) return undefined;
  if (!v.startsWith('CVSS:') && assume) v = `CVSS:${assume}/${v}`;
  const m = /^CVSS:(3\.0|3\.1|4\.0)\/(.+)$/.exec(v);
  if (!m) return undefined;
  const version = m[1] as CvssVector['version'];
  const base = version === '4.0' ? CVSS4_BASE : CVSS3_BASE;
  const other = version === '4.0' ? CVSS4_OTHER : CVSS3_OTHER;
  const seen = new Set<string>();
  for (const part of m[2].split('/')) {
    const [k, val, extra] = part.split(':');
    if (!k || !val || extra !== undefined || seen.has(k)) return undefined;
    seen.add(k);
    if (base[k]) {
      if (!base[k].test(val)) return undefined;
    } else if (!other.has(k) || !/^[A-Z]$/.test(val)) return undefined;
  }
  for (const k of Object.keys(base)) if (!seen.has(k)) return undefined;
  return { version, vector: v };
}

export function isUrlish(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= L.url && /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(v);
}
