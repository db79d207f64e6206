import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STEP_SECONDS, base32Decode, base32Encode, hotp, newTotpSecret, otpauthUrl, stepAt, totp, verifyTotp } from './totp.ts';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET_B32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('RFC 4226 Appendix D (HOTP, SHA-1, 6 digits)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code]))('counter %i → %s', (counter, code) => {
    expect(hotp(RFC_SECRET, counter)).toBe(code);
    expect(hotp(RFC_SECRET, counter, 6, 'sha1')).toBe(code);
  });
});

describe('RFC 6238 Appendix B (TOTP, SHA-1, 8 digits)', () => {
  const vectors: [number, string, string][] = [
    [59, '0000000000000001', '94287082'],
    [1111111109, '00000000023523EC', '07081804'],
    [1111111111, '00000000023523ED', '14050471'],
    [1234567890, '000000000273EF07', '89005924'],
    [2000000000, '0000000003F940AA', '69279037'],
    [20000000000, '0000000027BC86AA', '65353130'],
  ];
  it.each(vectors)('T=%i (step %s) → %s', (seconds, stepHex, code) => {
    const step = stepAt(seconds * 1000);
    expect(step).toBe(Number.parseInt(stepHex, 16));
    expect(hotp(RFC_SECRET, step, 8, 'sha1')).toBe(code);
    // the 6-digit app code is the last 6 digits of the same truncation
    expect(totp(RFC_SECRET_B32, seconds * 1000)).toBe(code.slice(2));
  });

  it('SHA-256 and SHA-512 vectors (RFC 6238 Appendix B, with the longer seeds)', () => {
    const seed32 = Buffer.from('12345678901234567890123456789012', 'ascii');
    const seed64 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234', 'ascii');
    expect(hotp(seed32, stepAt(59_000), 8, 'sha256')).toBe('46119246');
    expect(hotp(seed64, stepAt(59_000), 8, 'sha512')).toBe('90693936');
    expect(hotp(seed32, stepAt(1111111109_000), 8, 'sha256')).toBe('68084774');
    expect(hotp(seed64, stepAt(1111111109_000), 8, 'sha512')).toBe('25091201');
    expect(hotp(seed32, stepAt(20000000000_000), 8, 'sha256')).toBe('77737706');
    expect(hotp(seed64, stepAt(20000000000_000), 8, 'sha512')).toBe('47863826');
  });

  it('steps are 30 seconds, floor-divided', () => {
    expect(STEP_SECONDS).toBe(30);
    expect(stepAt(0)).toBe(0);
    expect(stepAt(29_999)).toBe(0);
    expect(stepAt(30_000)).toBe(1);
    expect(stepAt(59_999)).toBe(1);
  });

  it('codes keep their leading zeros and have the requested length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.constantFrom(6, 7, 8), (secret, counter, digits) => {
        const code = hotp(Buffer.from(secret), counter, digits);
        expect(code).toMatch(new RegExp(`^\\d{${digits}}$`));
        // a longer code ends with the shorter one (both are the same number modulo a power of ten)
        expect(hotp(Buffer.from(secret), counter, 8).endsWith(hotp(Buffer.from(secret), counter, 6))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('base32 (RFC 4648)', () => {
  const vectors: [string, string, string][] = [
    ['', '', ''],
    ['f', 'MY', 'MY======'],
    ['fo', 'MZXQ', 'MZXQ===='],
    ['foo', 'MZXW6', 'MZXW6==='],
    ['foob', 'MZXW6YQ', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI', 'MZXW6YTBOI======'],
  ];
  it.each(vectors)('%j ↔ %s', (plain, unpadded, padded) => {
    expect(base32Encode(Buffer.from(plain))).toBe(unpadded);
    expect(base32Decode(unpadded).toString()).toBe(plain);
    expect(base32Decode(padded).toString()).toBe(plain);
    expect(base32Decode(unpadded.toLowerCase()).toString()).toBe(plain);
  });

  it('the RFC 6238 seed', () => {
    expect(base32Encode(RFC_SECRET)).toBe(RFC_SECRET_B32);
    expect(base32Decode(RFC_SECRET_B32)).toEqual(RFC_SECRET);
  });

  it('decoding tolerates spaces, hyphens and lower case as typed from an authenticator screen', () => {
    expect(base32Decode('gezd gnbv-gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SECRET);
  });

  it.each(['0', '1', '8', '9', 'MZ!W', 'MZXW6YTBO@', 'É'])('rejects characters outside the alphabet: %j', (bad) => {
    expect(() => base32Decode(bad)).toThrow(RangeError);
  });

  it('property: decode(encode(bytes)) = bytes; output uses the alphabet and has the unpadded length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const text = base32Encode(buf);
        expect(text).toMatch(/^[A-Z2-7]*$/);
        expect(text.length).toBe(Math.ceil((buf.length * 8) / 5));
        expect(base32Decode(text)).toEqual(buf);
        expect(base32Decode(text.toLowerCase())).toEqual(buf);
        const padded = text + '='.repeat((8 - (text.length % 8)) % 8);
        expect(base32Decode(padded)).toEqual(buf);
      }),
      { numRuns: 500 },
    );
  });

  it('new secrets are 160-bit base32 strings', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(a)).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });
});

describe('verifyTotp', () => {
  const T = 1_111_111_111_000; // a time in the middle of a step
  const now = stepAt(T);
  const codeAt = (step: number) => hotp(RFC_SECRET, step);

  it('the fixture codes around now are distinct (so the checks below are meaningful)', () => {
    const codes = [-3, -2, -1, 0, 1, 2, 3].map((d) => codeAt(now + d));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('accepts the current step and one step either side, returning the step used', () => {
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now), T, null)).toBe(now);
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now - 1), T, null)).toBe(now - 1);
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now + 1), T, null)).toBe(now + 1);
    expect(verifyTotp(RFC_SECRET_B32, totp(RFC_SECRET_B32, T), T, null)).toBe(now);
  });

  it('rejects two or more steps away', () => {
    for (const d of [-3, -2, 2, 3]) expect(verifyTotp(RFC_SECRET_B32, codeAt(now + d), T, null)).toBeNull();
  });

  it('the window is decided at step boundaries', () => {
    const startOfStep = now * STEP_SECONDS * 1000;
    // at the last millisecond of the previous step, now+1 is two steps away
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now + 1), startOfStep - 1, null)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now + 1), startOfStep, null)).toBe(now + 1);
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now - 1), startOfStep + 30_000, null)).toBeNull();
  });

  it('rejects replay: a step at or before the last used step', () => {
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now), T, now)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now - 1), T, now - 1)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now - 1), T, now)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now), T, now + 1)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now + 1), T, now + 1)).toBeNull();
    // but a later step than the last used is fine
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now), T, now - 1)).toBe(now);
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now + 1), T, now)).toBe(now + 1);
    // a full sign-in sequence: the same code cannot be used twice
    const used = verifyTotp(RFC_SECRET_B32, codeAt(now), T, null);
    expect(used).toBe(now);
    expect(verifyTotp(RFC_SECRET_B32, codeAt(now), T + 1000, used)).toBeNull();
  });

  it('lastUsedStep 0 is a real step, not "never used"', () => {
    expect(verifyTotp(RFC_SECRET_B32, codeAt(0), 1000, 0)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, codeAt(0), 1000, null)).toBe(0);
  });

  it.each(['', '12345', '1234567', '12345a', ' 123456', '123456 ', '123456\n', '12 3456', '+12345', '-12345', '1e5000', '１２３４５６', '١٢٣٤٥٦'])(
    'rejects a code that is not exactly six ASCII digits: %j',
    (code) => {
      expect(verifyTotp(RFC_SECRET_B32, code, T, null)).toBeNull();
    },
  );

  it('rejects the right code padded or truncated', () => {
    const c = codeAt(now);
    expect(verifyTotp(RFC_SECRET_B32, `${c}0`, T, null)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, `0${c}`, T, null)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, c.slice(1), T, null)).toBeNull();
    expect(verifyTotp(RFC_SECRET_B32, hotp(RFC_SECRET, now, 8), T, null)).toBeNull();
  });

  it('rejects a code of another secret', () => {
    const other = base32Encode(Buffer.from('another-secret-value'));
    expect(verifyTotp(other, codeAt(now), T, null)).toBeNull();
  });

  it('property: for any secret and time, the current code verifies to the current step; ±2 steps do not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 10, maxLength: 32 }), fc.integer({ min: 1_000_000, max: 4_000_000_000_000 }), fc.constantFrom(-2, 2, -5, 7), (bytes, time, far) => {
        const secret = base32Encode(Buffer.from(bytes));
        const step = stepAt(time);
        expect(verifyTotp(secret, totp(secret, time), time, null)).toBe(step);
        expect(verifyTotp(secret, totp(secret, time), time, step)).toBeNull();
        const farCode = hotp(Buffer.from(bytes), step + far);
        const near = [step - 1, step, step + 1].map((s) => hotp(Buffer.from(bytes), s));
        fc.pre(!near.includes(farCode)); // a one-in-a-million collision is not a bug
        expect(verifyTotp(secret, farCode, time, null)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});

describe('otpauthUrl', () => {
  it('carries the secret and the parameters authenticator apps need', () => {
    const url = new URL(otpauthUrl(RFC_SECRET_B32, 'ana@example.gov'));
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Forewarn:ana@example.gov');
    expect(url.searchParams.get('secret')).toBe(RFC_SECRET_B32);
    expect(url.searchParams.get('issuer')).toBe('Forewarn');
    expect(url.searchParams.get('algorithm')).toBe('SHA1');
    expect(url.searchParams.get('digits')).toBe('6');
    expect(url.searchParams.get('period')).toBe('30');
  });

  it('escapes the account and issuer', () => {
    const url = new URL(otpauthUrl(RFC_SECRET_B32, 'a&b=c@x.gov', 'Fore warn&co'));
    expect(url.searchParams.get('issuer')).toBe('Fore warn&co');
    expect(url.searchParams.get('secret')).toBe(RFC_SECRET_B32);
    expect(decodeURIComponent(url.pathname)).toBe('/Fore warn&co:a&b=c@x.gov');
  });
});
