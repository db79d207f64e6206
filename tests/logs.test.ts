import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startForewarn, type Forewarn } from '../src/server/start.ts';
import { createLogger } from '../src/lib/logger.ts';
import { client, DEMO_PASSWORD, signIn } from './support/harness.ts';
import { freshDatabaseUrl } from './support/database.ts';
import { totp } from '../src/modules/identity/totp.ts';

// Structured logs must never carry a password, a token, a TOTP code, a cookie or a one-time link.
let lines: string[] = [];
let fw: Forewarn;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await freshDatabaseUrl();
  drop = database.drop;
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  fw = await startForewarn({
    demo: true,
    temporary: true,
    port: 0,
    host: '127.0.0.1',
    databaseUrl: database.url,
    logger: createLogger('trace', sink),
    env: { ...process.env, DATABASE_URL: undefined, FOREWARN_MASTER_KEY: undefined, FOREWARN_DEMO_PASSWORD: DEMO_PASSWORD, FOREWARN_LOGIN_RATE_PER_MINUTE: '1000' },
  });
});
afterAll(async () => {
  await fw?.close();
  await drop?.();
});

it('logs requests without secrets', async () => {
  lines = [];
  const code = totp('JBSWY3DPEHPK3PXP', Date.now());
  const admin = client(fw.url);
  const login = await admin.post('/api/v1/auth/login', { email: 'admin@forewarn.demo', password: DEMO_PASSWORD, totp: code });
  expect(login.status).toBe(200);
  const lab = await signIn(fw.url, 'lab.admin@meridian.demo');
  const created = await lab.post('/api/v1/me/tokens', { name: 'log test' });
  await client(fw.url, { bearer: created.body.token }).get('/api/v1/me');
  await client(fw.url).post('/api/v1/auth/login', { email: 'lab.admin@meridian.demo', password: 'a-wrong-password-123' });
  await client(fw.url).get('/accept-invite?token=fwi_secret-looking-invitation-token');
  const text = lines.join('');
  expect(text.length).toBeGreaterThan(0);
  expect(text).toContain('/api/v1/auth/login'); // requests are logged…
  for (const secret of [DEMO_PASSWORD, 'a-wrong-password-123', code, created.body.token, lab.cookie!.split(';')[0].split('=')[1], 'fwi_secret-looking-invitation-token']) {
    expect(text, `log contains ${secret.slice(0, 6)}…`).not.toContain(secret); // …their secrets are not
  }
});
