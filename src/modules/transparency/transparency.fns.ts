// The public transparency report, computed from plain rows with no I/O. Small-cell suppression: a
// cell is published only when at least `threshold` distinct organisations (developers, and for
// partner cells the partners too) contribute to it, so that no single developer, model or partner can
// be picked out. Zero is published as 0 (it identifies nobody). Within a breakdown, when exactly one
// non-zero cell is suppressed, the next smallest non-zero cell is suppressed as well, so the hidden
// one cannot be recovered by subtracting from a published total.

export const DEFAULT_THRESHOLD = 3;

export interface Cell {
  value: number | null;
  suppressed: boolean;
}

export interface Quarter {
  label: string;
  from: Date;
  to: Date;
}

export function quarterOf(d: Date): Quarter {
  const y = d.getUTCFullYear();
  const q = Math.floor(d.getUTCMonth() / 3) + 1;
  return parseQuarter(`${y}-Q${q}`)!;
}

export function parseQuarter(s: string): Quarter | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(s);
  if (!m) return null;
  const y = Number(m[1]);
  const q = Number(m[2]);
  return { label: s, from: new Date(Date.UTC(y, (q - 1) * 3, 1)), to: new Date(Date.UTC(q === 4 ? y + 1 : y, q === 4 ? 0 : q * 3, 1)) };
}

export function inQuarter(d: Date | null | undefined, q: Quarter): boolean {
  return !!d && d.getTime() >= q.from.getTime() && d.getTime() < q.to.getTime();
}

export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** An item of a cell: the organisations whose identity the item could reveal. */
export interface Contribution {
  developerOrgId?: string | null;
  partnerOrgId?: string | null;
}

function fewest(items: readonly Contribution[]): number {
  const dev = new Set(items.map((i) => i.developerOrgId).filter(Boolean));
  const par = new Set(items.map((i) => i.partnerOrgId).filter(Boolean));
  const counts = [items.some((i) => i.developerOrgId) ? dev.size : Infinity, items.some((i) => i.partnerOrgId) ? par.size : Infinity];
  const m = Math.min(...counts);
  return m === Infinity ? 0 : m;
}

export function cell(items: readonly Contribution[], threshold: number): Cell {
  if (items.length === 0) return { value: 0, suppressed: false };
  if (fewest(items) < threshold) return { value: null, suppressed: true };
  return { value: items.length, suppressed: false };
}

/** A breakdown (for example determinations by outcome) with complementary suppression. */
export function breakdown<K extends string>(keys: readonly K[], items: readonly (Contribution & { key: string })[], threshold: number): { key: K; value: number | null; suppressed: boolean }[] {
  const rows = keys.map((key) => {
    const mine = items.filter((i) => i.key === key);
    return { key, n: mine.length, ...cell(mine, threshold) };
  });
  const primary = rows.filter((r) => r.suppressed);
  if (primary.length === 1) {
    const next = rows.filter((r) => !r.suppressed && r.n > 0).sort((a, b) => a.n - b.n)[0];
    if (next) {
      next.value = null;
      next.suppressed = true;
    }
  }
  return rows.map(({ key, value, suppressed }) => ({ key, value, suppressed }));
}

/** A median over items, published only when enough organisations contribute. */
export function medianCell(items: readonly (Contribution & { days: number })[], threshold: number): Cell {
  if (items.length === 0) return { value: null, suppressed: false };
  if (fewest(items) < threshold) return { value: null, suppressed: true };
  const m = median(items.map((i) => i.days))!;
  return { value: Math.round(m * 10) / 10, suppressed: false };
}

const DAY = 86_400_000;
export const days = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY;

export const DETERMINATION_OUTCOMES = ['covered', 'not_covered'] as const;
export const WINDOW_LENGTHS = ['up_to_7_days', '8_to_14_days', '15_to_30_days', 'over_30_days'] as const;
export const VETTING_OUTCOMES = ['eligible', 'not_eligible'] as const;
export const PANEL_OUTCOMES = ['approved', 'refused'] as const;
export const FINDING_KINDS = ['dangerous_capability', 'safeguard_bypass', 'deployment_vulnerability', 'third_party_vulnerability'] as const;
export const SEVERITIES = ['none', 'low', 'medium', 'high', 'critical'] as const;

export function lengthBucket(d: number): (typeof WINDOW_LENGTHS)[number] {
  if (d <= 7) return 'up_to_7_days';
  if (d <= 14) return '8_to_14_days';
  if (d <= 30) return '15_to_30_days';
  return 'over_30_days';
}

export interface ReportInput {
  consultations: { developerOrgId: string }[];
  notices: { developerOrgId: string; outcome: string }[];
  windowsOpened: { developerOrgId: string; opensAt: Date; closesAt: Date }[];
  windowsClosed: { developerOrgId: string; opensAt: Date; closedAt: Date; reason: string | null }[];
  modelWithdrawals: { developerOrgId: string }[];
  applications: { partnerOrgId: string }[];
  vettingDecisions: { partnerOrgId: string; outcome: string }[];
  panelDecisions: { partnerOrgId: string; developerOrgId: string; kind: string; outcome: string }[];
  /** null when the findings module's tables are not present. */
  findings: { developerOrgId: string; kind: string; rating: string }[] | null;
  mitigations: { developerOrgId: string; days: number }[] | null;
}

export function buildReport(q: Quarter, input: ReportInput, threshold: number, generatedAt: Date) {
  const b = <K extends string>(keys: readonly K[], items: (Contribution & { key: string })[]) => breakdown(keys, items, threshold);
  return {
    quarter: q.label,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    generatedAt: generatedAt.toISOString(),
    threshold,
    method: `Counts of events in the quarter. A non-zero cell is shown only when at least ${threshold} distinct organisations (developers; for partner cells, partners and developers) contribute to it; otherwise it reads "suppressed". When one cell of a breakdown is suppressed, the next smallest is suppressed too. Only records marked at most CUI are counted; classified determinations are represented by their unclassified notices; nothing classified is read.`,
    consultations: cell(input.consultations, threshold),
    determinationsByOutcome: b(DETERMINATION_OUTCOMES, input.notices.map((n) => ({ ...n, key: n.outcome }))),
    windows: {
      opened: cell(input.windowsOpened, threshold),
      closed: cell(input.windowsClosed, threshold),
      medianPlannedDays: medianCell(input.windowsOpened.map((w) => ({ developerOrgId: w.developerOrgId, days: days(w.opensAt, w.closesAt) })), threshold),
      medianActualDays: medianCell(input.windowsClosed.map((w) => ({ developerOrgId: w.developerOrgId, days: days(w.opensAt, w.closedAt) })), threshold),
      plannedLengths: b(WINDOW_LENGTHS, input.windowsOpened.map((w) => ({ developerOrgId: w.developerOrgId, key: lengthBucket(days(w.opensAt, w.closesAt)) }))),
      withdrawnWithModel: cell(input.windowsClosed.filter((w) => w.reason === 'withdrawn_from_framework'), threshold),
    },
    withdrawals: cell(input.modelWithdrawals, threshold),
    partners: {
      applications: cell(input.applications, threshold),
      vettingByOutcome: b(VETTING_OUTCOMES, input.vettingDecisions.map((v) => ({ partnerOrgId: v.partnerOrgId, key: v.outcome }))),
      decisionsByOutcome: b(PANEL_OUTCOMES, input.panelDecisions.filter((p) => p.kind === 'selection').map((p) => ({ ...p, key: p.outcome }))),
      appealsByOutcome: b(PANEL_OUTCOMES, input.panelDecisions.filter((p) => p.kind === 'appeal').map((p) => ({ ...p, key: p.outcome }))),
    },
    findings: input.findings
      ? {
          available: true,
          byKind: b(FINDING_KINDS, input.findings.map((f) => ({ developerOrgId: f.developerOrgId, key: f.kind }))),
          bySeverity: b(SEVERITIES, input.findings.map((f) => ({ developerOrgId: f.developerOrgId, key: f.rating }))),
          medianDaysToMitigation: medianCell(input.mitigations ?? [], threshold),
        }
      : { available: false, byKind: [], bySeverity: [], medianDaysToMitigation: { value: null, suppressed: false } },
  };
}

export type TransparencyReport = ReturnType<typeof buildReport>;

/** One line per published figure: section, measure, key, value ("suppressed" where suppressed). */
export function reportCsv(r: TransparencyReport): string {
  const lines = [['quarter', 'section', 'measure', 'key', 'value']];
  const v = (c: Cell) => (c.suppressed ? 'suppressed' : c.value === null ? '' : String(c.value));
  const add = (section: string, measure: string, key: string, c: Cell) => lines.push([r.quarter, section, measure, key, v(c)]);
  add('consultations', 'count', '', r.consultations);
  for (const x of r.determinationsByOutcome) add('determinations', 'by_outcome', x.key, x);
  add('windows', 'opened', '', r.windows.opened);
  add('windows', 'closed', '', r.windows.closed);
  add('windows', 'median_planned_days', '', r.windows.medianPlannedDays);
  add('windows', 'median_actual_days', '', r.windows.medianActualDays);
  for (const x of r.windows.plannedLengths) add('windows', 'planned_length', x.key, x);
  add('windows', 'withdrawn_with_model', '', r.windows.withdrawnWithModel);
  add('withdrawals', 'models_withdrawn', '', r.withdrawals);
  add('partners', 'applications', '', r.partners.applications);
  for (const x of r.partners.vettingByOutcome) add('partners', 'vetting_by_outcome', x.key, x);
  for (const x of r.partners.decisionsByOutcome) add('partners', 'decisions_by_outcome', x.key, x);
  for (const x of r.partners.appealsByOutcome) add('partners', 'appeals_by_outcome', x.key, x);
  for (const x of r.findings.byKind) add('findings', 'by_kind', x.key, x);
  for (const x of r.findings.bySeverity) add('findings', 'by_severity', x.key, x);
  add('findings', 'median_days_to_mitigation', '', r.findings.medianDaysToMitigation);
  return lines.map((l) => l.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n') + '\n';
}
