// The clearinghouse's own advisory model, from which CSAF 2.0, OSV and the human-readable page are
// written. Bounded zod schemas: the service validates with these before anything is rendered.
import { z } from 'zod';
import { PackageURL } from 'packageurl-js';
import { scoreCvss, CvssVectorError } from '../../../lib/cvss/cvss.ts';
import { TLP_LABELS } from './tlp.ts';

export const ADVISORY_ID = /^FWN-\d{4}-\d{4,6}$/;
export const CVE_ID = /^CVE-\d{4}-\d{4,}$/;
export const PRODUCT_KEY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

const Line = (max: number) => z.string().trim().min(1).max(max);
const Text = (max: number) => z.string().min(1).max(max).refine((s) => s.trim().length > 0, 'must not be blank');
const Url = z.url({ protocol: /^https?$/ }).max(2000);
const Instant = z.iso.datetime({ offset: true }).max(40);
// CSAF 6.1.31 treats these words as version ranges; a single version must not be one of them.
const RANGE_WORDS = ['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions'];
const VersionText = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\s<>|]+$/, 'a single version without spaces, <, > or |')
  .refine((v) => !RANGE_WORDS.includes(v.toLowerCase()) && !v.toLowerCase().startsWith('vers:'), 'a single version, not a range');

export const PurlText = z
  .string()
  .max(1000)
  .refine((s) => {
    try {
      PackageURL.fromString(s);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid package URL')
  .refine((s) => !/@[^/]*$/.test(s.split('?')[0].split('#')[0]), 'give the package URL without a version; versions go in version or range');

export const PublisherSchema = z
  .object({
    name: Line(200),
    namespace: Url,
    contactDetails: Line(500).optional(),
    issuingAuthority: Line(1000).optional(),
  })
  .strict();
export type Publisher = z.infer<typeof PublisherSchema>;

export const DEFAULT_PUBLISHER: Publisher = {
  name: 'Treasury AI Cybersecurity Clearinghouse',
  namespace: 'https://clearinghouse.treasury.gov',
  contactDetails: 'Treasury AI Cybersecurity Clearinghouse, clearinghouse@treasury.gov',
  issuingAuthority:
    'The U.S. Department of the Treasury AI cybersecurity clearinghouse coordinates the disclosure of vulnerabilities in AI systems and the software around them.',
};

/** OSV range semantics: affected from `introduced` ("0" = from the start) until `fixed` (excluded) or `lastAffected` (included). */
export const RangeSchema = z
  .object({
    introduced: VersionText,
    fixed: VersionText.optional(),
    lastAffected: VersionText.optional(),
  })
  .strict()
  .refine((r) => !(r.fixed && r.lastAffected), 'give fixed or lastAffected, not both');

export const ProductSchema = z
  .object({
    id: z.string().regex(PRODUCT_KEY, 'letters, digits, . _ : - (at most 64)'),
    vendor: Line(200),
    name: Line(200),
    purl: PurlText.optional(),
    version: VersionText.optional(),
    range: RangeSchema.optional(),
  })
  .strict()
  .refine((p) => (p.version === undefined) !== (p.range === undefined), 'give exactly one of version or range');
export type AdvisoryProduct = z.infer<typeof ProductSchema>;

export const PRODUCT_STATUSES = ['known_affected', 'fixed', 'known_not_affected', 'under_investigation'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

/** CSAF 2.0 VEX justification flags (section 3.2.3.5), the same five as CISA's VEX minimum requirements. */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

export const StatusSchema = z
  .object({
    productId: z.string().regex(PRODUCT_KEY),
    status: z.enum(PRODUCT_STATUSES),
    justification: z.enum(VEX_JUSTIFICATIONS).optional(),
    impactStatement: Text(4000).optional(),
  })
  .strict()
  .refine((s) => s.status === 'known_not_affected' || (s.justification === undefined && s.impactStatement === undefined), 'justification and impact statement belong to known_not_affected')
  .refine((s) => s.status !== 'known_not_affected' || s.justification !== undefined || s.impactStatement !== undefined, 'known_not_affected needs a justification or an impact statement');

export const REMEDIATION_CATEGORIES = ['vendor_fix', 'workaround', 'mitigation', 'no_fix_planned', 'none_available'] as const;

export const RemediationSchema = z
  .object({
    category: z.enum(REMEDIATION_CATEGORIES),
    details: Text(4000),
    productIds: z.array(z.string().regex(PRODUCT_KEY)).min(1).max(500),
    url: Url.optional(),
    fixedVersion: VersionText.optional(),
    date: Instant.optional(),
  })
  .strict()
  .refine((r) => r.fixedVersion === undefined || r.category === 'vendor_fix', 'fixedVersion belongs to vendor_fix');

export const NOTE_CATEGORIES = ['description', 'details', 'faq', 'general', 'legal_disclaimer', 'other', 'summary'] as const;
export const NoteSchema = z.object({ category: z.enum(NOTE_CATEGORIES), title: Line(200), text: Text(20000) }).strict();
export const ReferenceSchema = z.object({ url: Url, summary: Line(500), category: z.enum(['external', 'self']).optional() }).strict();

export const CvssVectorText = z
  .string()
  .max(512)
  .superRefine((v, ctx) => {
    try {
      scoreCvss(v);
    } catch (e) {
      if (e instanceof CvssVectorError) ctx.addIssue({ code: 'custom', message: e.message });
      else throw e;
    }
  });

export const VulnerabilitySchema = z
  .object({
    key: z.string().regex(PRODUCT_KEY),
    title: Line(300),
    description: Text(20000),
    cve: z.string().regex(CVE_ID).max(30).optional(),
    cwe: z.object({ id: z.string().regex(/^CWE-[1-9]\d{0,5}$/), name: Line(300) }).strict().optional(),
    /** At most one CVSS 3.1 and one CVSS 4.0 vector. */
    cvss: z.array(CvssVectorText).max(2).default([]),
    discoveryDate: Instant.optional(),
    releaseDate: Instant.optional(),
    statuses: z.array(StatusSchema).min(1).max(1000),
    remediations: z.array(RemediationSchema).max(200).default([]),
    acknowledgments: z
      .array(z.object({ names: z.array(Line(200)).min(1).max(50).optional(), organization: Line(200).optional(), summary: Line(500).optional() }).strict().refine((a) => a.names || a.organization, 'names or organization'))
      .max(100)
      .default([]),
    references: z.array(ReferenceSchema).max(100).default([]),
  })
  .strict()
  .refine((v) => new Set(v.cvss.map((x) => x.slice(0, 8))).size === v.cvss.length, 'at most one vector per CVSS version')
  .refine((v) => new Set(v.statuses.map((s) => s.productId)).size === v.statuses.length, 'one status per product');

export const RevisionSchema = z.object({ number: z.int().min(1).max(100000), date: Instant, summary: Line(1000) }).strict();

export const AdvisorySchema = z
  .object({
    id: z.string().regex(ADVISORY_ID, 'like FWN-2026-0001'),
    title: Line(300),
    status: z.enum(['draft', 'interim', 'final']),
    tlp: z.enum(TLP_LABELS),
    lang: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).default('en'),
    publisher: PublisherSchema.default(DEFAULT_PUBLISHER),
    summary: Text(10000),
    revisions: z.array(RevisionSchema).min(1).max(1000),
    notes: z.array(NoteSchema).max(50).default([]),
    references: z.array(ReferenceSchema).max(100).default([]),
    /** Canonical URL of this advisory's CSAF file, when it is published. */
    selfUrl: Url.optional(),
    products: z.array(ProductSchema).min(1).max(1000),
    vulnerabilities: z.array(VulnerabilitySchema).min(1).max(200),
  })
  .strict()
  .superRefine((a, ctx) => {
    a.revisions.forEach((r, i) => {
      if (r.number !== i + 1) ctx.addIssue({ code: 'custom', path: ['revisions', i, 'number'], message: `revision ${i + 1} expected` });
      if (i > 0 && Date.parse(r.date) < Date.parse(a.revisions[i - 1].date)) ctx.addIssue({ code: 'custom', path: ['revisions', i, 'date'], message: 'revisions must be in date order' });
    });
    const ids = new Set<string>();
    a.products.forEach((p, i) => {
      if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['products', i, 'id'], message: `product ${p.id} is listed twice` });
      ids.add(p.id);
    });
    const cves = new Set<string>();
    a.vulnerabilities.forEach((v, i) => {
      if (v.cve && cves.has(v.cve)) ctx.addIssue({ code: 'custom', path: ['vulnerabilities', i, 'cve'], message: `${v.cve} is used twice` });
      if (v.cve) cves.add(v.cve);
      v.statuses.forEach((s, j) => {
        if (!ids.has(s.productId)) ctx.addIssue({ code: 'custom', path: ['vulnerabilities', i, 'statuses', j, 'productId'], message: `unknown product ${s.productId}` });
      });
      v.remediations.forEach((r, j) =>
        r.productIds.forEach((p, k) => {
          if (!ids.has(p)) ctx.addIssue({ code: 'custom', path: ['vulnerabilities', i, 'remediations', j, 'productIds', k], message: `unknown product ${p}` });
        }),
      );
    });
  });

export type AdvisoryInput = z.input<typeof AdvisorySchema>;
export type Advisory = z.output<typeof AdvisorySchema>;
export type AdvisoryVulnerability = Advisory['vulnerabilities'][number];

/** Validates an advisory; throws a ZodError naming each failing path. */
export function parseAdvisory(input: unknown): Advisory {
  return AdvisorySchema.parse(input);
}

// ---------- vendor statements (the source of CSAF VEX) ----------

export const VENDOR_STATEMENT_STATUSES = ['affected', 'not_affected', 'under_investigation', 'fixed'] as const;

export const VendorStatementSchema = z
  .object({
    vulnerabilityKey: z.string().regex(PRODUCT_KEY),
    productId: z.string().regex(PRODUCT_KEY),
    status: z.enum(VENDOR_STATEMENT_STATUSES),
    justification: z.enum(VEX_JUSTIFICATIONS).optional(),
    impactStatement: Text(4000).optional(),
    actionStatement: Text(4000).optional(),
    fixedVersion: VersionText.optional(),
    url: Url.optional(),
    statedAt: Instant,
  })
  .strict()
  .refine((s) => s.status !== 'not_affected' || s.justification !== undefined || s.impactStatement !== undefined, 'not_affected needs a justification or an impact statement')
  .refine((s) => s.status === 'not_affected' || (s.justification === undefined && s.impactStatement === undefined), 'justification belongs to not_affected')
  .refine((s) => s.fixedVersion === undefined || s.status === 'fixed', 'fixedVersion belongs to fixed');
export type VendorStatement = z.infer<typeof VendorStatementSchema>;

/** A `vers` URI (package-url/vers-spec) for an OSV-style range; the scheme is the purl type. */
export function versOf(product: Pick<AdvisoryProduct, 'purl' | 'range'>): string | undefined {
  const r = product.range;
  if (!r) return undefined;
  const scheme = product.purl ? PackageURL.fromString(product.purl).type : 'generic';
  const constraints: string[] = [];
  if (r.introduced !== '0') constraints.push(`>=${r.introduced}`);
  if (r.fixed) constraints.push(`<${r.fixed}`);
  if (r.lastAffected) constraints.push(`<=${r.lastAffected}`);
  return `vers:${scheme}/${constraints.length > 0 ? constraints.join('|') : '*'}`;
}

/** How a product's affected versions read to people. */
export function versionLabel(product: Pick<AdvisoryProduct, 'version' | 'range'>): string {
  if (product.version !== undefined) return product.version;
  const r = product.range as NonNullable<AdvisoryProduct['range']>;
  const from = r.introduced === '0' ? 'all versions' : `versions from ${r.introduced}`;
  if (r.fixed) return `${from} before ${r.fixed}`;
  if (r.lastAffected) return `${from} up to and including ${r.lastAffected}`;
  return r.introduced === '0' ? from : `${from} on`;
}
