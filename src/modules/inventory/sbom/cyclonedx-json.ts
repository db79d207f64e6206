// CycloneDX 1.4–1.6 JSON: validated against the official schema of the declared specVersion, then
// components (nested ones flattened, depth-capped) read into the normalised form.
import { reject, pointer, type SbomError } from './errors.ts';
import { buildComponent, dedupe, type BuildContext } from './components.ts';
import { cycloneDxValidator, schemaErrors } from './cyclonedx-schema.ts';
import type { SbomLimits } from './limits.ts';
import { isRecord } from './text.ts';
import { CYCLONEDX_VERSIONS, type CycloneDxVersion, type ParsedSbom, type SbomComponent } from './types.ts';

export function isCycloneDxVersion(v: unknown): v is CycloneDxVersion {
  return typeof v === 'string' && (CYCLONEDX_VERSIONS as readonly string[]).includes(v);
}

/** Header checks shared with CycloneDX VEX intake: format marker and supported version. */
export function checkCycloneDxHeader(doc: unknown, what = 'SBOM'): CycloneDxVersion {
  if (!isRecord(doc)) reject(`The ${what} is not a CycloneDX document.`, { path: '', message: 'Expected a JSON object.' });
  if (doc.bomFormat !== 'CycloneDX') {
    reject(`The ${what} is not a CycloneDX document.`, { path: '/bomFormat', message: 'Must be "CycloneDX".' });
  }
  if (!isCycloneDxVersion(doc.specVersion)) {
    reject(`Unsupported CycloneDX version.`, {
      path: '/specVersion',
      message: `CycloneDX ${JSON.stringify(doc.specVersion)} is not supported; use ${CYCLONEDX_VERSIONS.join(', ')}.`,
    });
  }
  return doc.specVersion;
}

/** Validate against the official schema of the declared version; throws naming each failing path. */
export function validateCycloneDxJson(doc: Record<string, unknown>, version: CycloneDxVersion, what = 'SBOM'): void {
  const validate = cycloneDxValidator(version);
  let ok: boolean;
  try {
    ok = validate(doc) as boolean;
  } catch (e) {
    // A pathological pattern or recursion in the validator: refuse rather than crash the request.
    return reject(`The ${what} could not be validated.`, { path: '', message: e instanceof Error ? e.message.slice(0, 200) : 'Validation failed.' });
  }
  if (!ok) reject(`The ${what} does not conform to the CycloneDX ${version} JSON schema.`, schemaErrors(validate.errors, version));
}

interface Frame {
  node: unknown;
  segments: (string | number)[];
  depth: number;
}

/**
 * Every component (nested ones included) with its JSON pointer, breadth of the tree bounded by
 * maxComponents and depth by maxDepth. Also checks that bom-refs are unique, which the schema
 * cannot express but the specification requires.
 */
export function walkCycloneDxComponents(
  doc: Record<string, unknown>,
  limits: SbomLimits,
  visit: (c: Record<string, unknown>, path: string) => void,
  errors: SbomError[],
  what = 'SBOM',
): void {
  const bomRefs = new Map<string, string>();
  const noteRef = (c: Record<string, unknown>, path: string) => {
    const ref = c['bom-ref'];
    if (typeof ref !== 'string') return;
    const first = bomRefs.get(ref);
    if (first !== undefined) errors.push({ path: `${path}/bom-ref`, message: `bom-ref "${ref.slice(0, 100)}" is already used at ${first}; bom-refs must be unique.` });
    else bomRefs.set(ref, path);
  };
  const meta = isRecord(doc.metadata) && isRecord(doc.metadata.component) ? doc.metadata.component : undefined;
  if (meta) noteRef(meta, '/metadata/component');
  const stack: Frame[] = [];
  const pushChildren = (list: unknown, segments: (string | number)[], depth: number) => {
    if (!Array.isArray(list)) return;
    for (let i = list.length - 1; i >= 0; i--) stack.push({ node: list[i], segments: [...segments, i], depth });
  };
  pushChildren(doc.components, ['components'], 1);
  if (meta) pushChildren(meta.components, ['metadata', 'component', 'components'], 1);
  let count = 0;
  while (stack.length > 0) {
    const { node, segments, depth } = stack.pop()!;
    const path = pointer(segments);
    if (depth > limits.maxDepth) {
      reject(`The ${what} nests components too deeply.`, {
        path,
        message: `Components nest more than ${limits.maxDepth} levels deep (limit maxDepth).`,
      });
    }
    if (++count > limits.maxComponents) {
      reject(`The ${what} has too many components.`, {
        path,
        message: `More than ${limits.maxComponents} components (limit maxComponents).`,
      });
    }
    if (!isRecord(node)) continue;
    noteRef(node, path);
    visit(node, path);
    pushChildren(node.components, [...segments, 'components'], depth + 1);
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function rawFromCycloneDx(c: Record<string, unknown>) {
  return {
    name: str(c.name),
    version: str(c.version),
    group: str(c.group),
    purl: str(c.purl),
    cpe: str(c.cpe),
    bomRef: str(c['bom-ref']),
  };
}

export function readCycloneDxJson(doc: unknown, limits: SbomLimits, ctx: BuildContext): ParsedSbom {
  const version = checkCycloneDxHeader(doc);
  const bom = doc as Record<string, unknown>;
  // Count and depth first: a file of 200,000 tiny components is refused before the schema walks it.
  walkCycloneDxComponents(bom, limits, () => {}, []);
  validateCycloneDxJson(bom, version);
  const components: SbomComponent[] = [];
  walkCycloneDxComponents(
    bom,
    limits,
    (c, path) => {
      const built = buildComponent(rawFromCycloneDx(c), path, { purl: `${path}/purl`, cpe: `${path}/cpe`, name: `${path}/name` }, ctx);
      if (built) components.push(built);
    },
    ctx.errors,
  );
  const meta = isRecord(bom.metadata) && isRecord(bom.metadata.component) ? bom.metadata.component : undefined;
  let subject: SbomComponent | undefined;
  if (meta) {
    subject = buildComponent(rawFromCycloneDx(meta), '/metadata/component', {
      purl: '/metadata/component/purl',
      cpe: '/metadata/component/cpe',
      name: '/metadata/component/name',
    }, ctx) ?? undefined;
  }
  if (ctx.errors.length > 0) reject('The SBOM has invalid components.', ctx.errors);
  const out: ParsedSbom = {
    format: 'cyclonedx-json',
    specVersion: version,
    components: dedupe(components, ctx.warnings),
    warnings: ctx.warnings,
  };
  if (typeof bom.serialNumber === 'string') out.serialNumber = bom.serialNumber;
  if (subject) {
    out.subject = subject;
    out.name = subject.name;
  }
  return out;
}
