// CSAF 2.0 documents imported as reports: each vulnerability becomes a candidate with its CVE and
// other ids, CWE, CVSS v3 vectors, and the products of its product_status resolved through the
// product tree (branches walked: vendor / product / version or version range; full_product_names;
// relationships) to purl, CPE and versions. Remediations are not imported, except that versions of
// products marked fixed are noted on the matching affected products as fixedVersions.
import { z } from 'zod';
import { CANDIDATE_LIMITS as L } from './limits.ts';
import type { AffectedProduct, AffectedStatus, CandidateReport, CvssVector } from './candidate.ts';
import { reject, zodErrors, type IntakeError } from './errors.ts';
import { splitPurl, ECOSYSTEM_OF_PURL_TYPE } from './purl.ts';
import { capList, clip, isUrlish, normaliseCwe, parseCvss, uniq } from './text.ts';

const s = (max: number) => z.string().min(1).max(max);
const ids = z.array(s(1024)).max(100_000);

const helper = z.looseObject({ cpe: s(L.cpe).optional(), purl: s(L.purl).optional() });
const fullProductName = z.looseObject({ name: s(L.text), product_id: s(1024), product_identification_helper: helper.optional() });
const BRANCH_CATEGORIES = ['architecture', 'host_name', 'language', 'legacy', 'patch_level', 'product_family', 'product_name', 'product_version', 'product_version_range', 'service_pack', 'specification', 'vendor'] as const;
interface Branch {
  category: (typeof BRANCH_CATEGORIES)[number];
  name: string;
  branches?: Branch[];
  product?: z.infer<typeof fullProductName>;
}
const branch: z.ZodType<Branch> = z.lazy(() =>
  z.looseObject({ category: z.enum(BRANCH_CATEGORIES), name: s(L.text), branches: z.array(branch).min(1).max(100_000).optional(), product: fullProductName.optional() }),
);
const note = z.looseObject({ category: s(64), text: z.string().max(1_000_000), title: z.string().max(L.text).optional() });
const reference = z.looseObject({ url: s(L.url), summary: z.string().max(L.text), category: s(32).optional() });

export const csafSchema = z.looseObject({
  document: z.looseObject({
    category: s(256),
    csaf_version: z.literal('2.0', { message: 'must be "2.0"' }),
    title: s(L.text),
    publisher: z.looseObject({ category: s(64), name: s(1024), namespace: s(L.url) }),
    tracking: z.looseObject({
      id: s(1024),
      current_release_date: s(64),
      initial_release_date: s(64),
      revision_history: z.array(z.unknown()).min(1).max(10_000),
      status: z.enum(['draft', 'final', 'interim']),
      version: s(64),
    }),
    notes: z.array(note).max(1000).optional(),
    references: z.array(reference).max(10_000).optional(),
  }),
  product_tree: z
    .looseObject({
      branches: z.array(branch).max(100_000).optional(),
      full_product_names: z.array(fullProductName).max(100_000).optional(),
      relationships: z
        .array(z.looseObject({ category: s(64), full_product_name: fullProductName, product_reference: s(1024), relates_to_product_reference: s(1024) }))
        .max(100_000)
        .optional(),
    })
    .optional(),
  vulnerabilities: z
    .array(
      z.looseObject({
        cve: z.string().regex(/^CVE-[0-9]{4}-[0-9]{4,}$/, 'must be a CVE identifier').optional(),
        cwe: z.looseObject({ id: z.string().regex(/^CWE-[1-9]\d{0,5}$/, 'must be a CWE identifier'), name: s(L.text) }).optional(),
        ids: z.array(z.looseObject({ system_name: s(1024), text: s(1024) })).max(1000).optional(),
        title: z.string().max(L.text).optional(),
        notes: z.array(note).max(1000).optional(),
        references: z.array(reference).max(10_000).optional(),
        release_date: s(64).optional(),
        product_status: z
          .looseObject({
            first_affected: ids.optional(),
            first_fixed: ids.optional(),
            fixed: ids.optional(),
            known_affected: ids.optional(),
            known_not_affected: ids.optional(),
            last_affected: ids.optional(),
            recommended: ids.optional(),
            under_investigation: ids.optional(),
          })
          .optional(),
        scores: z
          .array(z.looseObject({ products: ids.min(1), cvss_v3: z.looseObject({ version: z.enum(['3.0', '3.1']), vectorString: s(512) }).optional(), cvss_v2: z.unknown().optional() }))
          .max(10_000)
          .optional(),
        flags: z.array(z.looseObject({ label: s(128), product_ids: ids.optional(), group_ids: ids.optional() })).max(10_000).optional(),
        threats: z.array(z.looseObject({ category: s(64), details: z.string().max(L.text), product_ids: ids.optional() })).max(10_000).optional(),
      }),
    )
    .max(100_000)
    .optional(),
});

interface ProductInfo {
  name: string;
  purl?: string;
  cpe?: string;
  version?: string;
  vers?: string;
  /** Identity without version: used to find the fixed version of an affected product. */
  family: string;
}

function productIndex(tree: z.infer<typeof csafSchema>['product_tree'], errors: IntakeError[]): Map<string, ProductInfo> {
  const index = new Map<string, ProductInfo>();
  const add = (p: z.infer<typeof fullProductName>, path: string, trail: { category: string; name: string }[]) => {
    const info: ProductInfo = { name: p.name, family: '' };
    for (const b of trail) {
      if (b.category === 'product_version') info.version = b.name;
      if (b.category === 'product_version_range' && b.name.startsWith('vers:')) info.vers = b.name;
    }
    const h = p.product_identification_helper;
    if (h?.purl) {
      try {
        const parts = splitPurl(h.purl);
        info.purl = parts.base;
        if (!info.version && parts.version) info.version = parts.version;
      } catch (e) {
        errors.push({ path: `${path}/product_identification_helper/purl`, message: `not a valid package-url: ${e instanceof Error ? e.message.slice(0, 200) : ''}` });
      }
    }
    if (h?.cpe) info.cpe = h.cpe;
    if (info.version) info.version = info.version.slice(0, L.version);
    const versionless = trail.filter((b) => !['product_version', 'product_version_range', 'architecture', 'patch_level', 'service_pack'].includes(b.category));
    // The product without its version, so versions and ranges stay in their own fields.
    if (versionless.length > 0 && trail.length > versionless.length) info.name = versionless.map((b) => b.name).join(' ');
    info.family =
      info.purl ??
      (info.cpe ? info.cpe.split(':').slice(0, 5).join(':').toLowerCase() : undefined) ??
      versionless.map((b) => b.name).join(' / ');
    if (!info.family) info.family = p.name;
    index.set(p.product_id, info);
  };
  const stack: { b: Branch; path: string; trail: { category: string; name: string }[] }[] = [];
  (tree?.branches ?? []).forEach((b, i) => stack.push({ b, path: `/product_tree/branches/${i}`, trail: [] }));
  while (stack.length > 0) {
    const { b, path, trail } = stack.pop()!;
    const here = [...trail, { category: b.category, name: b.name }];
    if (b.product) add(b.product, `${path}/product`, here);
    (b.branches ?? []).forEach((c, i) => stack.push({ b: c, path: `${path}/branches/${i}`, trail: here }));
  }
  (tree?.full_product_names ?? []).forEach((p, i) => add(p, `/product_tree/full_product_names/${i}`, []));
  (tree?.relationships ?? []).forEach((r, i) => {
    const path = `/product_tree/relationships/${i}/full_product_name`;
    const component = index.get(r.product_reference);
    add(r.full_product_name, path, []);
    const info = index.get(r.full_product_name.product_id)!;
    // "X as a component of Y": the package that is vulnerable is X, so its identity applies.
    if (component) {
      info.purl ??= component.purl;
      info.cpe ??= component.cpe;
      info.version ??= component.version;
      info.vers ??= component.vers;
      if (!r.full_product_name.product_identification_helper) info.family = `${component.family} @ ${r.relates_to_product_reference}`;
    }
  });
  return index;
}

const STATUS_OF: Record<string, AffectedStatus | undefined> = {
  first_affected: 'affected',
  known_affected: 'affected',
  last_affected: 'affected',
  under_investigation: 'under_investigation',
  known_not_affected: 'not_affected',
  fixed: 'fixed',
  first_fixed: 'fixed',
};
// Affected products first, then statements about the others.
const STATUS_ORDER = ['known_affected', 'first_affected', 'last_affected', 'under_investigation', 'fixed', 'first_fixed', 'known_not_affected'];
const DESCRIPTION_NOTES = ['description', 'summary', 'details', 'general'];

export function readCsaf(doc: unknown, maxCandidates: number, warnings: string[]): CandidateReport[] {
  const parsed = csafSchema.safeParse(doc);
  if (!parsed.success) reject('The CSAF document does not conform to CSAF 2.0.', zodErrors(parsed.error.issues));
  const d = parsed.data;
  const vulns = d.vulnerabilities ?? [];
  const docNotes = (d.document.notes ?? []).filter((n) => DESCRIPTION_NOTES.includes(n.category));
  const docRefs = (d.document.references ?? []).map((r) => r.url);
  if (vulns.length === 0) {
    // csaf_base and csaf_informational_advisory documents need not have vulnerabilities: the
    // document itself is the report, with no statement about products.
    warnings.push(`The CSAF document (${d.document.category}) has no vulnerabilities; imported as one report without affected products.`);
    const description = docNotes.map((n) => n.text.trim()).filter(Boolean).join('\n\n');
    return [
      {
        source: 'csaf',
        title: clip(d.document.title, L.title, '/document/title', warnings),
        description: clip(description || d.document.title, L.description, '/document/notes', warnings),
        affected: [],
        fingerprints: { csaf: `${d.document.publisher.namespace}#${d.document.tracking.id}`.slice(0, L.fingerprintValue) },
        references: capList(uniq(docRefs.filter(isUrlish)), L.references, '/document/references', warnings),
        ids: [],
        published: d.document.tracking.initial_release_date.slice(0, 64),
      },
    ];
  }
  if (vulns.length > maxCandidates) {
    reject('The CSAF document has too many vulnerabilities.', { path: '/vulnerabilities', message: `${vulns.length} vulnerabilities; the limit (maxCandidates) is ${maxCandidates}.` });
  }
  const errors: IntakeError[] = [];
  const products = productIndex(d.product_tree, errors);
  const out = vulns.map((v, i): CandidateReport => {
    const at = `/vulnerabilities/${i}`;
    const justification = new Map<string, string>();
    for (const f of v.flags ?? []) for (const id of f.product_ids ?? []) justification.set(id, f.label);
    const byStatus: { id: string; status: AffectedStatus; path: string }[] = [];
    const ps = (v.product_status ?? {}) as Record<string, unknown>;
    for (const key of STATUS_ORDER) {
      const list = ps[key];
      const status = STATUS_OF[key];
      if (!status || !Array.isArray(list)) continue;
      list.forEach((id, j) => {
        if (!products.has(id as string)) errors.push({ path: `${at}/product_status/${key}/${j}`, message: `product "${String(id).slice(0, 100)}" is not defined in the product tree` });
        else byStatus.push({ id: id as string, status, path: `${at}/product_status/${key}/${j}` });
      });
    }
    const fixedByFamily = new Map<string, string[]>();
    for (const p of byStatus) {
      const info = products.get(p.id)!;
      if (p.status === 'fixed' && info.version) fixedByFamily.set(info.family, [...(fixedByFamily.get(info.family) ?? []), info.version]);
    }
    const affected: AffectedProduct[] = [];
    for (const p of byStatus) {
      const info = products.get(p.id)!;
      const a: AffectedProduct = { name: info.name.slice(0, L.name) };
      if (info.purl) {
        a.purl = info.purl;
        const type = info.purl.slice(4, info.purl.indexOf('/'));
        if (ECOSYSTEM_OF_PURL_TYPE[type]) a.ecosystem = ECOSYSTEM_OF_PURL_TYPE[type];
      }
      if (info.cpe) a.cpe = info.cpe;
      if (info.version) a.versions = [info.version.slice(0, L.version)];
      if (info.vers) a.vers = info.vers;
      if (p.status !== 'affected') a.status = p.status;
      const fixed = fixedByFamily.get(info.family);
      if (fixed && p.status !== 'fixed') a.fixedVersions = uniq(fixed);
      const why = justification.get(p.id);
      if (why && p.status === 'not_affected') a.justification = why;
      affected.push(a);
    }
    const cvss: CvssVector[] = [];
    (v.scores ?? []).forEach((sc, j) => {
      if (!sc.cvss_v3) return;
      const c = parseCvss(sc.cvss_v3.vectorString);
      if (c) cvss.push(c);
      else errors.push({ path: `${at}/scores/${j}/cvss_v3/vectorString`, message: 'not a valid CVSS v3 vector' });
    });
    const notes = (v.notes ?? []).filter((n) => DESCRIPTION_NOTES.includes(n.category));
    const description = (notes.length > 0 ? notes : docNotes).map((n) => n.text.trim()).filter(Boolean).join('\n\n');
    const title = v.title?.trim() || (v.cve ? `${v.cve}: ${d.document.title}` : d.document.title);
    const idList = uniq([...(v.cve ? [v.cve] : []), ...(v.ids ?? []).map((x) => x.text.slice(0, L.id))]);
    const c: CandidateReport = {
      source: 'csaf',
      title: clip(title, L.title, `${at}/title`, warnings),
      description: clip(description || title, L.description, `${at}/notes`, warnings),
      affected,
      fingerprints: { csaf: `${d.document.publisher.namespace}#${d.document.tracking.id}#${v.cve ?? v.ids?.[0]?.text ?? i}`.slice(0, L.fingerprintValue) },
      references: capList(uniq([...(v.references ?? []).map((r) => r.url), ...docRefs].filter(isUrlish)), L.references, `${at}/references`, warnings),
      ids: capList(idList, L.ids, `${at}/ids`, warnings),
      published: (v.release_date ?? d.document.tracking.initial_release_date).slice(0, 64),
    };
    const cwe = v.cwe ? normaliseCwe(v.cwe.id) : undefined;
    if (cwe) c.cwe = [cwe];
    if (cvss.length > 0) c.cvss = capList(uniq(cvss.map((x) => x.vector)).map((vec) => cvss.find((x) => x.vector === vec)!), L.cvss, `${at}/scores`, warnings);
    if (affected.length > L.affected) errors.push({ path: `${at}/product_status`, message: `${affected.length} products; the limit is ${L.affected} per vulnerability.` });
    return c;
  });
  if (errors.length > 0) reject('The CSAF document is inconsistent.', errors);
  return out;
}
