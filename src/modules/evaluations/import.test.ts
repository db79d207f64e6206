import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatFromName, getField, ImportError, importSamples, parseCsv, parseCsvRecords, type FieldMapping } from './import.ts';
import { csvCell } from './stats.ts';

const mcMap: FieldMapping = { input: 'question', choices: ['A', 'B', 'C', 'D'], target: 'answer' };

function err(fn: () => unknown): ImportError {
  try { fn(); } catch (e) { if (e instanceof ImportError) return e; throw e; }
  throw new Error('expected an ImportError');
}

describe('parseCsvRecords (RFC 4180)', () => {
  it('plain fields, LF and CRLF, trailing newline optional', () => {
    expect(parseCsvRecords('a,b\n1,2\n').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsvRecords('a,b\r\n1,2').map((r) => r.fields)).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsvRecords('a\rb').map((r) => r.fields)).toEqual([['a'], ['b']]);
  });
  it('quotes, escaped quotes, commas and embedded newlines', () => {
    const recs = parseCsvRecords('q,x\r\n"Which, of ""these""?","line1\r\nline2"\r\nlast,"\n"\r\n');
    expect(recs.map((r) => r.fields)).toEqual([['q', 'x'], ['Which, of "these"?', 'line1\r\nline2'], ['last', '\n']]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 4]);
  });
  it('empty fields and an empty quoted field', () => {
    expect(parseCsvRecords(',,\n"",x,').map((r) => r.fields)).toEqual([['', '', ''], ['', 'x', '']]);
  });
  it('strips a BOM, and an empty text has no records', () => {
    expect(parseCsvRecords('\uFEFFa,b')[0].fields).toEqual(['a', 'b']);
    expect(parseCsvRecords('')).toEqual([]);
  });
  it('errors name the line', () => {
    expect(err(() => parseCsvRecords('a\n"open\n\n')).message).toBe('line 2: unterminated quoted field');
    expect(err(() => parseCsvRecords('a\n"x"y')).message).toBe('line 2: text after a closing quote');
    expect(err(() => parseCsvRecords('a\nx"y')).message).toBe('line 2: quote inside an unquoted field');
  });
  it('round-trips any table written with csvCell (property)', () => {
    const cell = fc.string().filter((s) => !/^[=+\-@\t\r\0]/.test(s));
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 5 }), (rows) => {
      const text = rows.map((r) => r.map(csvCell).join(',')).join('\r\n');
      const back = parseCsvRecords(text).map((r) => r.fields);
      expect(back).toEqual(rows);
    }));
  });
});

describe('parseCsv', () => {
  it('maps by header, skips blank lines and names rows', () => {
    expect(parseCsv('a,b\n1,2\n\n3,4\n')).toEqual([{ where: 'row 1 (line 2)', row: { a: '1', b: '2' } }, { where: 'row 3 (line 4)', row: { a: '3', b: '4' } }]);
  });
  it('refuses ragged rows, duplicate headers and a missing header', () => {
    expect(err(() => parseCsv('a,b\n1,2,3')).message).toBe('row 1 (line 2): 3 fields, header has 2');
    expect(err(() => parseCsv('a,a\n1,2')).message).toBe('line 1, field "a": duplicate column');
    expect(err(() => parseCsv('')).message).toBe('line 1: no header row');
  });
});

describe('importSamples: CSV multiple choice', () => {
  const csv = 'id,question,A,B,C,D,answer,topic\r\n' +
    'q1,"Which port does SSH use?",21,22,23,25,B,network\r\n' +
    'q2,"Which is a ""stored"" attack,\nmost likely?",XSS,CSRF,SSRF,XXE,a,web\r\n';
  it('loads lettered answers with id, domain and metadata', () => {
    const s = importSamples(csv, 'csv', { ...mcMap, id: 'id', domain: 'topic', metadata: ['topic'] });
    expect(s).toEqual([
      { id: 'q1', input: 'Which port does SSH use?', choices: ['21', '22', '23', '25'], target: 'B', domain: 'network', metadata: { topic: 'network' } },
      { id: 'q2', input: 'Which is a "stored" attack,\nmost likely?', choices: ['XSS', 'CSRF', 'SSRF', 'XXE'], target: 'A', domain: 'web', metadata: { topic: 'web' } },
    ]);
  });
  it('ids default to the position', () => {
    expect(importSamples(csv, 'csv', mcMap).map((s) => s.id)).toEqual(['1', '2']);
  });
  it('allows fewer choices on a row (trailing empty columns)', () => {
    const s = importSamples('question,A,B,C,D,answer\nTrue or false?,True,False,,,A\n', 'csv', mcMap);
    expect(s[0].choices).toEqual(['True', 'False']);
  });
  it('refuses a gap in the choices, naming the column', () => {
    expect(err(() => importSamples('question,A,B,C,D,answer\nQ,x,,z,,A\n', 'csv', mcMap)).message).toBe('row 1 (line 2), field "B": missing choice');
  });
  it('reads numeric answers as 0-based (auto) or 1-based (index1), and choice text', () => {
    const text = 'question,A,B,C,D,answer\nQ,w,x,y,z,2\n';
    expect(importSamples(text, 'csv', mcMap)[0].target).toBe('C');
    expect(importSamples(text, 'csv', { ...mcMap, targetAs: 'index1' })[0].target).toBe('B');
    expect(importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,y\n', 'csv', mcMap)[0].target).toBe('C');
    expect(importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,y\n', 'csv', { ...mcMap, targetAs: 'text' })[0].target).toBe('y');
  });
  it('errors name the row and the field', () => {
    expect(err(() => importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,E\n', 'csv', mcMap)).message).toBe('row 1 (line 2), field "answer": choice E out of range (4 choices)');
    expect(err(() => importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,\n', 'csv', mcMap)).message).toBe('row 1 (line 2), field "answer": missing target');
    expect(err(() => importSamples('question,A,B,C,D,answer\n,w,x,y,z,A\n', 'csv', mcMap)).message).toBe('row 1 (line 2), field "question": missing input');
    expect(err(() => importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,maybe\n', 'csv', mcMap)).message).toContain('field "answer": target is neither');
    expect(err(() => importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,B\n', 'csv', { ...mcMap, targetAs: 'index0' })).message).toContain('expected a choice number');
    expect(err(() => importSamples('question,A,B,C,D,answer\nQ,w,x,y,z,1\n', 'csv', { ...mcMap, targetAs: 'letter' })).message).toContain('expected a letter');
    expect(err(() => importSamples('question,answer\nQ,1\n', 'csv', { input: 'question', target: 'answer', targetAs: 'letter' })).message).toContain('needs choices');
  });
  it('refuses duplicate ids, naming both places', () => {
    expect(err(() => importSamples('id,question,answer\nx,Q1,a\nx,Q2,b\n', 'csv', { input: 'question', target: 'answer', id: 'id' })).message)
      .toBe('row 2 (line 3), field "id": duplicate id "x" (first at row 1 (line 2))');
  });
  it('a choices field holding a JSON array text', () => {
    const s = importSamples('q,choices,answer\nQ,"[""a"",""b""]",1\n', 'csv', { input: 'q', choices: 'choices', target: 'answer' });
    expect(s[0]).toMatchObject({ choices: ['a', 'b'], target: 'B' });
    expect(err(() => importSamples('q,choices,answer\nQ,a b,1\n', 'csv', { input: 'q', choices: 'choices', target: 'answer' })).message).toContain('field "choices"');
  });
});

describe('importSamples: JSONL and JSON', () => {
  const jsonMap: FieldMapping = { input: 'question', choices: 'choices', target: 'answer', metadata: ['source', 'tags'] };
  it('JSONL with array choices and index answers (the common public-set shape)', () => {
    const text = '{"question":"Q1","choices":["a","b","c","d"],"answer":3,"source":"x","tags":["t"]}\n\n{"question":"Q2","choices":["a","b"],"answer":0}\n';
    expect(importSamples(text, 'jsonl', jsonMap)).toEqual([
      { id: '1', input: 'Q1', choices: ['a', 'b', 'c', 'd'], target: 'D', metadata: { source: 'x', tags: '["t"]' } },
      { id: '2', input: 'Q2', choices: ['a', 'b'], target: 'A', metadata: {} },
    ]);
  });
  it('JSONL errors name the line', () => {
    expect(err(() => importSamples('{"question":"Q","answer":"x"}\n{bad\n', 'jsonl', { input: 'question', target: 'answer' })).message).toMatch(/^line 2: invalid JSON/);
    expect(err(() => importSamples('[1]\n', 'jsonl', { input: 'question', target: 'answer' })).message).toBe('line 1: expected a JSON object');
    expect(err(() => importSamples('{"question":"Q","choices":"nope","answer":1}\n', 'jsonl', jsonMap)).message).toContain('line 1, field "choices"');
    expect(err(() => importSamples('{"question":{"x":1},"answer":1}\n', 'jsonl', { input: 'question', target: 'answer' })).message).toBe('line 1, field "question": expected text, got object');
  });
  it('JSON array or { samples }, with nested fields and chat inputs', () => {
    const arr = JSON.stringify([{ q: { text: 'Q' }, a: ['x', 'y'], d: 'web', uid: 7 }]);
    expect(importSamples(arr, 'json', { input: 'q.text', target: 'a', domain: 'd', id: 'uid' })).toEqual([{ id: '7', input: 'Q', target: ['x', 'y'], domain: 'web' }]);
    const obj = JSON.stringify({ samples: [{ messages: [{ role: 'user', content: 'hi' }], answer: 'hello' }] });
    expect(importSamples(obj, 'json', { input: 'messages', target: 'answer' })[0].input).toEqual([{ role: 'user', content: 'hi' }]);
  });
  it('invalid chat messages are reported with the input field', () => {
    const obj = JSON.stringify([{ messages: [{ role: 'robot', content: 'hi' }], answer: 'x' }]);
    expect(err(() => importSamples(obj, 'json', { input: 'messages', target: 'answer' })).message).toMatch(/^item 1, field "messages": /);
  });
  it('JSON shape errors', () => {
    expect(err(() => importSamples('{"rows":[]}', 'json', { input: 'q', target: 'a' })).message).toContain('expected an array or an object with a "samples" array');
    expect(err(() => importSamples('[1]', 'json', { input: 'q', target: 'a' })).message).toBe('item 1: expected a JSON object');
    expect(err(() => importSamples('[', 'json', { input: 'q', target: 'a' })).message).toMatch(/^document: invalid JSON/);
    expect(err(() => importSamples('[]', 'json', { input: 'q', target: 'a' })).message).toBe('document: no samples');
  });
});

describe('limits', () => {
  it('refuses too many bytes', () => {
    expect(err(() => importSamples('x'.repeat(101), 'jsonl', { input: 'q', target: 'a' }, { maxBytes: 100 })).message).toContain('exceeds the 100-byte limit');
  });
  it('refuses too many rows in every format', () => {
    const m = { input: 'q', target: 'a' };
    expect(err(() => importSamples('q,a\n1,1\n2,2\n3,3\n', 'csv', m, { maxRows: 2 })).message).toContain('more than 2 rows');
    expect(importSamples('q,a\n1,1\n2,2\n', 'csv', m, { maxRows: 2 })).toHaveLength(2);
    expect(err(() => importSamples('{"q":"1","a":"1"}\n{"q":"2","a":"2"}\n{"q":"3","a":"3"}', 'jsonl', m, { maxRows: 2 })).message).toContain('more than 2 rows');
    expect(err(() => importSamples(JSON.stringify([{ q: '1', a: '1' }, { q: '2', a: '2' }, { q: '3', a: '3' }]), 'json', m, { maxRows: 2 })).message).toContain('more than 2 rows');
  });
  it('refuses more than 26 choices, naming the column', () => {
    const cols = Array.from({ length: 27 }, (_, i) => `c${i}`);
    const text = `q,${cols.join(',')},a\nQ,${cols.join(',')},A\n`;
    expect(err(() => importSamples(text, 'csv', { input: 'q', choices: cols, target: 'a' })).message).toMatch(/^row 1 \(line 2\), field "/);
  });
});

describe('helpers', () => {
  it('getField reads dotted paths; a literal dotted key wins', () => {
    expect(getField({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(getField({ 'a.b': 2, a: { b: 1 } }, 'a.b')).toBe(2);
    expect(getField({ a: 1 }, 'a.b')).toBeUndefined();
    expect(getField({}, 'constructor')).toBeUndefined();
  });
  it('formatFromName', () => {
    expect(formatFromName('x.JSONL')).toBe('jsonl');
    expect(formatFromName('x.ndjson')).toBe('jsonl');
    expect(formatFromName('x.json')).toBe('json');
    expect(formatFromName('x.csv')).toBe('csv');
    expect(formatFromName('x.txt')).toBeNull();
  });
});
