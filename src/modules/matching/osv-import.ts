// Imported OSV records as advisories to match: each affected package named by its canonical
// versionless purl (the key inventories are indexed by). Public data: TLP:CLEAR. Pure.
import { ecosystemByOsvName } from './ecosystems.ts';
import { packageIdentity, purlFromComponents, tryParsePurl } from './purl.ts';
import type { OsvAdvisory } from './osv.ts';
import type { MatchableAdvisory, MatchableAffected } from './matching.types.ts';

/** purl namespaces of the OSV distribution ecosystems (purl-spec types deb, apk, rpm). */
const DISTRO_NAMESPACE: Record<string, string> = {
  Debian: 'debian',
  Ubuntu: 'ubuntu',
  Alpine: 'alpine',
  'Red Hat': 'redhat',
  'Rocky Linux': 'rocky',
  AlmaLinux: 'almalinux',
  openSUSE: 'opensuse',
  SUSE: 'suse',
  Mageia: 'mageia',
};

function splitLast(name: string, sep: string): { namespace: string | null; name: string } {
  const i = name.lastIndexOf(sep);
  return i > 0 ? { namespace: name.slice(0, i), name: name.slice(i + 1) } : { namespace: null, name };
}

/** The canonical versionless purl of an OSV package (ecosystem + name), or null when it has none. */
export function purlOfOsvPackage(ecosystem: string, name: string): string | null {
  const eco = ecosystemByOsvName(ecosystem);
  if (!eco || !name) return null;
  const distro = DISTRO_NAMESPACE[eco.osv];
  let parts: { namespace: string | null; name: string };
  if (distro) parts = { namespace: distro, name };
  else if (eco.osv === 'Maven') {
    const [group, artifact, ...rest] = name.split(':');
    if (!group || !artifact || rest.length > 0) return null;
    parts = { namespace: group, name: artifact };
  } else if (eco.osv === 'Go' || eco.osv === 'npm' || eco.osv === 'Packagist') parts = splitLast(name, '/');
  else parts = { namespace: null, name };
  try {
    return packageIdentity(purlFromComponents({ type: eco.purlType, namespace: parts.namespace, name: parts.name }));
  } catch {
    return null;
  }
}

/** The package key of an OSV affected entry: by ecosystem and name, else by its purl. */
export function packageOfAffected(a: OsvAdvisory['affected'][number]): string | null {
  if (a.package?.ecosystem && a.package.name) {
    const p = purlOfOsvPackage(a.package.ecosystem, a.package.name);
    if (p) return p;
  }
  const purl = a.package?.purl ? tryParsePurl(a.package.purl, { lenient: true }) : null;
  return purl ? packageIdentity(purl) : null;
}

export interface ImportedAdvisory {
  advisory: MatchableAdvisory;
  aliases: string[];
  modifiedAt: Date;
  /** Affected entries left aside: an ecosystem without a purl mapping, or no package. */
  skipped: number;
}

const MAX_TITLE = 500;

function date(s: string | null, what: string): Date | null {
  if (s === null) return null;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`${what} is not an RFC 3339 timestamp`);
  return d;
}

/** An OSV record as a matchable advisory. Throws (with the field) on an unreadable timestamp. */
export function advisoryFromOsv(osv: OsvAdvisory): ImportedAdvisory {
  const modifiedAt = date(osv.modified, 'modified')!;
  const publishedAt = date(osv.published, 'published') ?? modifiedAt;
  const affected: MatchableAffected[] = [];
  let skipped = 0;
  for (const a of osv.affected) {
    const pkg = packageOfAffected(a);
    if (!pkg || ((a.ranges ?? []).length === 0 && (a.versions ?? []).length === 0)) {
      skipped++;
      continue;
    }
    affected.push({ package: pkg, ranges: a.ranges ?? [], versions: a.versions ?? [] });
  }
  const title = (osv.summary ?? '').trim() || osv.aliases[0] || osv.id;
  return {
    advisory: {
      source: 'osv',
      externalId: osv.id,
      clearinghouseAdvisoryId: null,
      title: title.slice(0, MAX_TITLE),
      tlp: 'CLEAR',
      severity: null,
      affected,
      withdrawn: osv.withdrawn !== null,
      publishedAt,
    },
    aliases: osv.aliases.slice(0, 50),
    modifiedAt,
    skipped,
  };
}
