// NuGet versions (NuGet.Versioning): SemVer 2.0 extended to four numbers (Major.Minor.Patch
// .Revision, missing ones are 0, leading zeros allowed), pre-release labels compared without
// regard to case, build metadata ignored.
import { compareAscii, compareDigits, makeScheme } from './util.ts';

export interface NuGetVersion {
  numbers: [string, string, string, string];
  prerelease: string[];
}

export function parseNuGet(input: string): NuGetVersion | null {
  if (typeof input !== 'string') return null;
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?\s*$/.exec(input);
  if (!m) return null;
  return {
    numbers: [m[1]!, m[2] ?? '0', m[3] ?? '0', m[4] ?? '0'],
    prerelease: m[5] ? m[5].split('.') : [],
  };
}

function compareLabel(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1;
  if (bn) return 1;
  return compareAscii(a.toLowerCase(), b.toLowerCase());
}

export function compareNuGetParsed(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const c = compareDigits(a.numbers[i]!, b.numbers[i]!);
    if (c) return c;
  }
  if (!a.prerelease.length || !b.prerelease.length) return b.prerelease.length - a.prerelease.length;
  const n = Math.min(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < n; i++) {
    const c = compareLabel(a.prerelease[i]!, b.prerelease[i]!);
    if (c) return c;
  }
  return a.prerelease.length - b.prerelease.length;
}

export const nuget = makeScheme('NuGet', parseNuGet, compareNuGetParsed);
