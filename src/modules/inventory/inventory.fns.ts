// Pure: how an inventory component is kept. A purl is stored canonical with its package identity
// (type/namespace/name, what advisories name) so matching is an index lookup, never a CPE guess.
import { ValidationError } from '../../lib/errors.ts';
import { buildPurl, InvalidPurlError, packageIdentity, parsePurl } from '../matching/purl.ts';
import type { SbomComponent } from './sbom/sbom.ts';
import type { ComponentRowInput } from './inventory.types.ts';

const CPE23 = /^cpe:2\.3:[aho*\-](?::(?:[^:\\]|\\.)*){10}$/i;
const CPE22 = /^cpe:\/[aho]?(?::[^:]*){0,6}$/i;

export function isCpe(s: string): boolean {
  return CPE23.test(s) || CPE22.test(s);
}

/** The product and version named by a CPE (2.3 formatted string or 2.2 URI), '*' and '-' as absent. */
export function cpeParts(cpe: string): { vendor: string | null; product: string | null; version: string | null } {
  const parts = cpe.startsWith('cpe:2.3:') ? cpe.slice('cpe:2.3:'.length).split(/(?<!\\):/) : cpe.slice('cpe:/'.length).split(':');
  const v = (i: number) => {
    const x = parts[i];
    return x === undefined || x === '' || x === '*' || x === '-' ? null : x;
  };
  return { vendor: v(1), product: v(2), version: v(3) };
}

/** A parsed SBOM component as an inventory row; the parser has already canonicalised the purl. */
export function rowFromSbomComponent(c: SbomComponent): ComponentRowInput {
  if (c.purl) {
    const p = parsePurl(c.purl, { lenient: true });
    return {
      purl: buildPurl(p),
      package: packageIdentity(p),
      ecosystem: p.type,
      namespace: p.namespace,
      name: p.name,
      version: p.version ?? c.version ?? null,
      cpe: c.cpe ?? null,
    };
  }
  return { purl: null, package: null, ecosystem: null, namespace: c.group ?? null, name: c.name, version: c.version ?? null, cpe: c.cpe ?? null };
}

/**
 * A component entered by hand: a package-url (its version, or `version` when the purl has none) or
 * a CPE. Refusals name the field.
 */
export function manualComponentRow(input: { purl?: string; cpe?: string; name?: string; version?: string }): ComponentRowInput {
  let cpe: string | null = null;
  if (input.cpe !== undefined) {
    if (!isCpe(input.cpe)) throw new ValidationError('The CPE is not a CPE 2.3 formatted string or a CPE 2.2 URI.', [{ path: 'cpe', message: 'Expected cpe:2.3:a:vendor:product:version:… or cpe:/a:vendor:product:version.' }]);
    cpe = input.cpe;
  }
  if (input.purl !== undefined) {
    let p;
    try {
      p = parsePurl(input.purl, { lenient: true });
    } catch (e) {
      if (e instanceof InvalidPurlError) throw new ValidationError('The package-url is not valid.', [{ path: 'purl', message: e.message }]);
      throw e;
    }
    if (p.version !== null && input.version !== undefined && p.version !== input.version) {
      throw new ValidationError('The package-url and the version disagree.', [{ path: 'version', message: `The package-url names version ${p.version}.` }]);
    }
    const version = p.version ?? input.version ?? null;
    if (version === null) throw new ValidationError('A component needs a version.', [{ path: 'version', message: 'Give the installed version, in the purl or as version.' }]);
    const full = { ...p, version };
    return { purl: buildPurl(full), package: packageIdentity(p), ecosystem: p.type, namespace: p.namespace, name: p.name, version, cpe };
  }
  const parts = cpeParts(cpe!);
  const version = parts.version ?? input.version ?? null;
  if (version === null) throw new ValidationError('A component needs a version.', [{ path: 'version', message: 'Give the installed version, in the CPE or as version.' }]);
  return { purl: null, package: null, ecosystem: null, namespace: parts.vendor, name: input.name ?? parts.product ?? cpe!, version, cpe };
}
