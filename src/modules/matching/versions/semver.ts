// SemVer 2.0.0 ordering (npm, crates.io and, with its own rules, Go). Precedence ignores build
// metadata; a pre-release sorts before its release; pre-release identifiers compare numerically
// when both are numeric, numeric before alphanumeric, and otherwise in ASCII order.
//
// Advisory databases and lock files carry versions that are only semver-like (a leading "v", fewer
// or more than three numbers, numbers too large for 64 bits), so the ordering is defined over that
// wider grammar: missing numbers are 0, numbers are compared at any size, and numbers after the
// third belong to the build metadata (they do not change precedence), as OSV tooling does.
import { compareAscii, compareDigits, makeScheme } from './util.ts';

export interface SemverVersion {
  /** Major, minor and patch as digit strings (missing ones are "0"). */
  core: [string, string, string];
  prerelease: string[];
  build: string;
}

const STRICT = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/** True for a version that follows SemVer 2.0.0 exactly (no "v", three numbers, no leading zeros). */
export function isStrictSemver(v: string): boolean {
  return STRICT.test(v);
}

export function parseSemver(input: string): SemverVersion | null {
  if (typeof input !== 'string') return null;
  let s = input.trim();
  if (s.startsWith('v') || s.startsWith('V')) s = s.slice(1);
  const m = /^(\d+)((?:\.\d+)*)/.exec(s);
  if (!m) return null;
  const numbers = [m[1]!, ...(m[2] ? m[2].slice(1).split('.') : [])];
  let rest = s.slice(m[0].length);
  let build = numbers.length > 3 ? '.' + numbers.slice(3).join('.') : '';
  if (rest !== '' && rest[0] !== '-' && rest[0] !== '+') return null;
  let prerelease: string[] = [];
  if (rest.startsWith('-')) {
    const plus = rest.indexOf('+');
    const pre = plus >= 0 ? rest.slice(1, plus) : rest.slice(1);
    rest = plus >= 0 ? rest.slice(plus) : '';
    if (pre === '') return null;
    prerelease = pre.split('.');
    if (prerelease.some((p) => p === '')) return null;
  }
  if (rest.startsWith('+')) {
    if (rest.length === 1) return null;
    build += rest;
  }
  const core: [string, string, string] = [numbers[0]!, numbers[1] ?? '0', numbers[2] ?? '0'];
  return { core, prerelease, build };
}

export function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1;
  if (bn) return 1;
  return compareAscii(a, b);
}

export function compareSemverParsed(a: SemverVersion, b: SemverVersion): number {
  for (let i = 0; i < 3; i++) {
    const c = compareDigits(a.core[i]!, b.core[i]!);
    if (c) return c;
  }
  if (!a.prerelease.length || !b.prerelease.length) return b.prerelease.length - a.prerelease.length;
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdentifiers(a.prerelease[i]!, b.prerelease[i]!);
    if (c) return c;
  }
  return a.prerelease.length - b.prerelease.length;
}

export const semver = makeScheme('SemVer', parseSemver, compareSemverParsed);
