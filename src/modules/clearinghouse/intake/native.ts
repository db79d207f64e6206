// Forewarn's own JSON report format: what the web form, the API and `forewarn report submit` send
// when the report is not already SARIF, OSV, CSAF or CycloneDX VEX. Bounded and strict: unknown
// fields are errors, so a typo never silently drops information.
import { z } from 'zod';
import { CANDIDATE_LIMITS as L } from './limits.ts';
import { CWE_ID, CVSS_VERSIONS, locationSchema, osvRangeSchema, toolSchema, fingerprintsSchema, type CandidateReport } from './candidate.ts';
import { reject, zodErrors } from './errors.ts';
import { parseCvss } from './text.ts';
import { ECOSYSTEM_OF_PURL_TYPE, splitPurl } from './purl.ts';
import { isCpe } from '../../inventory/sbom/cpe.ts';

const s = (max: number) => z.string().trim().min(1).max(max);

export const nativeAffected = z
  .strictObject({
    purl: s(L.purl).optional(),
    cpe: s(L.cpe).refine(isCpe, 'must be a CPE 2.3 formatted string or a CPE 2.2 URI').optional(),
    ecosystem: s(L.name).optional(),
    name: s(L.name).optional(),
    ranges: z.array(osvRangeSchema).max(L.ranges).optional(),
    versions: z.array(s(L.version)).max(L.versions).optional(),
    vers: s(L.text).regex(/^vers:[a-z0-9.+-]+\//, 'must be a vers: range such as vers:npm/>=1.0.0|<1.2.3').optional(),
  })
  .superRefine((a, ctx) => {
    if (!a.purl && !a.cpe && !a.name) ctx.addIssue({ code: 'custom', path: [], message: 'name the product by purl, cpe or name' });
    if (a.purl) {
      try {
        splitPurl(a.purl);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['purl'], message: `not a valid package-url: ${e instanceof Error ? e.message.slice(0, 200) : ''}` });
      }
    }
  });

export const nativeReportSchema = z.strictObject({
  /** Marks the format for automatic detection; optional when the format is given explicitly. */
  format: z.literal('forewarn-report/1').optional(),
  title: s(L.title),
  description: z.string().trim().min(1).max(L.description),
  cwe: z.array(z.string().trim().toUpperCase().regex(CWE_ID, 'must be a CWE identifier such as CWE-79')).max(L.cwe).optional(),
  cvss: z
    .array(
      z
        .strictObject({ version: z.enum(CVSS_VERSIONS), vector: s(512) })
        .refine((c) => parseCvss(c.vector)?.version === c.version, { message: 'must be a complete CVSS vector of the stated version', path: ['vector'] }),
    )
    .max(L.cvss)
    .optional(),
  affected: z.array(nativeAffected).max(L.affected).default([]),
  location: locationSchema.optional(),
  fingerprints: fingerprintsSchema.optional(),
  tool: toolSchema.optional(),
  references: z.array(z.url({ protocol: /^https?$/ }).max(L.url)).max(L.references).optional(),
  ids: z.array(s(L.id)).max(L.ids).optional(),
});
export type NativeReport = z.input<typeof nativeReportSchema>;

export function readNative(doc: unknown): CandidateReport {
  const r = nativeReportSchema.safeParse(doc);
  if (!r.success) reject('The report does not conform to the Forewarn report format.', zodErrors(r.error.issues));
  const d = r.data;
  const out: CandidateReport = {
    source: 'native',
    title: d.title,
    description: d.description,
    affected: normalizeAffected(d.affected),
    fingerprints: d.fingerprints ?? {},
    references: d.references ?? [],
    ids: [...new Set(d.ids ?? [])],
  };
  if (d.cwe) out.cwe = [...new Set(d.cwe)];
  if (d.cvss) out.cvss = d.cvss.map((c) => parseCvss(c.vector)!);
  if (d.location) out.location = d.location;
  if (d.tool) out.tool = d.tool;
  return out;
}

/** A versioned purl becomes the base purl plus its version; the ecosystem comes from the purl type. */
export function normalizeAffected(list: readonly z.output<typeof nativeAffected>[]): CandidateReport['affected'] {
  return list
    .map((a) => {
      const { purl, ...rest } = a;
      if (!purl) return rest;
      const parts = splitPurl(purl);
      const versions = a.versions ?? (parts.version && !a.ranges && !a.vers ? [parts.version] : undefined);
      return { ...rest, purl: parts.base, ecosystem: a.ecosystem ?? ECOSYSTEM_OF_PURL_TYPE[parts.type], ...(versions ? { versions } : {}) };
    })
    .map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as CandidateReport['affected'][number]);
}
