import type { Rating } from './severity.ts';

// A finding is due a number of days before the model's planned public release, by severity, so the
// developer has time to act before release. The due date follows the release when it moves; it is
// never earlier than the filing itself. A due date is a target for the developer, not a gate.

export type DueDays = Record<Rating, number>;

export const DEFAULT_DUE_DAYS: DueDays = { critical: 14, high: 10, medium: 7, low: 3, none: 0 };

const DAY = 86_400_000;

export function dueAt(plannedReleaseAt: Date, daysBefore: number, filedAt: Date): Date {
  const t = plannedReleaseAt.getTime() - daysBefore * DAY;
  return new Date(Math.max(t, filedAt.getTime()));
}

export function dueDaysFor(rating: Rating, config: Partial<DueDays> = {}): number {
  return config[rating] ?? DEFAULT_DUE_DAYS[rating];
}
