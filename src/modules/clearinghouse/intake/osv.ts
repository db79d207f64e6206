// OSV records (https://ossf.github.io/osv-schema/): one object, an array, or JSON Lines. Each
// record becomes a candidate: id and aliases, affected packages with their ranges and versions,
// CVSS vectors from severity, CWE from database_specific (the GitHub advisory convention).
import { z } from 'zod';
import { CANDIDATE_LIMITS as L } from './limits.ts';
import { osvRangeSchema, type AffectedProduct, type CandidateReport, type CvssVector } from './candidate.ts';
import { reject, zodErrors, type IntakeError } from './errors.ts';
import { purlFor, splitPurl } from './purl.ts';
import { capList, clip, firstLine, isRecord, isUrlish, normaliseCwe, parseCvss, uniq } from './text.ts';

const s = (max: number) => z.string().min(1).max(max);
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const severity = z.looseObject({ type: z.enum(['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu']), score: s(512) });

const osvAffected = z.looseObject({
  package: z.looseObject({ ecosystem: s(L.name), name: s(L.name), purl: s(L.purl).optional() }).optional(),
  severity: z.array(severity).max(L.cvss).optional(),
  ranges: z.array(z.unknown()).max(L.ranges).optional(),
  versions: z.array(s(L.version)).max(L.versions).optional(),
  ecosystem_specific: z.unknown().optional(),
  database_specific: z.unknown().optional(),
});

export const osvRecordSchema = z.looseObject({
  schema_version: s(32).optional(),
  id: s(L.id),
  modified: z.string().max(64).regex(DATE, 'must be an RFC 3339 date-time'),
  published: z.string().max(64).regex(DATE, 'must be an RFC 3339 date-time').optional(),
  withdrawn: z.string().max(64).regex(DATE, 'must be an RFC 3339 date-time').optional(),
  aliases: z.array(s(L.id)).max(1000).optional(),
  related: z.array(s(L.id)).max(1000).optional(),
  upstream: z.array(s(L.id)).max(1000).optional(),
  summary: z.string().max(L.text).optional(),
  details: z.string().max(1_000_000).optional(),
  severity: z.array(severity).max(L.cvss).optional(),
  affected: z.array(osvAffected).max(L.affected).optional(),
  references: z.array(z.looseObject({ type: s(64), url: s(L.url) })).max(10_000).optional(),
  credits: z.array(z.unknown()).max(1000).optional(),
  database_specific: z.unknown().optional(),
});

function cvssFrom(list: readonly { type: string; score: string }[] | undefined, warnings: string[], at: string): CvssVector[] {
  const out: CvssVector[] = [];
  for (const sev of list ?? []) {
    if (sev.type !== 'CVSS_V3' && sev.type !== 'CVSS_V4') continue;
    const parsed = parseCvss(sev.score);
    if (parsed) out.push(parsed);
    else warnings.push(`${at}: "${sev.score.slice(0, 80)}" is not a valid ${sev.type} vector and was ignored.`);
  }
  return out;
}

function cwesFrom(v: unknown): string[] {
  if (!isRecord(v)) return [];
  const raw = v.cwe_ids ?? v.cwe ?? v.cwes;
  const list = Array.isArray(raw) ? raw : raw !== undefined ? [raw] : [];
  return list.map(normaliseCwe).filter((x): x is string => x !== undefined);
}

/** One OSV record (already JSON) → candidate; `at` prefixes every path (e.g. "/3" or a line). */
export function readOsvRecord(doc: unknown, at: (string | number)[], warnings: string[]): CandidateReport {
  const parsed = osvRecordSchema.safeParse(doc);
  if (!parsed.success) reject('The OSV record does not conform to the OSV schema.', zodErrors(parsed.error.issues, at));
  const r = parsed.data;
  const errors: IntakeError[] = [];
  const where = at.map((x) => `/${x}`).join('');
  const cvss: CvssVector[] = cvssFrom(r.severity, warnings, `${where}/severity`);
  const affected: AffectedProduct[] = [];
  (r.affected ?? []).forEach((a, i) => {
    const ranges = (a.ranges ?? []).map((range, j) => {
      const checked = osvRangeSchema.safeParse(isRecord(range) ? { type: range.type, repo: range.repo, events: range.events } : range);
      if (!checked.success) errors.push(...zodErrors(checked.error.issues, [...at, 'affected', i, 'ranges', j]));
      return checked.success ? checked.data : undefined;
    });
    cvss.push(...cvssFrom(a.severity, warnings, `${where}/affected/${i}/severity`));
    const product: AffectedProduct = {};
    if (a.package) {
      product.ecosystem = a.package.ecosystem;
      product.name = a.package.name;
      if (a.package.purl) {
        try {
          product.purl = splitPurl(a.package.purl).base;
        } catch (e) {
          errors.push({ path: `${where}/affected/${i}/package/purl`, message: `not a valid package-url: ${e instanceof Error ? e.message.slice(0, 200) : ''}` });
        }
      } else {
        const derived = purlFor(a.package.ecosystem, a.package.name);
        if (derived) product.purl = derived;
      }
    }
    const okRanges = ranges.filter((x): x is NonNullable<typeof x> => x !== undefined);
    if (okRanges.length > 0) product.ranges = okRanges;
    if (a.versions && a.versions.length > 0) product.versions = a.versions;
    if (product.purl === undefined && product.name === undefined) {
      if (!product.ranges?.some((x) => x.type === 'GIT')) {
        errors.push({ path: `${where}/affected/${i}`, message: 'an affected entry needs a package (or GIT ranges)' });
        return;
      }
      product.name = product.ranges.find((x) => x.type === 'GIT')!.repo;
    }
    affected.push(product);
  });
  if (errors.length > 0) reject('The OSV record does not conform to the OSV schema.', errors);
  const cwe = uniq([...cwesFrom(r.database_specific), ...(r.affected ?? []).flatMap((a) => cwesFrom(a.database_specific))]);
  const title = r.summary?.trim() || firstLine(r.details ?? '') || r.id;
  const out: CandidateReport = {
    source: 'osv',
    title: clip(title, L.title, `${where}/summary`, warnings),
    description: clip(r.details?.trim() || r.summary?.trim() || r.id, L.description, `${where}/details`, warnings),
    affected,
    fingerprints: {},
    references: capList(uniq((r.references ?? []).map((x) => x.url).filter(isUrlish)), L.references, `${where}/references`, warnings),
    ids: capList(uniq([r.id, ...(r.aliases ?? [])]), L.ids, `${where}/aliases`, warnings),
  };
  if (cwe.length > 0) out.cwe = capList(cwe, L.cwe, `${where} CWE entries`, warnings);
  const uniqueCvss = uniq(cvss.map((c) => c.vector)).map((v) => cvss.find((c) => c.vector === v)!);
  if (uniqueCvss.length > 0) out.cvss = capList(uniqueCvss, L.cvss, `${where} CVSS vectors`, warnings);
  if (r.published) out.published = r.published;
  if (r.withdrawn) {
    out.withdrawn = r.withdrawn;
    warnings.push(`${r.id} was withdrawn on ${r.withdrawn}.`);
  }
  return out;
}

