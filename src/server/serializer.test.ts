import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler } from './serializer.ts';

const compile = (schema: z.ZodType) => serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' } as never);

describe('response serializer', () => {
  const View = z.object({ id: z.string(), name: z.string().nullable(), tags: z.array(z.string()), detail: z.record(z.string(), z.unknown()) });

  it('writes only declared properties, so a response can never carry a field its schema does not name', () => {
    const out = compile(View)({ id: 'a', name: null, tags: ['x'], detail: { k: 1 }, passwordHash: 'argon2id$…', secretEnc: 'fw1.k.x' });
    expect(JSON.parse(out)).toEqual({ id: 'a', name: null, tags: ['x'], detail: { k: 1 } });
    expect(out).not.toContain('argon2id');
  });

  it('strips undeclared properties of nested objects and array items', () => {
    const Nested = z.object({ items: z.array(z.object({ id: z.string() })) });
    expect(JSON.parse(compile(Nested)({ items: [{ id: '1', token: 'fwt_x' }] }))).toEqual({ items: [{ id: '1' }] });
  });

  it('refuses a response missing a required property', () => {
    expect(() => compile(View)({ id: 'a', tags: [], detail: {} })).toThrow();
  });

  it('matches JSON.stringify for well-formed data, escapes included', () => {
    const data = { id: 'quote " and \u2028 line', name: 'é', tags: [], detail: { nested: { a: [1, 'b'] } } };
    expect(compile(View)(data)).toBe(JSON.stringify(data));
  });

  it('falls back to zod for schemas JSON Schema cannot express', () => {
    const WithTransform = z.object({ n: z.string().transform((s) => s.length) });
    expect(() => compile(WithTransform)).not.toThrow();
  });
});
