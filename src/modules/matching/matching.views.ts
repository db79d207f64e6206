// Request and response schemas of the matching routes (bounded). matching.types.ts holds the
// interfaces shared with neighbouring modules; these are the API's own.
import { z } from 'zod';
import { TLP_LABELS } from '../clearinghouse/advisory/tlp.ts';
import { MAX_OSV_RECORDS } from './matching.service.ts';

/** An OSV import request may carry this much (the Go vulnerability database is about 5.5 MB). */
export const OSV_BODY_LIMIT = 16 * 1024 * 1024;

export const Id = z.uuid();
export const ById = z.object({ id: Id }).strict();

export const MatchesQuery = z
  .object({
    state: z.enum(['open', 'cleared', 'all']).default('open'),
    advisoryId: Id.optional(),
    assetId: Id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

export const AdvisoriesQuery = z
  .object({
    source: z.enum(['clearinghouse', 'osv']).optional(),
    q: z.string().trim().min(1).max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
  })
  .strict();

/** A JSON array of OSV records, or `{ "jsonl": "…" }` with one record a line (or `{ "records": [...] }`). */
export const OsvImportBody = z.union([
  z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_OSV_RECORDS),
  z.object({ records: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_OSV_RECORDS) }).strict(),
  z.object({ jsonl: z.string().min(1).max(OSV_BODY_LIMIT) }).strict(),
]);

export const AdvisorySummary = z.object({
  id: z.string(),
  source: z.enum(['clearinghouse', 'osv']),
  externalId: z.string(),
  clearinghouseAdvisoryId: z.string().nullable(),
  title: z.string(),
  tlp: z.enum(TLP_LABELS),
  severity: z.enum(['low', 'medium', 'high', 'critical']).nullable(),
  withdrawn: z.boolean(),
  publishedAt: z.string(),
  modifiedAt: z.string().nullable(),
});

export const MatchView = z.object({
  id: z.string(),
  advisory: AdvisorySummary,
  asset: z.object({ id: z.string(), name: z.string() }),
  componentId: z.string(),
  package: z.string(),
  version: z.string().nullable(),
  verdict: z.enum(['affected', 'unknown']),
  fixedIn: z.string().nullable(),
  matchedAt: z.string(),
  clearedAt: z.string().nullable(),
  clearedReason: z.string().nullable(),
});

export const MatchesView = z.object({ items: z.array(MatchView), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const AffectedView = z.object({
  advisory: AdvisorySummary,
  organisations: z.array(
    z.object({
      orgId: z.string(),
      orgName: z.string(),
      sector: z.string().nullable(),
      assets: z.number().int(),
      components: z.number().int(),
      unknown: z.number().int(),
      firstMatchedAt: z.string(),
    }),
  ),
  totals: z.object({ organisations: z.number().int(), components: z.number().int(), cleared: z.number().int() }),
});

export const AdvisoriesView = z.object({
  items: z.array(AdvisorySummary.extend({ packages: z.number().int(), openMatches: z.number().int() })),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const ImportResultView = z.object({
  received: z.number().int(),
  stored: z.number().int(),
  unchanged: z.number().int(),
  withdrawn: z.number().int(),
  skippedEntries: z.number().int(),
});
