// CVSS 3.1 and 4.0 vectors: strict parsing against the FIRST specifications, then scoring with
// ae-cvss-calculator. The library alone is too lenient for intake (it accepts repeated metrics,
// missing base metrics and unordered 4.0 vectors), so the grammar is checked here first and the
// library only ever sees a vector this file has already normalised.
import calculator from 'ae-cvss-calculator';
import { ValidationError } from '../errors.ts';

const { Cvss3P1, Cvss4P0 } = calculator;

export type CvssVersion = '3.1' | '4.0';
export type CvssSeverity = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface CvssResult {
  version: CvssVersion;
  /** Canonical metric order, metrics left at Not Defined (X) dropped. */
  vector: string;
  /** Score of the base metrics alone (CVSS-B for 4.0). */
  baseScore: number;
  severity: CvssSeverity;
  /** Score with every metric given (temporal/environmental for 3.1; CVSS-BT/BE/BTE for 4.0). */
  score: number;
  scoreSeverity: CvssSeverity;
  /** 4.0 nomenclature (CVSS-B, CVSS-BT, CVSS-BE, CVSS-BTE); 3.1 has none. */
  nomenclature?: string;
}

/** A vector that is not valid for its version; `metric` names the offending metric when there is one. */
export class CvssVectorError extends ValidationError {
  constructor(
    message: string,
    readonly metric?: string,
  ) {
    super(message, [{ path: metric ? `vector.${metric}` : 'vector', message }]);
  }
}

interface MetricDef {
  key: string;
  values: readonly string[];
  base: boolean;
}

const m = (key: string, values: string, base = false): MetricDef => ({ key, values: values.split(','), base });

// CVSS v3.1 specification, section 6 (Table 15). Base metrics are mandatory; the others default to X.
export const CVSS31_METRICS: readonly MetricDef[] = [
  m('AV', 'N,A,L,P', true), m('AC', 'L,H', true), m('PR', 'N,L,H', true), m('UI', 'N,R', true),
  m('S', 'U,C', true), m('C', 'H,L,N', true), m('I', 'H,L,N', true), m('A', 'H,L,N', true),
  m('E', 'X,U,P,F,H'), m('RL', 'X,O,T,W,U'), m('RC', 'X,U,R,C'),
  m('CR', 'X,L,M,H'), m('IR', 'X,L,M,H'), m('AR', 'X,L,M,H'),
  m('MAV', 'X,N,A,L,P'), m('MAC', 'X,L,H'), m('MPR', 'X,N,L,H'), m('MUI', 'X,N,R'), m('MS', 'X,U,C'),
  m('MC', 'X,N,L,H'), m('MI', 'X,N,L,H'), m('MA', 'X,N,L,H'),
];

// CVSS v4.0 specification, section 7 (Table 23); 4.0 requires this order.
export const CVSS40_METRICS: readonly MetricDef[] = [
  m('AV', 'N,A,L,P', true), m('AC', 'L,H', true), m('AT', 'N,P', true), m('PR', 'N,L,H', true),
  m('UI', 'N,P,A', true), m('VC', 'H,L,N', true), m('VI', 'H,L,N', true), m('VA', 'H,L,N', true),
  m('SC', 'H,L,N', true), m('SI', 'H,L,N', true), m('SA', 'H,L,N', true),
  m('E', 'X,A,P,U'),
  m('CR', 'X,H,M,L'), m('IR', 'X,H,M,L'), m('AR', 'X,H,M,L'),
  m('MAV', 'X,N,A,L,P'), m('MAC', 'X,L,H'), m('MAT', 'X,N,P'), m('MPR', 'X,N,L,H'), m('MUI', 'X,N,P,A'),
  m('MVC', 'X,H,L,N'), m('MVI', 'X,H,L,N'), m('MVA', 'X,H,L,N'),
  m('MSC', 'X,H,L,N'), m('MSI', 'X,S,H,L,N'), m('MSA', 'X,S,H,L,N'),
  m('S', 'X,N,P'), m('AU', 'X,N,Y'), m('R', 'X,A,U,I'), m('V', 'X,D,C'), m('RE', 'X,L,M,H'),
  m('U', 'X,Clear,Green,Amber,Red'),
];

const MAX_VECTOR_LENGTH = 512;

/** Qualitative rating scale shared by CVSS 3.1 (section 5) and 4.0 (section 6). */
export function severityOf(score: number): CvssSeverity {
  if (!(score >= 0 && score <= 10)) throw new RangeError(`CVSS score out of range: ${score}`);
  if (score === 0) return 'NONE';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

function parseMetrics(body: string, defs: readonly MetricDef[], version: CvssVersion): Map<string, string> {
  if (body === '') throw new CvssVectorError(`CVSS ${version} vector has no metrics`);
  const byKey = new Map(defs.map((d, i) => [d.key, { def: d, index: i }]));
  const given = new Map<string, string>();
  let lastIndex = -1;
  for (const part of body.split('/')) {
    const colon = part.indexOf(':');
    if (colon <= 0 || colon !== part.lastIndexOf(':')) {
      throw new CvssVectorError(`CVSS ${version} vector part "${part}" is not METRIC:VALUE`);
    }
    const key = part.slice(0, colon);
    const value = part.slice(colon + 1);
    const entry = byKey.get(key);
    if (!entry) throw new CvssVectorError(`CVSS ${version} has no metric "${key}"`, key);
    if (given.has(key)) throw new CvssVectorError(`CVSS ${version} metric ${key} is given more than once`, key);
    if (!entry.def.values.includes(value)) {
      throw new CvssVectorError(
        `CVSS ${version} metric ${key} has no value "${value}" (allowed: ${entry.def.values.join(', ')})`,
        key,
      );
    }
    if (version === '4.0' && entry.index < lastIndex) {
      throw new CvssVectorError(`CVSS 4.0 metric ${key} is out of order (the specification fixes the order)`, key);
    }
    lastIndex = entry.index;
    given.set(key, value);
  }
  for (const d of defs) {
    if (d.base && !given.has(d.key)) throw new CvssVectorError(`CVSS ${version} base metric ${d.key} is missing`, d.key);
  }
  return given;
}

function render(prefix: string, defs: readonly MetricDef[], given: Map<string, string>, baseOnly: boolean): string {
  const parts = [prefix];
  for (const d of defs) {
    const v = given.get(d.key);
    if (v === undefined || v === 'X' || (baseOnly && !d.base)) continue;
    parts.push(`${d.key}:${v}`);
  }
  return parts.join('/');
}

// Scoring a 4.0 vector costs milliseconds and the writers score the same few vectors again and again
// (every advisory document, every rendering), so valid results are remembered, most recent last.
// Invalid vectors are not remembered: each attempt gets its own error.
const MEMO_LIMIT = 10_000;
const memo = new Map<string, Readonly<CvssResult>>();

/** Parses, validates and scores a CVSS 3.1 or 4.0 vector; throws CvssVectorError naming the bad metric. */
export function scoreCvss(input: string): CvssResult {
  if (typeof input !== 'string') throw new CvssVectorError('CVSS vector must be a string');
  const known = memo.get(input);
  if (known !== undefined) {
    memo.delete(input);
    memo.set(input, known);
    return { ...known };
  }
  const result = Object.freeze(computeScore(input));
  if (memo.size >= MEMO_LIMIT) memo.delete(memo.keys().next().value as string);
  memo.set(input, result);
  return { ...result };
}

/** How many scored vectors are remembered (for tests of the bound). */
export function cvssMemoSize(): number {
  return memo.size;
}

function computeScore(input: string): CvssResult {
  const vector = input.trim();
  if (vector.length > MAX_VECTOR_LENGTH) throw new CvssVectorError(`CVSS vector is longer than ${MAX_VECTOR_LENGTH} characters`);
  const slash = vector.indexOf('/');
  const prefix = slash < 0 ? vector : vector.slice(0, slash);
  const body = slash < 0 ? '' : vector.slice(slash + 1);
  if (prefix === 'CVSS:3.1') {
    const given = parseMetrics(body, CVSS31_METRICS, '3.1');
    const normalised = render(prefix, CVSS31_METRICS, given, false);
    const scores = new Cvss3P1(normalised).calculateScores();
    const baseScore = scores.base ?? 0;
    return {
      version: '3.1',
      vector: normalised,
      baseScore,
      severity: severityOf(baseScore),
      score: scores.overall,
      scoreSeverity: severityOf(scores.overall),
    };
  }
  if (prefix === 'CVSS:4.0') {
    const given = parseMetrics(body, CVSS40_METRICS, '4.0');
    const normalised = render(prefix, CVSS40_METRICS, given, false);
    const full = new Cvss4P0(normalised);
    const score = full.calculateScores().overall;
    const baseScore = new Cvss4P0(render(prefix, CVSS40_METRICS, given, true)).calculateScores().overall;
    return {
      version: '4.0',
      vector: normalised,
      baseScore,
      severity: severityOf(baseScore),
      score,
      scoreSeverity: severityOf(score),
      nomenclature: full.getNomenclature(),
    };
  }
  if (/^CVSS:\d/.test(prefix)) throw new CvssVectorError(`CVSS version "${prefix.slice(5)}" is not supported (use 3.1 or 4.0)`);
  throw new CvssVectorError('CVSS vector must start with "CVSS:3.1/" or "CVSS:4.0/"');
}

/** True when the vector parses; for form validation where an exception is not wanted. */
export function isValidCvss(input: string): boolean {
  try {
    scoreCvss(input);
    return true;
  } catch (e) {
    if (e instanceof CvssVectorError) return false;
    throw e;
  }
}
