// Full re-match: every advisory against every current inventory, set-based. Inventories share most
// of their (package, version) pairs, so the database is asked once for the distinct pairs of
// packages some advisory names; only those are evaluated here; the verdicts go back as a temporary
// table joined to the candidate components (clear what no longer holds, insert what is new, each an
// anti-join against the desired set). One pass over the component table, however many
// inventories there are.
import { executeIn, type DbOrTx } from '../../db/client.ts';
import { buildAdvisoryIndex, createMatcher } from './match.ts';
import type { MatchEvent } from './matching.types.ts';
import type { AdvisoryRow } from './matching.dal.ts';
import { entriesOf } from './matching.entries.ts';

const CURRENT = `(c.sbom_id = a.current_sbom_id or (c.source = 'manual' and c.sbom_id is null))`;
const PAIR_CHUNK = 20_000;
const EVENT_CHUNK = 5000;

export interface RematchResult {
  advisories: number;
  pairs: number;
  affectedPairs: number;
  matched: number;
  cleared: number;
  /** Milliseconds per phase: advisories loaded and indexed, distinct pairs read, evaluated, verdicts stored, cleared, inserted. */
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
  let mark = performance.now();
  const phase = (name: string) => {
    const t = performance.now();
    phases[name] = Math.round(t - mark);
    mark = t;
  };
  // Every join here covers the whole estate: hash joins over one scan each are right, and a nested
  // loop chosen on stale statistics (an empty matches table) would be quadratic.
  await executeIn(tx, `set local enable_nestloop = off`);
  const { rows: advisoryRows } = await executeIn(tx, `select id, affected from matching_advisories where not withdrawn and tlp <> 'RED'`);
  const advisories = advisoryRows as { id: string; affected: AdvisoryRow['affected'] }[];
  const matcher = createMatcher(buildAdvisoryIndex(advisories, entriesOf));
  phase('index');

  // The one pass over the component table: the current components whose package some advisory
  // names (rpm keeps the whole purl because its epoch travels as a qualifier).
  await executeIn(
    tx,
    `create temporary table matching_candidates on commit drop as
     select c.id, c.asset_id, c.owner_org_id, c.package, coalesce(c.version, '') as version, c.version as raw_version,
            case when c.ecosystem = 'rpm' then c.purl else '' end as purl
       from inventory_components c join inventory_assets a on a.id = c.asset_id and ${CURRENT}
      where c.package in (select package from matching_advisory_packages)`,
  );
  await executeIn(tx, `analyze matching_candidates`);
  phase('candidates');
  const { rows: pairs } = await executeIn(tx, `select package, version, nullif(purl, '') as purl from matching_candidates group by package, version, purl`);
  phase('pairs');

  const verdicts: { package: string; version: string; purl: string | null; advisory_id: string; verdict: string; fixed_in: string | null }[] = [];
  for (const p of pairs as { package: string; version: string; purl: string | null }[]) {
    let found;
    try {
      found = matcher.match({ purl: p.purl ?? p.package, version: p.version === '' ? null : p.version });
    } catch {
      continue;
    }
    for (const { advisory, verdict } of found) {
      verdicts.push({ package: p.package, version: p.version, purl: p.purl, advisory_id: advisory.id, verdict: verdict.status, fixed_in: verdict.status === 'affected' ? verdict.fixedIn : null });
    }
  }

  phase('evaluate');
  await executeIn(tx, `create temporary table matching_rematch (package text not null, version text not null, purl text, advisory_id uuid not null, verdict text not null, fixed_in text) on commit drop`);
  for (let i = 0; i < verdicts.length; i += PAIR_CHUNK) {
    await executeIn(
      tx,
      `insert into matching_rematch select * from jsonb_to_recordset($1::jsonb) as x(package text, version text, purl text, advisory_id uuid, verdict text, fixed_in text)`,
      [JSON.stringify(verdicts.slice(i, i + PAIR_CHUNK))],
    );
  }
  await executeIn(tx, `analyze matching_rematch`);

  phase('store');
  // The matches that should be open: the verdicts joined with the candidates (no second pass).
  await executeIn(
    tx,
    `create temporary table matching_desired on commit drop as
     select r.advisory_id, k.owner_org_id as org_id, k.asset_id, k.id as component_id, k.package, k.raw_version as version, r.verdict, r.fixed_in
       from matching_rematch r join matching_candidates k on r.package = k.package and r.version = k.version and coalesce(r.purl, '') = k.purl`,
  );
  await executeIn(tx, `analyze matching_desired`);
  phase('desired');
  const { rows: cleared } = await executeIn(
    tx,
    `update matching_matches m set cleared_at = $1, cleared_reason = 'no_longer_matches'
      where m.cleared_at is null
        and not exists (select 1 from matching_desired d where d.advisory_id = m.advisory_id and d.component_id = m.component_id)
      returning m.id, m.advisory_id, m.org_id, m.asset_id, m.component_id, m.package, m.version`,
    [now.toISOString()],
  );
  phase('clear');
  const { rows: matched } = await executeIn(
    tx,
    `insert into matching_matches (advisory_id, org_id, asset_id, component_id, package, version, verdict, fixed_in, matched_at)
     select d.advisory_id, d.org_id, d.asset_id, d.component_id, d.package, d.version, d.verdict, d.fixed_in, $1
       from matching_desired d
      where not exists (select 1 from matching_matches m where m.advisory_id = d.advisory_id and m.component_id = d.component_id and m.cleared_at is null)
     on conflict (advisory_id, component_id) where cleared_at is null do nothing
     returning id, advisory_id, org_id, asset_id, component_id, package, version`,
    [now.toISOString()],
  );
  phase('insert');
  const events = [...matched.map((r) => eventOf('matched', r)), ...cleared.map((r) => eventOf('cleared', r))];
  for (let i = 0; i < events.length; i += EVENT_CHUNK) await emit(events.slice(i, i + EVENT_CHUNK));
  phase('events');
  return { advisories: advisories.length, pairs: pairs.length, affectedPairs: verdicts.length, matched: matched.length, cleared: cleared.length, phases };
}
