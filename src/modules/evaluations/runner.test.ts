import { describe, expect, it } from 'vitest';
import { inProcessSend, TimeoutError } from './runner.ts';
import type { LocalAnswer, LocalGateway } from '../gateway/gateway.proxy.ts';

/** A stand-in for the proxy: answers when told to, and counts cancellations. */
function fakeGateway() {
  const calls: { headers: Record<string, unknown>; body: string; answer: (a: LocalAnswer) => void; cancelled: boolean }[] = [];
  const local: LocalGateway = (headers, body) => {
    let answer!: (a: LocalAnswer) => void;
    const p = new Promise<LocalAnswer>((resolve) => (answer = resolve));
    const c = { headers, body, answer, cancelled: false };
    calls.push(c);
    return { answer: p, cancel: () => void (c.cancelled = true) };
  };
  return { local, calls };
}

describe('inProcessSend: the gateway called in-process', () => {
  it('passes headers and body through and resolves with the answer', async () => {
    const g = fakeGateway();
    const send = inProcessSend(g.local);
    const ac = new AbortController();
    const p = send({ authorization: 'Bearer fwg_x', 'x-forewarn-run': 'r' }, '{"a":1}', 1000, ac.signal);
    expect(g.calls[0]).toMatchObject({ headers: { authorization: 'Bearer fwg_x', 'x-forewarn-run': 'r' }, body: '{"a":1}' });
    g.calls[0].answer({ status: 200, headers: { 'retry-after': '1' }, body: 'ok' });
    await expect(p).resolves.toEqual({ status: 200, headers: { 'retry-after': '1' }, body: 'ok' });
    expect(g.calls[0].cancelled).toBe(false);
  });

  it('a call with no answer by its timeout rejects with TimeoutError and is cancelled (the upstream call stops); others go on', async () => {
    const g = fakeGateway();
    const send = inProcessSend(g.local);
    const ac = new AbortController();
    const slow = send({}, 'slow', 60, ac.signal);
    const fast = send({}, 'fast', 5000, ac.signal);
    const t0 = performance.now();
    await expect(slow).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    expect(g.calls[0].cancelled).toBe(true);
    expect(g.calls[1].cancelled).toBe(false);
    // An answer after the timeout changes nothing.
    g.calls[0].answer({ status: 200, headers: {}, body: 'late' });
    g.calls[1].answer({ status: 200, headers: {}, body: 'fast' });
    await expect(fast).resolves.toMatchObject({ body: 'fast' });
  });

  it("an abort of the shard's signal rejects and cancels every call on that signal, not those on another", async () => {
    const g = fakeGateway();
    const send = inProcessSend(g.local);
    const a = new AbortController();
    const b = new AbortController();
    const p1 = send({}, '1', 5000, a.signal);
    const p2 = send({}, '2', 5000, a.signal);
    const p3 = send({}, '3', 5000, b.signal);
    a.abort();
    await expect(p1).rejects.toThrow('aborted');
    await expect(p2).rejects.toThrow('aborted');
    expect(g.calls.map((c) => c.cancelled)).toEqual([true, true, false]);
    await expect(send({}, '4', 5000, a.signal)).rejects.toThrow('aborted');
    expect(g.calls).toHaveLength(3);
    g.calls[2].answer({ status: 503, headers: {}, body: 'x' });
    await expect(p3).resolves.toMatchObject({ status: 503 });
  });
});
