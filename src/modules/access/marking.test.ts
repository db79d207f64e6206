import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CLASSIFICATIONS,
  CONFIDENTIAL,
  CUI,
  PUBLIC_MARKING,
  SECRET,
  TOP_SECRET,
  UNCLASSIFIED,
  dominates,
  formatMarking,
  highest,
  levelOf,
  nameOf,
  parseMarking,
  type Marking,
} from './marking.ts';

// A small universe, enumerated completely: 5 levels × every subset of 3 compartments = 40 markings.
const COMPARTMENTS = ['BENCH', 'HCS', 'SI'] as const;
const LEVELS = [0, 1, 2, 3, 4];

function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++) out.push(items.filter((_, i) => mask & (1 << i)));
  return out;
}

const ALL: Marking[] = LEVELS.flatMap((classification) => subsets(COMPARTMENTS).map((compartments) => ({ classification, compartments })));

// Reference written independently of marking.ts: the lattice order on (level, set of compartments).
function refDominates(a: Marking, b: Marking): boolean {
  const held = new Set(a.compartments);
  return a.classification >= b.classification && b.compartments.every((c) => held.has(c));
}

const NAMES = ['UNCLASSIFIED', 'CUI', 'CONFIDENTIAL', 'SECRET', 'TOP SECRET'];

const compartmentArb = fc.constantFrom('BENCH', 'HCS', 'SI', 'TK', 'GAMMA', 'NOFORN', 'X-1', 'A_B', 'Z9');
const markingArb: fc.Arbitrary<Marking> = fc.record({
  classification: fc.integer({ min: 0, max: 4 }),
  compartments: fc.uniqueArray(compartmentArb, { maxLength: 5 }),
});

describe('levels', () => {
  it('are ordered UNCLASSIFIED < CUI < CONFIDENTIAL < SECRET < TOP SECRET', () => {
    expect([...CLASSIFICATIONS]).toEqual(NAMES);
    expect([UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET, TOP_SECRET]).toEqual([0, 1, 2, 3, 4]);
    NAMES.forEach((name, i) => {
      expect(levelOf(name as (typeof CLASSIFICATIONS)[number])).toBe(i);
      expect(nameOf(i)).toBe(name);
    });
  });

  it('nameOf rejects levels that do not exist', () => {
    for (const bad of [-1, 5, 1.5, Number.NaN, 100]) expect(() => nameOf(bad)).toThrow(RangeError);
  });

  it('PUBLIC_MARKING is UNCLASSIFIED without compartments', () => {
    expect(PUBLIC_MARKING).toEqual({ classification: UNCLASSIFIED, compartments: [] });
  });
});

describe('dominates (exhaustive over 5 levels × subsets of 3 compartments)', () => {
  it('agrees with the reference on all 1600 ordered pairs', () => {
    const mismatches: string[] = [];
    for (const a of ALL)
      for (const b of ALL)
        if (dominates(a, b) !== refDominates(a, b)) mismatches.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    expect(mismatches).toEqual([]);
  });

  it('spot checks', () => {
    const m = (classification: number, ...compartments: string[]): Marking => ({ classification, compartments });
    expect(dominates(m(SECRET), m(SECRET))).toBe(true);
    expect(dominates(m(SECRET), m(CONFIDENTIAL))).toBe(true);
    expect(dominates(m(CONFIDENTIAL), m(SECRET))).toBe(false);
    expect(dominates(m(TOP_SECRET), m(SECRET, 'BENCH'))).toBe(false); // level alone is not enough
    expect(dominates(m(TOP_SECRET, 'BENCH'), m(SECRET, 'BENCH'))).toBe(true);
    expect(dominates(m(TOP_SECRET, 'BENCH'), m(SECRET, 'BENCH', 'HCS'))).toBe(false); // every compartment
    expect(dominates(m(SECRET, 'BENCH', 'HCS'), m(SECRET, 'HCS'))).toBe(true);
    expect(dominates(m(UNCLASSIFIED, 'BENCH'), m(CUI))).toBe(false); // compartments do not raise a level
    expect(dominates(m(UNCLASSIFIED), PUBLIC_MARKING)).toBe(true);
  });

  it('is a partial order on the enumerated universe: reflexive, antisymmetric, transitive', () => {
    for (const a of ALL) expect(dominates(a, a)).toBe(true);
    for (const a of ALL)
      for (const b of ALL) {
        if (dominates(a, b) && dominates(b, a)) {
          expect(a.classification).toBe(b.classification);
          expect([...a.compartments].sort()).toEqual([...b.compartments].sort());
        }
      }
    const failures: string[] = [];
    for (const a of ALL)
      for (const b of ALL) {
        if (!dominates(a, b)) continue;
        for (const c of ALL) if (dominates(b, c) && !dominates(a, c)) failures.push(`${formatMarking(a)} ${formatMarking(b)} ${formatMarking(c)}`);
      }
    expect(failures).toEqual([]);
  });

  it('property: reflexive and transitive, order of compartments irrelevant', () => {
    fc.assert(
      fc.property(markingArb, markingArb, markingArb, (a, b, c) => {
        expect(dominates(a, a)).toBe(true);
        if (dominates(a, b) && dominates(b, c)) expect(dominates(a, c)).toBe(true);
        const reversed = { ...b, compartments: [...b.compartments].reverse() };
        expect(dominates(a, reversed)).toBe(dominates(a, b));
        expect(dominates(a, b)).toBe(refDominates(a, b));
      }),
      { numRuns: 500 },
    );
  });

  it('property: raising the clearance or adding compartments never loses access', () => {
    fc.assert(
      fc.property(markingArb, markingArb, fc.integer({ min: 0, max: 4 }), compartmentArb, (clearance, record, up, extra) => {
        if (!dominates(clearance, record)) return;
        const stronger = { classification: Math.max(clearance.classification, up), compartments: [...clearance.compartments, extra] };
        expect(dominates(stronger, record)).toBe(true);
      }),
    );
  });

  it('property: adding a compartment the clearance lacks to a record hides it', () => {
    fc.assert(
      fc.property(markingArb, markingArb, compartmentArb, (clearance, record, extra) => {
        fc.pre(!clearance.compartments.includes(extra));
        expect(dominates(clearance, { ...record, compartments: [...record.compartments, extra] })).toBe(false);
      }),
    );
  });
});

describe('highest', () => {
  it('of nothing is UNCLASSIFIED without compartments', () => {
    expect(highest([])).toEqual({ classification: UNCLASSIFIED, compartments: [] });
  });

  it('exhaustively over all pairs: is the least upper bound', () => {
    for (const a of ALL)
      for (const b of ALL) {
        const h = highest([a, b]);
        expect(h.classification).toBe(Math.max(a.classification, b.classification));
        expect(h.compartments).toEqual([...new Set([...a.compartments, ...b.compartments])].sort());
        expect(dominates(h, a) && dominates(h, b)).toBe(true);
        // least: every marking that dominates both dominates h
        for (const c of ALL) if (dominates(c, a) && dominates(c, b)) expect(dominates(c, h)).toBe(true);
      }
  });

  it('property: dominates each input, sorted and duplicate-free, order-independent, accepts any iterable', () => {
    fc.assert(
      fc.property(fc.array(markingArb, { maxLength: 8 }), (ms) => {
        const h = highest(ms);
        for (const m of ms) expect(dominates(h, m)).toBe(true);
        expect(h.compartments).toEqual([...new Set(h.compartments)].sort());
        expect(highest([...ms].reverse())).toEqual(h);
        function* gen() {
          yield* ms;
        }
        expect(highest(gen())).toEqual(h);
        expect(highest([h, ...ms])).toEqual(h); // idempotent
      }),
    );
  });
});

describe('formatMarking / parseMarking', () => {
  it('formats banners', () => {
    expect(formatMarking({ classification: UNCLASSIFIED, compartments: [] })).toBe('UNCLASSIFIED');
    expect(formatMarking({ classification: TOP_SECRET, compartments: [] })).toBe('TOP SECRET');
    expect(formatMarking({ classification: SECRET, compartments: ['BENCH'] })).toBe('SECRET//BENCH');
    expect(formatMarking({ classification: SECRET, compartments: ['SI', 'BENCH', 'HCS'] })).toBe('SECRET//BENCH/HCS/SI');
  });

  it('formatting does not mutate the marking', () => {
    const compartments = ['SI', 'BENCH'];
    formatMarking({ classification: SECRET, compartments });
    expect(compartments).toEqual(['SI', 'BENCH']);
  });

  it('formatMarking rejects unknown levels', () => {
    expect(() => formatMarking({ classification: 5, compartments: [] })).toThrow(RangeError);
    expect(() => formatMarking({ classification: -1, compartments: [] })).toThrow(RangeError);
  });

  it('exhaustively: every marking in the universe formats to the expected banner and parses back', () => {
    for (const m of ALL) {
      const text = formatMarking(m);
      const expected = m.compartments.length ? `${NAMES[m.classification]}//${[...m.compartments].sort().join('/')}` : NAMES[m.classification];
      expect(text).toBe(expected);
      expect(parseMarking(text)).toEqual({ classification: m.classification, compartments: [...m.compartments].sort() });
      // case-insensitive and surrounding whitespace tolerated
      expect(parseMarking(`  ${text.toLowerCase()} \n`)).toEqual(parseMarking(text));
    }
  });

  it('exhaustively: compartments in any order and repeated parse to the same sorted set', () => {
    for (const m of ALL) {
      if (m.compartments.length === 0) continue;
      const shuffled = [...m.compartments].reverse();
      const text = `${NAMES[m.classification]}//${[...shuffled, ...shuffled].join('/')}`;
      expect(parseMarking(text)).toEqual({ classification: m.classification, compartments: [...m.compartments].sort() });
    }
  });

  it('property: parse(format(m)) is m normalised; format(parse(text)) is a fixpoint', () => {
    fc.assert(
      fc.property(markingArb, (m) => {
        const parsed = parseMarking(formatMarking(m));
        expect(parsed).toEqual({ classification: m.classification, compartments: [...new Set(m.compartments)].sort() });
        expect(formatMarking(parsed)).toBe(formatMarking(m));
        expect(parseMarking(formatMarking(parsed))).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    '',
    '   ',
    'SECRETS',
    'TOPSECRET',
    'TOP  SECRET',
    'CLASSIFIED',
    'RESTRICTED',
    'SECRET/BENCH', // single slash is not the separator
    'S//BENCH',
    '3',
    '//BENCH',
    'SECRET//B', // compartment names are 2 to 16 characters
    'SECRET//1BENCH', // must start with a letter
    'SECRET//BENCH HCS',
    'SECRET//BEN.CH',
    'SECRET//ABCDEFGHIJKLMNOPQ', // 17 characters
    'SECRET//BENCH,HCS',
    'SECRET//BÉNCH',
  ])('rejects %j', (text) => {
    expect(() => parseMarking(text)).toThrow(RangeError);
  });

  it('accepts boundary compartment names', () => {
    expect(parseMarking('SECRET//AB').compartments).toEqual(['AB']);
    expect(parseMarking('SECRET//ABCDEFGHIJKLMNOP').compartments).toEqual(['ABCDEFGHIJKLMNOP']);
    expect(parseMarking('SECRET//A-1/B_2').compartments).toEqual(['A-1', 'B_2']);
  });

  // A record marked this way must never become readable without every control it names.
  it('does not silently drop compartments after a second // separator', () => {
    let parsed: Marking | null = null;
    try {
      parsed = parseMarking('SECRET//BENCH//NOFORN');
    } catch {
      return; // rejecting the banner is fine
    }
    expect(parsed.compartments).toContain('NOFORN');
  });

  it('property: random junk is either rejected or parses to a valid marking', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        let m: Marking;
        try {
          m = parseMarking(text);
        } catch (e) {
          expect(e).toBeInstanceOf(RangeError);
          return;
        }
        expect(Number.isInteger(m.classification) && m.classification >= 0 && m.classification <= 4).toBe(true);
        for (const c of m.compartments) expect(c).toMatch(/^[A-Z][A-Z0-9_-]{1,15}$/);
        expect(parseMarking(formatMarking(m))).toEqual(m);
      }),
      { numRuns: 1000 },
    );
  });
});
