// Matching on PostgreSQL: generated inventories (real Go package names and versions from the Go
// vulnerability database, plus synthetic npm packages) against the Go advisories plus synthetic
// ones. The yardstick, measured in the same run, is a sequential scan of the component table.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/matching-pg.ts
//   BENCH_OPERATORS=200 npx tsx bench/matching-pg.ts            # a small run (about a minute)
//
// Variables: BENCH_OPERATORS (10000), BENCH_COMPONENTS per operator (1000), BENCH_ADVISORIES
// (20000, at least the Go corpus), BENCH_GO_PERCENT of components drawn from Go packages (2),
// BENCH_STALE_PERCENT of those at a version an advisory names, the rest at their package's latest
// fixed version (20), BENCH_SAMPLES new advisories timed (50), BENCH_SBOM_COMPONENTS (5000), BENCH_KEEP=1 keeps the
// database. Generation is set-based (INSERT … SELECT generate_series), not row by row.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, migrate, type Database } from '../src/db/client.ts';
import { createAuditService } from '../src/modules/audit/audit.service.ts';
import { createInventoryService } from '../src/modules/inventory/inventory.service.ts';
import { currentComponentsByPackage } from '../src/modules/inventory/inventory.dal.ts';
import { createMatchingService, entriesOf } from '../src/modules/matching/matching.service.ts';
import { matchComponent } from '../src/modules/matching/match.ts';
import { parseOsvAdvisory, type OsvAdvisory } from '../src/modules/matching/osv.ts';
import { advisoryFromOsv } from '../src/modules/matching/osv-import.ts';
import type { MatchableAdvisory, MatchEvent } from '../src/modules/matching/matching.types.ts';
import type { Queue } from '../src/modules/jobs/queue.ts';
import type { ModuleDeps } from '../src/server/module-deps.ts';
import type { Subject } from '../src/modules/access/policy.ts';
import { go } from '../src/modules/matching/versions/go.ts';
import { parseSbom } from '../src/modules/inventory/sbom/sbom.ts';
import { SYSTEM_ACTOR } from '../src/modules/access/actor.ts';
import { cpuMsOfProcess, createDatabase, dropDatabase, positive } from './lib.ts';

const OPERATORS = positive('BENCH_OPERATORS', 10_000);
const COMPONENTS = positive('BENCH_COMPONENTS', 1000);
const ADVISORIES = positive('BENCH_ADVISORIES', 20_000);
const GO_PERCENT = positive('BENCH_GO_PERCENT', 2);
/** Of the Go components, the share at a version some advisory names (the rest run their package's latest fix). */
const STALE_PERCENT = positive('BENCH_STALE_PERCENT', 20);
const SAMPLES = positive('BENCH_SAMPLES', 50);
const SBOM_COMPONENTS = positive('BENCH_SBOM_COMPONENTS', 5000);
const SYNTH_PACKAGES = 200_000;
const SYNTH_VERSIONS = ['0.9.0', '1.4.2', '2.0.1', '3.1.0'];

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'conformance', 'advisories', 'go-vulndb.osv.jsonl');

let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const timer = setInterval(sample, 50);
const ms = (t0: number) => performance.now() - t0;
/** CPU time of this process (user + system) since `from`: the machine is shared, wall time is not all ours. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (x: number) => `${x.toFixed(1)} ms`;
const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/**
 * Real (package, version) pairs of the Go corpus: every version its advisories name, and apart,
 * each package's highest fixed version (what an estate that keeps up to date runs).
 */
function goPool(advisories: OsvAdvisory[]) {
  const seen = new Set<string>();
  const pool: { package: string; version: string }[] = [];
  const latest = new Map<string, string>();
  for (const a of advisories) {
    for (const x of a.affected) {
      if (x.package?.ecosystem !== 'Go') continue;
      const pkg = advisoryFromOsv({ ...a, affected: [x] }).advisory.affected[0]?.package;
      // The standard library and toolchain are named by hundreds of advisories each; inventories
      // here are of modules, so the match volume stays that of a realistic estate.
      if (!pkg || pkg === 'pkg:golang/stdlib' || pkg === 'pkg:golang/toolchain') continue;
      const versions = [...(x.ranges ?? []).flatMap((r) => r.events.flatMap((e) => [e.introduced, e.fixed, e.last_affected])), ...(x.versions ?? []).slice(0, 4)];
      for (const r of x.ranges ?? []) {
        for (const e of r.events) {
          if (!e.fixed) continue;
          const f = e.fixed.startsWith('v') ? e.fixed : `v${e.fixed}`;
          const cur = latest.get(pkg);
          if (!cur || go.compare(f, cur) > 0) latest.set(pkg, f);
        }
      }
      for (const v of versions) {
        if (!v || v === '0') continue;
        const version = v.startsWith('v') ? v : `v${v}`;
        const key = `${pkg}@${version}`;
        if (!seen.has(key)) (seen.add(key), pool.push({ package: pkg, version }));
      }
    }
  }
  return { pool, current: [...latest].map(([pkg, version]) => ({ package: pkg, version })) };
}

async function sql(db: Database, text: string, values?: unknown[]) {
  return (await db.executeSql(text, values)).rows;
}

/**
 * CPU time (ms) used so far by the one PostgreSQL backend serving this run (poolSize 1), read from
 * /proc when the server runs on this machine; null otherwise. The machine is shared: wall times
 * include waiting for a core, CPU times do not.
 */
let backendPid: number | null = null;
function backendCpu(): number | null {
  return cpuMsOfProcess(backendPid);
}
const cpuOf = async <T>(f: () => Promise<T>): Promise<{ value: T; wall: number; db: number | null; node: number }> => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const b0 = backendCpu();
  const value = await f();
  const b1 = backendCpu();
  return { value, wall: ms(t0), db: b0 === null || b1 === null ? null : b1 - b0, node: cpuMs(c0) };
};
const fmtCpu = (x: { db: number | null; node: number }) => `CPU: database ${x.db === null ? 'n/a' : fmt(x.db)}, Node ${fmt(x.node)}`;

async function seqScan(db: Database): Promise<{ wall: number; db: number | null; node: number }> {
  await sql(db, 'set enable_indexscan = off; set enable_indexonlyscan = off; set enable_bitmapscan = off');
  const r = await cpuOf(() => sql(db, "select count(*), count(distinct length(version)) from inventory_components where source <> 'x'"));
  await sql(db, 'reset enable_indexscan; reset enable_indexonlyscan; reset enable_bitmapscan');
  return r;
}

async function main() {
  const { name, url } = await createDatabase();
  log(`database ${name}; ${OPERATORS} operators × ${COMPONENTS} components, ${ADVISORIES} advisories`);
  // One pooled connection: session settings (the yardstick's) then apply to every statement.
  const database = await openDatabase({ databaseUrl: url, dataDir: '', poolSize: 1 });
  try {
    await migrate(database);
    backendPid = Number(((await sql(database, 'select pg_backend_pid() as pid')) as { pid: number }[])[0]!.pid);
    const osv = readFileSync(corpus, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => parseOsvAdvisory(JSON.parse(l)))
      .filter((a) => !a.withdrawn);
    const { pool: stalePool, current } = goPool(osv);
    // Stale pairs first, then the up-to-date ones: a component picks among the first or the second.
    const pool = [...stalePool, ...current];
    log(`Go corpus: ${osv.length} advisories, ${stalePool.length} (package, version) pairs named, ${current.length} packages at their latest fixed version`);

    // ---- generate -------------------------------------------------------------------------------
    let t0 = performance.now();
    await sql(database, 'set synchronous_commit = off');
    await sql(database, 'create table bench_pool (idx int primary key, purl text, package text, ecosystem text, namespace text, name text, version text)');
    const rows = pool.map((p, i) => {
      const slash = p.package.lastIndexOf('/');
      const body = p.package.slice('pkg:golang/'.length);
      const ns = body.includes('/') ? body.slice(0, body.lastIndexOf('/')) : null;
      return { idx: i, purl: `${p.package}@${encodeURIComponent(p.version)}`, package: p.package, ecosystem: 'golang', namespace: ns, name: p.package.slice(slash + 1), version: p.version };
    });
    for (let i = 0; i < rows.length; i += 5000) {
      await sql(database, `insert into bench_pool select * from jsonb_to_recordset($1::jsonb) as x(idx int, purl text, package text, ecosystem text, namespace text, name text, version text)`, [JSON.stringify(rows.slice(i, i + 5000))]);
    }
    const goCount = rows.length;
    await sql(
      database,
      `insert into bench_pool
       select ${goCount} + s * ${SYNTH_VERSIONS.length} + v - 1, 'pkg:npm/synth-pkg-' || s || '@' || (array['${SYNTH_VERSIONS.join("','")}'])[v],
              'pkg:npm/synth-pkg-' || s, 'npm', null, 'synth-pkg-' || s, (array['${SYNTH_VERSIONS.join("','")}'])[v]
         from generate_series(0, ${SYNTH_PACKAGES - 1}) s cross join generate_series(1, ${SYNTH_VERSIONS.length}) v`,
    );
    const synthCount = SYNTH_PACKAGES * SYNTH_VERSIONS.length;
    await sql(database, `insert into organisations (id, name, kind, sector) select gen_random_uuid(), 'Bench operator ' || n, 'operator', (array['healthcare','banking','water'])[1 + n % 3] from generate_series(1, ${OPERATORS}) n`);
    await sql(database, 'create table bench_assets (n int primary key, id uuid, owner_org_id uuid, sbom_id uuid)');
    await sql(database, `insert into bench_assets select row_number() over (order by id), gen_random_uuid(), id, gen_random_uuid() from organisations where kind = 'operator'`);
    const [{ user }] = (await sql(database, 'select gen_random_uuid() as user')) as { user: string }[];
    await sql(database, `insert into inventory_assets (id, owner_org_id, name, current_sbom_id, created_by) select id, owner_org_id, 'Estate', sbom_id, $1 from bench_assets`, [user]);
    await sql(
      database,
      `insert into inventory_sboms (id, asset_id, owner_org_id, version, format, spec_version, sha256, bytes, component_count, uploaded_by)
       select sbom_id, id, owner_org_id, 1, 'cyclonedx', '1.5', md5(id::text), 0, ${COMPONENTS}, $1 from bench_assets`,
      [user],
    );
    // Bulk load without indexes, then build them (sorted builds are far cheaper than 10^7 inserts).
    const indexes = (await sql(database, "select indexname, indexdef from pg_indexes where tablename = 'inventory_components' and indexname <> 'inventory_components_pkey'")) as { indexname: string; indexdef: string }[];
    for (const i of indexes) await sql(database, `drop index ${i.indexname}`);
    await sql(database, 'alter table inventory_components drop constraint inventory_components_pkey');
    await sql(
      database,
      `insert into inventory_components (asset_id, owner_org_id, sbom_id, source, purl, package, ecosystem, namespace, name, version, created_at)
       select a.id, a.owner_org_id, a.sbom_id, 'sbom', p.purl, p.package, p.ecosystem, p.namespace, p.name, p.version, now()
         from bench_assets a cross join generate_series(1, ${COMPONENTS}) k
         join bench_pool p on p.idx = case when abs(hashint8((a.n::bigint << 20) + k)) % 100 < ${GO_PERCENT}
                                          then case when abs(hashint8((a.n::bigint << 20) + k + 3)) % 100 < ${STALE_PERCENT}
                                                    then abs(hashint8((a.n::bigint << 20) + k + 7)) % ${stalePool.length}
                                                    else ${stalePool.length} + abs(hashint8((a.n::bigint << 20) + k + 7)) % ${current.length} end
                                          else ${goCount} + abs(hashint8((a.n::bigint << 20) + k + 13)) % ${synthCount} end`,
    );
    log(`components inserted in ${(ms(t0) / 1000).toFixed(1)} s; building indexes`);
    await sql(database, 'alter table inventory_components add primary key (id)');
    for (const i of indexes) await sql(database, i.indexdef);
    await sql(database, 'analyze');
    const [{ n: componentRows }] = (await sql(database, 'select count(*)::int as n from inventory_components')) as { n: number }[];
    log(`generated ${componentRows} components in ${(ms(t0) / 1000).toFixed(1)} s`);

    // ---- advisories: the Go corpus plus synthetic ones on synthetic packages -------------------
    const noQueue = { send: async () => {} } as unknown as Queue;
    const clock = () => new Date();
    const audit = createAuditService({ db: database.db, clock });
    const deps = { db: database.db, audit, queue: noQueue, clock, keyring: undefined as never, notify: undefined as never } satisfies ModuleDeps;
    let events = 0;
    const matching = createMatchingService(deps, { onMatchEvents: async (_tx, e: MatchEvent[]) => void (events += e.length) });
    t0 = performance.now();
    const advisories: MatchableAdvisory[] = osv.map((a) => advisoryFromOsv(a).advisory);
    for (let i = advisories.length; i < ADVISORIES; i++) {
      const s = (i * 7919) % SYNTH_PACKAGES;
      advisories.push({
        source: 'osv',
        externalId: `SYNTH-${i}`,
        clearinghouseAdvisoryId: null,
        title: `synthetic ${i}`,
        tlp: 'CLEAR',
        severity: null,
        affected: [{ package: `pkg:npm/synth-pkg-${s}`, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: SYNTH_VERSIONS[1 + (i % 3)]! }] }], versions: [] }],
        withdrawn: false,
        publishedAt: new Date(),
      });
    }
    for (let i = 0; i < advisories.length; i += 1000) {
      await database.db.transaction(async (tx) => {
        for (const a of advisories.slice(i, i + 1000)) await matching.upsertAdvisory(tx, a);
      });
    }
    log(`${advisories.length} advisories indexed in ${(ms(t0) / 1000).toFixed(1)} s`);

    // ---- yardstick and full re-match ---------------------------------------------------------------
    await seqScan(database); // warm
    const scan1 = await seqScan(database);
    log(`sequential scan of inventory_components: ${fmt(scan1.wall)} (${fmtCpu(scan1)})`);
    t0 = performance.now();
    const first = await matching.rematchAll();
    const rematchFirst = ms(t0);
    log(`full re-match (first: records every match): ${fmt(rematchFirst)} ${JSON.stringify(first)}`);
    const steady = await cpuOf(() => matching.rematchAll());
    const second = steady.value;
    const rematchSteady = steady.wall;
    log(`full re-match (steady state): ${fmt(rematchSteady)} (${fmtCpu(steady)}) ${JSON.stringify(second)}`);
    const scan2 = await seqScan(database);
    const scan = Math.min(scan1.wall, scan2.wall);
    const scanCpu = scan1.db === null || scan2.db === null ? null : Math.min(scan1.db, scan2.db);
    log(`sequential scan again: ${fmt(scan2.wall)} (${fmtCpu(scan2)})`);

    // ---- exactness after changes: withdraw some advisories, move another's fix, re-match; then
    // the incremental job must find nothing left to do for a sample of advisories. ------------
    const changed = (await sql(
      database,
      `select id from matching_advisories m where exists (select 1 from matching_matches x where x.advisory_id = m.id and x.cleared_at is null) order by external_id limit 40`,
    )) as { id: string }[];
    const withdraw = changed.slice(0, 20).map((r) => r.id);
    const revise = changed.slice(20).map((r) => r.id);
    await sql(database, `update matching_advisories set withdrawn = true where id = any($1::uuid[])`, [withdraw]);
    // The revised ones keep only their first listed version (no ranges): most of their matches go.
    await sql(
      database,
      `update matching_advisories set affected = (select jsonb_agg(jsonb_set(x, '{ranges}', '[]'::jsonb) || jsonb_build_object('versions', case when x->'versions'->0 is null then '[]'::jsonb else jsonb_build_array(x->'versions'->0) end)) from jsonb_array_elements(affected) x) where id = any($1::uuid[])`,
      [revise],
    );
    const expectedClears = (await sql(database, `select count(*)::int as n from matching_matches where cleared_at is null and advisory_id = any($1::uuid[])`, [withdraw])) as { n: number }[];
    t0 = performance.now();
    const changedRun = await matching.rematchAll();
    const rematchChanged = ms(t0);
    log(`full re-match after withdrawing 20 and revising 20 advisories: ${fmt(rematchChanged)} ${JSON.stringify(changedRun)}`);
    if (changedRun.cleared < expectedClears[0]!.n) throw new Error(`re-match cleared ${changedRun.cleared}, expected at least ${expectedClears[0]!.n}`);
    const sampleIds = (await sql(database, `select id from matching_advisories order by md5(id::text) limit 30`)) as { id: string }[];
    for (const { id } of [...sampleIds, ...changed]) {
      const r = await matching.matchAdvisory(id);
      if (r.matched + r.cleared > 0) throw new Error(`after a full re-match the incremental job still changed advisory ${id}: ${JSON.stringify(r)}`);
    }
    log(`exactness: the incremental job agrees with the full re-match on ${sampleIds.length + changed.length} advisories`);

    // ---- one new advisory lists its affected operators -------------------------------------------
    const goAdvisories = advisories.filter((a) => a.source === 'osv' && !a.externalId.startsWith('SYNTH-') && a.affected.length > 0);
    const computeTimes: number[] = [];
    const jobTimes: number[] = [];
    const affectedOrgs: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const base = goAdvisories[(i * 97) % goAdvisories.length]!;
      const adv: MatchableAdvisory = { ...base, source: 'clearinghouse', externalId: `FWN-BENCH-${i}`, tlp: 'AMBER' };
      // Listing the affected operators: package index lookup + exact version evaluation.
      let t = performance.now();
      const comps = await currentComponentsByPackage(
        database.db,
        adv.affected.map((x) => x.package),
      );
      const entries = entriesOf(adv);
      const orgs = new Set<string>();
      const memo = new Map<string, boolean>();
      for (const c of comps) {
        const key = `${c.purl} ${c.version}`;
        let hit = memo.get(key);
        if (hit === undefined) memo.set(key, (hit = matchComponent({ purl: c.purl, version: c.version }, entries).status !== 'not_affected'));
        if (hit) orgs.add(c.ownerOrgId);
      }
      computeTimes.push(ms(t));
      affectedOrgs.push(orgs.size);
      // The whole path: store in a transaction, then the job (lookup, evaluate, record matches, events).
      t = performance.now();
      const id = await database.db.transaction((tx) => matching.upsertAdvisory(tx, adv));
      await matching.matchAdvisory(id);
      jobTimes.push(ms(t));
    }
    log(`new advisory → affected operators: p50 ${fmt(pct(computeTimes, 50))}, p95 ${fmt(pct(computeTimes, 95))} (median ${pct(affectedOrgs, 50)} operators, max ${Math.max(...affectedOrgs)})`);
    log(`new advisory stored + matched + recorded: p50 ${fmt(pct(jobTimes, 50))}, p95 ${fmt(pct(jobTimes, 95))}`);

    // ---- a 5,000-component SBOM ---------------------------------------------------------------------
    const inventory = createInventoryService(deps, { onComponentsChanged: (tx, assetId) => matching.assetChanged(tx, assetId) });
    const [{ orgId }] = (await sql(database, 'select owner_org_id as "orgId" from bench_assets where n = 1')) as { orgId: string }[];
    const subject: Subject = { userId: user, orgId, orgKind: 'operator', roles: ['operator_staff'], clearance: 0, compartments: [] };
    const actor = { ...SYSTEM_ACTOR, subject, email: 'bench@operator' };
    const asset = await inventory.createAsset(actor, subject, { name: 'Bench upload', kind: 'system' });
    const parseTimes: number[] = [];
    const sbomTimes: { total: number; upload: number; match: number; matched: number; cpu: number }[] = [];
    // Each SBOM is made of other operators' inventories (the same mix of packages and versions).
    for (let round = 0; round < 3; round++) {
      const picked = (await sql(database, `select distinct on (purl) c.purl, c.name, c.version from inventory_components c join bench_assets a on a.id = c.asset_id where a.n between $1 and $2 order by c.purl limit ${SBOM_COMPONENTS}`, [2 + round * 10, 11 + round * 10])) as { purl: string; name: string; version: string }[];
      const doc = JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.5',
        version: 1,
        components: picked.map((p) => ({ type: 'library', name: p.name, version: p.version, purl: p.purl })),
      });
      const tp = performance.now();
      parseSbom(doc);
      parseTimes.push(ms(tp));
      const t = performance.now();
      const c0 = process.cpuUsage();
      await inventory.uploadSbom(actor, subject, asset.id, doc);
      const upload = ms(t);
      const r = await matching.matchAsset(asset.id);
      sbomTimes.push({ total: ms(t), upload, match: ms(t) - upload, matched: r.matched, cpu: cpuMs(c0) });
      log(`asset job phases ${JSON.stringify(r.phases)}`);
    }
    log(`(of which parsing the CycloneDX document alone: ${parseTimes.map(fmt).join(', ')})`);
    for (const s of sbomTimes) log(`SBOM of ${SBOM_COMPONENTS} components: ${fmt(s.total)} (upload ${fmt(s.upload)}, match ${fmt(s.match)}, ${s.matched} new matches; Node CPU ${fmt(s.cpu)})`);

    sample();
    const maxRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
    console.log('\n| measure | result | goal |');
    console.log('|---|---|---|');
    console.log(`| component rows | ${componentRows.toLocaleString('en-US')} (${OPERATORS} × ${COMPONENTS}) | 10,000,000 |`);
    console.log(`| advisories | ${advisories.length.toLocaleString('en-US')} (${osv.length} Go + synthetic) | ≥ 20,000 |`);
    console.log(`| sequential scan (yardstick), wall / database CPU | ${fmt(scan)} / ${scanCpu === null ? 'n/a' : fmt(scanCpu)} | |`);
    console.log(`| new advisory → affected operators, p50 / p95 | ${fmt(pct(computeTimes, 50))} / ${fmt(pct(computeTimes, 95))} | p50 ≤ 50 ms |`);
    console.log(`| new advisory stored + matched + recorded, p50 / p95 | ${fmt(pct(jobTimes, 50))} / ${fmt(pct(jobTimes, 95))} | |`);
    console.log(`| ${SBOM_COMPONENTS}-component SBOM ingest + match (median of 3) | ${fmt(pct(sbomTimes.map((s) => s.total), 50))} | ≤ 2000 ms |`);
    console.log(`| of which parsing the SBOM (inventory's parser), median | ${fmt(pct(parseTimes, 50))} | |`);
    console.log(`| of which matching the new SBOM (asset job), median | ${fmt(pct(sbomTimes.map((s) => s.match), 50))} | |`);
    console.log(`| Node CPU time of the SBOM ingest + match, median | ${fmt(pct(sbomTimes.map((s) => s.cpu), 50))} | |`);
    console.log(`| full re-match, steady state | ${fmt(rematchSteady)} = ${(rematchSteady / scan).toFixed(2)} × scan | ≤ 3 × scan |`);
    console.log(`| full re-match, steady state, CPU: database + Node | ${steady.db === null ? 'n/a' : fmt(steady.db)} + ${fmt(steady.node)}${steady.db !== null && scanCpu ? ` = ${((steady.db + steady.node) / scanCpu).toFixed(2)} × the scan's CPU` : ''} | |`);
    console.log(`| full re-match after withdrawing 20 and revising 20 advisories (clears ${changedRun.cleared.toLocaleString('en-US')}) | ${fmt(rematchChanged)} = ${(rematchChanged / scan).toFixed(2)} × scan | |`);
    console.log(`| full re-match, first (records ${first.matched.toLocaleString('en-US')} matches) | ${fmt(rematchFirst)} = ${(rematchFirst / scan).toFixed(2)} × scan | |`);
    console.log(`| peak memory (Node RSS) | ${(maxRss / 1024 / 1024).toFixed(0)} MiB | |`);
    console.log(`| match events emitted | ${events.toLocaleString('en-US')} | |`);
  } finally {
    clearInterval(timer);
    await database.close();
    if (process.env.BENCH_KEEP !== '1') await dropDatabase(name);
    else log(`kept database ${name}`);
  }
}

await main();
