import { HIRING_STAGES, type HiringStage } from './hiring.machine.ts';

// The agency's hiring dashboard, computed from its applications: the pipeline by stage and hiring
// path, time to hire (days from application to onboarding, median and mean over onboarded hires),
// and clearance sponsorships in progress.

export const HIRING_PATHS = ['competitive', 'direct_hire', 'fellowship', 'detail_rotation', 'tech_force'] as const;
export type HiringPath = (typeof HIRING_PATHS)[number];

export interface PipelineApplication {
  stage: HiringStage;
  hiringPath: HiringPath;
  submittedAt: Date;
  onboardedAt: Date | null;
}

export interface Dashboard {
  pipeline: { stage: HiringStage; byPath: Record<HiringPath, number>; total: number }[];
  timeToHireDays: { hires: number; median: number | null; mean: number | null };
  clearanceSponsorshipsInProgress: number;
  totalApplications: number;
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function dashboardOf(apps: readonly PipelineApplication[]): Dashboard {
  const pipeline = HIRING_STAGES.map((stage) => {
    const byPath = Object.fromEntries(HIRING_PATHS.map((p) => [p, 0])) as Record<HiringPath, number>;
    for (const a of apps) if (a.stage === stage) byPath[a.hiringPath]++;
    return { stage, byPath, total: Object.values(byPath).reduce((x, y) => x + y, 0) };
  });
  const days = apps.filter((a) => a.stage === 'onboarded' && a.onboardedAt).map((a) => Math.round(((a.onboardedAt!.getTime() - a.submittedAt.getTime()) / 86_400_000) * 10) / 10);
  const mean = days.length ? Math.round((days.reduce((x, y) => x + y, 0) / days.length) * 10) / 10 : null;
  return {
    pipeline,
    timeToHireDays: { hires: days.length, median: median(days), mean },
    clearanceSponsorshipsInProgress: apps.filter((a) => a.stage === 'clearance_sponsorship').length,
    totalApplications: apps.length,
  };
}
