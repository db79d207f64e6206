// From what the analyst wrote (plus the vulnerability's facts) to the advisory model, and from the
// model to every published form: CSAF 2.0 security advisory, CSAF VEX (vendor statements), OSV, the
// human-readable page and the matching index entry. Pure; the writers in ../advisory/ validate.
import { createHash } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import { ZodError } from 'zod';
import { scoreCvss } from '../../../lib/cvss/cvss.ts';
import { ValidationError } from '../../../lib/errors.ts';
import type { MatchableAdvisory, AdvisorySeverity } from '../../matching/matching.types.ts';
import type { VendorStatementForAdvisory } from '../coordination/coordination.service.ts';
import { advisoryPage, renderAdvisoryHtml, renderAdvisoryText } from '../advisory/advisory-page.ts';
import { CsafOutputError } from '../advisory/csaf-structure.ts';
import { writeCsafAdvisory, writeCsafVex } from '../advisory/csaf-writer.ts';
import { VEX_JUSTIFICATIONS, parseAdvisory, type Advisory, type AdvisoryInput, type AdvisoryProduct, type VendorStatement } from '../advisory/model.ts';
import { writeOsv } from '../advisory/osv-writer.ts';
import type { AdvisoryFieldsT } from './advisories.types.ts';

export const VULNERABILITY_KEY = 'V1';

export interface RevisionEntry {
  number: number;
  date: string;
  summary: string;
}

/** What the clearinghouse knows of the vulnerability (clearinghouse_vulnerabilities), used for defaults. */
export interface VulnerabilityFacts {
  cvss: readonly { version: string; vector: string }[];
  affected: readonly unknown[];
}

type AffectedLike = { purl?: string; name?: string; ranges?: { type?: string; events?: Record<string, string>[] }[]; versions?: string[]; status?: string };

const VERSION_OK = /^[^\s<>|]{1,100}$/;

function productKey(base: string, taken: Set<string>): string {
  const slug = base.replace(/[^A-Za-z0-9._:-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 56) || 'product';
  let id = slug;
  for (let n = 2; taken.has(id); n++) id = `${slug}-${n}`;
  taken.add(id);
  return id;
}

/** Products from the vulnerability's affected list: one per exact version and one per OSV range. */
export function productsFromAffected(affected: readonly unknown[]): AdvisoryProduct[] {
  const out: AdvisoryProduct[] = [];
  const taken = new Set<string>();
  for (const raw of affected as AffectedLike[]) {
    if (!raw?.purl || (raw.status && raw.status !== 'affected')) continue;
    let purl: PackageURL;
    try {
      purl = PackageURL.fromString(raw.purl);
    } catch {
      continue;
    }
    const bare = new PackageURL(purl.type, purl.namespace, purl.name, undefined, undefined, undefined).toString();
    const vendor = purl.namespace ? decodeURIComponent(purl.namespace).replace(/^@/, '') : purl.name;
    const base = { vendor, name: purl.name, purl: bare };
    for (const v of raw.versions ?? []) if (VERSION_OK.test(v)) out.push({ id: productKey(`${purl.name}-${v}`, taken), ...base, version: v });
    for (const r of raw.ranges ?? []) {
      if (r.type === 'GIT') continue;
      let introduced: string | undefined;
      for (const e of r.events ?? []) {
        if (e.introduced !== undefined) introduced = e.introduced;
        const end = e.fixed !== undefined ? { fixed: e.fixed } : e.last_affected !== undefined ? { lastAffected: e.last_affected } : undefined;
        if (end && introduced !== undefined) {
          const range = { introduced, ...end };
          if ([introduced, e.fixed ?? e.last_affected].every((x) => x && VERSION_OK.test(x))) out.push({ id: productKey(`${purl.name}-${introduced === '0' ? 'all' : introduced}`, taken), ...base, range });
          introduced = undefined;
        }
      }
      if (introduced !== undefined && VERSION_OK.test(introduced)) out.push({ id: productKey(`${purl.name}-${introduced === '0' ? 'all' : introduced}`, taken), ...base, range: { introduced } });
    }
  }
  return out.slice(0, 1000);
}

/** Fills what the analyst left out from the vulnerability: products, statuses, fixes and CVSS. */
export function withDefaults(fields: AdvisoryFieldsT, facts: VulnerabilityFacts): AdvisoryFieldsT {
  const products = fields.products ?? productsFromAffected(facts.affected);
  if (products.length === 0) throw new ValidationError('The advisory needs at least one product.', [{ path: '/products', message: 'the vulnerability names no product with a package URL; list the products' }]);
  const statuses = fields.statuses ?? products.map((p) => ({ productId: p.id, status: 'known_affected' as const }));
  const remediations =
    fields.remediations ??
    products
      .filter((p) => p.range?.fixed && statuses.some((s) => s.productId === p.id && s.status === 'known_affected'))
      .map((p) => ({ category: 'vendor_fix' as const, details: `Update ${p.name} to version ${p.range!.fixed} or later.`, productIds: [p.id], fixedVersion: p.range!.fixed }));
  const cvss =
    fields.cvss ??
    ['3.1', '4.0'].flatMap((v) => {
      const hit = facts.cvss.find((c) => c.version === v);
      return hit ? [hit.vector] : [];
    });
  return { ...fields, products, statuses, remediations, cvss };
}

export interface ModelOptions {
  trackingId: string;
  csafStatus: 'draft' | 'interim' | 'final';
  revisions: readonly RevisionEntry[];
  selfUrl?: string;
  withdrawal?: { reason: string; date: string };
}

/** The advisory model for the writers; fields must already carry their defaults. */
export function advisoryModel(fields: AdvisoryFieldsT, o: ModelOptions): AdvisoryInput {
  const first = o.revisions[0];
  const notes = [...(fields.notes ?? [])];
  if (o.withdrawal) notes.unshift({ category: 'general', title: 'Withdrawn', text: `This advisory was withdrawn on ${o.withdrawal.date}. ${o.withdrawal.reason}` });
  return {
    id: o.trackingId,
    title: o.withdrawal ? `WITHDRAWN: ${fields.title}`.slice(0, 300) : fields.title,
    status: o.csafStatus,
    tlp: fields.tlp,
    summary: fields.summary,
    revisions: o.revisions.map((r) => ({ ...r })),
    notes,
    references: fields.references ?? [],
    ...(o.selfUrl ? { selfUrl: o.selfUrl } : {}),
    products: fields.products ?? [],
    vulnerabilities: [
      {
        key: VULNERABILITY_KEY,
        title: fields.title,
        description: fields.description,
        ...(fields.cve ? { cve: fields.cve } : {}),
        ...(fields.cwe ? { cwe: fields.cwe } : {}),
        cvss: fields.cvss ?? [],
        ...(o.csafStatus !== 'draft' ? { releaseDate: first.date } : {}),
        statuses: fields.statuses ?? [],
        remediations: fields.remediations ?? [],
        acknowledgments: fields.acknowledgments ?? [],
      },
    ],
  };
}

/** Vendor statements (coordination) as the VEX writer reads them; statements about unlisted products are left out. */
export function vexStatements(a: Advisory, statements: readonly VendorStatementForAdvisory[], statedAt: string): VendorStatement[] {
  const out: VendorStatement[] = [];
  const bare = (purl: string) => {
    try {
      const u = PackageURL.fromString(purl);
      return new PackageURL(u.type, u.namespace, u.name, undefined, undefined, undefined).toString();
    } catch {
      return purl;
    }
  };
  for (const s of statements) {
    for (const p of a.products.filter((q) => q.purl && bare(q.purl) === bare(s.product))) {
      const justification = (VEX_JUSTIFICATIONS as readonly string[]).includes(s.justification ?? '') ? (s.justification as VendorStatement['justification']) : undefined;
      const base = { vulnerabilityKey: VULNERABILITY_KEY, productId: p.id, statedAt };
      if (s.status === 'not_affected') {
        out.push({ ...base, status: 'not_affected', ...(justification ? { justification } : { impactStatement: (s.justification ?? s.remediation ?? `${s.vendorName} states that this product is not affected.`).slice(0, 4000) }) });
      } else if (s.status === 'fixed') {
        const fixedVersion = s.fixedVersion && VERSION_OK.test(s.fixedVersion) ? s.fixedVersion : undefined;
        out.push({ ...base, status: 'fixed', ...(fixedVersion ? { fixedVersion } : {}), ...(s.remediation ? { actionStatement: s.remediation.slice(0, 4000) } : {}) });
      } else if (s.status === 'affected') {
        out.push({ ...base, status: 'affected', ...(s.remediation ? { actionStatement: s.remediation.slice(0, 4000) } : {}) });
      } else {
        out.push({ ...base, status: 'under_investigation' });
      }
    }
  }
  return out;
}

export interface RenderedDocuments {
  /** The exact bytes published (hashed and signed). */
  csaf: string;
  vex: string | null;
  osv: string;
  sha256: string;
  sha512: string;
  severity: AdvisorySeverity | null;
}

const SEVERITIES = ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

function severityOf(a: Advisory): AdvisorySeverity | null {
  let best = 0;
  for (const v of a.vulnerabilities) for (const vector of v.cvss) best = Math.max(best, SEVERITIES.indexOf(scoreCvss(vector).scoreSeverity));
  return best > 0 ? (SEVERITIES[best].toLowerCase() as AdvisorySeverity) : null;
}

/** A writer's refusal as a validation problem naming what failed; the analyst can fix the fields. */
export function asValidation<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ZodError) throw new ValidationError(`The ${what} is not valid.`, e.issues.slice(0, 50).map((i) => ({ path: `/${i.path.join('/')}`, message: i.message })));
    if (e instanceof CsafOutputError) throw new ValidationError(`The ${what} would not be a valid CSAF 2.0 document.`, e.problems.slice(0, 50).map((p) => ({ path: '', message: p })));
    throw e;
  }
}

export function renderDocuments(model: AdvisoryInput, statements: readonly VendorStatementForAdvisory[]): RenderedDocuments {
  const a = asValidation('advisory', () => parseAdvisory(model));
  const csafDoc = asValidation('advisory', () => writeCsafAdvisory(model));
  const last = a.revisions[a.revisions.length - 1];
  const vexInput = vexStatements(a, statements, last.date);
  const vex = vexInput.length > 0 ? JSON.stringify(asValidation('VEX document', () => writeCsafVex(model, vexInput)), null, 2) : null;
  const csaf = JSON.stringify(csafDoc, null, 2);
  const osv = JSON.stringify(asValidation('advisory', () => writeOsv(model)), null, 2);
  return {
    csaf,
    vex,
    osv,
    sha256: createHash('sha256').update(csaf).digest('hex'),
    sha512: createHash('sha512').update(csaf).digest('hex'),
    severity: severityOf(a),
  };
}

export function renderPage(model: AdvisoryInput, format: 'html' | 'text'): string {
  const page = advisoryPage(model);
  return format === 'html' ? renderAdvisoryHtml(page) : renderAdvisoryText(page);
}

/** The matching index entry: affected products with a package URL, as OSV ranges or exact versions. */
export function matchableOf(model: AdvisoryInput, ids: { advisoryId: string; publishedAt: Date; withdrawn: boolean }, severity: AdvisorySeverity | null): MatchableAdvisory {
  const a = parseAdvisory(model);
  const affectedIds = new Set(a.vulnerabilities.flatMap((v) => v.statuses.filter((s) => s.status === 'known_affected').map((s) => s.productId)));
  const byPackage = new Map<string, MatchableAdvisory['affected'][number]>();
  for (const p of a.products) {
    if (!p.purl || !affectedIds.has(p.id)) continue;
    const entry = byPackage.get(p.purl) ?? { package: p.purl, ranges: [], versions: [] };
    if (p.version !== undefined) entry.versions.push(p.version);
    else {
      const r = p.range!;
      entry.ranges.push({ type: 'ECOSYSTEM', events: [{ introduced: r.introduced }, ...(r.fixed ? [{ fixed: r.fixed }] : []), ...(r.lastAffected ? [{ last_affected: r.lastAffected }] : [])] });
    }
    byPackage.set(p.purl, entry);
  }
  return {
    source: 'clearinghouse',
    externalId: a.id,
    clearinghouseAdvisoryId: ids.advisoryId,
    title: a.title,
    tlp: a.tlp,
    severity,
    affected: [...byPackage.values()],
    withdrawn: ids.withdrawn,
    publishedAt: ids.publishedAt,
  };
}
