import { describe, expect, it } from 'vitest';
import { DOMAINS, evaluateCriteria, JUDGMENTS, type CriteriaInput, type Domain, type Judgment } from './criteria.ts';

const T = { cyber: 0.6, cbrn: 0.5, autonomy: 0.7 };
const base: CriteriaInput = { scores: { cyber: 0.1, cbrn: 0.1, autonomy: 0.1 }, thresholds: T, computeFlop: 1e24, computeTriggerFlop: 1e26, judgment: 'no_view' };

describe('evaluateCriteria', () => {
  it('not covered when every domain is below and compute is below the trigger', () => {
    const r = evaluateCriteria(base);
    expect(r.outcome).toBe('not_covered');
    expect(r.domains.map((d) => d.result)).toEqual(['below', 'below', 'below']);
    expect(r.compute).toBe('not_met');
  });

  it('covered when any one domain meets its threshold (at the threshold counts)', () => {
    for (const d of DOMAINS) {
      const r = evaluateCriteria({ ...base, scores: { ...base.scores, [d]: T[d] } });
      expect(r.outcome).toBe('covered');
      expect(r.domains.find((x) => x.domain === d)!.result).toBe('exceeds');
      expect(r.reasons.join(' ')).toContain(`${d}: score`);
    }
  });

  it('covered when compute meets the trigger, even with low scores; the trigger is configurable', () => {
    expect(evaluateCriteria({ ...base, computeFlop: 1e26 }).outcome).toBe('covered');
    expect(evaluateCriteria({ ...base, computeFlop: 2e25, computeTriggerFlop: 1e25 }).compute).toBe('met');
    expect(evaluateCriteria({ ...base, computeFlop: 2e25, computeTriggerFlop: 1e27 }).outcome).toBe('not_covered');
  });

  it('the analyst judging it covered makes it covered', () => {
    const r = evaluateCriteria({ ...base, judgment: 'covered' });
    expect(r.outcome).toBe('covered');
    expect(r.reasons).toContain('the analyst judges the model covered');
  });

  it('a met criterion against an analyst judging not covered is inconclusive', () => {
    expect(evaluateCriteria({ ...base, scores: { cyber: 0.9 }, judgment: 'not_covered', computeFlop: 1 }).outcome).toBe('inconclusive');
    expect(evaluateCriteria({ ...base, computeFlop: 5e26, judgment: 'not_covered' }).outcome).toBe('inconclusive');
  });

  it('missing evidence with nothing met is inconclusive', () => {
    expect(evaluateCriteria({ ...base, scores: { cyber: 0.1, cbrn: 0.1 } }).outcome).toBe('inconclusive');
    expect(evaluateCriteria({ ...base, computeFlop: null }).outcome).toBe('inconclusive');
    expect(evaluateCriteria({ ...base, computeFlop: null }).compute).toBe('unknown');
    expect(evaluateCriteria({ ...base, thresholds: {} }).outcome).toBe('inconclusive');
    expect(evaluateCriteria({ ...base, scores: { cyber: Number.NaN, cbrn: 0.1, autonomy: 0.1 } }).domains[0].result).toBe('missing');
  });

  it('only domains the threshold version names count', () => {
    const r = evaluateCriteria({ ...base, thresholds: { cyber: 0.6 }, scores: { cyber: 0.1, autonomy: 0.99 } });
    expect(r.domains.map((d) => d.domain)).toEqual(['cyber']);
    expect(r.outcome).toBe('not_covered');
  });

  it('exhaustively: agrees with the rule over every combination of domain results, compute and judgment', () => {
    const levels = ['below', 'exceeds', 'missing'] as const;
    const computes = ['met', 'not_met', 'unknown'] as const;
    let n = 0;
    for (const c of levels)
      for (const b of levels)
        for (const a of levels)
          for (const comp of computes)
            for (const j of JUDGMENTS) {
              const pick = { cyber: c, cbrn: b, autonomy: a } as Record<Domain, (typeof levels)[number]>;
              const scores: Partial<Record<Domain, number>> = {};
              for (const d of DOMAINS) if (pick[d] !== 'missing') scores[d] = pick[d] === 'exceeds' ? T[d] + 0.01 : T[d] - 0.01;
              const computeFlop = comp === 'unknown' ? null : comp === 'met' ? 3e26 : 3e25;
              const r = evaluateCriteria({ scores, thresholds: T, computeFlop, computeTriggerFlop: 1e26, judgment: j as Judgment });
              const met = Object.values(pick).includes('exceeds') || comp === 'met';
              const incomplete = Object.values(pick).includes('missing') || comp === 'unknown';
              const expected = j === 'covered' ? 'covered' : met ? (j === 'not_covered' ? 'inconclusive' : 'covered') : incomplete ? 'inconclusive' : 'not_covered';
              expect(r.outcome, JSON.stringify({ pick, comp, j })).toBe(expected);
              expect(r.compute).toBe(comp);
              expect(r.domains.map((d) => d.result)).toEqual(DOMAINS.map((d) => pick[d]));
              expect(r.reasons.length).toBeGreaterThanOrEqual(4);
              n++;
            }
    expect(n).toBe(27 * 3 * 3);
  });

  it('property: raising a score or the compute never turns covered into not covered', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 500; i++) {
      const scores = { cyber: rnd(), cbrn: rnd(), autonomy: rnd() };
      const input: CriteriaInput = { scores, thresholds: T, computeFlop: rnd() * 2e26, computeTriggerFlop: 1e26, judgment: JUDGMENTS[Math.floor(rnd() * 3)] };
      const before = evaluateCriteria(input).outcome;
      const d = DOMAINS[Math.floor(rnd() * 3)];
      const after = evaluateCriteria({ ...input, scores: { ...scores, [d]: Math.min(1, scores[d] + rnd()) }, computeFlop: input.computeFlop! * (1 + rnd()) }).outcome;
      if (before === 'covered') expect(after).toBe('covered');
      if (after === 'not_covered') expect(before).toBe('not_covered');
    }
  });
});
