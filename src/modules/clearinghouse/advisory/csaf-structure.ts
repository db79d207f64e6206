// A bounded structural check of the CSAF 2.0 documents this module writes (the subset of the CSAF
// JSON schema the writer uses, with the schema's own limits on patterns and enumerations), plus
// every mandatory test. It keeps the product from emitting a malformed document at run time without
// shipping the OASIS schema; the conformance test checks the same output against that schema.
import { z } from 'zod';
import { runMandatoryTests } from './csaf-mandatory.ts';

const S = (max: number) => z.string().min(1).max(max);
const Url = z.url().max(2000);
const DateTime = z.iso.datetime({ offset: true }).max(40);
const ProductId = z.string().min(1).max(64);
const ProductIds = z.array(ProductId).min(1).max(2000);
const Version = z.string().regex(/^(0|[1-9][0-9]*)$/).max(10);

const Note = z.object({ category: z.enum(['description', 'details', 'faq', 'general', 'legal_disclaimer', 'other', 'summary']), title: S(200).optional(), text: S(20000) }).strict();
const Reference = z.object({ category: z.enum(['external', 'self']).optional(), summary: S(500), url: Url }).strict();

const Product = z
  .object({
    name: S(500),
    product_id: ProductId,
    product_identification_helper: z.object({ purl: z.string().regex(/^pkg:[A-Za-z.\-+][A-Za-z0-9.\-+]*\/.+/).max(1100) }).strict().optional(),
  })
  .strict();
const VersionBranch = z.object({ category: z.enum(['product_version', 'product_version_range']), name: S(300), product: Product }).strict();
const NameBranch = z.object({ category: z.literal('product_name'), name: S(200), branches: z.array(VersionBranch).min(1).max(2000) }).strict();
const VendorBranch = z.object({ category: z.literal('vendor'), name: S(200), branches: z.array(NameBranch).min(1).max(2000) }).strict();

const Cvss3 = z
  .object({
    version: z.literal('3.1'),
    vectorString: z.string().regex(/^CVSS:3\.1\//).max(512),
    baseScore: z.number().min(0).max(10),
    baseSeverity: z.enum(['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']),
  })
  .strict();

const Vulnerability = z
  .object({
    cve: z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,}$/).optional(),
    ids: z.array(z.object({ system_name: S(100), text: S(200) }).strict()).min(1).max(10).optional(),
    title: S(300),
    cwe: z.object({ id: z.string().regex(/^CWE-[1-9]\d{0,5}$/), name: S(300) }).strict().optional(),
    notes: z.array(Note).min(1).max(20),
    discovery_date: DateTime.optional(),
    release_date: DateTime.optional(),
    product_status: z
      .object({ fixed: ProductIds.optional(), known_affected: ProductIds.optional(), known_not_affected: ProductIds.optional(), under_investigation: ProductIds.optional() })
      .strict()
      .refine((s) => Object.keys(s).length > 0, 'at least one status'),
    scores: z.array(z.object({ products: ProductIds, cvss_v3: Cvss3 }).strict()).max(10).optional(),
    flags: z
      .array(z.object({ label: z.enum(['component_not_present', 'inline_mitigations_already_exist', 'vulnerable_code_cannot_be_controlled_by_adversary', 'vulnerable_code_not_in_execute_path', 'vulnerable_code_not_present']), product_ids: ProductIds }).strict())
      .max(5)
      .optional(),
    threats: z.array(z.object({ category: z.literal('impact'), details: S(4000), product_ids: ProductIds }).strict()).max(2000).optional(),
    remediations: z
      .array(
        z
          .object({
            category: z.enum(['mitigation', 'no_fix_planned', 'none_available', 'vendor_fix', 'workaround']),
            details: S(4100),
            product_ids: ProductIds,
            url: Url.optional(),
            date: DateTime.optional(),
          })
          .strict(),
      )
      .max(2000)
      .optional(),
    acknowledgments: z
      .array(z.object({ names: z.array(S(200)).min(1).max(50).optional(), organization: S(200).optional(), summary: S(500).optional() }).strict())
      .max(100)
      .optional(),
    references: z.array(Reference).max(100).optional(),
  })
  .strict();

export const CsafDocumentSchema = z
  .object({
    document: z
      .object({
        category: z.enum(['csaf_security_advisory', 'csaf_vex']),
        csaf_version: z.literal('2.0'),
        title: S(300),
        lang: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/),
        publisher: z
          .object({ category: z.literal('coordinator'), name: S(200), namespace: Url, contact_details: S(500).optional(), issuing_authority: S(1000).optional() })
          .strict(),
        distribution: z.object({ tlp: z.object({ label: z.enum(['WHITE', 'GREEN', 'AMBER', 'RED']), url: Url }).strict(), text: S(1000) }).strict(),
        aggregate_severity: z.object({ text: S(20) }).strict().optional(),
        notes: z.array(Note).min(1).max(60),
        references: z.array(Reference).min(1).max(110).optional(),
        tracking: z
          .object({
            id: z.string().regex(/^FWN-\d{4}-\d{4,6}$/),
            status: z.enum(['draft', 'interim', 'final']),
            version: Version,
            revision_history: z.array(z.object({ date: DateTime, number: Version, summary: S(1000) }).strict()).min(1).max(1000),
            initial_release_date: DateTime,
            current_release_date: DateTime,
            generator: z.object({ date: DateTime, engine: z.object({ name: S(50), version: S(20) }).strict() }).strict(),
          })
          .strict(),
      })
      .strict(),
    product_tree: z.object({ branches: z.array(VendorBranch).min(1).max(500) }).strict(),
    vulnerabilities: z.array(Vulnerability).min(1).max(200),
  })
  .strict();

export type CsafDocument = z.infer<typeof CsafDocumentSchema>;

export class CsafOutputError extends Error {
  constructor(readonly problems: string[]) {
    super(`the CSAF document is not valid: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`);
  }
}

/** Structure plus all mandatory tests; returns the typed document or throws CsafOutputError. */
export function assertCsafDocument(doc: unknown): CsafDocument {
  const parsed = CsafDocumentSchema.safeParse(doc);
  if (!parsed.success) throw new CsafOutputError(parsed.error.issues.map((i) => `${i.path.join('/')}: ${i.message}`));
  const failures = runMandatoryTests(parsed.data);
  if (failures.length > 0) throw new CsafOutputError(failures.map((f) => `${f.test} ${f.path}: ${f.message}`));
  return parsed.data;
}
