import { describe, expect, it } from 'vitest';
import {
  buildAdvisoryIndex,
  identityOfOsvPackage,
  identityOfPurl,
  matchAgainstIndex,
  matchComponent,
  parseCpe,
  pep503,
  type AdvisoryEntry,
} from './match.ts';
import { parsePurl } from './purl.ts';

const range = (introduced: string, fixed: string) => [{ type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] }];

describe('package identity', () => {
  it.each([
    ['PyPI', 'Django_REST.framework', 'pkg:pypi/django-rest-framework@1'],
    ['npm', '@Scope/Pkg', 'pkg:npm/%40scope/pkg@1'],
    ['Go', 'github.com/gin-gonic/gin', 'pkg:golang/github.com/gin-gonic/gin@v1.0.0'],
    ['Maven', 'org.apache.logging.log4j:log4j-core', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
    ['crates.io', 'serde_json', 'pkg:cargo/serde-json@1.0.0'],
    ['NuGet', 'Newtonsoft.Json', 'pkg:nuget/newtonsoft.json@13.0.1'],
    ['Packagist', 'Laravel/Framework', 'pkg:composer/laravel/framework@10.0.0'],
    ['RubyGems', 'rails', 'pkg:gem/rails@7.0.0'],
    ['Debian:11', 'openssl', 'pkg:deb/debian/openssl@1.1.1n-0+deb11u3'],
    ['Alpine:v3.18', 'busybox', 'pkg:apk/alpine/busybox@1.36.1-r0'],
    ['Red Hat', 'openssl', 'pkg:rpm/redhat/openssl@1.1.1k-7.el8'],
  ])('%s %s is the package of %s', (eco, name, purl) => {
    const id = identityOfOsvPackage(eco, name);
    expect(id).not.toBeNull();
    expect(identityOfPurl(parsePurl(purl, { lenient: true }))).toBe(id);
  });

  it('keeps Go module paths and Maven coordinates case-sensitive', () => {
    expect(identityOfOsvPackage('Go', 'github.com/Sirupsen/logrus')).not.toBe(identityOfOsvPackage('Go', 'github.com/sirupsen/logrus'));
    expect(identityOfOsvPackage('Maven', 'Org.example:a')).not.toBe(identityOfOsvPackage('Maven', 'org.example:a'));
  });

  it('distinguishes distributions (Debian vs Ubuntu) and unknown ecosystems', () => {
    expect(identityOfOsvPackage('Debian', 'curl')).not.toBe(identityOfOsvPackage('Ubuntu', 'curl'));
    expect(identityOfOsvPackage('Hackage', 'aeson')).toBeNull();
    expect(pep503('Foo__Bar..baz')).toBe('foo-bar-baz');
  });
});

describe('matchComponent', () => {
  const gin: AdvisoryEntry[] = [{ package: { ecosystem: 'Go', name: 'github.com/gin-gonic/gin' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.6.0' }] }] }];

  it('matches the exact package and a version in range, with the fix', () => {
    expect(matchComponent({ purl: 'pkg:golang/github.com/gin-gonic/gin@v1.5.0' }, gin)).toEqual({ status: 'affected', entryIndex: 0, by: 'range', fixedIn: '1.6.0' });
    expect(matchComponent({ purl: 'pkg:golang/github.com/gin-gonic/gin@v1.6.0' }, gin)).toEqual({ status: 'not_affected' });
  });

  it('does not match a different package, however similar', () => {
    for (const purl of ['pkg:golang/github.com/gin-gonic/gin-contrib@v1.0.0', 'pkg:golang/github.com/Gin-Gonic/gin@v1.0.0', 'pkg:npm/gin@1.0.0'])
      expect(matchComponent({ purl }, gin).status, purl).toBe('not_affected');
  });

  it('uses an explicit version over the purl version, and says unknown without one', () => {
    expect(matchComponent({ purl: 'pkg:golang/github.com/gin-gonic/gin@v1.9.0', version: '1.2.0' }, gin).status).toBe('affected');
    expect(matchComponent({ purl: 'pkg:golang/github.com/gin-gonic/gin' }, gin).status).toBe('unknown');
  });

  it('normalises PyPI names (PEP 503) on both sides', () => {
    const entries: AdvisoryEntry[] = [{ package: { ecosystem: 'PyPI', name: 'Pillow' }, ranges: range('0', '9.0.1') }];
    expect(matchComponent({ purl: 'pkg:pypi/pillow@8.4.0' }, entries).status).toBe('affected');
    expect(matchComponent({ purl: 'pkg:pypi/PILLOW@9.0.1' }, entries).status).toBe('not_affected');
  });

  it('matches entries keyed by purl alone', () => {
    const entries: AdvisoryEntry[] = [{ package: { ecosystem: '', name: '', purl: 'pkg:npm/lodash' }, ranges: range('0', '4.17.21') }];
    expect(matchComponent({ purl: 'pkg:npm/lodash@4.17.20' }, entries).status).toBe('affected');
  });

  it('reads Go toolchain versions for the stdlib', () => {
    const entries: AdvisoryEntry[] = [{ package: { ecosystem: 'Go', name: 'stdlib' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.20.0-0' }, { fixed: '1.20.5' }] }] }];
    expect(matchComponent({ purl: 'pkg:golang/stdlib@go1.20.1' }, entries).status).toBe('affected');
    expect(matchComponent({ purl: 'pkg:golang/stdlib@go1.20.5' }, entries).status).toBe('not_affected');
  });

  it('uses the rpm epoch qualifier', () => {
    const entries: AdvisoryEntry[] = [{ package: { ecosystem: 'Red Hat', name: 'openssl' }, ranges: range('0', '1:1.1.1k-7.el8') }];
    expect(matchComponent({ purl: 'pkg:rpm/redhat/openssl@1.1.1k-6.el8?epoch=1' }, entries).status).toBe('affected');
    expect(matchComponent({ purl: 'pkg:rpm/redhat/openssl@1.1.1k-8.el8?epoch=1' }, entries).status).toBe('not_affected');
  });

  it('matches a CPE-only component only to a CPE entry with the same vendor, product and version', () => {
    const entries: AdvisoryEntry[] = [{ cpe: 'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*' }];
    expect(matchComponent({ cpe: 'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*' }, entries).status).toBe('affected');
    expect(matchComponent({ cpe: 'cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*' }, entries).status).toBe('not_affected');
    expect(matchComponent({ cpe: 'cpe:2.3:a:apache:tomcat:2.4.49:*:*:*:*:*:*:*' }, entries).status).toBe('not_affected');
    expect(matchComponent({ cpe: 'cpe:/a:apache:http_server:2.4.49' }, entries).status).toBe('affected');
    // no CPE-to-package guessing in either direction
    expect(matchComponent({ purl: 'pkg:generic/apache/http_server@2.4.49' }, entries).status).toBe('not_affected');
    expect(matchComponent({ cpe: 'cpe:2.3:a:gin-gonic:gin:1.5.0:*:*:*:*:*:*:*' }, [{ package: { ecosystem: 'Go', name: 'github.com/gin-gonic/gin' }, versions: ['1.5.0'] }]).status).toBe('not_affected');
    // a wildcard-version CPE entry lists its versions
    expect(matchComponent({ cpe: 'cpe:2.3:a:x:y:1.0:*:*:*:*:*:*:*' }, [{ cpe: 'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*', versions: ['1.0'] }]).status).toBe('affected');
    expect(matchComponent({ cpe: 'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*' }, [{ cpe: 'cpe:2.3:a:x:y:*:*:*:*:*:*:*:*', versions: ['1.0'] }]).status).toBe('not_affected');
  });

  it('reads CPE 2.3 with escapes and refuses junk', () => {
    expect(parseCpe('cpe:2.3:a:foo\\:bar:baz:1.0:*:*:*:*:*:*:*')).toEqual({ part: 'a', vendor: 'foo:bar', product: 'baz', version: '1.0' });
    expect(parseCpe('cpe:2.3:a:foo')).toBeNull();
    expect(parseCpe('not a cpe')).toBeNull();
  });
});

describe('advisory index', () => {
  it('finds exactly the advisories of a component package', () => {
    const advisories = [
      { id: 'A', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: range('0', '4.17.21') }] },
      { id: 'B', affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, versions: ['4.17.20'] }, { package: { ecosystem: 'npm', name: 'underscore' }, ranges: range('0', '1.13.0') }] },
      { id: 'C', affected: [{ package: { ecosystem: 'PyPI', name: 'lodash' }, ranges: range('0', '9') }] },
      { id: 'D', affected: [{ cpe: 'cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*' }] },
    ];
    const index = buildAdvisoryIndex(advisories, (a) => a.affected as AdvisoryEntry[]);
    const ids = (purl: string) => matchAgainstIndex(index, { purl }).map((m) => m.advisory.id).sort();
    expect(ids('pkg:npm/lodash@4.17.20')).toEqual(['A', 'B']);
    expect(ids('pkg:npm/lodash@4.17.21')).toEqual([]);
    expect(ids('pkg:npm/underscore@1.12.0')).toEqual(['B']);
    expect(ids('pkg:pypi/lodash@1.0')).toEqual(['C']);
    expect(matchAgainstIndex(index, { cpe: 'cpe:2.3:a:acme:widget:1.0:*:*:*:*:*:*:*' }).map((m) => m.advisory.id)).toEqual(['D']);
  });
});
