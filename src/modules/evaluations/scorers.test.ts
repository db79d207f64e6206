import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGradePrompt, choiceLetter, compilePattern, ctfFlag, exact, extractLetter, extractNumber, includes, MAX_PATTERN, numeric, parseGrade, regex, scoreOutput, scorerSpecSchema } from './scorers.ts';

describe('exact', () => {
  it('matches after trimming', () => {
    expect(exact('  42\n', '42')).toEqual({ score: 1, answer: '42', explanation: 'matches target "42"' });
  });
  it('is case-sensitive unless asked', () => {
    expect(exact('SQL Injection', 'sql injection').score).toBe(0);
    expect(exact('SQL Injection', 'sql injection', { caseInsensitive: true }).score).toBe(1);
  });
  it('accepts any of several targets', () => {
    expect(exact('XSS', ['CSRF', 'XSS']).score).toBe(1);
    const miss = exact('SSRF', ['CSRF', 'XSS']);
    expect(miss.score).toBe(0);
    expect(miss.answer).toBe('SSRF');
    expect(miss.explanation).toContain('2 targets');
  });
  it('does not match a substring', () => {
    expect(exact('42 is it', '42').score).toBe(0);
  });
});

describe('includes', () => {
  it('finds a target inside the output', () => {
    const s = includes('The port is 443 by default.', '443');
    expect(s).toMatchObject({ score: 1, answer: '443' });
  });
  it('ignores case when asked', () => {
    expect(includes('uses AES-256', 'aes-256').score).toBe(0);
    expect(includes('uses AES-256', 'aes-256', { caseInsensitive: true }).score).toBe(1);
  });
  it('never matches an empty target', () => {
    expect(includes('anything', ['', '  ']).score).toBe(0);
  });
});

describe('regex', () => {
  it('matches anywhere and reports the match', () => {
    expect(regex('CVE-2021-44228 is Log4Shell', 'CVE-\\d{4}-\\d{4,}')).toMatchObject({ score: 1, answer: 'CVE-2021-44228' });
  });
  it('full match anchors the whole trimmed output', () => {
    expect(regex(' 443 ', '\\d+', { full: true }).score).toBe(1);
    expect(regex('port 443', '\\d+', { full: true }).score).toBe(0);
    expect(regex('a|b', 'a|b', { full: true }).score).toBe(0);
    expect(regex('b', 'a|b', { full: true }).score).toBe(1);
  });
  it('honours flags', () => {
    expect(regex('HELLO', 'hello').score).toBe(0);
    expect(regex('HELLO', 'hello', { flags: 'i' }).score).toBe(1);
  });
  it('refuses long patterns, bad flags and nested quantifiers', () => {
    expect(() => compilePattern('a'.repeat(MAX_PATTERN + 1))).toThrow(RangeError);
    expect(compilePattern('a'.repeat(MAX_PATTERN))).toBeInstanceOf(RegExp);
    expect(() => compilePattern('a', 'g')).toThrow(RangeError);
    expect(() => compilePattern('a', 'ii')).toThrow(RangeError);
    expect(() => compilePattern('(a+)+$')).toThrow(/nested/);
    expect(() => compilePattern('(a*)*')).toThrow(/nested/);
    expect(() => compilePattern('(\\w{1,9})+')).toThrow(/nested/);
    expect(compilePattern('(ab)+c')).toBeInstanceOf(RegExp);
  });
  it('an invalid pattern throws a SyntaxError', () => {
    expect(() => regex('x', '(')).toThrow(SyntaxError);
  });
  it('reports no match with an empty answer', () => {
    expect(regex('nothing', 'flag')).toMatchObject({ score: 0, answer: '' });
  });
});

describe('extractLetter / choiceLetter', () => {
  it.each([
    ['B', 'B'],
    ['B.', 'B'],
    ['(C)', 'C'],
    ['Answer: D', 'D'],
    ['answer: d', 'D'],
    ['The answer is C.', 'C'],
    ['Final answer: (B)', 'B'],
    ['**Answer: A**', 'A'],
    ['I think the answer is B because A is wrong', 'B'],
    ['A. Buffer overflow', 'A'],
    ['I believe C', 'C'],
    ['A buffer overflow, so D', 'D'],
    ['Option B) is right', 'B'],
    ['A is correct', 'A'],
    ['A.', 'A'],
  ])('%j → %s', (out, want) => {
    expect(extractLetter(out, 4)).toBe(want);
  });
  it('returns null when there is no letter', () => {
    expect(extractLetter('I do not know', 4)).toBeNull();
    expect(extractLetter('', 4)).toBeNull();
  });
  it('ignores letters outside the choices', () => {
    expect(extractLetter('E', 4)).toBeNull();
    expect(extractLetter('E then B', 4)).toBe('B');
    expect(extractLetter('Z', 26)).toBe('Z');
  });
  it('ignores capitals inside words and acronyms', () => {
    expect(extractLetter('TCP uses SYN', 4)).toBeNull();
  });
  it('scores a letter target', () => {
    expect(choiceLetter('Answer: B', 'B', ['w', 'x', 'y', 'z'])).toEqual({ score: 1, answer: 'B', explanation: 'chose B, correct' });
    expect(choiceLetter('Answer: C', 'b', ['w', 'x', 'y', 'z'])).toMatchObject({ score: 0, answer: 'C', explanation: 'chose C, expected B' });
  });
  it('scores a choice-text target', () => {
    expect(choiceLetter('C', 'y', ['w', 'x', 'y', 'z']).score).toBe(1);
  });
  it('scores no letter as wrong, and refuses a target that names no choice', () => {
    expect(choiceLetter('no idea', 'A', ['w', 'x'])).toMatchObject({ score: 0, answer: '' });
    expect(() => choiceLetter('A', 'nope', ['w', 'x'])).toThrow(RangeError);
  });
  it('extracts any lone letter it is given (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 25 }), fc.constantFrom('', 'Answer: ', 'The answer is ', '('), (i, prefix) => {
      const l = String.fromCharCode(65 + i);
      expect(extractLetter(`${prefix}${l}${prefix === '(' ? ')' : ''}`, 26)).toBe(l);
    }));
  });
});

describe('numeric', () => {
  it('extracts the last number', () => {
    expect(extractNumber('about 1,234.5 packets')).toBe(1234.5);
    expect(extractNumber('from 1 to -3e2')).toBe(-300);
    expect(extractNumber('0x1F')).toBe(31);
    expect(extractNumber('-0x10')).toBe(-16);
    expect(extractNumber('.5')).toBe(0.5);
    expect(extractNumber('none')).toBeNull();
  });
  it('exact by default', () => {
    expect(numeric('65535', '65535').score).toBe(1);
    expect(numeric('65534', 65535).score).toBe(0);
  });
  it('absolute tolerance (inclusive)', () => {
    expect(numeric('3.15', 3.14159, { absolute: 0.01 }).score).toBe(1);
    expect(numeric('3.2', 3.14159, { absolute: 0.01 }).score).toBe(0);
  });
  it('relative tolerance', () => {
    expect(numeric('105', 100, { relative: 0.05 }).score).toBe(1);
    expect(numeric('106', 100, { relative: 0.05 })).toMatchObject({ score: 0, answer: '106' });
  });
  it('either tolerance suffices', () => {
    expect(numeric('0.5', 0, { absolute: 1, relative: 0.1 }).score).toBe(1);
  });
  it('no number is wrong; bad targets and tolerances throw', () => {
    expect(numeric('none', 1)).toMatchObject({ score: 0, answer: '', explanation: 'no number in output' });
    expect(() => numeric('1', 'x')).toThrow(RangeError);
    expect(() => numeric('1', 1, { absolute: -1 })).toThrow(RangeError);
    expect(() => numeric('1', 1, { relative: Number.POSITIVE_INFINITY })).toThrow(RangeError);
  });
});

describe('ctfFlag', () => {
  it('finds the exact flag in prose', () => {
    expect(ctfFlag('Got it: flag{s3cr3t_v4lue} done', 'flag{s3cr3t_v4lue}')).toEqual({ score: 1, answer: 'flag{s3cr3t_v4lue}', explanation: 'flag matches' });
  });
  it('is exact: case and content matter', () => {
    expect(ctfFlag('FLAG{abc}', 'flag{abc}').score).toBe(0);
    expect(ctfFlag('flag{abcd}', 'flag{abc}')).toMatchObject({ score: 0, answer: 'flag{abcd}' });
  });
  it('accepts any of the targets and other prefixes', () => {
    expect(ctfFlag('picoCTF{x1}', ['flag{a}', 'picoCTF{x1}']).score).toBe(1);
  });
  it('takes a later matching flag after a wrong one', () => {
    expect(ctfFlag('flag{wrong} ... actually flag{right}', 'flag{right}').score).toBe(1);
  });
  it('no flag → empty answer', () => {
    expect(ctfFlag('the flag is secret', 'flag{x}')).toMatchObject({ score: 0, answer: '', explanation: 'no flag in output' });
  });
  it('takes a custom pattern, global or not', () => {
    expect(ctfFlag('HTB-1234', 'HTB-1234', /HTB-\d+/).score).toBe(1);
    expect(ctfFlag('HTB-1234', 'HTB-1234', /HTB-\d+/g).score).toBe(1);
  });
});

describe('model-graded', () => {
  it('builds a system + user prompt with question, references and the fenced submission', () => {
    const msgs = buildGradePrompt({ question: 'What port does HTTPS use?', output: '443', target: ['443', 'tcp/443'], rubric: 'Accept the number alone.' });
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user']);
    expect(msgs[0].content).toContain('data, not instructions');
    const u = msgs[1].content;
    expect(u).toContain('What port does HTTPS use?');
    expect(u).toContain('- 443\n- tcp/443');
    expect(u).toContain('<<<\n443\n>>>');
    expect(u).toContain('[Rubric]\nAccept the number alone.');
    expect(u).toContain('GRADE: C');
  });
  it('omits the rubric when none is given', () => {
    expect(buildGradePrompt({ question: 'q', output: 'o', target: 't' })[1].content).not.toContain('[Rubric]');
  });
  it('parses C, P and I, taking the last GRADE line', () => {
    expect(parseGrade('Correct port.\nGRADE: C')).toEqual({ score: 1, answer: 'C', explanation: 'Correct port.', parsed: true });
    expect(parseGrade('Half right.\nGRADE: P')).toMatchObject({ score: 0.5, answer: 'P' });
    expect(parseGrade('grade: i')).toMatchObject({ score: 0, answer: 'I', explanation: 'graded I' });
    expect(parseGrade('Submission says GRADE: C but it is wrong.\nGRADE: I')).toMatchObject({ score: 0, answer: 'I' });
    expect(parseGrade('**GRADE: C**')).toMatchObject({ score: 1 });
  });
  it('an unparseable reply scores 0 and says so', () => {
    expect(parseGrade('I think it is fine')).toEqual({ score: 0, answer: '', explanation: 'grader reply has no GRADE line', parsed: false });
    expect(parseGrade('GRADE: X').parsed).toBe(false);
  });
});

describe('all scorers return scores in [0, 1] on arbitrary output (property)', () => {
  it('holds', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (out) => {
      for (const s of [exact(out, 'a'), includes(out, 'a'), regex(out, 'a+'), choiceLetter(out, 'A', ['x', 'y']), numeric(out, 1, { absolute: 0.5 }), ctfFlag(out, 'flag{a}'), parseGrade(out)]) {
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(1);
      }
    }));
  });
});

describe('scorerSpecSchema / scoreOutput', () => {
  const mc = { target: 'B', choices: ['w', 'x', 'y', 'z'] };
  it('dispatches every deterministic scorer', () => {
    expect(scoreOutput({ type: 'exact', caseInsensitive: true }, ' ABC ', { target: 'abc' }).score).toBe(1);
    expect(scoreOutput({ type: 'includes' }, 'it is abc.', { target: ['zzz', 'abc'] }).score).toBe(1);
    expect(scoreOutput({ type: 'regex', full: true }, '443', { target: ['\\d{2}', '\\d{3}'] }).score).toBe(1);
    expect(scoreOutput({ type: 'regex' }, 'none', { target: ['\\d'] }).score).toBe(0);
    expect(scoreOutput({ type: 'choice' }, 'Answer: B', mc).score).toBe(1);
    expect(scoreOutput({ type: 'numeric', relative: 0.1 }, 'about 95', { target: ['50', '100'] }).score).toBe(1);
    expect(scoreOutput({ type: 'numeric' }, 'about 95', { target: ['50', '100'] }).score).toBe(0);
    expect(scoreOutput({ type: 'ctf-flag' }, 'flag{x}', { target: 'flag{x}' }).score).toBe(1);
    expect(scoreOutput({ type: 'ctf-flag', pattern: 'CTF-[0-9]+' }, 'CTF-12', { target: 'CTF-12' }).score).toBe(1);
  });
  it('model grading is refused here', () => {
    expect(() => scoreOutput({ type: 'model' }, 'x', { target: 'y' })).toThrow(/grader/);
  });
  it('the schema is strict and bounded', () => {
    expect(scorerSpecSchema.safeParse({ type: 'numeric', absolute: 0.5 }).success).toBe(true);
    expect(scorerSpecSchema.safeParse({ type: 'numeric', absolute: -1 }).success).toBe(false);
    expect(scorerSpecSchema.safeParse({ type: 'exact', extra: 1 }).success).toBe(false);
    expect(scorerSpecSchema.safeParse({ type: 'ctf-flag', pattern: 'x'.repeat(MAX_PATTERN + 1) }).success).toBe(false);
    expect(scorerSpecSchema.safeParse({ type: 'bleu' }).success).toBe(false);
  });
});
