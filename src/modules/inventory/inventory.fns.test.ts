import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { cpeParts, isCpe, manualComponentRow, rowFromSbomComponent } from './inventory.fns.ts';

describe('isCpe and cpeParts', () => {
  it.each([
    ['cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*', true, { vendor: 'apache', product: 'http_server', version: '2.4.49' }],
    ['cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*', true, { vendor: 'microsoft', product: 'windows_10', version: null }],
    ['cpe:2.3:a:foo\\:bar:baz:1.0:*:*:*:*:*:*:*', true, { vendor: 'foo\\:bar', product: 'baz', version: '1.0' }],
    ['cpe:/a:openssl:openssl:1.0.2k', true, { vendor: 'openssl', product: 'openssl', version: '1.0.2k' }],
    ['cpe:/a:zlib:zlib', true, { vendor: 'zlib', product: 'zlib', version: null }],
  ])('%s', (cpe, valid, parts) => {
    expect(isCpe(cpe)).toBe(valid);
    expect(cpeParts(cpe)).toEqual(parts);
  });
  it.each(['apache httpd', 'cpe:2.3:a:apache', 'cpe:2.3:x:a:b:c:*:*:*:*:*:*:*', 'pkg:npm/a@1', ''])('refuses %j', (s) => expect(isCpe(s)).toBe(false));
});

describe('rowFromSbomComponent', () => {
  it('splits a canonical purl into its package identity', () => {
    expect(rowFromSbomComponent({ name: 'core', version: '16.0.0', purl: 'pkg:npm/%40angular/core@16.0.0' })).toEqual({
      purl: 'pkg:npm/%40angular/core@16.0.0',
      package: 'pkg:npm/%40angular/core',
      ecosystem: 'npm',
      namespace: '@angular',
      name: 'core',
      version: '16.0.0',
      cpe: null,
    });
  });
  it('takes the component version when the purl has none', () => {
    expect(rowFromSbomComponent({ name: 'x', version: '1.2', purl: 'pkg:pypi/x' })).toMatchObject({ purl: 'pkg:pypi/x', version: '1.2', package: 'pkg:pypi/x' });
  });
  it('keeps a component without purl by name, group and CPE', () => {
    expect(rowFromSbomComponent({ name: 'openssl', version: '3.0.1', group: 'org', cpe: 'cpe:/a:openssl:openssl:3.0.1' })).toEqual({
      purl: null,
      package: null,
      ecosystem: null,
      namespace: 'org',
      name: 'openssl',
      version: '3.0.1',
      cpe: 'cpe:/a:openssl:openssl:3.0.1',
    });
  });
});

describe('manualComponentRow', () => {
  const pathOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError & { errors?: { path: string }[] }).errors?.[0]?.path;
    }
    throw new Error('expected a refusal');
  };
  it('normalises a purl and adds the version', () => {
    expect(manualComponentRow({ purl: 'pkg:PyPI/Django', version: '4.2.0' })).toMatchObject({ purl: 'pkg:pypi/django@4.2.0', package: 'pkg:pypi/django', version: '4.2.0' });
    expect(manualComponentRow({ purl: 'pkg:npm/a@1.0.0' })).toMatchObject({ purl: 'pkg:npm/a@1.0.0', version: '1.0.0' });
    expect(manualComponentRow({ purl: 'pkg:npm/a@1.0.0', version: '1.0.0' })).toMatchObject({ version: '1.0.0' });
  });
  it('takes product and version from a CPE', () => {
    expect(manualComponentRow({ cpe: 'cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*' })).toMatchObject({ name: 'http_server', namespace: 'apache', version: '2.4.49', purl: null });
    expect(manualComponentRow({ cpe: 'cpe:/a:zlib:zlib', version: '1.2.11', name: 'zlib library' })).toMatchObject({ name: 'zlib library', version: '1.2.11' });
  });
  it.each([
    [{ purl: 'pkg:' }, 'purl'],
    [{ purl: 'npm/a@1' }, 'purl'],
    [{ purl: 'pkg:npm/a' }, 'version'],
    [{ purl: 'pkg:npm/a@1', version: '2' }, 'version'],
    [{ cpe: 'not a cpe', version: '1' }, 'cpe'],
    [{ cpe: 'cpe:/a:zlib:zlib' }, 'version'],
  ])('refuses %j naming %s', (input, path) => {
    expect(pathOf(() => manualComponentRow(input))).toBe(path);
  });
});
