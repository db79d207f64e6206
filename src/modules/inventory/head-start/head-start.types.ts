import { z } from 'zod';

export const ModelParams = z.object({ id: z.uuid() }).strict();

const Counts = {
  affected: z.number().int(),
  patchedBeforeRelease: z.number().int(),
  share: z.number().nullable(),
};

export const SectorView = z.object({ sector: z.string(), ...Counts });

/** A model as the reader may name it: its name only when the reader may read the model itself. */
export const ModelRef = z.object({
  id: z.string(),
  label: z.string(),
  developer: z.string().nullable(),
  releaseAt: z.string(),
  released: z.boolean(),
});

export const HeadStartSummaryView = z.object({
  model: ModelRef,
  advisories: z.number().int(),
  patchedNow: z.number().int(),
  ...Counts,
});

export const AdvisoryRefView = z.object({
  id: z.string(),
  trackingId: z.string().nullable(),
  severity: z.string().nullable(),
  tlp: z.string(),
  publishedAt: z.string().nullable(),
  /** Operators it affects (distinct). */
  affected: z.number().int(),
});

export const UnpatchedOperatorView = z.object({
  orgId: z.string(),
  orgName: z.string(),
  sector: z.string(),
  firstMatchedAt: z.string(),
  openRecords: z.number().int(),
});

export const HeadStartDetailView = HeadStartSummaryView.extend({
  bySector: z.array(SectorView).max(100),
  series: z.array(z.object({ at: z.string(), affected: z.number().int(), patched: z.number().int(), share: z.number().nullable() })).max(200),
  advisoryList: z.array(AdvisoryRefView).max(1000),
  /** The still unpatched operators, for coordinators only (null for everyone else). */
  unpatched: z.array(UnpatchedOperatorView).max(10_000).nullable(),
});

export const HeadStartListView = z.object({ items: z.array(HeadStartSummaryView).max(1000), coordinator: z.boolean() });

/** aggregateForTransparency(): counts only, null where suppressed (for the transparency report's schema). */
const PublicCell = {
  affected: z.number().int().nullable(),
  patchedBeforeRelease: z.number().int().nullable(),
  share: z.number().nullable(),
  suppressed: z.boolean(),
};
export const TransparencyHeadStartView = z.object({
  models: z.number().int().nullable(),
  ...PublicCell,
  bySector: z.array(z.object({ sector: z.string(), ...PublicCell })).max(100),
});
