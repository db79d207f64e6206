import { describe, expect, it } from 'vitest';
import { InvalidTransitionError } from '../../lib/errors.ts';
import { dashboardOf, median } from './dashboard.ts';
import { HIRING_STAGES, HIRING_TRANSITIONS, hiringTransition, isFinalStage, STAGE_LABELS } from './hiring.machine.ts';

describe('hiring machine (exhaustive)', () => {
  const allowed: Record<string, string[]> = {
    received: ['qualified', 'not_selected'],
    qualified: ['referred', 'not_selected'],
    referred: ['interview', 'not_selected'],
    interview: ['offer', 'not_selected'],
    offer: ['clearance_sponsorship', 'onboarded', 'not_selected'],
    clearance_sponsorship: ['onboarded', 'not_selected'],
    onboarded: [],
    not_selected: [],
  };
  for (const from of HIRING_STAGES)
    for (const to of HIRING_STAGES) {
      const ok = allowed[from].includes(to);
      it(`${from} → ${to}: ${ok ? 'allowed' : 'refused'}`, () => {
        if (ok) expect(hiringTransition(from, to)).toBe(to);
        else expect(() => hiringTransition(from, to)).toThrow(InvalidTransitionError);
      });
    }
  it('onboarded and not selected are final; every stage has a candidate-facing label; every non-final stage can end in not selected', () => {
    expect(HIRING_STAGES.filter(isFinalStage)).toEqual(['onboarded', 'not_selected']);
    for (const s of HIRING_STAGES) {
      expect(STAGE_LABELS[s]).toBeTruthy();
      if (!isFinalStage(s)) expect(HIRING_TRANSITIONS[s]).toContain('not_selected');
    }
    expect(() => hiringTransition('bogus', 'qualified')).toThrow(InvalidTransitionError);
  });
});

describe('hiring dashboard', () => {
  const d = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * 86_400_000);
  it('counts the pipeline by stage and path, the time to hire, and sponsorships in progress', () => {
    const r = dashboardOf([
      { stage: 'received', hiringPath: 'tech_force', submittedAt: d(0), onboardedAt: null },
      { stage: 'received', hiringPath: 'competitive', submittedAt: d(0), onboardedAt: null },
      { stage: 'clearance_sponsorship', hiringPath: 'tech_force', submittedAt: d(0), onboardedAt: null },
      { stage: 'onboarded', hiringPath: 'direct_hire', submittedAt: d(0), onboardedAt: d(30) },
      { stage: 'onboarded', hiringPath: 'tech_force', submittedAt: d(10), onboardedAt: d(100) },
    ]);
    expect(r.totalApplications).toBe(5);
    expect(r.pipeline.find((p) => p.stage === 'received')).toMatchObject({ total: 2, byPath: { tech_force: 1, competitive: 1, direct_hire: 0 } });
    expect(r.clearanceSponsorshipsInProgress).toBe(1);
    expect(r.timeToHireDays).toEqual({ hires: 2, median: 60, mean: 60 });
  });
  it('no hires: no time to hire', () => {
    expect(dashboardOf([]).timeToHireDays).toEqual({ hires: 0, median: null, mean: null });
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
