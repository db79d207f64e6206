import { setMaxListeners } from 'node:events';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { executeIn } from '../../db/client.ts';
import { accessGrants, benchmarks, evaluationResults, evaluationRuns, evaluationRunShards, evaluationSamples, evaluationSuites, evaluationSuiteVersions, gatewayGrantLimits, models, organisations, reviewWindows, users } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Actor } from '../access/actor.ts';
import { readableBy } from '../access/access.sql.ts';
import { grantsOf } from '../access/access.service.ts';
import { dominates, formatMarking, levelOf, nameOf, type Marking } from '../access/marking.ts';
import { can, canRead, grantActive, type ReadRule, type Subject } from '../access/policy.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { isParty, WORK_RULE } from '../determinations/determinations.service.ts';
import { DEFAULT_RETRY, planConcurrency, type RetryPolicy } from './retry.ts';
import { ImportError, importSamples } from './import.ts';
import { domainOf, type Sample } from './suite.ts';
import { aggregateByDomain, compareRuns, resultsToCsv, type Aggregate, type SampleResult } from './stats.ts';
import { isFinal, runTransition, type RunState } from './evaluation-run.machine.ts';
import { evaluateSample, httpSend, inProcessSend, rateLimiter, RunStop, type CallContext, type SampleOutcome } from './runner.ts';
import { Slots } from './slots.ts';
import type { AggregatesView, CreateRunBody, ImportSuiteBody, ResultsQuery, ResultView, RunView, ScorerConfig, SolverConfig, SuiteVersionView } from './evaluations.types.ts';
import type { LocalGateway } from '../gateway/gateway.proxy.ts';

export const SHARD_JOB = 'evaluations.run-shard';
/** Samples per shard: small enough that several workers share a run, large enough to keep a worker busy. */
export const SHARD_SIZE = 250;
const HEARTBEAT_MS = 2_000;
/** A claim whose heartbeat is older than this belongs to a lost worker and may be taken over. */
const STALE_SECONDS = 20;
/** How long a shard job waits before looking again when a live worker holds the shard. */
const RECHECK_MS = 30_000;
const INSERT_BATCH = 500;
/** How long a finished sample's result waits for others to be committed with it. */
const GROUP_COMMIT_MS = 20;

export const SUITE_RULE: ReadRule = { ability: 'evaluations:run', crossOrgAbility: 'evaluations:run' };
export const RUN_RULE: ReadRule = { ability: 'evaluations:run' };

export interface IssuedKey {
  id: string;
  key: string;
}

export interface EvaluationsOptions {
  /** The gateway's key issuance (services.gateway.issueKey). */
  issueKey?: (actor: Actor, subject: Subject, input: { grantId: string; name: string; expiresAt?: Date }, publicUrl: string) => Promise<IssuedKey>;
  /** The gateway's key revocation (services.gateway.revokeKey). */
  revokeKey?: (actor: Actor, subject: Subject, keyId: string) => Promise<unknown>;
  /** Where this instance's gateway is reached (read when a shard starts: the port is known late). */
  publicUrl?: () => string;
  /**
   * This process's own gateway, when it serves one and may be called in-process (read when a shard
   * starts: the routes mount after the services are built); null sends through publicUrl instead.
   */
  inProcessGateway?: () => LocalGateway | null;
  sampleTimeoutMs?: number;
  retry?: RetryPolicy;
  shardSize?: number;
}

type RunRow = typeof evaluationRuns.$inferSelect;
type SuiteRow = typeof evaluationSuites.$inferSelect;
type VersionRow = typeof evaluationSuiteVersions.$inferSelect;

const markOf = (r: { classification: number; compartments: readonly string[] }): Marking => ({ classification: r.classification, compartments: [...r.compartments] });
export function markingView(m: Marking) {
  return { classification: nameOf(m.classification), compartments: [...m.compartments].sort(), banner: formatMarking(m) };
}
const clearanceOf = (s: Subject): Marking => ({ classification: s.clearance, compartments: s.compartments });

interface StoredOutput {
  sampleId: string;
  output: string | null;
  answer: string | null;
  explanation: string | null;
}

export function createEvaluationsService({ db, audit, keyring, queue, clock }: ModuleDeps, opts: EvaluationsOptions = {}) {
  const shardSize = opts.shardSize ?? SHARD_SIZE;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const sampleTimeoutMs = opts.sampleTimeoutMs ?? 60_000;
  const gatewaySend = () => {
    const local = opts.inProcessGateway?.() ?? null;
    return local ? inProcessSend(local) : httpSend(opts.publicUrl?.() ?? '');
  };
  /** Shards this process is working on, to abort them all when it stops. */
  const active = new Set<AbortController>();
  /** One limiter per run in this process, shared by the shards it works on in turn. */
  const limiters = new Map<string, { rpm: number | null; slot: ReturnType<typeof rateLimiter> }>();
  function limiterOf(runId: string, rpm: number | null) {
    let l = limiters.get(runId);
    if (!l || l.rpm !== rpm) {
      if (limiters.size > 1000) limiters.clear();
      l = { rpm, slot: rateLimiter(rpm) };
      limiters.set(runId, l);
    }
    return l.slot;
  }

  /**
   * One set of request slots per run in this process: the run's concurrency holds across the shards
   * it works on at once (the next shard starts while the last samples of the previous are answered).
   */
  const runSlots = new Map<string, Slots>();
  function slotsOf(runId: string, n: number): Slots {
    let s = runSlots.get(runId);
    if (!s) {
      s = new Slots(n);
      runSlots.set(runId, s);
    }
    return s;
  }

  const decSample = (row: { id: string; bodyEnc: string }): Sample => JSON.parse(keyring.decrypt(row.bodyEnc, `evaluation_samples.body_enc:${row.id}`)) as Sample;
  const decOutput = (row: { id: string; outputEnc: string | null }): StoredOutput | null => (row.outputEnc ? (JSON.parse(keyring.decrypt(row.outputEnc, `evaluation_results.output_enc:${row.id}`)) as StoredOutput) : null);

  // ───────────────────────────── suites ─────────────────────────────

  async function emailsOf(tx: DbOrTx, ids: (string | null)[]) {
    const list = [...new Set(ids.filter((x): x is string => !!x))];
    if (!list.length) return new Map<string, string>();
    const rows = await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, list));
    return new Map(rows.map((r) => [r.id, r.email]));
  }

  function versionView(v: VersionRow, emails: Map<string, string>): z.infer<typeof SuiteVersionView> {
    return { id: v.id, version: v.version, sampleCount: v.sampleCount, domains: v.domains, solver: v.solver, scorer: v.scorer, createdBy: emails.get(v.createdBy) ?? null, createdAt: v.createdAt.toISOString() };
  }

  async function suiteViews(tx: DbOrTx, rows: SuiteRow[], withVersions: boolean) {
    if (!rows.length) return [];
    const versions = await tx.select().from(evaluationSuiteVersions).where(inArray(evaluationSuiteVersions.suiteId, rows.map((r) => r.id))).orderBy(desc(evaluationSuiteVersions.createdAt));
    const orgRows = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...new Set(rows.map((r) => r.ownerOrgId))]));
    const orgNames = new Map(orgRows.map((o) => [o.id, o.name]));
    const emails = await emailsOf(tx, versions.map((v) => v.createdBy));
    return rows.map((s) => {
      const mine = versions.filter((v) => v.suiteId === s.id);
      return {
        id: s.id,
        name: s.name,
        description: s.description,
        marking: markingView(markOf(s)),
        orgId: s.ownerOrgId,
        orgName: orgNames.get(s.ownerOrgId) ?? null,
        benchmarkId: s.benchmarkId,
        benchmarkDomain: s.benchmarkDomain,
        latestVersion: mine[0] ? versionView(mine[0], emails) : null,
        createdAt: s.createdAt.toISOString(),
        ...(withVersions ? { versions: mine.map((v) => versionView(v, emails)) } : {}),
      };
    });
  }

  /** A suite the subject may read (marking and role), else 404. */
  async function readableSuite(subject: Subject, id: string, tx: DbOrTx = db): Promise<SuiteRow> {
    const [s] = await tx.select().from(evaluationSuites).where(eq(evaluationSuites.id, id));
    if (!s) throw new NotFoundError('suite');
    const d = canRead(subject, s, SUITE_RULE, clock());
    if (!d.allow) {
      if (d.reason === 'not-found') throw new NotFoundError('suite', true);
      throw new ForbiddenError('Reading task suites needs the evaluations role.');
    }
    return s;
  }

  /** The benchmark a suite is linked to, if the subject can read it (cleared party analysts), else 404. */
  async function readableBenchmark(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!isParty(subject)) throw new NotFoundError('benchmark', true);
    const [b] = await tx.select().from(benchmarks).where(eq(benchmarks.id, id));
    if (!b) throw new NotFoundError('benchmark');
    const grants = (await grantsOf(tx, 'benchmark', [b.id])).get(b.id) ?? [];
    if (!canRead(subject, { ...b, grants }, WORK_RULE, clock()).allow) throw new NotFoundError('benchmark', true);
    return b;
  }

  async function importSuite(actor: Actor, subject: Subject, input: z.infer<typeof ImportSuiteBody>) {
    if (!can(subject, 'suites:manage')) throw new ForbiddenError('Importing task suites needs the suites role (agency analyst).');
    let marking: Marking = { classification: levelOf(input.classification), compartments: [...new Set(input.compartments)].sort() };
    if (input.benchmarkId) {
      const b = await readableBenchmark(subject, input.benchmarkId);
      const def = JSON.parse(keyring.decrypt(b.definitionEnc, `benchmarks.definition_enc:${b.id}`)) as { domains: { domain: string }[] };
      if (!def.domains.some((d) => d.domain === input.benchmarkDomain)) throw new ValidationError('The benchmark does not score that domain.', [{ path: 'benchmarkDomain', message: 'not a domain of this benchmark' }]);
      // A suite inside the classified benchmark is as classified as the benchmark.
      marking = markOf(b);
    }
    if (!dominates(clearanceOf(subject), marking)) throw new ForbiddenError('You cannot mark a suite above your own clearance.');
    let samples: Sample[];
    try {
      samples = importSamples(input.content, input.format, input.mapping);
    } catch (e) {
      if (e instanceof ImportError) throw new ValidationError(`The suite could not be imported: ${e.message}`, [{ path: 'content', message: e.message }]);
      throw e;
    }
    const solver: SolverConfig = input.solver;
    const scorer: ScorerConfig = input.scorer;
    const needsChoices = solver.mode === 'multiple-choice' || scorer.kind === 'choice';
    const without = needsChoices ? samples.findIndex((s) => !s.choices || s.choices.length < 2) : -1;
    if (without >= 0) throw new ValidationError('Multiple-choice solving and scoring need choices on every sample.', [{ path: 'mapping.choices', message: `sample ${without + 1} has no choices` }]);
    if (scorer.kind === 'choice') {
      const bad = samples.findIndex((s) => (typeof s.target === 'string' ? [s.target] : s.target).every((t) => !(/^[A-Za-z]$/.test(t.trim()) && t.trim().toUpperCase().charCodeAt(0) - 65 < (s.choices?.length ?? 0)) && !(s.choices ?? []).some((c) => c.trim() === t.trim())));
      if (bad >= 0) throw new ValidationError('A multiple-choice target must name one of the choices.', [{ path: 'mapping.target', message: `sample ${bad + 1}: target names no choice` }]);
    }
    const domainCounts = new Map<string, number>();
    const domains = samples.map((s) => domainOf(s, { domain: input.defaultDomain }));
    for (const d of domains) domainCounts.set(d, (domainCounts.get(d) ?? 0) + 1);
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`evaluation_suites:${subject.orgId}:${input.name}`}))`);
      let [suite] = await tx.select().from(evaluationSuites).where(and(eq(evaluationSuites.ownerOrgId, subject.orgId), eq(evaluationSuites.name, input.name)));
      if (suite) {
        if (suite.classification !== marking.classification || suite.compartments.join('/') !== marking.compartments.join('/') || (suite.benchmarkId ?? null) !== (input.benchmarkId ?? null)) {
          throw new ConflictError('A suite of that name exists with another marking or benchmark link; give the new suite another name.');
        }
        const [dup] = await tx.select({ id: evaluationSuiteVersions.id }).from(evaluationSuiteVersions).where(and(eq(evaluationSuiteVersions.suiteId, suite.id), eq(evaluationSuiteVersions.version, input.version)));
        if (dup) throw new ConflictError(`Version ${input.version} of this suite exists already; versions never change.`);
      } else {
        [suite] = await tx
          .insert(evaluationSuites)
          .values({ ownerOrgId: subject.orgId, classification: marking.classification, compartments: [...marking.compartments], name: input.name, description: input.description ?? null, benchmarkId: input.benchmarkId ?? null, benchmarkDomain: input.benchmarkDomain ?? null, createdBy: subject.userId, createdAt: clock() })
          .returning();
      }
      const [version] = await tx
        .insert(evaluationSuiteVersions)
        .values({
          ownerOrgId: suite.ownerOrgId,
          classification: suite.classification,
          compartments: suite.compartments,
          suiteId: suite.id,
          version: input.version,
          solver: solver as Record<string, unknown>,
          scorer: scorer as Record<string, unknown>,
          sampleCount: samples.length,
          domains: [...domainCounts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([domain, n]) => ({ domain, samples: n })),
          createdBy: subject.userId,
          createdAt: clock(),
        })
        .returning();
      for (let i = 0; i < samples.length; i += INSERT_BATCH) {
        const chunk = samples.slice(i, i + INSERT_BATCH).map((s, j) => {
          const id = crypto.randomUUID();
          return { id, suiteVersionId: version.id, position: i + j, domain: domains[i + j], bodyEnc: keyring.encrypt(JSON.stringify(s), `evaluation_samples.body_enc:${id}`) };
        });
        await tx.insert(evaluationSamples).values(chunk);
      }
      await audit.record(tx, { actor, action: 'evaluation.suite.import', recordType: 'evaluation_suite', recordId: suite.id, marking, ownerOrgId: suite.ownerOrgId, detail: { versionId: version.id, version: input.version, samples: samples.length, format: input.format } });
      const [view] = await suiteViews(tx, [suite], true);
      return view as typeof view & { versions: z.infer<typeof SuiteVersionView>[] };
    });
  }

  async function listSuites(actor: Actor, subject: Subject, q: { benchmarkId?: string }) {
    if (!can(subject, 'evaluations:run')) throw new ForbiddenError('Reading task suites needs the evaluations role.');
    const where = and(readableBy(subject, evaluationSuites, 'evaluation_suite', SUITE_RULE, clock()), q.benchmarkId ? eq(evaluationSuites.benchmarkId, q.benchmarkId) : undefined);
    const rows = await db.select().from(evaluationSuites).where(where).orderBy(asc(evaluationSuites.name));
    return db.transaction(async (tx) => {
      for (const s of rows) await audit.recordRead(tx, actor, { recordType: 'evaluation_suite', recordId: s.id, ...markOf(s) }, { list: true }, s.ownerOrgId);
      return suiteViews(tx, rows, false);
    });
  }

  async function getSuite(actor: Actor, subject: Subject, id: string) {
    const s = await readableSuite(subject, id);
    return db.transaction(async (tx) => {
      await audit.recordRead(tx, actor, { recordType: 'evaluation_suite', recordId: s.id, ...markOf(s) }, undefined, s.ownerOrgId);
      const [view] = await suiteViews(tx, [s], true);
      return view as typeof view & { versions: z.infer<typeof SuiteVersionView>[] };
    });
  }

  async function listSamples(actor: Actor, subject: Subject, suiteId: string, versionId: string, page: { limit: number; offset: number }) {
    const s = await readableSuite(subject, suiteId);
    const [v] = await db.select().from(evaluationSuiteVersions).where(and(eq(evaluationSuiteVersions.id, versionId), eq(evaluationSuiteVersions.suiteId, s.id)));
    if (!v) throw new NotFoundError('suite version');
    const rows = await db.select().from(evaluationSamples).where(eq(evaluationSamples.suiteVersionId, v.id)).orderBy(asc(evaluationSamples.position)).limit(page.limit).offset(page.offset);
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'evaluation_suite', recordId: s.id, ...markOf(s) }, { samples: true, versionId: v.id, offset: page.offset, count: rows.length }, s.ownerOrgId));
    return {
      items: rows.map((r) => {
        const b = decSample(r);
        return { id: b.id, position: r.position, domain: r.domain, input: b.input, choices: b.choices ?? null, target: b.target, metadata: b.metadata ?? null };
      }),
      total: v.sampleCount,
      limit: page.limit,
      offset: page.offset,
    };
  }

  // ───────────────────────────── grants the caller can run under ─────────────────────────────

  function activeWindowGrants(subject: Subject, now: Date): SQL {
    const ts = now.toISOString();
    return sql`${accessGrants.recordType} = 'model' and ${accessGrants.sourceType} = 'review_window' and ${accessGrants.revokedAt} is null
      and ${accessGrants.startsAt} <= ${ts}::timestamptz and (${accessGrants.expiresAt} is null or ${accessGrants.expiresAt} > ${ts}::timestamptz)
      and (${accessGrants.granteeOrgId} = ${subject.orgId} or ${accessGrants.granteeUserId} = ${subject.userId})
      and ${reviewWindows.status} = 'open' and ${reviewWindows.closesAt} > ${ts}::timestamptz and ${models.status} <> 'withdrawn'`;
  }

  async function runnableGrants(_actor: Actor, subject: Subject) {
    if (!can(subject, 'evaluations:run')) throw new ForbiddenError('Running evaluations needs the evaluations role.');
    const rows = await db
      .select({ grant: accessGrants, window: reviewWindows, modelName: models.name })
      .from(accessGrants)
      .innerJoin(reviewWindows, eq(reviewWindows.id, accessGrants.sourceId))
      .innerJoin(models, eq(models.id, accessGrants.recordId))
      .where(activeWindowGrants(subject, clock()))
      .orderBy(asc(models.name));
    return rows.map((r) => ({ grantId: r.grant.id, windowId: r.window.id, modelId: r.grant.recordId, modelName: r.modelName, expiresAt: r.grant.expiresAt?.toISOString() ?? null, closesAt: r.window.closesAt.toISOString() }));
  }

  // ───────────────────────────── runs ─────────────────────────────

  async function progressOf(tx: DbOrTx, runIds: string[]) {
    const out = new Map<string, { done: number; correct: number; errors: number }>();
    if (!runIds.length) return out;
    const rows = await tx
      .select({ runId: evaluationResults.runId, done: sql<number>`count(*)::int`, correct: sql<number>`(count(*) filter (where ${evaluationResults.correct}))::int`, errors: sql<number>`(count(*) filter (where ${evaluationResults.error} is not null))::int` })
      .from(evaluationResults)
      .where(inArray(evaluationResults.runId, runIds))
      .groupBy(evaluationResults.runId);
    for (const r of rows) out.set(r.runId, { done: Number(r.done), correct: Number(r.correct), errors: Number(r.errors) });
    return out;
  }

  async function runViews(tx: DbOrTx, rows: RunRow[]): Promise<z.infer<typeof RunView>[]> {
    if (!rows.length) return [];
    const suites = await tx.select({ id: evaluationSuites.id, name: evaluationSuites.name, benchmarkId: evaluationSuites.benchmarkId, benchmarkDomain: evaluationSuites.benchmarkDomain }).from(evaluationSuites).where(inArray(evaluationSuites.id, [...new Set(rows.map((r) => r.suiteId))]));
    const versions = await tx.select({ id: evaluationSuiteVersions.id, version: evaluationSuiteVersions.version }).from(evaluationSuiteVersions).where(inArray(evaluationSuiteVersions.id, [...new Set(rows.map((r) => r.suiteVersionId))]));
    const modelRows = await tx.select({ id: models.id, name: models.name }).from(models).where(inArray(models.id, [...new Set(rows.map((r) => r.modelId))]));
    const emails = await emailsOf(tx, rows.map((r) => r.runnerUserId));
    const live = await progressOf(tx, rows.filter((r) => !isFinal(r.status)).map((r) => r.id));
    const now = clock().getTime();
    return rows.map((r) => {
      const s = suites.find((x) => x.id === r.suiteId);
      const p = isFinal(r.status) ? { done: r.done, correct: r.correct, errors: r.errors } : (live.get(r.id) ?? { done: 0, correct: 0, errors: 0 });
      const elapsed = r.startedAt ? ((r.finishedAt?.getTime() ?? now) - r.startedAt.getTime()) / 1000 : 0;
      const rate = elapsed > 0 && p.done > 0 ? p.done / elapsed : null;
      return {
        id: r.id,
        name: r.name,
        suiteId: r.suiteId,
        suiteName: s?.name ?? 'unknown',
        suiteVersionId: r.suiteVersionId,
        suiteVersion: versions.find((v) => v.id === r.suiteVersionId)?.version ?? '',
        modelId: r.modelId,
        modelName: modelRows.find((m) => m.id === r.modelId)?.name ?? null,
        grantId: r.grantId,
        windowId: r.windowId,
        status: r.status as RunState,
        statusReason: r.statusReason,
        concurrency: r.concurrency,
        runnerUserId: r.runnerUserId,
        runnerEmail: emails.get(r.runnerUserId) ?? null,
        orgId: r.ownerOrgId,
        marking: markingView(markOf(r)),
        benchmarkId: s?.benchmarkId ?? null,
        benchmarkDomain: s?.benchmarkDomain ?? null,
        progress: { total: r.total, done: p.done, correct: p.correct, errors: p.errors, ratePerSecond: rate, etaSeconds: rate && !isFinal(r.status) ? (r.total - p.done) / rate : null },
        createdAt: r.createdAt.toISOString(),
        startedAt: r.startedAt?.toISOString() ?? null,
        finishedAt: r.finishedAt?.toISOString() ?? null,
      };
    });
  }

  /** A run the subject may read (its organisation, its clearance, the role), else 404/403. */
  async function readableRun(subject: Subject, id: string, tx: DbOrTx = db): Promise<RunRow> {
    const [r] = await tx.select().from(evaluationRuns).where(eq(evaluationRuns.id, id));
    if (!r) throw new NotFoundError('run');
    const d = canRead(subject, r, RUN_RULE, clock());
    if (!d.allow) {
      if (d.reason === 'not-found') throw new NotFoundError('run', true);
      throw new ForbiddenError('Reading evaluation runs needs the evaluations role.');
    }
    return r;
  }

  function runnerSubject(r: RunRow): Subject {
    // The holder of the run's key is the runner; the gateway lets the holder revoke its own key.
    return { userId: r.runnerUserId, orgId: r.ownerOrgId, orgKind: 'agency', roles: [], clearance: 0, compartments: [] };
  }

  /**
   * Revokes a finished run's gateway key (best effort: a key already revoked is fine). Its secret was
   * forgotten in the transaction that ended the run.
   */
  async function retireKey(r: RunRow) {
    if (r.keyId && opts.revokeKey) {
      const actor: Actor = { subject: runnerSubject(r), email: `system (evaluation run ${r.id} ended)`, orgName: null, ip: null, via: 'system' };
      await opts.revokeKey(actor, runnerSubject(r), r.keyId).catch(() => undefined);
    }
  }

  async function createRun(actor: Actor, subject: Subject, input: z.infer<typeof CreateRunBody>) {
    if (!can(subject, 'evaluations:run')) throw new ForbiddenError('Running evaluations needs the evaluations role.');
    if (!opts.issueKey || !opts.publicUrl) throw new ConflictError('This instance cannot run evaluations: the gateway is not wired to the evaluation service.');
    let version: VersionRow | undefined;
    if (input.suiteVersionId) [version] = await db.select().from(evaluationSuiteVersions).where(eq(evaluationSuiteVersions.id, input.suiteVersionId));
    else [version] = await db.select().from(evaluationSuiteVersions).where(eq(evaluationSuiteVersions.suiteId, input.suiteId!)).orderBy(desc(evaluationSuiteVersions.createdAt)).limit(1);
    if (!version) throw new NotFoundError(input.suiteVersionId ? 'suite version' : 'suite');
    if (input.suiteId && version.suiteId !== input.suiteId) throw new NotFoundError('suite version');
    const suite = await readableSuite(subject, version.suiteId);
    const now = clock();
    const [g] = await db
      .select({ grant: accessGrants, window: reviewWindows, model: models })
      .from(accessGrants)
      .innerJoin(reviewWindows, eq(reviewWindows.id, accessGrants.sourceId))
      .innerJoin(models, eq(models.id, accessGrants.recordId))
      .where(and(eq(accessGrants.id, input.grantId), eq(accessGrants.recordType, 'model'), eq(accessGrants.sourceType, 'review_window')));
    // Another organisation's grant does not exist for the caller.
    if (!g || !(g.grant.granteeOrgId === subject.orgId || g.grant.granteeUserId === subject.userId)) throw new NotFoundError('grant', true);
    if (!grantActive(g.grant, subject, now) || g.window.status !== 'open' || g.window.closesAt <= now) throw new ConflictError('This access is not in force (revoked, expired, or its review window is not open).');
    const total = Math.min(version.sampleCount, input.sampleLimit ?? version.sampleCount);
    const id = crypto.randomUUID();
    // The run's own gateway credential, under the runner's grant (the gateway audits the issuance).
    const key = await opts.issueKey(actor, subject, { grantId: g.grant.id, name: `evaluation run ${id.slice(0, 8)}` }, opts.publicUrl());
    try {
      return await db.transaction(async (tx) => {
        const [r] = await tx
          .insert(evaluationRuns)
          .values({
            id,
            ownerOrgId: subject.orgId,
            classification: suite.classification,
            compartments: suite.compartments,
            name: input.name || null,
            suiteId: suite.id,
            suiteVersionId: version.id,
            modelId: g.model.id,
            grantId: g.grant.id,
            windowId: g.window.id,
            runnerUserId: subject.userId,
            keyId: key.id,
            keySecretEnc: keyring.encrypt(key.key, `evaluation_runs.key_secret_enc:${id}`),
            status: 'queued',
            concurrency: input.concurrency,
            total,
            createdAt: now,
          })
          .returning();
        const shards = [];
        for (let from = 0, n = 0; from < total; from += shardSize, n++) shards.push({ runId: id, shard: n, fromPosition: from, toPosition: Math.min(total, from + shardSize) });
        if (shards.length) await tx.insert(evaluationRunShards).values(shards);
        for (const s of shards) await queue.send(tx, SHARD_JOB, { runId: id, shard: s.shard });
        await audit.record(tx, { actor, action: 'evaluation.run.create', recordType: 'evaluation_run', recordId: id, marking: markOf(r), ownerOrgId: r.ownerOrgId, detail: { suiteId: suite.id, suiteVersionId: version.id, modelId: g.model.id, grantId: g.grant.id, samples: total, concurrency: input.concurrency, shards: shards.length } });
        return (await runViews(tx, [r]))[0];
      });
    } catch (e) {
      if (opts.revokeKey) await opts.revokeKey(actor, subject, key.id).catch(() => undefined);
      throw e;
    }
  }

  async function listRuns(actor: Actor, subject: Subject, q: { suiteId?: string; status?: string; limit: number }) {
    if (!can(subject, 'evaluations:run')) throw new ForbiddenError('Reading evaluation runs needs the evaluations role.');
    const rows = await db
      .select()
      .from(evaluationRuns)
      .where(and(readableBy(subject, evaluationRuns, 'evaluation_run', RUN_RULE, clock()), q.suiteId ? eq(evaluationRuns.suiteId, q.suiteId) : undefined, q.status ? eq(evaluationRuns.status, q.status) : undefined))
      .orderBy(desc(evaluationRuns.createdAt))
      .limit(q.limit);
    return db.transaction(async (tx) => {
      for (const r of rows) await audit.recordRead(tx, actor, { recordType: 'evaluation_run', recordId: r.id, ...markOf(r) }, { list: true }, r.ownerOrgId);
      return runViews(tx, rows);
    });
  }

  async function getRun(actor: Actor, subject: Subject, id: string) {
    const r = await readableRun(subject, id);
    return db.transaction(async (tx) => {
      await audit.recordRead(tx, actor, { recordType: 'evaluation_run', recordId: r.id, ...markOf(r) }, undefined, r.ownerOrgId);
      return (await runViews(tx, [r]))[0];
    });
  }

  async function cancelRun(actor: Actor, subject: Subject, id: string) {
    const r = await readableRun(subject, id);
    if (!can(subject, 'evaluations:run')) throw new ForbiddenError();
    const next = runTransition(r.status, 'cancel');
    const view = await db.transaction(async (tx) => {
      const counts = (await progressOf(tx, [r.id])).get(r.id) ?? { done: 0, correct: 0, errors: 0 };
      const [u] = await tx
        .update(evaluationRuns)
        .set({ status: next, statusReason: `Cancelled by ${actor.email ?? 'the runner'}.`, finishedAt: clock(), keySecretEnc: null, ...counts })
        .where(and(eq(evaluationRuns.id, r.id), eq(evaluationRuns.status, r.status)))
        .returning();
      if (!u) throw new ConflictError('The run changed meanwhile; reload it.');
      await audit.record(tx, { actor, action: 'evaluation.run.cancel', recordType: 'evaluation_run', recordId: r.id, marking: markOf(r), ownerOrgId: r.ownerOrgId, detail: { done: counts.done, total: r.total } });
      return (await runViews(tx, [u]))[0];
    });
    await retireKey(r);
    return view;
  }

  async function resultRows(runId: string, where?: SQL) {
    return db.select().from(evaluationResults).where(and(eq(evaluationResults.runId, runId), where)).orderBy(asc(evaluationResults.position));
  }

  function resultView(row: typeof evaluationResults.$inferSelect): z.infer<typeof ResultView> {
    const o = decOutput(row);
    return {
      sampleId: o?.sampleId ?? String(row.position + 1),
      position: row.position,
      domain: row.domain,
      score: row.score,
      correct: row.correct,
      answer: o?.answer ?? null,
      output: o?.output ?? null,
      explanation: o?.explanation ?? null,
      latencyMs: row.latencyMs,
      promptTokens: row.promptTokens,
      completionTokens: row.completionTokens,
      attempts: row.attempts,
      error: row.error,
      finishedAt: row.finishedAt.toISOString(),
    };
  }

  async function listResults(actor: Actor, subject: Subject, id: string, q: z.infer<typeof ResultsQuery>) {
    const r = await readableRun(subject, id);
    const where = and(
      eq(evaluationResults.runId, r.id),
      q.domain ? eq(evaluationResults.domain, q.domain) : undefined,
      q.outcome === 'correct' ? eq(evaluationResults.correct, true) : q.outcome === 'incorrect' ? sql`${evaluationResults.correct} = false and ${evaluationResults.error} is null` : q.outcome === 'error' ? sql`${evaluationResults.error} is not null` : undefined,
    );
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(evaluationResults).where(where);
    const rows = await db.select().from(evaluationResults).where(where).orderBy(asc(evaluationResults.position)).limit(q.limit).offset(q.offset);
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'evaluation_run', recordId: r.id, ...markOf(r) }, { results: true, offset: q.offset, count: rows.length }, r.ownerOrgId));
    return { items: rows.map(resultView), total: Number(n), limit: q.limit, offset: q.offset };
  }

  function toSampleResults(rows: (typeof evaluationResults.$inferSelect)[]): SampleResult[] {
    return rows.map((x) => ({ sampleId: String(x.position), domain: x.domain, score: x.error ? null : (x.score ?? 0), latencyMs: x.latencyMs, promptTokens: x.promptTokens, completionTokens: x.completionTokens }));
  }

  function aggView(a: Aggregate) {
    return { domain: a.domain, n: a.n, scored: a.scored, errors: a.errors, correct: a.correct, accuracy: a.accuracy, meanScore: a.meanScore, ci: a.ci, meanLatencyMs: a.meanLatencyMs, totalTokens: a.totalTokens };
  }

  function aggregatesOf(r: RunRow, rows: (typeof evaluationResults.$inferSelect)[]): z.infer<typeof AggregatesView> {
    const agg = aggregateByDomain(toSampleResults(rows));
    return { runId: r.id, status: r.status as RunState, complete: r.status === 'completed', domains: agg.domains.map(aggView), overall: aggView(agg.overall) };
  }

  async function aggregates(actor: Actor, subject: Subject, id: string) {
    const r = await readableRun(subject, id);
    const rows = await resultRows(r.id);
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'evaluation_run', recordId: r.id, ...markOf(r) }, { aggregates: true }, r.ownerOrgId));
    return aggregatesOf(r, rows);
  }

  async function compare(actor: Actor, subject: Subject, a: string, b: string) {
    const ra = await readableRun(subject, a);
    const rb = await readableRun(subject, b);
    const [va, vb] = await runViews(db, [ra, rb]);
    const rows = compareRuns(toSampleResults(await resultRows(ra.id)), toSampleResults(await resultRows(rb.id)));
    await db.transaction(async (tx) => {
      for (const r of [ra, rb]) await audit.recordRead(tx, actor, { recordType: 'evaluation_run', recordId: r.id, ...markOf(r) }, { compare: true }, r.ownerOrgId);
    });
    return {
      a: { runId: ra.id, modelName: va.modelName, suiteName: va.suiteName },
      b: { runId: rb.id, modelName: vb.modelName, suiteName: vb.suiteName },
      rows: rows.map((x) => ({ domain: x.domain, a: aggView(x.a), b: aggView(x.b), difference: x.comparison.difference, ci: x.comparison.ci, z: x.comparison.z, pValue: x.comparison.pValue })),
    };
  }

  async function exportRun(actor: Actor, subject: Subject, id: string, format: 'json' | 'csv') {
    const r = await readableRun(subject, id);
    const rows = await resultRows(r.id);
    const results = rows.map(resultView);
    const view = await db.transaction(async (tx) => {
      await audit.record(tx, { actor, action: 'evaluation.run.export', recordType: 'evaluation_run', recordId: r.id, marking: markOf(r), ownerOrgId: r.ownerOrgId, detail: { format, results: rows.length } });
      return (await runViews(tx, [r]))[0];
    });
    if (format === 'csv') {
      return {
        kind: 'csv' as const,
        marking: formatMarking(markOf(r)),
        csv: resultsToCsv(results.map((x) => ({ sampleId: x.sampleId, domain: x.domain, score: x.error ? null : x.score, answer: x.answer ?? undefined, output: x.output ?? undefined, latencyMs: x.latencyMs, promptTokens: x.promptTokens, completionTokens: x.completionTokens, error: x.error }))),
      };
    }
    return { kind: 'json' as const, marking: formatMarking(markOf(r)), json: { run: view, aggregates: aggregatesOf(r, rows), results } };
  }

  /** For the gateway: the marking of a run's records, when `userId` is its runner (else null). */
  async function markingOfRun(runId: string, userId: string): Promise<{ classification: number; compartments: string[] } | null> {
    if (!/^[0-9a-f-]{36}$/i.test(runId)) return null;
    const [r] = await db.select({ classification: evaluationRuns.classification, compartments: evaluationRuns.compartments }).from(evaluationRuns).where(and(eq(evaluationRuns.id, runId), eq(evaluationRuns.runnerUserId, userId)));
    return r ? { classification: r.classification, compartments: [...r.compartments] } : null;
  }

  // ───────────────────────────── execution (worker) ─────────────────────────────

  const systemActor = (_r: RunRow): Actor => ({ subject: null, email: 'system (evaluation worker)', orgName: null, ip: null, via: 'system' });

  /** Ends a run as stopped or failed (if it is not over yet), with the reason; revokes its key. */
  async function endRun(runId: string, kind: 'stopped' | 'failed', reason: string) {
    const ended = await db.transaction(async (tx) => {
      const [r] = await tx.select().from(evaluationRuns).where(eq(evaluationRuns.id, runId)).for('update');
      if (!r || isFinal(r.status)) return null;
      const counts = (await progressOf(tx, [r.id])).get(r.id) ?? { done: 0, correct: 0, errors: 0 };
      const status = runTransition(r.status, kind === 'stopped' ? 'stop' : 'fail');
      await tx.update(evaluationRuns).set({ status, statusReason: reason.slice(0, 500), finishedAt: clock(), keySecretEnc: null, ...counts }).where(eq(evaluationRuns.id, r.id));
      await audit.record(tx, { actor: systemActor(r), action: `evaluation.run.${kind === 'stopped' ? 'stop' : 'fail'}`, recordType: 'evaluation_run', recordId: r.id, marking: markOf(r), ownerOrgId: r.ownerOrgId, outcome: 'failure', detail: { reason: reason.slice(0, 500), done: counts.done, total: r.total } });
      return r;
    });
    if (ended) await retireKey(ended);
  }

  /** When every shard is done: the run is completed, its counters written, its key revoked. */
  async function maybeComplete(runId: string) {
    const done = await db.transaction(async (tx) => {
      const [r] = await tx.select().from(evaluationRuns).where(eq(evaluationRuns.id, runId)).for('update');
      if (!r || isFinal(r.status)) return null;
      const [open] = await tx.select({ n: sql<number>`count(*)::int` }).from(evaluationRunShards).where(and(eq(evaluationRunShards.runId, runId), isNull(evaluationRunShards.doneAt)));
      if (Number(open.n) > 0) return null;
      const counts = (await progressOf(tx, [r.id])).get(r.id) ?? { done: 0, correct: 0, errors: 0 };
      await tx.update(evaluationRuns).set({ status: runTransition(r.status, 'complete'), finishedAt: clock(), keySecretEnc: null, ...counts }).where(eq(evaluationRuns.id, r.id));
      await audit.record(tx, { actor: systemActor(r), action: 'evaluation.run.complete', recordType: 'evaluation_run', recordId: r.id, marking: markOf(r), ownerOrgId: r.ownerOrgId, detail: counts });
      return r;
    });
    if (done) await retireKey(done);
  }

  /** A result row as it is written: short member names, since a batch goes to the database as one JSON document. */
  interface ResultRow {
    i: string;
    r: string;
    sr: string;
    p: number;
    d: string;
    s: number | null;
    c: boolean;
    o: string;
    l: number;
    pt: number | null;
    ct: number | null;
    a: number;
    e: string | null;
    f: string;
  }

  function resultRow(runId: string, row: { id: string; position: number; domain: string }, sampleId: string, o: SampleOutcome): ResultRow {
    const id = crypto.randomUUID();
    const stored: StoredOutput = { sampleId, output: o.output, answer: o.score?.answer ?? null, explanation: o.score?.explanation ?? null };
    return {
      i: id,
      r: runId,
      sr: row.id,
      p: row.position,
      d: row.domain,
      s: o.score ? o.score.score : null,
      c: !!o.score && o.score.score >= 1,
      o: keyring.encrypt(JSON.stringify(stored), `evaluation_results.output_enc:${id}`),
      l: o.latencyMs,
      pt: o.promptTokens,
      ct: o.completionTokens,
      a: o.attempts,
      // PostgreSQL text cannot hold NUL, and an error quotes the model endpoint's own message.
      e: o.error === null ? null : o.error.replace(/\0/g, ''),
      f: clock().toISOString(),
    };
  }

  /**
   * Group commit of results: a finished sample's row waits at most GROUP_COMMIT_MS for others, then
   * they are committed together (one statement, one round trip); rows that finish while a commit is
   * in flight go in the next. Committing each row as it came made a statement per one or two
   * samples, and the statements cost more CPU than the rest of a sample. The batch is one JSON
   * parameter: one native JSON.stringify instead of fourteen placeholders a row, each rendered and
   * bound separately. The promise of each sample resolves when its row is committed: that row is
   * its checkpoint (a crash re-asks at most the samples of the last GROUP_COMMIT_MS and the commit
   * in flight).
   */
  function resultWriter() {
    const pending: { row: ResultRow; resolve: () => void; reject: (e: unknown) => void }[] = [];
    let flushing = false;
    let timer: NodeJS.Timeout | null = null;
    async function flush() {
      timer = null;
      flushing = true;
      while (pending.length) {
        const batch = pending.splice(0, INSERT_BATCH);
        try {
          await executeIn(
            db,
            `insert into evaluation_results (id, run_id, sample_row_id, position, domain, score, correct, output_enc, latency_ms, prompt_tokens, completion_tokens, attempts, error, finished_at)
             select i, r, sr, p, d, s, c, o, l, pt, ct, a, e, f
             from json_to_recordset($1::json)
               as t(i uuid, r uuid, sr uuid, p int, d text, s real, c boolean, o text, l real, pt int, ct int, a int, e text, f timestamptz)
             on conflict (run_id, position) do nothing`,
            [JSON.stringify(batch.map((b) => b.row))],
          );
          for (const b of batch) b.resolve();
        } catch (e) {
          for (const b of batch) b.reject(e);
        }
      }
      flushing = false;
    }
    const save = (row: ResultRow) =>
      new Promise<void>((resolve, reject) => {
        pending.push({ row, resolve, reject });
        if (!flushing && !timer) timer = setTimeout(() => void flush(), GROUP_COMMIT_MS);
      });
    /** Nothing more will come (the shard's samples are all answered): commit what waits now. */
    const now = () => {
      if (timer && !flushing) {
        clearTimeout(timer);
        void flush();
      }
    };
    return { save, now };
  }

  /**
   * One shard of a run: claim it (one worker at a time; a lost worker's claim goes stale), skip the
   * samples that already have a result (the checkpoint), evaluate the rest with bounded concurrency
   * under the grant's rate limit, and commit each result as it finishes.
   */
  async function runShard(data: { runId: string; shard: number }) {
    const [r0] = await db.select().from(evaluationRuns).where(eq(evaluationRuns.id, data.runId));
    if (!r0 || isFinal(r0.status)) return;
    const claim = crypto.randomUUID();
    const claimed = await executeIn(
      db,
      `update evaluation_run_shards set claim = $1, heartbeat_at = now() where run_id = $2 and shard = $3 and done_at is null and (claim is null or heartbeat_at < now() - interval '${STALE_SECONDS} seconds') returning shard, from_position, to_position`,
      [claim, data.runId, data.shard],
    );
    if (!claimed.rows.length) {
      const [s] = await db.select().from(evaluationRunShards).where(and(eq(evaluationRunShards.runId, data.runId), eq(evaluationRunShards.shard, data.shard)));
      // A live worker holds it: look again later, in case that worker is lost.
      if (s && !s.doneAt) await queue.send(db, SHARD_JOB, data, { startAfter: new Date(Date.now() + RECHECK_MS) });
      return;
    }
    let next: Record<string, unknown> | undefined = claimed.rows[0];
    // Once a shard has handed out its last sample, this worker takes the run's next unclaimed shard
    // at once rather than waiting for the queue to hand it out (its own job then finds it done), and
    // starts it while the last answers of the previous one come in: the run's request slots bound
    // both together.
    const running: Promise<boolean>[] = [];
    // A shard that ends the run (access refused, quota used up) stops the shard overlapping it too.
    const runEnded = new AbortController();
    try {
      while (next) {
        let handedOut = () => {};
        const allHandedOut = new Promise<boolean>((resolve) => (handedOut = () => resolve(true)));
        const shardRun = processShard(data.runId, Number(next.shard), claim, Number(next.from_position), Number(next.to_position), () => handedOut(), runEnded);
        running.push(shardRun);
        if (!(await Promise.race([allHandedOut, shardRun.catch(() => false)]))) break;
        const more = await executeIn(
          db,
          `update evaluation_run_shards set claim = $1, heartbeat_at = now() where run_id = $2 and shard = (
             select shard from evaluation_run_shards where run_id = $2 and done_at is null and claim is null order by shard limit 1 for update skip locked)
           returning shard, from_position, to_position`,
          [claim, data.runId],
        );
        next = more.rows[0];
      }
    } finally {
      // Whatever ended the loop (a claim query that failed included), the shards started are waited for.
      const outcomes = await Promise.allSettled(running);
      limiters.delete(data.runId);
      runSlots.delete(data.runId);
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  /** Works one claimed shard; true when it is done and the run goes on. */
  async function processShard(runId: string, shard: number, claim: string, from: number, to: number, onHandedOut: () => void, runEnded: AbortController): Promise<boolean> {
    const data = { runId, shard };
    const ac = new AbortController();
    // Every in-flight request listens on the shard's signal.
    setMaxListeners(0, ac.signal);
    active.add(ac);
    let stopReason: 'final' | 'claim' | null = null;
    const onRunEnded = () => {
      stopReason ??= 'final';
      ac.abort();
    };
    if (runEnded.signal.aborted) onRunEnded();
    else runEnded.signal.addEventListener('abort', onRunEnded, { once: true });
    const beat = setInterval(() => {
      void (async () => {
        const u = await executeIn(db, 'update evaluation_run_shards set heartbeat_at = now() where run_id = $1 and shard = $2 and claim = $3 returning shard', [data.runId, data.shard, claim]);
        if (!u.rows.length) {
          stopReason = 'claim';
          ac.abort();
          return;
        }
        const [s] = await db.select({ status: evaluationRuns.status }).from(evaluationRuns).where(eq(evaluationRuns.id, data.runId));
        if (!s || isFinal(s.status)) {
          stopReason = 'final';
          ac.abort();
        }
      })().catch(() => undefined);
    }, HEARTBEAT_MS);
    beat.unref();
    let shardDone = false;
    try {
      let [r] = await db.select().from(evaluationRuns).where(eq(evaluationRuns.id, data.runId));
      if (r.status === 'queued') {
        const [u] = await db.update(evaluationRuns).set({ status: runTransition(r.status, 'start'), startedAt: clock() }).where(and(eq(evaluationRuns.id, r.id), eq(evaluationRuns.status, 'queued'))).returning();
        if (u) r = u;
      }
      if (isFinal(r.status)) return false;
      // The shard's inputs are independent reads: made at once, so a shard starts after one round trip, not four.
      const [finishedRows, [version], shardRows, [limits]] = await Promise.all([
        db.select({ p: evaluationResults.position }).from(evaluationResults).where(and(eq(evaluationResults.runId, r.id), gte(evaluationResults.position, from), lt(evaluationResults.position, to))),
        db.select().from(evaluationSuiteVersions).where(eq(evaluationSuiteVersions.id, r.suiteVersionId)),
        db.select().from(evaluationSamples).where(and(eq(evaluationSamples.suiteVersionId, r.suiteVersionId), gte(evaluationSamples.position, from), lt(evaluationSamples.position, to))).orderBy(asc(evaluationSamples.position)),
        db.select({ rpm: gatewayGrantLimits.requestsPerMinute }).from(gatewayGrantLimits).where(eq(gatewayGrantLimits.grantId, r.grantId)),
      ]);
      const finished = new Set(finishedRows.map((x) => x.p));
      const solver = version.solver as SolverConfig;
      const scorer = version.scorer as ScorerConfig;
      const rows = shardRows.filter((x) => !finished.has(x.position));
      const pool = solver.fewShot ? (await db.select().from(evaluationSamples).where(eq(evaluationSamples.suiteVersionId, version.id))).map(decSample) : null;
      if (rows.length) {
        if (!r.keySecretEnc) throw new RunStop('failed', 'The run has no gateway key.');
        const rpm = limits?.rpm ?? null;
        const ctx: CallContext = {
          send: gatewaySend(),
          key: keyring.decrypt(r.keySecretEnc, `evaluation_runs.key_secret_enc:${r.id}`),
          runId: r.id,
          model: r.modelId,
          timeoutMs: sampleTimeoutMs,
          retry,
          signal: ac.signal,
          slot: () => limiterOf(r.id, rpm)(ac.signal),
        };
        const todo = rows.slice();
        let stop = null as RunStop | null;
        const workers = planConcurrency(r.concurrency, todo.length, rpm, 1000);
        const slots = slotsOf(r.id, planConcurrency(r.concurrency, r.concurrency, rpm, 1000));
        const writer = resultWriter();
        const save = writer.save;
        // A worker goes on to its next sample while its result commits (group commit): waiting for
        // the commit put a database round trip into every sample's time. The shard is marked done
        // only after every save has committed, so a crash still resumes from committed rows only.
        const saves: Promise<void>[] = [];
        let saveFailed = false;
        const work = async () => {
          // A result that could not be written fails the shard (below): no more samples are started.
          while (todo.length && !ac.signal.aborted && !saveFailed) {
            await slots.acquire();
            if (!todo.length || ac.signal.aborted || saveFailed) {
              slots.release();
              return;
            }
            const row = todo.shift()!;
            if (!todo.length) onHandedOut();
            try {
              let sample: Sample;
              let out: SampleOutcome;
              try {
                sample = decSample(row);
                out = await evaluateSample(ctx, sample, solver, scorer, pool);
              } finally {
                slots.release();
              }
              if (ac.signal.aborted) return;
              const saved = save(resultRow(r.id, row, sample.id, out));
              saved.catch(() => (saveFailed = true)); // awaited below (this also keeps the failure from going unhandled meanwhile)
              saves.push(saved);
            } catch (e) {
              if (e instanceof RunStop) {
                stop ??= e;
                ac.abort();
                runEnded.abort();
                return;
              }
              if (ac.signal.aborted) return;
              throw e;
            }
          }
        };
        const settled = await Promise.allSettled(Array.from({ length: workers }, work));
        writer.now();
        settled.push(...(await Promise.allSettled(saves)));
        if (stop) throw stop;
        const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
        if (failed && !ac.signal.aborted) throw failed.reason;
        if (ac.signal.aborted) {
          if (stopReason) return false; // cancelled, stopped, or the claim was taken over
          throw new Error('evaluation worker stopping: the shard will be resumed');
        }
      }
      await db.update(evaluationRunShards).set({ doneAt: clock() }).where(and(eq(evaluationRunShards.runId, r.id), eq(evaluationRunShards.shard, data.shard), eq(evaluationRunShards.claim, claim)));
      shardDone = true;
      await maybeComplete(r.id);
      return true;
    } catch (e) {
      if (e instanceof RunStop) {
        runEnded.abort();
        await endRun(data.runId, e.kind, e.message);
        return false;
      }
      if (ac.signal.aborted && !stopReason) throw e; // this process is stopping: pg-boss hands the shard on
      await endRun(data.runId, 'failed', `The run could not go on (${(e as Error).name}).`);
      return false;
    } finally {
      clearInterval(beat);
      runEnded.signal.removeEventListener('abort', onRunEnded);
      active.delete(ac);
      if (!shardDone) await executeIn(db, 'update evaluation_run_shards set claim = null, heartbeat_at = null where run_id = $1 and shard = $2 and claim = $3', [data.runId, data.shard, claim]).catch(() => undefined);
    }
  }

  /** Catch-up at start: unfinished shards of live runs with no pending job and no live claim are queued again. */
  async function requeueLost() {
    const r = await executeIn(
      db,
      `select s.run_id, s.shard from evaluation_run_shards s join evaluation_runs r on r.id = s.run_id
        where r.status in ('queued', 'running') and s.done_at is null
          and (s.claim is null or s.heartbeat_at < now() - interval '${STALE_SECONDS} seconds')
          and not exists (select 1 from pgboss.job j where j.name = $1 and j.state in ('created', 'retry')
                          and j.data->>'runId' = s.run_id::text and (j.data->>'shard')::int = s.shard)`,
      [SHARD_JOB],
    );
    for (const row of r.rows) await queue.send(db, SHARD_JOB, { runId: String(row.run_id), shard: Number(row.shard) });
    return r.rows.length;
  }

  const jobs: JobDefinition<any>[] = [{ name: SHARD_JOB, retryLimit: 10, retryDelaySeconds: 1, handler: runShard }];

  return {
    jobs,
    startup: async () => {
      await requeueLost();
    },
    importSuite,
    listSuites,
    getSuite,
    listSamples,
    runnableGrants,
    createRun,
    listRuns,
    getRun,
    cancelRun,
    listResults,
    aggregates,
    compare,
    exportRun,
    markingOfRun,
    requeueLost,
    runShard,
    /** Aborts every shard this process is running (their jobs are retried by a worker); call when stopping. */
    abortShards() {
      for (const ac of active) ac.abort();
    },
    get activeShards() {
      return active.size;
    },
  };
}

export type EvaluationsService = ReturnType<typeof createEvaluationsService>;
