// Clearinghouse intake and advisory output.
//
// 1. SARIF results ingested per second on PostgreSQL, through the clearinghouse service as a report
//    arrives (parse, encrypt, deduplicate against the keys table, link, audit), with a share of
//    results repeating earlier fingerprints so that deduplication is exercised. Two report sizes:
//    realistic scanner logs (BENCH_DOCUMENTS × BENCH_RESULTS, default 10 × 1,000) and small reports
//    (BENCH_SMALL_DOCUMENTS × BENCH_SMALL_RESULTS, default 200 × 5). Yardstick, same run, same
//    database: one plain INSERT per result in one transaction per document (the database's
//    row-by-row floor without any of the clearinghouse's work). CPU time of this process per result
//    (process.cpuUsage) is printed too: on a shared machine it moves far less with load than rates.
// 2. CSAF 2.0 documents written (model validation, writer, structure check, all mandatory tests)
//    and validated against the OASIS JSON schema per second. Yardstick, same run: a JSON
//    stringify/parse round trip of the same document.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/intake.ts
//   BENCH_DOCUMENTS=10 BENCH_RESULTS=1000 BENCH_SMALL_DOCUMENTS=200 BENCH_SMALL_RESULTS=5 BENCH_DUPLICATE_PERCENT=30 BENCH_CSAF=2000 npx tsx bench/intake.ts
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

const DOCUMENTS = positive('BENCH_DOCUMENTS', 10);
const RESULTS = positive('BENCH_RESULTS', 1000);
const SMALL_DOCUMENTS = positive('BENCH_SMALL_DOCUMENTS', 200);
const SMALL_RESULTS = positive('BENCH_SMALL_RESULTS', 5);
const DUPLICATE_PERCENT = Math.min(50, positive('BENCH_DUPLICATE_PERCENT', 30));
const CSAF_DOCS = positive('BENCH_CSAF', 2000);
const INGEST_GOAL = 2000;

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'conformance', 'csaf', 'csaf_2.0', 'json_schema', 'csaf_json_schema.json');
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const ms = (t0: number) => performance.now() - t0;
/** CPU time (user + system) of this process since `t0`, in microseconds. */
const cpuMicros = (t0: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(t0);
  return d.user + d.system;
};

/** A SARIF 2.1.0 log of `results` findings; the first `repeat` repeat fresh findings (the last ones) of document `d - 1`. */
function sarif(run: string, d: number, results: number, repeat: number) {
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
            message: { text: `SQL built from request parameter in handler ${run}${from}-${n}.` },
            locations: [{ physicalLocation: { artifactLocation: { uri: `src/${run}service-${from}/handler-${n}.py` }, region: { startLine: 10 + (n % 50) } } }],
            fingerprints: { 'bvf/v1': `fp-${run}${from}-${n}` },
          };
        }),
      },
    ],
  };
}

function benchService(database: Database, keyring: Awaited<ReturnType<typeof loadKeyring>>) {
  const noQueue = { send: async () => {} } as unknown as Queue;
  const clock = () => new Date();
  const audit = createAuditService({ db: database.db, clock });
  const deps = { db: database.db, audit, keyring, queue: noQueue, clock, notify: undefined as never } satisfies ModuleDeps;
  return createClearinghouseService(deps);
}

interface IntakeFigures {
  documents: number;
  resultsPerDocument: number;
  results: number;
  ingestPerSecond: number;
  cpuMicrosPerResult: number;
  plainPerSecond: number;
  plainCpuMicrosPerResult: number;
  merged: number;
  expectedMerged: number;
}

/** `documents` SARIF logs of `results` results each, through the service, then the plain-INSERT yardstick. */
async function ingest(database: Database, clearinghouse: ReturnType<typeof createClearinghouseService>, run: string, documents: number, results: number): Promise<IntakeFigures> {
  const subject: Subject = { userId: randomUUID(), orgId: randomUUID(), orgKind: 'agency', agencyCode: 'TREASURY', roles: ['clearinghouse_analyst'], clearance: 1, compartments: [] };
  const actor: Actor = { subject, email: 'bench@forewarn.invalid', orgName: 'Bench', ip: null, via: 'system' };
  const repeat = Math.floor((results * DUPLICATE_PERCENT) / 100);
  const docs = Array.from({ length: documents + 1 }, (_, d) => sarif(run, d, results, repeat));

  // Warm-up document (not counted): connections, prepared paths, the first fingerprints to repeat.
  await clearinghouse.submitReport(actor, subject, { document: docs[0] });
  let merged = 0;
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  for (let d = 1; d <= documents; d++) {
    const r = await clearinghouse.submitReport(actor, subject, { document: docs[d] });
    merged += r.candidates.filter((c) => c.merged).length;
  }
  const ingestMs = ms(t0);
  const ingestCpu = cpuMicros(c0);
  const total = documents * results;

  // Yardstick: the same number of rows, one INSERT each, one transaction per document.
  const table = `bench_plain_results_${run}`;
  await database.executeSql(`create table ${table} (id uuid primary key, body jsonb not null)`);
  c0 = process.cpuUsage();
  t0 = performance.now();
  for (let d = 1; d <= documents; d++) {
    await database.db.transaction(async (tx) => {
      for (const r of docs[d].runs[0].results) {
        await tx.execute(sql`insert into ${sql.identifier(table)} (id, body) values (${randomUUID()}, ${JSON.stringify(r)}::jsonb)`);
      }
    });
  }
  const plainMs = ms(t0);
  const plainCpu = cpuMicros(c0);
  return {
    documents,
    resultsPerDocument: results,
    results: total,
    ingestPerSecond: (total / ingestMs) * 1000,
    cpuMicrosPerResult: ingestCpu / total,
    plainPerSecond: (total / plainMs) * 1000,
    plainCpuMicrosPerResult: plainCpu / total,
    merged,
    expectedMerged: repeat * documents,
  };
}

/**
 * The same findings submitted by several reporters at once (each log in its own order, each with
 * findings of its own) must end up as one vulnerability per finding: the key rows decide.
 */
async function concurrentSameBug(clearinghouse: ReturnType<typeof createClearinghouseService>, reporters: number, shared: number) {
  const finding = (id: string, n: number) => ({
    ruleId: 'BVF-001',
    level: 'error',
    message: { text: `SQL built from request parameter in handler ${id}-${n}.` },
    locations: [{ physicalLocation: { artifactLocation: { uri: `src/${id}/handler-${n}.py` }, region: { startLine: 10 } } }],
    fingerprints: { 'bvf/v1': `fp-${id}-${n}` },
  });
  const runs = Array.from({ length: reporters }, (_, r) => {
    const mine = Array.from({ length: shared }, (_, n) => finding('concurrent', n));
    if (r % 2 === 1) mine.reverse();
    return { version: '2.1.0', runs: [{ tool: { driver: { name: 'Bench Vuln Finder', rules: [{ id: 'BVF-001' }] } }, results: [...mine, ...Array.from({ length: 10 }, (_, n) => finding(`own-${r}`, n))] }] };
  });
  const answers = await Promise.all(
    runs.map((document) => {
      const subject: Subject = { userId: randomUUID(), orgId: randomUUID(), orgKind: 'agency', agencyCode: 'TREASURY', roles: ['clearinghouse_analyst'], clearance: 1, compartments: [] };
      return clearinghouse.submitReport({ subject, email: 'bench@forewarn.invalid', orgName: 'Bench', ip: null, via: 'system' }, subject, { document });
    }),
  );
  // Candidate i of an odd reporter is finding shared - 1 - i.
  const vulnOf = answers.map((a, r) => Array.from({ length: shared }, (_, n) => a.candidates[r % 2 === 1 ? shared - 1 - n : n].vulnerabilityId));
  const distinct = new Set(vulnOf.flat()).size;
  const consistent = vulnOf.every((ids) => ids.every((id, n) => id === vulnOf[0][n]));
  return { reporters, shared, distinctVulnerabilities: distinct, consistent };
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
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < CSAF_DOCS; i++) {
      const doc = writeCsafAdvisory({ ...input, id: `FWN-2026-${String(1000 + (i % 9000)).padStart(4, '0')}` });
      if (!validate(doc)) throw new Error('a generated document does not validate');
    }
    return { perSecond: (CSAF_DOCS / ms(t0)) * 1000, cpuMicrosPerDocument: cpuMicros(c0) / CSAF_DOCS };
  };
  // PROMPT_INJECTION carries a CVSS 4.0 vector; MULTI_VENDOR only 3.1.
  const withV4 = rate(PROMPT_INJECTION);
  const v31Only = rate(MULTI_VENDOR);
  const sample = writeCsafAdvisory(PROMPT_INJECTION);
  let t0 = performance.now();
  for (let i = 0; i < CSAF_DOCS; i++) JSON.parse(JSON.stringify(sample));
  const roundTripMs = ms(t0);
  t0 = performance.now();
  for (let i = 0; i < CSAF_DOCS; i++) validate(sample);
  const schemaMs = ms(t0);
  return { withV4PerSecond: withV4.perSecond, withV4CpuMicrosPerDocument: withV4.cpuMicrosPerDocument, v31OnlyPerSecond: v31Only.perSecond, v31OnlyCpuMicrosPerDocument: v31Only.cpuMicrosPerDocument, roundTripPerSecond: (CSAF_DOCS / roundTripMs) * 1000, schemaOnlyPerSecond: (CSAF_DOCS / schemaMs) * 1000, bytes: JSON.stringify(sample).length };
}

async function main() {
  const { name, url } = await createDatabase();
  log(`database ${name}; SARIF ${DOCUMENTS} × ${RESULTS} results and ${SMALL_DOCUMENTS} × ${SMALL_RESULTS} results (${DUPLICATE_PERCENT} % repeats), ${CSAF_DOCS} CSAF documents`);
  const database = await openDatabase({ databaseUrl: url, dataDir: '' });
  try {
    await migrate(database);
    const clearinghouse = benchService(database, await loadKeyring(database.db, randomBytes(32)));
    const runs = [
      { label: `${DOCUMENTS} reports × ${f(RESULTS)} results`, ...(await ingest(database, clearinghouse, 'large', DOCUMENTS, RESULTS)) },
      { label: `${SMALL_DOCUMENTS} reports × ${f(SMALL_RESULTS)} results`, ...(await ingest(database, clearinghouse, 'small', SMALL_DOCUMENTS, SMALL_RESULTS)) },
    ];
    const concurrent = await concurrentSameBug(clearinghouse, 8, 200);
    log(`${concurrent.reporters} reporters submitting the same ${concurrent.shared} findings at once: ${concurrent.distinctVulnerabilities} vulnerabilities (expected ${concurrent.shared})${concurrent.consistent ? '' : ', NOT the same for every reporter'}`);
    const vulns = Number((await database.executeSql('select count(*)::int as n from clearinghouse_vulnerabilities')).rows[0]!.n);
    for (const i of runs) log(`${i.label}: ${i.merged} of ${i.results} results merged into earlier vulnerabilities (expected ${i.expectedMerged})`);
    log(`${vulns} vulnerabilities stored`);
    const c = csaf();
    const us = (x: number) => `${x.toFixed(0)} µs`;
    console.log('\n| measure | per second | ratio to yardstick | CPU of this process per item | goal |');
    console.log('|---|---|---|---|---|');
    for (const i of runs) {
      console.log(`| SARIF results ingested with deduplication (PostgreSQL), ${i.label} | ${f(i.ingestPerSecond)} | ${(i.ingestPerSecond / i.plainPerSecond).toFixed(2)} × plain INSERT | ${us(i.cpuMicrosPerResult)} | ≥ ${f(INGEST_GOAL)} ${i.ingestPerSecond >= INGEST_GOAL ? '(met)' : '(not met)'} |`);
      console.log(`| yardstick: plain INSERT per result, ${i.label} | ${f(i.plainPerSecond)} | 1 | ${us(i.plainCpuMicrosPerResult)} | |`);
    }
    console.log(`| CSAF written + mandatory tests + JSON schema (CVSS 3.1 + 4.0 vectors) | ${f(c.withV4PerSecond)} | ${(c.withV4PerSecond / c.roundTripPerSecond).toFixed(3)} × round trip | ${us(c.withV4CpuMicrosPerDocument)} | |`);
    console.log(`| CSAF written + mandatory tests + JSON schema (CVSS 3.1 only) | ${f(c.v31OnlyPerSecond)} | ${(c.v31OnlyPerSecond / c.roundTripPerSecond).toFixed(3)} × round trip | ${us(c.v31OnlyCpuMicrosPerDocument)} | |`);
    console.log(`| CSAF JSON schema validation alone | ${f(c.schemaOnlyPerSecond)} | ${(c.schemaOnlyPerSecond / c.roundTripPerSecond).toFixed(3)} × round trip | | |`);
    console.log(`| yardstick: JSON stringify + parse of the document (${f(c.bytes)} bytes) | ${f(c.roundTripPerSecond)} | 1 | | |`);
    console.log(JSON.stringify({ bench: 'intake', duplicatePercent: DUPLICATE_PERCENT, intake: runs, concurrent, vulns, csaf: c }));
    if (concurrent.distinctVulnerabilities !== concurrent.shared || !concurrent.consistent) {
      console.error('concurrent submissions of the same findings created more than one vulnerability per finding');
      process.exitCode = 1;
    }
    for (const i of runs) {
      if (i.merged !== i.expectedMerged) {
        console.error(`deduplication mismatch (${i.label}): ${i.merged} merged, ${i.expectedMerged} expected`);
        process.exitCode = 1;
      }
    }
  } finally {
    await database.close();
    if (process.env.BENCH_KEEP !== '1') await dropDatabase(name);
    else log(`kept database ${name}`);
  }
}

const f = (x: number) => Math.round(x).toLocaleString('en-US');

await main();
