import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CVSS31_METRICS, CVSS40_METRICS, CvssVectorError, cvssMemoSize, isValidCvss, scoreCvss, severityOf } from './cvss.ts';

// Worked examples of the FIRST "CVSS v3.1: Examples" document (vector, base score).
const V31_EXAMPLES: [string, string, number][] = [
  ['CVE-2013-1937 phpMyAdmin reflected XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
  ['CVE-2013-0375 MySQL stored SQL injection', 'AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4],
  ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
  ['CVE-2012-1516 VMware guest to host escape', 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
  ['CVE-2009-0783 Apache Tomcat XML parser', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2],
  ['CVE-2012-0384 Cisco IOS command execution', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2015-1098 Apple iWork denial of service', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2014-0160 OpenSSL Heartbleed', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
  ['CVE-2014-6271 GNU Bash Shellshock', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
  ['CVE-2008-1447 DNS Kaminsky bug', 'AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8],
  ['CVE-2014-2005 Sophos login screen bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8],
  ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8],
  ['CVE-2012-1342 Cisco access control bypass', 'AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N', 5.8],
  ['CVE-2013-6014 Juniper proxy ARP denial of service', 'AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H', 9.3],
  ['CVE-2014-9253 DokuWiki reflected XSS', 'AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N', 5.4],
  ['CVE-2009-0658 Adobe Acrobat buffer overflow', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8],
  ['CVE-2011-1265 Microsoft Windows Bluetooth RCE', 'AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-2019 Apple iOS security control bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N', 4.6],
  ['CVE-2015-0970 SearchBlox CSRF', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2014-0224 OpenSSL CCS injection', 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N', 7.4],
  ['CVE-2012-5376 Google Chrome sandbox bypass', 'AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6],
  ['CVE-2016-1645 Google Chrome PDFium JPEG 2000 RCE', 'AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 8.8],
  ['CVE-2016-0128 SAMR/LSAD Badlock', 'AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N', 6.8],
  ['CVE-2016-5729 Lenovo BIOS', 'AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H', 8.2],
  ['CVE-2018-3652 Intel DCI', 'AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 7.6],
];

// Examples of the FIRST "CVSS v4.0: Examples" document (vector, CVSS-B/BT score as published there).
const V40_EXAMPLES: [string, string, number][] = [
  ['CVE-2013-1937 phpMyAdmin reflected XSS', 'AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N', 5.1],
  ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/AT:P/PR:N/UI:P/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 2.3],
  ['CVE-2012-1516 VMware guest to host escape', 'AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 9.4],
  ['CVE-2012-0384 Cisco IOS command execution', 'AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.7],
  ['CVE-2014-0160 OpenSSL Heartbleed', 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N', 8.7],
  ['CVE-2014-6271 GNU Bash Shellshock', 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
  ['CVE-2021-44228 Apache log4j log4shell (CVSS-BT)', 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A', 10],
  ['CVE-2014-2005 Sophos login screen bypass', 'AV:P/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.0],
  ['CVE-2015-1098 Apple iWork denial of service', 'AV:L/AC:L/AT:N/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
  ['CVE-2011-1265 Microsoft Windows Bluetooth RCE', 'AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.7],
  ['CVE-2015-0970 SearchBlox CSRF', 'AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.6],
  ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 6.9],
  ['CVE-2012-1342 Cisco access control bypass', 'AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', 6.9],
  ['CVE-2013-6014 Juniper proxy ARP denial of service', 'AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H', 6.4],
];

// CVSS 3.1 specification section 7 (base and temporal equations), written out independently of the
// library so that every base vector can be checked against the published formula.
const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
  E: { X: 1, H: 1, F: 0.97, P: 0.94, U: 0.91 },
  RL: { X: 1, U: 1, W: 0.97, T: 0.96, O: 0.95 },
  RC: { X: 1, C: 1, R: 0.96, U: 0.92 },
} as const;
function roundup(x: number): number {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
}
function specBase(v: Record<string, string>): number {
  const changed = v.S === 'C';
  const pr = v.PR === 'N' ? 0.85 : v.PR === 'L' ? (changed ? 0.68 : 0.62) : changed ? 0.5 : 0.27;
  const c = W.CIA[v.C as 'H'], i = W.CIA[v.I as 'H'], a = W.CIA[v.A as 'H'];
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const expl = 8.22 * W.AV[v.AV as 'N'] * W.AC[v.AC as 'L'] * pr * W.UI[v.UI as 'N'];
  if (impact <= 0) return 0;
  return changed ? roundup(Math.min(1.08 * (impact + expl), 10)) : roundup(Math.min(impact + expl, 10));
}

function allBaseVectors31(): Record<string, string>[] {
  let acc: Record<string, string>[] = [{}];
  for (const d of CVSS31_METRICS.filter((x) => x.base)) {
    acc = acc.flatMap((v) => d.values.map((val) => ({ ...v, [d.key]: val })));
  }
  return acc;
}
const vec = (prefix: string, v: Record<string, string>) => [prefix, ...Object.entries(v).map(([k, x]) => `${k}:${x}`)].join('/');

describe('CVSS 3.1', () => {
  it.each(V31_EXAMPLES)('%s scores as in the FIRST examples', (_name, v, score) => {
    const r = scoreCvss(`CVSS:3.1/${v}`);
    expect(r).toMatchObject({ version: '3.1', vector: `CVSS:3.1/${v}`, baseScore: score, score, severity: severityOf(score) });
  });

  it('every one of the 2,592 base vectors matches the specification formula', () => {
    const all = allBaseVectors31();
    expect(all).toHaveLength(2592);
    for (const v of all) {
      const r = scoreCvss(vec('CVSS:3.1', v));
      expect(r.baseScore, vec('CVSS:3.1', v)).toBe(specBase(v));
    }
  });

  it('temporal metrics follow the specification formula (property)', () => {
    const pick = (d: (typeof CVSS31_METRICS)[number]) => fc.constantFrom(...d.values);
    const base = fc.record(Object.fromEntries(CVSS31_METRICS.filter((d) => d.base).map((d) => [d.key, pick(d)])) as Record<string, fc.Arbitrary<string>>);
    const temporal = fc.record({ E: fc.constantFrom('U', 'P', 'F', 'H'), RL: fc.constantFrom('O', 'T', 'W', 'U'), RC: fc.constantFrom('U', 'R', 'C') });
    fc.assert(
      fc.property(base, temporal, (b, t) => {
        const r = scoreCvss(vec('CVSS:3.1', { ...b, ...t }));
        const expected = roundup(specBase(b) * W.E[t.E as 'U'] * W.RL[t.RL as 'O'] * W.RC[t.RC as 'U']);
        expect(r.baseScore).toBe(specBase(b));
        expect(r.score).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts metrics in any order and normalises to the canonical order without X values', () => {
    const r = scoreCvss('CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N/E:X/RL:O/MAV:X');
    expect(r.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/RL:O');
    expect(r.baseScore).toBe(9.8);
    expect(r.score).toBe(9.4);
  });

  it('environmental metrics change the overall score, never the base score', () => {
    const r = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/CR:L/IR:L/AR:L/MAV:P');
    expect(r.baseScore).toBe(9.8);
    expect(r.score).toBeLessThan(9.8);
  });
});

describe('CVSS 4.0', () => {
  it.each(V40_EXAMPLES)('%s scores as in the FIRST examples', (_name, v, score) => {
    const r = scoreCvss(`CVSS:4.0/${v}`);
    expect(r.version).toBe('4.0');
    expect(r.vector).toBe(`CVSS:4.0/${v}`);
    expect(r.score).toBe(score);
    expect(r.scoreSeverity).toBe(severityOf(score));
  });

  it('reports nomenclature and keeps the base score apart from threat metrics', () => {
    const b = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    const bt = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U');
    const bte = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/CR:L');
    const be = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:L');
    expect([b.nomenclature, bt.nomenclature, bte.nomenclature, be.nomenclature]).toEqual(['CVSS-B', 'CVSS-BT', 'CVSS-BTE', 'CVSS-BE']);
    expect(bt.baseScore).toBe(9.3);
    expect(bt.severity).toBe('CRITICAL');
    expect(bt.score).toBeLessThan(9.3);
  });

  it('no impact on any system scores 0.0 (NONE)', () => {
    const r = scoreCvss('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N');
    expect(r).toMatchObject({ baseScore: 0, severity: 'NONE' });
  });

  it('supplemental metrics never change the score (property)', () => {
    const base = fc.record(Object.fromEntries(CVSS40_METRICS.filter((d) => d.base).map((d) => [d.key, fc.constantFrom(...d.values)])) as Record<string, fc.Arbitrary<string>>);
    const supp = fc.record({ S: fc.constantFrom('N', 'P'), AU: fc.constantFrom('N', 'Y'), R: fc.constantFrom('A', 'U', 'I'), V: fc.constantFrom('D', 'C'), RE: fc.constantFrom('L', 'M', 'H'), U: fc.constantFrom('Clear', 'Green', 'Amber', 'Red') });
    fc.assert(
      fc.property(base, supp, (b, s) => {
        const plain = scoreCvss(vec('CVSS:4.0', b));
        const withSupp = scoreCvss(vec('CVSS:4.0', { ...b, ...s }));
        expect(withSupp.score).toBe(plain.score);
        expect(plain.severity).toBe(severityOf(plain.baseScore));
      }),
      { numRuns: 150 },
    );
  });
});

describe('invalid vectors name the bad metric', () => {
  const cases: [string, RegExp, string | undefined][] = [
    ['CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /metric AV has no value "Q"/, 'AV'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /base metric A is missing/, 'A'],
    ['CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /AV is given more than once/, 'AV'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1', /no metric "ZZ"/, 'ZZ'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AT:N', /no metric "AT"/, 'AT'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/', /is not METRIC:VALUE/, undefined],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H:H', /is not METRIC:VALUE/, undefined],
    ['CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /metric AV has no value "n"/, 'AV'],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X', /metric A has no value "X"/, 'A'],
    ['CVSS:3.1', /has no metrics/, undefined],
    ['CVSS:4.0/AC:L/AV:N/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /AV is out of order/, 'AV'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', /metric UI has no value "R"/, 'UI'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', /base metric SA is missing/, 'SA'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F', /metric E has no value "F"/, 'E'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', /metric SI has no value "S"/, 'SI'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red', /metric U has no value "red"/, 'U'],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /version "3.0" is not supported/, undefined],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', /must start with/, undefined],
    ['', /must start with/, undefined],
    [`CVSS:3.1/${'AV:N/'.repeat(200)}`, /longer than 512/, undefined],
  ];
  it.each(cases)('%s', (v, message, metric) => {
    let err: unknown;
    try {
      scoreCvss(v);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CvssVectorError);
    expect((err as Error).message).toMatch(message);
    expect((err as CvssVectorError).metric).toBe(metric);
    expect((err as CvssVectorError).status).toBe(400);
    expect(isValidCvss(v)).toBe(false);
  });

  it('random strings never crash: they score or fail with CvssVectorError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => `CVSS:4.0/${s}`), fc.string().map((s) => `CVSS:3.1/AV:N/${s}`)), (s) => {
        try {
          const r = scoreCvss(s);
          expect(r.baseScore).toBeGreaterThanOrEqual(0);
        } catch (e) {
          expect(e).toBeInstanceOf(CvssVectorError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('severity scale', () => {
  it.each([
    [0, 'NONE'], [0.1, 'LOW'], [3.9, 'LOW'], [4, 'MEDIUM'], [6.9, 'MEDIUM'], [7, 'HIGH'], [8.9, 'HIGH'], [9, 'CRITICAL'], [10, 'CRITICAL'],
  ] as const)('%s is %s', (s, sev) => expect(severityOf(s)).toBe(sev));
  it('rejects scores outside 0..10', () => {
    expect(() => severityOf(10.1)).toThrow(RangeError);
    expect(() => severityOf(-1)).toThrow(RangeError);
    expect(() => severityOf(Number.NaN)).toThrow(RangeError);
  });
});

describe('remembered scores', () => {
  it('answers a repeated vector with an equal, independent result', () => {
    const v = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P';
    const first = scoreCvss(v);
    const again = scoreCvss(v);
    expect(again).toEqual(first);
    again.score = 0;
    expect(scoreCvss(v).score).toBe(first.score);
  });

  it('does not remember invalid vectors, so every attempt fails the same way', () => {
    for (let i = 0; i < 2; i++) expect(() => scoreCvss('CVSS:3.1/AV:Q')).toThrow(CvssVectorError);
  });

  it('stays bounded', () => {
    const values = ['H', 'L', 'N'];
    let n = 0;
    for (const c of values) for (const i of values) for (const a of values) for (const e of ['X', 'U', 'P', 'F', 'H']) for (const rl of ['X', 'O', 'T', 'W', 'U']) for (const rc of ['X', 'U', 'R', 'C']) for (const cr of ['X', 'L', 'M', 'H']) {
      scoreCvss(`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:${c}/I:${i}/A:${a}/E:${e}/RL:${rl}/RC:${rc}/CR:${cr}`);
      n++;
    }
    expect(n).toBeGreaterThan(10_000);
    expect(cvssMemoSize()).toBe(10_000);
  });
});
