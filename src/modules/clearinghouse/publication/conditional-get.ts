// Conditional and partial GET for the distributed files (RFC 9110 sections 13 and 14), so that CSAF
// downloaders and aggregators can skip unchanged files and resume an interrupted download. Pure:
// given the request headers and the file, it says what to answer.

export interface FileFacts {
  size: number;
  /** A strong entity tag, quoted ("…"). */
  etag: string;
  lastModified: Date;
}

export interface RequestHeaders {
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
}

export type Answer =
  | { status: 200 }
  | { status: 304 }
  | { status: 206; start: number; end: number }
  | { status: 416 };

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function etagListMatches(list: string, etag: string): boolean {
  if (list.trim() === '*') return true;
  // Weak comparison for If-None-Match (RFC 9110 13.1.2).
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return list.split(',').some((t) => opaque(t) === opaque(etag));
}

function notModified(h: RequestHeaders, f: FileFacts): boolean {
  if (h.ifNoneMatch !== undefined) return etagListMatches(h.ifNoneMatch, f.etag);
  if (h.ifModifiedSince !== undefined) {
    const since = Date.parse(h.ifModifiedSince);
    return !Number.isNaN(since) && seconds(f.lastModified) <= Math.floor(since / 1000);
  }
  return false;
}

/** If-Range: the range applies only if the client's copy is this version (strong tag or exact date). */
function ifRangeHolds(ifRange: string | undefined, f: FileFacts): boolean {
  if (ifRange === undefined) return true;
  const v = ifRange.trim();
  if (v.startsWith('"') || v.startsWith('W/')) return v === f.etag;
  const d = Date.parse(v);
  return !Number.isNaN(d) && Math.floor(d / 1000) === seconds(f.lastModified);
}

/** One byte range ("bytes=a-b", "bytes=a-", "bytes=-n"); several ranges are answered with the whole file. */
export function parseRange(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  if (start >= size) return 'unsatisfiable';
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (end < start) return null;
  return { start, end };
}

export function answerFor(h: RequestHeaders, f: FileFacts): Answer {
  if (notModified(h, f)) return { status: 304 };
  if (h.range === undefined || !ifRangeHolds(h.ifRange, f)) return { status: 200 };
  const r = parseRange(h.range, f.size);
  if (r === null) return { status: 200 };
  if (r === 'unsatisfiable') return { status: 416 };
  return { status: 206, ...r };
}
