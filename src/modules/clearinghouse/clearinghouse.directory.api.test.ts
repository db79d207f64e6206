// Reporting around intake: a reporter's own reports, the validator list, and SARIF scans that name their product.
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

describe('a SARIF scan of a named product', () => {
  const scan = (tool: string, fingerprint: string) => ({
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: tool, rules: [{ id: 'R1', shortDescription: { text: 'Heap overflow' }, properties: { tags: ['external/cwe/cwe-122'] } }] } },
        results: [
          {
            ruleId: 'R1',
            level: 'error',
            message: { text: 'Row length trusted from the header.' },
            locations: [{ physicalLocation: { artifactLocation: { uri: 'src/decode.c' }, region: { startLine: 88 } } }],
            fingerprints: { [`${tool}/v1`]: fingerprint },
          },
        ],
      },
    ],
  });

  it('carries the product, so a second tool’s report of the same bug merges by similarity', async () => {
    const affected = [{ purl: 'pkg:npm/sarif-product@2.0.0' }];
    const a = await lab.post('/api/v1/clearinghouse/reports', { document: scan('ToolA', 'a-1'), affected });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    const b = await hospital.post('/api/v1/clearinghouse/reports', { document: scan('ToolB', 'b-1'), affected });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect(b.body.candidates[0]).toMatchObject({ vulnerabilityId: a.body.candidates[0].vulnerabilityId, merged: true });
    const v = await treasury.get(`/api/v1/clearinghouse/vulnerabilities/${a.body.candidates[0].vulnerabilityId}`);
    expect(JSON.stringify(v.body.affected)).toContain('pkg:npm/sarif-product');
    expect(v.body.credits).toHaveLength(2);
  });

  it('refuses products alongside a document that names its own, and writes nothing', async () => {
    const before = await t.rows<{ n: number }>('select count(*)::int as n from clearinghouse_reports');
    const r = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc('with-affected'), affected: [{ purl: 'pkg:npm/x@1.0.0' }] });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('/affected');
    const bad = await lab.post('/api/v1/clearinghouse/reports', { document: scan('ToolC', 'c-1'), affected: [{ purl: 'pkg:npm/x', cpe: 'not a cpe' }] });
    expect(bad.status).toBe(400);
    expect(await t.rows<{ n: number }>('select count(*)::int as n from clearinghouse_reports')).toEqual(before);
  });
});
