// Run statistics (pure): per-domain aggregates with Wilson score intervals, comparison of two runs
// (two-proportion z-test and Newcombe hybrid score interval) and CSV export of per-sample results.

export interface SampleResult {
  sampleId: string;
  domain: string;
  /** Score in [0, 1]; a sample counts as correct when score ≥ 1 (or ≥ threshold given). null = errored. */
  score: number | null;
  answer?: string;
  output?: string;
  latencyMs?: number | null;
  promptTokens?: number | null;
  completionTokens?: number | null;
  error?: string | null;
}

export interface Interval {
  lower: number;
  upper: number;
}

/** z for a two-sided confidence level (0.95 → 1.959964). */
export function zFor(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  return inverseNormal(1 - (1 - confidence) / 2);
}

/** Wilson score interval for k successes out of n. n = 0 gives [0, 1]. */
export function wilson(k: number, n: number, z = 1.959963984540054): Interval {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) throw new RangeError('need integers 0 ≤ k ≤ n');
  if (!(z > 0) || !Number.isFinite(z)) throw new RangeError('z must be positive');
  if (n === 0) return { lower: 0, upper: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return {
    lower: k === 0 ? 0 : Math.max(0, centre - half),
    upper: k === n ? 1 : Math.min(1, centre + half),
  };
}

export interface Aggregate {
  domain: string;
  n: number;
  scored: number;
  errors: number;
  correct: number;
  /** correct / n (errors count as wrong); 0 when n = 0. */
  accuracy: number;
  meanScore: number;
  ci: Interval;
  meanLatencyMs: number | null;
  meanPromptTokens: number | null;
  meanCompletionTokens: number | null;
  totalTokens: number;
}

export interface AggregateOptions {
  z?: number;
  /** A score at or above this counts as correct (default 1). */
  threshold?: number;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const nums = (xs: (number | null | undefined)[]) => xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));

export function aggregate(domain: string, results: readonly SampleResult[], o: AggregateOptions = {}): Aggregate {
  const threshold = o.threshold ?? 1;
  const n = results.length;
  const scoredRs = results.filter((r) => r.score !== null);
  const correct = scoredRs.filter((r) => (r.score as number) >= threshold).length;
  const pt = nums(results.map((r) => r.promptTokens));
  const ct = nums(results.map((r) => r.completionTokens));
  return {
    domain,
    n,
    scored: scoredRs.length,
    errors: n - scoredRs.length,
    correct,
    accuracy: n ? correct / n : 0,
    meanScore: n ? scoredRs.reduce((a, r) => a + (r.score as number), 0) / n : 0,
    ci: wilson(correct, n, o.z),
    meanLatencyMs: mean(nums(results.map((r) => r.latencyMs))),
    meanPromptTokens: mean(pt),
    meanCompletionTokens: mean(ct),
    totalTokens: pt.reduce((a, b) => a + b, 0) + ct.reduce((a, b) => a + b, 0),
  };
}

/** Aggregates per domain (sorted by domain name) plus an overall row under `overall`. */
export function aggregateByDomain(results: readonly SampleResult[], o: AggregateOptions = {}): { domains: Aggregate[]; overall: Aggregate } {
  const by = new Map<string, SampleResult[]>();
  for (const r of results) {
    const list = by.get(r.domain) ?? [];
    list.push(r);
    by.set(r.domain, list);
  }
  const domains = [...by.keys()].sort().map((d) => aggregate(d, by.get(d)!, o));
  return { domains, overall: aggregate('overall', results, o) };
}

// ---- comparison of two runs ----

export interface Comparison {
  /** accuracy(b) − accuracy(a). */
  difference: number;
  /** Newcombe (method 10) hybrid score interval for the difference. */
  ci: Interval;
  /** Pooled two-proportion z statistic and two-sided p-value (1 when undefined, e.g. both 0 or both n). */
  z: number;
  pValue: number;
}

export function compareProportions(k1: number, n1: number, k2: number, n2: number, z = 1.959963984540054): Comparison {
  if (n1 === 0 || n2 === 0) throw new RangeError('both runs need at least one sample');
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const w1 = wilson(k1, n1, z);
  const w2 = wilson(k2, n2, z);
  const d = p2 - p1;
  const lower = d - Math.sqrt((p2 - w2.lower) ** 2 + (w1.upper - p1) ** 2);
  const upper = d + Math.sqrt((w2.upper - p2) ** 2 + (p1 - w1.lower) ** 2);
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const zStat = se === 0 ? 0 : d / se;
  const pValue = se === 0 ? 1 : Math.min(1, 2 * (1 - normalCdf(Math.abs(zStat))));
  return { difference: d, ci: { lower: Math.max(-1, lower), upper: Math.min(1, upper) }, z: zStat, pValue };
}

/** Compare aggregates of two runs domain by domain (domains present in both), plus overall. */
export function compareRuns(a: readonly SampleResult[], b: readonly SampleResult[], o: AggregateOptions = {}): { domain: string; a: Aggregate; b: Aggregate; comparison: Comparison }[] {
  const A = aggregateByDomain(a, o);
  const B = aggregateByDomain(b, o);
  const rows = [];
  for (const da of [...A.domains, A.overall]) {
    const db = da.domain === 'overall' ? B.overall : B.domains.find((x) => x.domain === da.domain);
    if (!db || da.n === 0 || db.n === 0) continue;
    rows.push({ domain: da.domain, a: da, b: db, comparison: compareProportions(da.correct, da.n, db.correct, db.n, o.z) });
  }
  return rows;
}

// ---- normal distribution ----

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

/** Inverse standard normal CDF (Acklam's algorithm, relative error < 1.2e-9). */
export function inverseNormal(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError('p must be in (0, 1)');
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -inverseNormal(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

// ---- CSV export ----

const INJECTION = /^[=+\-@\t\r\0]/;

/** One CSV cell: neutralises spreadsheet formulas (leading ' ) and quotes per RFC 4180 when needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
  if (typeof value === 'string' && INJECTION.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export const RESULT_COLUMNS = ['sample_id', 'domain', 'score', 'answer', 'latency_ms', 'prompt_tokens', 'completion_tokens', 'error', 'output'] as const;

/** Per-sample results as RFC 4180 CSV (CRLF line ends, header row). */
export function resultsToCsv(results: readonly SampleResult[]): string {
  const rows = [RESULT_COLUMNS.join(',')];
  for (const r of results) {
    rows.push([r.sampleId, r.domain, r.score, r.answer, r.latencyMs, r.promptTokens, r.completionTokens, r.error, r.output].map(csvCell).join(','));
  }
  return rows.join('\r\n') + '\r\n';
}
