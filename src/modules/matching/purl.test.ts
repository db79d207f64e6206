import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildPurl, InvalidPurlError, normalizePurl, packageIdentity, parsePurl, percentEncode, tryParsePurl } from './purl.ts';

describe('purl: parse and normalise', () => {
  it.each([
    ['pkg:pypi/Django_Rest.Framework@3.0', 'pkg:pypi/django-rest-framework@3.0'],
    ['pkg:npm/%40Angular/Core@12.0.0', 'pkg:npm/%40angular/core@12.0.0'],
    ['pkg:npm/@angular/core@12.0.0', 'pkg:npm/%40angular/core@12.0.0'],
    ['pkg:golang/github.com/Azure/azure-sdk-for-go@v1.0.0', 'pkg:golang/github.com/Azure/azure-sdk-for-go@v1.0.0'],
    ['pkg:maven/org.Apache/Commons@1.0?type=jar&classifier=sources', 'pkg:maven/org.Apache/Commons@1.0?classifier=sources&type=jar'],
    ['PKG://deb/Debian/OpenSSL@1.1.1n-0+deb11u3?arch=amd64', 'pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3?arch=amd64'],
    ['pkg:generic/a@1#./src/../lib//x/', 'pkg:generic/a@1#src/lib/x'],
    ['pkg:generic/a?empty=&k=v', 'pkg:generic/a?k=v'],
    ['pkg:generic/name%20with%20space@1.0', 'pkg:generic/name%20with%20space@1.0'],
    ['pkg:nuget/Newtonsoft.Json@13.0.1', 'pkg:nuget/Newtonsoft.Json@13.0.1'],
    ['pkg:composer/Laravel/Framework@v10.0.0', 'pkg:composer/laravel/framework@v10.0.0'],
  ])('%s → %s', (input, canonical) => {
    expect(normalizePurl(input)).toBe(canonical);
  });

  it('returns decoded components', () => {
    expect(parsePurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar')).toEqual({
      type: 'maven',
      namespace: 'org.apache.logging.log4j',
      name: 'log4j-core',
      version: '2.14.1',
      qualifiers: { type: 'jar' },
      subpath: null,
    });
  });

  it.each([
    ['', 'empty'],
    ['npm/foo@1', 'no scheme'],
    ['pkg:npm', 'no name'],
    ['pkg:1npm/foo', 'type starts with a digit'],
    ['pkg:maven/foo@1', 'maven needs a namespace'],
    ['pkg:pypi/ns/foo', 'pypi has no namespace'],
    ['pkg:npm/foo?a=1&a=2', 'duplicate qualifier'],
    ['pkg:npm/foo?bad key=1', 'bad qualifier key'],
    ['pkg:npm/foo%ZZ', 'bad percent-encoding'],
    ['pkg:npm/foo?Key=1', 'upper-case key (strict)'],
  ])('refuses %s (%s)', (input) => {
    expect(() => parsePurl(input)).toThrow(InvalidPurlError);
    expect(tryParsePurl(input)).toBeNull();
  });

  it('lenient parsing lower-cases qualifier keys', () => {
    expect(normalizePurl('pkg:npm/foo@1?Key=1')).toBe('pkg:npm/foo@1?key=1');
  });

  it('package identity drops version, qualifiers and subpath', () => {
    expect(packageIdentity(parsePurl('pkg:pypi/Requests@2.0?x=1#a'))).toBe('pkg:pypi/requests');
  });

  it('percent-encodes everything but unreserved characters and ":"', () => {
    expect(percentEncode('a b/c@d+e:f~g%é')).toBe('a%20b%2Fc%40d%2Be:f~g%25%C3%A9');
  });

  it('build → parse → build is stable (property)', () => {
    const seg = fc.stringMatching(/^[A-Za-z0-9._~:@+ %/-]{1,12}$/).filter((s) => s.split('/').some((x) => x && x !== '.' && x !== '..'));
    fc.assert(
      fc.property(
        fc.constantFrom('generic', 'npm', 'maven', 'golang', 'cargo'),
        seg,
        fc.stringMatching(/^[A-Za-z0-9._~:@+ %-]{1,12}$/),
        fc.option(fc.stringMatching(/^[A-Za-z0-9._~:@+ %-]{1,12}$/), { nil: null }),
        fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._-]{0,6}$/), fc.stringMatching(/^[A-Za-z0-9 /:@&=?#%+-]{1,10}$/), { maxKeys: 3 }),
        (type, namespace, name, version, qualifiers) => {
          const built = buildPurl({ type, namespace: type === 'cargo' ? null : namespace, name, version, qualifiers });
          expect(normalizePurl(built)).toBe(built);
          const p = parsePurl(built);
          expect(p.version).toBe(version);
          expect(p.qualifiers ?? {}).toEqual(qualifiers);
        },
      ),
      { numRuns: 300 },
    );
  });
});
