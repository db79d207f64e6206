import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EgressRefusedError, isNonPublicAddress, postGuarded } from './egress.ts';

describe('isNonPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '198.18.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.0.8',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '::7f00:1',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '2002:7f00:1::',
    '2002:c0a8:101::1',
    'fec0::1',
    'FE80::1%eth0',
    'not-an-ip',
  ])('%s is not public', (ip) => expect(isNonPublicAddress(ip)).toBe(true));
  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '172.15.255.255', '100.128.0.1', '192.0.2.1', '2001:4860:4860::8888', '::ffff:8.8.8.8', '::ffff:808:808', '64:ff9b::808:808', '2002:808:808::1', '2606:4700::1111'])('%s is public', (ip) =>
    expect(isNonPublicAddress(ip)).toBe(false),
  );
});

describe('postGuarded', () => {
  let url = '';
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const send = (address: string, allowPrivate: boolean) => postGuarded(address, { headers: { 'content-type': 'application/json' }, body: '{}', timeoutMs: 2000, allowPrivate });

  it('refuses a loopback literal and a name resolving to loopback, and sends nothing', async () => {
    await expect(send(url, false)).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(send(url.replace('127.0.0.1', 'localhost'), false)).rejects.toBeInstanceOf(EgressRefusedError);
    await expect(send('http://[::1]:9/hook', false)).rejects.toBeInstanceOf(EgressRefusedError);
    // Node rewrites this to ::ffff:7f00:1; it is still loopback.
    await expect(send(url.replace('127.0.0.1', '[::ffff:127.0.0.1]'), false)).rejects.toBeInstanceOf(EgressRefusedError);
    expect(hits).toBe(0);
  });

  it('posts when private addresses are allowed (demo and tests)', async () => {
    expect((await send(url, true)).status).toBe(204);
    expect(hits).toBe(1);
  });

  it('refuses schemes other than http and https', async () => {
    await expect(send('file:///etc/passwd', true)).rejects.toThrow(/only http and https/);
  });
});
