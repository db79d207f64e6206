// Tables for the orderings without a shared oracle file (Alpine, RPM, Composer), drawn from each
// algorithm's description and the upstream projects' own test examples (apk-tools
// tests/version.data, rpm tests/rpmvercmp.at, PHP version_compare and Composer's VersionParser
// documentation), plus properties every ordering must have.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alpine } from './alpine.ts';
import { composer, normalizeComposer, phpVersionCompare } from './composer.ts';
import { debian } from './debian.ts';
import { go, isPseudoVersion } from './go.ts';
import { maven } from './maven.ts';
import { nuget } from './nuget.ts';
import { normalizePep440, pypi } from './pypi.ts';
import { rpm, rpmvercmp } from './rpm.ts';
import { rubygems } from './rubygems.ts';
import { isStrictSemver, semver } from './semver.ts';
import { InvalidVersionError, type VersionScheme } from './util.ts';

function table(scheme: VersionScheme, lines: string) {
  const rows = lines
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^(\S+) ([<=>]) (\S+)$/.exec(l);
      if (!m) throw new Error(`bad table line ${l}`);
      return [m[1]!, m[2]!, m[3]!] as const;
    });
  it.each(rows)(`${scheme.name}: %s %s %s`, (a, op, b) => {
    const want = op === '<' ? -1 : op === '>' ? 1 : 0;
    expect(scheme.compare(a, b)).toBe(want);
    expect(scheme.compare(b, a)).toBe(want === 0 ? 0 : -want);
  });
}

describe('Alpine (apk)', () => {
  table(
    alpine,
    `
    # suffix order: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p
    1.0_alpha < 1.0_beta
    1.0_beta < 1.0_pre
    1.0_pre < 1.0_rc
    1.0_rc < 1.0
    1.0 < 1.0_cvs
    1.0_cvs < 1.0_svn
    1.0_svn < 1.0_git
    1.0_git < 1.0_hg
    1.0_hg < 1.0_p
    1.0_rc1 < 1.0_rc2
    1.0_p1 < 1.0_p2
    1.0_p9 < 1.0_p10
    0.1.0_alpha_pre2 < 0.1.0_alpha
    # revisions
    1.0 < 1.0-r1
    1.0-r1 < 1.0-r2
    1.0-r9 < 1.0-r10
    1.0-r1 = 1.0-r01
    1.0-r0 = 1.0
    1.0-r5 < 1.0.1
    1.0-r1 < 1.0_p1
    # letters
    1.0 < 1.0a
    1.0a < 1.0b
    1.2.3b > 1.2.0d
    2.5.1-r8 < 2.5.1a-r1
    1.7 < 1.7b
    # numbers: the first compares as an integer, later ones with a leading zero as fractions
    1.0 < 1.0.1
    1.0 < 1.0.0
    1.2 < 1.10
    1.01 < 1.1
    1.02.07 < 1.02.10-r1
    006 > 1.0.0
    1.06-r6 < 006
    10.2.24 > 10.2.22
    # from apk-tools tests/version.data
    2.34 > 0.1.0_alpha
    0.1.0_alpha = 0.1.0_alpha
    0.1.0_alpha < 0.1.3_alpha
    0.1.0_alpha2 > 0.1.0_alpha
    0.1.0_alpha < 2.2.39-r1
    2.2.39-r1 > 1.0.4-r3
    1.0.4-r3 < 1.0.4-r4
    1.1 > 1.1_alpha1
    1.2.1 > 1.2
    1.2 < 1.3_alpha
    1.3_alpha < 1.3_alpha2
    0.7.0 < 0.8_beta1
    0.8_beta4 < 4.8-r1
    3.10.18-r1 > 2.3.0b-r1
    0.12.3 > 0.12
    0.12 < 0.13_beta1
    1.2.11 < 1.2.12.1
    3.1_p16 < 3.1_p17
    2.59 < 20050718-r1
    3.9.8-r5 > 2.01.01_alpha10
    2.01.01_alpha10 > 0.94
    1.0 > 0.99.3.20040818
    1.39 > 1.00_beta2
    4.2.52_p2-r1 < 4.2.52_p4-r2
    20060720 > 3.0.20060720
    0.7.18-r2 < 0.17-r6
    1.3.5-r10 > 1.3.5-r8
    20040401 > 2.0.0_rc3-r1
    3.0.0-r2 < 021109-r3
    3.9_pre20060124 > 0.01
    0.10.0 < 0.10.1_rc1
    2.1_pre20 < 2.1_pre26
    0.9.8c-r1 < 0.9.8d
    4.5_p1-r1 > 4.5_p1
    1.6.8_p12-r1 > 1.6.8_p9-r2
    0.9.28-r2 < 0.9.28.1
    0.9.28.1 < 087-r1
    1.3-r0 < 1.3.1-r0
    1.3_pre1-r1 < 1.3.2
    1.0_p10-r0 > 1.0_p9-r0
    1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
    `,
  );
  it('refuses strings outside the apk grammar', () => {
    for (const v of ['', 'abc', '1.0_foo', '1.0-rc1', '1.0ab', '_1']) expect(alpine.isValid(v), v).toBe(false);
    expect(() => alpine.compare('1.0', 'x')).toThrow(InvalidVersionError);
  });
});

describe('RPM (rpmvercmp)', () => {
  table(
    rpm,
    `
    # from rpm tests/rpmvercmp.at
    1.0 = 1.0
    1.0 < 2.0
    2.0.1 = 2.0.1
    2.0 < 2.0.1
    2.0.1a = 2.0.1a
    2.0.1a > 2.0.1
    5.5p1 < 5.5p2
    5.5p1 < 5.5p10
    10xyz < 10.1xyz
    xyz10 < xyz10.1
    xyz.4 < 8
    xyz.4 < 2
    5.5p2 < 5.6p1
    5.6p1 < 6.5p1
    6.0.rc1 > 6.0
    10b2 > 10a1
    10a2 < 10b2
    1.0a < 1.0aa
    10.0001 = 10.1
    10.0001 < 10.0039
    4.999.9 < 5.0
    20101121 < 20101122
    2_0 = 2.0
    a+ = a_
    +a = _a
    1.0~rc1 < 1.0
    1.0~rc1 < 1.0~rc2
    1.0~rc1~git123 < 1.0~rc1
    1.0~rc1 < 1.0arc1
    1.0^ > 1.0
    1.0^git1 > 1.0
    1.0^git1 < 1.0^git2
    1.0^git1 < 1.01
    1.0^20160101 < 1.0.1
    1.0^20160102 > 1.0^20160101^git1
    1.0~rc1^git1 > 1.0~rc1
    1.0^git1 > 1.0^git1~pre
    # epoch:version-release
    0:1 < 1:1
    1:1 = 1:1
    0:1~1 < 1:2
    3:1~1 > 1:2
    3 < 1:2
    13:5 > 004:2
    01:2 = 1:2
    1-123 > 1-2
    1-2 > 1-1
    1 < 1-1
    1-1 < 1-1.1
    1-1.a < 1-1.e
    1-1.ael7b < 1-1.el7
    0:3.10.0-229.el7 < 0:3.10.0-229.1.2.ael7b
    0:2.4.21-9.EL < 0:2.4.21-9.0.1.EL
    0:3.10.0-229.1.2.ael7b < 0:3.10.0-229.4.2.ael7b
    1:2.0-1.el8 > 2.9-9.el8
    `,
  );
  it('rpmvercmp treats separators as equal and compares numbers before letters', () => {
    expect(rpmvercmp('1.a', '1.1')).toBe(-1);
    expect(rpmvercmp('1..1', '1.1')).toBe(0);
  });
  it('refuses empty and non-numeric epochs', () => {
    for (const v of ['', 'x:1.0', ':1', '1.0 2']) expect(rpm.isValid(v), v).toBe(false);
  });
});

describe('Packagist (Composer)', () => {
  table(
    composer,
    `
    1.0 = 1.0.0
    v1.0.0 = 1.0.0
    1.0.0.0 = 1.0
    1.0.0 < 1.0.1
    1.0.9 < 1.0.10
    1.0.0 < 1.0.0.1
    1.99.99 < 2.0
    1.0.0-dev < 1.0.0-alpha
    1.0.0-alpha < 1.0.0-alpha2
    1.0.0-alpha2 < 1.0.0-beta
    1.0.0-a2 = 1.0.0-alpha2
    1.0-b2 = 1.0.0-beta2
    1.0.0-beta < 1.0.0-RC1
    1.0.0-rc1 = 1.0.0-RC1
    1.0.0-RC1 < 1.0.0-RC2
    1.0.0-RC2 < 1.0.0
    1.0.0 < 1.0.0-patch1
    1.0.0-p1 = 1.0.0-patch1
    1.0.0-pl2 > 1.0.0-patch1
    1.0.0-stable = 1.0.0
    1.0.0+build.5 = 1.0.0
    1.0.0-beta.2 = 1.0.0-beta2
    1.0.0beta2 = 1.0.0-beta2
    1.0.0-beta2-dev < 1.0.0-beta2
    2.0.0-RC1 > 1.9.9
    20230101 < 20230102
    2023.01.01 < 2023.01.02
    `,
  );
  it('normalises as Composer does', () => {
    expect(normalizeComposer('v1.2')).toBe('1.2.0.0');
    expect(normalizeComposer('1.0.0-b2')).toBe('1.0.0.0-beta2');
    expect(normalizeComposer('1.0.0RC1')).toBe('1.0.0.0-RC1');
    expect(normalizeComposer('1.0.0-pl3')).toBe('1.0.0.0-patch3');
    expect(normalizeComposer('1.0.x-dev')).toBeNull();
    expect(normalizeComposer('dev-main')).toBeNull();
    expect(normalizeComposer('1.0 as 2.0')).toBe('1.0.0.0');
    expect(normalizeComposer('2010-01-02')).toBe('2010.01.02');
  });
  it('PHP version_compare orders its special forms', () => {
    expect(phpVersionCompare('1.0-dev', '1.0-alpha')).toBe(-1);
    expect(phpVersionCompare('1.0rc1', '1.0')).toBe(-1);
    expect(phpVersionCompare('1.0', '1.0pl1')).toBe(-1);
    expect(phpVersionCompare('1.0-foo', '1.0-dev')).toBe(-1);
    expect(phpVersionCompare('1.0', '1.0.0')).toBe(-1);
  });
});

describe('other orderings: specific rules', () => {
  it('SemVer: strict grammar, build metadata ignored, big numbers', () => {
    expect(isStrictSemver('1.2.3-alpha.1+build.5')).toBe(true);
    for (const v of ['01.2.3', '1.2', 'v1.2.3', '1.2.3-01', '1.2.3-']) expect(isStrictSemver(v), v).toBe(false);
    expect(semver.compare('1.2.3+a', '1.2.3+b')).toBe(0);
    expect(semver.compare('18446744073709551616.0.0', '18446744073709551615.0.0')).toBe(1);
    expect(semver.isValid('not-a-version')).toBe(false);
    expect(semver.isValid('1.2.3-')).toBe(false);
  });
  it('Go: pseudo-versions order between tags, +incompatible is ignored', () => {
    expect(isPseudoVersion('v0.0.0-20191109021931-daa7c04131f5')).toBe(true);
    expect(isPseudoVersion('v1.2.4-0.20191109021931-daa7c04131f5')).toBe(true);
    expect(isPseudoVersion('v1.2.3')).toBe(false);
    expect(go.compare('v1.2.3', 'v1.2.4-0.20191109021931-daa7c04131f5')).toBe(-1);
    expect(go.compare('v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.4')).toBe(-1);
    expect(go.compare('v2.0.0+incompatible', '2.0.0')).toBe(0);
    expect(go.compare('v0.0.0-20200131131040-063a3fb69896', 'v0.0.0-20160722212129-ac0cc4484ad4')).toBe(1);
  });
  it('Go: toolchain spellings name the stdlib releases', () => {
    expect(go.compare('go1.21', '1.21.0')).toBe(0);
    expect(go.compare('go1.21.3', '1.21.3')).toBe(0);
    expect(go.compare('go1.22rc1', '1.22.0-rc.1')).toBe(0);
    expect(go.compare('go1.22rc1', '1.22.0')).toBe(-1);
  });
  it('PyPI: PEP 440 normal forms', () => {
    expect(normalizePep440('1.0.0-RC1')).toBe('1.0.0rc1');
    expect(normalizePep440('v1.0')).toBe('1.0');
    expect(normalizePep440('1.0-1')).toBe('1.0.post1');
    expect(normalizePep440('1.0.post')).toBe('1.0.post0');
    expect(normalizePep440('1!2.0.dev')).toBe('1!2.0.dev0');
    expect(normalizePep440('1.0+Ubuntu-1')).toBe('1.0+ubuntu.1');
    expect(normalizePep440('1.0-alpha.3')).toBe('1.0a3');
    expect(normalizePep440('not a version')).toBeNull();
    expect(pypi.compare('1.0', '1.0.0')).toBe(0);
    expect(pypi.compare('1.0.dev1', '1.0a1')).toBe(-1);
    expect(pypi.compare('1.0a1.post1', '1.0a2')).toBe(-1);
  });
  it('Debian: ~ sorts before the end, epochs dominate', () => {
    expect(debian.compare('1.0~rc1', '1.0')).toBe(-1);
    expect(debian.compare('1.0~~', '1.0~')).toBe(-1);
    expect(debian.compare('1:0.1', '9.9')).toBe(1);
    expect(debian.compare('1.0a', '1.0+')).toBe(-1);
    expect(debian.isValid('a1.0')).toBe(false);
    expect(debian.isValid('x:1.0')).toBe(false);
  });
  it('Maven: qualifier order from the POM reference', () => {
    const ordered = ['1-alpha', '1-beta', '1-milestone', '1-rc', '1-snapshot', '1', '1-sp', '1-abc', '1-1', '1.1'];
    for (let i = 1; i < ordered.length; i++) expect(maven.compare(ordered[i - 1]!, ordered[i]!), `${ordered[i - 1]} < ${ordered[i]}`).toBe(-1);
    expect(maven.compare('1.0.0', '1')).toBe(0);
    expect(maven.compare('1-ga', '1-final')).toBe(0);
    expect(maven.compare('1-cr1', '1-rc1')).toBe(0);
    expect(maven.compare('1a1', '1-alpha-1')).toBe(0);
  });
  it('NuGet: four parts, case-insensitive pre-release', () => {
    expect(nuget.compare('1.0.0.0', '1.0')).toBe(0);
    expect(nuget.compare('1.0.0-Beta', '1.0.0-beta')).toBe(0);
    expect(nuget.compare('1.0.0.1', '1.0.0')).toBe(1);
  });
  it('RubyGems: prerelease letters', () => {
    expect(rubygems.compare('1.0.0.pre', '1.0.0')).toBe(-1);
    expect(rubygems.compare('1.0.0-rc1', '1.0.0.pre.rc1')).toBe(0);
    expect(rubygems.compare('1.0', '1')).toBe(0);
    expect(rubygems.isValid('junk')).toBe(false);
  });
});

// Every ordering is a total preorder: reflexive, antisymmetric in sign, transitive.
const GENERATORS: Array<[VersionScheme, fc.Arbitrary<string>]> = (() => {
  const num = fc.integer({ min: 0, max: 12 }).map(String);
  const dotted = (n: number) => fc.array(num, { minLength: 1, maxLength: n }).map((xs) => xs.join('.'));
  const pick = <T,>(...xs: T[]) => fc.constantFrom(...xs);
  return [
    [semver, fc.tuple(dotted(3), pick('', '-alpha', '-alpha.1', '-beta.2', '-rc.1', '-0', '-1')).map(([a, b]) => a + b)],
    [pypi, fc.tuple(dotted(3), pick('', 'a1', 'b2', 'rc1', '.post1', '.dev0', '+local.1', 'a1.dev1')).map(([a, b]) => a + b)],
    [maven, fc.tuple(dotted(3), pick('', '-alpha-1', '-beta', '-SNAPSHOT', '-RC2', '.Final', '-sp1', '-foo', '-1')).map(([a, b]) => a + b)],
    [rubygems, fc.tuple(dotted(3), pick('', '.pre', '.rc1', '.a', '.beta.2', '-rc1')).map(([a, b]) => a + b)],
    [nuget, fc.tuple(dotted(4), pick('', '-beta', '-Beta.2', '-rc.1', '-1')).map(([a, b]) => a + b)],
    [composer, fc.tuple(dotted(4), pick('', '-dev', '-alpha1', '-beta2', '-RC1', '-patch1', '-p2')).map(([a, b]) => a + b)],
    [debian, fc.tuple(pick('', '1:', '2:'), dotted(3), pick('', '~rc1', '+b1', 'a'), pick('', '-1', '-2ubuntu1', '-0~deb9u1')).map((p) => p.join(''))],
    [alpine, fc.tuple(dotted(3), pick('', 'a', 'b'), pick('', '_alpha', '_beta2', '_rc1', '_p1', '_git3'), pick('', '-r0', '-r1', '-r12')).map((p) => p.join(''))],
    [rpm, fc.tuple(pick('', '1:'), dotted(3), pick('', '~rc1', '^git1', 'a'), pick('', '-1', '-1.el8', '-2.fc39')).map((p) => p.join(''))],
  ];
})();

describe('ordering properties (fast-check)', () => {
  for (const [scheme, arb] of GENERATORS) {
    it(`${scheme.name} is a consistent total preorder`, () => {
      fc.assert(
        fc.property(arb, arb, arb, (a, b, c) => {
          expect(scheme.isValid(a)).toBe(true);
          expect(scheme.compare(a, a)).toBe(0);
          expect(scheme.compare(a, b) + scheme.compare(b, a)).toBe(0);
          if (scheme.compare(a, b) <= 0 && scheme.compare(b, c) <= 0) expect(scheme.compare(a, c)).toBeLessThanOrEqual(0);
        }),
        { numRuns: 300 },
      );
    });
  }
});
