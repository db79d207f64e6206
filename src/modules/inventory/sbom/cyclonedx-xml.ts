// CycloneDX 1.4–1.6 XML. Validating against the XSD needs libxmljs2 (a native module), so the
// structure is checked instead by projecting every part Forewarn reads (the bom header, metadata
// component, components with their type, scope and hashes, nested components, dependencies) onto
// the JSON form and validating that projection with the official JSON schema of the same version:
// the same enumerations, patterns and required fields apply, and errors name the XML element.
import { reject, type SbomError } from './errors.ts';
import { buildComponent, dedupe, type BuildContext } from './components.ts';
import { cycloneDxValidator } from './cyclonedx-schema.ts';
import { isCycloneDxVersion } from './cyclonedx-json.ts';
import type { SbomLimits } from './limits.ts';
import { parseXmlSafely, textOf, type XmlNode } from './xml.ts';
import type { CycloneDxVersion, ParsedSbom, SbomComponent } from './types.ts';

const NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;
const TEXT_FIELDS = ['group', 'name', 'version', 'description', 'scope', 'purl', 'cpe', 'publisher', 'author', 'copyright'] as const;
const ATTRIBUTES: Record<string, string> = { type: 'type', 'bom-ref': 'bom-ref' };

interface Projection {
  json: Record<string, unknown>;
  /** JSON pointer in the projection → XML element path. */
  where: Map<string, string>;
  /** Per component: its XML path and raw fields, in document order (metadata component first if any). */
  components: { xmlPath: string; raw: Record<string, string | undefined>; isSubject: boolean }[];
}

class XmlReader {
  constructor(readonly prefix: string) {}
  kids(node: unknown, local: string): unknown[] {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return [];
    const v = (node as XmlNode)[this.prefix + local];
    return Array.isArray(v) ? v : [];
  }
  attr(node: unknown, name: string): string | undefined {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    const v = (node as XmlNode)['@_' + name];
    return typeof v === 'string' ? v : undefined;
  }
}

export function readCycloneDxXml(text: string, limits: SbomLimits, ctx: BuildContext): ParsedSbom {
  const doc = parseXmlSafely(text, 2 * limits.maxDepth + 16, 'SBOM');
  const rootKey = Object.keys(doc).find((k) => !k.startsWith('?') && !k.startsWith('#') && !k.startsWith('@_'));
  const rootLocal = rootKey?.includes(':') ? rootKey.slice(rootKey.indexOf(':') + 1) : rootKey;
  if (!rootKey || rootLocal !== 'bom') reject('The SBOM is not a CycloneDX XML document.', { path: rootKey ? `/${rootKey}` : '', message: 'The root element must be <bom>.' });
  const prefix = rootKey.includes(':') ? rootKey.slice(0, rootKey.indexOf(':') + 1) : '';
  const root = (doc[rootKey] as unknown[])[0] as XmlNode;
  const nsAttr = prefix ? `@_xmlns:${prefix.slice(0, -1)}` : '@_xmlns';
  const ns = typeof root?.[nsAttr] === 'string' ? (root[nsAttr] as string) : undefined;
  const m = ns ? NAMESPACE.exec(ns) : null;
  if (!m || !isCycloneDxVersion(m[1])) {
    reject('Unsupported CycloneDX XML namespace.', {
      path: '/bom',
      message: `The namespace ${ns ? `"${ns}"` : '(none)'} is not a supported CycloneDX version; use http://cyclonedx.org/schema/bom/1.4, 1.5 or 1.6.`,
    });
  }
  const version = m[1] as CycloneDxVersion;
  const x = new XmlReader(prefix);
  const proj = project(root, x, version, limits);
  validateProjection(proj, version);

  const components: SbomComponent[] = [];
  let subject: SbomComponent | undefined;
  for (const c of proj.components) {
    const built = buildComponent(c.raw, c.xmlPath, { purl: `${c.xmlPath}/purl`, cpe: `${c.xmlPath}/cpe`, name: `${c.xmlPath}/name` }, ctx);
    if (!built) continue;
    if (c.isSubject) subject = built;
    else components.push(built);
  }
  if (ctx.errors.length > 0) reject('The SBOM has invalid components.', ctx.errors);
  const out: ParsedSbom = { format: 'cyclonedx-xml', specVersion: version, components: dedupe(components, ctx.warnings), warnings: ctx.warnings };
  const serial = x.attr(root, 'serialNumber');
  if (serial) out.serialNumber = serial;
  if (subject) {
    out.subject = subject;
    out.name = subject.name;
  }
  return out;
}

function project(root: XmlNode, x: XmlReader, version: CycloneDxVersion, limits: SbomLimits): Projection {
  const where = new Map<string, string>();
  const components: Projection['components'] = [];
  const errors: SbomError[] = [];
  const json: Record<string, unknown> = { bomFormat: 'CycloneDX', specVersion: version };
  where.set('', '/bom');
  const serial = x.attr(root, 'serialNumber');
  if (serial !== undefined) json.serialNumber = serial;
  const ver = x.attr(root, 'version');
  if (ver !== undefined) json.version = /^[0-9]{1,9}$/.test(ver) ? Number(ver) : ver;
  let count = 0;
  const bomRefs = new Map<string, string>();

  const single = (node: unknown, local: string, xmlPath: string): string | undefined => {
    const list = x.kids(node, local);
    if (list.length > 1) errors.push({ path: `${xmlPath}/${local}`, message: `<${local}> may appear only once.` });
    return list.length > 0 ? textOf(list[0]) : undefined;
  };

  const component = (node: unknown, jsonPath: string, xmlPath: string, depth: number, isSubject: boolean): Record<string, unknown> => {
    if (depth > limits.maxDepth) reject('The SBOM nests components too deeply.', { path: xmlPath, message: `Components nest more than ${limits.maxDepth} levels deep (limit maxDepth).` });
    if (!isSubject && ++count > limits.maxComponents) {
      reject('The SBOM has too many components.', { path: xmlPath, message: `More than ${limits.maxComponents} components (limit maxComponents).` });
    }
    where.set(jsonPath, xmlPath);
    const out: Record<string, unknown> = {};
    const raw: Record<string, string | undefined> = {};
    for (const [attrName, key] of Object.entries(ATTRIBUTES)) {
      const v = x.attr(node, attrName);
      if (v !== undefined) out[key] = v;
    }
    raw.bomRef = x.attr(node, 'bom-ref');
    if (raw.bomRef !== undefined) {
      const first = bomRefs.get(raw.bomRef);
      if (first !== undefined) errors.push({ path: `${xmlPath}/@bom-ref`, message: `bom-ref "${raw.bomRef.slice(0, 100)}" is already used at ${first}; bom-refs must be unique.` });
      else bomRefs.set(raw.bomRef, xmlPath);
    }
    for (const f of TEXT_FIELDS) {
      const v = single(node, f, xmlPath);
      if (v !== undefined) {
        out[f] = v;
        where.set(`${jsonPath}/${f}`, `${xmlPath}/${f}`);
      }
    }
    raw.name = out.name as string | undefined;
    raw.version = out.version as string | undefined;
    raw.group = out.group as string | undefined;
    raw.purl = out.purl as string | undefined;
    raw.cpe = out.cpe as string | undefined;
    const hashes = x.kids(node, 'hashes').flatMap((h) => x.kids(h, 'hash'));
    if (hashes.length > 0) {
      out.hashes = hashes.map((h, i) => {
        where.set(`${jsonPath}/hashes/${i}`, `${xmlPath}/hashes/hash[${i + 1}]`);
        const alg = x.attr(h, 'alg');
        return alg === undefined ? { content: textOf(h) } : { alg, content: textOf(h) };
      });
    }
    components.push({ xmlPath, raw, isSubject });
    const nested = x.kids(node, 'components').flatMap((cs) => x.kids(cs, 'component'));
    if (nested.length > 0) {
      out.components = nested.map((n, i) => component(n, `${jsonPath}/components/${i}`, `${xmlPath}/components/component[${i + 1}]`, depth + 1, false));
    }
    return out;
  };

  const metadata = x.kids(root, 'metadata')[0];
  if (metadata !== undefined) {
    const meta: Record<string, unknown> = {};
    where.set('/metadata', '/bom/metadata');
    const ts = single(metadata, 'timestamp', '/bom/metadata');
    if (ts !== undefined) {
      meta.timestamp = ts;
      where.set('/metadata/timestamp', '/bom/metadata/timestamp');
    }
    const mc = x.kids(metadata, 'component');
    if (mc.length > 1) errors.push({ path: '/bom/metadata/component', message: '<component> may appear only once in <metadata>.' });
    if (mc.length > 0) meta.component = component(mc[0], '/metadata/component', '/bom/metadata/component', 0, true);
    json.metadata = meta;
  }
  const top = x.kids(root, 'components').flatMap((cs) => x.kids(cs, 'component'));
  json.components = top.map((n, i) => component(n, `/components/${i}`, `/bom/components/component[${i + 1}]`, 1, false));

  const deps = x.kids(root, 'dependencies').flatMap((d) => x.kids(d, 'dependency'));
  if (deps.length > 0) {
    json.dependencies = deps.map((d, i) => {
      where.set(`/dependencies/${i}`, `/bom/dependencies/dependency[${i + 1}]`);
      const ref = x.attr(d, 'ref');
      const on = x.kids(d, 'dependency').map((n, j) => {
        where.set(`/dependencies/${i}/dependsOn/${j}`, `/bom/dependencies/dependency[${i + 1}]/dependency[${j + 1}]`);
        return x.attr(n, 'ref') ?? '';
      });
      const out: Record<string, unknown> = {};
      if (ref !== undefined) out.ref = ref;
      if (on.length > 0) out.dependsOn = on;
      return out;
    });
  }
  if (errors.length > 0) reject('The SBOM XML has an invalid structure.', errors);
  return { json, where, components };
}

function xmlPathFor(where: Map<string, string>, pointer: string): string {
  let p = pointer;
  for (;;) {
    const hit = where.get(p);
    if (hit !== undefined) return hit + pointer.slice(p.length);
    if (p === '') return pointer;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

function validateProjection(proj: Projection, version: CycloneDxVersion): void {
  const validate = cycloneDxValidator(version);
  if (validate(proj.json)) return;
  const errors: SbomError[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    const params = e.params as Record<string, unknown>;
    let message: string;
    if (e.keyword === 'required') {
      const missing = String(params.missingProperty);
      message = missing in ATTRIBUTES ? `is missing the required attribute "${missing}"` : `is missing the required element <${missing}>`;
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(params.allowedValues as unknown[]).map(String).slice(0, 20).join(', ')}`;
    } else message = e.message ?? e.keyword;
    const path = xmlPathFor(proj.where, e.instancePath);
    const key = path + message;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ path, message: `${message} (CycloneDX ${version} schema: ${e.schemaPath})` });
  }
  reject(`The SBOM does not conform to CycloneDX ${version}.`, errors);
}
