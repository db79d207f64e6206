import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, orgIdOf, startTestInstance, userIdOf, type TestInstance } from '../../../tests/support/harness.ts';
import { quarterOf } from './transparency.fns.ts';

let t: TestInstance;
const devs: string[] = [];
const partnersOrgs: string[] = [];
let quarter = '';
let body = '';

// Rows other modules would write, inserted directly: three developers (enough to publish), one
// developer alone in some cells (suppressed), and a SECRET finding that must never be counted.
beforeAll(async () => {
  t = await startTestInstance();
  quarter = quarterOf(new Date()).label;
  devs.push(await orgIdOf(t, 'Meridian AI'));
  for (const name of ['Cobalt Labs', 'Northwind Models']) {
    const [o] = await t.rows<{ id: string }>("insert into organisations (name, kind) values ($1, 'ai_developer') returning id", [name]);
    devs.push(o.id);
  }
  partnersOrgs.push(await orgIdOf(t, 'Sentinel Security Partners'));
  const by = await userIdOf(t, 'lab.engineer@meridian.demo');
  for (const [i, d] of devs.entries()) {
    const modelId = crypto.randomUUID();
    await t.rows(`insert into consultations (owner_org_id, classification, model_id, question_enc, status, created_by) values ($1, 1, $2, 'x', 'open', $3)`, [d, modelId, by]);
    await t.rows(
      `insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, reevaluation_triggers, decided_at) values ($1, 1, $2, gen_random_uuid(), 'covered', 'SUMMARY-TEXT', '{}', now())`,
      [d, modelId],
    );
    const [w] = await t.rows<{ id: string }>(
      `insert into review_windows (owner_org_id, classification, model_id, status, opens_at, closes_at, policy_version, created_by) values ($1, 1, $2, 'open', now(), now() + interval '${10 + i * 5} days', 1, $3) returning id`,
      [d, modelId, by],
    );
    await t.rows(
      `insert into findings (owner_org_id, classification, model_id, window_id, model_owner_org_id, kind, title, summary_enc, rating, status, due_days_before_release, created_by, filed_at)
       values ($1, 1, $2, $3, $1, 'safeguard_bypass', 'FINDING-TITLE', 'x', 'high', 'filed', 7, $4, now())`,
      [d, modelId, w.id, by],
    );
  }
  // Only Meridian: a not-covered notice, a closed window, a SECRET dangerous-capability finding.
  const m = crypto.randomUUID();
  await t.rows(`insert into determination_notices (owner_org_id, classification, model_id, determination_id, outcome, summary, reevaluation_triggers, decided_at) values ($1, 1, $2, gen_random_uuid(), 'not_covered', 's', '{}', now())`, [devs[0], m]);
  await t.rows(`insert into review_windows (owner_org_id, classification, model_id, status, opens_at, closes_at, closed_at, close_reason, policy_version, created_by) values ($1, 1, $2, 'closed', now(), now() + interval '5 days', now(), 'ended_by_developer', 1, $3)`, [devs[0], m, by]);
  await t.rows(
    `insert into findings (owner_org_id, classification, model_id, window_id, model_owner_org_id, kind, title, summary_enc, rating, status, due_days_before_release, created_by, filed_at)
     values ($1, 3, $2, gen_random_uuid(), $1, 'dangerous_capability', 'SECRET-FINDING', 'x', 'critical', 'filed', 7, $3, now())`,
    [devs[0], m, by],
  );
  await t.rows(`insert into partner_applications (owner_org_id, classification, criteria_version, status, answers_enc, declarations_enc, submitted_by) values ($1, 1, 1, 'submitted', 'x', 'x', $2)`, [partnersOrgs[0], by]);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('public transparency report', () => {
  it('is served without signing in, as JSON', async () => {
    const anon = client(t.url);
    const r = await anon.get(`/api/v1/transparency/report?quarter=${quarter}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    body = JSON.stringify(r.body);
    expect(r.body.quarter).toBe(quarter);
    expect(r.body.threshold).toBe(3);
    expect(r.body.consultations).toEqual({ value: 3, suppressed: false });
    expect(r.body.windows.opened).toEqual({ value: 4, suppressed: false });
    expect(r.body.windows.medianPlannedDays.value).toBeCloseTo(12.5, 0);
    expect(r.body.findings.available).toBe(true);
    expect(r.body.findings.byKind.find((k: { key: string }) => k.key === 'safeguard_bypass')).toEqual({ key: 'safeguard_bypass', value: 3, suppressed: false });
    expect((await anon.get('/api/v1/transparency/report')).status).toBe(200);
  });

  it('suppresses every cell fewer than three organisations contribute to, and its complement', async () => {
    const r = JSON.parse(body);
    expect(r.windows.closed).toEqual({ value: null, suppressed: true });
    expect(r.partners.applications).toEqual({ value: null, suppressed: true });
    // not_covered comes from one developer: suppressed, and covered with it so it cannot be derived.
    expect(r.determinationsByOutcome).toEqual([
      { key: 'covered', value: null, suppressed: true },
      { key: 'not_covered', value: null, suppressed: true },
    ]);
    const published: number[] = [];
    const walk = (x: unknown) => {
      if (x && typeof x === 'object') {
        const o = x as Record<string, unknown>;
        if ('suppressed' in o && o.suppressed === false && typeof o.value === 'number' && !('key' in o && String(o.key).includes('days'))) published.push(o.value);
        Object.values(o).forEach(walk);
      }
    };
    walk(r);
    expect(published.every((v) => v === 0 || v >= 3)).toBe(true);
  });

  it('exposes nothing classified and names no one', async () => {
    const r = JSON.parse(body);
    expect(r.findings.byKind.find((k: { key: string }) => k.key === 'dangerous_capability')).toEqual({ key: 'dangerous_capability', value: 0, suppressed: false });
    expect(r.findings.bySeverity.find((k: { key: string }) => k.key === 'critical').value).toBe(0);
    for (const secret of ['SECRET-FINDING', 'FINDING-TITLE', 'SUMMARY-TEXT', 'Meridian', 'Cobalt', 'Sentinel', ...devs, ...partnersOrgs]) expect(body).not.toContain(secret);
  });

  it('is served as CSV and refuses a malformed quarter', async () => {
    const anon = client(t.url);
    const res = await fetch(`${t.url}/api/v1/transparency/report.csv?quarter=${quarter}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = await res.text();
    expect(csv).toContain(`${quarter},windows,closed,,suppressed`);
    expect(csv).toContain(`${quarter},consultations,count,,3`);
    expect((await anon.get('/api/v1/transparency/report?quarter=2026-Q9')).status).toBe(400);
    expect((await anon.get('/api/v1/transparency/report?quarter=2026-Q1&x=1')).status).toBe(400);
  });
});
