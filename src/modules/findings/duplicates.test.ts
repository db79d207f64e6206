import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDuplicate, isDuplicate, type DedupeCandidate } from './duplicates.ts';

const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 60_000);
const f = (id: string, kind: string, cwe: string | null, productKeys: string[], n = 0): DedupeCandidate => ({ id, kind, cwe, productKeys, at: at(n) });

describe('duplicate detection', () => {
  const table: [string, Omit<DedupeCandidate, 'id' | 'at'>, Omit<DedupeCandidate, 'id' | 'at'>, boolean][] = [
    ['same kind, product and CWE', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, true],
    ['one product in common', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a', 'pkg:npm/b'] }, { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/b'] }, true],
    ['another kind', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, { kind: 'j', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, false],
    ['another CWE', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, { kind: 'k', cwe: 'CWE-89', productKeys: ['pkg:npm/a'] }, false],
    ['CWE against none', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, { kind: 'k', cwe: null, productKeys: ['pkg:npm/a'] }, false],
    ['no CWE on either, same product', { kind: 'k', cwe: null, productKeys: ['pkg:npm/a'] }, { kind: 'k', cwe: null, productKeys: ['pkg:npm/a'] }, true],
    ['no product in common', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/b'] }, false],
    ['no products, same CWE', { kind: 'k', cwe: 'CWE-1039', productKeys: [] }, { kind: 'k', cwe: 'CWE-1039', productKeys: [] }, true],
    ['no products, no CWE: nothing to compare', { kind: 'k', cwe: null, productKeys: [] }, { kind: 'k', cwe: null, productKeys: [] }, false],
    ['products against none', { kind: 'k', cwe: 'CWE-79', productKeys: ['pkg:npm/a'] }, { kind: 'k', cwe: 'CWE-79', productKeys: [] }, false],
  ];
  for (const [name, a, b, want] of table) it(`${name} → ${want}`, () => expect(isDuplicate(a, b)).toBe(want));

  it('links the earliest match and never the finding itself', () => {
    const me = f('me', 'k', 'CWE-79', ['p']);
    const earlier = [f('late', 'k', 'CWE-79', ['p'], 5), f('early', 'k', 'CWE-79', ['p'], 1), f('other', 'k', 'CWE-89', ['p'], 0), f('me', 'k', 'CWE-79', ['p'], 0)];
    expect(findDuplicate(me, earlier)?.id).toBe('early');
    expect(findDuplicate(me, [])).toBeNull();
  });

  it('is symmetric, and a finding duplicates an identical one whenever it names a product or a CWE', () => {
    const arb = fc.record({
      kind: fc.constantFrom('a', 'b'),
      cwe: fc.option(fc.constantFrom('CWE-79', 'CWE-89'), { nil: null }),
      productKeys: fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3'), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(arb, arb, (x, y) => {
        expect(isDuplicate(x, y)).toBe(isDuplicate(y, x));
        expect(isDuplicate(x, x)).toBe(x.productKeys.length > 0 || x.cwe !== null);
      }),
    );
  });
});
