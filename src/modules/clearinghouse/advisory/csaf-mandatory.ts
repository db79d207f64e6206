// CSAF 2.0 mandatory tests (OASIS CSAF 2.0, section 6.1: 6.1.1 … 6.1.33 with 6.1.27.1 … 6.1.27.11).
// Pure: the input is any parsed JSON value, possibly not even schema-valid, so every access is
// defensive and a malformed part is skipped here (the schema check reports it).
// Limits, because some tests need catalogues this file cannot hold in full:
//   6.1.11 CWE   — checks the id format everywhere and the name for the CWE entries in CWE_NAMES;
//                  an id outside that table passes unchecked.
//   6.1.12 Lang  — checks BCP 47 syntax and that a two-letter primary language is an ISO 639-1 code;
//                  three-letter languages and region/script subtags are checked for syntax only.
import calculator from 'ae-cvss-calculator';
import { PackageURL } from 'packageurl-js';
import { CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA, validateCvssObject } from './cvss-json-schemas.ts';

const { Cvss2, Cvss3P0, Cvss3P1 } = calculator;

export interface CsafTestFailure {
  test: string;
  path: string;
  message: string;
}

export const MANDATORY_TEST_IDS = [
  '6.1.1', '6.1.2', '6.1.3', '6.1.4', '6.1.5', '6.1.6', '6.1.7', '6.1.8', '6.1.9', '6.1.10',
  '6.1.11', '6.1.12', '6.1.13', '6.1.14', '6.1.15', '6.1.16', '6.1.17', '6.1.18', '6.1.19', '6.1.20',
  '6.1.21', '6.1.22', '6.1.23', '6.1.24', '6.1.25', '6.1.26',
  '6.1.27.1', '6.1.27.2', '6.1.27.3', '6.1.27.4', '6.1.27.5', '6.1.27.6', '6.1.27.7', '6.1.27.8',
  '6.1.27.9', '6.1.27.10', '6.1.27.11',
  '6.1.28', '6.1.29', '6.1.30', '6.1.31', '6.1.32', '6.1.33',
] as const;
export type MandatoryTestId = (typeof MANDATORY_TEST_IDS)[number];

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const obj = (x: unknown): Obj => (isObj(x) ? x : {});
const str = (x: unknown): string | undefined => (typeof x === 'string' ? x : undefined);

interface Ctx {
  doc: Obj;
  document: Obj;
  tracking: Obj;
  tree: Obj;
  vulns: Obj[];
  fail: (test: MandatoryTestId, path: string, message: string) => void;
}

// ---------- product tree walking ----------

interface FullProductName {
  path: string;
  node: Obj;
}

/** Every full_product_name_t in the product tree, with its JSON path. */
function fullProductNames(tree: Obj): FullProductName[] {
  const out: FullProductName[] = [];
  const walk = (branches: unknown, path: string, depth: number) => {
    if (depth > 64) return;
    arr(branches).forEach((b, i) => {
      const bp = `${path}/${i}`;
      if (!isObj(b)) return;
      if (isObj(b.product)) out.push({ path: `${bp}/product`, node: b.product });
      walk(b.branches, `${bp}/branches`, depth + 1);
    });
  };
  walk(tree.branches, '/product_tree/branches', 0);
  arr(tree.full_product_names).forEach((p, i) => isObj(p) && out.push({ path: `/product_tree/full_product_names/${i}`, node: p }));
  arr(tree.relationships).forEach((r, i) => {
    if (isObj(r) && isObj(r.full_product_name)) out.push({ path: `/product_tree/relationships/${i}/full_product_name`, node: r.full_product_name });
  });
  return out;
}

const PRODUCT_STATUS_KEYS = ['first_affected', 'first_fixed', 'fixed', 'known_affected', 'known_not_affected', 'last_affected', 'recommended', 'under_investigation'] as const;

interface Ref {
  id: string;
  path: string;
}

function productIdRefs(c: Ctx): Ref[] {
  const refs: Ref[] = [];
  const push = (x: unknown, path: string) => {
    const s = str(x);
    if (s !== undefined) refs.push({ id: s, path });
  };
  arr(c.tree.product_groups).forEach((g, i) => arr(obj(g).product_ids).forEach((p, j) => push(p, `/product_tree/product_groups/${i}/product_ids/${j}`)));
  arr(c.tree.relationships).forEach((r, i) => {
    push(obj(r).product_reference, `/product_tree/relationships/${i}/product_reference`);
    push(obj(r).relates_to_product_reference, `/product_tree/relationships/${i}/relates_to_product_reference`);
  });
  c.vulns.forEach((v, i) => {
    const vp = `/vulnerabilities/${i}`;
    const ps = obj(v.product_status);
    for (const k of PRODUCT_STATUS_KEYS) arr(ps[k]).forEach((p, j) => push(p, `${vp}/product_status/${k}/${j}`));
    arr(v.remediations).forEach((r, j) => arr(obj(r).product_ids).forEach((p, k) => push(p, `${vp}/remediations/${j}/product_ids/${k}`)));
    arr(v.scores).forEach((s, j) => arr(obj(s).products).forEach((p, k) => push(p, `${vp}/scores/${j}/products/${k}`)));
    arr(v.threats).forEach((t, j) => arr(obj(t).product_ids).forEach((p, k) => push(p, `${vp}/threats/${j}/product_ids/${k}`)));
    arr(v.flags).forEach((f, j) => arr(obj(f).product_ids).forEach((p, k) => push(p, `${vp}/flags/${j}/product_ids/${k}`)));
  });
  return refs;
}

function groupIdRefs(c: Ctx): Ref[] {
  const refs: Ref[] = [];
  c.vulns.forEach((v, i) => {
    for (const key of ['remediations', 'threats', 'flags'] as const) {
      arr(v[key]).forEach((x, j) =>
        arr(obj(x).group_ids).forEach((g, k) => {
          const s = str(g);
          if (s !== undefined) refs.push({ id: s, path: `/vulnerabilities/${i}/${key}/${j}/group_ids/${k}` });
        }),
      );
    }
  });
  return refs;
}

function groupMembers(tree: Obj): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const g of arr(tree.product_groups)) {
    const id = str(obj(g).group_id);
    if (id !== undefined) m.set(id, arr(obj(g).product_ids).filter((x): x is string => typeof x === 'string'));
  }
  return m;
}

/** Product ids an element (remediation, flag, threat) covers directly or through its groups. */
function coveredProducts(x: Obj, groups: Map<string, string[]>): Set<string> {
  const out = new Set<string>();
  for (const p of arr(x.product_ids)) if (typeof p === 'string') out.add(p);
  for (const g of arr(x.group_ids)) if (typeof g === 'string') for (const p of groups.get(g) ?? []) out.add(p);
  return out;
}

// ---------- versions ----------

const INTEGER_VERSION = /^(0|[1-9][0-9]*)$/;
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

interface Semver {
  major: number;
  minor: number;
  patch: number;
  pre: string[];
}
type Version = { kind: 'integer'; n: number } | { kind: 'semver'; v: Semver };

function parseVersion(s: unknown): Version | undefined {
  if (typeof s !== 'string') return undefined;
  if (INTEGER_VERSION.test(s)) return { kind: 'integer', n: Number(s) };
  const m = SEMVER.exec(s);
  if (!m) return undefined;
  return { kind: 'semver', v: { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ? m[4].split('.') : [] } };
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const an = /^\d+$/.test(a[i]), bn = /^\d+$/.test(b[i]);
    if (an && bn) {
      const d = Number(a[i]) - Number(b[i]);
      if (d !== 0) return Math.sign(d);
    } else if (an !== bn) return an ? -1 : 1;
    else if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/** Semantic-versioning precedence (build metadata ignored); undefined when the schemes differ. */
function compareVersions(a: Version, b: Version): number | undefined {
  if (a.kind === 'integer' && b.kind === 'integer') return Math.sign(a.n - b.n);
  if (a.kind === 'semver' && b.kind === 'semver') {
    return Math.sign(a.v.major - b.v.major) || Math.sign(a.v.minor - b.v.minor) || Math.sign(a.v.patch - b.v.patch) || comparePre(a.v.pre, b.v.pre);
  }
  return undefined;
}

// ---------- dates ----------

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/** An RFC 3339 instant as [whole seconds since epoch, fraction digits]: exact below the millisecond. */
function instant(s: unknown): [number, string] | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DATE_TIME.exec(s);
  if (!m) return undefined;
  let secs = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) / 1000;
  if (m[8].toUpperCase() !== 'Z') {
    const sign = m[8][0] === '-' ? -1 : 1;
    secs -= sign * (Number(m[8].slice(1, 3)) * 3600 + Number(m[8].slice(4, 6)) * 60);
  }
  return [secs, (m[7] ?? '').replace(/0+$/, '')];
}

function compareInstants(a: [number, string], b: [number, string]): number {
  if (a[0] !== b[0]) return Math.sign(a[0] - b[0]);
  const len = Math.max(a[1].length, b[1].length);
  const fa = a[1].padEnd(len, '0'), fb = b[1].padEnd(len, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

interface RevisionItem {
  index: number;
  number: string;
  version: Version;
  date: [number, string];
}

function revisionItems(c: Ctx): RevisionItem[] | undefined {
  const items: RevisionItem[] = [];
  const raw = arr(c.tracking.revision_history);
  for (let i = 0; i < raw.length; i++) {
    const r = obj(raw[i]);
    const version = parseVersion(r.number);
    const date = instant(r.date);
    if (!version || !date) return undefined;
    items.push({ index: i, number: r.number as string, version, date });
  }
  return items;
}

function sameScheme(items: RevisionItem[]): boolean {
  return items.every((it) => it.version.kind === items[0]?.version.kind);
}

/** Ascending by date; items of the same instant ascending by number. */
function byDate(items: RevisionItem[]): RevisionItem[] {
  return [...items].sort((a, b) => compareInstants(a.date, b.date) || (compareVersions(a.version, b.version) ?? 0));
}

// ---------- catalogues ----------

/** CWE names (CWE 4.x) for the weaknesses the clearinghouse meets most; see the header for the limit. */
export const CWE_NAMES: Readonly<Record<string, string>> = {
  'CWE-20': 'Improper Input Validation',
  'CWE-22': "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
  'CWE-77': "Improper Neutralization of Special Elements used in a Command ('Command Injection')",
  'CWE-78': "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
  'CWE-79': "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
  'CWE-89': "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
  'CWE-94': "Improper Control of Generation of Code ('Code Injection')",
  'CWE-119': 'Improper Restriction of Operations within the Bounds of a Memory Buffer',
  'CWE-125': 'Out-of-bounds Read',
  'CWE-190': 'Integer Overflow or Wraparound',
  'CWE-200': 'Exposure of Sensitive Information to an Unauthorized Actor',
  'CWE-269': 'Improper Privilege Management',
  'CWE-276': 'Incorrect Default Permissions',
  'CWE-287': 'Improper Authentication',
  'CWE-306': 'Missing Authentication for Critical Function',
  'CWE-352': 'Cross-Site Request Forgery (CSRF)',
  'CWE-362': "Concurrent Execution using Shared Resource with Improper Synchronization ('Race Condition')",
  'CWE-400': 'Uncontrolled Resource Consumption',
  'CWE-416': 'Use After Free',
  'CWE-434': 'Unrestricted Upload of File with Dangerous Type',
  'CWE-476': 'NULL Pointer Dereference',
  'CWE-502': 'Deserialization of Untrusted Data',
  'CWE-611': 'Improper Restriction of XML External Entity Reference',
  'CWE-787': 'Out-of-bounds Write',
  'CWE-798': 'Use of Hard-coded Credentials',
  'CWE-862': 'Missing Authorization',
  'CWE-863': 'Incorrect Authorization',
  'CWE-918': 'Server-Side Request Forgery (SSRF)',
  'CWE-1333': 'Inefficient Regular Expression Complexity',
  'CWE-1426': 'Improper Validation of Generative AI Output',
  'CWE-1427': 'Improper Neutralization of Input Used for LLM Prompting',
};

// ISO 639-1 (two-letter) language codes.
const ISO_639_1 = new Set(
  ('aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo es et eu ' +
    'fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ' +
    'ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os ' +
    'pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ' +
    'ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu').split(' '),
);
// BCP 47 language tag (the IANA registry holds no 4- to 8-letter primary language subtags, so those
// syntactically allowed forms are refused): language[-extlang][-script][-region](-variant)*(-extension)*[-privateuse], or private use alone.
const BCP47 =
  /^(?:(?<lang>[a-z]{2,3}(?:-[a-z]{3}){0,3})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|i-[a-z]{2,8})$/i;

function languageProblem(tag: string): string | undefined {
  const m = BCP47.exec(tag);
  if (!m) return `"${tag}" is not a BCP 47 language tag`;
  const lang = m.groups?.lang?.split('-')[0]?.toLowerCase();
  if (lang && lang.length === 2 && !ISO_639_1.has(lang)) return `"${lang}" is not an ISO 639-1 language code`;
  return undefined;
}

// ---------- CVSS ----------

type Calculator = { calculateScores(): { base?: number; temporal?: number; environmental?: number }; createJsonSchema(): Record<string, unknown> };

function calculatorFor(kind: 'v2' | 'v3', cvss: Obj): Calculator | undefined {
  const vector = str(cvss.vectorString);
  if (vector === undefined) return undefined;
  try {
    if (kind === 'v2') {
      if (validateCvssObject(CVSS_V2_SCHEMA, cvss).length > 0) return undefined;
      return remembered('v2', vector, () => new Cvss2(vector) as unknown as Calculator);
    }
    if (vector.startsWith('CVSS:3.0/') && validateCvssObject(CVSS_V30_SCHEMA, { ...cvss, version: '3.0' }).length === 0) return remembered('3.0', vector, () => new Cvss3P0(vector) as unknown as Calculator);
    if (vector.startsWith('CVSS:3.1/') && validateCvssObject(CVSS_V31_SCHEMA, { ...cvss, version: '3.1' }).length === 0) return remembered('3.1', vector, () => new Cvss3P1(vector) as unknown as Calculator);
  } catch {
    return undefined;
  }
  return undefined;
}

// A calculator's answers depend on its vector alone, and every document repeats the same few
// vectors (tests 6.1.9 and 6.1.10 each ask), so they are remembered per vector, boundedly.
// A vector the calculator refuses is not remembered: the error is raised again each time.
const CALCULATOR_LIMIT = 1_000;
const calculators = new Map<string, Calculator>();

function remembered(kind: string, vector: string, make: () => Calculator): Calculator {
  const key = `${kind} ${vector}`;
  const known = calculators.get(key);
  if (known) return known;
  const calc = make();
  let scores: ReturnType<Calculator['calculateScores']> | undefined;
  let json: Record<string, unknown> | undefined;
  const memo: Calculator = {
    calculateScores: () => (scores ??= Object.freeze(calc.calculateScores())),
    createJsonSchema: () => (json ??= Object.freeze(calc.createJsonSchema())),
  };
  if (calculators.size >= CALCULATOR_LIMIT) calculators.delete(calculators.keys().next().value as string);
  calculators.set(key, memo);
  return memo;
}

const severityOf = (s: number) => (s === 0 ? 'NONE' : s < 4 ? 'LOW' : s < 7 ? 'MEDIUM' : s < 9 ? 'HIGH' : 'CRITICAL');

interface CvssEntry {
  kind: 'v2' | 'v3';
  path: string;
  value: Obj;
}

function cvssEntries(c: Ctx): CvssEntry[] {
  const out: CvssEntry[] = [];
  c.vulns.forEach((v, i) =>
    arr(v.scores).forEach((s, j) => {
      const so = obj(s);
      if (isObj(so.cvss_v2)) out.push({ kind: 'v2', path: `/vulnerabilities/${i}/scores/${j}/cvss_v2`, value: so.cvss_v2 });
      if (isObj(so.cvss_v3)) out.push({ kind: 'v3', path: `/vulnerabilities/${i}/scores/${j}/cvss_v3`, value: so.cvss_v3 });
    }),
  );
  return out;
}

const PROFILES = ['csaf_base', 'csaf_security_incident_response', 'csaf_informational_advisory', 'csaf_security_advisory', 'csaf_vex'];
const normaliseCategory = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
const RESERVED_CATEGORY_NAMES = new Set(
  PROFILES.filter((p) => p !== 'csaf_base').flatMap((p) => [normaliseCategory(p), normaliseCategory(p.slice('csaf_'.length))]),
);
const VEX_JUSTIFICATIONS = new Set([
  'component_not_present',
  'inline_mitigations_already_exist',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_not_present',
]);
const RANGE_WORDS = new Set(['after', 'all', 'before', 'earlier', 'later', 'prior', 'versions']);

// ---------- the tests ----------

const TESTS: Record<MandatoryTestId, (c: Ctx) => void> = {
  '6.1.1': (c) => {
    const defined = new Set(fullProductNames(c.tree).map((p) => str(p.node.product_id)).filter((x) => x !== undefined));
    for (const r of productIdRefs(c)) if (!defined.has(r.id)) c.fail('6.1.1', r.path, `product id ${r.id} is not defined in the product tree`);
  },
  '6.1.2': (c) => {
    const seen = new Map<string, string>();
    for (const p of fullProductNames(c.tree)) {
      const id = str(p.node.product_id);
      if (id === undefined) continue;
      const first = seen.get(id);
      if (first) c.fail('6.1.2', `${p.path}/product_id`, `product id ${id} is already defined at ${first}`);
      else seen.set(id, `${p.path}/product_id`);
    }
  },
  '6.1.3': (c) => {
    const edges = new Map<string, string[]>();
    const where = new Map<string, string>();
    arr(c.tree.relationships).forEach((r, i) => {
      const ro = obj(r);
      const id = str(obj(ro.full_product_name).product_id);
      if (id === undefined) return;
      const to = [str(ro.product_reference), str(ro.relates_to_product_reference)].filter((x): x is string => x !== undefined);
      edges.set(id, [...(edges.get(id) ?? []), ...to]);
      if (!where.has(id)) where.set(id, `/product_tree/relationships/${i}`);
    });
    // A product defined by a relationship must not be built, directly or through others, from itself.
    for (const start of edges.keys()) {
      const seen = new Set<string>();
      const stack = [...(edges.get(start) ?? [])];
      while (stack.length > 0) {
        const id = stack.pop() as string;
        if (id === start) {
          c.fail('6.1.3', where.get(start) as string, `product id ${start} is defined in terms of itself`);
          break;
        }
        if (seen.has(id)) continue;
        seen.add(id);
        stack.push(...(edges.get(id) ?? []));
      }
    }
  },
  '6.1.4': (c) => {
    const defined = new Set(arr(c.tree.product_groups).map((g) => str(obj(g).group_id)));
    for (const r of groupIdRefs(c)) if (!defined.has(r.id)) c.fail('6.1.4', r.path, `product group id ${r.id} is not defined`);
  },
  '6.1.5': (c) => {
    const seen = new Set<string>();
    arr(c.tree.product_groups).forEach((g, i) => {
      const id = str(obj(g).group_id);
      if (id === undefined) return;
      if (seen.has(id)) c.fail('6.1.5', `/product_tree/product_groups/${i}/group_id`, `product group id ${id} is defined more than once`);
      seen.add(id);
    });
  },
  '6.1.6': (c) => {
    const GROUPS: Record<string, string> = {
      first_affected: 'affected', known_affected: 'affected', last_affected: 'affected',
      known_not_affected: 'not affected', first_fixed: 'fixed', fixed: 'fixed', under_investigation: 'under investigation',
    };
    c.vulns.forEach((v, i) => {
      const ps = obj(v.product_status);
      const seen = new Map<string, string>();
      for (const [key, group] of Object.entries(GROUPS)) {
        arr(ps[key]).forEach((p, j) => {
          if (typeof p !== 'string') return;
          const prior = seen.get(p);
          if (prior !== undefined && prior !== group) c.fail('6.1.6', `/vulnerabilities/${i}/product_status/${key}/${j}`, `product ${p} is both ${prior} and ${group}`);
          if (prior === undefined) seen.set(p, group);
        });
      }
    });
  },
  '6.1.7': (c) => {
    c.vulns.forEach((v, i) => {
      const seen = new Set<string>();
      arr(v.scores).forEach((s, j) => {
        const so = obj(s);
        const kinds: string[] = [];
        if (isObj(so.cvss_v2)) kinds.push(`2:${String(so.cvss_v2.version)}`);
        if (isObj(so.cvss_v3)) kinds.push(`3:${String(so.cvss_v3.version)}`);
        arr(so.products).forEach((p, k) => {
          for (const kind of kinds) {
            const key = `${String(p)}|${kind}`;
            if (seen.has(key)) c.fail('6.1.7', `/vulnerabilities/${i}/scores/${j}/products/${k}`, `product ${String(p)} has more than one CVSS ${kind.slice(2)} score`);
            seen.add(key);
          }
        });
      });
    });
  },
  '6.1.8': (c) => {
    for (const e of cvssEntries(c)) {
      const version = str(e.value.version);
      const schema = e.kind === 'v2' ? CVSS_V2_SCHEMA : version === '3.0' ? CVSS_V30_SCHEMA : version === '3.1' ? CVSS_V31_SCHEMA : undefined;
      if (!schema) {
        c.fail('6.1.8', `${e.path}/version`, `CVSS version ${String(e.value.version)} is not 3.0 or 3.1`);
        continue;
      }
      for (const msg of validateCvssObject(schema, e.value)) c.fail('6.1.8', e.path, msg);
    }
  },
  '6.1.9': (c) => {
    for (const e of cvssEntries(c)) {
      const calc = calculatorFor(e.kind, e.value);
      if (!calc) continue;
      const computed = calc.calculateScores();
      const checks: [string, number | undefined, boolean][] = [
        ['baseScore', computed.base, false],
        ['temporalScore', computed.temporal, false],
        ['environmentalScore', computed.environmental, false],
      ];
      if (e.kind === 'v3') checks.push(['baseSeverity', computed.base, true], ['temporalSeverity', computed.temporal, true], ['environmentalSeverity', computed.environmental, true]);
      for (const [prop, value, isSeverity] of checks) {
        if (!(prop in e.value) || value === undefined) continue;
        const want = isSeverity ? severityOf(value) : value;
        if (e.value[prop] !== want) c.fail('6.1.9', `${e.path}/${prop}`, `${prop} is ${String(e.value[prop])} but the vector gives ${want}`);
      }
    }
  },
  '6.1.10': (c) => {
    const SCORES = new Set(['version', 'vectorString', 'baseScore', 'temporalScore', 'environmentalScore', 'baseSeverity', 'temporalSeverity', 'environmentalSeverity']);
    for (const e of cvssEntries(c)) {
      const calc = calculatorFor(e.kind, e.value);
      if (!calc) continue;
      const fromVector = calc.createJsonSchema();
      for (const [prop, value] of Object.entries(e.value)) {
        if (SCORES.has(prop) || !(prop in fromVector)) continue;
        if (value !== fromVector[prop]) c.fail('6.1.10', `${e.path}/${prop}`, `${prop} is ${String(value)} but the vector says ${String(fromVector[prop])}`);
      }
      const vector = str(e.value.vectorString) ?? '';
      if (e.kind === 'v3' && !vector.startsWith(`CVSS:${String(e.value.version)}/`)) c.fail('6.1.10', `${e.path}/version`, 'version does not match the vector string');
    }
  },
  '6.1.11': (c) => {
    c.vulns.forEach((v, i) => {
      if (!isObj(v.cwe)) return;
      const id = str(v.cwe.id), name = str(v.cwe.name);
      if (id === undefined || !/^CWE-[1-9]\d{0,5}$/.test(id)) {
        c.fail('6.1.11', `/vulnerabilities/${i}/cwe/id`, `${String(id)} is not a CWE identifier`);
        return;
      }
      const known = CWE_NAMES[id];
      if (known !== undefined && name !== known) c.fail('6.1.11', `/vulnerabilities/${i}/cwe/name`, `the name of ${id} is "${known}"`);
    });
  },
  '6.1.12': (c) => {
    for (const key of ['lang', 'source_lang'] as const) {
      const tag = c.document[key];
      if (typeof tag !== 'string') continue;
      const problem = languageProblem(tag);
      if (problem) c.fail('6.1.12', `/document/${key}`, problem);
    }
  },
  '6.1.13': (c) => {
    for (const p of fullProductNames(c.tree)) {
      const purl = obj(p.node.product_identification_helper).purl;
      if (typeof purl !== 'string') continue;
      try {
        PackageURL.fromString(purl);
      } catch (e) {
        c.fail('6.1.13', `${p.path}/product_identification_helper/purl`, `invalid package URL: ${(e as Error).message}`);
      }
    }
  },
  '6.1.14': (c) => {
    const items = revisionItems(c);
    if (!items || !sameScheme(items)) return;
    const sorted = byDate(items);
    for (let i = 1; i < sorted.length; i++) {
      if ((compareVersions(sorted[i - 1].version, sorted[i].version) ?? 0) > 0) {
        c.fail('6.1.14', `/document/tracking/revision_history/${sorted[i].index}`, `revision ${sorted[i].number} is dated after revision ${sorted[i - 1].number} yet numbered before it`);
      }
    }
  },
  '6.1.15': (c) => {
    if (obj(c.document.publisher).category === 'translator' && c.document.source_lang === undefined) {
      c.fail('6.1.15', '/document/source_lang', 'a translator must give the source language');
    }
  },
  '6.1.16': (c) => {
    const items = revisionItems(c);
    const version = parseVersion(c.tracking.version);
    if (!items || items.length === 0 || !version || !sameScheme(items) || items[0].version.kind !== version.kind) return;
    const last = byDate(items)[items.length - 1];
    const draft = c.tracking.status === 'draft';
    const strip = (v: Version): Version => (v.kind === 'semver' && draft ? { kind: 'semver', v: { ...v.v, pre: [] } } : v);
    if (compareVersions(strip(version), strip(last.version)) !== 0) {
      c.fail('6.1.16', '/document/tracking/version', `version ${String(c.tracking.version)} is not the latest revision ${last.number}`);
    }
  },
  '6.1.17': (c) => {
    const v = parseVersion(c.tracking.version);
    if (!v || c.tracking.status === 'draft') return;
    const preliminary = v.kind === 'integer' ? v.n === 0 : v.v.major === 0 || v.v.pre.length > 0;
    if (preliminary) c.fail('6.1.17', '/document/tracking/status', `version ${String(c.tracking.version)} requires status draft`);
  },
  '6.1.18': (c) => {
    if (c.tracking.status !== 'final' && c.tracking.status !== 'interim') return;
    arr(c.tracking.revision_history).forEach((r, i) => {
      const v = parseVersion(obj(r).number);
      if (v && (v.kind === 'integer' ? v.n === 0 : v.v.major === 0)) {
        c.fail('6.1.18', `/document/tracking/revision_history/${i}/number`, `a ${String(c.tracking.status)} document lists the unreleased revision ${String(obj(r).number)}`);
      }
    });
  },
  '6.1.19': (c) => {
    arr(c.tracking.revision_history).forEach((r, i) => {
      const v = parseVersion(obj(r).number);
      if (v?.kind === 'semver' && v.v.pre.length > 0) c.fail('6.1.19', `/document/tracking/revision_history/${i}/number`, `revision ${String(obj(r).number)} is a pre-release`);
    });
  },
  '6.1.20': (c) => {
    if (c.tracking.status !== 'final' && c.tracking.status !== 'interim') return;
    const v = parseVersion(c.tracking.version);
    if (v?.kind === 'semver' && v.v.pre.length > 0) c.fail('6.1.20', '/document/tracking/version', `a ${String(c.tracking.status)} document cannot have a pre-release version`);
  },
  '6.1.21': (c) => {
    const items = revisionItems(c);
    if (!items || items.length === 0 || !sameScheme(items)) return;
    const numbers = [...new Set(items.map((it) => (it.version.kind === 'integer' ? it.version.n : it.version.v.major)))].sort((a, b) => a - b);
    if (numbers[0] > 1) c.fail('6.1.21', '/document/tracking/revision_history', `the revision history starts at ${numbers[0]}, not 0 or 1`);
    for (let i = 1; i < numbers.length; i++) {
      if (numbers[i] !== numbers[i - 1] + 1) c.fail('6.1.21', '/document/tracking/revision_history', `the revision history skips from ${numbers[i - 1]} to ${numbers[i]}`);
    }
  },
  '6.1.22': (c) => {
    const seen = new Set<string>();
    arr(c.tracking.revision_history).forEach((r, i) => {
      const n = str(obj(r).number);
      if (n === undefined) return;
      if (seen.has(n)) c.fail('6.1.22', `/document/tracking/revision_history/${i}/number`, `revision ${n} appears more than once`);
      seen.add(n);
    });
  },
  '6.1.23': (c) => {
    const seen = new Set<string>();
    c.vulns.forEach((v, i) => {
      const cve = str(v.cve);
      if (cve === undefined) return;
      if (seen.has(cve)) c.fail('6.1.23', `/vulnerabilities/${i}/cve`, `${cve} is used by more than one vulnerability`);
      seen.add(cve);
    });
  },
  '6.1.24': (c) => {
    c.vulns.forEach((v, i) => {
      const seen: { party: unknown; date: [number, string] | undefined; raw: unknown }[] = [];
      arr(v.involvements).forEach((inv, j) => {
        const io = obj(inv);
        const date = instant(io.date);
        const dup = seen.some((s) => s.party === io.party && (s.date && date ? compareInstants(s.date, date) === 0 : s.raw === io.date));
        if (dup) c.fail('6.1.24', `/vulnerabilities/${i}/involvements/${j}`, `party ${String(io.party)} is listed twice for the same date`);
        seen.push({ party: io.party, date, raw: io.date });
      });
    });
  },
  '6.1.25': (c) => {
    for (const p of fullProductNames(c.tree)) {
      arr(obj(p.node.product_identification_helper).hashes).forEach((h, i) => {
        const seen = new Set<string>();
        arr(obj(h).file_hashes).forEach((fh, j) => {
          const alg = str(obj(fh).algorithm);
          if (alg === undefined) return;
          if (seen.has(alg)) c.fail('6.1.25', `${p.path}/product_identification_helper/hashes/${i}/file_hashes/${j}`, `hash algorithm ${alg} is used twice for the same file`);
          seen.add(alg);
        });
      });
    }
  },
  '6.1.26': (c) => {
    const cat = str(c.document.category);
    if (cat === undefined || PROFILES.includes(cat)) return;
    if (cat.toLowerCase().startsWith('csaf_')) c.fail('6.1.26', '/document/category', 'the prefix csaf_ is reserved for the CSAF profiles');
    else if (RESERVED_CATEGORY_NAMES.has(normaliseCategory(cat))) c.fail('6.1.26', '/document/category', `"${cat}" is the name of a CSAF profile; use the profile value`);
  },
  '6.1.27.1': (c) => {
    if (!['csaf_informational_advisory', 'csaf_security_incident_response'].includes(String(c.document.category))) return;
    if (!arr(c.document.notes).some((n) => ['description', 'details', 'general', 'summary'].includes(String(obj(n).category)))) {
      c.fail('6.1.27.1', '/document/notes', 'needs a note of category description, details, general or summary');
    }
  },
  '6.1.27.2': (c) => {
    if (!['csaf_informational_advisory', 'csaf_security_incident_response'].includes(String(c.document.category))) return;
    if (!arr(c.document.references).some((r) => obj(r).category === 'external')) c.fail('6.1.27.2', '/document/references', 'needs an external reference');
  },
  '6.1.27.3': (c) => {
    if (c.document.category === 'csaf_informational_advisory' && 'vulnerabilities' in c.doc) c.fail('6.1.27.3', '/vulnerabilities', 'an informational advisory has no vulnerabilities');
  },
  '6.1.27.4': (c) => {
    if (['csaf_security_advisory', 'csaf_vex'].includes(String(c.document.category)) && !isObj(c.doc.product_tree)) c.fail('6.1.27.4', '/product_tree', 'the profile requires a product tree');
  },
  '6.1.27.5': (c) => {
    if (!['csaf_security_advisory', 'csaf_vex'].includes(String(c.document.category))) return;
    c.vulns.forEach((v, i) => !('notes' in v) && c.fail('6.1.27.5', `/vulnerabilities/${i}/notes`, 'the profile requires notes on each vulnerability'));
  },
  '6.1.27.6': (c) => {
    if (c.document.category !== 'csaf_security_advisory') return;
    c.vulns.forEach((v, i) => !('product_status' in v) && c.fail('6.1.27.6', `/vulnerabilities/${i}/product_status`, 'the profile requires a product status on each vulnerability'));
  },
  '6.1.27.7': (c) => {
    if (c.document.category !== 'csaf_vex') return;
    c.vulns.forEach((v, i) => {
      const ps = obj(v.product_status);
      if (!['fixed', 'known_affected', 'known_not_affected', 'under_investigation'].some((k) => k in ps)) {
        c.fail('6.1.27.7', `/vulnerabilities/${i}/product_status`, 'needs fixed, known_affected, known_not_affected or under_investigation');
      }
    });
  },
  '6.1.27.8': (c) => {
    if (c.document.category !== 'csaf_vex') return;
    c.vulns.forEach((v, i) => !('cve' in v) && !('ids' in v) && c.fail('6.1.27.8', `/vulnerabilities/${i}`, 'needs a cve or ids'));
  },
  '6.1.27.9': (c) => {
    if (c.document.category !== 'csaf_vex') return;
    const groups = groupMembers(c.tree);
    c.vulns.forEach((v, i) => {
      const covered = new Set<string>();
      for (const f of arr(v.flags)) for (const p of coveredProducts(obj(f), groups)) covered.add(p);
      for (const t of arr(v.threats)) if (obj(t).category === 'impact') for (const p of coveredProducts(obj(t), groups)) covered.add(p);
      arr(obj(v.product_status).known_not_affected).forEach((p, j) => {
        if (typeof p === 'string' && !covered.has(p)) c.fail('6.1.27.9', `/vulnerabilities/${i}/product_status/known_not_affected/${j}`, `product ${p} has no impact statement`);
      });
    });
  },
  '6.1.27.10': (c) => {
    if (c.document.category !== 'csaf_vex') return;
    const groups = groupMembers(c.tree);
    c.vulns.forEach((v, i) => {
      const covered = new Set<string>();
      for (const r of arr(v.remediations)) for (const p of coveredProducts(obj(r), groups)) covered.add(p);
      arr(obj(v.product_status).known_affected).forEach((p, j) => {
        if (typeof p === 'string' && !covered.has(p)) c.fail('6.1.27.10', `/vulnerabilities/${i}/product_status/known_affected/${j}`, `product ${p} has no action statement`);
      });
    });
  },
  '6.1.27.11': (c) => {
    if (['csaf_security_advisory', 'csaf_vex'].includes(String(c.document.category)) && !('vulnerabilities' in c.doc)) c.fail('6.1.27.11', '/vulnerabilities', 'the profile requires vulnerabilities');
  },
  '6.1.28': (c) => {
    const lang = str(c.document.lang), source = str(c.document.source_lang);
    if (lang !== undefined && source !== undefined && lang.toLowerCase() === source.toLowerCase()) c.fail('6.1.28', '/document/source_lang', 'a translation has a different language from its source');
  },
  '6.1.29': (c) => {
    c.vulns.forEach((v, i) =>
      arr(v.remediations).forEach((r, j) => {
        if (!('product_ids' in obj(r)) && !('group_ids' in obj(r))) c.fail('6.1.29', `/vulnerabilities/${i}/remediations/${j}`, 'a remediation must name products or product groups');
      }),
    );
  },
  '6.1.30': (c) => {
    const numbers = [c.tracking.version, ...arr(c.tracking.revision_history).map((r) => obj(r).number)].map(parseVersion).filter((v) => v !== undefined);
    if (new Set(numbers.map((v) => v.kind)).size > 1) c.fail('6.1.30', '/document/tracking', 'integer and semantic versioning are mixed');
  },
  '6.1.31': (c) => {
    const walk = (branches: unknown, path: string, depth: number) => {
      if (depth > 64) return;
      arr(branches).forEach((b, i) => {
        const bo = obj(b);
        const name = str(bo.name);
        if (bo.category === 'product_version' && name !== undefined) {
          const words = name.toLowerCase().split(/\s+/);
          if (/[<>]/.test(name) || words.some((w) => RANGE_WORDS.has(w)) || name.toLowerCase().startsWith('vers:')) {
            c.fail('6.1.31', `${path}/${i}/name`, `"${name}" is a version range; use category product_version_range`);
          }
        }
        walk(bo.branches, `${path}/${i}/branches`, depth + 1);
      });
    };
    walk(c.tree.branches, '/product_tree/branches', 0);
  },
  '6.1.32': (c) => {
    c.vulns.forEach((v, i) =>
      arr(v.flags).forEach((f, j) => {
        if (!('product_ids' in obj(f)) && !('group_ids' in obj(f))) c.fail('6.1.32', `/vulnerabilities/${i}/flags/${j}`, 'a flag must name products or product groups');
      }),
    );
  },
  '6.1.33': (c) => {
    const groups = groupMembers(c.tree);
    c.vulns.forEach((v, i) => {
      const seen = new Set<string>();
      arr(v.flags).forEach((f, j) => {
        const fo = obj(f);
        if (!VEX_JUSTIFICATIONS.has(String(fo.label))) return;
        for (const p of coveredProducts(fo, groups)) {
          if (seen.has(p)) c.fail('6.1.33', `/vulnerabilities/${i}/flags/${j}`, `product ${p} has more than one VEX justification`);
          seen.add(p);
        }
      });
    });
  },
};

/** Runs the mandatory tests (all, or those named) and returns every failure found. */
export function runMandatoryTests(doc: unknown, only?: readonly string[]): CsafTestFailure[] {
  const failures: CsafTestFailure[] = [];
  const d = obj(doc);
  const document = obj(d.document);
  const ctx: Ctx = {
    doc: d,
    document,
    tracking: obj(document.tracking),
    tree: obj(d.product_tree),
    vulns: arr(d.vulnerabilities).map(obj),
    fail: (test, path, message) => failures.push({ test, path, message }),
  };
  for (const id of MANDATORY_TEST_IDS) {
    if (only && !only.includes(id)) continue;
    TESTS[id](ctx);
  }
  return failures;
}

/** Ids of the mandatory tests a document fails. */
export function failedMandatoryTests(doc: unknown): string[] {
  return [...new Set(runMandatoryTests(doc).map((f) => f.test))];
}
