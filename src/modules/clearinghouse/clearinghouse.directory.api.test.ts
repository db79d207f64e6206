import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { nativeDoc } from './clearinghouse.fixtures.ts';

let t: TestInstance;
let lab: Client;
let hospital: Client;
let treasury: Client;

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  [lab, hospital, treasury] = await Promise.all([as(t.url, 'lab.engineer@meridian.demo'), as(t.url, 'it@prairiehospital.demo'), as(t.url, 'treasury.analyst@treasury.demo')]);
}, 180_000);
afterAll(async () => {
  await t?.close();
});

describe('a reporter’s own reports', () => {
  it('lists only the caller’s reports, newest first, with merge counts', async () => {
    const first = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc('mine-a') });
    const second = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc('mine-a') });
    const other = await hospital.post('/api/v1/clearinghouse/reports', { document: nativeDoc('theirs') });
    expect([first.status, second.status, other.status]).toEqual([201, 201, 201]);
    const r = await lab.get('/api/v1/clearinghouse/reports?limit=10');
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { id: string }) => i.id)).toEqual([second.body.reportId, first.body.reportId]);
    expect(r.body.items[0]).toMatchObject({ format: 'native', candidates: 1, merged: 1 });
    expect(r.body.items[1]).toMatchObject({ candidates: 1, merged: 0 });
    const theirs = await hospital.get('/api/v1/clearinghouse/reports');
    expect(theirs.body.items.map((i: { id: string }) => i.id)).toEqual([other.body.reportId]);
  });

  it('refuses a bad limit with a problem', async () => {
    const r = await lab.get('/api/v1/clearinghouse/reports?limit=5000');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});

describe('the validator list', () => {
  it('gives clearinghouse analysts agency and partner users cleared for CUI, by name', async () => {
    const r = await treasury.get('/api/v1/clearinghouse/validators');
    expect(r.status).toBe(200);
    const names = r.body.items.map((i: { name: string }) => i.name);
    expect(names).toEqual(expect.arrayContaining(['Nora Stone', 'Tess Morgan', 'Sam Patel']));
    // Operators, vendors and uncleared people are not validators.
    expect(names).not.toContain('Hank Miller');
    expect(names).not.toContain('Vera Lind');
    const [row] = await t.rows<{ n: number }>("select count(*)::int as n from users u join organisations o on o.id = u.org_id where o.kind in ('agency','trusted_partner') and u.clearance >= 1 and not u.disabled");
    expect(r.body.items.length).toBe(row.n);
    expect(Object.keys(r.body.items[0]).sort()).toEqual(['name', 'orgName', 'userId']);
  });

  it('is refused to anyone without clearinghouse:validate', async () => {
    for (const c of [lab, hospital]) {
      const r = await c.get('/api/v1/clearinghouse/validators');
      expect(r.status).toBe(403);
      expect(r.body.items).toBeUndefined();
    }
  });
});
