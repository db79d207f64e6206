import { describe, expect, it } from 'vitest';
import { DAY_MS, OPEN_SKEW_MS, releaseEffect, shortenViolations, windowViolations, type WindowRule } from './window-rules.ts';

const now = new Date('2026-07-01T12:00:00Z');
const at = (days: number, extraMs = 0) => new Date(now.getTime() + days * DAY_MS + extraMs);
const rules = (v: { rule: WindowRule }[]) => v.map((x) => x.rule).sort();

describe('windowViolations', () => {
  const base = { now, opensAt: now, closesAt: at(30), plannedReleaseAt: at(40), maxWindowDays: 30 };

  it('accepts a window of exactly the policy maximum ending before the release', () => {
    expect(windowViolations(base)).toEqual([]);
  });
  it('accepts a window ending exactly at the release', () => {
    expect(windowViolations({ ...base, plannedReleaseAt: at(30) })).toEqual([]);
  });
  it('refuses one millisecond over the policy maximum', () => {
    const v = windowViolations({ ...base, closesAt: at(30, 1) });
    expect(rules(v)).toEqual(['within-policy-maximum']);
    expect(v[0].path).toBe('closesAt');
    expect(v[0].message).toContain('30 days');
  });
  it('uses the policy value given (the earlier draft’s 90 days)', () => {
    expect(windowViolations({ ...base, closesAt: at(90), plannedReleaseAt: at(100), maxWindowDays: 90 })).toEqual([]);
    expect(rules(windowViolations({ ...base, closesAt: at(91), plannedReleaseAt: at(100), maxWindowDays: 90 }))).toEqual(['within-policy-maximum']);
  });
  it('refuses a window past the planned release', () => {
    expect(rules(windowViolations({ ...base, closesAt: at(20), plannedReleaseAt: at(19) }))).toEqual(['ends-by-release']);
  });
  it('refuses a window that closes at or before it opens', () => {
    expect(rules(windowViolations({ ...base, closesAt: now }))).toEqual(['closes-after-opens']);
    expect(rules(windowViolations({ ...base, opensAt: at(2), closesAt: at(1) }))).toEqual(['closes-after-opens']);
  });
  it('allows a small clock skew for opensAt but refuses a past opening', () => {
    expect(windowViolations({ ...base, opensAt: new Date(now.getTime() - OPEN_SKEW_MS), closesAt: at(29) })).toEqual([]);
    expect(rules(windowViolations({ ...base, opensAt: new Date(now.getTime() - OPEN_SKEW_MS - 1), closesAt: at(1) }))).toEqual(['opens-not-in-past']);
  });
  it('reports every broken rule at once', () => {
    expect(rules(windowViolations({ now, opensAt: at(-1), closesAt: at(-2), plannedReleaseAt: at(-3), maxWindowDays: 30 }))).toEqual(['closes-after-opens', 'ends-by-release', 'opens-not-in-past']);
    expect(rules(windowViolations({ now, opensAt: now, closesAt: at(45), plannedReleaseAt: at(10), maxWindowDays: 30 }))).toEqual(['ends-by-release', 'within-policy-maximum']);
  });
  it('exhaustively matches the four rules over a grid of times', () => {
    const days = [-2, -0.001, 0, 0.5, 1, 10, 29, 30, 30.0001, 31, 60, 90, 91];
    for (const o of days) for (const c of days) for (const r of days) for (const max of [1, 30, 90]) {
      const p = { now, opensAt: at(o), closesAt: at(c), plannedReleaseAt: at(r), maxWindowDays: max, skewMs: 0 };
      const expected: WindowRule[] = [];
      if (c <= o) expected.push('closes-after-opens');
      if (o < 0) expected.push('opens-not-in-past');
      if (at(c).getTime() - at(o).getTime() > max * DAY_MS) expected.push('within-policy-maximum');
      if (c > r) expected.push('ends-by-release');
      expect(rules(windowViolations(p))).toEqual(expected.sort());
    }
  });
});

describe('shortenViolations', () => {
  it('accepts only an earlier closing time', () => {
    expect(shortenViolations({ closesAt: at(10) }, at(5))).toEqual([]);
    expect(shortenViolations({ closesAt: at(10) }, at(-1))).toEqual([]);
    expect(rules(shortenViolations({ closesAt: at(10) }, at(10)))).toEqual(['shorten-only-earlier']);
    expect(rules(shortenViolations({ closesAt: at(10) }, at(11)))).toEqual(['shorten-only-earlier']);
  });
});

describe('releaseEffect', () => {
  it('does nothing without an open window', () => expect(releaseEffect(null, at(-1), now)).toBe('none'));
  it('closes the window when the release is now or past', () => {
    expect(releaseEffect({ closesAt: at(10) }, now, now)).toBe('close');
    expect(releaseEffect({ closesAt: at(10) }, at(-1), now)).toBe('close');
  });
  it('shortens the window when the release moves before its end', () => expect(releaseEffect({ closesAt: at(10) }, at(5), now)).toBe('shorten'));
  it('leaves the window alone when the release is at or after its end (a later release never lengthens it)', () => {
    expect(releaseEffect({ closesAt: at(10) }, at(10), now)).toBe('none');
    expect(releaseEffect({ closesAt: at(10) }, at(50), now)).toBe('none');
  });
});
