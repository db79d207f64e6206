// The CycloneDX specification's own test documents, read in place from ../shared/conformance:
// every valid-*.json must parse and validate, every invalid-*.json must be refused.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSbom, SbomRejectedError } from './sbom.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const suiteRoot = resolve(repoRoot, '..', 'shared', 'conformance', 'cyclonedx', 'tests');
const present = existsSync(suiteRoot);

for (const version of ['1.5', '1.6']) {
  const dir = join(suiteRoot, version);
  const files = present && existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
  (files.length > 0 ? describe : describe.skip)(`CycloneDX ${version} conformance documents (${present ? dir : 'conformance data absent: ../shared/conformance/cyclonedx/tests'})`, () => {
    it('has both valid and invalid documents', () => {
      expect(files.filter((f) => f.startsWith('valid-')).length).toBeGreaterThan(10);
      expect(files.filter((f) => f.startsWith('invalid-')).length).toBeGreaterThan(10);
    });
    for (const file of files.filter((f) => f.startsWith('valid-'))) {
      it(`accepts ${file}`, () => {
        const sbom = parseSbom(readFileSync(join(dir, file)));
        expect(sbom.format).toBe('cyclonedx-json');
        expect(sbom.specVersion).toBe(version);
      });
    }
    for (const file of files.filter((f) => f.startsWith('invalid-'))) {
      it(`refuses ${file}, naming the failing path`, () => {
        let error: unknown;
        try {
          parseSbom(readFileSync(join(dir, file)));
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(SbomRejectedError);
        const errors = (error as SbomRejectedError).sbomErrors;
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e.message.length).toBeGreaterThan(0);
      });
    }
  });
}
