import { describe, expect, it } from 'vitest';
import { domainOf, indexOfLetter, letterOf, LIMITS, sampleSchema, suiteSchema, targetsOf, type Sample } from './suite.ts';

const sample = (over: Record<string, unknown> = {}) => ({ id: 's1', input: 'What is XSS?', target: 'B', choices: ['a', 'b'], ...over });
const suite = (over: Record<string, unknown> = {}) => ({ name: 'cyber-mc', version: '1.0.0', samples: [sample()], ...over });
const paths = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('sampleSchema', () => {
  it('accepts a prompt sample and a chat sample', () => {
    expect(sampleSchema.safeParse(sample()).success).toBe(true);
    const chat = sample({ input: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }], target: ['a', 'b'], choices: undefined });
    expect(sampleSchema.safeParse(chat).success).toBe(true);
  });
  it('accepts metadata and domain', () => {
    const r = sampleSchema.parse(sample({ metadata: { source: 'x', year: 2024, verified: true, note: null }, domain: ' network ' }));
    expect(r.domain).toBe('network');
  });
  it('refuses unknown roles, empty input and empty message lists', () => {
    expect(paths(sampleSchema.safeParse(sample({ input: [{ role: 'tool', content: 'x' }] })))).toContain('input');
    expect(sampleSchema.safeParse(sample({ input: '' })).success).toBe(false);
    expect(sampleSchema.safeParse(sample({ input: [] })).success).toBe(false);
  });
  it('bounds choices to 2..26', () => {
    expect(sampleSchema.safeParse(sample({ choices: Array.from({ length: 26 }, (_, i) => `c${i}`) })).success).toBe(true);
    expect(paths(sampleSchema.safeParse(sample({ choices: Array.from({ length: 27 }, (_, i) => `c${i}`) })))).toContain('choices');
    expect(sampleSchema.safeParse(sample({ choices: ['only'] })).success).toBe(false);
  });
  it('bounds strings, targets and metadata', () => {
    expect(sampleSchema.safeParse(sample({ input: 'x'.repeat(LIMITS.input + 1) })).success).toBe(false);
    expect(sampleSchema.safeParse(sample({ id: 'x'.repeat(LIMITS.sampleId + 1) })).success).toBe(false);
    expect(sampleSchema.safeParse(sample({ target: [] })).success).toBe(false);
    expect(sampleSchema.safeParse(sample({ target: 'x'.repeat(LIMITS.target + 1) })).success).toBe(false);
    const meta = Object.fromEntries(Array.from({ length: LIMITS.metadataKeys + 1 }, (_, i) => [`k${i}`, i]));
    expect(sampleSchema.safeParse(sample({ metadata: meta })).success).toBe(false);
    expect(sampleSchema.safeParse(sample({ metadata: { nested: { a: 1 } } })).success).toBe(false);
  });
  it('refuses unknown keys', () => {
    expect(sampleSchema.safeParse(sample({ extra: 1 })).success).toBe(false);
  });
});

describe('suiteSchema', () => {
  it('defaults the domain and the marking to general / UNCLASSIFIED', () => {
    const s = suiteSchema.parse(suite());
    expect(s.domain).toBe('general');
    expect(s.marking).toEqual({ classification: 0, compartments: [] });
  });
  it('accepts a classified marking with compartments', () => {
    expect(suiteSchema.parse(suite({ marking: { classification: 3, compartments: ['BENCH'] } })).marking.classification).toBe(3);
  });
  it('refuses bad markings', () => {
    expect(suiteSchema.safeParse(suite({ marking: { classification: 5, compartments: [] } })).success).toBe(false);
    expect(suiteSchema.safeParse(suite({ marking: { classification: 1.5, compartments: [] } })).success).toBe(false);
    expect(suiteSchema.safeParse(suite({ marking: { classification: 3, compartments: ['bench'] } })).success).toBe(false);
  });
  it('refuses an empty suite, a blank name and duplicate sample ids (naming the path)', () => {
    expect(suiteSchema.safeParse(suite({ samples: [] })).success).toBe(false);
    expect(suiteSchema.safeParse(suite({ name: '  ' })).success).toBe(false);
    const r = suiteSchema.safeParse(suite({ samples: [sample(), sample({ id: 's2' }), sample()] }));
    expect(paths(r)).toEqual(['samples.2.id']);
  });
});

describe('helpers', () => {
  const s = sampleSchema.parse(sample()) as Sample;
  it('domainOf falls back to the suite default', () => {
    expect(domainOf(s, { domain: 'general' })).toBe('general');
    expect(domainOf({ ...s, domain: 'web' }, { domain: 'general' })).toBe('web');
  });
  it('targetsOf lists targets', () => {
    expect(targetsOf({ target: 'a' })).toEqual(['a']);
    expect(targetsOf({ target: ['a', 'b'] })).toEqual(['a', 'b']);
  });
  it('letters and indexes', () => {
    expect(letterOf(0)).toBe('A');
    expect(letterOf(25)).toBe('Z');
    expect(() => letterOf(26)).toThrow(RangeError);
    expect(() => letterOf(-1)).toThrow(RangeError);
    expect(indexOfLetter('c')).toBe(2);
    expect(indexOfLetter(' Z ')).toBe(25);
    expect(indexOfLetter('AB')).toBe(-1);
    expect(indexOfLetter('1')).toBe(-1);
  });
});
