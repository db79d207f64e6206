import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, startTestInstance, type TestInstance } from '../../../tests/support/harness.ts';
import { startSmtpSink } from '../../../tests/support/smtp-sink.ts';

let t: TestInstance;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  // The first delivery attempt gets a temporary SMTP failure, to prove the queue retries.
  sink = await startSmtpSink({ failFirst: 1 });
  t = await startTestInstance({ env: { SMTP_URL: sink.url, SMTP_FROM: 'Forewarn <no-reply@forewarn.test>' } });
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('job queue', () => {
  it('enqueues a job only if its transaction commits', async () => {
    const seen: string[] = [];
    await t.fw.queue.register([{ name: 'test.record', retryLimit: 0, handler: async (d: { tag: string }) => void seen.push(d.tag) }]);
    await t.fw.database.db
      .transaction(async (tx) => {
        await t.fw.queue.send(tx, 'test.record', { tag: 'rolled-back' });
        throw new Error('abort');
      })
      .catch(() => {});
    await t.fw.database.db.transaction(async (tx) => {
      await t.fw.queue.send(tx, 'test.record', { tag: 'committed' });
    });
    await until(async () => seen.includes('committed'));
    const jobs = await t.rows<{ data: { tag: string } }>("select data from pgboss.job where name = 'test.record'");
    expect(jobs.map((j) => j.data.tag)).toEqual(['committed']);
    expect(seen).toEqual(['committed']);
  });

  it('retries a failing job with backoff, then dead-letters it where administrators can see it', async () => {
    let attempts = 0;
    await t.fw.queue.register([
      {
        name: 'test.always_fails',
        retryLimit: 1,
        retryDelaySeconds: 1,
        handler: async () => {
          attempts++;
          throw new Error('upstream unavailable');
        },
      },
    ]);
    await t.fw.database.db.transaction((tx) => t.fw.queue.send(tx, 'test.always_fails', { n: 1 }));
    const admin = await as(t.url, 'admin@forewarn.demo');
    const dead = await until(async () => {
      const r = await admin.get('/api/v1/admin/jobs/dead');
      return r.body.items.find((j: { name: string }) => j.name === 'test.always_fails__dead');
    }, 30_000);
    expect(attempts).toBe(2);
    expect(dead.data).toEqual({ n: 1 });
  });
});

describe('email through SMTP', () => {
  it('delivers an invitation through the SMTP server, retrying a temporary failure', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const bank = await orgIdOf(t, 'Heartland Community Bank');
    const r = await admin.post(`/api/v1/organisations/${bank}/invitations`, { email: 'teller@heartlandbank.demo', name: 'Teller', roles: ['operator_staff'] });
    expect(r.status).toBe(201);
    const mail = await until(async () => sink.mails.find((m) => m.to.includes('teller@heartlandbank.demo')), 30_000);
    expect(mail.from).toBe('no-reply@forewarn.test');
    expect(mail.data).toContain('Subject: You are invited to Forewarn (Heartland Community Bank)');
    const [row] = await until(async () => {
      const rows = await t.rows<{ status: string; attempts: number }>("select status, attempts from mail_outbox where to_address = 'teller@heartlandbank.demo'");
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    expect(row.attempts).toBe(2);
    const outbox = await admin.get('/api/v1/admin/outbox');
    const listed = outbox.body.items.find((m: { to: string }) => m.to === 'teller@heartlandbank.demo');
    expect(listed.status).toBe('sent');
    expect(listed.body).not.toMatch(/fwi_[A-Za-z0-9_-]{20,}/); // a delivered invitation link is the recipient's alone
  });
});
