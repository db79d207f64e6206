import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { budgetTotals, checkBudget, type Budget } from './budget.ts';
import { checkEligibility, type EligibilityRules } from './eligibility.ts';
import { checkFile, MAX_FILE_BYTES } from './files.ts';
import { rankApplications, rawScore, zScores } from './scoring.ts';
import { describeInZone, instantToZoned, isTimeZone, zonedToInstant } from './zoned-time.ts';

describe('budget totals', () => {
  const b: Budget = { years: 2, lines: [{ category: 'personnel', amounts: [100, 200] }, { category: 'travel', amounts: [10, 0] }], declaredTotal: 310 };
  it('sums by year, by category and overall', () => {
    expect(budgetTotals(b)).toEqual({ byYear: [110, 200], byCategory: { personnel: 300, travel: 10 }, total: 310 });
    expect(checkBudget(b, 2)).toEqual([]);
  });
  it.each([
    [{ ...b, declaredTotal: 311 }, 2, 'budget.declaredTotal', /add up to \$310, not \$311/],
    [b, 3, 'budget.years', /3 budget year/],
    [{ ...b, lines: [...b.lines, { category: 'travel' as const, amounts: [0, 0] }] }, 2, 'budget.lines.2.category', /twice/],
    [{ ...b, lines: [{ category: 'personnel' as const, amounts: [100] }], declaredTotal: 100 }, 2, 'budget.lines.0.amounts', /one amount per year/],
    [{ ...b, lines: [{ category: 'personnel' as const, amounts: [1.5, 0] }], declaredTotal: 1.5 }, 2, 'budget.lines.0.amounts.0', /whole dollars/],
  ])('finds %#', (budget, years, path, message) => {
    const problems = checkBudget(budget as Budget, years as number);
    expect(problems.find((p) => p.path === path)?.message).toMatch(message as RegExp);
  });
  it('checks the floor and ceiling at submission', () => {
    expect(checkBudget(b, 2, { floor: 400, ceiling: 1000 })[0].message).toMatch(/below the award floor/);
    expect(checkBudget(b, 2, { floor: 0, ceiling: 300 })[0].message).toMatch(/above the award ceiling/);
  });
  it('the total is the sum of the year totals and of the category totals (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.array(fc.integer({ min: 0, max: 10_000_000 }), { minLength: 5, maxLength: 5 }), { maxLength: 9 }), (years, rows) => {
        const cats = ['personnel', 'fringe_benefits', 'travel', 'equipment', 'supplies', 'contractual', 'compute', 'other', 'indirect'] as const;
        const lines = rows.map((r, i) => ({ category: cats[i], amounts: r.slice(0, years) }));
        const t = budgetTotals({ years, lines });
        expect(t.byYear.reduce((a, x) => a + x, 0)).toBe(t.total);
        expect(Object.values(t.byCategory).reduce((a, x) => a + x, 0)).toBe(t.total);
        expect(checkBudget({ years, lines, declaredTotal: t.total }, years)).toEqual([]);
      }),
    );
  });
});

describe('eligibility', () => {
  const rules: EligibilityRules = { orgKinds: ['grantee', 'vendor'], minEmployees: 2, maxEmployees: 500, requiredAttestations: ['us_entity', 'not_debarred'] };
  const facts = { orgKind: 'grantee', declaredEmployees: 40, attestations: { us_entity: true, not_debarred: true } };
  it.each([
    [facts, true, []],
    [{ ...facts, orgKind: 'ai_developer' }, false, [/kind "ai_developer"/]],
    [{ ...facts, declaredEmployees: 501 }, false, [/at most 500/]],
    [{ ...facts, declaredEmployees: 1 }, false, [/at least 2/]],
    [{ ...facts, declaredEmployees: null }, false, [/number of employees/]],
    [{ ...facts, attestations: { us_entity: true, not_debarred: false } }, false, [/not_debarred/]],
    [{ ...facts, orgKind: 'operator', attestations: {} }, false, [/kind/, /us_entity/, /not_debarred/]],
  ])('case %#', (f, eligible, reasons) => {
    const r = checkEligibility(rules, f as never);
    expect(r.eligible).toBe(eligible);
    expect(r.reasons).toHaveLength(reasons.length);
    reasons.forEach((re, i) => expect(r.reasons[i]).toMatch(re));
  });
  it('no rules: everyone is eligible', () => {
    expect(checkEligibility({ orgKinds: [], minEmployees: null, maxEmployees: null, requiredAttestations: [] }, { orgKind: 'public', declaredEmployees: null, attestations: {} })).toEqual({ eligible: true, reasons: [] });
  });
});

describe('scoring and normalisation', () => {
  const rubric = [
    { key: 'a', title: 'A', description: '', weight: 3 },
    { key: 'b', title: 'B', description: '', weight: 1 },
  ];
  it('raw score is the weighted mean on 0–100', () => {
    expect(rawScore(rubric, { a: 5, b: 5 })).toBe(100);
    expect(rawScore(rubric, { a: 0, b: 0 })).toBe(0);
    expect(rawScore(rubric, { a: 5, b: 0 })).toBe(75);
  });
  it('a harsh and a lenient reviewer who agree on the order give the same z-scores', () => {
    const z = zScores([
      { applicationId: 'x', reviewerId: 'harsh', raw: 20 },
      { applicationId: 'y', reviewerId: 'harsh', raw: 40 },
      { applicationId: 'x', reviewerId: 'kind', raw: 80 },
      { applicationId: 'y', reviewerId: 'kind', raw: 100 },
    ]);
    expect(z.get('harsh:x')).toBeCloseTo(-1);
    expect(z.get('kind:x')).toBeCloseTo(-1);
    expect(z.get('harsh:y')).toBeCloseTo(1);
  });
  it('a reviewer with one application, or no spread, contributes 0', () => {
    expect(zScores([{ applicationId: 'x', reviewerId: 'r', raw: 90 }]).get('r:x')).toBe(0);
    expect(zScores([{ applicationId: 'x', reviewerId: 'r', raw: 50 }, { applicationId: 'y', reviewerId: 'r', raw: 50 }]).get('r:y')).toBe(0);
  });
  it('ranks by normalised score so that a lenient reviewer’s favourite does not win by leniency alone', () => {
    const ranked = rankApplications([
      // The harsh reviewer clearly prefers p; the lenient one mildly prefers q.
      { applicationId: 'p', reviewerId: 'harsh', raw: 60 },
      { applicationId: 'q', reviewerId: 'harsh', raw: 20 },
      { applicationId: 'r', reviewerId: 'harsh', raw: 40 },
      { applicationId: 'q', reviewerId: 'kind', raw: 100 },
      { applicationId: 's', reviewerId: 'kind', raw: 90 },
    ]);
    expect(ranked[0].applicationId).toBe('p');
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
  });
  it('ranking is a total order: ranks are 1..n and normalised scores never increase (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ applicationId: fc.constantFrom('a', 'b', 'c', 'd'), reviewerId: fc.constantFrom('r1', 'r2', 'r3'), raw: fc.integer({ min: 0, max: 100 }) }), { maxLength: 12 }), (scores) => {
        const unique = [...new Map(scores.map((s) => [`${s.reviewerId}:${s.applicationId}`, s])).values()];
        const ranked = rankApplications(unique);
        expect(ranked.map((r) => r.rank)).toEqual(ranked.map((_, i) => i + 1));
        for (let i = 1; i < ranked.length; i++) expect(ranked[i].normalised).toBeLessThanOrEqual(ranked[i - 1].normalised + 1e-12);
      }),
    );
  });
});

describe('zoned time', () => {
  it.each([
    ['2026-12-15T17:00', 'America/New_York', '2026-12-15T22:00:00.000Z'],
    ['2026-07-15T17:00', 'America/New_York', '2026-07-15T21:00:00.000Z'],
    ['2026-07-15T17:00', 'America/Phoenix', '2026-07-16T00:00:00.000Z'],
    ['2026-07-15T17:00', 'Pacific/Honolulu', '2026-07-16T03:00:00.000Z'],
    ['2026-07-15T17:00', 'UTC', '2026-07-15T17:00:00.000Z'],
    ['2026-03-08T01:30', 'America/Chicago', '2026-03-08T07:30:00.000Z'],
    ['2026-03-08T03:30', 'America/Chicago', '2026-03-08T08:30:00.000Z'],
  ])('%s in %s is %s', (local, zone, iso) => {
    const at = zonedToInstant(local, zone)!;
    expect(at.toISOString()).toBe(iso);
    expect(instantToZoned(at, zone)).toBe(local);
  });
  it('rejects bad zones and impossible dates', () => {
    expect(isTimeZone('Mars/Base')).toBe(false);
    expect(zonedToInstant('2026-02-30T10:00', 'UTC')).toBeNull();
    expect(zonedToInstant('2026-13-01T10:00', 'UTC')).toBeNull();
    expect(zonedToInstant('tomorrow', 'UTC')).toBeNull();
  });
  it('describes an instant with the zone and its abbreviation', () => {
    expect(describeInZone(new Date('2026-12-15T22:00:00Z'), 'America/New_York')).toBe('2026-12-15 17:00 America/New_York (EST)');
  });
  it('round-trips every whole minute it is given (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2025, 0, 1) / 60_000, max: Date.UTC(2030, 0, 1) / 60_000 }), fc.constantFrom('America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'UTC'), (minute, zone) => {
        const at = new Date(minute * 60_000);
        const local = instantToZoned(at, zone);
        const back = zonedToInstant(local, zone)!;
        // Ambiguous wall times (the repeated hour at the end of DST) may resolve to the other instant.
        expect(instantToZoned(back, zone)).toBe(local);
      }),
    );
  });
});

describe('uploaded files', () => {
  const pdf = Buffer.from('%PDF-1.7 hello').toString('base64');
  it('accepts a matching type and extension, and hashes the bytes', () => {
    const r = checkFile('plan.pdf', 'application/pdf', pdf);
    expect(r.ok && r.file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
  it.each([
    ['plan.pdf', 'application/pdf', Buffer.from('MZ...').toString('base64'), /not a application\/pdf/],
    ['plan.exe', 'application/pdf', pdf, /named .pdf/],
    ['cv.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', pdf, /not a/],
    ['notes.txt', 'text/plain', Buffer.from('a\0b').toString('base64'), /NUL/],
    ['notes.txt', 'text/plain', '', /empty/],
    ['notes.txt', 'text/plain', '***', /base64/],
    ['big.txt', 'text/plain', Buffer.alloc(MAX_FILE_BYTES + 1, 0x61).toString('base64'), /larger than 2 MiB/],
  ])('refuses %s (%s)', (name, type, content, message) => {
    const r = checkFile(name, type as never, content);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
