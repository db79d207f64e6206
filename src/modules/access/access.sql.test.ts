import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { pgTable, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { migrate, openDatabase, type Database } from '../../db/client.ts';
import { freshDatabaseUrl } from '../../../tests/support/database.ts';
import { accessGrants } from './access.schema.ts';
import { readableBy, type MarkedColumns } from './access.sql.ts';
import { canRead, type Grant, type ProtectedRecord, type ReadRule, type Subject } from './policy.ts';
import { ORG_KINDS, ROLE_NAMES } from './roles.ts';

// THE equivalence: the SQL read filter used for lists must select exactly the records that the
// in-memory policy (canRead) allows, for any subject, rule and time.

const markedRecords = pgTable('marked_records', {
  id: uuid('id').primaryKey(),
  ownerOrgId: uuid('owner_org_id'),
  classification: smallint('classification').notNull(),
  compartments: text('compartments').array().notNull(),
});

const COLS: MarkedColumns = {
  id: markedRecords.id,
  ownerOrgId: markedRecords.ownerOrgId,
  classification: markedRecords.classification,
  compartments: markedRecords.compartments,
};
// audit.dal passes the id as an SQL fragment rather than a column; both shapes must work.
const COLS_SQL_ID: MarkedColumns = { ...COLS, id: sql`${markedRecords.id}` };

const RECORD_TYPE = 'test_record';

const uuidN = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const ORGS = [1, 2, 3, 4].map((n) => uuidN('0000000a', n));
const USERS = [1, 2, 3, 4, 5, 6].map((n) => uuidN('0000000b', n));
const COMPARTMENTS = ['BENCH', 'HCS', 'SI', 'TK'];

const BASE = Date.parse('2026-07-01T12:00:00.000Z');
const hour = (k: number) => new Date(BASE + k * 3_600_000);

const RULES: ReadRule[] = [
  { ability: 'account:manage' }, // every subject holds it: the reach and marking logic decide alone
  { ability: 'account:manage', crossOrgAbility: 'audit:read_all' },
  { ability: 'audit:read' },
  { ability: 'audit:read', crossOrgAbility: 'audit:read_all' },
  { ability: 'users:manage', crossOrgAbility: 'users:manage_any' },
];

interface Row {
  id: string;
  ownerOrgId: string | null;
  classification: number;
  compartments: string[];
}
interface GrantRow extends Grant {
  recordType: string;
  recordId: string;
}

// --- generators ----------------------------------------------------------------------------------

const timeArb = fc.integer({ min: -3, max: 3 }).map(hour);
const grantArb = fc.record({
  granteeOrgId: fc.option(fc.constantFrom(...ORGS)),
  granteeUserId: fc.option(fc.constantFrom(...USERS)),
  startsAt: timeArb,
  expiresAt: fc.option(timeArb),
  revokedAt: fc.option(timeArb, { freq: 3 }),
});
const recordArb = fc.record({
  ownerOrgId: fc.option(fc.constantFrom(...ORGS), { freq: 4 }),
  classification: fc.integer({ min: 0, max: 4 }),
  compartments: fc.subarray(COMPARTMENTS),
  grants: fc.array(grantArb, { maxLength: 3 }),
  decoys: fc.array(grantArb, { maxLength: 1 }),
});
type RecordSpec = typeof recordArb extends fc.Arbitrary<infer T> ? T : never;
const subjectArb: fc.Arbitrary<Subject> = fc.record({
  userId: fc.constantFrom(...USERS),
  orgId: fc.constantFrom(...ORGS),
  orgKind: fc.constantFrom(...ORG_KINDS),
  roles: fc.oneof(fc.subarray([...ROLE_NAMES]), fc.constantFrom(['platform_auditor'], ['platform_admin'], ['auditor'], ['org_admin'])),
  clearance: fc.integer({ min: 0, max: 4 }),
  compartments: fc.subarray(COMPARTMENTS),
});
// Times on the grid hit grant boundaries exactly; ±1 ms probes both sides of them.
const nowArb = fc.tuple(fc.integer({ min: -4, max: 4 }), fc.constantFrom(-1, 0, 0, 0, 1)).map(([k, ms]) => new Date(hour(k).getTime() + ms));
const ruleArb = fc.constantFrom(...RULES);

// --- database ------------------------------------------------------------------------------------

let database: Database;
let dataDir: string;
let dropDb: () => Promise<void> = async () => {};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fw-access-sql-'));
  const fresh = await freshDatabaseUrl();
  dropDb = fresh.drop;
  database = await openDatabase({ dataDir, databaseUrl: fresh.url ?? undefined });
  await migrate(database);
  await database.executeSql(
    'create table marked_records (id uuid primary key, owner_org_id uuid, classification smallint not null, compartments text[] not null)',
  );
});

afterAll(async () => {
  await database?.close();
  await dropDb();
  rmSync(dataDir, { recursive: true, force: true });
});

let nextId = 1;
const newId = () => uuidN('0000000c', nextId++);

async function reset() {
  await database.executeSql('delete from marked_records');
  await database.executeSql('delete from access_grants');
}

/** Inserts records and their grants; returns the in-memory view with each record's grants. */
async function load(specs: RecordSpec[]): Promise<(Row & { grants: Grant[] })[]> {
  const rows: (Row & { grants: Grant[] })[] = [];
  const grantRows: GrantRow[] = [];
  for (const spec of specs) {
    const id = newId();
    rows.push({ id, ownerOrgId: spec.ownerOrgId, classification: spec.classification, compartments: [...spec.compartments], grants: spec.grants });
    for (const g of spec.grants) grantRows.push({ ...g, recordType: RECORD_TYPE, recordId: id });
    // Decoys: grants on the same id for another record type, which must not open this record.
    for (const g of spec.decoys) grantRows.push({ ...g, recordType: 'other_record', recordId: id });
  }
  // Grants for records that do not exist must not matter either.
  grantRows.push({ recordType: RECORD_TYPE, recordId: newId(), granteeOrgId: ORGS[0], granteeUserId: USERS[0], startsAt: hour(-10), expiresAt: null, revokedAt: null });
  if (rows.length) await database.db.insert(markedRecords).values(rows.map(({ grants: _g, ...r }) => r));
  if (grantRows.length) await database.db.insert(accessGrants).values(grantRows);
  return rows;
}

async function selectedIds(s: Subject, rule: ReadRule, now: Date, cols: MarkedColumns = COLS): Promise<string[]> {
  const out = await database.db.select({ id: markedRecords.id }).from(markedRecords).where(readableBy(s, cols, RECORD_TYPE, rule, now));
  return out.map((r) => r.id).sort();
}

function allowedIds(rows: (Row & { grants: Grant[] })[], s: Subject, rule: ReadRule, now: Date): string[] {
  return rows
    .filter((r) => canRead(s, r satisfies ProtectedRecord, rule, now).allow)
    .map((r) => r.id)
    .sort();
}

// --- tests ---------------------------------------------------------------------------------------

describe('readableBy ≡ canRead', () => {
  let rows: (Row & { grants: Grant[] })[] = [];
  const stats = { allowed: 0, crossOrgAllowed: 0, grantAllowed: 0, queries: 0 };

  beforeAll(async () => {
    await reset();
    // Every owner × level × compartment set once, plus random records with random grants.
    const systematic = [...ORGS.slice(0, 2), null].flatMap((ownerOrgId) =>
      [0, 1, 2, 3, 4].flatMap((classification) =>
        [[], ['BENCH'], ['HCS'], ['BENCH', 'HCS']].map((compartments) => ({ ownerOrgId, classification, compartments, grants: [], decoys: [] })),
      ),
    );
    const random = fc.sample(recordArb, { numRuns: 250, seed: 20260701 });
    rows = await load([...systematic, ...random]);
  });

  it('on a fixed data set, for random subjects, rules and times (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(subjectArb, ruleArb, nowArb, fc.boolean(), async (s, rule, now, sqlId) => {
        const got = await selectedIds(s, rule, now, sqlId ? COLS_SQL_ID : COLS);
        const want = allowedIds(rows, s, rule, now);
        stats.queries++;
        stats.allowed += want.length;
        for (const id of want) {
          const r = rows.find((x) => x.id === id)!;
          if (r.ownerOrgId !== s.orgId) {
            if (rule.crossOrgAbility && canRead(s, { ...r, grants: [] }, rule, now).allow) stats.crossOrgAllowed++;
            else stats.grantAllowed++;
          }
        }
        expect(got).toEqual(want);
      }),
      { numRuns: 250 },
    );
    // the property was not vacuous: records were selected, through oversight and through grants
    expect(stats.allowed).toBeGreaterThan(100);
    expect(stats.crossOrgAllowed).toBeGreaterThan(0);
    expect(stats.grantAllowed).toBeGreaterThan(0);
  });

  it('an oversight subject sees every record within its clearance, whoever owns it', async () => {
    const s: Subject = { userId: USERS[5], orgId: ORGS[3], orgKind: 'agency', roles: ['platform_auditor'], clearance: 4, compartments: COMPARTMENTS };
    const rule: ReadRule = { ability: 'audit:read', crossOrgAbility: 'audit:read_all' };
    const got = await selectedIds(s, rule, hour(0));
    expect(got).toEqual(rows.map((r) => r.id).sort());
    expect(got).toEqual(allowedIds(rows, s, rule, hour(0)));
    // the same subject under a rule without crossOrgAbility sees only what its org owns or is granted
    const narrow = await selectedIds(s, { ability: 'audit:read' }, hour(0));
    expect(narrow).toEqual(allowedIds(rows, s, { ability: 'audit:read' }, hour(0)));
    expect(narrow.length).toBeLessThan(got.length);
  });

  it('a subject with empty compartments sees only uncompartmented records', async () => {
    const s: Subject = { userId: USERS[0], orgId: ORGS[0], orgKind: 'platform', roles: ['platform_admin'], clearance: 4, compartments: [] };
    const rule: ReadRule = { ability: 'audit:read', crossOrgAbility: 'audit:read_all' };
    const got = await selectedIds(s, rule, hour(0));
    expect(got).toEqual(allowedIds(rows, s, rule, hour(0)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const id of got) expect(byId.get(id)!.compartments).toEqual([]);
    expect(got.length).toBe(rows.filter((r) => r.compartments.length === 0).length);
  });

  it('a subject with clearance 0 and no compartments sees only its unclassified, uncompartmented records', async () => {
    const s: Subject = { userId: USERS[1], orgId: ORGS[1], orgKind: 'public', roles: ['member'], clearance: 0, compartments: [] };
    const rule: ReadRule = { ability: 'account:manage' };
    const got = await selectedIds(s, rule, hour(0));
    expect(got).toEqual(allowedIds(rows, s, rule, hour(0)));
    expect(got.length).toBeGreaterThan(0);
  });

  it('a subject whose role lacks the read ability selects nothing', async () => {
    for (const s of [
      { userId: USERS[0], orgId: ORGS[0], orgKind: 'agency', roles: ['analyst'], clearance: 4, compartments: COMPARTMENTS },
      { userId: USERS[0], orgId: ORGS[0], orgKind: 'vendor', roles: ['platform_admin', 'platform_auditor'], clearance: 4, compartments: COMPARTMENTS }, // misfiled roles
      { userId: USERS[0], orgId: ORGS[0], orgKind: 'agency', roles: [], clearance: 4, compartments: COMPARTMENTS },
    ] satisfies Subject[]) {
      for (const rule of RULES.filter((r) => r.ability !== 'account:manage')) {
        expect(await selectedIds(s, rule, hour(0))).toEqual([]);
        expect(allowedIds(rows, s, rule, hour(0))).toEqual([]);
      }
    }
  });

  it('compartment names are bound as parameters, not spliced into the SQL', async () => {
    const s: Subject = { userId: USERS[0], orgId: ORGS[0], orgKind: 'agency', roles: ['auditor'], clearance: 4, compartments: ["BENCH'] or true --", 'HCS', '{SI}', 'a,b'] };
    const rule: ReadRule = { ability: 'audit:read' };
    expect(await selectedIds(s, rule, hour(0))).toEqual(allowedIds(rows, s, rule, hour(0)));
  });

  it('composes with other conditions (the filter is parenthesised)', async () => {
    const s: Subject = { userId: USERS[2], orgId: ORGS[2], orgKind: 'agency', roles: ['auditor'], clearance: 3, compartments: ['BENCH'] };
    const rule: ReadRule = { ability: 'audit:read' };
    const out = await database.db
      .select({ id: markedRecords.id })
      .from(markedRecords)
      .where(sql`false or ${readableBy(s, COLS, RECORD_TYPE, rule, hour(0))}`);
    expect(out.map((r) => r.id).sort()).toEqual(allowedIds(rows, s, rule, hour(0)));
    const none = await database.db
      .select({ id: markedRecords.id })
      .from(markedRecords)
      .where(sql`false and ${readableBy(s, COLS, RECORD_TYPE, rule, hour(0))}`);
    expect(none).toEqual([]);
  });
});

describe('readableBy ≡ canRead on freshly generated data sets', () => {
  it('random records, grants, subjects, rules and times (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordArb, { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(subjectArb, ruleArb, nowArb), { minLength: 1, maxLength: 4 }),
        async (specs, probes) => {
          await reset();
          const rows = await load(specs);
          for (const [s, rule, now] of probes) expect(await selectedIds(s, rule, now)).toEqual(allowedIds(rows, s, rule, now));
        },
      ),
      { numRuns: 80 },
    );
  });
});
