// Go module versions: semantic versions with a "v" prefix (golang.org/ref/mod#versions).
// Pseudo-versions (v0.0.0-20191109021931-daa7c04131f5, vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef) are
// pre-releases and so order correctly by semver precedence; "+incompatible" is build metadata and
// does not affect precedence. OSV writes Go versions without the "v"; both forms are accepted.
import { compareSemverParsed, parseSemver, type SemverVersion } from './semver.ts';
import { makeScheme } from './util.ts';

/**
 * Go toolchain versions as the go command prints them ("go1.21", "go1.21.3", "go1.22rc1") name
 * the same releases OSV writes as semver for the stdlib and toolchain modules (1.21.0, 1.22.0-rc.1).
 */
export function toolchainToSemver(v: string): string | null {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(v.trim());
  if (!m) return null;
  return `${m[1]}.${m[2]}.${m[3] ?? '0'}` + (m[4] ? `-${m[4]}.${m[5]}` : '');
}

export function parseGoVersion(v: string): SemverVersion | null {
  if (typeof v !== 'string') return null;
  return parseSemver(toolchainToSemver(v) ?? v);
}

/** True for a Go pseudo-version (a version that names a commit rather than a tag). */
export function isPseudoVersion(v: string): boolean {
  return /^v?\d+\.\d+\.\d+-(?:(?:0\.)|(?:[0-9A-Za-z-]+\.0\.))?\d{14}-[0-9a-f]{12}(?:\+incompatible)?$/.test(v);
}

export const go = makeScheme('Go', parseGoVersion, compareSemverParsed);
