// Maven versions per the POM reference's version order specification (as Maven's
// ComparableVersion implements it): the version is split into tokens at ".", "-" and every
// transition between digits and letters (a transition counts as "-"); empty tokens are "0";
// trailing null values (0, "", final, ga, release) are trimmed before each "-"; qualifiers order
// alpha < beta < milestone < rc = cr < snapshot < "" = final = ga = release < sp < other
// qualifiers (alphabetical) < numbers; and ".qualifier" < "-qualifier" < "-number" < ".number".
import { compareAscii, compareDigits, makeScheme } from './util.ts';

interface Token {
  prefix: '' | '.' | '-';
  value: string;
  isNull: boolean;
}

export interface MavenVersion {
  tokens: Token[];
}

const KEYWORDS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const isNumber = (s: string) => /^\d+$/.test(s);

export function parseMaven(input: string): MavenVersion | null {
  if (typeof input !== 'string') return null;
  const str = input.trim();
  if (str === '' || /\s/.test(str)) return null;
  const tokens: Token[] = [];
  const pieces = str.split(/([.-])/);
  for (let i = 0; i < pieces.length; i += 2) {
    let prefix: Token['prefix'] = i === 0 ? '' : (pieces[i - 1] as '.' | '-');
    const piece = pieces[i]!;
    const parts = piece.match(/\d+|\D+/g) ?? [''];
    parts.forEach((raw, j) => {
      if (j > 0) prefix = '-';
      let value = raw.toLowerCase();
      if (value === '') value = '0';
      if (value === 'cr') value = 'rc';
      if (value === 'ga' || value === 'final' || value === 'release') value = '';
      // a, b and m abbreviate alpha, beta and milestone only when a number follows directly.
      if (j < parts.length - 1) {
        if (value === 'a') value = 'alpha';
        else if (value === 'b') value = 'beta';
        else if (value === 'm') value = 'milestone';
      }
      if (isNumber(value)) value = value.replace(/^0+(?=\d)/, '');
      tokens.push({ prefix, value, isNull: false });
    });
  }
  // Trim trailing null values, at the end and before each remaining "-".
  let i = tokens.length - 1;
  while (i > 0) {
    const t = tokens[i]!;
    if (t.value === '0' || t.value === '') {
      tokens.splice(i, 1);
      i--;
      continue;
    }
    while (i >= 0 && tokens[i]!.prefix !== '-') i--;
    i--;
  }
  return { tokens };
}

function prefixOrder(t: Token): number {
  if (isNumber(t.value)) return t.prefix === '-' ? 2 : 3;
  return t.prefix === '-' ? 1 : 0;
}

function tokenLess(a: Token, b: Token): boolean {
  if (a.prefix === b.prefix) {
    const an = isNumber(a.value);
    const bn = isNumber(b.value);
    if (an && bn) return compareDigits(a.value, b.value) < 0;
    if (an && !a.isNull) return false;
    if (bn && !b.isNull) return true;
    const ai = KEYWORDS.indexOf(a.value);
    const bi = KEYWORDS.indexOf(b.value);
    if (ai < 0 && bi < 0) return compareAscii(a.value, b.value) < 0;
    return (ai < 0 ? KEYWORDS.length : ai) < (bi < 0 ? KEYWORDS.length : bi);
  }
  return prefixOrder(a) < prefixOrder(b);
}

// The shorter version is padded with null tokens that take the prefix of the other side.
function nullLike(t: Token): Token {
  if (t.prefix === '-') return { prefix: '-', value: '', isNull: true };
  // "sp" is the only qualifier that sorts after the empty one.
  return { prefix: '.', value: t.value === 'sp' ? '' : '0', isNull: true };
}

const same = (a: Token, b: Token) => a.prefix === b.prefix && a.value === b.value;

export function compareMavenParsed(a: MavenVersion, b: MavenVersion): number {
  const n = Math.max(a.tokens.length, b.tokens.length);
  for (let i = 0; i < n; i++) {
    const x = a.tokens[i] ?? nullLike(b.tokens[i]!);
    const y = b.tokens[i] ?? nullLike(a.tokens[i]!);
    if (same(x, y)) continue;
    return tokenLess(x, y) ? -1 : 1;
  }
  return 0;
}

export const maven = makeScheme('Maven', parseMaven, compareMavenParsed);
