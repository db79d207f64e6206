import { and, eq, gte, lt, lte } from 'drizzle-orm';
import { auditEvents, consultations, determinationNotices, findings, partnerApplications, reviewWindows, selectionPanels } from '../../db/schema.ts';
import { ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import { CUI } from '../access/marking.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import type { HeadStartService } from '../inventory/head-start/head-start.service.ts';
import { buildReport, days, DEFAULT_THRESHOLD, parseQuarter, quarterOf, reportCsv, type Quarter } from './transparency.fns.ts';

export interface TransparencyOptions {
  /** The fewest distinct organisations that must contribute to a published cell (default 3). */
  threshold?: number;
  /** The defender head start, counts only (suppressed below the threshold by the head-start module). */
  headStart?: Pick<HeadStartService, 'aggregateForTransparency'>;
}

// Public and unauthenticated by design: it reads only the unclassified facts below (never a
// determination, an answer, a finding's text or a name) and publishes counts that pass suppression.
export function createTransparencyService({ db, clock }: ModuleDeps, opts: TransparencyOptions = {}) {
  const threshold = Math.max(2, opts.threshold ?? DEFAULT_THRESHOLD);

  function quarterFrom(label: string | undefined): Quarter {
    if (!label) return quarterOf(clock());
    const q = parseQuarter(label);
    if (!q) throw new ValidationError('quarter must look like 2026-Q3.', [{ path: 'quarter', message: 'YYYY-Qn' }]);
    return q;
  }

  async function report(quarter?: string) {
    const q = quarterFrom(quarter);
    const within = (col: Parameters<typeof gte>[0]) => and(gte(col, q.from), lt(col, q.to));
    const [cons, notices, opened, closed, withdrawn, apps, vetted, panels, filed, mitigated] = await Promise.all([
      db.select({ developerOrgId: consultations.ownerOrgId }).from(consultations).where(and(within(consultations.createdAt), lte(consultations.classification, CUI))),
      db.select({ developerOrgId: determinationNotices.ownerOrgId, outcome: determinationNotices.outcome }).from(determinationNotices).where(and(within(determinationNotices.decidedAt), lte(determinationNotices.classification, CUI))),
      db.select({ developerOrgId: reviewWindows.ownerOrgId, opensAt: reviewWindows.opensAt, closesAt: reviewWindows.closesAt }).from(reviewWindows).where(within(reviewWindows.opensAt)),
      db.select({ developerOrgId: reviewWindows.ownerOrgId, opensAt: reviewWindows.opensAt, closedAt: reviewWindows.closedAt, reason: reviewWindows.closeReason }).from(reviewWindows).where(within(reviewWindows.closedAt)),
      // The audit trail holds the moment of each withdrawal from the framework (models keep no time of their own).
      db.select({ developerOrgId: auditEvents.ownerOrgId }).from(auditEvents).where(and(eq(auditEvents.action, 'model.withdraw'), eq(auditEvents.outcome, 'success'), within(auditEvents.at))),
      db.select({ partnerOrgId: partnerApplications.ownerOrgId }).from(partnerApplications).where(within(partnerApplications.createdAt)),
      db.select({ partnerOrgId: partnerApplications.ownerOrgId, outcome: partnerApplications.status }).from(partnerApplications).where(within(partnerApplications.decidedAt)),
      db.select({ partnerOrgId: selectionPanels.applicantOrgId, developerOrgId: selectionPanels.ownerOrgId, kind: selectionPanels.kind, outcome: selectionPanels.status }).from(selectionPanels).where(within(selectionPanels.decidedAt)),
      // Only findings marked at most CUI are counted: the existence of a classified finding is not public.
      db.select({ developerOrgId: findings.modelOwnerOrgId, kind: findings.kind, rating: findings.rating }).from(findings).where(and(within(findings.filedAt), lte(findings.classification, CUI))),
      db
        .select({ developerOrgId: findings.modelOwnerOrgId, filedAt: findings.filedAt, createdAt: findings.createdAt, respondedAt: findings.respondedAt })
        .from(findings)
        .where(and(eq(findings.developerResponse, 'mitigate'), within(findings.respondedAt), lte(findings.classification, CUI))),
    ]);
    // Models whose planned release fell in the quarter: the share of affected operators patched first.
    const headStart = opts.headStart ? await opts.headStart.aggregateForTransparency({ threshold, releasedFrom: q.from, releasedTo: q.to }) : null;
    const built = buildReport(
      q,
      {
        consultations: cons,
        notices,
        windowsOpened: opened,
        windowsClosed: closed.map((w) => ({ ...w, closedAt: w.closedAt! })),
        modelWithdrawals: withdrawn.map((w) => ({ developerOrgId: w.developerOrgId ?? '' })),
        applications: apps,
        vettingDecisions: vetted.filter((v) => v.outcome === 'eligible' || v.outcome === 'not_eligible'),
        panelDecisions: panels,
        findings: filed,
        mitigations: mitigated.map((m) => ({ developerOrgId: m.developerOrgId, days: days(m.filedAt ?? m.createdAt, m.respondedAt!) })),
      },
      threshold,
      clock(),
    );
    return { ...built, headStart };
  }

  async function csv(quarter?: string) {
    return reportCsv(await report(quarter));
  }

  return { report, csv, threshold, jobs: [] as JobDefinition[], startup: async () => {} };
}

export type TransparencyService = ReturnType<typeof createTransparencyService>;
