// Clearinghouse intake and advisory output.
//
// 1. SARIF results ingested per second on PostgreSQL, through the clearinghouse service as a report
//    arrives (parse, encrypt, deduplicate against the keys table, link, audit), with a share of
//    results repeating earlier fingerprints so that deduplication is exercised. Yardstick, same run,
//    same database: one plain INSERT per result in one transaction per document (the database's
//    row-by-row floor without any of the clearinghouse's work).
// 2. CSAF 2.0 documents written (model validation, writer, structure check, all mandatory tests)
//    and validated against the OASIS JSON schema per second. Yardstick, same run: a JSON
//    stringify/parse round trip of the same document.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/intake.ts
//   BENCH_DOCUMENTS=20 BENCH_RESULTS=500 BENCH_DUPLICATE_PERCENT=30 BENCH_CSAF=2000 npx tsx bench/intake.ts
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { sql } from 'drizzle-orm';
import addFormatsModule from 'ajv-formats';
import { openDatabase, migrate, type Database } from '../src/db/client.ts';
import { loadKeyring } from '../src/lib/crypto/keyring.ts';
import { createAuditService } from '../src/modules/audit/audit.service.ts';
import { createClearinghouseService } from '../src/modules/clearinghouse/clearinghouse.service.ts';
import { PROMPT_INJECTION, MULTI_VENDOR } from '../src/modules/clearinghouse/advisory/advisory.fixtures.ts';
import { writeCsafAdvisory } from '../src/modules/clearinghouse/advisory/csaf-writer.ts';
import { CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA } from '../src/modules/clearinghouse/advisory/cvss-json-schemas.ts';
import type { Subject } from '../src/modules/access/policy.ts';
import type { Actor } from '../src/modules/access/actor.ts';
import type { Queue } from '../src/modules/jobs/queue.ts';
import type { ModuleDeps } from '../src/server/module-deps.ts';
import { createDatabase, dropDatabase, positive } from './lib.ts';

const DOCUMENTS = positive('BENCH_DOCUMENTS', 20);
const RESULTS = positive('BENCH_RESULTS', 500);
const DUPLICATE_PERCENT = Math.min(50, positive('BENCH_DUPLICATE_PERCENT', 30));
const CSAF_DOCS = positive('BENCH_CSAF', 2000);
const INGEST_GOAL = 2000;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'conformance', 'csaf', 'csaf_2.0', 'json_schema', 'csaf_json_schema.json');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const ms = (t0: number) => performance.now() - t0;

/** A SARIF 2.1.0 log of `results` findings; the first `repeat` repeat fresh findings (the last ones) of document `d - 1`. */
function sarif(d: number, results: number, repeat: number) {
  return {
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Bench Vuln Finder', rules: [{ id: 'BVF-001', shortDescription: { text: 'SQL injection' } }] } },
        results: Array.from({ length: results }, (_, i) => {
          const again = i < repeat && d > 0;
          const from = again ? d - 1 : d;
          const n = again ? results - 1 - i : i;
          return {
            ruleId: 'BVF-001',
            level: 'error',
            message: { text: `SQL built from request parameter in handler ${from}-${n}.` },
            locations: [{ physicalLocation: { artifactLocation: { uri: `src/service-${from}/handler-${n}.py` }, region: { startLine: 10 + (n % 50) } } }],
            fingerprints: { 'bvf/v1': `fp-${from}-${n}` },
          };
        }),
      },
    ],
  };
}

async function ingest(database: Database) {
  const noQueue = { send: async () => {} } as unknown as Queue;
  const clock = () => new Date();
  const audit = createAuditService({ db: database.db, clock });
  const keyring = await loadKeyring(database.db, randomBytes(32));
  const deps = { db: database.db, audit, keyring, queue: noQueue, clock, notify: undefined as never } satisfies ModuleDeps;
  const clearinghouse = createClearinghouseService(deps);
  const subject: Subject = { userId: randomUUID(), orgId: randomUUID(), orgKind: 'agency', agencyCode: 'TREASURY', roles: ['clearinghouse_analyst'], clearance: 1, compartments: [] };
  const actor: Actor = { subject, email: 'bench@forewarn.invalid', orgName: 'Bench', ip: null, via: 'system' };
  const repeat = Math.floor((RESULTS * DUPLICATE_PERCENT) / 100);
  const docs = Array.from({ length: DOCUMENTS + 1 }, (_, d) => sarif(d, RESULTS, repeat));

  // Warm-up document (not counted): connections, prepared paths, the first fingerprints to repeat.
  await clearinghouse.submitReport(actor, subject, { document: docs[0] });
  let merged = 0;
  let t0 = performance.now();
  for (let d = 1; d <= DOCUMENTS; d++) {
    const r = await clearinghouse.submitReport(actor, subject, { document: docs[d] });
    merged += r.candidates.filter((c) => c.merged).length;
  }
  const ingestMs = ms(t0);
  const results = DOCUMENTS * RESULTS;

  // Yardstick: the same number of rows, one INSERT each, one transaction per document.
  await database.executeSql('create table bench_plain_results (id uuid primary key, body jsonb not null)');
  t0 = performance.now();
  for (let d = 1; d <= DOCUMENTS; d++) {
    await database.db.transaction(async (tx) => {
      for (const r of docs[d].runs[0].results) {
        await tx.execute(sql`insert into bench_plain_results (id, body) values (${randomUUID()}, ${JSON.stringify(r)}::jsonb)`);
      }
    });
  }
  const plainMs = ms(t0);
  const vulns = Number((await database.executeSql('select count(*)::int as n from clearinghouse_vulnerabilities')).rows[0]!.n);
  return { results, ingestPerSecond: (results / ingestMs) * 1000, plainPerSecond: (results / plainMs) * 1000, merged, expectedMerged: repeat * DOCUMENTS, vulns };
}

function csaf() {
  if (!existsSync(schemaFile)) throw new Error(`The CSAF schema is missing: ${schemaFile}`);
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  for (const s of [CVSS_V2_SCHEMA, CVSS_V30_SCHEMA, CVSS_V31_SCHEMA]) ajv.addSchema(s);
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')));
  const inputs = [PROMPT_INJECTION, MULTI_VENDOR];
  for (const a of inputs) if (!validate(writeCsafAdvisory(a))) throw new Error(`${a.id} does not validate: ${JSON.stringify(validate.errors)}`);

  const rate = (input: (typeof inputs)[number]) => {
    const t0 = performance.now();
    for (let i = 0; i < CSAF_DOCS; i++) {
      const doc = writeCsafAdvisory({ ...input, id: `FWN-2026-${String(1000 + (i % 9000)).padStart(4, '0')}` });
      if (!validate(doc)) throw new Error('a generated document does not validate');
    }
    return (CSAF_DOCS / ms(t0)) * 1000;
  };
  // PROMPT_INJECTION carries a CVSS 4.0 vector (scored several times per document); MULTI_VENDOR only 3.1.
  const withV4 = rate(PROMPT_INJECTION);
  const v31Only = rate(MULTI_VENDOR);
  const sample = writeCsafAdvisory(PROMPT_INJECTION);
  let t0 = performance.now();
  for (let i = 0; i < CSAF_DOCS; i++) JSON.parse(JSON.stringify(sample));
  const roundTripMs = ms(t0);
  t0 = performance.now();
  for (let i = 0; i < CSAF_DOCS; i++) validate(sample);
  const schemaMs = ms(t0);
  return { withV4PerSecond: withV4, v31OnlyPerSecond: v31Only, roundTripPerSecond: (CSAF_DOCS / roundTripMs) * 1000, schemaOnlyPerSecond: (CSAF_DOCS / schemaMs) * 1000, bytes: JSON.stringify(sample).length };
}

async function main() {
  const { name, url } = await createDatabase();
  log(`database ${name}; ${DOCUMENTS} SARIF documents × ${RESULTS} results (${DUPLICATE_PERCENT} % repeats), ${CSAF_DOCS} CSAF documents`);
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  try {
    await migrate(database);
    const i = await ingest(database);
    log(`ingested ${i.results} results: ${i.merged} merged into earlier vulnerabilities (expected ${i.expectedMerged}), ${i.vulns} vulnerabilities`);
    const c = csaf();
    const f = (x: number) => Math.round(x).toLocaleString('en-US');
    console.log('\n| measure | per second | ratio to yardstick | goal |');
    console.log('|---|---|---|---|');
    console.log(`| SARIF results ingested with deduplication (PostgreSQL) | ${f(i.ingestPerSecond)} | ${(i.ingestPerSecond / i.plainPerSecond).toFixed(2)} × plain INSERT | ≥ ${f(INGEST_GOAL)} ${i.ingestPerSecond >= INGEST_GOAL ? '(met)' : '(not met)'} |`);
    console.log(`| yardstick: plain INSERT per result | ${f(i.plainPerSecond)} | 1 | |`);
    console.log(`| CSAF written + mandatory tests + JSON schema (CVSS 3.1 + 4.0 vectors) | ${f(c.withV4PerSecond)} | ${(c.withV4PerSecond / c.roundTripPerSecond).toFixed(3)} × round trip | |`);
    console.log(`| CSAF written + mandatory tests + JSON schema (CVSS 3.1 only) | ${f(c.v31OnlyPerSecond)} | ${(c.v31OnlyPerSecond / c.roundTripPerSecond).toFixed(3)} × round trip | |`);
    console.log(`| CSAF JSON schema validation alone | ${f(c.schemaOnlyPerSecond)} | ${(c.schemaOnlyPerSecond / c.roundTripPerSecond).toFixed(3)} × round trip | |`);
    console.log(`| yardstick: JSON stringify + parse of the document (${f(c.bytes)} bytes) | ${f(c.roundTripPerSecond)} | 1 | |`);
    console.log(JSON.stringify({ bench: 'intake', documents: DOCUMENTS, resultsPerDocument: RESULTS, duplicatePercent: DUPLICATE_PERCENT, ...i, csaf: c }));
    if (i.merged !== i.expectedMerged) {
      console.error(`deduplication mismatch: ${i.merged} merged, ${i.expectedMerged} expected`);
      process.exitCode = 1;
    }
  } finally {
    await database.close();
    if (process.env.BENCH_KEEP !== '1') await dropDatabase(name);
    else log(`kept database ${name}`);
  }
}

await main();
