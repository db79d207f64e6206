// Runs every line of the version-ordering oracles (google/osv-scalibr semantic/testdata), read in
// place from the shared conformance folder, through the scheme of each ecosystem the file covers,
// asserting the relation in both directions.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemeFor } from './ecosystems.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = path.resolve(repoRoot, '..', 'shared', 'conformance', 'version-ordering', 'semantic', 'testdata');

/** Oracle file prefix → the OSV ecosystems whose ordering it specifies. */
const FILES: Record<string, string[]> = {
  semver: ['npm', 'crates.io', 'Go'],
  debian: ['Debian', 'Ubuntu'],
  maven: ['Maven'],
  nuget: ['NuGet'],
  pypi: ['PyPI'],
  rubygems: ['RubyGems'],
};

interface Line {
  n: number;
  a: string;
  op: '<' | '=' | '>';
  b: string;
}

function readOracle(file: string): Line[] {
  const lines: Line[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith('//')) return;
      const m = /^(\S+) ([<=>]) (\S+)$/.exec(line);
      if (!m) throw new Error(`${path.basename(file)}:${i + 1}: unreadable line ${JSON.stringify(raw)}`);
      lines.push({ n: i + 1, a: m[1]!, op: m[2] as Line['op'], b: m[3]! });
    });
  return lines;
}

const present = existsSync(dir);
describe.skipIf(!present)('version ordering oracles (every line)', () => {
  const files = present ? readdirSync(dir).filter((f) => f.endsWith('.txt')).sort() : [];
  it('has a scheme for every oracle file', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(Object.keys(FILES).some((p) => f.startsWith(p + '-')), f).toBe(true);
  });
  let total = 0;
  for (const f of files) {
    const prefix = Object.keys(FILES).find((p) => f.startsWith(p + '-'));
    for (const ecosystem of prefix ? FILES[prefix]! : []) {
      it(`${f} as ${ecosystem}`, () => {
        const scheme = schemeFor(ecosystem);
        expect(scheme, ecosystem).not.toBeNull();
        const failures: string[] = [];
        const lines = readOracle(path.join(dir, f));
        for (const { n, a, op, b } of lines) {
          const want = op === '<' ? -1 : op === '>' ? 1 : 0;
          let ab: number | string;
          let ba: number | string;
          try {
            ab = scheme!.compare(a, b);
            ba = scheme!.compare(b, a);
          } catch (e) {
            failures.push(`${f}:${n} ${a} ${op} ${b}: ${(e as Error).message}`);
            continue;
          }
          if (ab !== want || ba !== -want) failures.push(`${f}:${n} ${a} ${op} ${b}: got compare(a,b)=${ab}, compare(b,a)=${ba}`);
        }
        total += lines.length;
        expect(failures.slice(0, 30)).toEqual([]);
        expect(lines.length).toBeGreaterThan(0);
      });
    }
  }
  it('read every line', () => {
    expect(total).toBeGreaterThan(45_000);
  });
});
if (!present) describe.skip(`version ordering oracles: ${dir} is absent`, () => it('skipped', () => {}));
