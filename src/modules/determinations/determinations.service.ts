import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { agencyConsultations, benchmarks, determinationNotices, determinations, evaluationResults, evaluationRuns, evaluationSuites, models, thresholdVersions } from '../../db/schema.ts';
import { aggregate } from '../evaluations/stats.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { Keyring } from '../../lib/crypto/keyring.ts';
import type { Actor } from '../access/actor.ts';
import { readableBy } from '../access/access.sql.ts';
import { addGrant, enforce, grantsOf } from '../access/access.service.ts';
import { CUI, dominates, formatMarking, highest, levelOf, nameOf, type Marking } from '../access/marking.ts';
import { can, canRead, type ReadRule, type Subject } from '../access/policy.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { evaluateCriteria, type Domain, type Judgment, type Scores, type Thresholds } from './criteria.ts';
import { determinationTransition } from './determination.machine.ts';
import { thresholdTransition } from './threshold.machine.ts';
import { computeTriggerFlop, CONSULTED_AGENCIES, withdrawalsOf, emailsOf, findModel, modelNames, orgsById, PARTY_AGENCIES, partyOrgs, positionsOf } from './determinations.dal.ts';
import type { BenchmarkView, CreateBenchmarkBody, DecideBody, DeterminationView, NoticeView, PositionView, ThresholdVersionView, UpdateDeterminationBody } from './determinations.types.ts';

type BenchmarkRow = typeof benchmarks.$inferSelect;
type ThresholdRow = typeof thresholdVersions.$inferSelect;
type DeterminationRow = typeof determinations.$inferSelect;
type PositionRow = typeof agencyConsultations.$inferSelect;

/** What a consulted agency without the clearance sees of a record (positions, status, the model's name): CUI. */
const STUB_MARKING: Marking = { classification: CUI, compartments: [] };

/** How far ahead a determination's expiry may be set. */
export const MAX_AHEAD_MS = 5 * 366 * 86_400_000;

export const WORK_RULE: ReadRule = { ability: 'determinations:work' };
export const MODEL_RULE: ReadRule = { ability: 'models:read' };

interface BenchmarkDefinition {
  domains: { domain: Domain; suites: string[]; rule: string }[];
  description?: string;
}
interface ThresholdContent {
  thresholds: Thresholds;
  note?: string;
}
interface Analysis {
  scores: Scores;
  judgment: Judgment;
  rationale: string;
  /** Where a domain's score came from when it was taken from a benchmark run. */
  scoreSources?: Partial<Record<Domain, { runId: string; n: number; at: string }>>;
  /** The criteria as they stood at the decision (with the compute trigger then in force). */
  criteriaAtDecision?: ReturnType<typeof evaluateCriteria> & { computeTriggerFlop: number };
}

export function markingView(m: Marking) {
  return { classification: nameOf(m.classification), compartments: [...m.compartments].sort(), banner: formatMarking(m) };
}
const markOf = (r: { classification: number; compartments: readonly string[] }): Marking => ({ classification: r.classification, compartments: [...r.compartments] });

/** NSA decides; ONCD and CISA are consulted. Nobody else learns that any of this exists. */
export function isParty(s: Subject): boolean {
  return s.orgKind === 'agency' && (PARTY_AGENCIES as readonly string[]).includes(s.agencyCode ?? '') && can(s, 'determinations:work');
}
const isNsa = (s: Subject) => isParty(s) && s.agencyCode === 'NSA';
const isConsulted = (s: Subject) => isParty(s) && (CONSULTED_AGENCIES as readonly string[]).includes(s.agencyCode ?? '');

export function createDeterminationsService({ db, audit, keyring, notify, clock }: ModuleDeps) {
  const enc = (table: string, column: string, id: string, value: unknown) => keyring.encrypt(JSON.stringify(value), `${table}.${column}:${id}`);
  const dec = <T>(table: string, column: string, id: string, value: string): T => JSON.parse(keyring.decrypt(value, `${table}.${column}:${id}`)) as T;
  const decComment = (p: PositionRow) => (p.commentEnc ? keyring.decrypt(p.commentEnc, `agency_consultations.comment_enc:${p.id}`) : null);

  async function fullRead(subject: Subject, recordType: string, row: { id: string; ownerOrgId: string; classification: number; compartments: string[] }, tx: DbOrTx = db) {
    const grants = (await grantsOf(tx, recordType, [row.id])).get(row.id) ?? [];
    return canRead(subject, { ...row, grants }, WORK_RULE, clock());
  }

  async function modelReadable(subject: Subject, modelId: string, tx: DbOrTx = db) {
    const m = await findModel(tx, modelId);
    if (!m) return null;
    const grants = (await grantsOf(tx, 'model', [m.id])).get(m.id) ?? [];
    return canRead(subject, { ...m, grants }, MODEL_RULE, clock()).allow ? m : null;
  }

  /** ONCD and CISA may read (if they hold the clearance and compartment): grants on each record. */
  async function grantConsulted(tx: DbOrTx, recordType: string, recordId: string, grantedBy: string) {
    const orgs = await partyOrgs(tx);
    for (const code of CONSULTED_AGENCIES) {
      const o = orgs.get(code);
      if (o) await addGrant(tx, { recordType, recordId, granteeOrgId: o.id, grantedBy, reason: `${code} is consulted on determinations`, sourceType: 'determinations', sourceId: recordId });
    }
  }

  async function positionViews(subject: Subject, rows: PositionRow[], tx: DbOrTx = db): Promise<z.infer<typeof PositionView>[]> {
    const orgs = await orgsById(tx, [...new Set(rows.map((r) => r.agencyOrgId))]);
    const emails = await emailsOf(tx, rows.map((r) => r.userId));
    return rows.map((r) => ({
      id: r.id,
      agencyCode: orgs.get(r.agencyOrgId)?.agencyCode ?? null,
      agencyName: orgs.get(r.agencyOrgId)?.name ?? 'unknown',
      userEmail: emails.get(r.userId) ?? null,
      position: r.position as 'concur',
      comment: subject.agencyCode === 'NSA' || r.agencyOrgId === subject.orgId ? decComment(r) : null,
      at: r.createdAt.toISOString(),
    }));
  }

  /** The latest position of each consulted agency, counting only those recorded since `since`. */
  async function missingPositions(tx: DbOrTx, subjectType: 'threshold_version' | 'determination', subjectId: string, since: Date | null) {
    const orgs = await partyOrgs(tx);
    const rows = (await positionsOf(tx, subjectType, [subjectId])).filter((r) => !since || r.createdAt.getTime() >= since.getTime());
    return CONSULTED_AGENCIES.filter((code) => {
      const o = orgs.get(code);
      return !o || !rows.some((r) => r.agencyOrgId === o.id);
    });
  }

  // ───────────────────────────── benchmarks ─────────────────────────────

  function benchmarkView(b: BenchmarkRow, emails: Map<string, string>): z.infer<typeof BenchmarkView> {
    const def = dec<BenchmarkDefinition>('benchmarks', 'definition_enc', b.id, b.definitionEnc);
    return {
      id: b.id,
      name: b.name,
      version: b.version,
      marking: markingView(markOf(b)),
      domains: def.domains,
      description: def.description ?? null,
      createdBy: emails.get(b.createdBy) ?? b.createdBy,
      createdAt: b.createdAt.toISOString(),
    };
  }

  async function createBenchmark(actor: Actor, subject: Subject, input: z.infer<typeof CreateBenchmarkBody>) {
    if (!isParty(subject)) throw new NotFoundError('benchmark', true);
    if (subject.agencyCode !== 'NSA' || !can(subject, 'benchmarks:manage')) throw new ForbiddenError('Only NSA analysts define benchmarks.');
    const marking: Marking = { classification: levelOf(input.classification), compartments: [...new Set(input.compartments)].sort() };
    if (!dominates({ classification: subject.clearance, compartments: subject.compartments }, marking)) throw new ForbiddenError('You cannot mark a benchmark above your own clearance.');
    const [dup] = await db.select({ id: benchmarks.id }).from(benchmarks).where(and(eq(benchmarks.name, input.name), eq(benchmarks.version, input.version)));
    if (dup) throw new ConflictError('That benchmark version already exists.');
    return db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('benchmarks'))`);
      const [again] = await tx.select({ id: benchmarks.id }).from(benchmarks).where(and(eq(benchmarks.name, input.name), eq(benchmarks.version, input.version)));
      if (again) throw new ConflictError('That benchmark version already exists.');
      const id = crypto.randomUUID();
      const definition: BenchmarkDefinition = { domains: input.domains, ...(input.description ? { description: input.description } : {}) };
      const [b] = await tx
        .insert(benchmarks)
        .values({ id, ownerOrgId: subject.orgId, classification: marking.classification, compartments: [...marking.compartments], name: input.name, version: input.version, definitionEnc: enc('benchmarks', 'definition_enc', id, definition), createdBy: subject.userId })
        .returning();
      await grantConsulted(tx, 'benchmark', id, subject.userId);
      await audit.record(tx, { actor, action: 'benchmark.create', recordType: 'benchmark', recordId: id, detail: { version: input.version }, marking, ownerOrgId: subject.orgId });
      return benchmarkView(b, new Map([[subject.userId, actor.email ?? '']]));
    });
  }

  async function listBenchmarks(actor: Actor, subject: Subject) {
    if (!isParty(subject)) return [];
    const rows = await db
      .select()
      .from(benchmarks)
      .where(readableBy(subject, benchmarks, 'benchmark', WORK_RULE, clock()))
      .orderBy(benchmarks.name, desc(benchmarks.version));
    if (rows.length === 0) return [];
    const emails = await emailsOf(db, rows.map((r) => r.createdBy));
    return db.transaction(async (tx) => {
      for (const b of rows) await audit.recordRead(tx, actor, { recordType: 'benchmark', recordId: b.id, ...markOf(b) }, { list: true });
      return rows.map((b) => benchmarkView(b, emails));
    });
  }

  async function loadBenchmark(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!isParty(subject)) throw new NotFoundError('benchmark', true);
    const [b] = await tx.select().from(benchmarks).where(eq(benchmarks.id, id));
    if (!b) throw new NotFoundError('benchmark');
    const d = await fullRead(subject, 'benchmark', b, tx);
    enforce(d.allow ? d : { allow: false, reason: 'not-found' }, 'benchmark');
    return b;
  }

  async function getBenchmark(actor: Actor, subject: Subject, id: string) {
    const b = await loadBenchmark(subject, id);
    const emails = await emailsOf(db, [b.createdBy]);
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'benchmark', recordId: b.id, ...markOf(b) }));
    return benchmarkView(b, emails);
  }

  // ───────────────────────────── thresholds ─────────────────────────────

  async function thresholdViews(actor: Actor, subject: Subject, rows: ThresholdRow[], tx: DbOrTx): Promise<z.infer<typeof ThresholdVersionView>[]> {
    if (rows.length === 0) return [];
    const bIds = [...new Set(rows.map((r) => r.benchmarkId))];
    const bRows = await tx.select().from(benchmarks).where(inArray(benchmarks.id, bIds));
    const bById = new Map(bRows.map((b) => [b.id, b]));
    const grants = await grantsOf(tx, 'threshold_version', rows.map((r) => r.id));
    const bGrants = await grantsOf(tx, 'benchmark', bIds);
    const positions = await positionsOf(tx, 'threshold_version', rows.map((r) => r.id));
    const pViews = await positionViews(subject, positions, tx);
    // Every version of the same benchmark, to say who superseded what and when.
    const siblings = await tx.select().from(thresholdVersions).where(inArray(thresholdVersions.benchmarkId, bIds));
    const emails = await emailsOf(tx, [...rows.flatMap((r) => [r.proposedBy, r.adoptedBy]), ...siblings.map((s) => s.adoptedBy)]);
    const withdrawals = await withdrawalsOf(tx, rows.filter((r) => r.status === 'withdrawn').map((r) => r.id));
    const now = clock();
    const out = [];
    for (const r of rows) {
      const visible = canRead(subject, { ...r, grants: grants.get(r.id) ?? [] }, WORK_RULE, now).allow;
      const b = bById.get(r.benchmarkId);
      const bVisible = !!b && canRead(subject, { ...b, grants: bGrants.get(b.id) ?? [] }, WORK_RULE, now).allow;
      const content = visible ? dec<ThresholdContent>('threshold_versions', 'thresholds_enc', r.id, r.thresholdsEnc) : null;
      if (visible) await audit.recordRead(tx, actor, { recordType: 'threshold_version', recordId: r.id, ...markOf(r) });
      const mine = positions.map((p, i) => ({ p, v: pViews[i] })).filter((x) => x.p.subjectId === r.id);
      const history = [
        { action: 'proposed', by: emails.get(r.proposedBy) ?? null, at: r.proposedAt.toISOString() },
        ...mine.map((x) => ({ action: `${x.v.agencyCode ?? 'agency'} ${x.v.position.replaceAll('_', ' ')}`, by: x.v.userEmail, at: x.v.at })),
      ];
      if (r.adoptedAt) history.push({ action: 'adopted', by: emails.get(r.adoptedBy ?? '') ?? null, at: r.adoptedAt.toISOString() });
      if (r.status === 'superseded' && r.adoptedAt) {
        const next = siblings.filter((s) => s.adoptedAt && s.adoptedAt.getTime() >= r.adoptedAt!.getTime() && s.id !== r.id).sort((a, b2) => a.adoptedAt!.getTime() - b2.adoptedAt!.getTime())[0];
        if (next) history.push({ action: `superseded by version ${next.version}`, by: emails.get(next.adoptedBy ?? '') ?? null, at: next.adoptedAt!.toISOString() });
      }
      const w = withdrawals.get(r.id);
      if (r.status === 'withdrawn') history.push({ action: 'withdrawn', by: w?.by ?? null, at: (w?.at ?? r.proposedAt).toISOString() });
      out.push({
        id: r.id,
        benchmarkId: r.benchmarkId,
        version: r.version,
        status: r.status,
        // A reader without the clearance is shown only unclassified governance facts, marked as such.
        marking: markingView(visible ? markOf(r) : STUB_MARKING),
        contentVisible: visible,
        benchmark: bVisible && b ? { name: b.name, version: b.version } : null,
        thresholds: content ? (content.thresholds as Record<string, number>) : null,
        note: content?.note ?? null,
        proposedBy: emails.get(r.proposedBy) ?? null,
        proposedAt: r.proposedAt.toISOString(),
        adoptedBy: r.adoptedBy ? (emails.get(r.adoptedBy) ?? null) : null,
        adoptedAt: r.adoptedAt?.toISOString() ?? null,
        positions: mine.map((x) => x.v),
        history,
      });
    }
    return out;
  }

  async function loadThreshold(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!isParty(subject)) throw new NotFoundError('threshold version', true);
    const [r] = await tx.select().from(thresholdVersions).where(eq(thresholdVersions.id, id));
    if (!r) throw new NotFoundError('threshold version');
    return r;
  }

  async function proposeThreshold(actor: Actor, subject: Subject, input: { benchmarkId: string; thresholds: Thresholds; note?: string }) {
    if (!isParty(subject)) throw new NotFoundError('benchmark', true);
    if (subject.agencyCode !== 'NSA' || !can(subject, 'benchmarks:manage')) throw new ForbiddenError('Only NSA proposes threshold versions.');
    const b = await loadBenchmark(subject, input.benchmarkId);
    const def = dec<BenchmarkDefinition>('benchmarks', 'definition_enc', b.id, b.definitionEnc);
    const unknown = Object.keys(input.thresholds).filter((d) => !def.domains.some((x) => x.domain === d));
    if (unknown.length) throw new ValidationError('Thresholds name domains the benchmark does not score.', unknown.map((d) => ({ path: `thresholds.${d}`, message: 'not a domain of this benchmark' })));
    return db.transaction(async (tx) => {
      // Version numbers are handed out one at a time per benchmark.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`threshold_versions:${b.id}`}))`);
      const existing = await tx.select({ version: thresholdVersions.version }).from(thresholdVersions).where(eq(thresholdVersions.benchmarkId, b.id));
      const version = existing.reduce((m, r) => Math.max(m, r.version), 0) + 1;
      const id = crypto.randomUUID();
      const content: ThresholdContent = { thresholds: input.thresholds, ...(input.note ? { note: input.note } : {}) };
      const [r] = await tx
        .insert(thresholdVersions)
        .values({ id, ownerOrgId: b.ownerOrgId, classification: b.classification, compartments: b.compartments, benchmarkId: b.id, version, thresholdsEnc: enc('threshold_versions', 'thresholds_enc', id, content), status: 'proposed', proposedBy: subject.userId, proposedAt: clock() })
        .returning();
      await grantConsulted(tx, 'threshold_version', id, subject.userId);
      const orgs = await partyOrgs(tx);
      await notify.notify(tx, {
        orgIds: CONSULTED_AGENCIES.map((c) => orgs.get(c)?.id).filter((x): x is string => !!x),
        roles: ['analyst'],
        title: 'Threshold consultation requested',
        body: `NSA proposed threshold version ${version} and asks for your agency's position.`,
        link: '/determinations/thresholds',
      });
      await audit.record(tx, { actor, action: 'threshold_version.propose', recordType: 'threshold_version', recordId: id, detail: { benchmarkId: b.id, version }, marking: markOf(b), ownerOrgId: b.ownerOrgId });
      return (await thresholdViews(actor, subject, [r], tx))[0];
    });
  }

  async function listThresholdVersions(actor: Actor, subject: Subject, benchmarkId?: string) {
    if (!isParty(subject)) return [];
    const rows = await db
      .select()
      .from(thresholdVersions)
      .where(benchmarkId ? eq(thresholdVersions.benchmarkId, benchmarkId) : undefined)
      .orderBy(desc(thresholdVersions.proposedAt));
    return db.transaction((tx) => thresholdViews(actor, subject, rows, tx));
  }

  async function getThresholdVersion(actor: Actor, subject: Subject, id: string) {
    const r = await loadThreshold(subject, id);
    return db.transaction(async (tx) => (await thresholdViews(actor, subject, [r], tx))[0]);
  }

  async function consultThreshold(actor: Actor, subject: Subject, id: string, input: { position: string; comment?: string }) {
    const r = await loadThreshold(subject, id);
    if (!isConsulted(subject)) throw new ForbiddenError('Only ONCD and CISA record a consultation position.');
    thresholdTransition(r.status, 'consult');
    return db.transaction(async (tx) => {
      const pid = crypto.randomUUID();
      await tx.insert(agencyConsultations).values({
        id: pid,
        subjectType: 'threshold_version',
        subjectId: r.id,
        agencyOrgId: subject.orgId,
        userId: subject.userId,
        position: input.position,
        commentEnc: input.comment ? keyring.encrypt(input.comment, `agency_consultations.comment_enc:${pid}`) : null,
        createdAt: clock(),
      });
      const orgs = await partyOrgs(tx);
      const nsa = orgs.get('NSA');
      if (nsa) await notify.notify(tx, { orgIds: [nsa.id], roles: ['analyst'], title: 'Threshold consultation recorded', body: `${subject.agencyCode} recorded its position on threshold version ${r.version}.`, link: '/determinations/thresholds' });
      await audit.record(tx, { actor, action: 'threshold_version.consult', recordType: 'threshold_version', recordId: r.id, detail: { position: input.position, agency: subject.agencyCode ?? null }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await thresholdViews(actor, subject, [r], tx))[0];
    });
  }

  async function adoptThreshold(actor: Actor, subject: Subject, id: string) {
    const r = await loadThreshold(subject, id);
    if (subject.agencyCode !== 'NSA' || !can(subject, 'benchmarks:manage')) throw new ForbiddenError('Only NSA adopts threshold versions.');
    enforce((await fullRead(subject, 'threshold_version', r)).allow ? { allow: true } : { allow: false, reason: 'not-found' }, 'threshold version');
    thresholdTransition(r.status, 'adopt');
    const missing = await missingPositions(db, 'threshold_version', r.id, null);
    if (missing.length) throw new ConflictError(`Threshold version ${r.version} cannot be adopted until ${missing.join(' and ')} ${missing.length > 1 ? 'have' : 'has'} recorded a position.`);
    return db.transaction(async (tx) => {
      // One adoption at a time per benchmark (the lock proposeThreshold takes), so two concurrent
      // adoptions cannot both miss each other and leave two adopted versions.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`threshold_versions:${r.benchmarkId}`}))`);
      const now = clock();
      const previous = await tx.select().from(thresholdVersions).where(and(eq(thresholdVersions.benchmarkId, r.benchmarkId), eq(thresholdVersions.status, 'adopted')));
      for (const p of previous) {
        await tx.update(thresholdVersions).set({ status: thresholdTransition(p.status, 'supersede') }).where(eq(thresholdVersions.id, p.id));
        await audit.record(tx, { actor, action: 'threshold_version.supersede', recordType: 'threshold_version', recordId: p.id, detail: { version: p.version, by: r.version }, marking: markOf(p), ownerOrgId: p.ownerOrgId });
      }
      const [updated] = await tx
        .update(thresholdVersions)
        .set({ status: thresholdTransition(r.status, 'adopt'), adoptedBy: subject.userId, adoptedAt: now })
        .where(and(eq(thresholdVersions.id, r.id), eq(thresholdVersions.status, 'proposed')))
        .returning();
      if (!updated) throw new ConflictError('The threshold version changed meanwhile; reload it.');
      const orgs = await partyOrgs(tx);
      await notify.notify(tx, { orgIds: [...orgs.values()].map((o) => o.id), roles: ['analyst'], title: 'Threshold version adopted', body: `NSA adopted threshold version ${r.version}.`, link: '/determinations/thresholds' });
      await audit.record(tx, { actor, action: 'threshold_version.adopt', recordType: 'threshold_version', recordId: r.id, detail: { version: r.version, superseded: previous.map((p) => p.id) }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await thresholdViews(actor, subject, [updated], tx))[0];
    });
  }

  async function withdrawThreshold(actor: Actor, subject: Subject, id: string) {
    const r = await loadThreshold(subject, id);
    if (subject.agencyCode !== 'NSA' || !can(subject, 'benchmarks:manage')) throw new ForbiddenError('Only NSA withdraws threshold versions.');
    enforce((await fullRead(subject, 'threshold_version', r)).allow ? { allow: true } : { allow: false, reason: 'not-found' }, 'threshold version');
    const next = thresholdTransition(r.status, 'withdraw');
    return db.transaction(async (tx) => {
      const [updated] = await tx.update(thresholdVersions).set({ status: next }).where(eq(thresholdVersions.id, r.id)).returning();
      await audit.record(tx, { actor, action: 'threshold_version.withdraw', recordType: 'threshold_version', recordId: r.id, detail: { version: r.version }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await thresholdViews(actor, subject, [updated], tx))[0];
    });
  }

  // ───────────────────────────── determinations ─────────────────────────────

  async function determinationViews(actor: Actor, subject: Subject, rows: DeterminationRow[], tx: DbOrTx): Promise<z.infer<typeof DeterminationView>[]> {
    if (rows.length === 0) return [];
    const now = clock();
    const grants = await grantsOf(tx, 'determination', rows.map((r) => r.id));
    const modelIds = [...new Set(rows.map((r) => r.modelId))];
    const mRows = await tx.select().from(models).where(inArray(models.id, modelIds));
    const mGrants = await grantsOf(tx, 'model', modelIds);
    const modelVisible = new Map(mRows.map((m) => [m.id, canRead(subject, { ...m, grants: mGrants.get(m.id) ?? [] }, MODEL_RULE, now).allow]));
    const names = await modelNames(tx, modelIds);
    const bIds = [...new Set(rows.map((r) => r.benchmarkId))];
    const bRows = bIds.length ? await tx.select().from(benchmarks).where(inArray(benchmarks.id, bIds)) : [];
    const tIds = [...new Set(rows.map((r) => r.thresholdVersionId))];
    const tRows = tIds.length ? await tx.select().from(thresholdVersions).where(inArray(thresholdVersions.id, tIds)) : [];
    const positions = await positionsOf(tx, 'determination', rows.map((r) => r.id));
    const pViews = await positionViews(subject, positions, tx);
    const emails = await emailsOf(tx, rows.flatMap((r) => [r.createdBy, r.decidedBy]));
    const trigger = await computeTriggerFlop(tx);
    const modelReadsRecorded = new Set<string>();
    const out = [];
    for (const r of rows) {
      const full = canRead(subject, { ...r, grants: grants.get(r.id) ?? [] }, WORK_RULE, now).allow;
      const mv = modelVisible.get(r.modelId) ?? false;
      if (!full && !mv) continue; // a consulted agency sees a determination only for a model shared with it
      const signoffs = positions
        .map((p, i) => ({ p, v: pViews[i] }))
        .filter((x) => x.p.subjectId === r.id)
        .map((x) => x.v);
      const base = {
        id: r.id,
        modelId: r.modelId,
        model: mv || full ? (names.get(r.modelId) ?? null) : null,
        status: r.status,
        marking: markingView(full ? markOf(r) : STUB_MARKING),
        signoffs,
        outcome: r.outcome,
        unclassifiedSummary: r.unclassifiedSummary,
        expiresAt: r.expiresAt?.toISOString() ?? null,
        reevaluationTriggers: r.reevaluationTriggers ?? [],
        createdBy: emails.get(r.createdBy) ?? null,
        createdAt: r.createdAt.toISOString(),
        decidedBy: r.decidedBy ? (emails.get(r.decidedBy) ?? null) : null,
        decidedAt: r.decidedAt?.toISOString() ?? null,
      };
      // The model's name (CUI, the developer's) is shown: that read is on the record, for the developer's auditors too.
      if (base.model) {
        const m = mRows.find((x) => x.id === r.modelId);
        if (m && !modelReadsRecorded.has(m.id)) {
          modelReadsRecorded.add(m.id);
          await audit.recordRead(tx, actor, { recordType: 'model', recordId: m.id, ...markOf(m) }, { view: 'determination' }, m.ownerOrgId);
        }
      }
      if (!full) {
        // The stub (status, sign-offs, the model's name) is CUI: recorded at that marking.
        await audit.recordRead(tx, actor, { recordType: 'determination', recordId: r.id, ...STUB_MARKING }, { view: 'stub' });
        out.push({ ...base, contentVisible: false, benchmark: null, thresholdVersion: null, scores: null, computeFlop: null, judgment: null, rationale: null, suggested: null, scoreSources: null });
        continue;
      }
      await audit.recordRead(tx, actor, { recordType: 'determination', recordId: r.id, ...markOf(r) });
      const a = dec<Analysis>('determinations', 'analysis_enc', r.id, r.analysisEnc);
      const b = bRows.find((x) => x.id === r.benchmarkId);
      const t = tRows.find((x) => x.id === r.thresholdVersionId);
      const tc = t ? dec<ThresholdContent>('threshold_versions', 'thresholds_enc', t.id, t.thresholdsEnc) : { thresholds: {} };
      const live = { ...evaluateCriteria({ scores: a.scores, thresholds: tc.thresholds, computeFlop: r.computeFlop, computeTriggerFlop: trigger, judgment: a.judgment }), computeTriggerFlop: trigger };
      out.push({
        ...base,
        contentVisible: true,
        benchmark: b ? { id: b.id, name: b.name, version: b.version } : null,
        thresholdVersion: t ? { id: t.id, version: t.version, thresholds: tc.thresholds as Record<string, number> } : null,
        scores: a.scores as Record<string, number>,
        computeFlop: r.computeFlop,
        judgment: a.judgment,
        rationale: a.rationale,
        suggested: a.criteriaAtDecision ?? live,
        scoreSources: (a.scoreSources as Record<string, { runId: string; n: number; at: string }> | undefined) ?? null,
      });
    }
    return out;
  }

  async function loadDetermination(subject: Subject, id: string, tx: DbOrTx = db) {
    if (!isParty(subject)) throw new NotFoundError('determination', true);
    const [r] = await tx.select().from(determinations).where(eq(determinations.id, id));
    if (!r) throw new NotFoundError('determination');
    return r;
  }

  /** NSA's own actions on a determination need the full read (clearance and BENCH). */
  async function loadForNsa(subject: Subject, id: string) {
    const r = await loadDetermination(subject, id);
    const full = (await fullRead(subject, 'determination', r)).allow;
    if (!full) {
      if (await modelReadable(subject, r.modelId)) throw new ForbiddenError('Only cleared NSA analysts holding the compartment change a determination.');
      throw new NotFoundError('determination', true);
    }
    if (!isNsa(subject)) throw new ForbiddenError('Only NSA prepares and decides determinations.');
    return r;
  }

  async function listCandidateModels(actor: Actor, subject: Subject) {
    if (!isNsa(subject)) return [];
    const rows = await db
      .select({ id: models.id, name: models.name, version: models.version, trainingComputeFlop: models.trainingComputeFlop, ownerOrgId: models.ownerOrgId, classification: models.classification, compartments: models.compartments })
      .from(models)
      .where(and(readableBy(subject, models, 'model', MODEL_RULE, clock()), ne(models.status, 'withdrawn')))
      .orderBy(models.name, models.version);
    if (rows.length === 0) return [];
    // Each model's name and compute are the developer's CUI: every read is on the record, for the
    // developer's auditors too.
    await db.transaction(async (tx) => {
      for (const m of rows) await audit.recordRead(tx, actor, { recordType: 'model', recordId: m.id, ...markOf(m) }, { view: 'determination_candidates' }, m.ownerOrgId);
    });
    return rows.map((m) => ({ id: m.id, name: m.name, version: m.version, trainingComputeFlop: m.trainingComputeFlop }));
  }

  async function createDetermination(actor: Actor, subject: Subject, input: { modelId: string; benchmarkId: string; thresholdVersionId?: string }) {
    if (!isParty(subject)) throw new NotFoundError('model', true);
    if (!isNsa(subject)) throw new ForbiddenError('Only NSA prepares determinations.');
    const m = await modelReadable(subject, input.modelId);
    if (!m) throw new NotFoundError('model', true);
    const b = await loadBenchmark(subject, input.benchmarkId);
    const [adopted] = await db.select().from(thresholdVersions).where(and(eq(thresholdVersions.benchmarkId, b.id), eq(thresholdVersions.status, 'adopted')));
    if (!adopted) throw new ConflictError('No threshold version of this benchmark is adopted yet.');
    if (input.thresholdVersionId && input.thresholdVersionId !== adopted.id) throw new ConflictError('A determination uses the currently adopted threshold version.');
    return db.transaction(async (tx) => {
      const id = crypto.randomUUID();
      const analysis: Analysis = { scores: {}, judgment: 'no_view', rationale: '' };
      const [r] = await tx
        .insert(determinations)
        .values({
          id,
          ownerOrgId: subject.orgId,
          classification: b.classification,
          compartments: b.compartments,
          modelId: m.id,
          benchmarkId: b.id,
          thresholdVersionId: adopted.id,
          analysisEnc: enc('determinations', 'analysis_enc', id, analysis),
          computeFlop: m.trainingComputeFlop,
          status: 'draft',
          createdBy: subject.userId,
          createdAt: clock(),
        })
        .returning();
      await grantConsulted(tx, 'determination', id, subject.userId);
      await audit.record(tx, { actor, action: 'determination.create', recordType: 'determination', recordId: id, detail: { modelId: m.id, benchmarkId: b.id, thresholdVersion: adopted.version }, marking: markOf(b), ownerOrgId: subject.orgId });
      return (await determinationViews(actor, subject, [r], tx))[0];
    });
  }

  async function listDeterminations(actor: Actor, subject: Subject, modelId?: string) {
    if (!isParty(subject)) return [];
    const rows = await db
      .select()
      .from(determinations)
      .where(modelId ? eq(determinations.modelId, modelId) : undefined)
      .orderBy(desc(determinations.createdAt));
    return db.transaction((tx) => determinationViews(actor, subject, rows, tx));
  }

  async function getDetermination(actor: Actor, subject: Subject, id: string) {
    const r = await loadDetermination(subject, id);
    const [v] = await db.transaction((tx) => determinationViews(actor, subject, [r], tx));
    if (!v) throw new NotFoundError('determination', true);
    return v;
  }

  async function updateDetermination(actor: Actor, subject: Subject, id: string, patch: z.infer<typeof UpdateDeterminationBody>) {
    const r = await loadForNsa(subject, id);
    determinationTransition(r.status, 'edit');
    const a = dec<Analysis>('determinations', 'analysis_enc', r.id, r.analysisEnc);
    const scores: Scores = { ...a.scores };
    for (const [d, v] of Object.entries(patch.scores ?? {}) as [Domain, number | null | undefined][]) {
      if (v === null) delete scores[d];
      else if (v !== undefined) scores[d] = v;
    }
    // A score typed in by hand no longer comes from a run.
    const scoreSources = { ...(a.scoreSources ?? {}) };
    for (const d of Object.keys(patch.scores ?? {}) as Domain[]) if (patch.scores?.[d] !== undefined) delete scoreSources[d];
    const next: Analysis = { scores, judgment: patch.judgment ?? a.judgment, rationale: patch.rationale ?? a.rationale, ...(Object.keys(scoreSources).length ? { scoreSources } : {}) };
    return db.transaction(async (tx) => {
      const [u] = await tx
        .update(determinations)
        .set({ analysisEnc: enc('determinations', 'analysis_enc', r.id, next), ...(patch.computeFlop !== undefined ? { computeFlop: patch.computeFlop } : {}) })
        .where(and(eq(determinations.id, r.id), eq(determinations.status, 'draft')))
        .returning();
      if (!u) throw new ConflictError('The determination changed meanwhile; reload it.');
      await audit.record(tx, { actor, action: 'determination.update', recordType: 'determination', recordId: r.id, detail: { changed: Object.keys(patch) }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await determinationViews(actor, subject, [u], tx))[0];
    });
  }

  async function submitDetermination(actor: Actor, subject: Subject, id: string) {
    const r = await loadForNsa(subject, id);
    const status = determinationTransition(r.status, 'submit');
    const a = dec<Analysis>('determinations', 'analysis_enc', r.id, r.analysisEnc);
    if (!a.rationale.trim()) throw new ValidationError('Write the rationale before sending the determination for sign-off.', [{ path: 'rationale', message: 'required' }]);
    return db.transaction(async (tx) => {
      const [u] = await tx.update(determinations).set({ status, submittedAt: clock() }).where(and(eq(determinations.id, r.id), eq(determinations.status, r.status))).returning();
      if (!u) throw new ConflictError('The determination changed meanwhile; reload it.');
      const orgs = await partyOrgs(tx);
      await notify.notify(tx, {
        orgIds: CONSULTED_AGENCIES.map((c) => orgs.get(c)?.id).filter((x): x is string => !!x),
        roles: ['analyst'],
        title: 'Determination sign-off requested',
        body: 'NSA asks for your agency’s sign-off on a covered-model determination.',
        link: `/determinations/${r.id}`,
      });
      await audit.record(tx, { actor, action: 'determination.submit', recordType: 'determination', recordId: r.id, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await determinationViews(actor, subject, [u], tx))[0];
    });
  }

  async function reopenDetermination(actor: Actor, subject: Subject, id: string) {
    const r = await loadForNsa(subject, id);
    const status = determinationTransition(r.status, 'reopen');
    return db.transaction(async (tx) => {
      const [u] = await tx.update(determinations).set({ status }).where(and(eq(determinations.id, r.id), eq(determinations.status, r.status))).returning();
      if (!u) throw new ConflictError('The determination changed meanwhile; reload it.');
      await audit.record(tx, { actor, action: 'determination.reopen', recordType: 'determination', recordId: r.id, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await determinationViews(actor, subject, [u], tx))[0];
    });
  }

  async function signOff(actor: Actor, subject: Subject, id: string, input: { position: string; comment?: string }) {
    const r = await loadDetermination(subject, id);
    const full = (await fullRead(subject, 'determination', r)).allow;
    if (!full && !(await modelReadable(subject, r.modelId))) throw new NotFoundError('determination', true);
    if (!isConsulted(subject)) throw new ForbiddenError('Only ONCD and CISA sign off determinations.');
    determinationTransition(r.status, 'sign_off');
    return db.transaction(async (tx) => {
      const pid = crypto.randomUUID();
      await tx.insert(agencyConsultations).values({
        id: pid,
        subjectType: 'determination',
        subjectId: r.id,
        agencyOrgId: subject.orgId,
        userId: subject.userId,
        position: input.position,
        commentEnc: input.comment ? keyring.encrypt(input.comment, `agency_consultations.comment_enc:${pid}`) : null,
        createdAt: clock(),
      });
      const orgs = await partyOrgs(tx);
      const nsa = orgs.get('NSA');
      if (nsa) await notify.notify(tx, { orgIds: [nsa.id], roles: ['analyst'], title: 'Determination sign-off recorded', body: `${subject.agencyCode} recorded its sign-off position on a determination.`, link: `/determinations/${r.id}` });
      await audit.record(tx, { actor, action: 'determination.sign_off', recordType: 'determination', recordId: r.id, detail: { position: input.position, agency: subject.agencyCode ?? null }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await determinationViews(actor, subject, [r], tx))[0];
    });
  }

  async function decide(actor: Actor, subject: Subject, id: string, input: z.infer<typeof DecideBody>) {
    const r = await loadForNsa(subject, id);
    const status = determinationTransition(r.status, 'decide');
    const expiresAt = new Date(input.expiresAt);
    const now = clock();
    if (expiresAt.getTime() <= now.getTime()) throw new ValidationError('The expiry must be in the future.', [{ path: 'expiresAt', message: 'in the past' }]);
    if (expiresAt.getTime() > now.getTime() + MAX_AHEAD_MS) throw new ValidationError('The expiry must be at most five years ahead.', [{ path: 'expiresAt', message: 'more than five years ahead' }]);
    const missing = await missingPositions(db, 'determination', r.id, r.submittedAt);
    if (missing.length) throw new ConflictError(`The determination cannot be decided until ${missing.join(' and ')} ${missing.length > 1 ? 'have' : 'has'} signed off.`);
    const m = await findModel(db, r.modelId);
    if (!m) throw new NotFoundError('model');
    const [b] = await db.select().from(benchmarks).where(eq(benchmarks.id, r.benchmarkId));
    const [t] = await db.select().from(thresholdVersions).where(eq(thresholdVersions.id, r.thresholdVersionId));
    if (!b || !t) throw new ConflictError('A determination must name its benchmark and threshold version.');
    const a = dec<Analysis>('determinations', 'analysis_enc', r.id, r.analysisEnc);
    const tc = dec<ThresholdContent>('threshold_versions', 'thresholds_enc', t.id, t.thresholdsEnc);
    const trigger = await computeTriggerFlop(db);
    const criteriaAtDecision = { ...evaluateCriteria({ scores: a.scores, thresholds: tc.thresholds, computeFlop: r.computeFlop, computeTriggerFlop: trigger, judgment: a.judgment }), computeTriggerFlop: trigger };
    return db.transaction(async (tx) => {
      // One decision at a time per model: a concurrent decision of another draft for the same model
      // waits here, then sees this one as decided and supersedes it (never two decided at once).
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`determinations:model:${r.modelId}`}))`);
      const [cur] = await tx.select({ status: determinations.status }).from(determinations).where(eq(determinations.id, r.id));
      if (!cur || cur.status !== r.status) throw new ConflictError('The determination changed meanwhile; reload it.');
      const [u] = await tx
        .update(determinations)
        .set({
          status,
          outcome: input.outcome,
          unclassifiedSummary: input.unclassifiedSummary,
          expiresAt,
          reevaluationTriggers: input.reevaluationTriggers,
          decidedBy: subject.userId,
          decidedAt: now,
          analysisEnc: enc('determinations', 'analysis_enc', r.id, { ...a, criteriaAtDecision }),
        })
        .where(and(eq(determinations.id, r.id), eq(determinations.status, r.status)))
        .returning();
      if (!u) throw new ConflictError('The determination changed meanwhile; reload it.');
      const older = await tx.select().from(determinations).where(and(eq(determinations.modelId, r.modelId), eq(determinations.status, 'decided'), ne(determinations.id, r.id)));
      for (const o of older) {
        await tx.update(determinations).set({ status: determinationTransition(o.status, 'supersede') }).where(eq(determinations.id, o.id));
        await audit.record(tx, { actor, action: 'determination.supersede', recordType: 'determination', recordId: o.id, detail: { by: r.id }, marking: markOf(o), ownerOrgId: o.ownerOrgId });
      }
      // The developer's notice: outcome, summary, expiry, triggers. The benchmark reference is kept
      // for the record and never returned to the developer.
      const [notice] = await tx
        .insert(determinationNotices)
        .values({
          ownerOrgId: m.ownerOrgId,
          classification: 1,
          compartments: [],
          modelId: m.id,
          determinationId: r.id,
          outcome: input.outcome,
          summary: input.unclassifiedSummary,
          expiresAt,
          reevaluationTriggers: input.reevaluationTriggers,
          decidedAt: now,
          benchmarkRef: { name: b.name, version: b.version, thresholdVersion: t.version },
        })
        .returning();
      // Unclassified words only: the model's name and the outcome are CUI, read after signing in.
      await notify.notify(tx, { orgIds: [m.ownerOrgId], roles: ['developer', 'org_admin'], title: 'Determination recorded', body: 'A determination was recorded for one of your models. Sign in to Forewarn to read it.', link: `/models/${m.id}/determination` });
      const orgs = await partyOrgs(tx);
      await notify.notify(tx, { orgIds: [...orgs.values()].map((o) => o.id), roles: ['analyst'], title: 'Determination decided', body: 'NSA decided a determination. Sign in to Forewarn to read it.', link: `/determinations/${r.id}` });
      await audit.record(tx, { actor, action: 'determination.decide', recordType: 'determination', recordId: r.id, detail: { outcome: input.outcome, modelId: m.id, noticeId: notice.id, superseded: older.map((o) => o.id) }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      await audit.record(tx, { actor, action: 'determination_notice.create', recordType: 'determination_notice', recordId: notice.id, detail: { outcome: input.outcome, modelId: m.id }, marking: markOf(notice), ownerOrgId: m.ownerOrgId });
      return (await determinationViews(actor, subject, [u], tx))[0];
    });
  }

  // ───────────────────────────── benchmark runs ─────────────────────────────

  /**
   * A benchmark run (an evaluation run of a suite linked to a benchmark domain) as benchmark scores:
   * for cleared party analysts who can read the benchmark and whose clearance covers the run. Anyone
   * else — the developer above all — is told nothing exists.
   */
  async function loadBenchmarkRun(subject: Subject, runId: string, tx: DbOrTx = db) {
    if (!isParty(subject)) throw new NotFoundError('benchmark run', true);
    const [run] = await tx.select().from(evaluationRuns).where(eq(evaluationRuns.id, runId));
    if (!run) throw new NotFoundError('benchmark run');
    const [suite] = await tx.select().from(evaluationSuites).where(eq(evaluationSuites.id, run.suiteId));
    if (!suite?.benchmarkId || !suite.benchmarkDomain) throw new NotFoundError('benchmark run', true);
    const b = await loadBenchmark(subject, suite.benchmarkId, tx).catch(() => {
      throw new NotFoundError('benchmark run', true);
    });
    if (!dominates({ classification: subject.clearance, compartments: subject.compartments }, markOf(run))) throw new NotFoundError('benchmark run', true);
    return { run, suite, benchmark: b, domain: suite.benchmarkDomain as Domain };
  }

  async function scoresOf(runId: string, tx: DbOrTx = db) {
    const rows = await tx.select({ score: evaluationResults.score, error: evaluationResults.error }).from(evaluationResults).where(eq(evaluationResults.runId, runId));
    return aggregate('overall', rows.map((r, i) => ({ sampleId: String(i), domain: 'overall', score: r.error ? null : (r.score ?? 0) })));
  }

  async function benchmarkRunScores(actor: Actor, subject: Subject, runId: string) {
    const { run, benchmark: b, domain } = await loadBenchmarkRun(subject, runId);
    const agg = await scoresOf(run.id);
    const [t] = await db.select().from(thresholdVersions).where(and(eq(thresholdVersions.benchmarkId, b.id), eq(thresholdVersions.status, 'adopted')));
    const thresholds = t ? dec<ThresholdContent>('threshold_versions', 'thresholds_enc', t.id, t.thresholdsEnc).thresholds : {};
    const threshold = thresholds[domain] ?? null;
    await db.transaction(async (tx) => {
      await audit.recordRead(tx, actor, { recordType: 'evaluation_run', recordId: run.id, ...markOf(run) }, { view: 'benchmark_scores' }, run.ownerOrgId);
      if (t) await audit.recordRead(tx, actor, { recordType: 'threshold_version', recordId: t.id, ...markOf(t) }, { view: 'benchmark_scores' });
    });
    return {
      runId: run.id,
      benchmarkId: b.id,
      benchmark: { name: b.name, version: b.version },
      marking: markingView(highest([markOf(run), markOf(b)])),
      runStatus: run.status as 'completed',
      complete: run.status === 'completed',
      thresholdVersion: t ? { id: t.id, version: t.version } : null,
      domains: [{ domain, score: agg.accuracy, n: agg.n, ci: agg.ci, threshold, meetsThreshold: threshold === null ? null : agg.accuracy >= threshold }],
    };
  }

  /** NSA takes a completed benchmark run's score as the determination's score for that domain. */
  async function attachRunScores(actor: Actor, subject: Subject, id: string, runId: string) {
    const r = await loadForNsa(subject, id);
    determinationTransition(r.status, 'edit');
    const { run, suite, domain } = await loadBenchmarkRun(subject, runId);
    if (suite.benchmarkId !== r.benchmarkId) throw new ConflictError('That run belongs to another benchmark than this determination.');
    if (run.modelId !== r.modelId) throw new ConflictError('That run evaluated another model than this determination.');
    if (run.status !== 'completed') throw new ConflictError('Only a completed run can give a determination its scores.');
    const agg = await scoresOf(run.id);
    const a = dec<Analysis>('determinations', 'analysis_enc', r.id, r.analysisEnc);
    const next: Analysis = { ...a, scores: { ...a.scores, [domain]: agg.accuracy }, scoreSources: { ...(a.scoreSources ?? {}), [domain]: { runId: run.id, n: agg.n, at: clock().toISOString() } } };
    return db.transaction(async (tx) => {
      const [u] = await tx
        .update(determinations)
        .set({ analysisEnc: enc('determinations', 'analysis_enc', r.id, next) })
        .where(and(eq(determinations.id, r.id), eq(determinations.status, 'draft')))
        .returning();
      if (!u) throw new ConflictError('The determination changed meanwhile; reload it.');
      await audit.record(tx, { actor, action: 'determination.scores_from_run', recordType: 'determination', recordId: r.id, detail: { runId: run.id, domain }, marking: markOf(r), ownerOrgId: r.ownerOrgId });
      return (await determinationViews(actor, subject, [u], tx))[0];
    });
  }

  // ───────────────────────────── the developer's notice ─────────────────────────────

  async function latestNotice(actor: Actor, subject: Subject, modelId: string): Promise<z.infer<typeof NoticeView>> {
    const m = await findModel(db, modelId);
    if (!m) throw new NotFoundError('model');
    const grants = (await grantsOf(db, 'model', [m.id])).get(m.id) ?? [];
    enforce(canRead(subject, { ...m, grants }, MODEL_RULE, clock()), 'model');
    const [n] = await db.select().from(determinationNotices).where(eq(determinationNotices.modelId, m.id)).orderBy(desc(determinationNotices.decidedAt)).limit(1);
    if (!n) throw new NotFoundError('determination notice');
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'determination_notice', recordId: n.id, ...markOf(n) }, { modelId: m.id }, n.ownerOrgId));
    return {
      id: n.id,
      modelId: n.modelId,
      outcome: n.outcome as 'covered',
      summary: n.summary,
      expiresAt: n.expiresAt?.toISOString() ?? null,
      reevaluationTriggers: n.reevaluationTriggers,
      decidedAt: n.decidedAt.toISOString(),
      marking: markingView(markOf(n)),
    };
  }

  return {
    jobs: [] as JobDefinition<any>[],
    startup: async () => {},
    createBenchmark,
    listBenchmarks,
    getBenchmark,
    proposeThreshold,
    listThresholdVersions,
    getThresholdVersion,
    consultThreshold,
    adoptThreshold,
    withdrawThreshold,
    listCandidateModels,
    createDetermination,
    listDeterminations,
    getDetermination,
    updateDetermination,
    submitDetermination,
    reopenDetermination,
    signOff,
    decide,
    latestNotice,
    benchmarkRunScores,
    attachRunScores,
  };
}

export type DeterminationsService = ReturnType<typeof createDeterminationsService>;

export type { Keyring };
