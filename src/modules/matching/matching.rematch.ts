// Full re-match: every advisory against every current inventory, set-based. Inventories share most
// of their (package, version) pairs, so the database is asked once for the distinct pairs of
// packages some advisory names; only those are evaluated here; the verdicts go back as a temporary
// table. One hash full join of (verdicts × candidate components) against the open matches finds
// what to insert, clear or revise; that difference is applied and its events emitted in slices.
// One pass over the component table, however many inventories there are, and memory bounded by a
// slice, however many matches change.
import { executeIn, type DbOrTx } from '../../db/client.ts';
import { buildAdvisoryIndex, matchAgainstIndex, resolveComponent, type AdvisoryIndex, type ResolvedComponent } from './match.ts';
import type { MatchEvent } from './matching.types.ts';
import type { AdvisoryRow } from './matching.dal.ts';
import { entriesOf } from './matching.entries.ts';

const CURRENT = `(c.sbom_id = a.current_sbom_id or (c.source = 'manual' and c.sbom_id is null))`;
/** Distinct pairs evaluated per slice (their verdicts stored by one INSERT). */
const PAIR_CHUNK = 5000;
const EVENT_CHUNK = 5000;
/** Differences applied per statement (and events held in memory at once). */
const APPLY_CHUNK = 20_000;

export interface RematchResult {
  advisories: number;
  pairs: number;
  affectedPairs: number;
  matched: number;
  cleared: number;
  /** Open matches whose verdict or fixed version changed (no event: who is affected did not change). */
  updated: number;
  /** Milliseconds per phase: candidates (the one scan; advisories indexed meanwhile), analyze, distinct pairs read, evaluated (verdicts stored meanwhile), last verdicts stored, difference found, difference applied; and nodeCpu, this process's CPU time for the whole run. */
  phases: Record<string, number>;
}

function eventOf(kind: MatchEvent['kind'], r: Record<string, unknown>): MatchEvent {
  return {
    kind,
    matchId: r.id as string,
    advisoryId: r.advisory_id as string,
    orgId: r.org_id as string,
    assetId: r.asset_id as string,
    componentId: r.component_id as string,
    package: r.package as string,
    version: (r.version as string | null) ?? null,
  };
}

export async function rematchEverything(tx: DbOrTx, now: Date, emit: (events: MatchEvent[]) => Promise<void>): Promise<RematchResult> {
  const phases: Record<string, number> = {};
  const cpu = process.cpuUsage();
  let mark = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    phases[name] = Math.round(t - mark);
    mark = t;
  };
  // Every join here covers the whole estate: hash joins over one scan each are right. A nested loop
  // chosen on stale statistics (an empty matches table) would be quadratic, a merge join would sort
  // the million candidates, and a hash of a million rows spilled in batches takes twice as long.
  // All three settings end with the transaction.
  await executeIn(tx, `set local enable_nestloop = off`);
  await executeIn(tx, `set local enable_mergejoin = off`);
  await executeIn(tx, `set local work_mem = '256MB'`);
  // The advisories are read and indexed here while the database runs the one pass over the
  // component table: the current components whose package some advisory names (rpm keeps the
  // whole purl because its epoch travels as a qualifier). Both queries are sent at once.
  const loading = executeIn(tx, `select id, affected from matching_advisories where not withdrawn and tlp <> 'RED'`);
  const scanning = executeIn(
    tx,
    `create temporary table matching_candidates on commit drop as
     select c.id, c.asset_id, c.owner_org_id, c.package, c.version, case when c.ecosystem = 'rpm' then c.purl else '' end as purl
       from inventory_components c join inventory_assets a on a.id = c.asset_id and ${CURRENT}
      where c.package in (select package from matching_advisory_packages)`,
  );
  // Awaited below; a failure is never left unhandled meanwhile.
  scanning.catch(() => {});
  let index: AdvisoryIndex<{ id: string; affected: AdvisoryRow['affected'] }>;
  let advisoryCount: number;
  try {
    const { rows } = await loading;
    advisoryCount = rows.length;
    index = buildAdvisoryIndex(rows as { id: string; affected: AdvisoryRow['affected'] }[], entriesOf);
  } finally {
    await scanning;
  }
  phase('candidates');
  await executeIn(tx, `analyze matching_candidates`);
  phase('analyze');
  const { rows: pairs } = await executeIn(tx, `select package, coalesce(version, '') as version, nullif(purl, '') as purl from matching_candidates group by 1, 2, 3`);
  phase('pairs');

  // Each distinct pair is evaluated once, straight against the index (no memo: nothing repeats).
  // Verdicts go to the database a slice at a time, each INSERT running while the next slice is
  // evaluated here.
  await executeIn(tx, `create temporary table matching_rematch (package text not null, version text not null, purl text, advisory_id uuid not null, verdict text not null, fixed_in text) on commit drop`);
  // A versionless package purl resolves the same for every version: parsed once per package.
  const packages = new Map<string, ResolvedComponent>();
  const resolved = (p: { package: string; version: string; purl: string | null }): ResolvedComponent => {
    const version = p.version === '' ? null : p.version;
    if (p.purl !== null) return resolveComponent({ purl: p.purl, version });
    let base = packages.get(p.package);
    if (!base) packages.set(p.package, (base = resolveComponent({ purl: p.package, version: null })));
    return { ...base, version, parsed: new Map() };
  };
  let affectedPairs = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const list = pairs as { package: string; version: string; purl: string | null }[];
  for (let i = 0; i < list.length; i += PAIR_CHUNK) {
    const verdicts: { package: string; version: string; purl: string | null; advisory_id: string; verdict: string; fixed_in: string | null }[] = [];
    for (const p of list.slice(i, i + PAIR_CHUNK)) {
      let found;
      try {
        found = matchAgainstIndex(index, resolved(p));
      } catch {
        continue;
      }
      for (const { advisory, verdict } of found) {
        verdicts.push({ package: p.package, version: p.version, purl: p.purl, advisory_id: advisory.id, verdict: verdict.status, fixed_in: verdict.status === 'affected' ? verdict.fixedIn : null });
      }
    }
    affectedPairs += verdicts.length;
    await pending;
    if (verdicts.length > 0) {
      pending = executeIn(
        tx,
        `insert into matching_rematch select * from jsonb_to_recordset($1::jsonb) as x(package text, version text, purl text, advisory_id uuid, verdict text, fixed_in text)`,
        [JSON.stringify(verdicts)],
      );
      pending.catch(() => {});
    }
  }
  phase('evaluate');
  await pending;
  await executeIn(tx, `analyze matching_rematch`);
  phase('store');

  // The difference in one hash full join: the matches that should be open (verdicts joined with
  // the candidates, never materialised) against those that are. Only what changes is kept, so the
  // steady state writes nothing and the first run's million rows stay in the database.
  await executeIn(
    tx,
    `create temporary table matching_diff on commit drop as
     select row_number() over () as seq, o.id as match_id,
            coalesce(d.advisory_id, o.advisory_id) as advisory_id, d.org_id, d.asset_id, coalesce(d.component_id, o.component_id) as component_id,
            d.package, d.version, d.verdict, d.fixed_in,
            case when o.id is null then 'insert' when d.component_id is null then 'clear' else 'update' end as op
       from (select r.advisory_id, k.owner_org_id as org_id, k.asset_id, k.id as component_id, k.package, k.version, r.verdict, r.fixed_in
               from matching_rematch r join matching_candidates k on r.package = k.package and r.version = coalesce(k.version, '') and coalesce(r.purl, '') = k.purl) d
       full join (select id, advisory_id, component_id, verdict, fixed_in from matching_matches where cleared_at is null) o
         on o.advisory_id = d.advisory_id and o.component_id = d.component_id
      where o.id is null or d.component_id is null or o.verdict <> d.verdict or o.fixed_in is distinct from d.fixed_in`,
  );
  const [{ n }] = (await executeIn(tx, `select count(*)::int as n from matching_diff`)).rows as { n: number }[];
  phase('diff');

  // Applied a slice at a time (index lookups now, not whole-table joins), each slice's events handed
  // on before the next is read: memory is bounded by the slice, not by the estate. A clear says
  // why, as the incremental job would.
  let matched = 0;
  let cleared = 0;
  let updated = 0;
  if (n > 0) {
    await executeIn(tx, `create index on matching_diff (seq)`);
    await executeIn(tx, `analyze matching_diff`);
    await executeIn(tx, `set local enable_nestloop = on`);
    const at = now.toISOString();
    for (let lo = 1; lo <= n; lo += APPLY_CHUNK) {
      const range = [lo, lo + APPLY_CHUNK - 1];
      const { rows: gone } = await executeIn(
        tx,
        `update matching_matches m set cleared_at = $1::timestamptz,
                cleared_reason = coalesce((select case when a.withdrawn then 'advisory_withdrawn' when a.tlp = 'RED' then 'not_disseminated_by_matching' end
                                             from matching_advisories a where a.id = m.advisory_id), 'no_longer_matches')
           from matching_diff d
          where d.seq between $2 and $3 and d.op = 'clear' and m.id = d.match_id and m.cleared_at is null
          returning m.id, m.advisory_id, m.org_id, m.asset_id, m.component_id, m.package, m.version`,
        [at, ...range],
      );
      const { rows: revised } = await executeIn(
        tx,
        `update matching_matches m set verdict = d.verdict, fixed_in = d.fixed_in
           from matching_diff d
          where d.seq between $1 and $2 and d.op = 'update' and m.id = d.match_id and m.cleared_at is null
          returning m.id`,
        range,
      );
      const { rows: fresh } = await executeIn(
        tx,
        `insert into matching_matches (advisory_id, org_id, asset_id, component_id, package, version, verdict, fixed_in, matched_at)
         select d.advisory_id, d.org_id, d.asset_id, d.component_id, d.package, d.version, d.verdict, d.fixed_in, $1::timestamptz
           from matching_diff d
          where d.seq between $2 and $3 and d.op = 'insert'
         on conflict (advisory_id, component_id) where cleared_at is null do nothing
         returning id, advisory_id, org_id, asset_id, component_id, package, version`,
        [at, ...range],
      );
      matched += fresh.length;
      cleared += gone.length;
      updated += revised.length;
      const events = [...fresh.map((r) => eventOf('matched', r)), ...gone.map((r) => eventOf('cleared', r))];
      for (let i = 0; i < events.length; i += EVENT_CHUNK) await emit(events.slice(i, i + EVENT_CHUNK));
    }
  }
  phase('apply');
  const used = process.cpuUsage(cpu);
  phases.nodeCpu = Math.round((used.user + used.system) / 1000);
  return { advisories: advisoryCount, pairs: pairs.length, affectedPairs, matched, cleared, updated, phases };
}
