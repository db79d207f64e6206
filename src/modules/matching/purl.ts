// Package-URL (purl) parsing, normalisation and building per the purl specification
// (github.com/package-url/purl-spec, ECMA-427). Pure: no I/O.
//
// Two entry points read a string: `parsePurl` is strict (a purl that is not already canonical in
// the ways the specification calls errors, such as upper-case qualifier keys, is refused) and
// `normalizePurl` is lenient (it canonicalises what can be canonicalised). SBOMs in the wild are
// lenient-world data, so inventories use `normalizePurl`; conformance uses both.

export interface PackageUrl {
  type: string;
  namespace: string | null;
  name: string;
  version: string | null;
  qualifiers: Record<string, string> | null;
  subpath: string | null;
}

export interface PurlComponents {
  type?: string | null;
  namespace?: string | null;
  name?: string | null;
  version?: string | null;
  qualifiers?: Record<string, string | null | undefined> | null;
  subpath?: string | null;
}

export class InvalidPurlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPurlError';
  }
}

const fail = (message: string): never => {
  throw new InvalidPurlError(message);
};

// ---------------------------------------------------------------------------------------------
// Percent-encoding. The canonical form leaves only unreserved characters and ':' unencoded.

const UNENCODED = /[A-Za-z0-9.\-_~:]/;

export function percentEncode(s: string): string {
  let out = '';
  for (const ch of s) {
    if (UNENCODED.test(ch)) out += ch;
    else for (const byte of new TextEncoder().encode(ch)) out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export function percentDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return fail(`invalid percent-encoding in "${s}"`);
  }
}

// ---------------------------------------------------------------------------------------------
// Type-specific rules (purl-spec types/*.json definitions).

interface TypeRule {
  lowerNamespace?: boolean;
  lowerName?: boolean;
  lowerVersion?: boolean;
  namespace?: 'required' | 'prohibited';
  versionRequired?: boolean;
  requiredQualifiers?: string[];
  normaliseName?: (name: string, qualifiers: Record<string, string> | null) => string;
  validate?: (p: PackageUrl) => void;
}

const TYPES: Record<string, TypeRule> = {
  alpm: { lowerNamespace: true, lowerName: true, namespace: 'required' },
  apk: { lowerNamespace: true, lowerName: true, namespace: 'required' },
  bitbucket: { lowerNamespace: true, lowerName: true, namespace: 'required' },
  bitnami: { lowerName: true, namespace: 'prohibited' },
  brew: { lowerNamespace: true, lowerName: true },
  cargo: { namespace: 'prohibited' },
  'chrome-extension': {
    namespace: 'prohibited',
    validate: (p) => {
      if (!/^[a-p]{32}$/.test(p.name)) fail('chrome-extension name must be 32 characters a-p');
      if (p.version !== null && !/^\d+(\.\d+){0,3}$/.test(p.version)) fail('chrome-extension version must be 1 to 4 dot-separated integers');
    },
  },
  cocoapods: { namespace: 'prohibited' },
  composer: { lowerNamespace: true, lowerName: true },
  conan: {
    validate: (p) => {
      // A channel belongs to a user, which the namespace carries.
      if (p.namespace === null && p.qualifiers?.channel !== undefined) fail('conan purl with a channel qualifier requires a namespace');
    },
  },
  conda: { lowerName: true, namespace: 'prohibited' },
  cpan: {
    validate: (p) => {
      if (p.name.includes('::')) fail('cpan name is a distribution name and must not contain "::"');
      if (p.namespace !== null && p.namespace !== p.namespace.toUpperCase()) fail('cpan namespace (author) must be upper case');
    },
  },
  cran: { versionRequired: true, namespace: 'prohibited' },
  deb: { lowerNamespace: true, lowerName: true, namespace: 'required' },
  github: { lowerNamespace: true, lowerName: true, namespace: 'required' },
  git: { lowerNamespace: true, lowerName: true },
  gitlab: { lowerNamespace: true, lowerName: true, namespace: 'required' },
  hackage: { versionRequired: true, namespace: 'prohibited' },
  hex: { lowerNamespace: true, lowerName: true },
  huggingface: { lowerVersion: true },
  julia: { namespace: 'prohibited', requiredQualifiers: ['uuid'] },
  luarocks: { lowerVersion: false },
  maven: { namespace: 'required' },
  mlflow: {
    namespace: 'prohibited',
    normaliseName: (name, q) => {
      // Databricks-hosted registries are case-insensitive; Azure ML is case-sensitive.
      const url = q?.repository_url ?? '';
      return url.toLowerCase().includes('databricks') ? name.toLowerCase() : name;
    },
  },
  npm: { lowerName: true, lowerNamespace: true },
  nuget: { namespace: 'prohibited' },
  oci: { lowerName: true, namespace: 'prohibited' },
  otp: { namespace: 'prohibited' },
  pub: {
    lowerName: true,
    namespace: 'prohibited',
    validate: (p) => {
      if (!/^[a-z0-9_]+$/.test(p.name)) fail('pub name may contain only a-z, 0-9 and _');
    },
  },
  pypi: { lowerName: true, namespace: 'prohibited', normaliseName: (name) => name.replace(/[-_.]+/g, '-') },
  qpkg: { lowerNamespace: true, namespace: 'required' },
  rpm: { lowerNamespace: true, namespace: 'required' },
  swid: { requiredQualifiers: ['tag_id'] },
  swift: { namespace: 'required', versionRequired: true },
  vcpkg: { namespace: 'prohibited' },
  'vscode-extension': { lowerNamespace: true, lowerName: true, namespace: 'required' },
};

// ---------------------------------------------------------------------------------------------
// Component validation and normalisation shared by parse and build.

const TYPE_RE = /^[A-Za-z.\-+][A-Za-z0-9.\-+]*$/;
const QUALIFIER_KEY_RE = /^[A-Za-z.\-_][A-Za-z0-9.\-_]*$/;

function normaliseSubpath(subpath: string | null | undefined, decode: boolean): string | null {
  if (subpath === null || subpath === undefined) return null;
  const segments = subpath
    .split('/')
    .map((s) => (decode ? percentDecode(s) : s))
    .filter((s) => s !== '' && s !== '.' && s !== '..');
  for (const s of segments) if (s.includes('/')) fail('a subpath segment must not contain "/"');
  return segments.length ? segments.join('/') : null;
}

function normaliseNamespace(namespace: string | null | undefined, decode: boolean): string | null {
  if (namespace === null || namespace === undefined) return null;
  const segments = namespace
    .split('/')
    .map((s) => (decode ? percentDecode(s) : s))
    .filter((s) => s !== '');
  return segments.length ? segments.join('/') : null;
}

function finish(
  raw: {
    type: string;
    namespace: string | null;
    name: string | null;
    version: string | null;
    qualifiers: Record<string, string> | null;
    subpath: string | null;
  },
): PackageUrl {
  const type = raw.type.toLowerCase();
  const rule = TYPES[type] ?? {};
  if (raw.name === null || raw.name === '') fail('a name is required');
  let name = raw.name as string;
  let namespace = raw.namespace;
  let version = raw.version === '' ? null : raw.version;
  const qualifiers = raw.qualifiers && Object.keys(raw.qualifiers).length ? raw.qualifiers : null;
  if (rule.lowerNamespace && namespace !== null) namespace = namespace.toLowerCase();
  if (rule.lowerName) name = name.toLowerCase();
  if (rule.normaliseName) name = rule.normaliseName(name, qualifiers);
  if (rule.lowerVersion && version !== null) version = version.toLowerCase();
  if (rule.namespace === 'required' && namespace === null) fail(`a ${type} purl requires a namespace`);
  if (rule.namespace === 'prohibited' && namespace !== null) fail(`a ${type} purl must not have a namespace`);
  if (rule.versionRequired && version === null) fail(`a ${type} purl requires a version`);
  for (const q of rule.requiredQualifiers ?? []) if (qualifiers?.[q] === undefined) fail(`a ${type} purl requires the ${q} qualifier`);
  const purl: PackageUrl = { type, namespace, name, version, qualifiers, subpath: raw.subpath };
  rule.validate?.(purl);
  return purl;
}

// ---------------------------------------------------------------------------------------------
// Parse

export interface ParseOptions {
  /** Accept and canonicalise forms the specification calls invalid but which are unambiguous. */
  lenient?: boolean;
}

export function parsePurl(input: string, options: ParseOptions = {}): PackageUrl {
  if (typeof input !== 'string' || input === '') fail('a purl is a non-empty string');
  let rest = input.trim();

  let subpath: string | null = null;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    subpath = normaliseSubpath(rest.slice(hash + 1), true);
    rest = rest.slice(0, hash);
  }

  let qualifiers: Record<string, string> | null = null;
  const question = rest.indexOf('?');
  if (question >= 0) {
    const query = rest.slice(question + 1);
    rest = rest.slice(0, question);
    qualifiers = {};
    for (const pair of query.split('&')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) fail(`qualifier "${pair}" is not key=value`);
      const rawKey = pair.slice(0, eq);
      const key = rawKey.toLowerCase();
      if (!options.lenient && rawKey !== key) fail(`qualifier key "${rawKey}" must be lower case`);
      if (!QUALIFIER_KEY_RE.test(key)) fail(`invalid qualifier key "${rawKey}"`);
      const value = percentDecode(pair.slice(eq + 1));
      if (value === '') continue;
      if (key in qualifiers) fail(`duplicate qualifier "${key}"`);
      qualifiers[key] = value;
    }
  }

  const colon = rest.indexOf(':');
  if (colon < 0) fail('a purl starts with the scheme "pkg:"');
  if (rest.slice(0, colon).toLowerCase() !== 'pkg') fail('the purl scheme must be "pkg"');
  rest = rest.slice(colon + 1).replace(/^\/+/, '');

  const slash = rest.indexOf('/');
  if (slash < 0) fail('a purl has a type and a name');
  const type = rest.slice(0, slash);
  if (!TYPE_RE.test(type) || /^\d/.test(type)) fail(`invalid purl type "${type}"`);
  rest = rest.slice(slash + 1);

  rest = rest.replace(/\/+$/, '');
  let version: string | null = null;
  const at = rest.lastIndexOf('@');
  // An "@" that begins a path segment followed by more path is an unencoded npm scope.
  const isScope = at >= 0 && (at === 0 || rest[at - 1] === '/') && rest.indexOf('/', at) >= 0;
  if (at >= 0 && !isScope) {
    version = percentDecode(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }

  // git purls name a repository: the namespace is the host and the name the path on it.
  const split = type.toLowerCase() === 'git' ? rest.indexOf('/') : rest.lastIndexOf('/');
  const name = split >= 0 ? rest.slice(split + 1).split('/').map(percentDecode).join('/') : percentDecode(rest);
  const namespace = split >= 0 ? normaliseNamespace(rest.slice(0, split), true) : null;

  return finish({ type, namespace, name, version, qualifiers, subpath });
}

/** Parses leniently and returns the canonical string. Throws InvalidPurlError when it cannot. */
export function normalizePurl(input: string): string {
  return buildPurl(parsePurl(input, { lenient: true }));
}

/** Returns the parsed purl, or null when the input is not a valid purl. */
export function tryParsePurl(input: string, options: ParseOptions = {}): PackageUrl | null {
  try {
    return parsePurl(input, options);
  } catch (e) {
    if (e instanceof InvalidPurlError) return null;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Build

/** Validates and normalises decoded components into a PackageUrl. */
export function purlFromComponents(c: PurlComponents): PackageUrl {
  if (!c.type) fail('a type is required');
  const type = c.type as string;
  if (!TYPE_RE.test(type) || /^\d/.test(type)) fail(`invalid purl type "${type}"`);
  let qualifiers: Record<string, string> | null = null;
  if (c.qualifiers) {
    qualifiers = {};
    for (const [k, v] of Object.entries(c.qualifiers)) {
      if (v === null || v === undefined || v === '') continue;
      const key = k.toLowerCase();
      if (!QUALIFIER_KEY_RE.test(key)) fail(`invalid qualifier key "${k}"`);
      qualifiers[key] = v;
    }
  }
  return finish({
    type,
    namespace: normaliseNamespace(c.namespace, false),
    name: c.name ?? null,
    version: c.version ?? null,
    qualifiers,
    subpath: normaliseSubpath(c.subpath, false),
  });
}

/** Canonical string form of a purl (qualifiers sorted by key, canonical percent-encoding). */
export function buildPurl(c: PurlComponents | PackageUrl): string {
  const p = purlFromComponents(c);
  let s = `pkg:${p.type}/`;
  if (p.namespace !== null) s += p.namespace.split('/').map(percentEncode).join('/') + '/';
  s += p.type === 'git' ? p.name.split('/').map(percentEncode).join('/') : percentEncode(p.name);
  if (p.version !== null) s += '@' + percentEncode(p.version);
  if (p.qualifiers) {
    const keys = Object.keys(p.qualifiers).sort();
    s += '?' + keys.map((k) => `${k}=${percentEncode(p.qualifiers![k]!)}`).join('&');
  }
  if (p.subpath !== null) s += '#' + p.subpath.split('/').map(percentEncode).join('/');
  return s;
}

/**
 * The package identity a vulnerability applies to: type, namespace and name, canonical, without
 * version, qualifiers or subpath.
 */
export function packageIdentity(p: PackageUrl): string {
  return buildPurl({ type: p.type, namespace: p.namespace, name: p.name });
}
