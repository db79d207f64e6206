import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { purposeMarking, RUN_ID, topLevelValueSpans, upstreamOf, usageOfJson, withModel } from './gateway.fns.ts';

// Any JSON value, with strings full of quotes, backslashes, braces and the word "model".
const tricky = fc.oneof(fc.string(), fc.constantFrom('"model"', '\\"model\\":', '{"model":"x"}', '\\', '"', '}', ']', ',', 'model', '\u2028', '😀'));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), tricky, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.oneof(fc.string(), fc.constant('model')), tie('value'), { maxKeys: 4 })),
})).value;
const body = fc.record({ model: tricky, messages: json, extra: fc.dictionary(fc.string(), json, { maxKeys: 3 }) }).map(({ model, messages, extra }) => ({ ...extra, model, messages }));

describe('withModel: the client’s bytes with only the model replaced', () => {
  it('gives what parsing, replacing and serialising would, for any body and any formatting', () => {
    fc.assert(
      fc.property(body, fc.constantFrom(undefined, 2, '\t'), tricky, (b, indent, upstream) => {
        const text = JSON.stringify(b, null, indent);
        const out = withModel(text, upstream);
        expect(JSON.parse(out)).toEqual({ ...JSON.parse(text), model: upstream });
      }),
      { numRuns: 500 },
    );
  });

  it('replaces every top-level model member, however it is spelled, and nested ones never', () => {
    const text = '{"mod\\u0065l":"a","metadata":{"model":"keep"},"model" : "b","messages":[{"model":"keep"}]}';
    const out = withModel(text, 'up');
    expect(out).toBe('{"mod\\u0065l":"up","metadata":{"model":"keep"},"model" : "up","messages":[{"model":"keep"}]}');
    expect(topLevelValueSpans(text, 'model')).toHaveLength(2);
  });

  it('keeps the rest byte for byte', () => {
    const text = '{ "messages": [ {"role":"user","content":"a \\"quoted\\" \\\\ word"} ],\n "model": "gw-name", "stream": true }';
    expect(withModel(text, 'upstream-7')).toBe(text.replace('"gw-name"', '"upstream-7"'));
  });
});

describe('usageOfJson', () => {
  it('reads the top-level usage only', () => {
    const answer = { id: 'x', choices: [{ message: { content: '"usage": {"prompt_tokens": 99}', usage: { prompt_tokens: 1, completion_tokens: 1 } } }], usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 0 } } };
    expect(usageOfJson(JSON.stringify(answer))).toEqual({ promptTokens: 12, completionTokens: 3 });
    expect(usageOfJson(JSON.stringify({ choices: [] }))).toBeNull();
    expect(usageOfJson('not json')).toBeNull();
    expect(usageOfJson('{"usage": nul')).toBeNull();
    expect(usageOfJson('{"usage":{"prompt_tokens":"1","completion_tokens":2}}')).toBeNull();
  });

  it('agrees with a full parse on any answer', () => {
    fc.assert(
      fc.property(json, fc.nat(), fc.nat(), (choices, p, c) => {
        const text = JSON.stringify({ choices, usage: { prompt_tokens: p, completion_tokens: c } });
        expect(usageOfJson(text)).toEqual({ promptTokens: p, completionTokens: c });
      }),
    );
  });
});

describe('marking by purpose', () => {
  it('raises, never lowers, the marking of a record', () => {
    expect(purposeMarking({ classification: 1, compartments: [] }, { classification: 3, compartments: ['BENCH'] })).toEqual({ classification: 3, compartments: ['BENCH'] });
    expect(purposeMarking({ classification: 3, compartments: ['A'] }, { classification: 1, compartments: [] })).toEqual({ classification: 3, compartments: ['A'] });
    expect(purposeMarking({ classification: 2, compartments: ['B', 'A'] }, { classification: 2, compartments: ['A', 'C'] })).toEqual({ classification: 2, compartments: ['A', 'B', 'C'] });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.array(fc.constantFrom('A', 'B', 'BENCH')), fc.array(fc.constantFrom('A', 'C', 'BENCH')), (a, b, ca, cb) => {
        const m = purposeMarking({ classification: a, compartments: ca }, { classification: b, compartments: cb });
        expect(m.classification).toBe(Math.max(a, b));
        for (const c of [...ca, ...cb]) expect(m.compartments).toContain(c);
      }),
    );
  });

  it('takes run ids in UUID form only', () => {
    expect(RUN_ID.test(crypto.randomUUID())).toBe(true);
    for (const bad of ['', 'run-1', `${crypto.randomUUID()} `, `${crypto.randomUUID()},${crypto.randomUUID()}`]) expect(RUN_ID.test(bad)).toBe(false);
  });
});

describe('upstreamOf', () => {
  it('works out host, port and path once', () => {
    expect(upstreamOf('http://127.0.0.1:8089/v1/', 'm', 'k')).toMatchObject({ https: false, hostname: '127.0.0.1', port: 8089, path: '/v1', baseUrl: 'http://127.0.0.1:8089/v1' });
    expect(upstreamOf('https://api.example.com', 'm', 'k')).toMatchObject({ https: true, hostname: 'api.example.com', port: 443, path: '' });
    expect(upstreamOf('http://[::1]:9/openai/v1', 'm', 'k')).toMatchObject({ hostname: '::1', port: 9, path: '/openai/v1' });
  });
});
