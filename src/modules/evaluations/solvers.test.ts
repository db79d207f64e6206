import { describe, expect, it } from 'vitest';
import { buildMessages, fnv1a, formatChoices, inputText, MC_INSTRUCTION, selectFewShot } from './solvers.ts';
import type { Sample } from './suite.ts';

const mc = (id: string, target = 'B'): Sample => ({ id, input: `Question ${id}?`, choices: ['alpha', 'beta', 'gamma', 'delta'], target });
const pool = Array.from({ length: 10 }, (_, i) => mc(`ex${i}`, 'ABCD'[i % 4]));

describe('plain generation', () => {
  it('sends the prompt as one user message', () => {
    expect(buildMessages({ id: '1', input: 'Explain ROP.', target: 'x' })).toEqual([{ role: 'user', content: 'Explain ROP.' }]);
  });
  it('adds a system prompt first', () => {
    expect(buildMessages({ id: '1', input: 'Explain ROP.', target: 'x' }, { systemPrompt: 'Be terse.' })).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Explain ROP.' },
    ]);
  });
  it('keeps chat inputs as they are, system prompt prepended only if they have none', () => {
    const chat: Sample = { id: 'c', input: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }, { role: 'user', content: 'and?' }], target: 'x' };
    expect(buildMessages(chat, { systemPrompt: 'S' })).toEqual([{ role: 'system', content: 'S' }, ...(chat.input as object[])]);
    const own: Sample = { id: 'c', input: [{ role: 'system', content: 'own' }, { role: 'user', content: 'hi' }], target: 'x' };
    expect(buildMessages(own, { systemPrompt: 'S' })).toEqual(own.input);
  });
  it('does not mutate the sample', () => {
    const chat: Sample = { id: 'c', input: [{ role: 'user', content: 'hi' }], target: 'x' };
    const out = buildMessages(chat);
    out[0].content = 'changed';
    expect((chat.input as { content: string }[])[0].content).toBe('hi');
  });
});

describe('multiple choice', () => {
  it('formats lettered choices', () => {
    expect(formatChoices(' Q? ', ['x', ' y '])).toBe('Q?\n\nA. x\nB. y');
  });
  it('builds the instruction, question and choices', () => {
    const [m] = buildMessages(mc('q1'), { mode: 'multiple-choice' });
    expect(m.role).toBe('user');
    expect(m.content).toBe(`${MC_INSTRUCTION}\n\nQuestion q1?\n\nA. alpha\nB. beta\nC. gamma\nD. delta\n\nAnswer:`);
  });
  it('takes a custom instruction', () => {
    expect(buildMessages(mc('q1'), { mode: 'multiple-choice', instruction: 'Pick one.' })[0].content.startsWith('Pick one.\n\n')).toBe(true);
  });
  it('refuses a sample without choices', () => {
    expect(() => buildMessages({ id: 'x', input: 'q', target: 'A' }, { mode: 'multiple-choice' })).toThrow(/no choices/);
  });
  it('chat input in multiple-choice mode: system turns first, user text with choices', () => {
    const s: Sample = { id: 'c', input: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'Which?' }], choices: ['p', 'q'], target: 'A' };
    const out = buildMessages(s, { mode: 'multiple-choice' });
    expect(out[0]).toEqual({ role: 'system', content: 'sys' });
    expect(out[1].content).toContain('Which?\n\nA. p\nB. q');
  });
  it('inputText joins user turns', () => {
    expect(inputText({ input: [{ role: 'system', content: 's' }, { role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }, { role: 'user', content: 'c' }] })).toBe('a\n\nc');
  });
});

describe('few-shot', () => {
  it('is deterministic and excludes the sample asked', () => {
    const a = selectFewShot(pool, 3, 'ex1', 'seed');
    const b = selectFewShot([...pool].reverse(), 3, 'ex1', 'seed');
    expect(a.map((s) => s.id)).toEqual(b.map((s) => s.id));
    expect(a).toHaveLength(3);
    expect(a.map((s) => s.id)).not.toContain('ex1');
    expect(selectFewShot(pool, 20, 'ex1')).toHaveLength(9);
    expect(selectFewShot(pool, 0, 'ex1')).toEqual([]);
    expect(() => selectFewShot(pool, -1, 'x')).toThrow(RangeError);
  });
  it('a different seed may choose differently', () => {
    const seeds = ['a', 'b', 'c', 'd', 'e'].map((s) => selectFewShot(pool, 3, 'none', s).map((x) => x.id).join());
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });
  it('fnv1a known values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
  });
  it('multiple-choice examples are user/assistant pairs answered with the letter', () => {
    const out = buildMessages(mc('q'), { mode: 'multiple-choice', systemPrompt: 'S', fewShot: { examples: pool, k: 2, seed: 's' } });
    expect(out.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    const chosen = selectFewShot(pool, 2, 'q', 's');
    expect(out[2].content).toBe(`Answer: ${chosen[0].target}`);
    expect(out[1].content).toContain(`Question ${chosen[0].id}?`);
    expect(out[5].content).toContain('Question q?');
  });
  it('an example whose target is choice text gets its letter; a foreign target throws', () => {
    const ex: Sample = { id: 'e', input: 'Q?', choices: ['x', 'y'], target: 'y' };
    expect(buildMessages(mc('q'), { mode: 'multiple-choice', fewShot: { examples: [ex], k: 1 } })[1].content).toBe('Answer: B');
    const bad: Sample = { id: 'e', input: 'Q?', choices: ['x', 'y'], target: 'zzz' };
    expect(() => buildMessages(mc('q'), { mode: 'multiple-choice', fewShot: { examples: [bad], k: 1 } })).toThrow(/not one of its choices/);
  });
  it('generation examples answer with the first target', () => {
    const ex: Sample = { id: 'e', input: 'Port of SSH?', target: ['22', 'tcp/22'] };
    expect(buildMessages({ id: 'q', input: 'Port of DNS?', target: '53' }, { fewShot: { examples: [ex], k: 1 } })).toEqual([
      { role: 'user', content: 'Port of SSH?' },
      { role: 'assistant', content: '22' },
      { role: 'user', content: 'Port of DNS?' },
    ]);
  });
  it('few-shot with a chat input goes after its system turns', () => {
    const ex: Sample = { id: 'e', input: 'E?', target: 'e' };
    const chat: Sample = { id: 'c', input: [{ role: 'system', content: 'own' }, { role: 'user', content: 'Q?' }], target: 'x' };
    expect(buildMessages(chat, { fewShot: { examples: [ex], k: 1 } }).map((m) => m.content)).toEqual(['own', 'E?', 'e', 'Q?']);
  });
});
