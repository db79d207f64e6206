// Suite import (pure): JSONL, JSON (array or { samples: [...] }) and CSV (RFC 4180) into samples,
// through a field mapping, so public multiple-choice sets load without code. Errors name the
// line or row and the field.
import { LIMITS, sampleSchema, type Sample } from './suite.ts';

export type Format = 'jsonl' | 'json' | 'csv';

export interface FieldMapping {
  /** Field holding the prompt (string) or chat messages (array). */
  input: string;
  /** Either a list of columns holding one choice each (['A','B','C','D']) or one field holding an array. */
  choices?: readonly string[] | string;
  target: string;
  id?: string;
  domain?: string;
  /** Fields copied into metadata. */
  metadata?: readonly string[];
  /**
   * How the target is read: 'auto' (default) turns a numeric index (0-based) or a letter into the
   * letter of the choice when choices exist; 'letter' requires A–Z; 'index0'/'index1' require numbers;
   * 'text' keeps the value as is.
   */
  targetAs?: 'auto' | 'letter' | 'index0' | 'index1' | 'text';
}

export interface ImportLimits {
  maxBytes: number;
  maxRows: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxBytes: 50 * 1024 * 1024, maxRows: LIMITS.samples };

export class ImportError extends Error {
  constructor(readonly where: string, readonly field: string | null, message: string) {
    super(`${where}${field ? `, field "${field}"` : ''}: ${message}`);
    this.name = 'ImportError';
  }
}

export type Row = Record<string, unknown>;

// ---- CSV (RFC 4180) ----

/**
 * Parse CSV into records with their starting line numbers. Handles quoted fields, "" escapes,
 * CRLF or LF line ends and newlines inside quotes. A trailing newline does not add a record.
 */
export function parseCsvRecords(text: string, maxRows = Number.POSITIVE_INFINITY): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let i = 0;
  let line = 1;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const n = src.length;
  if (n === 0) return out;
  let fields: string[] = [];
  let start = 1;
  for (;;) {
    let field = '';
    if (src[i] === '"') {
      const openLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new ImportError(`line ${openLine}`, null, 'unterminated quoted field');
        const c = src[i];
        if (c === '"') {
          if (src[i + 1] === '"') { field += '"'; i += 2; continue; }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      if (i < n && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') throw new ImportError(`line ${line}`, null, 'text after a closing quote');
    } else {
      const s = i;
      while (i < n && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
        if (src[i] === '"') throw new ImportError(`line ${line}`, null, 'quote inside an unquoted field');
        i++;
      }
      field = src.slice(s, i);
    }
    fields.push(field);
    if (i >= n) { out.push({ line: start, fields }); break; }
    if (src[i] === ',') { i++; continue; }
    // line end: \r\n, \n or lone \r
    if (src[i] === '\r' && src[i + 1] === '\n') i += 2; else i++;
    line++;
    out.push({ line: start, fields });
    if (out.length > maxRows) throw new ImportError(`line ${start}`, null, `more than ${maxRows - 1} rows`);
    fields = [];
    start = line;
    if (i >= n) break;
  }
  return out;
}

/** CSV with a header row into row objects (line numbers kept). Blank lines are skipped. */
export function parseCsv(text: string, maxRows = DEFAULT_IMPORT_LIMITS.maxRows): { where: string; row: Row }[] {
  const recs = parseCsvRecords(text, maxRows + 1);
  if (recs.length === 0) throw new ImportError('line 1', null, 'no header row');
  const header = recs[0].fields.map((h) => h.trim());
  const dup = header.find((h, i) => header.indexOf(h) !== i);
  if (dup !== undefined) throw new ImportError('line 1', dup, 'duplicate column');
  const rows: { where: string; row: Row }[] = [];
  recs.slice(1).forEach((r, idx) => {
    if (r.fields.length === 1 && r.fields[0] === '') return;
    const where = `row ${idx + 1} (line ${r.line})`;
    if (r.fields.length !== header.length) throw new ImportError(where, null, `${r.fields.length} fields, header has ${header.length}`);
    const row: Row = {};
    header.forEach((h, j) => { row[h] = r.fields[j]; });
    rows.push({ where, row });
  });
  return rows;
}

function parseJsonl(text: string, maxRows: number): { where: string; row: Row }[] {
  const rows: { where: string; row: Row }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((l, i) => {
    const t = i === 0 && l.charCodeAt(0) === 0xfeff ? l.slice(1).trim() : l.trim();
    if (t === '') return;
    const where = `line ${i + 1}`;
    let v: unknown;
    try { v = JSON.parse(t); } catch (e) { throw new ImportError(where, null, `invalid JSON (${(e as Error).message})`); }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ImportError(where, null, 'expected a JSON object');
    rows.push({ where, row: v as Row });
    if (rows.length > maxRows) throw new ImportError(where, null, `more than ${maxRows} rows`);
  });
  return rows;
}

function parseJson(text: string, maxRows: number): { where: string; row: Row }[] {
  let v: unknown;
  try { v = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text); } catch (e) { throw new ImportError('document', null, `invalid JSON (${(e as Error).message})`); }
  const list = Array.isArray(v) ? v : v !== null && typeof v === 'object' && Array.isArray((v as Row).samples) ? ((v as Row).samples as unknown[]) : null;
  if (!list) throw new ImportError('document', null, 'expected an array or an object with a "samples" array');
  if (list.length > maxRows) throw new ImportError('document', null, `more than ${maxRows} rows`);
  return list.map((row, i) => {
    const where = `item ${i + 1}`;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new ImportError(where, null, 'expected a JSON object');
    return { where, row: row as Row };
  });
}

/** Read a dotted path ("a.b") from a row; a key containing the dots wins. */
export function getField(row: Row, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  let cur: unknown = row;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Row)[part];
  }
  return cur;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function asText(v: unknown, where: string, field: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ImportError(where, field, `expected text, got ${Array.isArray(v) ? 'an array' : typeof v}`);
}

function readChoices(row: Row, m: FieldMapping, where: string): string[] | undefined {
  if (m.choices === undefined) return undefined;
  if (typeof m.choices === 'string') {
    let v = getField(row, m.choices);
    if (typeof v === 'string') {
      // CSV cells may hold a JSON array.
      try { v = JSON.parse(v); } catch { throw new ImportError(where, m.choices, 'expected an array of choices (or a JSON array text)'); }
    }
    if (!Array.isArray(v)) throw new ImportError(where, m.choices, 'expected an array of choices');
    return v.map((c, i) => asText(c, where, `${m.choices as string}[${i}]`));
  }
  // Column list: trailing empty columns are allowed (sets with fewer choices on some rows).
  const vals = m.choices.map((f) => ({ f, v: getField(row, f) }));
  while (vals.length && !present(vals[vals.length - 1].v)) vals.pop();
  return vals.map(({ f, v }) => {
    if (!present(v)) throw new ImportError(where, f, 'missing choice');
    return asText(v, where, f);
  });
}

function readTarget(raw: unknown, choices: string[] | undefined, m: FieldMapping, where: string): string | string[] {
  const f = m.target;
  if (!present(raw)) throw new ImportError(where, f, 'missing target');
  const as = m.targetAs ?? 'auto';
  if (Array.isArray(raw)) {
    if (raw.length === 0) throw new ImportError(where, f, 'empty target list');
    return raw.map((x, i) => readTarget(x, choices, m, where)).flat().map(String);
  }
  if (as === 'text' || !choices) {
    if (as === 'letter' || as === 'index0' || as === 'index1') {
      if (!choices) throw new ImportError(where, f, `targetAs "${as}" needs choices`);
    }
    return asText(raw, where, f);
  }
  const text = asText(raw, where, f).trim();
  const letterOk = /^[A-Za-z]$/.test(text);
  // In auto mode a letter beyond the choices may still be a choice's text (choices 'x', 'y', target 'y').
  const letterInRange = letterOk && text.toUpperCase().charCodeAt(0) - 65 < choices.length;
  const numberOk = /^\d+$/.test(text);
  let index: number;
  if (as === 'letter' || (as === 'auto' && (letterInRange || (letterOk && !choices.some((c) => c.trim() === text))))) {
    if (!letterOk) throw new ImportError(where, f, `expected a letter, got "${text.slice(0, 20)}"`);
    index = text.toUpperCase().charCodeAt(0) - 65;
  } else if (as === 'index0' || as === 'index1' || (as === 'auto' && numberOk)) {
    if (!numberOk) throw new ImportError(where, f, `expected a choice number, got "${text.slice(0, 20)}"`);
    index = Number(text) - (as === 'index1' ? 1 : 0);
  } else {
    const j = choices.findIndex((c) => c.trim() === text);
    if (j < 0) throw new ImportError(where, f, 'target is neither a letter, an index nor one of the choices');
    index = j;
  }
  if (index < 0 || index >= choices.length) throw new ImportError(where, f, `choice ${text} out of range (${choices.length} choices)`);
  return String.fromCharCode(65 + index);
}

/** Map one parsed row to a sample (validated against sampleSchema). */
export function mapRow(row: Row, m: FieldMapping, where: string, fallbackId: string): Sample {
  const rawInput = getField(row, m.input);
  if (!present(rawInput)) throw new ImportError(where, m.input, 'missing input');
  const input = Array.isArray(rawInput) ? rawInput : asText(rawInput, where, m.input);
  const choices = readChoices(row, m, where);
  const target = readTarget(getField(row, m.target), choices, m, where);
  const idRaw = m.id ? getField(row, m.id) : undefined;
  if (m.id && !present(idRaw)) throw new ImportError(where, m.id, 'missing id');
  const id = idRaw !== undefined ? asText(idRaw, where, m.id!) : fallbackId;
  const domainRaw = m.domain ? getField(row, m.domain) : undefined;
  const domain = present(domainRaw) ? asText(domainRaw, where, m.domain!).trim() : undefined;
  let metadata: Record<string, string | number | boolean | null> | undefined;
  if (m.metadata?.length) {
    metadata = {};
    for (const k of m.metadata) {
      const v = getField(row, k);
      if (v === undefined) continue;
      if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') metadata[k] = v;
      else metadata[k] = JSON.stringify(v);
    }
  }
  const candidate = { id, input, target, ...(choices ? { choices } : {}), ...(domain ? { domain } : {}), ...(metadata ? { metadata } : {}) };
  const parsed = sampleSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String);
    const top = path[0];
    const field = top === 'input' ? m.input : top === 'target' ? m.target : top === 'id' ? (m.id ?? 'id') : top === 'domain' ? (m.domain ?? 'domain')
      : top === 'choices' ? (typeof m.choices === 'string' ? m.choices : (m.choices?.[Number(path[1])] ?? m.choices?.join(','))) ?? 'choices' : path.join('.');
    throw new ImportError(where, field ?? null, issue.message);
  }
  return parsed.data;
}

/** Guess the format from a file name (.jsonl/.ndjson, .json, .csv). */
export function formatFromName(name: string): Format | null {
  const n = name.toLowerCase();
  if (n.endsWith('.jsonl') || n.endsWith('.ndjson')) return 'jsonl';
  if (n.endsWith('.json')) return 'json';
  if (n.endsWith('.csv')) return 'csv';
  return null;
}

/** Import samples. Ids default to "<n>" (1-based position); duplicate ids are refused. */
export function importSamples(text: string, format: Format, mapping: FieldMapping, limits: Partial<ImportLimits> = {}): Sample[] {
  const lim = { ...DEFAULT_IMPORT_LIMITS, ...limits };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > lim.maxBytes) throw new ImportError('document', null, `${bytes} bytes exceeds the ${lim.maxBytes}-byte limit`);
  const rows = format === 'csv' ? parseCsv(text, lim.maxRows) : format === 'jsonl' ? parseJsonl(text, lim.maxRows) : parseJson(text, lim.maxRows);
  if (rows.length > lim.maxRows) throw new ImportError('document', null, `more than ${lim.maxRows} rows`);
  if (rows.length === 0) throw new ImportError('document', null, 'no samples');
  const seen = new Map<string, string>();
  return rows.map(({ where, row }, i) => {
    const s = mapRow(row, mapping, where, String(i + 1));
    const prev = seen.get(s.id);
    if (prev) throw new ImportError(where, mapping.id ?? 'id', `duplicate id "${s.id.slice(0, 50)}" (first at ${prev})`);
    seen.set(s.id, where);
    return s;
  });
}
