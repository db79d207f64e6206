import { describe, expect, test } from 'vitest';
import { aggregateHeadStarts, computeHeadStart, exposureRecords, headStartSeries, MAX_SERIES_POINTS, operatorOutcomes, publicHeadStart, shareOf, UNKNOWN_SECTOR, type ExposureRecord } from './head-start.fns.ts';

const DAY = 86_400_000;
const T0 = new Date('2026-03-01T00:00:00Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY);

function rec(operatorId: string, sector: string | null, matched: number, patched: number | null, resolution: ExposureRecord['resolution'] = patched === null ? null : 'patched'): ExposureRecord {
  return { operatorId, sector, matchedAt: at(matched), resolution, resolvedAt: patched === null ? null : at(patched) };
}

describe('shareOf', () => {
  test('is null for an empty whole and a fraction otherwise', () => {
    expect(shareOf(0, 0)).toBeNull();
    expect(shareOf(1, 4)).toBe(0.25);
    expect(shareOf(3, 3)).toBe(1);
  });
});

describe('operatorOutcomes', () => {
  test('nothing in, nothing out', () => {
    expect(operatorOutcomes([])).toEqual([]);
  });

  test('an operator counts once, patched when its last open record is', () => {
    const [o, ...rest] = operatorOutcomes([rec('a', 'healthcare', 2, 5), rec('a', 'healthcare', 1, 7)]);
    expect(rest).toEqual([]);
    expect(o).toEqual({ operatorId: 'a', sector: 'healthcare', firstMatchedAt: at(1), patchedAt: at(7), openRecords: 0 });
  });

  test('one open record keeps the operator exposed', () => {
    const [o] = operatorOutcomes([rec('a', 'water', 1, 3), rec('a', 'water', 2, null)]);
    expect(o.patchedAt).toBeNull();
    expect(o.openRecords).toBe(1);
  });

  test('a patched resolution without an instant is still open', () => {
    const [o] = operatorOutcomes([{ operatorId: 'a', sector: 'water', matchedAt: at(0), resolution: 'patched', resolvedAt: null }]);
    expect(o.patchedAt).toBeNull();
  });

  test('"not affected" records are ignored; an operator with only those is not affected', () => {
    const outcomes = operatorOutcomes([rec('a', 'banking', 1, 2, 'not_affected'), rec('b', 'banking', 1, 2, 'not_affected'), rec('b', 'banking', 3, 4)]);
    expect(outcomes.map((o) => o.operatorId)).toEqual(['b']);
    expect(outcomes[0].firstMatchedAt).toEqual(at(3));
    expect(outcomes[0].patchedAt).toEqual(at(4));
  });

  test('an operator without a sector is in the unknown sector; a known sector on any record wins', () => {
    const outcomes = operatorOutcomes([rec('a', null, 0, null), rec('b', null, 1, null), rec('b', 'energy', 2, null)]);
    expect(outcomes.map((o) => [o.operatorId, o.sector])).toEqual([
      ['a', UNKNOWN_SECTOR],
      ['b', 'energy'],
    ]);
  });

  test('sorted by first match, then id', () => {
    const outcomes = operatorOutcomes([rec('c', 'x', 2, null), rec('b', 'x', 1, null), rec('a', 'x', 1, null)]);
    expect(outcomes.map((o) => o.operatorId)).toEqual(['a', 'b', 'c']);
  });
});

describe('computeHeadStart', () => {
  const release = at(10);
  const records = [
    rec('h1', 'healthcare', 0, 3), // patched before release
    rec('h2', 'healthcare', 1, 12), // patched after release
    rec('b1', 'banking', 2, 10), // patched exactly at release: counts
    rec('w1', 'water', 4, null), // still exposed
    rec('w2', 'water', 5, 6, 'not_affected'), // not affected: out
  ];

  test('after the release: the share patched by the release instant, by sector, and the still exposed', () => {
    const h = computeHeadStart(records, release, at(20));
    expect(h.released).toBe(true);
    expect(h.affected).toBe(4);
    expect(h.patchedBeforeRelease).toBe(2);
    expect(h.share).toBe(0.5);
    expect(h.patchedNow).toBe(3);
    expect(h.bySector).toEqual([
      { sector: 'banking', affected: 1, patchedBeforeRelease: 1, share: 1 },
      { sector: 'healthcare', affected: 2, patchedBeforeRelease: 1, share: 0.5 },
      { sector: 'water', affected: 1, patchedBeforeRelease: 0, share: 0 },
    ]);
    expect(h.unpatched.map((o) => o.operatorId)).toEqual(['w1']);
  });

  test('before the release: patched so far, and a patch dated in the future does not count', () => {
    const h = computeHeadStart([...records, rec('f1', 'energy', 1, 8)], release, at(7));
    expect(h.released).toBe(false);
    expect(h.affected).toBe(5);
    expect(h.patchedBeforeRelease).toBe(1);
    expect(h.patchedNow).toBe(1);
  });

  test('nobody affected: shares are null and the series empty', () => {
    const h = computeHeadStart([], release, at(20));
    expect(h).toMatchObject({ affected: 0, patchedBeforeRelease: 0, share: null, bySector: [], series: [], unpatched: [] });
  });

  test('the series climbs day by day and ends at the later of release and the last event', () => {
    const h = computeHeadStart(records, release, at(20));
    expect(h.series[0]).toEqual({ at: at(0), affected: 1, patched: 0, share: 0 });
    const day3 = h.series.find((p) => p.at.getTime() === at(3).getTime());
    expect(day3).toEqual({ at: at(3), affected: 3, patched: 1, share: 1 / 3 });
    const last = h.series.at(-1)!;
    expect(last).toEqual({ at: at(12), affected: 4, patched: 3, share: 0.75 });
    expect(h.series).toHaveLength(13);
  });
});

describe('headStartSeries', () => {
  test('never runs past now', () => {
    const outcomes = operatorOutcomes([rec('a', 'x', 0, null)]);
    const s = headStartSeries(outcomes, at(30), at(2));
    expect(s.at(-1)!.at).toEqual(at(2));
    expect(s).toHaveLength(3);
  });

  test('a long span is stepped wider to stay within the limit', () => {
    const outcomes = operatorOutcomes([rec('a', 'x', 0, 900), rec('b', 'x', 100, null)]);
    const s = headStartSeries(outcomes, at(1000), at(2000));
    expect(s.length).toBeLessThanOrEqual(MAX_SERIES_POINTS);
    expect(s[0].at).toEqual(at(0));
    expect(s.at(-1)).toEqual({ at: at(1000), affected: 2, patched: 1, share: 0.5 });
    for (let i = 1; i < s.length; i++) expect(s[i].at.getTime()).toBeGreaterThan(s[i - 1].at.getTime());
  });

  test('one instant gives one point', () => {
    const outcomes = operatorOutcomes([rec('a', 'x', 5, 5)]);
    expect(headStartSeries(outcomes, at(5), at(5))).toEqual([{ at: at(5), affected: 1, patched: 1, share: 1 }]);
  });

  test('a release in the past before the first match still starts at the first match', () => {
    const outcomes = operatorOutcomes([rec('a', 'x', 5, null)]);
    expect(headStartSeries(outcomes, at(0), at(5))).toEqual([{ at: at(5), affected: 1, patched: 0, share: 0 }]);
  });
});

describe('aggregateHeadStarts', () => {
  test('sums released models with someone affected, counts only', () => {
    const a = computeHeadStart([rec('h1', 'healthcare', 0, 1), rec('b1', 'banking', 0, null)], at(5), at(20));
    const b = computeHeadStart([rec('h1', 'healthcare', 0, 1), rec('h2', 'healthcare', 0, 2)], at(3), at(20));
    const unreleased = computeHeadStart([rec('w1', 'water', 0, 1)], at(30), at(20));
    const empty = computeHeadStart([], at(1), at(20));
    const agg = aggregateHeadStarts([a, b, unreleased, empty]);
    expect(agg).toEqual({
      models: 2,
      affected: 4,
      patchedBeforeRelease: 3,
      share: 0.75,
      bySector: [
        { sector: 'banking', affected: 1, patchedBeforeRelease: 0, share: 0 },
        { sector: 'healthcare', affected: 3, patchedBeforeRelease: 3, share: 1 },
      ],
    });
    expect(JSON.stringify(agg)).not.toMatch(/h1|h2|b1|w1/);
  });

  test('nothing released: zeros and a null share', () => {
    expect(aggregateHeadStarts([])).toEqual({ models: 0, affected: 0, patchedBeforeRelease: 0, share: null, bySector: [] });
  });
});

describe('exposureRecords', () => {
  const m = (advisoryId: string, operatorId: string, matched: number, cleared: number | null, reason: string | null = cleared === null ? null : 'inventory_changed') => ({
    advisoryId,
    operatorId,
    sector: 'healthcare',
    matchedAt: at(matched),
    clearedAt: cleared === null ? null : at(cleared),
    clearedReason: reason,
  });

  test('one record per advisory and operator; an open match keeps it open', () => {
    const r = exposureRecords([m('a1', 'o1', 1, 3), m('a1', 'o1', 0, null), m('a2', 'o1', 2, 4)]);
    expect(r).toEqual([
      { operatorId: 'o1', sector: 'healthcare', matchedAt: at(0), resolution: null, resolvedAt: null },
      { operatorId: 'o1', sector: 'healthcare', matchedAt: at(2), resolution: 'patched', resolvedAt: at(4) },
    ]);
  });

  test('a fresh inventory is a patch at the last clearing; a narrowed advisory is "not affected"', () => {
    expect(exposureRecords([m('a', 'o', 0, 2), m('a', 'o', 1, 5)])[0]).toMatchObject({ resolution: 'patched', resolvedAt: at(5) });
    expect(exposureRecords([m('a', 'o', 0, 2, 'no_longer_matches')])[0]).toMatchObject({ resolution: 'not_affected', resolvedAt: at(2) });
    expect(exposureRecords([m('a', 'o', 0, 2, 'no_longer_matches'), m('a', 'o', 0, 3)])[0]).toMatchObject({ resolution: 'patched', resolvedAt: at(3) });
  });

  test('a match cleared for another reason (withdrawn, not disseminated) stays open', () => {
    expect(exposureRecords([m('a', 'o', 0, 2, 'advisory_withdrawn')])[0]).toMatchObject({ resolution: null, resolvedAt: null });
  });

  test('the operator’s remediation decision wins over the matches', () => {
    const rem = [
      { advisoryId: 'a', operatorId: 'o', state: 'patched', since: at(1) },
      { advisoryId: 'b', operatorId: 'o', state: 'not_affected', since: at(2) },
      { advisoryId: 'c', operatorId: 'o', state: 'risk_accepted', since: at(3) },
    ];
    const r = exposureRecords([m('a', 'o', 0, null), m('b', 'o', 0, null), m('c', 'o', 0, 9)], rem);
    expect(r.map((x) => [x.resolution, x.resolvedAt])).toEqual([
      ['patched', at(1)],
      ['not_affected', at(2)],
      [null, null],
    ]);
  });
});

describe('publicHeadStart', () => {
  const agg = (sectors: [string, number, number][]) => {
    const bySector = sectors.map(([sector, affected, patchedBeforeRelease]) => ({ sector, affected, patchedBeforeRelease, share: shareOf(patchedBeforeRelease, affected) }));
    const affected = bySector.reduce((n, s) => n + s.affected, 0);
    const patched = bySector.reduce((n, s) => n + s.patchedBeforeRelease, 0);
    return { models: 4, affected, patchedBeforeRelease: patched, share: shareOf(patched, affected), bySector };
  };

  test('publishes everything when every cell is large enough', () => {
    const p = publicHeadStart(agg([['banking', 3, 1], ['healthcare', 5, 5]]), 3, 3);
    expect(p).toMatchObject({ models: 4, affected: 8, patchedBeforeRelease: 6, suppressed: false });
    expect(p.bySector.every((s) => !s.suppressed)).toBe(true);
  });

  test('too few developers or operators: nothing but the fact of suppression', () => {
    expect(publicHeadStart(agg([['banking', 5, 1]]), 2, 3)).toEqual({ models: null, affected: null, patchedBeforeRelease: null, share: null, suppressed: true, bySector: [] });
    expect(publicHeadStart(agg([['banking', 2, 1]]), 5, 3).suppressed).toBe(true);
  });

  test('a small sector is hidden, with the next smallest so the total does not reveal it', () => {
    const p = publicHeadStart(agg([['banking', 1, 0], ['healthcare', 6, 3], ['water', 4, 4]]), 3, 3);
    expect(p.bySector.map((s) => [s.sector, s.suppressed, s.affected])).toEqual([
      ['banking', true, null],
      ['healthcare', false, 6],
      ['water', true, null],
    ]);
  });

  test('two small sectors hide each other; no released model publishes zeros', () => {
    const p = publicHeadStart(agg([['banking', 1, 0], ['water', 2, 1], ['healthcare', 6, 3]]), 3, 3);
    expect(p.bySector.filter((s) => s.suppressed).map((s) => s.sector)).toEqual(['banking', 'water']);
    expect(publicHeadStart(aggregateHeadStarts([]), 0, 3)).toEqual({ models: 0, affected: 0, patchedBeforeRelease: 0, share: null, suppressed: false, bySector: [] });
  });
});
