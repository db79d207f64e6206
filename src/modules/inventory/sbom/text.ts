// Turning uploaded bytes into text and JSON safely: the size limit is checked before anything is
// decoded, and JSON nesting is measured before JSON.parse so that a hostile document cannot exhaust
// the stack of the schema validator or of the walkers that follow.
import { formatBytes } from './limits.ts';
import { reject } from './errors.ts';

export type SbomInput = string | Uint8Array;

export function byteLength(input: SbomInput): number {
  return typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
}

export function checkSize(input: SbomInput, maxBytes: number, what = 'SBOM'): void {
  const n = byteLength(input);
  if (n > maxBytes) {
    reject(`The ${what} is too large.`, {
      path: '',
      message: `The file is ${n} bytes; the limit (maxBytes) is ${formatBytes(maxBytes)}.`,
    });
  }
  if (n === 0) reject(`The ${what} is empty.`, { path: '', message: 'The file is empty.' });
}

const XML_ENCODING = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/**
 * Decode bytes as UTF-8 (or UTF-16 with a byte-order mark, or the encoding an XML declaration names).
 * Invalid byte sequences are refused rather than replaced, so no purl is silently altered.
 */
export function decodeText(input: SbomInput, what = 'SBOM'): string {
  if (typeof input === 'string') return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  let label = 'utf-8';
  let start = 0;
  if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) start = 3;
  else if (input[0] === 0xff && input[1] === 0xfe) (label = 'utf-16le'), (start = 2);
  else if (input[0] === 0xfe && input[1] === 0xff) (label = 'utf-16be'), (start = 2);
  else {
    const head = new TextDecoder('latin1').decode(input.subarray(0, 200));
    const m = XML_ENCODING.exec(head.trimStart());
    if (m) label = m[1].toLowerCase();
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return reject(`The ${what} names an unknown character encoding.`, { path: '', message: `Unknown encoding "${label}".` });
  }
  try {
    return decoder.decode(input.subarray(start));
  } catch {
    return reject(`The ${what} is not valid ${label} text.`, { path: '', message: `The file contains bytes that are not valid ${label}.` });
  }
}

/** Index of the first character where JSON nesting exceeds `max`, or -1. Strings are skipped. */
export function jsonNestingBeyond(text: string, max: number): number {
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

/** Parse JSON with a nesting cap; errors name the limit or the position of the syntax error. */
export function parseJsonBounded(text: string, maxNesting: number, what = 'SBOM'): unknown {
  const at = jsonNestingBeyond(text, maxNesting);
  if (at >= 0) {
    reject(`The ${what} nests too deeply.`, {
      path: '',
      message: `JSON nesting exceeds ${maxNesting} levels (at character ${at}); nested components are limited by maxDepth.`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    return reject(`The ${what} is not valid JSON.`, { path: '', message: e instanceof Error ? e.message.slice(0, 300) : 'Invalid JSON.' });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
