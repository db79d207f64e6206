// CSAF 2.0 writers: `writeCsafAdvisory` (profile csaf_security_advisory) and `writeCsafVex`
// (profile csaf_vex, from vendor statements). Pure. Each document is checked before it is returned
// with a bounded structural schema (csaf-structure.ts) and every CSAF 2.0 mandatory test
// (csaf-mandatory.ts); the official JSON schema is applied in the conformance tests.
//
// CSAF 2.0 constraints this writer works around, on purpose:
// - TLP: CSAF 2.0 knows TLP 1.0 labels only. CLEAR is written WHITE; AMBER+STRICT is written AMBER
//   with the restriction stated in document.distribution.text (see tlp.ts).
// - CVSS: CSAF 2.0 carries cvss_v2 and cvss_v3 only. A CVSS 4.0 vector goes into a vulnerability
//   note titled "CVSS v4.0" with its score and severity.
import { PackageURL } from 'packageurl-js';
import { scoreCvss } from '../../../lib/cvss/cvss.ts';
import { assertCsafDocument, type CsafDocument } from './csaf-structure.ts';
import {
  parseAdvisory,
  VendorStatementSchema,
  versionLabel,
  versOf,
  type Advisory,
  type AdvisoryInput,
  type AdvisoryProduct,
  type AdvisoryVulnerability,
  type VendorStatement,
} from './model.ts';
import { toCsafTlp } from './tlp.ts';

export const GENERATOR = { name: 'Forewarn', version: '1.0' };
const TLP_URL = 'https://www.first.org/tlp/';

type Json = Record<string, unknown>;

function purlAt(purl: string, version: string | undefined): string {
  if (version === undefined) return purl;
  const u = PackageURL.fromString(purl);
  return new PackageURL(u.type, u.namespace, u.name, version, u.qualifiers, u.subpath).toString();
}

function productName(p: AdvisoryProduct): string {
  return `${p.vendor} ${p.name} ${p.version ?? versOf(p)}`;
}

/** vendor → product_name → product_version | product_version_range, products grouped by vendor and name. */
function productTree(products: AdvisoryProduct[]): Json {
  const vendors = new Map<string, Map<string, AdvisoryProduct[]>>();
  for (const p of products) {
    const byName = vendors.get(p.vendor) ?? new Map<string, AdvisoryProduct[]>();
    byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
    vendors.set(p.vendor, byName);
  }
  return {
    branches: [...vendors].map(([vendor, byName]) => ({
      category: 'vendor',
      name: vendor,
      branches: [...byName].map(([name, versions]) => ({
        category: 'product_name',
        name,
        branches: versions.map((p) => {
          const helper = p.purl ? { product_identification_helper: { purl: purlAt(p.purl, p.version) } } : {};
          return {
            category: p.version !== undefined ? 'product_version' : 'product_version_range',
            name: p.version ?? (versOf(p) as string),
            product: { name: productName(p), product_id: p.id, ...helper },
          };
        }),
      })),
    })),
  };
}

function group<T, K>(items: T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const it of items) m.set(key(it), [...(m.get(key(it)) ?? []), it]);
  return m;
}

function vulnerability(v: AdvisoryVulnerability, advisoryId: string): Json {
  const byStatus = group(v.statuses, (s) => s.status);
  const productStatus: Json = {};
  for (const status of ['fixed', 'known_affected', 'known_not_affected', 'under_investigation'] as const) {
    const ids = (byStatus.get(status) ?? []).map((s) => s.productId);
    if (ids.length > 0) productStatus[status] = ids;
  }

  const notes: Json[] = [{ category: 'description', title: 'Description', text: v.description }];
  const scores: Json[] = [];
  const affected = (byStatus.get('known_affected') ?? []).map((s) => s.productId);
  for (const vector of v.cvss) {
    const r = scoreCvss(vector);
    if (r.version === '3.1') {
      if (affected.length > 0) scores.push({ products: affected, cvss_v3: { version: '3.1', vectorString: r.vector, baseScore: r.baseScore, baseSeverity: r.severity } });
      else notes.push({ category: 'other', title: 'CVSS v3.1', text: `${r.vector} (base score ${r.baseScore.toFixed(1)}, ${r.severity}); no product is known to be affected.` });
    } else {
      notes.push({
        category: 'other',
        title: 'CVSS v4.0',
        text: `${r.vector} (${r.nomenclature} score ${r.score.toFixed(1)}, ${r.scoreSeverity}). CSAF 2.0 has no field for CVSS v4.0, so the vector is given in this note.`,
      });
    }
  }

  // One flag per VEX justification, one impact threat per statement: consumers match products by id.
  const notAffected = byStatus.get('known_not_affected') ?? [];
  const flags = [...group(notAffected.filter((s) => s.justification), (s) => s.justification as string)].map(([label, ss]) => ({ label, product_ids: ss.map((s) => s.productId) }));
  const threats = [...group(notAffected.filter((s) => s.impactStatement), (s) => s.impactStatement as string)].map(([details, ss]) => ({ category: 'impact', details, product_ids: ss.map((s) => s.productId) }));

  const remediations = v.remediations.map((r) => ({
    category: r.category,
    details: r.fixedVersion && !r.details.includes(r.fixedVersion) ? `${r.details} Fixed in version ${r.fixedVersion}.` : r.details,
    product_ids: [...new Set(r.productIds)],
    ...(r.url ? { url: r.url } : {}),
    ...(r.date ? { date: r.date } : {}),
  }));

  return {
    ...(v.cve ? { cve: v.cve } : {}),
    ids: [{ system_name: 'Forewarn', text: `${advisoryId}/${v.key}` }],
    title: v.title,
    ...(v.cwe ? { cwe: v.cwe } : {}),
    notes,
    ...(v.discoveryDate ? { discovery_date: v.discoveryDate } : {}),
    ...(v.releaseDate ? { release_date: v.releaseDate } : {}),
    product_status: productStatus,
    ...(scores.length > 0 ? { scores } : {}),
    ...(flags.length > 0 ? { flags } : {}),
    ...(threats.length > 0 ? { threats } : {}),
    ...(remediations.length > 0 ? { remediations } : {}),
    ...(v.acknowledgments.length > 0 ? { acknowledgments: v.acknowledgments } : {}),
    ...(v.references.length > 0 ? { references: v.references.map((r) => ({ category: r.category ?? 'external', summary: r.summary, url: r.url })) } : {}),
  };
}

function highestSeverity(a: Advisory): string | undefined {
  const order = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  let best = -1;
  for (const v of a.vulnerabilities) for (const vector of v.cvss) best = Math.max(best, order.indexOf(scoreCvss(vector).scoreSeverity));
  return best >= 0 ? order[best] : undefined;
}

/**
 * A vendor_fix remediation with a fixed version puts that version into the product tree with the
 * status fixed, unless the advisory already lists it; consumers then find the version to move to.
 */
function withFixedVersions(a: Advisory): Advisory {
  const products = [...a.products];
  const byId = new Map(products.map((p) => [p.id, p]));
  const vulnerabilities = a.vulnerabilities.map((v) => {
    const statuses = [...v.statuses];
    for (const r of v.remediations) {
      if (!r.fixedVersion) continue;
      for (const pid of r.productIds) {
        const p = byId.get(pid) as AdvisoryProduct;
        if (p.version === r.fixedVersion) continue;
        let fixed = products.find((q) => q.vendor === p.vendor && q.name === p.name && q.version === r.fixedVersion);
        if (!fixed) {
          fixed = { id: `${p.id}-fixed`.slice(0, 64), vendor: p.vendor, name: p.name, purl: p.purl, version: r.fixedVersion };
          let n = 2;
          while (byId.has(fixed.id)) fixed = { ...fixed, id: `${p.id}-fixed-${n++}`.slice(0, 64) };
          products.push(fixed);
          byId.set(fixed.id, fixed);
        }
        if (!statuses.some((s) => s.productId === (fixed as AdvisoryProduct).id)) statuses.push({ productId: fixed.id, status: 'fixed' });
      }
    }
    return { ...v, statuses };
  });
  return { ...a, products, vulnerabilities };
}

function document(a: Advisory, category: 'csaf_security_advisory' | 'csaf_vex'): CsafDocument {
  const tlp = toCsafTlp(a.tlp);
  const first = a.revisions[0];
  const last = a.revisions[a.revisions.length - 1];
  const severity = highestSeverity(a);
  const references = [
    ...(a.selfUrl ? [{ category: 'self', summary: `Canonical CSAF document for ${a.id}`, url: a.selfUrl }] : []),
    ...a.references.map((r) => ({ category: r.category ?? 'external', summary: r.summary, url: r.url })),
  ];
  const doc: Json = {
    document: {
      category,
      csaf_version: '2.0',
      title: a.title,
      lang: a.lang,
      publisher: {
        category: 'coordinator',
        name: a.publisher.name,
        namespace: a.publisher.namespace,
        ...(a.publisher.contactDetails ? { contact_details: a.publisher.contactDetails } : {}),
        ...(a.publisher.issuingAuthority ? { issuing_authority: a.publisher.issuingAuthority } : {}),
      },
      distribution: {
        tlp: { label: tlp.label, url: TLP_URL },
        text: tlp.note ?? `TLP:${a.tlp} (TLP 2.0).`,
      },
      ...(severity ? { aggregate_severity: { text: severity } } : {}),
      notes: [{ category: 'summary', title: 'Summary', text: a.summary }, ...a.notes.map((n) => ({ category: n.category, title: n.title, text: n.text }))],
      ...(references.length > 0 ? { references } : {}),
      tracking: {
        id: a.id,
        status: a.status,
        version: String(last.number),
        revision_history: a.revisions.map((r) => ({ date: r.date, number: String(r.number), summary: r.summary })),
        initial_release_date: first.date,
        current_release_date: last.date,
        generator: { date: last.date, engine: GENERATOR },
      },
    },
    product_tree: productTree(a.products),
    vulnerabilities: a.vulnerabilities.map((v) => vulnerability(v, a.id)),
  };
  return assertCsafDocument(doc);
}

/** CSAF 2.0 csaf_security_advisory for an advisory; throws if the input or the output is not valid. */
export function writeCsafAdvisory(input: AdvisoryInput): CsafDocument {
  return document(withFixedVersions(parseAdvisory(input)), 'csaf_security_advisory');
}

const NO_ACTION_YET = 'No fix is available yet. Follow the vendor advisory and apply the fix once it is released.';

/**
 * CSAF 2.0 csaf_vex from the vendors' statements. The advisory gives the header, the products and
 * the vulnerabilities; its own statuses and remediations are replaced by what the statements say.
 * Per product and vulnerability the latest statement wins. A statement `fixed` with a fixed version
 * other than the product's own marks the product known_affected with a vendor_fix remediation and
 * adds the fixed version with status fixed; every affected product gets an action statement, as the
 * VEX profile requires (6.1.27.10).
 */
export function writeCsafVex(input: AdvisoryInput, statementsInput: readonly unknown[]): CsafDocument {
  const base = parseAdvisory(input);
  const statements = statementsInput.map((s) => VendorStatementSchema.parse(s));
  const productIds = new Set(base.products.map((p) => p.id));
  const latest = new Map<string, VendorStatement>();
  for (const s of [...statements].sort((x, y) => Date.parse(x.statedAt) - Date.parse(y.statedAt))) {
    if (!productIds.has(s.productId)) throw new Error(`statement about unknown product ${s.productId}`);
    if (!base.vulnerabilities.some((v) => v.key === s.vulnerabilityKey)) throw new Error(`statement about unknown vulnerability ${s.vulnerabilityKey}`);
    latest.set(`${s.vulnerabilityKey}\u0000${s.productId}`, s);
  }
  const byId = new Map(base.products.map((p) => [p.id, p]));
  const vulnerabilities = base.vulnerabilities
    .map((v) => {
      const mine = [...latest.values()].filter((s) => s.vulnerabilityKey === v.key);
      const statuses: AdvisoryVulnerability['statuses'] = [];
      const remediations: AdvisoryVulnerability['remediations'] = [];
      for (const s of mine) {
        const p = byId.get(s.productId) as AdvisoryProduct;
        switch (s.status) {
          case 'not_affected':
            statuses.push({ productId: s.productId, status: 'known_not_affected', justification: s.justification, impactStatement: s.impactStatement });
            break;
          case 'under_investigation':
            statuses.push({ productId: s.productId, status: 'under_investigation' });
            break;
          case 'affected':
            statuses.push({ productId: s.productId, status: 'known_affected' });
            remediations.push({ category: 'none_available', details: s.actionStatement ?? NO_ACTION_YET, productIds: [s.productId], ...(s.url ? { url: s.url } : {}) });
            break;
          case 'fixed':
            if (s.fixedVersion === undefined || s.fixedVersion === p.version) {
              statuses.push({ productId: s.productId, status: 'fixed' });
            } else {
              statuses.push({ productId: s.productId, status: 'known_affected' });
              remediations.push({
                category: 'vendor_fix',
                details: s.actionStatement ?? `Update ${p.name} to version ${s.fixedVersion} or later.`,
                productIds: [s.productId],
                fixedVersion: s.fixedVersion,
                ...(s.url ? { url: s.url } : {}),
              });
            }
            break;
        }
      }
      return { ...v, statuses, remediations };
    })
    .filter((v) => v.statuses.length > 0);
  if (vulnerabilities.length === 0) throw new Error('no vendor statement to publish');
  const fixedStatusesAdded = withFixedVersions({ ...base, vulnerabilities });
  // A fixed version added for one vulnerability is a product the others know nothing about: that is fine in CSAF.
  return document(fixedStatusesAdded, 'csaf_vex');
}
