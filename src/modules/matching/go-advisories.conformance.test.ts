// Reads all 4,291 advisories of the Go vulnerability database (OSV JSONL, read in place), and
// evaluates every range on probe versions: each event's version and versions just before and
// after it. Checks the OSV invariants and compares with a straightforward reference evaluation
// written here independently (its own version comparison and interval construction).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseOsvAdvisory, type OsvAdvisory } from './osv.ts';
import { compileRange, isAffected, rangeIncludes, type OsvRange } from './ranges.ts';
import { go } from './versions/go.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const file = path.resolve(repoRoot, '..', 'shared', 'conformance', 'advisories', 'go-vulndb.osv.jsonl');

// --- reference: semver precedence by hand, BigInt numbers ----------------------------------
function refParse(v: string): { nums: bigint[]; pre: string[] } {
  const noBuild = v.replace(/^v/, '').split('+')[0]!;
  const dash = noBuild.indexOf('-');
  const core = dash < 0 ? noBuild : noBuild.slice(0, dash);
  const pre = dash < 0 ? [] : noBuild.slice(dash + 1).split('.');
  const nums = core.split('.').map((n) => BigInt(n));
  while (nums.length < 3) nums.push(0n);
  return { nums, pre };
}
function refCompare(a: string, b: string): number {
  const x = refParse(a);
  const y = refParse(b);
  for (let i = 0; i < 3; i++) if (x.nums[i] !== y.nums[i]) return x.nums[i]! < y.nums[i]! ? -1 : 1;
  if (x.pre.length === 0 || y.pre.length === 0) return Math.sign(y.pre.length - x.pre.length);
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i]!;
    const q = y.pre[i]!;
    if (p === q) continue;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) return BigInt(p) < BigInt(q) ? -1 : 1;
    if (pn !== qn) return pn ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return Math.sign(x.pre.length - y.pre.length);
}
/** Intervals [lo, hi) or [lo, hi] built by pairing each introduced with the next closing event. */
function refIncludes(range: OsvRange, v: string): boolean {
  const ev = range.events.map((e) => {
    const [kind, version] = Object.entries(e)[0]!;
    return { kind, version: version as string };
  });
  const key = (e: { kind: string; version: string }) => (e.kind === 'introduced' && e.version === '0' ? '0.0.0-' : e.version);
  ev.sort((a, b) => {
    if (a.kind === 'introduced' && a.version === '0') return -1;
    if (b.kind === 'introduced' && b.version === '0') return 1;
    return refCompare(key(a), key(b)) || (a.kind === 'introduced' ? -1 : b.kind === 'introduced' ? 1 : 0);
  });
  let open: string | null = null;
  const intervals: Array<{ lo: string | null; hi: string | null; inclusive: boolean }> = [];
  for (const e of ev) {
    if (e.kind === 'introduced') {
      if (open === null) open = e.version;
    } else if (open !== null) {
      intervals.push({ lo: open, hi: e.version, inclusive: e.kind === 'last_affected' });
      open = null;
    }
  }
  if (open !== null) intervals.push({ lo: open, hi: null, inclusive: false });
  return intervals.some(
    ({ lo, hi, inclusive }) =>
      (lo === '0' || refCompare(v, lo!) >= 0) && (hi === null || (inclusive ? refCompare(v, hi) <= 0 : refCompare(v, hi) < 0)),
  );
}

/** Versions around v: v itself, the nearest pre-release below it, the next patch, a lower patch. */
function probes(v: string): string[] {
  const { nums, pre } = refParse(v);
  const [ma, mi, pa] = nums;
  const out = [v, `${ma}.${mi}.${pa! + 1n}`];
  if (pre.length === 0) {
    out.push(`${ma}.${mi}.${pa}-0`);
    if (pa! > 0n) out.push(`${ma}.${mi}.${pa! - 1n}`);
    else if (mi! > 0n) out.push(`${ma}.${mi! - 1n}.999`);
  } else {
    out.push(`${v.split('+')[0]}.0`); // just after a pre-release
    out.push(`${ma}.${mi}.${pa}`);
  }
  return out;
}

const present = existsSync(file);
describe.skipIf(!present)('Go vulnerability database (OSV JSONL, every advisory)', () => {
  const lines = present ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
  const advisories: OsvAdvisory[] = [];

  it('parses every advisory', () => {
    for (const l of lines) advisories.push(parseOsvAdvisory(JSON.parse(l)));
    expect(lines.length).toBe(4291);
    expect(advisories.length).toBe(4291);
    expect(advisories.filter((a) => a.withdrawn).length).toBeGreaterThan(0);
  });

  it('evaluates every range consistently with the OSV invariants and the reference', () => {
    let ranges = 0;
    let evaluations = 0;
    const failures: string[] = [];
    for (const adv of advisories) {
      for (const affected of adv.affected) {
        expect(affected.package?.ecosystem).toBe('Go');
        for (const range of affected.ranges ?? []) {
          ranges++;
          expect(range.type).toBe('SEMVER');
          const events = range.events.map((e) => Object.entries(e)[0]! as [string, string]);
          const versions = new Set<string>(['0.0.0', '0.0.0-0', '999.0.0']);
          for (const [, v] of events) if (v !== '0') for (const p of probes(v)) versions.add(p);
          const compiled = compileRange(range, go);
          const has = (kind: string, v: string) => events.some(([k, x]) => k === kind && x !== '0' && refCompare(x, v) === 0);
          for (const v of versions) {
            evaluations++;
            const mine = rangeIncludes(compiled, v, go);
            const ref = refIncludes(range, v);
            if (mine !== ref) failures.push(`${adv.id} ${JSON.stringify(range.events)} @ ${v}: ours ${mine}, reference ${ref}`);
            const verdict = isAffected('Go', v, { package: affected.package, ranges: [range] });
            if ((verdict.status === 'affected') !== mine) failures.push(`${adv.id} @ ${v}: isAffected disagrees with rangeIncludes`);
          }
          for (const [kind, v] of events) {
            if (v === '0') continue;
            const got = rangeIncludes(compiled, v, go);
            if (kind === 'introduced' && !has('fixed', v) && !got) failures.push(`${adv.id}: introduced ${v} not affected`);
            if (kind === 'fixed' && !has('introduced', v) && got) failures.push(`${adv.id}: fixed ${v} affected`);
            if (kind === 'last_affected' && !got) failures.push(`${adv.id}: last_affected ${v} not affected`);
          }
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(ranges).toBe(6125);
    expect(evaluations).toBeGreaterThan(40_000);
  });

  it('reports the fixed version for an affected version', () => {
    const gin = advisories.find((a) => a.id === 'GO-2020-0001')!;
    expect(isAffected('Go', '1.5.0', gin.affected)).toMatchObject({ status: 'affected', fixedIn: '1.6.0' });
    expect(isAffected('Go', '1.6.0', gin.affected)).toEqual({ status: 'not_affected' });
    expect(isAffected('Go', 'v1.5.9', gin.affected).status).toBe('affected');
  });
});
if (!present) describe.skip(`Go advisories: ${file} is absent`, () => it('skipped', () => {}));
