import fastJson from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify/types/schema.js';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Response schemas are zod, but serialising through zod (encode, then JSON.stringify) cost more than
 * the rest of an authenticated read. Each response schema is turned into JSON Schema once and
 * compiled with fast-json-stringify, Fastify's own serializer: it writes only the declared properties
 * (so responses stay sanitised) and refuses a missing required one. A schema JSON Schema cannot
 * express falls back to zod.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = (route) => {
  // Compiled on a route's first response, not at start: a process serves a few of its ~300 response
  // schemas (a worker none, a gateway process two), and each compiled serializer holds ~20 KiB of
  // generated source and its machine code.
  let serialize: ((data: unknown) => string) | null = null;
  return (data) => (serialize ??= compile(route))(data);
};

function compile(route: Parameters<FastifySerializerCompiler<z.ZodType>>[0]): (data: unknown) => string {
  const schema = route.schema as unknown;
  if (schema instanceof z.ZodType) {
    try {
      const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw', target: 'draft-7' }) as Record<string, unknown>;
      delete json.$schema;
      const stringify = fastJson(json as unknown as Parameters<typeof fastJson>[0]);
      return (data) => stringify(data);
    } catch {
      /* fall through to zod */
    }
  }
  return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]) as (data: unknown) => string;
}
