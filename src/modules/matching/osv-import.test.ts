import { describe, expect, it } from 'vitest';
import { advisoryFromOsv, purlOfOsvPackage } from './osv-import.ts';
import { parseOsvAdvisory } from './osv.ts';
import { packageIdentity, parsePurl } from './purl.ts';
import { identityOfOsvPackage, identityOfPurl } from './match.ts';

describe('purlOfOsvPackage', () => {
  it.each([
    ['Go', 'github.com/gin-gonic/gin', 'pkg:golang/github.com/gin-gonic/gin'],
    ['Go', 'stdlib', 'pkg:golang/stdlib'],
    ['npm', '@angular/core', 'pkg:npm/%40angular/core'],
    ['npm', 'Lodash', 'pkg:npm/lodash'],
    ['PyPI', 'Django_REST.framework', 'pkg:pypi/django-rest-framework'],
    ['Maven', 'org.apache.logging.log4j:log4j-core', 'pkg:maven/org.apache.logging.log4j/log4j-core'],
    ['crates.io', 'tokio', 'pkg:cargo/tokio'],
    ['RubyGems', 'rails', 'pkg:gem/rails'],
    ['NuGet', 'Newtonsoft.Json', 'pkg:nuget/Newtonsoft.Json'],
    ['Packagist', 'symfony/http-kernel', 'pkg:composer/symfony/http-kernel'],
    ['Debian:11', 'openssl', 'pkg:deb/debian/openssl'],
    ['Alpine:v3.18', 'busybox', 'pkg:apk/alpine/busybox'],
    ['Red Hat', 'kernel', 'pkg:rpm/redhat/kernel'],
  ])('%s %s → %s, the key inventories store', (ecosystem, name, purl) => {
    expect(purlOfOsvPackage(ecosystem, name)).toBe(purl);
    // The same package for the matcher's identity as for the index key.
    expect(identityOfPurl(parsePurl(purl))).toBe(identityOfOsvPackage(ecosystem, name));
    expect(packageIdentity(parsePurl(purl))).toBe(purl);
  });

  it('refuses what has no purl mapping', () => {
    expect(purlOfOsvPackage('Hex', 'plug')).toBeNull();
    expect(purlOfOsvPackage('Maven', 'no-colon')).toBeNull();
    expect(purlOfOsvPackage('npm', '')).toBeNull();
  });
});

describe('advisoryFromOsv', () => {
  it('reads an OSV record as a TLP:CLEAR advisory; entries it cannot key are counted, not guessed', () => {
    const x = advisoryFromOsv(
      parseOsvAdvisory({
        id: 'GO-2024-0001',
        modified: '2024-02-01T00:00:00Z',
        aliases: ['CVE-2024-1'],
        affected: [
          { package: { ecosystem: 'Go', name: 'example.com/m' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }] },
          { package: { ecosystem: 'Hex', name: 'plug' }, versions: ['1.0.0'] },
          { package: { ecosystem: 'npm', name: 'no-ranges' } },
        ],
        withdrawn: '2024-03-01T00:00:00Z',
      }),
    );
    expect(x.advisory).toMatchObject({ source: 'osv', externalId: 'GO-2024-0001', tlp: 'CLEAR', title: 'CVE-2024-1', withdrawn: true, clearinghouseAdvisoryId: null });
    expect(x.advisory.affected).toEqual([{ package: 'pkg:golang/example.com/m', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }], versions: [] }]);
    expect(x.skipped).toBe(2);
    expect(x.modifiedAt.toISOString()).toBe('2024-02-01T00:00:00.000Z');
    expect(x.advisory.publishedAt).toEqual(x.modifiedAt);
    expect(() => advisoryFromOsv(parseOsvAdvisory({ id: 'X', modified: 'yesterday' }))).toThrow(/modified/);
  });
});
