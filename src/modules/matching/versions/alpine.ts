// Alpine (apk-tools) package versions: numbers separated by ".", an optional single letter,
// suffixes (_alpha < _beta < _pre < _rc < none < _cvs < _svn < _git < _hg < _p), each with an
// optional number, an optional "~hash" and a package revision "-rN". As in apk (and Gentoo), the
// first number compares numerically; a later number with a leading zero compares as a decimal
// fraction (1.01 < 1.1); more numbers is newer (1.0 < 1.0.0).
import { compareAscii, compareDigits, makeScheme } from './util.ts';

const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'] as const;
const NONE = SUFFIXES.indexOf('');

export interface AlpineVersion {
  numbers: string[];
  letter: string;
  suffixes: Array<{ rank: number; n: string }>;
  hash: string;
  revision: string;
}

const GRAMMAR = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~([0-9a-f]+))?(?:-r(\d+))?$/;

export function parseAlpine(input: string): AlpineVersion | null {
  if (typeof input !== 'string') return null;
  const m = GRAMMAR.exec(input.trim());
  if (!m) return null;
  const suffixes = (m[3] ? m[3].slice(1).split('_') : []).map((s) => {
    const sm = /^([a-z]+)(\d*)$/.exec(s)!;
    return { rank: SUFFIXES.indexOf(sm[1] as (typeof SUFFIXES)[number]), n: sm[2] || '0' };
  });
  return { numbers: m[1]!.split('.'), letter: m[2] ?? '', suffixes, hash: m[4] ?? '', revision: m[5] ?? '0' };
}

function compareNumber(a: string, b: string, first: boolean): number {
  if (!first && (a.startsWith('0') || b.startsWith('0'))) {
    // Compared as the fractional part of a decimal number.
    return compareAscii(a.replace(/0+$/, ''), b.replace(/0+$/, ''));
  }
  return compareDigits(a, b);
}

export function compareAlpineParsed(a: AlpineVersion, b: AlpineVersion): number {
  const n = Math.min(a.numbers.length, b.numbers.length);
  for (let i = 0; i < n; i++) {
    const c = compareNumber(a.numbers[i]!, b.numbers[i]!, i === 0);
    if (c) return c;
  }
  if (a.numbers.length !== b.numbers.length) return a.numbers.length - b.numbers.length;
  if (a.letter !== b.letter) return a.letter === '' ? -1 : b.letter === '' ? 1 : compareAscii(a.letter, b.letter);
  const m = Math.max(a.suffixes.length, b.suffixes.length);
  for (let i = 0; i < m; i++) {
    const x = a.suffixes[i] ?? { rank: NONE, n: '0' };
    const y = b.suffixes[i] ?? { rank: NONE, n: '0' };
    if (x.rank !== y.rank) return x.rank - y.rank;
    const c = compareDigits(x.n, y.n);
    if (c) return c;
  }
  if (a.hash !== b.hash) return compareAscii(a.hash, b.hash);
  return compareDigits(a.revision, b.revision);
}

export const alpine = makeScheme('Alpine', parseAlpine, compareAlpineParsed);
