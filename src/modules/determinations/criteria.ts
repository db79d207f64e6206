// The determination criteria, combined without I/O: benchmark scores against the adopted thresholds
// (per risk domain), the training-compute trigger, and the analyst's judgment. The result is a
// suggestion with reasons; the NSA decision-maker records the outcome. The reasons name scores and
// thresholds, so they are as classified as the determination itself.

export const DOMAINS = ['cyber', 'cbrn', 'autonomy'] as const;
export type Domain = (typeof DOMAINS)[number];

export const OUTCOMES = ['covered', 'not_covered', 'inconclusive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The analyst's own view, recorded with a written rationale. */
export const JUDGMENTS = ['covered', 'not_covered', 'no_view'] as const;
export type Judgment = (typeof JUDGMENTS)[number];

export const DEFAULT_COMPUTE_TRIGGER_FLOP = 1e26;

export type Scores = Partial<Record<Domain, number>>;
export type Thresholds = Partial<Record<Domain, number>>;

export interface CriteriaInput {
  scores: Scores;
  thresholds: Thresholds;
  computeFlop: number | null;
  computeTriggerFlop: number;
  judgment: Judgment;
}

export type DomainResult = 'exceeds' | 'below' | 'missing';

export interface CriteriaResult {
  outcome: Outcome;
  domains: { domain: Domain; score: number | null; threshold: number; result: DomainResult }[];
  compute: 'met' | 'not_met' | 'unknown';
  reasons: string[];
}

function isNum(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

/**
 * A domain counts when the adopted thresholds name it; a score at or above its threshold exceeds it.
 * covered: the analyst judges it covered, or a criterion is met and the analyst does not disagree.
 * inconclusive: a criterion is met but the analyst judges it not covered, or evidence is missing.
 * not_covered: every domain is below its threshold and the compute is below the trigger.
 */
export function evaluateCriteria(input: CriteriaInput): CriteriaResult {
  const domains = DOMAINS.filter((d) => isNum(input.thresholds[d])).map((domain) => {
    const threshold = input.thresholds[domain] as number;
    const s = input.scores[domain];
    const score = isNum(s) ? s : null;
    const result: DomainResult = score === null ? 'missing' : score >= threshold ? 'exceeds' : 'below';
    return { domain, score, threshold, result };
  });
  const compute: CriteriaResult['compute'] = !isNum(input.computeFlop) ? 'unknown' : input.computeFlop >= input.computeTriggerFlop ? 'met' : 'not_met';
  const reasons: string[] = [];
  for (const d of domains) {
    if (d.result === 'exceeds') reasons.push(`${d.domain}: score ${d.score} meets or exceeds the threshold ${d.threshold}`);
    else if (d.result === 'below') reasons.push(`${d.domain}: score ${d.score} is below the threshold ${d.threshold}`);
    else reasons.push(`${d.domain}: no score entered (threshold ${d.threshold})`);
  }
  if (compute === 'met') reasons.push(`training compute ${input.computeFlop!.toExponential(2)} FLOP meets the trigger ${input.computeTriggerFlop.toExponential(2)} FLOP`);
  else if (compute === 'not_met') reasons.push(`training compute ${input.computeFlop!.toExponential(2)} FLOP is below the trigger ${input.computeTriggerFlop.toExponential(2)} FLOP`);
  else reasons.push('training compute unknown');
  if (domains.length === 0) reasons.push('the threshold version names no domain');

  const met = domains.some((d) => d.result === 'exceeds') || compute === 'met';
  const incomplete = domains.length === 0 || domains.some((d) => d.result === 'missing') || compute === 'unknown';
  let outcome: Outcome;
  if (input.judgment === 'covered') {
    outcome = 'covered';
    reasons.push('the analyst judges the model covered');
  } else if (met) {
    if (input.judgment === 'not_covered') {
      outcome = 'inconclusive';
      reasons.push('a criterion is met but the analyst judges the model not covered');
    } else outcome = 'covered';
  } else if (incomplete) {
    outcome = 'inconclusive';
    reasons.push('evidence is missing: no criterion is met and not every criterion could be assessed');
  } else {
    outcome = 'not_covered';
    if (input.judgment === 'not_covered') reasons.push('the analyst judges the model not covered');
  }
  return { outcome, domains, compute, reasons };
}
