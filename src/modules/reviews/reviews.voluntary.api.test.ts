// THE VOLUNTARY INVARIANT. Nothing in Forewarn lets anyone but the developer change, block, delay or
// condition a model's release. Proof by sweep: every route in the OpenAPI document is called by agency
// users, an administrator and a trusted partner, with plausible bodies and with the developer's
// model, window, grant, consultation and document ids in every path parameter; afterwards the
// model's release date, status and release history are unchanged, the developer's window is as the
// developer left it, and the developer can still move the release both ways with no one's approval.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, orgIdOf, startTestInstance, type Client, type TestInstance } from '../../../tests/support/harness.ts';
import { inDays, insertDocument, insertModel } from './reviews.fixtures.ts';

let t: TestInstance;
let dev: Client;
let model: { id: string; lab: string; dev: string; release: Date };
const ids: Record<string, string> = {};

type JsonSchema = Record<string, any>;
let openapi: { paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>; components?: { schemas?: Record<string, JsonSchema> } };

beforeAll(async () => {
  t = await startTestInstance();
  dev = await as(t.url, 'lab.engineer@meridian.demo');
  model = await insertModel(t, { releaseInDays: 40, eligibility: 'covered' });
  const agencies = await Promise.all(['National Security Agency', 'Cybersecurity and Infrastructure Security Agency', 'Department of the Treasury'].map((n) => orgIdOf(t, n)));
  const w = await dev.post(`/api/v1/models/${model.id}/windows`, { agencyOrgIds: agencies, closesAt: inDays(25).toISOString() });
  expect(w.status).toBe(201);
  ids.model = model.id;
  ids.window = w.body.id;
  ids.grant = w.body.grants[0].id;
  const [c] = await t.rows<{ id: string }>(
    "insert into consultations (owner_org_id, classification, model_id, question_enc, status, created_by) values ($1, 1, $2, 'fixture', 'open', $3) returning id",
    [model.lab, model.id, model.dev],
  );
  ids.consultation = c.id;
  ids.document = await insertDocument(t, model);
  openapi = (await dev.get('/openapi.json')).body;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** What no one but the developer may change. */
async function releaseState() {
  const [m] = await t.rows<{ planned_release_at: Date; status: string }>('select planned_release_at, status from models where id = $1', [model.id]);
  const changes = await t.rows('select id, from_at, to_at, changed_by from model_release_changes where model_id = $1 order by created_at', [model.id]);
  const windows = await t.rows('select id, status, opens_at, closes_at, closed_at from review_windows where model_id = $1 order by created_at', [model.id]);
  const grants = await t.rows("select id, grantee_org_id, starts_at, expires_at, revoked_at from access_grants where source_type = 'review_window' and record_id = $1 order by id", [model.id]);
  return JSON.parse(JSON.stringify({ releaseAt: new Date(m.planned_release_at).toISOString(), status: m.status, changes, windows, grants }));
}

function resolve(s: JsonSchema | undefined): JsonSchema | undefined {
  if (s?.$ref) return openapi.components?.schemas?.[String(s.$ref).split('/').pop()!];
  return s;
}

/** A plausible value for a JSON schema; `variant` picks dates (soon, far, past) and enum members. */
function sample(schema: JsonSchema | undefined, variant: number, depth = 0): unknown {
  const s = resolve(schema);
  if (!s || depth > 6) return undefined;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[variant % s.enum.length];
  for (const k of ['anyOf', 'oneOf']) {
    if (Array.isArray(s[k])) {
      const opts = s[k].filter((o: JsonSchema) => resolve(o)?.type !== 'null');
      return sample(opts[variant % Math.max(1, opts.length)], variant, depth + 1);
    }
  }
  if (Array.isArray(s.allOf)) return Object.assign({}, ...s.allOf.map((x: JsonSchema) => sample(x, variant, depth + 1)));
  const type = Array.isArray(s.type) ? s.type.find((x: string) => x !== 'null') : s.type;
  if (type === 'object' || s.properties) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((s.properties ?? {}) as Record<string, JsonSchema>)) {
      const value = sample(v, variant, depth + 1);
      if (value !== undefined) out[k] = value;
    }
    return out;
  }
  if (type === 'array') {
    const n = Math.max(1, s.minItems ?? 1);
    return Array.from({ length: n }, () => sample(s.items, variant, depth + 1));
  }
  if (type === 'integer' || type === 'number') return s.minimum ?? (s.exclusiveMinimum !== undefined ? Number(s.exclusiveMinimum) + 1 : 1);
  if (type === 'boolean') return variant % 2 === 0;
  if (type === 'string') {
    if (s.format === 'date-time') return [inDays(1), inDays(400), inDays(-1)][variant % 3].toISOString();
    if (s.format === 'date') return [inDays(1), inDays(400), inDays(-1)][variant % 3].toISOString().slice(0, 10);
    if (s.format === 'uuid') return [ids.model, ids.window, ids.grant][variant % 3];
    if (s.format === 'email') return 'lab.engineer@meridian.demo';
    if (s.pattern === '^\\d{6}$') return '123456';
    let text = 'Voluntary sweep: hold the release until we approve';
    if (s.minLength && text.length < s.minLength) text = text.padEnd(s.minLength, 'x');
    if (s.maxLength && text.length > s.maxLength) text = text.slice(0, s.maxLength);
    return text;
  }
  return undefined;
}

const CANDIDATES = () => [ids.model, ids.window, ids.grant, ids.consultation, ids.document];

/**
 * Concrete paths for a templated one: each of the developer's ids in every parameter at once. Every
 * parameter of a route meets every id; the full cross product (5^n paths for n parameters) would
 * add minutes and reach nothing new, since a route resolves its first parameter before the rest.
 */
function concretePaths(template: string): string[] {
  const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (params.length === 0) return [template];
  return CANDIDATES().map((id) => params.reduce((path, p) => path.replace(`{${p}}`, id), template));
}

// Routes about the caller's own session and account: they cannot reach anyone else's model, and
// calling them would sign the sweeping user out or change its password.
const OWN_ACCOUNT = [/^\/api\/v1\/auth\//, /^\/api\/v1\/me(\/|$)/];

describe('the voluntary invariant', () => {
  it('the OpenAPI document lists the release controls, and only the developer can use them', async () => {
    expect(openapi.paths['/api/v1/models/{id}/release-date']?.post).toBeDefined();
    expect(openapi.paths['/api/v1/models/{id}/withdraw']?.post).toBeDefined();
    expect(Object.keys(openapi.paths).length).toBeGreaterThan(20);
  });

  // One user per distinct set of powers: the deciding agency (NSA), the agency analyst with the most
  // roles (CISA: programs and hiring too), the clearinghouse (Treasury), the platform administrator
  // and a trusted partner. ONCD's analyst holds a subset of these; NIST's adds only grant reviewing.
  for (const email of ['nsa.analyst@nsa.demo', 'cisa.analyst@cisa.demo', 'treasury.analyst@treasury.demo', 'admin@forewarn.demo', 'partner@sentinel.demo']) {
    it(`${email} calls every route on the developer's model and changes nothing about its release`, async () => {
      const before = await releaseState();
      const c = await as(t.url, email);
      let calls = 0;
      const serverErrors: string[] = [];
      for (const [template, ops] of Object.entries(openapi.paths)) {
        if (!template.startsWith('/api/') || OWN_ACCOUNT.some((re) => re.test(template))) continue;
        for (const [method, op] of Object.entries(ops)) {
          const verb = method.toUpperCase();
          if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(verb)) continue;
          const schema = op.requestBody?.content?.['application/json']?.schema;
          const bodies = verb === 'GET' || verb === 'DELETE' ? [undefined] : [sample(schema, 0), sample(schema, 1), sample(schema, 2), {}];
          for (const path of concretePaths(template)) {
            for (const body of bodies) {
              const r = await c.request(verb, path, body);
              calls++;
              if (r.status >= 500) serverErrors.push(`${verb} ${template} → ${r.status}`);
            }
          }
        }
      }
      expect(calls).toBeGreaterThan(50);
      if (serverErrors.length) console.warn(`[voluntary sweep as ${email}] server errors (not release changes):`, [...new Set(serverErrors)]);
      expect(await releaseState()).toEqual(before);
      // and the sweep did not sign anybody out of the developer's controls
      expect((await dev.get(`/api/v1/models/${model.id}/window-eligibility`)).status).toBe(200);
    }, 300_000);
  }

  it('after all of that, the developer alone still moves its release — earlier (the window shrinks) and later — with no approval', async () => {
    const earlier = inDays(10);
    const r = await dev.post(`/api/v1/models/${model.id}/release-date`, { plannedReleaseAt: earlier.toISOString() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ plannedReleaseAt: earlier.toISOString(), status: 'registered', window: { id: ids.window, status: 'open', closesAt: earlier.toISOString() } });
    const later = inDays(120);
    const r2 = await dev.post(`/api/v1/models/${model.id}/release-date`, { plannedReleaseAt: later.toISOString(), reason: 'our own schedule' });
    expect(r2.status).toBe(200);
    expect(r2.body.plannedReleaseAt).toBe(later.toISOString());
    const changes = await t.rows<{ changed_by: string }>('select changed_by from model_release_changes where model_id = $1', [model.id]);
    expect(changes.map((x) => x.changed_by)).toEqual([model.dev, model.dev]);
  });

  it('the window state machine and the schema have no state that approves, blocks or holds a release', async () => {
    const cols = await t.rows<{ table_name: string; column_name: string }>(
      "select table_name, column_name from information_schema.columns where table_schema = 'public' and table_name in ('models', 'review_windows', 'model_release_changes')",
    );
    for (const c of cols) expect(c.column_name, `${c.table_name}.${c.column_name}`).not.toMatch(/approv|block|hold|licen|permit|preclear|embargo/);
  });
});
