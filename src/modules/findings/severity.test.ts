import { describe, expect, it } from 'vitest';
import { ratingOf, scoreCvss } from './severity.ts';
import { checkCpe, checkCwe, checkProduct, checkPurl } from './products.ts';
import { DEFAULT_DUE_DAYS, dueAt, dueDaysFor } from './due.ts';

describe('CVSS scoring', () => {
  const good: [string, number, string][] = [
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'critical'],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:L', 5.6, 'medium'],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5, 'medium'],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N', 1.6, 'low'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 'none'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3, 'critical'],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', 6.8, 'medium'],
  ];
  for (const [v, score, rating] of good) {
    it(`${v} → ${score} ${rating}`, () => {
      const r = scoreCvss(v);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value).toMatchObject({ score, rating, vector: v });
    });
  }
  const bad = [
    'garbage',
    'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:2.0/AV:N/AC:L/Au:N/C:C/I:C/A:C',
    'CVSS:3.1/AV:N/AC:L',
    'CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q',
    'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    'CVSS:3.1/AV:N//AC:L',
    'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H',
  ];
  for (const v of bad) it(`refuses ${v}`, () => expect(scoreCvss(v).ok).toBe(false));

  it('uses FIRST’s qualitative bands', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(ratingOf)).toEqual(['none', 'low', 'low', 'medium', 'medium', 'high', 'high', 'critical', 'critical']);
  });
});

describe('products and weaknesses', () => {
  it('accepts CWE-n only', () => {
    expect(checkCwe('cwe-79')).toEqual({ ok: true, value: 'CWE-79' });
    for (const s of ['CWE79', 'CWE-', 'CWE-0', 'CWE-12a', 'XSS', 'CWE-1234567']) expect(checkCwe(s).ok).toBe(false);
  });

  it('normalises package-urls and keys them without version', () => {
    const r = checkPurl('pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1');
    expect(r).toEqual({ ok: true, value: { kind: 'purl', value: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', key: 'pkg:maven/org.apache.logging.log4j/log4j-core' } });
    const a = checkPurl('pkg:npm/lodash@4.17.20');
    const b = checkPurl('pkg:npm/lodash@4.17.21');
    expect(a.ok && b.ok && a.value.key === b.value.key).toBe(true);
    for (const s of ['lodash', 'pkg:', 'pkg:npm', 'http://x/y']) expect(checkPurl(s).ok).toBe(false);
  });

  it('checks CPE 2.3 formatted strings', () => {
    const r = checkCpe('cpe:2.3:a:openhealth:dicom_viewer:3.2.1:*:*:*:*:*:*:*');
    expect(r).toMatchObject({ ok: true, value: { kind: 'cpe', key: 'cpe:openhealth:dicom_viewer' } });
    expect(checkCpe('cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:x64:*').ok).toBe(true);
    expect(checkCpe('cpe:2.3:a:vendor\\:x:prod:1:*:*:*:*:*:*:*').ok).toBe(true);
    for (const s of ['cpe:2.3:a:vendor', 'cpe:/a:vendor:product:1', 'cpe:2.3:x:v:p:1:*:*:*:*:*:*:*', 'cpe:2.3:a:*:*:1:*:*:*:*:*:*:*', 'cpe:2.3:a:v p:p:1:*:*:*:*:*:*:*']) expect(checkCpe(s).ok, s).toBe(false);
    expect(checkProduct('cpe:2.3:a:v:p:1:*:*:*:*:*:*:*')).toMatchObject({ ok: true, value: { kind: 'cpe' } });
    expect(checkProduct('pkg:pypi/django@4.2')).toMatchObject({ ok: true, value: { kind: 'purl' } });
  });
});

describe('due dates', () => {
  const release = new Date('2026-06-30T00:00:00Z');
  it('fall the configured days before release by rating, never before filing', () => {
    expect(dueAt(release, DEFAULT_DUE_DAYS.critical, new Date('2026-06-01T00:00:00Z')).toISOString()).toBe('2026-06-16T00:00:00.000Z');
    expect(dueAt(release, 14, new Date('2026-06-20T00:00:00Z')).toISOString()).toBe('2026-06-20T00:00:00.000Z');
    expect(dueDaysFor('high')).toBe(10);
    expect(dueDaysFor('high', { high: 21 })).toBe(21);
    expect(dueDaysFor('none')).toBe(0);
  });
});
