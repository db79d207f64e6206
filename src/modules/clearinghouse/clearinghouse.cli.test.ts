// `forewarn report submit` against a running instance with a real API token.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, startTestInstance, type TestInstance } from '../../../tests/support/harness.ts';
import { reportCommand } from './clearinghouse.cli.ts';
import { osvDoc, sarifDoc, vexDoc } from './clearinghouse.fixtures.ts';

let t: TestInstance;
let token: string;
let dir: string;

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  const lab = await as(t.url, 'lab.engineer@meridian.demo');
  const tok = await lab.post('/api/v1/me/tokens', { name: 'scanner pipeline' });
  expect(tok.status).toBe(201);
  token = tok.body.token;
  dir = mkdtempSync(join(tmpdir(), 'forewarn-report-cli-'));
}, 180_000);
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await t?.close();
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
}

const reportCount = async () => Number((await t.rows<{ n: number }>('select count(*)::int as n from clearinghouse_reports'))[0].n);

describe('forewarn report submit', () => {
  it('submits a SARIF file, prints the report and its candidates; a retry with the same key creates nothing', async () => {
    const file = join(dir, 'scan.sarif');
    writeFileSync(file, JSON.stringify(sarifDoc('cli')));
    const args = ['submit', file, '--idempotency-key', 'pipeline-run-42', '--url', t.url, '--token', token];
    const first = capture();
    expect(await reportCommand(args, first.io)).toBe(0);
    const text = first.out.join('');
    const reportId = text.match(/Report ([0-9a-f-]{36}) \(sarif\): 1 candidate\(s\), 0 merged/)?.[1];
    expect(reportId, text).toBeDefined();
    const vulnId = text.match(/candidate 0: vulnerability ([0-9a-f-]{36}) new/)?.[1];
    expect(vulnId, text).toBeDefined();
    const rows = await t.rows<{ format: string; submitter: string }>('select r.format, u.email as submitter from clearinghouse_reports r join users u on u.id = r.submitter_user_id where r.id = $1', [reportId]);
    expect(rows).toEqual([{ format: 'sarif', submitter: 'lab.engineer@meridian.demo' }]);

    const before = await reportCount();
    const again = capture();
    expect(await reportCommand(args, again.io)).toBe(0);
    expect(again.out.join('')).toBe(text);
    expect(await reportCount()).toBe(before);

    // The same finding under a new key is a new report merged into the known vulnerability.
    const merged = capture();
    expect(await reportCommand(['submit', file, '--format', 'sarif', '--url', t.url, '--token', token], merged.io)).toBe(0);
    expect(merged.out.join('')).toContain(`candidate 0: vulnerability ${vulnId} merged`);
    expect(merged.err.join('')).toMatch(/Idempotency-Key: [0-9a-f-]{36}/);
    expect(await reportCount()).toBe(before + 1);
  });

  it('takes "vex" as the short name of CycloneDX VEX', async () => {
    const file = join(dir, 'vex.json');
    writeFileSync(file, JSON.stringify(vexDoc('cli')));
    const c = capture();
    expect(await reportCommand(['submit', file, '--format', 'vex', '--url', t.url, '--token', token], c.io), c.err.join('')).toBe(0);
    expect(c.out.join('')).toMatch(/\(cyclonedx-vex\): 1 candidate\(s\)/);
  });

  it('reads OSV JSON Lines as text', async () => {
    const file = join(dir, 'advisories.jsonl');
    writeFileSync(file, [osvDoc('cli-a'), osvDoc('cli-b')].map((d) => JSON.stringify(d)).join('\n') + '\n');
    const c = capture();
    expect(await reportCommand(['submit', file, '--format', 'osv', '--url', t.url, '--token', token], c.io), c.err.join('')).toBe(0);
    expect(c.out.join('')).toMatch(/\(osv\): 2 candidate\(s\)/);
  });

  it('exits 2 on a refused document, wrong usage or a bad token (nothing written), 1 when Forewarn is unreachable', async () => {
    const before = await reportCount();
    const bad = join(dir, 'bad.sarif');
    writeFileSync(bad, JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ ruleId: 'R', message: { text: 'm' }, level: 'catastrophic' }] }] }));
    const refused = capture();
    expect(await reportCommand(['submit', bad, '--format', 'sarif', '--url', t.url, '--token', token], refused.io)).toBe(2);
    expect(refused.err.join('')).toMatch(/→ 400[\s\S]*\/runs\/0\/results\/0/);

    const c = capture();
    expect(await reportCommand(['submit', bad, '--url', t.url], c.io)).toBe(2);
    expect(await reportCommand(['submit', bad, '--format', 'pdf', '--url', t.url, '--token', token], c.io)).toBe(2);
    expect(await reportCommand(['submit', join(dir, 'missing.json'), '--url', t.url, '--token', token], c.io)).toBe(2);
    expect(await reportCommand(['submit', bad, '--url', t.url, '--token', 'fwt_wrong'], c.io)).toBe(2);
    expect(await reportCommand(['frobnicate'], c.io)).toBe(2);
    expect(await reportCount()).toBe(before);

    const down = capture();
    expect(await reportCommand(['submit', bad, '--url', 'http://127.0.0.1:9', '--token', token], down.io)).toBe(1);
    expect(down.err.join('')).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:9/);
  }, 30_000);
});
