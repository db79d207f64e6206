import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appealMemberClashes, consistencyReport, criteriaProblems, decide, decisionReasons, rationaleProblems, type DecidedPanel, type DecisionRule, type MemberVote } from './partners.fns.ts';

const RULES: DecisionRule[] = [
  { govMajority: true, developerMajority: true, developerConcurrenceRequired: true },
  { govMajority: true, developerMajority: false, developerConcurrenceRequired: true },
  { govMajority: false, developerMajority: true, developerConcurrenceRequired: true },
  { govMajority: false, developerMajority: false, developerConcurrenceRequired: true },
];
const g = (vote: MemberVote['vote'], conflicted: boolean | null = false): MemberVote => ({ side: 'government', vote, conflicted });
const d = (vote: MemberVote['vote'], conflicted: boolean | null = false): MemberVote => ({ side: 'developer', vote, conflicted });

describe('decide', () => {
  const table: [string, DecisionRule, MemberVote[], ReturnType<typeof decide>][] = [
    ['all approve', RULES[0], [g('approve'), g('approve'), d('approve')], 'approved'],
    ['officials approve, developer refuses: no concurrence', RULES[0], [g('approve'), g('approve'), d('refuse')], 'refused'],
    ['officials approve, developer still to vote', RULES[0], [g('approve'), g('approve'), d(null)], 'pending'],
    ['developer approves, officials split 1-1 (no majority)', RULES[0], [g('approve'), g('refuse'), d('approve')], 'refused'],
    ['split 1-1 under a one-approval rule', RULES[3], [g('approve'), g('refuse'), d('approve')], 'approved'],
    ['a conflicted official does not count', RULES[0], [g('approve'), g(null, true), d('approve')], 'approved'],
    ['every official conflicted: approval impossible', RULES[0], [g(null, true), d('approve')], 'refused'],
    ['every developer conflicted: no concurrence possible', RULES[3], [g('approve'), d(null, true)], 'refused'],
    ['developer majority 1 of 2 is not a majority', RULES[0], [g('approve'), d('approve'), d('refuse')], 'refused'],
    ['developer one-approval rule, 1 of 2', RULES[1], [g('approve'), d('approve'), d('refuse')], 'approved'],
    ['undeclared members may still vote', RULES[0], [g(null, null), d(null, null)], 'pending'],
    ['2 of 3 officials is a majority', RULES[0], [g('approve'), g('approve'), g(null), d('approve')], 'approved'],
    ['1 of 3 officials with 2 refusals', RULES[0], [g('approve'), g('refuse'), g('refuse'), d('approve')], 'refused'],
  ];
  for (const [name, rule, members, want] of table) it(name, () => expect(decide(rule, members)).toBe(want));

  const member = fc.record({ side: fc.constantFrom('government' as const, 'developer' as const), conflicted: fc.constantFrom(true, false, null), vote: fc.constantFrom('approve' as const, 'refuse' as const, null) });
  it('never approves without a developer approval', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RULES), fc.array(member, { maxLength: 8 }), (rule, ms) => {
        const members = ms.map((m) => (m.conflicted === true ? { ...m, vote: null } : m));
        if (decide(rule, members) === 'approved') expect(members.some((m) => m.side === 'developer' && m.vote === 'approve' && m.conflicted !== true)).toBe(true);
      }),
    );
  });
  it('ignores conflicted members entirely', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RULES), fc.array(member, { maxLength: 8 }), (rule, ms) => {
        const clean = ms.filter((m) => m.conflicted !== true);
        expect(decide(rule, ms)).toBe(decide(rule, clean));
      }),
    );
  });
  it('is monotone: once decided, further votes do not change the outcome', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RULES), fc.array(member, { maxLength: 8 }), fc.constantFrom('approve' as const, 'refuse' as const), (rule, ms, v) => {
        const before = decide(rule, ms);
        const i = ms.findIndex((m) => m.vote === null && m.conflicted !== true);
        if (before === 'pending' || i < 0) return;
        const after = ms.map((m, j) => (j === i ? { ...m, vote: v } : m));
        expect(decide(rule, after)).toBe(before);
      }),
    );
  });
});

const CRIT = [
  { key: 'a', title: 'A', evidenceRequirement: 'x' },
  { key: 'b', title: 'B', evidenceRequirement: 'y' },
];

describe('rationale and criteria validation', () => {
  it('requires written text and a cited criterion of the version', () => {
    expect(rationaleProblems('Meets criterion a well', ['a'], CRIT)).toEqual([]);
    expect(rationaleProblems('short', ['a'], CRIT).map((p) => p.path)).toEqual(['rationale']);
    expect(rationaleProblems('Meets criterion a well', [], CRIT).map((p) => p.path)).toEqual(['citedCriteria']);
    expect(rationaleProblems('Meets criterion a well', ['a', 'z'], CRIT).map((p) => p.path)).toEqual(['citedCriteria.1']);
  });
  it('refuses duplicate and empty criteria', () => {
    expect(criteriaProblems(CRIT)).toEqual([]);
    expect(criteriaProblems([CRIT[0], CRIT[0]]).map((p) => p.path)).toEqual(['criteria.1.key']);
    expect(criteriaProblems([]).map((p) => p.path)).toEqual(['criteria']);
  });
  it('finds appeal members who sat on the first panel', () => {
    expect(appealMemberClashes(['u1', 'u2'], ['u3', 'u2', 'u4', 'u1'])).toEqual([1, 3]);
    expect(appealMemberClashes(['u1'], ['u2'])).toEqual([]);
  });
  it('tells the applicant the criteria relied on, never who voted', () => {
    const r = decisionReasons('refused', [{ vote: 'refuse', citedCriteria: ['b', 'a'], conflicted: false }, { vote: 'approve', citedCriteria: ['c'], conflicted: false }, { vote: 'refuse', citedCriteria: ['z'], conflicted: true }], 'selection');
    expect(r).toMatch(/refusing members: a, b\.$/);
    expect(decisionReasons('refused', [], 'appeal')).toContain('appeal panel');
    expect(decisionReasons('approved', [{ vote: 'approve', citedCriteria: ['a'], conflicted: false }], 'selection')).toContain("developer's concurrence");
  });
});

function panel(over: Partial<DecidedPanel> & Pick<DecidedPanel, 'members'>): DecidedPanel {
  return { panelId: 'p', kind: 'selection', modelId: 'm', applicationId: 'app', outcome: 'approved', eligibleAtDecision: true, unmetCriteria: [], ...over };
}
const M = (userId: string, side: 'government' | 'developer', vote: 'approve' | 'refuse' | null, citedCriteria: string[] = [], conflicted: boolean | null = false) => ({ userId, name: userId.toUpperCase(), side, vote, citedCriteria, conflicted });

describe('consistency report', () => {
  it('is empty without decisions', () => {
    expect(consistencyReport([])).toEqual({ byOutcome: { approved: 0, refused: 0, appealsApproved: 0, appealsRefused: 0 }, byCriterion: [], byMember: [], flags: [] });
  });

  // Each row: eligibility, unmet criteria, a member's vote and citation, the member flag expected.
  const cases: [boolean, string[], 'approve' | 'refuse', string[], string | null][] = [
    [true, [], 'approve', ['a'], null],
    [true, [], 'refuse', ['a'], 'refused_eligible_without_unmet_criterion'],
    [true, ['a'], 'refuse', ['a'], null],
    [true, ['a'], 'refuse', ['b'], 'refused_eligible_without_unmet_criterion'],
    [true, ['a'], 'approve', ['b'], null],
    [false, ['a'], 'approve', ['b'], 'approved_not_eligible'],
    [false, ['a'], 'approve', ['a'], 'approved_not_eligible'],
    [false, ['a'], 'refuse', ['b'], null],
    [false, [], 'refuse', [], null],
  ];
  for (const [eligible, unmet, vote, cited, flag] of cases) {
    it(`eligible=${eligible} unmet=[${unmet}] ${vote} citing [${cited}] → ${flag ?? 'no flag'}`, () => {
      const r = consistencyReport([panel({ eligibleAtDecision: eligible, unmetCriteria: unmet, outcome: vote === 'approve' ? 'approved' : 'refused', members: [M('u', 'government', vote, cited)] })]);
      const memberFlags = r.flags.filter((f) => f.scope === 'member');
      expect(memberFlags.map((f) => f.reason)).toEqual(flag ? [flag] : []);
      // The panel's outcome follows the single vote here, so the panel is flagged likewise.
      expect(r.flags.filter((f) => f.scope === 'panel').map((f) => f.reason)).toEqual(flag ? [flag] : []);
      expect(r.byMember[0].flags).toBe(flag ? 1 : 0);
    });
  }

  it('flags a panel that refused an eligible applicant when no refusing member cited an unmet criterion', () => {
    const p = panel({ outcome: 'refused', unmetCriteria: ['a'], members: [M('g1', 'government', 'approve', ['b']), M('d1', 'developer', 'refuse', ['b']), M('d2', 'developer', 'refuse', ['a'])] });
    const r = consistencyReport([p]);
    expect(r.flags).toEqual([{ scope: 'member', panelId: 'p', userId: 'd1', reason: 'refused_eligible_without_unmet_criterion' }]);
    const r2 = consistencyReport([{ ...p, members: [M('g1', 'government', 'approve', ['b']), M('d1', 'developer', 'refuse', ['b'])] }]);
    expect(r2.flags.map((f) => f.scope)).toEqual(['member', 'panel']);
  });

  it('counts by outcome, criterion and member, skipping conflicted members and counting unmet criteria once per application', () => {
    const r = consistencyReport([
      panel({ panelId: 'p1', outcome: 'refused', unmetCriteria: ['a'], members: [M('g1', 'government', 'refuse', ['a']), M('g2', 'government', null, [], true), M('d1', 'developer', 'refuse', ['a', 'a'])] }),
      panel({ panelId: 'p2', kind: 'appeal', outcome: 'approved', unmetCriteria: ['a'], members: [M('g3', 'government', 'approve', ['b']), M('d2', 'developer', 'approve', ['a'])] }),
      panel({ panelId: 'p3', applicationId: 'app2', outcome: 'approved', members: [M('g1', 'government', 'approve', ['b']), M('d1', 'developer', 'approve', ['b'])] }),
    ]);
    expect(r.byOutcome).toEqual({ approved: 1, refused: 1, appealsApproved: 1, appealsRefused: 0 });
    expect(r.byCriterion).toEqual([
      { key: 'a', citedInApprovals: 1, citedInRefusals: 2, unmetInVetting: 1 },
      { key: 'b', citedInApprovals: 3, citedInRefusals: 0, unmetInVetting: 0 },
    ]);
    expect(r.byMember.find((m) => m.userId === 'g2')).toMatchObject({ panels: 1, conflictsDeclared: 1, approvals: 0, refusals: 0 });
    expect(r.byMember.find((m) => m.userId === 'g1')).toMatchObject({ panels: 2, approvals: 1, refusals: 1, flags: 0 });
    expect(r.flags).toEqual([]);
  });

  it('flags every vote that departs, and only those (property)', () => {
    const vote = fc.record({ vote: fc.constantFrom('approve' as const, 'refuse' as const), cited: fc.subarray(['a', 'b', 'c']) });
    fc.assert(
      fc.property(fc.boolean(), fc.subarray(['a', 'b', 'c']), fc.array(vote, { minLength: 1, maxLength: 5 }), (eligible, unmet, votes) => {
        const members = votes.map((v, i) => M(`u${i}`, i === 0 ? 'developer' : 'government', v.vote, v.cited));
        const r = consistencyReport([panel({ eligibleAtDecision: eligible, unmetCriteria: unmet, outcome: 'approved', members })]);
        const expected = votes.filter((v) => (v.vote === 'refuse' ? eligible && !v.cited.some((k) => unmet.includes(k)) : !eligible)).length;
        expect(r.flags.filter((f) => f.scope === 'member')).toHaveLength(expected);
      }),
    );
  });
});
