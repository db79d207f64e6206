import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GENESIS_HASH, canonicalJson, hashEvent, verifyBatch, type ChainBreak, type ChainedEvent, type StoredEvent } from './audit.chain.ts';

const FIELDS: (keyof ChainedEvent)[] = [
  'seq', 'id', 'at', 'actorUserId', 'actorEmail', 'actorOrgId', 'actorOrgName', 'action', 'recordType',
  'recordId', 'outcome', 'ip', 'detail', 'classification', 'compartments', 'ownerOrgId',
];

function makeEvent(seq: number): ChainedEvent {
  return {
    seq,
    id: `00000000-0000-4000-8000-${seq.toString(16).padStart(12, '0')}`,
    at: new Date(Date.UTC(2026, 6, 1, 12, 0, seq)).toISOString(),
    actorUserId: seq % 3 ? `00000000-0000-4000-9000-00000000000${seq % 3}` : null,
    actorEmail: seq % 3 ? `user${seq % 3}@agency.gov` : null,
    actorOrgId: seq % 3 ? '00000000-0000-4000-a000-000000000001' : null,
    actorOrgName: seq % 3 ? 'CISA' : null,
    action: ['finding.create', 'model.read', 'benchmark.update', 'session.create'][seq % 4],
    recordType: seq % 2 ? 'finding' : null,
    recordId: seq % 2 ? `rec-${seq}` : null,
    outcome: seq % 5 === 0 ? 'denied' : 'success',
    ip: seq % 4 ? `192.0.2.${seq % 250}` : null,
    detail: { n: seq, via: 'session', fields: ['title', 'severity'], nested: { b: seq % 2 === 0, a: null } },
    classification: seq % 5,
    compartments: seq % 3 === 0 ? ['HCS', 'BENCH'] : [],
    ownerOrgId: seq % 4 ? '00000000-0000-4000-a000-000000000002' : null,
  };
}

/** Builds a chain exactly as appendEvent stores it: hash over the event, then prevHash and hash added. */
function buildChain(n: number, from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }, make = makeEvent): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prev = from.hash;
  for (let seq = from.seq + 1; seq <= from.seq + n; seq++) {
    const e = make(seq);
    const hash = hashEvent(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

const START = { seq: 0, hash: GENESIS_HASH };

/** Verifies in batches of the given sizes, carrying over; returns the first break or the final carry. */
function verifyInBatches(events: readonly StoredEvent[], cuts: number[]): { broken: ChainBreak } | { carry: { seq: number; hash: string } } {
  let carry = START;
  let i = 0;
  const points = [...cuts.filter((c) => c > 0 && c < events.length).sort((a, b) => a - b), events.length];
  for (const p of points) {
    const r = verifyBatch(events.slice(i, p), carry);
    if ('broken' in r) return r;
    carry = r.carry;
    i = p;
  }
  return { carry };
}

function brokenSeq(r: ReturnType<typeof verifyBatch>): number | null {
  return 'broken' in r ? r.broken.seq : null;
}

/** Changes a field to a different value of the same shape. */
function edit(e: StoredEvent, field: keyof ChainedEvent): StoredEvent {
  const v = e[field];
  const changed: Record<keyof ChainedEvent, unknown> = {
    seq: e.seq, // changing seq is covered by the reordering tests
    id: e.id.replace(/.$/, (c) => (c === 'f' ? '0' : 'f')),
    at: new Date(new Date(e.at).getTime() + 1).toISOString(),
    actorUserId: v === null ? '00000000-0000-4000-9000-00000000000f' : null,
    actorEmail: v === null ? 'intruder@example.com' : `${v as string}.evil`,
    actorOrgId: v === null ? '00000000-0000-4000-a000-00000000000f' : null,
    actorOrgName: v === null ? 'Somebody' : `${v as string} `,
    action: `${e.action}x`,
    recordType: v === null ? 'model' : null,
    recordId: v === null ? 'rec-x' : `${v as string}x`,
    outcome: e.outcome === 'success' ? 'denied' : 'success',
    ip: v === null ? '203.0.113.9' : null,
    detail: { ...e.detail, n: (e.detail.n as number) + 1 },
    classification: (e.classification + 1) % 5,
    compartments: [...e.compartments, 'SI'],
    ownerOrgId: v === null ? '00000000-0000-4000-a000-00000000000f' : null,
  };
  return { ...e, [field]: changed[field] };
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }], e: undefined, c: { z: 'x', y: [3, { k: 1, j: 2 }] } })).toBe(
      '{"a":[{"c":null,"d":2}],"b":1,"c":{"y":[3,{"j":2,"k":1}],"z":"x"}}',
    );
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
    expect(canonicalJson([])).toBe('[]');
    expect(canonicalJson({})).toBe('{}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]'); // as JSON.stringify does in arrays
  });

  const shuffleKeys = (v: unknown, rnd: () => number): unknown => {
    if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rnd));
    if (v === null || typeof v !== 'object') return v;
    const entries = Object.entries(v as Record<string, unknown>);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [entries[i], entries[j]] = [entries[j], entries[i]];
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of entries) Object.defineProperty(out, k, { value: shuffleKeys(x, rnd), enumerable: true, writable: true, configurable: true });
    return out;
  };

  it('property: ignores key order, is valid JSON of the same value, and is stable', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer(), (value, seed) => {
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
        const text = canonicalJson(value);
        expect(canonicalJson(shuffleKeys(value, rnd))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(text))).toBe(text); // fixpoint
      }),
      { numRuns: 500 },
    );
  });

  it('distinguishes values that differ', () => {
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] })); // arrays keep order
    expect(canonicalJson({ a: null })).not.toBe(canonicalJson({}));
    expect(canonicalJson({ 'a,"b': 1 })).not.toBe(canonicalJson({ a: 1, b: 1 }));
  });
});

describe('hashEvent', () => {
  const e = makeEvent(3);

  it('is a sha-256 hex digest, deterministic, and depends on the previous hash', () => {
    const h = hashEvent(GENESIS_HASH, e);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(hashEvent(GENESIS_HASH, { ...e })).toBe(h);
    expect(hashEvent('1'.repeat(64), e)).not.toBe(h);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('changes when any field changes', () => {
    const stored = { ...e, prevHash: GENESIS_HASH, hash: '' };
    for (const f of FIELDS) {
      if (f === 'seq') continue;
      const { prevHash: _p, hash: _h, ...edited } = edit(stored, f);
      expect(hashEvent(GENESIS_HASH, edited), f).not.toBe(hashEvent(GENESIS_HASH, e));
    }
    expect(hashEvent(GENESIS_HASH, { ...e, seq: e.seq + 1 })).not.toBe(hashEvent(GENESIS_HASH, e));
  });

  it('does not depend on representation the database does not keep: key order, compartment order, time zone', () => {
    const reordered = Object.fromEntries(Object.entries(e).reverse()) as unknown as ChainedEvent;
    expect(hashEvent(GENESIS_HASH, reordered)).toBe(hashEvent(GENESIS_HASH, e));
    expect(hashEvent(GENESIS_HASH, { ...e, detail: Object.fromEntries(Object.entries(e.detail).reverse()) })).toBe(hashEvent(GENESIS_HASH, e));
    expect(hashEvent(GENESIS_HASH, { ...e, compartments: [...e.compartments].reverse() })).toBe(hashEvent(GENESIS_HASH, e));
    const sameInstant = new Date(e.at).toISOString().replace('Z', '+00:00');
    expect(hashEvent(GENESIS_HASH, { ...e, at: sameInstant })).toBe(hashEvent(GENESIS_HASH, e));
    expect(hashEvent(GENESIS_HASH, { ...e, at: '2026-07-01T14:00:03+02:00' })).toBe(hashEvent(GENESIS_HASH, e));
  });

  it('hashes only the chained fields: a stored row’s own prevHash and hash (or any extra column) do not enter it', () => {
    const h = hashEvent(GENESIS_HASH, e);
    const stored: StoredEvent = { ...e, prevHash: GENESIS_HASH, hash: h };
    expect(hashEvent(GENESIS_HASH, stored)).toBe(h);
    expect(hashEvent(GENESIS_HASH, { ...stored, hash: 'f'.repeat(64), prevHash: '1'.repeat(64), extra: 1 } as StoredEvent)).toBe(h);
  });

  it('throws on an invalid timestamp rather than hashing garbage', () => {
    expect(() => hashEvent(GENESIS_HASH, { ...e, at: 'not a date' })).toThrow();
  });
});

describe('verifyBatch', () => {
  const N = 12;

  it('accepts a genuine chain, built as appendEvent stores it', () => {
    const chain = buildChain(N);
    expect(verifyBatch(chain, START)).toEqual({ carry: { seq: N, hash: chain[N - 1].hash } });
  });

  it('accepts an empty batch and returns the carry unchanged', () => {
    expect(verifyBatch([], START)).toEqual({ carry: START });
    expect(verifyBatch([], { seq: 7, hash: 'a'.repeat(64) })).toEqual({ carry: { seq: 7, hash: 'a'.repeat(64) } });
  });

  it('editing any field of any event is detected at that event', () => {
    const chain = buildChain(N);
    for (let i = 0; i < N; i++)
      for (const f of FIELDS) {
        if (f === 'seq') continue;
        const tampered = [...chain];
        tampered[i] = edit(chain[i], f);
        const r = verifyBatch(tampered, START);
        expect(r, `field ${f} at seq ${i + 1}`).toEqual({ broken: { seq: i + 1, reason: expect.stringMatching(/edited/) } });
      }
  });

  it('rewriting an event and recomputing its hash is detected at the next event', () => {
    const chain = buildChain(N);
    for (let i = 0; i < N - 1; i++) {
      const { prevHash, hash: _h, ...content } = edit(chain[i], 'action');
      const tampered = [...chain];
      tampered[i] = { ...content, prevHash, hash: hashEvent(prevHash, content) };
      expect(brokenSeq(verifyBatch(tampered, START)), `at seq ${i + 1}`).toBe(i + 2);
    }
  });

  it('deleting any event but the last is detected at the deleted seq', () => {
    const chain = buildChain(N);
    for (let i = 0; i < N - 1; i++) {
      const tampered = chain.filter((_, j) => j !== i);
      const r = verifyBatch(tampered, START);
      expect(r, `deleting seq ${i + 1}`).toEqual({ broken: { seq: i + 1, reason: expect.stringMatching(/missing/) } });
    }
    // deleting the tail is invisible to verifyBatch alone (the service compares with the head row)
    expect(verifyBatch(chain.slice(0, -1), START)).toEqual({ carry: { seq: N - 1, hash: chain[N - 2].hash } });
  });

  it('deleting an event and renumbering the rest is detected at the deleted seq', () => {
    const chain = buildChain(N);
    for (let i = 0; i < N - 1; i++) {
      const tampered = chain.filter((_, j) => j !== i).map((e, j) => ({ ...e, seq: j + 1 }));
      expect(brokenSeq(verifyBatch(tampered, START)), `deleting seq ${i + 1}`).toBe(i + 1);
    }
  });

  it('swapping two adjacent events is detected at the first of them', () => {
    const chain = buildChain(N);
    for (let i = 0; i < N - 1; i++) {
      const swapped = [...chain];
      [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
      expect(brokenSeq(verifyBatch(swapped, START)), `swap ${i + 1}/${i + 2}`).toBe(i + 1);
      // also with the seq numbers rewritten to look consecutive
      const renumbered = swapped.map((e, j) => ({ ...e, seq: j + 1 }));
      expect(brokenSeq(verifyBatch(renumbered, START)), `swap+renumber ${i + 1}/${i + 2}`).toBe(i + 1);
    }
  });

  it('changing any prevHash (or hash) is detected at that event', () => {
    const chain = buildChain(N);
    for (let i = 0; i < N; i++) {
      const t1 = [...chain];
      t1[i] = { ...chain[i], prevHash: 'f'.repeat(64) };
      expect(verifyBatch(t1, START), `prevHash at ${i + 1}`).toEqual({ broken: { seq: i + 1, reason: expect.stringMatching(/previous-hash/) } });
      const t2 = [...chain];
      t2[i] = { ...chain[i], hash: 'e'.repeat(64) };
      expect(brokenSeq(verifyBatch(t2, START)), `hash at ${i + 1}`).toBe(i + 1);
    }
  });

  it('a chain must start where the carry says', () => {
    const chain = buildChain(N);
    expect(brokenSeq(verifyBatch(chain.slice(3), START))).toBe(1);
    expect(verifyBatch(chain.slice(3), { seq: 3, hash: chain[2].hash })).toEqual({ carry: { seq: N, hash: chain[N - 1].hash } });
    expect(brokenSeq(verifyBatch(chain.slice(3), { seq: 3, hash: chain[1].hash }))).toBe(4);
    const continued = buildChain(5, { seq: N, hash: chain[N - 1].hash });
    expect(verifyBatch(continued, { seq: N, hash: chain[N - 1].hash })).toEqual({ carry: { seq: N + 5, hash: continued[4].hash } });
  });

  it('splitting into batches at any points gives the same verdict as one batch (genuine and tampered chains)', () => {
    const chain = buildChain(N);
    const variants: StoredEvent[][] = [chain];
    for (let i = 0; i < N; i++) {
      variants.push(chain.map((e, j) => (j === i ? edit(e, 'actorEmail') : e)));
      variants.push(chain.filter((_, j) => j !== i));
      variants.push(chain.map((e, j) => (j === i ? { ...e, prevHash: GENESIS_HASH.replace(/0$/, '1') } : e)));
    }
    for (const v of variants) {
      const whole = verifyBatch(v, START);
      for (let cut = 0; cut <= v.length; cut++) expect(verifyInBatches(v, [cut])).toEqual(whole);
    }
  });

  it('property: random cut points and random tampering never change the verdict', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.nat({ max: 21 }), { maxLength: 6 }),
        fc.option(fc.tuple(fc.nat(), fc.constantFrom('edit', 'delete', 'swap', 'prev'))),
        (n, cuts, tamper) => {
          let chain = buildChain(n);
          if (tamper) {
            const [pos, kind] = tamper;
            const i = pos % n;
            if (kind === 'edit') chain = chain.map((e, j) => (j === i ? edit(e, 'detail') : e));
            if (kind === 'delete') chain = chain.filter((_, j) => j !== i);
            if (kind === 'swap' && i + 1 < n) [chain[i], chain[i + 1]] = [chain[i + 1], chain[i]];
            if (kind === 'prev') chain = chain.map((e, j) => (j === i ? { ...e, prevHash: 'a'.repeat(64) } : e));
          }
          expect(verifyInBatches(chain, cuts)).toEqual(verifyBatch(chain, START));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: a genuine chain of any length verifies in any batches, and any single tampering is caught at its seq', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 25 }), fc.array(fc.nat({ max: 26 }), { maxLength: 5 }), fc.nat(), fc.constantFrom(...FIELDS.filter((f) => f !== 'seq')), (n, cuts, pos, field) => {
        const chain = buildChain(n);
        expect(verifyInBatches(chain, cuts)).toEqual({ carry: { seq: n, hash: chain[n - 1].hash } });
        const i = pos % n;
        const tampered = chain.map((e, j) => (j === i ? edit(e, field) : e));
        expect(brokenSeq(verifyInBatches(tampered, cuts))).toBe(i + 1);
      }),
      { numRuns: 200 },
    );
  });
});
