// The defender head start, computed: of the operators an advisory about a model's vulnerabilities
// affected, the share that had patched before the model's public release. Pure: the service reads the
// records, this turns them into numbers.
//
// An operator is counted once per model however many advisories or assets touch it. It is "patched"
// at the instant its last open record was patched (an operator with one unpatched record is still
// exposed). Records closed as "not affected" (a VEX justification) do not make it affected; an
// operator whose every record is "not affected" is left out of the denominator.

export type Resolution = 'patched' | 'not_affected' | null;

/** One match of an operator's inventory against one advisory of the model, with its remediation. */
export interface ExposureRecord {
  operatorId: string;
  sector: string | null;
  matchedAt: Date;
  resolution: Resolution;
  /** When the record was patched or closed as not affected; null while open. */
  resolvedAt: Date | null;
}

export interface OperatorOutcome {
  operatorId: string;
  sector: string;
  firstMatchedAt: Date;
  /** When its last affected record was patched; null while any is open. */
  patchedAt: Date | null;
  openRecords: number;
}

export interface HeadStartCounts {
  affected: number;
  patchedBeforeRelease: number;
  /** patchedBeforeRelease / affected; null when nobody was affected. */
  share: number | null;
}

export interface SectorHeadStart extends HeadStartCounts {
  sector: string;
}

export interface SeriesPoint {
  at: Date;
  /** Operators matched by then. */
  affected: number;
  /** Operators patched by then. */
  patched: number;
  share: number | null;
}

export interface HeadStart extends HeadStartCounts {
  releaseAt: Date;
  /** Whether the release instant has passed (before it, "patched before release" is "patched so far"). */
  released: boolean;
  /** Operators patched by now (whatever the release). */
  patchedNow: number;
  bySector: SectorHeadStart[];
  series: SeriesPoint[];
  /** Operators still exposed, first matched first. */
  unpatched: OperatorOutcome[];
}

/** Sector label for an operator without one. */
export const UNKNOWN_SECTOR = 'unknown';
/** At most this many points in a series, whatever the span. */
export const MAX_SERIES_POINTS = 120;
const DAY = 86_400_000;

export function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** Folds the records into one outcome per affected operator. */
export function operatorOutcomes(records: readonly ExposureRecord[]): OperatorOutcome[] {
  const byOperator = new Map<string, ExposureRecord[]>();
  for (const r of records) {
    const list = byOperator.get(r.operatorId);
    if (list) list.push(r);
    else byOperator.set(r.operatorId, [r]);
  }
  const outcomes: OperatorOutcome[] = [];
  for (const [operatorId, list] of byOperator) {
    const affecting = list.filter((r) => r.resolution !== 'not_affected');
    if (affecting.length === 0) continue;
    const open = affecting.filter((r) => r.resolution !== 'patched' || r.resolvedAt === null);
    const firstMatchedAt = new Date(Math.min(...affecting.map((r) => r.matchedAt.getTime())));
    const patchedAt = open.length === 0 ? new Date(Math.max(...affecting.map((r) => (r.resolvedAt as Date).getTime()))) : null;
    const sector = list.find((r) => r.sector)?.sector ?? UNKNOWN_SECTOR;
    outcomes.push({ operatorId, sector, firstMatchedAt, patchedAt, openRecords: open.length });
  }
  return outcomes.sort((a, b) => a.firstMatchedAt.getTime() - b.firstMatchedAt.getTime() || a.operatorId.localeCompare(b.operatorId));
}

function countsBefore(outcomes: readonly OperatorOutcome[], cutoff: Date): HeadStartCounts {
  const patchedBeforeRelease = outcomes.filter((o) => o.patchedAt !== null && o.patchedAt.getTime() <= cutoff.getTime()).length;
  return { affected: outcomes.length, patchedBeforeRelease, share: shareOf(patchedBeforeRelease, outcomes.length) };
}

/**
 * Points at whole-day steps (or wider, to stay within MAX_SERIES_POINTS) from the first match to the
 * later of the release and the last event, never past `now`; the last point is the end itself.
 */
export function headStartSeries(outcomes: readonly OperatorOutcome[], releaseAt: Date, now: Date): SeriesPoint[] {
  if (outcomes.length === 0) return [];
  const start = Math.min(...outcomes.map((o) => o.firstMatchedAt.getTime()));
  const lastEvent = Math.max(...outcomes.map((o) => Math.max(o.firstMatchedAt.getTime(), o.patchedAt?.getTime() ?? 0)));
  const end = Math.max(start, Math.min(now.getTime(), Math.max(releaseAt.getTime(), lastEvent)));
  const step = Math.max(DAY, Math.ceil((end - start) / (MAX_SERIES_POINTS - 1) / DAY) * DAY);
  const instants: number[] = [];
  for (let t = start; t < end; t += step) instants.push(t);
  instants.push(end);
  return instants.map((t) => {
    const affected = outcomes.filter((o) => o.firstMatchedAt.getTime() <= t).length;
    const patched = outcomes.filter((o) => o.patchedAt !== null && o.patchedAt.getTime() <= t).length;
    return { at: new Date(t), affected, patched, share: shareOf(patched, affected) };
  });
}

/** The head start of one model from its exposure records. */
export function computeHeadStart(records: readonly ExposureRecord[], releaseAt: Date, now: Date): HeadStart {
  const outcomes = operatorOutcomes(records);
  const released = releaseAt.getTime() <= now.getTime();
  // Before the release, "patched before release" can only mean patched so far.
  const cutoff = released ? releaseAt : now;
  const sectors = [...new Set(outcomes.map((o) => o.sector))].sort();
  return {
    ...countsBefore(outcomes, cutoff),
    releaseAt,
    released,
    patchedNow: outcomes.filter((o) => o.patchedAt !== null && o.patchedAt.getTime() <= now.getTime()).length,
    bySector: sectors.map((sector) => ({ sector, ...countsBefore(outcomes.filter((o) => o.sector === sector), cutoff) })),
    series: headStartSeries(outcomes, releaseAt, now),
    unpatched: outcomes.filter((o) => o.patchedAt === null),
  };
}

export interface AggregateHeadStart extends HeadStartCounts {
  /** Models with at least one affected operator and a release that has passed. */
  models: number;
  bySector: SectorHeadStart[];
}

/**
 * Sums released models' head starts for the public (counts only). Models not yet released are left
 * out: their numbers are still moving, and publishing them would hint at an unreleased model.
 */
export function aggregateHeadStarts(perModel: readonly HeadStart[]): AggregateHeadStart {
  const done = perModel.filter((h) => h.released && h.affected > 0);
  const sectors = new Map<string, { affected: number; patchedBeforeRelease: number }>();
  for (const h of done) {
    for (const s of h.bySector) {
      const cell = sectors.get(s.sector) ?? { affected: 0, patchedBeforeRelease: 0 };
      cell.affected += s.affected;
      cell.patchedBeforeRelease += s.patchedBeforeRelease;
      sectors.set(s.sector, cell);
    }
  }
  const affected = done.reduce((n, h) => n + h.affected, 0);
  const patchedBeforeRelease = done.reduce((n, h) => n + h.patchedBeforeRelease, 0);
  return {
    models: done.length,
    affected,
    patchedBeforeRelease,
    share: shareOf(patchedBeforeRelease, affected),
    bySector: [...sectors.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sector, c]) => ({ sector, ...c, share: shareOf(c.patchedBeforeRelease, c.affected) })),
  };
}

/** One row of matching_matches as the head start reads it. */
export interface MatchRowInput {
  advisoryId: string;
  operatorId: string;
  sector: string | null;
  matchedAt: Date;
  clearedAt: Date | null;
  clearedReason: string | null;
}

/** The operator's own remediation decision on one advisory, when it has recorded one. */
export interface RemediationInput {
  advisoryId: string;
  operatorId: string;
  state: string;
  /** When it entered its current state. */
  since: Date;
}

// Why matching cleared a match, read as a remediation outcome: a fresh inventory without the
// vulnerable version is a patch; a revised advisory that no longer names the version means the
// operator never was affected. Anything else (withdrawn, not disseminated) leaves it open.
const PATCHED_REASONS = new Set(['inventory_changed']);
const NOT_AFFECTED_REASONS = new Set(['no_longer_matches']);

/**
 * One exposure record per (advisory, operator) from its matches, with the operator's remediation
 * decision taking precedence when there is one ("patched" or "not affected"; any other state is open).
 */
export function exposureRecords(matches: readonly MatchRowInput[], remediation: readonly RemediationInput[] = []): ExposureRecord[] {
  const groups = new Map<string, MatchRowInput[]>();
  for (const m of matches) {
    const key = `${m.advisoryId}|${m.operatorId}`;
    const list = groups.get(key);
    if (list) list.push(m);
    else groups.set(key, [m]);
  }
  const decided = new Map(remediation.map((r) => [`${r.advisoryId}|${r.operatorId}`, r]));
  const records: ExposureRecord[] = [];
  for (const [key, list] of groups) {
    const first = list[0] as MatchRowInput;
    const matchedAt = new Date(Math.min(...list.map((m) => m.matchedAt.getTime())));
    const base = { operatorId: first.operatorId, sector: list.find((m) => m.sector)?.sector ?? null, matchedAt };
    const r = decided.get(key);
    if (r && (r.state === 'patched' || r.state === 'not_affected')) {
      records.push({ ...base, resolution: r.state, resolvedAt: r.since });
      continue;
    }
    if (r) {
      records.push({ ...base, resolution: null, resolvedAt: null });
      continue;
    }
    const open = list.some((m) => m.clearedAt === null || !(PATCHED_REASONS.has(m.clearedReason ?? '') || NOT_AFFECTED_REASONS.has(m.clearedReason ?? '')));
    const patches = list.filter((m) => m.clearedAt !== null && PATCHED_REASONS.has(m.clearedReason ?? ''));
    if (open) records.push({ ...base, resolution: null, resolvedAt: null });
    else if (patches.length > 0) records.push({ ...base, resolution: 'patched', resolvedAt: new Date(Math.max(...patches.map((m) => (m.clearedAt as Date).getTime()))) });
    else records.push({ ...base, resolution: 'not_affected', resolvedAt: new Date(Math.max(...list.map((m) => (m.clearedAt as Date).getTime()))) });
  }
  return records;
}

export interface PublicCell {
  affected: number | null;
  patchedBeforeRelease: number | null;
  share: number | null;
  suppressed: boolean;
}

export interface PublicHeadStart extends PublicCell {
  /** Released models counted (null when suppressed). */
  models: number | null;
  bySector: (PublicCell & { sector: string })[];
}

const hidden: PublicCell = { affected: null, patchedBeforeRelease: null, share: null, suppressed: true };
const shown = (c: HeadStartCounts): PublicCell => ({ affected: c.affected, patchedBeforeRelease: c.patchedBeforeRelease, share: c.share, suppressed: false });

/**
 * Small-cell suppression for the public: nothing is published unless at least `threshold` developers'
 * models contribute (or one developer's numbers would be its own); a sector with fewer than
 * `threshold` affected operators is hidden, and when exactly one sector is hidden the next smallest
 * is hidden too, so the total cannot give it away.
 */
export function publicHeadStart(agg: AggregateHeadStart, developers: number, threshold: number): PublicHeadStart {
  if (agg.models === 0) return { models: 0, ...shown(agg), bySector: [] };
  if (developers < threshold || agg.affected < threshold) return { models: null, ...hidden, bySector: [] };
  const small = new Set(agg.bySector.filter((s) => s.affected < threshold).map((s) => s.sector));
  if (small.size === 1) {
    const next = agg.bySector.filter((s) => !small.has(s.sector)).sort((a, b) => a.affected - b.affected || a.sector.localeCompare(b.sector))[0];
    if (next) small.add(next.sector);
  }
  return {
    models: agg.models,
    ...shown(agg),
    bySector: agg.bySector.map((s) => ({ sector: s.sector, ...(small.has(s.sector) ? hidden : shown(s)) })),
  };
}
