// RubyGems versions (Gem::Version): segments are runs of digits (numbers) and of letters
// (strings); "-" means ".pre."; a version with a string segment is a pre-release, and a string
// sorts before any number; trailing zeros of the numeric part and of the pre-release part are
// ignored ("1.0" = "1", "1.0.a2" = "1.0.a.2").
import { compareAscii, compareDigits, makeScheme } from './util.ts';

export interface RubyGemsVersion {
  segments: Array<{ n: string } | { s: string }>;
  prerelease: boolean;
}

export function parseRubyGems(input: string): RubyGemsVersion | null {
  if (typeof input !== 'string') return null;
  const str = input.trim();
  if (str === '') return null;
  if (!/^[0-9]+(?:[.-]?[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/.test(str)) return null;
  const raw = (str.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((p) => (/^\d+$/.test(p) ? { n: p.replace(/^0+(?=\d)/, '') } : { s: p }));
  const firstString = raw.findIndex((p) => 's' in p);
  const numeric = firstString < 0 ? raw : raw.slice(0, firstString);
  const rest = firstString < 0 ? [] : raw.slice(firstString);
  const dropZeros = (xs: typeof raw) => {
    const out = [...xs];
    while (out.length && 'n' in out[out.length - 1]! && (out[out.length - 1] as { n: string }).n === '0') out.pop();
    return out;
  };
  return { segments: [...dropZeros(numeric), ...dropZeros(rest)], prerelease: firstString >= 0 };
}

export function compareRubyGemsParsed(a: RubyGemsVersion, b: RubyGemsVersion): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const x = a.segments[i] ?? { n: '0' };
    const y = b.segments[i] ?? { n: '0' };
    if ('s' in x && 'n' in y) return -1;
    if ('n' in x && 's' in y) return 1;
    const c = 'n' in x ? compareDigits(x.n, (y as { n: string }).n) : compareAscii(x.s, (y as { s: string }).s);
    if (c) return c;
  }
  return 0;
}

export const rubygems = makeScheme('RubyGems', parseRubyGems, compareRubyGemsParsed);
