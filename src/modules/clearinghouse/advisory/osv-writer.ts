// OSV (https://ossf.github.io/osv-schema/) records for an advisory: one record per vulnerability,
// because OSV identifies a vulnerability, not a bulletin. Pure.
//
// Identifier: the OSV schema accepts only registered home-database prefixes or the `x_` prefix for
// unregistered ones. Until "FWN" is registered, records are named `x_FWN-2026-0001` (and
// `x_FWN-2026-0002-V1` for each vulnerability of a multi-vulnerability advisory); `idPrefix: ''`
// switches to the bare identifier once it is. The advisory id is always in database_specific.
import { PackageURL } from 'packageurl-js';
import { scoreCvss } from '../../../lib/cvss/cvss.ts';
import { parseAdvisory, type Advisory, type AdvisoryInput, type AdvisoryProduct } from './model.ts';

export const OSV_SCHEMA_VERSION = '1.6.0';

interface Ecosystem {
  ecosystem: string;
  rangeType: 'SEMVER' | 'ECOSYSTEM';
  name: (p: PackageURL) => string;
  version?: (v: string) => string;
}
const joined = (sep: string) => (p: PackageURL) => (p.namespace ? `${p.namespace}${sep}${p.name}` : p.name);

/** purl type → OSV ecosystem, package naming and range type (SEMVER where the ecosystem is semver). */
export const ECOSYSTEMS: Readonly<Record<string, Ecosystem>> = {
  npm: { ecosystem: 'npm', rangeType: 'SEMVER', name: joined('/') },
  pypi: { ecosystem: 'PyPI', rangeType: 'ECOSYSTEM', name: (p) => p.name.toLowerCase().replace(/[-_.]+/g, '-') },
  maven: { ecosystem: 'Maven', rangeType: 'ECOSYSTEM', name: joined(':') },
  golang: { ecosystem: 'Go', rangeType: 'SEMVER', name: joined('/'), version: (v) => v.replace(/^v/, '') },
  cargo: { ecosystem: 'crates.io', rangeType: 'SEMVER', name: (p) => p.name },
  gem: { ecosystem: 'RubyGems', rangeType: 'ECOSYSTEM', name: (p) => p.name },
  nuget: { ecosystem: 'NuGet', rangeType: 'ECOSYSTEM', name: (p) => p.name },
  composer: { ecosystem: 'Packagist', rangeType: 'ECOSYSTEM', name: joined('/') },
  hex: { ecosystem: 'Hex', rangeType: 'SEMVER', name: (p) => p.name },
  pub: { ecosystem: 'Pub', rangeType: 'SEMVER', name: (p) => p.name },
  swift: { ecosystem: 'SwiftURL', rangeType: 'SEMVER', name: joined('/') },
  cran: { ecosystem: 'CRAN', rangeType: 'ECOSYSTEM', name: (p) => p.name },
  hackage: { ecosystem: 'Hackage', rangeType: 'ECOSYSTEM', name: (p) => p.name },
  conan: { ecosystem: 'ConanCenter', rangeType: 'ECOSYSTEM', name: (p) => p.name },
};

export interface OsvRecord {
  schema_version: string;
  id: string;
  modified: string;
  published: string;
  aliases?: string[];
  related?: string[];
  summary: string;
  details: string;
  severity?: { type: 'CVSS_V3' | 'CVSS_V4'; score: string }[];
  affected: {
    package: { ecosystem: string; name: string; purl: string };
    ranges?: { type: 'SEMVER' | 'ECOSYSTEM'; events: Record<string, string>[] }[];
    versions?: string[];
    database_specific?: Record<string, unknown>;
  }[];
  references?: { type: string; url: string }[];
  credits?: { name: string; type?: string }[];
  database_specific: Record<string, unknown>;
}

/** OSV timestamps are UTC with a Z suffix. */
const utc = (iso: string) => new Date(iso).toISOString();

function affectedEntry(p: AdvisoryProduct): OsvRecord['affected'][number] | undefined {
  if (!p.purl) return undefined;
  const purl = PackageURL.fromString(p.purl);
  const eco = ECOSYSTEMS[purl.type];
  if (!eco) return undefined;
  const v = eco.version ?? ((x: string) => x);
  const pkg = { ecosystem: eco.ecosystem, name: eco.name(purl), purl: p.purl };
  if (p.version !== undefined) return { package: pkg, versions: [v(p.version)], database_specific: { product: `${p.vendor} ${p.name}` } };
  const r = p.range as NonNullable<AdvisoryProduct['range']>;
  const events: Record<string, string>[] = [{ introduced: r.introduced === '0' ? '0' : v(r.introduced) }];
  if (r.fixed) events.push({ fixed: v(r.fixed) });
  if (r.lastAffected) events.push({ last_affected: v(r.lastAffected) });
  return { package: pkg, ranges: [{ type: eco.rangeType, events }], database_specific: { product: `${p.vendor} ${p.name}` } };
}

/** OSV records for an advisory. Products without a package URL of an OSV ecosystem are listed in database_specific. */
export function writeOsv(input: AdvisoryInput, opts: { idPrefix?: string } = {}): OsvRecord[] {
  const a: Advisory = parseAdvisory(input);
  const prefix = opts.idPrefix ?? 'x_';
  const single = a.vulnerabilities.length === 1;
  const idOf = (key: string) => (single ? `${prefix}${a.id}` : `${prefix}${a.id}-${key}`);
  const byId = new Map(a.products.map((p) => [p.id, p]));
  const published = utc(a.revisions[0].date);
  const modified = utc(a.revisions[a.revisions.length - 1].date);

  return a.vulnerabilities.map((v) => {
    const affectedProducts = v.statuses.filter((s) => s.status === 'known_affected').map((s) => byId.get(s.productId) as AdvisoryProduct);
    const affected: OsvRecord['affected'] = [];
    const unmapped: string[] = [];
    for (const p of affectedProducts) {
      const e = affectedEntry(p);
      if (e) affected.push(e);
      else unmapped.push(`${p.vendor} ${p.name} ${p.version ?? ''}`.trim());
    }
    const scores = v.cvss.map(scoreCvss);
    const severity = scores.map((s) => ({ type: s.version === '3.1' ? ('CVSS_V3' as const) : ('CVSS_V4' as const), score: s.vector }));
    const references = [
      ...(a.selfUrl ? [{ type: 'ADVISORY', url: a.selfUrl }] : []),
      ...a.references.map((r) => ({ type: 'ADVISORY', url: r.url })),
      ...v.references.map((r) => ({ type: 'WEB', url: r.url })),
      ...v.remediations.filter((r) => r.url).map((r) => ({ type: 'FIX', url: r.url as string })),
    ].filter((r, i, all) => all.findIndex((x) => x.url === r.url) === i);
    const credits = [
      ...v.acknowledgments.flatMap((ack) => [
        ...(ack.names ?? []).map((name) => ({ name, type: 'FINDER' })),
        ...(ack.organization ? [{ name: ack.organization, type: 'REPORTER' }] : []),
      ]),
      { name: a.publisher.name, type: 'COORDINATOR' },
    ];
    const fixes = v.remediations.filter((r) => r.category !== 'none_available').map((r) => r.details);
    const details = [v.description, ...(fixes.length > 0 ? ['Remediation:', ...fixes.map((f) => `- ${f}`)] : [])].join('\n\n');
    const worst = scores.reduce<string | undefined>((w, s) => (w === undefined || ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(s.scoreSeverity) > ['NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].indexOf(w) ? s.scoreSeverity : w), undefined);
    const record: OsvRecord = {
      schema_version: OSV_SCHEMA_VERSION,
      id: idOf(v.key),
      modified,
      published,
      ...(v.cve ? { aliases: [v.cve] } : {}),
      ...(single ? {} : { related: a.vulnerabilities.filter((o) => o.key !== v.key).map((o) => idOf(o.key)) }),
      summary: v.title,
      details,
      ...(severity.length > 0 ? { severity } : {}),
      affected,
      ...(references.length > 0 ? { references } : {}),
      credits,
      database_specific: {
        forewarn_id: a.id,
        vulnerability: v.key,
        tlp: a.tlp,
        status: a.status,
        ...(v.cwe ? { cwe_ids: [v.cwe.id] } : {}),
        ...(worst ? { severity: worst } : {}),
        ...(unmapped.length > 0 ? { products_without_ecosystem: unmapped } : {}),
      },
    };
    return record;
  });
}
