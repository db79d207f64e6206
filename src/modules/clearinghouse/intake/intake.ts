// One entry point for every report format the clearinghouse accepts. Pure: bytes in, candidate
// reports out (or an IntakeRejectedError naming each failing path). Format detection:
//   SARIF (version + runs) · CSAF (document.csaf_version) · CycloneDX (bomFormat) ·
//   OSV (id + modified, one object, an array, or JSON Lines) · otherwise the native format.
// XML is not an intake format (CycloneDX VEX is accepted as JSON only), so no XML parser is reached.
import type { AffectedProduct, CandidateReport, IntakeSource } from './candidate.ts';
import { IntakeRejectedError, reject, type IntakeError } from './errors.ts';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './limits.ts';
import { readCsaf } from './csaf.ts';
import { readNative } from './native.ts';
import { readOsvRecord } from './osv.ts';
import { readSarif } from './sarif.ts';
import { checkSize, decodeText, isRecord, parseJson, type IntakeInput } from './text.ts';
import { readCycloneDxVex } from './vex.ts';

export type { CandidateReport, IntakeSource, AffectedProduct } from './candidate.ts';
export { IntakeRejectedError, type IntakeError } from './errors.ts';
export { similarityKey, fingerprintKeys, similarityParts } from './keys.ts';

export interface IntakeOptions {
  /** Skip detection (a route or CLI flag that names the format). */
  format?: IntakeSource;
  limits?: Partial<IntakeLimits>;
  /** SARIF only: the products the scanned code is, added to every result. */
  affected?: AffectedProduct[];
}

export interface IntakeResult {
  source: IntakeSource;
  candidates: CandidateReport[];
  warnings: string[];
}

export function detectFormat(doc: unknown): IntakeSource {
  if (Array.isArray(doc)) return 'osv';
  if (!isRecord(doc)) return 'native';
  if ('runs' in doc && ('version' in doc || '$schema' in doc)) return 'sarif';
  if (isRecord(doc.document) && 'csaf_version' in doc.document) return 'csaf';
  if ('bomFormat' in doc) return 'cyclonedx-vex';
  if (typeof doc.id === 'string' && 'modified' in doc) return 'osv';
  return 'native';
}

function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  return lines.length > 1 && lines.every((l) => l.trim().startsWith('{'));
}

function readOsvJsonLines(text: string, limits: IntakeLimits, warnings: string[]): CandidateReport[] {
  const out: CandidateReport[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    if (out.length >= limits.maxCandidates) {
      reject('Too many OSV records.', { path: `/${i}`, message: `Line ${i + 1}: more than ${limits.maxCandidates} records (limit maxCandidates).` });
    }
    try {
      out.push(readOsvRecord(parseJson(line, limits.maxNesting, `/${i}`), [i], warnings));
    } catch (e) {
      if (e instanceof IntakeRejectedError) {
        throw new IntakeRejectedError(`Line ${i + 1}: ${e.message}`, e.intakeErrors.map((x: IntakeError) => ({ path: x.path, message: `line ${i + 1}: ${x.message}` })));
      }
      throw e;
    }
  }
  return out;
}

export function parseIntake(input: IntakeInput, options: IntakeOptions = {}): IntakeResult {
  const limits: IntakeLimits = { ...DEFAULT_INTAKE_LIMITS, ...(options.limits ?? {}) };
  checkSize(input, limits.maxBytes);
  const text = decodeText(input);
  const warnings: string[] = [];
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) {
    reject('XML reports are not accepted.', { path: '', message: 'Send SARIF, OSV, CSAF or CycloneDX VEX as JSON, or the Forewarn JSON report.' });
  }
  if ((options.format === undefined || options.format === 'osv') && looksLikeJsonLines(trimmed) && nestingSafeWholeParseFails(trimmed, limits)) {
    return { source: 'osv', candidates: readOsvJsonLines(text, limits, warnings), warnings };
  }
  const doc = parseJson(text, limits.maxNesting);
  const source = options.format ?? detectFormat(doc);
  let candidates: CandidateReport[];
  switch (source) {
    case 'sarif':
      candidates = readSarif(doc, limits, warnings, { affected: options.affected });
      break;
    case 'csaf':
      candidates = readCsaf(doc, limits.maxCandidates, warnings);
      break;
    case 'cyclonedx-vex':
      candidates = readCycloneDxVex(doc, limits.maxCandidates, warnings);
      break;
    case 'osv': {
      const records = Array.isArray(doc) ? doc : [doc];
      if (records.length === 0) reject('No OSV records.', { path: '', message: 'The array is empty.' });
      if (records.length > limits.maxCandidates) {
        reject('Too many OSV records.', { path: '', message: `${records.length} records; the limit (maxCandidates) is ${limits.maxCandidates}.` });
      }
      candidates = records.map((r, i) => readOsvRecord(r, Array.isArray(doc) ? [i] : [], warnings));
      break;
    }
    case 'native':
      candidates = [readNative(doc)];
      break;
  }
  return { source, candidates, warnings };
}

/** JSON Lines is tried only when the whole text is not one JSON value. */
function nestingSafeWholeParseFails(text: string, limits: IntakeLimits): boolean {
  try {
    parseJson(text, limits.maxNesting);
    return false;
  } catch {
    return true;
  }
}
