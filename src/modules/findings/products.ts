import { PackageURL } from 'packageurl-js';

// Affected products (package-url or CPE 2.3 formatted string) and weaknesses (CWE), checked and
// normalised so that duplicates can be recognised by comparing strings.

export const CWE_PATTERN = /^CWE-[1-9][0-9]{0,5}$/;

export type ProductKind = 'purl' | 'cpe';
export interface Product {
  kind: ProductKind;
  value: string;
  /** The comparison key: purl without version/qualifiers/subpath; CPE vendor:product. Lower case. */
  key: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export function checkCwe(text: string): Checked<string> {
  const s = text.trim().toUpperCase();
  return CWE_PATTERN.test(s) ? { ok: true, value: s } : { ok: false, message: 'a CWE identifier such as CWE-79' };
}

// CPE 2.3 formatted string binding (NISTIR 7695 §6.2): 11 components after "cpe:2.3:", part a|o|h,
// each component a run of unreserved or escaped characters, or * / -.
const CPE_COMPONENT = String.raw`(?:\*|-|(?:\?*|\*?)(?:[A-Za-z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@\[\]^\x60{|}~])+(?:\?*|\*?))`;
const CPE23 = new RegExp(`^cpe:2\\.3:[aho\\*\\-](?::${CPE_COMPONENT}){10}$`);

export function checkCpe(text: string): Checked<Product> {
  const s = text.trim();
  if (!CPE23.test(s)) return { ok: false, message: 'a CPE 2.3 formatted string (cpe:2.3:part:vendor:product:version:… with 13 fields)' };
  const parts = s.split(/(?<!\\):/);
  if (parts[3] === '*' || parts[4] === '*') return { ok: false, message: 'a CPE naming its vendor and product' };
  return { ok: true, value: { kind: 'cpe', value: s, key: `cpe:${parts[3]}:${parts[4]}`.toLowerCase() } };
}

export function checkPurl(text: string): Checked<Product> {
  const s = text.trim();
  try {
    const p = PackageURL.fromString(s);
    const base = new PackageURL(p.type, p.namespace ?? undefined, p.name, undefined, undefined, undefined).toString();
    return { ok: true, value: { kind: 'purl', value: p.toString(), key: base.toLowerCase() } };
  } catch (e) {
    return { ok: false, message: `a package-url (pkg:type/namespace/name@version): ${e instanceof Error ? e.message.slice(0, 120) : 'invalid'}` };
  }
}

export function checkProduct(text: string): Checked<Product> {
  const s = text.trim();
  if (s.toLowerCase().startsWith('cpe:')) return checkCpe(s);
  return checkPurl(s);
}
