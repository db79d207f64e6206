// Debian package versions, ordered as dpkg does ([epoch:]upstream_version[-debian_revision];
// deb-version(7)): in each non-digit run "~" sorts before everything, even the end, then letters,
// then other characters; digit runs compare numerically.
import { compareDigits, makeScheme } from './util.ts';

export interface DebianVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

export function parseDebian(input: string): DebianVersion | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (s === '') return null;
  const colon = s.indexOf(':');
  let epoch = '0';
  let rest = s;
  if (colon >= 0) {
    epoch = s.slice(0, colon);
    if (!/^\d+$/.test(epoch)) return null;
    rest = s.slice(colon + 1);
  }
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '' || !/^[0-9]/.test(upstream)) return null;
  if (!/^[A-Za-z0-9.+~:-]+$/.test(upstream) || !/^[A-Za-z0-9.+~]*$/.test(revision)) return null;
  if (dash >= 0 && revision === '') return null;
  return { epoch, upstream, revision };
}

function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** dpkg's verrevcmp. */
export function debianCompareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(i < a.length && !isDigit(a[i]) ? a[i] : undefined);
      const bc = order(j < b.length && !isDigit(b[j]) ? b[j] : undefined);
      if (ac !== bc) return ac - bc;
      if (i < a.length && !isDigit(a[i])) i++;
      if (j < b.length && !isDigit(b[j])) j++;
    }
    let x = i;
    while (isDigit(a[x])) x++;
    let y = j;
    while (isDigit(b[y])) y++;
    const c = compareDigits(a.slice(i, x) || '0', b.slice(j, y) || '0');
    if (c) return c;
    i = x;
    j = y;
  }
  return 0;
}

export function compareDebianParsed(a: DebianVersion, b: DebianVersion): number {
  return compareDigits(a.epoch, b.epoch) || debianCompareFragment(a.upstream, b.upstream) || debianCompareFragment(a.revision, b.revision);
}

export const debian = makeScheme('Debian', parseDebian, compareDebianParsed);
