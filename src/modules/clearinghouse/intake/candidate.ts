// The one shape every intake format becomes: a candidate report, bounded in every dimension. The
// zod schema is both the contract for storage and the check the tests run on every parser's output.
import { z } from 'zod';
import { CANDIDATE_LIMITS as L } from './limits.ts';

export const INTAKE_SOURCES = ['native', 'sarif', 'osv', 'csaf', 'cyclonedx-vex'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];

const s = (max: number) => z.string().min(1).max(max);

/** OSV event: exactly one of introduced, fixed, last_affected, limit. */
export const osvEventSchema = z
  .strictObject({
    introduced: s(L.version).optional(),
    fixed: s(L.version).optional(),
    last_affected: s(L.version).optional(),
    limit: s(L.version).optional(),
  })
  .refine((e) => Object.values(e).filter((v) => v !== undefined).length === 1, 'an event has exactly one of introduced, fixed, last_affected or limit');

/** OSV range semantics (https://ossf.github.io/osv-schema/#affectedranges-field). */
export const osvRangeSchema = z
  .strictObject({
    type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']),
    repo: s(L.url).optional(),
    events: z.array(osvEventSchema).min(1).max(L.events),
  })
  .superRefine((r, ctx) => {
    if (!r.events.some((e) => e.introduced !== undefined)) ctx.addIssue({ code: 'custom', path: ['events'], message: 'events must contain an introduced event' });
    if (r.events.some((e) => e.fixed !== undefined) && r.events.some((e) => e.last_affected !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['events'], message: 'last_affected and fixed events are mutually exclusive' });
    }
    if (r.type === 'GIT' && !r.repo) ctx.addIssue({ code: 'custom', path: ['repo'], message: 'GIT ranges require a repo' });
  });
export type OsvRange = z.infer<typeof osvRangeSchema>;
export type OsvEvent = OsvRange['events'][number];

export const AFFECTED_STATUSES = ['affected', 'not_affected', 'fixed', 'under_investigation'] as const;
export type AffectedStatus = (typeof AFFECTED_STATUSES)[number];

export const affectedProductSchema = z
  .strictObject({
    /** Versionless canonical package-url (type/namespace/name); versions go in ranges/versions. */
    purl: s(L.purl).optional(),
    cpe: s(L.cpe).optional(),
    /** OSV ecosystem name (npm, PyPI, Go, Maven, crates.io…). */
    ecosystem: s(L.name).optional(),
    name: s(L.name).optional(),
    ranges: z.array(osvRangeSchema).max(L.ranges).optional(),
    versions: z.array(s(L.version)).max(L.versions).optional(),
    /** A vers: range (CSAF product_version_range, CycloneDX affects range). */
    vers: s(L.text).optional(),
    /** Absent means affected. Other statuses carry vendor/VEX statements about the product. */
    status: z.enum(AFFECTED_STATUSES).optional(),
    /** Versions stated as fixing it (CSAF fixed products, vendor fixes). */
    fixedVersions: z.array(s(L.version)).max(L.versions).optional(),
    /** VEX justification for not_affected. */
    justification: s(L.text).optional(),
  })
  .refine((a) => a.purl !== undefined || a.cpe !== undefined || a.name !== undefined, 'an affected product needs a purl, a cpe or a name');
export type AffectedProduct = z.infer<typeof affectedProductSchema>;

export const CVSS_VERSIONS = ['3.0', '3.1', '4.0'] as const;
export const cvssSchema = z.strictObject({ version: z.enum(CVSS_VERSIONS), vector: s(512) });
export type CvssVector = z.infer<typeof cvssSchema>;

export const locationSchema = z.strictObject({
  uri: s(L.url),
  uriBaseId: s(L.id).optional(),
  startLine: z.number().int().min(1).optional(),
  startColumn: z.number().int().min(1).optional(),
  endLine: z.number().int().min(1).optional(),
  endColumn: z.number().int().min(1).optional(),
  logicalName: s(L.name).optional(),
  snippet: z.string().max(L.text).optional(),
});
export type CandidateLocation = z.infer<typeof locationSchema>;

export const toolSchema = z.strictObject({
  name: s(L.name),
  version: s(L.version).optional(),
  rule: z
    .strictObject({
      id: s(L.id),
      name: s(L.name).optional(),
      shortDescription: s(L.text).optional(),
      helpUri: s(L.url).optional(),
      /** GitHub's `security-severity` (0–10) where the tool gives one. */
      securitySeverity: z.number().min(0).max(10).optional(),
    })
    .optional(),
});

export const analysisSchema = z.strictObject({
  state: s(64).optional(),
  justification: s(128).optional(),
  response: z.array(s(64)).max(20).optional(),
  detail: s(L.text).optional(),
});

export const fingerprintsSchema = z
  .record(s(L.fingerprintKey), s(L.fingerprintValue))
  .refine((r) => Object.keys(r).length <= L.fingerprints, `at most ${L.fingerprints} fingerprints`);

export const CWE_ID = /^CWE-[1-9][0-9]{0,5}$/;

export const candidateReportSchema = z.strictObject({
  source: z.enum(INTAKE_SOURCES),
  title: s(L.title),
  description: z.string().max(L.description),
  cwe: z.array(z.string().regex(CWE_ID)).max(L.cwe).optional(),
  cvss: z.array(cvssSchema).max(L.cvss).optional(),
  affected: z.array(affectedProductSchema).max(L.affected),
  location: locationSchema.optional(),
  fingerprints: fingerprintsSchema,
  tool: toolSchema.optional(),
  references: z.array(s(L.url)).max(L.references),
  ids: z.array(s(L.id)).max(L.ids),
  /** SARIF level (result, else rule default). */
  level: z.enum(['none', 'note', 'warning', 'error']).optional(),
  /** CycloneDX VEX analysis. */
  analysis: analysisSchema.optional(),
  published: s(64).optional(),
  /** OSV: withdrawn date; the record is kept, flagged. */
  withdrawn: s(64).optional(),
});
export type CandidateReport = z.infer<typeof candidateReportSchema>;

/** Only products the candidate says are affected (status absent, affected or under investigation). */
export function affectedOnly(c: Pick<CandidateReport, 'affected'>): AffectedProduct[] {
  return c.affected.filter((a) => a.status === undefined || a.status === 'affected' || a.status === 'under_investigation');
}
