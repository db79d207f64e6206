import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decryptField, deriveKey, encryptField, hmac, keyIdOf, newMasterKey, parseMasterKey, unwrapDataKey, wrapDataKey } from './envelope.ts';

const MASTER = Buffer.alloc(32, 7);
const OTHER_MASTER = Buffer.alloc(32, 8);
const DATA_KEY = Buffer.from('0123456789abcdef0123456789abcdef');
const OTHER_KEY = Buffer.from('fedcba9876543210fedcba9876543210');
const AAD = 'findings:detail:3f1c0a0e-0000-4000-8000-000000000001';

function parts(envelope: string) {
  const [version, keyId, iv, body] = envelope.split('.');
  return { version, keyId, iv, body: Buffer.from(body, 'base64url') };
}
function withBody(envelope: string, body: Buffer): string {
  const p = parts(envelope);
  return `${p.version}.${p.keyId}.${p.iv}.${body.toString('base64url')}`;
}

describe('encryptField / decryptField', () => {
  it.each(['', 'a', 'SECRET benchmark threshold: 0.73', 'ünïcødé — 機密 🔐', 'x'.repeat(10_000), 'dots.in.the.plaintext']) ('round-trips %j', (text) => {
    const env = encryptField('k1', DATA_KEY, text, AAD);
    expect(env.startsWith('fw1.k1.')).toBe(true);
    expect(env.split('.')).toHaveLength(4);
    expect(decryptField(DATA_KEY, env, AAD)).toBe(text);
    if (text.length > 3) expect(env).not.toContain(text);
  });

  it('property: round trip for any string, key and aad', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ maxLength: 60 }), (text, key, aad) => {
        const k = Buffer.from(key);
        expect(decryptField(k, encryptField('key-2026', k, text, aad), aad)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('uses a fresh IV each time: the same plaintext never encrypts the same way twice', () => {
    const envs = Array.from({ length: 50 }, () => encryptField('k1', DATA_KEY, 'same', AAD));
    expect(new Set(envs).size).toBe(envs.length);
    expect(new Set(envs.map((e) => parts(e).iv)).size).toBe(envs.length);
    for (const e of envs) {
      expect(Buffer.from(parts(e).iv, 'base64url')).toHaveLength(12);
      expect(decryptField(DATA_KEY, e, AAD)).toBe('same');
    }
  });

  it('the body is the ciphertext plus a 16-byte tag', () => {
    const env = encryptField('k1', DATA_KEY, 'hello', AAD);
    expect(parts(env).body).toHaveLength(5 + 16);
  });

  it('a wrong aad (the ciphertext moved to another record or column) throws', () => {
    const env = encryptField('k1', DATA_KEY, 'attack plan', AAD);
    for (const aad of ['', `${AAD}x`, AAD.replace('detail', 'summary'), AAD.toUpperCase()]) expect(() => decryptField(DATA_KEY, env, aad)).toThrow();
  });

  it('a wrong key throws', () => {
    const env = encryptField('k1', DATA_KEY, 'attack plan', AAD);
    expect(() => decryptField(OTHER_KEY, env, AAD)).toThrow();
    const oneBitOff = Buffer.from(DATA_KEY);
    oneBitOff[31] ^= 1;
    expect(() => decryptField(oneBitOff, env, AAD)).toThrow();
  });

  it('flipping any bit of the ciphertext, the tag or the IV throws', () => {
    const env = encryptField('k1', DATA_KEY, 'classified finding', AAD);
    const { body, iv } = parts(env);
    for (let i = 0; i < body.length; i++)
      for (const bit of [0x01, 0x80]) {
        const t = Buffer.from(body);
        t[i] ^= bit;
        expect(() => decryptField(DATA_KEY, withBody(env, t), AAD), `body byte ${i}`).toThrow();
      }
    const ivBytes = Buffer.from(iv, 'base64url');
    for (let i = 0; i < ivBytes.length; i++) {
      const t = Buffer.from(ivBytes);
      t[i] ^= 0x01;
      const p = parts(env);
      expect(() => decryptField(DATA_KEY, `${p.version}.${p.keyId}.${t.toString('base64url')}.${body.toString('base64url')}`, AAD)).toThrow();
    }
  });

  it('property: any single-byte change of a random ciphertext throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (text, pos, delta) => {
        const env = encryptField('k1', DATA_KEY, text, AAD);
        const body = Buffer.from(parts(env).body);
        body[pos % body.length] ^= delta;
        expect(() => decryptField(DATA_KEY, withBody(env, body), AAD)).toThrow();
      }),
      { numRuns: 300 },
    );
  });

  it('truncated, extended or malformed envelopes throw', () => {
    const env = encryptField('k1', DATA_KEY, 'classified finding', AAD);
    const { body } = parts(env);
    expect(() => decryptField(DATA_KEY, withBody(env, body.subarray(0, body.length - 1)), AAD)).toThrow();
    expect(() => decryptField(DATA_KEY, withBody(env, body.subarray(1)), AAD)).toThrow();
    expect(() => decryptField(DATA_KEY, withBody(env, Buffer.concat([body, Buffer.from([0])])), AAD)).toThrow();
    expect(() => decryptField(DATA_KEY, withBody(env, Buffer.alloc(0)), AAD)).toThrow();
    for (const bad of ['', 'fw1', 'fw1.k1', 'fw1.k1.abc', `${env}.extra`, env.replace(/^fw1/, 'fw2'), env.replace(/^fw1/, 'FW1'), 'plain text']) {
      expect(() => decryptField(DATA_KEY, bad, AAD), bad).toThrow();
    }
  });

  // A truncated tag would make forging short values a 2^32 search instead of 2^128.
  it('rejects truncated authentication tags', () => {
    for (const text of ['', '12345678']) {
      const env = encryptField('k1', DATA_KEY, text, AAD);
      const { body } = parts(env);
      const ct = body.subarray(0, body.length - 16);
      const tag = body.subarray(body.length - 16);
      for (const len of [4, 8]) {
        expect(() => decryptField(DATA_KEY, withBody(env, Buffer.concat([ct, tag.subarray(0, len)])), AAD), `${JSON.stringify(text)} with a ${len}-byte tag`).toThrow();
      }
    }
  });

  it('the key id travels in clear text and is read back by keyIdOf', () => {
    for (const id of ['k1', 'key-2026-07', 'a_b-c', '01J0ZK']) expect(keyIdOf(encryptField(id, DATA_KEY, 'x', AAD))).toBe(id);
  });
});

describe('keyIdOf', () => {
  it.each(['', 'garbage', 'fw1', 'fw1.', 'fw1..iv.body', 'fw2.k1.iv.body', 'FW1.k1.iv.body', '.k1.iv.body'])('rejects %j', (bad) => {
    expect(() => keyIdOf(bad)).toThrow();
  });
  it('accepts the Forewarn envelope form', () => {
    expect(keyIdOf('fw1.k7.iv.body')).toBe('k7');
  });
});

describe('wrapDataKey / unwrapDataKey', () => {
  it('round-trips a data key under the master key', () => {
    const dek = randomBytes(32);
    const wrapped = wrapDataKey(MASTER, 'k1', dek);
    expect(unwrapDataKey(MASTER, 'k1', wrapped)).toEqual(dek);
    expect(wrapped).not.toContain(dek.toString('base64url'));
    expect(wrapped).not.toContain(dek.toString('base64'));
  });

  it('wrapping twice gives different text', () => {
    const dek = randomBytes(32);
    expect(wrapDataKey(MASTER, 'k1', dek)).not.toBe(wrapDataKey(MASTER, 'k1', dek));
  });

  it('a wrong master key, a wrong key id or a tampered wrapping throws', () => {
    const dek = randomBytes(32);
    const wrapped = wrapDataKey(MASTER, 'k1', dek);
    expect(() => unwrapDataKey(OTHER_MASTER, 'k1', wrapped)).toThrow();
    expect(() => unwrapDataKey(MASTER, 'k2', wrapped)).toThrow(); // the key id is bound to the wrapping
    const [iv, body] = wrapped.split('.');
    const b = Buffer.from(body, 'base64url');
    for (let i = 0; i < b.length; i++) {
      const t = Buffer.from(b);
      t[i] ^= 0x40;
      expect(() => unwrapDataKey(MASTER, 'k1', `${iv}.${t.toString('base64url')}`)).toThrow();
    }
    expect(() => unwrapDataKey(MASTER, 'k1', 'not-a-wrapping')).toThrow();
    expect(() => unwrapDataKey(MASTER, 'k1', '')).toThrow();
  });

  it('rotation: rewrapping under a new master keeps the data readable', () => {
    const dek = randomBytes(32);
    const env = encryptField('k1', dek, 'survives rotation', AAD);
    const oldWrapped = wrapDataKey(MASTER, 'k1', dek);
    const rewrapped = wrapDataKey(OTHER_MASTER, 'k1', unwrapDataKey(MASTER, 'k1', oldWrapped));
    expect(decryptField(unwrapDataKey(OTHER_MASTER, 'k1', rewrapped), env, AAD)).toBe('survives rotation');
  });

  it('a wrapped key cannot be opened as a field, nor a field key as the wrapping key', () => {
    // the wrapping key is derived from the master, not the master itself
    const wrapped = wrapDataKey(MASTER, 'k1', DATA_KEY);
    expect(() => decryptField(MASTER, `fw1.k1.${wrapped}`, 'dek:k1')).toThrow();
    expect(decryptField(deriveKey(MASTER, 'key-wrapping'), `fw1.k1.${wrapped}`, 'dek:k1')).toBe(DATA_KEY.toString('utf8'));
  });
});

describe('deriveKey and hmac', () => {
  it('deriveKey is deterministic, 32 bytes, and separates purposes and masters', () => {
    expect(deriveKey(MASTER, 'a')).toEqual(deriveKey(MASTER, 'a'));
    expect(deriveKey(MASTER, 'a')).toHaveLength(32);
    expect(deriveKey(MASTER, 'a')).not.toEqual(deriveKey(MASTER, 'b'));
    expect(deriveKey(MASTER, 'a')).not.toEqual(deriveKey(OTHER_MASTER, 'a'));
    expect(deriveKey(MASTER, 'a')).not.toEqual(MASTER);
  });
  it('hmac is deterministic and keyed', () => {
    expect(hmac(DATA_KEY, 'x')).toBe(hmac(DATA_KEY, 'x'));
    expect(hmac(DATA_KEY, 'x')).not.toBe(hmac(OTHER_KEY, 'x'));
    expect(hmac(DATA_KEY, 'x')).not.toBe(hmac(DATA_KEY, 'y'));
    expect(hmac(DATA_KEY, 'x')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // RFC 4231 test case 2 (HMAC-SHA-256), base64url
    expect(hmac(Buffer.from('Jefe'), 'what do ya want for nothing?')).toBe(
      Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString('base64url'),
    );
  });
});

describe('parseMasterKey / newMasterKey', () => {
  it('parses base64 and base64url keys of at least 32 bytes', () => {
    const raw = randomBytes(32);
    expect(parseMasterKey(raw.toString('base64'))).toEqual(raw);
    expect(parseMasterKey(raw.toString('base64url'))).toEqual(raw);
    const long = randomBytes(64);
    expect(parseMasterKey(long.toString('base64'))).toEqual(long);
  });

  it('property: any 32+ byte key survives base64 and base64url', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 80 }), (bytes) => {
        const raw = Buffer.from(bytes);
        expect(parseMasterKey(raw.toString('base64'))).toEqual(raw);
        expect(parseMasterKey(raw.toString('base64url'))).toEqual(raw);
      }),
    );
  });

  it.each([0, 1, 16, 24, 31])('rejects a %i-byte key', (n) => {
    expect(() => parseMasterKey(randomBytes(n).toString('base64'))).toThrow(/32 bytes/);
  });

  it('rejects a short passphrase', () => {
    expect(() => parseMasterKey('changeme')).toThrow();
    expect(() => parseMasterKey('')).toThrow();
  });

  it('newMasterKey makes fresh 32-byte keys that parse', () => {
    const a = newMasterKey();
    expect(parseMasterKey(a)).toHaveLength(32);
    expect(newMasterKey()).not.toBe(a);
  });
});
