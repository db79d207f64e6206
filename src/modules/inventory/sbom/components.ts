// Shared by the three readers: a raw component (whatever the format called its fields) becomes a
// normalised SbomComponent, with the purl canonicalised and the CPE checked, and the flattened list
// is bounded and de-duplicated.
import type { SbomError } from './errors.ts';
import { isCpe } from './cpe.ts';
import type { PurlNormaliser } from './purl.ts';
import type { SbomComponent } from './types.ts';

export interface RawComponent {
  name?: string;
  version?: string;
  group?: string;
  purl?: string;
  cpe?: string;
  bomRef?: string;
}

export interface BuildContext {
  normalisePurl: PurlNormaliser;
  invalidPurl: 'reject' | 'drop';
  errors: SbomError[];
  warnings: string[];
}

const MAX_FIELD = 4096;

function clean(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** `paths` name where each field sits, so errors point at the field itself. */
export function buildComponent(
  raw: RawComponent,
  at: string,
  paths: { purl: string; cpe: string; name: string },
  ctx: BuildContext,
): SbomComponent | null {
  const name = clean(raw.name);
  if (!name) {
    ctx.errors.push({ path: paths.name, message: 'A component needs a name.' });
    return null;
  }
  for (const [field, value] of Object.entries(raw)) {
    if (typeof value === 'string' && value.length > MAX_FIELD) {
      ctx.errors.push({ path: `${at}/${field}`, message: `Longer than ${MAX_FIELD} characters.` });
      return null;
    }
  }
  const out: SbomComponent = { name };
  const version = clean(raw.version);
  if (version) out.version = version;
  const group = clean(raw.group);
  if (group) out.group = group;
  const bomRef = clean(raw.bomRef);
  if (bomRef) out.bomRef = bomRef;
  const purl = clean(raw.purl);
  if (purl) {
    try {
      out.purl = ctx.normalisePurl(purl);
    } catch (e) {
      const why = e instanceof Error ? e.message.slice(0, 200) : 'invalid';
      if (ctx.invalidPurl === 'reject') {
        ctx.errors.push({ path: paths.purl, message: `Not a valid package-url: ${why}` });
        return null;
      }
      ctx.warnings.push(`${paths.purl}: package-url dropped (${why}); the component is kept by name and version.`);
    }
  }
  const cpe = clean(raw.cpe);
  if (cpe) {
    if (isCpe(cpe)) out.cpe = cpe;
    else ctx.warnings.push(`${paths.cpe}: "${cpe.slice(0, 80)}" is not a CPE 2.3 or 2.2 name and was ignored.`);
  }
  return out;
}

/** Exact duplicates (same identity fields) are merged; the first bom-ref wins. */
export function dedupe(components: SbomComponent[], warnings: string[]): SbomComponent[] {
  const seen = new Set<string>();
  const out: SbomComponent[] = [];
  for (const c of components) {
    const key = JSON.stringify([c.purl ?? null, c.cpe ?? null, c.group ?? null, c.name, c.version ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  const merged = components.length - out.length;
  if (merged > 0) warnings.push(`${merged} duplicate component${merged === 1 ? '' : 's'} merged.`);
  return out;
}
