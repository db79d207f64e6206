import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessGrants, modelReleaseChanges, models, organisations, policySettings, reviewWindows } from '../../db/schema.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.ts';
import type { ModuleDeps } from '../../server/module-deps.ts';
import { addGrant, enforce, grantsOf, revokeGrantsFrom } from '../access/access.service.ts';
import { SYSTEM_ACTOR, type Actor } from '../access/actor.ts';
import { CUI, dominates, nameOf } from '../access/marking.ts';
import { consultationRule } from '../consultations/consultations.service.ts';
import { can, canRead, grantActive, type ReadRule, type Subject } from '../access/policy.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import {
  agencies,
  capGrantExpiry,
  consultationsOf,
  windowsEverSharedWith,
  currentPolicy,
  dueWindows,
  findModel,
  findWindow,
  latestNotice,
  latestRecommendation,
  modelsByIds,
  openWindowOf,
  orgNames,
  policyHistory,
  releaseChanges,
  revokeAllModelGrants,
  timelineEvents,
  WINDOW_SOURCE,
  windowGrants,
  windowsOfModel,
  windowsSharedWith,
  type ModelRow,
  type PolicyRow,
  type WindowRow,
} from './reviews.dal.ts';
import type { WindowViewT } from './reviews.types.ts';
import { CLOSE_REASONS, transition, type WindowEvent } from './review-window.machine.ts';
import { releaseEffect, shortenViolations, windowViolations, type RuleViolation } from './window-rules.ts';

export const CLOSE_JOB = 'reviews.close-window';
export const SWEEP_JOB = 'reviews.sweep-windows';
/** The sweep runs every minute, so a window missed while the server was down closes on the next tick. */
export const SWEEP_CRON = '* * * * *';

/** Models are read by their developer and, through grants, by agencies with the models:read role. */
export const MODEL_READ_RULE: ReadRule = { ability: 'models:read' };
/** Detail of window events that names the other organisations let in: for the developer only. */
const WINDOW_OTHERS_KEYS = new Set(['agencies', 'grantee', 'grantId', 'grantsRevoked', 'granteeOrgIds', 'partners']);
const WINDOW_MARKING = { classification: CUI, compartments: [] as string[] };

function policyView(p: PolicyRow) {
  return {
    version: p.version,
    maxWindowDays: p.maxWindowDays,
    computeTriggerFlop: p.computeTriggerFlop,
    reason: p.reason,
    createdBy: p.createdBy,
    createdAt: p.createdAt.toISOString(),
  };
}

function rulesFailed(violations: RuleViolation[]): never {
  throw new ValidationError(
    `The window breaks ${violations.length === 1 ? 'a rule' : 'rules'}: ${violations.map((v) => v.rule).join(', ')}. Nothing was changed.`,
    violations.map((v) => ({ path: v.path, message: v.message })),
  );
}

function fmt(d: Date) {
  return d.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** What withdrawal asks of other modules, in the same transaction. */
export interface WithdrawalHooks {
  withdrawConsultations(tx: DbOrTx, actor: Actor, modelId: string): Promise<string[]>;
}

export function createReviewsService({ db, audit, notify, queue, clock }: ModuleDeps, hooks?: WithdrawalHooks) {
  // ---------------------------------------------------------------------------------------------
  // Authorisation
  // ---------------------------------------------------------------------------------------------

  /** The model as the subject may see it: 404 when out of reach (another developer's, no grant). */
  async function readableModel(db2: DbOrTx, subject: Subject, modelId: string, forUpdate = false): Promise<ModelRow> {
    const model = await findModel(db2, modelId, forUpdate);
    if (!model) throw new NotFoundError('model');
    const grants = (await grantsOf(db2, 'model', [model.id])).get(model.id) ?? [];
    enforce(canRead(subject, { ...model, grants }, MODEL_READ_RULE, clock()), 'model');
    return model;
  }

  /**
   * The developer's controls belong to the developer alone: the model's owning organisation with the
   * windows:manage ability. Anyone who can see the model but is not its developer gets 403; anyone
   * else gets 404.
   */
  async function controlledModel(tx: DbOrTx, subject: Subject, modelId: string): Promise<ModelRow> {
    const model = await readableModel(tx, subject, modelId, true);
    if (model.ownerOrgId !== subject.orgId) throw new ForbiddenError('Only the developer of this model controls its review windows and its release.');
    if (!can(subject, 'windows:manage')) throw new ForbiddenError('Managing review windows needs the developer role.');
    return model;
  }

  async function controlledWindow(tx: DbOrTx, subject: Subject, windowId: string): Promise<{ model: ModelRow; window: WindowRow }> {
    const w = await findWindow(tx, windowId);
    if (!w) throw new NotFoundError('review window');
    let model: ModelRow;
    try {
      model = await controlledModel(tx, subject, w.modelId);
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError('review window', true);
      throw err;
    }
    const window = (await findWindow(tx, windowId, true))!;
    return { model, window };
  }

  // ---------------------------------------------------------------------------------------------
  // Views
  // ---------------------------------------------------------------------------------------------

  async function viewWindows(db2: DbOrTx, subject: Subject, rows: WindowRow[]): Promise<WindowViewT[]> {
    if (rows.length === 0) return [];
    const now = clock();
    const modelMap = await modelsByIds(db2, [...new Set(rows.map((w) => w.modelId))]);
    const grants = await windowGrants(
      db2,
      rows.map((w) => w.id),
    );
    const devNames = await orgNames(db2, [...new Set(rows.map((w) => w.ownerOrgId))]);
    return rows.map((w) => {
      const m = modelMap.get(w.modelId)!;
      const own = w.ownerOrgId === subject.orgId;
      return {
        id: w.id,
        modelId: w.modelId,
        modelName: m.name,
        modelVersion: m.version,
        developerOrgId: w.ownerOrgId,
        developerOrgName: devNames.get(w.ownerOrgId) ?? null,
        status: w.status,
        opensAt: w.opensAt.toISOString(),
        closesAt: w.closesAt.toISOString(),
        policyVersion: w.policyVersion,
        closedAt: w.closedAt?.toISOString() ?? null,
        closeReason: w.closeReason,
        createdAt: w.createdAt.toISOString(),
        plannedReleaseAt: m.plannedReleaseAt.toISOString(),
        grants: grants
          .filter((g) => g.sourceId === w.id && (own || g.granteeOrgId === subject.orgId))
          .map((g) => ({
            id: g.id,
            granteeOrgId: g.granteeOrgId,
            granteeOrgName: g.granteeOrgName,
            startsAt: g.startsAt.toISOString(),
            expiresAt: g.expiresAt?.toISOString() ?? null,
            revokedAt: g.revokedAt?.toISOString() ?? null,
            active: grantActive(g, { userId: '', orgId: g.granteeOrgId ?? '' }, now),
          })),
        marking: { classification: nameOf(w.classification), compartments: [...w.compartments] },
      };
    });
  }

  async function recordWindowReads(tx: DbOrTx, actor: Actor, rows: WindowRow[]) {
    for (const w of rows) await audit.recordRead(tx, actor, { recordType: 'review_window', recordId: w.id, classification: w.classification, compartments: w.compartments }, undefined, w.ownerOrgId);
  }

  // ---------------------------------------------------------------------------------------------
  // State changes shared by the developer's controls and the scheduled close
  // ---------------------------------------------------------------------------------------------

  async function scheduleClose(tx: DbOrTx, windowId: string, closesAt: Date) {
    await queue.send(tx, CLOSE_JOB, { windowId }, { startAfter: closesAt, singletonKey: `${windowId}:${closesAt.toISOString()}` });
  }

  /** Closes (or withdraws) a window and revokes its grants; the caller writes the audit event last. */
  async function endWindow(tx: DbOrTx, w: WindowRow, event: Extract<WindowEvent, 'expire' | 'end_early' | 'release_reached' | 'withdraw'>, now: Date) {
    const next = transition(w.status, event);
    await tx.update(reviewWindows).set({ status: next, closedAt: now, closeReason: CLOSE_REASONS[event] ?? event }).where(eq(reviewWindows.id, w.id));
    const revoked = await revokeGrantsFrom(tx, WINDOW_SOURCE, w.id, now);
    const agencyIds = [...new Set(revoked.map((g) => g.granteeOrgId).filter((x): x is string => !!x))];
    if (agencyIds.length) {
      await notify.notify(tx, {
        orgIds: agencyIds,
        roles: ['analyst'],
        title: next === 'withdrawn' ? 'Review window withdrawn' : 'Review window closed',
        body: `A review window your agency was part of ended (${CLOSE_REASONS[event] ?? event}). Access through it has stopped.`,
        link: '/windows',
      });
    }
    await notify.notify(tx, {
      orgIds: [w.ownerOrgId],
      roles: ['developer'],
      title: next === 'withdrawn' ? 'Review window withdrawn' : 'Review window closed',
      body: `A review window on one of your models ended (${CLOSE_REASONS[event] ?? event}). Every grant it gave has been revoked.`,
      link: `/models/${w.modelId}/window`,
    });
    return { status: next, revoked: revoked.length };
  }

  /** Moves an open window's end earlier and caps its grants' expiry to match. */
  async function shortenWindow(tx: DbOrTx, w: WindowRow, closesAt: Date) {
    transition(w.status, 'shorten');
    await tx.update(reviewWindows).set({ closesAt }).where(eq(reviewWindows.id, w.id));
    await capGrantExpiry(tx, w.id, closesAt);
    await scheduleClose(tx, w.id, closesAt);
    const live = (await windowGrants(tx, [w.id])).filter((g) => !g.revokedAt && g.granteeOrgId);
    if (live.length) {
      await notify.notify(tx, {
        orgIds: [...new Set(live.map((g) => g.granteeOrgId!))],
        roles: ['analyst'],
        title: 'Review window shortened',
        body: `The developer shortened a review window your agency is part of. It now closes at ${fmt(closesAt)}.`,
        link: '/windows',
      });
    }
  }

  /** Closes one window if it is open and due: the scheduled job and the catch-up sweep both use this. */
  async function closeIfDue(windowId: string): Promise<boolean> {
    return db.transaction(async (tx) => {
      const now = clock();
      const w = await findWindow(tx, windowId, true);
      if (!w || w.status !== 'open' || w.closesAt.getTime() > now.getTime()) return false;
      const model = await findModel(tx, w.modelId);
      const event = model && model.plannedReleaseAt.getTime() <= w.closesAt.getTime() ? 'release_reached' : 'expire';
      const r = await endWindow(tx, w, event, now);
      await audit.record(tx, {
        actor: SYSTEM_ACTOR,
        action: 'review_window.close',
        recordType: 'review_window',
        recordId: w.id,
        detail: { modelId: w.modelId, reason: CLOSE_REASONS[event] ?? event, closesAt: w.closesAt.toISOString(), grantsRevoked: r.revoked, by: 'schedule' },
        marking: WINDOW_MARKING,
        ownerOrgId: w.ownerOrgId,
      });
      return true;
    });
  }

  /** Closes every open window whose end has passed (catch-up after downtime, and every minute). */
  async function sweep(): Promise<number> {
    let closed = 0;
    for (const w of await dueWindows(db, clock())) if (await closeIfDue(w.id)) closed++;
    return closed;
  }

  // ---------------------------------------------------------------------------------------------
  // Policy
  // ---------------------------------------------------------------------------------------------

  async function getPolicy(subject: Subject) {
    if (!subject.userId) throw new ForbiddenError();
    const history = await policyHistory(db);
    return { current: policyView(history[0]), history: history.map(policyView) };
  }

  async function changePolicy(actor: Actor, subject: Subject, input: { maxWindowDays: number; computeTriggerFlop: number; reason: string }) {
    if (!can(subject, 'policy:manage')) throw new ForbiddenError('Only platform administrators change the framework policy.');
    try {
      await db.transaction(async (tx) => {
        const prev = await currentPolicy(tx);
        const [row] = await tx
          .insert(policySettings)
          .values({ version: prev.version + 1, maxWindowDays: input.maxWindowDays, computeTriggerFlop: input.computeTriggerFlop, reason: input.reason, createdBy: subject.userId })
          .returning();
        await audit.record(tx, {
          actor,
          action: 'policy.change',
          recordType: 'policy_settings',
          recordId: String(row.version),
          detail: {
            version: row.version,
            maxWindowDays: row.maxWindowDays,
            previousMaxWindowDays: prev.maxWindowDays,
            computeTriggerFlop: row.computeTriggerFlop,
            previousComputeTriggerFlop: prev.computeTriggerFlop,
            reason: row.reason,
          },
        });
      });
    } catch (err) {
      const e = err as { code?: string; cause?: { code?: string } };
      if (e?.code === '23505' || e?.cause?.code === '23505') throw new ConflictError('Another policy change was saved at the same moment; reload and try again.');
      throw err;
    }
    return getPolicy(subject);
  }

  // ---------------------------------------------------------------------------------------------
  // Eligibility and reads
  // ---------------------------------------------------------------------------------------------

  async function eligibilityOf(db2: DbOrTx, model: ModelRow) {
    const now = clock();
    const notice = await latestNotice(db2, model.id);
    const covered = !!notice && notice.outcome === 'covered' && (!notice.expiresAt || notice.expiresAt.getTime() > now.getTime());
    const wouldBenefit = (await latestRecommendation(db2, model.id)) === 'would_benefit';
    const policy = await currentPolicy(db2);
    let reason: string;
    if (model.status === 'withdrawn') reason = 'The model was withdrawn from the framework.';
    else if (covered) reason = 'The latest determination found the model covered.';
    else if (wouldBenefit) reason = 'The agencies found the model would benefit from review.';
    else if (notice && notice.outcome === 'covered') reason = 'The covered-model determination has expired; ask for a new determination or consultation.';
    else reason = 'A review window needs a current "covered" determination or a consultation that found the model would benefit from review.';
    return {
      eligible: model.status !== 'withdrawn' && (covered || wouldBenefit),
      covered,
      wouldBenefit,
      reason,
      maxWindowDays: policy.maxWindowDays,
      plannedReleaseAt: model.plannedReleaseAt.toISOString(),
      modelStatus: model.status,
    };
  }

  async function eligibility(_actor: Actor, subject: Subject, modelId: string) {
    const model = await controlledModel(db, subject, modelId);
    return eligibilityOf(db, model);
  }

  async function listAgencies(subject: Subject) {
    if (!can(subject, 'windows:manage')) throw new ForbiddenError('Only developers choose agencies for a review window.');
    return agencies(db);
  }

  /** The model's windows: all of them for the developer; for an agency, those it takes part in now. */
  async function modelWindows(actor: Actor, subject: Subject, modelId: string) {
    const model = await readableModel(db, subject, modelId);
    return db.transaction(async (tx) => {
      let rows = await windowsOfModel(tx, model.id);
      if (model.ownerOrgId !== subject.orgId) {
        const shared = new Set((await windowsSharedWith(tx, subject.orgId, clock())).map((w) => w.id));
        rows = rows.filter((w) => shared.has(w.id));
      }
      await recordWindowReads(tx, actor, rows);
      return viewWindows(tx, subject, rows);
    });
  }

  /**
   * Of the windows shared with the subject's organisation, those whose window and model the subject
   * may read (clearance and need to know, the model read rule): a reader below the marking sees none.
   */
  async function readableShared(tx: DbOrTx, subject: Subject, rows: WindowRow[]): Promise<WindowRow[]> {
    if (rows.length === 0) return [];
    const now = clock();
    const modelMap = await modelsByIds(tx, [...new Set(rows.map((w) => w.modelId))]);
    const mGrants = await grantsOf(tx, 'model', [...modelMap.keys()]);
    const held = { classification: subject.clearance, compartments: subject.compartments };
    return rows.filter((w) => {
      const m = modelMap.get(w.modelId);
      if (!m || !dominates(held, { classification: w.classification, compartments: w.compartments })) return false;
      return canRead(subject, { ...m, grants: mGrants.get(m.id) ?? [] }, MODEL_READ_RULE, now).allow;
    });
  }

  /** Windows the subject's organisation runs (developer) or takes part in now (agency). */
  async function listWindows(actor: Actor, subject: Subject) {
    if (!can(subject, 'windows:manage') && !can(subject, 'models:read')) throw new ForbiddenError('Review windows are for developers and agency analysts.');
    return db.transaction(async (tx) => {
      const shared = can(subject, 'models:read') ? await readableShared(tx, subject, await windowsSharedWith(tx, subject.orgId, clock())) : [];
      const owned = can(subject, 'windows:manage') ? await tx.select().from(reviewWindows).where(eq(reviewWindows.ownerOrgId, subject.orgId)) : [];
      const seen = new Set<string>();
      const rows = [...owned, ...shared].filter((w) => (seen.has(w.id) ? false : (seen.add(w.id), true)));
      rows.sort((a, b) => (a.status === b.status ? a.closesAt.getTime() - b.closesAt.getTime() : a.status === 'open' ? -1 : 1));
      await recordWindowReads(tx, actor, rows);
      return viewWindows(tx, subject, rows);
    });
  }

  async function getWindow(actor: Actor, subject: Subject, windowId: string) {
    const w = await findWindow(db, windowId);
    if (!w) throw new NotFoundError('review window');
    const model = await findModel(db, w.modelId);
    const own = model?.ownerOrgId === subject.orgId;
    const shared = own ? true : (await windowsSharedWith(db, subject.orgId, clock())).some((x) => x.id === w.id);
    if (!model || !shared) throw new NotFoundError('review window', true);
    await readableModel(db, subject, model.id);
    return db.transaction(async (tx) => {
      await recordWindowReads(tx, actor, [w]);
      return (await viewWindows(tx, subject, [w]))[0];
    });
  }

  async function timeline(actor: Actor, subject: Subject, modelId: string) {
    const model = await readableModel(db, subject, modelId);
    const developer = model.ownerOrgId === subject.orgId;
    const now = clock();
    let windows = await windowsOfModel(db, model.id);
    let consults = await consultationsOf(db, model.id);
    if (!developer) {
      // Another organisation sees the consultations it may read itself (the consultations' own
      // rule) and the windows it took part in, never which other agencies were let in.
      const cGrants = await grantsOf(db, 'consultation', consults.map((c) => c.id));
      consults = consults.filter((c) => canRead(subject, { ...c, grants: cGrants.get(c.id) ?? [] }, consultationRule(subject), now).allow);
      const mine = await windowsEverSharedWith(db, subject.orgId, windows.map((w) => w.id));
      windows = windows.filter((w) => mine.has(w.id) && dominates({ classification: subject.clearance, compartments: subject.compartments }, { classification: w.classification, compartments: w.compartments }));
    }
    const windowIds = new Set(windows.map((w) => w.id));
    const raw = await timelineEvents(db, {
      recordIds: [model.id, ...windowIds, ...consults.map((c) => c.id)],
      orgIds: [...new Set([model.ownerOrgId, subject.orgId])],
      maxClassification: Math.min(CUI, subject.clearance),
    });
    const events = developer
      ? raw
      : raw.map((e) => ({ ...e, detail: e.recordId && windowIds.has(e.recordId) ? Object.fromEntries(Object.entries(e.detail ?? {}).filter(([k]) => !WINDOW_OTHERS_KEYS.has(k))) : e.detail }));
    const changes = await releaseChanges(db, model.id);
    const items = [
      ...events.map((e) => ({
        at: new Date(e.at).toISOString(),
        kind: 'event' as const,
        action: e.action,
        actorOrgName: e.actorOrgName,
        recordType: e.recordType,
        recordId: e.recordId,
        detail: Object.fromEntries(Object.entries(e.detail ?? {}).filter(([k]) => k !== 'via')),
      })),
      ...changes.map((c) => ({
        at: c.createdAt.toISOString(),
        kind: 'release_change' as const,
        action: 'model.release_date_change',
        actorOrgName: null,
        recordType: 'model',
        recordId: model.id,
        detail: { from: c.fromAt.toISOString(), to: c.toAt.toISOString(), reason: c.reason },
      })),
    ].sort((a, b) => a.at.localeCompare(b.at));
    await db.transaction((tx) => audit.recordRead(tx, actor, { recordType: 'model', recordId: model.id, classification: model.classification, compartments: model.compartments }, { view: 'timeline' }, model.ownerOrgId));
    return { modelId: model.id, items, marking: { classification: nameOf(model.classification), compartments: [...model.compartments] } };
  }

  // ---------------------------------------------------------------------------------------------
  // The developer's controls
  // ---------------------------------------------------------------------------------------------

  async function openWindow(actor: Actor, subject: Subject, modelId: string, input: { agencyOrgIds: string[]; opensAt?: Date; closesAt: Date }) {
    const id = await db.transaction(async (tx) => {
      const model = await controlledModel(tx, subject, modelId);
      const now = clock();
      if (model.status === 'withdrawn') throw new ConflictError('The model was withdrawn from the framework; a review window cannot be opened for it.');
      const elig = await eligibilityOf(tx, model);
      if (!elig.eligible) throw new ConflictError(`This model is not eligible for a review window. ${elig.reason}`);
      if (await openWindowOf(tx, model.id)) throw new ConflictError('This model already has an open review window; shorten or end it first.');
      const agencyIds = [...new Set(input.agencyOrgIds)];
      const found = await tx.select({ id: organisations.id, kind: organisations.kind, name: organisations.name }).from(organisations);
      const byId = new Map(found.map((o) => [o.id, o]));
      const bad = agencyIds.map((a, i) => ({ a, i })).filter(({ a }) => byId.get(a)?.kind !== 'agency');
      if (bad.length) throw new ValidationError('Review windows give access to agencies only.', bad.map(({ i }) => ({ path: `agencyOrgIds.${i}`, message: 'not an agency' })));
      const policy = await currentPolicy(tx);
      const opensAt = input.opensAt ?? now;
      const violations = windowViolations({ opensAt, closesAt: input.closesAt, now, plannedReleaseAt: model.plannedReleaseAt, maxWindowDays: policy.maxWindowDays });
      if (violations.length) rulesFailed(violations);
      const [w] = await tx
        .insert(reviewWindows)
        .values({ ownerOrgId: model.ownerOrgId, classification: CUI, modelId: model.id, status: 'open', opensAt, closesAt: input.closesAt, policyVersion: policy.version, createdBy: subject.userId })
        .returning();
      for (const agencyId of agencyIds) {
        await addGrant(tx, { recordType: 'model', recordId: model.id, granteeOrgId: agencyId, grantedBy: subject.userId, reason: 'review window', startsAt: opensAt, expiresAt: input.closesAt, sourceType: WINDOW_SOURCE, sourceId: w.id });
      }
      await scheduleClose(tx, w.id, input.closesAt);
      await notify.notify(tx, {
        orgIds: agencyIds,
        roles: ['analyst'],
        title: 'Review window opened',
        body: `A developer opened a voluntary review window for your agency, from ${fmt(opensAt)} until ${fmt(input.closesAt)}.`,
        link: '/windows',
      });
      await audit.record(tx, {
        actor,
        action: 'review_window.open',
        recordType: 'review_window',
        recordId: w.id,
        detail: { modelId: model.id, agencies: agencyIds.map((a) => byId.get(a)!.name), opensAt: opensAt.toISOString(), closesAt: input.closesAt.toISOString(), policyVersion: policy.version, maxWindowDays: policy.maxWindowDays },
        marking: WINDOW_MARKING,
        ownerOrgId: model.ownerOrgId,
      });
      return w.id;
    });
    return ownerView(subject, id);
  }

  async function ownerView(subject: Subject, windowId: string) {
    const w = (await findWindow(db, windowId))!;
    return (await viewWindows(db, subject, [w]))[0];
  }

  async function revokeGrant(actor: Actor, subject: Subject, windowId: string, grantId: string) {
    await db.transaction(async (tx) => {
      const { model, window: w } = await controlledWindow(tx, subject, windowId);
      const [g] = await tx.select().from(accessGrants).where(eq(accessGrants.id, grantId)).for('update');
      if (!g || g.sourceType !== WINDOW_SOURCE || g.sourceId !== w.id) throw new NotFoundError('grant');
      transition(w.status, 'revoke_grant');
      if (g.revokedAt) throw new ConflictError('That grant is already revoked.');
      const now = clock();
      await tx.update(accessGrants).set({ revokedAt: now }).where(eq(accessGrants.id, g.id));
      if (g.granteeOrgId) {
        await notify.notify(tx, { orgIds: [g.granteeOrgId], roles: ['analyst'], title: 'Review access revoked', body: 'The developer revoked your agency’s access through a review window, with immediate effect.', link: '/windows' });
      }
      const names = g.granteeOrgId ? await orgNames(tx, [g.granteeOrgId]) : new Map<string, string>();
      await audit.record(tx, {
        actor,
        action: 'review_window.revoke_grant',
        recordType: 'review_window',
        recordId: w.id,
        detail: { modelId: model.id, grantId: g.id, grantee: g.granteeOrgId ? (names.get(g.granteeOrgId) ?? g.granteeOrgId) : g.granteeUserId },
        marking: WINDOW_MARKING,
        ownerOrgId: model.ownerOrgId,
      });
    });
    return ownerView(subject, windowId);
  }

  async function shorten(actor: Actor, subject: Subject, windowId: string, closesAt: Date) {
    await db.transaction(async (tx) => {
      const { model, window: w } = await controlledWindow(tx, subject, windowId);
      transition(w.status, 'shorten');
      const violations = shortenViolations(w, closesAt);
      if (violations.length) rulesFailed(violations);
      const now = clock();
      const endsNow = closesAt.getTime() <= Math.max(now.getTime(), w.opensAt.getTime());
      const previous = w.closesAt.toISOString();
      if (endsNow) await endWindow(tx, w, 'end_early', now);
      else await shortenWindow(tx, w, closesAt);
      await audit.record(tx, {
        actor,
        action: endsNow ? 'review_window.end' : 'review_window.shorten',
        recordType: 'review_window',
        recordId: w.id,
        detail: { modelId: model.id, from: previous, to: endsNow ? now.toISOString() : closesAt.toISOString() },
        marking: WINDOW_MARKING,
        ownerOrgId: model.ownerOrgId,
      });
    });
    return ownerView(subject, windowId);
  }

  async function endNow(actor: Actor, subject: Subject, windowId: string) {
    await db.transaction(async (tx) => {
      const { model, window: w } = await controlledWindow(tx, subject, windowId);
      const now = clock();
      const r = await endWindow(tx, w, 'end_early', now);
      await audit.record(tx, {
        actor,
        action: 'review_window.end',
        recordType: 'review_window',
        recordId: w.id,
        detail: { modelId: model.id, from: w.closesAt.toISOString(), to: now.toISOString(), grantsRevoked: r.revoked },
        marking: WINDOW_MARKING,
        ownerOrgId: model.ownerOrgId,
      });
    });
    return ownerView(subject, windowId);
  }

  async function modelState(subject: Subject, modelId: string) {
    const model = (await findModel(db, modelId))!;
    const open = await openWindowOf(db, modelId);
    const latest = open ?? (await windowsOfModel(db, modelId))[0];
    return {
      modelId,
      status: model.status,
      plannedReleaseAt: model.plannedReleaseAt.toISOString(),
      window: latest ? (await viewWindows(db, subject, [latest]))[0] : null,
    };
  }

  /**
   * Withdrawal from the framework (never from release): the model leaves the framework, every open
   * window is withdrawn and every live grant on the model and its documents is revoked, whatever
   * created it; consultations under way are withdrawn too.
   */
  async function withdraw(actor: Actor, subject: Subject, modelId: string, input: { reason?: string }) {
    await db.transaction(async (tx) => {
      const model = await controlledModel(tx, subject, modelId);
      if (model.status === 'withdrawn') throw new ConflictError('The model is already withdrawn from the framework.');
      const now = clock();
      await tx.update(models).set({ status: 'withdrawn', updatedAt: now }).where(eq(models.id, model.id));
      const open = (await windowsOfModel(tx, model.id)).filter((w) => w.status === 'open');
      for (const w of open) await endWindow(tx, w, 'withdraw', now);
      const withdrawnConsultations = (await hooks?.withdrawConsultations(tx, actor, model.id)) ?? [];
      const revoked = await revokeAllModelGrants(tx, model.id, now);
      const orgIds = [...new Set(revoked.map((g) => g.granteeOrgId).filter((x): x is string => !!x))];
      if (orgIds.length) {
        await notify.notify(tx, { orgIds, title: 'Model withdrawn from the framework', body: 'A developer withdrew a model from the voluntary review framework. Your access to it has ended.', link: '/windows' });
      }
      await audit.record(tx, {
        actor,
        action: 'model.withdraw',
        recordType: 'model',
        recordId: model.id,
        detail: { windowsWithdrawn: open.length, consultationsWithdrawn: withdrawnConsultations.length, grantsRevoked: revoked.length, reason: input.reason ?? null },
        marking: WINDOW_MARKING,
        ownerOrgId: model.ownerOrgId,
      });
    });
    return modelState(subject, modelId);
  }

  /** The developer's release date is the developer's alone: earlier or later, at any time, no approval. */
  async function moveRelease(actor: Actor, subject: Subject, modelId: string, input: { plannedReleaseAt: Date; reason?: string }) {
    await db.transaction(async (tx) => {
      const model = await controlledModel(tx, subject, modelId);
      const now = clock();
      const to = input.plannedReleaseAt;
      if (to.getTime() === model.plannedReleaseAt.getTime()) {
        throw new ValidationError('The release date is unchanged.', [{ path: 'plannedReleaseAt', message: 'same as the current planned release' }]);
      }
      await tx.insert(modelReleaseChanges).values({ modelId: model.id, fromAt: model.plannedReleaseAt, toAt: to, changedBy: subject.userId, reason: input.reason ?? null });
      await tx.update(models).set({ plannedReleaseAt: to, updatedAt: now }).where(eq(models.id, model.id));
      const open = await openWindowOf(tx, model.id, true);
      const effect = releaseEffect(open ?? null, to, now);
      if (open && effect === 'close') await endWindow(tx, open, 'release_reached', now);
      if (open && effect === 'shorten') await shortenWindow(tx, open, to);
      await audit.record(tx, {
        actor,
        action: 'model.release_date_change',
        recordType: 'model',
        recordId: model.id,
        detail: { from: model.plannedReleaseAt.toISOString(), to: to.toISOString(), direction: to < model.plannedReleaseAt ? 'earlier' : 'later', window: open ? effect : 'none', reason: input.reason ?? null },
        marking: WINDOW_MARKING,
        ownerOrgId: model.ownerOrgId,
      });
    });
    return modelState(subject, modelId);
  }

  const jobs: JobDefinition<any>[] = [
    { name: CLOSE_JOB, retryLimit: 5, handler: async (d: { windowId: string }) => void (await closeIfDue(d.windowId)) },
    { name: SWEEP_JOB, retryLimit: 1, handler: async () => void (await sweep()) },
  ];

  async function startup() {
    await sweep();
    await queue.boss.schedule(SWEEP_JOB, SWEEP_CRON, {}, { tz: 'UTC' });
  }

  return {
    jobs,
    startup,
    sweep,
    closeIfDue,
    getPolicy,
    changePolicy,
    eligibility,
    listAgencies,
    modelWindows,
    listWindows,
    getWindow,
    timeline,
    openWindow,
    revokeGrant,
    shorten,
    endNow,
    withdraw,
    moveRelease,
  };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
