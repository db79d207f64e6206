// Affected-version ranges: OSV `affected[]` entries (SEMVER and ECOSYSTEM ranges with introduced /
// fixed / last_affected / limit events, explicit `versions` lists; GIT ranges name commits and do
// not order versions), `vers:` range specifiers (github.com/package-url/vers-spec) and CSAF 2.0
// `product_version_range` branches (vers, or the legacy "<=1.4" / ">=1.0|<=2.3" forms). Pure.
import { schemeFor } from './ecosystems.ts';
import { go } from './versions/go.ts';
import { semver } from './versions/semver.ts';
import { debianCompareFragment } from './versions/debian.ts';
import { InvalidVersionError, makeScheme, type VersionScheme } from './versions/util.ts';

// ---------------------------------------------------------------------------------------------
// OSV

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'SEMVER' | 'ECOSYSTEM' | 'GIT' | string;
  repo?: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
}

export type RangeVerdict =
  | { status: 'affected'; by: 'versions' | 'range'; rangeIndex?: number; fixedIn: string | null }
  | { status: 'not_affected' }
  /** The entry cannot be evaluated for this version (unknown ordering, invalid version). */
  | { status: 'unknown'; reason: string };

/** The ordering an OSV range uses: SEMVER ranges are always SemVer; ECOSYSTEM ones the ecosystem's. */
export function schemeForRange(ecosystem: string, rangeType: string): VersionScheme | null {
  // Go's ordering is SemVer that also reads toolchain spellings ("go1.21.3").
  if (rangeType === 'SEMVER') return schemeFor(ecosystem) === go ? go : semver;
  if (rangeType === 'ECOSYSTEM') return schemeFor(ecosystem);
  return null;
}

type Kind = 'introduced' | 'last_affected' | 'fixed' | 'limit';
interface FlatEvent {
  kind: Kind;
  version: string;
}
const KIND_ORDER: Record<Kind, number> = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 };

function flatten(events: OsvEvent[]): FlatEvent[] {
  const out: FlatEvent[] = [];
  for (const e of events ?? []) {
    for (const kind of ['introduced', 'fixed', 'last_affected', 'limit'] as Kind[]) {
      const v = e[kind];
      if (typeof v === 'string') out.push({ kind, version: v });
    }
  }
  return out;
}

const isZero = (e: FlatEvent) => e.kind === 'introduced' && e.version === '0';
const isStar = (e: FlatEvent) => e.kind === 'limit' && e.version === '*';

/** Events in version order ("introduced: 0" first, "limit: *" last), as the OSV algorithm requires. */
export function sortEvents(events: OsvEvent[], scheme: VersionScheme): FlatEvent[] {
  return flatten(events).sort((a, b) => {
    if (isZero(a) || isStar(b)) return isZero(b) || isStar(a) ? 0 : -1;
    if (isZero(b) || isStar(a)) return 1;
    return scheme.compare(a.version, b.version) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
}

/** A range with its events sorted and parsed once, for evaluating many versions. */
export interface CompiledRange {
  scheme: VersionScheme;
  events: Array<{ kind: Kind; version: string; parsed: unknown }>;
  limits: Array<unknown | '*'>;
}

export function compileRange(range: OsvRange, scheme: VersionScheme): CompiledRange {
  const events = sortEvents(range.events, scheme).map((e) => ({ ...e, parsed: isZero(e) || isStar(e) ? null : scheme.parse(e.version) }));
  for (const e of events) if (e.parsed === null && !isZero(e) && !isStar(e)) throw new InvalidVersionError(scheme.name, e.version);
  return { scheme, events, limits: events.filter((e) => e.kind === 'limit').map((e) => (isStar(e) ? '*' : e.parsed)) };
}

/** The OSV schema's evaluation algorithm over a compiled range and a parsed version. */
export function compiledIncludes(range: CompiledRange, parsedVersion: unknown): boolean {
  const cmp = (x: unknown) => range.scheme.compareParsed(parsedVersion, x);
  if (range.limits.length && !range.limits.some((l) => l === '*' || cmp(l) < 0)) return false;
  let affected = false;
  for (const e of range.events) {
    if (e.kind === 'introduced') {
      if (e.parsed === null || cmp(e.parsed) >= 0) affected = true;
    } else if (e.kind === 'fixed') {
      if (cmp(e.parsed) >= 0) affected = false;
    } else if (e.kind === 'last_affected') {
      if (cmp(e.parsed) > 0) affected = false;
    }
  }
  return affected;
}

/**
 * Whether one OSV range includes a version (the OSV schema's evaluation algorithm). Throws
 * InvalidVersionError when an event or the version cannot be ordered by the scheme.
 */
export function rangeIncludes(range: OsvRange | CompiledRange, version: string, scheme: VersionScheme): boolean {
  const compiled = 'scheme' in range ? range : compileRange(range, scheme);
  const parsed = compiled.scheme.parse(version);
  if (parsed === null) throw new InvalidVersionError(compiled.scheme.name, version);
  return compiledIncludes(compiled, parsed);
}

function compiledFixedAfter(range: CompiledRange, parsedVersion: unknown): string | null {
  for (const e of range.events) if (e.kind === 'fixed' && range.scheme.compareParsed(e.parsed, parsedVersion) > 0) return e.version;
  return null;
}

/** The lowest fixed version in the range above the given version, if the range names one. */
export function fixedAfter(range: OsvRange, version: string, scheme: VersionScheme): string | null {
  for (const e of sortEvents(range.events, scheme)) if (e.kind === 'fixed' && scheme.compare(e.version, version) > 0) return e.version;
  return null;
}

// Advisories are evaluated against many versions: each range is sorted and parsed once per scheme.
const compiledCache = new WeakMap<OsvRange, Map<VersionScheme, CompiledRange | string>>();

function compiledFor(range: OsvRange, scheme: VersionScheme): CompiledRange | string {
  let byScheme = compiledCache.get(range);
  if (!byScheme) compiledCache.set(range, (byScheme = new Map()));
  let compiled = byScheme.get(scheme);
  if (compiled === undefined) {
    const bad = flatten(range.events).find((e) => !isZero(e) && !isStar(e) && !scheme.isValid(e.version));
    compiled = bad ? `range event ${bad.kind} "${bad.version}" is not a valid ${scheme.name} version` : compileRange(range, scheme);
    byScheme.set(scheme, compiled);
  }
  return compiled;
}

const listedCache = new WeakMap<string[], Map<VersionScheme, unknown[]>>();

function listedParsed(listed: string[], scheme: VersionScheme): unknown[] {
  let byScheme = listedCache.get(listed);
  if (!byScheme) listedCache.set(listed, (byScheme = new Map()));
  let parsed = byScheme.get(scheme);
  if (!parsed) byScheme.set(scheme, (parsed = listed.map((v) => scheme.parse(v))));
  return parsed;
}

/**
 * Evaluates one OSV affected entry for a version of its package. Explicit `versions` are matched
 * exactly (and, where the ecosystem has an ordering, also by equality under it: "1.0" = "1.0.0"
 * for Maven). GIT ranges are ignored.
 */
export function evaluateAffected(
  ecosystem: string,
  version: string,
  affected: OsvAffected,
  /** Parsed forms of `version` by scheme, shared across calls for the same version. */
  parsedCache: Map<VersionScheme, unknown> = new Map(),
): RangeVerdict {
  const parseOnce = (scheme: VersionScheme): unknown => {
    if (!parsedCache.has(scheme)) parsedCache.set(scheme, scheme.parse(version));
    return parsedCache.get(scheme);
  };
  const ecoScheme = schemeFor(ecosystem);
  const listed = affected.versions ?? [];
  if (listed.includes(version)) return { status: 'affected', by: 'versions', fixedIn: null };
  if (ecoScheme && listed.length) {
    const mine = parseOnce(ecoScheme);
    if (mine !== null && listedParsed(listed, ecoScheme).some((x) => x !== null && ecoScheme.compareParsed(x, mine) === 0))
      return { status: 'affected', by: 'versions', fixedIn: null };
  }
  let unknown: string | null = null;
  const ranges = affected.ranges ?? [];
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i]!;
    if (range.type === 'GIT') continue;
    const scheme = schemeForRange(ecosystem, range.type);
    if (!scheme) {
      unknown = `no version ordering for ecosystem "${ecosystem}" (${range.type} range)`;
      continue;
    }
    const parsed = parseOnce(scheme);
    if (parsed === null) {
      unknown = `"${version}" is not a valid ${scheme.name} version`;
      continue;
    }
    const compiled = compiledFor(range, scheme);
    if (typeof compiled === 'string') {
      unknown = compiled;
      continue;
    }
    if (compiledIncludes(compiled, parsed)) return { status: 'affected', by: 'range', rangeIndex: i, fixedIn: compiledFixedAfter(compiled, parsed) };
  }
  return unknown ? { status: 'unknown', reason: unknown } : { status: 'not_affected' };
}

/**
 * `isAffected(ecosystem, version, affected)`: whether a version of a package is affected by the
 * advisory entries given for that package (one entry or several). Affected wins over unknown,
 * unknown over not affected, so that an unreadable range is never reported as "not affected".
 */
export function isAffected(ecosystem: string, version: string, affected: OsvAffected | OsvAffected[]): RangeVerdict {
  let unknown: RangeVerdict | null = null;
  for (const entry of Array.isArray(affected) ? affected : [affected]) {
    const v = evaluateAffected(ecosystem, version, entry);
    if (v.status === 'affected') return v;
    if (v.status === 'unknown') unknown ??= v;
  }
  return unknown ?? { status: 'not_affected' };
}

// ---------------------------------------------------------------------------------------------
// vers: (github.com/package-url/vers-spec)

export type VersComparator = '=' | '!=' | '<' | '<=' | '>' | '>=';
export interface VersConstraint {
  comparator: VersComparator;
  version: string;
}
export interface VersRange {
  scheme: string;
  /** Null means "*": every version. */
  constraints: VersConstraint[] | null;
}

export class InvalidRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRangeError';
  }
}

/** A fallback ordering for vers "generic" and unknown schemes: natural order as dpkg compares. */
export const generic: VersionScheme = makeScheme(
  'generic',
  (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null),
  (a, b) => debianCompareFragment(a, b),
);

const VERS_SCHEMES: Record<string, string> = {
  semver: 'npm',
  npm: 'npm',
  cargo: 'crates.io',
  golang: 'Go',
  go: 'Go',
  pypi: 'PyPI',
  maven: 'Maven',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  deb: 'Debian',
  debian: 'Debian',
  apk: 'Alpine',
  alpine: 'Alpine',
  rpm: 'Red Hat',
};

/** The ordering a vers scheme (or purl type) names; "generic" and unknown schemes get `generic`. */
export function versScheme(name: string): VersionScheme {
  const eco = VERS_SCHEMES[name.toLowerCase()];
  return (eco ? schemeFor(eco) : null) ?? generic;
}

function splitComparator(c: string): VersConstraint {
  const m = /^(!=|<=|>=|<|>|=)?(.*)$/.exec(c)!;
  const version = decodeURIComponent(m[2]!);
  if (version === '') throw new InvalidRangeError(`constraint "${c}" has no version`);
  return { comparator: (m[1] ?? '=') as VersComparator, version };
}

/** Parses and normalises a vers (constraints sorted by version, duplicates refused). */
export function parseVers(input: string): VersRange {
  if (typeof input !== 'string') throw new InvalidRangeError('a vers is a string');
  const s = input.replace(/\s+/g, '');
  const m = /^vers:([a-z0-9.+-]+)\/(.+)$/i.exec(s);
  if (!m) throw new InvalidRangeError(`"${input}" is not a vers ("vers:<scheme>/<constraints>")`);
  const scheme = m[1]!.toLowerCase();
  const body = m[2]!.replace(/^\|+|\|+$/g, '');
  if (body === '*') return { scheme, constraints: null };
  const constraints = body.split('|').filter((c) => c !== '').map(splitComparator);
  if (!constraints.length) throw new InvalidRangeError(`"${input}" has no constraints`);
  if (constraints.some((c) => c.version === '*')) throw new InvalidRangeError('"*" must be the only constraint');
  const order = versScheme(scheme);
  for (const c of constraints) if (!order.isValid(c.version)) throw new InvalidRangeError(`"${c.version}" is not a valid ${scheme} version`);
  constraints.sort((a, b) => order.compare(a.version, b.version));
  for (let i = 1; i < constraints.length; i++)
    if (order.compare(constraints[i - 1]!.version, constraints[i]!.version) === 0) throw new InvalidRangeError(`version "${constraints[i]!.version}" appears twice`);
  return { scheme, constraints };
}

export function formatVers(range: VersRange): string {
  if (range.constraints === null) return `vers:${range.scheme}/*`;
  return `vers:${range.scheme}/` + range.constraints.map((c) => (c.comparator === '=' ? '' : c.comparator) + encodeURIComponent(c.version).replace(/%3A/gi, ':')).join('|');
}

/** The vers specification's containment algorithm. */
export function versContains(range: VersRange | string, version: string, scheme?: VersionScheme): boolean {
  const r = typeof range === 'string' ? parseVers(range) : range;
  if (r.constraints === null) return true;
  const order = scheme ?? versScheme(r.scheme);
  if (!order.isValid(version)) throw new InvalidRangeError(`"${version}" is not a valid ${r.scheme} version`);
  const cmp = (c: VersConstraint) => order.compare(version, c.version);
  // Sorted again: the ordering used here may be more specific than the one the range was parsed with.
  const constraints = [...r.constraints].sort((a, b) => order.compare(a.version, b.version));
  for (const c of constraints) {
    if (c.comparator === '=' && cmp(c) === 0) return true;
    if (c.comparator === '!=' && cmp(c) === 0) return false;
  }
  const rest = constraints.filter((c) => c.comparator !== '=' && c.comparator !== '!=');
  // Only "!=" constraints: every version except those (already excluded above).
  if (!rest.length) return constraints.every((c) => c.comparator === '!=');
  const first = rest[0]!;
  const last = rest[rest.length - 1]!;
  if ((first.comparator === '<' && cmp(first) < 0) || (first.comparator === '<=' && cmp(first) <= 0)) return true;
  if ((last.comparator === '>' && cmp(last) > 0) || (last.comparator === '>=' && cmp(last) >= 0)) return true;
  for (let i = 0; i + 1 < rest.length; i++) {
    const cur = rest[i]!;
    const next = rest[i + 1]!;
    const above = cur.comparator === '>' ? cmp(cur) > 0 : cur.comparator === '>=' ? cmp(cur) >= 0 : null;
    const below = next.comparator === '<' ? cmp(next) < 0 : next.comparator === '<=' ? cmp(next) <= 0 : null;
    if (above !== null && below !== null && above && below) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// CSAF product_version_range

/**
 * Whether a CSAF 2.0 `product_version_range` branch name includes a version. The name is a vers
 * (preferred) or the legacy form of constraints joined by "|" or spaces ("<=1.14.0",
 * ">=2.9|<=4.1", ">= 1.0, < 2.0", "all versions"); `schemeName` (a vers scheme or purl type)
 * gives the ordering for legacy forms and for "vers:generic/…" when the product's ecosystem is
 * known.
 */
export function csafRangeContains(range: string, version: string, schemeName?: string): boolean {
  const r = parseCsafRange(range);
  const scheme = schemeName && (r.scheme === 'generic' || r.scheme === 'legacy') ? versScheme(schemeName) : undefined;
  return versContains(r, version, scheme);
}

export function parseCsafRange(range: string): VersRange {
  const s = range.trim();
  if (/^vers:/i.test(s)) {
    if (/^vers:all\/\*$/i.test(s.replace(/\s+/g, ''))) return { scheme: 'all', constraints: null };
    return parseVers(s);
  }
  if (/^(all|all versions|\*)$/i.test(s)) return { scheme: 'legacy', constraints: null };
  const parts = s
    .split(/\s*[|,]\s*|\s+(?=[<>=!])/)
    .map((p) => p.trim())
    .filter(Boolean);
  // Legacy constraints are versions (starting with a digit), with an optional comparator.
  const LEGACY = /^(!=|<=|>=|<|>|=)?\s*(v?\d[^\s<>=!|]*)$/;
  if (!parts.length || parts.some((p) => !LEGACY.test(p)))
    throw new InvalidRangeError(`"${range}" is neither a vers nor a list of version constraints`);
  parts.forEach((p, i) => (parts[i] = p.replace(/\s+/g, '')));
  return parseVers(`vers:generic/${parts.join('|')}`);
}
