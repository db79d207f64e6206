// The rules a review window must satisfy, with no I/O: each violation names its rule so the 400
// problem tells the developer exactly what to change. Nothing here can refuse a release: these rules
// only bound the access the developer chooses to give.

export const DAY_MS = 86_400_000;
/** How far in the past an opensAt may be (clock skew between the browser and the server). */
export const OPEN_SKEW_MS = 5 * 60_000;

export type WindowRule = 'closes-after-opens' | 'opens-not-in-past' | 'within-policy-maximum' | 'ends-by-release' | 'shorten-only-earlier';

export interface RuleViolation {
  rule: WindowRule;
  path: string;
  message: string;
}

export interface WindowProposal {
  opensAt: Date;
  closesAt: Date;
  now: Date;
  plannedReleaseAt: Date;
  maxWindowDays: number;
  skewMs?: number;
}

export function windowViolations(p: WindowProposal): RuleViolation[] {
  const out: RuleViolation[] = [];
  const skew = p.skewMs ?? OPEN_SKEW_MS;
  if (p.closesAt.getTime() <= p.opensAt.getTime()) {
    out.push({ rule: 'closes-after-opens', path: 'closesAt', message: 'closes-after-opens: the window must close after it opens' });
  }
  if (p.opensAt.getTime() < p.now.getTime() - skew) {
    out.push({ rule: 'opens-not-in-past', path: 'opensAt', message: 'opens-not-in-past: a window cannot open in the past' });
  }
  if (p.closesAt.getTime() - p.opensAt.getTime() > p.maxWindowDays * DAY_MS) {
    out.push({
      rule: 'within-policy-maximum',
      path: 'closesAt',
      message: `within-policy-maximum: a window lasts at most ${p.maxWindowDays} days (policy setting)`,
    });
  }
  if (p.closesAt.getTime() > p.plannedReleaseAt.getTime()) {
    out.push({ rule: 'ends-by-release', path: 'closesAt', message: `ends-by-release: the window must close by the planned public release (${p.plannedReleaseAt.toISOString()})` });
  }
  return out;
}

/** Shortening moves closesAt earlier only; a time at or before now means "end it now". */
export function shortenViolations(current: { closesAt: Date }, closesAt: Date): RuleViolation[] {
  if (closesAt.getTime() >= current.closesAt.getTime()) {
    return [{ rule: 'shorten-only-earlier', path: 'closesAt', message: 'shorten-only-earlier: the new closing time must be earlier than the current one' }];
  }
  return [];
}

/** What moving the release date does to an open window: nothing, shorten it, or close it now. */
export function releaseEffect(window: { closesAt: Date } | null, newRelease: Date, now: Date): 'none' | 'shorten' | 'close' {
  if (!window) return 'none';
  if (newRelease.getTime() <= now.getTime()) return 'close';
  if (newRelease.getTime() < window.closesAt.getTime()) return 'shorten';
  return 'none';
}
