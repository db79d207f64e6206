import { z } from 'zod';
import { TransparencyHeadStartView } from '../inventory/head-start/head-start.types.ts';

export const ReportQuery = z.object({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'YYYY-Qn, for example 2026-Q3').max(7).optional() }).strict();

const Cell = z.object({ value: z.number().nullable(), suppressed: z.boolean() });
const Keyed = z.array(Cell.extend({ key: z.string() }));

export const ReportView = z.object({
  quarter: z.string(),
  from: z.string(),
  to: z.string(),
  generatedAt: z.string(),
  threshold: z.number(),
  method: z.string(),
  consultations: Cell,
  determinationsByOutcome: Keyed,
  windows: z.object({ opened: Cell, closed: Cell, medianPlannedDays: Cell, medianActualDays: Cell, plannedLengths: Keyed, withdrawnWithModel: Cell }),
  withdrawals: Cell,
  partners: z.object({ applications: Cell, vettingByOutcome: Keyed, decisionsByOutcome: Keyed, appealsByOutcome: Keyed }),
  findings: z.object({ available: z.boolean(), byKind: Keyed, bySeverity: Keyed, medianDaysToMitigation: Cell }),
  /** The defender head start of models whose planned release fell in the quarter (null where not computed). */
  headStart: TransparencyHeadStartView.nullable(),
});
