import cvss from 'ae-cvss-calculator';

// CVSS 3.1 / 4.0 scoring and the qualitative rating (FIRST's bands, the same in both versions).
// The library parses leniently (missing metrics default to "X", a repeated metric overwrites the
// first), so the vector's shape is checked here before the library scores it.

export const RATINGS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type Rating = (typeof RATINGS)[number];

export type CvssVersion = '3.1' | '4.0';

const BASE_METRICS: Record<CvssVersion, readonly string[]> = {
  '3.1': ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'],
  '4.0': ['AV', 'AC', 'AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA'],
};

export interface CvssScore {
  version: CvssVersion;
  /** The vector as the library writes it back (normalised order). */
  vector: string;
  score: number;
  rating: Rating;
}

export type CvssResult = { ok: true; value: CvssScore } | { ok: false; message: string };

export function ratingOf(score: number): Rating {
  if (score <= 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

export function scoreCvss(vector: string): CvssResult {
  const text = vector.trim();
  const m = /^CVSS:(3\.1|4\.0)\/(.+)$/.exec(text);
  if (!m) return { ok: false, message: 'a CVSS 3.1 or 4.0 vector starting "CVSS:3.1/" or "CVSS:4.0/"' };
  const version = m[1] as CvssVersion;
  const seen = new Set<string>();
  for (const part of m[2].split('/')) {
    const kv = /^([A-Za-z]{1,4}):([A-Za-z]{1,2})$/.exec(part);
    if (!kv) return { ok: false, message: `"${part.slice(0, 20)}" is not a metric:value pair` };
    if (seen.has(kv[1])) return { ok: false, message: `metric ${kv[1]} appears twice` };
    seen.add(kv[1]);
  }
  const missing = BASE_METRICS[version].filter((k) => !seen.has(k));
  if (missing.length) return { ok: false, message: `base metrics missing: ${missing.join(', ')}` };
  try {
    const v = version === '3.1' ? new cvss.Cvss3P1(text) : new cvss.Cvss4P0(text);
    if (!v.isBaseFullyDefined()) return { ok: false, message: 'every base metric needs a value (not X)' };
    const scores = v.calculateScores() as { base?: number; overall?: number };
    const score = Number(scores.overall ?? scores.base);
    if (!Number.isFinite(score) || score < 0 || score > 10) return { ok: false, message: 'the vector could not be scored' };
    return { ok: true, value: { version, vector: v.toString(), score, rating: ratingOf(score) } };
  } catch (e) {
    const msg = e instanceof Error && /Unknown component/.test(e.message) ? e.message.slice(0, 120) : 'the vector could not be parsed';
    return { ok: false, message: msg };
  }
}
