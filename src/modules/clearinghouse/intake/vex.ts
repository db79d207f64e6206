// CycloneDX VEX (JSON, 1.4–1.6): validated against the official CycloneDX schema (the same
// validator as SBOM uploads), then each vulnerability becomes a candidate: id and referenced ids,
// ratings' vectors, CWEs, affects[].ref resolved through bom-refs (including BOM-links to this
// document) to component purls, with per-version status and the analysis state.
import { CANDIDATE_LIMITS as L } from './limits.ts';
import type { AffectedProduct, AffectedStatus, CandidateReport, CvssVector } from './candidate.ts';
import { IntakeRejectedError, reject, type IntakeError } from './errors.ts';
import { ECOSYSTEM_OF_PURL_TYPE, splitPurl } from './purl.ts';
import { capList, clip, firstLine, isRecord, isUrlish, normaliseCwe, parseCvss, uniq } from './text.ts';
import { checkCycloneDxHeader, validateCycloneDxJson } from '../../inventory/sbom/cyclonedx-json.ts';
import { SbomRejectedError } from '../../inventory/sbom/errors.ts';

const STATE_STATUS: Record<string, AffectedStatus> = {
  exploitable: 'affected',
  in_triage: 'under_investigation',
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
};
const METHOD_VERSION: Record<string, CvssVector['version']> = { CVSSv3: '3.0', CVSSv31: '3.1', CVSSv4: '4.0' };

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function componentsByRef(bom: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  const stack: unknown[] = [];
  if (isRecord(bom.metadata) && isRecord(bom.metadata.component)) stack.push(bom.metadata.component);
  if (Array.isArray(bom.components)) stack.push(...bom.components);
  while (stack.length > 0) {
    const c = stack.pop();
    if (!isRecord(c)) continue;
    const ref = str(c['bom-ref']);
    if (ref && !out.has(ref)) out.set(ref, c);
    if (Array.isArray(c.components)) stack.push(...c.components);
  }
  return out;
}

export function readCycloneDxVex(doc: unknown, maxCandidates: number, warnings: string[]): CandidateReport[] {
  let version;
  try {
    version = checkCycloneDxHeader(doc, 'VEX document');
    validateCycloneDxJson(doc as Record<string, unknown>, version, 'VEX document');
  } catch (e) {
    if (e instanceof SbomRejectedError) throw new IntakeRejectedError(e.message, e.sbomErrors);
    throw e;
  }
  const bom = doc as Record<string, unknown>;
  const vulns = Array.isArray(bom.vulnerabilities) ? bom.vulnerabilities : [];
  if (vulns.length === 0) reject('The CycloneDX document has no vulnerabilities.', { path: '/vulnerabilities', message: 'A VEX document imported as a report needs at least one vulnerability.' });
  if (vulns.length > maxCandidates) {
    reject('The VEX document has too many vulnerabilities.', { path: '/vulnerabilities', message: `${vulns.length} vulnerabilities; the limit (maxCandidates) is ${maxCandidates}.` });
  }
  const refs = componentsByRef(bom);
  const serial = str(bom.serialNumber);
  const errors: IntakeError[] = [];
  const out = vulns.map((raw, i): CandidateReport => {
    const v = raw as Record<string, unknown>;
    const at = `/vulnerabilities/${i}`;
    const id = str(v.id);
    const analysis = isRecord(v.analysis) ? v.analysis : undefined;
    const state = str(analysis?.state);
    const defaultStatus = state ? STATE_STATUS[state] : undefined;
    const affected: AffectedProduct[] = [];
    (Array.isArray(v.affects) ? v.affects : []).forEach((aff: unknown, j: number) => {
      if (!isRecord(aff)) return;
      let ref = str(aff.ref) ?? '';
      const link = /^urn:cdx:([^/]+)\/(\d+)#(.+)$/.exec(ref);
      if (link) {
        // A BOM-link into this same document resolves; one into another BOM stays a reference.
        if (serial && `urn:uuid:${link[1]}` === serial) ref = decodeURIComponent(link[3]);
      }
      const component = refs.get(ref);
      const product: AffectedProduct = {};
      if (!component) {
        warnings.push(`${at}/affects/${j}/ref: "${ref.slice(0, 100)}" is not a component of this document; kept by reference only.`);
        product.name = ref.slice(0, L.name);
      } else {
        product.name = (str(component.group) ? `${str(component.group)}/` : '') + (str(component.name) ?? ref);
        product.name = product.name.slice(0, L.name);
        const purl = str(component.purl);
        if (purl) {
          try {
            const parts = splitPurl(purl);
            product.purl = parts.base;
            if (ECOSYSTEM_OF_PURL_TYPE[parts.type]) product.ecosystem = ECOSYSTEM_OF_PURL_TYPE[parts.type];
            const listed = Array.isArray(aff.versions) && aff.versions.length > 0;
            if (!listed && (parts.version ?? str(component.version))) product.versions = [(parts.version ?? str(component.version))!];
          } catch (e) {
            errors.push({ path: `${at}/affects/${j}/ref`, message: `the component's package-url is invalid: ${e instanceof Error ? e.message.slice(0, 200) : ''}` });
          }
        } else if (str(component.version) && !(Array.isArray(aff.versions) && aff.versions.length > 0)) product.versions = [str(component.version)!];
        if (str(component.cpe)) product.cpe = str(component.cpe)!.slice(0, L.cpe);
      }
      const perVersion = new Map<AffectedStatus | 'default', { versions: string[]; ranges: string[] }>();
      for (const ver of Array.isArray(aff.versions) ? aff.versions : []) {
        if (!isRecord(ver)) continue;
        const st = ver.status === 'unaffected' ? 'not_affected' : ver.status === 'unknown' ? 'under_investigation' : ver.status === 'affected' ? 'affected' : 'default';
        const bucket = perVersion.get(st) ?? { versions: [], ranges: [] };
        if (str(ver.version)) bucket.versions.push(str(ver.version)!.slice(0, L.version));
        if (str(ver.range)) bucket.ranges.push(str(ver.range)!);
        perVersion.set(st, bucket);
      }
      if (perVersion.size === 0) {
        if (defaultStatus && defaultStatus !== 'affected') product.status = defaultStatus;
        affected.push(product);
        return;
      }
      for (const [st, bucket] of perVersion) {
        const status = st === 'default' ? defaultStatus : st;
        const base: AffectedProduct = { ...product };
        if (status && status !== 'affected') base.status = status;
        if (bucket.versions.length > 0) affected.push({ ...base, versions: uniq(bucket.versions) });
        for (const r of bucket.ranges) affected.push({ ...base, vers: r.slice(0, L.text) });
      }
    });
    for (const a of affected) if (a.status === 'not_affected' && str(analysis?.justification)) a.justification = str(analysis?.justification);
    const cvss: CvssVector[] = [];
    for (const r of Array.isArray(v.ratings) ? v.ratings : []) {
      if (!isRecord(r)) continue;
      const method = str(r.method);
      const vector = str(r.vector);
      if (!vector || !method || !METHOD_VERSION[method]) continue;
      const parsed = parseCvss(vector, METHOD_VERSION[method]);
      if (parsed) cvss.push(parsed);
      else warnings.push(`${at}/ratings: "${vector.slice(0, 80)}" is not a valid ${method} vector and was ignored.`);
    }
    const cwe = uniq((Array.isArray(v.cwes) ? v.cwes : []).map(normaliseCwe).filter((x): x is string => x !== undefined));
    const references = uniq(
      [
        isRecord(v.source) ? v.source.url : undefined,
        ...(Array.isArray(v.references) ? v.references.map((r) => (isRecord(r) && isRecord(r.source) ? r.source.url : undefined)) : []),
        ...(Array.isArray(v.advisories) ? v.advisories.map((a) => (isRecord(a) ? a.url : undefined)) : []),
      ].filter(isUrlish),
    );
    const referencedIds = Array.isArray(v.references) ? v.references.map((r) => (isRecord(r) ? str(r.id) : undefined)).filter((x): x is string => !!x) : [];
    const description = [str(v.description), str(v.detail)].filter(Boolean).join('\n\n');
    const title = id ? (str(v.description) ? `${id}: ${firstLine(str(v.description)!)}` : id) : firstLine(description) || 'CycloneDX vulnerability';
    const c: CandidateReport = {
      source: 'cyclonedx-vex',
      title: clip(title, L.title, `${at} title`, warnings),
      description: clip(description || title, L.description, `${at}/description`, warnings),
      affected,
      fingerprints: {},
      references: capList(references, L.references, `${at}/references`, warnings),
      ids: capList(uniq([...(id ? [id.slice(0, L.id)] : []), ...referencedIds.map((x) => x.slice(0, L.id))]), L.ids, `${at}/references`, warnings),
    };
    if (cwe.length > 0) c.cwe = capList(cwe, L.cwe, `${at}/cwes`, warnings);
    if (cvss.length > 0) c.cvss = capList(uniq(cvss.map((x) => x.vector)).map((vec) => cvss.find((x) => x.vector === vec)!), L.cvss, `${at}/ratings`, warnings);
    if (analysis) {
      const a: NonNullable<CandidateReport['analysis']> = {};
      if (state) a.state = state;
      if (str(analysis.justification)) a.justification = str(analysis.justification);
      if (Array.isArray(analysis.response)) a.response = analysis.response.filter((x): x is string => typeof x === 'string').slice(0, 20);
      if (str(analysis.detail)) a.detail = str(analysis.detail)!.slice(0, L.text);
      if (Object.keys(a).length > 0) c.analysis = a;
    }
    if (str(v.published)) c.published = str(v.published)!.slice(0, 64);
    if (affected.length > L.affected) errors.push({ path: `${at}/affects`, message: `${affected.length} affected entries; the limit is ${L.affected}.` });
    return c;
  });
  if (errors.length > 0) reject('The VEX document is inconsistent.', errors);
  return out;
}
