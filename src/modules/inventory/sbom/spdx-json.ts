// SPDX 2.3 JSON: the document fields the specification requires, and packages with their
// versionInfo and external references (purl in PACKAGE-MANAGER, cpe23Type/cpe22Type in SECURITY).
// Only the fields Forewarn reads are checked strictly; the rest (files, snippets, licences) pass.
import { z } from 'zod';
import { reject, pointer, type SbomError } from './errors.ts';
import { buildComponent, dedupe, type BuildContext } from './components.ts';
import type { SbomLimits } from './limits.ts';
import { isRecord } from './text.ts';
import type { ParsedSbom, SbomComponent } from './types.ts';

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.\-]+$/;
const text = (max: number) => z.string().min(1).max(max);

const externalRef = z.looseObject({
  referenceCategory: z.enum(['SECURITY', 'PACKAGE-MANAGER', 'PACKAGE_MANAGER', 'PERSISTENT-ID', 'PERSISTENT_ID', 'OTHER']),
  referenceType: text(256),
  referenceLocator: text(4096),
  comment: z.string().max(65_536).optional(),
});

const spdxPackage = z.looseObject({
  SPDXID: text(512).regex(SPDX_ID, 'must look like SPDXRef-<letters, digits, "." or "-">'),
  name: text(1024),
  downloadLocation: text(8192),
  versionInfo: z.string().max(1024).optional(),
  externalRefs: z.array(externalRef).max(1000).optional(),
});

const spdxDocument = z.looseObject({
  spdxVersion: z.literal('SPDX-2.3', { message: 'must be "SPDX-2.3"' }),
  dataLicense: z.literal('CC0-1.0', { message: 'must be "CC0-1.0"' }),
  SPDXID: z.literal('SPDXRef-DOCUMENT', { message: 'must be "SPDXRef-DOCUMENT"' }),
  name: text(1024),
  documentNamespace: text(4096).refine((s) => /^[A-Za-z][A-Za-z0-9+.-]*:[^#\s]*$/.test(s), 'must be an absolute URI without "#"'),
  creationInfo: z.looseObject({
    created: z.string().max(64).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, 'must be a UTC date-time such as 2026-01-31T12:00:00Z'),
    creators: z.array(text(1024)).min(1).max(1000),
  }),
  documentDescribes: z.array(text(512)).max(100_000).optional(),
  packages: z.array(z.unknown()).optional(),
  relationships: z
    .array(z.looseObject({ spdxElementId: text(512), relationshipType: text(128), relatedSpdxElement: text(512) }))
    .optional(),
});

export function zodErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[], prefix: (string | number)[] = []): SbomError[] {
  return issues.map((i) => ({ path: pointer([...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p.description) : p))]), message: i.message }));
}

export function readSpdxJson(doc: unknown, limits: SbomLimits, ctx: BuildContext): ParsedSbom {
  if (!isRecord(doc)) reject('The SBOM is not an SPDX document.', { path: '', message: 'Expected a JSON object.' });
  if (typeof doc.spdxVersion === 'string' && doc.spdxVersion !== 'SPDX-2.3') {
    reject('Unsupported SPDX version.', { path: '/spdxVersion', message: `${doc.spdxVersion.slice(0, 40)} is not supported; use SPDX-2.3 JSON.` });
  }
  const head = spdxDocument.safeParse(doc);
  if (!head.success) reject('The SBOM does not conform to SPDX 2.3.', zodErrors(head.error.issues));
  const packages = head.data.packages ?? [];
  if (packages.length > limits.maxComponents) {
    reject('The SBOM has too many components.', {
      path: '/packages',
      message: `${packages.length} packages; the limit (maxComponents) is ${limits.maxComponents}.`,
    });
  }
  const errors: SbomError[] = [];
  const components: SbomComponent[] = [];
  const byId = new Map<string, SbomComponent>();
  const seenIds = new Map<string, number>();
  packages.forEach((raw, i) => {
    const parsed = spdxPackage.safeParse(raw);
    if (!parsed.success) {
      errors.push(...zodErrors(parsed.error.issues, ['packages', i]));
      return;
    }
    const p = parsed.data;
    const first = seenIds.get(p.SPDXID);
    if (first !== undefined) {
      errors.push({ path: pointer(['packages', i, 'SPDXID']), message: `${p.SPDXID} is already used by /packages/${first}; SPDX identifiers must be unique.` });
      return;
    }
    seenIds.set(p.SPDXID, i);
    let purl: string | undefined;
    let purlAt = pointer(['packages', i, 'externalRefs']);
    const cpes: { cpe23?: [string, string]; cpe22?: [string, string] } = {};
    (p.externalRefs ?? []).forEach((ref, j) => {
      const type = ref.referenceType.toLowerCase();
      const where = pointer(['packages', i, 'externalRefs', j, 'referenceLocator']);
      if (type === 'purl' && purl === undefined) {
        purl = ref.referenceLocator;
        purlAt = where;
      } else if (type === 'cpe23type' && !cpes.cpe23) cpes.cpe23 = [ref.referenceLocator, where];
      else if (type === 'cpe22type' && !cpes.cpe22) cpes.cpe22 = [ref.referenceLocator, where];
    });
    const [cpe, cpeAt] = cpes.cpe23 ?? cpes.cpe22 ?? [undefined, purlAt];
    const at = pointer(['packages', i]);
    const built = buildComponent(
      { name: p.name, version: p.versionInfo, purl, cpe, bomRef: p.SPDXID },
      at,
      { purl: purlAt, cpe: cpeAt, name: `${at}/name` },
      { ...ctx, errors },
    );
    if (built) {
      components.push(built);
      byId.set(p.SPDXID, built);
    }
  });
  if (errors.length > 0) reject('The SBOM has invalid packages.', errors);

  const described = new Set(head.data.documentDescribes ?? []);
  for (const r of head.data.relationships ?? []) {
    if (r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES') described.add(r.relatedSpdxElement);
    if (r.relatedSpdxElement === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBED_BY') described.add(r.spdxElementId);
  }
  const describedPackages = [...described].map((id) => byId.get(id)).filter((c): c is SbomComponent => c !== undefined);
  const out: ParsedSbom = {
    format: 'spdx-json',
    specVersion: '2.3',
    serialNumber: head.data.documentNamespace,
    name: head.data.name,
    components: dedupe(components, ctx.warnings),
    warnings: ctx.warnings,
  };
  if (describedPackages.length === 1) out.subject = describedPackages[0];
  return out;
}
