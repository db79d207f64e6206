import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, orgIdOf, signIn, startTestInstance, type TestInstance } from '../../../tests/support/harness.ts';
import { SECRET, TOP_SECRET } from '../access/marking.ts';

const run = promisify(execFile);
let t: TestInstance;
let nsaOrg: string;

beforeAll(async () => {
  t = await startTestInstance();
  nsaOrg = await orgIdOf(t, 'National Security Agency');
  const nsaActor = { subject: null, email: 'nsa.analyst@nsa.demo', orgName: 'National Security Agency', ip: null, via: 'system' as const };
  // Stand-ins for later modules' classified activity: what matters here is the marking on the event.
  await t.fw.services.audit.recordAlone({ actor: nsaActor, action: 'test.secret_read', recordType: 'determination', recordId: 'det-1', marking: { classification: SECRET, compartments: [] }, ownerOrgId: nsaOrg });
  await t.fw.services.audit.recordAlone({ actor: nsaActor, action: 'test.bench_read', recordType: 'benchmark', recordId: 'bench-1', marking: { classification: TOP_SECRET, compartments: ['BENCH'] }, ownerOrgId: nsaOrg });
});
afterAll(async () => {
  await t?.close();
});

const actions = (body: { items: { action: string }[] }) => body.items.map((i) => i.action);

describe('audit trail search', () => {
  it('shows an organisation administrator only its own organisation’s events', async () => {
    const lab = await as(t.url, 'lab.admin@meridian.demo');
    const r = await lab.get('/api/v1/audit/events?limit=500');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    for (const e of r.body.items) expect(e.actorOrgName === 'Meridian AI' || e.actorOrgName === null).toBe(true);
    expect(actions(r.body)).not.toContain('test.secret_read');
    expect(JSON.stringify(r.body)).not.toContain('nsa.analyst');
  });

  it('never shows an oversight auditor events above its clearance', async () => {
    const auditor = await as(t.url, 'auditor@forewarn.demo');
    const r = await auditor.get('/api/v1/audit/events?limit=500');
    expect(r.status).toBe(200);
    expect(actions(r.body)).toContain('demo.seed'); // other organisations' events are in reach
    expect(actions(r.body)).not.toContain('test.secret_read');
    expect(actions(r.body)).not.toContain('test.bench_read');
    const direct = await auditor.get('/api/v1/audit/events?recordId=det-1');
    expect(direct.body.items).toEqual([]);
  });

  it('shows SECRET events to a SECRET administrator with TOTP, but not a compartment it lacks', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const r = await admin.get('/api/v1/audit/events?limit=500');
    expect(actions(r.body)).toContain('test.secret_read');
    expect(actions(r.body)).not.toContain('test.bench_read');
    const secret = r.body.items.find((e: { action: string }) => e.action === 'test.secret_read');
    expect(secret.marking).toEqual({ classification: 'SECRET', compartments: [] });
  });

  it('caps the same administrator signed in without TOTP… which the sign-in refuses: TOTP is enrolled', async () => {
    const noCode = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@forewarn.demo', password: 'forewarn-demo-2026' }) });
    expect(noCode.status).toBe(401);
  });

  it('shows a TOP SECRET//BENCH event to a cleared analyst of the owning agency, and records that read', async () => {
    const nsa = await as(t.url, 'nsa.analyst@nsa.demo');
    const before = (await auditRows(t, 'audit.search')).length;
    const r = await nsa.get('/api/v1/audit/events?limit=500');
    expect(actions(r.body)).toEqual(expect.arrayContaining(['test.secret_read', 'test.bench_read']));
    const after = await auditRows(t, 'audit.search');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.classification).toBe(TOP_SECRET);
  });

  it('refuses the trail to a role without audit access (403) and audits the refusal', async () => {
    const cisa = await as(t.url, 'cisa.analyst@cisa.demo');
    const r = await cisa.get('/api/v1/audit/events');
    expect(r.status).toBe(403);
    expect((await auditRows(t, 'access.denied')).some((d) => d.actor_email === 'cisa.analyst@cisa.demo')).toBe(true);
  });

  it('filters by action and outcome and pages with a cursor', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    const r = await admin.get('/api/v1/audit/events?action=auth.login&outcome=success&limit=2');
    expect(r.body.items.length).toBe(2);
    for (const e of r.body.items) expect(e).toMatchObject({ action: 'auth.login', outcome: 'success' });
    const next = await admin.get(`/api/v1/audit/events?action=auth.login&outcome=success&limit=2&cursor=${r.body.nextCursor}`);
    expect(next.body.items[0].seq).toBeLessThan(r.body.items[1].seq);
  });

  it('rejects bad query input with a problem response', async () => {
    const admin = await as(t.url, 'admin@forewarn.demo');
    expect((await admin.get('/api/v1/audit/events?limit=100000')).status).toBe(400);
    expect((await admin.get('/api/v1/audit/events?outcome=maybe')).status).toBe(400);
    expect((await admin.get('/api/v1/audit/events?from=not-a-date')).status).toBe(400);
    expect((await admin.get('/api/v1/audit/events?unknown=1')).status).toBe(400);
  });
});

describe('audit export', () => {
  it('exports CSV and JSON within the reader’s clearance and records the export', async () => {
    const auditor = await as(t.url, 'auditor@forewarn.demo');
    const csv = await auditor.request('GET', '/api/v1/audit/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toMatch(/attachment; filename="forewarn-audit-.*\.csv"/);
    expect(String(csv.body).split('\r\n')[0]).toBe('seq,at,actorEmail,actorOrgName,action,recordType,recordId,outcome,ip,classification,detail');
    expect(String(csv.body)).not.toContain('test.secret_read');
    const json = await auditor.get('/api/v1/audit/export?format=json');
    expect(json.body.events.length).toBeGreaterThan(5);
    expect(JSON.stringify(json.body)).not.toContain('test.bench_read');
    expect((await auditRows(t, 'audit.export')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses export to a user without the ability', async () => {
    const eng = await signIn(t.url, 'lab.engineer@meridian.demo');
    expect((await eng.get('/api/v1/audit/export?format=csv')).status).toBe(403);
  });
});

describe('hash chain verification', () => {
  type Row = Record<string, unknown>;
  const verify = async () => (await (await as(t.url, 'auditor@forewarn.demo')).post('/api/v1/audit/verify')).body;

  it('reports an intact chain', async () => {
    const r = await verify();
    expect(r.ok).toBe(true);
    expect(r.checked).toBeGreaterThan(5);
    expect(r.checked).toBe(r.headSeq);
  });

  it('refuses verification to a role without it', async () => {
    const lab = await as(t.url, 'lab.admin@meridian.demo');
    expect((await lab.post('/api/v1/audit/verify')).status).toBe(403);
  });

  it('detects an edited event', async () => {
    const [row] = await t.rows<Row>("select seq, outcome from audit_events where action = 'demo.seed'");
    await t.rows("update audit_events set outcome = 'failure' where seq = $1", [row.seq]);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBroken.seq).toBe(Number(row.seq));
    expect(r.firstBroken.reason).toMatch(/edited/);
    await t.rows('update audit_events set outcome = $2 where seq = $1', [row.seq, row.outcome]);
    expect((await verify()).ok).toBe(true);
  });

  it('detects an edited detail even though jsonb reorders keys', async () => {
    const [row] = await t.rows<Row>("select seq, detail from audit_events where action = 'auth.login' order by seq limit 1");
    await t.rows(`update audit_events set detail = jsonb_set(detail, '{mfa}', 'true'::jsonb) where seq = $1`, [row.seq]);
    const r = await verify();
    expect(r.firstBroken?.seq).toBe(Number(row.seq));
    await t.rows('update audit_events set detail = $2::jsonb where seq = $1', [row.seq, JSON.stringify(row.detail)]);
    expect((await verify()).ok).toBe(true);
  });

  it('detects a deleted event', async () => {
    const [row] = await t.rows<Row>('select * from audit_events where seq = 3');
    await t.rows('delete from audit_events where seq = 3');
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBroken.seq).toBe(3);
    await reinsert(row);
    expect((await verify()).ok).toBe(true);
  });

  it('detects reordered events', async () => {
    await t.rows('update audit_events set seq = -1 where seq = 4');
    await t.rows('update audit_events set seq = 4 where seq = 5');
    await t.rows('update audit_events set seq = 5 where seq = -1');
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBroken.seq).toBe(4);
    await t.rows('update audit_events set seq = -1 where seq = 4');
    await t.rows('update audit_events set seq = 4 where seq = 5');
    await t.rows('update audit_events set seq = 5 where seq = -1');
    expect((await verify()).ok).toBe(true);
  });

  it('detects deletion of the newest events through the chain head', async () => {
    const [head] = await t.rows<{ seq: string }>('select seq from audit_head');
    await t.rows('delete from audit_events where seq = $1', [head.seq]);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.firstBroken.reason).toMatch(/deleted/);
  });

  it('`forewarn audit verify` reports the break from the command line and exits non-zero', async () => {
    await t.fw.close();
    const env = { ...process.env, ...t.databaseEnv, LOG_LEVEL: 'silent' };
    const r = await run('node', ['bin/forewarn.mjs', 'audit', 'verify', '--json'], { env }).catch((e) => e);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout.trim());
    expect(out.ok).toBe(false);
    expect(out.firstBroken.reason).toMatch(/deleted/);
  });

  async function reinsert(row: Row) {
    const cols = Object.keys(row);
    await t.rows(`insert into audit_events (${cols.join(',')}) values (${cols.map((_, i) => `$${i + 1}`).join(',')})`, cols.map((c) => (c === 'detail' ? JSON.stringify(row[c]) : row[c])));
  }
});
