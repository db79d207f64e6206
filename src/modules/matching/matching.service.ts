// Matching service (issue 7): both directions, incrementally. A stored advisory queues a job that
// finds its affected components by package (index on inventory_components.package); an asset whose
// current components changed queues a job that finds its advisories by package (the
// matching_advisory_packages index). Versions are decided by the pure matcher. Matches are kept as
// history: a match that no longer holds is cleared, never deleted.
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { can, type Subject } from '../access/policy.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { currentComponentsByPackage } from '../inventory/inventory.dal.ts';
import { mayReceive, type TlpLabel } from '../clearinghouse/advisory/tlp.ts';
import type { OrgKind } from '../access/roles.ts';
import { buildAdvisoryIndex, createMatcher, matchComponent } from './match.ts';
import { entriesOf } from './matching.entries.ts';
import { packageIdentity, tryParsePurl } from './purl.ts';
import { InvalidAdvisoryError, parseOsvAdvisory, parseOsvText, type OsvAdvisory } from './osv.ts';
import { advisoryFromOsv } from './osv-import.ts';
import type { MatchableAdvisory, MatchEvent } from './matching.types.ts';
import {
  affectedByAdvisory,
  advisoriesByIds,
  clearMatches,
  currentPackagesOfAsset,
  insertMatches,
  listAdvisories,
  matchableAdvisoriesFor,
  matchesOfOrg,
  openMatchesOfAdvisory,
  openMatchesOfAsset,
  replacePackages,
  storeAdvisory,
  type AdvisoryRow,
  type MatchFilter,
  type RecordedMatch,
  type NewMatch,
  updateMatchVerdict,
} from './matching.dal.ts';
import { rematchEverything } from './matching.rematch.ts';

export { entriesOf };

export interface MatchingHooks {
  /** Called in the transaction that records new or cleared matches. */
  onMatchEvents: (tx: DbOrTx, events: MatchEvent[]) => Promise<void>;
}

export const ADVISORY_JOB = 'matching.advisories';
export const ASSET_JOB = 'matching.asset';
export const REMATCH_JOB = 'matching.rematch-all';
/** Advisories matched by one job (an import of thousands is split over several). */
const ADVISORIES_PER_JOB = 200;
/** Records in one OSV import request. */
export const MAX_OSV_RECORDS = 5000;
/**
 * Every matching write runs under one transaction-scoped advisory lock. A job reads current
 * components and advisories, then writes; serialising the writers means a job that starts after
 * an upload or a publication committed sees it, and one that raced it is followed by the job that
 * upload or publication queued — so no stale match survives and no match is missed.
 */
const MATCHING_LOCK = 72_616_007;

const SYSTEM: Actor = { subject: null, email: 'system (matching worker)', orgName: null, ip: null, via: 'system' };

/** Whether an affected operator may receive an advisory through matching (TLP 2.0; RED never). */
export function reachesAffected(tlp: string, orgId: string, orgKind: OrgKind = 'operator'): boolean {
  if (tlp === 'RED') return false;
  return mayReceive(tlp as TlpLabel, { orgId, orgKind }, { ownerOrgId: '', caseParticipantOrgIds: [], affectedOrgIds: [orgId] });
}


/** A package key as inventories store it (canonical, versionless); null if it is not a purl. */
function canonicalPackage(p: string): string | null {
  const purl = tryParsePurl(p, { lenient: true });
  return purl ? packageIdentity(purl) : null;
}

function manageMatches(subject: Subject) {
  if (!can(subject, 'inventory:manage') && !can(subject, 'remediation:manage')) throw new ForbiddenError('Reading matches needs the operator staff role.');
}
function coordinate(subject: Subject) {
  if (!can(subject, 'clearinghouse:coordinate') && !can(subject, 'advisories:publish')) throw new ForbiddenError('This view is for clearinghouse coordinators.');
}
function importer(subject: Subject) {
  if (!can(subject, 'clearinghouse:validate')) throw new ForbiddenError('Importing advisory data needs the clearinghouse analyst role.');
}

function advisorySummary(a: AdvisoryRow) {
  return {
    id: a.id,
    source: a.source as 'clearinghouse' | 'osv',
    externalId: a.externalId,
    clearinghouseAdvisoryId: a.clearinghouseAdvisoryId,
    title: a.title,
    tlp: a.tlp as TlpLabel,
    severity: a.severity as MatchableAdvisory['severity'],
    withdrawn: a.withdrawn,
    publishedAt: a.publishedAt.toISOString(),
    modifiedAt: a.modifiedAt?.toISOString() ?? null,
  };
}

function eventOf(kind: MatchEvent['kind'], m: RecordedMatch): MatchEvent {
  return { kind, matchId: m.id, advisoryId: m.advisoryId, orgId: m.orgId, assetId: m.assetId, componentId: m.componentId, package: m.package, version: m.version };
}

export function createMatchingService({ db, audit, queue, clock }: ModuleDeps, hooks: MatchingHooks) {
  async function lock(tx: DbOrTx) {
    await tx.execute(sql`select pg_advisory_xact_lock(${MATCHING_LOCK})`);
  }

  /** Records the difference between the matches that should be open and those that are; emits events. */
  async function reconcile(
    tx: DbOrTx,
    desired: Map<string, NewMatch>,
    open: { id: string; componentId: string; advisoryId: string; verdict: string; fixedIn: string | null }[],
    reason: string,
  ) {
    const now = clock();
    for (const o of open) {
      const d = desired.get(`${o.advisoryId}|${o.componentId}`);
      if (d && (d.verdict !== o.verdict || d.fixedIn !== o.fixedIn)) await updateMatchVerdict(tx, o.id, d.verdict, d.fixedIn);
    }
    const stale = open.filter((o) => !desired.has(`${o.advisoryId}|${o.componentId}`)).map((o) => o.id);
    const openKeys = new Set(open.map((o) => `${o.advisoryId}|${o.componentId}`));
    const fresh = [...desired.entries()].filter(([k]) => !openKeys.has(k)).map(([, v]) => v);
    const cleared = await clearMatches(tx, stale, reason, now);
    const matched = await insertMatches(tx, fresh, now);
    const events = [...matched.map((m) => eventOf('matched', m)), ...cleared.map((m) => eventOf('cleared', m))];
    if (events.length > 0) await hooks.onMatchEvents(tx, events);
    return { matched: matched.length, cleared: cleared.length };
  }

  /** One advisory against every current inventory (by package), in its own transaction. */
  async function matchAdvisory(advisoryId: string) {
    return db.transaction(async (tx) => {
      await lock(tx);
      const [a] = await advisoriesByIds(tx, [advisoryId]);
      if (!a) return { matched: 0, cleared: 0 };
      const desired = new Map<string, NewMatch>();
      const reachable = !a.withdrawn && a.tlp !== 'RED';
      if (reachable) {
        const entries = entriesOf(a);
        const memo = new Map<string, ReturnType<typeof matchComponent>>();
        const components = await currentComponentsByPackage(
          tx,
          a.affected.map((x) => x.package),
        );
        for (const c of components) {
          if (!c.purl || !c.package) continue;
          const key = `${c.purl} ${c.version ?? ''}`;
          let verdict = memo.get(key);
          if (!verdict) {
            try {
              verdict = matchComponent({ purl: c.purl, version: c.version }, entries);
            } catch {
              verdict = { status: 'not_affected' };
            }
            memo.set(key, verdict);
          }
          if (verdict.status === 'not_affected') continue;
          desired.set(`${a.id}|${c.componentId}`, {
            advisoryId: a.id,
            orgId: c.ownerOrgId,
            assetId: c.assetId,
            componentId: c.componentId,
            package: c.package,
            version: c.version,
            verdict: verdict.status,
            fixedIn: verdict.status === 'affected' ? verdict.fixedIn : null,
          });
        }
      }
      const reason = a.withdrawn ? 'advisory_withdrawn' : a.tlp === 'RED' ? 'not_disseminated_by_matching' : 'no_longer_matches';
      const result = await reconcile(tx, desired, await openMatchesOfAdvisory(tx, a.id), reason);
      if (result.matched + result.cleared > 0) {
        await audit.record(tx, { actor: SYSTEM, action: 'matching.advisory.match', recordType: 'matching_advisory', recordId: a.id, detail: { externalId: a.externalId, ...result } });
      }
      return result;
    });
  }

  /** One asset's current components against every advisory naming their packages. */
  async function matchAsset(assetId: string) {
    return db.transaction(async (tx) => {
      const phases: Record<string, number> = {};
      let mark = performance.now();
      const phase = (name: string) => {
        const t = performance.now();
        phases[name] = Math.round(t - mark);
        mark = t;
      };
      await lock(tx);
      const components = await currentPackagesOfAsset(tx, assetId);
      phase('components');
      const advisories = await matchableAdvisoriesFor(
        tx,
        components.map((c) => c.package!),
      );
      phase('advisories');
      const matcher = createMatcher(buildAdvisoryIndex(advisories, entriesOf));
      const desired = new Map<string, NewMatch>();
      for (const c of components) {
        let found;
        try {
          found = matcher.match({ purl: c.purl ?? c.package, version: c.version });
        } catch {
          continue;
        }
        for (const { advisory, verdict } of found) {
          desired.set(`${advisory.id}|${c.componentId}`, {
            advisoryId: advisory.id,
            orgId: c.ownerOrgId,
            assetId: c.assetId,
            componentId: c.componentId,
            package: c.package!,
            version: c.version,
            verdict: verdict.status,
            fixedIn: verdict.status === 'affected' ? verdict.fixedIn : null,
          });
        }
      }
      phase('evaluate');
      const result = await reconcile(tx, desired, await openMatchesOfAsset(tx, assetId), 'inventory_changed');
      phase('record');
      const ownerOrgId = components[0]?.ownerOrgId;
      if (result.matched + result.cleared > 0) {
        await audit.record(tx, { actor: SYSTEM, action: 'matching.asset.match', recordType: 'inventory_asset', recordId: assetId, ...(ownerOrgId ? { ownerOrgId } : {}), detail: result });
      }
      phase('audit');
      return { ...result, phases };
    });
  }

  /** Every advisory against every inventory, set-based (see matching.rematch.ts). */
  async function rematchAll() {
    return db.transaction(async (tx) => {
      await lock(tx);
      const result = await rematchEverything(tx, clock(), async (events) => {
        if (events.length > 0) await hooks.onMatchEvents(tx, events);
      });
      await audit.record(tx, { actor: SYSTEM, action: 'matching.rematch', recordType: 'matching', detail: { advisories: result.advisories, pairs: result.pairs, matched: result.matched, cleared: result.cleared, updated: result.updated } });
      return result;
    });
  }

  async function queueAdvisories(tx: DbOrTx, ids: string[]) {
    for (let i = 0; i < ids.length; i += ADVISORIES_PER_JOB) await queue.send(tx, ADVISORY_JOB, { advisoryIds: ids.slice(i, i + ADVISORIES_PER_JOB) });
  }

  /** Stores an advisory and its package index rows; the caller queues its matching. */
  async function store(tx: DbOrTx, advisory: MatchableAdvisory, extra: { aliases?: string[]; modifiedAt?: Date | null; onlyIfNewer?: boolean }) {
    const affected = advisory.affected.flatMap((x) => {
      const p = canonicalPackage(x.package);
      return p ? [{ ...x, package: p }] : [];
    });
    const id = await storeAdvisory(tx, { ...advisory, affected }, { ...extra, now: clock() });
    if (id)
      await replacePackages(
        tx,
        id,
        affected.map((x) => x.package),
      );
    return id;
  }

  // ---- reads --------------------------------------------------------------------------------------

  async function listMatches(actor: Actor, subject: Subject, filter: MatchFilter) {
    manageMatches(subject);
    void actor;
    const { items, total } = await matchesOfOrg(db, subject.orgId, filter);
    return {
      items: items
        .filter(({ a }) => reachesAffected(a.tlp, subject.orgId, subject.orgKind))
        .map(({ m, a, assetName }) => ({
          id: m.id,
          advisory: advisorySummary(a),
          asset: { id: m.assetId, name: assetName },
          componentId: m.componentId,
          package: m.package,
          version: m.version,
          verdict: m.verdict as 'affected' | 'unknown',
          fixedIn: m.fixedIn,
          matchedAt: m.matchedAt.toISOString(),
          clearedAt: m.clearedAt?.toISOString() ?? null,
          clearedReason: m.clearedReason,
        })),
      total,
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  async function affected(actor: Actor, subject: Subject, advisoryId: string) {
    coordinate(subject);
    void actor;
    const [a] = await advisoriesByIds(db, [advisoryId]);
    if (!a) throw new NotFoundError('advisory');
    const { rows, cleared } = await affectedByAdvisory(db, a.id);
    return {
      advisory: advisorySummary(a),
      organisations: rows.map((r) => ({ ...r, firstMatchedAt: new Date(r.firstMatchedAt).toISOString() })),
      totals: { organisations: rows.length, components: rows.reduce((n, r) => n + r.components, 0), cleared },
    };
  }

  async function advisories(actor: Actor, subject: Subject, filter: { source?: 'clearinghouse' | 'osv'; q?: string; limit: number; offset: number }) {
    coordinate(subject);
    void actor;
    const { items, total } = await listAdvisories(db, filter);
    return { items: items.map((r) => ({ ...advisorySummary(r.a), packages: r.packages, openMatches: r.openMatches })), total, limit: filter.limit, offset: filter.offset };
  }

  // ---- writes -------------------------------------------------------------------------------------

  /**
   * Imports OSV records (public data: TLP:CLEAR). All or nothing: every record is checked before
   * anything is written. A record replaces the stored one of the same id only if its `modified` is later.
   */
  async function importOsv(actor: Actor, subject: Subject, input: { records: unknown[] } | { text: string }) {
    importer(subject);
    let parsed: OsvAdvisory[];
    try {
      parsed = 'records' in input ? input.records.map((r, i) => withIndex(i, () => parseOsvAdvisory(r))) : parseOsvText(input.text);
    } catch (e) {
      if (e instanceof InvalidAdvisoryError || e instanceof SyntaxError) throw new ValidationError('The OSV data is not valid.', [{ path: 'records', message: e.message.slice(0, 500) }]);
      throw e;
    }
    if (parsed.length === 0) throw new ValidationError('The OSV data holds no record.', [{ path: 'records', message: 'Expected at least one OSV record.' }]);
    if (parsed.length > MAX_OSV_RECORDS) throw new ValidationError(`At most ${MAX_OSV_RECORDS} records per import.`, [{ path: 'records', message: `Got ${parsed.length}; split the file.` }]);
    const imported = parsed.map((osv, i) => {
      try {
        return advisoryFromOsv(osv);
      } catch (e) {
        throw new ValidationError('The OSV data is not valid.', [{ path: `records[${i}]`, message: (e as Error).message }]);
      }
    });
    const ids = new Set(imported.map((x) => x.advisory.externalId));
    if (ids.size !== imported.length) throw new ValidationError('An OSV id appears twice.', [{ path: 'records', message: 'Each record id may appear once per import.' }]);
    return db.transaction(async (tx) => {
      const changed: string[] = [];
      for (const x of imported) {
        const id = await store(tx, x.advisory, { aliases: x.aliases, modifiedAt: x.modifiedAt, onlyIfNewer: true });
        if (id) changed.push(id);
      }
      await queueAdvisories(tx, changed);
      const result = {
        received: imported.length,
        stored: changed.length,
        unchanged: imported.length - changed.length,
        withdrawn: imported.filter((x) => x.advisory.withdrawn).length,
        skippedEntries: imported.reduce((n, x) => n + x.skipped, 0),
      };
      await audit.record(tx, { actor, action: 'matching.osv.import', recordType: 'matching', ownerOrgId: subject.orgId, detail: result });
      return result;
    });
  }

  async function requestRematch(actor: Actor, subject: Subject) {
    coordinate(subject);
    await db.transaction(async (tx) => {
      await queue.send(tx, REMATCH_JOB, {});
      await audit.record(tx, { actor, action: 'matching.rematch.request', recordType: 'matching', ownerOrgId: subject.orgId });
    });
    return { queued: true };
  }

  const jobs: JobDefinition<any>[] = [
    {
      name: ADVISORY_JOB,
      handler: async (data: { advisoryIds: string[] }) => {
        for (const id of data.advisoryIds ?? []) await matchAdvisory(id);
      },
    },
    { name: ASSET_JOB, handler: async (data: { assetId: string }) => void (await matchAsset(data.assetId)) },
    { name: REMATCH_JOB, retryLimit: 2, handler: async () => void (await rematchAll()) },
  ];

  return {
    /** Indexes (or re-indexes) an advisory in the caller's transaction and queues its matching. */
    upsertAdvisory: async (tx: DbOrTx, advisory: MatchableAdvisory): Promise<string> => {
      const id = await store(tx, advisory, {});
      await queueAdvisories(tx, [id!]);
      return id!;
    },
    /** Queues re-matching of an asset whose current components changed (new SBOM, manual edit). */
    assetChanged: async (tx: DbOrTx, assetId: string): Promise<void> => {
      await queue.send(tx, ASSET_JOB, { assetId });
    },
    listMatches,
    affected,
    advisories,
    importOsv,
    requestRematch,
    /** For the worker and the benchmark: run matching now, without the queue. */
    matchAdvisory,
    matchAsset,
    rematchAll,
    jobs,
    startup: async () => {},
  };
}

function withIndex<T>(i: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof InvalidAdvisoryError) throw new InvalidAdvisoryError(`records[${i}]: ${e.message}`);
    throw e;
  }
}

export type MatchingService = ReturnType<typeof createMatchingService>;
