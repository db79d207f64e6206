import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { breakdown, buildReport, cell, lengthBucket, median, medianCell, parseQuarter, quarterOf, reportCsv, type ReportInput } from './transparency.fns.ts';

const dev = (n: number) => ({ developerOrgId: `d${n}` });

describe('quarters', () => {
  it('parses and bounds quarters', () => {
    expect(parseQuarter('2026-Q4')).toEqual({ label: '2026-Q4', from: new Date('2026-10-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') });
    expect(parseQuarter('2026-Q1')!.to).toEqual(new Date('2026-04-01T00:00:00Z'));
    expect(parseQuarter('2026-Q5')).toBeNull();
    expect(quarterOf(new Date('2026-12-31T23:59:59Z')).label).toBe('2026-Q4');
    expect(quarterOf(new Date('2026-04-01T00:00:00Z')).label).toBe('2026-Q2');
  });
});

describe('small-cell suppression', () => {
  it('publishes zero, suppresses fewer than the threshold of organisations, publishes otherwise', () => {
    expect(cell([], 3)).toEqual({ value: 0, suppressed: false });
    expect(cell([dev(1), dev(1), dev(1), dev(2)], 3)).toEqual({ value: null, suppressed: true });
    expect(cell([dev(1), dev(2), dev(3)], 3)).toEqual({ value: 3, suppressed: false });
    expect(cell([dev(1), dev(2), dev(3)], 4)).toEqual({ value: null, suppressed: true });
  });
  it('counts the scarcer of developers and partners', () => {
    const items = [1, 2, 3].map((n) => ({ developerOrgId: 'd1', partnerOrgId: `p${n}` }));
    expect(cell(items, 3).suppressed).toBe(true);
    expect(cell([1, 2, 3].map((n) => ({ developerOrgId: `d${n}`, partnerOrgId: `p${n}` })), 3).value).toBe(3);
  });
  it('suppresses a complementary cell when exactly one cell of a breakdown is suppressed', () => {
    const items = [...[1, 2, 3, 4].map((n) => ({ ...dev(n), key: 'a' })), ...[1, 2, 3].map((n) => ({ ...dev(n), key: 'b' })), { ...dev(1), key: 'c' }];
    expect(breakdown(['a', 'b', 'c', 'd'], items, 3)).toEqual([
      { key: 'a', value: 4, suppressed: false },
      { key: 'b', value: null, suppressed: true },
      { key: 'c', value: null, suppressed: true },
      { key: 'd', value: 0, suppressed: false },
    ]);
  });
  it('never publishes a non-zero cell with fewer contributors than the threshold (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ developerOrgId: fc.constantFrom('d1', 'd2', 'd3', 'd4', 'd5'), key: fc.constantFrom('a', 'b', 'c') }), { maxLength: 30 }), fc.integer({ min: 2, max: 5 }), (items, t) => {
        for (const row of breakdown(['a', 'b', 'c'], items, t)) {
          const mine = items.filter((i) => i.key === row.key);
          if (!row.suppressed) {
            expect(row.value).toBe(mine.length);
            if (mine.length > 0) expect(new Set(mine.map((m) => m.developerOrgId)).size).toBeGreaterThanOrEqual(t);
          }
        }
        // A lone suppressed cell is never left recoverable from the others.
        const rows = breakdown(['a', 'b', 'c'], items, t);
        const hidden = rows.filter((r) => r.suppressed);
        const nonzeroShown = rows.filter((r) => !r.suppressed && (r.value ?? 0) > 0);
        if (hidden.length === 1) expect(nonzeroShown).toHaveLength(0);
      }),
    );
  });
  it('medians are suppressed below the threshold', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(medianCell([{ ...dev(1), days: 3 }, { ...dev(2), days: 5 }], 3)).toEqual({ value: null, suppressed: true });
    expect(medianCell([{ ...dev(1), days: 3 }, { ...dev(2), days: 5 }, { ...dev(3), days: 10.26 }], 3)).toEqual({ value: 5, suppressed: false });
  });
  it('buckets window lengths', () => {
    expect([1, 7, 7.5, 14, 15, 30, 30.1].map(lengthBucket)).toEqual(['up_to_7_days', 'up_to_7_days', '8_to_14_days', '8_to_14_days', '15_to_30_days', '15_to_30_days', 'over_30_days']);
  });
});

describe('report', () => {
  const q = parseQuarter('2026-Q4')!;
  const base: ReportInput = {
    consultations: [dev(1), dev(2), dev(3)],
    notices: [1, 2, 3].map((n) => ({ ...dev(n), outcome: 'covered' })),
    windowsOpened: [1, 2, 3].map((n) => ({ ...dev(n), opensAt: new Date('2026-10-01'), closesAt: new Date(Date.UTC(2026, 9, 1 + n * 10)) })),
    windowsClosed: [{ ...dev(1), opensAt: new Date('2026-10-01'), closedAt: new Date('2026-10-05'), reason: 'withdrawn_from_framework' }],
    modelWithdrawals: [dev(1)],
    applications: [{ partnerOrgId: 'p1' }, { partnerOrgId: 'p2' }],
    vettingDecisions: [],
    panelDecisions: [],
    findings: null,
    mitigations: null,
  };
  it('publishes what passes and suppresses the rest, naming no organisation', () => {
    const r = buildReport(q, base, 3, new Date('2026-12-01T00:00:00Z'));
    expect(r.consultations).toEqual({ value: 3, suppressed: false });
    expect(r.determinationsByOutcome).toEqual([
      { key: 'covered', value: 3, suppressed: false },
      { key: 'not_covered', value: 0, suppressed: false },
    ]);
    expect(r.windows.opened.value).toBe(3);
    expect(r.windows.medianPlannedDays).toEqual({ value: 20, suppressed: false });
    expect(r.windows.closed.suppressed).toBe(true);
    expect(r.windows.withdrawnWithModel.suppressed).toBe(true);
    expect(r.withdrawals.suppressed).toBe(true);
    expect(r.partners.applications.suppressed).toBe(true);
    expect(r.findings).toMatchObject({ available: false, byKind: [] });
    expect(JSON.stringify(r)).not.toMatch(/"d[0-9]"|"p[0-9]"/);
    const csv = reportCsv(r);
    expect(csv.split('\n')[0]).toBe('quarter,section,measure,key,value');
    expect(csv).toContain('2026-Q4,windows,closed,,suppressed');
    expect(csv).toContain('2026-Q4,consultations,count,,3');
  });
});
