// Real documents read in place from ../shared/conformance: every CSAF 2.0 example imports, and
// every advisory of the Go vulnerability database (OSV JSON Lines) becomes a candidate.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseIntake, similarityKey, fingerprintKeys } from './intake.ts';
import { candidateReportSchema } from './candidate.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const conformance = resolve(repoRoot, '..', 'shared', 'conformance');
const csafExamples = join(conformance, 'csaf', 'csaf_2.0', 'examples');
const goOsv = join(conformance, 'advisories', 'go-vulndb.osv.jsonl');

const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));

(existsSync(csafExamples) ? describe : describe.skip)(`CSAF 2.0 examples (${existsSync(csafExamples) ? csafExamples : 'absent: ../shared/conformance/csaf'})`, () => {
  const documents = existsSync(csafExamples) ? walk(join(csafExamples, 'csaf')).filter((f) => f.endsWith('.json')).sort() : [];
  it('finds the examples', () => expect(documents.length).toBeGreaterThanOrEqual(19));
  for (const file of documents) {
    it(`imports ${relative(csafExamples, file)}`, () => {
      const doc = JSON.parse(readFileSync(file, 'utf8'));
      const r = parseIntake(readFileSync(file));
      expect(r.source).toBe('csaf');
      expect(r.candidates.length).toBe(Math.max(1, doc.vulnerabilities?.length ?? 0));
      for (const c of r.candidates) {
        expect(candidateReportSchema.parse(c)).toEqual(c);
        expect(fingerprintKeys(c).length).toBeGreaterThan(0);
      }
      // Every product a vulnerability names in product_status is resolved to an affected entry.
      (doc.vulnerabilities ?? []).forEach((v: { product_status?: Record<string, string[]> }, i: number) => {
        const named = Object.entries(v.product_status ?? {}).filter(([k]) => k !== 'recommended').flatMap(([, ids]) => ids);
        expect(r.candidates[i].affected).toHaveLength(named.length);
      });
    });
  }

  it('resolves branches to names, versions, statuses, justifications and fixed versions (all examples)', () => {
    const cisco = parseIntake(readFileSync(join(csafExamples, 'csaf', 'cisco-sa-20180328-smi2.json'))).candidates[0];
    expect(cisco.ids).toContain('CVE-2018-0171');
    expect(cisco.cvss?.[0].version).toBe('3.0');
    expect(cisco.affected.every((a) => a.name && a.versions?.length === 1)).toBe(true);
    const all = walk(join(csafExamples, 'csaf')).filter((f) => f.endsWith('.json')).flatMap((f) => parseIntake(readFileSync(f)).candidates);
    expect(all.some((c) => c.affected.some((a) => a.status === 'not_affected'))).toBe(true);
    expect(all.some((c) => c.affected.some((a) => a.status === 'fixed'))).toBe(true);
    expect(all.some((c) => c.cwe?.length === 1)).toBe(true);
    expect(all.some((c) => c.affected.some((a) => a.fixedVersions?.length))).toBe(true);
    expect(all.some((c) => c.affected.some((a) => a.justification))).toBe(true);
  });

  it('refuses the feed and metadata files that are not CSAF documents', () => {
    for (const file of walk(csafExamples).filter((f) => f.endsWith('.json') && !f.includes(`${join(csafExamples, 'csaf')}/`))) {
      expect(() => parseIntake(readFileSync(file), { format: 'csaf' }), file).toThrow(/CSAF/);
    }
  });
});

(existsSync(goOsv) ? describe : describe.skip)(`Go vulnerability database (${existsSync(goOsv) ? goOsv : 'absent: ../shared/conformance/advisories'})`, () => {
  it('imports every line as a candidate', () => {
    const bytes = readFileSync(goOsv);
    const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const r = parseIntake(bytes);
    expect(r.source).toBe('osv');
    expect(r.candidates).toHaveLength(lines.length);
    expect(lines.length).toBe(4291);
    let withdrawn = 0;
    r.candidates.forEach((c, i) => {
      const record = JSON.parse(lines[i]);
      expect(c.ids[0]).toBe(record.id);
      expect(c.affected).toHaveLength(record.affected.length);
      expect(c.affected.flatMap((a) => a.ranges ?? []).length).toBe(record.affected.flatMap((a: { ranges?: unknown[] }) => a.ranges ?? []).length);
      if (c.withdrawn) withdrawn++;
      expect(similarityKey(c)).toMatch(/^sim:[0-9a-f]{64}$/);
    });
    expect(withdrawn).toBe(17);
    // Spot check the whole shape once; the schema is checked on a sample to keep the test fast.
    for (const c of r.candidates.filter((_, i) => i % 25 === 0)) candidateReportSchema.parse(c);
    expect(r.candidates[0]).toMatchObject({
      title: 'Arbitrary log line injection in github.com/gin-gonic/gin',
      ids: ['GO-2020-0001', 'CVE-2020-36567', 'GHSA-6vm3-jj99-7229'],
      affected: [{ ecosystem: 'Go', name: 'github.com/gin-gonic/gin', purl: 'pkg:golang/github.com/gin-gonic/gin', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.6.0' }] }] }],
    });
  });
});
