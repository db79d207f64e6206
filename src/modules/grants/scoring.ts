// Review scores and their normalisation. Each reviewer scores each rubric criterion from 0 to
// SCORE_MAX; an application's raw score from one reviewer is the weighted mean scaled to 0–100.
//
// Reviewers differ in severity, so ranking uses per-reviewer z-scores: within one opportunity each
// reviewer's raw scores are centred on that reviewer's mean and divided by their (population)
// standard deviation. A reviewer who scored a single application, or gave every application the
// same score, contributes 0 (no information about relative merit). An application's normalised
// score is the mean of its reviewers' z-scores; ranking is by normalised score, then by mean raw
// score, then by id so the order is total and stable.

export const SCORE_MAX = 5;

export interface Criterion {
  key: string;
  title: string;
  description: string;
  weight: number;
}

export function rawScore(rubric: readonly Criterion[], scores: Readonly<Record<string, number>>): number {
  const totalWeight = rubric.reduce((s, c) => s + c.weight, 0);
  if (totalWeight <= 0) return 0;
  const weighted = rubric.reduce((s, c) => s + c.weight * ((scores[c.key] ?? 0) / SCORE_MAX), 0);
  return (100 * weighted) / totalWeight;
}

export interface ReviewScore {
  applicationId: string;
  reviewerId: string;
  raw: number;
}

export interface RankedApplication {
  applicationId: string;
  rank: number;
  reviews: number;
  meanRaw: number;
  normalised: number;
}

export function zScores(scores: readonly ReviewScore[]): Map<string, number> {
  const byReviewer = new Map<string, ReviewScore[]>();
  for (const s of scores) byReviewer.set(s.reviewerId, [...(byReviewer.get(s.reviewerId) ?? []), s]);
  const out = new Map<string, number>();
  for (const [reviewer, list] of byReviewer) {
    const mean = list.reduce((a, s) => a + s.raw, 0) / list.length;
    const sd = Math.sqrt(list.reduce((a, s) => a + (s.raw - mean) ** 2, 0) / list.length);
    for (const s of list) out.set(`${reviewer}:${s.applicationId}`, sd > 1e-9 ? (s.raw - mean) / sd : 0);
  }
  return out;
}

export function rankApplications(scores: readonly ReviewScore[]): RankedApplication[] {
  const z = zScores(scores);
  const byApp = new Map<string, ReviewScore[]>();
  for (const s of scores) byApp.set(s.applicationId, [...(byApp.get(s.applicationId) ?? []), s]);
  const rows = [...byApp].map(([applicationId, list]) => ({
    applicationId,
    reviews: list.length,
    meanRaw: list.reduce((a, s) => a + s.raw, 0) / list.length,
    normalised: list.reduce((a, s) => a + (z.get(`${s.reviewerId}:${s.applicationId}`) ?? 0), 0) / list.length,
  }));
  rows.sort((a, b) => b.normalised - a.normalised || b.meanRaw - a.meanRaw || (a.applicationId < b.applicationId ? -1 : 1));
  return rows.map((r, i) => ({ ...r, rank: i + 1 }));
}
