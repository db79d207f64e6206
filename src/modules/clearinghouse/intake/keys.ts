// Deduplication keys. fingerprintKeys are exact identities (a tool's fingerprint of a result, an
// advisory identifier): any shared key means the same vulnerability. similarityKey catches the same
// bug reported independently: same products (purl without version), same version ranges, same
// CWE, same code location. It is a SHA-256 so it can be indexed.
import { createHash } from 'node:crypto';
import type { AffectedProduct, CandidateReport } from './candidate.ts';
import { affectedOnly } from './candidate.ts';
import { splitPurl } from './purl.ts';

function versionlessPurl(purl: string): string {
  try {
    return splitPurl(purl).base.toLowerCase();
  } catch {
    return purl.toLowerCase();
  }
}

function cpeProduct(cpe: string): string {
  const parts = cpe.toLowerCase().startsWith('cpe:2.3:') ? cpe.split(/(?<!\\):/).slice(2, 5) : cpe.replace(/^cpe:\//i, '').split(':').slice(0, 3);
  return `cpe:${parts.join(':')}`.toLowerCase();
}

function productPart(a: AffectedProduct): string | undefined {
  if (a.purl) return versionlessPurl(a.purl);
  if (a.cpe) return cpeProduct(a.cpe);
  if (a.ecosystem && a.name) return `${a.ecosystem.toLowerCase()}:${a.name.toLowerCase()}`;
  return undefined;
}

function rangePart(a: AffectedProduct): string {
  const parts: string[] = [];
  for (const r of a.ranges ?? []) {
    const events = r.events
      .map((e) => Object.entries(e).find(([, v]) => v !== undefined)!)
      .map(([k, v]) => `${k}=${v === '0' ? '0' : String(v).replace(/^v/, '')}`)
      .sort();
    parts.push(`${r.type}${r.repo ? `@${r.repo}` : ''}[${events.join(',')}]`);
  }
  if (a.versions?.length) parts.push(`versions[${[...new Set(a.versions)].sort().join(',')}]`);
  if (a.vers) parts.push(a.vers.replace(/\s+/g, ''));
  return parts.sort().join(';');
}

function normaliseUri(uri: string): string {
  return uri
    .trim()
    .replace(/^file:\/\/\/?/i, '')
    .replace(/[?#].*$/, '')
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/{2,}/g, '/');
}

/** The readable parts of the similarity key, or undefined when there is too little to compare. */
export function similarityParts(c: CandidateReport): string[] | undefined {
  const products = affectedOnly(c)
    .map((a) => {
      const p = productPart(a);
      return p ? `${p}{${rangePart(a)}}` : undefined;
    })
    .filter((x): x is string => x !== undefined);
  const location = c.location ? `${normaliseUri(c.location.uri)}:${c.location.startLine ?? ''}` : undefined;
  // A bare CWE, or nothing at all, would merge unrelated reports.
  if (products.length === 0 && !location) return undefined;
  return [
    `products=${[...new Set(products)].sort().join('|')}`,
    `cwe=${[...new Set(c.cwe ?? [])].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))).join(',')}`,
    `location=${location ?? ''}`,
  ];
}

export function similarityKey(c: CandidateReport): string | undefined {
  const parts = similarityParts(c);
  if (!parts) return undefined;
  return 'sim:' + createHash('sha256').update(parts.join('\n')).digest('hex');
}

/**
 * Exact identity keys: "id:<ALIAS>" for every identifier (CVE, GHSA, OSV id), "fp:<tool>:<name>=<value>"
 * for a SARIF fingerprint, and for partial fingerprints (which tools such as CodeQL compute per line
 * content, not per file) "pfp:<tool>:<rule>:<uri>:<name>=<value>", so equal lines in different files
 * do not merge.
 */
export function fingerprintKeys(c: CandidateReport): string[] {
  const keys = new Set<string>();
  for (const id of c.ids) keys.add(`id:${id.trim().toUpperCase()}`);
  const tool = (c.tool?.name ?? c.source).toLowerCase();
  const rule = c.tool?.rule?.id ?? '';
  const uri = c.location ? normaliseUri(c.location.uri) : '';
  for (const [k, v] of Object.entries(c.fingerprints)) {
    if (k.startsWith('partial:')) keys.add(`pfp:${tool}:${rule}:${uri}:${k.slice(8)}=${v}`);
    else keys.add(`fp:${tool}:${k}=${v}`);
  }
  return [...keys];
}
