import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregate, aggregateByDomain, compareProportions, compareRuns, csvCell, inverseNormal, normalCdf, resultsToCsv, wilson, zFor, type SampleResult } from './stats.ts';
import { parseCsvRecords } from './import.ts';

const r = (domain: string, score: number | null, extra: Partial<SampleResult> = {}): SampleResult => ({ sampleId: `${domain}-${Math.random()}`, domain, score, ...extra });

describe('wilson', () => {
  it('8/10 at 95% is [0.4902, 0.9433]', () => {
    const w = wilson(8, 10);
    expect(w.lower).toBeCloseTo(0.4902, 4);
    expect(w.upper).toBeCloseTo(0.9433, 4);
  });
  it('0/10 is [0, 0.2775]', () => {
    const w = wilson(0, 10);
    expect(w.lower).toBe(0);
    expect(w.upper).toBeCloseTo(0.2775, 4);
  });
  it('10/10 is [0.7225, 1]', () => {
    const w = wilson(10, 10);
    expect(w.lower).toBeCloseTo(0.7225, 4);
    expect(w.upper).toBe(1);
  });
  it('n = 0 gives the whole range', () => {
    expect(wilson(0, 0)).toEqual({ lower: 0, upper: 1 });
  });
  it('uses the z given (8/10 at 99%, z = 2.5758 → [0.4008, 0.9599], worked by hand)', () => {
    const w = wilson(8, 10, zFor(0.99));
    expect(w.lower).toBeCloseTo(0.4008, 4);
    expect(w.upper).toBeCloseTo(0.9599, 4);
  });
  it('a larger z gives a wider interval', () => {
    const a = wilson(30, 100, 1.645);
    const b = wilson(30, 100, 1.96);
    expect(b.lower).toBeLessThan(a.lower);
    expect(b.upper).toBeGreaterThan(a.upper);
  });
  it('refuses bad counts and z', () => {
    expect(() => wilson(11, 10)).toThrow(RangeError);
    expect(() => wilson(-1, 10)).toThrow(RangeError);
    expect(() => wilson(1.5, 10)).toThrow(RangeError);
    expect(() => wilson(1, 10, 0)).toThrow(RangeError);
    expect(() => wilson(1, 10, Number.NaN)).toThrow(RangeError);
  });
  it('always contains the point estimate and stays in [0, 1] (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.5, max: 4, noNaN: true }), (n, f, z) => {
      const k = Math.floor(f * n);
      const w = wilson(k, n, z);
      expect(w.lower).toBeGreaterThanOrEqual(0);
      expect(w.upper).toBeLessThanOrEqual(1);
      expect(w.lower).toBeLessThanOrEqual(k / n + 1e-12);
      expect(w.upper).toBeGreaterThanOrEqual(k / n - 1e-12);
    }));
  });
});

describe('normal distribution', () => {
  it('zFor(0.95) = 1.959964, zFor(0.90) = 1.644854', () => {
    expect(zFor(0.95)).toBeCloseTo(1.959964, 5);
    expect(zFor(0.9)).toBeCloseTo(1.644854, 5);
    expect(zFor(0.999)).toBeCloseTo(3.290527, 4);
  });
  it('normalCdf known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6);
  });
  it('inverseNormal inverts normalCdf', () => {
    for (const p of [0.001, 0.01, 0.2, 0.5, 0.8, 0.99, 0.999]) expect(normalCdf(inverseNormal(p))).toBeCloseTo(p, 6);
  });
  it('refuses out-of-range probabilities', () => {
    expect(() => zFor(1)).toThrow(RangeError);
    expect(() => zFor(0)).toThrow(RangeError);
    expect(() => inverseNormal(0)).toThrow(RangeError);
  });
});

describe('aggregate', () => {
  it('counts correct, errors, accuracy, means and tokens', () => {
    const a = aggregate('web', [
      r('web', 1, { latencyMs: 100, promptTokens: 10, completionTokens: 1 }),
      r('web', 0, { latencyMs: 300, promptTokens: 20, completionTokens: 3 }),
      r('web', null, { error: 'timeout', latencyMs: null }),
      r('web', 0.5),
    ]);
    expect(a).toMatchObject({ domain: 'web', n: 4, scored: 3, errors: 1, correct: 1, accuracy: 0.25, meanScore: 0.375, meanLatencyMs: 200, meanPromptTokens: 15, meanCompletionTokens: 2, totalTokens: 34 });
    expect(a.ci).toEqual(wilson(1, 4));
  });
  it('uses the threshold for partial scores', () => {
    expect(aggregate('x', [r('x', 0.5), r('x', 0.4)], { threshold: 0.5 }).correct).toBe(1);
  });
  it('empty input gives zeros and null means', () => {
    expect(aggregate('x', [])).toMatchObject({ n: 0, correct: 0, accuracy: 0, meanLatencyMs: null, ci: { lower: 0, upper: 1 } });
  });
  it('groups by domain, sorted, with an overall row', () => {
    const { domains, overall } = aggregateByDomain([r('b', 1), r('a', 0), r('b', 0), r('a', 1), r('a', 1)]);
    expect(domains.map((d) => [d.domain, d.n, d.correct])).toEqual([['a', 3, 2], ['b', 2, 1]]);
    expect(overall).toMatchObject({ domain: 'overall', n: 5, correct: 3 });
  });
});

describe('compareProportions (Newcombe hybrid score interval, two-proportion z-test)', () => {
  it("Newcombe 1998 example 56/70 vs 48/80: difference 0.2, CI [0.0524, 0.3339]", () => {
    const c = compareProportions(48, 80, 56, 70);
    expect(c.difference).toBeCloseTo(0.2, 10);
    expect(c.ci.lower).toBeCloseTo(0.0524, 4);
    expect(c.ci.upper).toBeCloseTo(0.3339, 4);
    expect(c.z).toBeCloseTo(2.6502, 3);
    expect(c.pValue).toBeCloseTo(0.00804, 4);
  });
  it('Newcombe example 9/10 vs 3/10 (difference −0.6 from b to a)', () => {
    // Newcombe 1998 table II, case (c): 9/10 − 3/10 = 0.6, method 10: 0.1705 to 0.8090.
    const c = compareProportions(3, 10, 9, 10);
    expect(c.ci.lower).toBeCloseTo(0.1705, 3);
    expect(c.ci.upper).toBeCloseTo(0.809, 3);
  });
  it('identical runs: difference 0, p = 1, interval around 0', () => {
    const c = compareProportions(5, 10, 5, 10);
    expect(c.difference).toBe(0);
    expect(c.pValue).toBeCloseTo(1, 6);
    expect(c.ci.lower).toBeLessThan(0);
    expect(c.ci.upper).toBeGreaterThan(0);
  });
  it('degenerate 0/n vs 0/n: p = 1, z = 0', () => {
    const c = compareProportions(0, 10, 0, 10);
    expect(c).toMatchObject({ difference: 0, z: 0, pValue: 1 });
  });
  it('refuses empty runs', () => {
    expect(() => compareProportions(0, 0, 1, 2)).toThrow(RangeError);
  });
  it('interval stays within [−1, 1] and contains the difference (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (n1, n2, f1, f2) => {
      const k1 = Math.floor(f1 * n1);
      const k2 = Math.floor(f2 * n2);
      const c = compareProportions(k1, n1, k2, n2);
      expect(c.ci.lower).toBeGreaterThanOrEqual(-1);
      expect(c.ci.upper).toBeLessThanOrEqual(1);
      expect(c.ci.lower).toBeLessThanOrEqual(c.difference + 1e-12);
      expect(c.ci.upper).toBeGreaterThanOrEqual(c.difference - 1e-12);
      expect(c.pValue).toBeGreaterThanOrEqual(0);
      expect(c.pValue).toBeLessThanOrEqual(1);
    }));
  });
  it('compareRuns pairs shared domains and overall', () => {
    const a = [r('x', 1), r('x', 0), r('y', 1)];
    const b = [r('x', 1), r('x', 1), r('z', 0)];
    const rows = compareRuns(a, b);
    expect(rows.map((x) => x.domain)).toEqual(['x', 'overall']);
    expect(rows[0].comparison.difference).toBeCloseTo(0.5, 10);
  });
});

describe('CSV export', () => {
  it('neutralises formula-leading cells', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '\0x']) expect(csvCell(s).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });
  it('leaves numbers (negative too) and plain text alone', () => {
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(0.5)).toBe('0.5');
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(true)).toBe('true');
  });
  it('quotes commas, quotes, newlines and edge spaces', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('l1\nl2')).toBe('"l1\nl2"');
    expect(csvCell(' x')).toBe('" x"');
  });
  it('writes a header and CRLF rows that parse back', () => {
    const csv = resultsToCsv([
      { sampleId: 's1', domain: 'web', score: 1, answer: 'B', latencyMs: 12, promptTokens: 5, completionTokens: 1, output: 'Answer: B, "sure"\nok' },
      { sampleId: 's2', domain: 'net', score: null, error: '=cmd|calc', output: '@x' },
    ]);
    expect(csv.startsWith('sample_id,domain,score,answer,latency_ms,prompt_tokens,completion_tokens,error,output\r\n')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const recs = parseCsvRecords(csv);
    expect(recs).toHaveLength(3);
    expect(recs[1].fields).toEqual(['s1', 'web', '1', 'B', '12', '5', '1', '', 'Answer: B, "sure"\nok']);
    expect(recs[2].fields).toEqual(['s2', 'net', '', '', '', '', '', "'=cmd|calc", "'@x"]);
  });
  it('round-trips arbitrary text (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const recs = parseCsvRecords(`${csvCell(s)}\r\n`);
      const expected = /^[=+\-@\t\r\0]/.test(s) ? `'${s}` : s;
      expect(recs[0].fields).toEqual([expected]);
    }));
  });
});
