// Python package versions per PEP 440 (packaging.version): epoch, release, pre-release (a, b, rc
// and their spellings), post-release (including the implicit "1.0-1"), development release and
// local version label, with the specification's normalisation. Strings that are not PEP 440
// versions are "legacy" versions, ordered as packaging < 22 and pip's resolver did (before every
// PEP 440 version), because advisories still name such releases.
import { compareAscii, compareDigits, makeScheme } from './util.ts';

const PEP440 = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

export interface Pep440Version {
  legacy: false;
  epoch: string;
  release: string[];
  pre: { label: 'a' | 'b' | 'rc'; n: string } | null;
  post: string | null;
  dev: string | null;
  local: string[] | null;
}

export interface LegacyPypiVersion {
  legacy: true;
  parts: string[];
}

export type PypiVersion = Pep440Version | LegacyPypiVersion;

export function parsePep440(input: string): Pep440Version | null {
  if (typeof input !== 'string') return null;
  const m = PEP440.exec(input);
  if (!m?.groups) return null;
  const g = m.groups;
  const preLabel = g.pre_l?.toLowerCase();
  const pre = preLabel
    ? { label: (preLabel === 'alpha' || preLabel === 'a' ? 'a' : preLabel === 'beta' || preLabel === 'b' ? 'b' : 'rc') as 'a' | 'b' | 'rc', n: g.pre_n ?? '0' }
    : null;
  const post = g.post ? (g.post_n1 ?? g.post_n2 ?? '0') : null;
  const dev = g.dev ? (g.dev_n ?? '0') : null;
  const local = g.local ? g.local.toLowerCase().split(/[-_.]/) : null;
  return { legacy: false, epoch: g.epoch ?? '0', release: g.release!.split('.'), pre, post, dev, local };
}

/** The PEP 440 normal form ("1.0.0-RC1" → "1.0.0rc1"), or null for a non-PEP 440 string. */
export function normalizePep440(input: string): string | null {
  const v = parsePep440(input);
  if (!v) return null;
  const num = (d: string) => d.replace(/^0+(?=\d)/, '');
  let s = v.epoch !== '0' ? `${num(v.epoch)}!` : '';
  s += v.release.map(num).join('.');
  if (v.pre) s += v.pre.label + num(v.pre.n);
  if (v.post !== null) s += `.post${num(v.post)}`;
  if (v.dev !== null) s += `.dev${num(v.dev)}`;
  if (v.local) s += '+' + v.local.join('.');
  return s;
}

const LEGACY_REPLACEMENTS: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

function legacyParts(version: string): string[] {
  const raw: string[] = [];
  for (let piece of version.toLowerCase().split(/(\d+|[a-z]+|\.|-)/)) {
    piece = LEGACY_REPLACEMENTS[piece] ?? piece;
    if (!piece || piece === '.') continue;
    raw.push(/^[0-9]/.test(piece) ? piece.padStart(8, '0') : '*' + piece);
  }
  raw.push('*final');
  const parts: string[] = [];
  for (const part of raw) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.length && parts[parts.length - 1] === '*final-') parts.pop();
      while (parts.length && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
}

export function parsePypi(input: string): PypiVersion | null {
  if (typeof input !== 'string' || input.trim() === '') return null;
  return parsePep440(input) ?? { legacy: true, parts: legacyParts(input.trim()) };
}

function compareRelease(a: string[], b: string[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
    if (c) return c;
  }
  return 0;
}

const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

// packaging's sort key: a development release of a final version sorts before its pre-releases;
// absent pre-release sorts after present; absent post before present; absent dev after present.
function comparePre(a: Pep440Version, b: Pep440Version): number {
  const rank = (v: Pep440Version) => (v.pre ? 1 : v.post === null && v.dev !== null ? 0 : 2);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a.pre && b.pre) return PRE_ORDER[a.pre.label] - PRE_ORDER[b.pre.label] || compareDigits(a.pre.n, b.pre.n);
  return 0;
}

function compareLocal(a: string[] | null, b: string[] | null): number {
  if (!a || !b) return (a ? 1 : 0) - (b ? 1 : 0);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    // Numeric segments sort after alphanumeric ones.
    const c = xn && yn ? compareDigits(x, y) : xn ? 1 : yn ? -1 : compareAscii(x, y);
    if (c) return c;
  }
  return a.length - b.length;
}

export function comparePep440(a: Pep440Version, b: Pep440Version): number {
  return (
    compareDigits(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    comparePre(a, b) ||
    (a.post === null || b.post === null ? (a.post === null ? 0 : 1) - (b.post === null ? 0 : 1) : compareDigits(a.post, b.post)) ||
    (a.dev === null || b.dev === null ? (a.dev === null ? 1 : 0) - (b.dev === null ? 1 : 0) : compareDigits(a.dev, b.dev)) ||
    compareLocal(a.local, b.local)
  );
}

export function comparePypiParsed(a: PypiVersion, b: PypiVersion): number {
  if (a.legacy !== b.legacy) return a.legacy ? -1 : 1;
  if (a.legacy && b.legacy) {
    const n = Math.min(a.parts.length, b.parts.length);
    for (let i = 0; i < n; i++) {
      const c = compareAscii(a.parts[i]!, b.parts[i]!);
      if (c) return c;
    }
    return a.parts.length - b.parts.length;
  }
  return comparePep440(a as Pep440Version, b as Pep440Version);
}

export const pypi = makeScheme('PyPI', parsePypi, comparePypiParsed);
