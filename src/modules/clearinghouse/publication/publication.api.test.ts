// Advisories end to end: drafting, publication (FWN ids, embargo, status), revisions, withdrawal,
// TLP reads, the CSAF trusted-provider directory (hashes, signatures, ranges) and the documents'
// validity against the CSAF 2.0 and OSV schemas.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, auditRows, client, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../../tests/support/harness.ts';
import { SESSION_COOKIE } from '../../../server/auth.ts';
import type { Subject } from '../../access/policy.ts';
import type { Actor } from '../../access/actor.ts';
import { runMandatoryTests } from '../advisory/csaf-mandatory.ts';
import { CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA } from '../advisory/cvss-json-schemas.ts';
import { nativeDoc } from '../clearinghouse.fixtures.ts';
import { createAdvisoriesService } from './advisories.service.ts';
import { verifyDetached } from './signing.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const conformance = resolve(repoRoot, '..', 'shared', 'conformance');
const csafSchemaFile = resolve(conformance, 'csaf', 'csaf_2.0', 'json_schema', 'csaf_json_schema.json');
const providerSchemaFile = resolve(conformance, 'csaf', 'csaf_2.0', 'json_schema', 'provider_json_schema.json');
const osvSchemaFile = resolve(conformance, 'osv-schema', 'validation', 'schema.json');
const schemasPresent = existsSync(csafSchemaFile) && existsSync(osvSchemaFile);
const readJson = (f: string) => JSON.parse(readFileSync(f, 'utf8'));

let t: TestInstance;
let lab: Client;
let treasury: Client;
let vendor: Client;
let hospital: Client;
let bank: Client;
let anon: Client;
let hospitalOrg: string;
let matchingBuilt: boolean;
let validateCsaf: ValidateFunction;
let validateOsv: ValidateFunction;
let validateProvider: ValidateFunction;

const API = '/api/v1/clearinghouse/advisories';
const VULNS = '/api/v1/clearinghouse/vulnerabilities';
const year = new Date().getUTCFullYear();
const count = async (table: string, where = 'true') => Number((await t.rows<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`))[0].n);
const counter = async () => Number((await t.rows<{ last: number }>('select last from advisory_counters where year = $1', [year]))[0]?.last ?? 0);
const statusOf = async (id: string) => (await t.rows<{ status: string }>('select status from clearinghouse_vulnerabilities where id = $1', [id]))[0].status;

/** A vulnerability reported by the lab and moved by Treasury up to `to`. */
async function vulnerability(tag: string, to: 'validated' | 'coordinating' = 'coordinating'): Promise<string> {
  const r = await lab.post('/api/v1/clearinghouse/reports', { document: nativeDoc(tag) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id = r.body.candidates[0].vulnerabilityId as string;
  const path = ['triage', 'validating', 'validated', ...(to === 'coordinating' ? ['coordinating'] : [])];
  for (const step of path) expect((await treasury.post(`${VULNS}/${id}/transition`, { to: step })).status).toBe(200);
  return id;
}

const draftBody = (vulnerabilityId: string, tag: string, extra: Record<string, unknown> = {}) => ({
  vulnerabilityId,
  tlp: 'CLEAR',
  title: `Heap overflow in libfoo-${tag} image decoder`,
  summary: `A crafted PNG overflows the row buffer of libfoo-${tag}. Update to 2.3.2.`,
  description: 'The decoder trusts the row length in the header and copies past the end of its buffer.',
  cwe: { id: 'CWE-122', name: 'Heap-based Buffer Overflow' },
  ...extra,
});

async function subjectOf(c: Client): Promise<{ subject: Subject; actor: Actor }> {
  const token = c.cookie!.split('; ').find((p) => p.startsWith(`${SESSION_COOKIE}=`))!.slice(SESSION_COOKIE.length + 1);
  const a = await t.fw.services.auth.authenticateSession(token, '127.0.0.1');
  return { subject: a!.subject, actor: a!.actor };
}

beforeAll(async () => {
  t = await startTestInstance({ demo: true });
  [lab, treasury, vendor, hospital, bank] = await Promise.all(
    ['lab.engineer@meridian.demo', 'treasury.analyst@treasury.demo', 'security@openhealth.demo', 'it@prairiehospital.demo', 'it@heartlandbank.demo'].map((e) => as(t.url, e)),
  );
  anon = client(t.url);
  hospitalOrg = await orgIdOf(t, 'Prairie County Hospital');
  // The matching index is built by another module; while it is a stub, publication skips it.
  matchingBuilt = !String(t.fw.services.matching.upsertAdvisory).includes('not built yet');
  if (!matchingBuilt) t.fw.services.advisories.setMatchingIndex(false);
  if (schemasPresent) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const s of [CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA]) ajv.addSchema(s);
    ajv.addSchema(readJson(csafSchemaFile));
    validateCsaf = ajv.getSchema('https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json')!;
    validateProvider = ajv.compile(readJson(providerSchemaFile));
    const osvAjv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(osvAjv);
    validateOsv = osvAjv.compile(readJson(osvSchemaFile));
  }
}, 180_000);
afterAll(async () => {
  await t?.close();
});

function expectValidCsaf(doc: unknown) {
  if (schemasPresent) expect(validateCsaf(doc), JSON.stringify(validateCsaf.errors)).toBe(true);
  expect(runMandatoryTests(doc as never)).toEqual([]);
}

describe('advisories', () => {
  let clearVuln: string;
  let clearRef: string;
  let clearPath: string;
  let amberRef: string;

  it('refuses drafting to non-publishers and bad input, writing nothing', async () => {
    clearVuln = await vulnerability('clear');
    const before = await count('advisories');
    expect((await hospital.post(API, draftBody(clearVuln, 'clear'))).status).toBe(403);
    expect((await vendor.post(API, draftBody(clearVuln, 'clear'))).status).toBe(403);
    const badTlp = await treasury.post(API, draftBody(clearVuln, 'clear', { tlp: 'PURPLE' }));
    expect(badTlp.status).toBe(400);
    const badCve = await treasury.post(API, draftBody(clearVuln, 'clear', { cve: 'CVE-26-1' }));
    expect(badCve.status).toBe(400);
    const unknownProduct = await treasury.post(API, draftBody(clearVuln, 'clear', { statuses: [{ productId: 'nope', status: 'known_affected' }] }));
    expect(unknownProduct.status).toBe(400);
    expect(JSON.stringify(unknownProduct.body.errors)).toContain('unknown product nope');
    const unknownOrg = await treasury.post(API, draftBody(clearVuln, 'clear', { audience: { affectedOrgIds: ['00000000-0000-4000-8000-000000000000'] } }));
    expect(unknownOrg.status).toBe(400);
    expect(await count('advisories')).toBe(before);
  });

  it('drafts with products from the vulnerability and publishes a TLP:CLEAR advisory with the next FWN id', async () => {
    const d = await treasury.post(API, draftBody(clearVuln, 'clear'));
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    expect(d.body.status).toBe('draft');
    expect(d.body.trackingId).toBeNull();
    expect(d.body.fields.products[0]).toMatchObject({ purl: 'pkg:npm/libfoo-clear', range: { introduced: '0', fixed: '2.3.2' } });
    // One advisory per vulnerability.
    expect((await treasury.post(API, draftBody(clearVuln, 'clear'))).status).toBe(409);
    // A draft exists for publishers only.
    expect((await hospital.get(`${API}/${d.body.id}`)).status).toBe(404);
    expect((await anon.get(`${API}/${d.body.id}`)).status).toBe(404);
    // Not a publisher: refused, nothing moves.
    const counterBefore = await counter();
    expect((await vendor.post(`${API}/${d.body.id}/publish`, {})).status).toBe(403);
    expect((await treasury.post(`${API}/${d.body.id}/publish`, { csafStatus: 'bogus' })).status).toBe(400);
    expect(await counter()).toBe(counterBefore);

    const p = await treasury.post(`${API}/${d.body.id}/publish`, {});
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    expect(p.body.trackingId).toBe(`FWN-${year}-${String(counterBefore + 1).padStart(4, '0')}`);
    expect(p.body.status).toBe('published');
    expect(p.body.currentRevision).toBe(1);
    clearRef = p.body.trackingId;
    clearPath = `${year}/${clearRef.toLowerCase()}.json`;
    expect(p.body.distributionUrl).toBe(`/.well-known/csaf/clear/${clearPath}`);
    expect(await statusOf(clearVuln)).toBe('published');
    expect(await count('advisory_revisions', `advisory_id = '${d.body.id}'`)).toBe(1);
    expect((await auditRows(t, 'advisory.publish')).at(-1)?.record_id).toBe(d.body.id);
    if (matchingBuilt) {
      const indexed = await t.rows<{ clearinghouse_advisory_id: string; withdrawn: boolean; affected: { package: string }[] }>('select * from matching_advisories where external_id = $1', [clearRef]);
      expect(indexed).toHaveLength(1);
      expect(indexed[0]).toMatchObject({ clearinghouse_advisory_id: d.body.id, withdrawn: false });
      expect(indexed[0].affected[0].package).toBe('pkg:npm/libfoo-clear');
    }
    // Published again: not from published.
    expect((await treasury.post(`${API}/${d.body.id}/publish`, {})).status).toBe(409);
  });

  it('writes a CSAF 2.0 advisory that validates and passes the mandatory tests, and OSV that validates', async () => {
    const csaf = await anon.get(`${API}/${clearRef}/documents/csaf.json`);
    expect(csaf.status).toBe(200);
    expect(csaf.body.document.tracking).toMatchObject({ id: clearRef, version: '1', status: 'final' });
    expect(csaf.body.document.distribution.tlp.label).toBe('WHITE');
    expectValidCsaf(csaf.body);
    const osv = await anon.get(`${API}/${clearRef}/documents/osv.json`);
    expect(osv.status).toBe(200);
    expect(osv.body[0].id).toBe(`x_${clearRef}`);
    expect(osv.body[0].affected[0].package).toMatchObject({ ecosystem: 'npm', name: 'libfoo-clear' });
    if (schemasPresent) for (const r of osv.body) expect(validateOsv(r), JSON.stringify(validateOsv.errors)).toBe(true);
    const page = await anon.get(`${API}/${clearRef}/documents/page.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain(clearRef);
    // No vendor statement yet: no VEX.
    expect((await anon.get(`${API}/${clearRef}/documents/vex.json`)).status).toBe(404);
  });

  it('distributes TLP:CLEAR in the trusted-provider layout with hashes and signatures that verify', async () => {
    const meta = await anon.get('/.well-known/csaf/provider-metadata.json');
    expect(meta.status).toBe(200);
    if (schemasPresent) expect(validateProvider(meta.body), JSON.stringify(validateProvider.errors)).toBe(true);
    expect(meta.body.role).toBe('csaf_trusted_provider');
    const [key] = meta.body.public_openpgp_keys;
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    const keyPath = new URL(key.url).pathname;
    const pub = await anon.get(keyPath);
    expect(pub.status).toBe(200);
    expect(pub.body).toContain('BEGIN PGP PUBLIC KEY BLOCK');
    const stored = await t.rows<{ private_key_enc: string }>('select private_key_enc from advisory_signing_keys');
    expect(stored).toHaveLength(1);
    expect(stored[0].private_key_enc).not.toContain('PGP');

    const file = await fetch(`${t.url}/.well-known/csaf/clear/${clearPath}`);
    expect(file.status).toBe(200);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const name = clearPath.split('/')[1];
    const sha256 = await anon.get(`/.well-known/csaf/clear/${clearPath}.sha256`);
    const sha512 = await anon.get(`/.well-known/csaf/clear/${clearPath}.sha512`);
    expect(sha256.body).toBe(`${createHash('sha256').update(bytes).digest('hex')}  ${name}\n`);
    expect(sha512.body).toBe(`${createHash('sha512').update(bytes).digest('hex')}  ${name}\n`);
    const asc = await anon.get(`/.well-known/csaf/clear/${clearPath}.asc`);
    expect(await verifyDetached(bytes, asc.body, pub.body)).toBe(true);
    expect(await verifyDetached(new TextEncoder().encode('tampered'), asc.body, pub.body)).toBe(false);

    const index = await anon.get('/.well-known/csaf/clear/index.txt');
    expect(index.body.split('\n')).toContain(clearPath);
    const changes = await anon.get('/.well-known/csaf/clear/changes.csv');
    expect(changes.body).toContain(`"${clearPath}","`);
    // Unknown, wrong-year and malformed names are simply absent.
    expect((await anon.get(`/.well-known/csaf/clear/${year - 1}/${name}`)).status).toBe(404);
    expect((await anon.get(`/.well-known/csaf/clear/${year}/fwn-${year}-9999.json`)).status).toBe(404);
    expect((await anon.get(`/.well-known/csaf/clear/${year}/..%2Fprovider-metadata.json`)).status).toBe(404);
  });

  it('documents every route in the OpenAPI description', async () => {
    const spec = await anon.get('/openapi.json');
    expect(spec.status).toBe(200);
    for (const path of ['/api/v1/clearinghouse/advisories', '/api/v1/clearinghouse/advisories/feed', '/api/v1/clearinghouse/advisories/{ref}/publish', '/api/v1/clearinghouse/advisories/{ref}/documents/{name}', '/.well-known/csaf/provider-metadata.json', '/.well-known/csaf/clear/{year}/{file}']) {
      expect(Object.keys(spec.body.paths)).toContain(path);
    }
  });

  it('supports Range, ETag and Last-Modified so that mirrors resume and skip unchanged files', async () => {
    const url = `${t.url}/.well-known/csaf/clear/${clearPath}`;
    const full = await fetch(url);
    const whole = Buffer.from(await full.arrayBuffer());
    const etag = full.headers.get('etag')!;
    const lastModified = full.headers.get('last-modified')!;
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(etag).toMatch(/^"/);
    const part = await fetch(url, { headers: { range: 'bytes=10-' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 10-${whole.length - 1}/${whole.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(10))).toBe(true);
    const tail = await fetch(url, { headers: { range: 'bytes=-5' } });
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 5))).toBe(true);
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    expect((await fetch(url, { headers: { range: `bytes=${whole.length + 10}-` } })).status).toBe(416);
    // A stale If-Range gets the whole (new) file rather than a splice of two versions.
    expect((await fetch(url, { headers: { range: 'bytes=10-', 'if-range': '"stale"' } })).status).toBe(200);
    expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
  });

  it('keeps TLP:AMBER to its audience: nothing under /.well-known, 404 to other organisations', async () => {
    const v = await vulnerability('amber');
    const d = await treasury.post(API, draftBody(v, 'amber', { tlp: 'AMBER', audience: { affectedOrgIds: [hospitalOrg] } }));
    expect(d.status, JSON.stringify(d.body)).toBe(201);
    const p = await treasury.post(`${API}/${d.body.id}/publish`, {});
    expect(p.status, JSON.stringify(p.body)).toBe(200);
    amberRef = p.body.trackingId;
    const amberPath = `${year}/${amberRef.toLowerCase()}.json`;
    const title = 'Heap overflow in libfoo-amber';

    const mine = await hospital.get(`${API}/${amberRef}`);
    expect(mine.status).toBe(200);
    expect(mine.body.tlp).toBe('AMBER');
    expect(mine.body.fields).toBeUndefined();
    const csaf = await hospital.get(`${API}/${amberRef}/documents/csaf.json`);
    expect(csaf.status).toBe(200);
    expect(csaf.body.document.distribution.tlp.label).toBe('AMBER');
    expectValidCsaf(csaf.body);
    const feed = await hospital.get(`${API}/feed`);
    expect(feed.status).toBe(200);
    expect(feed.body.feed.entry.map((e: { id: string }) => e.id)).toContain(amberRef);
    expect(feed.body.feed.entry.map((e: { id: string }) => e.id)).not.toContain(clearRef);

    for (const outsider of [bank, vendor, anon]) {
      for (const path of [`${API}/${amberRef}`, `${API}/${d.body.id}`, `${API}/${amberRef}/documents/csaf.json`, `${API}/${amberRef}/documents/osv.json`, `${API}/${amberRef}/documents/page.txt`]) {
        const r = await outsider.get(path);
        expect(r.status, `${outsider.email} ${path}`).toBe(404);
        expect(JSON.stringify(r.body)).not.toContain(title);
      }
    }
    const bankFeed = await bank.get(`${API}/feed`);
    expect(bankFeed.body.feed.entry.map((e: { id: string }) => e.id)).not.toContain(amberRef);
    expect(JSON.stringify(bankFeed.body)).not.toContain(title);
    expect((await bank.get(`${API}?limit=500`)).body.items.map((i: { trackingId: string }) => i.trackingId)).not.toContain(amberRef);
    expect((await anon.get(`${API}/feed`)).status).toBe(401);
    // Never in the public directory.
    for (const suffix of ['', '.sha256', '.sha512', '.asc']) expect((await anon.get(`/.well-known/csaf/clear/${amberPath}${suffix}`)).status).toBe(404);
    expect((await anon.get('/.well-known/csaf/clear/index.txt')).body).not.toContain(amberRef.toLowerCase());
    expect((await anon.get('/.well-known/csaf/clear/changes.csv')).body).not.toContain(amberRef.toLowerCase());
    // The refusal to another organisation is on the audit trail.
    expect((await t.rows('select 1 from audit_events where action = $1 and actor_email = $2', ['access.denied', 'it@heartlandbank.demo'])).length).toBeGreaterThan(0);
    if (matchingBuilt) {
      // An operator that the matching index finds affected is in the AMBER audience.
      const bankOrg = await orgIdOf(t, 'Heartland Community Bank');
      await t.rows(
        `insert into matching_matches (advisory_id, org_id, asset_id, component_id, package, version, verdict)
         select id, $1, gen_random_uuid(), gen_random_uuid(), 'pkg:npm/libfoo-amber', '1.0.0', 'affected' from matching_advisories where external_id = $2`,
        [bankOrg, amberRef],
      );
      expect((await bank.get(`${API}/${amberRef}`)).status).toBe(200);
      expect((await bank.get(`${API}/feed`)).body.feed.entry.map((e: { id: string }) => e.id)).toContain(amberRef);
      expect((await vendor.get(`${API}/${amberRef}`)).status).toBe(404);
    }
  });

  it('publishes revisions with a history and withdraws as the final revision', async () => {
    const before = await anon.get('/.well-known/csaf/clear/changes.csv');
    const narrowing = await treasury.post(`${API}/${clearRef}/revisions`, { summary: 'Narrow it', changes: { tlp: 'AMBER' } });
    expect(narrowing.status).toBe(400);
    expect((await vendor.post(`${API}/${clearRef}/revisions`, { summary: 'Sneaky' })).status).toBe(403);
    expect((await treasury.post(`${API}/${clearRef}/revisions`, { changes: {} })).status).toBe(400);
    await new Promise((r) => setTimeout(r, 1100));
    const r2 = await treasury.post(`${API}/${clearRef}/revisions`, { summary: 'Added the CVE identifier.', changes: { cve: 'CVE-2026-20001' } });
    expect(r2.status, JSON.stringify(r2.body)).toBe(200);
    expect(r2.body.currentRevision).toBe(2);
    expect(r2.body.revisions.map((r: { summary: string }) => r.summary)).toEqual(['Initial release.', 'Added the CVE identifier.']);
    const csaf = await anon.get(`/.well-known/csaf/clear/${clearPath}`);
    expect(csaf.body.document.tracking.version).toBe('2');
    expect(csaf.body.document.tracking.revision_history).toHaveLength(2);
    expect(csaf.body.vulnerabilities[0].cve).toBe('CVE-2026-20001');
    expectValidCsaf(csaf.body);
    const osv = await anon.get(`${API}/${clearRef}/documents/osv.json`);
    expect(osv.body[0].aliases).toEqual(['CVE-2026-20001']);
    const after = await anon.get('/.well-known/csaf/clear/changes.csv');
    expect(after.body).not.toEqual(before.body);
    expect(after.body.split('\n')[0]).toBe(`"${clearPath}","${csaf.body.document.tracking.current_release_date}"`);
    const pub = await anon.get(new URL((await anon.get('/.well-known/csaf/provider-metadata.json')).body.public_openpgp_keys[0].url).pathname);
    const bytes = new Uint8Array(await (await fetch(`${t.url}/.well-known/csaf/clear/${clearPath}`)).arrayBuffer());
    expect(await verifyDetached(bytes, (await anon.get(`/.well-known/csaf/clear/${clearPath}.asc`)).body, pub.body)).toBe(true);

    expect((await treasury.post(`${API}/${clearRef}/withdraw`, {})).status).toBe(400);
    const w = await treasury.post(`${API}/${clearRef}/withdraw`, { reason: 'Duplicate of a vendor advisory.' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    expect(w.body.currentRevision).toBe(3);
    expect(await statusOf(clearVuln)).toBe('withdrawn');
    if (matchingBuilt) expect((await t.rows<{ withdrawn: boolean }>('select withdrawn from matching_advisories where external_id = $1', [clearRef]))[0].withdrawn).toBe(true);
    const final = await anon.get(`/.well-known/csaf/clear/${clearPath}`);
    expect(final.body.document.title).toMatch(/^WITHDRAWN: /);
    expect(final.body.document.tracking.version).toBe('3');
    expectValidCsaf(final.body);
    // Withdrawn is final.
    expect((await treasury.post(`${API}/${clearRef}/revisions`, { summary: 'Again' })).status).toBe(409);
    expect((await treasury.post(`${API}/${clearRef}/withdraw`, { reason: 'Again' })).status).toBe(409);
  });

  it('refuses publication from a wrong status without using a number', async () => {
    const v = await vulnerability('early', 'validated');
    const d = await treasury.post(API, draftBody(v, 'early'));
    expect(d.status).toBe(201);
    const before = await counter();
    const p = await treasury.post(`${API}/${d.body.id}/publish`, {});
    expect(p.status).toBe(409);
    expect(p.body.type).toBe('/problems/invalid-transition');
    expect(await counter()).toBe(before);
    expect((await t.rows<{ status: string }>('select status from advisories where id = $1', [d.body.id]))[0].status).toBe('draft');
    expect(await count('advisory_revisions', `advisory_id = '${d.body.id}'`)).toBe(0);
    expect(await statusOf(v)).toBe('validated');
  });

  it('refuses publication before the embargo, then publishes with the vendors’ statements as CSAF VEX', async () => {
    const v = await vulnerability('embargo');
    const d = await treasury.post(API, draftBody(v, 'embargo', { tlp: 'AMBER+STRICT' }));
    expect(d.status).toBe(201);
    const { subject, actor } = await subjectOf(treasury);
    const vendorOrg = await orgIdOf(t, 'OpenHealth Software');
    const labOrg = await orgIdOf(t, 'Meridian AI');
    let releaseAt = new Date(Date.now() + 86_400_000);
    const s = t.fw.services;
    const service = createAdvisoriesService(
      { db: t.fw.database.db, audit: s.audit, keyring: s.keyring, notify: s.notify, queue: s.queue, clock: () => new Date() },
      {
        clearinghouse: s.clearinghouse,
        coordination: {
          embargoOf: async () => ({ releaseAt, timeZone: 'America/Chicago' }),
          participantsOf: async () => [labOrg],
          statementsOf: async () => [{ vendorOrgId: vendorOrg, vendorName: 'OpenHealth Software', product: 'pkg:npm/libfoo-embargo', status: 'fixed', justification: null, fixedVersion: '2.3.2', remediation: 'Update to 2.3.2.' }],
        },
        matching: { upsertAdvisory: async () => 'x' },
      },
    );
    const before = await counter();
    await expect(service.publish(actor, subject, d.body.id, { csafStatus: 'final' })).rejects.toMatchObject({ status: 409, slug: 'embargo-in-force' });
    expect(await counter()).toBe(before);
    expect(await statusOf(v)).toBe('coordinating');
    expect((await t.rows<{ status: string }>('select status from advisories where id = $1', [d.body.id]))[0].status).toBe('draft');

    releaseAt = new Date(Date.now() - 1000);
    const published = await service.publish(actor, subject, d.body.id, { csafStatus: 'interim' });
    expect(published.trackingId).toBe(`FWN-${year}-${String(before + 1).padStart(4, '0')}`);
    // The vendor that made a statement and the case's participants receive it; its VEX states the fix.
    const vex = await vendor.get(`${API}/${published.trackingId}/documents/vex.json`);
    expect(vex.status).toBe(200);
    expect(vex.body.document.category).toBe('csaf_vex');
    expectValidCsaf(vex.body);
    const csaf = await vendor.get(`${API}/${published.trackingId}/documents/csaf.json`);
    expect(csaf.body.document.tracking.status).toBe('interim');
    expect(csaf.body.document.distribution.tlp.label).toBe('AMBER');
    expect(csaf.body.document.distribution.text).toContain('TLP:AMBER+STRICT');
    expect((await lab.get(`${API}/${published.trackingId}`)).status).toBe(200);
    for (const outsider of [anon, bank, hospital]) expect((await outsider.get(`${API}/${published.trackingId}/documents/vex.json`)).status).toBe(404);
    expect((await anon.get(`/.well-known/csaf/clear/${year}/${published.trackingId!.toLowerCase()}.json`)).status).toBe(404);
  });

  it('gives consecutive numbers to concurrent publications', async () => {
    const ids: string[] = [];
    for (const tag of ['race1', 'race2']) {
      const v = await vulnerability(tag);
      ids.push((await treasury.post(API, draftBody(v, tag, tag === 'race2' ? { tlp: 'GREEN' } : {}))).body.id);
    }
    const before = await counter();
    const results = await Promise.all(ids.map((id) => treasury.post(`${API}/${id}/publish`, {})));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const numbers = results.map((r) => Number(r.body.trackingId.split('-')[2])).sort();
    expect(numbers).toEqual([before + 1, before + 2]);
    expect(await counter()).toBe(before + 2);
    // TLP:GREEN reaches the community (an operator of another sector), never the public.
    const green = results[1].body.trackingId;
    expect((await bank.get(`${API}/${green}`)).status).toBe(200);
    expect((await anon.get(`${API}/${green}`)).status).toBe(404);
    expect((await anon.get('/.well-known/csaf/clear/index.txt')).body).not.toContain(green.toLowerCase());
  });
});
