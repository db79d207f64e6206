// Reading OSV advisories (ossf.github.io/osv-schema): the fields matching needs, checked, with
// everything else left aside. Pure: takes parsed JSON or text.
import type { OsvAffected, OsvEvent, OsvRange } from './ranges.ts';

export interface OsvAdvisory {
  id: string;
  modified: string;
  published: string | null;
  withdrawn: string | null;
  aliases: string[];
  summary: string | null;
  affected: OsvAffected[];
}

export class InvalidAdvisoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAdvisoryError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string' || v === '') throw new InvalidAdvisoryError(`${what} must be a non-empty string`);
  return v;
};
const optStr = (v: unknown, what: string): string | null => (v === undefined || v === null ? null : str(v, what));
const strList = (v: unknown, what: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new InvalidAdvisoryError(`${what} must be a list of strings`);
  return v as string[];
};

const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

function readRange(r: unknown, where: string): OsvRange {
  if (!isObject(r)) throw new InvalidAdvisoryError(`${where} must be an object`);
  const type = str(r.type, `${where}.type`);
  if (!Array.isArray(r.events) || r.events.length === 0) throw new InvalidAdvisoryError(`${where}.events must be a non-empty list`);
  const events: OsvEvent[] = r.events.map((e, i) => {
    if (!isObject(e)) throw new InvalidAdvisoryError(`${where}.events[${i}] must be an object`);
    const keys = EVENT_KEYS.filter((k) => e[k] !== undefined);
    if (keys.length !== 1) throw new InvalidAdvisoryError(`${where}.events[${i}] must have exactly one of ${EVENT_KEYS.join(', ')}`);
    const k = keys[0]!;
    return { [k]: str(e[k], `${where}.events[${i}].${k}`) } as OsvEvent;
  });
  if (!events.some((e) => e.introduced !== undefined)) throw new InvalidAdvisoryError(`${where} has no introduced event`);
  const range: OsvRange = { type, events };
  if (typeof r.repo === 'string') range.repo = r.repo;
  if (type === 'GIT' && !range.repo) throw new InvalidAdvisoryError(`${where}: a GIT range needs a repo`);
  return range;
}

function readAffected(a: unknown, where: string): OsvAffected {
  if (!isObject(a)) throw new InvalidAdvisoryError(`${where} must be an object`);
  const out: OsvAffected = {};
  if (a.package !== undefined) {
    if (!isObject(a.package)) throw new InvalidAdvisoryError(`${where}.package must be an object`);
    out.package = { ecosystem: str(a.package.ecosystem, `${where}.package.ecosystem`), name: str(a.package.name, `${where}.package.name`) };
    const purl = optStr(a.package.purl, `${where}.package.purl`);
    if (purl) out.package.purl = purl;
  }
  if (a.ranges !== undefined) {
    if (!Array.isArray(a.ranges)) throw new InvalidAdvisoryError(`${where}.ranges must be a list`);
    out.ranges = a.ranges.map((r, i) => readRange(r, `${where}.ranges[${i}]`));
  }
  if (a.versions !== undefined) out.versions = strList(a.versions, `${where}.versions`);
  return out;
}

/** Checks and reads one OSV advisory. Withdrawn advisories are read (and flagged), not refused. */
export function parseOsvAdvisory(json: unknown): OsvAdvisory {
  if (!isObject(json)) throw new InvalidAdvisoryError('an OSV advisory is a JSON object');
  const id = str(json.id, 'id');
  if (json.affected !== undefined && !Array.isArray(json.affected)) throw new InvalidAdvisoryError('affected must be a list');
  return {
    id,
    modified: str(json.modified, 'modified'),
    published: optStr(json.published, 'published'),
    withdrawn: optStr(json.withdrawn, 'withdrawn'),
    aliases: strList(json.aliases, 'aliases'),
    summary: typeof json.summary === 'string' ? json.summary : null,
    affected: ((json.affected as unknown[] | undefined) ?? []).map((a, i) => readAffected(a, `affected[${i}]`)),
  };
}

/** Reads OSV JSON (one advisory, or a list) or JSONL (one advisory a line). */
export function parseOsvText(text: string): OsvAdvisory[] {
  const t = text.trim();
  if (t === '') return [];
  if (t.startsWith('[')) return (JSON.parse(t) as unknown[]).map(parseOsvAdvisory);
  try {
    return [parseOsvAdvisory(JSON.parse(t))];
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  return t
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      try {
        return parseOsvAdvisory(JSON.parse(l));
      } catch (e) {
        throw new InvalidAdvisoryError(`line ${i + 1}: ${(e as Error).message}`);
      }
    });
}
