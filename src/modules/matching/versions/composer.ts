// Packagist (Composer) versions: Composer's VersionParser::normalize (four numbers, "v" prefix
// dropped, stability flags alpha/a, beta/b, RC/rc, patch/pl/p, dev expanded; date versions), then
// PHP's version_compare on the normal forms (dev < alpha < beta < RC < number < patch; any other
// word sorts before dev). Branch names ("dev-main") are not orderable versions.
import { compareDigits, makeScheme } from './util.ts';

export interface ComposerVersion {
  normalized: string;
}

const MODIFIER = '[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?';
const CLASSICAL = new RegExp(`^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(`^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3}){0,2})${MODIFIER}$`, 'i');

function expandStability(s: string): string {
  const l = s.toLowerCase();
  if (l === 'a') return 'alpha';
  if (l === 'b') return 'beta';
  if (l === 'p' || l === 'pl') return 'patch';
  if (l === 'rc') return 'RC';
  return l;
}

/** Composer's normal form of a version ("1.2-beta2" → "1.2.0.0-beta2"), or null. */
export function normalizeComposer(input: string): string | null {
  if (typeof input !== 'string') return null;
  let v = input.trim();
  // " as 1.0" aliases and build metadata do not change the version.
  v = v.replace(/\s+as\s+.*$/i, '');
  v = v.replace(/\+[0-9A-Za-z.+-]*$/, '');
  if (v === '') return null;
  let m = CLASSICAL.exec(v);
  let version: string;
  let idx: number;
  if (m) {
    version = m[1]! + (m[2] ?? '.0') + (m[3] ?? '.0') + (m[4] ?? '.0');
    idx = 5;
  } else {
    m = DATE.exec(v);
    if (!m) return null;
    version = m[1]!.replace(/\D/g, '.');
    idx = 2;
  }
  const stability = m[idx];
  if (stability && stability.toLowerCase() !== 'stable') {
    version += '-' + expandStability(stability) + (m[idx + 1] ? m[idx + 1]!.replace(/^[.-]+/, '') : '');
  }
  if (m[idx + 2]) version += '-dev';
  return version;
}

export function parseComposer(input: string): ComposerVersion | null {
  const normalized = normalizeComposer(input);
  return normalized === null ? null : { normalized };
}

/** PHP's canonical form: separators become ".", and "." is inserted between digits and letters. */
function canonicalTokens(v: string): string[] {
  let out = '';
  let prev = '';
  for (const ch of v) {
    const isSep = ch === '-' || ch === '_' || ch === '+' || ch === '.';
    if (isSep) {
      if (!out.endsWith('.')) out += '.';
    } else {
      const d = ch >= '0' && ch <= '9';
      if (prev && prev !== '.' && (prev >= '0' && prev <= '9') !== d) out += '.';
      out += ch;
    }
    prev = isSep ? '.' : ch;
  }
  return out.split('.').filter((t) => t !== '');
}

const SPECIAL: Array<[string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];

function specialOrder(form: string): number {
  for (const [name, order] of SPECIAL) if (form.startsWith(name)) return order;
  return -6;
}

const isNum = (t: string) => /^\d+$/.test(t);

/** PHP's version_compare. */
export function phpVersionCompare(a: string, b: string): number {
  const x = canonicalTokens(a);
  const y = canonicalTokens(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i]!;
    const q = y[i]!;
    let c: number;
    if (isNum(p) && isNum(q)) c = compareDigits(p, q);
    else if (!isNum(p) && !isNum(q)) c = Math.sign(specialOrder(p) - specialOrder(q));
    else if (isNum(p)) c = Math.sign(specialOrder('#N#') - specialOrder(q));
    else c = Math.sign(specialOrder(p) - specialOrder('#N#'));
    if (c) return c;
  }
  if (x.length > n) return isNum(x[n]!) ? 1 : Math.sign(specialOrder(x[n]!) - specialOrder('#N#'));
  if (y.length > n) return isNum(y[n]!) ? -1 : Math.sign(specialOrder('#N#') - specialOrder(y[n]!));
  return 0;
}

export function compareComposerParsed(a: ComposerVersion, b: ComposerVersion): number {
  return phpVersionCompare(a.normalized, b.normalized);
}

export const composer = makeScheme('Packagist', parseComposer, compareComposerParsed);
