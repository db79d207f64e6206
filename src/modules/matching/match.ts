// Exact matching of inventory components against advisories. A component is a package-url (and
// version) or, failing that, a CPE; an advisory names packages by OSV ecosystem and name (or
// purl) with ranges and version lists, or by an exact CPE. Identity is exact: names are normalised
// only where the ecosystem itself treats spellings as the same package (PyPI per PEP 503, npm,
// NuGet and Composer case-insensitively, crates.io with "-" = "_"); Go module paths, Maven
// coordinates and RubyGems names are case-sensitive. There is no fuzzy or vendor/product CPE
// guessing for package components. Pure.
import { ECOSYSTEMS, ecosystemByOsvName, ecosystemByPurlType } from './ecosystems.ts';
import { parsePurl, tryParsePurl, type PackageUrl } from './purl.ts';
import { evaluateAffected, type OsvAffected, type RangeVerdict } from './ranges.ts';
import type { VersionScheme } from './versions/util.ts';

export interface Component {
  /** A package-url; its version is used unless `version` is given. */
  purl?: string | PackageUrl | null;
  version?: string | null;
  /** CPE 2.3 formatted string or CPE 2.2 URI, for components without a purl. */
  cpe?: string | null;
}

/** An advisory's affected entry: OSV-shaped, or keyed by an exact CPE. */
export interface AdvisoryEntry extends OsvAffected {
  cpe?: string;
}

export type MatchVerdict =
  | { status: 'affected'; entryIndex: number; by: 'versions' | 'range' | 'cpe'; fixedIn: string | null }
  | { status: 'not_affected' }
  | { status: 'unknown'; entryIndex: number; reason: string };

// ---------------------------------------------------------------------------------------------
// Package identity

/** OSV distribution ecosystems and the purl namespace that names the same distribution. */
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
const NAMESPACE_DISTRO = new Map(Object.entries(DISTRO_NAMESPACE).map(([k, v]) => [v, k]));

/** PEP 503 normalised project name. */
export function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function normaliseName(osvEcosystem: string, name: string): string {
  switch (osvEcosystem) {
    case 'PyPI':
      return pep503(name);
    case 'npm':
    case 'NuGet':
    case 'Packagist':
    case 'Debian':
    case 'Ubuntu':
    case 'Alpine':
      return name.toLowerCase();
    case 'crates.io':
      return name.toLowerCase().replace(/_/g, '-');
    default:
      return name;
  }
}

/**
 * The identity key of an OSV package (ecosystem + name), equal to the key of any purl naming the
 * same package; null for an ecosystem without a known purl mapping.
 */
export function identityOfOsvPackage(ecosystem: string, name: string): string | null {
  const eco = ecosystemByOsvName(ecosystem);
  if (!eco || typeof name !== 'string' || name === '') return null;
  const base = eco.osv;
  const distro = DISTRO_NAMESPACE[base];
  const n = normaliseName(base, name);
  return distro ? `${eco.purlType}/${distro}/${n}` : `${eco.purlType}/${n}`;
}

/** The OSV ecosystem and package name a purl denotes, or null when it has no OSV ecosystem. */
export function osvPackageOfPurl(p: PackageUrl): { ecosystem: string; name: string } | null {
  if (p.type === 'deb' || p.type === 'apk' || p.type === 'rpm') {
    const distro = p.namespace ? NAMESPACE_DISTRO.get(p.namespace.toLowerCase()) : undefined;
    return distro ? { ecosystem: distro, name: p.name } : null;
  }
  const eco = ecosystemByPurlType(p.type);
  if (!eco) return null;
  switch (eco.osv) {
    case 'Maven':
      return p.namespace ? { ecosystem: 'Maven', name: `${p.namespace}:${p.name}` } : null;
    case 'Go':
    case 'npm':
    case 'Packagist':
      return { ecosystem: eco.osv, name: p.namespace ? `${p.namespace}/${p.name}` : p.name };
    default:
      return { ecosystem: eco.osv, name: p.name };
  }
}

export function identityOfPurl(p: PackageUrl): string | null {
  const pkg = osvPackageOfPurl(p);
  return pkg ? identityOfOsvPackage(pkg.ecosystem, pkg.name) : null;
}

/** The version a purl carries, in the form its ecosystem's ordering expects (rpm epoch qualifier). */
export function purlVersion(p: PackageUrl): string | null {
  if (p.version === null) return null;
  const epoch = p.qualifiers?.epoch;
  if (p.type === 'rpm' && epoch && !p.version.includes(':')) return `${epoch}:${p.version}`;
  return p.version;
}

const entryIdentityCache = new WeakMap<AdvisoryEntry, string | null>();

/** The identity key of an advisory entry (by package, else by its purl), or null. */
export function identityOfEntry(entry: AdvisoryEntry): string | null {
  let id = entryIdentityCache.get(entry);
  if (id === undefined) entryIdentityCache.set(entry, (id = computeEntryIdentity(entry)));
  return id;
}

function computeEntryIdentity(entry: AdvisoryEntry): string | null {
  if (entry.package?.ecosystem && entry.package.name) {
    const id = identityOfOsvPackage(entry.package.ecosystem, entry.package.name);
    if (id) return id;
  }
  const purl = entry.package?.purl ? tryParsePurl(entry.package.purl, { lenient: true }) : null;
  return purl ? identityOfPurl(purl) : null;
}

const entryEcosystemCache = new WeakMap<AdvisoryEntry, string | null>();

function entryEcosystem(entry: AdvisoryEntry): string | null {
  let eco = entryEcosystemCache.get(entry);
  if (eco === undefined) entryEcosystemCache.set(entry, (eco = computeEntryEcosystem(entry)));
  return eco;
}

function computeEntryEcosystem(entry: AdvisoryEntry): string | null {
  if (entry.package?.ecosystem && ecosystemByOsvName(entry.package.ecosystem)) return entry.package.ecosystem;
  const purl = entry.package?.purl ? tryParsePurl(entry.package.purl, { lenient: true }) : null;
  return purl ? (osvPackageOfPurl(purl)?.ecosystem ?? null) : null;
}

// ---------------------------------------------------------------------------------------------
// CPE

export interface Cpe {
  part: string;
  vendor: string;
  product: string;
  version: string;
}

function unescapeCpe(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** Reads a CPE 2.3 formatted string or a CPE 2.2 URI (the fields matching uses), or null. */
export function parseCpe(input: string): Cpe | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (/^cpe:2\.3:/i.test(s)) {
    const fields = s.slice(8).split(/(?<!\\):/);
    if (fields.length !== 11) return null;
    const [part, vendor, product, version] = fields.map((f) => unescapeCpe(f).toLowerCase());
    if (!/^[aho*]$/.test(part!) || !vendor || !product) return null;
    return { part: part!, vendor, product, version: version ?? '*' };
  }
  if (/^cpe:\/[aho]?:/i.test(s)) {
    const fields = s.slice(5).split(':').map((f) => decodeURIComponent(f).toLowerCase());
    const [part, vendor, product, version] = fields;
    if (!vendor || !product) return null;
    return { part: part || '*', vendor, product, version: version || '*' };
  }
  return null;
}

function cpeMatches(component: Cpe, version: string | null, entry: AdvisoryEntry): boolean {
  const e = parseCpe(entry.cpe ?? '');
  if (!e) return false;
  if (e.vendor !== component.vendor || e.product !== component.product) return false;
  if (e.part !== '*' && component.part !== '*' && e.part !== component.part) return false;
  const v = version ?? component.version;
  if (v === '*' || v === '-' || v === '') return false;
  if (e.version !== '*' && e.version !== '-') return e.version === v.toLowerCase();
  // An entry for every version of the product names them in `versions`.
  return (entry.versions ?? []).some((x) => x.toLowerCase() === v.toLowerCase());
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface ResolvedComponent {
  identity: string | null;
  ecosystem: string | null;
  version: string | null;
  cpe: Cpe | null;
  /** The version parsed by each ordering it has met, so it is parsed once per component. */
  parsed: Map<VersionScheme, unknown>;
}

/** Normalises a component once (purl parsed, identity computed) for matching many advisories. */
export function resolveComponent(c: Component): ResolvedComponent {
  const purl = typeof c.purl === 'string' ? parsePurl(c.purl, { lenient: true }) : (c.purl ?? null);
  if (purl) {
    const pkg = osvPackageOfPurl(purl);
    return {
      identity: identityOfPurl(purl),
      ecosystem: pkg?.ecosystem ?? null,
      version: c.version ?? purlVersion(purl),
      cpe: null,
      parsed: new Map(),
    };
  }
  return { identity: null, ecosystem: null, version: c.version ?? null, cpe: c.cpe ? parseCpe(c.cpe) : null, parsed: new Map() };
}

function verdictOf(v: RangeVerdict, i: number): MatchVerdict | null {
  if (v.status === 'affected') return { status: 'affected', entryIndex: i, by: v.by, fixedIn: v.fixedIn };
  if (v.status === 'unknown') return { status: 'unknown', entryIndex: i, reason: v.reason };
  return null;
}

/**
 * Whether a component is affected by an advisory's entries. "unknown" when the package is the
 * same but its version cannot be placed (no version, or a version or range the ecosystem's
 * ordering cannot read); such a component is reported for review, never silently dropped.
 */
export function matchComponent(component: Component | ResolvedComponent, entries: AdvisoryEntry[]): MatchVerdict {
  const c = 'identity' in component ? component : resolveComponent(component);
  let unknown: MatchVerdict | null = null;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (c.cpe) {
      if (entry.cpe && cpeMatches(c.cpe, c.version, entry)) return { status: 'affected', entryIndex: i, by: 'cpe', fixedIn: null };
      continue;
    }
    if (!c.identity || entry.cpe || identityOfEntry(entry) !== c.identity) continue;
    if (c.version === null || c.version === '') {
      unknown ??= { status: 'unknown', entryIndex: i, reason: 'the component has no version' };
      continue;
    }
    const verdict = verdictOf(evaluateAffected(entryEcosystem(entry) ?? c.ecosystem ?? '', c.version, entry, c.parsed), i);
    if (verdict?.status === 'affected') return verdict;
    if (verdict) unknown ??= verdict;
  }
  return unknown ?? { status: 'not_affected' };
}

// ---------------------------------------------------------------------------------------------
// Index: advisories by package identity, so a component meets only the advisories for its package.

export interface IndexedAdvisory<A> {
  advisory: A;
  /** The advisory's entries for one package identity (or one CPE vendor:product). */
  entries: AdvisoryEntry[];
  /** Their positions in the advisory's own list. */
  positions: number[];
}

export interface AdvisoryIndex<A> {
  byIdentity: Map<string, IndexedAdvisory<A>[]>;
  byCpe: Map<string, IndexedAdvisory<A>[]>;
}

function addTo<A>(map: Map<string, IndexedAdvisory<A>[]>, key: string, advisory: A, entry: AdvisoryEntry, position: number) {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  const last = list[list.length - 1];
  if (last && last.advisory === advisory) {
    last.entries.push(entry);
    last.positions.push(position);
  } else list.push({ advisory, entries: [entry], positions: [position] });
}

export function buildAdvisoryIndex<A>(advisories: Iterable<A>, entriesOf: (a: A) => AdvisoryEntry[]): AdvisoryIndex<A> {
  const index: AdvisoryIndex<A> = { byIdentity: new Map(), byCpe: new Map() };
  for (const advisory of advisories) {
    entriesOf(advisory).forEach((entry, position) => {
      const cpe = entry.cpe ? parseCpe(entry.cpe) : null;
      if (cpe) addTo(index.byCpe, `${cpe.vendor}:${cpe.product}`, advisory, entry, position);
      else {
        const id = identityOfEntry(entry);
        if (id) addTo(index.byIdentity, id, advisory, entry, position);
      }
    });
  }
  return index;
}

export interface IndexedMatch<A> {
  advisory: A;
  verdict: MatchVerdict & { status: 'affected' | 'unknown' };
}

/** The advisories (affected or unknown) for one component, looked up by its identity. */
export function matchAgainstIndex<A>(index: AdvisoryIndex<A>, component: Component | ResolvedComponent): IndexedMatch<A>[] {
  const c = 'identity' in component ? component : resolveComponent(component);
  const candidates = c.cpe ? index.byCpe.get(`${c.cpe.vendor}:${c.cpe.product}`) : c.identity ? index.byIdentity.get(c.identity) : undefined;
  if (!candidates) return [];
  const out: IndexedMatch<A>[] = [];
  for (const { advisory, entries, positions } of candidates) {
    const verdict = matchComponent(c, entries);
    if (verdict.status !== 'not_affected') out.push({ advisory, verdict: { ...verdict, entryIndex: positions[verdict.entryIndex]! } });
  }
  return out;
}

/**
 * A matcher over an index that evaluates each distinct (package, version) once: inventories share
 * most of their component versions, so an estate of many inventories costs roughly its distinct
 * versions, not its components. The memo holds at most `maxEntries` results (oldest evicted).
 */
export function createMatcher<A>(index: AdvisoryIndex<A>, maxEntries = 1_000_000) {
  const memo = new Map<string, IndexedMatch<A>[]>();
  // The same purl text always resolves to the same package and version.
  const byText = new Map<string, IndexedMatch<A>[]>();
  const remember = <K, V>(map: Map<K, V>, key: K, value: V) => {
    if (map.size >= maxEntries) map.delete(map.keys().next().value!);
    map.set(key, value);
  };
  return {
    match(component: Component | ResolvedComponent): IndexedMatch<A>[] {
      if (!('identity' in component) && typeof component.purl === 'string' && !component.cpe) {
        const text = `${component.purl} ${component.version ?? ''}`;
        let result = byText.get(text);
        if (!result) remember(byText, text, (result = this.match(resolveComponent(component))));
        return result;
      }
      const c = 'identity' in component ? component : resolveComponent(component);
      if (c.cpe || c.identity === null) return matchAgainstIndex(index, c);
      if (!index.byIdentity.has(c.identity)) return [];
      const key = `${c.identity} ${c.version ?? ''}`;
      let result = memo.get(key);
      if (!result) remember(memo, key, (result = matchAgainstIndex(index, c)));
      return result;
    },
    /** Distinct (package, version) pairs evaluated so far. */
    get evaluated(): number {
      return memo.size;
    },
  };
}

/** The OSV ecosystems this module can order versions for. */
export const SUPPORTED_ECOSYSTEMS: readonly string[] = ECOSYSTEMS.map((e) => e.osv);
