// Helpers shared by the version schemes. Pure.

export class InvalidVersionError extends Error {
  constructor(
    readonly scheme: string,
    readonly version: string,
  ) {
    super(`"${version}" is not a valid ${scheme} version`);
    this.name = 'InvalidVersionError';
  }
}

/** A version scheme: an ordering over the version strings of one ecosystem. */
export interface VersionScheme {
  readonly name: string;
  /** True when the string is a version this scheme can order. */
  isValid(version: string): boolean;
  /** Negative, zero or positive; throws InvalidVersionError when either side is not valid. */
  compare(a: string, b: string): number;
  /** The parsed form (null when invalid), for comparing the same version many times. */
  parse(version: string): unknown;
  /** Compares two parsed forms from `parse` (-1, 0 or 1). */
  compareParsed(a: unknown, b: unknown): number;
}

export const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** Compares two strings of decimal digits of any length numerically. */
export function compareDigits(a: string, b: string): number {
  // Below 2^53 the numbers are exact as doubles; longer ones compare as digit strings.
  if (a.length < 16 && b.length < 16) {
    const p = +a;
    const q = +b;
    return p < q ? -1 : p > q ? 1 : 0;
  }
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Byte-wise (ASCII) string comparison, as C strcmp and Ruby String#<=> do. */
export function compareAscii(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function makeScheme<T>(
  name: string,
  parse: (v: string) => T | null,
  compareParsed: (a: T, b: T) => number,
): VersionScheme & { parse(v: string): T | null } {
  const must = (v: string): T => {
    const p = typeof v === 'string' ? parse(v) : null;
    if (p === null) throw new InvalidVersionError(name, String(v));
    return p;
  };
  return {
    name,
    parse,
    isValid: (v) => typeof v === 'string' && parse(v) !== null,
    compare: (a, b) => sign(compareParsed(must(a), must(b))),
    compareParsed: (a, b) => sign(compareParsed(a as T, b as T)),
  };
}
