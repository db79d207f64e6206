import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, startTestInstance, type TestInstance } from '../../../../tests/support/harness.ts';
import { startSmtpSink } from '../../../../tests/support/smtp-sink.ts';
import { verifySignature } from '../../notifications/delivery/webhook-signing.ts';
import { MAX_WEBHOOK_ATTEMPTS } from '../../notifications/delivery/delivery.fns.ts';
import type { MatchEvent } from '../../matching/matching.types.ts';

// Operators get matches (driven here by calling onMatchEvents as matching does, in a transaction),
// are told on their channels within each channel's TLP allowance, and track remediation.

interface Hit {
  path: string;
  signature: string;
  delivery: string;
  body: string;
}

let t: TestInstance;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let hooks: Server;
let hookBase: string;
const hits: Hit[] = [];
let failing = true;

const ids = { hospital: '', bank: '', utility: '' };
const secrets: Record<string, string> = {};
const channel: Record<string, string> = {};
const asset: Record<string, string> = {};
const ADV = { critical: crypto.randomUUID(), lowClear: crypto.randomUUID(), lowAmber: crypto.randomUUID() };
const match = { h1: crypto.randomUUID(), h2: crypto.randomUUID(), b1: crypto.randomUUID() };
const comp = { h1: crypto.randomUUID(), h2: crypto.randomUUID(), b1: crypto.randomUUID() };

async function until<T>(fn: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function advisory(id: string, ref: string, title: string, severity: string, tlp: string, pkg: string, fixed: string) {
  const affected = [{ package: pkg, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }], versions: [] }];
  await t.rows(
    `insert into matching_advisories (id, source, external_id, title, tlp, severity, affected, published_at)
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, now())`,
    [id, ref.startsWith('FWN') ? 'clearinghouse' : 'osv', ref, title, tlp, severity, JSON.stringify(affected)],
  );
}

function ev(kind: MatchEvent['kind'], org: string, advisoryId: string, m: string, c: string, assetId: string, pkg: string, version: string): MatchEvent {
  return { kind, matchId: m, advisoryId, orgId: org, assetId, componentId: c, package: pkg, version };
}

async function emit(events: MatchEvent[]) {
  await t.fw.database.db.transaction((tx) => t.fw.services.remediation.onMatchEvents(tx, events));
}

const recordOf = async (org: string, advisoryId: string) =>
  (await t.rows<{ id: string; state: string; due_at: Date; opened_at: Date; fix: any; digest_pending: boolean }>('select * from remediation_records where owner_org_id = $1 and advisory_id = $2', [org, advisoryId]))[0];

beforeAll(async () => {
  sink = await startSmtpSink();
  hooks = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      hits.push({ path: req.url ?? '', signature: String(req.headers['forewarn-signature'] ?? ''), delivery: String(req.headers['forewarn-delivery'] ?? ''), body });
      res.statusCode = req.url === '/fail' && failing ? 500 : 200;
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
  hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  t = await startTestInstance({ env: { SMTP_URL: sink.url, SMTP_FROM: 'Forewarn <no-reply@forewarn.test>' } });
  ids.hospital = await orgIdOf(t, 'Prairie County Hospital');
  ids.bank = await orgIdOf(t, 'Heartland Community Bank');
  ids.utility = await orgIdOf(t, 'Riverbend Utilities');

  const hospital = await as(t.url, 'it@prairiehospital.demo');
  const bank = await as(t.url, 'it@heartlandbank.demo');
  expect((await hospital.request('PUT', '/api/v1/inventory/profile', { priorityTier: 1 })).status).toBeLessThan(300);
  for (const [key, c, body] of [
    ['hClear', hospital, { kind: 'webhook', address: `${hookBase}/hospital-clear`, tlpMax: 'CLEAR' }],
    ['hAmber', hospital, { kind: 'webhook', address: `${hookBase}/hospital-amber`, tlpMax: 'AMBER' }],
    ['hMail', hospital, { kind: 'email', address: 'soc@prairiehospital.demo' }],
    ['bFail', bank, { kind: 'webhook', address: `${hookBase}/fail`, tlpMax: 'AMBER' }],
  ] as const) {
    const r = await c.post('/api/v1/inventory/profile/channels', body);
    expect(r.status).toBe(201);
    channel[key] = r.body.id;
    if (r.body.secret) secrets[key] = r.body.secret;
  }
  asset.h = (await hospital.post('/api/v1/inventory/assets', { name: 'EHR gateway' })).body.id;
  asset.b = (await bank.post('/api/v1/inventory/assets', { name: 'Core banking' })).body.id;
  await advisory(ADV.critical, 'FWN-2026-9001', 'Heap overflow in openemr-gateway', 'critical', 'AMBER', 'pkg:npm/openemr-gateway', '4.1.2');
  await advisory(ADV.lowClear, 'GHSA-lowc-lowc-lowc', 'Verbose error page in requests', 'low', 'CLEAR', 'pkg:pypi/requests', '2.32.0');
  await advisory(ADV.lowAmber, 'FWN-2026-9002', 'Timing leak in hl7-parse', 'low', 'AMBER', 'pkg:npm/hl7-parse', '1.0.1');
}, 120_000);

afterAll(async () => {
  await t?.close();
  await sink?.close();
  await new Promise((r) => hooks?.close(r));
});

describe('a new match', () => {
  it('opens a record per operator, due by severity and tier, and tells each channel only what its TLP allows', async () => {
    const before = Date.now();
    await emit([
      ev('matched', ids.hospital, ADV.critical, match.h1, comp.h1, asset.h, 'pkg:npm/openemr-gateway', '4.1.0'),
      ev('matched', ids.hospital, ADV.critical, match.h2, comp.h2, asset.h, 'pkg:npm/openemr-gateway', '4.0.9'),
      ev('matched', ids.bank, ADV.critical, match.b1, comp.b1, asset.b, 'pkg:npm/openemr-gateway', '3.9.0'),
    ]);
    const h = await recordOf(ids.hospital, ADV.critical);
    expect(h.state).toBe('notified');
    // Critical for a tier-1 operator: 7 days; the bank has no tier (treated as tier 3: 21 days).
    expect(new Date(h.due_at).getTime() - new Date(h.opened_at).getTime()).toBe(7 * 86_400_000);
    const b = await recordOf(ids.bank, ADV.critical);
    expect(new Date(b.due_at).getTime() - new Date(b.opened_at).getTime()).toBe(21 * 86_400_000);
    expect(h.fix.fixedVersions).toEqual(['4.1.2']);
    expect(new Date(h.opened_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await t.rows('select event, to_state, note from remediation_history where record_id = $1', [h.id])).toEqual([{ event: 'opened', to_state: 'notified', note: '1 package in the inventory match' }]);
    expect((await auditRows(t, 'remediation.open')).length).toBe(2);

    // Webhooks: each signed with its own channel's secret over "<t>.<body>".
    const amber = await until(async () => hits.find((x) => x.path === '/hospital-amber'));
    const clear = await until(async () => hits.find((x) => x.path === '/hospital-clear'));
    const now = Math.floor(Date.now() / 1000);
    expect(verifySignature(secrets.hAmber, amber.signature, amber.body, now)).toBe(true);
    expect(verifySignature(secrets.hClear, clear.signature, clear.body, now)).toBe(true);
    expect(verifySignature(secrets.hClear, amber.signature, amber.body, now)).toBe(false);
    expect(JSON.parse(amber.body)).toMatchObject({ type: 'remediation.opened', items: [{ restricted: false, advisory: { ref: 'FWN-2026-9001', title: 'Heap overflow in openemr-gateway', severity: 'critical' }, fix: { fixedVersions: ['4.1.2'] } }] });
    expect(JSON.parse(amber.body).id).toBe(amber.delivery);
    // A CLEAR-only channel: "sign in to read it", nothing of the AMBER advisory.
    expect(JSON.parse(clear.body)).toMatchObject({ type: 'remediation.opened', items: [{ restricted: true, tlp: 'AMBER', remediationId: h.id }] });
    for (const s of ['FWN-2026-9001', 'Heap overflow', 'openemr', 'critical']) expect(clear.body).not.toContain(s);

    // Email is a CLEAR channel too: queued through the mail service and sent over SMTP.
    const mail = await until(async () => sink.mails.find((m) => m.to.includes('soc@prairiehospital.demo')));
    expect(mail.data).toContain('Sign in to read it');
    expect(mail.data).not.toContain('Heap overflow');
    expect(mail.data).not.toContain('FWN-2026-9001');
    const delivered = await until(async () => {
      const rows = await t.rows<{ channel_kind: string; status: string }>("select channel_kind, status from notification_deliveries where org_id = $1 and status in ('delivered', 'mailed')", [ids.hospital]);
      return rows.length === 3 && rows;
    });
    expect(delivered.map((d) => d.channel_kind).sort()).toEqual(['email', 'webhook', 'webhook']);
    // In-app notice for the staff, unclassified words only.
    const notes = await t.rows<{ title: string; body: string }>("select n.title, n.body from notifications n join users u on u.id = n.user_id where u.email = 'it@prairiehospital.demo'");
    expect(notes.some((n) => n.title === 'New advisory match' && !n.body.includes('Heap'))).toBe(true);
  });

  it('retries a failing webhook with backoff and keeps the schedule in the delivery log', async () => {
    const d = await until(async () => (await t.rows<{ id: string; status: string; attempts: number; last_status_code: number; next_attempt_at: Date }>("select * from notification_deliveries where org_id = $1 and status = 'retrying'", [ids.bank]))[0]);
    expect(d).toMatchObject({ attempts: 1, last_status_code: 500 });
    expect(new Date(d.next_attempt_at).getTime()).toBeGreaterThan(Date.now() + 20_000);
    const jobs = await t.rows<{ start_after: Date }>("select start_after from pgboss.job where name = 'notifications.webhook.deliver' and data->>'id' = $1 and state = 'created'", [d.id]);
    expect(jobs).toHaveLength(1);
  });
});

describe('the remediation board', () => {
  it('shows an operator its own records only; another organisation’s record does not exist', async () => {
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    const bank = await as(t.url, 'it@heartlandbank.demo');
    const utility = await as(t.url, 'it@riverbendutilities.demo');
    const mine = await hospital.get('/api/v1/remediation');
    expect(mine.status).toBe(200);
    expect(mine.body.items).toHaveLength(1);
    expect(mine.body.items[0]).toMatchObject({ advisoryRef: 'FWN-2026-9001', state: 'notified', overdue: false, openComponents: 2, fix: { fixedVersions: ['4.1.2'] } });
    expect(mine.body.counts).toEqual({ notified: 1 });
    expect((await utility.get('/api/v1/remediation')).body.items).toEqual([]);

    const b = await recordOf(ids.bank, ADV.critical);
    expect((await hospital.get(`/api/v1/remediation/${b.id}`)).status).toBe(404);
    expect((await hospital.post(`/api/v1/remediation/${b.id}/transitions`, { event: 'acknowledge' })).status).toBe(404);
    expect((await recordOf(ids.bank, ADV.critical)).state).toBe('notified');
    expect(await t.rows('select 1 from remediation_history where record_id = $1 and actor_user_id is not null', [b.id])).toEqual([]);

    const detail = await bank.get(`/api/v1/remediation/${b.id}`);
    expect(detail.body).toMatchObject({ state: 'notified', actions: ['acknowledge', 'start_patching', 'mark_patched', 'declare_not_affected', 'accept_risk'], components: [{ assetName: 'Core banking', package: 'pkg:npm/openemr-gateway', version: '3.9.0', clearedAt: null }] });

    // Roles without remediation:manage are refused.
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    expect((await treasury.get('/api/v1/remediation')).status).toBe(403);
    expect((await treasury.get(`/api/v1/remediation/${b.id}`)).status).toBe(403);
  });

  it('moves a record through the machine and refuses what the machine refuses, changing nothing', async () => {
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    const h = await recordOf(ids.hospital, ADV.critical);
    const go = (body: object) => hospital.post(`/api/v1/remediation/${h.id}/transitions`, body);
    expect((await go({ event: 'acknowledge' })).body.state).toBe('acknowledged');
    expect((await go({ event: 'start_patching', note: 'change window Saturday' })).body.state).toBe('patching');
    const historyBefore = (await t.rows('select 1 from remediation_history where record_id = $1', [h.id])).length;

    const invalid = await go({ event: 'acknowledge' });
    expect(invalid.status).toBe(409);
    expect(invalid.body.type).toContain('invalid-transition');
    expect((await go({ event: 'accept_risk' })).status).toBe(400);
    const tooLate = new Date(Date.now() + 366 * 86_400_000).toISOString();
    expect((await go({ event: 'accept_risk', riskExpiresAt: tooLate })).status).toBe(400);
    expect((await go({ event: 'accept_risk', riskExpiresAt: new Date(Date.now() - 1000).toISOString() })).status).toBe(400);
    expect((await go({ event: 'declare_not_affected' })).status).toBe(400);
    expect((await go({ event: 'declare_not_affected', justification: 'because we said so' })).status).toBe(400);
    expect((await go({ event: 'explode' })).status).toBe(400);
    expect((await recordOf(ids.hospital, ADV.critical)).state).toBe('patching');
    expect((await t.rows('select 1 from remediation_history where record_id = $1', [h.id])).length).toBe(historyBefore);

    const until30 = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const accepted = await go({ event: 'accept_risk', riskExpiresAt: until30 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ state: 'risk_accepted', riskExpiresAt: until30, actions: ['mark_patched', 'reopen'] });
    expect(await t.rows("select 1 from pgboss.job where name = 'remediation.risk-expiry' and data->>'id' = $1", [h.id])).toHaveLength(1);
    expect(accepted.body.history.map((x: any) => [x.event, x.toState, x.by])).toEqual([
      ['opened', 'notified', null],
      ['acknowledge', 'acknowledged', 'it@prairiehospital.demo'],
      ['start_patching', 'patching', 'it@prairiehospital.demo'],
      ['accept_risk', 'risk_accepted', 'it@prairiehospital.demo'],
    ]);
    const audit = await auditRows(t, 'remediation.accept_risk');
    expect(audit).toHaveLength(1);
    expect(audit[0].record_id).toBe(h.id);

    // The bank declares not affected with a CSAF justification, then reopens.
    const bank = await as(t.url, 'it@heartlandbank.demo');
    const b = await recordOf(ids.bank, ADV.critical);
    const na = await bank.post(`/api/v1/remediation/${b.id}/transitions`, { event: 'declare_not_affected', justification: 'vulnerable_code_not_in_execute_path' });
    expect(na.body).toMatchObject({ state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' });
    expect((await bank.post(`/api/v1/remediation/${b.id}/transitions`, { event: 'reopen' })).body).toMatchObject({ state: 'acknowledged', justification: null });
  });

  it('an expired accepted risk comes back for a decision', async () => {
    const h = await recordOf(ids.hospital, ADV.critical);
    await t.rows("update remediation_records set risk_expires_at = now() - interval '1 minute' where id = $1", [h.id]);
    await t.fw.services.remediation.expireRisk(h.id);
    expect((await recordOf(ids.hospital, ADV.critical)).state).toBe('acknowledged');
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    expect((await hospital.post(`/api/v1/remediation/${h.id}/transitions`, { event: 'accept_risk', riskExpiresAt: new Date(Date.now() + 86_400_000).toISOString() })).body.state).toBe('risk_accepted');
  });
});

describe('a fresh SBOM', () => {
  it('closes the record by itself when the last matching component is cleared, and reopens it if one comes back', async () => {
    const h = await recordOf(ids.hospital, ADV.critical);
    await emit([ev('cleared', ids.hospital, ADV.critical, match.h1, comp.h1, asset.h, 'pkg:npm/openemr-gateway', '4.1.0')]);
    expect((await recordOf(ids.hospital, ADV.critical)).state).toBe('risk_accepted');
    await emit([ev('cleared', ids.hospital, ADV.critical, match.h2, comp.h2, asset.h, 'pkg:npm/openemr-gateway', '4.0.9')]);
    expect((await recordOf(ids.hospital, ADV.critical)).state).toBe('patched');
    const last = await t.rows<{ event: string; from_state: string; to_state: string; note: string; actor_user_id: string | null }>('select * from remediation_history where record_id = $1 order by at desc limit 1', [h.id]);
    expect(last[0]).toMatchObject({ event: 'sbom_cleared', from_state: 'risk_accepted', to_state: 'patched', note: 'closed by SBOM', actor_user_id: null });
    expect((await auditRows(t, 'remediation.close')).map((a) => a.record_id)).toContain(h.id);

    const webhookCount = hits.filter((x) => x.path === '/hospital-amber').length;
    const m3 = crypto.randomUUID();
    await emit([ev('matched', ids.hospital, ADV.critical, m3, crypto.randomUUID(), asset.h, 'pkg:npm/openemr-gateway', '4.0.0')]);
    expect((await recordOf(ids.hospital, ADV.critical)).state).toBe('notified');
    const again = await until(async () => hits.filter((x) => x.path === '/hospital-amber')[webhookCount]);
    expect(JSON.parse(again.body).items[0]).toMatchObject({ reopened: true, components: [{ version: '4.0.0' }] });
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    const view = await hospital.get(`/api/v1/remediation/${h.id}`);
    expect(view.body.openComponents).toBe(1);
    expect(view.body.components.filter((c: any) => c.clearedAt !== null)).toHaveLength(2);
  });
});

describe('the daily digest', () => {
  it('holds low-severity matches and sends one message per channel, each item within the channel’s TLP', async () => {
    const before = hits.length;
    const mailsBefore = sink.mails.length;
    await emit([
      ev('matched', ids.hospital, ADV.lowClear, crypto.randomUUID(), crypto.randomUUID(), asset.h, 'pkg:pypi/requests', '2.31.0'),
      ev('matched', ids.hospital, ADV.lowAmber, crypto.randomUUID(), crypto.randomUUID(), asset.h, 'pkg:npm/hl7-parse', '1.0.0'),
    ]);
    expect((await recordOf(ids.hospital, ADV.lowClear)).digest_pending).toBe(true);
    const jobs = await t.rows<{ start_after: Date }>("select start_after from pgboss.job where name = 'remediation.digest' and data->>'orgId' = $1", [ids.hospital]);
    expect(jobs).toHaveLength(1);
    expect(new Date(jobs[0].start_after).getUTCHours()).toBe(13);
    expect(await t.rows("select 1 from notification_deliveries where $1 = any(advisory_ids) or $2 = any(advisory_ids)", [ADV.lowClear, ADV.lowAmber])).toEqual([]);

    expect(await t.fw.services.remediation.sendDigest(ids.hospital)).toBe(2);
    expect(await t.fw.services.remediation.sendDigest(ids.hospital)).toBe(0);
    const digests = () => hits.slice(before).filter((x) => x.body.includes('"remediation.digest"'));
    const clear = await until(async () => digests().find((x) => x.path === '/hospital-clear'));
    const amber = await until(async () => digests().find((x) => x.path === '/hospital-amber'));
    expect(digests()).toHaveLength(2);
    const c = JSON.parse(clear.body);
    expect(c.type).toBe('remediation.digest');
    expect(c.items.map((i: any) => i.restricted).sort()).toEqual([false, true]);
    expect(clear.body).toContain('GHSA-lowc-lowc-lowc');
    expect(clear.body).not.toContain('FWN-2026-9002');
    expect(clear.body).not.toContain('Timing leak');
    expect(amber.body).toContain('Timing leak in hl7-parse');
    const mail = await until(async () => sink.mails.slice(mailsBefore).find((m) => m.to.includes('soc@prairiehospital.demo') && m.data.includes('daily digest')));
    expect(mail.data).toContain('Subject: Forewarn: daily digest, 2 new low-severity advisory matches');
    expect(mail.data).not.toContain('Timing leak');
    expect((await recordOf(ids.hospital, ADV.lowClear)).digest_pending).toBe(false);
  });
});

describe('dead letters', () => {
  let deadId = '';
  it('a webhook that keeps failing is dead-lettered after its last retry, with its body kept', async () => {
    const [d] = await t.rows<{ id: string; body: string }>("select id, body from notification_deliveries where org_id = $1 and channel_kind = 'webhook'", [ids.bank]);
    deadId = d.id;
    for (let i = 0; i < MAX_WEBHOOK_ATTEMPTS + 2; i++) await t.fw.services.remediation.attemptDelivery(d.id);
    const [row] = await t.rows<{ status: string; attempts: number; dead_at: Date | null; body: string }>('select * from notification_deliveries where id = $1', [d.id]);
    expect(row).toMatchObject({ status: 'dead', attempts: MAX_WEBHOOK_ATTEMPTS, body: d.body });
    expect(row.dead_at).not.toBeNull();
    expect(hits.filter((x) => x.delivery === d.id).length).toBe(MAX_WEBHOOK_ATTEMPTS);
  });

  it('is visible to coordinators (host only), platform administrators and the operator itself, nobody else', async () => {
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    const bank = await as(t.url, 'it@heartlandbank.demo');
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    const admin = await as(t.url, 'admin@forewarn.demo');
    const lab = await as(t.url, 'lab.engineer@meridian.demo');
    const seen = await treasury.get('/api/v1/notifications/dead-letters');
    expect(seen.status).toBe(200);
    const item = seen.body.items.find((i: any) => i.id === deadId);
    expect(item).toMatchObject({ orgName: 'Heartland Community Bank', channelKind: 'webhook', status: 'dead', attempts: MAX_WEBHOOK_ATTEMPTS, lastStatusCode: 500, advisoryIds: [ADV.critical] });
    expect(item.address).toBe(new URL(hookBase).host);
    expect(JSON.stringify(seen.body)).not.toContain('Heap overflow');
    expect((await bank.get('/api/v1/notifications/dead-letters')).body.items.map((i: any) => [i.id, i.address])).toEqual([[deadId, `${hookBase}/fail`]]);
    expect((await admin.get('/api/v1/notifications/dead-letters')).body.items.map((i: any) => i.id)).toContain(deadId);
    expect((await hospital.get('/api/v1/notifications/dead-letters')).body.items).toEqual([]);
    expect((await lab.get('/api/v1/notifications/dead-letters')).status).toBe(403);
    expect((await hospital.post(`/api/v1/notifications/dead-letters/${deadId}/redeliver`)).status).toBe(404);
    expect((await lab.post(`/api/v1/notifications/dead-letters/${deadId}/redeliver`)).status).toBe(403);
    expect((await t.rows<{ status: string }>('select status from notification_deliveries where id = $1', [deadId]))[0].status).toBe('dead');
  });

  it('is sent again on request: the same body, signed afresh', async () => {
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    failing = false;
    const r = await treasury.post(`/api/v1/notifications/dead-letters/${deadId}/redeliver`);
    expect(r.status).toBe(202);
    expect((await treasury.post(`/api/v1/notifications/dead-letters/${deadId}/redeliver`)).status).toBe(409);
    await until(async () => (await t.rows<{ status: string }>('select status from notification_deliveries where id = $1', [deadId]))[0].status === 'delivered');
    const got = hits.filter((x) => x.delivery === deadId);
    const last = got[got.length - 1];
    expect(last.body).toBe(got[0].body);
    expect(verifySignature(secrets.bFail, last.signature, last.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(JSON.parse(last.body).items[0].advisory.title).toBe('Heap overflow in openemr-gateway');
    expect((await auditRows(t, 'notifications.delivery.redeliver')).map((a) => a.record_id)).toEqual([deadId]);
    failing = true;
  });
});

describe('coordinators', () => {
  it('see, per affected operator, the remediation state and the delivery of each notice', async () => {
    const treasury = await as(t.url, 'treasury.analyst@treasury.demo');
    const r = await treasury.get(`/api/v1/remediation/advisories/${ADV.critical}/deliveries`);
    expect(r.status).toBe(200);
    const byOrg = Object.fromEntries(r.body.operators.map((o: any) => [o.orgName, o]));
    expect(byOrg['Prairie County Hospital'].state).toBe('notified');
    expect(byOrg['Prairie County Hospital'].deliveries.map((d: any) => d.channelKind).sort()).toEqual(['email', 'email', 'webhook', 'webhook', 'webhook', 'webhook']);
    expect(byOrg['Prairie County Hospital'].deliveries.find((d: any) => d.channelKind === 'email').address).toBe('…@prairiehospital.demo');
    expect(byOrg['Heartland Community Bank'].deliveries).toMatchObject([{ status: 'delivered', address: new URL(hookBase).host }]);
    expect(r.body.totals).toMatchObject({ notified: 1, acknowledged: 1 });
    // Hospital: two webhooks and an email at opening and again at reopening; the bank's redelivered webhook.
    expect(r.body.totals.delivery_delivered).toBeGreaterThanOrEqual(5);
    expect(Object.entries(r.body.totals).filter(([k]) => k.startsWith('delivery_')).reduce((n, [, v]) => n + (v as number), 0)).toBe(7);
    expect(r.body.total).toBe(2);
    const page = await treasury.get(`/api/v1/remediation/advisories/${ADV.critical}/deliveries?limit=1&offset=1`);
    expect(page.body.operators.map((o: any) => o.orgName)).toEqual(['Prairie County Hospital']);
    expect(page.body.totals).toEqual(r.body.totals);
    expect((await treasury.get(`/api/v1/remediation/advisories/${ADV.critical}/deliveries?limit=5000`)).status).toBe(400);
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    expect((await hospital.get(`/api/v1/remediation/advisories/${ADV.critical}/deliveries`)).status).toBe(403);
    expect((await treasury.get(`/api/v1/remediation/advisories/${crypto.randomUUID()}/deliveries`)).status).toBe(404);
  });
});

describe('the webhook test button', () => {
  it('sends a signed test event now and reports the answer; only for the operator’s own webhooks', async () => {
    const hospital = await as(t.url, 'it@prairiehospital.demo');
    const bank = await as(t.url, 'it@heartlandbank.demo');
    const ok = await hospital.post(`/api/v1/inventory/profile/channels/${channel.hAmber}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ delivered: true, statusCode: 200, error: null });
    const hit = hits.find((x) => x.delivery === ok.body.deliveryId)!;
    expect(JSON.parse(hit.body)).toMatchObject({ type: 'test' });
    expect(verifySignature(secrets.hAmber, hit.signature, hit.body, Math.floor(Date.now() / 1000))).toBe(true);

    const bad = await bank.post(`/api/v1/inventory/profile/channels/${channel.bFail}/test`);
    expect(bad.body).toMatchObject({ delivered: false, statusCode: 500 });
    expect((await hospital.post(`/api/v1/inventory/profile/channels/${channel.bFail}/test`)).status).toBe(404);
    expect((await hospital.post(`/api/v1/inventory/profile/channels/${channel.hMail}/test`)).status).toBe(409);
    expect((await auditRows(t, 'inventory.channel.test')).map((a) => a.detail.delivered)).toEqual([true, false]);
  });
});

describe('with matching and inventory', () => {
  const bom = (version: string) =>
    JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [{ type: 'library', name: 'pump-control', version, purl: `pkg:npm/pump-control@${version}` }] });

  it('an SBOM upload opens a record and a later SBOM with the fixed version closes it by itself', async () => {
    const utility = await as(t.url, 'it@riverbendutilities.demo');
    const advisoryId = await t.fw.database.db.transaction((tx) =>
      t.fw.services.matching.upsertAdvisory(tx, {
        source: 'clearinghouse',
        externalId: 'FWN-2026-9003',
        clearinghouseAdvisoryId: null,
        title: 'Command injection in pump-control',
        tlp: 'CLEAR',
        severity: 'high',
        affected: [{ package: 'pkg:npm/pump-control', ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.1' }] }], versions: [] }],
        withdrawn: false,
        publishedAt: new Date(),
      }),
    );
    const a = await utility.post('/api/v1/inventory/assets', { name: 'SCADA HMI' });
    expect((await utility.post(`/api/v1/inventory/assets/${a.body.id}/sboms`, { document: bom('2.0.0') })).status).toBe(201);
    const opened = await until(async () => (await recordOf(ids.utility, advisoryId))?.state === 'notified', 30_000);
    expect(opened).toBe(true);
    const board = await utility.get('/api/v1/remediation');
    expect(board.body.items).toMatchObject([{ advisoryRef: 'FWN-2026-9003', state: 'notified', fix: { fixedVersions: ['2.0.1'] }, openComponents: 1 }]);

    expect((await utility.post(`/api/v1/inventory/assets/${a.body.id}/sboms`, { document: bom('2.0.1') })).status).toBe(201);
    await until(async () => (await recordOf(ids.utility, advisoryId)).state === 'patched', 30_000);
    const detail = await utility.get(`/api/v1/remediation/${board.body.items[0].id}`);
    expect(detail.body.history.at(-1)).toMatchObject({ event: 'sbom_cleared', toState: 'patched', note: 'closed by SBOM', by: null });
    expect(detail.body.openComponents).toBe(0);
  }, 70_000);
});
