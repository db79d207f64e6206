import { describe, expect, it } from 'vitest';
import { csafRangeContains, formatVers, InvalidRangeError, isAffected, parseCsafRange, parseVers, sortEvents, versContains, type OsvAffected } from './ranges.ts';
import { semver } from './versions/semver.ts';

const pkg = (ecosystem: string, name = 'p') => ({ ecosystem, name });

describe('OSV ranges (schema evaluation algorithm)', () => {
  const basic: OsvAffected = { package: pkg('npm'), ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.4.2' }] }] };
  it.each([
    ['0.9.9', 'not_affected'],
    ['1.0.0-rc.1', 'not_affected'],
    ['1.0.0', 'affected'],
    ['1.4.1', 'affected'],
    ['1.4.2-beta', 'affected'],
    ['1.4.2', 'not_affected'],
    ['2.0.0', 'not_affected'],
  ])('introduced 1.0.0, fixed 1.4.2: %s is %s', (v, status) => {
    expect(isAffected('npm', v, basic).status).toBe(status);
  });

  it('introduced 0 means from the beginning; no closing event means every later version', () => {
    const a: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] };
    expect(isAffected('npm', '0.0.0-0', a).status).toBe('affected');
    expect(isAffected('npm', '99.0.0', a).status).toBe('affected');
  });

  it('last_affected is inclusive', () => {
    const a: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { last_affected: '2.1.0' }] }] };
    expect(isAffected('npm', '2.1.0', a).status).toBe('affected');
    expect(isAffected('npm', '2.1.1-0', a).status).toBe('not_affected');
  });

  it('events are sorted before evaluation and several intervals are honoured', () => {
    const a: OsvAffected = {
      ranges: [{ type: 'ECOSYSTEM', events: [{ fixed: '2.0.5' }, { introduced: '3.0.0' }, { introduced: '2.0.0' }, { fixed: '3.1.0' }] }],
    };
    expect(isAffected('PyPI', '2.0.4', a).status).toBe('affected');
    expect(isAffected('PyPI', '2.0.5', a).status).toBe('not_affected');
    expect(isAffected('PyPI', '2.5', a).status).toBe('not_affected');
    expect(isAffected('PyPI', '3.0.1', a).status).toBe('affected');
    expect(isAffected('PyPI', '3.1', a).status).toBe('not_affected');
    expect(sortEvents(a.ranges![0]!.events, semver).map((e) => e.version)).toEqual(['2.0.0', '2.0.5', '3.0.0', '3.1.0']);
  });

  it('limit bounds the range from above', () => {
    const a: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { limit: '1.5.0' }] }] };
    expect(isAffected('npm', '1.4.9', a).status).toBe('affected');
    expect(isAffected('npm', '1.5.0', a).status).toBe('not_affected');
    const star: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { limit: '*' }] }] };
    expect(isAffected('npm', '9.0.0', star).status).toBe('affected');
  });

  it('ECOSYSTEM ranges use the ecosystem ordering (PEP 440, Maven, Debian)', () => {
    const py: OsvAffected = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] };
    expect(isAffected('PyPI', '2.0rc1', py).status).toBe('affected');
    expect(isAffected('PyPI', '2.0.0', py).status).toBe('not_affected');
    const mvn: OsvAffected = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0-beta9' }, { fixed: '2.15.0' }] }] };
    expect(isAffected('Maven', '2.14.1', mvn).status).toBe('affected');
    expect(isAffected('Maven', '2.0-alpha1', mvn).status).toBe('not_affected');
    const deb: OsvAffected = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.1.1n-0+deb11u1' }] }] };
    expect(isAffected('Debian:11', '1.1.1k-1+deb11u2', deb).status).toBe('affected');
    expect(isAffected('Debian:11', '1.1.1n-0+deb11u3', deb).status).toBe('not_affected');
  });

  it('explicit versions match exactly (and by ecosystem equality)', () => {
    const a: OsvAffected = { versions: ['1.2.3', '2.0'] };
    expect(isAffected('PyPI', '1.2.3', a)).toEqual({ status: 'affected', by: 'versions', fixedIn: null });
    expect(isAffected('PyPI', '2.0.0', a).status).toBe('affected');
    expect(isAffected('PyPI', '1.2.4', a).status).toBe('not_affected');
  });

  it('GIT ranges are ignored for version matching', () => {
    const a: OsvAffected = { ranges: [{ type: 'GIT', repo: 'https://example.org/r', events: [{ introduced: 'abc' }, { fixed: 'def' }] }] };
    expect(isAffected('Go', '1.0.0', a)).toEqual({ status: 'not_affected' });
  });

  it('says unknown, never "not affected", when it cannot order', () => {
    const a: OsvAffected = { ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] };
    expect(isAffected('Hackage', '0.5', a).status).toBe('unknown');
    expect(isAffected('npm', 'banana', a).status).toBe('unknown');
    const bad: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: 'x.y' }] }] };
    expect(isAffected('npm', '1.0.0', bad).status).toBe('unknown');
    // an affected entry wins over an unreadable one
    expect(isAffected('npm', '0.5.0', [bad, a]).status).toBe('affected');
  });

  it('reports the next fixed version', () => {
    const a: OsvAffected = { ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }, { introduced: '2.0.0' }, { fixed: '2.3.4' }] }] };
    expect(isAffected('npm', '2.1.0', a)).toMatchObject({ status: 'affected', fixedIn: '2.3.4' });
    expect(isAffected('npm', '0.1.0', a)).toMatchObject({ status: 'affected', fixedIn: '1.0.1' });
  });
});

describe('vers', () => {
  it('parses, normalises and prints', () => {
    const r = parseVers('vers:npm/ <2.0.0 | >=1.0.0 ');
    expect(r.constraints).toEqual([
      { comparator: '>=', version: '1.0.0' },
      { comparator: '<', version: '2.0.0' },
    ]);
    expect(formatVers(r)).toBe('vers:npm/>=1.0.0|<2.0.0');
    expect(parseVers('vers:npm/*').constraints).toBeNull();
  });
  it.each([
    ['vers:npm/>=1.0.0|<2.0.0', '1.5.0', true],
    ['vers:npm/>=1.0.0|<2.0.0', '2.0.0', false],
    ['vers:npm/>=1.0.0|<2.0.0', '0.9.0', false],
    ['vers:npm/1.2.3', '1.2.3', true],
    ['vers:npm/1.2.3', '1.2.4', false],
    ['vers:npm/<1.0.0|>=2.0.0', '3.0.0', true],
    ['vers:npm/<1.0.0|>=2.0.0', '1.5.0', false],
    ['vers:npm/>=1.0.0|!=1.2.0|<2.0.0', '1.2.0', false],
    ['vers:npm/>=1.0.0|!=1.2.0|<2.0.0', '1.3.0', true],
    ['vers:npm/!=1.2.0', '1.3.0', true],
    ['vers:npm/!=1.2.0', '1.2.0', false],
    ['vers:npm/1.0.0|!=1.2.0', '1.3.0', false],
    ['vers:pypi/>=2.0|<2.5|>=3.0|<=3.1', '3.1.0', true],
    ['vers:pypi/>=2.0|<2.5|>=3.0|<=3.1', '2.7', false],
    ['vers:maven/>=2.0-beta9|<2.15.0', '2.14.1', true],
    ['vers:deb/>=1.0|<1.0.3-1~deb11u1', '1.0.3-1', false],
    ['vers:gem/<1.0.0.pre|>1.2', '1.0.0.alpha', true],
    ['vers:npm/*', '0.0.1', true],
    ['vers:generic/>=2.9|<=4.1', '4.1', true],
  ])('%s contains %s: %s', (range, v, want) => {
    expect(versContains(range, v)).toBe(want);
  });
  it('refuses malformed ranges', () => {
    for (const r of ['npm/>=1.0', 'vers:npm/', 'vers:npm/>=1.0.0|<=1.0.0', 'vers:npm/*|>1.0.0', 'vers:npm/>=banana', 'vers:npm/>='])
      expect(() => parseVers(r), r).toThrow(InvalidRangeError);
  });
});

describe('CSAF product_version_range', () => {
  it.each([
    ['vers:generic/>=2.9|<=4.1', '3.0', undefined, true],
    ['vers:npm/>=2.2.0|<2.3.0', '2.3.0', undefined, false],
    ['vers:all/*', 'anything', undefined, true],
    ['<=1.14.0', '1.14.0', 'npm', true],
    ['<=1.14.0', '1.15.0', 'npm', false],
    ['>=2.9|<=4.1', '4.2', undefined, false],
    ['>= 1.0, < 2.0', '1.9', 'pypi', true],
    ['>4.2', '4.10', 'semver', true],
    ['all versions', '0.0.1', undefined, true],
  ])('%s contains %s (%s): %s', (range, v, scheme, want) => {
    expect(csafRangeContains(range, v, scheme)).toBe(want);
  });
  it('a legacy range takes the product ordering (4.10 > 4.9 only numerically)', () => {
    expect(csafRangeContains('<4.9', '4.10', 'npm')).toBe(false);
  });
  it('refuses text that is not a range', () => {
    expect(() => parseCsafRange('Example Company JKL')).toThrow(InvalidRangeError);
  });
});
