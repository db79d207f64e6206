// Package-url handling for intake, on the project's purl-spec implementation (matching/purl.ts) so
// that candidate products and inventory components compare as the same canonical strings.
import { buildPurl, packageIdentity, parsePurl } from '../../matching/purl.ts';

export interface PurlParts {
  /** Canonical purl without version, qualifiers or subpath: the package's identity. */
  base: string;
  version?: string;
  type: string;
}

/** Throws an Error saying what is wrong when `purl` is not a valid package-url. */
export function splitPurl(purl: string): PurlParts {
  const p = parsePurl(purl.trim(), { lenient: true });
  return { base: packageIdentity(p), type: p.type, ...(p.version ? { version: p.version } : {}) };
}

/** purl type → OSV ecosystem name. */
export const ECOSYSTEM_OF_PURL_TYPE: Readonly<Record<string, string>> = {
  npm: 'npm',
  pypi: 'PyPI',
  golang: 'Go',
  maven: 'Maven',
  cargo: 'crates.io',
  gem: 'RubyGems',
  nuget: 'NuGet',
  composer: 'Packagist',
  hex: 'Hex',
  pub: 'Pub',
  swift: 'SwiftURL',
  deb: 'Debian',
  apk: 'Alpine',
  rpm: 'Red Hat',
};

/**
 * The purl for an OSV (ecosystem, name) pair where the mapping is unambiguous; undefined otherwise
 * (Go's "stdlib"/"toolchain", distribution ecosystems whose purl needs a distro qualifier).
 */
export function purlFor(ecosystem: string, name: string): string | undefined {
  const eco = ecosystem.split(':')[0];
  const slash = (n: string) => {
    const i = n.lastIndexOf('/');
    return i < 0 ? [undefined, n] as const : [n.slice(0, i), n.slice(i + 1)] as const;
  };
  try {
    switch (eco) {
      case 'npm': {
        const [ns, n] = name.startsWith('@') ? slash(name) : [undefined, name];
        return buildPurl({ type: 'npm', namespace: ns, name: n });
      }
      case 'PyPI':
        return buildPurl({ type: 'pypi', namespace: null, name: name });
      case 'Go': {
        if (name === 'stdlib' || name === 'toolchain' || !name.includes('/')) return undefined;
        const [ns, n] = slash(name);
        return buildPurl({ type: 'golang', namespace: ns, name: n });
      }
      case 'Maven': {
        const [g, a] = name.split(':');
        if (!g || !a) return undefined;
        return buildPurl({ type: 'maven', namespace: g, name: a });
      }
      case 'crates.io':
        return buildPurl({ type: 'cargo', namespace: null, name: name });
      case 'RubyGems':
        return buildPurl({ type: 'gem', namespace: null, name: name });
      case 'NuGet':
        return buildPurl({ type: 'nuget', namespace: null, name: name });
      case 'Packagist': {
        const [ns, n] = slash(name);
        return ns ? buildPurl({ type: 'composer', namespace: ns, name: n }) : undefined;
      }
      case 'Hex':
        return buildPurl({ type: 'hex', namespace: null, name: name });
      case 'Pub':
        return buildPurl({ type: 'pub', namespace: null, name: name });
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
