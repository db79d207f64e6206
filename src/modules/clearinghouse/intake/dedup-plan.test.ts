import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dedupKeys, planLinks, type DedupKey } from './dedup-plan.ts';
import { fingerprintKeys, similarityKey } from './keys.ts';
import type { CandidateReport } from './candidate.ts';

const fp = (key: string): DedupKey => ({ key, kind: 'fingerprint' });
const sim = (key: string): DedupKey => ({ key, kind: 'similarity' });
const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};

describe('dedupKeys', () => {
  it('lists the fingerprints, then the similarity key', () => {
    const c: CandidateReport = { source: 'sarif', title: 'SQL injection', description: '', affected: [], ids: ['CVE-2026-1'], fingerprints: { 'x/v1': 'abc' }, location: { uri: 'src/a.py', startLine: 3 }, references: [] };
    expect(dedupKeys(c)).toEqual([...fingerprintKeys(c).map((key) => fp(key)), sim(similarityKey(c)!)]);
  });
});

describe('planLinks', () => {
  it('merges into a stored vulnerability by any key and adds the candidate’s other keys to it', () => {
    const plan = planLinks([[fp('a'), sim('s1')]], new Map([['s1', 'v1']]), ids());
    expect(plan.links).toEqual([{ vulnerabilityId: 'v1', merged: true, created: false }]);
    expect(plan.newKeys).toEqual([{ key: 'a', kind: 'fingerprint', vulnerabilityId: 'v1' }]);
  });

  it('merges a candidate into an earlier candidate of the same report', () => {
    const plan = planLinks([[fp('a')], [fp('b'), sim('s')], [sim('s')], [fp('a'), fp('c')]], new Map(), ids());
    expect(plan.links).toEqual([
      { vulnerabilityId: 'new-1', merged: false, created: true },
      { vulnerabilityId: 'new-2', merged: false, created: true },
      { vulnerabilityId: 'new-2', merged: true, created: false },
      { vulnerabilityId: 'new-1', merged: true, created: false },
    ]);
    expect(plan.newKeys.map((k) => [k.key, k.vulnerabilityId])).toEqual([['a', 'new-1'], ['b', 'new-2'], ['s', 'new-2'], ['c', 'new-1']]);
  });

  it('keeps a key with the vulnerability that claimed it first, and prefers fingerprints to pick the target', () => {
    const plan = planLinks([[fp('a'), sim('s')]], new Map([['a', 'v1'], ['s', 'v2']]), ids());
    expect(plan.links[0].vulnerabilityId).toBe('v1');
    expect(plan.newKeys).toEqual([]);
  });

  it('a candidate without keys always creates its own vulnerability', () => {
    const plan = planLinks([[], []], new Map(), ids());
    expect(plan.links.map((l) => l.vulnerabilityId)).toEqual(['new-1', 'new-2']);
    expect(plan.newKeys).toEqual([]);
  });

  it('agrees with linking candidates one at a time (the service’s former, statement-per-result path)', () => {
    const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f').map((k) => fp(k));
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(key, { selector: (k) => k.key, maxLength: 3 }), { maxLength: 12 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom('v1', 'v2'))), (cands, stored) => {
        const known = new Map<string, string>(stored);
        const plan = planLinks(cands, known, ids());
        // Reference: look up, create if missing, insert keys on conflict do nothing, per candidate.
        const table = new Map(known);
        const next = ids();
        const expected = cands.map((keys) => {
          const hit = keys.map((k) => table.get(k.key)).find((v) => v !== undefined);
          const id = hit ?? next();
          for (const k of keys) if (!table.has(k.key)) table.set(k.key, id);
          return { vulnerabilityId: id, merged: hit !== undefined, created: hit === undefined };
        });
        expect(plan.links).toEqual(expected);
        expect(new Map([...known, ...plan.newKeys.map((k) => [k.key, k.vulnerabilityId] as const)])).toEqual(table);
      }),
    );
  });
});
