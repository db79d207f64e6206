import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMultipleChoice, referenceAnswer, referenceCorrectLetter, startModelServer, type ModelServer } from './model-server.ts';

const question = (i: number) => `Question ${i}: which port does service ${i} use?\nA) 22\nB) 80\nC) 443\nD) 8080\nAnswer with the letter.`;
const stemOf = (i: number) => `Question ${i}: which port does service ${i} use?`;

describe('reference answers', () => {
  it('parses multiple-choice prompts and ignores others', () => {
    expect(parseMultipleChoice(question(1))).toEqual({ stem: stemOf(1), letters: ['A', 'B', 'C', 'D'] });
    expect(parseMultipleChoice('What is 2+2?')).toBeNull();
  });

  it('answers the predictable correct letter at accuracy 1 and never at accuracy 0', () => {
    for (let i = 0; i < 50; i++) {
      const msgs = [{ role: 'user', content: question(i) }];
      expect(referenceAnswer(msgs, 1)).toBe(referenceCorrectLetter(stemOf(i)));
      expect(referenceAnswer(msgs, 0)).not.toBe(referenceCorrectLetter(stemOf(i)));
      expect(referenceAnswer(msgs, 0.5)).toBe(referenceAnswer(msgs, 0.5));
    }
  });

  it('is right about as often as the accuracy says, and follows an answer key', () => {
    let right = 0;
    for (let i = 0; i < 1000; i++) if (referenceAnswer([{ role: 'user', content: question(i) }], 0.7) === referenceCorrectLetter(stemOf(i))) right++;
    expect(right).toBeGreaterThan(650);
    expect(right).toBeLessThan(750);
    expect(referenceAnswer([{ role: 'user', content: question(3) }], 1, { [stemOf(3)]: 'B' })).toBe('B');
  });
});

describe('the server', () => {
  let s: ModelServer;
  beforeAll(async () => {
    s = await startModelServer({ key: 'sk-test', accuracy: 1 });
  });
  afterAll(async () => {
    await s.close();
  });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${s.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer sk-test', 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses a wrong key and lists its model', async () => {
    expect((await fetch(`${s.url}/v1/models`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const r = await fetch(`${s.url}/v1/models`, { headers: { authorization: 'Bearer sk-test' } });
    expect((await r.json()).data[0].id).toBe('reference-model');
  });

  it('answers with usage, and streams SSE chunks ending in [DONE]', async () => {
    const r = await post({ model: 'reference-model', messages: [{ role: 'user', content: question(7) }] });
    const j = await r.json();
    expect(j.choices[0].message.content).toBe(referenceCorrectLetter(stemOf(7)));
    expect(j.usage.prompt_tokens).toBeGreaterThan(0);
    const st = await post({ model: 'reference-model', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'hello there world' }] });
    expect(st.headers.get('content-type')).toContain('text/event-stream');
    const text = await st.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames.at(-1)).toBe('data: [DONE]');
    expect(frames.every((f) => f.startsWith('data: '))).toBe(true);
    expect(text).toContain('"usage"');
  });

  it('injects failures with Retry-After (header, directive, programmatic)', async () => {
    const a = await post({ model: 'reference-model', messages: [{ role: 'user', content: 'x' }] }, { 'x-test-fail': '429:3' });
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    const b = await post({ model: 'reference-model', messages: [{ role: 'user', content: 'x [[fail:503]]' }] });
    expect(b.status).toBe(503);
    s.failNext(500);
    expect((await post({ model: 'reference-model', messages: [{ role: 'user', content: 'x' }] })).status).toBe(500);
    expect((await post({ model: 'reference-model', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
  });
});
