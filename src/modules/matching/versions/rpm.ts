// RPM versions ([epoch:]version[-release]) ordered as rpm's rpmvercmp: alphanumeric segments
// compared left to right, numbers numerically and before letters, other characters only separate;
// "~" sorts before everything (even the end: 1.0~rc1 < 1.0) and "^" after the end but before
// anything else (1.0 < 1.0^git1 < 1.0.1).
import { compareAscii, compareDigits, makeScheme } from './util.ts';

export interface RpmVersion {
  epoch: string;
  version: string;
  release: string;
}

export function parseRpm(input: string): RpmVersion | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (s === '' || /\s/.test(s)) return null;
  let epoch = '0';
  let rest = s;
  const colon = s.indexOf(':');
  if (colon >= 0) {
    epoch = s.slice(0, colon);
    if (!/^\d+$/.test(epoch)) return null;
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const version = dash >= 0 ? rest.slice(0, dash) : rest;
  const release = dash >= 0 ? rest.slice(dash + 1) : '';
  if (version === '' || !/[0-9A-Za-z]/.test(version)) return null;
  return { epoch, version, release };
}

const isAlnum = (c: string | undefined) => c !== undefined && /[0-9A-Za-z]/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/** rpm's rpmvercmp. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    let x = i;
    let y = j;
    const numeric = isDigit(a[i]);
    const take = numeric ? isDigit : isAlpha;
    while (take(a[x])) x++;
    while (take(b[y])) y++;
    // A numeric segment is newer than an alphabetic one.
    if (y === j) return numeric ? 1 : -1;
    const c = numeric ? compareDigits(a.slice(i, x), b.slice(j, y)) : compareAscii(a.slice(i, x), b.slice(j, y));
    if (c) return c;
    i = x;
    j = y;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function compareRpmParsed(a: RpmVersion, b: RpmVersion): number {
  return compareDigits(a.epoch, b.epoch) || rpmvercmp(a.version, b.version) || rpmvercmp(a.release, b.release);
}

export const rpm = makeScheme('RPM', parseRpm, compareRpmParsed);
